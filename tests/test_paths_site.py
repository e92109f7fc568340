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
from tests.test_learner_progress import FIXTURE, SECOND_MODULE, nav_marks
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


def earn_the_essentials_certificate(page: Any, site_url: str, lang: str = "") -> None:
    """Read the essentials' two lessons, pass the exam, and give a name on the certificate page
    (in the language whose pages are under `lang`, e.g. "en/"; the default's at the root)."""
    read(page, site_url + lang + "m1/l1.html")
    read(page, site_url + lang + "m2/l3.html")
    page.goto(site_url + lang + "final-exam/exam.html")
    answer_quiz(page, correct=True)
    page.goto(site_url + lang + "certificate.html")
    page.locator(".bs-name-form input").fill("Alex Martin")
    page.locator(".bs-name-form button[type=submit]").click()


def plain(text: str) -> str:
    """Text as typed: French spaces plain, the typographic apostrophe (builder/typography.py) straight."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'").split())


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
    """Switch paths as a keyboard user: open "Changer de parcours", Tab to the radio group, arrows to the path."""
    toggle = page.get_by_role("button", name="Changer de parcours")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.focus()
        page.keyboard.press("Enter")
    group = page.get_by_role("group", name="Choisir un autre parcours")
    group.get_by_role("radio", checked=True).focus()
    name = typed(title)
    for _ in range(4):
        if group.get_by_role("radio", name=name).is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert group.get_by_role("radio", name=name).is_checked()


def typed(words: str) -> re.Pattern[str]:
    """Words as the page shows them: the straight apostrophe typeset (builder/typography.py) or not."""
    return re.compile(re.escape(words).replace("'", "['’]"))


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
    assert plain(tab.locator(".bs-path .bs-home-facts").inner_text()) == "2 modules · 2 leçons · 16 min"
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
    intro = plain(page.locator(".bs-quiz").evaluate("q => q.previousElementSibling.textContent"))
    assert intro.startswith("1 question. Score requis")  # a pool of one: singular
    page.goto(site_url)
    choose(page, "Le cours complet")  # the whole course's exam: 2 questions drawn from 3
    page.goto(site_url + "final-exam/exam.html")
    page.locator(".bs-quiz .bs-locked").wait_for()  # its module quizzes come first
    intro = plain(page.locator(".bs-quiz").evaluate("q => q.previousElementSibling.textContent"))
    assert "L'examen tire 2 questions au hasard parmi 3" in intro


def test_the_certificate_follows_the_path_and_the_exam_counts_for_its_path(page: Any, site_url: str) -> None:
    earn_the_essentials_certificate(page, site_url)
    certificate = page.locator(".bs-cert")
    certificate.wait_for()
    # What the path was, not "the course": its lessons and time; m1 taken in part says so
    assert plain(certificate.locator(".bs-cert-path").inner_text()) == "Parcours : L'essentiel — 2 leçons, 16 min"
    assert plain(certificate.locator(".bs-cert-modules-title").inner_text()) == "Au programme de ce parcours :"
    assert "a suivi avec succès le parcours « L'essentiel » du cours « Mini-cours »" in plain(
        certificate.locator(".bs-cert-text").inner_text())
    assert [plain(li) for li in certificate.locator(".bs-cert-modules li").all_inner_texts()] == [
        "Premier module (partie du module : 1 leçon sur 2)", "Deuxième module", "Examen final — réussi avec 100 %"]
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
    page.get_by_role("button", name="Changer de parcours").click()  # the switch, open
    page.locator(".bs-path-switch input").first.wait_for()
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                            "resultTypes: ['violations']})", WCAG22)
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_the_home_on_a_phone(browser: Any, site_url: str, tmp_path: Path) -> None:
    """At 390 × 844: the path, then at once the one button, on the first screen; the switch folded
    under "Changer de parcours" (a disclosure, for the keyboard and screen readers); the path's
    description printed once."""
    with watched_tab(browser, width=390, height=844) as tab:
        tab.goto(site_url)
        toggle = tab.get_by_role("button", name="Changer de parcours")
        toggle.wait_for()
        assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")  # nothing wider than the phone
        start = tab.locator(".bs-home-start")
        assert start.bounding_box()["y"] + start.bounding_box()["height"] <= 844  # no scrolling to begin
        assert tab.evaluate("document.querySelector('.bs-path').nextElementSibling.matches('.bs-home-cta')")
        description = "Une heure pour tout le personnel."
        shown = tab.get_by_text(description, exact=True)
        assert [item.is_visible() for item in shown.all()].count(True) == 1  # once
        group = tab.locator(".bs-path-choice")
        assert group.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
        assert toggle.get_attribute("aria-controls") == group.get_attribute("id")
        assert toggle.bounding_box()["height"] >= 24
        tab.screenshot(path=str(tmp_path / "home-390.png"), full_page=True)  # to look at when it changes
        toggle.focus()
        tab.keyboard.press("Enter")  # opens: the radio group, each option a target of 24 px at least
        assert group.is_visible() and toggle.get_attribute("aria-expanded") == "true"
        for radio in tab.locator(".bs-path-option").all():
            box = radio.bounding_box()
            assert box["height"] >= 24  # 2.5.8
        tab.keyboard.press("Tab")  # the next stop is the chosen path's radio
        assert tab.evaluate("document.activeElement.matches('.bs-path-choice input[type=radio]:checked')")
        tab.keyboard.press("Shift+Tab")
        tab.keyboard.press("Enter")  # and it folds again
        assert group.is_hidden() and toggle.get_attribute("aria-expanded") == "false"


# --------------------------------------------------------------------------- a path taken in part, honestly


def test_a_module_taken_in_part_says_so_and_offers_its_other_lessons(page: Any, site_url: str) -> None:
    """The essentials take l1 of m1's two lessons: the card counts the path's lessons among the
    module's, offers l2 as a link, and once l1 is read says "done for your path", not "done"; the
    bar is the path's; the drawer's mark says the same."""
    page.goto(site_url)
    card = page.locator('.bs-module[data-module-id="m1"]')
    assert plain(card.locator(".bs-module-meta").inner_text()) == "1 leçon de votre parcours sur 2 · 10 min"
    more = card.locator("details.bs-module-more")
    assert plain(more.locator("summary").inner_text()) == "+ 1 leçon hors parcours"
    more.locator("summary").click()
    more.get_by_role("link", name="Deuxième leçon").click()
    page.wait_for_url(site_url + "m1/l2.html")
    page.go_back()
    page.locator(".bs-home .bs-overall-value").wait_for()
    assert page.locator('.bs-module[data-module-id="m2"] .bs-module-more').count() == 0  # m2 whole
    read(page, site_url + "m1/l1.html")
    assert nav_marks(page)["Premier module"] == "(terminé pour votre parcours)"  # not "(module terminé)"
    page.goto(site_url)
    page.locator(".bs-home .bs-overall-value").wait_for()
    assert plain(page.locator(".bs-home-overall label").inner_text()) == "Votre parcours 33 %"
    assert plain(card.locator(".bs-module-state").inner_text()) == "Terminé pour votre parcours"
    assert plain(card.locator(".bs-module-facts").inner_text()) == "1 leçon lue sur 1"  # singular
    m2 = page.locator('.bs-module[data-module-id="m2"]')
    assert plain(m2.locator(".bs-module-facts").inner_text()) == "0 leçon lue sur 1"
    choose(page, "Le cours complet")  # m1 whole: the offer goes, the card counts both lessons
    assert card.locator(".bs-module-more").count() == 0
    assert plain(card.locator(".bs-module-meta").inner_text()) == "2 leçons · 15 min"
    assert plain(card.locator(".bs-module-state").inner_text()) == "En cours"


def test_the_page_note_outside_the_path_shows_the_drawers_mark_and_says_it(page: Any, site_url: str) -> None:
    page.goto(site_url + "m1/l2.html")
    trail = page.locator(".bs-trail")
    trail.wait_for()
    assert trail.locator(".bs-icon--outside").is_visible()  # the key to the drawer's dashed circle
    assert "ne fait pas partie de votre parcours" in plain(trail.inner_text())


def test_the_footers_previous_and_next_follow_the_path(page: Any, site_url: str) -> None:
    """Material's footer and <link rel=prev/next> lead where the next step leads: along the path."""
    def footer(path: str) -> dict[str, tuple[str, str]]:
        page.goto(site_url + path)  # the load event: the pages' scripts have run (on DOMContentLoaded)
        return page.evaluate("""() => Object.fromEntries(['prev', 'next'].map(dir => {
            const a = document.querySelector('a.md-footer__link--' + dir);
            const link = document.querySelector('link[rel=' + dir + ']');
            return [dir, a ? [a.href, a.querySelector('.md-ellipsis').textContent.trim(),
                              a.getAttribute('aria-label'), link && link.href] : null];
        }))""")

    def at(path: str) -> str:
        return site_url + path

    l1 = footer("m1/l1.html")
    assert l1["next"] == [at("m2/l3.html"), "Troisième leçon", "Suivant: Troisième leçon", at("m2/l3.html")]
    assert l1["prev"][0] == site_url + "index.html" or l1["prev"][0] == site_url
    assert footer("")["next"][:2] == [at("m1/l1.html"), "Première leçon"]
    outside = footer("m1/l2.html")  # outside the path: the path's pages around it
    assert (outside["prev"][0], outside["next"][0]) == (at("m1/l1.html"), at("m2/l3.html"))
    exam = footer("final-exam/exam.html")
    assert exam["prev"][:2] == [at("m2/l3.html"), "Troisième leçon"] and exam["next"][0] == at("certificate.html")
    assert footer("certificate.html")["prev"][0] == at("final-exam/exam.html")
    page.goto(site_url)
    choose(page, "Le cours complet")
    assert footer("m1/l1.html")["next"][:2] == [at("m1/l2.html"), "Deuxième leçon"]


