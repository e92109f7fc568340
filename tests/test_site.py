"""The static site, built with the real mkdocs-material and used in a real Chromium."""

from __future__ import annotations

import re
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_course(tmp_path_factory.mktemp("course"))
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
    table = page.locator("article table").first
    assert table.locator("tbody tr").count() >= 6  # five modules and the final exam
    assert "min" in table.inner_text()
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
    assert "Votre meilleur score jusqu’ici : 100 % (Réussi)" in page.locator(".bs-quiz").inner_text()
    assert_clean(page, site_url)


def test_quiz_by_keyboard_alone(page: Any, site_url: str) -> None:
    page.goto(site_url + "m2-discretion/quiz-m2.html")
    answer_quiz(page, correct=True, keyboard=True)
    assert "bs-summary--passed" in page.locator(".bs-summary").get_attribute("class")
    focused = page.evaluate("document.activeElement.className")
    assert "bs-summary-title" in focused  # focus moves to the result for screen readers
    assert_clean(page, site_url)


def test_answers_in_progress_survive_reload(page: Any, site_url: str) -> None:
    page.goto(site_url + "m3-reputation/quiz-m3.html")
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
    assert "Réussissez chaque quiz" in page.locator(".bs-certificate").inner_text()
    page.goto(site_url + "index.html")
    pass_everything(page, site_url)
    page.goto(site_url + "certificate.html")
    page.locator(".bs-certificate input").fill("Camille Martin")
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


# --------------------------------------------------------------------------- the HR page's downloads

MINI = REPO / "tests" / "fixtures" / "mini"
SUFFIX = {"single": "", "multi": "-multisco"}
# What each package of the mini course is, as the build's request makes it: (lang, standard, layout)
MINI_PACKAGES = {(lang, standard, layout): f"mini-course-1.0.0-{lang}-{standard}{SUFFIX[layout]}.zip"
                 for lang in ("fr", "en") for standard in ("scorm12", "scorm2004") for layout in SUFFIX}
HR_WORDS = {
    "fr": {"fr": "Français", "en": "Anglais", "scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004 4e édition",
           "single": "un seul SCO", "multi": "un SCO par module", "recommended": "Recommandé\u00a0:",
           "units": {"Ko": 1000, "Mo": 1_000_000}, "decimal": ","},
    "en": {"fr": "French", "en": "English", "scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004 4th edition",
           "single": "one SCO", "multi": "one SCO per module", "recommended": "Recommended:",
           "units": {"KB": 1000, "MB": 1_000_000}, "decimal": "."},
}


