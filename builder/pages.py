"""Stage 3: render the course model into pages — Markdown for mkdocs, JSON for the quiz player.

One `SitePlan` lists every page once, in reading order; everything else (navigation, links
between lessons, the data the browser code reads) is derived from it, so the site and the LMS
packages agree on what exists and where.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

from builder.checks import LINK
from builder.escaping import html_text, markdown_inline, markdown_url
from builder.labels import labels_for
from builder.lms_page import Offer, lms_page_markdown
from builder.markdown_safe import inline_markdown_to_safe_html, json_for_script, markdown_to_safe_html
from builder.model import (
    Callout,
    FillIn,
    Lesson,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    Quiz,
    Scenario,
    SingleChoice,
    TrueFalse,
)
from builder.project import CourseProject

CALLOUT_TYPES = {"tip": "tip", "warning": "warning", "law": "info law", "example": "example"}


@dataclass(frozen=True)
class PageSpec:
    """One page of the site, the same in every language."""

    path: str  # relative to the language root, e.g. "m1-privacy/m1-gdpr-basics.md"
    kind: str  # home | lesson | quiz | exam | certificate | lms
    ref: str | None = None  # the lesson or quiz id
    module: str | None = None

    @property
    def html(self) -> str:
        return self.path[:-3] + ".html"


class SitePlan:
    """Every page in reading order, and where each lesson and quiz lives."""

    def __init__(self, project: CourseProject, packages: list[Offer] | None = None):
        self.project = project
        self.packages = packages or []  # the LMS packages this build makes, listed on the HR page
        pages = [PageSpec("index.md", "home")]
        for module in project.course.modules:
            pages += [PageSpec(f"{module.id}/{lid}.md", "lesson", lid, module.id) for lid in module.lessons]
            if module.quiz:
                pages.append(PageSpec(f"{module.id}/{module.quiz}.md", "quiz", module.quiz, module.id))
        if project.course.final_exam:
            exam = project.course.final_exam.quiz
            pages.append(PageSpec(f"final-exam/{exam}.md", "exam", exam))
        pages += [PageSpec("certificate.md", "certificate"), PageSpec("lms.md", "lms")]
        self.pages = pages
        self.by_ref = {page.ref: page for page in pages if page.ref}

    def relative(self, target: str, from_page: PageSpec) -> str:
        """A link from one page to another path of the same language tree."""
        return posixpath.relpath(target, posixpath.dirname(from_page.path) or ".")

    def rewrite_links(self, text: str, page: PageSpec, *, html: bool) -> str:
        """Turn `lesson:ID` / `quiz:ID` and course-relative images into paths from `page`."""

        def replace(match: re.Match[str]) -> str:
            target = match.group(2)
            kind, _, rest = target.partition(":")
            ident, _, anchor = rest.partition("#")
            if kind in ("lesson", "quiz") and ident in self.by_ref:
                linked = self.by_ref[ident]
                new = self.relative(linked.html if html else linked.path, page)
                new += f"#{anchor}" if anchor else ""
            elif not re.match(r"^[a-z]+:|^#", target):
                new = self.relative(target, page)  # course files are copied beside the pages
            else:
                return match.group(0)
            return match.group(0).replace(target, new, 1)

        return LINK.sub(replace, text)


# --------------------------------------------------------------------------- Markdown pages


def page_markdown(plan: SitePlan, page: PageSpec, lang: str) -> str:
    """The Markdown mkdocs renders for one page in one language."""
    project = plan.project
    renderers = {
        "home": lambda: _home(plan, page, lang),
        "lesson": lambda: _lesson(plan, page, project.lessons[page.ref or ""], lang),
        "quiz": lambda: _quiz_page(plan, page, project.quizzes[page.ref or ""], lang),
        "exam": lambda: _quiz_page(plan, page, project.quizzes[page.ref or ""], lang),
        "certificate": lambda: _simple(labels_for(lang)["certificate_title"]),
        "lms": lambda: _lms(plan, lang),
    }
    front = f"---\nbonsens_kind: {page.kind}\nbonsens_ref: {page.ref or ''}\n---\n\n"
    return front + renderers[page.kind]().rstrip() + "\n"


def page_title(plan: SitePlan, page: PageSpec, lang: str) -> str:
    """The page's title as HTML text, for the nav of the generated mkdocs config.

    The plugin marks it as already escaped, so the theme prints it as typed everywhere."""
    return html_text(raw_title(plan, page, lang))


def raw_title(plan: SitePlan, page: PageSpec, lang: str) -> str:
    labels, project = labels_for(lang), plan.project
    if page.kind == "home":
        return labels["home"]
    if page.kind == "lesson":
        return project.lessons[page.ref or ""].title[lang]
    if page.kind in ("quiz", "exam"):
        return project.quizzes[page.ref or ""].title[lang]
    return labels["certificate"] if page.kind == "certificate" else labels["lms"]


def _simple(title: str) -> str:
    return f"# {_inline(title)}\n"


def _inline(text: str) -> str:
    """Plain text for a heading, a table cell or a list item: one line, markup shown as text."""
    return markdown_inline(text)


def _indent(text: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.strip().splitlines())


def _admonition(kind: str, title: str, body: str, *, collapsible: bool = False) -> str:
    marker = "???" if collapsible else "!!!"
    return f'{marker} {kind} "{_inline(title)}"\n\n{_indent(body)}\n'


def _home(plan: SitePlan, page: PageSpec, lang: str) -> str:
    project, labels = plan.project, labels_for(lang)
    course = project.course
    description = plan.rewrite_links(course.description[lang].strip(), page, html=False)
    lines = [f"# {_inline(course.title[lang])}", "", description, ""]
    total = sum(project.lessons[i].minutes for m in course.modules for i in m.lessons if i in project.lessons)
    lines += [labels["course_total"].format(n=total), ""]
    lines += [f"## {labels['modules']}", "",
              f"| {labels['modules']} | {labels['lessons_count']} | {labels['module_time']} |",
              "| --- | ---: | ---: |"]
    for module in course.modules:
        first = plan.by_ref[module.lessons[0]]
        minutes = sum(project.lessons[i].minutes for i in module.lessons if i in project.lessons)
        link = f"[{_inline(module.title[lang])}]({plan.relative(first.path, page)})"
        summary = f"<br>{_inline(module.summary[lang])}" if module.summary else ""
        lines.append(f"| {link}{summary} | {len(module.lessons)} | {labels['minutes'].format(n=minutes)} |")
    if course.final_exam:
        exam = plan.by_ref[course.final_exam.quiz]
        lines.append(f"| [{labels['final_exam']}]({plan.relative(exam.path, page)}) | | |")
    lines += ["", f"## {labels['progress_title']}", ""]
    return "\n".join(lines)


def _lesson(plan: SitePlan, page: PageSpec, lesson: Lesson, lang: str) -> str:
    labels = labels_for(lang)
    md = [f"# {_inline(lesson.title[lang])}", "",
          f"*{_inline(lesson.summary[lang])}* — {labels['minutes'].format(n=lesson.minutes)}", ""]
    objectives = "\n".join(f"- {_inline(o[lang])}" for o in lesson.objectives)
    md.append(_admonition("abstract", labels["objectives"], objectives))
    for section in lesson.sections:
        md += [f"## {_inline(section.title[lang])}", "",
               plan.rewrite_links(section.body[lang].strip(), page, html=False), ""]
        md += [_callout(plan, page, callout, lang) for callout in section.callouts]
    for scenario in lesson.scenarios:
        md.append(_scenario(plan, page, scenario, lang))
    if lesson.takeaways:
        takeaways = "\n".join(f"- {_inline(t[lang])}" for t in lesson.takeaways)
        md += [f"## {labels['takeaways']}", "", takeaways, ""]
    if lesson.sources:
        md += [f"## {labels['sources']}", ""]
        for index, source in enumerate(lesson.sources, 1):
            title = (f"[{_inline(source.title)}]({markdown_url(source.url)})" if source.url
                     else f"*{_inline(source.title)}*")
            md.append(f"{index}. {title} — {_inline(source.publisher)}, {_inline(source.date)}.")
        md.append("")
    return "\n".join(md)


def _callout(plan: SitePlan, page: PageSpec, callout: Callout, lang: str) -> str:
    title = callout.title[lang] if callout.title else labels_for(lang)[f"callout_{callout.kind}"]
    body = plan.rewrite_links(callout.text[lang], page, html=False)
    return _admonition(CALLOUT_TYPES[callout.kind], title, body)


def _scenario(plan: SitePlan, page: PageSpec, scenario: Scenario, lang: str) -> str:
    labels = labels_for(lang)
    body = plan.rewrite_links(scenario.situation[lang], page, html=False).strip()
    question = plan.rewrite_links(scenario.question[lang], page, html=False).strip()
    body += f"\n\n**{labels['question']}** — {question}"
    text = _admonition("example scenario", f"{labels['scenario']} : {scenario.title[lang]}"
                       if lang == "fr" else f"{labels['scenario']}: {scenario.title[lang]}", body)
    if scenario.debrief:
        debrief = plan.rewrite_links(scenario.debrief[lang], page, html=False)
        text += "\n" + _indent(_admonition("success", labels["debrief"], debrief, collapsible=True)) + "\n"
    return text


def _quiz_page(plan: SitePlan, page: PageSpec, quiz: Quiz, lang: str) -> str:
    labels = labels_for(lang)
    md = [f"# {_inline(quiz.title[lang])}", ""]
    if quiz.intro:
        md += [plan.rewrite_links(quiz.intro[lang].strip(), page, html=False), ""]
    if quiz.draw:
        md.append(labels["exam_intro"].format(draw=quiz.draw, bank=len(quiz.questions),
                                              passing=_percent(quiz.passing_score)))
    else:
        md.append(labels["quiz_intro"].format(count=len(quiz.questions), passing=_percent(quiz.passing_score)))
    md.append(" " + (labels["attempts_limited"].format(n=quiz.attempts) if quiz.attempts
                     else labels["attempts_unlimited"]))
    return "\n".join(md) + "\n"


def _lms(plan: SitePlan, lang: str) -> str:
    # The packages sit at the site's root, beside the default language's pages
    up = "" if lang == plan.project.languages[0] else "../"
    return lms_page_markdown(lang, plan.packages, plan.project.languages, up)


def _percent(value: float) -> str:
    return f"{value:g}"


# --------------------------------------------------------------------------- data for the browser


def course_data(plan: SitePlan, page: PageSpec, lang: str) -> dict[str, Any]:
    """What progress.js needs on every page: the course outline with links from this page."""
    project = plan.project
    course = project.course

    def url(ref_or_path: str) -> str:
        target = plan.by_ref[ref_or_path].html if ref_or_path in plan.by_ref else ref_or_path
        return plan.relative(target, page)

    modules = []
    for module in course.modules:
        quiz = project.quizzes.get(module.quiz or "")
        modules.append({
            "id": module.id,
            "title": module.title[lang],
            "url": url(module.lessons[0]),
            "lessons": [{"id": i, "title": project.lessons[i].title[lang], "url": url(i)}
                        for i in module.lessons if i in project.lessons],
            "quiz": {"id": quiz.id, "title": quiz.title[lang], "url": url(quiz.id),
                     "passing_score": quiz.passing_score} if quiz else None,
        })
    exam = None
    if course.final_exam and course.final_exam.quiz in project.quizzes:
        quiz = project.quizzes[course.final_exam.quiz]
        exam = {"id": quiz.id, "title": quiz.title[lang], "url": url(quiz.id),
                "passing_score": quiz.passing_score, "after_modules": course.final_exam.after_modules}
    return {
        "id": course.id, "version": course.version, "lang": lang, "title": course.title[lang],
        "organisation": course.organisation or "", "modules": modules, "final_exam": exam,
        "pages": {"home": url("index.html"), "certificate": url("certificate.html")},
        "labels": labels_for(lang),
    }


COURSE_SCRIPT = "bonsens-course.js"  # at the root of each language's pages


def course_script(plan: SitePlan, lang: str) -> bytes:
    """The course outline as a script, one file per language that every page loads (and caches).

    Its links are relative to the language's root; progress.js adds each page's way up to it.
    """
    home = plan.pages[0]
    return f"window.BonSensCourse = {json_for_script(course_data(plan, home, lang))};\n".encode()


def quiz_data(plan: SitePlan, page: PageSpec, quiz: Quiz, lang: str) -> dict[str, Any]:
    """A quiz for the player: texts as sanitised HTML, answers in the player's terms."""
    return {
        "id": quiz.id, "title": quiz.title[lang], "passing_score": quiz.passing_score,
        "attempts": quiz.attempts, "shuffle_questions": quiz.shuffle_questions,
        "shuffle_choices": quiz.shuffle_choices, "draw": quiz.draw, "is_exam": page.kind == "exam",
        "questions": [question_data(plan, page, q, lang) for q in quiz.questions],
    }


