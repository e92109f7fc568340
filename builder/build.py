"""The build as a whole: site and packages staged aside, then swapped in together.

Nothing under site/ or dist/ changes until every output is complete; a failure (bad input, an
exception, Ctrl-C) leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from builder.package import STANDARDS, adapt_site, build_package, package_name
from builder.project import CourseProject
from builder.site import render_site

DOWNLOADS = "downloads"


@dataclass
class BuildResult:
    site_dir: Path | None
    packages: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class BuildRequest:
    site: bool = True
    standards: tuple[str, ...] = STANDARDS
    layouts: tuple[str, ...] = ("single",)


def build_all(project: CourseProject, request: BuildRequest) -> BuildResult:
    """Build what `request` asks for into site/ and dist/, atomically."""
    root = project.root
    site_dir, dist_dir = root / "site", root / "dist"
    names = [package_name(project, lang, standard, layout) for lang in project.languages
             for standard in request.standards for layout in request.layouts]
    staging_site = root / ".bonsens" / "site.building"
    staging_dist = root / ".bonsens" / "dist.building"
    try:
        render_site(project, staging_site, names)
        shutil.rmtree(staging_dist, ignore_errors=True)
        staging_dist.mkdir(parents=True)
        built = []
        for lang in project.languages if names else []:
            content = adapt_site(project, staging_site, lang)
            for standard in request.standards:
                for layout in request.layouts:
                    name = package_name(project, lang, standard, layout)
                    built.append(build_package(project, content, standard, layout, staging_dist / name))
        if request.site:
            downloads = staging_site / DOWNLOADS
            downloads.mkdir(exist_ok=True)
            for package in built:
                shutil.copyfile(package, downloads / package.name)
    except BaseException:
        shutil.rmtree(staging_site, ignore_errors=True)
        shutil.rmtree(staging_dist, ignore_errors=True)
        raise
    result = BuildResult(None)
    if request.site:
        swap(staging_site, site_dir)
        result.site_dir = site_dir
    else:
        shutil.rmtree(staging_site, ignore_errors=True)
    if names:
        swap_packages(staging_dist, dist_dir)
        result.packages = [dist_dir / package.name for package in built]
    return result


def swap(new: Path, target: Path) -> None:
    """Put `new` where `target` is, keeping the old one until the new one is in place."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def swap_packages(staging: Path, dist: Path) -> None:
    """Move each new package into dist/ (an atomic rename per file); other files stay."""
    dist.mkdir(exist_ok=True)
    for package in sorted(staging.iterdir()):
        package.replace(dist / package.name)
    shutil.rmtree(staging, ignore_errors=True)
