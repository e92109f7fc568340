"""The browser code trusts nothing it reads back (issue 10, items 4 and 11).

Ids that are names of JavaScript's `Object.prototype` (a lesson, quiz, module or question called
`constructor`) must not show a fresh learner as having read or passed anything, nor corrupt the
saved state. And whatever the LMS hands back (suspend data, location, statuses, scores, counts)
or the browser's localStorage holds is decoded field by field: what is valid is kept, what is
not is dropped, and nothing throws. Everything runs the built, minified code in Chromium, the
SCO inside scorm-again (tests/lms/) or inside a scripted LMS that answers anything at all.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.browser import static_server, watch
from tests.learner import answer_quiz
from tests.test_scorm_runtime import (
    LMS_FILES,
    SCORM_AGAIN,
    Session,
    assert_one_clean_session,
    build,
    console_errors,
)

FIXTURE = Path(__file__).parent / "fixtures" / "mini"

pytestmark = [
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not (SCORM_AGAIN / "scorm12.js").exists(), reason="npm ci has not installed scorm-again"),
]

# Each variant of the mini course gives one kind of id the name `constructor` (ids are unique
# across a course); the others get names of Object.prototype's methods, in our id syntax.
VARIANTS: dict[str, dict[str, str]] = {
    "plain": {},
    "lesson": {"l1": "constructor", "l2": "to-string", "m1": "value-of", "q1": "has-own-property"},
    "quiz": {"q1": "constructor", "l1": "to-string", "l2": "value-of"},
    "module": {"m1": "constructor", "l1": "to-string"},
    "question": {"q1-single": "constructor", "exam-2": "to-string"},
}
PACKAGE = "mini-course-1.0.0-fr-scorm12"
STORAGE_KEY = "bonsens:mini-course:1.0.0"


def renamed(variant: str, old: str) -> str:
    return VARIANTS[variant].get(old, old)


def make_variant(root: Path, names: dict[str, str]) -> Path:
    """A copy of the mini course with some ids renamed everywhere (files, references, links)."""
    shutil.copytree(FIXTURE, root)
    for path in root.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        for old, new in names.items():
            text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text)
        path.write_text(text, encoding="utf-8")
    for path in sorted(root.rglob("*"), key=lambda p: -len(p.parts)):
        if path.stem in names:
            path.rename(path.with_name(names[path.stem] + path.suffix))
    build(root)
    return root


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server: each variant's site under site-VARIANT/, its packages under pkg/VARIANT-NAME/."""
    base = tmp_path_factory.mktemp("runtime-safety")
    root = base / "web"
    root.mkdir()
    for name in ("lms.html", "lms.js"):
        shutil.copy(LMS_FILES / name, root / name)
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, root / name)
    for variant, names in VARIANTS.items():
        course = make_variant(base / variant, names)
        shutil.copytree(course / "site", root / f"site-{variant}")
        for package in (course / "dist").glob("*.zip"):
            with zipfile.ZipFile(package) as archive:
                archive.extractall(root / "pkg" / f"{variant}-{package.stem}")
    with static_server(root) as url:
        yield url


