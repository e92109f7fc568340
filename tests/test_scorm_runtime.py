"""The SCO runtime end to end: real packages, run by a real SCORM runtime (scorm-again) in Chromium.

A test LMS page (tests/lms/) creates scorm-again's API for the standard under test, launches a SCO
of an unzipped package in a frame, and records every API call and every commit. A scripted learner
works the course pages inside the SCO's own frame; the tests then read the data model as the LMS
received it: statuses, scores, objectives, interactions, times, suspend data and location, and
how the session was opened and closed.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from builder.cli import main
from tests.browser import static_server, watch
from tests.learner import answer_question, answer_shown, submit_quiz

REPO = Path(__file__).parent.parent
SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist"
LMS_FILES = Path(__file__).parent / "lms"
MINI = Path(__file__).parent / "fixtures" / "mini"

pytestmark = [
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not (SCORM_AGAIN / "scorm12.js").exists(), reason="npm ci has not installed scorm-again"),
]

# ------------------------------------------------------------------------------- formats

# SCORM 1.2 run-time environment, data types (RTE 3.4.2) and interaction response formats.
TIMESPAN_12 = re.compile(r"^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$")
TIME_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$")
IDENTIFIER_12 = re.compile(r"^[A-Za-z0-9_.\-]{1,255}$")
RESPONSE_12 = {
    "choice": re.compile(r"^[0-9a-z](,[0-9a-z])*$"),
    "true-false": re.compile(r"^[tf]$"),
    "matching": re.compile(r"^[0-9a-z]\.[0-9a-z](,[0-9a-z]\.[0-9a-z])*$"),
    "sequencing": re.compile(r"^[0-9a-z](,[0-9a-z])*$"),
    "fill-in": re.compile(r"^[^\r\n]{1,255}$"),
}
# SCORM 2004 4th edition run-time environment (RTE 4.1.6, C.1).
DURATION_2004 = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$")
TIMESTAMP_2004 = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d"
                            r"(\.\d{1,2})?(Z|[+-]\d{2}(:\d{2})?)?$")
SHORT_ID = r"[A-Za-z0-9_.\-:()+=@;$!*'%/#]+"
RESPONSE_2004 = {
    "choice": re.compile(rf"^{SHORT_ID}(\[,\]{SHORT_ID})*$"),
    "true-false": re.compile(r"^(true|false)$"),
    "matching": re.compile(rf"^{SHORT_ID}\[\.\]{SHORT_ID}(\[,\]{SHORT_ID}\[\.\]{SHORT_ID})*$"),
    "sequencing": re.compile(rf"^{SHORT_ID}(\[,\]{SHORT_ID})*$"),
    "fill-in": re.compile(r"^(\{lang=[A-Za-z]{1,8}(-[A-Za-z0-9]{2,8})?\})?(?!\{)(?!.*\[,\])[^\r\n]{1,250}$"),
}


# ------------------------------------------------------------------------------- packages


def build(root: Path, *options: str) -> None:
    result = CliRunner().invoke(main, ["build", str(root), "--quiet", *options])
    assert result.exit_code == 0, result.output


def build_course(source_dirs: dict[str, Path], target: Path, *, multi: bool = True) -> Path:
    for name, source in source_dirs.items():
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    build(target)
    if multi:  # a build replaces dist/ whole: keep the single-SCO packages aside first
        single = target / "dist-single"
        shutil.copytree(target / "dist", single)
        build(target, "--multi-sco")
        for package in single.glob("*.zip"):
            shutil.copy(package, target / "dist" / package.name)
    return target / "dist"


def lms_root(root: Path, dists: list[Path]) -> Path:
    """The test LMS's web root: its page, scorm-again's browser builds and the unzipped packages."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("lms.html", "lms.js"):
        shutil.copy(LMS_FILES / name, root / name)
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, root / name)
    for dist in dists:
        for package in dist.glob("*.zip"):
            with zipfile.ZipFile(package) as archive:
                archive.extractall(root / "pkg" / package.stem)
    return root


@pytest.fixture(scope="module")
def lms_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("scorm")
    mini = build_course({"course": MINI / "course", "quizzes": MINI / "quizzes"}, base / "mini")
    real = build_course({"course": REPO / "course", "quizzes": REPO / "quizzes", "mkdocs.yml": REPO / "mkdocs.yml"},
                        base / "real", multi=False)
    root = lms_root(base / "web", [mini, real])
    with static_server(root) as url:
        yield url


