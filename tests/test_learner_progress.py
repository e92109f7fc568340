"""The learner's progress, one model everywhere: the course home, the navigation, the lesson
indicator, the certificate and what the SCO sends the LMS — in a real Chromium, on the site and
inside SCOs run by scorm-again.

The `mini` fixture gets a second module (one lesson, one quiz) so that modules can differ: the
course then has 6 steps of the same weight (3 lessons, 2 module quizzes, the final exam), and the
percentage is the share of steps done, rounded down.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.browser import static_server, watch, watched_tab
from tests.learner import answer_quiz, read
from tests.test_scorm_runtime import SCORM_AGAIN, Session, lms_root

FIXTURE = Path(__file__).parent / "fixtures" / "mini"

pytestmark = [
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not (SCORM_AGAIN / "scorm12.js").exists(), reason="npm ci has not installed scorm-again"),
]

SECOND_MODULE = """  - id: m2
    title: {fr: Deuxième module, en: Second module}
    summary: {fr: Pour aller plus loin., en: To go further.}
    lessons: [l3]
    quiz: q2
final_exam:"""


def two_modules(target: Path) -> Path:
    """The mini course plus a module m2 (lesson l3, quiz q2), written like an author would."""
    shutil.copytree(FIXTURE, target)
    course = target / "course" / "course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("final_exam:", SECOND_MODULE, 1), encoding="utf-8")
    lesson = (target / "course" / "lessons" / "m1" / "l2.yml").read_text(encoding="utf-8")
    (target / "course" / "lessons" / "m2").mkdir()
    (target / "course" / "lessons" / "m2" / "l3.yml").write_text(
        lesson.replace("id: l2", "id: l3").replace("Deuxième leçon", "Troisième leçon")
        .replace("Second lesson", "Third lesson"), encoding="utf-8")
    quiz = (target / "quizzes" / "q1.yml").read_text(encoding="utf-8")
    (target / "quizzes" / "q2.yml").write_text(
        quiz.replace("id: q1", "id: q2").replace("- id: q1-", "- id: q2-"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(target), "--quiet"])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_modules(tmp_path_factory.mktemp("progress") / "mini")


@pytest.fixture(scope="module")
def site_url(course: Path) -> Iterator[str]:
    with static_server(course / "site") as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with watched_tab(browser) as tab:
        yield tab
        assert tab.log.page_errors == [] and tab.log.console_errors == []


# --------------------------------------------------------------------------- what the pages say


def plain(value: Any) -> Any:
    """Texts with their no-break spaces as plain ones: typography is tested elsewhere."""
    if isinstance(value, str):
        return value.replace("\u00a0", " ").replace("\u202f", " ")
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def home_numbers(frame: Any) -> dict[str, Any]:
    """The course home as a learner reads it: overall %, each card's state and steps, the button."""
    frame.locator(".bs-home .bs-overall-value").wait_for()
    return plain(frame.evaluate("""() => ({
        percent: document.querySelector('.bs-home .bs-overall-value').textContent,
        bar: document.querySelector('.bs-home-overall progress').value,
        modules: [...document.querySelectorAll('.bs-module[data-module-id]')].map(card => ({
            state: card.querySelector('.bs-state').className.replace(/.*bs-state--/, ''),
            steps: card.querySelector('progress').value + '/' + card.querySelector('progress').max,
            facts: card.querySelector('.bs-module-facts').textContent})),
        exam: document.querySelector('.bs-module--exam .bs-state').className.replace(/.*bs-state--/, ''),
        button: document.querySelector('.bs-home-start').textContent,
        href: document.querySelector('.bs-home-start').getAttribute('href'),
    })"""))


def trail(frame: Any) -> str:
    frame.locator(".bs-trail").wait_for()
    return plain(frame.locator(".bs-trail").inner_text())


