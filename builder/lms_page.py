"""The pages for HR: which LMS package to choose and download, how to try it, and the LMS guide.

Written for people who download from the site: no command line, a table of the packages with a
sentence on when to choose each, and how to try one in the LMS itself. The LMS guide for
administrators (docs/lms.md, docs/lms.fr.md in French) is published beside it, as written.
Neither page is in the learners' navigation (the footer leads HR there), nor in any package.

The package table describes every package of this build (language, standard, layout, size)
from the build's request, never by reading file names. A package's size is known only once it is
made, after mkdocs has rendered this page: the page carries an empty slot per package, which
`bonsens build` fills in the staged site (`fill_package_sizes`) before it is swapped in.
On a phone the table's rows become stacked cards (bonsens.css, "HR page"): each cell carries its
column's name, shown only there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.escaping import html_text, markdown_inline
from builder.labels import labels_for

DOWNLOADS = "downloads"  # where the site offers the packages
PAGE = "lms.html"
GUIDE_PAGE = "lms-guide.html"
# The guide ships with the tool, in its repository: docs/lms.md, and docs/lms.LANG.md per translation
GUIDE_DIR = Path(__file__).resolve().parent.parent / "docs"

# Only when the tool was installed without its repository's docs/ folder
MISSING_GUIDE = "# LMS guide\n\nThe LMS guide is docs/lms.md in Bon Sens's repository.\n"
TEXT = {
    "fr": """# Importer le cours dans votre LMS

Le cours existe en paquets SCORM, à importer tels quels dans votre plateforme de formation
(Moodle, Cornerstone, SAP SuccessFactors, Docebo, TalentLMS, 360Learning…). Un paquet par langue,
par norme et par structure : dans chaque langue, commencez par le paquet recommandé. Les paquets
cmi5 s'adressent aux plateformes qui acceptent cmi5, la norme plus récente fondée sur xAPI :
chaque étape du cours y est envoyée comme une déclaration xAPI, enregistrée par la plateforme.

**Ce que le LMS enregistre** : le statut (terminé, réussi, échoué), le score de l'examen final
(ou, sans examen, la moyenne des quiz), le temps passé, chaque réponse aux questions
(interactions) et, en SCORM, le statut de chaque module (objectifs). L'apprenant peut s'arrêter et reprendre
là où il en était.
""",
    "en": """# Import the course into your LMS

The course comes as SCORM packages, to import as they are into your learning platform (Moodle,
Cornerstone, SAP SuccessFactors, Docebo, TalentLMS, 360Learning…). One package per language,
standard and layout: in each language, start with the recommended one. The cmi5 packages are for
platforms that accept cmi5, the newer standard built on xAPI: each step of the course is sent as
an xAPI statement, which the platform records.

**What the LMS records**: the status (completed, passed, failed), the final exam's score (or,
without an exam, the average of the quizzes), the time spent, every answer to the questions
(interactions) and, in SCORM, each module's status (objectives). Learners can stop and resume where they
left off.
""",
}
# After the downloads: how to try a package in the LMS itself, no command line
TRY = {
    "fr": """## Essayer un paquet avant de l'attribuer

1. Importez-le dans un cours de test, ou dans l'espace de test de votre plateforme, où seuls
   vous et un apprenant de test êtes inscrits.
2. Ouvrez-le en tant qu'apprenant. L'aperçu de l'administrateur montre que le cours s'ouvre,
   mais beaucoup de plateformes n'y enregistrent rien.
3. Lisez une page, échouez puis réussissez un quiz, quittez avec le bouton « Quitter » du cours,
   puis revenez : le cours reprend là où vous l'aviez laissé.
4. Vérifiez dans les rapports de la plateforme le statut, le score et les réponses enregistrés.

Les réglages testés dans Moodle, les points à vérifier dans les autres plateformes et un
glossaire des mots de SCORM sont dans le [guide LMS]({guide}), pour l'administrateur de votre LMS.
""",
    "en": """## Try a package before assigning it

1. Import it into a test course, or your platform's sandbox, where only you and a test learner
   are enrolled.
