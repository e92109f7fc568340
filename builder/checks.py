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
from builder.escaping import markdown_inline
from builder.markdown_safe import Removal, removed_markup, render_markdown
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
from builder.publish import link_problems, linked_file_problem, published_files
from builder.yamlsource import PathKey, YamlDocument

# Texts rendered as Markdown with raw HTML (the others are plain text: escaped, inline Markdown only)
MARKDOWN_FIELDS = {"body", "text", "situation", "question", "debrief", "prompt", "intro", "explanation", "feedback",
                   "description", "left", "right", "items"}
LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
COURSE_SCHEMES = ("lesson:", "quiz:")
# What the sanitiser could take out of a text: a raw tag or comment, an image, an attribute list,
# a character reference, a link whose target is not plainly a web, mail, course or relative one.
# Only texts with one of these are rendered to be judged (a long body renders in milliseconds)
RISKY_MARKUP = re.compile(r"<[A-Za-z!/?]|!\[|\{[^}\n]*\}|&#|\]\s*[(:]\s*<?\s*"
                          r"(?!(?:https?|mailto|tel|lesson|quiz):|[\w#./%~-]*(?:[ )>\n]|$))", re.IGNORECASE)
# `[ref]: URL`: defined in one text of a page, usable by every other (`![x][ref]` in a title)
# `![alt](images/x.png "title")`: a course image, which the sanitiser keeps as it is (no need to render)
LOCAL_IMAGE = re.compile(r'!\[[^\]\n<>{}]*\]\((?![/\\])[\w#.%~-][\w#./%~-]*(?:[ \t]+"[^"\n<>]*")?\)')
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE)
REFERENCE_USE = re.compile(r"!?\[[^\]\n]*\]\[[^\]\n]*\]|!\[[^\]\n]*\](?![(\[])")
MODELINE = "# yaml-language-server: $schema="


def check_project(project: CourseProject, *, review_quizzes: bool = True) -> list[Diagnostic]:
    """Every cross-field and cross-file check, in the order a trainer would fix them; the
    item-writing review of the quizzes last, unless the caller only stops on errors."""
    problems: list[Diagnostic] = []
    problems += check_structure(project)
    problems += check_unique_ids(project)
    for quiz_id, quiz in project.quizzes.items():
        problems += check_quiz(quiz, project.documents[quiz_id])
    problems += check_translations(project)
    problems += check_links(project)
    problems += check_published_files(project)
    problems += check_authoring_hints(project)
    if review_quizzes:
        problems += check_quiz_quality(project)
    return problems


def check_quiz_quality(project: CourseProject) -> list[Diagnostic]:
    """Quiz-quality findings (cues, key balance, duplicates, recall, reading time), each with its
    code: warnings, or notes when course.yml says `quiz_checks: notes` (builder/quizlint/)."""
    from builder.quizlint import lint_course  # its rules read this module's `localized_values`

    return lint_course(project)


def check_published_files(project: CourseProject) -> list[Diagnostic]:
    """Symbolic links, and files under course/images/ that the site would not publish."""
    return link_problems(project.root) + published_files(project.root).problems


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
    """Links go to lessons and quizzes that exist, images to files that exist; and every text that
    reaches a page loses nothing to the sanitiser unsaid: no script link, no remote image, no tag
    or attribute dropped without the trainer being told where."""
    problems: list[Diagnostic] = []
    texts = list(_rendered_texts(project))
    definitions: dict[str, list[str]] = {}
    for doc, path, text in texts:
        if _is_markdown(path):
            definitions.setdefault(doc.shown_path, []).extend(REFERENCE_DEFINITION.findall(text))
    for doc, path, text in texts:
        markdown = _is_markdown(path)
        if markdown:
            problems += _check_markdown_links(project, doc, path, text)
        problems += _check_markup(doc, path, text, markdown=markdown,
                                  references="\n".join(definitions.get(doc.shown_path, [])))
    return problems


