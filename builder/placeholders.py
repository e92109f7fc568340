"""Placeholders: authored texts that name the organisation's own contacts and policies.

A lesson writes `{org.contacts.security|votre service informatique}`: the organisation's security
contact where the organisation file names one, the written fallback (authored Markdown, kept as
typed) everywhere else. The syntax is the same in every language (only the fallback is
translated), has no `:` (French typography would space it), and is plain text to Markdown and
YAML block scalars, so a course without an organisation file renders exactly as written.

Placeholders are checked on the texts as authored, then resolved once, when the course is loaded:
every later stage (checks, pages, quiz data, manifests) reads resolved text and never sees one.
An organisation's value is data: escaped for the Markdown it lands in, and a link only to a web,
mail or phone address.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import BaseModel

from builder.checks import _is_markdown, localized_values
from builder.diagnostics import Diagnostic
from builder.escaping import markdown_url
from builder.organisation import CONTACT_ROLES, POLICY_NAMES, Contact, Organisation, Policy, text_in
from builder.project import CourseProject
from builder.yamlsource import PathKey, YamlDocument

ModelT = TypeVar("ModelT", bound=BaseModel)

OPENING = "{org."
# {org.NAME|fallback}: the fallback cannot hold a brace (the placeholder would end there) nor a line
PLACEHOLDER = re.compile(r"\{org\.([^{}|\n]*)(?:\|([^{}\n]*))?\}")
CONTACT_FIELDS = ("label", "email", "phone", "url")
POLICY_FIELDS = ("title", "url")
KNOWN_NAMES: tuple[str, ...] = (
    "name",
    *(f"contacts.{role}{field}" for role in CONTACT_ROLES for field in ("", *(f".{f}" for f in CONTACT_FIELDS))),
    *(f"policies.{name}{field}" for name in POLICY_NAMES for field in ("", *(f".{f}" for f in POLICY_FIELDS))),
)
LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")
SYNTAX_HINT = "write {org.NAME|what learners read when the organisation sets nothing}, e.g. " \
              "{org.contacts.security|votre service informatique}"
# Markdown that a value could start or open; the escapes are the ones Python-Markdown honours
_INLINE_MARKUP = re.compile(r"([\\`*_{}\[\]()|~!])")
_LINE_START = re.compile(r"^([#>+-]|\d+(?=[.)]))")


# --------------------------------------------------------------------------- checking


def placeholder_problems(project: CourseProject) -> list[Diagnostic]:
    """Every malformed or unknown placeholder of the course, and every one without a fallback."""
    authored: list[tuple[YamlDocument, BaseModel]] = [(project.course_doc, project.course)]
    authored += [(project.documents[key], item) for key, item in [*project.lessons.items(),
                                                                  *project.quizzes.items()]]
    return [problem for document, model in authored for problem in _problems_in(document, model)]


def _problems_in(document: YamlDocument, model: BaseModel) -> list[Diagnostic]:
    problems = []
    for path, text in _texts(model):
        for start in _openings(text):
            match = PLACEHOLDER.match(text, start)
            problem = _problem(match)
            if problem is not None:
                needle = match.group(0) if match else text[start:start + 40].split("\n")[0]
                problems.append(document.text_diagnostic(path, needle, *problem))
    return problems


def _problem(match: re.Match[str] | None) -> tuple[str, str] | None:
    if match is None:
        return "malformed placeholder: it needs a name and a closing '}' on the same line", SYNTAX_HINT
    name, fallback = match.group(1), match.group(2)
    if name not in KNOWN_NAMES:
        guess = difflib.get_close_matches(name, KNOWN_NAMES, n=1, cutoff=0.6)
        hint = f"did you mean '{{org.{guess[0]}|…}}'?" if guess else "known: org.name, org.contacts.ROLE " \
            f"({', '.join(CONTACT_ROLES)}), org.policies.NAME ({', '.join(POLICY_NAMES)})"
        return f"unknown placeholder 'org.{name}'", hint
    if fallback is None or not fallback.strip():
        return (f"placeholder 'org.{name}' has no fallback",
                f"add what learners read without an organisation file after a '|': {{org.{name}|…}}")
    return None


def _openings(text: str) -> Iterator[int]:
    start = text.find(OPENING)
    while start >= 0:
        yield start
        start = text.find(OPENING, start + 1)


def _texts(model: BaseModel) -> Iterator[tuple[PathKey, str]]:
    for path, texts in localized_values(model):
        for lang, text in texts.items():
            if isinstance(text, str) and OPENING in text:  # fill-in answers are lists, never resolved
                yield (*path, lang), text


# --------------------------------------------------------------------------- resolving


def resolve_project(project: CourseProject) -> None:
    """Put the organisation's values (or the fallbacks) in every text of the course, once."""
    organisation = project.organisation
    project.course = resolve_model(project.course, organisation)
    project.lessons = {key: resolve_model(lesson, organisation) for key, lesson in project.lessons.items()}
    project.quizzes = {key: resolve_model(quiz, organisation) for key, quiz in project.quizzes.items()}


