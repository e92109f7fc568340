"""The organisation a course is deployed for: its name, logo, contacts, policies and countries.

One repository can serve several organisations: each has its own file (`organisation.yml` at the
course root, or the file given with `--org FILE`), which HR or a trainer edits, not the course.
Authored texts refer to its values through placeholders (builder/placeholders.py) with a written
fallback, so a course without the file reads as it always did.

Every value is short, on one line, and plainly what it says (an email address, a phone number, a
web address): a malformed value is an error at its line, and a `javascript:` or `data:` address
can never be written, so nothing an organisation types can turn into markup or code.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints

from builder.buildstate import ORGANISATION_FILE
from builder.diagnostics import Diagnostic, relative
from builder.model import CountryCode, LanguageCode, Strict
from builder.publish import linked_file_problem
from builder.validate import validate_document
from builder.yamlsource import YamlDocument, load_yaml

# One line of text, no control character, at most this long: a label is not a paragraph
TEXT_LIMIT = 120
URL_LIMIT = 500
_ONE_LINE = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"

OrgLine = Annotated[str, StringConstraints(pattern=_ONE_LINE, max_length=TEXT_LIMIT)]
OrgText = Annotated[
    OrgLine | dict[LanguageCode, OrgLine],
    Field(description=f"One line of at most {TEXT_LIMIT} characters, the same in every language, or one "
                      "per language, e.g. `{fr: Équipe sécurité, en: Security team}`."),
]
Email = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$",
                                         max_length=254),
                  Field(description="An email address, e.g. `securite@acme.example`.")]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 .()-]{0,28}[0-9]$"),
                  Field(description="A phone number or an internal extension: digits, spaces, `+ . - ( )`, "
                                    "e.g. `+1 514 555-0100` or `1234`.")]
WebUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"'`\\]+$", max_length=URL_LIMIT),
                   Field(description="A web address starting with https:// (or http://).")]
ImagePath = Annotated[str, StringConstraints(pattern=r"^images/[^\s\\]+$", max_length=200),
                      Field(description="An image under course/images/, written `images/NAME`, e.g. "
                                        "`images/logo.svg`.")]

ContactRole = Literal["security", "dpo", "hr", "communication", "whistleblowing"]
PolicyName = Literal["social-media", "it-charter", "privacy", "code-of-conduct", "whistleblowing"]
CONTACT_ROLES: tuple[str, ...] = get_args(ContactRole)
POLICY_NAMES: tuple[str, ...] = get_args(PolicyName)


class Contact(Strict):
    """Someone learners can turn to, and how to reach them (at least one way is expected)."""

    label: OrgText = Field(description="Who it is, e.g. `Équipe sécurité de l'information`.")
    email: Email | None = None
    phone: Phone | None = None
    url: WebUrl | None = Field(None, description="A page or a form, e.g. the whistleblowing channel.")


class Policy(Strict):
    """One of the organisation's own texts (charter, policy) that lessons can link to."""

    title: OrgText = Field(description="Its name as learners know it, e.g. `Charte des réseaux sociaux`.")
    url: WebUrl


class PathSettings(Strict):
    """Which learning paths of the course (course.yml `paths:`) this organisation offers."""

    default: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = Field(
        None, description="The path learners start on, e.g. `essentiel` (default: the course's first).")
    offered: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]] | None = Field(
        None, min_length=1, description="The paths offered, on the site and as packages (default: all).")
    learners_choose: bool = Field(True, description="Whether learners may switch paths on the site.")


