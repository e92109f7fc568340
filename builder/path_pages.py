"""A learning path's pages for its packages: the language's LMS pages reduced to the path.

mkdocs renders the whole course once per language; a path's package takes those pages rather
than a render of its own (a path build then costs a fraction of a full one). What a page says
about the course around it is rewritten here for the path, from the path's course
(builder.paths.path_project) and the same functions the site uses (builder.pages):

- pages of lessons and quizzes the path does not hold are left out, and so is every way to them:
  navigation entries (a module entered in part leads to its first lesson in the path), the
  footer's previous/next, the next step, links in the text (kept as words);
- the home page's outline, facts and Start button are the path's;
- a quiz page's data holds only the questions the path asks (its pool) and the path's draw, and
  its introduction says so; the course script (`bonsens-course.js`) carries this one path.

Every other file is the language's own, the same bytes, so it is deflated once for all paths.
"""

from __future__ import annotations

import json
import posixpath
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

from lxml import html as lxml_html

from builder.labels import labels_for
from builder.markdown_safe import json_for_script
from builder.packages.content import PackageContent
from builder.pages import (
    COURSE_SCRIPT,
    HR_KINDS,
    PageSpec,
    SitePlan,
    course_script,
    home_html,
    next_step,
    next_step_title,
    quiz_intro,
    raw_title,
)
from builder.paths import PathPlan, path_project
from builder.project import CourseProject
from builder.typography import typeset_html, typeset_text

NAV = '//nav[contains(@class, "md-nav--primary")]'
FOOTER_LINK = '//a[contains(@class, "md-footer__link--{}")]'


@dataclass(frozen=True)
class PathPages:
    """One path's pages in one language: which pages it keeps, and the plans to rewrite them."""

    whole: SitePlan  # the course as mkdocs rendered it
    path: SitePlan  # the course as the path's learners receive it
    plan: PathPlan
    lang: str
    prefix: str

    @cached_property
    def kept(self) -> list[PageSpec]:
        """The path's pages in reading order, the learner's way (no HR page)."""
        return [page for page in self.path.pages if page.kind not in HR_KINDS]

    @cached_property
    def dropped(self) -> set[str]:
        held = {page.path for page in self.kept}
        return {page.html for page in self.whole.pages if page.kind not in HR_KINDS and page.path not in held}

    def module_entry(self, module_id: str) -> str | None:
        """Where a module's navigation entry leads in the path: its first page there."""
        return next((page.html for page in self.kept if page.module == module_id), None)


def path_content(project: CourseProject, plan: PathPlan, content: PackageContent) -> PackageContent:
    """The language's adapted pages (`content`) reduced to one path: the path package's files."""
    if not plan.declared:
        return content
    reduced = path_project(project, plan)
    pages = PathPages(SitePlan(project), SitePlan(reduced, whole=project), plan, content.lang, content.prefix)
    files = {name: data for name, data in content.files.items()
             if not (name.startswith(content.prefix) and name[len(content.prefix):] in pages.dropped)}
    specs = {content.prefix + page.html: page for page in pages.kept}
    names = [name for name in files if name in specs]
    with ThreadPoolExecutor(max_workers=max(1, content.threads)) as pool:  # lxml releases the GIL
        rewritten = list(pool.map(lambda name: _page(pages, specs[name], files[name]), names))
    files.update(zip(names, rewritten, strict=True))
    files[content.prefix + COURSE_SCRIPT] = course_script(pages.path, content.lang, paths=[plan],
                                                          learners_choose=False)
    return PackageContent(content.lang, content.prefix, files, content.threads, plan)


# --------------------------------------------------------------------------- one page


def _page(pages: PathPages, spec: PageSpec, data: bytes) -> bytes:
    tree = lxml_html.document_fromstring(data)
    _navigation(pages, spec, tree)
    _footer(pages, spec, tree)
    _next_step(pages, spec, tree)
    _text_links(pages, spec, tree)
    if spec.kind == "home":
        _home(pages, spec, tree)
    elif spec.kind in ("quiz", "exam"):
        _quiz(pages, spec, tree)
    return lxml_html.tostring(tree, doctype="<!doctype html>", encoding="utf-8")


def _target(spec: PageSpec, href: str) -> str | None:
    """The page a relative link of `spec` leads to, as a path from the language's root."""
    if not href or href.startswith(("#", "/")) or ":" in href.split("/")[0]:
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(spec.path), href.split("#")[0]))
    return None if target.startswith("..") else target