@pytest.fixture
def page(browser: Any, web: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.log = watch(tab)
    yield tab
    context.close()


def lms_page(page: Any, web: str) -> Any:
    page.goto(web + "lms.html")
    return page


# ------------------------------------------------------------------------------- reserved ids


def progress_rows(frame: Any) -> dict[str, str]:
    """The home page's module cards: module or exam title -> the card's text."""
    frame.wait_for_selector(".bs-modules .bs-module-progress .bs-state")
    return frame.evaluate("""() => Object.fromEntries(Array.from(
        document.querySelectorAll('.bs-modules > li'),
        (card) => [card.querySelector('.bs-module-title').textContent.trim(),
                   card.innerText.replace(/\\s+/g, ' ')]))""")


def assert_fresh_home(frame: Any) -> None:
    """A learner who did nothing: no lesson read, no score, 0 %, no mark in the navigation."""
    rows = progress_rows(frame)
    module = rows["Premier module"]
    assert "0 leçon lue sur 2" in module and "%" not in module, rows
    assert frame.locator(".bs-overall-value").inner_text().startswith("0"), rows
    assert "NaN" not in frame.locator("body").inner_text()
    assert frame.locator(".bs-nav-done").count() == 0


def assert_home_after_one_lesson_and_the_quiz(frame: Any) -> None:
    rows = progress_rows(frame)
    assert "1 leçon lue sur 2" in rows["Premier module"] and "100" in rows["Premier module"], rows
    assert frame.locator(".bs-overall-value").inner_text().startswith("50"), rows  # 2 of 4: l1, q1
    assert "NaN" not in frame.locator("body").inner_text()


def unanswered_count(frame: Any) -> str:
    """Submit a fresh attempt without answering: the player says how many are unanswered."""
    frame.wait_for_selector("fieldset.bs-question")
    frame.locator(".bs-quiz-form button[type=submit]").click()
    warning = frame.locator(".bs-warning").inner_text()
    frame.locator(".bs-warning button").first.click()  # keep answering
    return warning


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v != "plain"])
def test_reserved_ids_on_the_site(page: Any, web: str, variant: str) -> None:
    """A fresh learner has read nothing and passed nothing, whatever the ids are called; progress
    is then counted right and survives a reload."""
    site = f"{web}site-{variant}/"
    module, lesson, quiz = (renamed(variant, x) for x in ("m1", "l1", "q1"))
    page.goto(site + "index.html")
    assert_fresh_home(page)
    page.goto(f"{site}{module}/{quiz}.html")
    assert "5 question" in unanswered_count(page)  # every question of q1 but its ordering, answered as shown
    answer_quiz(page, correct=True)
    page.goto(f"{site}{module}/{lesson}.html")
    page.locator(".bs-lesson-end").scroll_into_view_if_needed()
    page.locator(".bs-lesson-end", has_text="Leçon lue").wait_for()
    page.goto(site + "index.html")
    assert_home_after_one_lesson_and_the_quiz(page)
    saved = json.loads(page.evaluate("k => localStorage.getItem(k)", STORAGE_KEY))
    assert saved["lessons"] == {lesson: True}
    assert list(saved["quizzes"]) == [quiz] and saved["quizzes"][quiz]["attempts"] == 1
    page.reload()
    assert_home_after_one_lesson_and_the_quiz(page)
    page.goto(f"{site}{module}/{quiz}.html")  # (a lesson page would mark itself read on sight)
    marked = page.eval_on_selector_all(".bs-nav-done", "links => links.map(a => a.getAttribute('href'))")
    assert sorted(Path(href).stem for href in marked) == sorted([lesson, quiz])
    assert page.log.page_errors == [] and page.log.console_errors == []


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v != "plain"])
def test_reserved_ids_in_a_sco(page: Any, web: str, variant: str) -> None:
    """The same in the SCO: nothing read at first, statuses and objectives written without an
    LMS error, then resumed with exactly what was done (one attempt, not 30191)."""
    module, lesson, quiz = (renamed(variant, x) for x in ("m1", "l1", "q1"))
    package = f"{variant}-{PACKAGE}"
    one = Session(lms_page(page, web), web, package, "course", "1.2")
    assert_fresh_home(one.content())
    assert one.cmi()["core"]["lesson_status"] == "incomplete"
    assert one.cmi()["objectives"]["0"]["status"] == "not attempted"
    one.goto(f"{module}/{quiz}.html")
    assert "5 question" in unanswered_count(one.content())  # the ordering is answered as shown
    one.answer(correct=True)
    one.submit()
    one.read_lesson(f"{module}/{lesson}.html", lesson)
    one.close()
    assert_one_clean_session(one)
    page.log.console_errors.clear()

    two = Session(page, web, package, "course", "1.2", cmi=one.next_launch())
    state = two.state()
    assert state["lessons"] == {lesson: True}
    assert list(state["quizzes"]) == [quiz] and state["quizzes"][quiz]["attempts"] == 1
    assert state["quizzes"][quiz]["best"] == 100 and state["inProgress"] == {}
    two.goto("index.html")
    assert_home_after_one_lesson_and_the_quiz(two.content())
    two.exit()
    assert (two.cmi()["objectives"]["0"]["id"], two.cmi()["objectives"]["0"]["status"]) == (module, "passed")
    assert_one_clean_session(two)


