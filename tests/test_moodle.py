"""The real course's packages in a real Moodle 4.3 (PHP 8.2, PostgreSQL 15) on loopback.

../shared/lms-moodle/ sets Moodle up, imports a zip through Moodle's own PHP API, plays it as a
student in Chromium with our learner hook (tests/moodle/hook_learner.py: the course's own
controls) and prints what Moodle stored. Import settings (the harness's): current window, table
of contents beside the content, grading method "highest grade" out of 100, unlimited attempts,
"mastery score overrides status" (Moodle's default), "Enter" in normal mode. The packages are built
once, from a copy of the repository's course.

Time goes to Moodle's pages and to answering through the controls, so each test proves its own
part: the 1.2 single SCO walks every page (resume, fail, retake), the 2004 single SCO walks every
page once (fail, then a retake), the multi-SCO journey reads its lessons at once (plan `quick`).

The first tests need no Moodle: they pin what the manifests and descriptions must say for it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from builder.cli import main
from builder.interactions import plain_text
from tests.test_scorm_runtime import RESPONSE_12, RESPONSE_2004

REPO = Path(__file__).parent.parent
HARNESS = REPO.parent / "shared" / "lms-moodle"
HOOK = Path(__file__).parent / "moodle" / "hook_learner.py"
# The path that holds every module (course.yml `paths:`): the journeys below walk the whole course
VERSION = re.search(r"^version: *(\S+)", (REPO / "course/course.yml").read_text(encoding="utf-8"), re.M)[1]
NAME = f"bon-sens-numerique-{VERSION}-managers-{{lang}}-{{standard}}{{suffix}}.zip"
needs_moodle = pytest.mark.skipif(not HARNESS.is_dir(), reason=f"no Moodle harness at {HARNESS}")


# ------------------------------------------------------------------------------- packages


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every variant of the real course, built once in a copy (never in the repository)."""
    work = tmp_path_factory.mktemp("moodle")
    course = work / "course"
    for name in ("course", "quizzes"):
        shutil.copytree(REPO / name, course / name)
    shutil.copy(REPO / "mkdocs.yml", course / "mkdocs.yml")
    out = work / "packages"
    out.mkdir()
    for options in ((), ("--multi-sco",)):
        result = CliRunner().invoke(main, ["build", str(course), "--quiet", "--path", "managers", *options])
        assert result.exit_code == 0, result.output
        for package in (course / "dist").glob("*.zip"):
            shutil.copy(package, out / package.name)
    return out


def package(packages: Path, lang: str, standard: str, multi: bool = False) -> Path:
    return packages / NAME.format(lang=lang, standard=standard, suffix="-multisco" if multi else "")


def manifest(path: Path) -> etree._Element:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("imsmanifest.xml"))


# ------------------------------------------------------------------------------- what Moodle parses


def test_2004_single_sco_declares_no_map_info_and_one_passing_measure(packages: Path) -> None:
    """Moodle's parser crashes on any imsss:mapInfo, and hands the SCO the last objective's
    minNormalizedMeasure (1.0 when missing) as cmi.scaled_passing_score."""
    for lang in ("fr", "en"):
        root = manifest(package(packages, lang, "scorm2004"))
        assert not list(root.iter("{*}mapInfo"))
        objectives = [o for tag in ("primaryObjective", "objective") for o in root.iter(f"{{*}}{tag}")]
        assert len(objectives) == 6  # the course's mastery and one per module
        measures = {o.findtext("{*}minNormalizedMeasure") for o in objectives}
        assert measures == {"0.8"}, measures


