"""Stage 4b, shared by every standard: the units a package holds (SCORM's SCOs, cmi5's AUs), the
configuration each unit's launch page hands the runtime, and that launch page.

One launch page (assets/sco.html) and one runtime core serve every standard: the runtime is the
core plus the standard's adapter (builder/runtime_assets.py `runtime_bundle`), shipped as
assets/bonsens/sco-runtime.js. What a unit holds and how it is scored is decided here, once.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from builder.labels import labels_for
from builder.markdown_safe import json_for_script
from builder.packages.content import PackageContent
from builder.pages import HR_KINDS, SitePlan
from builder.project import CourseProject
from builder.runtime_assets import ASSETS, freeze_bundles, minified
from builder.typography import typeset_text

LAYOUTS = ("single", "multi")
RUNTIME = "assets/bonsens/sco-runtime.js"  # the core and the standard's adapter, as one file
SCO_LABELS = ("lms_notice", "lms_offline_notice", "lms_save_warning", "lms_exit", "lms_exited", "lms_exited_unsaved")


@dataclass(frozen=True)
class Sco:
    """One launchable unit (a SCORM SCO, a cmi5 AU): its item in the organisation and its launch file."""

    identifier: str  # e.g. "m1-privacy" or "course"
    title: str
    launch: str  # file in the package, e.g. "sco-course.html"
    mastery_score: float | None  # percent; None when the SCO has no scored quiz
    objectives: tuple[str, ...] = ()  # module objective ids reported by this SCO
    after: tuple[str, ...] = ()  # SCO identifiers that must be passed before this one


_MARKDOWN_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\]|\\.)*)\]\([^)\s]*\)")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])")


def plain_text(markdown: str) -> str:
    """A title or description as words for an LMS, which shows text as typed: a link as its words,
    a Markdown escape (an organisation's `\\*`, builder/placeholders.py) or a character reference
    (`&amp;`) as the character, as the site shows them."""
    return html.unescape(_MARKDOWN_ESCAPE.sub(r"\1", _MARKDOWN_LINK.sub(r"\1", markdown)))


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


def _in(html: str, pages: set[str]) -> bool:
    return any(page.endswith(html) for page in pages)


def launch_page(config: dict[str, object], title: str, lang: str) -> bytes:
    """The SCO's launch file: holds the LMS session and shows the pages in a frame."""
    template = _FROZEN_TEMPLATE[0] if _FROZEN_TEMPLATE else _launch_template(_template_source())
    page = (template.replace("{{lang}}", lang)
            .replace("{{title}}", _escape(typeset_text(title, lang)))
            .replace("{{config}}", json_for_script(config)))
    return page.encode("utf-8")


def ready_before_fork() -> None:
    """Minify what every package ships once, here, before the build forks its workers: minify-go
    runs on Go's runtime, whose threads a forked process does not have (a worker calling into it
    after a fork can wait forever). What is made here is kept as it is until the next build, so a
    worker never minifies, even when a source changes on disk meanwhile."""
    freeze_bundles()
    _FROZEN_TEMPLATE[:] = [_launch_template(_template_source())]


_FROZEN_TEMPLATE: list[str] = []  # the launch page as the build made it before forking


def _template_source() -> str:
    return (ASSETS / "sco.html").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=4)
def _launch_template(template: str) -> str:
    """sco.html as shipped: its style sheet minified, lines without their indentation."""
    head, _, rest = template.partition("<style>")
    style, _, tail = rest.partition("</style>")
    css = minified("sco.css", style.encode("utf-8")).decode("utf-8")
    return "\n".join(line.strip() for line in f"{head}<style>{css}</style>{tail}".splitlines() if line.strip()) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def package_facts(project: CourseProject, content: PackageContent) -> tuple[str, str, int]:
    """The title, description and length an LMS shows: a path's package says which path it is
    ("Course — The essentials"), who it is for, and the path's length, questions included."""
    lang, course, path = content.lang, project.course, content.path
    description = " ".join(course.description[lang].split())
    if path is None:
        return course.title[lang], description, sum(lesson.minutes for lesson in project.lessons.values())
    if path.description:
        description = " ".join(path.description[lang].split()) + " " + description
    return f"{course.title[lang]} — {path.title[lang]}", description, path.minutes