def resolve_model(model: ModelT, organisation: Organisation | None) -> ModelT:
    """The model with its texts resolved; the same object when no text has a placeholder."""
    resolved = {path[:-1] for path, _ in _texts(model)}
    if not resolved:
        return model
    data = model.model_dump()
    for path, texts in localized_values(model):
        if path in resolved:
            _put(data, path, {lang: resolve_text(text, organisation, lang, markdown=_is_markdown(path))
                              if isinstance(text, str) else text for lang, text in texts.items()})
    return type(model).model_validate(data)


def _put(data: Any, path: PathKey, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def resolve_text(text: str, organisation: Organisation | None, lang: str, *, markdown: bool) -> str:
    """A text with each placeholder replaced by the organisation's value, or by its fallback."""
    def replace(match: re.Match[str]) -> str:
        if match.group(1) not in KNOWN_NAMES:
            return match.group(0)  # an error of `placeholder_problems`: left as typed
        value = _value(organisation, match.group(1), lang, markdown) if organisation else None
        return value if value is not None else (match.group(2) or "")
    return PLACEHOLDER.sub(replace, text)


def _value(organisation: Organisation, name: str, lang: str, markdown: bool) -> str | None:
    """The organisation's value for a placeholder, as Markdown; None when it sets none."""
    if name == "name":
        return _literal(text_in(organisation.name, lang), markdown) if organisation.name else None
    kind, key, *rest = name.split(".")
    field = rest[0] if rest else None
    if kind == "contacts":
        contact = organisation.contacts.get(key)  # type: ignore[call-overload]
        return _contact(contact, field, lang, markdown) if contact else None
    policy = organisation.policies.get(key)  # type: ignore[call-overload]
    return _policy(policy, field, lang, markdown) if policy else None


def _contact(contact: Contact, field: str | None, lang: str, markdown: bool) -> str | None:
    """`Label (email, phone, page)`, or one of them alone."""
    ways = {"email": (contact.email, f"mailto:{contact.email}"),
            "phone": (contact.phone, _dialable(contact.phone or "")),
            "url": (contact.url, contact.url or "")}
    if field == "label":
        return _literal(text_in(contact.label, lang), markdown)
    if field is not None:
        shown, target = ways[field]
        return _link(shown, target, markdown, one_line=field == "phone") if shown else None
    reach = [_link(shown, target, markdown, one_line=way == "phone") for way, (shown, target) in ways.items() if shown]
    label = _literal(text_in(contact.label, lang), markdown)
    return f"{label} ({', '.join(reach)})" if reach else label


def _policy(policy: Policy, field: str | None, lang: str, markdown: bool) -> str:
    if field == "url":
        return _link(policy.url, policy.url, markdown)
    if field == "title":
        return _literal(text_in(policy.title, lang), markdown)
    return _link(text_in(policy.title, lang), policy.url, markdown)


def _dialable(phone: str) -> str:
    """A `tel:` address for a number a phone can call from outside; none for an internal extension
    (`2300`): a phone would dial it as an outside number. A number has 7 digits or more, or a `+`."""
    digits = re.sub(r"[^0-9+]", "", phone)
    return "tel:" + digits if digits.startswith("+") or len(digits) >= 7 else ""


def _link(shown: str, target: str, markdown: bool, *, one_line: bool = False) -> str:
    """A link where the text is Markdown and the address plainly a web, mail or phone one; a phone
    number `one_line` (`+1 418 555-0142` never wraps after `+1`)."""
    text = _literal(shown, markdown)
    if one_line:
        text = text.replace(" ", "\u00a0")
    if not markdown or not target.startswith(LINK_SCHEMES):
        return text
    return f"[{text}]({markdown_url(target)})"


def _literal(value: str, markdown: bool) -> str:
    """An organisation's text shown as typed wherever it lands.

    In a Markdown text, HTML is escaped here; a plain text (a title) is escaped by its renderer
    (escaping.markdown_inline), which still renders inline Markdown: both get its marks escaped.
    """
    value = " ".join(value.split())
    if markdown:
        value = html.escape(value, quote=False)
    value = _INLINE_MARKUP.sub(r"\\\1", value)
    return _LINE_START.sub(r"\\\1", value) if not value[:1].isdigit() else _LINE_START.sub(r"\1\\", value)
