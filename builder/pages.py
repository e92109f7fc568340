"""Stage 3: render the course model into pages — Markdown for mkdocs, JSON for the quiz player.

One `SitePlan` lists every page once, in reading order; everything else (navigation, links
between lessons, the data the browser code reads) is derived from it, so the site and the LMS
packages agree on what exists and where.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from builder.checks import LINK
from builder.countries import country_names
from builder.escaping import html_text, markdown_inline, markdown_url
from builder.labels import counted, labels_for
from builder.lms_page import Offer, guide_markdown, lms_page_markdown
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
from builder.organisation import text_in
from builder.paths import PathModule, PathPlan, course_paths, learners_choose, offered_paths
from builder.project import CourseProject
from builder.typography import format_number, typeset_html, typeset_text

# The pages for HR, not for learners: in no navigation and no package, reached from the footer
HR_KINDS = ("lms", "guide")
# ... nor beside them: the course's navigation hidden (Material's `hide`), so that the HR page's
# package table has the page's width; the guide keeps its table of contents
HR_HIDE = {"lms": "hide: [navigation, toc]\n", "guide": "hide: [navigation]\n"}
CALLOUT_TYPES = {"tip": "tip", "warning": "warning", "law": "info law", "example": "example"}


@dataclass(frozen=True)
class PageSpec:
    """One page of the site, the same in every language."""

    path: str  # relative to the language root, e.g. "m1-privacy/m1-gdpr-basics.md"
    kind: str  # home | lesson | quiz | exam | certificate | lms | guide
    ref: str | None = None  # the lesson or quiz id
    module: str | None = None

    @property
    def html(self) -> str:
        return self.path[:-3] + ".html"


class SitePlan:
    """Every page in reading order, and where each lesson and quiz lives."""

    def __init__(self, project: CourseProject, packages: list[Offer] | None = None,
                 whole: CourseProject | None = None):
        self.project = project
        self.packages = packages or []  # the LMS packages this build makes, listed on the HR page
        # The course a path's package is cut from (builder/path_pages.py): its modules, whole
        self.whole = whole or project
        pages = [PageSpec("index.md", "home")]
        for module in project.course.modules:
            pages += [PageSpec(f"{module.id}/{lid}.md", "lesson", lid, module.id) for lid in module.lessons]
            if module.quiz:
                pages.append(PageSpec(f"{module.id}/{module.quiz}.md", "quiz", module.quiz, module.id))
        if project.course.final_exam:
            exam = project.course.final_exam.quiz
            pages.append(PageSpec(f"final-exam/{exam}.md", "exam", exam))
        # The HR pages last: out of the learners' navigation and of the packages (HR_KINDS)
        pages += [PageSpec("certificate.md", "certificate"), PageSpec("lms.md", "lms"),
                  PageSpec("lms-guide.md", "guide")]
        self.pages = pages
        self.by_ref = {page.ref: page for page in pages if page.ref}

    @cached_property
    def paths(self) -> list[PathPlan]:
        """The learning paths this deployment offers, its default first (builder/paths.py)."""
        return offered_paths(self.project) or course_paths(self.project)

    @property
    def default_path(self) -> PathPlan:
        """The path a page shows without JavaScript, and a learner starts on."""
        return self.paths[0]

    def module_size(self, module_id: str) -> int:
        """How many lessons a module has in the whole course, where a path may take fewer."""
        return next((len(m.lessons) for m in self.whole.course.modules if m.id == module_id), 0)

    def in_path(self, page: PageSpec, path: PathPlan) -> bool:
        """Whether a lesson, quiz or exam page is on a path's way (the certificate always is)."""
        if page.kind == "lesson":
            return page.ref in path.lessons
        if page.kind == "quiz":
            return any(module.quiz == page.ref for module in path.modules)
        if page.kind == "exam":
            return page.ref == path.exam
        return page.kind == "certificate"

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
        "guide": lambda: guide_markdown(lang),
    }
    front = f"---\nbonsens_kind: {page.kind}\nbonsens_ref: {page.ref or ''}\n{HR_HIDE.get(page.kind, '')}---\n\n"
    return front + renderers[page.kind]().rstrip() + "\n"


