"""The real course's `essentiel` cmi5 package, judged by ADL's cmi5 Content Test Suite after a learner plays it.

tests/test_cmi5_packages.py proves the runtime on the mini course; this one plays the package HR would
import: « Bon sens numérique au travail — L'essentiel » in French, in the real stack of ../shared/lms-cmi5
(tests/cmi5/README.md). The learner goes as a person would, from « Commencer » through each lesson's
« next » link to the exam, whose 10 questions are drawn from the path's pool of 20; one learner reads
everything and passes, another leaves mid-exam and comes back to the same drawn questions and answers.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.cmi5.stack import VERB, Cmi5, Run, verbs
from tests.learner import answer_question
from tests.test_cmi5_packages import FRENCH, MASTERY, Learner, check_context, ours, page_errors

pytest_plugins = ["tests.cmi5.fixtures"]

REPO = Path(__file__).parent.parent
EXAM = "final-exam/final-exam.html"
LEFT_AFTER = 4  # questions the leaving learner answers before closing the tab

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")


# ------------------------------------------------------------------------------- the package


@pytest.fixture(scope="module")
def essentiel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French cmi5 package of the `essentiel` path, built in a copy of the course (never in the repository)."""
    course = tmp_path_factory.mktemp("course") / "bon-sens"
    for name in ("course", "quizzes"):
        shutil.copytree(REPO / name, course / name)
    shutil.copy(REPO / "mkdocs.yml", course / "mkdocs.yml")
    result = CliRunner().invoke(main, ["build", str(course), "--cmi5", "--path", "essentiel", "--quiet"])
    assert result.exit_code == 0, result.output
    (package,) = (course / "dist").glob("bon-sens-numerique-*-essentiel-fr-cmi5.zip")
    return package


def launch_config(package: Path) -> dict[str, Any]:
    """The launch page's configuration: the path's lessons and its exam's pool of questions."""
    with zipfile.ZipFile(package) as archive:
        page = archive.read("sco-course.html").decode("utf-8")
    found = re.search(r'<script type="application/json" id="bs-sco">(.*?)</script>', page, re.S)
    assert found, "no configuration in sco-course.html"
    return dict(json.loads(found[1]))


# ------------------------------------------------------------------------------- the learner


def follow(learner: Learner, tab: Any) -> str:
    """Click the page's way on (« Commencer » at home, else « next ») and wait for that page; its path."""
    before = learner.location()
    link = ".bs-home-start" if before.endswith("index.html") else ".bs-next-link"
    learner.content().locator(link).click()
    tab.wait_for_function("old => window.BonSensSCOInternals.session.location !== old", arg=before, timeout=15_000)
    learner.wait_for_page()
    return learner.location()


def read_to_the_exam(learner: Learner, tab: Any) -> list[str]:
    """From the home page, « Commencer », then each lesson read to its end and its « next » link, up to the exam;
    the lessons read, in order."""
    read: list[str] = []
    while follow(learner, tab) != EXAM:
        frame = learner.content()
        lesson = frame.get_attribute(".bs-lesson-end", "data-lesson-id")
        frame.evaluate("document.querySelector('.bs-lesson-end').scrollIntoView()")
        tab.wait_for_function("id => window.BonSensSCOInternals.session.state.lessons[id] === true",
                              arg=lesson, timeout=10_000)
        read.append(lesson)
    return read


def shown_questions(learner: Learner) -> list[str]:
    """The exam's questions as drawn for this attempt, in the order shown."""
    frame = learner.content()
    frame.wait_for_selector("fieldset.bs-question:not([disabled])")
    return list(frame.locator("fieldset.bs-question").evaluate_all("els => els.map(e => e.dataset.questionId)"))


def exam_data(learner: Learner) -> dict[str, Any]:
    return dict(learner.content().evaluate("JSON.parse(document.querySelector('script.bs-quiz-data').textContent)"))


def answer_all_but(learner: Learner, done: list[str]) -> None:
    """Answer rightly every question shown but those already answered (a second click would undo them)."""
    frame = learner.content()
    questions = {q["id"]: q for q in exam_data(learner)["questions"]}
    for fieldset in frame.locator("fieldset.bs-question").all():
        question_id = fieldset.get_attribute("data-question-id")
        if question_id not in done:
            answer_question(frame, fieldset, questions[question_id], correct=True, keyboard=False)


def answered(run: Run) -> list[dict[str, Any]]:
    return [s for s in ours(run) if s["verb"]["id"] == VERB + "answered"]


# ------------------------------------------------------------------------------- passed


