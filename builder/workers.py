"""Worker processes for the build, so that a second core renders quiz texts and packages.

The course is handed to each worker once, when it starts (for free where processes fork, as on
Linux); jobs then only name what to do. On a single core there is no pool and the callers do
the same work in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

from builder.project import CourseProject

_PROJECT: CourseProject | None = None


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_pool(project: CourseProject) -> ProcessPoolExecutor | None:
    """Workers for every core but the one that renders, or None on a single core (nothing to gain)."""
    workers = cores() - 1  # the rendering process is the critical path: never crowd its core
    if workers < 1:
        return None
    # Objects alive now (the course, the imported code) move out of the garbage collector's
    # reach: its passes would otherwise touch them in each forked worker, copying their pages
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                   initargs=(project,))
    except (OSError, ImportError, NotImplementedError):  # no process semaphores here (some containers)
        return None


def worker_project() -> CourseProject:
    """The course, inside a worker."""
    assert _PROJECT is not None, "called outside a worker of start_pool"
    return _PROJECT


def _start_worker(project: CourseProject) -> None:
    global _PROJECT
    _PROJECT = project
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
