"""Print the course's measures, as a Markdown report: minutes per learning path, words and minutes
per lesson, questions per quiz, and the quiz-quality findings by code.

Why: a course revision is judged by these numbers (is the core path under an hour? is a lesson too
long for its minutes? did the rewrite clear the quiz checks?), and they should come from the
course as built, not from a hand count.

    .venv/bin/python scripts/course_measures.py [COURSE_DIR] [--org FILE]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from builder.checks import localized_values
from builder.diagnostics import Severity
from builder.loader import load_project
from builder.model import Lesson
from builder.paths import course_paths
from builder.project import CourseProject


def words(lesson: Lesson, lang: str) -> int:
    """Words a learner reads in a lesson, every text of it, in one language."""
    return sum(len(re.findall(r"[\w’'-]+", texts[lang])) for _, texts in localized_values(lesson)
               if isinstance(texts.get(lang), str))


def path_table(project: CourseProject) -> list[str]:
    rows = ["| path | lessons | minutes of lessons | questions asked | minutes in all |", "|---|---|---|---|---|"]
    for plan in course_paths(project):
        asked = sum(pool.asked for pool in plan.pools.values())
        rows.append(f"| {plan.id} | {len(plan.lessons)} | {plan.lesson_minutes} | {asked} | {plan.minutes} |")
    return rows


def lesson_table(project: CourseProject) -> list[str]:
    langs = project.languages
    rows = ["| module | lesson | minutes | " + " | ".join(f"words ({lang})" for lang in langs) + " |",
            "|---|---|---|" + "---|" * len(langs)]
    for module in project.course.modules:
        for lesson_id in module.lessons:
            lesson = project.lessons[lesson_id]
            counts = " | ".join(str(words(lesson, lang)) for lang in langs)
            rows.append(f"| {module.id} | {lesson_id} | {lesson.minutes} | {counts} |")
    return rows


def quiz_table(project: CourseProject) -> list[str]:
    rows = ["| quiz | questions | draw | types |", "|---|---|---|---|"]
    for quiz_id, quiz in sorted(project.quizzes.items()):
        types = Counter(q.type for q in quiz.questions)
        rows.append(f"| {quiz_id} | {len(quiz.questions)} | {quiz.draw or '-'} | "
                    + ", ".join(f"{t} {n}" for t, n in sorted(types.items())) + " |")
    return rows


def findings(root: Path, organisation: Path | None) -> list[str]:
    _, problems = load_project(root, organisation)
    codes = Counter(p.code for p in problems if p.code)
    other = Counter(p.severity.value for p in problems if not p.code)
    total = sum(codes.values())
    line = f"quiz-quality findings: {total}" + (" (" + ", ".join(f"{c} {n}" for c, n in codes.most_common()) + ")"
                                                if total else "")
    return [line, "other problems: " + (", ".join(f"{n} {s}" for s, n in other.items()) or "none")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path("."))
    parser.add_argument("--org", type=Path, default=None)
    args = parser.parse_args()
    project, problems = load_project(args.root, args.org)
    if project is None:
        raise SystemExit("\n".join(p.format() for p in problems if p.severity is Severity.error))
    sections = [("Learning paths", path_table(project)), ("Lessons", lesson_table(project)),
                ("Quizzes", quiz_table(project)), ("Checks", findings(args.root, args.org))]
    for title, lines in sections:
        print(f"## {title}\n")
        print("\n".join(lines), end="\n\n")


if __name__ == "__main__":
    main()