def test_a_learner_who_reads_every_lesson_and_passes_the_exam_is_rated_conformant(cmi5: Cmi5, browser: Any,
                                                                                   essentiel: Path) -> None:
    config = launch_config(essentiel)
    seen: dict[str, Any] = {}

    def drive(tab: Any) -> None:
        learner = Learner(tab)
        seen["start"] = learner.location()
        seen["read"] = read_to_the_exam(learner, tab)
        seen["drawn"] = shown_questions(learner)
        seen["exam"] = exam_data(learner)
        learner.answer(correct=True)
        learner.submit()
        seen["summary"] = learner.content().inner_text(".bs-summary")
        learner.exit()

    run = cmi5.run(browser, essentiel, drive, language=FRENCH)
    verdict = run.verdict
    assert (verdict.result, verdict.au_results, verdict.violated_req_ids) == ("conformant", ["conformant"], []), \
        str(verdict)
    assert verdict.logs[-1]["summary"] == "Return URL loaded"  # Exit took the learner back to the LMS
    assert page_errors(run) == []
    assert seen["start"] == "index.html"
    assert seen["read"] == config["lessons"]  # every lesson of the path, in its order, by its links
    pool = [q["id"] for q in seen["exam"]["questions"]]
    assert len(seen["drawn"]) == seen["exam"]["draw"] < len(pool)  # a draw from the path's pool
    assert set(seen["drawn"]) <= set(pool) == set(config["questions"])
    assert "100" in seen["summary"]

    mine = ours(run)
    assert verbs(mine) == ["initialized", *["answered"] * 10, "completed", "passed", "terminated"]
    assert run.verbs.count("satisfied") == 1
    assert run.verbs.index("completed") < run.verbs.index("satisfied") < run.verbs.index("terminated")
    for statement in mine:
        check_context(statement, run.launch)
    passed = mine[-2]
    assert passed["result"]["success"] is True
    assert passed["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    assert passed["context"]["extensions"][MASTERY] == 0.8  # the path's exam: 80 %

    question = run.launch.activity_id + "/question/"
    answers = answered(run)
    assert sorted(s["object"]["id"] for s in answers) == sorted(question + q for q in seen["drawn"])
    assert all(s["result"]["success"] is True and s["result"]["response"] for s in answers)
    assert all(s["object"]["definition"]["description"]["fr"] for s in answers)


# ------------------------------------------------------------------------------- resume


def test_a_learner_who_leaves_mid_exam_comes_back_to_the_same_questions_and_answers(cmi5: Cmi5, browser: Any,
                                                                                    essentiel: Path) -> None:
    test = cmi5.new_test(essentiel, language=FRENCH)
    first = cmi5.cts.launch(test)
    left: dict[str, Any] = {}

    def leave(tab: Any) -> None:
        learner = Learner(tab)
        left["read"] = read_to_the_exam(learner, tab)
        left["drawn"] = shown_questions(learner)
        left["answers"] = learner.answer(correct=True, count=LEFT_AFTER)
        held = None
        deadline = time.monotonic() + 30  # answers are saved soon, not at each click
        while time.monotonic() < deadline:
            held = cmi5.lrs.state(first, "bonsens")
            if held and len(held["state"]["inProgress"].get("final-exam", {}).get("answers", {})) == LEFT_AFTER:
                break
            time.sleep(0.5)
        left["held"] = held
        left["state"] = learner.state()

    cmi5.play(browser, first, leave, ends=False)
    assert left["held"] and left["held"]["location"] == EXAM, left["held"]
    second = cmi5.cts.launch(test)
    back: dict[str, Any] = {}

    def come_back(tab: Any) -> None:
        learner = Learner(tab)
        back["location"] = learner.location()
        back["state"] = learner.state()
        back["drawn"] = shown_questions(learner)
        back["filled"] = learner.content().evaluate("""() => Array.from(document.querySelectorAll(
            'fieldset.bs-question')).filter(f => Array.from(f.querySelectorAll('input, select')).some(i =>
            i.type === 'text' || i.tagName === 'SELECT' ? i.value !== '' : i.checked))
            .map(f => f.dataset.questionId)""")
        answer_all_but(learner, left["answers"])
        learner.submit()
        learner.exit()

    run = cmi5.outcome(second, cmi5.play(browser, second, come_back))
    assert back["location"] == EXAM
    assert back["state"]["lessons"] == {lesson: True for lesson in left["read"]}
    assert back["drawn"] == left["drawn"]  # the same draw, in the same order
    assert back["state"]["inProgress"]["final-exam"]["answers"] == left["state"]["inProgress"]["final-exam"]["answers"]
    assert back["filled"] == left["answers"]  # shown answered, and only those (no ordering in this exam)

    verdict = run.verdict
    assert (verdict.result, verdict.violated_req_ids) == ("conformant", []), str(verdict)
    # The first session ended when its tab closed (pagehide): terminated, not abandoned; nothing answered then
    assert run.verbs[:3] == ["launched", "initialized", "terminated"]
    second_session = ours(run)[2:]
    assert verbs(second_session) == ["initialized", *["answered"] * 10, "completed", "passed", "terminated"]
    assert second_session[-2]["result"]["score"]["scaled"] == 1
    question = run.launch.activity_id + "/question/"
    assert sorted(s["object"]["id"] for s in answered(run)) == sorted(question + q for q in left["drawn"])
