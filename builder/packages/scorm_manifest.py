"""Stage 4b, SCORM: imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th edition, built with lxml.

Identifiers derive from the course id, version and language only, never from the build date,
so re-importing a rebuilt package of the same version keeps learners' history in the LMS.
Metadata (title, description, language, typical learning time) goes inline as LOM.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree

from builder.packages.units import Sco, plain_text
from builder.typography import typeset_text

IMSCP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LOM_DESCRIPTION_LIMIT = 1000  # SCORM 1.2 LMSs truncate or refuse longer descriptions


@dataclass
class ManifestSpec:
    """Everything a manifest says about a package."""

    identifier: str  # course-version-lang, stable across builds
    version: str
    title: str
    description: str
    language: str
    minutes: int
    scos: list[Sco]
    shared_files: list[str]  # every file of the package but the launch files
    sco_files: dict[str, list[str]] = field(default_factory=dict)  # extra files per SCO, by identifier


def typeset(spec: ManifestSpec) -> ManifestSpec:
    """Titles and description as the LMS shows them, typeset for the package's language."""
    lang = spec.language

    def shown(text: str) -> str:
        return typeset_text(plain_text(text), lang)
    return replace(spec, title=shown(spec.title), description=shown(spec.description),
                   scos=[replace(sco, title=shown(sco.title)) for sco in spec.scos])


def manifest_12(spec: ManifestSpec) -> bytes:
    """imsmanifest.xml for SCORM 1.2 (IMS CP 1.1.2, ADL CP 1.2, IMS MD 1.2.1)."""
    spec = typeset(spec)
    nsmap = {None: IMSCP12, "adlcp": ADLCP12, "imsmd": IMSMD12, "xsi": XSI}
    schemas = f"{IMSCP12} imscp_rootv1p1p2.xsd {IMSMD12} imsmd_rootv1p2p1.xsd {ADLCP12} adlcp_rootv1p2.xsd"
    root, organization = _skeleton(spec, IMSCP12, nsmap, schemas, "1.2", _lom_12(spec))
    for sco in spec.scos:
        item = _sub(organization, IMSCP12, "item", identifier=f"item-{sco.identifier}",
                    identifierref=f"res-{sco.identifier}", isvisible="true")
        _sub(item, IMSCP12, "title", sco.title)
        if sco.after:
            prerequisites = "&".join(f"item-{other}" for other in sco.after)
            _sub(item, ADLCP12, "prerequisites", prerequisites, type="aicc_script")
        # No adlcp:masteryscore: with one, an LMS in credit mode turns the status into passed or
        # failed from the score at LMSFinish (RTE 1.2 3.4.4; Moodle's default "mastery score
        # overrides status"), so a learner failed with attempts left, whom the content reports
        # "incomplete" with the score, would be closed as failed. The content decides, with the
        # course's passing score.
    _resources(root, spec, IMSCP12, f"{{{ADLCP12}}}scormtype")
    return _serialise(root)


def _skeleton(spec: ManifestSpec, namespace: str, nsmap: dict[str | None, str], schemas: str,
              schema_version: str, lom: etree._Element, organization_attributes: dict[str, str] | None = None,
              ) -> tuple[etree._Element, etree._Element]:
    """What both standards' manifests start with: root, metadata and the one organization."""
    root = etree.Element(f"{{{namespace}}}manifest", nsmap=nsmap, identifier=spec.identifier,
                         version=spec.version)
    root.set(f"{{{XSI}}}schemaLocation", schemas)
    metadata = _sub(root, namespace, "metadata")
    _sub(metadata, namespace, "schema", "ADL SCORM")
    _sub(metadata, namespace, "schemaversion", schema_version)
    metadata.append(lom)
    organizations = _sub(root, namespace, "organizations", default="org")
    organization = _sub(organizations, namespace, "organization", identifier="org")
    for name, value in (organization_attributes or {}).items():
        organization.set(name, value)
    _sub(organization, namespace, "title", spec.title)
    return root, organization