def nav_marks(frame: Any) -> dict[str, str]:
    """Each marked entry of the primary navigation: its visible title -> its hidden mark."""
    return plain(frame.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
            '.md-nav--primary .md-nav__link .bs-nav-mark')].map(mark => [
        mark.closest('.md-nav__link').querySelector('.md-ellipsis').textContent.trim(),
        mark.textContent.trim()]))"""))


def percent(text: str) -> int:
    found = re.search(r"(\d+)\s?%", text)
    assert found, text
    return int(found.group(1))


# --------------------------------------------------------------------------- the site


def test_home_without_javascript_has_cover_modules_and_start(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "index.html")
    article = page.locator("article")
    assert article.locator("h1").inner_text().startswith("Mini-cours")
    assert "2 modules · 3 leçons · 20 min" in plain(article.inner_text())
    start = article.locator("a.bs-home-start")
    assert start.inner_text() == "Commencer" and start.get_attribute("href") == "m1/l1.html"
    cards = article.locator(".bs-module")
    assert cards.count() == 3  # two modules and the final exam
    second = plain(cards.nth(1).inner_text())
    assert "Module 2" in second and "Pour aller plus loin." in second and "1 leçon · 5 min" in second
    assert article.locator("table").count() == 0  # one progress section, not tables
    context.close()


def test_one_journey_the_same_numbers_on_home_navigation_and_indicator(page: Any, site_url: str) -> None:
    page.goto(site_url + "index.html")
    start = home_numbers(page)
    assert (start["percent"], start["button"], start["href"]) == ("0 %", "Commencer", "m1/l1.html")
    assert [m["state"] for m in start["modules"]] == ["not-started", "not-started"]

    read(page, site_url + "m1/l1.html")
    assert trail(page) == "Module 1 · 1/3 · Cours 16 %"  # 1 step of 6, rounded down
    page.goto(site_url + "m2/q2.html")  # module 1 shows as one pruned link to its first lesson…
    marks = nav_marks(page)
    assert "Premier module" not in marks  # …which must not borrow that lesson's « (lue) »
    page.goto(site_url + "index.html")
    home = home_numbers(page)
    assert home["percent"] == "16 %" and home["bar"] == 16
    assert home["modules"][0]["state"] == "in-progress" and home["modules"][0]["steps"] == "1/3"
    assert "1 leçon lue sur 2" in home["modules"][0]["facts"] and "Quiz à passer" in home["modules"][0]["facts"]
    # Resume goes to the page visited last (the quiz of module 2, opened above)
    assert (home["button"], home["href"]) == ("Reprendre : Quiz du module", "m2/q2.html")
    page.locator(".bs-home-start").click()
    page.wait_for_url("**/m2/q2.html")

    read(page, site_url + "m1/l2.html")
    page.goto(site_url + "m1/q1.html")
    answer_quiz(page, correct=False)
    page.locator(".bs-summary button").first.click()
    answer_quiz(page, correct=True)
    assert trail(page) == "Module 1 · 3/3 · Cours 50 %"
    page.goto(site_url + "m2/q2.html")
    marks = nav_marks(page)
    assert marks["Premier module"] == "(module terminé)"  # done: lessons read and quiz passed
    assert "Deuxième module" not in marks  # nothing read there yet
    page.goto(site_url + "index.html")
    home = home_numbers(page)
    assert home["percent"] == "50 %"
    assert [m["state"] for m in home["modules"]] == ["completed", "not-started"]
    assert "100 %" in home["modules"][0]["facts"] and "Réussi" in home["modules"][0]["facts"]
    assert home["href"] == "m2/q2.html"  # the page visited last

    read(page, site_url + "m2/l3.html")
    page.goto(site_url + "m2/q2.html")
    marks = nav_marks(page)
    assert marks["Troisième leçon"] == "(lue)" and "Deuxième module" not in marks  # read, not done
    answer_quiz(page, correct=True)
    assert nav_marks(page)["Deuxième module"] == "(module terminé)"
    page.goto(site_url + "final-exam/exam.html")
    answer_quiz(page, correct=True)
    page.goto(site_url + "index.html")
    home = home_numbers(page)
    assert home["percent"] == "100 %"
    assert [m["state"] for m in home["modules"]] + [home["exam"]] == ["completed"] * 3
    assert (home["button"], home["href"]) == ("Voir mon certificat", "certificate.html")


def test_quizzes_passed_without_the_lessons_read_give_no_certificate(page: Any, site_url: str) -> None:
    page.goto(site_url + "index.html")
    page.evaluate("""() => {
        const passed = {best: 100, passed: true, attempts: 1, last: {score: 100, passed: true}, passedOn: '2026-03-05'};
        localStorage.setItem('bonsens:mini-course:1.0.0', JSON.stringify({lessons: {l1: true},
            quizzes: {q1: passed, q2: passed, exam: passed}, inProgress: {}, name: ''}));
    }""")
    page.goto(site_url + "certificate.html")
    locked = page.locator(".bs-locked")
    assert "Terminez chaque module" in plain(locked.inner_text())
    assert [plain(li.inner_text()) for li in locked.locator("li").all()] == [
        "Premier module — 1 leçon à lire", "Deuxième module — 1 leçon à lire"]
    assert locked.locator("a").first.get_attribute("href") == "m1/l2.html"
    page.goto(site_url + "index.html")
    home = home_numbers(page)
    assert home["percent"] == "66 %"  # 4 of 6 steps
    assert [m["state"] for m in home["modules"]] == ["in-progress", "in-progress"]


def finish_course(page: Any, site_url: str, name: str = "") -> None:
    page.goto(site_url + "index.html")
    page.evaluate("""name => {
        const passed = {best: 90, passed: true, attempts: 1, last: {score: 90, passed: true}, passedOn: '2026-03-05'};
        localStorage.setItem('bonsens:mini-course:1.0.0', JSON.stringify({lessons: {l1: true, l2: true, l3: true},
            quizzes: {q1: passed, q2: passed, exam: passed}, inProgress: {}, name: name}));
    }""", name)


def test_the_name_is_asked_once_stored_editable_and_printed(page: Any, site_url: str) -> None:
    finish_course(page, site_url)
    page.goto(site_url + "certificate.html")
    form = page.locator(".bs-name-form")
    assert "À quel nom établir votre certificat" in plain(form.inner_text())
    assert page.locator(".bs-cert").count() == 0  # no certificate with an empty name line
    form.locator("button[type=submit]").click()  # empty: asked again, nothing saved
    assert form.locator("input").get_attribute("aria-invalid") == "true"
    form.locator("input").fill("  Camille   Martin ")
    form.locator("button[type=submit]").click()
    certificate = page.locator(".bs-cert")
    assert certificate.locator(".bs-cert-name").inner_text() == "Camille Martin"
    text = plain(certificate.inner_text())
    assert "Mini-cours" in text and "5 mars 2026" in text
    assert "Premier module — quiz réussi avec 90 %" in text and "Deuxième module — quiz réussi avec 90 %" in text
    assert "Examen final — réussi avec 90 %" in text

    page.reload()  # asked once: kept with the progress
    assert page.locator(".bs-name-form").count() == 0
    assert page.locator(".bs-cert-name").inner_text() == "Camille Martin"
    assert page.evaluate("JSON.parse(localStorage.getItem('bonsens:mini-course:1.0.0')).name") == "Camille Martin"
    page.locator(".bs-cert-tools button", has_text="Modifier le nom").click()
    field = page.locator(".bs-name-form input")
    assert field.input_value() == "Camille Martin" and page.evaluate("document.activeElement.tagName") == "INPUT"
    field.fill("Camille Martin-Durand")
    page.locator(".bs-name-form button[type=submit]").click()
    assert page.locator(".bs-cert-name").inner_text() == "Camille Martin-Durand"


def test_home_reads_on_a_phone(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.log = watch(page)
    for path in ("index.html", "en/index.html"):
        page.goto(site_url + path)
        page.locator(".bs-home .bs-overall-value").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        widths = page.evaluate("[...document.querySelectorAll('.bs-module')].map(c => c.getBoundingClientRect().width)")
        assert min(widths) >= 300, widths  # one card per row, never a narrow column
        page.screenshot(path=f"/tmp/home-phone-{path.replace('/', '-')}.png", full_page=True)
    assert page.log.page_errors == []
    context.close()


def test_english_home_words(page: Any, site_url: str) -> None:
    page.goto(site_url + "en/index.html")
    home = home_numbers(page)
    assert home["percent"] in ("0%", "0 %") and home["button"] == "Start"
    assert "2 modules · 3 lessons · 20 min" in plain(page.locator("article").inner_text())


# --------------------------------------------------------------------------- inside an LMS


@pytest.fixture(scope="module")
def lms_url(course: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = lms_root(tmp_path_factory.mktemp("lms") / "web", [course / "dist"])
    with static_server(root) as url:
        yield url


@pytest.fixture
def lms_page(browser: Any, lms_url: str) -> Iterator[Any]:
    with watched_tab(browser) as tab:
        tab.goto(lms_url + "lms.html")
        yield tab


def sco_home(session: Session) -> dict[str, Any]:
    session.goto("index.html")
    return home_numbers(session.content())


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_the_lms_receives_the_numbers_the_pages_show(lms_page: Any, lms_url: str, standard: str) -> None:
    name = "mini-course-1.0.0-fr-" + ("scorm12" if standard == "1.2" else "scorm2004")
    one = Session(lms_page, lms_url, name, "course", standard)
    one.read_lesson("m1/l1.html", "l1")
    one.read_lesson("m1/l2.html", "l2")
    one.take_quiz("m1/q1.html", correct=False)
    one.retry()
    one.answer(correct=True)
    one.submit()
    one.read_lesson("m2/l3.html", "l3")
    assert trail(one.content()) == "Module 2 · 1/2 · Cours 66 %"
    home = sco_home(one)
    assert home["percent"] == "66 %"  # 4 of 6: three lessons, one module quiz
    assert [m["state"] for m in home["modules"]] == ["completed", "in-progress"]
    assert home["href"] == "m2/l3.html"  # Resume: the page visited last
    cmi = one.cmi()
    if one.v2004:
        assert cmi["progress_measure"] == "0.66" and cmi["completion_status"] == "incomplete"
        module = {o["id"]: o for o in cmi["objectives"].values()}
        assert (module["m1"]["completion_status"], module["m2"]["completion_status"]) == ("completed", "incomplete")
        assert module["m2"]["progress_measure"] == "0.5"
    else:
        assert cmi["core"]["lesson_status"] == "incomplete"
    one.close()

    two = Session(lms_page, lms_url, name, "course", standard, cmi=one.next_launch())
    assert home_numbers_after_resume(two) == ("66 %", "m2/l3.html")  # kept in suspend_data
    two.take_quiz("m2/q2.html", correct=True)
    two.take_quiz("final-exam/exam.html", correct=True)
    home = sco_home(two)
    assert home["percent"] == "100 %" and home["href"] == "certificate.html"
    cmi = two.cmi()
    if two.v2004:
        assert cmi["progress_measure"] == "1"
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
    else:
        assert cmi["core"]["lesson_status"] == "passed"

    # The name: prefilled from the LMS ("Doe, Alex"), corrected by the learner, kept in suspend_data
    two.goto("certificate.html")
    frame = two.content()
    field = frame.locator(".bs-name-form input")
    assert field.input_value() == "Alex Doe"
    field.fill("Alexandra Doe")
    frame.locator(".bs-name-form button[type=submit]").click()
    assert frame.locator(".bs-cert-name").inner_text() == "Alexandra Doe"
    two.exit()
    assert "Alexandra Doe" in two.runtime("JSON.stringify(window.BonSensSCOInternals.decode("
                                          "window.BonSensSCOInternals.session.written['cmi.suspend_data']).state)")
    three = Session(lms_page, lms_url, name, "course", standard, cmi=two.next_launch())
    three.goto("certificate.html")
    assert three.content().locator(".bs-cert-name").inner_text() == "Alexandra Doe"


def home_numbers_after_resume(session: Session) -> tuple[str, str]:
    home = sco_home(session)
    return home["percent"], home["href"]
