"""Stage 4b: write the LMS packages — SCORM 1.2 and 2004, one SCO or one per module, per language.

Render once, package many: a package is the built site's pages of one language, adapted for an
LMS frame (no language switcher, no HR page, no link out of the package), plus a launch page
per SCO that holds the LMS session and shows the pages in a frame. The adaptation is done once
per language and shared by every package of that language.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

from builder.labels import labels_for
from builder.manifest import ManifestSpec, Sco, manifest_12, manifest_2004
from builder.markdown_safe import json_for_script
from builder.pages import HR_KINDS, SitePlan
from builder.paths import PathPlan
from builder.project import CourseProject
from builder.runtime_assets import ASSETS, SITE_ONLY, SITE_ONLY_MARK, minified, shipped
from builder.suspend_budget import sco_budget
from builder.typography import typeset_text
from builder.zipwriter import Entry, deflate_all, in_threads, write_zip

LAYOUTS = ("single", "multi")
RUNTIME_FILES = ("sco-runtime.js",)
SITE_ONLY_PAGES = {"lms.html", "lms-guide.html", "404.html", "sitemap.xml", "sitemap.xml.gz"}
# Links to the HR pages (the footer's, the HR page's to the guide): by how their href ends
HR_LINKS = ('(//a | //link)[substring(@href, string-length(@href) - 7) = "lms.html"'
            ' or substring(@href, string-length(@href) - 13) = "lms-guide.html"]')
# Search stays on the site: inside an LMS the course is read in order, and Material's search
# worker would load ~1 MB of index and language files in every SCO frame
WITHOUT_SEARCH = ("search/", "assets/javascripts/lunr/", "assets/javascripts/workers/")
# Our files that only the site's pages load (their tags carry SITE_ONLY_MARK, removed here too)
SITE_ONLY_ASSETS = {f"assets/bonsens/{name}" for name in SITE_ONLY}
SCO_LABELS = ("lms_notice", "lms_offline_notice", "lms_save_warning", "lms_exit", "lms_exited", "lms_exited_unsaved")


@dataclass(frozen=True)
class PackageContent:
    """The files of one language's pages, adapted for an LMS, by path inside the package."""

    lang: str
    prefix: str  # where this language's pages live in the package ("" or "en/")
    files: dict[str, bytes]
    threads: int = 1  # for deflating: lxml and zlib release the GIL
    path: PathPlan | None = None  # the learning path these pages are reduced to (builder/path_pages.py)
    _entries: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    def entries(self) -> dict[str, Entry]:
        """The files deflated, once for all the packages of this language (and path); files
        deflated already (shared with another path's pages, see `share_entries`) are not again."""
        missing = {name: data for name, data in self.files.items() if name not in self._entries}
        if missing:
            self._entries.update(deflate_all(missing, self.threads))
        return self._entries

    def share_entries(self, other: PackageContent) -> None:
        """Take `other`'s deflated files wherever this content holds the very same bytes."""
        for name, entry in other._entries.items():
            if name in self.files and self.files[name] is other.files.get(name) and name not in self._entries:
                self._entries[name] = entry


def package_name(project: CourseProject, lang: str, standard: str, layout: str, path: str | None = None) -> str:
    """`<course>-<version>[-<path>]-<lang>-<standard>[-multisco].zip`: the path only when the course
    declares paths, so HR tells a path's packages apart and a course without paths keeps its names."""
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


# --------------------------------------------------------------------------- SCOs


def plan_scos(project: CourseProject, lang: str, layout: str, prefix: str,
              title: str | None = None) -> list[tuple[Sco, dict[str, object]]]:
    """The SCOs of a package and, for each, the configuration its launch page reads.

    `title` names the one SCO of a single-SCO package (default: the course's title)."""
    plan = SitePlan(project)
    course = project.course
    exam = course.final_exam
    if layout == "single":
        pages = [prefix + page.html for page in plan.pages if page.kind not in HR_KINDS]
        scored = project.quizzes[exam.quiz] if exam else None
        mastery = scored.passing_score if scored else _average_passing(project)
        sco = Sco("course", title or course.title[lang], "sco-course.html", mastery,
                  tuple(module.id for module in course.modules))
        return [(sco, _sco_config(project, lang, sco, pages, "course"))]
    result = []
    for module in course.modules:
        pages = [prefix + p.html for p in plan.pages if p.module == module.id]
        quiz = project.quizzes.get(module.quiz or "")
        sco = Sco(module.id, module.title[lang], f"sco-{module.id}.html",
                  quiz.passing_score if quiz else None, (module.id,))
        result.append((sco, _sco_config(project, lang, sco, pages, "module")))
    if exam:
        exam_page = plan.by_ref[exam.quiz]
        pages = [prefix + exam_page.html, prefix + "certificate.html"]
        after = tuple(m.id for m in course.modules) if exam.after_modules else ()
        sco = Sco("final-exam", labels_for(lang)["final_exam"], "sco-final-exam.html",
                  project.quizzes[exam.quiz].passing_score, (), after)
        result.append((sco, _sco_config(project, lang, sco, pages, "exam")))
    return result


