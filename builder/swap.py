"""Putting a finished build in place: the new site/ and packages together, or neither.

The build writes everything aside first (.bonsens/site.building, .bonsens/dist.building). Then
each output is swapped in with a rename, after what it replaces has been moved to
.bonsens/previous/ and listed in a journal there. The previous outputs are deleted only once
every new one is in and the build state is written. If a step fails, the journal puts every
previous output back, so "the previous outputs are untouched" stays true; if the process dies
mid-swap (SIGKILL, power cut), the next build does the same before anything else. SIGINT and
SIGTERM wait for the swap to end: they cannot split it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

PREVIOUS = Path(".bonsens") / "previous"
JOURNAL = "journal.json"
UNTOUCHED = "The previous site/ and dist/ are untouched."


class SwapError(Exception):
    """The new outputs could not be put in place; `state` says truthfully what site/ and dist/ hold."""

    def __init__(self, reason: str, hint: str, state: str = UNTOUCHED) -> None:
        super().__init__(reason)
        self.reason, self.hint, self.state = reason, hint, state


def put_in_place(root: Path, staging_site: Path | None, staging_dist: Path, names: list[str],
                 then: Callable[[], None], stale: list[str] | None = None) -> None:
    """Swap the staged site (if any) and the packages `names` into site/ and dist/, all or none.

    `stale` names earlier packages that this build does not make: they leave dist/ in the same
    swap, so that dist/ holds what the site's HR page offers. `then` runs once everything is in
    (it records the build state); if it fails, the swap is undone too. Other files in dist/ stay.
    """
    stale = [name for name in stale or [] if name not in names]
    check_swappable(root, names)
    restore_interrupted_swap(root)  # an earlier swap cut short: its outputs come back first
    site, dist, previous = root / "site", root / "dist", root / PREVIOUS
    journal = {"site": os.path.lexists(site) if staging_site else None, "dist": dist.is_dir(),
               "packages": {name: os.path.lexists(dist / name) for name in [*names, *stale]}}
    with _signals_held():
        try:
            _write_journal(previous, journal)
            if staging_site is not None:
                _move_aside(site, previous / "site")
                staging_site.rename(site)
            dist.mkdir(exist_ok=True)
            for name in sorted(names):
                _move_aside(dist / name, previous / "dist" / name)
                (staging_dist / name).rename(dist / name)
            for name in sorted(stale):
                _move_aside(dist / name, previous / "dist" / name)
            then()
            (previous / JOURNAL).unlink()  # from here, what previous/ holds is garbage
        except BaseException as error:  # an interruption delivered through another thread, too
            problems = _restore(root)
            if problems or isinstance(error, OSError):
                raise _failed(error, problems) from error
            raise
    shutil.rmtree(previous, ignore_errors=True)


def check_swappable(root: Path, names: list[str]) -> None:
    """Refuse before anything moves when a swap could not complete (a file named dist, say)."""
    dist = root / "dist"
    if os.path.lexists(dist) and not dist.is_dir():
        raise SwapError("cannot put the packages in dist/: 'dist' is a file, not a folder",
                        "rename or remove the file 'dist', then build again")
    for name in names:
        if (dist / name).is_dir() and not (dist / name).is_symlink():
            raise SwapError(f"cannot put dist/{name} in place: a folder has that name",
                            f"rename or remove the folder dist/{name}, then build again")
    for folder in (root, dist):
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
            where = folder.relative_to(root).as_posix() + "/" if folder != root else "the course folder"
            raise SwapError(f"cannot replace the outputs: {where} is not writable",
                            f"give yourself write permission on {where} (chmod u+w), then build again")


def restore_interrupted_swap(root: Path) -> None:
    """Undo a swap that a killed build left half done, so site/ and dist/ match again."""
    if not (root / PREVIOUS).exists():
        return
    problems = _restore(root)
    if problems:
        raise SwapError("a previous build was stopped while replacing the outputs, and its previous "
                        "outputs could not all be put back: " + "; ".join(problems),
                        f"move them back by hand from {PREVIOUS.as_posix()}/, or delete site/, dist/ "
                        "and .bonsens/, then build again",
                        state="Nothing was built. Everything else is as it was before the stopped build.")


def _failed(error: BaseException, problems: list[str]) -> SwapError:
    reason = f"could not put the new outputs in place: {_describe(error)}"
    if not problems:
        return SwapError(reason, "check that site/ and dist/ can be written, then build again")
    return SwapError(reason, f"move them back by hand from {PREVIOUS.as_posix()}/, or run `bonsens build` "
                             "again: it puts them back first",
                     state="Putting the previous outputs back failed too: " + "; ".join(problems)
                           + ". Everything else is as it was before this build.")


def _restore(root: Path) -> list[str]:
    """Put back every previous output the journal lists; what could not be, said plainly.

    Without a journal nothing was moved yet (or the swap was complete): previous/ is dropped.
    """
    previous = root / PREVIOUS
    journal = _read_journal(previous)
    problems: list[str] = []
    if journal is not None:
        for name, existed in journal["packages"].items():
            problems += _put_back(root, previous / "dist" / name if existed else None, Path("dist", name))
        if journal["site"] is not None:
            problems += _put_back(root, previous / "site" if journal["site"] else None, Path("site"))
        if not journal["dist"] and not problems:
            _remove_if_empty(root / "dist")
    if not problems:
        shutil.rmtree(previous, ignore_errors=True)
    return problems


def _put_back(root: Path, old: Path | None, output: Path) -> list[str]:
    """Make `output` what it was before the swap: `old` moved back, or nothing if there was nothing.

    Returns what went wrong, with where each version now is.
    """
    if old is not None and not os.path.lexists(old):
        return []  # never moved aside: it is still the previous one
    target, name = root / output, output.as_posix()
    kept = f"; the previous one is in {old.relative_to(root).as_posix()}" if old else ""
    try:
        _discard(target, root / PREVIOUS / "new")
    except OSError as error:
        return [f"{name} is still the new one{kept} ({_describe(error)})"]
    if old is not None:
        try:
            old.rename(target)
        except OSError as error:
            return [f"{name} is missing{kept} ({_describe(error)})"]
    return []


def _discard(path: Path, aside: Path) -> None:
    """Remove `path` in one step (a rename), whatever is then left to delete."""
    if os.path.lexists(path):
        shutil.rmtree(aside, ignore_errors=True)
        aside.parent.mkdir(parents=True, exist_ok=True)
        path.rename(aside)
        if aside.is_dir() and not aside.is_symlink():
            shutil.rmtree(aside, ignore_errors=True)
        else:
            aside.unlink(missing_ok=True)


def _move_aside(path: Path, to: Path) -> None:
    if os.path.lexists(path):
        to.parent.mkdir(parents=True, exist_ok=True)
        path.rename(to)


def _remove_if_empty(folder: Path) -> None:
    with suppress(OSError):  # not empty (other files were there), or already gone
        folder.rmdir()


def _write_journal(previous: Path, journal: dict) -> None:
    """Written whole or not at all: a journal cut in half would put back the wrong things."""
    previous.mkdir(parents=True, exist_ok=True)
    partial = previous / (JOURNAL + ".partial")
    partial.write_text(json.dumps(journal), encoding="utf-8")
    partial.replace(previous / JOURNAL)


def _read_journal(previous: Path) -> dict | None:
    try:
        return json.loads((previous / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error) or type(error).__name__


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends, so that they cannot split a swap.

    One that comes meanwhile is dropped: the build is then complete and ends at once anyway.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        for signum in signal.sigpending() & held:
            signal.sigtimedwait([signum], 0)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