def build_mini(target: Path, *options: str) -> Path:
    if not target.exists():
        shutil.copytree(MINI, target)
    result = CliRunner().invoke(main, ["build", str(target), "--quiet", *options])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini course built with everything by default: site and the four single-SCO packages."""
    return build_mini(tmp_path_factory.mktemp("hr") / "mini")


def hr_page(site: Path, lang: str) -> Path:
    return site / ("lms.html" if lang == "fr" else f"{lang}/lms.html")


def download_items(site: Path, lang: str) -> list[tuple[str, str, str]]:
    """Each package item of the HR page in order: (its text, its link's href, the link's text)."""
    tree = lxml_html.fromstring(hr_page(site, lang).read_text(encoding="utf-8"))
    items = tree.xpath('//article//h2[@id="telecharger" or @id="download"]/following-sibling::ul[1]/li')
    return [(item.text_content(), item.xpath(".//a/@href")[0], item.xpath(".//a")[0].text_content()) for item in items]


def assert_describes(site: Path, dist: Path, lang: str, layouts: tuple[str, ...]) -> None:
    """Every package of the build, described in the page's language, its real size, the recommended first."""
    words = HR_WORDS[lang]
    expected = {name: key for key, name in MINI_PACKAGES.items() if key[2] in layouts}
    assert sorted(path.name for path in dist.glob("*.zip")) == sorted(expected)
    items = download_items(site, lang)
    assert sorted(name for _, _, name in items) == sorted(expected)
    for text, href, name in items:
        package_lang, standard, layout = expected[name]
        description = ", ".join(words[part].replace(" ", "\u00a0") for part in (package_lang, standard, layout))
        assert description in text, (name, text)
        assert href == ("" if lang == "fr" else "../") + f"downloads/{name}"
        size = re.search(r", ([0-9]+(?:[,.][0-9])?)\u00a0(\w+)$", text.replace(name, "").strip())
        assert size, text
        number, unit = size.groups()
        assert unit in words["units"], text
        assert ("." if lang == "fr" else ",") not in number, text
        shown = float(number.replace(words["decimal"], ".")) * words["units"][unit]
        assert abs(shown - (dist / name).stat().st_size) <= words["units"][unit] / 2, (name, text)
    first, _, first_name = items[0]
    assert first.startswith(words["recommended"]) and expected[first_name][:2] == (lang, "scorm12")
    assert expected[first_name][2] == ("single" if "single" in layouts else "multi")
    assert sum(words["recommended"] in text for text, _, _ in items) == 1


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hr_page_describes_every_package_of_the_build(mini_built: Path, lang: str) -> None:
    assert_describes(mini_built / "site", mini_built / "dist", lang, ("single",))
    text = hr_page(mini_built / "site", lang).read_text(encoding="utf-8")
    assert "bonsens preview" not in text  # a developer's tool: HR are told to use their LMS's preview
    assert ("aperçu" if lang == "fr" else "preview") in text


def test_hr_page_links_download_the_packages(mini_built: Path) -> None:
    with static_server(mini_built / "site") as url:
        for lang in ("fr", "en"):
            page_url = url + ("lms.html" if lang == "fr" else "en/lms.html")
            for _, href, name in download_items(mini_built / "site", lang):
                with urllib.request.urlopen(urllib.parse.urljoin(page_url, href)) as response:
                    assert response.read() == (mini_built / "dist" / name).read_bytes(), href


def test_hr_page_uses_french_typography(mini_built: Path) -> None:
    french = download_items(mini_built / "site", "fr")
    assert french[0][0].startswith("Recommandé\u00a0:")  # no line may start with the colon
    text = hr_page(mini_built / "site", "fr").read_text(encoding="utf-8")
    assert " :" not in text.split('<article', 1)[1] and "structure\u202f;" in text


def test_size_is_shown_as_hr_reads_it() -> None:
    from builder.lms_page import size_text

    assert size_text(1_234_567, "fr") == "1,2\u00a0Mo" and size_text(1_234_567, "en") == "1.2\u00a0MB"
    assert size_text(117_511, "fr") == "118\u00a0Ko" and size_text(117_511, "en") == "118\u00a0KB"
    assert size_text(999_600, "fr") == "1,0\u00a0Mo"  # not « 1000 Ko »
    assert size_text(10, "en") == "1\u00a0KB"  # never « 0 KB »


def test_hr_page_follows_the_last_build_and_only_builds_with_the_site(tmp_path: Path) -> None:
    root = build_mini(tmp_path / "mini")
    before = {lang: hr_page(root / "site", lang).read_bytes() for lang in ("fr", "en")}
    build_mini(root, "--scorm12")  # packages only: the site, its page and its downloads stay as they were
    assert {lang: hr_page(root / "site", lang).read_bytes() for lang in ("fr", "en")} == before
    assert len(download_items(root / "site", "fr")) == 4
    build_mini(root, "--multi-sco")
    for lang in ("fr", "en"):
        assert_describes(root / "site", root / "dist", lang, ("multi",))
    assert sorted(p.name for p in (root / "site" / "downloads").iterdir()) == sorted(
        p.name for p in (root / "dist").iterdir())


