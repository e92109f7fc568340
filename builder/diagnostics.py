"""Diagnostics: what `bonsens check` tells a trainer, each pinned to a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located at the YAML node that causes it (1-based line and column)."""

    path: str
    line: int
    column: int
    message: str
    hint: str | None = None
    severity: Severity = Severity.error

    def format(self) -> str:
        """`path:line:col: severity: message (hint)` — the form editors and CI logs link to."""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class CourseError(Exception):
    """Raised when a command cannot go on because the course has errors; carries them all."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = diagnostics


def relative(path: Path, root: Path) -> str:
    """A path as the trainer sees it: relative to the course folder when possible, with `/`."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
