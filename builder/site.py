"""Stage 4a: write the static site — generated Markdown, a generated mkdocs config, mkdocs build.

The trainer's `mkdocs.yml` holds only the look (theme, colours, logo). The builder adds the
pages, the navigation in each language and the plugins, writes the result to
`.bonsens/mkdocs.yml`, and runs the real mkdocs-material on it. The build goes to a fresh
folder that replaces `site/` only once it is complete.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from builder.escaping import html_text
from builder.labels import labels_for
from builder.lms_page import Offer, hr_link
from builder.markdown_safe import sanitize_html
from builder.pages import COURSE_SCRIPT, SitePlan, course_script, organisation_brand, page_markdown, page_title
from builder.project import CourseProject
from builder.publish import published_files
from builder.quiz_jobs import QuizTexts
from builder.runtime_assets import shipped
from builder.typography import typeset_text

WORK_DIR = Path(".bonsens")
# Our few overrides of Material's templates (the footer's link for HR)
THEME_DIR = Path(__file__).parent / "theme"
ASSET_FILES = ("bonsens.css", "progress-model.js", "progress.js", "quiz.js",
               "bonsens-site.css", "learning-paths.js")  # the last two: the site only (runtime_assets.SITE_ONLY)
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "de": "Deutsch", "es": "Español", "it": "Italiano",
                  "nl": "Nederlands", "pt": "Português"}
DEFAULT_LOOK: dict[str, Any] = {
    "theme": {
        "name": "material",
        "font": False,  # no Google Fonts: system fonts, no third-party request
        # navigation.prune: each page carries only its own module's links, not the whole course's
        # (a lesson page of a 160-lesson course drops from 147 KB to 53 KB, for the site and every SCO)
        # no navigation.top: its back-to-top button covered a line of text on phones and in LMS frames
        "features": ["navigation.footer", "navigation.indexes", "navigation.prune", "search.highlight"],
        "palette": [
            {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo",
             "accent": "indigo", "toggle": {"icon": "material/weather-night", "name": "Dark mode"}},
            {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo",
             "accent": "indigo", "toggle": {"icon": "material/weather-sunny", "name": "Light mode"}},
        ],
    },
}
# Languages Material's search has stemmers for (lunr); another language is searched as English
SEARCH_LANGUAGES = ("fr", "en", "de", "es", "it", "nl", "pt")
MARKDOWN_EXTENSIONS = [
    "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "sane_lists",
    # no ¶ permalink after each heading: a course is read in order, not cited by section (the
    # table of contents, where a page has one, links to its sections), and each was a Tab stop
    {"toc": {"permalink": False}}, "pymdownx.details", "pymdownx.superfences", "pymdownx.tilde",
]


def docs_dir(root: Path, *, serving: bool = False) -> Path:
    return work_dir(root, serving=serving) / "docs"


def work_dir(root: Path, *, serving: bool = False) -> Path:
    """Where the generated pages and config go: `bonsens serve` works apart, in .bonsens/serve/,
    so that a build can run beside it without either writing the other's files."""
    return root / WORK_DIR / "serve" if serving else root / WORK_DIR


def write_docs(project: CourseProject, target: Path, packages: list[Offer] | None = None) -> list[str]:
    """Write every page in every language (only files whose content changed); return the paths.

    `packages` are the LMS packages this build makes, for the HR page's download table.
    """
    plan = SitePlan(project, packages or [])
    wanted: dict[str, bytes] = {}
    for page in plan.pages:
        for lang in project.languages:
            name = page.path[:-3] + f".{lang}.md"
            wanted[name] = page_markdown(plan, page, lang).encode("utf-8")
    for lang in project.languages:  # placed at each language's root by the i18n plugin
        wanted[COURSE_SCRIPT.replace(".js", f".{lang}.js")] = course_script(plan, lang)
    for name in ASSET_FILES:
        wanted[f"assets/bonsens/{name}"] = shipped(name)
    # Only what the publishing rule lets through (images, SVGs cleaned), as `bonsens check` said.
    # One copy per language (`x.fr.png`), which the i18n plugin places beside each language's
    # pages, so the same relative link works in every language
    for image in published_files(project.root).files:
        stem, suffix = posixpath.splitext(image.name)
        for lang in project.languages:
            wanted[f"{stem}.{lang}{suffix}"] = image.data
    _sync_tree(target, wanted)
    return sorted(wanted)