def _lom_12(spec: ManifestSpec) -> etree._Element:
    lom = etree.Element(f"{{{IMSMD12}}}lom")
    general = _sub(lom, IMSMD12, "general")
    _langstring(_sub(general, IMSMD12, "title"), IMSMD12, spec.title, spec.language)
    _sub(general, IMSMD12, "language", spec.language)
    _langstring(_sub(general, IMSMD12, "description"), IMSMD12,
                spec.description[:LOM_DESCRIPTION_LIMIT], spec.language)
    educational = _sub(lom, IMSMD12, "educational")
    learning_time = _sub(educational, IMSMD12, "typicallearningtime")
    _sub(learning_time, IMSMD12, "datetime", _hhmmss(spec.minutes))
    return lom


def manifest_2004(spec: ManifestSpec) -> bytes:
    """imsmanifest.xml for SCORM 2004 4th edition, with sequencing for mastery and rollup."""
    spec = typeset(spec)
    nsmap = {None: IMSCP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS,
             "lom": LOM, "xsi": XSI}
    schemas = " ".join([IMSCP, "imscp_v1p1.xsd", ADLCP, "adlcp_v1p3.xsd", ADLSEQ, "adlseq_v1p3.xsd",
                        ADLNAV, "adlnav_v1p3.xsd", IMSSS, "imsss_v1p0.xsd", LOM, "lom.xsd"])
    root, organization = _skeleton(spec, IMSCP, nsmap, schemas, "2004 4th Edition", _lom_2004(spec),
                                   {f"{{{ADLSEQ}}}objectivesGlobalToSystem": "false"})
    read_by_others = {other for sco in spec.scos for other in sco.after}
    for sco in spec.scos:
        _item_2004(organization, sco, sco.identifier in read_by_others)
    _organization_sequencing(organization)
    _resources(root, spec, IMSCP, f"{{{ADLCP}}}scormType")
    return _serialise(root)


def _resources(root: etree._Element, spec: ManifestSpec, namespace: str, scorm_type: str) -> None:
    """One resource per SCO (its launch page), all depending on one asset resource that lists
    every other file; the attribute naming the SCORM type differs between the standards."""
    resources = _sub(root, namespace, "resources")
    for sco in spec.scos:
        resource = _sub(resources, namespace, "resource", identifier=f"res-{sco.identifier}",
                        type="webcontent", href=sco.launch)
        resource.set(scorm_type, "sco")
        for name in [sco.launch, *spec.sco_files.get(sco.identifier, [])]:
            _sub(resource, namespace, "file", href=name)
        _sub(resource, namespace, "dependency", identifierref="res-shared")
    shared = _sub(resources, namespace, "resource", identifier="res-shared", type="webcontent")
    shared.set(scorm_type, "asset")
    for name in spec.shared_files:
        _sub(shared, namespace, "file", href=name)