def page_title(plan: SitePlan, page: PageSpec, lang: str) -> str:
    """The page's title as HTML text, for the nav of the generated mkdocs config.

    The plugin marks it as already escaped, so the theme prints it as typed everywhere."""
    return html_text(raw_title(plan, page, lang))


def raw_title(plan: SitePlan, page: PageSpec, lang: str) -> str:
    """The page's title as text, typeset for its language (French spacing: builder/typography.py)."""
    return typeset_text(_typed_title(plan, page, lang), lang)


def _typed_title(plan: SitePlan, page: PageSpec, lang: str) -> str:
    labels, project = labels_for(lang), plan.project
    if page.kind == "home":
        return labels["home"]
    if page.kind == "lesson":
        return project.lessons[page.ref or ""].title[lang]
    if page.kind in ("quiz", "exam"):
        return project.quizzes[page.ref or ""].title[lang]
    return {"certificate": labels["certificate"], "guide": labels["lms_guide"]}.get(page.kind, labels["lms"])


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
    """The cover's authored part: the course title and what it is about (the Markdown path, so
    that it is sanitised, typeset and searched like every page). The rest is `home_html`."""
    course = plan.project.course
    description = plan.rewrite_links(course.description[lang].strip(), page, html=False)
    return f"# {_inline(course.title[lang])}\n\n{description}\n"


def duration_text(minutes: int, lang: str) -> str:
    """"3 h 30" in French, "3 h 30 min" in English, "45 min", "2 h"."""
    labels = labels_for(lang)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return labels["duration_m"].format(m=rest)
    return labels["duration_h"].format(h=hours) if not rest else labels["duration_hm"].format(h=hours, m=f"{rest:02d}")


def home_html(plan: SitePlan, page: PageSpec, lang: str) -> str:
    """The course home below its title: facts, ONE primary button, then the modules as cards.

    Complete without JavaScript, on the default path: the path's name, purpose and facts, the
    Start link to its first lesson right under them (a phone shows it without scrolling), its
    modules' cards (a module taken in part says so and offers its other lessons; the course's
    other modules folded under "Outside your path"). progress.js fills in the learner's progress
    (the `bs-home-*` and `bs-module-progress` slots), turns the button into "Resume: <page>",
    adds the discreet reset control and, where the organisation lets learners choose, the path
    switch (`bs-path-switch`, folded under "Change path": learning-paths.js).
    """
    project, labels = plan.project, labels_for(lang)
    course, path = project.course, plan.default_path
    held = {module.id: module for module in path.modules}

    def link(ref: str) -> str:
        return html_text(plan.relative(plan.by_ref[ref].html, page))

    inside: list[str] = []
    outside: list[str] = []
    for number, module in enumerate(course.modules, 1):
        own = held[module.id].lessons if module.id in held else tuple(module.lessons)
        summary = f'<p class="bs-module-summary">{html_text(module.summary[lang])}</p>' if module.summary else ""
        meta = _module_meta(plan, own, lang, plan.module_size(module.id))
        others = [i for i in module.lessons if i not in own and i in plan.by_ref]
        card = (f'<li class="bs-module{"" if module.id in held else " bs-module--outside"}" '
                f'data-module-id="{html_text(module.id)}">'
                f'<p class="bs-module-kicker">{html_text(labels["module_n"].format(n=number))}</p>'
                f'<h3 class="bs-module-title"><a href="{link(own[0])}">{html_text(module.title[lang])}</a></h3>'
                f'{summary}<p class="bs-module-meta">{html_text(meta)}</p>'
                f'{_more_lessons(plan, page, others, lang)}'
                '<div class="bs-module-progress"></div></li>')
        (inside if module.id in held else outside).append(card)
    if course.final_exam:
        exam = course.final_exam.quiz
        title = html_text(project.quizzes[exam].title[lang])
        card = (f'<li class="bs-module bs-module--exam{"" if path.exam else " bs-module--outside"}" '
                f'data-exam-id="{html_text(exam)}">'
                f'<h3 class="bs-module-title"><a href="{link(exam)}">{title}</a></h3>'
                '<div class="bs-module-progress"></div></li>')
        (inside if path.exam else outside).append(card)
    declared = any(p.declared for p in plan.paths)
    outline = labels["path_outline" if declared else "home_outline"]
    facts = f'<p class="bs-home-facts">{html_text(_path_facts(plan, path, lang))}</p>'
    start = (f'<p class="bs-home-cta"><a class="bs-button bs-home-start" href="{link(path.lessons[0])}">'
             f'{html_text(labels["start"])}</a></p>')
    outcomes = _outcomes(course.outcomes, labels["home_outcomes"], lang)
    overall = '<div class="bs-home-overall bs-overall"></div>'
    # With paths: the path (what, for whom, how long), the button, the switch, then the rest
    top = (f'{_path_panel(path, facts, lang)}{start}<div class="bs-path-switch"></div>{overall}{outcomes}'
           if declared else f'{outcomes}{facts}{overall}{start}')
    return (
        f'<div class="bs-progress bs-home">{top}'
        f'<h2 id="bs-home-outline">{html_text(outline)}</h2>'
        f'<ol class="bs-modules" aria-labelledby="bs-home-outline">{"".join(inside)}</ol>'
        # the fold of other modules, where a path leaves some out or the learner may switch (not a package)
        f'{_outside_cards(outside, lang) if declared and (outside or len(plan.paths) > 1) else ""}'
        '<div class="bs-home-reset"></div></div>'
    )


