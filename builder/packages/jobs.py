"""Stage 4b's schedule: package each language as soon as mkdocs has written its pages.

mkdocs-static-i18n renders the languages one after the other, and a language's packages need
only that language's pages. So, given worker processes (builder.workers), the packages of a
language are made in a worker while mkdocs renders the next language. Without them everything
runs in this process, language by language.

A package whose content and builder code are the same as the one already in dist/ is copied
instead of rebuilt (its "key" is a hash of both).

A course with learning paths has packages per path: the language's pages are adapted once, then
reduced to each path (builder.path_pages), the files every path shares deflated once.

A cmi5 package holds every language (builder/packages/cmi5.py): each language's worker hands back
its pages adapted and deflated (a LanguagePart, shared with its SCORM packages), and the cmi5 zips
are written from these parts once every language is done: no page is adapted or deflated twice.
"""

from __future__ import annotations

import hashlib
import shutil
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from builder.buildstate import BUILDER_DIR
from builder.packages.cmi5 import build_cmi5_package
from builder.packages.content import PackageContent, adapt_files, language_files
from builder.packages.scorm import build_scorm_package
from builder.path_pages import path_content
from builder.paths import PathPlan, course_paths, path_project
from builder.project import CourseProject
from builder.workers import cores, worker_project
from builder.zipwriter import Entry


@dataclass(frozen=True)
class PackageJob:
    """One package to make: which standard and layout, and the key of the intact copy in dist/, if any."""

    name: str
    standard: str  # scorm12, scorm2004 or cmi5
    layout: str
    previous_key: str | None
    path: str | None = None  # the learning path's id, for a course that declares paths
    lang: str = ""  # the package's language (a cmi5 package's: the one it opens in by default)


@dataclass(frozen=True)
class PackageOutcome:
    name: str
    key: str
    reused: bool


@dataclass(frozen=True)
class LanguagePart:
    """One language's pages of one path, adapted and deflated where its language was packaged: what
    a package that holds every language (cmi5) takes of it, in the process that writes that package."""

    lang: str
    prefix: str
    path: str | None
    entries: dict[str, Entry]
    digest: str  # PackageContent.digest of its files: the cmi5 package's key is made of these


def package_language(project: CourseProject, lang: str, files: dict[str, bytes], jobs: list[PackageJob],
                     staging_dist: Path, dist_dir: Path, threads: int = 1,
                     part_paths: tuple[str | None, ...] = ()) -> tuple[list[PackageOutcome], list[LanguagePart]]:
    """Adapt one language's pages once, then write (or reuse) each of its packages; and hand back
    the language's part of each path in `part_paths`, for the packages that hold every language."""
    content = adapt_files(project, lang, files, threads)
    by_path: dict[str | None, tuple[CourseProject, PackageContent]] = {}
    deflated: list[PackageContent] = []  # contents whose files are deflated: the others share them

    def for_path(path_id: str | None) -> tuple[CourseProject, PackageContent]:
        if path_id not in by_path:
            by_path[path_id] = _for_path(project, path_id, content)
            for earlier in deflated:
                by_path[path_id][1].share_entries(earlier)
            deflated.append(by_path[path_id][1])
        return by_path[path_id]

    outcomes = []
    for job in jobs:
        job_project, job_content = for_path(job.path)
        key = package_key([job_content.digest()], job.standard, job.layout)
        if job.previous_key == key:
            shutil.copyfile(dist_dir / job.name, staging_dist / job.name)  # unchanged: reuse it
        else:
            build_scorm_package(job_project, job_content, job.standard, job.layout, staging_dist / job.name)
        outcomes.append(PackageOutcome(job.name, key, reused=job.previous_key == key))
    parts = [LanguagePart(lang, part.prefix, path_id, part.entries(), part.digest())
             for path_id in part_paths for part in [for_path(path_id)[1]]]
    return outcomes, parts


def package_every_language(project: CourseProject, jobs: list[PackageJob], parts: list[LanguagePart],
                           staging_dist: Path, dist_dir: Path, threads: int = 1) -> list[PackageOutcome]:
    """Write (or reuse) the packages that hold every language (cmi5), from each language's parts:
    their files were adapted and deflated with that language's other packages, so this is mostly
    writing zips."""
    by_path_lang = {(part.path, part.lang): part for part in parts}
    outcomes = []
    for job in jobs:
        job_parts = [by_path_lang[job.path, lang] for lang in project.languages]
        key = package_key([part.digest for part in job_parts], job.standard, job.layout, job.lang)
        if job.previous_key == key:
            shutil.copyfile(dist_dir / job.name, staging_dist / job.name)
        else:
            plan = _plan(project, job.path)
            job_project = path_project(project, plan) if plan else project
            contents = {part.lang: PackageContent.deflated(part.lang, part.prefix, part.entries, threads, plan)
                        for part in job_parts}
            build_cmi5_package(job_project, contents, job.lang, staging_dist / job.name)
        outcomes.append(PackageOutcome(job.name, key, reused=job.previous_key == key))
    return outcomes


