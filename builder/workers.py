"""Worker processes for the build, so that a second core renders quiz texts and packages.

The course is handed to each worker once, when it starts (for free where processes fork, as on
Linux); jobs then only name what to do. On a single core there is no pool and the callers do
the same work in this process.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress

from builder.project import CourseProject

_PROJECT: CourseProject | None = None
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


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
                                   initargs=(project, os.getpid()))
    except (OSError, ImportError, NotImplementedError):  # no process semaphores here (some containers)
        return None


def worker_project() -> CourseProject:
    """The course, inside a worker."""
    assert _PROJECT is not None, "called outside a worker of start_pool"
    return _PROJECT


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """End the workers now, jobs and all: after a failure or an interruption their work is thrown
    away, and a package under way could take seconds that a trainer pressing Ctrl-C should not wait."""
    for process in list((pool._processes or {}).values()):  # no public way before Python 3.14
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(project: CourseProject, parent: int) -> None:
    global _PROJECT
    _PROJECT = project
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    _die_with(parent)


def _die_with(parent: int) -> None:
    """Never outlive the build: a killed build (SIGKILL) cannot stop its workers itself.

    On Linux the kernel sends SIGKILL to this process when the thread that started it ends
    (workers are started from the main thread, at the first job); if the parent died before
    that was set, it shows as a new parent pid.
    """
    if sys.platform == "linux":
        with suppress(OSError, AttributeError):  # no libc to call: the check below remains
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != parent:
        os._exit(1)
