"""Read a YAML file into plain data and remember where each value came from.

pydantic validates plain data and reports errors by path (`questions.3.choices`); a trainer
needs `quizzes/m1.yml:42:7`. So we compose the YAML node tree ourselves, build the data from
it, and keep a table from each path to the line and column of its node (and of its key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import Diagnostic

PathKey = tuple[str | int, ...]


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
        return Diagnostic(self.shown_path, line, column, message, hint, **extra)

    def locate_text(self, path: PathKey, needle: str) -> tuple[int, int]:
        """Where `needle` first appears at or after the node at `path` (inside a block of text)."""
        line, column = self.position(path)
        lines = self.text.splitlines()
        for index in range(line - 1, len(lines)):
            start = lines[index].find(needle, column - 1 if index == line - 1 else 0)
            if start >= 0:
                return index + 1, start + 1
        return line, column

    def text_diagnostic(self, path: PathKey, needle: str, message: str, hint: str | None = None,
                        **extra: Any) -> Diagnostic:
        """A diagnostic at a piece of text inside the value at `path` (a link, an image)."""
        line, column = self.locate_text(path, needle)
        return Diagnostic(self.shown_path, line, column, message, hint, **extra)


def load_yaml(path: Path, shown_path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Load one YAML file; on failure return the located reasons instead of raising."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Diagnostic(shown_path, 1, 1, f"file is not UTF-8 text ({exc.reason})",
                                 "save the file as UTF-8")]
    except OSError as exc:
        return None, [Diagnostic(shown_path, 1, 1, f"cannot read file: {exc.strerror}")]
    return parse_yaml(text, path, shown_path)


def parse_yaml(text: str, path: Path, shown_path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse YAML text; a syntax error becomes a diagnostic at the place the parser gave up."""
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError:
        try:
            root = yaml.compose(text, Loader=_Loader)  # again, for the clearer message
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_diagnostic(exc, shown_path)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(shown_path, 1, 1, f"YAML error: {exc}")]
    if root is None:
        return None, [Diagnostic(shown_path, 1, 1, "file is empty",
                                 "run `bonsens new lesson ID` or `bonsens new quiz ID` for a template")]
    document = YamlDocument(path, shown_path, None, text=text)
    builder = _DataBuilder(document)
    document.data = builder.build(root, ())
    return document, builder.problems


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
