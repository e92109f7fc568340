"""Open a SCORM package for the preview: extract it safely, then read its imsmanifest.xml.

Extraction refuses what could write outside the target folder (absolute paths, `..`, links)
before writing anything. The manifest is read with lxml, entities and network off: the standard
(1.2 or 2004) from the schemaversion and the namespaces, the default organisation's items in
order with their titles, launch files, mastery score / passing measure and prerequisites, and
what an LMS initialises the data model with (launch data, time limits, 2004 objectives).
"""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from lxml import etree

MANIFEST = "imsmanifest.xml"
MAX_FILES = 50_000
MAX_BYTES = 2 * 1024**3  # what we agree to unpack: far above any course, far below a zip bomb
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
SYMLINK = 0o120000
DISABLING_ACTIONS = ("disabled", "skip", "hiddenFromChoice")  # preconditions that keep an item from the learner


class PreviewError(Exception):
    """A package the preview cannot open; the message is one line, for the trainer."""


@dataclass(frozen=True)
class Item:
    """One entry of the organisation: a SCO, an asset, or a cluster heading (no launch file)."""

    identifier: str
    title: str
    depth: int
    resource: str | None  # identifierref
    path: str | None  # launch file inside the package, normalised
    launch: str | None  # URL the preview frame opens: /package/<path>[?parameters]
    scorm_type: str  # "sco", "asset", or "" for a cluster
    visible: bool
    mastery_score: float | None  # SCORM 1.2 adlcp:masteryscore, 0-100
    scaled_passing_score: float | None  # SCORM 2004 minNormalizedMeasure (satisfiedByMeasure)
    completion_threshold: float | None  # SCORM 2004 minProgressMeasure (completedByMeasure)
    launch_data: str
    max_time_allowed: str
    time_limit_action: str
    prerequisites: str  # as an aicc_script expression over item identifiers ("" for none)
    objectives: tuple[str, ...]  # SCORM 2004: objective ids the LMS puts in cmi.objectives


@dataclass(frozen=True)
class Manifest:
    standard: str  # "1.2" or "2004"
    schemaversion: str
    identifier: str
    title: str
    items: tuple[Item, ...]

    def to_json(self) -> dict[str, Any]:
        return {"standard": self.standard, "schemaversion": self.schemaversion, "identifier": self.identifier,
                "title": self.title, "items": [asdict(item) for item in self.items]}


# --------------------------------------------------------------------------- extraction


