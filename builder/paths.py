"""Learning paths: which part of the course each group of learners takes.

A path picks from the course without reordering it: whole modules (lessons and quiz), single
lessons of other modules, the quizzes of modules it takes in part, and the final exam. Every
quiz of a path asks only about what the path holds: a question marked with `lessons:` is asked
only when the path holds all of them (unmarked questions are asked in every path that has their
quiz). A course without `paths:` has one implicit path, the whole course.

Everything downstream follows a path through one of two forms made here, once:
`PathPlan`, the plain outline the browser gets (site: every offered path; package: its own),
and `path_project`, the course as the path's learners receive it, which the packages are built
from. So progress, the suspend-data budget, interactions, objectives and the certificate of a
path package need no idea of paths at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from builder.diagnostics import Diagnostic, Severity
from builder.model import Course, LearningPath, PathExam, Quiz
from builder.project import CourseProject
from builder.yamlsource import YamlDocument

QUESTION_MINUTES = 1  # what a question takes to read, answer and read the explanation of, on average


@dataclass(frozen=True)
class PathModule:
    """A module as a path holds it: its lessons in the path, and its quiz if the path asks it."""

    id: str
    lessons: tuple[str, ...]
    quiz: str | None


@dataclass(frozen=True)
class QuizPool:
    """The questions a quiz may ask in a path, and how many it draws (None: all)."""

    questions: tuple[str, ...]
    draw: int | None

    @property
    def asked(self) -> int:
        return min(self.draw or len(self.questions), len(self.questions))


@dataclass(frozen=True)
class PathPlan:
    """One learning path, resolved against the course: what it holds and how long it takes."""

    id: str
    title: dict[str, str]
    description: dict[str, str] | None
    modules: tuple[PathModule, ...]
    exam: str | None  # the final exam's quiz id, when the path ends with it
    pools: dict[str, QuizPool]  # by quiz id, every quiz of the path (module quizzes and the exam)
    lesson_minutes: int
    declared: bool  # False for the implicit whole-course path of a course without `paths:`

    @property
    def lessons(self) -> tuple[str, ...]:
        return tuple(lesson for module in self.modules for lesson in module.lessons)

    @property
    def minutes(self) -> int:
        """Lessons at their declared time, plus about a minute per question asked."""
        return self.lesson_minutes + QUESTION_MINUTES * sum(pool.asked for pool in self.pools.values())


# --------------------------------------------------------------------------- resolve


def course_paths(project: CourseProject) -> list[PathPlan]:
    """Every path of the course, in the order declared (the implicit whole course if none)."""
    course = project.course
    if not course.paths:
        whole = LearningPath.model_validate({"id": course.id, "title": dict(course.title),
                                             "modules": [m.id for m in course.modules]})
        return [_plan(project, whole, declared=False)]
    return [_plan(project, path, declared=True) for path in course.paths]


def offered_paths(project: CourseProject) -> list[PathPlan]:
    """The paths this deployment offers, its default first (organisation.yml `paths:`)."""
    paths = course_paths(project)
    settings = project.organisation.paths if project.organisation else None
    if settings is None:
        return paths
    by_id = {path.id: path for path in paths}
    offered = [by_id[i] for i in (settings.offered or list(by_id)) if i in by_id]
    default = settings.default if settings.default in {p.id for p in offered} else None
    return sorted(offered, key=lambda path: path.id != default) if default else offered


def learners_choose(project: CourseProject) -> bool:
    """Whether the site lets a learner switch paths (organisation.yml `paths: {learners_choose:}`)."""
    settings = project.organisation.paths if project.organisation else None
    return settings.learners_choose if settings else True


def _plan(project: CourseProject, path: LearningPath, *, declared: bool) -> PathPlan:
    course = project.course
    whole, single, quizzes = set(path.modules), set(path.lessons), set(path.quizzes)
    modules = []
    for module in course.modules:
        lessons = tuple(i for i in module.lessons if module.id in whole or i in single)
        quiz = module.quiz if module.quiz and (module.id in whole or module.quiz in quizzes) else None
        if lessons or quiz:
            modules.append(PathModule(module.id, lessons, quiz))
    held = {lesson for module in modules for lesson in module.lessons}
    exam = course.final_exam.quiz if course.final_exam and path.exam is not False else None
    pools = {}
    for quiz_id in [m.quiz for m in modules if m.quiz] + ([exam] if exam else []):
        asked = project.quizzes.get(quiz_id)
        if asked is not None:
            draw = path.exam.draw if quiz_id == exam and isinstance(path.exam, PathExam) and path.exam.draw \
                else asked.draw
            pools[quiz_id] = QuizPool(_asked_in(asked, held), draw)
    minutes = sum(project.lessons[i].minutes for i in held if i in project.lessons)
    return PathPlan(path.id, dict(path.title), dict(path.description) if path.description else None,
                    tuple(modules), exam if exam in pools else None, pools, minutes, declared)


def _asked_in(quiz: Quiz, lessons: set[str]) -> tuple[str, ...]:
    return tuple(q.id for q in quiz.questions if q.lessons is None or set(q.lessons) <= lessons)


# --------------------------------------------------------------------------- the course as a path's learners get it


def path_project(project: CourseProject, plan: PathPlan) -> CourseProject:
    """The course reduced to one path: its modules, lessons and quizzes, each quiz its pool.

    Packages are built from it, so everything they hold and report is the path's."""
    if not plan.declared:
        return project
    course = project.course
    held = {module.id: module for module in plan.modules}
    modules = [module.model_copy(update={"lessons": list(held[module.id].lessons), "quiz": held[module.id].quiz})
               for module in course.modules if module.id in held and held[module.id].lessons]
    final_exam = course.final_exam if plan.exam else None
    quizzes = {quiz_id: _pooled(project.quizzes[quiz_id], pool) for quiz_id, pool in plan.pools.items()}
    lessons = {i: project.lessons[i] for i in plan.lessons if i in project.lessons}
    # The reduced course knows one path, its own: what the site would offer is that path alone
    own = [path for path in course.paths if path.id == plan.id]
    return dataclasses.replace(project, course=course.model_copy(update={"modules": modules,
                                                                        "final_exam": final_exam,
                                                                        "paths": own}),
                               lessons=lessons, quizzes=quizzes)