2. Open it as the learner. The administrator's preview shows that the course opens, but many
   platforms record nothing there.
3. Read a page, fail a quiz then pass it, leave with the course's "Exit" button, then come back:
   the course resumes where you left it.
4. Check in the platform's reports the status, the score and the answers it recorded.

The settings we test in Moodle, what to check in other platforms and a glossary of SCORM's words
are in the [LMS guide]({guide}), for your LMS administrator.
""",
}
# Before the tables, when the course has learning paths
PATHS_INTRO = {
    "fr": "Le cours se suit selon plusieurs parcours, chacun avec ses paquets : choisissez d'abord le parcours "
          "qui convient à vos apprenants (sa durée et à qui il s'adresse sont sous son titre), puis, dans sa "
          "langue, le paquet recommandé. Importez chaque parcours comme une activité à part.",
    "en": "The course comes as several learning paths, each with its own packages: first choose the path that "
          "fits your learners (its length and whom it is for are under its title), then, in their language, "
          "the recommended package. Import each path as an activity of its own.",
}
HEADINGS = {"fr": ("## Choisir et télécharger un paquet",
                   "Aucun paquet n'accompagne encore ce site : demandez-les à l'équipe qui publie le cours."),
            "en": ("## Choose and download a package",
                   "No package comes with this site yet: ask the team that publishes the course.")}
# When to choose each kind of package, by (standard, layout), in the page's language
WHEN: dict[str, dict[tuple[str, str], str]] = {
    "fr": {
        ("scorm12", "single"): "Toutes les plateformes l'importent, et en reçoivent un seul statut et un seul "
                               "score, celui de l'examen final.",
        ("scorm2004", "single"): "Si votre plateforme gère pleinement SCORM 2004 et que vous voulez deux statuts "
                                 "(terminé, réussi) et la progression en pourcentage ; essayez-le d'abord, "
                                 "certaines ne gèrent SCORM 2004 qu'en partie.",
        ("scorm12", "multi"): "Si vos rapports doivent avoir une ligne par module ; la note de la plateforme "
                              "vient alors des scores des modules, pas de l'examen seul.",
        ("scorm2004", "multi"): "Une ligne par module, pour une plateforme qui gère entièrement l'enchaînement "
                                "des modules en SCORM 2004 ; pas pour Moodle, qui n'en joue que le premier.",
        ("cmi5", "single"): "Si votre plateforme accepte cmi5 : elle reçoit le statut, le score et chaque "
                            "réponse en xAPI. Le paquet contient toutes les langues du cours et s'ouvre dans celle "
                            "de l'apprenant si la plateforme la transmet, sinon dans celle indiquée ici ; "
                            "essayez-le d'abord.",
    },
    "en": {
        ("scorm12", "single"): "Every platform imports it, and gets from it one status and one score, "
                               "the final exam's.",
        ("scorm2004", "single"): "When your platform fully supports SCORM 2004 and you want two statuses "
                                 "(finished, passed) and the learner's progress as a percentage; try it first, "
                                 "as some support SCORM 2004 only in part.",
        ("scorm12", "multi"): "When your reports need one line per module; the platform's grade then comes "
                              "from the modules' scores, not the exam's alone.",
        ("scorm2004", "multi"): "One line per module, for a platform that fully handles how SCORM 2004 "
                                "orders the modules; not for Moodle, which plays only the first one.",
        ("cmi5", "single"): "When your platform accepts cmi5: it gets the status, the score and every answer "
                            "as xAPI statements. The package holds every language of the course and opens in the "
                            "learner's when the platform gives it, else in the one shown here; try it first.",
    },
}
# The table's words, in the page's language; the columns in order. No-break spaces keep a name's
# parts together (`SCORM 1.2`, `un seul SCO`) where a narrow column would break it
COLUMNS = ("language", "standard", "layout", "size", "when", "file")
WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "language": "Langue", "standard": "Norme", "layout": "Structure", "size": "Taille",
        "when": "Quand le choisir", "file": "Fichier",
        "recommended": "Recommandé.",
        "scorm12": "SCORM\u00a01.2", "scorm2004": "SCORM\u00a02004 4e\u00a0édition",
        "single": "un\u00a0seul\u00a0SCO", "multi": "un\u00a0SCO par\u00a0module",
        "cmi5": "cmi5", "unit": "une\u00a0seule\u00a0unité",
        "kB": "Ko", "MB": "Mo", "decimal": ",",
    },
    "en": {
        "language": "Language", "standard": "Standard", "layout": "Layout", "size": "Size",
        "when": "When to choose it", "file": "File",
        "recommended": "Recommended.",
        "scorm12": "SCORM\u00a01.2", "scorm2004": "SCORM\u00a02004 4th\u00a0edition",
        "single": "one\u00a0SCO", "multi": "one\u00a0SCO per\u00a0module",
        "cmi5": "cmi5", "unit": "one\u00a0unit",
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
STANDARD_ORDER = ("scorm12", "scorm2004", "cmi5")  # the safest first: cmi5 after every SCORM package
LAYOUT_ORDER = ("single", "multi")
RECOMMENDED = ("scorm12", "single")  # what every LMS imports, in every language
TABLE_CLASS = "hr-packages"  # outside the sanitiser's reserved prefixes: it passes as it is
LABEL_CLASS = "hr-label"
SIZE_SLOT = '<span id="package-size-{index}"></span>'  # an id the sanitiser keeps as it is
# French typography: a no-break space before « : » and « % », a narrow one before « ; ? ! », and
# inside guillemets, so that no line starts with the sign
_FRENCH_SPACES = ((re.compile(r" ([:%])"), "\u00a0\\1"), (re.compile(r" ([;?!»])"), "\u202f\\1"),
                  (re.compile(r"« "), "«\u202f"))


@dataclass(frozen=True)
class PathOffer:
    """The learning path a package holds (builder.paths.PathPlan), as HR choose it."""

    id: str
    title: dict[str, str]
    description: dict[str, str] | None  # who it is for
    minutes: int


@dataclass(frozen=True)
class Offer:
    """One package of this build, as the build's request made it (not as its file name reads)."""

    name: str  # the zip's file name (builder.packages.content.package_name)
    lang: str
    standard: str  # scorm12 | scorm2004 | cmi5
    layout: str  # single | multi (cmi5: single, one AU)
    path: PathOffer | None = None  # for a course with learning paths: the one it holds