@pytest.fixture
def page(browser: Any, lms_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.log = watch(tab)
    tab.goto(lms_url + "lms.html")
    yield tab
    context.close()


def mastery_of(lms_url: str, name: str, sco: str, standard: str) -> float | None:
    """The mastery score an LMS reads from the manifest for one SCO."""
    import urllib.request

    with urllib.request.urlopen(f"{lms_url}pkg/{name}/imsmanifest.xml") as response:
        manifest = etree.fromstring(response.read())
    for item in manifest.iter("{*}item"):
        if item.get("identifier") != f"item-{sco}":
            continue
        if standard == "1.2":
            found = [e.text for e in item.iter("{*}masteryscore")]
            return float(found[0]) if found else None
        found = [e.text for e in item.iter("{*}minNormalizedMeasure")]
        return float(found[0]) * 100 if found else None
    raise AssertionError(f"no item for SCO {sco} in {name}")


# ------------------------------------------------------------------------------- the LMS session


class Session:
    """One SCO launched in the test LMS, and the scripted learner working in it."""

    def __init__(self, page: Any, lms_url: str, package: str, sco: str, standard: str, *,
                 cmi: dict[str, Any] | None = None, no_api: bool = False, **options: Any) -> None:
        self.page = page
        self.package = package
        self.sco = sco
        self.standard = standard
        self.v2004 = standard == "2004"
        self.mastery = None if no_api else mastery_of(lms_url, package, sco, standard)
        options = {"standard": standard, "url": f"pkg/{package}/sco-{sco}.html", "cmi": cmi, "noApi": no_api,
                   "mastery": self.mastery, **options}
        page.evaluate("options => LMS.launch(options)", options)
        self.wait_for_page()

    # -- frames

    def launch_frame(self) -> Any:
        return self.page.query_selector("#sco").content_frame()

    def content(self) -> Any:
        return self.launch_frame().query_selector("#bs-sco-frame").content_frame()

    def runtime(self, expression: str) -> Any:
        return self.launch_frame().evaluate(expression)

    def location(self) -> str | None:
        return self.runtime("window.BonSensSCOInternals.session.location")

    def state(self) -> dict[str, Any]:
        return self.runtime("JSON.parse(JSON.stringify(window.BonSensSCOInternals.session.state))")

    def wait_for_page(self, path: str | None = None) -> None:
        """Wait until the frame shows a page (this one) and the runtime has taken note of it."""
        script = """path => {
            const s = window.BonSensSCOInternals && window.BonSensSCOInternals.session;
            const frame = document.getElementById('bs-sco-frame');
            const doc = frame && frame.contentDocument;
            if (!s || !s.location || !doc || doc.readyState !== 'complete') return false;
            return path ? s.location === path : true;
        }"""
        self.launch_frame().wait_for_function(script, arg=path, timeout=15000)

    def goto(self, path: str) -> None:
        self.launch_frame().evaluate("""path => {
            document.getElementById('bs-sco-frame').contentWindow.location.href = new URL(path, location.href).href;
        }""", path)
        self.wait_for_page(path)
        self.content().wait_for_load_state("load")

    def leave_to(self, path: str, back_to: str) -> None:
        """Navigate the frame to a page outside this SCO; wait until the runtime brings it back."""
        self.launch_frame().evaluate("""path => {
            const frame = document.getElementById('bs-sco-frame');
            frame.contentDocument.documentElement.dataset.old = 'yes';
            frame.contentWindow.location.href = new URL(path, location.href).href;
        }""", path)
        self.launch_frame().wait_for_function("""path => {
            const doc = document.getElementById('bs-sco-frame').contentDocument;
            return doc && doc.readyState === 'complete' && !doc.documentElement.dataset.old
                && doc.location.pathname.endsWith('/' + path);
        }""", arg=back_to, timeout=15000)

    # -- the learner

    def read_lesson(self, path: str, lesson_id: str) -> None:
        self.goto(path)
        self.content().evaluate("document.querySelector('.bs-lesson-end').scrollIntoView()")
        self.launch_frame().wait_for_function(
            "id => window.BonSensSCOInternals.session.state.lessons[id] === true", arg=lesson_id, timeout=10000)

    def answer(self, *, correct: bool, count: int | None = None) -> list[str]:
        """Answer the questions shown (the first `count` of them), right or wrong; returns their ids."""
        return answer_shown(self.content(), correct=correct, count=count)

    def submit(self) -> None:
        submit_quiz(self.content())

    def retry(self) -> None:
        self.content().locator(".bs-quiz-result .bs-actions button").click()
        self.content().wait_for_selector("fieldset.bs-question:not([disabled])")

    def take_quiz(self, path: str, *, correct: bool) -> None:
        if self.location() != path:
            self.goto(path)
        self.answer(correct=correct)
        self.submit()

    def exit(self) -> None:
        self.launch_frame().click("#bs-sco-exit")
        self.page.wait_for_function("LMS.calls.some(c => c.fn === 'LMSFinish' || c.fn === 'Terminate')")

    def close(self) -> None:
        """The learner closes the player: the LMS removes the SCO's frame."""
        self.page.evaluate("LMS.close()")
        self.page.wait_for_function("LMS.calls.some(c => c.fn === 'LMSFinish' || c.fn === 'Terminate')")

    # -- what the LMS holds

    def calls(self) -> list[dict[str, Any]]:
        return self.page.evaluate("LMS.calls")

    def commits(self) -> list[dict[str, Any]]:
        return self.page.evaluate("LMS.commits")

    def cmi(self) -> dict[str, Any]:
        return self.page.evaluate("LMS.lastCmi()")

    def next_launch(self) -> dict[str, Any]:
        return self.page.evaluate("m => LMS.nextLaunchData(m)", self.mastery)

    def sent(self, element: str) -> list[str]:
        """Every value the SCO set for an element, in order."""
        setter = "SetValue" if self.v2004 else "LMSSetValue"
        return [c["args"][1] for c in self.calls() if c["fn"] == setter and c["args"][0] == element]


# ------------------------------------------------------------------------------- assertions


def console_errors(page: Any) -> list[str]:
    """Console errors, but for the theme's search worker losing its page: the scripted learner
    moves on faster than mkdocs-material's worker loads its lunr language files."""
    return [e for e in page.log.console_errors if not ("importScripts" in e and "/lunr/" in e)]


def assert_one_clean_session(session: Session, *, terminated: bool = True) -> None:
    """Initialize and Terminate once each, no call left an error in scorm-again, no console error."""
    calls = session.calls()
    init, finish = ("Initialize", "Terminate") if session.v2004 else ("LMSInitialize", "LMSFinish")
    assert [c["fn"] for c in calls].count(init) == 1
    assert [c["fn"] for c in calls].count(finish) == (1 if terminated else 0)
    assert calls[0]["fn"] == init
    if terminated:
        assert calls[-1]["fn"] in (finish, "GetLastError", "LMSGetLastError") or \
            [c["fn"] for c in calls].index(finish) == len(calls) - 1
    for call in calls:
        if call["error"] == "0":
            continue
        # SCORM 2004: reading an element the LMS never set (location, suspend data on a first
        # launch) answers 403 "not initialized", which is how a SCO learns there is nothing.
        assert session.v2004 and call["fn"] == "GetValue" and call["error"] == "403", call
    assert session.page.log.page_errors == []
    assert console_errors(session.page) == []


def interactions_of(cmi: dict[str, Any]) -> list[dict[str, Any]]:
    items = cmi.get("interactions") or {}
    return [items[key] for key in sorted(items, key=int)]


def check_interactions(session: Session, cmi: dict[str, Any]) -> list[dict[str, Any]]:
    """Every interaction is well formed for its standard and type; returns them in order."""
    items = interactions_of(cmi)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), ids
    for item in items:
        kind = item["type"]
        if session.v2004:
            assert RESPONSE_2004[kind].match(item["learner_response"]), item
            assert item["result"] in ("correct", "incorrect"), item
            assert TIMESTAMP_2004.match(item["timestamp"]), item
            assert not item["latency"] or DURATION_2004.match(item["latency"]), item
            assert 0 < len(item["description"]) <= 250 and not item["description"].startswith("{"), item
            assert item["correct_responses"]["0"]["pattern"], item
        else:
            assert IDENTIFIER_12.match(item["id"]), item
            assert RESPONSE_12[kind].match(item["student_response"]), item
            assert item["result"] in ("correct", "wrong"), item
            assert TIME_12.match(item["time"]), item
            assert item["correct_responses"]["0"]["pattern"], item
        assert float(item["weighting"]) > 0
    latency = "cmi.interactions.0.latency"
    for value in session.sent(latency):
        assert (DURATION_2004 if session.v2004 else TIMESPAN_12).match(value), value
    return items