def _plan(project: CourseProject, path_id: str | None) -> PathPlan | None:
    return next(plan for plan in course_paths(project) if plan.id == path_id) if path_id else None


def _for_path(project: CourseProject, path_id: str | None,
              content: PackageContent) -> tuple[CourseProject, PackageContent]:
    """The course and the pages a path's packages are made from (the whole course's without a path)."""
    plan = _plan(project, path_id)
    if plan is None:
        return project, content
    return path_project(project, plan), path_content(project, plan, content)


def package_key(digests: list[str], standard: str, layout: str, lang: str = "") -> str:
    """What a package is made from: its adapted pages (every language's, for cmi5) and the code that
    packs them."""
    digest = hashlib.sha256(f"{standard}/{layout}/{lang}/{_builder_digest()}".encode())
    for part in digests:
        digest.update(part.encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _builder_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(BUILDER_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class Packager:
    """Takes each language when its pages are written and packages it (here or in a worker); `finish`
    then writes the packages that hold every language (`together`: cmi5) from each language's part,
    and waits for every package."""

    def __init__(self, project: CourseProject, jobs: dict[str, list[PackageJob]], staging_dist: Path,
                 dist_dir: Path, pool: Executor | None, together: list[PackageJob] | None = None) -> None:
        self.project, self.jobs, self.staging_dist, self.dist_dir = project, jobs, staging_dist, dist_dir
        self.together = together or []
        self.part_paths = tuple(dict.fromkeys(job.path for job in self.together))
        self.languages = set(jobs) | (set(project.languages) if self.together else set())
        self._done: list[PackageOutcome] = []
        self._parts: list[LanguagePart] = []
        self._handed: set[str] = set()
        Pending = tuple[Future[tuple[list[PackageOutcome], list[LanguagePart]]], str, dict[str, bytes]]
        self._pending: list[Pending] = []
        self._pool = pool if len(self.languages) > 1 else None  # one language: nothing to overlap

    def language_ready(self, lang: str, site_dir: Path) -> None:
        """mkdocs has written `lang`'s pages under `site_dir`: package them (here or in a worker)."""
        if lang not in self.languages or lang in self._handed:
            return
        self._handed.add(lang)
        # Read now, in this process: rendering the next language rewrites the shared assets
        files = language_files(self.project, site_dir, lang)
        if self._pool is not None:
            # While mkdocs renders, one thread: the rendering core stays free; after the last
            # language, nothing else runs, so every core
            threads = cores() if self._handed == self.languages else 1
            try:
                future = self._pool.submit(_package_in_worker, lang, files, self.jobs.get(lang, []),
                                           self.staging_dist, self.dist_dir, threads, self.part_paths)
                self._pending.append((future, lang, files))
                return
            except BrokenProcessPool:  # a worker died (out of memory, killed): do it here
                self._pool = None
        self._take(self._here(lang, files))

    def _here(self, lang: str, files: dict[str, bytes]) -> tuple[list[PackageOutcome], list[LanguagePart]]:
        return package_language(self.project, lang, files, self.jobs.get(lang, []), self.staging_dist,
                                self.dist_dir, cores(), self.part_paths)

    def _take(self, done: tuple[list[PackageOutcome], list[LanguagePart]]) -> None:
        self._done += done[0]
        self._parts += done[1]

    def finish(self, site_dir: Path) -> list[PackageOutcome]:
        """Every package's outcome, once all are written; a worker's error is raised here."""
        for lang in sorted(self.languages - self._handed):  # in case mkdocs did not say (no i18n plugin)
            self.language_ready(lang, site_dir)
        for future, lang, files in self._pending:
            try:
                self._take(future.result())
            except BrokenProcessPool:  # a worker died: its language is packaged here instead
                self._take(self._here(lang, files))
        self._pending = []
        if self.together:
            self._done += package_every_language(self.project, self.together, self._parts, self.staging_dist,
                                                 self.dist_dir, cores())
        return self._done


def _package_in_worker(lang: str, files: dict[str, bytes], jobs: list[PackageJob], staging_dist: Path,
                       dist_dir: Path, threads: int,
                       part_paths: tuple[str | None, ...]) -> tuple[list[PackageOutcome], list[LanguagePart]]:
    return package_language(worker_project(), lang, files, jobs, staging_dist, dist_dir, threads, part_paths)
