"""A learner playing a Bon Sens SCO inside Moodle's player, through the course's own controls.

`import_and_play.py --hook` calls `learner(page, frame, sco, ctx)` once per SCO, with `frame` the
SCO's launch page. The learner marks each lesson read with its button, follows the footer's
"Next" link, answers each quiz (right, wrong, or in part), takes the result's "Next — <module>"
way on, and presses the SCO's Exit. What to do comes from the environment, as JSON in
BONSENS_MOODLE_PLAN:

    exam_correct   questions of the final exam answered right (the rest wrong); default 18 of 20
    fail_first     a module quiz failed once, then passed after "Retry" (the first one met)
    leave_in       a quiz id: answer half of it, then stop (no Exit: Moodle's "Exit activity" unloads)
    retake         on landing on the exam's result, press "Retry" and take it again
    exit           press the SCO's Exit button at the end (default true)
    quick          read the lessons at once (the tracker, as "Mark as read" does) and go straight
                   to each quiz: a journey whose lessons another test already reads page by page

It returns what it saw (where the SCO opened, what it restored, the Exit notice) for the test.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.learner import answer_question  # noqa: E402 - the repository is put on the path first

READY = """() => {
    const s = window.BonSensSCOInternals && window.BonSensSCOInternals.session;
    const frame = document.getElementById('bs-sco-frame');
    const doc = frame && frame.contentDocument;
    return !!(s && s.location && doc && doc.readyState === 'complete'
              && doc.documentElement.hasAttribute('data-bs-sco'));
}"""
STEPS = 80  # pages at most per SCO: a guard against a loop, far above the course's 25


def learner(page: Any, frame: Any, sco: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    plan = json.loads(os.environ.get("BONSENS_MOODLE_PLAN", "{}"))
    frame.wait_for_function(READY, timeout=30000)
    seen: dict[str, Any] = {
        "landed": location(frame),
        "restored": frame.evaluate("JSON.parse(JSON.stringify(window.BonSensSCOInternals.session.state))"),
        "connected": frame.evaluate("!document.getElementById('bs-sco-exit').hidden"),
        "role": frame.evaluate("window.BonSensSCO.config.role"),
        "pages": [],
        "quizzes": [],
    }
    done = Walk(frame, plan, seen).run()
    if done == "left":
        return seen
    if done != "exited" and plan.get("exit", True):
        frame.click("#bs-sco-exit")
    if done == "exited" or plan.get("exit", True):
        frame.wait_for_function("() => document.getElementById('bs-sco-frame').hidden", timeout=30000)
        seen["exit_notice"] = frame.inner_text("#bs-sco-status")
        seen["exit_labels"] = frame.evaluate("window.BonSensSCO.config.labels")
    return seen


def location(frame: Any) -> str:
    return str(frame.evaluate("window.BonSensSCOInternals.session.location"))


class Walk:
    """One SCO's pages in the order a learner meets them."""

    def __init__(self, frame: Any, plan: dict[str, Any], seen: dict[str, Any]) -> None:
        self.frame = frame
        self.plan = plan
        self.seen = seen

    def content(self) -> Any:
        return self.frame.query_selector("#bs-sco-frame").content_frame()

    def run(self) -> str:
        """Walk until the exam is taken, the SCO is left, or there is no way on; say which."""
        if self.plan.get("quick"):
            return self.run_quickly()
        for _ in range(STEPS):
            page = self.content()
            self.seen["pages"].append(location(self.frame))
            if page.query_selector(".bs-lesson-end"):
                self.read_lesson(page)
            if page.query_selector(".bs-quiz-form, .bs-quiz-result"):
                outcome = self.take_quiz(page)
                if outcome in ("left", "exam", "exited"):
                    return outcome
                if outcome == "next":
                    continue
            if not self.follow(page, "a.md-footer__link--next"):
                return "end"
        return "end"

    def run_quickly(self) -> str:
        """Every lesson of the SCO read in one change of state, then each quiz in order."""
        self.frame.evaluate("""() => {
            const tracker = window.BonSensSCO.tracker, state = tracker.getState();
            window.BonSensSCO.config.lessons.forEach(id => { state.lessons[id] = true; });
            tracker.setState(state);
        }""")
        config = self.frame.evaluate("window.BonSensSCO.config")
        for quiz_id in config["quizzes"]:
            path = next(p for p in config["pages"] if p.endswith(f"/{quiz_id}.html"))
            if location(self.frame) != path:
                self.open(path)
            self.seen["pages"].append(path)
            outcome = self.take_quiz(self.content())
            if outcome in ("left", "exam", "exited"):
                return outcome
        return "end"

    def open(self, path: str) -> None:
        """Show one of the SCO's pages, as a link to it would."""
        self.frame.evaluate("""path => {
            document.getElementById('bs-sco-frame').contentWindow.location.href = new URL(path, location.href).href;
        }""", path)
        self.frame.wait_for_function("p => window.BonSensSCOInternals.session.location === p", arg=path,
                                     timeout=30000)
        self.frame.wait_for_function(READY, timeout=30000)

    def read_lesson(self, page: Any) -> None:
        page.evaluate("""() => {
            const button = document.querySelector('.bs-lesson-end button');
            if (button) button.click();   // "Mark as read" (unless seeing the end marked it already)
        }""")
        page.wait_for_selector(".bs-lesson-done", timeout=15000)

    def follow(self, page: Any, selector: str) -> bool:
        """Click a visible link of the page; wait for the SCO to show where it leads."""
        before = location(self.frame)
        clicked = page.evaluate("""selector => {
            const link = Array.from(document.querySelectorAll(selector)).find(a => a.offsetParent !== null);
            if (link) link.click();
            return !!link;
        }""", selector)
        if not clicked:
            return False
        self.frame.wait_for_function("p => window.BonSensSCOInternals.session.location !== p", arg=before,
                                     timeout=30000)
        self.frame.wait_for_function(READY, timeout=30000)
        return True

    def take_quiz(self, page: Any) -> str:
        data = page.evaluate("JSON.parse(document.querySelector('script.bs-quiz-data').textContent)")
        quiz_id = data["id"]
        exam = self.frame.evaluate("id => window.BonSensSCO.config.scoring_quizzes.includes(id)"
                                   " && window.BonSensSCO.config.role !== 'module'", quiz_id)
        record: dict[str, Any] = {"quiz": quiz_id, "attempts": []}
        self.seen["quizzes"].append(record)
        page.wait_for_selector("fieldset.bs-question, .bs-summary, .bs-locked", timeout=15000)
        if page.query_selector(".bs-summary") and not page.query_selector("fieldset.bs-question:not([disabled])"):
            if not (exam and self.plan.get("retake")):
                return self.way_on(page)
            self.retry(page)
        if self.plan.get("leave_in") == quiz_id:
            record["answered"] = self.answer(page, data, right=None, half=True)
            return "left"
        if exam:
            record["attempts"].append(self.attempt(page, data, right=int(self.plan.get("exam_correct", 18))))
            return "exam"
        if self.plan.pop("fail_first", False):
            record["attempts"].append(self.attempt(page, data, right=0))
            self.retry(page)
        record["attempts"].append(self.attempt(page, data, right=len(data["questions"])))
        return self.way_on(page)

    def answer(self, page: Any, data: dict[str, Any], *, right: int | None, half: bool = False) -> list[str]:
        """Answer the open questions not answered yet (the first `right` of them right)."""
        questions = {q["id"]: q for q in data["questions"]}
        fieldsets = page.locator("fieldset.bs-question").all()
        answered: list[str] = []
        restored = page.evaluate(f"""() => {{
            const s = window.parent.BonSensSCOInternals.session.state.inProgress[{json.dumps(data["id"])}];
            return s ? Object.keys(s.answers || {{}}) : [];
        }}""")
        for index, fieldset in enumerate(fieldsets[: len(fieldsets) // 2] if half else fieldsets):
            question_id = fieldset.get_attribute("data-question-id")
            if question_id in restored:
                continue
            correct = half or right is None or index < right
            answer_question(page, fieldset, questions[question_id], correct=correct, keyboard=False)
            answered.append(question_id)
        return answered

    def attempt(self, page: Any, data: dict[str, Any], *, right: int) -> dict[str, Any]:
        answered = self.answer(page, data, right=right)
        page.locator(".bs-quiz-form button[type=submit]").click()
        page.locator(".bs-summary, .bs-warning").first.wait_for()
        if page.locator(".bs-summary").count() == 0:
            page.locator(".bs-warning button").last.click()
        page.locator(".bs-summary").wait_for()
        return {"answered": len(answered), "summary": page.inner_text(".bs-summary-title")}

    def retry(self, page: Any) -> None:
        page.locator(".bs-summary .bs-actions button").click()
        page.wait_for_selector("fieldset.bs-question:not([disabled])")

    def way_on(self, page: Any) -> str:
        """The result's "Next — <next module>": inside the SCO it opens the next page; where that
        page is another SCO's, the SCO saves and ends so that the LMS's menu takes over."""
        link = page.query_selector(".bs-summary .bs-actions a")
        if link is None:
            return "done"
        before = location(self.frame)
        link.click()
        self.frame.wait_for_function("""p => document.getElementById('bs-sco-frame').hidden
            || window.BonSensSCOInternals.session.location !== p""", arg=before, timeout=30000)
        if self.frame.evaluate("document.getElementById('bs-sco-frame').hidden"):
            return "exited"
        self.frame.wait_for_function(READY, timeout=30000)
        return "next"