def test_2004_multi_sco_keeps_map_info_only_where_a_precondition_reads_it(packages: Path) -> None:
    root = manifest(package(packages, "fr", "scorm2004", multi=True))
    items = {item.get("identifier"): item for item in root.iter("{*}item")}
    exam = items.pop("item-final-exam")
    read = {m.get("targetObjectiveID") for m in exam.iter("{*}mapInfo")}
    written = {m.get("targetObjectiveID") for item in items.values() for m in item.iter("{*}mapInfo")}
    assert read == written == {f"global-{name[5:]}" for name in items}
    for item in [exam, *items.values()]:
        objectives = [o for tag in ("primaryObjective", "objective") for o in item.iter(f"{{*}}{tag}")]
        assert {o.findtext("{*}minNormalizedMeasure") for o in objectives} == {"0.8"}


def test_scorm12_declares_no_mastery_score(packages: Path) -> None:
    """With adlcp:masteryscore, Moodle ("mastery score overrides status", its default) turns the
    content's "incomplete" with a score under it into "failed" at LMSFinish, and reopens the activity
    in review mode: a learner with attempts left could not retake the exam."""
    for multi in (False, True):
        assert not list(manifest(package(packages, "fr", "scorm12", multi)).iter("{*}masteryscore"))


def test_descriptions_keep_the_blank_of_a_fill_in() -> None:
    prompt = "Complétez : « L'usage **personnel** ___ d'Internet » (un _seul_ mot, `#1`, a > b | c)"
    assert plain_text(prompt) == "Complétez : « L'usage personnel ___ d'Internet » (un seul mot, #1, a > b | c)"
    assert plain_text("# Title\n> quoted [link](x.html) and ***both*** snake_case") == \
        "Title quoted link and both snake_case"


# ------------------------------------------------------------------------------- the harness