def lms_page_markdown(lang: str, offers: list[Offer], languages: list[str], up: str = "") -> str:
    """The page's Markdown: a table row per package of this build, each language's together.

    `offers` is in the build's order, which numbers the size slots; `languages` is the course's.
    """
    heading, none_yet = HEADINGS.get(lang, HEADINGS["en"])
    lines = [TEXT.get(lang, TEXT["en"]), heading, ""]
    paths = list({offer.path.id: offer.path for offer in offers if offer.path}.values())
    if paths:
        lines += [PATHS_INTRO.get(lang, PATHS_INTRO["en"]), ""]
        for path in paths:  # in the build's order: the organisation's default path first
            lines += [path_heading(path, lang), ""]
            if path.description:
                lines += [markdown_inline(path.description[lang]), ""]
            held = [offer if offer.path and offer.path.id == path.id else None for offer in offers]
            lines += [package_table(lang, held, languages, up), ""]
    else:
        lines.append(package_table(lang, offers, languages, up) if offers else none_yet)
    lines += ["", TRY.get(lang, TRY["en"]).format(guide=GUIDE_PAGE.replace(".html", ".md"))]
    return _typeset("\n".join(lines) + "\n", lang)


def package_table(lang: str, offers: Sequence[Offer | None], languages: list[str], up: str = "") -> str:
    """The packages as a table, a row per package. Raw HTML: the files are added after mkdocs has
    checked the links, and each cell carries its column's name for the phone's stacked rows.

    `offers` is the build's list, where a package of another table (another path) is None: a
    package's place in it names its size slot."""
    words = _words(lang)
    head = "".join(f'<th scope="col">{html_text(words[column])}</th>' for column in COLUMNS)
    listed = [(index, offer) for index, offer in enumerate(offers) if offer is not None]
    rows = [_row(lang, index, offer, up) for index, offer in
            sorted(listed, key=lambda item: _rank(item[1], lang, languages))]
    return "\n".join([f'<div class="{TABLE_CLASS}">', "<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>",
                      *rows, "</tbody>", "</table>", "</div>"])