def _navigation(pages: PathPages, spec: PageSpec, tree: lxml_html.HtmlElement) -> None:
    """Only the path's entries; a module's entry (pruned: a link) leads to its first page in the path."""
    by_html = {page.html: page for page in pages.whole.pages}
    for link in tree.xpath(f"{NAV}//a[@href]"):
        target = _target(spec, link.get("href"))
        if target not in pages.dropped:
            continue
        item = next(link.iterancestors("li"), None)
        entry = pages.module_entry(by_html[target].module or "") if item is not None and \
            "md-nav__item--pruned" in (item.get("class") or "") else None
        if entry is not None:
            link.set("href", pages.path.relative(entry, spec))
        elif item is not None:
            item.getparent().remove(item)
    for section in tree.xpath(f"{NAV}//li[contains(@class, 'md-nav__item--nested')]"):
        if not section.xpath(".//a[@href]"):  # a module left without a page in the path
            section.getparent().remove(section)


def _footer(pages: PathPages, spec: PageSpec, tree: lxml_html.HtmlElement) -> None:
    """Material's previous / next at the foot of the page, in the path's order (and the head's
    <link rel=prev/next>, which its keyboard shortcuts follow)."""
    way = pages.kept
    index = way.index(spec)
    for direction, neighbour in (("prev", way[index - 1] if index else None),
                                 ("next", way[index + 1] if index + 1 < len(way) else None)):
        for link in tree.xpath(f'//head/link[@rel="{direction}"]'):
            if neighbour is None:
                link.getparent().remove(link)
            else:
                link.set("href", pages.path.relative(neighbour.html, spec))
        for link in tree.xpath(FOOTER_LINK.format(direction)):
            if neighbour is None:
                link.getparent().remove(link)
                continue
            title = raw_title(pages.path, neighbour, pages.lang)
            link.set("href", pages.path.relative(neighbour.html, spec))
            label = link.get("aria-label") or ""
            link.set("aria-label", f"{label.split(':')[0]}: {title}" if ":" in label else title)
            for holder in link.xpath('.//div[contains(@class, "md-ellipsis")]'):
                holder.text = title


def _next_step(pages: PathPages, spec: PageSpec, tree: lxml_html.HtmlElement) -> None:
    """The button at the end of a lesson or quiz: the path's next step."""
    step = next_step(pages.path, spec)
    for link in tree.xpath('//nav[contains(@class, "bs-next")]//a'):
        if step is None:
            nav = next(link.iterancestors("nav"))
            nav.getparent().remove(nav)
            continue
        labels = labels_for(pages.lang)
        kind, title = labels["next_" + step.kind], typeset_text(next_step_title(pages.path, step, pages.lang),
                                                                pages.lang)
        link.set("href", pages.path.relative(step.page.html, spec))
        for span in link.xpath('./span[contains(@class, "bs-next-kind")]'):
            span.text = kind
        for span in link.xpath('./span[contains(@class, "bs-next-title")]'):
            link.remove(span)
        if title.casefold() != kind.casefold():
            named = lxml_html.Element("span", {"class": "bs-next-title"})
            named.text = title
            link.append(named)


def _text_links(pages: PathPages, spec: PageSpec, tree: lxml_html.HtmlElement) -> None:
    """A link in the text to a page the path leaves out stays as its words."""
    for link in tree.xpath('//article//a[@href]'):
        if _target(spec, link.get("href")) in pages.dropped:
            link.drop_tag()


def _home(pages: PathPages, spec: PageSpec, tree: lxml_html.HtmlElement) -> None:
    """The cover's facts, Start button and module cards: the path's."""
    for block in tree.xpath('//div[contains(@class, "bs-home")]'):
        fresh = lxml_html.fragment_fromstring(typeset_html(home_html(pages.path, spec, pages.lang), pages.lang))
        block.getparent().replace(block, fresh)


def _quiz(pages: PathPages, spec: PageSpec, tree: lxml_html.HtmlElement) -> None:
    """A quiz asks only the path's questions (its pool), drawing as many as the path says."""
    whole = pages.whole.project.quizzes[spec.ref or ""]
    quiz = pages.path.project.quizzes[spec.ref or ""]
    kept = {question.id for question in quiz.questions}
    for script in tree.xpath('//script[contains(@class, "bs-quiz-data")]'):
        data = json.loads(script.text)
        data["questions"] = [q for q in data["questions"] if q["id"] in kept]
        data["draw"] = quiz.draw
        script.text = json_for_script(data)
    pool = pages.whole.default_path.pools.get(whole.id)  # the site's page is written for the default path
    bank, draw = (len(pool.questions), pool.draw) if pool else (len(whole.questions), whole.draw)
    before = typeset_text(quiz_intro(whole, bank, draw, pages.lang), pages.lang)
    after = typeset_text(quiz_intro(quiz, len(quiz.questions), quiz.draw, pages.lang), pages.lang)
    if before == after:
        return
    for paragraph in tree.xpath('//article//p'):
        if paragraph.text and before in paragraph.text:
            paragraph.text = paragraph.text.replace(before, after)
            break