def _path_facts(plan: SitePlan, path: PathPlan, lang: str) -> str:
    """"2 modules · 6 lessons · 52 min": a declared path's time counts its questions too."""
    labels, lessons = labels_for(lang), path.lessons
    time = path.minutes if path.declared else _lesson_minutes(plan, lessons)
    return labels["home_facts"].format(modules=_count(len(path.modules), "module", lang),
                                       lessons=_count(len(lessons), "lesson", lang), time=duration_text(time, lang))


def _module_meta(plan: SitePlan, lessons: Sequence[str], lang: str, total: int = 0) -> str:
    """"3 lessons · 25 min", a module's card (of the lessons a path holds); a module a path takes
    in part says so: "2 lessons of 4 in your path · 12 min"."""
    count, time = _count(len(lessons), "lesson", lang), duration_text(_lesson_minutes(plan, lessons), lang)
    if total > len(lessons):
        return labels_for(lang)["module_meta_part"].format(lessons=count, total=total, time=time)
    return f"{count} · {time}"


def _more_lessons(plan: SitePlan, page: PageSpec, lessons: Sequence[str], lang: str) -> str:
    """A module's lessons outside the path, folded on its card: for the curious, one tap away
    (learning-paths.js writes the same for the learner's own path)."""
    if not lessons:
        return ""
    items = "".join(f'<li><a href="{html_text(plan.relative(plan.by_ref[i].html, page))}">'
                    f'{html_text(plan.project.lessons[i].title[lang])}</a></li>' for i in lessons)
    words = labels_for(lang)["outside_lessons"].format(lessons=_count(len(lessons), "lesson", lang))
    return f'<details class="bs-module-more"><summary>{html_text(words)}</summary><ul>{items}</ul></details>'


def _count(n: int, what: str, lang: str) -> str:
    return labels_for(lang)[f"{what}_one" if n == 1 else f"{what}_many"].format(n=n)


def _lesson_minutes(plan: SitePlan, lessons: Sequence[str]) -> int:
    return sum(plan.project.lessons[i].minutes for i in lessons if i in plan.project.lessons)


def _path_panel(path: PathPlan, facts: str, lang: str) -> str:
    """The path the learner is on: its name, whom it is for, its facts (the switch: below the button)."""
    labels = labels_for(lang)
    description = path.description.get(lang, "") if path.description else ""
    return (f'<section class="bs-path" aria-labelledby="bs-path-heading" data-path-id="{html_text(path.id)}">'
            f'<h2 class="bs-path-heading" id="bs-path-heading">{html_text(labels["path_heading"])}</h2>'
            f'<p class="bs-path-current"><strong class="bs-path-title">{html_text(path.title.get(lang, path.id))}'
            '</strong></p>'
            f'<p class="bs-path-description"{"" if description else " hidden"}>{html_text(description)}</p>'
            f'{facts}</section>')


