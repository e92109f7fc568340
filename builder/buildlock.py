"""One build of a course at a time: an editor's save hook and a terminal must not interleave.

Two builds in the same folder share `.bonsens/` (staging, state) and swap into the same site/ and
dist/; interleaved, one removes what the other is writing. The lock is an advisory `flock` on
`.bonsens/build.lock`, held from the "nothing changed?" check to the swap. The kernel releases
it when its holder exits, however it exits: a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = Path(".bonsens") / "build.lock"
LOCK_TIMEOUT = 600.0  # seconds a build waits for another one: far above any real build's time
POLL_INTERVAL = 0.1


class LockTimeout(Exception):
    """Another build held the lock for longer than we wait."""

    def __init__(self, holder: str, waited: float) -> None:
        super().__init__(f"another build of this course ({holder}) has been running for over {waited:.0f} s")
        self.holder, self.waited = holder, waited


@contextmanager
def build_lock(root: Path, on_wait: Callable[[str], None] = lambda holder: None,
               timeout: float | None = None) -> Iterator[None]:
    """Hold the course's build lock for the duration of the block.

    If another build holds it, `on_wait` is told who ("pid N") once, and we wait for it to end,
    up to `timeout` seconds (LOCK_TIMEOUT by default), then raise LockTimeout.
    """
    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as lock:  # "a+": opening must not erase the holder's pid
        _acquire(lock.fileno(), path, on_wait, LOCK_TIMEOUT if timeout is None else timeout)
        try:
            lock.truncate(0)
            lock.write(str(os.getpid()))
            lock.flush()
            yield
        finally:
            lock.truncate(0)
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _acquire(fd: int, path: Path, on_wait: Callable[[str], None], timeout: float) -> None:
    """Take the lock, waiting (by polling, so that Ctrl-C and SIGTERM stay prompt) up to `timeout`."""
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = _holder(path)
            if not told:
                on_wait(holder)
                told = True
            if time.monotonic() >= deadline:
                raise LockTimeout(holder, timeout) from None
            time.sleep(POLL_INTERVAL)


def _holder(path: Path) -> str:
    """Who holds the lock, as the holder wrote it ("pid N"), for the trainer to find or stop it."""
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        pid = ""
    return f"pid {pid}" if pid.isdigit() else "pid unknown"