# ------------------------------------------------------------------------------- suspend data

PLAIN = f"plain-{PACKAGE}"
# A state that uses every part of the "B1" encoding (see the top of builder/assets/runtime/scorm-codec.js).
FULL_STATE = {
    "lessons": {"l1": True},
    "quizzes": {"q1": {"best": 83, "passed": True, "attempts": 2, "last": {"score": 83, "passed": True},
                       "passedOn": "2026-03-05"}},
    "inProgress": {
        "q1": {"v": 1, "startedAt": "2026-03-05T10:00:00.000Z",
               "questions": ["q1-single", "q1-multiple", "q1-tf", "q1-match", "q1-order", "q1-fill"],
               "order": {"q1-single": ["b", "a"], "q1-multiple": ["c", "a", "b"], "q1-match": ["b", "a"],
                         "q1-order": ["c", "a", "b"]},
               "answers": {"q1-single": "a", "q1-multiple": ["a", "b"], "q1-tf": False,
                           "q1-match": {"a": "a", "b": "b"}, "q1-order": ["a", "b", "c"],
                           "q1-fill": "Réponse (libre) ~ ok"},
               "firstAnswerMs": {"q1-single": 1200, "q1-fill": 56700}},
        "exam": {"v": 1, "startedAt": "2026-03-06T09:00:00.000Z", "questions": ["exam-2", "exam-1"],
                 "order": {"exam-2": ["a", "b"]}, "answers": {"exam-1": True}, "firstAnswerMs": {}},
    },
    "name": "Zoé O'Brien",
    "last": "q1",
    "path": "",  # a package holds one path: the learner's choice of path is the site's only
}
ROUND_TRIP = """text => {
    const I = window.BonSensSCOInternals;
    const once = I.decode(text);
    if (once === null) return JSON.stringify(null);
    return JSON.stringify({once: once, again: I.decode(I.encode(once.state, {count: once.count}, 64000))});
}"""


@pytest.fixture(scope="module")
def codec(browser: Any, web: str) -> Iterator[tuple[Any, dict[str, Any], str]]:
    """The SCO runtime of the plain mini course, its configuration and FULL_STATE encoded."""
    context = browser.new_context()
    tab = context.new_page()
    tab.log = watch(tab)
    session = Session(lms_page(tab, web), web, PLAIN, "course", "1.2")
    frame = session.launch_frame()
    full = frame.evaluate("s => window.BonSensSCOInternals.encode(s, {count: 12, lastQuiz: 'exam'}, 64000)",
                          FULL_STATE)
    assert json.loads(frame.evaluate(ROUND_TRIP, full))["once"] == {"state": FULL_STATE, "count": 12}
    yield frame, frame.evaluate("window.BonSensSCO.config"), full
    assert tab.log.page_errors == []
    context.close()


