"""The mkdocs plugin `bonsens`: cleans authored HTML and adds the data the browser code reads.

mkdocs renders the generated Markdown; this plugin then (1) passes each page's HTML through
the allow-list sanitiser, so nothing a trainer wrote can run, (2) appends our own trusted pieces
after that: quiz data and the containers the scripts fill, and (3) adds to each page's scripts
its language's course outline (bonsens-course.js), on quiz pages the quiz player, and what only
the site loads (runtime_assets.SITE_ONLY: its own styles, learning-paths.js where a course
declares paths), marked for the packages to leave out. It tells `bonsens build` when a
language's pages are all written.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from builder.diagnostics import CourseError
from builder.escaping import html_text, theme_text
from builder.labels import labels_for
from builder.markdown_safe import authored_id, sanitize_html
from builder.pages import (
    COURSE_SCRIPT,
    PageSpec,
    SitePlan,
    home_brand_html,
    home_html,
    next_step,
    next_step_title,
    raw_title,
)
from builder.project import CourseProject
from builder.quiz_jobs import QuizTexts, quiz_json
from builder.runtime_assets import SITE_ONLY_MARK
from builder.site import SEARCH_LANGUAGES
from builder.typography import typeset_html, typeset_toc

ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')
# progress.js as mkdocs writes it from extra_javascript; quiz.js follows it on quiz pages only
PROGRESS_SCRIPT = re.compile(r'<script src="([^"]*)assets/bonsens/progress\.js"></script>')
# bonsens.css as mkdocs writes it from extra_css; the site's own styles follow it
STYLES = re.compile(r'<link rel="stylesheet" href="([^"]*)assets/bonsens/bonsens\.css">')


@dataclass
class Handover:
    """What `bonsens build` gives the plugin for one build of a course folder."""

    project: CourseProject  # loaded and checked once, not again by the plugin
    on_language: Callable[[str], None] | None = None  # told when a language's pages are all written
    quiz_texts: QuizTexts | None = None  # quiz data rendered ahead in worker processes


# By course folder (resolved): what `bonsens build` or `bonsens serve` hands the plugin
HANDOVER: dict[str, Handover] = {}
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
# Material's configuration for its scripts: `base` is where it fetches search/search_index.json
CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": )"[^"]*"')
SKIP_LINK = re.compile(r'<a href="[^"]*" class="md-skip">[^<]*</a>')
QUIZ_ANCHOR = "bs-questions"  # the skip link of a quiz page leads straight to its questions
TOC_MIN_SECTIONS = 4  # a lesson's table of contents helps once it has this many sections


class BonSensConfig(Config):
    course_dir = config_options.Type(str)
    organisation = config_options.Optional(config_options.Type(str))  # the file given with --org


class BonSensPlugin(BasePlugin[BonSensConfig]):
    """Sanitise pages and embed course and quiz data."""

    def __init__(self) -> None:
        self.project: CourseProject | None = None
        self.plan: SitePlan | None = None
        self.pages_by_path: dict[str, PageSpec] = {}

    @event_priority(100)
    def on_config(self, config: Any) -> Any:
        # Load the course once per build: the i18n plugin re-enters on_config for each language.
        # `bonsens serve` loads a new config, and so a new plugin, for every rebuild
        if self.project is None:
            self._load()
        return config

    def _load(self) -> None:
        """The course `bonsens build` or `bonsens serve` handed over (loaded and checked once);
        loaded from its folder only when mkdocs runs on a generated config by itself."""
        from builder.loader import require_project

        root = Path(self.config.course_dir)
        handover = HANDOVER.get(str(root.resolve()))
        try:
            given = Path(self.config.organisation) if self.config.organisation else None
            project = handover.project if handover else require_project(root, organisation=given)
        except CourseError as error:
            raise PluginError("the course has errors:\n" + "\n".join(
                d.format() for d in error.diagnostics)) from None
        self.project = project
        self.plan = SitePlan(project)
        self.pages_by_path = {page.path: page for page in self.plan.pages}

    def on_page_content(self, html: str, page: Page, config: Any, files: Any) -> str:
        """Clean the authored HTML, then append our trusted data and containers."""
        clean = sanitize_html(html)
        _rename_toc_anchors(page.toc)  # as the sanitiser renamed the headings' ids
        spec, lang = self._spec_for(page, config)
        if spec is None or self.plan is None:
            return clean
        if spec.kind != "home":
            # base.html prints `page.title | striptags`, which unescapes it: `</title>` would close
            # the element. The meta title is printed as it is, and it is escaped once, by us
            page.meta["title"] = theme_text(raw_title(self.plan, spec, lang))
        if spec.kind in ("lms", "guide"):
            page.meta["search"] = {"exclude": True}  # for HR, reached from the footer: not what learners look for
        if self.project is not None and not _wants_toc(self.project, spec):
            page.meta["hide"] = [*page.meta.get("hide", []), "toc"]
        extra = []
        if spec.kind == "home":
            clean = home_brand_html(self.plan, spec, lang) + clean  # the organisation above the title
            extra.append(home_html(self.plan, spec, lang))  # facts, the one button, the module cards
        elif spec.kind == "lesson":
            extra.append(f'<div class="bs-lesson-end" data-lesson-id="{html_text(spec.ref or "")}"></div>')
        elif spec.kind in ("quiz", "exam") and self.project is not None:
            quiz = self.project.quizzes[spec.ref or ""]
            quiz_id = html_text(quiz.id)
            extra.append(f'<div class="bs-quiz" id="{QUIZ_ANCHOR}" data-quiz-id="{quiz_id}"></div>')
            handover = self._handover()
            texts = handover.quiz_texts if handover else None
            data = texts.get(self.plan, spec, quiz, lang) if texts else quiz_json(self.plan, spec, quiz, lang)
            extra.append(f'<script type="application/json" class="bs-quiz-data" data-quiz-id="{quiz_id}">'
                         f'{data}</script>')
        elif spec.kind == "certificate":
            extra.append('<div class="bs-certificate"></div>')
        extra.append(self._next_step(spec, lang))
        typeset_toc(page.toc, lang)
        return typeset_html(clean + "\n" + "\n".join(extra), lang)  # French spacing, text nodes only

    def _next_step(self, spec: PageSpec, lang: str) -> str:
        """The way on at the end of a lesson, a quiz or the exam: one button, as in a course."""
        step = next_step(self.plan, spec, self.plan.default_path) if self.plan is not None else None
        if step is None or self.plan is None:
            return ""
        labels = labels_for(lang)
        href = html_text(self.plan.relative(step.page.html, spec))
        kind, title = labels["next_" + step.kind], next_step_title(self.plan, step, lang)
        named = "" if title.casefold() == kind.casefold() else f'<span class="bs-next-title">{html_text(title)}</span>'
        return (f'<nav class="bs-root bs-next" aria-label="{html_text(labels["next_step"])}">'
                f'<a class="bs-button bs-next-link" href="{href}" rel="next">'
                f'<span class="bs-next-kind">{html_text(kind)}</span>{named}</a></nav>')

    @event_priority(-100)  # after the i18n plugin has set this language's site name and nav
    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        """Tell the theme that the site name and the nav titles are HTML already (escaped once,
        by us): Material prints them raw in places and through `| e` in others (404 page included)."""
        config["site_name"] = Markup(config["site_name"])
        for item in _nav_items(nav.items):
            if item.title is not None:
                item.title = Markup(item.title)
        return nav

    def on_post_page(self, output: str, page: Page, config: Any) -> str:
        """Drop <link rel=alternate hreflang>: with page URLs (not folders) Material's script
        looks for a sitemap.xml beside each alternate and fills the console with 404s. The
        language switcher itself keeps working: its links already point at the same page."""
        output = ALTERNATE_LINK.sub("", output)
        spec, lang = self._spec_for(page, config)
        if spec is not None and self.plan is not None:
            # The course outline, one cached file per language, before progress.js reads it; and
            # the quiz player only where there is a quiz: lesson and home pages do without it
            course = html_text(self.plan.relative(COURSE_SCRIPT, spec))
            quiz = spec.kind in ("quiz", "exam")
            paths = self._learning_paths()
            output = PROGRESS_SCRIPT.sub(
                lambda m: f'<script data-bs-course src="{course}"></script>\n{m.group(0)}'
                          + (f'\n<script {SITE_ONLY_MARK} src="{m.group(1)}assets/bonsens/learning-paths.js">'
                             '</script>' if paths else "")
                          + (f'\n<script src="{m.group(1)}assets/bonsens/quiz.js"></script>' if quiz else ""),
                output, count=1)
            output = _own_search_index(output, spec, lang, self._languages())
            if quiz:
                output = _skip_to_questions(output, labels_for(lang)["skip_to_questions"])
        # What only the site shows (the HR page, learning paths, the search) has styles of its own
        output = STYLES.sub(lambda m: f'{m.group(0)}\n<link {SITE_ONLY_MARK} rel="stylesheet" '
                                      f'href="{m.group(1)}assets/bonsens/bonsens-site.css">', output, count=1)
        # Material's search panel is a dialog without a name; screen readers need one
        name = html_text(labels_for(lang).get("search", "Search"))
        return output.replace(SEARCH_DIALOG, f'{SEARCH_DIALOG[:-1]} aria-label="{name}">', 1)

    def on_post_build(self, config: Any) -> None:
        """Runs before the i18n plugin (priority -100) collects this language's search entries and
        starts rendering the next language."""
        i18n = config.plugins.get("i18n")
        if i18n is not None:
            _keep_search_to_its_language(config, i18n.current_language, self._languages())
        handover = self._handover()
        hook = handover.on_language if handover else None
        if hook is not None and i18n is not None:
            hook(i18n.current_language)

    def _learning_paths(self) -> bool:
        """Whether the pages need learning-paths.js: where the course declares paths, the learner's
        may differ from the default one the pages are written for, and pages lie outside it."""
        return self.plan is not None and any(path.declared for path in self.plan.paths)

    def _languages(self) -> list[str]:
        return self.project.languages if self.project is not None else []

    def _handover(self) -> Handover | None:
        return HANDOVER.get(str(Path(self.config.course_dir).resolve()))

    def _spec_for(self, page: Page, config: Any) -> tuple[PageSpec | None, str]:
        """Which planned page this is, and in which language (from the file name's suffix)."""
        source = page.file.src_uri  # e.g. m1-privacy/m1-gdpr-basics.en.md
        stem, _, _ = source.rpartition(".")
        base, _, lang = stem.rpartition(".")
        return self.pages_by_path.get(base + ".md"), lang


def _wants_toc(project: CourseProject, spec: PageSpec) -> bool:
    """A table of contents beside the page only where it helps finding one's way: a lesson of
    many sections (or the HR pages, for reference); quizzes, home and certificate read without."""
    if spec.kind in ("lms", "guide"):
        return True
    lesson = project.lessons.get(spec.ref or "") if spec.kind == "lesson" else None
    return lesson is not None and len(lesson.sections) >= TOC_MIN_SECTIONS


def _keep_search_to_its_language(config: Any, lang: str, languages: list[str]) -> None:
    """One search index per language: the French site finds French pages, the English one English.

    The i18n plugin merges every language's entries into the site's one search/search_index.json,
    which Material loads from every page. A language other than the default gets its own index in
    its folder (its pages point Material there, see `_own_search_index`), and its entries are
    taken out of the shared one, which is left to the default language.
    """
    search = config.plugins.get("search") or config.plugins.get("material/search")
    if search is None or not languages or lang == languages[0]:
        return
    entries = search.search_index.entries
    prefix = f"{lang}/"
    docs = [{**entry, "location": entry["location"].removeprefix(prefix)} for entry in entries]
    settings = {key: search.config[key] for key in ("separator", "pipeline", "fields")}
    index = {"config": {"lang": [lang] if lang in SEARCH_LANGUAGES else ["en"], **settings}, "docs": docs}
    path = Path(config["site_dir"]) / lang / "search" / "search_index.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(index, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    entries.clear()


def _own_search_index(output: str, spec: PageSpec, lang: str, languages: list[str]) -> str:
    """Point a page of a language other than the default at its language's root, where its search
    index is (Material fetches `base` + search/search_index.json and resolves results from it)."""
    if not languages or lang == languages[0]:
        return output
    root = posixpath.relpath(".", posixpath.dirname(spec.path) or ".")
    return CONFIG_BASE.sub(lambda m: f'{m.group(1)}"{root}"', output, count=1)


def _skip_to_questions(output: str, words: str) -> str:
    """On a quiz page the skip link leads to the questions: the first answer is one Tab away."""
    return SKIP_LINK.sub(f'<a href="#{QUIZ_ANCHOR}" class="md-skip">{html_text(words)}</a>', output, count=1)


def _rename_toc_anchors(items: Any) -> None:
    """The page's table of contents links to its headings by the ids the sanitiser kept."""
    for item in items or []:
        item.id = authored_id(item.id)
        _rename_toc_anchors(item.children)


def _nav_items(items: Any) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _nav_items(getattr(item, "children", None) or [])
