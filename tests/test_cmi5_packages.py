"""Our cmi5 packages, judged by ADL's cmi5 Content Test Suite after a learner plays them.

The mini course is built with `bonsens build --cmi5`; each package is imported into the real stack
of ../shared/lms-cmi5 (ADL's LRS, cmi5 player and CTS, tests/cmi5/README.md) and played in Chromium
through its own UI: pages read, quizzes failed and passed, Exit. The CTS rates each registration;
the statements are read back from the LRS. A variant patched by the test to send `passed` under the
mastery score must be rated non-conformant: the verdict is known to be able to fail.
"""

from __future__ import annotations

import re
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from builder.cli import main
from builder.labels import labels_for
from tests.cmi5.stack import HARNESS, VERB, Cmi5, Launch, Run, verbs
from tests.learner import answer_shown, submit_quiz

pytest_plugins = ["tests.cmi5.fixtures"]

MINI = Path(__file__).parent / "fixtures" / "mini"
SCHEMA = HARNESS.parent / "scorm-schemas" / "cmi5" / "CourseStructure.xsd"
CMI5_NS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
PLAYER_VERBS = {"launched", "satisfied", "abandoned", "waived"}  # the LMS's own statements
DURATION = re.compile(r"^PT\d+(\.\d{1,2})?S$")
# The CTS gives every new registration the preference "en-US,fr-FR,fr-BE": the French journeys ask for French
FRENCH = "fr-FR,en-US"
Q1 = ["q1-single", "q1-multiple", "q1-tf", "q1-match", "q1-order", "q1-fill"]

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")


# ------------------------------------------------------------------------------- packages


def build_cmi5(root: Path) -> Path:
    shutil.copytree(MINI, root)
    result = CliRunner().invoke(main, ["build", str(root), "--cmi5", "--quiet"])
    assert result.exit_code == 0, result.output
    return root / "dist"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cmi5(tmp_path_factory.mktemp("cmi5") / "mini")


def package(dist: Path, lang: str = "fr") -> Path:
    return dist / f"mini-course-1.0.0-{lang}-cmi5.zip"


def course_structure(zip_path: Path) -> etree._Element:
    with zipfile.ZipFile(zip_path) as archive:
        return etree.fromstring(archive.read("cmi5.xml"))


