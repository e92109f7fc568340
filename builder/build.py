"""The build as a whole: site and packages staged aside, then swapped in together.

Nothing under site/ or dist/ changes until every output is complete; a failure (bad input, an
exception, Ctrl-C) leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from builder.lms_page import DOWNLOADS
from builder.package import DEFAULT_EPOCH, STANDARDS, PackageContent, adapt_site, build_package, package_name
from builder.project import CourseProject
from builder.site import render_site

STATE_FILE = Path(".bonsens") / "build-state.json"
BUILDER_DIR = Path(__file__).parent


@dataclass
class BuildResult:
    site_dir: Path | None
    packages: list[Path] = field(default_factory=list)
    up_to_date: bool = False  # nothing changed since the last build: nothing was redone
    reused_packages: int = 0  # packages whose content had not changed, kept as they were


@dataclass(frozen=True)
class BuildRequest:
    site: bool = True
    standards: tuple[str, ...] = STANDARDS
    layouts: tuple[str, ...] = ("single",)


def build_all(project: CourseProject, request: BuildRequest,
              report: Callable[[str], None] = lambda stage: None) -> BuildResult:
    """Build what `request` asks for into site/ and dist/, atomically and only when needed.

    `report` is told each stage as it starts, for a progress display.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))  # same input, same bytes
    root = project.root
    site_dir, dist_dir = root / "site", root / "dist"
    names = [package_name(project, lang, standard, layout) for lang in project.languages
             for standard in request.standards for layout in request.layouts]
    inputs = inputs_digest(root, request)
    previous = _read_state(root)
    if previous.get("inputs") == inputs and _outputs_intact(root, previous.get("outputs", {})):
        return BuildResult(site_dir if request.site else None, [dist_dir / n for n in names], up_to_date=True)
    staging_site = root / ".bonsens" / "site.building"
    staging_dist = root / ".bonsens" / "dist.building"
    reused = 0
    try:
        report("rendering the pages with mkdocs-material")
        render_site(project, staging_site, names)
        shutil.rmtree(staging_dist, ignore_errors=True)
        staging_dist.mkdir(parents=True)
        built, package_keys = [], {}
        for lang in project.languages if names else []:
            report(f"adapting the {lang} pages for an LMS")
            content = adapt_site(project, staging_site, lang)
            for standard in request.standards:
                for layout in request.layouts:
                    name = package_name(project, lang, standard, layout)
                    key = _package_key(content, standard, layout)
                    package_keys[name] = key
                    if previous.get("packages", {}).get(name) == key and _intact(dist_dir / name, previous):
                        shutil.copyfile(dist_dir / name, staging_dist / name)  # unchanged: reuse it
                        built.append(staging_dist / name)
                        reused += 1
                        continue
                    report(f"packaging {name}")
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
    result = BuildResult(None, reused_packages=reused)
    if request.site:
        swap(staging_site, site_dir)
        result.site_dir = site_dir
    else:
        shutil.rmtree(staging_site, ignore_errors=True)
    if names:
        swap_packages(staging_dist, dist_dir)
        result.packages = [dist_dir / package.name for package in built]
    _write_state(root, inputs, result, package_keys)
    return result


def up_to_date(root: Path, request: BuildRequest) -> BuildResult | None:
    """The last build's result if nothing it depends on changed since; checked before loading
    the course, so an unchanged rebuild costs a few hashes."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))
    previous = _read_state(root)
    if previous.get("inputs") != inputs_digest(root, request):
        return None
    outputs = previous.get("outputs", {})
    if not _outputs_intact(root, outputs):
        return None
    packages = sorted(root / name for name in outputs if name.startswith("dist/"))
    return BuildResult(root / "site" if request.site else None, packages, up_to_date=True)


def inputs_digest(root: Path, request: BuildRequest) -> str:
    """A hash of everything the outputs depend on: course files, look, builder code, options."""
    digest = hashlib.sha256(json.dumps(asdict(request), sort_keys=True).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    sources = [root / "mkdocs.yml", *sorted((root / "course").rglob("*")), *sorted((root / "quizzes").rglob("*")),
               *sorted(p for p in BUILDER_DIR.rglob("*") if "__pycache__" not in p.parts)]
    for path in sources:
        if path.is_file():
            digest.update(path.relative_to(root if path.is_relative_to(root) else BUILDER_DIR).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _package_key(content: PackageContent, standard: str, layout: str) -> str:
    digest = hashlib.sha256(f"{standard}/{layout}/{content.lang}".encode())
    for name in sorted(content.files):
        digest.update(name.encode())
        digest.update(hashlib.sha256(content.files[name]).digest())
    for path in sorted(BUILDER_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_state(root: Path) -> dict:
    try:
        return json.loads((root / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(root: Path, inputs: str, result: BuildResult, package_keys: dict[str, str]) -> None:
    outputs = {}
    for folder in [result.site_dir] if result.site_dir else []:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            outputs[path.relative_to(root).as_posix()] = _file_digest(path)
    for package in result.packages:
        outputs[package.relative_to(root).as_posix()] = _file_digest(package)
    state = {"inputs": inputs, "outputs": outputs, "packages": package_keys}
    (root / STATE_FILE).write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")


def _intact(path: Path, state: dict) -> bool:
    name = path.parent.name + "/" + path.name
    return path.is_file() and state.get("outputs", {}).get(name) == _file_digest(path)


def _outputs_intact(root: Path, outputs: dict[str, str]) -> bool:
    """The outputs of the last build are all there, unmodified (a hand edit forces a rebuild)."""
    if not outputs:
        return False
    for name, digest in outputs.items():
        path = root / name
        if not path.is_file() or _file_digest(path) != digest:
            return False
    expected_site = sum(1 for name in outputs if name.startswith("site/"))
    return not expected_site or expected_site == sum(1 for p in (root / "site").rglob("*") if p.is_file())


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
