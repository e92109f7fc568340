"""Stage 4b, shared by every standard: one language's pages from the built site, adapted for an LMS.

Render once, package many: a package is the built site's pages of one language, adapted for an
LMS frame (no language switcher, no HR page, no link out of the package), plus a launch page per
unit (builder/packages/units.py) that holds the LMS session and shows the pages in a frame. The
adaptation is done once per language and shared by every package of that language, whatever its
standard (scorm.py, cmi5.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

from builder.paths import PathPlan
from builder.project import CourseProject
from builder.runtime_assets import SITE_ONLY, SITE_ONLY_MARK
from builder.zipwriter import Entry, deflate_all, in_threads

SITE_ONLY_PAGES = {"lms.html", "lms-guide.html", "404.html", "sitemap.xml", "sitemap.xml.gz"}
# Links to the HR pages (the footer's, the HR page's to the guide): by how their href ends
HR_LINKS = ('(//a | //link)[substring(@href, string-length(@href) - 7) = "lms.html"'
            ' or substring(@href, string-length(@href) - 13) = "lms-guide.html"]')
# Search stays on the site: inside an LMS the course is read in order, and Material's search
# worker would load ~1 MB of index and language files in every SCO frame
WITHOUT_SEARCH = ("search/", "assets/javascripts/lunr/", "assets/javascripts/workers/")
# Our files that only the site's pages load (their tags carry SITE_ONLY_MARK, removed here too)
SITE_ONLY_ASSETS = {f"assets/bonsens/{name}" for name in SITE_ONLY}


@dataclass(frozen=True)
class PackageContent:
    """The files of one language's pages, adapted for an LMS, by path inside the package."""

    lang: str
    prefix: str  # where this language's pages live in the package ("" or "en/")
    files: dict[str, bytes]
    threads: int = 1  # for deflating: lxml and zlib release the GIL
    path: PathPlan | None = None  # the learning path these pages are reduced to (builder/path_pages.py)
    _entries: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)
    _digest: list[str] = field(default_factory=list, repr=False, compare=False)

    def digest(self) -> str:
        """What these pages are (their names and bytes), hashed once for every package that holds
        them: a package's key in the build state is made of it (builder/packages/jobs.py)."""
        if not self._digest:
            digest = hashlib.sha256(f"{self.lang}/{self.path.id if self.path else ''}/".encode())
            for name in sorted(self.files):
                digest.update(name.encode())
                digest.update(hashlib.sha256(self.files[name]).digest())
            self._digest.append(digest.hexdigest())
        return self._digest[0]

    def entries(self) -> dict[str, Entry]:
        """The files deflated, once for all the packages of this language (and path); files
        deflated already (shared with another path's pages, see `share_entries`) are not again."""
        missing = {name: data for name, data in self.files.items() if name not in self._entries}
        if missing:
            self._entries.update(deflate_all(missing, self.threads))
        return self._entries

    @classmethod
    def deflated(cls, lang: str, prefix: str, entries: dict[str, Entry], threads: int = 1,
                 path: PathPlan | None = None) -> PackageContent:
        """Pages known only as deflated entries (made in another process: builder/packages/jobs.py)."""
        content = cls(lang, prefix, {}, threads, path)
        content._entries.update(entries)
        return content

    def share_entries(self, other: PackageContent) -> None:
        """Take `other`'s deflated files wherever this content holds the very same bytes."""
        for name, entry in other._entries.items():
            if name in self.files and self.files[name] is other.files.get(name) and name not in self._entries:
                self._entries[name] = entry


def package_name(project: CourseProject, lang: str, standard: str, layout: str, path: str | None = None) -> str:
    """`<course>-<version>[-<path>]-<lang>-<standard>[-multisco].zip` (standard: scorm12, scorm2004,
    cmi5): the path only when the course declares paths, so HR tells a path's packages apart and a
    course without paths keeps its names."""
    suffix = "" if layout == "single" else "-multisco"
    middle = f"-{path}" if path else ""
    return f"{project.course.id}-{project.course.version}{middle}-{lang}-{standard}{suffix}.zip"


def adapt_site(project: CourseProject, site_dir: Path, lang: str, threads: int = 1) -> PackageContent:
    """Take one language's pages from the built site and make them fit an LMS frame."""
    return adapt_files(project, lang, language_files(project, site_dir, lang), threads)


def language_prefix(project: CourseProject, lang: str) -> str:
    """Where a language's pages are in the site and in its packages: the default one at the root."""
    return "" if lang == project.languages[0] else f"{lang}/"


def language_files(project: CourseProject, site_dir: Path, lang: str) -> dict[str, bytes]:
    """The built files one language's packages need, read as they are: its pages and the shared assets."""
    prefix = language_prefix(project, lang)
    others = tuple(f"{other}/" for other in project.languages[1:] if other != lang)
    files: dict[str, bytes] = {}
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        name = path.relative_to(site_dir).as_posix()
        own_page = name.startswith(prefix) if prefix else not name.startswith(others)
        shared = name.startswith("assets/") and not name.startswith(WITHOUT_SEARCH)
        own = name[len(prefix):] if own_page else name
        if (not (own_page or shared) or own in SITE_ONLY_PAGES or own.startswith("downloads/")
                or name in SITE_ONLY_ASSETS or name.startswith(WITHOUT_SEARCH) or own.startswith(WITHOUT_SEARCH)
                or name.endswith(".map")):
            continue
        files[name] = path.read_bytes()
    return files


def adapt_files(project: CourseProject, lang: str, files: dict[str, bytes], threads: int = 1) -> PackageContent:
    """Adapt every page of one language for an LMS frame (in `threads` threads); other files pass unchanged."""
    pages = [name for name in files if name.endswith(".html")]
    adapted = dict(files)
    adapted.update(zip(pages, in_threads(_adapt_page, [files[name] for name in pages], threads), strict=True))
    return PackageContent(lang, language_prefix(project, lang), adapted, threads)


def _adapt_page(data: bytes) -> bytes:
    """Remove what leads out of the package (the language switcher, the HR page's links), the
    search (it stays on the site) and what only the site loads (its own styles and scripts,
    SITE_ONLY_MARK)."""
    tree = lxml_html.document_fromstring(data)
    for element in tree.xpath('//div[contains(@class,"md-header__option")][.//div[contains(@class,"md-select")]]'
                              ' | //link[@rel="alternate"][@hreflang]'
                              ' | //div[@data-md-component="search"] | //label[@for="__search"]'
                              f' | //*[@{SITE_ONLY_MARK}]'
                              ):
        element.getparent().remove(element)
    for link in tree.xpath(HR_LINKS):
        holder = link.getparent() if link.getparent().tag == "li" else link
        holder.getparent().remove(holder)
    for link in tree.xpath('//a[starts-with(@href, "http://") or starts-with(@href, "https://")]'):
        link.set("target", "_blank")  # a source opens beside the course, never inside the SCO's frame
        link.set("rel", "noopener noreferrer")
    return lxml_html.tostring(tree, doctype="<!doctype html>", encoding="utf-8")