def assert_valid_state(decoded: dict[str, Any], config: dict[str, Any]) -> None:
    """A state the runtime can work with: only this SCO's ids, numbers in range, real dates."""
    state, count = decoded["state"], decoded["count"]
    assert set(state) == {"lessons", "quizzes", "inProgress", "name", "last", "path"}
    assert state["path"] == ""  # a package holds one path: none is ever read from suspend data
    assert state["last"] in ("", *config["lessons"], *config["quizzes"])
    assert set(state["lessons"]) <= set(config["lessons"]) and all(v is True for v in state["lessons"].values())
    assert set(state["quizzes"]) <= set(config["quizzes"])
    for record in state["quizzes"].values():
        assert 0 <= record["best"] <= 100 and isinstance(record["attempts"], int) and record["attempts"] >= 0
        assert record["last"] is None or 0 <= record["last"]["score"] <= 100
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record.get("passedOn", "2000-01-01"))
    for quiz, attempt in state["inProgress"].items():
        assert quiz in config["quizzes"] and set(attempt["questions"]) <= set(config["questions"])
        started = datetime.fromisoformat(attempt["startedAt"].replace("Z", "+00:00"))
        assert started <= datetime.now(UTC)
        assert set(attempt["answers"]) | set(attempt["order"]) | set(attempt["firstAnswerMs"]) <= \
            set(attempt["questions"])
        assert all(isinstance(ms, int) and ms >= 0 for ms in attempt["firstAnswerMs"].values())
    assert isinstance(state["name"], str) and len(state["name"]) <= 120
    assert isinstance(count, int) and count >= 0


# Characters that mean something to the codec, and a few that mean nothing to it.
CODEC_TEXT = st.text(alphabet="~.,;:!()'*=TFpl-_ 019azAZ\u00e9\u0000\U0001f600", max_size=24)


@st.composite
def damaged(draw: st.DrawFn, full: str) -> str:
    """FULL_STATE's suspend data with fields replaced, spliced or cut."""
    fields = full.split("~")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(fields) - 1))
        start = draw(st.integers(0, len(fields[i])))
        end = start + draw(st.integers(0, 6))
        fields[i] = fields[i][:start] + draw(CODEC_TEXT) + fields[i][end:]
    text = "~".join(fields)
    return text[: draw(st.integers(0, len(text)))] if draw(st.booleans()) else text


def test_any_suspend_data_decodes_to_a_valid_state(codec: tuple[Any, dict[str, Any], str]) -> None:
    """Whatever an LMS hands back as suspend data: no exception, a state that fits the SCO, and
    saving that state then reading it back gives it unchanged."""
    frame, config, full = codec

    @settings(max_examples=300, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(damaged(full), st.text(max_size=60), CODEC_TEXT.map(lambda t: full[:20] + t)))
    def decodes(text: str) -> None:
        result = json.loads(frame.evaluate(ROUND_TRIP, text))
        if result is not None:
            assert_valid_state(result["once"], config)
            assert result["again"] == result["once"]

    decodes()


def field(text: str, index: int, value: str) -> str:
    parts = text.split("~")
    parts[index] = value
    return "~".join(parts)


def attempt_starts(text: str, start: str) -> str:
    """Every attempt in progress given this start field."""
    attempts = [a.split(".") for a in text.split("~")[4].split(",")]
    return field(text, 4, ",".join(".".join([a[0], start, *a[2:]]) for a in attempts))