def member_path(name: str) -> str:
    """The safe relative path of a zip member, or PreviewError for absolute paths and `..`."""
    clean = name.replace("\\", "/")
    if clean.startswith("/") or re.match(r"^[A-Za-z]:", clean):
        raise PreviewError(f"the package holds an absolute path ({name!r}); refusing to unpack it")
    if "\x00" in clean:
        raise PreviewError(f"the package holds a file name with a NUL character ({name!r}); refusing to unpack it")
    parts = [part for part in clean.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise PreviewError(f"the package holds a path that climbs out of it ({name!r}); refusing to unpack it")
    return "/".join(parts)


def extract(package: Path, target: Path) -> None:
    """Unpack `package` into the empty folder `target`, checking every name before writing any."""
    if not package.exists():
        raise PreviewError(f"{package}: no such file")
    if package.is_dir():
        raise PreviewError(f"{package} is a folder; give the package's .zip file (e.g. dist/NAME-scorm12.zip)")
    if not zipfile.is_zipfile(package):
        raise PreviewError(f"{package} is not a zip file; a SCORM package is a .zip with {MANIFEST} at its root")
    try:
        with zipfile.ZipFile(package) as archive:
            members = archive.infolist()
            if len(members) > MAX_FILES:
                raise PreviewError(f"{package} holds {len(members):,} files; the preview opens at most {MAX_FILES:,}")
            plan = []
            for info in members:
                relative = member_path(info.filename)
                if (info.external_attr >> 16) & 0o170000 == SYMLINK:
                    raise PreviewError(f"the package holds a symbolic link ({info.filename!r}); refusing to unpack it")
                if relative:
                    plan.append((info, relative))
            if sum(info.file_size for info, _ in plan) > MAX_BYTES:
                raise PreviewError(f"{package} unpacks to more than {MAX_BYTES // 1024**3} GiB; refusing to unpack it")
            root = target.resolve()
            written = 0
            for info, relative in plan:
                destination = (root / relative).resolve()
                if not destination.is_relative_to(root):
                    raise PreviewError(f"the package holds a path that leaves it ({info.filename!r})")
                try:
                    if info.is_dir():
                        destination.mkdir(parents=True, exist_ok=True)
                        continue
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(info) as source, destination.open("wb") as sink:
                        written += _copy_bounded(source, sink, MAX_BYTES - written)
                except OSError as exc:  # e.g. a file and a folder of the same name, a full disk
                    raise PreviewError(f"cannot unpack {info.filename!r}: {exc.strerror or exc}") from None
    except zipfile.BadZipFile as exc:
        raise PreviewError(f"{package} is a damaged zip file: {exc}") from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted members, unknown compression
        raise PreviewError(f"{package}: cannot unpack: {exc}") from None


def _copy_bounded(source: Any, sink: Any, budget: int) -> int:
    copied = 0
    while chunk := source.read(1024 * 1024):
        copied += len(chunk)
        if copied > budget:
            raise PreviewError(f"the package unpacks to more than {MAX_BYTES // 1024**3} GiB; refusing to unpack it")
        sink.write(chunk)
    return copied


# --------------------------------------------------------------------------- manifest


def read_manifest(root: Path) -> Manifest:
    """Read `root`/imsmanifest.xml of an unpacked package; PreviewError says what is wrong."""
    path = root / MANIFEST
    if not path.is_file():
        nested = sorted(p.relative_to(root).as_posix() for p in root.glob(f"*/{MANIFEST}"))
        hint = (f" (found {nested[0]}: zip the contents of the folder, not the folder)" if nested else "")
        raise PreviewError(f"no {MANIFEST} at the root of the package{hint}")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        document = etree.fromstring(path.read_bytes(), parser)
    except etree.XMLSyntaxError as exc:
        raise PreviewError(f"{MANIFEST} is not well-formed XML: {exc}") from None
    if _local(document) != "manifest":
        raise PreviewError(f"{MANIFEST} is XML but not an IMS manifest (its root is <{_local(document)}>)")
    standard, schemaversion = _standard(document)
    organization = _organization(document)
    if organization is None:
        raise PreviewError(f"{MANIFEST} has no <organization>: nothing to launch")
    resources = _resources(document)
    items: list[Item] = []
    for element, depth in _items(organization):
        items.append(_item(element, depth, standard, resources, root))
    if not any(item.launch for item in items):
        raise PreviewError(f"{MANIFEST}: the organization has no item that launches a resource")
    if standard == "2004":
        items = _prerequisites_2004(organization, items)
    return Manifest(standard, schemaversion, document.get("identifier", ""), _title(organization), tuple(items))


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: Any, name: str) -> list[Any]:
    """Child elements by local name, whatever the namespace (manifests in the wild vary)."""
    return [child for child in element if isinstance(child.tag, str) and _local(child) == name]


def _child(element: Any, name: str) -> Any | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Any | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _title(element: Any) -> str:
    return " ".join(_text(_child(element, "title")).split())


def _standard(document: Any) -> tuple[str, str]:
    metadata = _child(document, "metadata")
    schemaversion = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    namespaces = {ns for element in document.iter() if isinstance(element.tag, str)
                  for ns in element.nsmap.values()}
    if schemaversion == "1.2":
        return "1.2", schemaversion
    if "2004" in schemaversion or schemaversion.startswith("CAM 1.3"):
        return "2004", schemaversion
    if any("adlcp_v1p3" in ns or ns.endswith("/imsss") for ns in namespaces):
        return "2004", schemaversion
    if any("adlcp_rootv1p2" in ns for ns in namespaces):
        return "1.2", schemaversion
    raise PreviewError(f"{MANIFEST}: cannot tell SCORM 1.2 from 2004 (schemaversion {schemaversion!r}, "
                       "no ADL namespace)")


def _organization(document: Any) -> Any | None:
    organizations = _child(document, "organizations")
    if organizations is None:
        return None
    candidates = _children(organizations, "organization")
    default = organizations.get("default")
    for candidate in candidates:
        if candidate.get("identifier") == default:
            return candidate
    return candidates[0] if candidates else None


