"""The page for HR: which LMS package to choose, how to import it, what the LMS will report."""

from __future__ import annotations

from builder.escaping import html_text

DOWNLOADS = "downloads"  # where the site offers the packages

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

**Avant d'importer** : essayez le paquet avec `bonsens preview dist/NOM.zip`, un LMS local qui
montre ce que la plateforme recevra.
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

**Before importing**: try the package with `bonsens preview dist/NAME.zip`, a local LMS that
shows what the platform will receive.
""",
}
HEADINGS = {"fr": ("## Télécharger", "Aucun paquet n'a encore été construit : lancez `bonsens build`."),
            "en": ("## Download", "No package has been built yet: run `bonsens build`.")}


def lms_page_markdown(lang: str, packages: list[str], up: str = "") -> str:
    """The page's Markdown, with a download link per package of this build."""
    heading, none_yet = HEADINGS.get(lang, HEADINGS["en"])
    lines = [TEXT.get(lang, TEXT["en"]), heading, ""]
    if not packages:
        lines.append(none_yet)
    # Raw links: the files are added after mkdocs has checked the pages' links
    lines += [f'- <a href="{html_text(f"{up}{DOWNLOADS}/{name}")}" download>{html_text(name)}</a>'
              for name in packages]
    return "\n".join(lines) + "\n"
