"""A scripted learner: answers a quiz page right or wrong, with the mouse or the keyboard alone.

It reads the quiz's own data from the page to know the right answers, then works the controls
as a person would (clicks, Tab and Space, select lists, move buttons, typing).
"""

from __future__ import annotations

from typing import Any


def quiz_data(page: Any) -> dict[str, Any]:
    return page.evaluate("JSON.parse(document.querySelector('script.bs-quiz-data').textContent)")


def read(page: Any, url: str) -> None:
    """Open a lesson and reach its end, which is how a lesson counts as read."""
    page.goto(url)
    page.locator(".bs-lesson-end").scroll_into_view_if_needed()
    page.locator(".bs-lesson-done").wait_for()


def answer_quiz(page: Any, *, correct: bool, keyboard: bool = False) -> None:
    """Answer every question shown, all right or all wrong, then submit."""
    questions = {q["id"]: q for q in quiz_data(page)["questions"]}
    for fieldset in page.locator("fieldset.bs-question").all():
        question = questions[fieldset.get_attribute("data-question-id")]
        answer_question(page, fieldset, question, correct=correct, keyboard=keyboard)
    submit = page.locator(".bs-quiz-form button[type=submit]")
    if keyboard:
        submit.focus()
        page.keyboard.press("Enter")
    else:
        submit.click()
    # A question left blank makes the player ask before submitting (an ordering never is blank)
    summary_or_warning = page.locator(".bs-summary, .bs-warning")
    summary_or_warning.first.wait_for()
    if page.locator(".bs-summary").count() == 0:
        page.locator(".bs-warning button").last.click()
    page.locator(".bs-summary").wait_for()


def answer_shown(frame: Any, *, correct: bool, count: int | None = None) -> list[str]:
    """Answer the questions the quiz page shows (the first `count` of them), right or wrong, with the
    mouse; returns their ids in the order shown (an exam draws and shuffles them)."""
    frame.wait_for_selector("fieldset.bs-question:not([disabled])")
    questions = {q["id"]: q for q in quiz_data(frame)["questions"]}
    answered = []
    for fieldset in frame.locator("fieldset.bs-question").all()[:count]:
        question_id = fieldset.get_attribute("data-question-id")
        answer_question(frame, fieldset, questions[question_id], correct=correct, keyboard=False)
        answered.append(question_id)
    return answered


def submit_quiz(frame: Any) -> None:
    """Submit the quiz (anyway, when questions are left blank) and wait for its result."""
    frame.locator(".bs-quiz-form button[type=submit]").click()
    if frame.locator(".bs-warning button").count():  # questions left blank: submit anyway
        frame.locator(".bs-warning button").last.click()
    frame.locator(".bs-summary").wait_for()


def answer_question(page: Any, fieldset: Any, question: dict[str, Any], *, correct: bool, keyboard: bool) -> None:
    kind = question["type"]
    if kind in ("single", "multiple", "true_false"):
        for value in _choices_to_pick(question, correct):
            _pick(page, fieldset.locator(f'.bs-choice[data-value="{value}"] input'), keyboard)
    elif kind == "matching":
        ids = [pair["id"] for pair in question["pairs"]]
        targets = ids if correct else ids[1:] + ids[:1]
        for left, right in zip(ids, targets, strict=True):
            select = fieldset.locator(f'select[data-left-id="{left}"]')
            if keyboard:
                select.focus()
            select.select_option(right)
    elif kind == "ordering":
        right = [item["id"] for item in question["items"]]
        wrong = right[1:2] + right[:1] + right[2:]
        shown = fieldset.locator(".bs-order-item").evaluate_all("els => els.map(e => e.dataset.itemId)")
        if not correct and shown == wrong:
            wrong = right[::-1]  # move something, so that the question counts as answered
        _reorder(page, fieldset, right if correct else wrong, keyboard)
    elif kind == "fill_in":
        field = fieldset.locator("input.bs-input")
        text = question["answers"][0].upper() if correct else "zzz-wrong"
        if keyboard:
            field.focus()
            page.keyboard.type(text)
        else:
            field.fill(text)


def _choices_to_pick(question: dict[str, Any], correct: bool) -> list[str]:
    if question["type"] == "true_false":
        return [str(question["answer"] if correct else not question["answer"]).lower()]
    right = [c["id"] for c in question["choices"] if c["correct"]]
    wrong = [c["id"] for c in question["choices"] if not c["correct"]]
    if correct:
        return right if question["type"] == "multiple" else right[:1]
    return wrong[:1] or right[:1]


def _pick(page: Any, control: Any, keyboard: bool) -> None:
    if keyboard:
        control.focus()
        page.keyboard.press("Space")
    else:
        control.locator("xpath=following-sibling::label").click()


def _reorder(page: Any, fieldset: Any, expected: list[str], keyboard: bool) -> None:
    """Move items up one step at a time until the list reads in the expected order."""
    for position, item_id in enumerate(expected):
        while True:
            current = fieldset.locator(".bs-order-item").evaluate_all("els => els.map(e => e.dataset.itemId)")
            index = current.index(item_id)
            if index == position:
                break
            up = fieldset.locator(f'.bs-order-item[data-item-id="{item_id}"] .bs-move[data-move="-1"]')
            if keyboard:
                up.focus()
                page.keyboard.press("Enter")
            else:
                up.click()
