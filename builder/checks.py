"""Checks that need more than one field or file: answers, references, translations, links.

Each check walks the validated project and reports problems by document path; the document
turns the path into a line and column. Checks never stop early: a trainer fixes everything
in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from builder.diagnostics import Diagnostic, Severity
from builder.model import (
    Choice,
    FillIn,
    Lesson,
    Matching,
    MultipleChoice,
    Ordering,
    Quiz,
    SingleChoice,
    TrueFalse,
)
from builder.project import CourseProject
from builder.yamlsource import PathKey, YamlDocument

MARKDOWN_FIELDS = {"body", "text", "situation", "debrief", "prompt", "intro", "explanation", "feedback"}
LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
MODELINE = "# yaml-language-server: $schema="


def check_project(project: CourseProject) -> list[Diagnostic]:
    """Every cross-field and cross-file check, in the order a trainer would fix them."""
    problems: list[Diagnostic] = []
    problems += check_structure(project)
    problems += check_unique_ids(project)
    for quiz_id, quiz in project.quizzes.items():
        problems += check_quiz(quiz, project.documents[quiz_id])
    problems += check_translations(project)
    problems += check_links(project)
    problems += check_authoring_hints(project)
    return problems


# --------------------------------------------------------------------------- structure


def check_structure(project: CourseProject) -> list[Diagnostic]:
    """Modules point at lessons and quizzes that exist, each used once; nothing left orphaned."""
    doc, course = project.course_doc, project.course
    problems: list[Diagnostic] = []
    placed: dict[str, str] = {}
    used_quizzes: set[str] = set()
    for m_index, module in enumerate(course.modules):
        for l_index, lesson_id in enumerate(module.lessons):
            path = ("modules", m_index, "lessons", l_index)
            if lesson_id in project.unreadable:
                continue  # its file has errors of its own, reported already
            if lesson_id not in project.lessons:
                problems.append(doc.diagnostic(path, f"lesson '{lesson_id}' does not exist",
                                               _did_you_mean(lesson_id, project.lessons)
                                               or "create it with `bonsens new lesson "
                                               f"{lesson_id} --module {module.id}`"))
            elif lesson_id in placed:
                problems.append(doc.diagnostic(path, f"lesson '{lesson_id}' is already in module "
                                               f"'{placed[lesson_id]}'", "a lesson belongs to one module"))
            else:
                placed[lesson_id] = module.id
        if module.quiz is not None:
            problems += _quiz_reference(project, module.quiz, ("modules", m_index, "quiz"), used_quizzes)
    if course.final_exam is not None:
        problems += _quiz_reference(project, course.final_exam.quiz, ("final_exam", "quiz"), used_quizzes)
    for lesson_id in sorted(set(project.lessons) - set(placed)):
        problems.append(project.documents[lesson_id].diagnostic(
            ("id",), f"lesson '{lesson_id}' is in no module, so learners never see it",
            "add its id to a module's `lessons:` in course/course.yml", severity=Severity.warning))
    for quiz_id in sorted(set(project.quizzes) - used_quizzes):
        problems.append(project.documents[quiz_id].diagnostic(
            ("id",), f"quiz '{quiz_id}' is used by no module nor the final exam",
            "set it as a module's `quiz:` in course/course.yml", severity=Severity.warning))
    return problems


def _quiz_reference(project: CourseProject, quiz_id: str, path: PathKey, used: set[str]) -> list[Diagnostic]:
    doc = project.course_doc
    if quiz_id in project.unreadable:
        return []
    if quiz_id not in project.quizzes:
        return [doc.diagnostic(path, f"quiz '{quiz_id}' does not exist",
                               _did_you_mean(quiz_id, project.quizzes)
                               or f"create it with `bonsens new quiz {quiz_id}`")]
    if quiz_id in used:
        return [doc.diagnostic(path, f"quiz '{quiz_id}' is used twice", "give each module its own quiz")]
    used.add(quiz_id)
    return []


def _did_you_mean(name: str, known: dict[str, Any]) -> str | None:
    import difflib

    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.7)
    return f"did you mean '{match[0]}'?" if match else None


def check_unique_ids(project: CourseProject) -> list[Diagnostic]:
    """Module and question ids are unique across the whole course (lessons and quizzes too)."""
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {project.course.id: "the course"}
    seen.update({item: f"{project.documents[item].shown_path}" for item in project.documents})

    def claim(identifier: str, where: str, doc: YamlDocument, path: PathKey) -> None:
        if identifier in seen:
            problems.append(doc.diagnostic(path, f"duplicate id '{identifier}' (also used by {seen[identifier]})",
                                           "ids must be unique across the course: rename one"))
        else:
            seen[identifier] = where

    for index, module in enumerate(project.course.modules):
        claim(module.id, f"module in {project.course_doc.shown_path}", project.course_doc,
              ("modules", index, "id"))
    for quiz_id, quiz in sorted(project.quizzes.items()):
        doc = project.documents[quiz_id]
        for index, question in enumerate(quiz.questions):
            line, _ = doc.position(("questions", index, "id"))
            claim(question.id, f"a question at {doc.shown_path}:{line}", doc, ("questions", index, "id"))
    return problems


# --------------------------------------------------------------------------- quizzes


def check_quiz(quiz: Quiz, doc: YamlDocument) -> list[Diagnostic]:
    """Each question can be answered right in exactly the way its type says; draws fit the bank."""
    problems: list[Diagnostic] = []
    if quiz.draw is not None and quiz.draw > len(quiz.questions):
        problems.append(doc.diagnostic(("draw",), f"cannot draw {quiz.draw} questions from a bank of "
                                       f"{len(quiz.questions)}",
                                       f"lower `draw` to at most {len(quiz.questions)} or add questions"))
    for index, question in enumerate(quiz.questions):
        path: PathKey = ("questions", index)
        if isinstance(question, (SingleChoice, MultipleChoice)):
            problems += _check_choices(question, question.choices, doc, path)
        elif isinstance(question, Matching) and len(question.pairs) < 2:
            problems.append(doc.diagnostic((*path, "pairs"), "a matching question needs at least 2 pairs"))
        elif isinstance(question, Ordering) and len(question.items) < 2:
            problems.append(doc.diagnostic((*path, "items"), "an ordering question needs at least 2 items"))
        elif isinstance(question, FillIn):
            for lang, answers in question.answers.items():
                if not [a for a in answers if a.strip()]:
                    problems.append(doc.diagnostic((*path, "answers", lang),
                                                   f"no accepted answer in '{lang}'"))
        elif isinstance(question, TrueFalse):
            pass  # `answer` is one boolean: the model already rules out two right answers
    return problems


def _check_choices(question: SingleChoice | MultipleChoice, choices: list[Choice], doc: YamlDocument,
                   path: PathKey) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    correct = [i for i, choice in enumerate(choices) if choice.correct]
    if len(choices) < 2:
        problems.append(doc.diagnostic((*path, "choices"), "a choice question needs at least 2 choices"))
    if not correct:
        problems.append(doc.diagnostic((*path, "choices"), "no choice is marked `correct: true`",
                                       "mark the right answer with `correct: true`"))
    elif isinstance(question, SingleChoice) and len(correct) > 1:
        problems.append(doc.diagnostic((*path, "choices", correct[1], "correct"),
                                       f"a single-choice question has {len(correct)} correct choices",
                                       "keep one `correct: true`, or use `type: multiple`"))
    return problems


# --------------------------------------------------------------------------- translations


def check_translations(project: CourseProject) -> list[Diagnostic]:
    """Every learner-visible text exists, non-empty, in every language course.yml declares."""
    languages = project.languages
    problems: list[Diagnostic] = []
    for doc, model in _documents(project):
        for path, texts in localized_values(model):
            for lang in languages:
                value = texts.get(lang)
                if value is None:
                    problems.append(doc.diagnostic(path, f"missing '{lang}' translation",
                                                   f"add `{lang}:` beside "
                                                   f"{', '.join(repr(k) for k in texts) or 'the others'}"))
                elif (isinstance(value, str) and not value.strip()) or (isinstance(value, list) and not value):
                    problems.append(doc.diagnostic((*path, lang), f"empty '{lang}' text"))
            for lang in texts:
                if lang not in languages:
                    problems.append(doc.diagnostic((*path, lang), f"language '{lang}' is not declared in "
                                                   "course.yml", f"declared: {', '.join(languages)}",
                                                   key=True, severity=Severity.warning))
    return problems


def _documents(project: CourseProject) -> Iterator[tuple[YamlDocument, BaseModel]]:
    yield project.course_doc, project.course
    for item_id, item in [*project.lessons.items(), *project.quizzes.items()]:
        yield project.documents[item_id], item


def localized_values(model: BaseModel, path: PathKey = ()) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    """Every language-keyed mapping in a model (texts, and fill-in answers), with its path."""
    for name in type(model).model_fields:
        yield from _walk(getattr(model, name), (*path, name))


def _walk(value: Any, path: PathKey) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    if isinstance(value, BaseModel):
        yield from localized_values(value, path)
    elif isinstance(value, dict):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


# --------------------------------------------------------------------------- links and images


def check_links(project: CourseProject) -> list[Diagnostic]:
    """Links go to lessons and quizzes that exist, images to files that exist; no script links."""
    problems: list[Diagnostic] = []
    for doc, model in _documents(project):
        for path, texts in localized_values(model):
            if not _is_markdown(path):
                continue
            for lang, text in texts.items():
                if isinstance(text, str):
                    problems += _check_markdown_links(project, doc, (*path, lang), text)
    return problems


def _is_markdown(path: PathKey) -> bool:
    names = [p for p in path if isinstance(p, str)]
    return any(name in MARKDOWN_FIELDS or name.startswith("feedback") for name in names)


def _check_markdown_links(project: CourseProject, doc: YamlDocument, path: PathKey,
                          text: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for match in LINK.finditer(text):
        is_image, target = match.group(1) == "!", match.group(2)
        problem = _link_problem(project, target, is_image)
        if problem:
            problems.append(doc.text_diagnostic(path, target, *problem))
    return problems


def _link_problem(project: CourseProject, target: str, is_image: bool) -> tuple[str, str | None] | None:
    """Why a link target is wrong, with a hint; None when it is fine."""
    lowered = target.lower()
    if lowered.startswith(SAFE_SCHEMES):
        return ("images must be files of the course, not loaded from another site",
                "save the image under course/images/ and link to images/NAME") if is_image else None
    if ":" in lowered.split("/")[0] and not lowered.startswith(("lesson:", "quiz:")):
        return (f"link scheme not allowed: '{target}'",
                "link to http(s)://, mailto:, lesson:ID or quiz:ID")
    if target.startswith("#"):
        return None
    kind, _, identifier = target.partition(":")
    if kind in ("lesson", "quiz") and identifier.split("#")[0] in project.unreadable:
        return None  # that file's own errors are reported already
    if kind == "lesson":
        ident = identifier.split("#")[0]
        return None if ident in project.lessons else (
            f"link to a lesson that does not exist: '{ident}'",
            _did_you_mean(ident, project.lessons) or "use the id of a lesson in course/lessons/")
    if kind == "quiz":
        ident = identifier.split("#")[0]
        return None if ident in project.quizzes else (
            f"link to a quiz that does not exist: '{ident}'",
            _did_you_mean(ident, project.quizzes) or "use the id of a quiz in quizzes/")
    file_part = target.split("#")[0].split("?")[0]
    if not (project.root / "course" / file_part).is_file():
        what = "image" if is_image else "page or file"
        hint = ("put images under course/images/ and write images/NAME" if is_image
                else "link to another lesson with lesson:ID")
        return f"{what} not found: '{target}'", hint
    return None


# --------------------------------------------------------------------------- hints


def check_authoring_hints(project: CourseProject) -> list[Diagnostic]:
    """Warnings: things that work but that learners or editors will miss."""
    problems: list[Diagnostic] = []
    for lesson_id, lesson in project.lessons.items():
        doc = project.documents[lesson_id]
        problems += _lesson_hints(lesson, doc)
    for quiz_id, quiz in project.quizzes.items():
        doc = project.documents[quiz_id]
        for index, question in enumerate(quiz.questions):
            if isinstance(question, (SingleChoice, MultipleChoice)):
                for c_index, choice in enumerate(question.choices):
                    if choice.feedback is None:
                        problems.append(doc.diagnostic(
                            ("questions", index, "choices", c_index), "choice has no feedback",
                            "add `feedback:` saying why this choice is right or wrong",
                            severity=Severity.warning))
    for doc, _ in _documents(project):
        if not doc.text.startswith(MODELINE):
            problems.append(Diagnostic(doc.shown_path, 1, 1, "no yaml-language-server schema line: "
                                       "editors cannot autocomplete this file",
                                       "run `bonsens schema` to add it", Severity.warning))
    return problems


def _lesson_hints(lesson: Lesson, doc: YamlDocument) -> list[Diagnostic]:
    problems = []
    if not lesson.sources:
        problems.append(doc.diagnostic(("id",), "lesson has no sources",
                                       "list where its facts come from under `sources:`",
                                       severity=Severity.warning))
    if not lesson.takeaways:
        problems.append(doc.diagnostic(("id",), "lesson has no takeaways",
                                       "add 3 to 6 `takeaways:` the learner should remember",
                                       severity=Severity.warning))
    return problems
