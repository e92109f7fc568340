"""The page for HR: which LMS package to choose, how to import it, what the LMS will report.

The download list describes every package of this build (language, standard, layout, size)
from the build's request, never by reading file names. A package's size is known only once it is
made, after mkdocs has rendered this page: the page carries an empty slot per package, which
`bonsens build` fills in the staged site (`fill_package_sizes`) before it is swapped in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from builder.escaping import html_text

DOWNLOADS = "downloads"  # where the site offers the packages
PAGE = "lms.html"

TEXT = {
    "fr": """# Importer le cours dans votre LMS

Le cours existe en paquets SCORM, à importer tels quels dans votre plateforme de formation
(Moodle, Cornerstone, SAP SuccessFactors, Docebo, TalentLMS, 360Learning…). Un paquet par langue
et par norme.

| Si votre LMS… | Choisissez |
| --- | --- |
| accepte SCORM 1.2 (presque tous) | **SCORM 1.2**, un seul SCO : le choix le plus sûr |
| gère bien SCORM 2004 et vous voulez la durée et l'état par objectif | **SCORM 2004 4e édition** |

**Ce que le LMS enregistre** : l'état (terminé, réussi, échoué), le score de l'examen final
(ou, sans examen, la moyenne des quiz), le temps passé, chaque réponse aux questions
(interactions) et l'état de chaque module (objectifs). L'apprenant peut s'arrêter et reprendre
là où il en était.

**Avant de l'ouvrir aux apprenants** : l'administrateur du LMS peut d'abord essayer le paquet
dans l'aperçu ou l'espace de test de la plateforme.
""",
    "en": """# Import the course into your LMS

The course comes as SCORM packages, to import as they are into your learning platform (Moodle,
Cornerstone, SAP SuccessFactors, Docebo, TalentLMS, 360Learning…). One package per language
and standard.

| If your LMS… | Choose |
| --- | --- |
| accepts SCORM 1.2 (nearly all do) | **SCORM 1.2**, a single SCO: the safest choice |
| handles SCORM 2004 well and you want time and status per objective | **SCORM 2004 4th edition** |

**What the LMS records**: the status (completed, passed, failed), the final exam's score (or,
without an exam, the average of the quizzes), the time spent, every answer to the questions
(interactions) and each module's status (objectives). Learners can stop and resume where they
left off.

**Before opening it to learners**: the LMS administrator can first try the package in the
platform's preview or sandbox.
""",
}
HEADINGS = {"fr": ("## Télécharger", "Aucun paquet n'a encore été construit : lancez `bonsens build`."),
            "en": ("## Download", "No package has been built yet: run `bonsens build`.")}
# The download list's words, in the page's language
WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "intro": "Un paquet par langue, norme et structure ; le paquet recommandé vient en premier.",
        "recommended": "Recommandé :",
        "scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004 4e édition",
        "single": "un seul SCO", "multi": "un SCO par module",
        "kB": "Ko", "MB": "Mo", "decimal": ",",
    },
    "en": {
        "intro": "One package per language, standard and layout; the recommended one comes first.",
        "recommended": "Recommended:",
        "scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004 4th edition",
        "single": "one SCO", "multi": "one SCO per module",
        "kB": "KB", "MB": "MB", "decimal": ".",
    },
}
# Each language's name, in the page's language
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "fr": {"fr": "Français", "en": "Anglais", "de": "Allemand", "es": "Espagnol", "it": "Italien",
           "nl": "Néerlandais", "pt": "Portugais"},
    "en": {"fr": "French", "en": "English", "de": "German", "es": "Spanish", "it": "Italian",
           "nl": "Dutch", "pt": "Portuguese"},
}
STANDARD_ORDER = ("scorm12", "scorm2004")  # the safest first
LAYOUT_ORDER = ("single", "multi")
SIZE_SLOT = '<span id="package-size-{index}"></span>'  # an id the sanitiser keeps as it is
# French typography: a no-break space before « : » and « % », a narrow one before « ; ? ! », and
# inside guillemets, so that no line starts with the sign
_FRENCH_SPACES = ((re.compile(r" ([:%])"), "\u00a0\\1"), (re.compile(r" ([;?!»])"), "\u202f\\1"),
                  (re.compile(r"« "), "«\u202f"))


@dataclass(frozen=True)
class Offer:
    """One package of this build, as the build's request made it (not as its file name reads)."""

    name: str  # the zip's file name (builder.package.package_name)
    lang: str
    standard: str  # scorm12 | scorm2004
    layout: str  # single | multi