def _outside_cards(cards: list[str], lang: str) -> str:
    """The course's modules the path leaves out: still there, folded, for whoever wants more."""
    label = html_text(labels_for(lang)["outside_modules"])
    return (f'<details class="bs-outside"{"" if cards else " hidden"}><summary>{label}</summary>'
            f'<ul class="bs-modules bs-modules--outside">{"".join(cards)}</ul></details>')


def home_brand_html(plan: SitePlan, page: PageSpec, lang: str) -> str:
    """The organisation above the course's title on the cover: its logo and its name (text only,
    escaped; the logo a course image, so nothing is fetched from elsewhere)."""
    brand = organisation_brand(plan.project, lang)
    if not brand["name"] and not brand["logo"]:
        return ""
    alt = "" if brand["name"] else "logo"  # the name beside it says whose it is
    logo = (f'<img class="bs-org-logo" src="{html_text(plan.relative(brand["logo"], page))}" alt="{alt}">'
            if brand["logo"] else "")
    name = f'<span class="bs-org-name">{html_text(brand["name"])}</span>' if brand["name"] else ""
    return f'<p class="bs-root bs-org">{logo}{name}</p>'


def _outcomes(outcomes: list[dict[str, str]], heading: str, lang: str) -> str:
    """What the learner will be able to do, on the cover: the promise a course makes first."""
    if not outcomes:
        return ""
    items = "".join(f"<li>{html_text(outcome[lang])}</li>" for outcome in outcomes)
    return (f'<p class="bs-home-outcomes-title" id="bs-home-outcomes">{html_text(heading)}</p>'
            f'<ul class="bs-home-outcomes" aria-labelledby="bs-home-outcomes">{items}</ul>')


def _lesson(plan: SitePlan, page: PageSpec, lesson: Lesson, lang: str) -> str:
    labels = labels_for(lang)
    md = [f"# {_inline(lesson.title[lang])}", "",
          f"*{_inline(lesson.summary[lang])}* — {labels['minutes'].format(n=lesson.minutes)}", ""]
    objectives = "\n".join(f"- {_inline(o[lang])}" for o in lesson.objectives)
    md.append(_admonition("abstract", labels["objectives"], objectives))
    for section in lesson.sections:
        if section.folded:  # for other countries: collapsed, after this deployment's sections
            body = "\n".join([plan.rewrite_links(section.body[lang].strip(), page, html=False), "",
                              *(_callout(plan, page, callout, lang) for callout in section.callouts)])
            md.append(_elsewhere(section.countries, body, lang, section.title[lang]))
            continue
        md += [f"## {_inline(section.title[lang])}", "",
               plan.rewrite_links(section.body[lang].strip(), page, html=False), ""]
        md += [_callout(plan, page, callout, lang) for callout in section.callouts if not callout.folded]
        folded = [callout for callout in section.callouts if callout.folded]
        if folded:  # the other countries' callouts, under one "Elsewhere" at the end of the section
            countries = sorted({code for callout in folded for code in callout.countries or ()})
            md.append(_elsewhere(countries, "\n".join(_callout(plan, page, c, lang) for c in folded), lang))
    for scenario in lesson.scenarios:
        text = _scenario(plan, page, scenario, lang)
        md.append(_elsewhere(scenario.countries, text, lang) if scenario.folded else text)
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


def _elsewhere(countries: Sequence[str] | None, body: str, lang: str, title: str = "") -> str:
    """Content for other countries than the deployment's, collapsed (builder/countries.py, `fold`)."""
    heading = labels_for(lang)["elsewhere"].format(countries=country_names(countries or [], lang))
    return _admonition("note", f"{heading} — {title}" if title else heading, body, collapsible=True)


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
    md = [f"# {_inline(quiz.title[lang])}", ""]
    if quiz.intro:
        md += [plan.rewrite_links(quiz.intro[lang].strip(), page, html=False), ""]
    # As the default path asks it (learning-paths.js says it again for the learner's own path)
    pool = plan.default_path.pools.get(quiz.id)
    bank, draw = (len(pool.questions), pool.draw) if pool else (len(quiz.questions), quiz.draw)
    md.append(quiz_intro(quiz, bank, draw, lang))
    return "\n".join(md) + "\n"


