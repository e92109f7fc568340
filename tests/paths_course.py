"""The mini course made into a course with learning paths, for the tests of paths (model and packages).

A second module (lesson l3, a copy of l2, no quiz) and exam questions marked with the lessons they
test: exam-1 tests l1, exam-2 tests l2 and l3, exam-3 is unmarked. The paths themselves are each
test file's own (`block`), appended to course.yml.
"""

from __future__ import annotations

from pathlib import Path

MODULE_2 = """  - id: m2
    title: {fr: Second module, en: Second module}
    lessons: [l3]
final_exam:"""


def add_paths(root: Path, block: str) -> Path:
    """Give the mini course copied at `root` a second module, marked exam questions and `block`."""
    lessons = root / "course/lessons"
    (lessons / "m2").mkdir()
    (lessons / "m2/l3.yml").write_text((lessons / "m1/l2.yml").read_text(encoding="utf-8")
                                       .replace("id: l2", "id: l3"), encoding="utf-8")
    course = root / "course/course.yml"
    text = course.read_text(encoding="utf-8").replace("final_exam:", MODULE_2, 1)
    course.write_text(text + block, encoding="utf-8")
    exam = root / "quizzes/exam.yml"
    text = exam.read_text(encoding="utf-8")
    text = text.replace("  - id: exam-1\n", "  - id: exam-1\n    lessons: [l1]\n")
    exam.write_text(text.replace("  - id: exam-2\n", "  - id: exam-2\n    lessons: [l2, l3]\n"), encoding="utf-8")
    return root
