"""Stage 4b, cmi5: a cmi5 course package — cmi5.xml, every language's pages and one AU.

A cmi5 LMS launches the AU with an xAPI endpoint and a one-time token; the AU reports xAPI
statements to the LMS's LRS (the runtime's cmi5 adapter, assets/runtime/cmi5.js). Unlike a SCORM
package, one cmi5 package holds every language of the course: the AU opens in the package's
language unless the learner's cmi5 `languagePreference` asks for another one it holds. There is one
package per language all the same, so that the LMS's catalogue shows its language and the AU opens
in it for learners without a preference.

Identifiers derive from the course id, version, path and language only, never from the build, so a
rebuilt package of the same version keeps learners' history in the LMS.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from builder.packages.content import PackageContent
from builder.packages.units import RUNTIME, Sco, launch_page, package_facts, plain_text, plan_scos
from builder.project import CourseProject
from builder.runtime_assets import runtime_bundle
from builder.typography import typeset_text
from builder.zipwriter import Entry, deflate_all, write_zip

CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
MANIFEST = "cmi5.xml"
DESCRIPTION_LIMIT = 1000  # what an LMS's catalogue shows; the rest is in the course itself


def build_cmi5_package(project: CourseProject, contents: dict[str, PackageContent], lang: str,
                       target: Path) -> Path:
    """Write the cmi5 package whose default language is `lang`, from every language's adapted pages
    (`contents`, by language: the course's, or a learning path's, builder.path_pages)."""
    units = {other: _unit(project, content) for other, content in contents.items()}
    unit, config = units[lang]
    config.update(standard="cmi5", language=lang, languages={
        other: {"pages": other_config["pages"], "labels": other_config["labels"],
                "title": typeset_text(plain_text(other_unit.title), other)}
        for other, (other_unit, other_config) in units.items()})
    own = {
        RUNTIME: runtime_bundle("cmi5"),
        unit.launch: launch_page(config, unit.title, lang),
        MANIFEST: course_structure(project, contents, lang, unit),
    }
    write_zip({**_shared_entries(contents), **deflate_all(own, contents[lang].threads)}, target)
    return target


def _unit(project: CourseProject, content: PackageContent) -> tuple[Sco, dict[str, object]]:
    """The one AU in a language: the whole course (or path), its pages and how it is scored."""
    title, _, _ = package_facts(project, content)
    ((unit, config),) = plan_scos(project, content.lang, "single", content.prefix, title)
    return unit, config


def _shared_entries(contents: dict[str, PackageContent]) -> dict[str, Entry]:
    """Every language's files, deflated once per language and shared by every cmi5 package."""
    entries: dict[str, Entry] = {}
    for content in contents.values():
        for name, entry in content.entries().items():
            entries.setdefault(name, entry)
    return dict(sorted(entries.items()))


def course_identifier(project: CourseProject, contents: dict[str, PackageContent], lang: str) -> str:
    """The course's IRI: stable across rebuilds of one version, one per path and default language."""
    path = contents[lang].path
    parts = [project.course.id, project.course.version, *([path.id] if path else []), lang]
    return "urn:bonsens:" + ":".join(parts)


def move_on(unit: Sco) -> str:
    """When the LMS counts the AU satisfied. With a passing score: completed (every page read and every
    quiz taken, the exam failed included) or passed, so a learner who failed the exam with no way left
    to pass is not left pending for ever; the LMS still records `failed` and the score. Without one:
    completed."""
    return "CompletedOrPassed" if unit.mastery_score is not None else "Completed"


def course_structure(project: CourseProject, contents: dict[str, PackageContent], lang: str, unit: Sco) -> bytes:
    """cmi5.xml: the course and its one AU, titles and descriptions in every language (the package's
    first), the modules as objectives, moveOn and masteryScore from the passing score."""
    languages = [lang, *(other for other in contents if other != lang)]
    facts = {other: package_facts(project, contents[other]) for other in languages}
    course_id = course_identifier(project, contents, lang)
    root = etree.Element(f"{{{CMI5}}}courseStructure", nsmap={None: CMI5, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{CMI5} {CMI5}")
    course = _sub(root, "course", id=course_id)
    _texts(course, "title", {other: facts[other][0] for other in languages})
    _texts(course, "description", {other: facts[other][1] for other in languages})
    modules = [module for module in project.course.modules if module.id in unit.objectives]
    if modules:
        objectives = _sub(root, "objectives")
        for module in modules:
            objective = _sub(objectives, "objective", id=f"{course_id}:objective:{module.id}")
            _texts(objective, "title", {other: module.title[other] for other in languages})
            about = module.summary or module.title
            _texts(objective, "description", {other: about[other] for other in languages})
    attributes = {"id": f"{course_id}:au:{unit.identifier}", "moveOn": move_on(unit), "launchMethod": "AnyWindow"}
    if unit.mastery_score is not None:
        attributes["masteryScore"] = f"{unit.mastery_score / 100:.4g}"
    au = _sub(root, "au", **attributes)
    _texts(au, "title", {other: facts[other][0] for other in languages})
    _texts(au, "description", {other: facts[other][1] for other in languages})
    if modules:
        references = _sub(au, "objectives")
        for module in modules:
            _sub(references, "objective", idref=f"{course_id}:objective:{module.id}")
    _sub(au, "url").text = unit.launch
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CMI5}}}{tag}", attributes)


def _texts(parent: etree._Element, tag: str, by_lang: dict[str, str]) -> None:
    """One `<tag>` holding a langstring per language, as the LMS shows text: plain, typeset."""
    holder = _sub(parent, tag)
    for lang, text in by_lang.items():
        shown = typeset_text(" ".join(plain_text(text).split()), lang)
        _sub(holder, "langstring", lang=lang).text = shown[:DESCRIPTION_LIMIT]
