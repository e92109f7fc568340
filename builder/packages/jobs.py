"""Stage 4b's schedule: package each language as soon as mkdocs has written its pages.

mkdocs-static-i18n renders the languages one after the other, and a language's packages need
only that language's pages. So, given worker processes (builder.workers), the packages of a
language are made in a worker while mkdocs renders the next language. Without them everything
runs in this process, language by language.

A package whose content and builder code are the same as the one already in dist/ is copied
instead of rebuilt (its "key" is a hash of both).

A course with learning paths has packages per path: the language's pages are adapted once, then
reduced to each path (builder.path_pages), the files every path shares deflated once.

A cmi5 package holds every language (builder/packages/cmi5.py): its jobs wait for the last
language, then take every language's pages.
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
from builder.paths import course_paths, path_project
from builder.project import CourseProject
from builder.workers import cores, worker_project


@dataclass(frozen=True)
class PackageJob:
    """One package to make: which standard and layout, and the key of the intact copy in dist/, if any."""

    name: str
    standard: str  # scorm12, scorm2004 or cmi5
    layout: str
    previous_key: str | None
    path: str | None = None  # the learning path's id, for a course that declares paths
    lang: str = ""  # a cmi5 package's default language (its jobs are the last language's)


@dataclass(frozen=True)
class PackageOutcome:
    name: str
    key: str
    reused: bool


def package_language(project: CourseProject, lang: str, files: dict[str, bytes], jobs: list[PackageJob],
                     staging_dist: Path, dist_dir: Path, threads: int = 1,
                     others: dict[str, dict[str, bytes]] | None = None) -> list[PackageOutcome]:
    """Adapt one language's pages once, then write (or reuse) each of its packages; a cmi5 package
    takes the `others` languages' files too (read when they were written), adapted here."""
    contents = {lang: adapt_files(project, lang, files, threads)}
    for other, other_files in (others or {}).items():
        contents[other] = adapt_files(project, other, other_files, threads)
    by_path: dict[tuple[str | None, str], tuple[CourseProject, PackageContent]] = {}

    def for_path(path_id: str | None, language: str) -> tuple[CourseProject, PackageContent]:
        if (path_id, language) not in by_path:
            by_path[path_id, language] = _for_path(project, path_id, contents[language])
        return by_path[path_id, language]

    deflated: list[PackageContent] = []  # contents whose files are deflated: the others share them
    outcomes = []
    for job in jobs:
        languages = [other for other in project.languages if other in contents] if job.standard == "cmi5" else [lang]
        job_project = for_path(job.path, languages[0])[0]
        job_contents = {language: for_path(job.path, language)[1] for language in languages}
        key = package_key(list(job_contents.values()), job.standard, job.layout, job.lang)
        if job.previous_key == key:
            shutil.copyfile(dist_dir / job.name, staging_dist / job.name)  # unchanged: reuse it
        else:
            for content in job_contents.values():
                for earlier in deflated:
                    content.share_entries(earlier)
            target = staging_dist / job.name
            if job.standard == "cmi5":
                build_cmi5_package(job_project, job_contents, job.lang, target)
            else:
                build_scorm_package(job_project, job_contents[lang], job.standard, job.layout, target)
            deflated += job_contents.values()
        outcomes.append(PackageOutcome(job.name, key, reused=job.previous_key == key))
    return outcomes


def _for_path(project: CourseProject, path_id: str | None,
              content: PackageContent) -> tuple[CourseProject, PackageContent]:
    """The course and the pages a path's packages are made from (the whole course's without a path)."""
    if path_id is None:
        return project, content
    plan = next(plan for plan in course_paths(project) if plan.id == path_id)
    return path_project(project, plan), path_content(project, plan, content)


def package_key(contents: list[PackageContent], standard: str, layout: str, lang: str = "") -> str:
    """What a package is made from: its adapted files (every language's, for cmi5) and the code that
    packs them."""
    digest = hashlib.sha256(f"{standard}/{layout}/{lang}/{_builder_digest()}".encode())
    for content in contents:
        path = f"{content.path.id}/" if content.path else ""
        digest.update(f"{content.lang}/{path}".encode())
        for name in sorted(content.files):
            digest.update(name.encode())
            digest.update(hashlib.sha256(content.files[name]).digest())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _builder_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(BUILDER_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class Packager:
    """Takes each language when its pages are written; `finish` makes the packages that hold every
    language (`together`: cmi5), then waits for every package."""

    def __init__(self, project: CourseProject, jobs: dict[str, list[PackageJob]], staging_dist: Path,
                 dist_dir: Path, pool: Executor | None, together: list[PackageJob] | None = None) -> None:
        self.project, self.jobs, self.staging_dist, self.dist_dir = project, jobs, staging_dist, dist_dir
        self.together = together or []
        self._done: list[PackageOutcome] = []
        self._handed: set[str] = set()
        self._pending: list[tuple[Future[list[PackageOutcome]], str, dict[str, bytes]]] = []
        self._pool = pool if len(jobs) > 1 else None  # one language: nothing to overlap

    def language_ready(self, lang: str, site_dir: Path) -> None:
        """mkdocs has written `lang`'s pages under `site_dir`: package them (here or in a worker)."""
        jobs = self.jobs.get(lang)
        if not jobs or lang in self._handed:
            return
        self._handed.add(lang)
        # Read now, in this process: rendering the next language rewrites the shared assets
        files = language_files(self.project, site_dir, lang)
        if self._pool is not None:
            # While mkdocs renders, one thread: the rendering core stays free; after the last
            # language, nothing else runs, so every core
            threads = cores() if self._handed == self.jobs.keys() else 1
            try:
                future = self._pool.submit(_package_in_worker, lang, files, jobs, self.staging_dist,
                                           self.dist_dir, threads)
                self._pending.append((future, lang, files))
                return
            except BrokenProcessPool:  # a worker died (out of memory, killed): do it here
                self._pool = None
        self._done += self._here(lang, files)

    def _here(self, lang: str, files: dict[str, bytes]) -> list[PackageOutcome]:
        return package_language(self.project, lang, files, self.jobs[lang], self.staging_dist, self.dist_dir,
                                cores())

    def finish(self, site_dir: Path) -> list[PackageOutcome]:
        """Every package's outcome, once all are written; a worker's error is raised here."""
        for lang in self.jobs.keys() - self._handed:  # in case mkdocs did not say (no i18n plugin)
            self.language_ready(lang, site_dir)
        if self.together:
            self._done += self._every_language(site_dir)
        for future, lang, files in self._pending:
            try:
                self._done += future.result()
            except BrokenProcessPool:  # a worker died: its language is packaged here instead
                self._done += self._here(lang, files)
        self._pending = []
        return self._done


    def _every_language(self, site_dir: Path) -> list[PackageOutcome]:
        """The packages that hold every language, from the site as it is once all are written, made
        here while the workers finish the last language's."""
        first, *others = self.project.languages
        files = {lang: language_files(self.project, site_dir, lang) for lang in self.project.languages}
        return package_language(self.project, first, files[first], self.together, self.staging_dist,
                                self.dist_dir, cores(), others={lang: files[lang] for lang in others})


def _package_in_worker(lang: str, files: dict[str, bytes], jobs: list[PackageJob], staging_dist: Path,
                       dist_dir: Path, threads: int) -> list[PackageOutcome]:
    return package_language(worker_project(), lang, files, jobs, staging_dist, dist_dir, threads)
