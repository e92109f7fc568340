"""The mkdocs plugin `bonsens`: cleans authored HTML and adds the data the browser code reads.

mkdocs renders the generated Markdown; this plugin then (1) passes each page's HTML through
the allow-list sanitiser, so nothing a trainer wrote can run, (2) appends our own trusted pieces
after that: quiz data and the containers the scripts fill, and (3) adds to each page's scripts
its language's course outline (bonsens-course.js) and, on quiz pages, the quiz player. It tells
`bonsens build` when a language's pages are all written. Under `bonsens serve` it also
regenerates the Markdown when a YAML file changes.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from builder.diagnostics import CourseError
from builder.labels import labels_for
from builder.markdown_safe import sanitize_html
from builder.pages import COURSE_SCRIPT, PageSpec, SitePlan
from builder.project import CourseProject
from builder.quiz_jobs import QuizTexts, quiz_json

ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')
# progress.js as mkdocs writes it from extra_javascript; quiz.js follows it on quiz pages only
PROGRESS_SCRIPT = re.compile(r'<script src="([^"]*)assets/bonsens/progress\.js"></script>')


@dataclass
class Handover:
    """What `bonsens build` gives the plugin for one build of a course folder."""

    project: CourseProject  # loaded and checked once, not again by the plugin
    on_language: Callable[[str], None] | None = None  # told when a language's pages are all written
    quiz_texts: QuizTexts | None = None  # quiz data rendered ahead in worker processes


# By course folder (resolved); empty under `bonsens serve`, where the plugin loads the course itself
HANDOVER: dict[str, Handover] = {}
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


class BonSensConfig(Config):
    course_dir = config_options.Type(str)
    regenerate = config_options.Type(bool, default=False)


class BonSensPlugin(BasePlugin[BonSensConfig]):
    """Sanitise pages and embed course and quiz data; regenerate pages when serving."""

    def __init__(self) -> None:
        self.project: CourseProject | None = None
        self.plan: SitePlan | None = None
        self.pages_by_path: dict[str, PageSpec] = {}
        self._sources = ""

    @event_priority(100)
    def on_config(self, config: Any) -> Any:
        # Load the course once per build: the i18n plugin re-enters on_config for each language,
        # and under `bonsens serve` only an edit of the YAML needs a reload
        sources = self._source_digest() if self.config.regenerate else ""
        if self.project is None or sources != self._sources:
            self._load()
            self._sources = sources
        return config

    def _source_digest(self) -> str:
        """A hash of the course's YAML and images, to tell whether anything was edited."""
        root = Path(self.config.course_dir)
        digest = hashlib.sha256()
        for path in sorted([*(root / "course").rglob("*"), *(root / "quizzes").rglob("*")]):
            if path.is_file():
                digest.update(path.as_posix().encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()

    def _load(self) -> None:
        from builder.loader import require_project
        from builder.site import docs_dir, write_docs

        root = Path(self.config.course_dir)
        handover = HANDOVER.get(str(root.resolve()))
        try:
            project = handover.project if handover and not self.config.regenerate else require_project(root)
        except CourseError as error:
            raise PluginError("the course has errors:\n" + "\n".join(
                d.format() for d in error.diagnostics)) from None
        if self.config.regenerate:
            write_docs(project, docs_dir(root))
        self.project = project
        self.plan = SitePlan(project)
        self.pages_by_path = {page.path: page for page in self.plan.pages}

    def on_page_content(self, html_text: str, page: Page, config: Any, files: Any) -> str:
        """Clean the authored HTML, then append our trusted data and containers."""
        clean = sanitize_html(html_text)
        spec, lang = self._spec_for(page, config)
        if spec is None or self.plan is None:
            return clean
        extra = []
        if spec.kind == "home":
            extra.append('<div class="bs-progress"></div>')
        elif spec.kind == "lesson":
            extra.append(f'<div class="bs-lesson-end" data-lesson-id="{html.escape(spec.ref or "")}"></div>')
        elif spec.kind in ("quiz", "exam") and self.project is not None:
            quiz = self.project.quizzes[spec.ref or ""]
            quiz_id = html.escape(quiz.id)
            extra.append(f'<div class="bs-quiz" data-quiz-id="{quiz_id}"></div>')
            handover = self._handover()
            texts = handover.quiz_texts if handover else None
            data = texts.get(self.plan, spec, quiz, lang) if texts else quiz_json(self.plan, spec, quiz, lang)
            extra.append(f'<script type="application/json" class="bs-quiz-data" data-quiz-id="{quiz_id}">'
                         f'{data}</script>')
        elif spec.kind == "certificate":
            extra.append('<div class="bs-certificate"></div>')
        return clean + "\n" + "\n".join(extra)

    def on_post_page(self, output: str, page: Page, config: Any) -> str:
        """Drop <link rel=alternate hreflang>: with page URLs (not folders) Material's script
        looks for a sitemap.xml beside each alternate and fills the console with 404s. The
        language switcher itself keeps working: its links already point at the same page."""
        output = ALTERNATE_LINK.sub("", output)
        spec, lang = self._spec_for(page, config)
        if spec is not None and self.plan is not None:
            # The course outline, one cached file per language, before progress.js reads it; and
            # the quiz player only where there is a quiz: lesson and home pages do without it
            course = html.escape(self.plan.relative(COURSE_SCRIPT, spec))
            quiz = spec.kind in ("quiz", "exam")
            output = PROGRESS_SCRIPT.sub(
                lambda m: f'<script id="bs-course" src="{course}"></script>\n{m.group(0)}'
                          + (f'\n<script src="{m.group(1)}assets/bonsens/quiz.js"></script>' if quiz else ""),
                output, count=1)
        # Material's search panel is a dialog without a name; screen readers need one
        name = html.escape(labels_for(lang).get("search", "Search"))
        return output.replace(SEARCH_DIALOG, f'{SEARCH_DIALOG[:-1]} aria-label="{name}">', 1)

    def on_post_build(self, config: Any) -> None:
        """Runs before the i18n plugin (priority -100) starts rendering the next language."""
        handover = self._handover()
        hook = handover.on_language if handover else None
        i18n = config.plugins.get("i18n")
        if hook is not None and i18n is not None:
            hook(i18n.current_language)

    def _handover(self) -> Handover | None:
        return HANDOVER.get(str(Path(self.config.course_dir).resolve()))

    def _spec_for(self, page: Page, config: Any) -> tuple[PageSpec | None, str]:
        """Which planned page this is, and in which language (from the file name's suffix)."""
        source = page.file.src_uri  # e.g. m1-privacy/m1-gdpr-basics.en.md
        stem, _, _ = source.rpartition(".")
        base, _, lang = stem.rpartition(".")
        return self.pages_by_path.get(base + ".md"), lang