@pytest.fixture(scope="module")
def broken(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French package whose runtime sends `passed` with half the score it earned: under 0.8."""
    source = package(dist)
    target = tmp_path_factory.mktemp("broken") / source.name
    patch = ("(function(){var f=window.fetch;window.fetch=function(u,o){if(o&&typeof o.body==='string'&&"
             "o.body.indexOf('verbs/passed')>=0){var b=JSON.parse(o.body);(Array.isArray(b)?b:[b]).forEach("
             "function(s){if(/passed$/.test(s.verb.id))s.result.score={scaled:0.5,raw:50,min:0,max:100};});"
             "o=Object.assign({},o,{body:JSON.stringify(b)});}return f.call(this,u,o);};})();\n")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "assets/bonsens/sco-runtime.js":
                data = patch.encode() + data
            new.writestr(item, data)
    return target


# ------------------------------------------------------------------------------- the learner


class Learner:
    """The learner in the AU's launch page (the tab the player opened): its frame shows the course."""

    def __init__(self, tab: Any) -> None:
        self.tab = tab
        tab.wait_for_selector("#bs-sco-exit:not([hidden])", timeout=30_000)  # the LMS session is open
        self.wait_for_page()

    def content(self) -> Any:
        return self.tab.query_selector("#bs-sco-frame").content_frame()

    def location(self) -> str:
        return str(self.tab.evaluate("window.BonSensSCOInternals.session.location"))

    def state(self) -> dict[str, Any]:
        return dict(self.tab.evaluate("JSON.parse(JSON.stringify(window.BonSensSCOInternals.session.state))"))

    def wait_for_page(self, path: str | None = None) -> None:
        self.tab.wait_for_function("""path => {
            const s = window.BonSensSCOInternals && window.BonSensSCOInternals.session;
            const doc = document.getElementById('bs-sco-frame').contentDocument;
            if (!s || !s.location || !doc || doc.readyState !== 'complete') return false;
            return path ? s.location === path : true;
        }""", arg=path, timeout=15_000)

    def goto(self, path: str) -> None:
        self.tab.evaluate("""path => {
            document.getElementById('bs-sco-frame').contentWindow.location.href = new URL(path, location.href).href;
        }""", path)
        self.wait_for_page(path)
        self.content().wait_for_load_state("load")

    def read(self, path: str, lesson: str) -> None:
        self.goto(path)
        self.content().evaluate("document.querySelector('.bs-lesson-end').scrollIntoView()")
        self.tab.wait_for_function("id => window.BonSensSCOInternals.session.state.lessons[id] === true",
                                   arg=lesson, timeout=10_000)

    def answer(self, *, correct: bool, count: int | None = None) -> list[str]:
        """Answer the questions shown (the first `count` of them), right or wrong; returns their ids."""
        return answer_shown(self.content(), correct=correct, count=count)

    def submit(self) -> None:
        submit_quiz(self.content())

    def take(self, path: str, *, correct: bool) -> None:
        if self.location() != path:
            self.goto(path)
        self.answer(correct=correct)
        self.submit()

    def retry(self) -> None:
        self.content().locator(".bs-quiz-result .bs-actions button").click()
        self.content().wait_for_selector("fieldset.bs-question:not([disabled])")

    def saved(self) -> None:
        """Wait until the runtime says the LMS holds everything (no save warning, nothing pending)."""
        self.tab.wait_for_selector("#bs-sco-status:not(.bs-sco-warning)", timeout=60_000)

    def exit(self) -> None:
        """Exit: the runtime ends the session and takes the learner back to the LMS (its returnURL)."""
        self.tab.click("#bs-sco-exit")
        self.tab.wait_for_url("**/return-url", timeout=30_000)


def journey(*, exam_correct: bool, prefix: str = "") -> Callable[[Any], None]:
    """Read both lessons, fail then pass the module quiz, take the exam (passed or failed), exit."""
    def drive(tab: Any) -> None:
        learner = Learner(tab)
        learner.read(prefix + "m1/l1.html", "l1")
        learner.read(prefix + "m1/l2.html", "l2")
        learner.take(prefix + "m1/q1.html", correct=False)
        learner.retry()
        learner.answer(correct=True)
        learner.submit()
        learner.take(prefix + "final-exam/exam.html", correct=exam_correct)
        learner.exit()
    return drive


def ours(run: Run) -> list[dict[str, Any]]:
    return [s for s in run.statements if s["verb"]["id"].rsplit("/", 1)[-1] not in PLAYER_VERBS]


def page_errors(run: Run) -> list[str]:
    """Console errors but the two 404s a first launch expects (no learner preferences, no saved state)."""
    return run.page.page_errors + [e for e in run.page.console_errors if "404" not in e]


# ------------------------------------------------------------------------------- cmi5.xml


def test_cmi5_xml_is_valid_in_both_languages_and_stable_across_builds(dist: Path, tmp_path: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    again = build_cmi5(tmp_path / "again")
    for lang in ("fr", "en"):
        root = course_structure(package(dist, lang))
        schema.assertValid(root)
        titles = {s.get("lang"): s.text for s in root.find(f"{CMI5_NS}course/{CMI5_NS}title")}
        assert titles == {"fr": "Mini-cours", "en": "Mini course"}
        described = {s.get("lang"): s.text for s in root.find(f"{CMI5_NS}course/{CMI5_NS}description")}
        assert described == {"fr": "Un cours minuscule pour les tests.", "en": "A tiny course for the tests."}
        assert [s.get("lang") for s in root.find(f"{CMI5_NS}course/{CMI5_NS}title")][0] == lang
        (au,) = root.iter(f"{CMI5_NS}au")
        assert (au.get("moveOn"), au.get("masteryScore")) == ("CompletedOrPassed", "0.8")  # the exam's 80 %
        assert au.find(f"{CMI5_NS}url").text == "sco-course.html"
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert ids == [e.get("id") for e in course_structure(package(again, lang)).iter() if e.get("id")]
    assert course_structure(package(dist, "fr")).find(f"{CMI5_NS}course").get("id") != \
        course_structure(package(dist, "en")).find(f"{CMI5_NS}course").get("id")


# ------------------------------------------------------------------------------- passed


@pytest.fixture(scope="module")
def passed(cmi5: Cmi5, browser: Any, dist: Path) -> Run:
    return cmi5.run(browser, package(dist), journey(exam_correct=True), language=FRENCH)


def check_context(statement: dict[str, Any], launch: Launch) -> None:
    assert {**statement["actor"], "objectType": "Agent"} == {**launch.actor, "objectType": "Agent"}  # the LRS adds it
    assert statement["context"]["registration"] == launch.registration
    assert statement["timestamp"].endswith(("Z", "+00:00"))  # sent in UTC with Z; the LRS writes +00:00


def test_a_learner_who_passes_is_rated_conformant(passed: Run) -> None:
    verdict = passed.verdict
    assert (verdict.result, verdict.au_results, verdict.violated_req_ids) == ("conformant", ["conformant"], []), \
        str(verdict)
    summaries = [log["summary"] for log in verdict.logs]
    assert summaries.index("Learner Preferences Agent Profile Retrieved") < \
        summaries.index(f"Statement recorded: {VERB}initialized")
    assert summaries[-1] == "Return URL loaded"  # Exit took the learner back to the LMS
    assert page_errors(passed) == []


def test_the_statements_of_a_passed_course_in_order(passed: Run) -> None:
    mine = ours(passed)
    assert verbs(mine) == ["initialized", *["answered"] * 14, "completed", "passed", "terminated"]
    assert passed.verbs.count("satisfied") == 1
    assert passed.verbs.index("completed") < passed.verbs.index("satisfied") < passed.verbs.index("terminated")
    launch = passed.launch
    for statement in mine:
        check_context(statement, launch)
    assert len({s["context"]["extensions"][SESSION_ID] for s in mine}) == 1
    for statement in (s for s in mine if s["verb"]["id"] != VERB + "answered"):
        assert statement["object"]["id"] == launch.activity_id
        categories = [c["id"] for c in statement["context"]["contextActivities"]["category"]]
        moves_on = statement["verb"]["id"] in (VERB + "completed", VERB + "passed")
        assert categories == [CMI5_CATEGORY, *([MOVE_ON] if moves_on else [])]
    completed, passed_, terminated = mine[-3:]
    assert completed["result"]["completion"] is True and DURATION.match(completed["result"]["duration"])
    score = passed_["result"]["score"]
    assert passed_["result"]["success"] is True
    assert score == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    assert score["scaled"] >= passed_["context"]["extensions"][MASTERY] == 0.8
    assert DURATION.match(terminated["result"]["duration"])


def test_every_answer_is_a_statement_a_report_can_use(passed: Run) -> None:
    answered = [s for s in ours(passed) if s["verb"]["id"] == VERB + "answered"]
    launch = passed.launch
    first, second, exam = answered[:6], answered[6:12], answered[12:]
    question = launch.activity_id + "/question/"
    assert sorted(s["object"]["id"] for s in first) == sorted(question + q for q in Q1)
    assert [s["object"]["id"] for s in second] == [s["object"]["id"] for s in first]
    assert all(s["object"]["id"].startswith(question + "exam-") for s in exam)
    assert [s["result"]["success"] for s in answered] == [False] * 6 + [True] * 8
    kinds = {}
    for statement in answered:
        assert statement["context"]["contextActivities"]["parent"] == [{"id": launch.activity_id}]
        definition = statement["object"]["definition"]
        assert definition["type"] == INTERACTION
        assert definition["name"]["fr"] and definition["description"]["fr"]
        assert definition["correctResponsesPattern"]
        assert isinstance(statement["result"]["response"], str) and statement["result"]["response"]
        assert DURATION.match(statement["result"]["duration"])
        kinds[statement["object"]["id"][len(question):]] = statement
    single = kinds["q1-single"]["object"]["definition"]
    assert single["interactionType"] == "choice"
    assert single["choices"] == [{"id": "a", "description": {"fr": "La bonne"}},
                                 {"id": "b", "description": {"fr": "La mauvaise"}}]
    assert single["correctResponsesPattern"] == ["a"]
    match = kinds["q1-match"]["object"]["definition"]
    assert (match["interactionType"], [s["description"]["fr"] for s in match["target"]]) == \
        ("matching", ["Miaou", "Ouaf"])
    assert kinds["q1-match"]["result"]["response"] == "a[.]a[,]b[.]b"
    assert kinds["q1-order"]["object"]["definition"]["interactionType"] == "sequencing"
    assert kinds["q1-tf"]["result"]["response"] == "false"
    assert kinds["q1-fill"]["result"]["response"] == "RGPD"


# ------------------------------------------------------------------------------- failed


def test_a_learner_who_fails_the_exam_is_rated_conformant_with_failed(cmi5: Cmi5, browser: Any, dist: Path) -> None:
    run = cmi5.run(browser, package(dist), journey(exam_correct=False), language=FRENCH)
    verdict = run.verdict
    assert (verdict.result, verdict.violated_req_ids) == ("conformant", []), str(verdict)  # completed: satisfied
    mine = ours(run)
    assert verbs(mine) == ["initialized", *["answered"] * 14, "completed", "failed", "terminated"]
    failed = mine[-2]
    assert failed["result"]["success"] is False
    assert failed["result"]["score"] == {"scaled": 0, "raw": 0, "min": 0, "max": 100}
    assert failed["context"]["extensions"][MASTERY] == 0.8
    assert [c["id"] for c in failed["context"]["contextActivities"]["category"]] == [CMI5_CATEGORY, MOVE_ON]
    assert "passed" not in run.verbs


# ------------------------------------------------------------------------------- resume


def test_a_second_launch_lands_where_the_learner_left(cmi5: Cmi5, browser: Any, dist: Path) -> None:
    zip_path = package(dist)
    test = cmi5.new_test(zip_path, language=FRENCH)
    first = cmi5.cts.launch(test)
    left: dict[str, Any] = {}

    def leave(tab: Any) -> None:
        learner = Learner(tab)
        learner.read("m1/l1.html", "l1")
        learner.goto("m1/q1.html")
        left["answers"] = learner.answer(correct=True, count=3)
        left["state"] = learner.state()
        deadline = time.monotonic() + 30  # answers typed are saved soon, not at each key
        while time.monotonic() < deadline:
            held = cmi5.lrs.state(first, "bonsens")
            if held and len(held["state"]["inProgress"].get("q1", {}).get("answers", {})) == 3:
                break
            time.sleep(0.5)
        left["held"] = held

    cmi5.play(browser, first, leave, ends=False)
    assert left["held"]["location"] == "m1/q1.html", left["held"]
    second = cmi5.cts.launch(test)
    back: dict[str, Any] = {}

    def come_back(tab: Any) -> None:
        learner = Learner(tab)
        back["location"] = learner.location()
        back["state"] = learner.state()
        frame = learner.content()
        frame.wait_for_selector("fieldset.bs-question")
        back["shown"] = frame.evaluate("""ids => ids.filter(id => {
            const f = document.querySelector(`fieldset[data-question-id="${id}"]`);
            return Array.from(f.querySelectorAll('input, select')).some(i =>
                i.type === 'text' ? i.value !== '' : i.tagName === 'SELECT' ? i.value !== '' : i.checked);
        })""", left["answers"])
        learner.exit()

    run = cmi5.outcome(second, cmi5.play(browser, second, come_back))
    assert back["location"] == "m1/q1.html"
    assert back["state"]["lessons"] == {"l1": True}
    assert back["state"]["inProgress"]["q1"]["answers"] == left["state"]["inProgress"]["q1"]["answers"]
    assert back["shown"] == [q for q in left["answers"] if q != "q1-order"] or back["shown"] == left["answers"]
    assert run.verdict.violated_req_ids == [], str(run.verdict)
    # The first session ended when its tab closed (pagehide): terminated, not abandoned
    assert run.verbs == ["launched", "initialized", "terminated"] * 2


# ------------------------------------------------------------------------------- language


def test_the_learners_language_opens_the_english_pages_of_the_french_package(cmi5: Cmi5, browser: Any,
                                                                              dist: Path) -> None:
    seen: dict[str, Any] = {}

    def drive(tab: Any) -> None:
        learner = Learner(tab)
        seen["location"] = learner.location()
        seen["lang"] = learner.content().evaluate("document.documentElement.lang")
        seen["exit"] = tab.inner_text("#bs-sco-exit")
        learner.read("en/m1/l1.html", "l1")
        learner.exit()

    run = cmi5.run(browser, package(dist, "fr"), drive, language="en-US")
    assert seen == {"location": "en/index.html", "lang": "en", "exit": labels_for("en")["lms_exit"]}
    assert run.verdict.violated_req_ids == [], str(run.verdict)


# ------------------------------------------------------------------------------- a failing LRS


def test_an_lrs_that_fails_for_a_while_loses_nothing(cmi5: Cmi5, browser: Any, dist: Path) -> None:
    refused: list[str] = []

    def drive(tab: Any) -> None:
        def fail(route: Any) -> None:
            if route.request.method != "POST":
                route.continue_()
                return
            refused.append(route.request.url)
            if len(refused) % 2:
                route.fulfill(status=503, body="down")
            else:
                route.abort()

        learner = Learner(tab)
        learner.read("m1/l1.html", "l1")
        learner.read("m1/l2.html", "l2")
        learner.saved()
        tab.route(re.compile(r"/lrs/statements"), fail)
        learner.take("m1/q1.html", correct=False)
        learner.retry()
        learner.answer(correct=True)
        learner.submit()
        tab.wait_for_selector("#bs-sco-status.bs-sco-warning")  # the learner is told
        tab.unroute(re.compile(r"/lrs/statements"))
        learner.saved()  # core's retries got through
        learner.take("final-exam/exam.html", correct=True)
        learner.exit()

    run = cmi5.run(browser, package(dist), drive, language=FRENCH)
    assert refused, "the LRS never failed"
    assert (run.verdict.result, run.verdict.violated_req_ids) == ("conformant", []), str(run.verdict)
    mine = ours(run)
    assert verbs(mine) == ["initialized", *["answered"] * 14, "completed", "passed", "terminated"]
    assert [s["result"]["success"] for s in mine[1:15]] == [False] * 6 + [True] * 8


# ------------------------------------------------------------------------------- browse


def passes_everything(tab: Any) -> None:
    """Reads every lesson, passes the quiz and the exam at the first try, and exits."""
    learner = Learner(tab)
    learner.read("m1/l1.html", "l1")
    learner.read("m1/l2.html", "l2")
    learner.take("m1/q1.html", correct=True)
    learner.take("final-exam/exam.html", correct=True)
    learner.exit()


def test_browse_mode_reports_no_completion_nor_success(cmi5: Cmi5, browser: Any, dist: Path) -> None:
    run = cmi5.run(browser, package(dist), passes_everything, language=FRENCH, launchMode="Browse")
    assert run.verdict.violated_req_ids == [], str(run.verdict)
    assert run.verdict.result == "not-started"  # browsing is no attempt: nothing to satisfy
    assert verbs(ours(run)) == ["initialized", "terminated"]


# ------------------------------------------------------------------------------- non-conformant


def test_passed_under_the_mastery_score_is_rated_non_conformant(cmi5: Cmi5, browser: Any, broken: Path) -> None:
    run = cmi5.run(browser, broken, passes_everything, language=FRENCH)
    assert (run.verdict.result, run.verdict.au_results) == ("non-conformant", ["non-conformant"]), str(run.verdict)
    assert "9.3.4.0-2" in run.verdict.violated_req_ids
    assert "passed" not in run.verbs