def _average_passing(project: CourseProject) -> float | None:
    scores = [q.passing_score for m in project.course.modules if m.quiz for q in [project.quizzes[m.quiz]]]
    return sum(scores) / len(scores) if scores else None


def _sco_config(project: CourseProject, lang: str, sco: Sco, pages: list[str], role: str) -> dict[str, object]:
    """What sco-runtime.js needs: which pages and quizzes are this SCO's, and how to score it."""
    plan = SitePlan(project)
    page_set = set(pages)
    lessons = [p.ref for p in plan.pages if p.ref and p.kind == "lesson" and _in(p.html, page_set)]
    quizzes = [p.ref for p in plan.pages if p.ref and p.kind in ("quiz", "exam") and _in(p.html, page_set)]
    exam = project.course.final_exam
    scoring = [exam.quiz] if exam and (role in ("course", "exam")) else quizzes
    # The questions in a fixed order (quizzes in `quizzes` order, then each quiz's own order): the
    # suspend data's "B1" encoding refers to a question by its position here. Each question's
    # SCORM type and correct patterns travel with the quiz's own page data (quiz_interactions).
    questions = [question.id for quiz_id in quizzes for question in project.quizzes[quiz_id].questions]
    return {  # only what the runtime reads, the first page where the SCO starts
        "sco": sco.identifier, "role": role, "course": project.course.id,
        "version": project.course.version, "pages": pages,
        "lessons": lessons, "quizzes": quizzes, "scoring_quizzes": scoring,
        "mastery_score": sco.mastery_score,
        # attempts allowed per quiz where limited (else unlimited): failed with one left is not final
        "attempts": {quiz_id: project.quizzes[quiz_id].attempts for quiz_id in quizzes
                     if project.quizzes[quiz_id].attempts},
        # each module's lessons as ids: gzip takes most of their repetition of `lessons`; counts
        # would shrink the raw page, hardly the gzipped one, and cost the runtime code to read
        "objectives": [{"id": m.id, "lessons": list(m.lessons), "quiz": m.quiz}
                       for m in project.course.modules if m.id in sco.objectives],
        "questions": questions,
        "labels": {key: labels_for(lang)[key] for key in SCO_LABELS},
    }


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


def _in(html: str, pages: set[str]) -> bool:
    return any(page.endswith(html) for page in pages)


def launch_page(config: dict[str, object], title: str, lang: str) -> bytes:
    """The SCO's launch file: holds the LMS session and shows the pages in a frame."""
    page = (_launch_template((ASSETS / "sco.html").read_text(encoding="utf-8")).replace("{{lang}}", lang)
            .replace("{{title}}", _escape(typeset_text(title, lang)))
            .replace("{{config}}", json_for_script(config)))
    return page.encode("utf-8")


def ready_before_fork() -> None:
    """Minify what every package ships once, here, before the build forks its workers: minify-go
    runs on Go's runtime, whose threads a forked process does not have (a worker calling into it
    after a fork can wait forever). The workers then find it in these caches."""
    for name in RUNTIME_FILES:
        shipped(name)
    _launch_template((ASSETS / "sco.html").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def _launch_template(template: str) -> str:
    """sco.html as shipped: its style sheet minified, lines without their indentation."""
    head, _, rest = template.partition("<style>")
    style, _, tail = rest.partition("</style>")
    css = minified("sco.css", style.encode("utf-8")).decode("utf-8")
    return "\n".join(line.strip() for line in f"{head}<style>{css}</style>{tail}".splitlines() if line.strip()) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --------------------------------------------------------------------------- zip


def build_package(project: CourseProject, content: PackageContent, standard: str, layout: str,
                  target: Path) -> Path:
    """Write one package zip: pages, runtime, launch pages and manifest, byte-reproducibly.

    For a learning path, `project` is the course reduced to it (builder.paths.path_project) and
    `content` its pages (builder.path_pages): the manifest then names the path and its length."""
    lang = content.lang
    files = dict(content.files)
    for name in RUNTIME_FILES:
        files[f"assets/bonsens/{name}"] = shipped(name)
    title, description, minutes = _package_facts(project, content)
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


def _package_facts(project: CourseProject, content: PackageContent) -> tuple[str, str, int]:
    """The title, description and length an LMS shows: a path's package says which path it is
    ("Course — The essentials"), who it is for, and the path's length, questions included."""
    lang, course, path = content.lang, project.course, content.path
    description = " ".join(course.description[lang].split())
    if path is None:
        return course.title[lang], description, sum(lesson.minutes for lesson in project.lessons.values())
    if path.description:
        description = " ".join(path.description[lang].split()) + " " + description
    return f"{course.title[lang]} — {path.title[lang]}", description, path.minutes
