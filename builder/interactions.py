"""How each question type is reported to an LMS as a SCORM interaction, in each standard.

The correct-response patterns are computed here, at build time, from the course model; the SCO
runtime formats the learner's response the same way. Formats follow the run-time references:
SCORM 1.2 uses `,` between choices and `.` between matching pairs with single-character ids;
SCORM 2004 uses `[,]` and `[.]`. Texts are capped to each standard's limits.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from builder.model import FillIn, Matching, MultipleChoice, Ordering, Question, Quiz, SingleChoice, TrueFalse
from builder.pages import choice_id
from builder.typography import typeset_text

TYPES_12 = {"single": "choice", "multiple": "choice", "true_false": "true-false", "matching": "matching",
            "ordering": "sequencing", "fill_in": "fill-in"}
TYPES_2004 = {"single": "choice", "multiple": "choice", "true_false": "true-false", "matching": "matching",
              "ordering": "sequencing", "fill_in": "fill-in"}
DESCRIPTION_LIMIT_2004 = 250  # localized_string_type SPM; longer descriptions fail with error 406
FILL_IN_LIMIT_12 = 255
FILL_IN_LIMIT_2004 = 250


def interaction_spec(question: Question, lang: str) -> dict[str, Any]:
    """Type, correct-response patterns (1.2 and 2004), weighting and description of a question."""
    return {
        "type12": TYPES_12[question.type],
        "type2004": TYPES_2004[question.type],
        "correct12": correct_12(question, lang),
        "correct2004": correct_2004(question, lang),
        "weight": question.weight,
        "description": shortened(typeset_text(plain_text(question.prompt[lang]), lang), DESCRIPTION_LIMIT_2004),
    }


def shortened(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut after a whole word and marked "…" when it is longer: a
    report reads the question's beginning, never a word cut in two."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def quiz_interactions(quiz: Quiz, lang: str) -> dict[str, dict[str, Any]]:
    return {question.id: interaction_spec(question, lang) for question in quiz.questions}


def correct_12(question: Question, lang: str) -> str:
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return ",".join(choice_id(i) for i, c in enumerate(question.choices) if c.correct)
    if isinstance(question, TrueFalse):
        return "t" if question.answer else "f"
    if isinstance(question, Matching):
        return ",".join(f"{choice_id(i)}.{choice_id(i)}" for i in range(len(question.pairs)))
    if isinstance(question, Ordering):
        return ",".join(choice_id(i) for i in range(len(question.items)))
    if isinstance(question, FillIn):
        return question.answers[lang][0][:FILL_IN_LIMIT_12]
    raise TypeError(question)


def correct_2004(question: Question, lang: str) -> list[str]:
    """One or more correct patterns (fill-in accepts several answers)."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return ["[,]".join(choice_id(i) for i, c in enumerate(question.choices) if c.correct)]
    if isinstance(question, TrueFalse):
        return ["true" if question.answer else "false"]
    if isinstance(question, Matching):
        return ["[,]".join(f"{choice_id(i)}[.]{choice_id(i)}" for i in range(len(question.pairs)))]
    if isinstance(question, Ordering):
        return ["[,]".join(choice_id(i) for i in range(len(question.items)))]
    if isinstance(question, FillIn):
        case = "" if question.ignore_case else "{case_matters=true}"
        return [f"{case}{_escape_2004(answer)[:FILL_IN_LIMIT_2004]}" for answer in question.answers[lang]]
    raise TypeError(question)


def _escape_2004(text: str) -> str:
    """`[,]` and `[.]` are delimiters in 2004 patterns; keep them out of learner-visible text."""
    return text.replace("[,]", ",").replace("[.]", ".")


# Markdown's inline marks, removed only where they mark something: a fill-in's blank (`___`), a
# hashtag, "a > b" or "A|B" are text and stay as the learner reads them
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
CODE = re.compile(r"`+([^`]*)`+")
EMPHASIS = re.compile(r"(?<![\w*_])(\*{1,3}|_{1,3})(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*_])")
LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)", re.MULTILINE)


def plain_text(markdown_text: str) -> str:
    """Markdown to one line of plain text, for LMS report descriptions."""
    text = LINK.sub(r"\1", markdown_text)
    text = CODE.sub(r"\1", text)
    text = LINE_MARKS.sub("", text)
    previous = None
    while previous != text:  # nested emphasis: ***a*** or **_a_**
        previous, text = text, EMPHASIS.sub(r"\2", text)
    return unicodedata.normalize("NFC", " ".join(text.split()))