def _sync_tree(target: Path, wanted: dict[str, bytes]) -> None:
    """Make `target` hold exactly `wanted`, touching only what differs (mkdocs serve watches it)."""
    target.mkdir(parents=True, exist_ok=True)
    for name, content in wanted.items():
        path = target / name
        if path.is_file() and _digest(path.read_bytes()) == _digest(content):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def mkdocs_config(project: CourseProject, site_dir: Path, *, serving: bool = False) -> dict[str, Any]:
    """The full mkdocs config: the trainer's look, plus pages, navigation and plugins."""
    root = project.root
    look = _trainer_look(root)
    languages = project.languages
    default = languages[0]
    plan = SitePlan(project)
    config: dict[str, Any] = {**DEFAULT_LOOK, **look}
    config["theme"] = {**DEFAULT_LOOK["theme"], **look.get("theme", {}), "font": False,
                       "language": default, "custom_dir": str(THEME_DIR.resolve())}
    # Material prints these raw: the footer's HTML passes the sanitiser, the author is text
    if "copyright" in look:
        config["copyright"] = sanitize_html(str(look["copyright"]))
    if "site_author" in look:
        config["site_author"] = html_text(str(look["site_author"]))
    config.update(
        site_name=html_text(project.course.title[default]),  # the plugin marks it as escaped
        site_description=html_text(" ".join(project.course.description[default].split())),
        docs_dir=str(docs_dir(root, serving=serving).resolve()),
        site_dir=str(site_dir.resolve()),
        use_directory_urls=False,  # works from any web server, an intranet share or an LMS frame
        markdown_extensions=MARKDOWN_EXTENSIONS,
        extra_css=["assets/bonsens/bonsens.css"],
        # quiz.js is added to quiz pages only, by the bonsens plugin (mkdocs_plugin.on_post_page)
        extra_javascript=["assets/bonsens/progress-model.js", "assets/bonsens/progress.js"],
        nav=nav_for(plan, default),
        watch=[str((root / "course").resolve()), str((root / "quizzes").resolve())],
        plugins=[
            # the organisation file too, so that mkdocs run on this config alone deploys the same
            {"bonsens": {"course_dir": str(root.resolve()), **_organisation_option(project)}},
            # One search index per language (the plugin writes the others'): the default one's here
            {"search": {"lang": [default] if default in SEARCH_LANGUAGES else ["en"]}},
            {"i18n": {
                "docs_structure": "suffix",
                "fallback_to_default": False,
                "reconfigure_material": True,
                "reconfigure_search": False,  # it would mix every language's stemmers into each index
                "languages": [
                    {"locale": lang, "name": LANGUAGE_NAMES.get(lang, lang), "build": True,
                     "default": lang == default, "site_name": html_text(project.course.title[lang]),
                     "nav": nav_for(plan, lang), "extra": {"bonsens_hr": hr_link(lang, languages),
                                                           "bonsens_org": _brand(project, lang)}}
                    for lang in languages
                ],
            }},
        ],
    )
    config.setdefault("extra", {})["generator"] = False
    config["extra"]["bonsens_hr"] = hr_link(default, languages)  # the footer's way in for HR
    config["extra"]["bonsens_org"] = _brand(project, default)  # the header's logo (theme/partials/logo.html)
    return config


def _brand(project: CourseProject, lang: str) -> dict[str, str]:
    """The organisation's name and logo for a language's header: the logo from the language's own
    folder (each has its copy of the course images), as a package of that language holds it."""
    brand = organisation_brand(project, lang)
    if brand["logo"] and lang != project.languages[0]:
        brand["logo"] = f"{lang}/{brand['logo']}"
    return brand