def lms_page_markdown(lang: str, offers: list[Offer], languages: list[str], up: str = "") -> str:
    """The page's Markdown, with an item per package of this build, the recommended one first.

    `offers` is in the build's order, which numbers the size slots; `languages` is the course's.
    """
    heading, none_yet = HEADINGS.get(lang, HEADINGS["en"])
    lines = [TEXT.get(lang, TEXT["en"]), heading, ""]
    if offers:
        lines += [_words(lang)["intro"], "", download_list(lang, offers, languages, up)]
    else:
        lines.append(none_yet)
    return _typeset("\n".join(lines) + "\n", lang)


def download_list(lang: str, offers: list[Offer], languages: list[str], up: str = "") -> str:
    """The packages as a list, a package per item: it reads on a phone, where a five-column table
    would scroll sideways. Raw HTML: the files are added after mkdocs has checked the links."""
    words = _words(lang)
    recommended = recommended_offer(lang, offers)
    items = []
    for index, offer in sorted(enumerate(offers), key=lambda item: _rank(item[1], lang, languages, recommended)):
        mark = f"<strong>{html_text(words['recommended'])}</strong> " if offer == recommended else ""
        # Each part in one piece (`un seul SCO`), lines break between them
        parts = [html_text(_unbroken(part)) for part in
                 (language_name(offer.lang, lang), words[offer.standard], words[offer.layout])]
        link = f'<a href="{html_text(f"{up}{DOWNLOADS}/{offer.name}")}">{html_text(offer.name)}</a>'
        items.append(f"<li>{mark}{', '.join(parts)}, {SIZE_SLOT.format(index=index)}<br>{link}</li>")
    return "\n".join(["<ul>", *items, "</ul>"])


def recommended_offer(lang: str, offers: list[Offer]) -> Offer | None:
    """SCORM 1.2 in the page's language, one SCO if this build has it: what every LMS imports."""
    fitting = [offer for offer in offers if offer.lang == lang and offer.standard == "scorm12"]
    return min(fitting, key=lambda offer: _index(LAYOUT_ORDER, offer.layout), default=None)


def _rank(offer: Offer, lang: str, languages: list[str], recommended: Offer | None) -> tuple[int, ...]:
    """Recommended first, then the page's language, the course's languages in order, safest first."""
    return (offer != recommended, offer.lang != lang, _index(tuple(languages), offer.lang),
            _index(STANDARD_ORDER, offer.standard), _index(LAYOUT_ORDER, offer.layout))


def _index(order: tuple[str, ...], value: str) -> int:
    return order.index(value) if value in order else len(order)


def language_name(code: str, lang: str) -> str:
    """`en` on the French page: « Anglais »; a regional code keeps its region (`pt-BR`: Portuguese (BR))."""
    names = LANGUAGE_NAMES.get(lang, LANGUAGE_NAMES["en"])
    base, _, region = code.partition("-")
    name = names.get(code) or names.get(base) or code
    return f"{name} ({region})" if region and code not in names else name


def size_text(size: int, lang: str) -> str:
    """A file size as HR reads it: `850 Ko`, `1,2 Mo` on the French page; `850 KB`, `1.2 MB` in English."""
    words = _words(lang)
    if size < 999_500:  # 999,6 kB would show as 1000 kB: one megabyte then
        value, unit = str(max(1, round(size / 1000))), words["kB"]
    else:
        value, unit = f"{size / 1_000_000:.1f}".replace(".", words["decimal"]), words["MB"]
    return f"{value}\u00a0{unit}"


def fill_package_sizes(site_dir: Path, languages: list[str], sizes: list[int]) -> None:
    """Write each package's size into every language's HR page, in the staged site.

    `sizes` follows the build's order of the packages, as the page's slots do. Same packages,
    same bytes: a package reused from the last build has the same size.
    """
    for lang in languages:
        path = site_dir / ("" if lang == languages[0] else lang) / PAGE
        page = path.read_text(encoding="utf-8")
        for index, size in enumerate(sizes):
            slot = SIZE_SLOT.format(index=index)
            if page.count(slot) != 1:
                raise RuntimeError(f"{path}: no single place for package {index}'s size")
            page = page.replace(slot, slot.replace("></", f">{html_text(size_text(size, lang))}</"))
        path.write_text(page, encoding="utf-8")


def _unbroken(text: str) -> str:
    return "\u00a0".join(text.split())


def _words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def _typeset(text: str, lang: str) -> str:
    """Our own French text with French typography; other languages as they are."""
    if lang == "fr":
        for pattern, replacement in _FRENCH_SPACES:
            text = pattern.sub(replacement, text)
    return text