def test_a_certificate_earned_stays_available_after_switching(page: Any, site_url: str) -> None:
    """Passing the essentials, then switching to the whole course: the switch says the certificate
    stays, the home and the certificate page link to it, and it shows as it was; the exam result
    of each path is kept apart, so switching back finds the essentials done."""
    page.clock.set_fixed_time("2026-12-01T10:00:00")  # dated the 1st: « le 1er décembre 2026 »
    earn_the_essentials_certificate(page, site_url)
    assert "le 1er décembre 2026" in plain(page.locator(".bs-cert-text").inner_text())
    page.goto(site_url)
    choose(page, "Le cours complet")
    kept = page.locator(".bs-path-option").filter(has_text=typed("L'essentiel"))
    assert "Votre certificat de ce parcours reste disponible." in plain(kept.inner_text())
    said = plain(page.get_by_role("status").filter(has_text="Le cours complet").inner_text())
    assert said == "Vous suivez maintenant « Le cours complet »."  # one "parcours" only
    link = page.locator(".bs-path").get_by_role("link", name=typed("Voir mon certificat (L'essentiel)"))
    assert link.count() == 1
    page.goto(site_url + "certificate.html")
    page.locator(".bs-missing").wait_for()  # the whole course: not done
    page.get_by_role("link", name=typed("Voir mon certificat (L'essentiel)")).click()
    certificate = page.locator(".bs-cert")
    certificate.wait_for()
    assert plain(certificate.locator(".bs-cert-name").inner_text()) == "Alex Martin"
    assert plain(certificate.locator(".bs-cert-path").inner_text()).startswith("Parcours : L'essentiel")
    assert "100" in plain(certificate.locator(".bs-cert-text").inner_text())
    page.goto(site_url)
    choose(page, "L'essentiel")  # back: the essentials' exam result is theirs again
    assert home(page)["percent"] == "100 %"


