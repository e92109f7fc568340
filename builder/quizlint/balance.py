"""Key balance: where the right answers sit, so that a pattern cannot stand in for knowledge.

A learner who notices that true/false statements are usually false, that the right option is
usually the second, or that a "several answers" question always wants all of them, scores
without reading. These rules count keys over a quiz, or over the whole course.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from builder.model import MultipleChoice, Question, Quiz, SingleChoice, TrueFalse
from builder.quizlint.base import Finding, QuizUnderReview

TRUE_FALSE_MIN_QUESTIONS = 4  # fewer, and any split is chance
TRUE_FALSE_COURSE_MIN_QUESTIONS = 6
TRUE_FALSE_LOWEST_SHARE = 0.25  # keyed true in less than a quarter, or more than three quarters
KEY_POSITION_MIN_QUESTIONS = 4
KEY_POSITION_HIGHEST_SHARE = 0.5  # one position holds the right option in more than half the questions


def true_false_balance(review: QuizUnderReview) -> Iterator[Finding]:
    """True/false keys far from half true in a quiz: "when in doubt, answer false" then passes."""
    finding = _true_false_finding([review.quiz], "this quiz", TRUE_FALSE_MIN_QUESTIONS)
    if finding:
        yield Finding("true-false-balance", ("questions",), *finding, key=True)


def course_true_false_balance(quizzes: Sequence[Quiz]) -> Iterator[Finding]:
    """The same over the course's quizzes and exam together: a learner takes them all, and learns
    the habit in one quiz to use it in the next."""
    finding = _true_false_finding(quizzes, "the course's quizzes", TRUE_FALSE_COURSE_MIN_QUESTIONS)
    if finding:
        yield Finding("true-false-balance", ("modules",), *finding, key=True)


def _true_false_finding(quizzes: Sequence[Quiz], where: str, minimum: int) -> tuple[str, str] | None:
    keys = [q.answer for quiz in quizzes for q in quiz.questions if isinstance(q, TrueFalse)]
    if len(keys) < minimum:
        return None
    true = sum(keys)
    if TRUE_FALSE_LOWEST_SHARE * len(keys) <= true <= (1 - TRUE_FALSE_LOWEST_SHARE) * len(keys):
        return None
    majority = "false" if true < len(keys) / 2 else "true"
    count = len(keys) - true if majority == "false" else true
    return (f"{count} of the {len(keys)} true/false statements in {where} are keyed {majority}",
            f"rewrite some statements so that they are {'true' if majority == 'false' else 'false'}; "
            "aim for about half")


def key_position(review: QuizUnderReview) -> Iterator[Finding]:
    """With choices in a fixed order, the right option sits in the same place too often: learners
    who notice pick the place, not the answer."""
    quiz = review.quiz
    if quiz.shuffle_choices:
        return
    positions = [next(i for i, c in enumerate(q.choices) if c.correct) for q in quiz.questions
                 if isinstance(q, SingleChoice) and any(c.correct for c in q.choices)]
    if len(positions) < KEY_POSITION_MIN_QUESTIONS:
        return
    position, count = Counter(positions).most_common(1)[0]
    if count > KEY_POSITION_HIGHEST_SHARE * len(positions):
        yield Finding("key-position", ("shuffle_choices",),
                      f"the correct option is number {position + 1} in {count} of the {len(positions)} "
                      "single-choice questions, and choices are not shuffled",
                      "set `shuffle_choices: true`, or move the right options around", key=True)


def multiple_all_or_one(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """A "several answers" question where every option is right, or only one: the first is won
    by ticking everything; the second is a single-choice question that misleads."""
    if not isinstance(question, MultipleChoice) or len(question.choices) < 2:
        return
    right = sum(choice.correct for choice in question.choices)
    if right == len(question.choices):
        yield Finding("multiple-all-or-one", ("choices",), "every option of this multiple-choice question is "
                      "correct: ticking everything wins", "add plausible wrong options", key=True)
    elif right == 1:
        yield Finding("multiple-all-or-one", ("choices",), "only one option of this multiple-choice question "
                      "is correct", "use `type: single`, or make a second option right", key=True)
