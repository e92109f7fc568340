"""Stage 4b, SCORM: a SCORM 1.2 or 2004 package, one SCO or one per module.

The pages and the units come from what every standard shares (content.py, units.py); what is
SCORM's own is here: the manifest (scorm_manifest.py) and the check that a learner's saved state
always fits the standard's suspend_data (suspend_budget.py).
"""

from __future__ import annotations

from pathlib import Path

from builder.packages.content import PackageContent
from builder.packages.scorm_manifest import ManifestSpec, manifest_12, manifest_2004
from builder.packages.suspend_budget import sco_budget
from builder.packages.units import RUNTIME, Sco, launch_page, package_facts, plan_scos
from builder.project import CourseProject
from builder.runtime_assets import runtime_bundle
from builder.zipwriter import deflate_all, write_zip


def build_scorm_package(project: CourseProject, content: PackageContent, standard: str, layout: str,
                  target: Path) -> Path:
    """Write one SCORM package zip (`standard` scorm12 or scorm2004): pages, runtime, launch pages
    and manifest, byte-reproducibly.

    For a learning path, `project` is the course reduced to it (builder.paths.path_project) and
    `content` its pages (builder.path_pages): the manifest then names the path and its length."""
    lang = content.lang
    files = dict(content.files)
    files[RUNTIME] = runtime_bundle(standard)
    title, description, minutes = package_facts(project, content)
    scos = plan_scos(project, lang, layout, content.prefix, title)
    standard_name = "1.2" if standard == "scorm12" else "2004"
    check_suspend_budget(project, scos, standard_name, target.name)
    for sco, config in scos:
        config["standard"] = standard_name
        files[sco.launch] = launch_page(config, sco.title, lang)
    launches = {sco.launch for sco, _ in scos}
    path = content.path
    spec = ManifestSpec(
        identifier=f"{project.course.id}-{project.course.version}-{path.id}-{lang}" if path
        else f"{project.course.id}-{project.course.version}-{lang}",
        version=project.course.version,
        title=title,
        description=description,
        language=lang,
        minutes=minutes,
        scos=[sco for sco, _ in scos],
        shared_files=sorted(name for name in files if name not in launches),
    )
    files["imsmanifest.xml"] = manifest_12(spec) if standard == "scorm12" else manifest_2004(spec)
    own = {name: data for name, data in files.items() if content.files.get(name) is not data}
    write_zip({**content.entries(), **deflate_all(own, content.threads)}, target)
    return target


class PackageTooLarge(Exception):
    """A SCO's saved state could outgrow what its standard lets the LMS keep."""


def check_suspend_budget(project: CourseProject, scos: list[tuple[Sco, dict[str, object]]], standard: str,
                         name: str) -> None:
    """Refuse a package whose learners could lose progress because suspend data overflows."""
    for sco, config in scos:
        lessons, quizzes = config["lessons"], config["quizzes"]
        assert isinstance(lessons, list) and isinstance(quizzes, list)
        budget = sco_budget(project, sco.identifier, lessons, quizzes, standard)
        if not budget.fits:
            raise PackageTooLarge(
                f"{name}: the SCO '{sco.identifier}' may need {budget.needed:,} characters of suspend data "
                f"to keep a learner's progress, more than SCORM {standard} allows ({budget.limit:,}). "
                "Build SCORM 2004 (--scorm2004), one SCO per module (--multi-sco), or shorten the quizzes.")