def _item_2004(parent: etree._Element, sco: Sco, read_by_others: bool) -> None:
    """One SCO's item. Only what some LMS reads is declared: Moodle 4.3's parser crashes on any
    `imsss:mapInfo` (so one is written only where another SCO's precondition reads it), and it hands
    the SCO the `minNormalizedMeasure` of the last objective it parsed as `cmi.scaled_passing_score`,
    1.0 when the objective has none: every objective therefore carries the SCO's passing measure."""
    item = _sub(parent, IMSCP, "item", identifier=f"item-{sco.identifier}",
                identifierref=f"res-{sco.identifier}", isvisible="true")
    _sub(item, IMSCP, "title", sco.title)
    # Complete when the content says so (every page seen, every quiz taken)
    _sub(item, ADLCP, "completionThreshold", completedByMeasure="false", minProgressMeasure="1.0")
    sequencing = _sub(item, IMSSS, "sequencing")
    if sco.after:
        rules = _sub(sequencing, IMSSS, "sequencingRules")
        rule = _sub(rules, IMSSS, "preConditionRule")
        conditions = _sub(rule, IMSSS, "ruleConditions", conditionCombination="any")
        for other in sco.after:
            _sub(conditions, IMSSS, "ruleCondition", referencedObjective=f"after-{other}",
                 operator="not", condition="satisfied")
        _sub(rule, IMSSS, "ruleAction", action="disabled")
    objectives = _sub(sequencing, IMSSS, "objectives")
    primary = _objective(objectives, "primaryObjective", f"{sco.identifier}-mastery", sco.mastery_score,
                         satisfiedByMeasure="true" if sco.mastery_score is not None else "false")
    if read_by_others:
        _sub(primary, IMSSS, "mapInfo", targetObjectiveID=f"global-{sco.identifier}",
             readSatisfiedStatus="false", writeSatisfiedStatus="true")
    for objective in sco.objectives:
        _objective(objectives, "objective", objective, sco.mastery_score)
    for other in sco.after:
        local = _objective(objectives, "objective", f"after-{other}", sco.mastery_score)
        _sub(local, IMSSS, "mapInfo", targetObjectiveID=f"global-{other}", readSatisfiedStatus="true",
             writeSatisfiedStatus="false")
    _sub(sequencing, IMSSS, "deliveryControls", completionSetByContent="true", objectiveSetByContent="true")


def _objective(objectives: etree._Element, tag: str, identifier: str, mastery_score: float | None,
               **attributes: str) -> etree._Element:
    """An objective with the SCO's passing measure, the value an LMS may take as the SCO's own."""
    objective = _sub(objectives, IMSSS, tag, objectiveID=identifier, **attributes)
    if mastery_score is not None:
        _sub(objective, IMSSS, "minNormalizedMeasure", f"{mastery_score / 100:g}")
    return objective


def _organization_sequencing(organization: etree._Element) -> None:
    """Free choice and flow between SCOs; the course is complete and satisfied when all are."""
    sequencing = _sub(organization, IMSSS, "sequencing")
    _sub(sequencing, IMSSS, "controlMode", choice="true", flow="true")
    rollup = _sub(sequencing, IMSSS, "rollupRules", rollupObjectiveSatisfied="true",
                  rollupProgressCompletion="true", objectiveMeasureWeight="1.0")
    rules = (("all", "", "satisfied", "satisfied"), ("any", "not", "satisfied", "notSatisfied"),
             ("all", "", "completed", "completed"), ("any", "not", "completed", "incomplete"))
    for child_set, operator, condition, action in rules:
        rule = _sub(rollup, IMSSS, "rollupRule", childActivitySet=child_set)
        conditions = _sub(rule, IMSSS, "rollupConditions")
        attributes = {"operator": operator} if operator else {}
        _sub(conditions, IMSSS, "rollupCondition", condition=condition, **attributes)
        _sub(rule, IMSSS, "rollupAction", action=action)


def _lom_2004(spec: ManifestSpec) -> etree._Element:
    lom = etree.Element(f"{{{LOM}}}lom")
    general = _sub(lom, LOM, "general")
    _langstring(_sub(general, LOM, "title"), LOM, spec.title, spec.language, tag="string")
    _sub(general, LOM, "language", spec.language)
    _langstring(_sub(general, LOM, "description"), LOM, spec.description, spec.language, tag="string")
    educational = _sub(lom, LOM, "educational")
    learning_time = _sub(educational, LOM, "typicalLearningTime")
    _sub(learning_time, LOM, "duration", f"PT{spec.minutes // 60}H{spec.minutes % 60}M")
    return lom


def _langstring(parent: etree._Element, namespace: str, text: str, language: str, tag: str = "langstring") -> None:
    element = _sub(parent, namespace, tag, text)
    element.set(XML_LANG if tag == "langstring" else "language", language)


def _sub(parent: etree._Element, namespace: str, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", **attributes)
    if text is not None:
        element.text = text
    return element


def _hhmmss(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
