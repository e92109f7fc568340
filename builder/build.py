"""The build as a whole: site and packages staged aside, then swapped in together.

Nothing under site/ or dist/ changes until every output is complete; a failure (bad input, an
exception, Ctrl-C, SIGTERM) leaves the previous outputs exactly as they were (builder.swap).
Callers hold the course's build lock (builder.buildlock): two builds never share the staging.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from builder.buildstate import (
    DEFAULT_EPOCH,
    BuildRequest,
    BuildResult,
    inputs_digest,
    intact,
    outputs_intact,
    read_state,
    write_state,
)
from builder.lms_page import DOWNLOADS, Offer, PathOffer, fill_package_sizes
from builder.packages.content import package_name
from builder.packages.jobs import PackageJob, Packager
from builder.packages.units import ready_before_fork
from builder.paths import PathPlan, course_paths, offered_paths
from builder.project import CourseProject
from builder.quiz_jobs import QuizTexts
from builder.site import render_site
from builder.swap import check_swappable, put_in_place
from builder.workers import start_pool, stop_pool


def build_all(project: CourseProject, request: BuildRequest,
              report: Callable[[str], None] = lambda stage: None) -> BuildResult:
    """Build what `request` asks for into site/ and dist/, atomically and only when needed.

    `report` is told each stage as it starts, for a progress display.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))  # same input, same bytes
    root = project.root
    site_dir, dist_dir = root / "site", root / "dist"
    offers = [Offer(package_name(project, lang, standard, layout, path_id(plan)), lang, standard, layout,
                    path_offer(plan))
              for plan in packaged_paths(project, request) for lang in project.languages
              for standard in request.standards for layout in layouts_of(standard, request)]
    names = [offer.name for offer in offers]
    inputs = inputs_digest(root, request)
    previous = read_state(root)
    if previous.get("inputs") == inputs and outputs_intact(root, previous.get("outputs", {})):
        return BuildResult(site_dir if request.site else None, [dist_dir / n for n in names], up_to_date=True)
    check_swappable(root, names)  # before minutes of work, not after
    staging_site = root / ".bonsens" / "site.building"
    staging_dist = root / ".bonsens" / "dist.building"
    shutil.rmtree(staging_dist, ignore_errors=True)
    staging_dist.mkdir(parents=True)
    if names:
        ready_before_fork()
    pool = start_pool(project)  # a second core renders quiz texts and packages meanwhile
    jobs = _package_jobs(project, request, previous, dist_dir)
    together = jobs.pop(EVERY_LANGUAGE, [])
    packager = Packager(project, jobs, staging_dist, dist_dir, pool, together)

    def language_written(lang: str, site: Path) -> None:
        if names:
            beside = pool is not None and lang != project.languages[-1]  # the others render meanwhile
            report(f"{lang} pages written; packaging them" + (" beside the rendering" if beside else ""))
        packager.language_ready(lang, site)

    try:
        quiz_texts = QuizTexts(project, pool) if pool else None  # the workers start with its jobs
        report(f"rendering the pages with mkdocs-material ({', '.join(project.languages)})")
        render_site(project, staging_site, offers, on_language=language_written, quiz_texts=quiz_texts)
        if names:
            report("finishing the packages")
        outcomes = packager.finish(staging_site)
        built = [staging_dist / name for name in names]
        reused = sum(outcome.reused for outcome in outcomes)
        package_keys = {outcome.name: outcome.key for outcome in outcomes}
        if request.site:
            downloads = staging_site / DOWNLOADS
            downloads.mkdir(exist_ok=True)
            for package in built:
                shutil.copyfile(package, downloads / package.name)
            # The HR page describes each package; their sizes are known only now
            fill_package_sizes(staging_site, project.languages, [package.stat().st_size for package in built])
    except BaseException:
        if pool:
            stop_pool(pool)  # their work is thrown away: no need to wait for it
        _clear(staging_site, staging_dist)
        raise
    if pool:
        pool.shutdown()
    result = BuildResult(site_dir if request.site else None, [dist_dir / package.name for package in built],
                         reused_packages=reused)
    try:
        put_in_place(root, staging_site if request.site else None, staging_dist, names,
                     then=lambda: write_state(root, inputs, result, package_keys),
                     stale=_earlier_packages(project, dist_dir) if names else [])
    finally:
        _clear(staging_site, staging_dist)
    return result


def _earlier_packages(project: CourseProject, dist_dir: Path) -> list[str]:
    """This course's packages in dist/ from earlier builds (another layout, standard or version).

    A build that makes packages replaces them all: an LMS administrator picking a zip from dist/
    must not find a single-SCO package of last week beside this build's multi-SCO ones.
    """
    if not dist_dir.is_dir():
        return []
    return sorted(path.name for path in dist_dir.glob(f"{project.course.id}-*.zip") if path.is_file())


def _clear(*staging: Path) -> None:
    for folder in staging:
        shutil.rmtree(folder, ignore_errors=True)


EVERY_LANGUAGE = "*"  # the jobs of packages that hold every language (cmi5)


def _package_jobs(project: CourseProject, request: BuildRequest, previous: dict,
                  dist_dir: Path) -> dict[str, list[PackageJob]]:
    """The packages to make, by language (EVERY_LANGUAGE for cmi5's); each knows the key of its
    intact predecessor in dist/."""
    jobs: dict[str, list[PackageJob]] = {}
    for plan in packaged_paths(project, request):
        for lang in project.languages:
            for standard in request.standards:
                for layout in layouts_of(standard, request):
                    name = package_name(project, lang, standard, layout, path_id(plan))
                    key = previous.get("packages", {}).get(name) if intact(dist_dir / name, previous) else None
                    job = PackageJob(name, standard, layout, key, path_id(plan), lang)
                    jobs.setdefault(EVERY_LANGUAGE if standard == "cmi5" else lang, []).append(job)
    return jobs


def layouts_of(standard: str, request: BuildRequest) -> tuple[str, ...]:
    """A cmi5 package has one AU: the whole course (or path); SCORM packages take the layouts asked."""
    return ("single",) if standard == "cmi5" else request.layouts


class UnknownPath(ValueError):
    """`--path` names no learning path of the course."""

    def __init__(self, path: str, known: list[str]) -> None:
        super().__init__(f"unknown learning path '{path}'")
        self.hint = (f"use a path of course.yml: {', '.join(known)}" if known
                     else "course.yml declares no `paths:`; build without --path")


def packaged_paths(project: CourseProject, request: BuildRequest) -> list[PathPlan]:
    """The paths whose packages this build makes: those named with --path (any of the course's), or
    those the organisation offers (all by default). A course without paths: its one, implicit."""
    if not request.paths:
        return offered_paths(project)
    declared = course_paths(project) if project.course.paths else []
    by_id = {plan.id: plan for plan in declared}
    for wanted in request.paths:
        if wanted not in by_id:
            raise UnknownPath(wanted, list(by_id))
    return [plan for plan in declared if plan.id in request.paths]


def path_id(plan: PathPlan) -> str | None:
    """The id a path's packages are named and keyed by; none for a course without paths."""
    return plan.id if plan.declared else None


def path_offer(plan: PathPlan) -> PathOffer | None:
    """What the HR page says of a path: its title, who it is for, its length."""
    return PathOffer(plan.id, plan.title, plan.description, plan.minutes) if plan.declared else None
