"""The authoring model: what a trainer may write in course.yml, a lesson file and a quiz file.

These pydantic models are the single source of truth for the YAML format: `bonsens check`
validates against them, `bonsens schema` turns them into JSON Schema for editors, and the
renderers read the validated objects. Every model forbids unknown keys, so a typo such as
`corect:` is reported instead of silently ignored.

Every text a learner reads is a `LocalizedText`: a mapping from language code to text, so a
trainer translates a lesson side by side, field by field, in one file.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

# The one rule for every id. It already rules out the JavaScript names that could clobber an
# object (`__proto__`, `toString`, `hasOwnProperty`); `constructor` and the like stay valid ids:
# the browser code keys its stores by id in maps without a prototype (issue 10), so no name is
# special there, and a trainer is not asked to know JavaScript.
Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60),
    Field(description="Lower-case letters, digits and hyphens, e.g. `m1-privacy-settings`."),
]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]
LocalizedText = Annotated[
    dict[LanguageCode, str],
    Field(description="One text per declared language, e.g. `{fr: ..., en: ...}`."),
]


class Strict(BaseModel):
    """Base of every authored object: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------- quiz-quality checks

# The stable codes of `bonsens check`'s quiz-quality rules (builder/quizlint/, docs/quiz-checks.md).
LintCode = Literal[
    "longest-answer", "longest-answer-quiz", "true-false-balance", "key-position", "multiple-all-or-one",
    "all-of-the-above", "absolute-words", "stem-echo", "negative-stem", "duplicate-question",
    "overlapping-options", "fill-in-ambiguous", "matching-duplicate-right", "missing-feedback",
    "explanation-repeats-answer", "exam-refers-to-module", "recall-heavy-quiz", "reading-time",
]
LINT_CODES: tuple[str, ...] = get_args(LintCode)


class Lint(Strict):
    """Quiz-quality checks silenced here on purpose. The reason is required: whoever reviews the
    course next must see why a cue or a duplicate was kept, not just that it was."""

    ignore: list[LintCode] = Field(min_length=1, description="Codes of the checks to silence, e.g. "
                                   "`[longest-answer]` (see docs/quiz-checks.md).")
    reason: Annotated[str, StringConstraints(pattern=r"\S")] = Field(
        description="Why the finding is kept on purpose, e.g. `the long answer is a quoted rule`.")


LintSetting = Annotated[Lint | None, Field(description="Silence quiz-quality checks here, with a reason: "
                                           "`{ignore: [CODE], reason: ...}`.")]


# --------------------------------------------------------------------------- countries

# The learners' countries a piece of content can be marked for (builder/countries.py), and that an
# organisation deploys to: ISO 3166 codes, with the subdivision where its law differs from the
# country's (`ca-qc`, Québec). A new code goes here, with its names in builder/countries.py.
CountryCode = Literal["fr", "be", "ca-qc", "ch", "lu"]
COUNTRY_CODES: tuple[str, ...] = get_args(CountryCode)


class CountrySpecific(BaseModel):
    """What a callout, a section, a scenario or a question has when it holds for some countries only.

    Unmarked content is for everyone. A deployment for other countries leaves marked content out,
    or folds it under "Elsewhere" (builder/countries.py decides which, once, in the model stage):
    `folded` is that decision, the only thing a renderer needs to know."""

    countries: Annotated[list[CountryCode], Field(min_length=1)] | None = Field(
        None, description="Only for learners in these countries, e.g. `[ca-qc]` (fr, be, ca-qc, ch, lu); "
        "unmarked content is for everyone.")
    _folded: bool = PrivateAttr(False)

    @property
    def folded(self) -> bool:
        """True when this deployment shows it only folded, under "Elsewhere"."""
        return self._folded


# --------------------------------------------------------------------------- course


