"""Stage 1: find the course's YAML files, load and validate each one, then check the whole.

The result is one `CourseProject`: the validated course, its lessons and quizzes by id, and
the documents they came from (kept so later checks can point at a line). Problems are
collected, never raised one by one, so a trainer sees all of them in one run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.checks import check_project
from builder.countries import deployed, deployment_problems
from builder.diagnostics import CourseError, Diagnostic, Severity, relative
from builder.model import Course, Lesson, Quiz
from builder.organisation import load_organisation
from builder.paths import offered_problems, path_problems
from builder.placeholders import placeholder_problems, resolve_project
from builder.project import CourseProject
from builder.publish import authored_files, link_problems
from builder.validate import validate_document
from builder.yamlsource import YamlDocument, load_yaml

COURSE_FILE = Path("course") / "course.yml"
LESSONS_DIR = Path("course") / "lessons"
QUIZZES_DIR = Path("quizzes")
IMAGES_DIR = Path("course") / "images"


def lesson_files(root: Path) -> list[Path]:
    """Lesson files; never through a symbolic link (each link is an error of `check_project`)."""
    return authored_files(root, LESSONS_DIR, "**/*.yml")


def quiz_files(root: Path) -> list[Path]:
    return authored_files(root, QUIZZES_DIR, "*.yml")


def load_project(root: Path, organisation: Path | None = None, *,
                 review_quizzes: bool = True) -> tuple[CourseProject | None, list[Diagnostic]]:
    """Load and check a course folder; return the project (None if unusable) and all problems.

    `organisation` is the organisation file given with `--org` (default: organisation.yml, if any).
    `review_quizzes=False` skips the item-writing review, whose findings are never errors: a
    build that only stops on errors need not pay for it (`bonsens check` always runs it).
    """
    problems: list[Diagnostic] = []
    course_path = root / COURSE_FILE
    if course_path.is_symlink() or (root / "course").is_symlink():
        return None, link_problems(root)  # never read through a link: it could point anywhere
    if not course_path.is_file():
        return None, [Diagnostic(relative(course_path, root), 1, 1, "course file not found",
                                 f"run `bonsens check` in the folder that holds {COURSE_FILE}")]
    course_doc, course = _load(course_path, root, Course, problems)
    lessons, broken_lessons = _load_all(lesson_files(root), root, Lesson, problems)
    quizzes, broken_quizzes = _load_all(quiz_files(root), root, Quiz, problems)
    org, org_doc, org_problems = load_organisation(root, organisation)
    problems.extend(org_problems)
    if course is None or course_doc is None:
        return None, sorted(problems)
    project = CourseProject(root, course, course_doc, unreadable=broken_lessons | broken_quizzes, organisation=org,
                            organisation_file=org_doc.path if org_doc else None)
    for kind, loaded in (("lesson", lessons), ("quiz", quizzes)):
        for document, item in loaded:
            _register(project, kind, document, item, problems)
    problems.extend(placeholder_problems(project))  # on the texts as written, before they are resolved
    resolve_project(project)  # from here on, every text holds the organisation's values or the fallbacks
    problems.extend(check_project(project, review_quizzes=review_quizzes))
    problems.extend(deployment_problems(project))
    project = deployed(project)  # the course as the organisation's learners receive it
    problems.extend(path_problems(project))  # after deployment: a path's quizzes hold its countries' questions
    problems.extend(offered_problems(project, org_doc))
    documents = [course_doc, *project.documents.values(), *([org_doc] if org_doc else [])]
    return project, sorted(_quoting_sources(problems, documents))


def _quoting_sources(problems: list[Diagnostic], documents: list[YamlDocument]) -> list[Diagnostic]:
    """Give every problem made without its document (a check that built it by hand) its line."""
    by_path = {document.shown_path: document for document in documents}
    return [problem.quoting(by_path[problem.path].lines) if problem.path in by_path else problem
            for problem in problems]


def require_project(root: Path, *, strict: bool = False, organisation: Path | None = None) -> CourseProject:
    """Load a project for a command that builds: any error (or warning when strict) stops it."""
    project, problems = load_project(root, organisation, review_quizzes=strict)
    stopping = (Severity.error, Severity.warning) if strict else (Severity.error,)
    blocking = [p for p in problems if p.severity in stopping]
    if project is None or blocking:  # what stops the command first, then the rest
        raise CourseError(blocking + [p for p in problems if p.severity not in stopping])
    return project


# What an empty file should become, by kind of file.
EMPTY_HINTS: dict[type, str] = {
    Course: "a course file needs `id:`, `version:`, `languages: [fr, en]`, `title:`, `description:` "
            "and `modules:` (each with `id:`, `title:` and `lessons:`): see README.md, "
            "\"Writing a course\"",
    Lesson: "run `bonsens new lesson ID --module MODULE` for a commented template",
    Quiz: "run `bonsens new quiz ID` for a commented template",
}


def _load(path: Path, root: Path, model: type, problems: list[Diagnostic]) -> tuple[Any, Any]:
    document, errors = load_yaml(path, relative(path, root), empty_hint=EMPTY_HINTS.get(model))
    problems.extend(errors)
    if document is None or errors:
        return document, None
    item, errors = validate_document(document, model)
    problems.extend(errors)
    return document, item


def _load_all(paths: list[Path], root: Path, model: type,
              problems: list[Diagnostic]) -> tuple[list[tuple[YamlDocument, Any]], set[str]]:
    """Load many files; also return the stems of those that failed, already reported."""
    loaded, broken = [], set()
    for path in paths:
        document, item = _load(path, root, model, problems)
        if document is not None and item is not None:
            loaded.append((document, item))
        else:
            broken.add(path.stem)
    return loaded, broken


def _register(project: CourseProject, kind: str, document: YamlDocument, item: Lesson | Quiz,
              problems: list[Diagnostic]) -> None:
    """Index a lesson or quiz by id; the same id twice is an error at the second one."""
    if item.id in project.documents:
        first = project.documents[item.id].shown_path
        problems.append(document.diagnostic(("id",), f"duplicate id '{item.id}' (also used in {first})",
                                            "ids must be unique across the course: rename one"))
        return
    project.documents[item.id] = document
    if isinstance(item, Lesson):
        project.lessons[item.id] = item
    else:
        project.quizzes[item.id] = item
    expected = document.path.stem
    if expected != item.id:
        problems.append(document.diagnostic(("id",), f"{kind} id '{item.id}' differs from its file name "
                                            f"'{document.path.name}'",
                                            f"rename the file to {item.id}.yml or the id to {expected}",
                                            severity=Severity.warning))