def _pooled(quiz: Quiz, pool: QuizPool) -> Quiz:
    kept = set(pool.questions)
    questions = [q for q in quiz.questions if q.id in kept]
    draw = min(pool.draw, len(questions)) if pool.draw else None
    if draw == len(questions) and quiz.draw is None:
        draw = None
    return quiz.model_copy(update={"questions": questions, "draw": draw})


# --------------------------------------------------------------------------- check


def path_problems(project: CourseProject) -> list[Diagnostic]:
    """Paths that name what the course lacks, quizzes left too small, a path longer than it says."""
    course = project.course
    problems = list(_question_lesson_problems(project))
    for index, path in enumerate(course.paths):
        problems += list(_reference_problems(project, course, index, path))
    if any(p.severity is Severity.error for p in problems):
        return problems
    for index, plan in enumerate(course_paths(project) if course.paths else []):
        problems += list(_plan_problems(project, index, plan))
    return problems


def _reference_problems(project: CourseProject, course: Course, index: int,
                        path: LearningPath) -> Iterator[Diagnostic]:
    doc = project.course_doc
    at = ("paths", index)
    module_ids = {m.id for m in course.modules}
    module_of = {lesson: m.id for m in course.modules for lesson in m.lessons}
    quiz_of = {m.quiz: m.id for m in course.modules if m.quiz}
    if [p.id for p in course.paths].index(path.id) != index:
        yield doc.diagnostic((*at, "id"), f"duplicate path id '{path.id}'", "give each path its own id")
    for i, module_id in enumerate(path.modules):
        if module_id not in module_ids:
            yield doc.diagnostic((*at, "modules", i), f"path '{path.id}': unknown module '{module_id}'",
                                 f"use one of the course's modules: {', '.join(sorted(module_ids))}")
    for i, lesson_id in enumerate(path.lessons):
        if lesson_id not in module_of:
            yield doc.diagnostic((*at, "lessons", i), f"path '{path.id}': lesson '{lesson_id}' is in no module",
                                 "list a lesson of a module in `modules:` of course.yml")
        elif module_of[lesson_id] in path.modules:
            yield doc.diagnostic((*at, "lessons", i), f"path '{path.id}': lesson '{lesson_id}' is already in "
                                 f"its module '{module_of[lesson_id]}'", "remove it from `lessons:`",
                                 severity=Severity.warning)
    held = set(path.modules) | {module_of[i] for i in path.lessons if i in module_of}
    for i, quiz_id in enumerate(path.quizzes):
        if quiz_of.get(quiz_id) not in held:
            yield doc.diagnostic((*at, "quizzes", i), f"path '{path.id}': '{quiz_id}' is not the quiz of a "
                                 "module the path takes", "list the quiz of a module whose lessons it holds")
    if not path.modules and not path.lessons:
        yield doc.diagnostic(at, f"path '{path.id}' holds no lesson", "give it `modules:` or `lessons:`")
    if path.exam is not False and isinstance(path.exam, PathExam) and course.final_exam is None:
        yield doc.diagnostic((*at, "exam"), f"path '{path.id}' draws an exam the course does not have",
                             "add `final_exam:` to course.yml, or remove `exam:` from the path")