class Module(Strict):
    """A module: lessons read in order, then the module's quiz."""

    id: Identifier
    title: LocalizedText
    summary: LocalizedText | None = Field(None, description="One or two sentences for the home page.")
    lessons: list[Identifier] = Field(min_length=1, description="Lesson ids, in reading order.")
    quiz: Identifier | None = Field(None, description="Id of the module quiz in `quizzes/`.")


class PathExam(Strict):
    """The final exam as a path takes it: drawn from the questions of the path's lessons only."""

    draw: int | None = Field(None, ge=1, description="Questions drawn for this path (default: the exam's "
                             "`draw`).")


class LearningPath(Strict):
    """A learning path: a chosen part of the course for some learners, e.g. a 45-minute core for
    everyone and the whole course for managers. The course's order is kept; a path picks."""

    id: Identifier
    title: LocalizedText
    description: LocalizedText | None = Field(None, description="Who the path is for, one sentence.")
    modules: list[Identifier] = Field(default_factory=list, description="Whole modules: their lessons "
                                      "and their quiz.")
    lessons: list[Identifier] = Field(default_factory=list, description="Single lessons of other "
                                      "modules, e.g. `[m1-settings-and-traces]`.")
    quizzes: list[Identifier] = Field(default_factory=list, description="Module quizzes of the modules "
                                      "the path takes in part; they ask only about the path's lessons.")
    exam: PathExam | bool = Field(True, description="Whether the path ends with the final exam, or "
                                  "`{draw: N}` to draw N of the path's questions.")
    max_minutes: int | None = Field(None, ge=5, description="The check warns when the path takes longer "
                                    "(lessons plus about a minute per question).")


class FinalExam(Strict):
    """The final exam: a quiz whose questions are drawn from a bank."""

    quiz: Identifier = Field(description="Id of the exam's quiz file in `quizzes/`.")
    after_modules: bool = Field(
        True, description="Offer the exam only once every module is completed."
    )


class Course(Strict):
    """course.yml: the course as a whole."""

    id: Identifier
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")] = Field(
        description="Course version, e.g. `1.0.0`; LMS identifiers stay stable within a version."
    )
    languages: list[LanguageCode] = Field(
        min_length=1, description="Languages of the course, the default one first, e.g. `[fr, en]`."
    )
    title: LocalizedText
    description: LocalizedText
    outcomes: list[LocalizedText] = Field(
        default_factory=list, max_length=8,
        description="What learners will be able to do at the end, one short sentence each (e.g. "
        "`{fr: Régler la confidentialité de vos comptes., en: Set the privacy of your accounts.}`), "
        "listed on the course home.",
    )
    organisation: str | None = Field(None, description="Publisher shown on the certificate.")
    modules: list[Module] = Field(min_length=1)
    final_exam: FinalExam | None = None
    paths: list[LearningPath] = Field(
        default_factory=list, description="Learning paths, the first one offered by default; none: the "
        "whole course is the one path.")
    quiz_checks: Literal["warnings", "notes"] = Field(
        "warnings", description="How `bonsens check` reports quiz-quality findings: `warnings` (`--strict` "
        "fails on them) or `notes` (listed and counted, never failing)."
    )
    lint: LintSetting = None


# --------------------------------------------------------------------------- lesson


CalloutKind = Literal["tip", "warning", "law", "example"]


class Callout(Strict, CountrySpecific):
    """A highlighted block inside a section: a tip, a warning, a point of law or an example."""

    kind: CalloutKind
    title: LocalizedText | None = None
    text: LocalizedText = Field(description="Markdown.")


class Section(Strict, CountrySpecific):
    """A titled part of a lesson's body."""

    title: LocalizedText
    body: LocalizedText = Field(description="Markdown.")
    callouts: list[Callout] = Field(default_factory=list, description="Shown after the body.")


class Scenario(Strict, CountrySpecific):
    """A short workplace situation and a question for the learner to reflect on."""

    title: LocalizedText
    situation: LocalizedText = Field(description="Markdown: who, where, what happens.")
    question: LocalizedText = Field(description="What the learner is asked to think about.")
    debrief: LocalizedText | None = Field(
        None, description="Our take, revealed on demand after the learner has thought."
    )