def quiz_intro(quiz: Quiz, bank: int, draw: int | None, lang: str) -> str:
    """"5 questions. Passing score: 80%. Unlimited attempts.": what a quiz page says it asks
    (also of a path's package, builder/path_pages.py), worded for the number."""
    passing = format_number(quiz.passing_score, lang)
    asked = (counted("exam_intro", draw, lang).format(draw=draw, bank=bank, passing=passing) if draw and draw < bank
             else counted("quiz_intro", bank, lang).format(count=bank, passing=passing))
    attempts = (counted("attempts_limited", quiz.attempts, lang).format(n=quiz.attempts) if quiz.attempts
                else labels_for(lang)["attempts_unlimited"])
    return f"{asked} {attempts}"


@dataclass(frozen=True)
class NextStep:
    """Where a learner goes once a lesson, a quiz or the exam is done: a course reads in one line."""

    kind: str  # lesson | quiz | module | exam | certificate: which words introduce it
    page: PageSpec


def next_step(plan: SitePlan, page: PageSpec, path: PathPlan | None = None) -> NextStep | None:
    """The page after `page` in reading order: next lesson, the module's quiz, the next module, the
    exam, then the certificate; on a path's way, when given (the site's pages follow the default
    path, progress.js the learner's own): from a page outside it, the way back, the path's first
    page after this one. The HR page is not on the learner's way."""
    if page.kind not in ("lesson", "quiz", "exam"):
        return None
    way = [p for p in plan.pages if p.kind in ("lesson", "quiz", "exam", "certificate")]
    after = next(p for p in way[way.index(page) + 1:]  # the certificate always ends the way
                 if path is None or plan.in_path(p, path))
    if after.kind == "lesson":
        return NextStep("lesson" if after.module == page.module else "module", after)
    return NextStep(after.kind, after)


def next_step_title(plan: SitePlan, step: NextStep, lang: str) -> str:
    """What the next step is called: a module by its title when the learner enters it."""
    if step.kind == "module":
        module = next(m for m in plan.project.course.modules if m.id == step.page.module)
        return module.title[lang]
    if step.kind == "certificate":
        return labels_for(lang)["certificate_title"]
    return raw_title(plan, step.page, lang)


def _lms(plan: SitePlan, lang: str) -> str:
    # The packages sit at the site's root, beside the default language's pages
    up = "" if lang == plan.project.languages[0] else "../"
    return lms_page_markdown(lang, plan.packages, plan.project.languages, up)


# --------------------------------------------------------------------------- data for the browser


