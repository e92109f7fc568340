"""The one course model every later stage reads: validated objects plus where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.model import Course, Lesson, Quiz
from builder.organisation import Organisation
from builder.yamlsource import YamlDocument


@dataclass
class CourseProject:
    """Everything authored for one course, validated, with where each piece came from."""

    root: Path
    course: Course
    course_doc: YamlDocument
    lessons: dict[str, Lesson] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    documents: dict[str, YamlDocument] = field(default_factory=dict)  # by lesson or quiz id
    unreadable: set[str] = field(default_factory=set)  # stems of files that failed to load
    organisation: Organisation | None = None  # who it is deployed for (builder/organisation.py)
    organisation_file: Path | None = None  # the file it came from (`--org`, or organisation.yml)

    @property
    def languages(self) -> list[str]:
        return list(self.course.languages)

    def lessons_in_order(self) -> list[Lesson]:
        """Lessons as the learner meets them: module by module, in the course's order."""
        return [self.lessons[i] for m in self.course.modules for i in m.lessons if i in self.lessons]