def test_the_certificate_is_dated_the_first_in_english_too(page: Any, site_url: str) -> None:
    page.clock.set_fixed_time("2026-12-01T10:00:00")
    earn_the_essentials_certificate(page, site_url, "en/")
    text = plain(page.locator(".bs-cert-text").inner_text())
    assert "December 1, 2026" in text and "1st" not in text and "1er" not in text
    assert plain(page.locator(".bs-cert-path").inner_text()) == "Path: The essentials — 2 lessons, 16 min"


def test_a_path_package_certificate_says_which_modules_it_took_in_part(tmp_path: Path) -> None:
    """A path's package holds its course cut to the path: its course script still knows what each
    module holds in the whole course, so the certificate says "(part of the module)" there too."""
    from builder.loader import require_project
    from builder.pages import SitePlan, course_data
    from builder.paths import path_project

    root = with_paths(tmp_path / "mini")
    project = require_project(root)
    plan = next(p for p in SitePlan(project).paths if p.id == "essentiel")
    cut = SitePlan(path_project(project, plan), whole=project)
    data = course_data(cut, cut.pages[0], "en", paths=[plan], choose=False)
    (path,) = data["paths"]
    assert [(m["id"], plain(m["part"])) for m in path["modules"]] == [("m1", "part of the module: 1 lesson of 2"),
                                                                       ("m2", "")]
    assert plain(path["certificate"]) == "Path: The essentials — 2 lessons, 16 min"
    assert path["covered"] == "What this path covered:" and path["partial"] is True
    assert data["labels"]["overall"] == "Your path"


def test_a_path_package_leads_along_its_path_and_offers_nothing_outside_it(tmp_path: Path) -> None:
    """The essentials' package: Material's footer and <link rel=next> lead along the path (its
    keyboard shortcuts too); its home neither folds other modules nor offers other lessons."""
    import zipfile

    root = with_paths(tmp_path / "mini")
    result = CliRunner().invoke(main, ["build", str(root), "--path", "essentiel", "--scorm12", "--quiet"])
    assert result.exit_code == 0, result.output
    package = next((root / "dist").glob("*-essentiel-fr-scorm12.zip"))
    with zipfile.ZipFile(package) as archive:
        lesson = archive.read("m1/l1.html").decode("utf-8")
        home = archive.read("index.html").decode("utf-8")
        script = archive.read("bonsens-course.js").decode("utf-8")
    assert re.search(r'<link rel="next" href="\.\./m2/l3\.html">', lesson), lesson[:3000]
    assert re.search(r'href="\.\./m2/l3\.html" class="md-footer__link md-footer__link--next"', lesson)
    assert "bs-outside" not in home and "bs-module-more" not in home
    assert "1\\u00a0le\\u00e7on sur 2" in script or "1\u00a0leçon sur 2" in script  # m1 in part


def test_labels_count_in_the_singular_and_the_plural() -> None:
    from builder.labels import counted, labels_for

    assert [counted("lessons_progress", n, "fr").format(read=n, total=2) for n in (0, 1, 2)] == [
        "0 leçon lue sur 2", "1 leçon lue sur 2", "2 leçons lues sur 2"]
    assert counted("quiz_intro", 1, "en").startswith("1 question.")
    assert counted("quiz_intro", 0, "en").startswith("{count} questions")
    assert labels_for("en")["debrief"] == "Our take"
    assert all("(s)" not in labels_for(lang)[key] for lang in ("fr", "en")
               for key in ("lessons_progress", "missing_lessons", "attempts_limited"))


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