def _rendered_texts(project: CourseProject) -> Iterator[tuple[YamlDocument, PathKey, str]]:
    """Every authored text that reaches a page, with its path: localized texts and lesson sources."""
    for doc, model in _documents(project):
        for path, texts in localized_values(model):
            for lang, text in texts.items():
                if isinstance(text, str):  # fill-in answers are lists: compared, never shown as HTML
                    yield doc, (*path, lang), text
    for lesson_id, lesson in project.lessons.items():
        for index, source in enumerate(lesson.sources):
            for name in ("title", "publisher", "date"):
                yield project.documents[lesson_id], ("sources", index, name), getattr(source, name)


def _is_markdown(path: PathKey) -> bool:
    names = [p for p in path if isinstance(p, str)]
    return any(name in MARKDOWN_FIELDS or name.startswith("feedback") for name in names)


def _check_markup(doc: YamlDocument, path: PathKey, text: str, *, markdown: bool,
                  references: str = "") -> list[Diagnostic]:
    """What the sanitiser would take out of this text once rendered as the build renders it
    (with the reference definitions of the file's other texts, as on the page)."""
    if not (RISKY_MARKUP.search(LOCAL_IMAGE.sub("", text)) or (references and "[" in text)):
        return []  # nothing the sanitiser would remove: most texts
    source = text if markdown else "# " + markdown_inline(text)
    html = render_markdown(f"{source}\n\n{references}" if references else source)
    problems: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for removal in removed_markup(html):
        if removal.kind == "link" and removal.name.lower().startswith(COURSE_SCHEMES):
            continue  # lesson:ID and quiz:ID are checked (and rewritten) as course links
        if (removal.kind, removal.name) in seen:
            continue
        seen.add((removal.kind, removal.name))
        message, hint, severity = _removal_message(removal)
        problems.append(doc.text_diagnostic(path, _as_written(text, removal), message, hint, severity=severity))
    return problems


def _removal_message(removal: Removal) -> tuple[str, str, Severity]:
    """What a learner would lose, said to the trainer, with how to keep it."""
    name, tag = removal.name, removal.tag
    if removal.kind == "image":
        return ("images must be files of the course, not loaded from another site",
                "save the image under course/images/ and link to images/NAME", Severity.error)
    if removal.kind == "link":
        return (f"link scheme not allowed: '{name}'", "link to http(s)://, mailto:, lesson:ID or quiz:ID",
                Severity.error)
    if removal.kind == "tag":
        return (f"<{name}> is not an allowed HTML tag: learners see it as text",
                f"to write about the tag, put it in backticks: `<{name}>`; for images and links use Markdown",
                Severity.warning)
    if removal.kind == "comment":
        return ("'<!--' opens an HTML comment that is never closed: learners see it as text",
                "close the comment with '-->', or put '<!--' in backticks", Severity.warning)
    if removal.kind == "class":
        return (f"class '{name}' on <{tag}> is removed: names starting with bs- or md- belong to Bon Sens "
                "and the theme", "choose another class name", Severity.warning)
    return (f"attribute '{name}' on <{tag}> is removed: scripts, event handlers and styles never reach learners",
            "remove the attribute (the course's look comes from mkdocs.yml)", Severity.warning)


def _as_written(text: str, removal: Removal) -> str:
    """The removed piece as the trainer typed it (case included), to point at it in the file."""
    needle = f"<{removal.name}" if removal.kind == "tag" else removal.name
    start = text.lower().find(needle.lower())
    if start >= 0:
        return text[start:start + len(needle)]
    # `![x][ref]`: the URL is defined in another text of the page; point at where it is used
    use = REFERENCE_USE.search(text) if removal.kind in ("image", "link") else None
    return use.group(0) if use else needle


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
    if SCHEME.match(lowered) and not lowered.startswith(COURSE_SCHEMES):
        return None  # remote images and disallowed schemes: judged on the rendered text, by _check_markup
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
    return linked_file_problem(project.root, target, is_image)  # the publishing rule, as the site applies it


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