def _items(parent: Any, depth: int = 0) -> list[tuple[Any, int]]:
    result = []
    for item in _children(parent, "item"):
        result.append((item, depth))
        result.extend(_items(item, depth + 1))
    return result


def _resources(document: Any) -> dict[str, tuple[Any, str]]:
    """Resources by identifier, each with its xml:base prefix."""
    resources = _child(document, "resources")
    if resources is None:
        return {}
    base = _join_base(document.get(XML_BASE, ""), resources.get(XML_BASE, ""))
    return {resource.get("identifier", ""): (resource, _join_base(base, resource.get(XML_BASE, "")))
            for resource in _children(resources, "resource")}


def _join_base(base: str, more: str) -> str:
    if not more:
        return base
    return more if urlsplit(more).scheme or more.startswith("/") else base + more


def _item(element: Any, depth: int, standard: str, resources: dict[str, tuple[Any, str]], root: Path) -> Item:
    identifier = element.get("identifier", "")
    reference = element.get("identifierref")
    path = launch = None
    scorm_type = ""
    if reference:
        if reference not in resources:
            raise PreviewError(f"{MANIFEST}: item {identifier!r} refers to resource {reference!r}, "
                               "which is not defined")
        resource, base = resources[reference]
        href = resource.get("href")
        if not href:
            raise PreviewError(f"{MANIFEST}: resource {reference!r} of item {identifier!r} has no href to launch")
        scorm_type = (resource.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype")
                      or next((v for k, v in resource.attrib.items() if k.lower().endswith("}scormtype")), "sco"))
        path, suffix = _inside(base + href, f"item {identifier!r}")
        if not (root / path).is_file():
            raise PreviewError(f"{MANIFEST}: item {identifier!r} launches {path!r}, which is not in the package")
        launch = "/package/" + quote(path) + _with_parameters(suffix, element.get("parameters", ""))
    mastery = _number(_text(_child(element, "masteryscore")), f"masteryscore of item {identifier!r}")
    prerequisites = _text(_child(element, "prerequisites")) if standard == "1.2" else ""
    if standard == "1.2":
        launch_data = _text(_child(element, "datafromlms"))
        max_time = _text(_child(element, "maxtimeallowed"))
        action = _text(_child(element, "timelimitaction"))
        passing = threshold = None
        objectives: tuple[str, ...] = ()
    else:
        launch_data = _text(_child(element, "dataFromLMS"))
        action = _text(_child(element, "timeLimitAction"))
        sequencing = _child(element, "sequencing")
        limits = _child(sequencing, "limitConditions") if sequencing is not None else None
        max_time = limits.get("attemptAbsoluteDurationLimit", "") if limits is not None else ""
        passing, objectives = _objectives_2004(sequencing, identifier)
        threshold = _threshold_2004(_child(element, "completionThreshold"), identifier)
        mastery = None
    return Item(identifier=identifier, title=_title(element) or identifier, depth=depth, resource=reference,
                path=path, launch=launch, scorm_type=scorm_type.lower(),
                visible=element.get("isvisible", "true") != "false", mastery_score=mastery,
                scaled_passing_score=passing, completion_threshold=threshold, launch_data=launch_data,
                max_time_allowed=max_time, time_limit_action=action, prerequisites=prerequisites,
                objectives=objectives)


def _inside(href: str, where: str) -> tuple[str, str]:
    """A launch href as (normalised path inside the package, ?query#fragment) or PreviewError."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        raise PreviewError(f"{MANIFEST}: {where} launches {href!r}, which is outside the package")
    path = unquote(parts.path)
    normal = posixpath.normpath(path) if path else ""
    if not path or path.startswith("/") or "\\" in path or normal == ".." or normal.startswith("../"):
        raise PreviewError(f"{MANIFEST}: {where} launches {href!r}, which points outside the package")
    suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return normal, suffix


def _with_parameters(suffix: str, parameters: str) -> str:
    """Append an item's `parameters` to the launch URL, as the content packaging spec says."""
    parameters = parameters.strip()
    if not parameters:
        return suffix
    if parameters.startswith("#"):
        return suffix + parameters if "#" not in suffix else suffix
    parameters = parameters.lstrip("?&")
    query, hash_mark, fragment = suffix.partition("#")
    query = f"{query}&{parameters}" if query else f"?{parameters}"
    return query + hash_mark + fragment