class Organisation(Strict):
    """organisation.yml: who the course is deployed for. Every key is optional."""

    name: OrgText | None = Field(None, description="The organisation's name, e.g. `Acme inc.`.")
    logo: ImagePath | None = Field(None, description="Its logo, an image under course/images/.")
    contacts: dict[ContactRole, Contact] = Field(
        default_factory=dict, description="Whom to contact, by role: " + ", ".join(CONTACT_ROLES) + ".")
    policies: dict[PolicyName, Policy] = Field(
        default_factory=dict, description="Its policies, by name: " + ", ".join(POLICY_NAMES) + ".")
    countries: list[CountryCode] | None = Field(
        None, min_length=1, description="The countries of its learners, e.g. `[ca-qc]`; "
        "unset: every country.")
    elsewhere: Literal["hide", "fold"] = Field(
        "fold", description="Content for other countries: `hide` leaves it out, `fold` folds it under "
        "\"Elsewhere\".")
    paths: PathSettings | None = Field(None, description="Learning paths offered: `{default: essentiel, "
                                       "learners_choose: false}`.")


def organisation_path(root: Path, given: Path | None) -> Path | None:
    """The organisation file of a build: the one given, else organisation.yml if the course has one."""
    if given is not None:
        return given
    default = root / ORGANISATION_FILE
    return default if default.exists() or default.is_symlink() else None


def load_organisation(root: Path, given: Path | None) -> tuple[Organisation | None, YamlDocument | None,
                                                               list[Diagnostic]]:
    """Load and validate the organisation file (none: no organisation, every fallback is used)."""
    path = organisation_path(root, given)
    if path is None:
        return None, None, []
    shown = relative(path, root)
    if not path.exists() and not path.is_symlink():
        return None, None, [Diagnostic(shown, 1, 1, "organisation file not found",
                                       "check the path given with --org")]
    if path.is_symlink():
        return None, None, [Diagnostic(shown, 1, 1, "the organisation file is a symbolic link",
                                       "give the file itself: links are never followed")]
    document, problems = load_yaml(path, shown, empty_hint="an organisation file has optional `name:`, "
                                   "`contacts:`, `policies:` and `countries:`: see examples/organisation-quebec.yml")
    if document is None or problems:
        return None, document, problems
    if document.data is None:
        return Organisation.model_validate({}), document, []
    organisation, problems = validate_document(document, Organisation)
    problems = _with_hints(problems)
    if organisation is not None:
        problems += _logo_problems(root, organisation, document)
    return organisation, document, problems


# What a value must look like, by the key pydantic's error names (`'security.email' … is not in …`)
_HINTS = {
    "label": f"one line of at most {TEXT_LIMIT} characters, or one per language: `{{fr: …, en: …}}`",
    "email": "an address such as securite@acme.example",
    "phone": "digits, spaces and + . - ( ), e.g. `+1 514 555-0100` or an extension `1234`",
    "url": f"a web address starting with https:// (at most {URL_LIMIT} characters, without spaces, quotes or < >)",
}
_HINTS["title"] = _HINTS["name"] = _HINTS["label"]
_FIELD = re.compile(r"^'(?:[\w-]+\.)?([\w-]+)'[ :]")
_TOO_LONG = re.compile(r": String should have at most (\d+) characters$")


def _with_hints(problems: list[Diagnostic]) -> list[Diagnostic]:
    """One problem per place (a text may be one line or one per language: both forms fail), each
    saying what the value must look like."""
    kept: dict[tuple[int, int], Diagnostic] = {}
    for problem in problems:
        field = _FIELD.match(problem.message)
        hint = _HINTS.get(field.group(1)) if field else None
        message = _TOO_LONG.sub(r" is too long: at most \1 characters", problem.message)
        kept.setdefault((problem.line, problem.column), replace(problem, message=message, hint=hint or problem.hint))
    return list(kept.values())


def _logo_problems(root: Path, organisation: Organisation, document: YamlDocument) -> list[Diagnostic]:
    """The logo must be a course image the site publishes."""
    if organisation.logo is None:
        return []
    problem = linked_file_problem(root, organisation.logo, is_image=True)
    return [document.diagnostic(("logo",), *problem)] if problem else []


def text_in(value: str | dict[str, str], lang: str) -> str:
    """An organisation's text in a language: its own, else the first one given."""
    if isinstance(value, str):
        return value
    return value.get(lang) or next(iter(value.values()), "")