# (name, how to damage FULL_STATE's suspend data, what must be kept: lessons, quizzes, attempts)
SUSPEND_CASES: list[tuple[str, Any, tuple[list[str], list[str], list[str]]]] = [
    ("start far in the future", lambda s: attempt_starts(s, "zzzzzzzzzz"), (["l1"], ["q1"], ["q1", "exam"])),
    ("start not a number", lambda s: attempt_starts(s, "-1e9"), (["l1"], ["q1"], ["q1", "exam"])),
    ("start too long", lambda s: attempt_starts(s, "z" * 40), (["l1"], ["q1"], ["q1", "exam"])),
    ("score NaN", lambda s: field(s, 3, "NaN.NaN"), (["l1"], [], ["q1", "exam"])),
    ("score out of range", lambda s: field(s, 3, "zz.1"), (["l1"], [], ["q1", "exam"])),
    ("attempts negative", lambda s: field(s, 3, "2b.-5.2b.p"), (["l1"], ["q1"], ["q1", "exam"])),
    ("count negative", lambda s: field(s, 6, "-3"), (["l1"], ["q1"], ["q1", "exam"])),
    ("count huge", lambda s: field(s, 6, "z" * 30), (["l1"], ["q1"], ["q1", "exam"])),
    ("name beyond unicode", lambda s: field(s, 5, "!!zzzz!zz!"), (["l1"], ["q1"], ["q1", "exam"])),
    ("question unknown", lambda s: field(s, 4, "0.1.zz:T"), (["l1"], ["q1"], [])),
    ("tokens unclosed", lambda s: field(s, 4, "0.1.00((((:*((:=(a"), (["l1"], ["q1"], ["q1"])),
    ("lessons garbage", lambda s: field(s, 2, "~!@#"), ([], [], [])),
    ("cut in the middle", lambda s: s[: len(s) // 2], ([], [], [])),
    ("another structure", lambda s: field(s, 1, "abc"), ([], [], [])),
    ("not ours", lambda s: '{"lessons": {"l1": true}}', ([], [], [])),
]


@pytest.mark.parametrize(("standard", "name", "damage", "kept"),
                         [("1.2", *case) for case in SUSPEND_CASES] + [("2004", *case) for case in SUSPEND_CASES[:4]],
                         ids=[f"1.2-{c[0]}" for c in SUSPEND_CASES] + [f"2004-{c[0]}" for c in SUSPEND_CASES[:4]])
def test_malformed_suspend_data_from_the_lms(page: Any, web: str, codec: tuple[Any, dict[str, Any], str],
                                             standard: str, name: str, damage: Any,
                                             kept: tuple[list[str], list[str], list[str]]) -> None:
    """scorm-again hands back damaged suspend data: the SCO opens its page, keeps what is valid,
    and writes back a state it can read again."""
    suspend = damage(codec[2])
    if standard == "2004":
        cmi: dict[str, Any] = {"learner_id": "learner-1", "entry": "resume", "mode": "normal",
                               "suspend_data": suspend, "location": "index.html"}
    else:
        cmi = {"core": {"student_id": "learner-1", "entry": "resume", "lesson_status": "incomplete",
                        "lesson_mode": "normal", "lesson_location": "index.html"}, "suspend_data": suspend}
    package = PLAIN if standard == "1.2" else PLAIN.replace("scorm12", "scorm2004")
    session = Session(lms_page(page, web), web, package, "course", standard, cmi=cmi)
    assert session.location() == "index.html"
    session.content().locator(".bs-home .bs-overall-value").wait_for()
    state = session.state()
    lessons, quizzes, attempts = kept
    assert sorted(state["lessons"]) == lessons and sorted(state["quizzes"]) == quizzes
    assert sorted(state["inProgress"]) == sorted(attempts)
    session.close()
    written = session.cmi()["suspend_data"]
    assert written.startswith("B1~") and "NaN" not in written
    assert_one_clean_session(session)


# ------------------------------------------------------------------------------- anything else the LMS says

# An LMS written by a test: answers GetValue from `values` (anything at all), accepts every
# SetValue and records it.
SCRIPTED_LMS = """({options, values}) => {
    LMS.launch(Object.assign({noApi: true}, options));
    const names = options.standard === "2004"
        ? ["Initialize", "Terminate", "Commit", "GetValue", "SetValue", "GetLastError", "GetErrorString",
           "GetDiagnostic"]
        : ["LMSInitialize", "LMSFinish", "LMSCommit", "LMSGetValue", "LMSSetValue", "LMSGetLastError",
           "LMSGetErrorString", "LMSGetDiagnostic"];
    const api = {};
    window.SCRIPTED = [];
    names.slice(0, 3).forEach((name) => { api[name] = () => "true"; });
    api[names[3]] = (key) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : "");
    api[names[4]] = (key, value) => { window.SCRIPTED.push([key, value]); return "true"; };
    api[names[5]] = () => "0";
    api[names[6]] = api[names[7]] = () => "";
    window[options.standard === "2004" ? "API_1484_11" : "API"] = api;
}"""
WAIT_FOR_PAGE = """() => {
    const s = window.BonSensSCOInternals && window.BonSensSCOInternals.session;
    const doc = document.getElementById('bs-sco-frame').contentDocument;
    return !!(s && s.location && doc && doc.readyState === 'complete' && doc.querySelector('.md-content h1'));
}"""
STATUSES_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
# (name, standard, values the LMS hands back, the page the SCO must open)
LMS_CASES: list[tuple[str, str, dict[str, str], str]] = [
    ("location script", "1.2", {"cmi.core.lesson_location": "javascript:alert(1)"}, "index.html"),
    ("location elsewhere", "1.2", {"cmi.core.lesson_location": "https://example.org/m1/l1.html"}, "index.html"),
    ("location upwards", "1.2", {"cmi.core.lesson_location": "../../../../etc/passwd"}, "index.html"),
    ("location bad escape", "1.2", {"cmi.core.lesson_location": "%E0%A4%A"}, "index.html"),
    ("location with query", "1.2", {"cmi.core.lesson_location": "m1/q1.html?x=1#top"}, "index.html"),
    ("status unknown", "1.2", {"cmi.core.lesson_status": "bogus\u0000"}, "m1/q1.html"),
    ("status passed", "1.2", {"cmi.core.lesson_status": "passed"}, "m1/q1.html"),
    ("mastery too high", "1.2", {"cmi.student_data.mastery_score": "500"}, "m1/q1.html"),
    ("mastery negative", "1.2", {"cmi.student_data.mastery_score": "-3"}, "m1/q1.html"),
    ("mastery not a number", "1.2", {"cmi.student_data.mastery_score": "1e999"}, "m1/q1.html"),
    ("objectives countless", "1.2", {"cmi.objectives._count": "100000000"}, "m1/q1.html"),
    ("objectives negative", "1.2", {"cmi.objectives._count": "-5"}, "m1/q1.html"),
    ("interactions negative", "1.2", {"cmi.interactions._count": "-1"}, "m1/q1.html"),
    ("learner control characters", "1.2", {"cmi.core.student_id": "\u001b[31m\nlearner",
                                           "cmi.core.student_name": "x" * 10000}, "m1/q1.html"),
    ("mode and entry garbage", "1.2", {"cmi.core.lesson_mode": "\u0000", "cmi.core.entry": "\U0001f600"},
     "m1/q1.html"),
    ("scaled mastery too high", "2004", {"cmi.scaled_passing_score": "5"}, "m1/q1.html"),
    ("scaled mastery negative", "2004", {"cmi.scaled_passing_score": "-1"}, "m1/q1.html"),
    ("statuses unknown", "2004", {"cmi.completion_status": "done!", "cmi.success_status": "[object Object]"},
     "m1/q1.html"),
]


@pytest.mark.parametrize(("name", "standard", "values", "opens"), LMS_CASES, ids=[c[0] for c in LMS_CASES])
def test_anything_the_lms_hands_back(page: Any, web: str, codec: tuple[Any, dict[str, Any], str], name: str,
                                     standard: str, values: dict[str, str], opens: str) -> None:
    """Values no real LMS should give: the SCO opens a page of its own, keeps the progress,
    keeps the mastery score in range and never writes a malformed value back."""
    v2004 = standard == "2004"
    given_values = {"cmi.suspend_data": codec[2], "cmi.core.student_id": "learner-1", "cmi.learner_id": "learner-1",
                    "cmi.core.lesson_location" if not v2004 else "cmi.location": "m1/q1.html", **values}
    if v2004 and "cmi.core.lesson_location" in values:
        given_values["cmi.location"] = values["cmi.core.lesson_location"]
    package = PLAIN if not v2004 else PLAIN.replace("scorm12", "scorm2004")
    options = {"standard": standard, "url": f"pkg/{package}/sco-course.html"}
    lms_page(page, web).evaluate(SCRIPTED_LMS, {"options": options, "values": given_values})
    frame = page.query_selector("#sco").content_frame()
    frame.wait_for_function(WAIT_FOR_PAGE, timeout=15000)
    internals = "JSON.parse(JSON.stringify(window.BonSensSCOInternals.session))"
    session = frame.evaluate(internals)
    assert session["location"] == opens
    assert sorted(session["state"]["lessons"]) == ["l1"] and sorted(session["state"]["quizzes"]) == ["q1"]
    assert session["masteryScore"] is None or 0 <= session["masteryScore"] <= 100
    frame.click("#bs-sco-exit")
    written = dict(page.evaluate("window.SCRIPTED"))
    for key, value in written.items():
        assert not re.search(r"NaN|undefined|Infinity|\[object|function", value), (key, value)
        assert re.fullmatch(r"(cmi|adl)(\.([a-z_]+|\d+))+", key), key
    if v2004:
        assert written["cmi.completion_status"] in ("completed", "incomplete")
        assert written["cmi.success_status"] in ("passed", "failed", "unknown")
    else:
        assert written["cmi.core.lesson_status"] in STATUSES_12
    assert written["cmi.suspend_data"].startswith("B1~")
    assert all(url.startswith(web) for url in page.log.requests), page.log.requests
    assert page.log.page_errors == [] and console_errors(page) == []


# ------------------------------------------------------------------------------- localStorage

# (stored text, lessons read the home page still shows, questions the quiz q1 then shows)
SITE_STORAGE: list[tuple[str, int, int]] = [
    ("not json", 0, 6),
    ("null", 0, 6),
    ("[1, 2]", 0, 6),
    ('"text"', 0, 6),
    ('{"lessons": [], "quizzes": "x", "inProgress": 5, "name": {}}', 0, 6),
    ('{"lessons": {"l1": true, "__proto__": {"l2": true}, "constructor": true, "l2": "yes"}}', 1, 6),
    ('{"lessons": {"l1": true}, "quizzes": {"q1": {"best": "NaN", "attempts": -4, "passed": "yes"}}}', 1, 6),
    ('{"quizzes": {"q1": {"best": 1e308, "attempts": 1e308, "passedOn": "9999-99-99", "last": []}}}', 0, 0),
    ('{"quizzes": {"__proto__": {"best": 100, "passed": true}, "constructor": {"best": 100}}}', 0, 6),
    ('{"inProgress": {"q1": {"v": 1, "startedAt": "+275760-09-13T00:00:00.001Z",'
     ' "questions": ["q1-single", "q1-single"]}}}', 0, 6),
    ('{"inProgress": {"q1": {"v": 1, "startedAt": 5, "questions": ["q1-tf", "q1-match"],'
     ' "answers": {"q1-tf": "maybe", "q1-match": {"__proto__": "a", "a": "z"}},'
     ' "order": {"q1-match": 5}, "firstAnswerMs": {"q1-tf": -1}}}}', 0, 2),
    ('{"inProgress": {"q1": {"v": 1, "questions": ["constructor", "__proto__"]}}}', 0, 6),
    ("[" * 100000 + "]" * 100000, 0, 6),
]


@pytest.mark.parametrize(("stored", "read", "questions"), SITE_STORAGE,
                         ids=[str(i) for i in range(len(SITE_STORAGE))])
def test_corrupt_local_storage_on_the_site(page: Any, web: str, stored: str, read: int, questions: int) -> None:
    """Whatever the browser kept under the course's key: the home page and the quiz work, what
    is valid is shown, nothing reads "NaN"."""
    site = f"{web}site-plain/"
    page.goto(site + "index.html")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORAGE_KEY, stored])
    page.reload()
    rows = progress_rows(page)
    assert f"{read} leçon{'s' if read > 1 else ''} lue{'s' if read > 1 else ''} sur 2" in rows["Premier module"], rows
    assert "NaN" not in page.locator("body").inner_text()
    page.goto(site + "m1/q1.html")
    page.wait_for_selector("fieldset.bs-question, .bs-summary")  # a quiz, or no attempt left
    assert "NaN" not in page.locator("body").inner_text()
    assert page.locator("fieldset.bs-question").count() == questions
    assert page.locator("fieldset.bs-question input:checked").count() == 0  # no stored answer was valid
    assert page.log.page_errors == [] and page.log.console_errors == []