def _row(lang: str, index: int, offer: Offer, up: str) -> str:
    """One package's row; `index` is its place in the build's order, which names its size slot."""
    words, when = _words(lang), WHEN.get(lang, WHEN["en"])
    sentence = html_text(when.get((offer.standard, offer.layout), ""))
    if is_recommended(offer):
        sentence = f"<strong>{html_text(words['recommended'])}</strong> {sentence}"
    href = html_text(f"{up}{DOWNLOADS}/{offer.name}")
    cells = {
        "language": html_text(language_name(offer.lang, lang)),
        "standard": html_text(words[offer.standard]),
        "layout": html_text(words[layout_word(offer)]),
        "size": SIZE_SLOT.format(index=index),
        "when": sentence,
        "file": f'<a href="{href}">{html_text(offer.name)}</a>',
    }
    # The value in one element: the phone's card lays out a cell as two items, its label and its value
    return "<tr>" + "".join(f'<td><span class="{LABEL_CLASS}">{html_text(words[column])}</span> '
                            f'<span>{cells[column]}</span></td>' for column in COLUMNS) + "</tr>"


def path_heading(path: PathOffer, lang: str) -> str:
    """A path's heading on the HR page: its title and how long it takes, e.g. « L'essentiel — 45 min »."""
    from builder.pages import duration_text  # the site's own wording of a length (pages imports this module)

    return f"### {markdown_inline(path.title[lang])} — {duration_text(path.minutes, lang)}"


def hr_link(lang: str, languages: list[str]) -> dict[str, str]:
    """The footer's link to this language's HR page, from the site's root (the theme makes it
    relative to each page): the discreet way in for HR, off the learners' navigation."""
    prefix = "" if lang == languages[0] else f"{lang}/"
    return {"href": prefix + PAGE, "label": labels_for(lang)["hr_link"]}


def layout_word(offer: Offer) -> str:
    """A SCORM package's layout is in SCOs; a cmi5 package is one unit (an AU: the whole course or path)."""
    return "unit" if offer.standard == "cmi5" else offer.layout


def is_recommended(offer: Offer) -> bool:
    """SCORM 1.2 in one SCO, in any language: what every LMS imports."""
    return (offer.standard, offer.layout) == RECOMMENDED


def guide_markdown(lang: str) -> str:
    """The LMS guide as we wrote it, in `lang` when it is translated (docs/lms.LANG.md), else in
    English, marked as English so that a screen reader reads it as such."""
    translated = GUIDE_DIR / f"lms.{lang}.md"
    if lang != "en" and translated.is_file():
        return translated.read_text(encoding="utf-8")
    english_file = GUIDE_DIR / "lms.md"
    english = english_file.read_text(encoding="utf-8") if english_file.is_file() else MISSING_GUIDE
    return english if lang == "en" else f'<div lang="en" markdown="1">\n\n{english}\n</div>\n'


def guide_files() -> list[Path]:
    """What the guide page is made from, for the build's inputs: a change to the guide rebuilds."""
    return sorted(GUIDE_DIR.glob("lms*.md"))


def _rank(offer: Offer, lang: str, languages: list[str]) -> tuple[int, ...]:
    """The page's language first, then the course's languages in order; in each, safest first
    (one SCO before one per module, SCORM 1.2 before 2004, cmi5 after every SCORM package): the
    recommended package leads."""
    return (offer.lang != lang, _index(tuple(languages), offer.lang), offer.standard == "cmi5",
            _index(LAYOUT_ORDER, offer.layout), _index(STANDARD_ORDER, offer.standard))


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


def _words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def _typeset(text: str, lang: str) -> str:
    """Our own French text with French typography; other languages as they are."""
    if lang == "fr":
        for pattern, replacement in _FRENCH_SPACES:
            text = pattern.sub(replacement, text)
    return text
