"""What a quiz-quality rule reports, and what it reads of a question.

A rule is a small function that looks at one question, one quiz or the whole course and yields
`Finding`s: a stable code, where in the file, what is wrong and how to fix it. The runner
(`builder.quizlint`) turns them into located diagnostics, drops those a trainer silenced with
`lint:`, and gives them the severity the course asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.model import FillIn, Matching, MultipleChoice, Ordering, Question, Quiz, SingleChoice, TrueFalse
from builder.yamlsource import PathKey


@dataclass(frozen=True)
class Finding:
    """One quiz-quality problem. `path` is in the file that holds it (relative to the question for
    question rules); `needle`, when given, is the piece of text inside that node to point at."""

    code: str
    path: PathKey
    message: str
    hint: str
    needle: str | None = None
    key: bool = False


@dataclass(frozen=True)
class QuizUnderReview:
    """A quiz as the quiz rules see it: its questions, the course's languages, and whether it is
    the final exam's bank (whose questions are drawn away from their module)."""

    quiz: Quiz
    languages: tuple[str, ...]
    is_exam: bool


def right_texts(question: Question, lang: str) -> list[str]:
    """What a learner must give to be right, as text: the right choices, the pairs, the items in
    order, the accepted answers (a true/false statement is its prompt: nothing more here)."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return [c.text.get(lang, "") for c in question.choices if c.correct]
    if isinstance(question, Matching):
        return [f"{p.left.get(lang, '')} {p.right.get(lang, '')}" for p in question.pairs]
    if isinstance(question, Ordering):
        return [item.get(lang, "") for item in question.items]
    if isinstance(question, FillIn):
        return list(question.answers.get(lang, []))
    assert isinstance(question, TrueFalse)
    return []


def choice_path(index: int, lang: str) -> PathKey:
    return ("choices", index, "text", lang)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
