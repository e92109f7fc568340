"""Read a YAML file into plain data and remember where each value came from.

pydantic validates plain data and reports errors by path (`questions.3.choices`); a trainer
needs `quizzes/m1.yml:42:7`. So we compose the YAML node tree ourselves, build the data from
it, and keep a table from each path to the line and column of its node (and of its key).

A file is hostile or broken as often as it is right, so reading it is bounded: its size, how
deep it nests and how many values its aliases expand to are checked on the parser's event
stream before anything is built, and every failure (an encoding, a character, a bomb) comes
back as a located diagnostic, never as an exception.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import LINE_BREAK, Diagnostic, split_lines

PathKey = tuple[str | int, ...]

# Limits that keep a hostile or broken file from exhausting memory or the stack. A real lesson
# is under 100 KB, nests fewer than 10 levels and holds a few hundred values.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000


class _Loader(yaml.SafeLoader):
    """A safe loader with YAML 1.2's plain-text rules where 1.1 surprises authors.

    Dates stay text (`date: 2014-06-17`), and only true/false are booleans: in YAML 1.1,
    `en: No` or `fr: Non`'s English twin would silently become `false`.
    """


_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

if hasattr(yaml, "CSafeLoader"):
    class _FastLoader(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
        """The same rules on libyaml's parser (shipped in PyYAML's wheels): 20 times faster.
        Its error messages are terser, so a file that fails is parsed again with _Loader."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _COMPOSER: type = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _COMPOSER = _Loader


@dataclass
class YamlDocument:
    """A loaded file: its data and the position of every node, by path."""

    path: Path
    shown_path: str
    data: Any
    value_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    _lines: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> list[str]:
        """The text's lines, numbered as the parser numbers them (for quoting a line)."""
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def position(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the node at `path`, or of its nearest existing ancestor."""
        table = self.key_positions if key else self.value_positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return self.value_positions.get((), (1, 1))

    def diagnostic(self, path: PathKey, message: str, hint: str | None = None, *,
                   key: bool = False, **extra: Any) -> Diagnostic:
        """A diagnostic pinned to the node at `path` in this file."""
        line, column = self.position(path, key=key)
        return Diagnostic(self.shown_path, line, column, message, hint, **extra).quoting(self.lines)

    def locate_text(self, path: PathKey, needle: str) -> tuple[int, int]:
        """Where `needle` first appears at or after the node at `path` (inside a block of text)."""
        line, column = self.position(path)
        lines = self.lines
        for index in range(line - 1, len(lines)):
            start = lines[index].find(needle, column - 1 if index == line - 1 else 0)
            if start >= 0:
                return index + 1, start + 1
        return line, column

    def text_diagnostic(self, path: PathKey, needle: str, message: str, hint: str | None = None,
                        **extra: Any) -> Diagnostic:
        """A diagnostic at a piece of text inside the value at `path` (a link, an image)."""
        line, column = self.locate_text(path, needle)
        return Diagnostic(self.shown_path, line, column, message, hint, **extra).quoting(self.lines)


def load_yaml(path: Path, shown_path: str, *, empty_hint: str | None = None,
              ) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Load one YAML file; on failure return the located reasons instead of raising."""
    try:
        if not path.is_file():
            return None, [Diagnostic(shown_path, 1, 1, "not a regular file",
                                     "a course file must be a plain .yml file")]
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [Diagnostic(shown_path, 1, 1, f"cannot read file: {exc.strerror}")]
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_large(path, shown_path)]
    text, problem = decode_text(data, shown_path)
    if text is None:
        return None, [problem] if problem else []
    return parse_yaml(text, path, shown_path, empty_hint=empty_hint)


def _too_large(path: Path, shown_path: str) -> Diagnostic:
    try:
        size = f"{path.stat().st_size / 1024 / 1024:.1f} MB"
    except OSError:
        size = "too large"
    return Diagnostic(shown_path, 1, 1, f"file is {size}: a course file may be at most "
                      f"{MAX_FILE_BYTES // 1024 // 1024} MB",
                      "a lesson or a quiz is usually under 100 KB: check that this is the right file, "
                      "or split it into several lessons or quizzes")


def decode_text(data: bytes, shown_path: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text without its byte order mark; or where the first byte that is not UTF-8 is."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, Diagnostic(shown_path, 1, 1, "file is UTF-16 text, not UTF-8",
                                "save the file as UTF-8 (in the editor's encoding menu)")
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, _not_utf8(body, exc.start, shown_path)


def _not_utf8(body: bytes, start: int, shown_path: str) -> Diagnostic:
    """Point at the first byte that is not UTF-8, and name the likely encoding."""
    before = split_lines(body[:start].decode("utf-8"))
    line_end = re.search(rb"[\r\n]", body[start:])
    rest = body[start: start + line_end.start() if line_end else len(body)]
    byte = body[start]
    try:
        body.decode("cp1252")
    except UnicodeDecodeError:
        message = f"file is not UTF-8 text: byte 0x{byte:02X} cannot be read"
    else:
        message = (f"file is not UTF-8 text: it looks like Latin-1/Windows-1252, where byte "
                   f"0x{byte:02X} here is '{bytes([byte]).decode('cp1252')}'")
    source = before[-1] + rest.decode("cp1252", errors="replace")
    return Diagnostic(shown_path, len(before), len(before[-1]) + 1, message,
                      "re-save the file as UTF-8 (most editors: \"Save with encoding\" → UTF-8)",
                      source=source)