def _plan_problems(project: CourseProject, index: int, plan: PathPlan) -> Iterator[Diagnostic]:
    doc = project.course_doc
    path = project.course.paths[index]
    for quiz_id, pool in plan.pools.items():
        quiz = project.quizzes[quiz_id]
        if not pool.questions:
            yield doc.diagnostic(("paths", index, "id"), f"path '{plan.id}': no question of quiz '{quiz_id}' "
                                 "is about the path's lessons",
                                 "mark questions with `lessons:` of this path, or leave some unmarked",
                                 severity=Severity.warning)
        elif pool.draw and len(pool.questions) < pool.draw:
            where = ("paths", index, "exam") if quiz_id == plan.exam and isinstance(path.exam, PathExam) \
                else ("paths", index, "id")
            yield doc.diagnostic(where, f"path '{plan.id}': only {len(pool.questions)} question(s) of quiz "
                                 f"'{quiz_id}' are about its lessons, fewer than the draw of {pool.draw}",
                                 f"draw at most {len(pool.questions)}, or write questions on this path's "
                                 f"lessons (see `lessons:` in {quiz.id}.yml)", severity=Severity.warning)
    if path.max_minutes and plan.minutes > path.max_minutes:
        yield doc.diagnostic(("paths", index, "max_minutes"), f"path '{plan.id}' takes about {plan.minutes} "
                             f"minutes ({plan.lesson_minutes} of lessons, {plan.minutes - plan.lesson_minutes} "
                             f"of questions), more than its {path.max_minutes}",
                             "take a lesson out, shorten one, or draw fewer questions",
                             severity=Severity.warning)


def _question_lesson_problems(project: CourseProject) -> Iterator[Diagnostic]:
    """A question's `lessons:` must name lessons of the course."""
    known = {lesson for module in project.course.modules for lesson in module.lessons}
    for quiz_id, quiz in project.quizzes.items():
        document = project.documents.get(quiz_id)
        if document is None:
            continue
        for q_index, question in enumerate(quiz.questions):
            for l_index, lesson_id in enumerate(question.lessons or []):
                if lesson_id not in known:
                    yield document.diagnostic(("questions", q_index, "lessons", l_index),
                                              f"question '{question.id}' tests unknown lesson '{lesson_id}'",
                                              "use the id of a lesson listed in course.yml")


def offered_problems(project: CourseProject, document: YamlDocument | None) -> list[Diagnostic]:
    """organisation.yml may offer only the course's paths."""
    settings = project.organisation.paths if project.organisation else None
    if settings is None or document is None:
        return []
    known = [path.id for path in course_paths(project)] if project.course.paths else []
    hint = f"use a path of course.yml: {', '.join(known)}" if known else "course.yml declares no `paths:`"
    named: list[tuple[tuple[str | int, ...], str]] = [(("paths", "default"), settings.default)] \
        if settings.default else []
    named += [(("paths", "offered", i), path_id) for i, path_id in enumerate(settings.offered or [])]
    problems = [document.diagnostic(where, f"unknown learning path '{path_id}'", hint)
                for where, path_id in named if path_id not in known]
    if settings.default in known and settings.offered and settings.default not in settings.offered:
        problems.append(document.diagnostic(("paths", "default"), f"the default path '{settings.default}' is "
                                            "not offered", "add it to `offered:`"))
    return problems
