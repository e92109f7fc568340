"""Validate a loaded YAML document against its pydantic model and locate every error.

pydantic gives each error a `loc` path inside the data; we translate it into a document path
(dropping the union tags pydantic inserts), find the node's line and column, and rewrite
pydantic's wording into what a trainer can act on, with a hint where one helps.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from builder.diagnostics import Diagnostic
from builder.yamlsource import PathKey, YamlDocument

ModelT = TypeVar("ModelT", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list (lines starting with `- `)",
    "dict_type": "a mapping (`key: value` lines)",
    "model_type": "a mapping (`key: value` lines)",
    "model_attributes_type": "a mapping (`key: value` lines)",
}


def validate_document(document: YamlDocument, model: type[ModelT]) -> tuple[ModelT | None, list[Diagnostic]]:
    """Validate a document; return the model, or None and every error, located."""
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        errors = exc.errors()
        bad_keys = {error["loc"][:-1] for error in errors if error["loc"][-1:] == ("[key]",)}
        kept = [e for e in errors if not (e["loc"] in bad_keys and e["type"] == "string_type")]
        return None, [_diagnostic(document, model, error) for error in kept]


def _diagnostic(document: YamlDocument, model: type[BaseModel], error: ErrorDetails) -> Diagnostic:
    path, is_key = _document_path(document.data, error["loc"])
    kind = error["type"]
    value = error.get("input")
    field = _field_label(path)
    if kind == "extra_forbidden":
        known = _known_keys(model, error["loc"][:-1])
        name = str(path[-1])
        guess = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else None
        if not hint and known:
            hint = "allowed here: " + ", ".join(known)
        return document.diagnostic(path, f"unknown key '{name}'", hint, key=True)
    if kind == "missing":
        parent = path[:-1]
        return document.diagnostic(parent, f"missing required key '{path[-1]}'",
                                   _missing_hint(str(path[-1])), key=False)
    if kind in ("union_tag_not_found",):
        return document.diagnostic(path, "question has no 'type'",
                                   "add `type:` with one of single, multiple, true_false, "
                                   "matching, ordering, fill_in")
    if kind == "union_tag_invalid":
        return document.diagnostic((*path, "type"), f"unknown question type {value_text(_tag_of(value))}",
                                   "use one of single, multiple, true_false, matching, ordering, fill_in")
    if kind == "bool_type" and path[-1:] == ("answer",) and isinstance(value, list):
        return document.diagnostic(path, "a true/false question has exactly one right answer",
                                   "write `answer: true` or `answer: false`")
    if kind in _TYPE_NAMES:
        return document.diagnostic(path, f"{field} must be {_TYPE_NAMES[kind]}, not {describe(value)}",
                                   _type_hint(kind, value))
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return document.diagnostic(path, f"{field} cannot be {value_text(value)}",
                                   f"use one of {expected}")
    if kind == "string_pattern_mismatch" and is_key:
        hint = _pattern_hint(path, is_key)
        if _value_at(document.data, path) is None:
            hint = "a ',' inside `{fr: ..., en: ...}` splits the text: put the text in quotes"
        return document.diagnostic(path, f"{value_text(value)} is not a language code", hint, key=True)
    if kind == "string_pattern_mismatch":
        return document.diagnostic(path, f"{field} {value_text(value)} is not in the expected form",
                                   _pattern_hint(path, is_key))
    if kind == "too_short":
        minimum = error.get("ctx", {}).get("min_length", 1)
        return document.diagnostic(path, f"{field} needs at least {minimum} item(s)")
    bounds = {"greater_than_equal": "at least {ge}", "less_than_equal": "at most {le}",
              "greater_than": "more than {gt}", "less_than": "less than {lt}"}
    if kind in bounds:
        limit = bounds[kind].format(**{k: _number(v) for k, v in error.get("ctx", {}).items()})
        return document.diagnostic(path, f"{field} must be {limit}, not {value_text(value)}")
    return document.diagnostic(path, f"{field}: {error['msg']}")


def _document_path(data: Any, loc: tuple[int | str, ...]) -> tuple[PathKey, bool]:
    """Follow pydantic's loc through the data, skipping the union tags it inserts."""
    path: list[str | int] = []
    current = data
    is_key = False
    for part in loc:
        if part == "[key]":
            is_key = True
            continue
        if _has(current, part):
            current = current[part]
            path.append(part)
        elif isinstance(current, dict) and not _is_tag(part, current):
            path.append(part)  # a missing key: the path ends here
            current = None
    return tuple(path), is_key