def course_data(plan: SitePlan, page: PageSpec, lang: str, paths: Sequence[PathPlan] | None = None,
                choose: bool | None = None) -> dict[str, Any]:
    """What progress.js and quiz.js need on every page: the course outline with links from this
    page, and the learning paths offered (the default first), which every display follows.

    `paths` and `choose` narrow the offer: a package holds ONE path, without a choice."""
    project = plan.project
    course = project.course
    offered = list(plan.paths if paths is None else paths)
    choose = learners_choose(project) if choose is None else choose

    def text(value: str) -> str:  # titles are inserted as text, typeset here like the pages
        return typeset_text(value, lang)

    def url(ref_or_path: str) -> str:
        target = plan.by_ref[ref_or_path].html if ref_or_path in plan.by_ref else ref_or_path
        return plan.relative(target, page)

    modules = []
    for module in course.modules:
        quiz = project.quizzes.get(module.quiz or "")
        modules.append({
            "id": module.id,
            "title": text(module.title[lang]),
            "url": url(module.lessons[0]),
            "meta": _module_meta(plan, module.lessons, lang),  # its card, outside a path that takes it in part
            "lessons": [{"id": i, "title": text(project.lessons[i].title[lang]), "url": url(i)}
                        for i in module.lessons if i in project.lessons],
            "quiz": {"id": quiz.id, "title": text(quiz.title[lang]), "url": url(quiz.id),
                     "passing_score": quiz.passing_score} if quiz else None,
        })
    exam = None
    if course.final_exam and course.final_exam.quiz in project.quizzes:
        quiz = project.quizzes[course.final_exam.quiz]
        exam = {"id": quiz.id, "title": text(quiz.title[lang]), "url": url(quiz.id),
                "passing_score": quiz.passing_score, "after_modules": course.final_exam.after_modules}
    brand = organisation_brand(project, lang)
    labels = labels_for(lang)
    if any(path.declared for path in offered):  # the percentages shown are the learner's path's
        labels = {**labels, **{key: labels[f"{key}_path"] for key in ("overall", "trail", "trail_label")}}
    return {
        "id": course.id, "version": course.version, "lang": lang, "title": text(course.title[lang]),
        # the certificate's issuer: the organisation's name, else course.yml's publisher
        "organisation": brand["name"] or course.organisation or "",
        "logo": url(brand["logo"]) if brand["logo"] else "",
        "modules": modules, "final_exam": exam,
        "paths": [path_data(plan, path, lang) for path in offered],
        "default_path": offered[0].id if offered else None,
        "learners_choose": choose and len(offered) > 1,
        "pages": {"home": url("index.html"), "certificate": url("certificate.html")},
        "labels": labels,
    }


def path_data(plan: SitePlan, path: PathPlan, lang: str) -> dict[str, Any]:
    """One learning path for the browser: what it holds, the questions each of its quizzes asks,
    and what the home and the certificate say of it (its length, its facts, each module's, a
    module taken in part), worded here once."""
    labels = labels_for(lang)
    description = path.description.get(lang, "") if path.description else ""
    title = typeset_text(path.title.get(lang, path.id), lang)
    held = _count(len(path.lessons), "lesson", lang)
    partial = any(plan.module_size(m.id) > len(m.lessons) for m in path.modules)

    def part(module: PathModule) -> str:  # "part of the module: 2 lessons of 4", or nothing
        total = plan.module_size(module.id)
        count = _count(len(module.lessons), "lesson", lang)
        return labels["module_part"].format(lessons=count, total=total) if total > len(module.lessons) else ""

    return {
        "id": path.id, "title": title,
        "description": typeset_text(description, lang), "minutes": path.minutes,
        "duration": duration_text(path.minutes, lang), "facts": _path_facts(plan, path, lang),
        "declared": path.declared,  # False: the whole course, a course without `paths:`
        "modules": [{"id": m.id, "lessons": list(m.lessons), "quiz": m.quiz, "part": part(m),
                     "meta": _module_meta(plan, m.lessons, lang, plan.module_size(m.id))} for m in path.modules],
        # what the certificate says it certifies: the path, its lessons and time, not "the course"
        "certificate": labels["certificate_path"].format(path=title, lessons=held,
                                                         time=duration_text(path.minutes, lang)),
        "covered": labels["certificate_covered" if partial else "certificate_modules"],
        "partial": partial,  # a module taken in part: the certificate names the path, not the course
        "exam": path.exam,
        "quizzes": {quiz_id: {"questions": list(pool.questions), "draw": pool.draw}
                    for quiz_id, pool in path.pools.items()},
    }


def organisation_brand(project: CourseProject, lang: str) -> dict[str, str]:
    """Who deploys the course, as the cover, the header and the certificate show it: the
    organisation file's name and logo, a course image (`images/NAME`, published beside each
    language's pages). Empty without an organisation file."""
    org = project.organisation
    name = text_in(org.name, lang) if org and org.name else ""
    return {"name": typeset_text(name, lang), "logo": org.logo if org and org.logo else ""}


COURSE_SCRIPT = "bonsens-course.js"  # at the root of each language's pages