def _organisation_option(project: CourseProject) -> dict[str, str]:
    return {"organisation": str(project.organisation_file.resolve())} if project.organisation_file else {}


def nav_for(plan: SitePlan, lang: str) -> list[Any]:
    """The navigation in one language: home, one section per module, the exam, the certificate.

    The HR pages are not on a learner's way: the footer leads to them (theme/partials/copyright.html)."""
    project, labels = plan.project, labels_for(lang)
    nav: list[Any] = [{labels["home"]: "index.md"}]
    for module in project.course.modules:
        entries = [{page_title(plan, p, lang): p.path} for p in plan.pages if p.module == module.id]
        nav.append({html_text(typeset_text(module.title[lang], lang)): entries})
    for page in plan.pages:
        if page.kind in ("exam", "certificate"):
            nav.append({page_title(plan, page, lang): page.path})
    return nav


def _trainer_look(root: Path) -> dict[str, Any]:
    """The trainer's mkdocs.yml, if any: theme, palette, logo, extra, copyright."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    keep = ("theme", "extra", "copyright", "site_url", "site_author")
    return _without_third_parties({key: value for key, value in data.items() if key in keep})


REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)


def _without_third_parties(look: dict[str, Any]) -> dict[str, Any]:
    """The look, less what would make a learner's browser call another host (privacy by design).

    Material's analytics and cookie consent go, and so does `repo_url` (never kept: Material then
    fetches the repository's facts from its host's API); a logo or favicon given as a URL is
    dropped (save it under docs and link it by path). Palette toggle names are printed raw by the
    theme: they are escaped like every authored text.
    """
    extra = look.get("extra")
    if isinstance(extra, dict):
        look["extra"] = {key: value for key, value in extra.items() if key not in ("analytics", "consent")}
    theme = look.get("theme")
    if isinstance(theme, dict):
        theme = {key: value for key, value in theme.items()
                 if not (key in ("logo", "favicon") and isinstance(value, str) and REMOTE.match(value))}
        palette = theme.get("palette")
        if isinstance(palette, (dict, list)):
            theme["palette"] = [_escaped_toggle(p) for p in palette] if isinstance(palette, list) \
                else _escaped_toggle(palette)
        look["theme"] = theme
    return look


def _escaped_toggle(palette: Any) -> Any:
    toggle = palette.get("toggle") if isinstance(palette, dict) else None
    if not isinstance(toggle, dict) or "name" not in toggle:
        return palette
    return {**palette, "toggle": {**toggle, "name": html_text(str(toggle["name"]))}}


def write_config(project: CourseProject, site_dir: Path, *, serving: bool = False) -> Path:
    path = work_dir(project.root, serving=serving) / "mkdocs.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# Generated by `bonsens build` from course/ and mkdocs.yml: edit those, not this.\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: several times faster
    text += yaml.dump(mkdocs_config(project, site_dir, serving=serving), Dumper=dumper, allow_unicode=True,
                      sort_keys=False)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def render_site(project: CourseProject, target: Path, packages: list[Offer] | None = None,
                on_language: Callable[[str, Path], None] | None = None, quiz_texts: QuizTexts | None = None) -> Path:
    """Run mkdocs on the generated pages into `target` (a staging folder, not site/ itself).

    `on_language(lang, target)` is called as soon as a language's pages are all written;
    `quiz_texts` has the quiz pages' data rendered ahead.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from builder.mkdocs_plugin import HANDOVER, Handover

    write_docs(project, docs_dir(project.root), packages or [])
    shutil.rmtree(target, ignore_errors=True)
    config = load_config(str(write_config(project, target)))
    key = str(project.root.resolve())
    HANDOVER[key] = Handover(project, (lambda lang: on_language(lang, target)) if on_language else None, quiz_texts)
    try:
        build(config)
    finally:
        HANDOVER.pop(key, None)
    return target
