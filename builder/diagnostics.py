"""Diagnostics: what `bonsens check` tells a trainer, each pinned to a file, line and column.

Every piece of text a diagnostic prints may come from a file (a key, a value, a file name), so
it is shown with its control and direction characters escaped (`\\x1b`, `\\n`, `\\u202e`): a
diagnostic is always exactly one line, plus the quoted source line and its hint, and cannot
forge another `file:1:1: error:` line or recolour the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

# C0 and C1 controls, DEL, line and paragraph separators, bidi marks, embeddings, overrides and
# isolates, the byte order mark, and lone surrogates (which no terminal can print).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                          "\u2066-\u2069\ufeff\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Where YAML counts a new line: the parsers' line numbers are counted with the same breaks.
LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
EXCERPT_WIDTH = 100
TAB_STOP = 4
GUTTER = 5


def printable(text: str) -> str:
    """`text` with every character that could break a line or a terminal shown escaped."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def _plain(text: str, part: str) -> str:
    return text


def split_lines(text: str) -> list[str]:
    """The lines of a text as the YAML parsers number them (CRLF, CR, NEL, LS and PS break too)."""
    return LINE_BREAK.split(text)


class Severity(StrEnum):
    """How much a problem matters: an error stops a build; a warning fails `bonsens check --strict`;
    a note is listed and counted, never failing (quiz-quality findings a course chose to defer)."""

    error = "error"
    warning = "warning"
    note = "note"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located at the YAML node that causes it (1-based line and column).

    `source` is the text of that line when known: it is quoted under the message with a caret
    under the column. Columns count characters, as the YAML parsers do. `code` names the rule
    that found it (e.g. `longest-answer`), stable so that a trainer can silence it on purpose.
    """

    path: str
    line: int
    column: int
    message: str
    hint: str | None = None
    severity: Severity = Severity.error
    source: str | None = field(default=None, compare=False)
    code: str | None = field(default=None, compare=False)

    @property
    def location(self) -> str:
        """`path:line:col`, the part editors and CI logs link to."""
        return f"{printable(self.path)}:{self.line}:{self.column}"

    def format(self, style: Callable[[str, str], str] = _plain) -> str:
        """`path:line:col: severity: message`, the quoted source line and caret, then the hint.

        `style(text, part)` may colour each part: location, severity, gutter, caret, hint.
        """
        rule = f" [{self.code}]" if self.code else ""
        lines = [f"{style(self.location + ':', 'location')} {style(self.severity.value + ':', 'severity')} "
                 f"{printable(self.message)}{rule}"]
        excerpt = self.excerpt()
        if excerpt:
            code, caret = excerpt
            cut = GUTTER + 3
            lines += [style(code[:cut], "gutter") + code[cut:], style(caret[:-1], "gutter") + style("^", "caret")]
        if self.hint:
            lines.append(f"    {style('hint:', 'hint')} {printable(self.hint)}")
        return "\n".join(lines)

    def quoting(self, lines: list[str]) -> Diagnostic:
        """This diagnostic with its source line taken from its file's lines (if not known yet)."""
        if self.source is not None or not 0 < self.line <= len(lines):
            return self
        return replace(self, source=lines[self.line - 1])

    def excerpt(self) -> list[str]:
        """The source line, escaped and trimmed around the column, and a caret under the column.

        Tabs are expanded and wide (CJK, emoji) characters count two cells, so the caret stands
        under the right character in a terminal.
        """
        if not self.source or not self.source.strip():
            return []
        cells = _cells(self.source)
        caret = sum(width for _, width in cells[: max(self.column - 1, 0)])
        shown, caret = _window(cells, caret)
        gutter = " " * GUTTER
        return [f"{self.line:>{GUTTER}} | {shown}".rstrip(), f"{gutter} | {' ' * caret}^"]


def _cells(source: str) -> list[tuple[str, int]]:
    """Each character of a source line as (what to print, how many terminal cells it takes)."""
    cells: list[tuple[str, int]] = []
    x = 0
    for char in source:
        shown = " " * (TAB_STOP - x % TAB_STOP) if char == "\t" else printable(char)
        width = len(shown) if shown != char else _char_width(char)
        cells.append((shown, width))
        x += width
    return cells


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _window(cells: list[tuple[str, int]], caret: int) -> tuple[str, int]:
    """At most EXCERPT_WIDTH cells of the line around the caret, `…` where it is cut."""
    if sum(width for _, width in cells) <= EXCERPT_WIDTH:
        return "".join(text for text, _ in cells), caret
    left = max(0, caret - EXCERPT_WIDTH // 3)
    start = x = 0
    while start < len(cells) and x + cells[start][1] <= left:
        x += cells[start][1]
        start += 1
    end, width = start, 0
    while end < len(cells) and width + cells[end][1] <= EXCERPT_WIDTH - 2:
        width += cells[end][1]
        end += 1
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(cells) else ""
    return prefix + "".join(text for text, _ in cells[start:end]) + suffix, caret - x + len(prefix)


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
