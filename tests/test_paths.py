"""Learning paths, as the course model resolves and checks them (builder/paths.py).

The mini course gets a second module (lesson l3, no quiz) and three paths: `core` (lesson l1
and the exam), `first` (module m1 whole, no exam) and `all`. Exam questions are marked with the
lessons they test, so each path's exam asks only about what the path holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.diagnostics import Diagnostic, Severity
from builder.loader import load_project
from builder.paths import course_paths, offered_paths, path_project
from builder.project import CourseProject
from tests.paths_course import add_paths

PATHS = """paths:
  - id: core
    title: {fr: L'essentiel, en: The essentials}
    lessons: [l1]
    exam: {draw: 1}
    max_minutes: 30
  - id: first
    title: {fr: Premier module, en: First module}
    modules: [m1]
    exam: false
  - id: all
    title: {fr: Tout, en: Everything}
    modules: [m1, m2]
"""


@pytest.fixture
def with_paths(mini: Path) -> Path:
    """The mini course with two modules, three paths, and exam questions marked by lesson."""
    return add_paths(mini, PATHS)


def loaded(root: Path, organisation: Path | None = None) -> tuple[CourseProject, list[Diagnostic]]:
    project, problems = load_project(root, organisation, review_quizzes=False)
    assert project is not None, "\n".join(p.format() for p in problems)
    return project, [p for p in problems if p.severity is not Severity.note]


def test_each_path_holds_its_lessons_and_asks_only_about_them(with_paths: Path) -> None:
    project, problems = loaded(with_paths)
    assert problems == []
    core, first, everything = course_paths(project)
    assert (core.id, core.lessons, core.exam) == ("core", ("l1",), "exam")
    assert core.pools["exam"].questions == ("exam-1", "exam-3")  # exam-2 tests l2 and l3
    assert core.pools["exam"].draw == 1
    assert "q1" not in core.pools  # m1 is taken in part, without its quiz
    assert first.lessons == ("l1", "l2") and first.exam is None and list(first.pools) == ["q1"]
    assert everything.pools["exam"].questions == ("exam-1", "exam-2", "exam-3")
    assert everything.pools["exam"].draw == 2  # the exam's own draw
    lesson_minutes = project.lessons["l1"].minutes
    assert core.minutes == lesson_minutes + 1  # one question asked


def test_a_path_project_is_the_course_as_the_path_gives_it(with_paths: Path) -> None:
    project, _ = loaded(with_paths)
    core = course_paths(project)[0]
    reduced = path_project(project, core)
    assert [(m.id, m.lessons, m.quiz) for m in reduced.course.modules] == [("m1", ["l1"], None)]
    assert set(reduced.lessons) == {"l1"} and set(reduced.quizzes) == {"exam"}
    assert [q.id for q in reduced.quizzes["exam"].questions] == ["exam-1", "exam-3"]
    assert reduced.quizzes["exam"].draw == 1
    assert project.course.modules[0].lessons == ["l1", "l2"]  # the course itself is untouched


def test_a_course_without_paths_is_one_whole_path(mini: Path) -> None:
    project, _ = loaded(mini)
    (whole,) = course_paths(project)
    assert not whole.declared and whole.id == project.course.id
    assert path_project(project, whole) is project


@pytest.mark.parametrize("old, new, message", [
    ("    modules: [m1]\n    exam: false", "    modules: [m9]\n    exam: false",
     "course/course.yml:34:15: error: path 'first': unknown module 'm9'"),
    ("    lessons: [l1]\n", "    lessons: [l1, l7]\n",
     "course/course.yml:29:19: error: path 'core': lesson 'l7' is in no module"),
    ("  - id: all\n", "  - id: core\n", "course/course.yml:36:9: error: duplicate path id 'core'"),
    ("    lessons: [l1]\n", "    lessons: [l1]\n    quizzes: [exam]\n",
     "course/course.yml:30:15: error: path 'core': 'exam' is not the quiz of a module the path takes"),
])
def test_a_path_naming_what_the_course_lacks_is_an_error_where_it_is_written(
        with_paths: Path, edit: Callable[[Path, str, str], None], old: str, new: str, message: str) -> None:
    edit(with_paths / "course/course.yml", old, new)
    _, problems = loaded(with_paths)
    assert message in [p.format().splitlines()[0] for p in problems]


def test_a_question_testing_an_unknown_lesson_is_an_error(with_paths: Path,
                                                          edit: Callable[[Path, str, str], None]) -> None:
    edit(with_paths / "quizzes/exam.yml", "lessons: [l1]", "lessons: [l1, nope]")
    _, problems = loaded(with_paths)
    assert [p.format().splitlines()[0] for p in problems] == [
        "quizzes/exam.yml:10:19: error: question 'exam-1' tests unknown lesson 'nope'"]


def test_a_path_too_small_for_its_draw_or_too_long_is_warned(with_paths: Path,
                                                             edit: Callable[[Path, str, str], None]) -> None:
    edit(with_paths / "course/course.yml", "exam: {draw: 1}\n    max_minutes: 30",
         "exam: {draw: 3}\n    max_minutes: 5")
    _, problems = loaded(with_paths)
    messages = [p.message for p in problems if p.severity is Severity.warning]
    assert "path 'core': only 2 question(s) of quiz 'exam' are about its lessons, fewer than the draw of 3" in messages
    assert any(m.startswith("path 'core' takes about") and m.endswith("more than its 5") for m in messages)


def test_the_organisation_chooses_the_default_and_the_offer(with_paths: Path) -> None:
    org = with_paths / "organisation.yml"
    org.write_text("paths: {default: all, offered: [core, all], learners_choose: false}\n", encoding="utf-8")
    project, problems = loaded(with_paths)
    assert problems == []
    assert [p.id for p in offered_paths(project)] == ["all", "core"]
    org.write_text("paths: {default: first, offered: [core]}\n", encoding="utf-8")
    _, problems = loaded(with_paths)
    assert [p.format().splitlines()[0] for p in problems] == [
        "organisation.yml:1:18: error: the default path 'first' is not offered"]
    org.write_text("paths: {default: every, offered: [core, nine]}\n", encoding="utf-8")
    _, problems = loaded(with_paths)
    assert [p.format().splitlines()[0] for p in problems] == [
        "organisation.yml:1:18: error: unknown learning path 'every'",
        "organisation.yml:1:41: error: unknown learning path 'nine'"]


def test_check_reports_path_errors_without_a_traceback(with_paths: Path,
                                                       edit: Callable[[Path, str, str], None]) -> None:
    edit(with_paths / "course/course.yml", "modules: [m1, m2]", "modules: [m1, m3]")
    result = CliRunner().invoke(main, ["check", str(with_paths)])
    assert result.exit_code == 1
    assert "error: path 'all': unknown module 'm3'" in result.output
    assert "hint: use one of the course's modules: m1, m2" in result.output
    assert "Traceback" not in result.output
