"""Learning paths and the organisation on the site, in a real Chromium.

The `mini` fixture gets a second module (lesson l3, quiz q2, as in test_learner_progress.py) and
two paths: `essentiel` (lessons l1 and l3 only, no module quiz, an exam of one question drawn from
those about its lessons) and `complet` (both modules whole). An organisation file names the
organisation (with markup in its name, which must stay text), its logo, and offers both paths,
`essentiel` first. The site must follow the learner's path everywhere: the home, the percentage,
the navigation, the way on, the exam's questions and the certificate.
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
from tests.browser import static_server, watched_tab
from tests.learner import answer_quiz, read
from tests.test_learner_progress import FIXTURE, SECOND_MODULE
from tests.test_site import AXE

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")

PATHS = """paths:
  - id: essentiel
    title: {fr: L'essentiel, en: The essentials}
    description: {fr: Une heure pour tout le personnel., en: One hour for all staff.}
    lessons: [l1, l3]
    exam: {draw: 1}
  - id: complet
    title: {fr: Le cours complet, en: The whole course}
    modules: [m1, m2]
  - id: suite
    title: {fr: La suite seulement, en: The sequel only}
    modules: [m2]
    exam: false
quiz_checks: notes"""
ORG_NAME = "Acme <b>inc.</b>"  # shown as typed, never as markup
ORGANISATION = f"""name: "{ORG_NAME}"
logo: images/diagram.svg
paths:
  default: essentiel
  offered: [essentiel, complet, suite]
"""
WCAG22 = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def with_paths(target: Path, *, learners_choose: bool = True) -> Path:
    """The mini course with a second module, paths and an organisation file, built (site only)."""
    shutil.copytree(FIXTURE, target)
    course = target / "course" / "course.yml"
    text = course.read_text(encoding="utf-8").replace("final_exam:", SECOND_MODULE, 1)
    course.write_text(text.replace("quiz_checks: notes", PATHS, 1), encoding="utf-8")
    lesson = (target / "course" / "lessons" / "m1" / "l2.yml").read_text(encoding="utf-8")
    (target / "course" / "lessons" / "m2").mkdir()
    (target / "course" / "lessons" / "m2" / "l3.yml").write_text(
        lesson.replace("id: l2", "id: l3").replace("Deuxième leçon", "Troisième leçon")
        .replace("Second lesson", "Third lesson"), encoding="utf-8")
    quiz = (target / "quizzes" / "q1.yml").read_text(encoding="utf-8")
    (target / "quizzes" / "q2.yml").write_text(
        quiz.replace("id: q1", "id: q2").replace("- id: q1-", "- id: q2-"), encoding="utf-8")
    exam = target / "quizzes" / "exam.yml"
    text = exam.read_text(encoding="utf-8")
    for question in ("exam-2", "exam-3"):  # about l2: not in the essentials
        text = text.replace(f"  - id: {question}\n", f"  - id: {question}\n    lessons: [l2]\n", 1)
    exam.write_text(text, encoding="utf-8")
    choose = "" if learners_choose else "  learners_choose: false\n"
    (target / "organisation.yml").write_text(ORGANISATION + choose, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(target), "--site", "--quiet"])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    course = with_paths(tmp_path_factory.mktemp("paths") / "mini")
    with static_server(course / "site") as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with watched_tab(browser) as tab:
        yield tab
        assert tab.log.page_errors == [] and tab.log.console_errors == []


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def home(page: Any) -> dict[str, Any]:
    """The home as a learner reads it: the path, the facts, the cards of the path and the others."""
    page.locator(".bs-home .bs-overall-value").wait_for()
    found = page.evaluate("""() => ({
        path: document.querySelector('.bs-path-title').textContent,
        description: document.querySelector('.bs-path-description').textContent,
        facts: document.querySelector('.bs-home-facts').textContent,
        percent: document.querySelector('.bs-overall-value').textContent,
        inside: [...document.querySelectorAll('ol.bs-modules > .bs-module')]
            .map(card => card.dataset.moduleId || 'exam'),
        outside: [...document.querySelectorAll('.bs-outside:not([hidden]) .bs-module')]
            .map(card => card.dataset.moduleId || 'exam'),
        start: document.querySelector('.bs-home-start').getAttribute('href'),
    })""")
    return {key: plain(value) if isinstance(value, str) else value for key, value in found.items()}


def choose(page: Any, title: str) -> None:
    """Switch paths as a keyboard user: Tab to the radio group, arrows to the path."""
    group = page.get_by_role("group", name="Choisir un autre parcours")
    group.get_by_role("radio", checked=True).focus()
    for _ in range(4):
        if group.get_by_role("radio", name=re.compile(re.escape(title))).is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert group.get_by_role("radio", name=re.compile(re.escape(title))).is_checked()


# --------------------------------------------------------------------------- the home follows the path


def test_the_home_shows_the_default_path_then_the_one_chosen(page: Any, site_url: str) -> None:
    page.goto(site_url)
    assert home(page) == {
        "path": "L'essentiel", "description": "Une heure pour tout le personnel.",
        "facts": "2 modules · 2 leçons · 16 min", "percent": "0 %",
        "inside": ["m1", "m2", "exam"], "outside": [], "start": "m1/l1.html"}
    read(page, site_url + "m1/l1.html")
    page.goto(site_url)
    assert home(page)["percent"] == "33 %"  # 1 step of 3: l1, l3, the exam
    choose(page, "Le cours complet")
    assert page.get_by_role("status").filter(has_text="Le cours complet").count() == 1  # said aloud
    after = home(page)
    assert after["path"] == "Le cours complet" and after["percent"] == "16 %"  # 1 of 6 steps: l1 kept
    assert after["inside"] == ["m1", "m2", "exam"]
    cards = page.evaluate("[...document.querySelectorAll('.bs-module-meta')].map(m => m.textContent)")
    assert [plain(c) for c in cards] == ["2 leçons · 15 min", "1 leçon · 5 min"]  # m1 whole now
    assert after["facts"] == "2 modules · 3 leçons · 34 min"  # 20 min of lessons, 14 questions
    page.reload()  # the choice is kept with the progress
    assert home(page)["path"] == "Le cours complet"
    choose(page, "La suite seulement")  # the other cards: folded, outside the path, without progress
    after = home(page)
    assert (after["inside"], after["outside"], after["percent"]) == (["m2"], ["m1", "exam"], "0 %")
    assert page.locator(".bs-module--outside .bs-module-progress *").count() == 0


def test_without_javascript_the_home_shows_the_default_path(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url)
    assert plain(tab.locator(".bs-path-title").inner_text()) == "L'essentiel"
    assert plain(tab.locator(".bs-path-time").inner_text())
    assert tab.locator(".bs-home-start").get_attribute("href") == "m1/l1.html"
    assert tab.locator(".bs-path-switch input").count() == 0
    context.close()


def test_a_lesson_outside_the_path_is_marked_but_reachable(page: Any, site_url: str) -> None:
    page.goto(site_url + "m1/l2.html")
    page.locator(".bs-trail").wait_for()
    assert "ne fait pas partie de votre parcours « L'essentiel »" in plain(page.locator(".bs-trail").inner_text())
    outside = page.evaluate("""() => [...document.querySelectorAll('.md-nav--primary a.md-nav__link')]
        .filter(a => a.querySelector('.bs-nav-outside'))
        .map(a => a.querySelector('.md-ellipsis').textContent.trim())""")
    assert outside == ["Deuxième leçon", "Quiz du module"]  # l2 and q1; l3 is the path's
    assert page.locator(".bs-nav-outside").first.text_content() == " (hors parcours)"  # said, and a tooltip
    assert page.locator(".bs-nav-outside").first.get_attribute("title") == "hors parcours"
    page.goto(site_url + "m1/l1.html")  # a lesson of the path: its ordinary trail
    page.locator(".bs-trail").wait_for()
    assert plain(page.locator(".bs-trail").inner_text()).startswith("Module 1 · 0/1")


def test_the_next_step_follows_the_path(page: Any, site_url: str) -> None:
    def way_on(path: str) -> tuple[str, str]:
        page.goto(site_url + path)
        page.locator("nav.bs-next a").wait_for()
        link = page.locator("nav.bs-next a")
        return plain(link.inner_text()), link.evaluate("a => a.href").removeprefix(site_url)

    # The essentials: l1 is followed by l3, the next lesson OF THE PATH (l2 and quiz q1 are not in it)
    assert way_on("m1/l1.html") == ("Module suivant Deuxième module", "m2/l3.html")
    assert way_on("m1/l2.html")[1] == "m2/l3.html"  # from outside, back to the path
    assert way_on("m2/l3.html") == ("Examen final", "final-exam/exam.html")
    page.goto(site_url)
    choose(page, "Le cours complet")
    assert way_on("m1/l1.html") == ("Leçon suivante Deuxième leçon", "m1/l2.html")
    assert way_on("m2/l3.html") == ("Quiz du module", "m2/q2.html")


def test_the_exam_draws_only_from_the_paths_pool(page: Any, site_url: str) -> None:
    page.goto(site_url + "final-exam/exam.html")
    shown = set()
    for _ in range(4):  # the essentials' pool holds exam-1 only: every attempt asks it alone
        page.locator("fieldset.bs-question").first.wait_for()
        shown |= set(page.locator("fieldset.bs-question").evaluate_all("els => els.map(e => e.dataset.questionId)"))
        assert page.locator("fieldset.bs-question").count() == 1
        page.evaluate("localStorage.clear()")
        page.reload()
    assert shown == {"exam-1"}
    assert "1 questions" in plain(page.locator(".bs-quiz").evaluate("q => q.previousElementSibling.textContent"))
    page.goto(site_url)
    choose(page, "Le cours complet")  # the whole course's exam: 2 questions drawn from 3
    page.goto(site_url + "final-exam/exam.html")
    page.locator(".bs-quiz .bs-locked").wait_for()  # its module quizzes come first
    intro = plain(page.locator(".bs-quiz").evaluate("q => q.previousElementSibling.textContent"))
    assert "L'examen tire 2 questions au hasard parmi 3" in intro


def test_the_certificate_follows_the_path_and_the_exam_counts_for_its_path(page: Any, site_url: str) -> None:
    read(page, site_url + "m1/l1.html")
    read(page, site_url + "m2/l3.html")
    page.goto(site_url + "final-exam/exam.html")
    answer_quiz(page, correct=True)
    page.goto(site_url + "certificate.html")
    page.locator(".bs-name-form input").fill("Alex Martin")
    page.locator(".bs-name-form button[type=submit]").click()
    certificate = page.locator(".bs-cert")
    certificate.wait_for()
    assert plain(certificate.locator(".bs-cert-path").inner_text()) == "Parcours : L'essentiel"
    assert plain(certificate.locator(".bs-cert-org").text_content() or "") == ORG_NAME  # as typed: text
    assert certificate.locator(".bs-cert-org b").count() == 0
    assert certificate.locator("img.bs-cert-logo").evaluate("img => img.complete && img.naturalWidth > 0")
    page.goto(site_url)
    assert home(page)["percent"] == "100 %"
    choose(page, "Le cours complet")
    assert home(page)["percent"] == "33 %"  # l1 and l3 of 6 steps: the essentials' exam is not this path's
    page.goto(site_url + "certificate.html")
    missing = plain(page.locator(".bs-missing").inner_text())
    assert "Premier module" in missing and "Examen final" in missing


def test_learners_may_not_switch_when_the_organisation_says_so(browser: Any, tmp_path: Path) -> None:
    course = with_paths(tmp_path / "mini", learners_choose=False)
    with static_server(course / "site") as url, watched_tab(browser) as tab:
        tab.goto(url)
        tab.locator(".bs-home .bs-overall-value").wait_for()
        assert plain(tab.locator(".bs-path-title").inner_text()) == "L'essentiel"
        assert tab.locator(".bs-path-switch *").count() == 0
        assert tab.locator(".bs-home").get_by_role("radio").count() == 0


# --------------------------------------------------------------------------- the organisation


def test_the_organisations_logo_and_name_are_on_the_cover_and_in_the_header(page: Any, site_url: str) -> None:
    for lang in ("", "en/"):
        page.goto(site_url + lang)
        org = page.locator(".bs-org")
        assert plain(org.inner_text()) == ORG_NAME and org.locator("b").count() == 0
        assert org.evaluate("el => el.compareDocumentPosition(document.querySelector('article h1')) "
                            "& Node.DOCUMENT_POSITION_FOLLOWING")  # above the title
        for logo in (org.locator("img.bs-org-logo"), page.locator(".md-header img.bs-header-logo")):
            assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
            assert logo.get_attribute("src").endswith("images/diagram.svg")
        assert page.locator(".md-header img.bs-header-logo").get_attribute("alt") == ORG_NAME
    assert all(url.startswith(site_url) for url in page.log.requests)  # nothing fetched elsewhere


# --------------------------------------------------------------------------- accessibility, phone


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_home_with_its_path_switch(page: Any, site_url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url)
    page.locator(".bs-path-switch input").first.wait_for()
    page.evaluate("document.querySelector('.bs-outside').open = true")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                            "resultTypes: ['violations']})", WCAG22)
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_the_home_on_a_phone(browser: Any, site_url: str, tmp_path: Path) -> None:
    with watched_tab(browser, width=390, height=844) as tab:
        tab.goto(site_url)
        tab.locator(".bs-path-switch input").first.wait_for()
        assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")  # nothing wider than the phone
        for radio in tab.locator(".bs-path-option").all():
            box = radio.bounding_box()
            assert box["height"] >= 24  # 2.5.8: each option is a target of 24 px at least
        tab.screenshot(path=str(tmp_path / "home-390.png"), full_page=True)  # to look at when it changes


# --------------------------------------------------------------------------- mkdocs on its own


def test_mkdocs_alone_deploys_the_organisation_file_the_build_was_given(tmp_path: Path) -> None:
    """`mkdocs build` on the generated config (no `bonsens build` handing the course over) loads the
    course with the same `--org` file, not organisation.yml."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    course = tmp_path / "mini"
    shutil.copytree(FIXTURE, course)
    (course / "organisation.yml").write_text("name: Not this one\n", encoding="utf-8")
    given = tmp_path / "acme.yml"
    given.write_text("name: Acme given\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(course), "--site", "--quiet", "--org", str(given)])
    assert result.exit_code == 0, result.output
    build(load_config(str(course / ".bonsens" / "mkdocs.yml"), site_dir=str(tmp_path / "alone")))
    home = (tmp_path / "alone" / "index.html").read_text(encoding="utf-8")
    assert '<span class="bs-org-name">Acme given</span>' in home and "Not this one" not in home