def parse_yaml(text: str, path: Path, shown_path: str, *, empty_hint: str | None = None,
               ) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse YAML text; a syntax error becomes a diagnostic at the place the parser gave up.

    The text is first walked once as a stream of events, within limits, so that no parser
    composes a bomb: nesting depth, the number of values aliases expand to, alias loops.
    """
    lines = split_lines(text)
    document, problems = _parse(text, path, shown_path, empty_hint)
    return document, [problem.quoting(lines) for problem in problems]


def _parse(text: str, path: Path, shown_path: str,
           empty_hint: str | None) -> tuple[YamlDocument | None, list[Diagnostic]]:
    if len(text) > MAX_FILE_BYTES:
        return None, [Diagnostic(shown_path, 1, 1, f"text is longer than {MAX_FILE_BYTES:,} characters",
                                 "split it into several lessons or quizzes")]
    root, problem = _compose(text, shown_path)
    if problem is not None:
        return None, [problem]
    if root is None:
        return None, [Diagnostic(shown_path, 1, 1, "file is empty", empty_hint or
                                 "run `bonsens new lesson ID` or `bonsens new quiz ID` for a template")]
    document = YamlDocument(path, shown_path, None, text=text)
    builder = _DataBuilder(document)
    document.data = builder.build(root, ())
    return document, builder.problems


def _compose(text: str, shown_path: str) -> tuple[yaml.Node | None, Diagnostic | None]:
    """The node tree, once the text is known to stay within the limits; else the first problem.

    libyaml first; a file it refuses is read again by the pure Python parser, whose messages
    are clearer (and which is held to the same limits)."""
    failure: Exception | None = None
    for loader in (_COMPOSER, _Loader):
        try:
            limit = _over_limits(text, shown_path, loader)
            if limit is not None:
                return None, limit
            return yaml.compose(text, Loader=loader), None
        except (yaml.YAMLError, RecursionError) as exc:
            failure = exc
            mark = _libyaml_too_deep(exc)
            if mark is not None:
                return None, _over_limits(_text_before(text, mark), shown_path, loader) \
                    or _limit(shown_path, mark, _DEEP)
    if isinstance(failure, yaml.MarkedYAMLError):
        return None, _syntax_diagnostic(failure, shown_path)
    if isinstance(failure, yaml.reader.ReaderError):
        return None, _reader_diagnostic(failure, text, shown_path)
    if isinstance(failure, RecursionError):
        return None, Diagnostic(shown_path, 1, 1, *_DEEP)
    return None, Diagnostic(shown_path, 1, 1, f"YAML error: {_first_line(failure or Exception())}")


def _libyaml_too_deep(exc: BaseException) -> Any:
    """Where libyaml refused to nest deeper than 1,000 '[' (before it yields a single event; the
    pure Python parser would take seconds to say so). The text before that point shows where
    our limit was passed."""
    if isinstance(exc, yaml.MarkedYAMLError) and "maximum nesting depth" in (exc.problem or ""):
        return exc.problem_mark
    return None


def _text_before(text: str, mark: Any) -> str:
    line_start = 0
    for number, match in enumerate(LINE_BREAK.finditer(text), start=1):
        if number > mark.line:
            break
        line_start = match.end()
    return text[: line_start + mark.column]


def _reader_diagnostic(exc: yaml.reader.ReaderError, text: str, shown_path: str) -> Diagnostic:
    """A character YAML refuses (a control character pasted from a terminal or a PDF), located."""
    before = split_lines(text[: exc.position])
    code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
    return Diagnostic(shown_path, len(before), len(before[-1]) + 1,
                      f"character U+{code:04X} is not allowed in a YAML file",
                      "delete it: it is an invisible control character, often pasted from a terminal "
                      "or a PDF")


# --------------------------------------------------------------------------- limits


_DEEP = (f"YAML nesting is deeper than {MAX_DEPTH} levels",
         "a course file needs fewer than 10: look for an unclosed '[' or '{', or indentation that keeps growing")


def _over_limits(text: str, shown_path: str, loader: type) -> Diagnostic | None:
    """Walk the event stream once and stop at the first node over a limit. Both parsers keep
    their own stack (no recursion) and nothing is built on the way, so this is safe on a bomb."""
    walk = _Walk()
    for event in yaml.parse(text, Loader=loader):
        problem = walk.step(event)
        if problem is not None:
            return _limit(shown_path, event.start_mark, problem)
    return None


def _limit(shown_path: str, mark: Any, problem: tuple[str, str]) -> Diagnostic:
    """A limit passed at a parser mark (libyaml's and PyYAML's marks both have line and column)."""
    return Diagnostic(shown_path, mark.line + 1, mark.column + 1, *problem)


class _Open:
    """A collection being walked: its anchor, the values it holds so far, its deepest child."""

    __slots__ = ("anchor", "values", "height")

    def __init__(self, anchor: str | None):
        self.anchor, self.values, self.height = anchor, 1, 0


class _Walk:
    """What the data would be once built, aliases expanded: its depth and number of values."""

    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.anchored: dict[str, tuple[int, int]] = {}  # anchor → (values, height) of its node
        self.total = 0

    def step(self, event: yaml.Event) -> tuple[str, str] | None:
        """(message, hint) when this event goes over a limit."""
        if isinstance(event, yaml.ScalarEvent):
            self._complete(event.anchor, 1, 1)
            return self._count(1, event)
        if isinstance(event, yaml.CollectionStartEvent):
            if len(self.stack) >= MAX_DEPTH:
                return _DEEP
            self.stack.append(_Open(event.anchor))
            return self._count(1, event)
        if isinstance(event, yaml.CollectionEndEvent):
            node = self.stack.pop()
            self._complete(node.anchor, node.values, node.height + 1)
        elif isinstance(event, yaml.AliasEvent):
            return self._alias(event)
        return None

    def _alias(self, event: yaml.AliasEvent) -> tuple[str, str] | None:
        if any(node.anchor == event.anchor for node in self.stack):
            return (f"alias '*{event.anchor}' is inside the value it repeats (a loop)",
                    "an alias can only repeat a value that ends before it: remove it")
        values, height = self.anchored.get(event.anchor or "", (1, 1))  # undefined: the composer says
        if len(self.stack) + height > MAX_DEPTH:
            return (f"alias '*{event.anchor}' nests the data deeper than {MAX_DEPTH} levels",
                    "copy the text instead of repeating it with an alias")
        self._complete(None, values, height)
        return self._count(values, event)

    def _complete(self, anchor: str | None, values: int, height: int) -> None:
        """A value is complete: remember its size under its anchor and add it to its parent."""
        if anchor is not None:
            self.anchored[anchor] = (values, height)
        if self.stack:
            parent = self.stack[-1]
            parent.values += values
            parent.height = max(parent.height, height)

    def _count(self, values: int, event: yaml.Event) -> tuple[str, str] | None:
        self.total += values
        if self.total <= MAX_VALUES:
            return None
        if isinstance(event, yaml.AliasEvent):
            return (f"alias '*{event.anchor}' repeats {values:,} values: the file would hold more than "
                    f"{MAX_VALUES:,}", "aliases repeat whole values: copy the text instead, or use fewer")
        return f"the file holds more than {MAX_VALUES:,} values", "split it into several lessons or quizzes"


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, shown_path: str) -> Diagnostic:
    """Where the parser gave up, or where the unclosed quote opened, with a fix."""
    context = exc.context or ""
    if "quoted scalar" in context and exc.context_mark is not None:
        opening = exc.context_mark
        return Diagnostic(shown_path, opening.line + 1, opening.column + 1, "YAML syntax error: this quote is "
                          "never closed", "add the closing quote, or remove the opening one")
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    suffix = f" ({context})" if context else ""
    return Diagnostic(shown_path, line, column, f"YAML syntax error: {problem}{suffix}",
                      _syntax_hint(problem, context))


def _syntax_hint(problem: str, context: str) -> str | None:
    """A one-line fix for the syntax errors trainers make most."""
    if "flow mapping" in context:
        return ("inside `{fr: ..., en: ...}` put each text in quotes when it contains "
                "',', ':', '?', '{' or '}' (French « ? » and « : » included)")
    if "flow sequence" in context:
        return "close the list with ']' on the same line, and quote items that contain ',' or ':'"
    if "tab" in problem or "\\t" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a text containing ': ' must be quoted, or written as a block after `|`"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "check the indentation of this line and the one above"
    if "found undefined alias" in problem or "found character" in problem:
        return "quote the text: '*', '&', '@', '`' and '%' cannot start a plain value"
    return None


class _DataBuilder:
    """Turns a node tree into data, recording positions and reporting duplicate keys."""

    def __init__(self, document: YamlDocument):
        self.document = document
        self.problems: list[Diagnostic] = []
        self.constructor = _Loader("")

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.document.value_positions[path] = _position(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            line, column = _position(node)
            self.problems.append(Diagnostic(self.document.shown_path, line, column,
                                            f"value cannot be read: {_first_line(exc)}",
                                            "remove the `!!` tag, or quote the value"))
            return None

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, (*path, "<key>")) if isinstance(key_node, yaml.ScalarNode) else "?"
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in result:
                line, column = _position(key_node)
                self.problems.append(Diagnostic(self.document.shown_path, line, column,
                                                f"duplicate key '{key}'",
                                                "each key may appear once: merge or remove one"))
                continue
            self.document.key_positions[(*path, key)] = _position(key_node)
            result[key] = self.build(value_node, (*path, key))
        self.document.value_positions.pop((*path, "<key>"), None)
        return result


def _first_line(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    return problem.splitlines()[0] if problem else type(exc).__name__


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