@pytest.fixture(scope="module")
def moodle() -> Path:
    """Moodle set up and running (idempotent: about a second once installed)."""
    result = subprocess.run([str(HARNESS / "setup.sh")], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"Moodle setup failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return HARNESS


def play(target: Path | int, **plan: Any) -> dict[str, Any]:
    """Import a zip (or open activity CMID again) and play it with our learner; Moodle's JSON."""
    what = ["--replay", str(target)] if isinstance(target, int) else [str(target)]
    env = {**os.environ, "BONSENS_MOODLE_PLAN": json.dumps(plan)}
    result = subprocess.run([sys.executable, str(HARNESS / "import_and_play.py"), *what, "--hook", str(HOOK),
                             "--dwell", "0"], capture_output=True, text=True, env=env, timeout=600)
    out = json.loads(result.stdout)
    assert result.returncode == 0, (out.get("import"), out.get("play", {}).get("error"), result.stderr[-3000:])
    imported = out["import"]
    assert imported["ok"] and imported["errors"] == [] and imported["warnings"] == [], imported
    assert [c for c in out["play"]["console"] if c.startswith("pageerror")] == []
    return out


def tracks(out: dict[str, Any], sco: str = "item-course") -> dict[str, str]:
    attempts = out["tracking"]["attempts"]
    assert list(attempts) == ["1"], list(attempts)
    return attempts["1"]["scos"][sco]


def hooks(out: dict[str, Any]) -> list[dict[str, Any]]:
    return [visit["hook_result"] for visit in out["play"]["visited"]]


def calls(out: dict[str, Any], *names: str) -> list[dict[str, Any]]:
    return [c for c in out["play"]["api_log"] if c["fn"] in names]


def interactions(data: dict[str, str], v2004: bool) -> list[dict[str, str]]:
    """Moodle stores 1.2 interactions as cmi.interactions_N.x and 2004 ones as cmi.interactions.N.x."""
    pattern = re.compile(r"^cmi\.interactions[._](\d+)\.(\w+)$")
    found: dict[int, dict[str, str]] = {}
    for key, value in data.items():
        match = pattern.match(key)
        if match:
            found.setdefault(int(match[1]), {})[match[2]] = value
    items = [found[i] for i in sorted(found)]
    for item in items:
        response = item["learner_response" if v2004 else "student_response"]
        assert (RESPONSE_2004 if v2004 else RESPONSE_12)[item["type"]].match(response), item
        assert item["result"] in (("correct", "incorrect") if v2004 else ("correct", "wrong")), item
    if v2004:
        fill_ins = [i["description"] for i in items if i["type"] == "fill-in"]
        # the blank stays (a long scenario's may fall past the 250-character cut)
        assert fill_ins and all("___" in d for d in fill_ins if len(d) < 250), fill_ins
    return items


def objectives(data: dict[str, str], v2004: bool) -> dict[str, str]:
    """Each module objective's status, by id."""
    ids = {k.rsplit(".", 1)[0]: v for k, v in data.items() if re.match(r"^cmi\.objectives[._]\d+\.id$", k)}
    status = ".success_status" if v2004 else ".status"
    return {ident: data.get(prefix + status, "") for prefix, ident in ids.items() if ident != "course-mastery"}


def saved_on_exit(out: dict[str, Any], finish: str) -> None:
    """The SCO's Exit: the LMS accepted the last commit and the end of the session, the learner was told so."""
    last = hooks(out)[-1]
    assert last["exit_notice"] == last["exit_labels"]["lms_exited"]
    assert [c["ret"] for c in calls(out, finish)] == ["true"]
    assert all(c["ret"] == "true" for c in calls(out, "Commit", "LMSCommit"))


def _course() -> dict[str, Any]:
    """The real course's modules and quiz sizes, read from its files: the journeys' counts follow them."""
    course = yaml.safe_load((REPO / "course/course.yml").read_text(encoding="utf-8"))
    sizes = {}
    for module in course["modules"]:
        quiz = yaml.safe_load((REPO / "quizzes" / f"{module['quiz']}.yml").read_text(encoding="utf-8"))
        sizes[module["quiz"]] = len(quiz["questions"])
    return {"modules": [m["id"] for m in course["modules"]], "first": course["modules"][0], "quiz_sizes": sizes}


COURSE = _course()
MODULES = COURSE["modules"]  # the managers' path holds every module
FIRST = COURSE["first"]  # the journey leaves half-way through its quiz, and fails it once
FIRST_QUIZ = FIRST["quiz"]
# every module question once, the first module's quiz failed once more, and the 20 of the exam
FIRST_VISIT_INTERACTIONS = sum(COURSE["quiz_sizes"].values()) + COURSE["quiz_sizes"][FIRST_QUIZ] + 20


# ------------------------------------------------------------------------------- journeys


@needs_moodle
def test_scorm12_single_sco_resume_fail_then_pass(moodle: Path, packages: Path) -> None:
    """Leave half-way through a quiz, come back to it, fail the exam, then pass it on a later visit."""
    first = play(package(packages, "fr", "scorm12"), leave_in=FIRST_QUIZ)
    cmid = first["import"]["cmid"]
    assert first["import"]["version"] == "SCORM_1.2"
    data = tracks(first)
    assert (data["cmi.core.lesson_status"], data["cmi.core.exit"]) == ("incomplete", "suspend")
    assert data["cmi.core.lesson_location"] == f"{FIRST['id']}/{FIRST_QUIZ}.html"
    assert data["cmi.suspend_data"].startswith("B1~")
    half = hooks(first)[0]["quizzes"][0]["answered"]
    assert len(half) == COURSE["quiz_sizes"][FIRST_QUIZ] // 2

    second = play(cmid, exam_correct=10, fail_first=True)
    seen = hooks(second)[0]
    assert seen["landed"] == f"{FIRST['id']}/{FIRST_QUIZ}.html"
    assert list(seen["restored"]["inProgress"][FIRST_QUIZ]["answers"]) == half
    assert set(seen["restored"]["lessons"]) == set(FIRST["lessons"])
    data = tracks(second)
    # failed with attempts left (unlimited): the attempt stays open, the score is recorded
    assert (data["cmi.core.lesson_status"], data["cmi.core.score.raw"]) == ("incomplete", "50")
    assert data["cmi.core.exit"] == "suspend"
    assert second["tracking"]["attempts"]["1"]["moodle_summary"]["item-course"]["status"] == "incomplete"
    assert second["tracking"]["gradebook"]["grade"] == "50.00000"
    assert len(interactions(data, v2004=False)) == FIRST_VISIT_INTERACTIONS
    assert objectives(data, v2004=False) == dict.fromkeys(MODULES, "passed")
    saved_on_exit(second, "LMSFinish")

    third = play(cmid, exam_correct=18, retake=True)
    assert hooks(third)[0]["landed"] == "final-exam/final-exam.html"
    assert third["play"]["visited"][0]["mode"] == "normal"  # not review: the retake counts
    data = tracks(third)
    assert (data["cmi.core.lesson_status"], data["cmi.core.score.raw"], data["cmi.core.exit"]) == ("passed", "90", "")
    assert third["tracking"]["attempts"]["1"]["moodle_summary"]["item-course"]["status"] == "passed"
    assert third["tracking"]["gradebook"]["grade"] == "90.00000"
    assert len(interactions(data, v2004=False)) == FIRST_VISIT_INTERACTIONS + 20  # the exam retaken
    saved_on_exit(third, "LMSFinish")


@needs_moodle
def test_scorm2004_single_sco_fail_then_pass(moodle: Path, packages: Path) -> None:
    """Moodle imports the 2004 package, hands the course's passing score, and records what the course shows."""
    first = play(package(packages, "fr", "scorm2004"), exam_correct=10, fail_first=True)
    assert first["import"]["version"] == "SCORM_1.3"
    assert [c["ret"] for c in calls(first, "GetValue") if c["args"] == ["cmi.scaled_passing_score"]] == ["0.8"]
    data = tracks(first)
    # failed with attempts left: incomplete keeps Moodle's attempt open (it ends on "completed")
    assert (data["cmi.completion_status"], data["cmi.success_status"]) == ("incomplete", "failed")
    assert (data["cmi.score.raw"], data["cmi.score.scaled"], data["cmi.exit"]) == ("50", "0.5", "suspend")
    assert first["tracking"]["gradebook"]["grade"] == "50.00000"
    assert len(interactions(data, v2004=True)) == FIRST_VISIT_INTERACTIONS
    assert objectives(data, v2004=True) == dict.fromkeys(MODULES, "passed")
    assert [c["args"][1] for c in calls(first, "SetValue") if c["args"][0] == "adl.nav.request"] == ["suspendAll"]
    saved_on_exit(first, "Terminate")

    second = play(first["import"]["cmid"], exam_correct=18, retake=True)
    assert second["play"]["visited"][0]["mode"] == "normal"
    assert hooks(second)[0]["landed"] == "final-exam/final-exam.html"
    data = tracks(second)
    assert (data["cmi.completion_status"], data["cmi.success_status"]) == ("completed", "passed")
    assert (data["cmi.score.raw"], data["cmi.score.scaled"], data["cmi.exit"]) == ("90", "0.9", "normal")
    assert second["tracking"]["gradebook"]["grade"] == "90.00000"
    assert not [c for c in calls(second, "SetValue") if c["args"][0] == "adl.nav.request"]
    saved_on_exit(second, "Terminate")


@needs_moodle
def test_scorm12_multi_sco_next_module_and_gradebook(moodle: Path, packages: Path) -> None:
    """One SCO per module: each result's "Next — <module>" saves and hands over to Moodle's menu.
    With "highest grade", Moodle's gradebook shows the best SCO score, a module quiz's, not the exam's."""
    out = play(package(packages, "en", "scorm12", multi=True), exam_correct=18, quick=True)
    visits = hooks(out)
    assert [v["role"] for v in visits] == ["module"] * 5 + ["exam"]
    for visit in visits[:5]:
        assert visit["exit_notice"] == visit["exit_labels"]["lms_exited"]  # left through "Next — …"
    attempt = out["tracking"]["attempts"]["1"]
    for module in MODULES:
        data = attempt["scos"][f"item-{module}"]
        assert (data["cmi.core.lesson_status"], data["cmi.core.score.raw"]) == ("passed", "100")
        interactions(data, v2004=False)
    exam = attempt["scos"]["item-final-exam"]
    assert (exam["cmi.core.lesson_status"], exam["cmi.core.score.raw"]) == ("passed", "90")
    assert len(interactions(exam, v2004=False)) == 20
    assert [c["ret"] for c in calls(out, "LMSFinish")] == ["true"] * 6
    assert out["tracking"]["gradebook"]["grade"] == "100.00000"  # README: choose the single SCO for the exam's score


@needs_moodle
def test_a_learning_path_package_plays_to_passed(moodle: Path, tmp_path: Path) -> None:
    """A path's package (the mini course's `core`: lesson l1 and an exam drawing 1 of the 2 questions
    on it) imports cleanly and plays to passed through its own next links; Moodle stores only the
    path's module and questions."""
    from tests.test_paths_packages import name, with_paths

    root = with_paths(tmp_path / "mini")
    result = CliRunner().invoke(main, ["build", str(root), "--quiet", "--scorm12", "--path", "core"])
    assert result.exit_code == 0, result.output
    out = play(root / "dist" / name("core", "fr", "scorm12"))
    assert hooks(out)[0]["pages"][:2] == ["index.html", "m1/l1.html"]
    data = tracks(out)
    assert (data["cmi.core.lesson_status"], data["cmi.core.score.raw"]) == ("passed", "100")
    assert objectives(data, v2004=False) == {"m1": "completed"}  # read; its quiz is not in this path
    asked = [item["id"] for item in interactions(data, v2004=False)]
    assert len(asked) == 1 and asked[0].endswith(("exam-1", "exam-3")), asked
    assert out["tracking"]["gradebook"]["grade"] == "100.00000"
    saved_on_exit(out, "LMSFinish")


@needs_moodle
@pytest.mark.parametrize(("lang", "standard", "multi"), [
    (lang, standard, multi) for lang in ("fr", "en") for standard in ("scorm12", "scorm2004") for multi in (False, True)
    if not (standard == "scorm2004" and multi)])  # refused, as the next test shows
def test_every_variant_imports_without_error_or_warning(moodle: Path, packages: Path, lang: str, standard: str,
                                                        multi: bool) -> None:
    """The journeys play one language of each layout; every other variant must import just as cleanly."""
    result = subprocess.run([sys.executable, str(HARNESS / "import_and_play.py"),
                             str(package(packages, lang, standard, multi)), "--no-play"],
                            capture_output=True, text=True, timeout=300)
    imported = json.loads(result.stdout)["import"]
    assert imported["ok"] and imported["errors"] == [] and imported["warnings"] == [], imported
    assert imported["version"] == ("SCORM_1.2" if standard == "scorm12" else "SCORM_1.3")
    launchable = [item for item in imported["items"] if item.get("launch")]
    assert len(launchable) == (1 if not multi else 6), [item.get("identifier") for item in imported["items"]]


@needs_moodle
def test_scorm2004_multi_sco_with_a_locked_exam_is_not_for_moodle(moodle: Path, packages: Path) -> None:
    """The exam opens after the modules through global objectives (imsss:mapInfo), which Moodle
    4.3's parser cannot read: the import fails, as README and `bonsens build` say."""
    result = subprocess.run([sys.executable, str(HARNESS / "import_and_play.py"),
                             str(package(packages, "fr", "scorm2004", multi=True)), "--no-play"],
                            capture_output=True, text=True, timeout=300)
    imported = json.loads(result.stdout)["import"]
    assert not imported["ok"]
    assert any("mapinfos" in error for error in imported["errors"]), imported["errors"]
