"""Lesson and quiz pages that read like a course: the next step, a table of contents only where it
helps, a readable measure, search per language, and the same course inside an LMS frame."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.loader import require_project
from builder.pages import SitePlan, home_html, next_step, next_step_title
from tests.browser import static_server, watch, watched_tab
from tests.learner import answer_quiz

REPO = Path(__file__).parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini"
CHROMIUM = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")


# --------------------------------------------------------------------------- the next step


def test_next_step_follows_the_course_in_reading_order() -> None:
    plan = SitePlan(require_project(REPO))
    course = plan.project.course
    steps = {page.path: next_step(plan, page) for page in plan.pages}
    first, second = course.modules[0], course.modules[1]
    lessons = [plan.by_ref[lesson] for lesson in first.lessons]
    for here, there in zip(lessons, lessons[1:], strict=False):
        step = steps[here.path]
        assert step is not None and (step.kind, step.page) == ("lesson", there)
    last = steps[lessons[-1].path]
    assert last is not None and (last.kind, last.page) == ("quiz", plan.by_ref[first.quiz or ""])
    after_quiz = steps[plan.by_ref[first.quiz or ""].path]
    assert after_quiz is not None and (after_quiz.kind, after_quiz.page) == ("module", plan.by_ref[second.lessons[0]])
    assert next_step_title(plan, after_quiz, "fr") == second.title["fr"]
    final = course.modules[-1]
    before_exam = steps[plan.by_ref[final.quiz or ""].path]
    assert before_exam is not None and before_exam.kind == "exam"
    exam = steps[plan.by_ref[course.final_exam.quiz].path] if course.final_exam else None
    assert exam is not None and (exam.kind, exam.page.kind) == ("certificate", "certificate")
    assert all(steps[page.path] is None for page in plan.pages if page.kind not in ("lesson", "quiz", "exam"))


# --------------------------------------------------------------------------- the cover


def test_the_cover_says_what_the_learner_will_be_able_to_do(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    course_yml = root / "course" / "course.yml"
    text = course_yml.read_text(encoding="utf-8")
    assert "outcomes:" not in text
    plan = SitePlan(require_project(root))
    home = plan.pages[0]
    assert "bs-home-outcomes" not in home_html(plan, home, "fr")  # none declared: no empty heading
    course_yml.write_text(text.replace("\nmodules:", "\noutcomes:\n  - fr: Repérer un <b>piège</b>.\n"
                                       "    en: Spot a <b>trap</b>.\nmodules:", 1), encoding="utf-8")
    plan = SitePlan(require_project(root))
    french, english = home_html(plan, home, "fr"), home_html(plan, home, "en")
    assert "À la fin du cours, vous saurez\u202f:" in french
    assert "<li>Repérer un &lt;b&gt;piège&lt;/b&gt;.</li>" in french
    assert "By the end of the course, you will be able to:" in english
    assert "<li>Spot a &lt;b&gt;trap&lt;/b&gt;.</li>" in english
    assert french.index("bs-home-outcomes") < french.index("bs-home-start")  # the promise, then the button
    assert len(require_project(REPO).course.outcomes) >= 3  # the real course makes its promise too


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from click.testing import CliRunner

    from builder.cli import main

    root = tmp_path_factory.mktemp("look") / "mini"
    shutil.copytree(MINI, root)
    result = CliRunner().invoke(main, ["build", str(root), "--site", "--quiet"])
    assert result.exit_code == 0, result.output
    with static_server(root / "site") as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with watched_tab(browser) as tab:
        yield tab


def next_button(page: Any) -> Any:
    return page.locator("nav.bs-next a.bs-button")


@CHROMIUM
@pytest.mark.parametrize(("path", "words", "target"), [
    ("m1/l1.html", "Leçon suivante Deuxième leçon", "m1/l2.html"),
    ("m1/l2.html", "Quiz du module", "m1/q1.html"),
    ("m1/q1.html", "Examen final", "final-exam/exam.html"),
    ("final-exam/exam.html", "Votre certificat Certificat de réussite", "certificate.html"),
    ("en/m1/l1.html", "Next lesson Second lesson", "en/m1/l2.html"),
    ("en/final-exam/exam.html", "Your certificate Certificate of completion", "en/certificate.html"),
])
def test_every_lesson_and_quiz_ends_with_the_way_on(page: Any, mini_site: str, path: str, words: str,
                                                     target: str) -> None:
    page.goto(mini_site + path)
    button = next_button(page)
    assert button.count() == 1
    assert " ".join(button.inner_text().split()) == words
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 200  # a button, not a link lost in the text
    # after everything the page says, the mark-as-read block included
    assert page.evaluate("""() => {
        const article = document.querySelector('article');
        const nav = article.querySelector('nav.bs-next');
        return [...article.querySelectorAll('p, .bs-lesson-end, .bs-quiz')]
            .every(el => el.compareDocumentPosition(nav) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    button.click()
    page.wait_for_url(mini_site + target)
    assert page.log.page_errors == [] and page.log.console_errors == []


@CHROMIUM
def test_a_passed_quiz_offers_its_way_on_once(page: Any, mini_site: str) -> None:
    page.goto(mini_site + "m1/q1.html")
    assert next_button(page).is_visible()
    answer_quiz(page, correct=True)
    ways_on = page.locator("a.bs-button:visible", has_text="Examen final")
    assert ways_on.count() == 2  # the result's and the one under the questions, not a third
    assert next_button(page).is_hidden()


# --------------------------------------------------------------------------- less of a documentation site


@CHROMIUM
def test_table_of_contents_only_where_it_helps(page: Any, mini_site: str) -> None:
    for path in ("m1/l1.html", "m1/q1.html", "final-exam/exam.html", "certificate.html", "index.html"):
        page.goto(mini_site + path)
        assert page.locator(".md-sidebar--secondary").get_attribute("hidden") is not None, path
        assert page.locator("article .headerlink").count() == 0, path  # no ¶ after every heading


def test_a_lesson_of_many_sections_keeps_its_table_of_contents() -> None:
    from builder.mkdocs_plugin import TOC_MIN_SECTIONS, _wants_toc

    project = require_project(REPO)
    plan = SitePlan(project)
    lessons = [page for page in plan.pages if page.kind == "lesson"]
    long = [p for p in lessons if len(project.lessons[p.ref or ""].sections) >= TOC_MIN_SECTIONS]
    short = [p for p in lessons if len(project.lessons[p.ref or ""].sections) < TOC_MIN_SECTIONS]
    assert long and short
    assert all(_wants_toc(project, p) for p in long) and not any(_wants_toc(project, p) for p in short)


@CHROMIUM
@pytest.mark.parametrize("width", [1280, 1600])
def test_lines_are_of_a_readable_length_and_headings_lead(browser: Any, mini_site: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(mini_site + "m1/l1.html")
    # a long paragraph of ordinary words, measured in characters per line
    per_line = page.evaluate("""() => {
        const p = document.createElement('p');
        p.textContent = 'Un salarié qui publie sur un réseau social parle aussi pour son employeur. '.repeat(12);
        document.querySelector('article h1').after(p);
        const lines = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
        return p.textContent.length / lines;
    }""")
    assert 55 <= per_line <= 85, per_line
    styles = page.evaluate("""() => ['article h1', 'article h2', 'article'].map(selector => {
        const style = getComputedStyle(document.querySelector(selector));
        return [parseInt(style.fontWeight, 10), style.color, parseFloat(style.fontSize)];
    })""")
    (h1_weight, h1_colour, h1_size), (h2_weight, h2_colour, h2_size), (_, text_colour, text_size) = styles
    assert h1_weight >= 700 and h2_weight >= 700
    assert h1_colour == text_colour == h2_colour  # not the theme's light grey
    assert h1_size > h2_size > text_size * 1.2
    context.close()


# --------------------------------------------------------------------------- search per language


def search(page: Any, words: str) -> list[str]:
    """Search as a learner does, from the header; return the results' addresses."""
    field = page.locator("input.md-search__input")
    field.click()
    # Material says it is ready to search (its index loaded) with the placeholder of its results
    page.wait_for_function("""() => document.querySelector('.md-search-result__meta').textContent ===
        JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']""")
    field.press_sequentially(words)
    page.locator(".md-search-result__item").first.wait_for()
    return page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")


@CHROMIUM
def test_search_finds_pages_of_the_language_being_read(page: Any, mini_site: str) -> None:
    page.goto(mini_site + "m1/l1.html")
    french = search(page, "quiz")
    assert french and all(not link.startswith(mini_site + "en/") for link in french), french
    assert any(link.startswith(mini_site + "m1/q1.html") for link in french)
    page.goto(mini_site + "en/m1/l1.html")
    english = search(page, "quiz")
    assert english and all(link.startswith(mini_site + "en/") for link in english), english
    assert any(link.startswith(mini_site + "en/m1/q1.html") for link in english)
    page.locator(".md-search-result__item > a").first.click()  # a result opens its page
    page.wait_for_load_state("load")
    assert page.url.startswith(mini_site + "en/") and page.locator("html").get_attribute("lang") == "en"
    assert page.log.page_errors == [] and page.log.console_errors == []
    outside = [url for url in page.log.requests if not url.startswith(mini_site)]
    assert outside == []


# --------------------------------------------------------------------------- inside an LMS frame


@pytest.fixture(scope="module")
def lms_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.test_scorm_runtime import build_course, lms_root

    base = tmp_path_factory.mktemp("frame")
    mini = build_course({"course": MINI / "course", "quizzes": MINI / "quizzes"}, base / "mini")
    with static_server(lms_root(base / "web", [mini])) as url:
        yield url


def ways_out(frame: Any) -> list[str]:
    """Every visible link of the page in the SCO's frame that leads out of the SCO's pages (an
    external link must open a new tab), and every visible control that cannot work there."""
    return frame.evaluate("""() => {
        const config = JSON.parse(window.parent.document.getElementById('bs-sco').textContent);
        const pages = new Set(config.pages.map(p => new URL(p, window.parent.location.href).href));
        const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
            && getComputedStyle(el).visibility !== 'hidden';
        const out = [];
        for (const a of document.querySelectorAll('a[href]')) {
            if (!visible(a) || a.getAttribute('href').startsWith('#')) continue;
            const url = new URL(a.href);
            if (url.origin !== location.origin) { if (a.target !== '_blank') out.push('same tab: ' + a.href); }
            else if (!pages.has(url.href.split('#')[0]) && url.pathname.endsWith('.html')) out.push(a.href);
        }
        const controls = '.md-search, .md-select, [data-md-component=top], [href$="lms.html"]';
        for (const el of document.querySelectorAll(controls))
            if (visible(el)) out.push(el.className || el.tagName);
        return out;
    }""")


def overlaps(frame: Any) -> list[str]:
    """Fixed or sticky things of the page that cover a control of the content."""
    return frame.evaluate("""() => {
        const found = [];
        const header = document.querySelector('header');
        const below = header ? header.getBoundingClientRect().bottom : 0;  // what scrolls under it is not covered
        for (const el of document.querySelectorAll('article a, article button, article input, article select')) {
            const r = el.getBoundingClientRect();
            if (!r.width || !r.height || r.top < below || r.top > innerHeight) continue;
            const x = r.left + r.width / 2, y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
            const hit = document.elementFromPoint(x, y);
            if (hit && !el.contains(hit) && !hit.contains(el) && hit.closest('header, .md-top, .md-dialog'))
                found.push(el.outerHTML.slice(0, 80) + ' under ' + hit.className);
        }
        return found;
    }""")


@CHROMIUM
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_same_course_inside_an_lms_frame_with_no_way_out(browser: Any, lms_url: str, lang: str) -> None:
    from tests.test_scorm_runtime import Session

    context = browser.new_context(viewport={"width": 1024, "height": 700})
    tab = context.new_page()
    tab.log = watch(tab)
    tab.goto(lms_url + "lms.html")
    prefix = "" if lang == "fr" else "en/"
    one = Session(tab, lms_url, f"mini-course-1.0.0-{lang}-scorm12", "course", "1.2")
    for path in ("index.html", "m1/l1.html", "m1/l2.html", "m1/q1.html", "final-exam/exam.html", "certificate.html"):
        one.goto(prefix + path)
        frame = one.content()
        assert ways_out(frame) == [], path
        for position in (0, 10_000):  # at the top, and scrolled to the end where the way on is
            frame.evaluate(f"window.scrollTo(0, {position})")
            assert overlaps(frame) == [], path
        assert frame.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
        if path not in ("index.html", "certificate.html"):
            assert frame.locator("nav.bs-next a.bs-button").is_visible(), path
    frame = one.content()
    one.goto(prefix + "m1/l1.html")
    one.content().locator("nav.bs-next a.bs-button").click()  # the way on works inside the SCO
    one.wait_for_page(prefix + "m1/l2.html")
    assert frame is not None and tab.log.page_errors == []
    context.close()


@CHROMIUM
def test_a_module_sco_keeps_the_way_on_to_its_own_pages(browser: Any, lms_url: str) -> None:
    from tests.test_scorm_runtime import Session

    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(lms_url + "lms.html")
    one = Session(tab, lms_url, "mini-course-1.0.0-fr-scorm2004-multisco", "m1", "2004")
    one.goto("m1/l2.html")
    assert ways_out(one.content()) == []
    assert one.content().locator("nav.bs-next a.bs-button").is_visible()  # the module's quiz: this SCO's
    one.goto("m1/q1.html")
    assert ways_out(one.content()) == []  # the exam is another SCO's: its way is the LMS's
    assert one.content().locator("nav.bs-next a.bs-button").is_hidden()
    assert overlaps(one.content()) == []
    context.close()
