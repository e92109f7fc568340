"""WCAG 2.2 AA on every page type of the real course, in both colour schemes and both languages.

axe-core with the WCAG 2.2 tags finds nothing serious or critical; and what axe cannot judge is
checked by working the pages: targets of at least 24 × 24 px (2.5.8), focus never hidden under the
sticky header (2.4.11), no drag-only interaction (2.5.7), and a skip link that takes a keyboard
user to the first answer of a quiz in a few key presses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.browser import static_server, watch
from tests.learner import answer_quiz
from tests.test_site import AXE, copy_course

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")

WCAG22 = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = {  # one page of each type, by its path in the default language
    "home": "index.html",
    "lesson": "m1-privacy/m1-settings-and-traces.html",
    "quiz": "m1-privacy/quiz-m1.html",
    "quiz answered": "m1-privacy/quiz-m1.html",
    "exam": "final-exam/final-exam.html",
    "certificate": "certificate.html",
    "hr": "lms.html",
}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_course(tmp_path_factory.mktemp("wcag22"))
    result = CliRunner().invoke(main, ["build", str(root), "--site", "--quiet"])
    assert result.exit_code == 0, result.output
    with static_server(root / "site") as url:
        yield url


def new_page(browser: Any, width: int = 1280, height: int = 900, **options: Any) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.log = watch(page)
    return page


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
@pytest.mark.parametrize("kind", list(PAGES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_nothing_serious_under_wcag_22(browser: Any, site_url: str, kind: str, scheme: str,
                                                 lang: str) -> None:
    page = new_page(browser)
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + ("" if lang == "fr" else "en/") + PAGES[kind])
    slate = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert slate == ("slate" if scheme == "dark" else "default")
    if kind == "quiz answered":
        answer_quiz(page, correct=False)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                            "resultTypes: ['violations']})", WCAG22)
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.context.close()


# --------------------------------------------------------------------------- 2.5.8 target size

SMALL_TARGETS = """() => {
    // Controls we add and the quiz's: each at least 24 x 24 px, or (a choice's radio or checkbox)
    // inside a row that is its click target and is that big. Links inside running text are exempt.
    const small = [];
    const controls = document.querySelectorAll(
        '.bs-root button, .bs-root select, .bs-root input, .bs-root a.bs-button, .bs-root summary, ' +
        'article summary, .md-skip, .md-header__button, .md-search__input');
    for (const el of controls) {
        const r = el.getBoundingClientRect();
        if (!r.width && !r.height) continue;  // not shown
        const row = el.matches('input[type=radio], input[type=checkbox]') ? el.closest('.bs-choice') : el;
        const box = (row || el).getBoundingClientRect();
        if (box.width < 24 || box.height < 24)
            small.push(`${el.outerHTML.slice(0, 70)}: ${box.width.toFixed(0)}x${box.height.toFixed(0)}`);
    }
    return small;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_every_target_we_add_is_at_least_24_px(browser: Any, site_url: str, width: int) -> None:
    page = new_page(browser, width, is_mobile=width < 500, has_touch=width < 500)
    for path in ("m1-privacy/m1-settings-and-traces.html", "m3-reputation/quiz-m3.html", "index.html",
                 "certificate.html"):
        page.goto(site_url + path)
        page.locator("details").first.evaluate("d => { d.open = true; }") if page.locator("details").count() else None
        assert page.evaluate(SMALL_TARGETS) == [], path
        if "quiz" in path:
            answer_quiz(page, correct=False)  # the review: retry, next, feedback
            assert page.evaluate(SMALL_TARGETS) == [], path
    page.context.close()


# --------------------------------------------------------------------------- 2.4.11 focus not obscured

HIDDEN_FOCUS = """async () => {
    // The focused element is hidden when no point of it in the viewport shows it: all of it is
    // under the sticky header or out of sight, once the browser has finished scrolling it into
    // view (smooth scrolling moves it over a few frames: judged when it stops moving).
    // A visually hidden input (Material's scheme toggle) shows its focus on its label. While
    // Material's search is open, or closing, it covers the page by design (a dialog): not judged here.
    const SEARCH_LAYER = '.md-search__overlay, .md-search__output';
    const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    for (let i = 0, before = null; i < 60; i++) {
        const now = document.activeElement.getBoundingClientRect().top;
        if (now === before) break;
        before = now;
        await frame();
    }
    // what has focus now (a "mark as read" button is replaced once the lesson's end is in view)
    const el = document.activeElement;
    if (!el || el === document.body || document.getElementById('__search').checked) return null;
    if (el.closest('.md-header')) return null;  // the sticky header's own controls are always in view
    const shown = [el, ...(el.labels || [])];
    for (const part of shown) {
        const r = part.getBoundingClientRect();
        for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.1, 0.5, 0.9]) {
            const x = r.left + r.width * fx, y = r.top + r.height * fy;
            if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
            const hit = document.elementFromPoint(x, y);
            if (hit && (shown.some(s => s.contains(hit) || hit.contains(s)) || hit.closest(SEARCH_LAYER)))
                return null;
        }
    }
    return el.outerHTML.slice(0, 100);
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["m1-privacy/m1-settings-and-traces.html", "m2-discretion/quiz-m2.html"])
def test_focus_is_never_hidden_under_the_header(browser: Any, site_url: str, width: int, path: str) -> None:
    page = new_page(browser, width, 700)
    page.goto(site_url + path)
    page.locator("article").click(position={"x": 1, "y": 1})  # start in the content, as a reader does
    hidden: list[str] = []
    for key in ["Tab"] * 40 + ["Shift+Tab"] * 40:  # forward, then back up: the header is above
        page.keyboard.press(key)
        found = page.evaluate(HIDDEN_FOCUS)
        if found:
            hidden.append(f"{key}: {found}")
    assert hidden == []
    page.context.close()


# --------------------------------------------------------------------------- skip link, 2.5.7 dragging


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_skip_link_reaches_the_first_answer_in_a_few_key_presses(browser: Any, site_url: str, lang: str) -> None:
    page = new_page(browser)
    page.goto(site_url + ("" if lang == "fr" else "en/") + "m1-privacy/quiz-m1.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.md-skip')")
    assert page.evaluate("document.activeElement.getBoundingClientRect().height") >= 24  # shown when focused
    page.keyboard.press("Enter")
    first_question = page.locator("fieldset.bs-question").first
    page.keyboard.press("Tab")  # Tab, Enter, Tab: the first answer
    assert first_question.evaluate("q => q.contains(document.activeElement) && "
                                   "document.activeElement.matches('input, select, button')")
    page.keyboard.press("Space")  # and it answers
    assert first_question.locator("input:checked").count() == 1 or first_question.locator("select").count()
    page.context.close()


def test_ordering_is_done_with_buttons_not_dragging(browser: Any, site_url: str) -> None:
    page = new_page(browser, 390, 844, is_mobile=True, has_touch=True)
    page.goto(site_url + "m1-privacy/quiz-m1.html")
    assert page.locator("[draggable=true]").count() == 0
    orderings = page.locator("fieldset.bs-question--ordering")
    assert orderings.count() >= 1
    items = orderings.first.locator(".bs-order-item")
    first = items.first.get_attribute("data-item-id")
    items.first.locator("button.bs-move").last.tap()  # one tap moves it down: no drag needed
    assert items.nth(1).get_attribute("data-item-id") == first
    page.context.close()