def question_data(plan: SitePlan, page: PageSpec, question: Question, lang: str) -> dict[str, Any]:
    def html(text: dict[str, str] | None) -> str | None:
        return markdown_to_safe_html(plan.rewrite_links(text[lang], page, html=True)) if text else None

    def inline(text: dict[str, str]) -> str:
        return inline_markdown_to_safe_html(text[lang])

    data: dict[str, Any] = {"id": question.id, "type": question.type, "prompt_html": html(question.prompt),
                            "explanation_html": html(question.explanation), "weight": question.weight}
    if isinstance(question, (SingleChoice, MultipleChoice)):
        data["choices"] = [{"id": choice_id(i), "html": inline(c.text), "correct": c.correct,
                            "feedback_html": html(c.feedback)} for i, c in enumerate(question.choices)]
    elif isinstance(question, TrueFalse):
        data.update(answer=question.answer, feedback_true_html=html(question.feedback_true),
                    feedback_false_html=html(question.feedback_false))
    elif isinstance(question, Matching):
        data["pairs"] = [{"id": choice_id(i), "left_html": inline(p.left), "right_html": inline(p.right)}
                         for i, p in enumerate(question.pairs)]
    elif isinstance(question, Ordering):
        data["items"] = [{"id": choice_id(i), "html": inline(item)} for i, item in enumerate(question.items)]
    elif isinstance(question, FillIn):
        data.update(answers=list(question.answers.get(lang, [])), ignore_case=question.ignore_case,
                    ignore_accents=question.ignore_accents)
    return data


def choice_id(index: int) -> str:
    """a, b, … z, then a0, b0 …: single characters where SCORM 1.2 needs them."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index % 26] + (str(index // 26 - 1) if index >= 26 else "")