SAFETY_KEY = "bonsens:mini-course:1.0.0:lms"


@pytest.mark.parametrize("copy", [
    '{"v": 1, "scos": {"course": {"data": "FULL", "learner": "learner-1", "committed": false,'
    ' "location": {"x": 1}, "pending": [{"id": "x", "patterns": 5}, {"id": "y", "patterns": ["a"], "latency": "zz",'
    ' "type": "choice", "response": "a", "result": "correct", "weighting": "1", "when": "10:00:00"}, 7, null]}}}',
    '{"v": 1, "scos": {"course": {"data": 42, "learner": {}, "committed": "no", "pending": "x"}}}',
    '{"v": 1, "scos": []}',
    '{"v": 1, "scos": {"__proto__": {"course": {"data": "FULL"}}, "constructor": 1}}',
    "{{{",
], ids=["pending-malformed", "fields-of-the-wrong-type", "scos-a-list", "proto-keys", "not-json"])
def test_corrupt_safety_copy_in_a_sco(page: Any, web: str, codec: tuple[Any, dict[str, Any], str], copy: str) -> None:
    """The SCO's own copy in localStorage, damaged: the session starts, statuses are written, and
    only a well-formed pending interaction is sent."""
    lms_page(page, web).evaluate("([key, value]) => localStorage.setItem(key, value)",
                                 [SAFETY_KEY, copy.replace('"FULL"', json.dumps(field(codec[2], 6, "0")))])
    session = Session(page, web, PLAIN, "course", "1.2")
    if copy.startswith('{"v": 1, "scos": {"course": {"data": "FULL"'):
        assert sorted(session.state()["lessons"]) == ["l1"]
        assert [item["id"] for item in (session.cmi().get("interactions") or {}).values()] == ["y"]
    session.exit()
    assert session.cmi()["core"]["lesson_status"] == "incomplete"
    assert_one_clean_session(session)