def check_times(session: Session) -> None:
    element = "cmi.session_time" if session.v2004 else "cmi.core.session_time"
    values = session.sent(element)
    assert values, "no session time reported"
    for value in values:
        assert (DURATION_2004 if session.v2004 else TIMESPAN_12).match(value), value
    for name in (n for n in {c["args"][0] for c in session.calls() if len(c["args"]) > 1}
                 if n.endswith(".latency")):
        for value in session.sent(name):
            assert (DURATION_2004 if session.v2004 else TIMESPAN_12).match(value), value


def status(session: Session, cmi: dict[str, Any]) -> dict[str, str]:
    if session.v2004:
        return {"completion": cmi["completion_status"], "success": cmi["success_status"], "exit": cmi["exit"],
                "location": cmi["location"], "raw": cmi["score"]["raw"], "min": cmi["score"]["min"],
                "max": cmi["score"]["max"], "scaled": cmi["score"]["scaled"]}
    core = cmi["core"]
    return {"lesson": core["lesson_status"], "exit": core["exit"], "location": core["lesson_location"],
            "raw": core["score"]["raw"], "min": core["score"]["min"], "max": core["score"]["max"]}


def objective(cmi: dict[str, Any], objective_id: str) -> dict[str, Any]:
    found = [o for o in (cmi.get("objectives") or {}).values() if o["id"] == objective_id]
    assert len(found) == 1, cmi.get("objectives")
    return found[0]


def suspend_data(session: Session, cmi: dict[str, Any]) -> str:
    return cmi["suspend_data"]


# ------------------------------------------------------------------------------- the journeys

MINI_PACKAGES = {
    (standard, layout, lang): f"mini-course-1.0.0-{lang}-{'scorm12' if standard == '1.2' else 'scorm2004'}"
    + ("-multisco" if layout == "multi" else "")
    for standard in ("1.2", "2004") for layout in ("single", "multi") for lang in ("fr", "en")
}


def prefix(lang: str) -> str:
    return "" if lang == "fr" else "en/"