class Source(Strict):
    """A source a fact of the lesson comes from."""

    title: str
    publisher: str
    date: str = Field(description="As precise as known: `2014-06-17`, `2011-09` or `2011`.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class Lesson(Strict):
    """A lesson file: one page of the course."""

    id: Identifier
    title: LocalizedText
    summary: LocalizedText
    minutes: int = Field(ge=1, le=120, description="Estimated reading time in minutes.")
    objectives: list[LocalizedText] = Field(min_length=1, description="What the learner will be able to do.")
    sections: list[Section] = Field(min_length=1)
    scenarios: list[Scenario] = Field(default_factory=list)
    takeaways: list[LocalizedText] = Field(default_factory=list, description="Key points to remember.")
    sources: list[Source] = Field(default_factory=list)
    lint: LintSetting = None


# --------------------------------------------------------------------------- quiz


class Choice(Strict):
    """An answer of a single- or multiple-choice question."""

    text: LocalizedText
    correct: bool = False
    feedback: LocalizedText | None = Field(None, description="Why this choice is right or wrong.")


class QuestionBase(Strict, CountrySpecific):
    """What every question type has."""

    id: Identifier = Field(description="Unique in the course; LMS reports show it.")
    prompt: LocalizedText = Field(description="Markdown: the situation and the question.")
    explanation: LocalizedText = Field(description="Shown after answering, right or wrong.")
    weight: float = Field(1.0, gt=0, le=100)
    lessons: list[Identifier] | None = Field(
        None, description="The lessons this question tests, e.g. `[m1-gdpr-basics]`: a learning path asks "
        "it only when it holds them all. Unmarked: every path that has its quiz.")
    lint: LintSetting = None


class SingleChoice(QuestionBase):
    """Exactly one right answer."""

    type: Literal["single"]
    choices: list[Choice]


class MultipleChoice(QuestionBase):
    """One or more right answers; all and only those must be ticked."""

    type: Literal["multiple"]
    choices: list[Choice]


class TrueFalse(QuestionBase):
    """A statement that is true or false."""

    type: Literal["true_false"]
    answer: bool
    feedback_true: LocalizedText | None = Field(None, description="Shown to who answered true.")
    feedback_false: LocalizedText | None = Field(None, description="Shown to who answered false.")


class Pair(Strict):
    """A left item and the right item it matches."""

    left: LocalizedText
    right: LocalizedText


class Matching(QuestionBase):
    """Match each left item with its right item."""

    type: Literal["matching"]
    pairs: list[Pair]


class Ordering(QuestionBase):
    """Put the items in order; written here in the right order."""

    type: Literal["ordering"]
    items: list[LocalizedText]


class FillIn(QuestionBase):
    """A short typed answer, compared with the accepted answers."""

    type: Literal["fill_in"]
    answers: dict[LanguageCode, list[str]] = Field(
        description="Accepted answers per language, e.g. `{fr: [RGPD], en: [GDPR]}`."
    )
    ignore_case: bool = True
    ignore_accents: bool = True


Question = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | Matching | Ordering | FillIn,
    Field(discriminator="type"),
]


class Quiz(Strict):
    """A quiz file: a module quiz or the final exam's question bank."""

    id: Identifier
    title: LocalizedText
    intro: LocalizedText | None = Field(None, description="Markdown shown above the questions.")
    passing_score: float = Field(ge=0, le=100, description="Percent needed to pass.")
    attempts: int = Field(0, ge=0, description="Attempts allowed; 0 means unlimited.")
    shuffle_questions: bool = False
    shuffle_choices: bool = True
    draw: int | None = Field(None, ge=1, description="Draw this many questions from the bank.")
    questions: list[Question] = Field(min_length=1)
    lint: LintSetting = None


QUESTION_TYPES = ("single", "multiple", "true_false", "matching", "ordering", "fill_in")
