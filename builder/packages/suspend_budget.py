"""Will a SCO's saved state fit in the LMS? Checked at build time, before a package ships.

SCORM 1.2 keeps at most 4,096 characters of suspend data; 2004 keeps 64,000. The SCO runtime
(assets/runtime/scorm-codec.js, encoding "B1", documented at its top) always keeps the lessons
read and the quiz results, and drops detail of an attempt in progress only when it must; a
question is written as its position in the launch page's `config.questions` (units.py
`_sco_config`). This module bounds, from the course's structure alone, the length of what must
never be dropped: lessons, results, the name on the certificate, and one attempt in progress at
its largest (every question answered, fill-in answers of a usual length). A package that cannot
hold that is refused, with the reason, instead of shipping and silently losing a learner's
progress.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from builder.model import FillIn, Matching, MultipleChoice, Ordering, Question, SingleChoice, TrueFalse
from builder.project import CourseProject

LIMITS = {"1.2": 4096, "2004": 64000}
ESCAPED_CHAR = 3  # an accented letter is written "!" + 2 base36 digits
FILL_IN_BUDGET = 40  # characters of a fill-in answer guaranteed to be kept in full
NAME_BUDGET = 60  # characters of the name on the certificate
HEADER = len("B1~") + 7 + 1  # marker, hash (32 bits in base36), separator
QUIZ_RESULT = 2 + 1 + 3 + 1 + 2 + 1 + 2 + 1 + 3 + 1  # best.attempts.last.flags.day,
ATTEMPT_HEAD = 2 + 1 + 6 + 1  # quiz position . start time .
TOKEN_TAIL = 2 + 1 + 1 + 4 + 1  # index, ":" answer ":" time to answer ";"


@dataclass(frozen=True)
class Budget:
    """The bound for one SCO, and the limit of its standard."""

    sco: str
    needed: int
    limit: int

    @property
    def fits(self) -> bool:
        return self.needed <= self.limit


def sco_budget(project: CourseProject, sco: str, lessons: list[str], quizzes: list[str], standard: str) -> Budget:
    """The longest suspend data the SCO may need to keep without loss."""
    needed = HEADER + math.ceil(len(lessons) / 6) + 1
    needed += len(quizzes) * QUIZ_RESULT + 1
    attempts = [attempt_size(project, quiz_id) for quiz_id in quizzes]
    needed += max(attempts, default=0) + 1
    needed += NAME_BUDGET * ESCAPED_CHAR + 1 + 6  # name, then the interactions count
    needed += 1 + 3  # the lesson or quiz visited last, for "Resume"
    return Budget(sco, needed, LIMITS[standard])


def attempt_size(project: CourseProject, quiz_id: str) -> int:
    """The largest attempt of a quiz: its `draw` (or all) largest questions, fully answered."""
    quiz = project.quizzes[quiz_id]
    sizes = sorted((question_token(q) for q in quiz.questions), reverse=True)
    return ATTEMPT_HEAD + sum(sizes[: quiz.draw or len(sizes)])


def question_token(question: Question) -> int:
    """Display order plus the answer, for one question, at their longest."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        order, answer = len(question.choices), 1 + len(question.choices)
    elif isinstance(question, TrueFalse):
        order, answer = 0, 1
    elif isinstance(question, Matching):
        order, answer = len(question.pairs), 1 + 2 * len(question.pairs)
    elif isinstance(question, Ordering):
        order, answer = len(question.items), 1 + len(question.items)
    elif isinstance(question, FillIn):
        order, answer = 0, 1 + FILL_IN_BUDGET * ESCAPED_CHAR
    else:  # pragma: no cover - the model has no other type
        raise TypeError(question)
    return order + answer + TOKEN_TAIL