@pytest.mark.parametrize("standard", ["1.2", "2004"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_single_sco_journey(page: Any, lms_url: str, standard: str, lang: str) -> None:
    """Read, fail then pass the module quiz, leave half-way through the exam, resume, pass, exit."""
    package = MINI_PACKAGES[(standard, "single", lang)]
    p = prefix(lang)
    one = Session(page, lms_url, package, "course", standard)
    assert one.location() == p + "index.html"
    first = one.commits()[0]["cmi"]
    assert status(one, first)["exit"] == "suspend"
    assert (status(one, first)["completion"] if one.v2004 else status(one, first)["lesson"]) == "incomplete"

    one.read_lesson(p + "m1/l1.html", "l1")
    one.read_lesson(p + "m1/l2.html", "l2")
    assert status(one, one.cmi())["location"] == p + "m1/l2.html"
    one.take_quiz(p + "m1/q1.html", correct=False)
    one.retry()
    one.answer(correct=True)
    one.submit()
    assert one.state()["quizzes"]["q1"]["attempts"] == 2 and one.state()["quizzes"]["q1"]["passed"]
    one.goto(p + "final-exam/exam.html")
    half = one.answer(correct=True, count=1)
    saved_answers = one.state()["inProgress"]["exam"]["answers"]
    one.close()

    cmi = one.cmi()
    s = status(one, cmi)
    assert s["exit"] == "suspend"
    assert s["location"] == p + "final-exam/exam.html"
    assert s["raw"] == ""  # the scoring quiz (the final exam) is not taken yet
    if one.v2004:
        assert (s["completion"], s["success"]) == ("incomplete", "unknown")
        assert 0 < float(cmi["progress_measure"]) < 1
        module = objective(cmi, "m1")
        assert (module["success_status"], module["completion_status"]) == ("passed", "completed")
        assert module["score"]["scaled"] == "1"
    else:
        assert s["lesson"] == "incomplete"
        assert objective(cmi, "m1")["status"] == "passed"
    module_score = objective(cmi, "m1")["score"]
    assert (module_score["raw"], module_score["min"], module_score["max"]) == ("100", "0", "100")
    items = check_interactions(one, cmi)
    assert len(items) == 12  # six questions, two attempts
    first_try, second_try = items[:6], items[6:]
    assert {i["id"] for i in first_try} == {"q1-single", "q1-multiple", "q1-tf", "q1-match", "q1-order", "q1-fill"}
    assert {i["id"] for i in second_try} == {i["id"] + "_a2" for i in first_try}
    assert {i["result"] for i in first_try} == {"incorrect" if one.v2004 else "wrong"}
    assert {i["result"] for i in second_try} == {"correct"}
    assert suspend_data(one, cmi).startswith("B1~")
    check_times(one)
    assert_one_clean_session(one)

    # The next day: the LMS hands back what it saved, with entry "resume".
    assert list(saved_answers) == half
    page.log.console_errors.clear()
    two = Session(page, lms_url, package, "course", standard, cmi=one.next_launch())
    assert two.location() == p + "final-exam/exam.html"
    restored = two.state()["inProgress"]["exam"]
    assert restored["answers"] == saved_answers
    frame = two.content()
    frame.wait_for_selector("fieldset.bs-question")
    shown = frame.evaluate("""id => {
        const f = document.querySelector(`fieldset[data-question-id="${id}"]`);
        return Array.from(f.querySelectorAll('input')).some(i => (i.type === 'text' ? i.value !== '' : i.checked));
    }""", half[0])
    assert shown, "the answer given before leaving is shown again"
    remaining = [q for q in restored["questions"] if q not in half]
    for fieldset in frame.locator("fieldset.bs-question").all():
        if fieldset.get_attribute("data-question-id") in remaining:
            data = frame.evaluate("JSON.parse(document.querySelector('script.bs-quiz-data').textContent)")
            question = next(q for q in data["questions"] if q["id"] == fieldset.get_attribute("data-question-id"))
            answer_question(frame, fieldset, question, correct=True, keyboard=False)
    two.submit()
    two.exit()

    cmi = two.cmi()
    s = status(two, cmi)
    assert (s["raw"], s["min"], s["max"]) == ("100", "0", "100")
    if two.v2004:
        assert (s["completion"], s["success"], s["exit"]) == ("completed", "passed", "normal")
        assert s["scaled"] == "1"
        assert cmi["progress_measure"] == "1"
        assert two.sent("adl.nav.request") == []  # finished: no exitAll, which Moodle 4.3 fails on
    else:
        assert (s["lesson"], s["exit"]) == ("passed", "")
    items = check_interactions(two, cmi)
    assert len(items) == 14 and {i["id"] for i in items[12:]} == set(restored["questions"])
    assert two.launch_frame().locator("#bs-sco-status").inner_text()  # "you can close this window"
    check_times(two)
    assert_one_clean_session(two)


@pytest.mark.parametrize("standard", ["1.2", "2004"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_multi_sco_journey(page: Any, lms_url: str, standard: str, lang: str) -> None:
    """One SCO per module and one for the exam: each reports alone and shows only its pages."""
    package = MINI_PACKAGES[(standard, "multi", lang)]
    p = prefix(lang)
    module = Session(page, lms_url, package, "m1", standard)
    assert module.location() == p + "m1/l1.html"
    # Ways out of the module are hidden: the home page, the exam, the certificate.
    hidden = module.content().evaluate("""() => Array.from(document.querySelectorAll('a[href]'))
        .filter(a => /index\\.html$|exam\\.html$|certificate\\.html$/.test(a.getAttribute('href')))
        .every(a => a.offsetParent === null)""")
    assert hidden
    module.read_lesson(p + "m1/l1.html", "l1")
    module.leave_to(p + "index.html", back_to=p + "m1/l1.html")  # outside the SCO: brought back
    module.read_lesson(p + "m1/l2.html", "l2")
    module.take_quiz(p + "m1/q1.html", correct=True)
    module.exit()
    cmi = module.cmi()
    s = status(module, cmi)
    assert (s["raw"], s["min"], s["max"]) == ("100", "0", "100")
    if module.v2004:
        assert (s["completion"], s["success"], s["exit"]) == ("completed", "passed", "normal")
        assert module.sent("adl.nav.request") == []  # finished: no exitAll, which Moodle 4.3 fails on
    else:
        assert (s["lesson"], s["exit"]) == ("passed", "")
    assert len(check_interactions(module, cmi)) == 6
    check_times(module)
    assert_one_clean_session(module)

    # The exam SCO, launched by the LMS once the module is passed: its own data model.
    exam = Session(page, lms_url, package, "final-exam", standard)
    assert exam.location() == p + "final-exam/exam.html"
    half = exam.answer(correct=False, count=1)
    exam.close()
    cmi = exam.cmi()
    assert status(exam, cmi)["exit"] == "suspend"
    assert not cmi.get("interactions")
    exam2 = Session(page, lms_url, package, "final-exam", standard, cmi=exam.next_launch())
    assert list(exam2.state()["inProgress"]["exam"]["answers"]) == half
    exam2.answer(correct=False)
    exam2.submit()
    exam2.close()
    cmi = exam2.cmi()
    s = status(exam2, cmi)
    # Failed with attempts left: the attempt stays open (Moodle ends it on a 1.2 "failed" or a 2004
    # "completed"), the score is reported and 2004 says failed, as the LMS derives from the score.
    assert s["raw"] == "0" and s["exit"] == "suspend"
    if exam2.v2004:
        assert (s["completion"], s["success"]) == ("incomplete", "failed")
        assert float(cmi["progress_measure"]) < 1
    else:
        assert s["lesson"] == "incomplete"
    assert len(check_interactions(exam2, cmi)) == 2
    assert_one_clean_session(exam2)


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_failed_is_reported_only_once_no_attempt_is_left(page: Any, lms_url: str, standard: str) -> None:
    """The module quiz allows 3 attempts: failed twice, the LMS hears "not finished" (incomplete,
    suspend) with the score; failed a third time, the content's "no attempts left" is final."""
    package = MINI_PACKAGES[(standard, "multi", "en")]
    one = Session(page, lms_url, package, "m1", standard)
    one.read_lesson("en/m1/l1.html", "l1")
    one.read_lesson("en/m1/l2.html", "l2")
    one.take_quiz("en/m1/q1.html", correct=False)
    for attempt in (1, 2):
        s = status(one, one.cmi())
        assert (s["raw"], s["exit"]) == ("0", "suspend"), attempt
        if one.v2004:
            assert (s["completion"], s["success"]) == ("incomplete", "failed"), attempt
        else:
            assert s["lesson"] == "incomplete", attempt
        one.retry()
        one.answer(correct=False)
        one.submit()
    result = one.content().locator(".bs-summary")
    assert result.locator(".bs-actions button").count() == 0  # the course offers no retry any more
    cmi = one.cmi()
    s = status(one, cmi)
    assert s["raw"] == "0"
    if one.v2004:
        assert (s["completion"], s["success"], s["exit"]) == ("completed", "failed", "normal")
        assert cmi["progress_measure"] == "1"
    else:
        assert (s["lesson"], s["exit"]) == ("failed", "")
    one.exit()
    assert one.sent("adl.nav.request") == []  # finished: nothing to suspend
    assert len(check_interactions(one, one.cmi())) == 18
    assert_one_clean_session(one)


# An LMS's cmi.scaled_passing_score that is out of range, empty, or says otherwise than the
# manifest's 0.8; with it, the exam's 50 % would be "passed" (0.3) or never decided (empty).
PASSING_SCORES = [("1.5", "is not valid and is set aside"), ("", "gives no passing score"),
                  ("0.3", '"0.3" is set aside')]


@pytest.mark.parametrize(("given", "logged"), PASSING_SCORES, ids=["out-of-range", "empty", "contradicting"])
def test_the_course_passing_score_decides_whatever_the_lms_hands(page: Any, lms_url: str, given: str,
                                                                   logged: str) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.evaluate("""given => {
        const launch = LMS.launch.bind(LMS);
        LMS.launch = options => {  // scorm-again refuses such values: the LMS's API answers them instead
            launch(options);
            const api = window.API_1484_11;
            window.API_1484_11 = Object.assign({}, api, {
                GetValue: element => element === "cmi.scaled_passing_score" ? (api.GetValue(element), given)
                    : api.GetValue(element),
            });
        };
    }""", given)
    one = Session(page, lms_url, MINI_PACKAGES[("2004", "single", "en")], "course", "2004")
    assert one.runtime("window.BonSensSCOInternals.session.masteryScore") == 80
    assert [m for m in messages if m.startswith("Bon Sens:") and "passing score" in m] == \
        [m for m in messages if logged in m and "the course's 80 % decides passed or failed" in m]
    assert any(logged in m for m in messages), messages
    one.take_quiz("en/m1/q1.html", correct=True)
    one.goto("en/final-exam/exam.html")
    frame = one.content()
    frame.wait_for_selector("fieldset.bs-question")
    data = frame.evaluate("JSON.parse(document.querySelector('script.bs-quiz-data').textContent)")
    questions = {q["id"]: q for q in data["questions"]}
    for index, fieldset in enumerate(frame.locator("fieldset.bs-question").all()):  # one right of two
        answer_question(frame, fieldset, questions[fieldset.get_attribute("data-question-id")],
                        correct=index == 0, keyboard=False)
    one.submit()
    s = status(one, one.cmi())
    assert (s["raw"], s["scaled"], s["completion"], s["success"]) == ("50", "0.5", "incomplete", "failed")
    assert "failed" in one.content().locator(".bs-summary").get_attribute("class")  # as the course shows
    one.exit()
    assert_one_clean_session(one)


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_lms_quirks_do_not_lose_the_learner(page: Any, lms_url: str, standard: str) -> None:
    """lms-pitfalls 6, 7 and 8: an LMS that passes no mastery score, leaves the mode empty, and
    says `ab-initio` although it kept the suspend data — pass/fail is still decided, statuses are
    still written, and the learner still resumes where they were."""
    package = MINI_PACKAGES[(standard, "single", "fr")]
    one = Session(page, lms_url, package, "course", standard, mode="", mastery=None)
    one.read_lesson("m1/l1.html", "l1")
    one.read_lesson("m1/l2.html", "l2")
    one.take_quiz("m1/q1.html", correct=True)
    one.goto("final-exam/exam.html")
    half = one.answer(correct=True, count=1)
    one.close()
    saved = one.next_launch()
    saved.pop("scaled_passing_score" if one.v2004 else "student_data", None)  # no mastery score
    (saved if one.v2004 else saved["core"])["entry"] = "ab-initio"
    assert_one_clean_session(one)
    page.log.console_errors.clear()
    two = Session(page, lms_url, package, "course", standard, cmi=saved, mode="", mastery=None)
    assert two.location() == "final-exam/exam.html"
    assert two.state()["lessons"] == {"l1": True, "l2": True}
    assert list(two.state()["inProgress"]["exam"]["answers"]) == half
    two.answer(correct=True)
    two.submit()
    two.exit()
    s = status(two, two.cmi())
    assert s["raw"] == "100"
    if two.v2004:
        assert (s["completion"], s["success"]) == ("completed", "passed")
    else:
        assert s["lesson"] == "passed"  # decided by the content's own passing score
    assert_one_clean_session(two)


@pytest.mark.parametrize(("standard", "lang"), [("1.2", "fr"), ("2004", "en")])
def test_real_course_journey(page: Any, lms_url: str, standard: str, lang: str) -> None:
    """The real course, single SCO: a module done, the next one left half-way, then resumed."""
    # the path that holds every module (course.yml `paths:`)
    version = re.search(r"^version: *(\S+)", (REPO / "course/course.yml").read_text(encoding="utf-8"), re.M)[1]
    package = f"bon-sens-numerique-{version}-managers-{lang}-{'scorm12' if standard == '1.2' else 'scorm2004'}"
    p = prefix(lang)
    one = Session(page, lms_url, package, "course", standard)
    sco_config = one.runtime("window.BonSensSCO.config")
    first, second = sco_config["objectives"][0], sco_config["objectives"][1]
    pages = sco_config["pages"]

    def page_of(ref: str) -> str:
        return next(x for x in pages if x.endswith(f"/{ref}.html"))

    for lesson in first["lessons"]:
        one.read_lesson(page_of(lesson), lesson)
    one.take_quiz(page_of(first["quiz"]), correct=False)
    one.retry()
    one.answer(correct=True)
    one.submit()
    one.read_lesson(page_of(second["lessons"][0]), second["lessons"][0])
    one.goto(page_of(second["quiz"]))
    half = one.answer(correct=True, count=3)
    lessons_read = one.state()["lessons"]
    one.close()
    cmi = one.cmi()
    done = objective(cmi, first["id"])
    started = objective(cmi, second["id"])
    if one.v2004:
        assert (done["success_status"], done["completion_status"]) == ("passed", "completed")
        assert (started["success_status"], started["completion_status"]) == ("unknown", "incomplete")
    else:
        assert (done["status"], started["status"]) == ("passed", "incomplete")
    items = check_interactions(one, cmi)
    assert len(items) >= 2 * 5
    assert len(suspend_data(one, cmi)) <= (64000 if one.v2004 else 4096)
    assert_one_clean_session(one)

    two = Session(page, lms_url, package, "course", standard, cmi=one.next_launch())
    assert two.location() == page_of(second["quiz"])
    assert list(two.state()["inProgress"][second["quiz"]]["answers"]) == half
    assert two.state()["lessons"] == lessons_read
    assert p in ("", "en/")
    two.exit()
    assert status(two, two.cmi())["exit"] == "suspend"
    assert_one_clean_session(two)


# ------------------------------------------------------------------------------- faults


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_failed_commits_keep_every_answer(page: Any, lms_url: str, standard: str) -> None:
    """Commits fail for a while: the learner is told, nothing is lost, it all arrives later."""
    package = MINI_PACKAGES[(standard, "single", "en")]
    one = Session(page, lms_url, package, "course", standard)
    page.evaluate("LMS.setFailing(true)")
    one.read_lesson("en/m1/l1.html", "l1")
    one.take_quiz("en/m1/q1.html", correct=True)
    warning = one.launch_frame().locator("#bs-sco-status")
    assert "failed" in warning.inner_text()
    saved = one.launch_frame().evaluate("JSON.parse(localStorage.getItem('bonsens:mini-course:1.0.0:lms'))")
    assert saved["scos"]["course"]["committed"] is False and saved["scos"]["course"]["pending"]
    page.evaluate("LMS.setFailing(false)")
    page.wait_for_function("LMS.commits.length && LMS.commits[LMS.commits.length - 1].ok", timeout=20000)
    cmi = one.cmi()
    assert len(check_interactions(one, cmi)) == 6
    assert objective(cmi, "m1")["score"]["raw"] == "100"
    assert "failed" not in warning.inner_text()
    saved = one.launch_frame().evaluate("JSON.parse(localStorage.getItem('bonsens:mini-course:1.0.0:lms'))")
    assert saved["scos"]["course"]["committed"] is True
    one.exit()
    assert one.launch_frame().evaluate("localStorage.getItem('bonsens:mini-course:1.0.0:lms')") is None
    queries = ("GetLastError", "GetErrorString", "GetDiagnostic")
    for call in one.calls():  # the only errors are the refused commits (and the questions about them)
        if call["error"] != "0":
            assert call["fn"] in ("Commit", "LMSCommit", "GetValue", *queries, *("LMS" + q for q in queries)), call
    assert console_errors(page) == [] and page.log.page_errors == []


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_session_ending_while_the_lms_fails(page: Any, lms_url: str, standard: str) -> None:
    """The LMS fails until the player closes: the next launch sends what it missed."""
    package = MINI_PACKAGES[(standard, "single", "en")]
    one = Session(page, lms_url, package, "course", standard)
    page.evaluate("LMS.setFailing(true)")
    one.read_lesson("en/m1/l1.html", "l1")
    one.take_quiz("en/m1/q1.html", correct=False)
    one.close()
    lost = one.cmi()
    assert not lost.get("interactions")
    two = Session(page, lms_url, package, "course", standard, cmi=one.next_launch())
    assert two.state()["lessons"] == {"l1": True}
    assert two.state()["quizzes"]["q1"]["attempts"] == 1
    two.exit()
    cmi = two.cmi()
    assert len(check_interactions(two, cmi)) == 6
    assert status(two, cmi)["location"] == "en/m1/q1.html"


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_an_api_that_comes_late_is_found(page: Any, lms_url: str, standard: str) -> None:
    """Some LMSs set their API up after opening the SCO: the runtime looks again for a while."""
    one = Session(page, lms_url, MINI_PACKAGES[(standard, "single", "en")], "course", standard, apiDelay=900)
    assert one.runtime("window.BonSensSCOInternals.session.learner") == "learner-1"
    one.read_lesson("en/m1/l1.html", "l1")
    one.exit()
    assert status(one, one.cmi())["location"] == "en/m1/l1.html"
    assert_one_clean_session(one)


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_review_mode_changes_no_status(page: Any, lms_url: str, standard: str) -> None:
    """In browse or review mode the learner looks around: statuses and scores stay as they were."""
    one = Session(page, lms_url, MINI_PACKAGES[(standard, "single", "en")], "course", standard, mode="review")
    one.read_lesson("en/m1/l1.html", "l1")
    one.take_quiz("en/m1/q1.html", correct=True)
    one.exit()
    status_elements = ("cmi.completion_status", "cmi.success_status", "cmi.score.raw") if one.v2004 else \
        ("cmi.core.lesson_status", "cmi.core.score.raw")
    assert all(one.sent(element) == [] for element in status_elements)
    assert not one.cmi().get("interactions")
    assert_one_clean_session(one)


def test_without_an_lms_the_course_still_works(page: Any, lms_url: str) -> None:
    package = MINI_PACKAGES[("1.2", "single", "fr")]
    one = Session(page, lms_url, package, "course", "1.2", no_api=True)
    notice = one.launch_frame().locator("#bs-sco-status").inner_text()
    assert "introuvable" in notice
    assert one.launch_frame().locator("#bs-sco-exit").is_hidden()
    one.read_lesson("m1/l1.html", "l1")
    one.take_quiz("m1/q1.html", correct=True)
    assert one.calls() == []
    # A later visit on the same device finds the progress again.
    page.evaluate("LMS.close()")
    two = Session(page, lms_url, package, "course", "1.2", no_api=True)
    assert two.location() == "m1/q1.html"
    assert two.state()["quizzes"]["q1"]["passed"] is True
    assert console_errors(page) == [] and page.log.page_errors == []


# ------------------------------------------------------------------------------- suspend data size

QUESTION_TYPES = ["single", "multiple", "true_false", "matching", "ordering", "fill_in"]


def big_course(root: Path, modules: int = 10, lessons: int = 3, questions: int = 15) -> Path:
    """A course of `modules` × (`lessons` lessons + a quiz of `questions` questions), in YAML."""
    (root / "course" / "images").mkdir(parents=True)
    (root / "quizzes").mkdir()
    module_entries = []
    for m in range(modules):
        lesson_ids = [f"m{m}-lesson-{n}" for n in range(lessons)]
        folder = root / "course" / "lessons" / f"m{m}"
        folder.mkdir(parents=True)
        for lesson_id in lesson_ids:
            (folder / f"{lesson_id}.yml").write_text(LESSON.format(id=lesson_id), encoding="utf-8")
        module_entries.append({"id": f"m{m}", "title": {"fr": f"Module {m}", "en": f"Module {m}"},
                               "lessons": lesson_ids, "quiz": f"quiz-m{m}"})
        quiz = {"id": f"quiz-m{m}", "title": {"fr": f"Quiz {m}", "en": f"Quiz {m}"}, "passing_score": 80,
                "questions": [question(f"m{m}-question-{n}", QUESTION_TYPES[n % 6]) for n in range(questions)]}
        (root / "quizzes" / f"quiz-m{m}.yml").write_text(json.dumps(quiz, ensure_ascii=False), encoding="utf-8")
    course = {"id": "big-course", "version": "1.0.0", "languages": ["fr", "en"],
              "title": {"fr": "Gros cours", "en": "Big course"},
              "description": {"fr": "Un gros cours.", "en": "A big course."}, "modules": module_entries}
    (root / "course" / "course.yml").write_text(json.dumps(course, ensure_ascii=False), encoding="utf-8")
    return root


LESSON = """id: {id}
title: {{fr: Leçon {id}, en: Lesson {id}}}
summary: {{fr: Ce que la leçon apporte., en: What the lesson brings.}}
minutes: 5
objectives:
  - {{fr: Reconnaître un réglage., en: Recognise a setting.}}
sections:
  - title: {{fr: Un point, en: A point}}
    body:
      fr: Un paragraphe.
      en: A paragraph.
takeaways:
  - {{fr: Une idée., en: An idea.}}
"""


def text(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


def question(question_id: str, kind: str) -> dict[str, Any]:
    base: dict[str, Any] = {"id": question_id, "type": kind, "prompt": text("Quelle réponse ?", "Which answer?"),
                            "explanation": text("Parce que.", "Because.")}
    if kind in ("single", "multiple"):
        base["choices"] = [{"text": text(f"Choix {c}", f"Choice {c}"), "correct": c < (2 if kind == "multiple" else 1),
                            "feedback": text("Voilà.", "There.")} for c in range(4)]
    elif kind == "true_false":
        base.update(answer=True, feedback_true=text("Oui.", "Yes."), feedback_false=text("Non.", "No."))
    elif kind == "matching":
        base["pairs"] = [{"left": text(f"Gauche {c}", f"Left {c}"), "right": text(f"Droite {c}", f"Right {c}")}
                         for c in range(4)]
    elif kind == "ordering":
        base["items"] = [text(f"Étape {c}", f"Step {c}") for c in range(5)]
    else:
        base["answers"] = {"fr": ["protection des données é"], "en": ["data protection, obviously"]}
    return base


@pytest.fixture(scope="module")
def big_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = big_course(tmp_path_factory.mktemp("big"))
    build(root, "--scorm12")
    web = lms_root(root / "web", [root / "dist"])
    with static_server(web) as url:
        yield url


def test_suspend_data_of_a_big_course_fits_scorm_12(browser: Any, big_package: str) -> None:
    """150 questions and 40 pages, half of it done: the whole state fits 4,096 characters."""
    context = browser.new_context()
    page = context.new_page()
    page.log = watch(page)
    page.goto(big_package + "lms.html")
    one = Session(page, big_package, "big-course-1.0.0-fr-scorm12", "course", "1.2")
    sco_config = one.runtime("window.BonSensSCO.config")
    assert len(sco_config["questions"]) == 150 and len(sco_config["pages"]) >= 40
    pages = sco_config["pages"]
    for objective_ in sco_config["objectives"]:
        for lesson in objective_["lessons"][:2]:  # two lessons of three in each module
            one.read_lesson(next(x for x in pages if x.endswith(f"/{lesson}.html")), lesson)
        one.goto(next(x for x in pages if x.endswith(f"/{objective_['quiz']}.html")))
        one.answer(correct=True, count=8)  # 8 of the 15 questions of every quiz, none submitted
    state = one.state()
    assert sum(len(a["answers"]) for a in state["inProgress"].values()) == 80
    one.close()
    sizes = [len(commit["cmi"]["suspend_data"]) for commit in one.commits()]
    assert max(sizes) <= 4096, max(sizes)
    print(f"suspend_data of the big course: {max(sizes)} characters")
    # Nothing was dropped to fit: the next session gets every answer, choice order and lesson back.
    two = Session(page, big_package, "big-course-1.0.0-fr-scorm12", "course", "1.2", cmi=one.next_launch())
    restored = two.state()
    assert restored["lessons"] == state["lessons"]
    for quiz_id, attempt in state["inProgress"].items():
        again = restored["inProgress"][quiz_id]
        assert again["questions"] == attempt["questions"]
        assert again["answers"] == attempt["answers"]
        assert again["order"] == attempt["order"]
    # Even an absurd state (every question answered with 200 accented characters) stays in bounds,
    # keeping lessons and results.
    worst = two.launch_frame().evaluate("""() => {
        const I = window.BonSensSCOInternals, config = window.BonSensSCO.config;
        const state = JSON.parse(JSON.stringify(I.session.state));
        state.quizzes[config.quizzes[0]] = {best: 73, passed: false, attempts: 2, last: {score: 73, passed: false}};
        for (const quiz of config.quizzes) {
            const ids = config.questions.filter(id => id.startsWith(quiz.replace('quiz-', '') + '-'));
            const answers = {};
            ids.forEach(id => { answers[id] = 'é'.repeat(200); });
            state.inProgress[quiz] = {v: 1, startedAt: new Date().toISOString(), questions: ids, order: {}, answers,
                                      firstAnswerMs: {}};
        }
        const text = I.encode(state, {count: 300, lastQuiz: config.quizzes[3]}, 4096);
        const back = I.decode(text);
        return {length: text.length, lessons: back.state.lessons, quiz: back.state.quizzes[config.quizzes[0]],
                kept: Object.keys(back.state.inProgress)};
    }""")
    assert worst["length"] <= 4096
    assert worst["lessons"] == state["lessons"]
    assert worst["quiz"]["attempts"] == 2 and worst["quiz"]["best"] == 73
    context.close()


# ------------------------------------------------------------------------------- languages in one package

# The core (builder/assets/runtime/core.js) and languages.js, as in a package that holds several languages,
# with a stand-in adapter that answers later (Promises), as cmi5's does: the launch URL's query says what
# its LMS hands over (the learner's languages, the page saved), or that there is none.
STAND_IN_ADAPTER = """
(function () {
  const params = new URLSearchParams(location.search);
  const calls = (window.ADAPTER_CALLS = []);
  const later = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 20));
  window.BonSensRuntime.start({
    standard: "stand-in",
    codec: {
      encode: (state) => JSON.stringify(state),
      decode: (text) => (text ? { state: window.BonSensRuntime.util.normalise(JSON.parse(text)), count: 0 } : null),
    },
    connect() {
      if (params.has("offline")) return later(null);
      return later({ learner: "learner-1", learnerName: "Doe, Alex", mode: "normal", masteryScore: null,
                     saved: { text: "", location: params.get("saved") || "" },
                     language: params.get("language") || undefined });
    },
    save(snapshot) { calls.push("save " + snapshot.location); return later(true); },
    answered() {},
    outbox() { return []; },
    resend() {},
    finish(snapshot, explicit) { calls.push("finish " + explicit); return later(true); },
  });
})();
"""
LANGUAGE_LABELS = {
    "fr": {"lms_notice": "Suivi par votre plateforme.", "lms_offline_notice": "Hors ligne.", "lms_exit": "Quitter",
           "lms_exited": "Enregistré.", "lms_exited_unsaved": "Non enregistré.", "lms_save_warning": "Échec."},
    "en": {"lms_notice": "Tracked by your platform.", "lms_offline_notice": "Offline.", "lms_exit": "Exit",
           "lms_exited": "Saved.", "lms_exited_unsaved": "Not saved.", "lms_save_warning": "Failed."},
}
LANGUAGE_PAGES = {"fr": ["index.html", "a.html"], "en": ["en/index.html", "en/a.html"]}
# (languages in the config, the learner's languages, the page saved, the page opened, its language)
LANGUAGE_CASES = [
    (True, "en-US,fr-FR", "a.html", "en/a.html", "en"),
    (True, "de-DE, fr-CA", "en/a.html", "a.html", "fr"),
    (True, "es", "", "index.html", "fr"),
    (True, None, "en/index.html", "index.html", "fr"),
    (False, "en-US", "a.html", "a.html", "fr"),
    (False, "en", "en/a.html", "index.html", "fr"),
]


@pytest.fixture(scope="module")
def language_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Launch pages whose runtime is the core, languages.js and the stand-in adapter, with pages in two
    languages; one config with `languages` (cmi5's), one without (SCORM's)."""
    from builder.packages.units import launch_page
    from builder.runtime_assets import ASSETS, shipped

    root = tmp_path_factory.mktemp("languages")
    (root / "assets" / "bonsens").mkdir(parents=True)
    (root / "favicon.ico").write_bytes(b"")  # what Chromium asks for of any page
    (root / "assets" / "bonsens" / "progress-model.js").write_bytes(shipped("progress-model.js"))
    runtime = "".join((ASSETS / "runtime" / name).read_text(encoding="utf-8") for name in ("core.js", "languages.js"))
    (root / "assets" / "bonsens" / "sco-runtime.js").write_text(runtime + STAND_IN_ADAPTER, encoding="utf-8")
    for lang, pages in LANGUAGE_PAGES.items():
        for page in pages:
            (root / page).parent.mkdir(parents=True, exist_ok=True)
            (root / page).write_text(f'<!doctype html><html lang="{lang}"><title>{page}</title><h1>{page}</h1>',
                                     encoding="utf-8")
    config: dict[str, Any] = {"sco": "course", "role": "course", "course": "languages", "version": "1.0.0",
                              "pages": LANGUAGE_PAGES["fr"], "lessons": [], "quizzes": [], "scoring_quizzes": [],
                              "questions": [], "objectives": [], "mastery_score": None, "labels": LANGUAGE_LABELS["fr"]}
    (root / "plain.html").write_bytes(launch_page(config, "Cours", "fr"))
    titles = {"fr": "Cours", "en": "Course"}
    config["languages"] = {lang: {"pages": LANGUAGE_PAGES[lang], "labels": LANGUAGE_LABELS[lang], "title": titles[lang]}
                           for lang in ("fr", "en")}
    config["language"] = "fr"
    (root / "languages.html").write_bytes(launch_page(config, "Cours", "fr"))
    with static_server(root) as url:
        yield url


@pytest.mark.parametrize(("languages", "preferred", "saved", "opens", "lang"), LANGUAGE_CASES)
def test_the_launch_page_opens_the_learners_language(browser: Any, language_package: str, languages: bool,
                                              preferred: str | None, saved: str, opens: str, lang: str) -> None:
    """A config with `languages` opens in the learner's first language it holds (else its default),
    a page saved in another language at the same place; a config without (SCORM's) is unchanged."""
    from urllib.parse import urlencode

    from tests.browser import watched_tab

    query = urlencode({"saved": saved, **({"language": preferred} if preferred else {})})
    with watched_tab(browser) as tab:
        tab.goto(f"{language_package}{'languages' if languages else 'plain'}.html?{query}")
        tab.wait_for_function("p => window.BonSensSCOInternals.session.location === p"
                              " && window.ADAPTER_CALLS.includes('save ' + p)", arg=opens, timeout=10000)
        assert tab.frame_locator("#bs-sco-frame").locator("h1").inner_text() == opens
        assert tab.evaluate("document.documentElement.lang") == lang
        assert tab.inner_text("#bs-sco-status") == LANGUAGE_LABELS[lang]["lms_notice"]
        assert tab.title() == ("Cours" if lang == "fr" else "Course")
        assert tab.inner_text("#bs-sco-exit") == LANGUAGE_LABELS[lang]["lms_exit"]
        tab.click("#bs-sco-exit")
        tab.wait_for_function("document.getElementById('bs-sco-frame').hidden")
        assert tab.inner_text("#bs-sco-status") == LANGUAGE_LABELS[lang]["lms_exited"]
        assert tab.evaluate("window.ADAPTER_CALLS").count("finish true") == 1
        assert tab.log.page_errors == [] and tab.log.console_errors == []


def test_without_an_lms_the_launch_page_keeps_the_default_language(browser: Any, language_package: str) -> None:
    from tests.browser import watched_tab

    with watched_tab(browser) as tab:
        tab.goto(f"{language_package}languages.html?offline=1&language=en")
        tab.wait_for_function("window.BonSensSCOInternals.session.location === 'index.html'", timeout=10000)
        assert tab.evaluate("document.documentElement.lang") == "fr"
        assert tab.inner_text("#bs-sco-status") == LANGUAGE_LABELS["fr"]["lms_offline_notice"]
        assert tab.is_hidden("#bs-sco-exit") and tab.evaluate("window.ADAPTER_CALLS") == []
        assert tab.log.page_errors == []
