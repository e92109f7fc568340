"""The model stage for a deployment: the course as the learners of given countries receive it.

Callouts, sections, scenarios and questions can be marked with the countries they hold for
(`countries: [ca-qc]`, builder/model.py). An organisation names its learners' countries and
what becomes of the rest (`elsewhere: hide | fold`, builder/organisation.py). `deployed` turns
the full course into that deployment's course once, right after loading: unmarked content always
shows; content marked for one of the deployment's countries shows; the rest is left out (`hide`)
or moved to the end of its section, lesson or scenarios and flagged `folded` (`fold`), which the
pages show collapsed under "Elsewhere". Questions for other countries are never drawn nor shown,
whatever `elsewhere` says. Every later stage reads the result and needs to know nothing more.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypeVar

from builder.diagnostics import Diagnostic, Severity
from builder.model import COUNTRY_CODES, CountrySpecific, Lesson, Quiz
from builder.project import CourseProject

# A country's name in each language of the pages (English for a language not listed)
COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "fr": {"fr": "France", "en": "France"},
    "be": {"fr": "Belgique", "en": "Belgium"},
    "ca-qc": {"fr": "Québec", "en": "Quebec"},
    "ch": {"fr": "Suisse", "en": "Switzerland"},
    "lu": {"fr": "Luxembourg", "en": "Luxembourg"},
}
assert set(COUNTRY_NAMES) == set(COUNTRY_CODES), "every country code needs its names"

Marked = TypeVar("Marked", bound=CountrySpecific)


def country_names(codes: Sequence[str], lang: str) -> str:
    """"Belgique, France": the countries a folded piece is for, in the page's language (a code we
    have no name for, as written)."""
    names = (COUNTRY_NAMES.get(code, {}) for code in codes)
    return ", ".join(name.get(lang) or name.get("en") or code for code, name in zip(codes, names, strict=True))


def deployment_of(project: CourseProject) -> tuple[frozenset[str] | None, str]:
    """The learners' countries (None: every country) and what becomes of the others' content,
    as the organisation settings say (builder/organisation.py); without them, every country."""
    organisation = project.organisation
    if organisation is None or not organisation.countries:
        return None, "fold"
    return frozenset(organisation.countries), organisation.elsewhere


def applies(item: CountrySpecific, countries: frozenset[str] | None) -> bool:
    """Whether a piece is for this deployment's learners: unmarked, or marked for one of them."""
    return countries is None or item.countries is None or not countries.isdisjoint(item.countries)


def deployed(project: CourseProject) -> CourseProject:
    """The project as its organisation's learners receive it (itself when deployed everywhere)."""
    countries, elsewhere = deployment_of(project)
    return deployed_for(project, countries, elsewhere)


def deployed_for(project: CourseProject, countries: frozenset[str] | None, elsewhere: str) -> CourseProject:
    """The course for learners in `countries` (None: everyone), the others' content hidden or folded."""
    if countries is None:
        return project
    fold = elsewhere == "fold"
    lessons = {lesson_id: _lesson(lesson, countries, fold) for lesson_id, lesson in project.lessons.items()}
    quizzes = {quiz_id: _quiz(quiz, countries) for quiz_id, quiz in project.quizzes.items()}
    return dataclasses.replace(project, lessons=lessons, quizzes=quizzes)


def _lesson(lesson: Lesson, countries: frozenset[str], fold: bool) -> Lesson:
    sections = [section.model_copy(update={"callouts": _kept(section.callouts, countries, fold)})
                for section in lesson.sections]
    return lesson.model_copy(update={"sections": _kept(sections, countries, fold),
                                     "scenarios": _kept(lesson.scenarios, countries, fold)})


def _kept(items: Sequence[Marked], countries: frozenset[str], fold: bool) -> list[Marked]:
    """The pieces for these countries in their order; then, when folding, the others, flagged."""
    shown = [item for item in items if applies(item, countries)]
    if not fold:
        return shown
    return shown + [_folded(item) for item in items if not applies(item, countries)]


def _folded(item: Marked) -> Marked:
    copy = item.model_copy()
    copy._folded = True
    return copy


def _quiz(quiz: Quiz, countries: frozenset[str]) -> Quiz:
    """A quiz without the questions for other countries: they are never drawn nor shown."""
    questions = [question for question in quiz.questions if applies(question, countries)]
    return quiz if len(questions) == len(quiz.questions) else quiz.model_copy(update={"questions": questions})


# --------------------------------------------------------------------------- check


def deployment_problems(project: CourseProject) -> list[Diagnostic]:
    """Warn where this deployment leaves a quiz too few questions for its draw, or none at all.

    Located at the quiz's `draw` (its `questions:` when it draws none), so the trainer sees
    which bank to widen with unmarked or more questions."""
    countries, _ = deployment_of(project)
    if countries is None:
        return []
    where = country_names(sorted(countries), "en")
    problems = []
    for quiz_id, quiz in project.quizzes.items():
        left = sum(applies(question, countries) for question in quiz.questions)
        document = project.documents.get(quiz_id)
        if document is None:
            continue
        if left == 0:
            problems.append(document.diagnostic(
                ("draw",) if quiz.draw else ("questions",),
                f"no question of quiz '{quiz_id}' is for learners in {where}",
                "mark fewer of its questions with `countries:`, or add questions for every country",
                key=not quiz.draw, severity=Severity.warning))
        elif quiz.draw and left < quiz.draw:
            problems.append(document.diagnostic(
                ("draw",), f"only {left} question(s) of quiz '{quiz_id}' are for learners in {where}, "
                f"fewer than its draw of {quiz.draw}",
                f"lower `draw` to {left}, or add questions that are unmarked or for {where}",
                severity=Severity.warning))
    return problems

