"""The static site, built with the real mkdocs-material and used in a real Chromium."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from builder.cli import main
from tests.browser import static_server, watch
from tests.learner import answer_quiz, quiz_data

REPO = Path(__file__).parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")


def copy_course(target: Path) -> Path:
    for name in ("course", "quizzes"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def whole_course_path(root: Path) -> None:
    """Deploy the path that holds every module, so that these tests see the whole course (the
    default path, the first declared, is shorter; paths are tested in test_paths_site.py)."""
    course = yaml.safe_load((root / "course" / "course.yml").read_text(encoding="utf-8"))
    modules = {module["id"] for module in course["modules"]}
    whole = [path["id"] for path in course.get("paths", []) if set(path.get("modules", [])) == modules]
    if whole:
        (root / "organisation.yml").write_text(f"paths: {{default: {whole[0]}}}\n", encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_course(tmp_path_factory.mktemp("course"))
    whole_course_path(root)
    result = CliRunner().invoke(main, ["build", str(root), "--site", "--quiet"])
    assert result.exit_code == 0, result.output
    return root / "site"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with static_server(built_site) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.log = watch(page)
    yield page
    context.close()


def assert_clean(page: Any, base: str) -> None:
    """No script error, no console error, nothing requested from another host."""
    assert page.log.page_errors == []
    assert page.log.console_errors == []
    outside = [url for url in page.log.requests if not url.startswith(base) and not url.startswith("data:")]
    assert outside == []


def test_home_lists_modules_with_time(page: Any, site_url: str) -> None:
    page.goto(site_url + "index.html")
    cards = page.locator("article .bs-modules > li")
    assert cards.count() >= 6  # five modules and the final exam
    assert "min" in cards.first.inner_text()
    assert re.search(r"\d\u00a0h\u00a0\d\d", page.locator(".bs-home-facts").inner_text())  # « 3 h 31 », not « 211 min »
    assert page.locator(".bs-progress").count() == 1
    assert_clean(page, site_url)


def test_lesson_page_has_every_part(page: Any, site_url: str) -> None:
    page.goto(site_url + "m1-privacy/m1-settings-and-traces.html")
    article = page.locator("article")
    assert article.locator("h1").inner_text()
    assert article.locator(".admonition.abstract").count() == 1  # objectives
    assert article.locator(".admonition.scenario").count() >= 1
    assert article.locator("details.success").count() >= 1  # debrief, revealed on demand
    assert article.locator("h2", has_text="À retenir").count() == 1
    assert article.locator("h2", has_text="Sources").count() == 1
    assert page.locator(".md-nav__link", has_text="Vie privée").count() >= 1
    assert_clean(page, site_url)


def test_lesson_read_is_kept_across_reload(page: Any, site_url: str) -> None:
    page.goto(site_url + "m0-intro/m0-debate.html")
    assert "Leçon lue" not in page.locator(".bs-lesson-end").inner_text()
    page.locator(".bs-lesson-end").scroll_into_view_if_needed()  # reaching the end marks it read
    page.locator(".bs-lesson-end", has_text="Leçon lue").wait_for()
    page.reload()
    assert "Leçon lue" in page.locator(".bs-lesson-end").inner_text()
    page.goto(site_url + "index.html")
    assert "1" in page.locator(".bs-progress").inner_text()
    state = page.evaluate("JSON.stringify(localStorage)")
    assert "m0-debate" in state
    assert_clean(page, site_url)


def test_quiz_wrong_then_right(page: Any, site_url: str) -> None:
    page.goto(site_url + "m1-privacy/quiz-m1.html")
    total = len(quiz_data(page)["questions"])
    answer_quiz(page, correct=False)
    summary = page.locator(".bs-summary")
    assert "bs-summary--failed" in summary.get_attribute("class")
    assert page.locator(".bs-verdict--ko, .bs-verdict--incorrect").count() >= total - 1
    assert page.locator(".bs-explanation").count() == total
    assert page.locator(".bs-feedback").count() >= 1
    assert page.locator("[aria-live=polite]").filter(has_text="%").count() >= 1
    page.locator(".bs-summary button", has_text="Nouvelle tentative").click()
    answer_quiz(page, correct=True)
    summary = page.locator(".bs-summary")
    assert "bs-summary--passed" in summary.get_attribute("class")
    assert "100" in summary.inner_text()
    page.reload()
    best = page.locator(".bs-quiz").inner_text().replace("\u202f", " ")  # French spacing: builder/typography.py
    assert "Votre meilleur score jusqu’ici : 100 % (Réussi)" in best
    assert_clean(page, site_url)


def test_quiz_by_keyboard_alone(page: Any, site_url: str) -> None:
    page.goto(site_url + "m2-discretion/quiz-m2.html")
    answer_quiz(page, correct=True, keyboard=True)
    assert "bs-summary--passed" in page.locator(".bs-summary").get_attribute("class")
    focused = page.evaluate("document.activeElement.className")
    assert "bs-summary-title" in focused  # focus moves to the result for screen readers
    assert_clean(page, site_url)


def test_answers_in_progress_survive_reload(page: Any, site_url: str) -> None:
    page.goto(site_url + "m1-privacy/quiz-m1.html")  # it has a fill-in question
    first = page.locator("fieldset.bs-question").first
    question_id = first.get_attribute("data-question-id")
    first.locator("input").first.check() if first.locator("input[type=radio]").count() else None
    fill = page.locator("fieldset.bs-question--fill-in input.bs-input").first
    fill.fill("mon brouillon")
    page.reload()
    assert page.locator("fieldset.bs-question").first.get_attribute("data-question-id") == question_id
    assert page.locator("fieldset.bs-question--fill-in input.bs-input").first.input_value() == "mon brouillon"
    assert_clean(page, site_url)


def test_final_exam_draws_from_the_bank_and_waits_for_modules(page: Any, site_url: str) -> None:
    page.goto(site_url + "final-exam/final-exam.html")
    assert page.locator(".bs-locked").count() == 1
    data = quiz_data(page)
    assert len(data["questions"]) >= 40 and data["draw"] == 20
    assert_clean(page, site_url)


def pass_everything(page: Any, site_url: str) -> None:
    course = page.evaluate("window.BonSensCourse")  # links from the language's root
    for module in course["modules"]:
        page.goto(site_url + module["quiz"]["url"].lstrip("./"))
        answer_quiz(page, correct=True)
    page.goto(site_url + "final-exam/final-exam.html")
    assert page.locator("fieldset.bs-question").count() == 20
    answer_quiz(page, correct=True)


def test_completing_everything_gives_a_printable_certificate(page: Any, site_url: str) -> None:
    page.goto(site_url + "certificate.html")
    assert "Terminez chaque module" in page.locator(".bs-certificate").inner_text()
    page.goto(site_url + "index.html")
    pass_everything(page, site_url)
    page.goto(site_url + "certificate.html")
    assert "Il vous reste" in page.locator(".bs-certificate").inner_text()  # the lessons are not read yet
    course = page.evaluate("window.BonSensCourse")
    page.evaluate("""ids => {
        const key = Object.keys(localStorage).find(k => k.startsWith('bonsens:'));
        const state = JSON.parse(localStorage.getItem(key));
        ids.forEach(id => { state.lessons[id] = true; });
        localStorage.setItem(key, JSON.stringify(state));
    }""", [lesson["id"] for module in course["modules"] for lesson in module["lessons"]])
    page.reload()
    page.locator(".bs-certificate input").fill("Camille Martin")
    page.locator(".bs-certificate button[type=submit]").click()
    certificate = page.locator(".bs-certificate")
    text = certificate.inner_text()
    assert "Camille Martin" in text and "Bon sens numérique au travail" in text and "100" in text
    page.emulate_media(media="print")
    assert page.locator(".md-sidebar--primary").first.is_hidden()
    assert page.locator(".md-header").first.is_hidden()
    assert_clean(page, site_url)


def test_language_switch_lands_on_the_same_page(page: Any, site_url: str) -> None:
    page.goto(site_url + "m2-discretion/m2-duties.html")
    page.locator(".md-select__link[hreflang=en]").first.dispatch_event("click")
    page.wait_for_url("**/en/m2-discretion/m2-duties.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("article h2").first.inner_text()
    assert_clean(page, site_url)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
@pytest.mark.parametrize("path", ["index.html", "m1-privacy/m1-settings-and-traces.html", "m1-privacy/quiz-m1.html",
                                  "final-exam/final-exam.html", "certificate.html", "lms.html",
                                  "en/m3-reputation/m3-ambassador.html"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(page: Any, site_url: str, path: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + path)
    if path.endswith("quiz-m1.html"):
        answer_quiz(page, correct=False)  # the results view too
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_phone_width_has_no_horizontal_scroll(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in ("m1-privacy/m1-settings-and-traces.html", "m1-privacy/quiz-m1.html"):
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, path
    page.goto(site_url + "m1-privacy/quiz-m1.html")
    page.locator("fieldset.bs-question--single .bs-choice-label").first.tap()
    assert page.locator("fieldset.bs-question--single input:checked").count() == 1
    context.close()