def test_hr_page_is_byte_reproducible(mini_built: Path, tmp_path: Path) -> None:
    again = build_mini(tmp_path / "mini")
    for lang in ("fr", "en"):
        assert hr_page(again / "site", lang).read_bytes() == hr_page(mini_built / "site", lang).read_bytes()


def test_hr_page_reads_on_a_phone(browser: Any, tmp_path: Path) -> None:
    root = build_mini(tmp_path / "mini", "--multi-sco")  # the longest file names
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.log = watch(page)
    with static_server(root / "site") as url:
        for path in ("lms.html", "en/lms.html"):
            page.goto(url + path)
            downloads = page.locator("article h2 + p + ul").last
            assert downloads.locator("li").count() == 4
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
            right = page.evaluate("Math.max(...[...document.querySelectorAll('article li')]"
                                  ".map(li => li.getBoundingClientRect().right))")
            assert right <= 390, path  # nothing cut off at the edge either
            downloads.screenshot(path=f"/tmp/hr-page-phone-{path.replace('/', '-')}.png")
        assert_clean(page, url)
    context.close()


def test_hr_page_says_when_to_choose_each_package_without_a_command_line() -> None:
    """HR download from the site: every kind of package gets its sentence, safest first, and the
    page never asks them to run a command, not even when no package was built."""
    from builder.lms_page import Offer, lms_page_markdown

    offers = [Offer(f"{standard}-{layout}.zip", lang, standard, layout) for lang in ("fr", "en")
              for layout in ("multi", "single") for standard in ("scorm2004", "scorm12")]
    starts = {"fr": ["**SCORM 1.2, un seul SCO**\u00a0: recommandé",
                     "**SCORM 2004 4e édition, un seul SCO**\u00a0: si",
                     "**SCORM 1.2, un SCO par module**\u00a0: si",
                     "**SCORM 2004 4e édition, un SCO par module**\u00a0:"],
              "en": ["**SCORM 1.2, one SCO**: recommended", "**SCORM 2004 4th edition, one SCO**: when",
                     "**SCORM 1.2, one SCO per module**: when", "**SCORM 2004 4th edition, one SCO per module**:"]}
    for lang in ("fr", "en"):
        page = lms_page_markdown(lang, offers, ["fr", "en"])
        choosing = page.split("\n## ")[1].splitlines()
        kinds = [line[2:] for line in choosing if line.startswith("- ")]
        assert len(kinds) == 4, kinds
        assert all(kind.startswith(start) for kind, start in zip(kinds, starts[lang], strict=True)), kinds
        assert "Moodle" in kinds[-1]  # 2004 multi-SCO: not for Moodle
        for text in (page, lms_page_markdown(lang, [], ["fr", "en"])):
            assert "bonsens" not in text and "$ " not in text
            assert ("## Essayer un paquet avant de l'attribuer" if lang == "fr" else "## Try a package before") in text
            assert ("aperçu" if lang == "fr" else "preview") in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hr_page_of_a_build_says_when_to_choose_what_it_offers(mini_built: Path, lang: str) -> None:
    tree = lxml_html.fromstring(hr_page(mini_built / "site", lang).read_text(encoding="utf-8"))
    article = tree.xpath("//article")[0]
    headings = [h.text_content().strip().rstrip("¶") for h in article.xpath(".//h2")]  # less the permalink
    assert headings[:3] == (["Quel paquet choisir\u202f?", "Télécharger", "Essayer un paquet avant de l'attribuer"]
                            if lang == "fr" else ["Which package?", "Download", "Try a package before assigning it"])
    choosing = [li.text_content() for li in article.xpath(".//h2[1]/following-sibling::ul[1]/li")]
    assert len(choosing) == 2  # the mini build's kinds: SCORM 1.2 and 2004, one SCO each
    assert choosing[0].startswith("SCORM 1.2, un seul SCO\u00a0: recommandé" if lang == "fr"
                                  else "SCORM 1.2, one SCO: recommended")
    assert "bonsens" not in article.text_content()