def _number(text: str, what: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise PreviewError(f"{MANIFEST}: the {what} is not a number ({text!r})") from None


def _objectives_2004(sequencing: Any | None, identifier: str) -> tuple[float | None, tuple[str, ...]]:
    """The passing measure of the primary objective, and the objective ids for cmi.objectives."""
    if sequencing is None:
        return None, ()
    objectives = _child(sequencing, "objectives")
    if objectives is None:
        return None, ()
    passing = None
    ids = []
    primary = _child(objectives, "primaryObjective")
    if primary is not None:
        if primary.get("satisfiedByMeasure", "false") == "true":
            measure = _text(_child(primary, "minNormalizedMeasure"))
            passing = _number(measure or "1.0", f"minNormalizedMeasure of item {identifier!r}")
        if primary.get("objectiveID"):
            ids.append(primary.get("objectiveID"))
    ids.extend(o.get("objectiveID") for o in _children(objectives, "objective") if o.get("objectiveID"))
    return passing, tuple(ids)


def _threshold_2004(element: Any | None, identifier: str) -> float | None:
    if element is None:
        return None
    if element.get("completedByMeasure") is not None or element.get("minProgressMeasure") is not None:
        if element.get("completedByMeasure", "false") != "true":
            return None
        return _number(element.get("minProgressMeasure", "1.0"), f"minProgressMeasure of item {identifier!r}")
    return _number(_text(element), f"completionThreshold of item {identifier!r}")  # 3rd edition: text value


def _prerequisites_2004(organization: Any, items: list[Item]) -> list[Item]:
    """Turn "disabled unless objective X is satisfied" rules into the items that must be passed.

    A local objective reads a global objective (mapInfo readSatisfiedStatus); the item whose
    primary objective writes that global is the prerequisite.
    """
    writers: dict[str, str] = {}
    reads: dict[str, dict[str, str]] = {}
    rules: dict[str, list[tuple[str, list[str]]]] = {}
    for element, _ in _items(organization):
        identifier = element.get("identifier", "")
        sequencing = _child(element, "sequencing")
        if sequencing is None:
            continue
        objectives = _child(sequencing, "objectives")
        declared = [] if objectives is None else _children(objectives, "primaryObjective") + _children(
            objectives, "objective")
        for objective in declared:
            for mapping in _children(objective, "mapInfo"):
                target = mapping.get("targetObjectiveID", "")
                if _local(objective) == "primaryObjective" and mapping.get("writeSatisfiedStatus") == "true":
                    writers[target] = identifier
                if mapping.get("readSatisfiedStatus", "true") == "true":
                    reads.setdefault(identifier, {})[objective.get("objectiveID", "")] = target
        precondition = _child(sequencing, "sequencingRules")
        for rule in _children(precondition, "preConditionRule") if precondition is not None else []:
            action = _child(rule, "ruleAction")
            conditions = _child(rule, "ruleConditions")
            if action is None or conditions is None or action.get("action") not in DISABLING_ACTIONS:
                continue
            referenced = [c.get("referencedObjective", "") for c in _children(conditions, "ruleCondition")
                          if c.get("condition") == "satisfied" and c.get("operator") == "not"]
            joiner = "&" if conditions.get("conditionCombination", "all") == "any" else "|"
            rules.setdefault(identifier, []).append((joiner, referenced))
    result = []
    for item in items:
        terms = []
        for joiner, referenced in rules.get(item.identifier, []):
            required = [writers[g] for r in referenced
                        if (g := reads.get(item.identifier, {}).get(r, "")) and g in writers]
            if required:
                terms.append(joiner.join(required))
        expression = "&".join(f"({t})" if len(terms) > 1 and "|" in t else t for t in terms)
        result.append(replace(item, prerequisites=expression))
    return result


def open_package(package: Path, workdir: Path) -> Manifest:
    """Unpack `package` into `workdir`/package and read its manifest."""
    target = workdir / "package"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    extract(package, target)
    return read_manifest(target)