def course_script(plan: SitePlan, lang: str, paths: Sequence[PathPlan] | None = None,
                  learners_choose: bool | None = None) -> bytes:
    """The course outline as a script, one file per language that every page loads (and caches).

    Its links are relative to the language's root; progress.js adds each page's way up to it.
    A package asks for its one path: `course_script(plan, lang, paths=[path], learners_choose=False)`.
    """
    home = plan.pages[0]
    data = course_data(plan, home, lang, paths, learners_choose)
    return f"window.BonSensCourse = {json_for_script(data)};\n".encode()


def quiz_data(plan: SitePlan, page: PageSpec, quiz: Quiz, lang: str) -> dict[str, Any]:
    """A quiz for the player: texts as sanitised HTML, answers in the player's terms."""
    return {
        "id": quiz.id, "title": typeset_text(quiz.title[lang], lang), "passing_score": quiz.passing_score,
        "attempts": quiz.attempts, "shuffle_questions": quiz.shuffle_questions,
        "shuffle_choices": quiz.shuffle_choices, "draw": quiz.draw, "is_exam": page.kind == "exam",
        "questions": [question_data(plan, page, q, lang) for q in quiz.questions],
    }


def question_data(plan: SitePlan, page: PageSpec, question: Question, lang: str) -> dict[str, Any]:
    """A question for the player: every text sanitised and typeset for its language."""
    def html(text: dict[str, str] | None) -> str | None:
        return _quiz_html(plan.rewrite_links(text[lang], page, html=True), lang) if text else None

    def inline(text: dict[str, str]) -> str:
        return typeset_html(inline_markdown_to_safe_html(text[lang]), lang)

    prompt = _quiz_html(_question_apart(plan.rewrite_links(question.prompt[lang], page, html=True)), lang)
    data: dict[str, Any] = {"id": question.id, "type": question.type, "prompt_html": prompt,
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


@lru_cache(maxsize=8192)
def _quiz_html(markdown_text: str, lang: str) -> str:
    return typeset_html(markdown_to_safe_html(markdown_text), lang)


# Where a sentence ends and the next begins: ". Que", "? Quelle", ". « Deux" (not "? (plusieurs")
SENTENCE_BREAK = re.compile(r"[.!?…](?:[ \u00a0\u202f]?[»”\")])*[ \t]*\n?[ \t]*(?=[«“\"]?\s*[A-ZÀ-ÖØ-Þ])")
ABBREVIATIONS = {"m", "mm", "mme", "mlle", "dr", "me", "pr", "st", "ste", "art", "etc", "cf", "p", "pp", "n°",
                 "vol", "chap", "mr", "mrs", "ms", "no", "vs", "ex", "env", "e.g", "i.e", "al"}
PARAGRAPH_BREAK = re.compile(r"\s*</p>\s*<p>\s*")


def _question_apart(prompt: str) -> str:
    """A scenario's question in a paragraph of its own, after the situation told in plain text.

    The player emphasises a prompt's last paragraph, the question (bonsens.css): a prompt that
    tells a situation and then asks, in one paragraph, would otherwise be set entirely in bold.
    Its last sentence moves to a paragraph of its own only when that changes nothing else: the
    split renders to the same HTML but for the paragraph break, and no quotation is cut in two.
    """
    prompt = prompt.strip()
    if "\n\n" in prompt:  # paragraphs already: the author's last one is the question
        return prompt
    for match in reversed(list(SENTENCE_BREAK.finditer(prompt))):
        before, ask = prompt[:match.start()], prompt[match.end():]
        words = before.split()
        word = words[-1].lower() if words else ""
        abbreviation = word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())  # "M. Roy", "art. 9"
        if abbreviation or ask.count("«") != ask.count("»") or ask.count('"') % 2:
            continue
        split = f"{prompt[:match.end()].rstrip()}\n\n{ask}"
        if _one_line(markdown_to_safe_html(split)) == _one_line(markdown_to_safe_html(prompt)):
            return split
        break
    return prompt


def _one_line(html: str) -> str:
    return re.sub(r"\s+", " ", PARAGRAPH_BREAK.sub(" ", html))


def choice_id(index: int) -> str:
    """a, b, … z, then a0, b0 …: single characters where SCORM 1.2 needs them."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index % 26] + (str(index // 26 - 1) if index >= 26 else "")
