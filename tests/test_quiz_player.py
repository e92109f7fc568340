"""The quiz player's decisions, the same on the site and in what the LMS receives.

- An ordering left in the order shown is an answer (the learner may find it right as shown): it is
  graded and reported as it is, never "unanswered"; and the order shown is never the right one.
- A question scores only when it is entirely right. "Partly correct" says what was right and that
  the question scores 0; the score shown, pass/fail and the LMS's interaction result and score agree.
- A scenario reads as text, its question is the emphasised part; the matching list shows its whole
  placeholder at 390 px; every control is at least 24 × 24 px; nothing needs dragging.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.browser import static_server, watch, watched_tab
from tests.learner import answer_question, quiz_data
from tests.test_scorm_runtime import SCORM_AGAIN, Session, check_interactions, interactions_of, lms_root, objective

MINI = Path(__file__).parent / "fixtures" / "mini"
SCENARIO = ("Samira, chargée de RH à Lyon, lit l'enquête : 36 % des groupes bloquent les réseaux. "
            "Son directeur, M. Roy, veut faire de même. Que peut-elle lui répondre ?")

pytestmark = [
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not (SCORM_AGAIN / "scorm12.js").exists(), reason="npm ci has not installed scorm-again"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini course, its module quiz opening on a scenario told in one paragraph."""
    root = tmp_path_factory.mktemp("quiz") / "mini"
    shutil.copytree(MINI, root)
    quiz = root / "quizzes" / "q1.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(
        "      fr: Quelle réponse ?\n", f"      fr: \"{SCENARIO}\"\n", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root), "--quiet"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with static_server(built / "site") as url:
        yield url


