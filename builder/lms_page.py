"""The page for HR: which LMS package to choose, how to import it, what the LMS will report.

Written for people who download from the site: no command line, a sentence on when to choose each
kind of package, and how to try one in the LMS itself (docs/lms.md is the administrators' guide).

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
(Moodle, Cornerstone, SAP SuccessFactors, Docebo, TalentLMS, 360Learning…). Un paquet par langue,
par norme et par structure : le mieux est de commencer par le paquet recommandé, en tête de la
liste de téléchargement.

**Ce que le LMS enregistre** : l'état (terminé, réussi, échoué), le score de l'examen final
(ou, sans examen, la moyenne des quiz), le temps passé, chaque réponse aux questions
(interactions) et l'état de chaque module (objectifs). L'apprenant peut s'arrêter et reprendre
là où il en était.
""",
    "en": """# Import the course into your LMS

The course comes as SCORM packages, to import as they are into your learning platform (Moodle,
Cornerstone, SAP SuccessFactors, Docebo, TalentLMS, 360Learning…). One package per language,
standard and layout: start with the recommended one, first in the download list.

**What the LMS records**: the status (completed, passed, failed), the final exam's score (or,
without an exam, the average of the quizzes), the time spent, every answer to the questions
(interactions) and each module's status (objectives). Learners can stop and resume where they
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
4. Vérifiez dans les rapports de la plateforme l'état, le score et les réponses enregistrés.

L'administrateur de votre LMS trouvera les réglages testés dans Moodle et les points à vérifier
dans les autres plateformes dans le guide LMS fourni avec le cours (`docs/lms.md`).
""",
    "en": """## Try a package before assigning it

1. Import it into a test course, or your platform's sandbox, where only you and a test learner
   are enrolled.
2. Open it as the learner. The administrator's preview shows that the course opens, but many
   platforms record nothing there.
3. Read a page, fail a quiz then pass it, leave with the course's "Exit" button, then come back:
   the course resumes where you left it.
4. Check in the platform's reports the status, the score and the answers it recorded.

Your LMS administrator will find the settings we test in Moodle, and what to check in other
platforms, in the LMS guide that comes with the course (`docs/lms.md`).
""",
}
HEADINGS = {"fr": ("## Télécharger",
                   "Aucun paquet n'accompagne encore ce site : demandez-les à l'équipe qui publie le cours."),
            "en": ("## Download", "No package comes with this site yet: ask the team that publishes the course.")}
CHOOSING = {"fr": "## Quel paquet choisir ?", "en": "## Which package?"}
# When to choose each kind of package, by (standard, layout), in the page's language
WHEN: dict[str, dict[tuple[str, str], str]] = {
    "fr": {
        ("scorm12", "single"): "recommandé, car toutes les plateformes l'importent et en reçoivent un seul état "
                               "et un seul score, celui de l'examen final.",
        ("scorm2004", "single"): "si votre plateforme gère pleinement SCORM 2004 et que vous voulez deux états "
                                 "(terminé, réussi) et la progression en pourcentage ; essayez-le d'abord, "
                                 "certaines ne gèrent SCORM 2004 qu'en partie.",
        ("scorm12", "multi"): "si vos rapports doivent avoir une ligne par module ; la note de la plateforme "
                              "vient alors des scores des modules, pas de l'examen seul.",
        ("scorm2004", "multi"): "une ligne par module, pour une plateforme qui gère entièrement l'enchaînement "
                                "des modules en SCORM 2004 ; pas pour Moodle, qui n'en joue que le premier.",
    },
    "en": {
        ("scorm12", "single"): "recommended, because every platform imports it and gets from it one status "
                               "and one score, the final exam's.",
        ("scorm2004", "single"): "when your platform fully supports SCORM 2004 and you want two statuses "
                                 "(finished, passed) and the learner's progress as a percentage; try it first, "
                                 "as some support SCORM 2004 only in part.",
        ("scorm12", "multi"): "when your reports need one line per module; the platform's grade then comes "
                              "from the modules' scores, not the exam's alone.",
        ("scorm2004", "multi"): "one line per module, for a platform that fully handles how SCORM 2004 "
                                "orders the modules; not for Moodle, which plays only the first one.",
    },
}
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
    lines = [TEXT.get(lang, TEXT["en"])]
    if offers:
        lines += [CHOOSING.get(lang, CHOOSING["en"]), "", when_to_choose(lang, offers), ""]
    lines += [heading, ""]
    if offers:
        lines += [_words(lang)["intro"], "", download_list(lang, offers, languages, up)]
    else:
        lines.append(none_yet)
    lines += ["", TRY.get(lang, TRY["en"])]
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


def when_to_choose(lang: str, offers: list[Offer]) -> str:
    """A sentence per kind of package this build offers (standard and layout), safest first:
    HR pick by what their LMS and their reports need, not by a file name."""
    words, when = _words(lang), WHEN.get(lang, WHEN["en"])
    kinds = sorted({(offer.standard, offer.layout) for offer in offers},
                   key=lambda kind: (_index(LAYOUT_ORDER, kind[1]), _index(STANDARD_ORDER, kind[0])))
    colon = " :" if lang == "fr" else ":"  # _typeset makes the French space a no-break one
    return "\n".join(f"- **{words[standard]}, {words[layout]}**{colon} {when[standard, layout]}"
                     for standard, layout in kinds if (standard, layout) in when)


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
