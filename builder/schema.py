"""JSON Schema for the authoring files, so editors autocomplete keys and flag errors as one types.

The schemas come from the pydantic models. Language-keyed texts are narrowed to the course's
own languages (`fr` and `en` required, nothing else), so a missing translation shows in the
editor before `bonsens check` runs.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from builder.model import Course, Lesson, Quiz
from builder.organisation import Organisation

SCHEMA_DIR = Path("schemas")
MODELS: dict[str, type[BaseModel]] = {"course": Course, "lesson": Lesson, "quiz": Quiz,
                                      "organisation": Organisation}
MODELINE = "# yaml-language-server: $schema="


def schema_for(model: type[BaseModel], languages: list[str]) -> dict[str, Any]:
    """The JSON Schema of one file kind, with texts keyed by the course's languages."""
    schema = model.model_json_schema()
    schema = _narrow_languages(schema, languages)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _narrow_languages(node: Any, languages: list[str]) -> Any:
    if isinstance(node, list):
        return [_narrow_languages(item, languages) for item in node]
    if not isinstance(node, dict):
        return node
    patterns = node.get("patternProperties", {})
    if node.get("type") == "object" and len(patterns) == 1 and next(iter(patterns)).startswith("^[a-z]{2}"):
        value_schema = _narrow_languages(next(iter(patterns.values())), languages)
        return {
            "type": "object",
            "description": node.get("description", ""),
            "properties": {lang: dict(value_schema) for lang in languages},
            "required": list(languages),
            "additionalProperties": False,
        }
    return {key: _narrow_languages(value, languages) for key, value in node.items()}


def write_schemas(root: Path, languages: list[str]) -> list[Path]:
    """Write schemas/<kind>.schema.json; return the files written."""
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, model in MODELS.items():
        target = folder / f"{kind}.schema.json"
        text = json.dumps(schema_for(model, languages), indent=2, ensure_ascii=False) + "\n"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def modeline_for(file: Path, kind: str, root: Path) -> str:
    """The first line that ties a YAML file to its schema, relative so the repo can move."""
    schema = root / SCHEMA_DIR / f"{kind}.schema.json"
    relative = os.path.relpath(schema, file.parent).replace(os.sep, "/")
    return f"{MODELINE}{relative}"


def add_modeline(file: Path, kind: str, root: Path) -> bool:
    """Put the schema line at the top of a YAML file (replacing an old one); True if changed.

    A byte order mark stays first, as the editor that wrote it expects, and the file keeps its
    line endings. Raises UnicodeDecodeError for a file that is not UTF-8 (nothing is written).
    """
    data = file.read_bytes()
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text = data[len(bom):].decode("utf-8")
    first, _, rest = text.partition("\n")
    newline = "\r\n" if first.endswith("\r") else "\n"
    if not first.startswith(MODELINE):
        rest = text
    updated = f"{modeline_for(file, kind, root)}{newline}{rest}"
    if updated == text:
        return False
    file.write_bytes(bom + updated.encode("utf-8"))
    return True