@pytest.fixture(scope="module")
def lms_url(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with static_server(lms_root(tmp_path_factory.mktemp("lms"), [built / "dist"])) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with watched_tab(browser, 390, 844) as tab:
        yield tab


def open_quiz(page: Any, url: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_selector("fieldset.bs-question")
    return {q["id"]: q for q in quiz_data(page)["questions"]}


def fieldset(frame: Any, question_id: str) -> Any:
    return frame.locator(f'fieldset[data-question-id="{question_id}"]')


def shown_order(frame: Any) -> list[str]:
    return fieldset(frame, "q1-order").locator(".bs-order-item").evaluate_all("els => els.map(e => e.dataset.itemId)")


def answer_all_but(frame: Any, questions: dict[str, Any], left: set[str]) -> None:
    """Every question right, but those in `left`, which the test answers itself (or not)."""
    for question_id, question in questions.items():
        if question_id not in left:
            answer_question(frame, fieldset(frame, question_id), question, correct=True, keyboard=False)


def match_one_pair_of_two(frame: Any) -> None:
    """The first pair right, the second given the first pair's answer too: 1 of 2 pairs right."""
    for left in ("a", "b"):
        fieldset(frame, "q1-match").locator(f'select[data-left-id="{left}"]').select_option("a")


def submit(frame: Any) -> None:
    frame.locator(".bs-quiz-form button[type=submit]").click()
    frame.locator(".bs-summary, .bs-warning").first.wait_for()


# --------------------------------------------------------------------------- on the site


def test_ordering_left_as_shown_is_an_answer(page: Any, site_url: str) -> None:
    questions = open_quiz(page, site_url + "m1/q1.html")
    shown = shown_order(page)
    assert shown != ["a", "b", "c"]  # never shown in the right order
    answer_all_but(page, questions, {"q1-order"})
    submit(page)
    assert page.locator(".bs-warning").count() == 0  # nothing unanswered: no question asked
    order = fieldset(page, "q1-order")
    assert "pas de réponse" not in order.inner_text()
    assert order.locator(".bs-verdict--ok").count() == 0
    result = page.evaluate("BonSens.progress.normaliseState(BonSens.tracker.getState()).quizzes.q1")
    assert result["last"]["score"] == 83  # 5 of 6: the order shown, graded as it is, is wrong
    assert "83" in page.locator(".bs-summary-title").inner_text()
    assert page.log.page_errors == []


def test_a_saved_order_that_is_already_right_is_shuffled_again(page: Any, site_url: str) -> None:
    """An attempt saved with the ordering in the right order (an older build, an edited quiz)
    does not show the answer on reload."""
    open_quiz(page, site_url + "m1/q1.html")
    page.evaluate("""() => {
        const raw = JSON.parse(document.querySelector('script.bs-quiz-data').textContent);
        const quiz = BonSens.quiz.normaliseQuiz(raw, 'q1');
        const attempt = BonSens.quiz.newAttempt(quiz);
        attempt.order['q1-order'] = ['a', 'b', 'c'];
        BonSens.tracker.saveQuizInProgress('q1', attempt);
    }""")
    page.reload()
    page.wait_for_selector("fieldset.bs-question")
    assert sorted(shown_order(page)) == ["a", "b", "c"]
    assert shown_order(page) != ["a", "b", "c"]


def test_partly_right_says_what_it_means_and_scores_zero(page: Any, site_url: str) -> None:
    questions = open_quiz(page, site_url + "m1/q1.html")
    answer_all_but(page, questions, {"q1-match"})
    match_one_pair_of_two(page)
    submit(page)
    match = fieldset(page, "q1-match")
    assert match.locator(".bs-verdict--partial").count() == 1
    note = match.locator(".bs-partial-note").inner_text().replace("\u202f", " ")
    assert "1 paire(s) juste(s) sur 2." in note and "0 point" in note
    # 5 questions of 6 count: 83 % (half a question more would make 92 %), passed against 80 %
    summary = page.locator(".bs-quiz-result").inner_text().replace("\u202f", " ")
    assert "Votre score : 83 %" in summary and "Réussi" in summary


def test_scenario_is_text_and_its_question_is_emphasised(page: Any, site_url: str) -> None:
    open_quiz(page, site_url + "m1/q1.html")
    prompt = fieldset(page, "q1-single").locator(".bs-question-prompt")
    paragraphs = prompt.locator("p").evaluate_all(
        "ps => ps.map(p => [p.textContent, getComputedStyle(p).fontWeight])")
    assert len(paragraphs) == 2, paragraphs
    (story, story_weight), (ask, ask_weight) = paragraphs
    assert story.startswith("Samira") and "M. Roy" in story and int(story_weight) < 600
    assert ask.replace("\u202f", " ") == "Que peut-elle lui répondre ?" and int(ask_weight) >= 700


def test_controls_are_targets_and_the_placeholder_shows_whole(page: Any, site_url: str) -> None:
    """At 390 px: every control at least 24 × 24 px (WCAG 2.2, 2.5.8), the matching lists wide
    enough for their whole placeholder, and no drag-only interaction (2.5.7)."""
    for lang in ("", "en/"):
        open_quiz(page, site_url + lang + "m1/q1.html")
        small = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.bs-quiz input, .bs-quiz select, .bs-quiz button, .bs-quiz a'))
            .map(el => [el.outerHTML.slice(0, 60), el.getBoundingClientRect()])
            .filter(([, r]) => r.width < 24 || r.height < 24)""")
        assert small == []
        cut = page.evaluate("""() => Array.from(document.querySelectorAll('.bs-quiz select')).map(select => {
            // The same list with its placeholder alone, as wide as it needs to be
            const probe = select.cloneNode(false);
            probe.append(select.options[0].cloneNode(true));
            probe.style.width = 'auto';
            probe.style.maxWidth = 'none';
            select.after(probe);
            const needed = probe.getBoundingClientRect().width;
            probe.remove();
            return [select.options[0].text, needed, select.getBoundingClientRect().width];
        }).filter(([, needed, width]) => needed > width + 0.5)""")
        assert cut == []
        assert page.locator(".bs-quiz [draggable=true]").count() == 0
        assert fieldset(page, "q1-order").locator(".bs-move").count() == 6  # two buttons per item


# --------------------------------------------------------------------------- in an LMS


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_the_lms_receives_what_the_learner_saw(browser: Any, lms_url: str, standard: str) -> None:
    """The ordering left as shown is reported with the order shown, as wrong; the partly right
    matching as wrong; the module's score is the score the learner read."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.log = watch(tab)
    try:
        tab.goto(lms_url + "lms.html")
        package = f"mini-course-1.0.0-fr-{'scorm12' if standard == '1.2' else 'scorm2004'}"
        session = Session(tab, lms_url, package, "course", standard)
        session.goto("m1/q1.html")
        frame = session.content()
        frame.wait_for_selector("fieldset.bs-question")
        questions = {q["id"]: q for q in quiz_data(frame)["questions"]}
        shown = shown_order(frame)
        answer_all_but(frame, questions, {"q1-order", "q1-match"})
        match_one_pair_of_two(frame)
        submit(frame)
        assert frame.locator(".bs-warning").count() == 0
        shown_score = frame.locator(".bs-summary-title").inner_text()
        assert "67" in shown_score  # 4 of 6
        session.close()
        cmi = session.cmi()
        items = {item["id"]: item for item in check_interactions(session, cmi)}
        assert set(items) == set(questions)  # every question reported, the ordering included
        wrong = "incorrect" if session.v2004 else "wrong"
        response = "learner_response" if session.v2004 else "student_response"
        assert items["q1-order"]["result"] == wrong
        assert items["q1-order"][response] == ("[,]" if session.v2004 else ",").join(shown)
        assert items["q1-match"]["result"] == wrong
        assert [i["result"] for i in interactions_of(cmi)].count("correct") == 4
        assert objective(cmi, "m1")["score"]["raw"] == "67"
    finally:
        context.close()
