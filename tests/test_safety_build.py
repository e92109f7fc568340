"""Builds that cannot corrupt each other: a lock, a swap of site/ and dist/ together, no orphans.

Two builds at once in the same folder, a swap that fails half-way, a build killed mid-way: the
outputs are always one whole build (the previous or the new one), every message says truly
which, and no worker process outlives its build. `--json` answers every outcome in JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html

import builder.buildlock
import builder.packages.jobs
from builder.buildlock import build_lock
from builder.cli import main
from builder.swap import PREVIOUS, restore_interrupted_swap

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
BONSENS = Path(sys.executable).parent / "bonsens"
LESSON = "course/lessons/m1/l2.yml"
PACKAGES = sorted(f"mini-course-1.0.0-{lang}-{standard}.zip" for lang in ("fr", "en")
                  for standard in ("scorm12", "scorm2004", "cmi5"))


def build(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", str(root), *args])
    return result.exit_code, result.output, result.stdout


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def outputs(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    return tree_digest(root / "site"), tree_digest(root / "dist")


def set_lesson_text(root: Path, text: str) -> None:
    """Change one English sentence of a lesson: every build after it has work to do."""
    lesson = root / LESSON
    source = lesson.read_text(encoding="utf-8")
    start = source.index("en: Next.")
    end = source.index("\n", start)
    lesson.write_text(source[:start] + f"en: Next. {text}" + source[end:], encoding="utf-8")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A copy of the mini course, built once, then edited so that the next build has work to do."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURE, root)
    code, output, _ = build(root)
    assert code == 0, output
    set_lesson_text(root, "Edited.")
    return root


def assert_complete(root: Path, pages: set[str], text: str) -> None:
    """site/ has every page, parsing, with the latest text; dist/ has every package, valid."""
    assert {p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("*.html")} == pages
    index = html.fromstring((root / "site" / "index.html").read_bytes())
    assert index.find(".//body") is not None and index.findtext(".//title")
    assert any(text in page.read_text(encoding="utf-8") for page in (root / "site" / "en").rglob("*.html"))
    assert sorted(p.name for p in (root / "dist").iterdir()) == PACKAGES
    for package in PACKAGES:
        with zipfile.ZipFile(root / "dist" / package) as archive:
            manifest = "cmi5.xml" if package.endswith("-cmi5.zip") else "imsmanifest.xml"
            assert archive.testzip() is None and manifest in archive.namelist()
    assert not (root / PREVIOUS).exists()


# --------------------------------------------------------------------------- two builds at once


def test_two_builds_at_once_never_corrupt_the_outputs(built: Path) -> None:
    """An editor's save hook and a terminal: one build waits for the other, and says so."""
    pages = {p.relative_to(built / "site").as_posix() for p in (built / "site").rglob("*.html")}
    waited = []
    for round_ in range(3):
        set_lesson_text(built, f"Round {round_}.")
        runs = [subprocess.Popen([str(BONSENS), "build", str(built)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for run in runs:
            stdout, stderr = run.communicate(timeout=300)
            assert run.returncode == 0, stdout + stderr
            assert "Traceback" not in stderr
            if "waiting for another build of this course (pid " in stderr:
                waited.append(stderr)
        assert_complete(built, pages, f"Round {round_}.")
    assert waited, "the second build of a round should have waited for the first"


def test_a_build_that_cannot_get_the_lock_gives_up_clearly(built: Path, monkeypatch) -> None:
    site, dist = outputs(built)
    monkeypatch.setattr(builder.buildlock, "LOCK_TIMEOUT", 0.3)
    with build_lock(built):  # another build (this process) holds it
        code, output, _ = build(built)
        assert code == 1
        assert f"waiting for another build of this course (pid {os.getpid()})…" in output
        assert f"error: another build of this course (pid {os.getpid()}) has been running for over 0 s" in output
        assert "hint: wait for it to end, or stop it" in output
        code, _, stdout = build(built, "--json")
        assert code == 1
        answer = json.loads(stdout)
        assert answer["ok"] is False and answer["reason"] == "locked" and str(os.getpid()) in answer["message"]
    assert outputs(built) == (site, dist)
    assert build(built)[0] == 0  # released: the next build goes through


# --------------------------------------------------------------------------- the swap


@pytest.mark.parametrize("obstacle", ["dist is a file", "a package's name is a folder"])
def test_a_swap_that_cannot_happen_leaves_both_outputs_as_they_were(built: Path, obstacle: str) -> None:
    if obstacle == "dist is a file":
        shutil.rmtree(built / "dist")
        (built / "dist").write_text("not a folder", encoding="utf-8")
        expected = "error: cannot put the packages in dist/: 'dist' is a file, not a folder"
    else:
        (built / "dist" / PACKAGES[1]).unlink()
        (built / "dist" / PACKAGES[1]).mkdir()
        (built / "dist" / PACKAGES[1] / "keep.txt").write_text("mine", encoding="utf-8")
        expected = f"error: cannot put dist/{PACKAGES[1]} in place: a folder has that name"
    site = tree_digest(built / "site")
    dist = (built / "dist").read_bytes() if (built / "dist").is_file() else tree_digest(built / "dist")
    code, output, _ = build(built)
    assert code == 1
    assert expected in output and "hint: rename or remove" in output
    assert "The previous site/ and dist/ are untouched." in output
    assert tree_digest(built / "site") == site
    assert ((built / "dist").read_bytes() if (built / "dist").is_file() else tree_digest(built / "dist")) == dist
    assert not (built / ".bonsens" / "site.building").exists() and not (built / PREVIOUS).exists()


def fail_renames(monkeypatch, *failing: tuple[Path, int]) -> list[Path]:
    """Make the n-th Path.rename onto each given path fail, as a full or read-only disk would;
    return every target it was asked for."""
    real = Path.rename
    asked: list[Path] = []

    def rename(self: Path, target: Path) -> Path:
        asked.append(Path(target))
        if (Path(target), asked.count(Path(target))) in failing:
            raise OSError(30, "Read-only file system", str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    return asked


def test_a_package_swap_that_fails_puts_the_previous_site_back(built: Path, monkeypatch) -> None:
    """The site is already swapped in, and two packages, when the third package fails."""
    site, dist = outputs(built)
    asked = fail_renames(monkeypatch, (built / "dist" / PACKAGES[2], 1))
    code, output, _ = build(built)
    assert code == 1, output
    assert built / "site" in asked and built / "dist" / PACKAGES[1] in asked
    assert f"error: could not put the new outputs in place: Read-only file system: {built}/dist/" in output
    assert "The previous site/ and dist/ are untouched." in output
    assert outputs(built) == (site, dist)
    assert not (built / PREVIOUS).exists() and not (built / ".bonsens" / "dist.building").exists()
    monkeypatch.undo()
    code, output, _ = build(built)
    assert code == 0 and "nothing changed" not in output  # the failed build's state was not recorded


def test_a_rollback_that_fails_says_what_state_the_outputs_are_in(built: Path, monkeypatch) -> None:
    site, dist = outputs(built)
    # the third package fails, then the second rename onto site/: the previous site's way back
    fail_renames(monkeypatch, (built / "dist" / PACKAGES[2], 1), (built / "site", 2))
    code, output, _ = build(built)
    assert code == 1
    assert "untouched" not in output
    assert ("Putting the previous outputs back failed too: site is missing; the previous one is in "
            ".bonsens/previous/site (Read-only file system") in output
    assert "Everything else is as it was before this build." in output
    assert "hint: move them back by hand from .bonsens/previous/, or run `bonsens build` again" in output
    assert not (built / "site").exists() and tree_digest(built / PREVIOUS / "site") == site
    assert tree_digest(built / "dist") == dist
    monkeypatch.undo()
    restore_interrupted_swap(built)  # what the next build does first
    assert outputs(built) == (site, dist)


def test_a_build_killed_during_the_swap_is_undone_by_the_next_one(built: Path) -> None:
    """SIGKILL between "site swapped" and "state written": the next build puts the previous back."""
    site, dist = outputs(built)
    killed = subprocess.run(
        [sys.executable, "-c", "import os, builder.build as b; b.write_state = lambda *a: os._exit(9); "
                               f"from builder.cli import main; main(['build', {str(built)!r}])"],
        capture_output=True, text=True, timeout=300)
    assert killed.returncode == 9, killed.stderr
    assert tree_digest(built / "site") != site  # cut off in the middle: new outputs, old state
    restore_interrupted_swap(built)
    assert outputs(built) == (site, dist)
    assert not (built / PREVIOUS).exists()


# --------------------------------------------------------------------------- signals and workers


def _children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (read from /proc: no psutil here)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie is dead: only its exit status waits to be read


@pytest.mark.skipif(sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
                    reason="worker processes need Linux and two cores")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_build_leaves_no_worker_and_the_outputs_intact(built: Path, signum: int) -> None:
    site, dist = outputs(built)
    run = subprocess.Popen([str(BONSENS), "build", str(built)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    workers: set[int] = set()
    while not workers and run.poll() is None:  # the worker starts with the first job
        workers = _children(run.pid)
        time.sleep(0.01)
    assert workers, "the build ended before its worker started"
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=60)
    deadline = time.monotonic() + 3
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "a worker outlived its build"
    assert outputs(built) == (site, dist)
    if signum == signal.SIGTERM:  # handled as Ctrl-C is: cleaned up, said, non-zero
        assert run.returncode == 128 + signal.SIGTERM
        assert "Traceback" not in stderr and "The previous site/ and dist/ are untouched." in stderr
        assert not (built / ".bonsens" / "site.building").exists()
        assert not (built / ".bonsens" / "dist.building").exists()
    code, output, _ = build(built)
    assert code == 0, output  # and the next build is not hindered by what was left


# --------------------------------------------------------------------------- --json, whatever happens


def test_build_json_reports_course_errors_as_objects(built: Path) -> None:
    quiz = built / "quizzes/q1.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("passing_score: 80", "passing_score: 800"),
                    encoding="utf-8")
    run = subprocess.run([str(BONSENS), "build", str(built), "--json"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    answer = json.loads(run.stdout)
    assert answer["ok"] is False and answer["reason"] == "course-errors"
    assert {"path": "quizzes/q1.yml", "line": 6, "column": 16, "severity": "error",
            "message": "'passing_score' must be at most 100, not 800"}.items() <= answer["diagnostics"][0].items()
    assert set(answer["diagnostics"][0]) == {"path", "line", "column", "severity", "message", "hint", "code"}
    assert "untouched" in answer["outputs"]


@pytest.mark.parametrize(("failure", "reason", "exit_code"), [
    (RuntimeError("disk full"), "build-failed", 1),
    (KeyboardInterrupt(), "interrupted", 130),
])
def test_build_json_reports_a_failed_or_interrupted_build(built: Path, monkeypatch, failure: BaseException,
                                                          reason: str, exit_code: int) -> None:
    site, dist = outputs(built)

    def failing_package(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(builder.packages.jobs, "build_scorm_package", failing_package)
    code, _, stdout = build(built, "--json")
    assert code == exit_code
    answer = json.loads(stdout)
    assert answer["ok"] is False and answer["reason"] == reason
    assert answer["outputs"] == "The previous site/ and dist/ are untouched."
    assert outputs(built) == (site, dist)


def test_build_json_success_says_ok(built: Path) -> None:
    code, _, stdout = build(built, "--json")
    assert code == 0 and json.loads(stdout)["ok"] is True