# ------------------------------------------------------------------------------- ids, where they are checked


def test_ids_cannot_be_the_names_that_clobber_an_object() -> None:
    """The one id rule (builder/model.py) refuses `__proto__` and JavaScript's method names;
    `constructor` stays a valid id, made harmless by the browser code above."""
    from pydantic import TypeAdapter, ValidationError

    from builder.model import Identifier

    ids = TypeAdapter(Identifier)
    for name in ("__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"):
        with pytest.raises(ValidationError):
            ids.validate_python(name)
    assert ids.validate_python("constructor") == "constructor"


PREVIEW_LMS = Path(__file__).parent.parent / "builder" / "preview" / "static" / "lms-api.js"
CHOICE_RESPONSE = """
require(process.argv[1]);
const lms = BonSensLMS.create("2004", {});
lms.begin(BonSensLMS.newModel("2004", {}), {});
const api = lms.binding;
api.Initialize("");
api.SetValue("cmi.interactions.0.id", "q");
api.SetValue("cmi.interactions.0.type", "choice");
console.log(api.SetValue("cmi.interactions.0.learner_response", "a[,]constructor"), api.GetDiagnostic(""));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_preview_lms_takes_constructor_as_an_identifier() -> None:
    """`bonsens preview`'s strict LMS checks that a choice response names each id once: an id
    called `constructor` is not one it has "seen" already."""
    import subprocess

    out = subprocess.run(["node", "-e", CHOICE_RESPONSE, str(PREVIEW_LMS)], capture_output=True, text=True,
                         check=True).stdout
    assert out.startswith("true"), out