def _has(container: Any, part: int | str) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _value_at(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _is_tag(part: int | str, mapping: dict[Any, Any]) -> bool:
    """pydantic inserts the discriminator's value (the question type) into loc."""
    return mapping.get("type") == part or (isinstance(part, str) and "[" in part)


def _tag_of(value: Any) -> Any:
    return value.get("type") if isinstance(value, dict) else value


def _known_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The keys the model allows at `loc`, to suggest the one a typo meant."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    current = _strip(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _step(annotation: Any, part: int | str) -> Any:
    """The annotation one step down `loc`: a field, a list item, or the union member a tag names."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return next((m for m in typing.get_args(annotation) if _literal_type(m) == part), None)
    if typing.get_origin(annotation) in (list, dict):
        return typing.get_args(annotation)[-1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field else None
    return None


def _strip(annotation: Any) -> Any:
    """Remove Annotated and Optional wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation):
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = members[0] if len(members) == 1 else typing.Union[tuple(members)]  # noqa: UP007
        else:
            return annotation


def _literal_type(member: Any) -> Any:
    if isinstance(member, type) and issubclass(member, BaseModel) and "type" in member.model_fields:
        args = typing.get_args(member.model_fields["type"].annotation)
        return args[0] if args else None
    return None


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _field_label(path: PathKey) -> str:
    """`'passing_score'` or `item 3 of 'choices'`: how a trainer names the place."""
    if not path:
        return "the file"
    last = path[-1]
    if isinstance(last, int):
        parent = next((p for p in reversed(path) if isinstance(p, str)), "list")
        return f"item {last + 1} of '{parent}'"
    if len(last) <= 5 and len(path) > 1 and isinstance(path[-2], str):
        return f"'{path[-2]}.{last}'"
    return f"'{last}'"


def describe(value: Any) -> str:
    """A value's kind and a glimpse of it, for 'must be X, not Y' messages."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value_text(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def value_text(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:37] + "...'"


def _type_hint(kind: str, value: Any) -> str | None:
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        return f"put it in quotes: \"{value if not isinstance(value, bool) else str(value).lower()}\""
    if kind == "string_type" and value is None:
        return "write the text after the colon, or remove the key"
    if kind == "dict_type" and isinstance(value, str):
        return "write one text per language on its own line, e.g. `fr: ...` then `en: ...`"
    if kind == "list_type":
        return "write each item on its own line starting with `- `"
    if kind == "bool_type":
        return "write true or false, without quotes"
    return None


def _pattern_hint(path: PathKey, is_key: bool) -> str | None:
    name = next((p for p in reversed(path) if isinstance(p, str)), "")
    if is_key:
        return "a language code is two lower-case letters, e.g. fr, en"
    if name in ("id", "quiz", "lessons") or name.endswith("id"):
        return "ids use lower-case letters, digits and hyphens, e.g. m1-privacy-settings"
    if name == "version":
        return "use numbers and dots, e.g. 1.0.0"
    if name == "url":
        return "a URL starts with https:// or http://"
    if name == "languages":
        return "a language code is two lower-case letters, e.g. fr, en"
    return None


def _missing_hint(name: str) -> str | None:
    hints = {
        "type": "add `type:` with one of single, multiple, true_false, matching, ordering, fill_in",
        "explanation": "every question explains its answer: add `explanation:` with one text per language",
    }
    return hints.get(name)
