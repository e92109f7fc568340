"""The site's pages for HR: the package table, the LMS guide, and their one way in (the footer).

HR download the packages from the site: a table says what each one is, how big, and when to
choose it, and it must read on a phone as on a desktop. The LMS guide is published beside it.
Neither page is on the learners' way: not in the navigation, not in any package.
"""

from __future__ import annotations

import re
import shutil
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from builder import lms_page
from builder.buildstate import BuildRequest, inputs_digest
from builder.cli import main
from builder.labels import labels_for
from tests.browser import static_server, watch

REPO = Path(__file__).parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SUFFIX = {"single": "", "multi": "-multisco"}
# What each package of the mini course is, as the build's request makes it: (lang, standard, layout);
# a cmi5 package is one AU, whatever the layouts asked for the SCORM ones
MINI_PACKAGES = {(lang, standard, layout): f"mini-course-1.0.0-{lang}-{standard}{SUFFIX[layout]}.zip"
                 for lang in ("fr", "en") for standard in ("scorm12", "scorm2004") for layout in SUFFIX} | {
                     (lang, "cmi5", "single"): f"mini-course-1.0.0-{lang}-cmi5.zip" for lang in ("fr", "en")}
STANDARDS = ("scorm12", "scorm2004", "cmi5")
HR_WORDS = {
    "fr": {"columns": ["Langue", "Norme", "Structure", "Taille", "Quand le choisir", "Fichier"],
           "fr": "Français", "en": "Anglais", "scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004 4e édition",
           "single": "un seul SCO", "multi": "un SCO par module", "recommended": "Recommandé.",
           "cmi5": "cmi5", "unit": "une seule unité",
           "units": {"Ko": 1000, "Mo": 1_000_000}, "decimal": ","},
    "en": {"columns": ["Language", "Standard", "Layout", "Size", "When to choose it", "File"],
           "fr": "French", "en": "English", "scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004 4th edition",
           "single": "one SCO", "multi": "one SCO per module", "recommended": "Recommended.",
           "cmi5": "cmi5", "unit": "one unit",
           "units": {"KB": 1000, "MB": 1_000_000}, "decimal": "."},
}
GUIDE = {"fr": REPO / "docs" / "lms.fr.md", "en": REPO / "docs" / "lms.md"}

needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")


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


def in_lang(site: Path, lang: str, page: str) -> Path:
    return site / (page if lang == "fr" else f"{lang}/{page}")


def article(path: Path) -> Any:
    return lxml_html.fromstring(path.read_text(encoding="utf-8")).xpath("//article")[0]


def text(element: Any) -> str:
    """An element's words, its spaces plain (French typography puts no-break ones before signs)."""
    return plain(element.text_content())


def plain(words: str) -> str:
    return " ".join(words.replace("\u00a0", " ").replace("\u202f", " ").split())


def package_rows(site: Path, lang: str) -> tuple[list[str], list[dict[str, str]]]:
    """The HR page's package table: its column names, and each row as {column: the value shown,
    href: the link's target, name: the link's text, labels: each cell's own column name}."""
    table = article(in_lang(site, lang, "lms.html")).xpath('.//div[@class="hr-packages"]/table')[0]
    columns = [text(th) for th in table.xpath("./thead/tr/th")]
    rows = []
    for tr in table.xpath("./tbody/tr"):
        cells = tr.xpath("./td")
        row = {column: text(cell.xpath("./span")[1]) for column, cell in zip(columns, cells, strict=True)}
        row["labels"] = "|".join(text(cell.xpath('./span[@class="hr-label"]')[0]) for cell in cells)
        row["href"], row["name"] = tr.xpath(".//a/@href")[0], text(tr.xpath(".//a")[0])
        rows.append(row)
    return columns, rows


def assert_table(site: Path, dist: Path, lang: str, layouts: tuple[str, ...],
                 standards: tuple[str, ...] = STANDARDS) -> list[dict[str, str]]:
    """A row per package of the build, described in the page's language with its real size, the
    page's language first and, in each language, cmi5 after every SCORM package; "recommended" on
    exactly each language's SCORM 1.2 single-SCO row. `layouts`: the SCORM packages' (a cmi5
    package is one unit whatever the layouts)."""
    words = HR_WORDS[lang]
    expected = {name: key for key, name in MINI_PACKAGES.items()
                if key[1] in standards and (key[2] in layouts or key[1] == "cmi5")}
    assert sorted(path.name for path in dist.glob("*.zip")) == sorted(expected)
    columns, rows = package_rows(site, lang)
    assert columns == words["columns"]
    assert sorted(row["name"] for row in rows) == sorted(expected)
    language, standard, layout, size, when, _ = columns
    for row in rows:
        assert row["labels"] == "|".join(columns)  # each cell names its column, for the phone's cards
        package_lang, package_standard, package_layout = expected[row["name"]]
        assert (row[language], row[standard], row[layout]) == (
            words[package_lang], words[package_standard], words["unit" if package_standard == "cmi5"
                                                                 else package_layout]), row
        assert row["href"] == ("" if lang == "fr" else "../") + f"downloads/{row['name']}"
        number, unit = re.fullmatch(r"([0-9]+(?:[,.][0-9])?) (\w+)", row[size]).groups()  # type: ignore[union-attr]
        assert ("." if lang == "fr" else ",") not in number, row
        shown = float(number.replace(words["decimal"], ".")) * words["units"][unit]
        assert abs(shown - (dist / row["name"]).stat().st_size) <= words["units"][unit] / 2, row
        recommended = row[when].startswith(words["recommended"])
        assert recommended == ((package_standard, package_layout) == ("scorm12", "single")), row
        assert len(row[when]) > len(words["recommended"]) + 20, row  # a sentence on when to choose it
    keys = [expected[row["name"]] for row in rows]
    assert keys == sorted(keys, key=lambda key: (key[0] != lang, key[1] == "cmi5")), keys  # page's language first
    if "single" in layouts:
        assert rows[0][when].startswith(words["recommended"]) and expected[rows[0]["name"]][0] == lang
    return rows


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hr_page_tables_every_package_of_the_build(mini_built: Path, lang: str) -> None:
    rows = assert_table(mini_built / "site", mini_built / "dist", lang, ("single",))
    when = HR_WORDS[lang]["columns"][4]
    assert sum(row[when].startswith(HR_WORDS[lang]["recommended"]) for row in rows) == 2  # one per language
    page = article(in_lang(mini_built / "site", lang, "lms.html"))
    assert "bonsens" not in page.text_content()  # no command line: HR use their LMS's preview
    assert ("aperçu" if lang == "fr" else "preview") in page.text_content()


def test_hr_page_links_download_the_packages(mini_built: Path) -> None:
    with static_server(mini_built / "site") as url:
        for lang in ("fr", "en"):
            page_url = url + ("lms.html" if lang == "fr" else "en/lms.html")
            for row in package_rows(mini_built / "site", lang)[1]:
                with urllib.request.urlopen(urllib.parse.urljoin(page_url, row["href"])) as response:
                    assert response.read() == (mini_built / "dist" / row["name"]).read_bytes(), row["href"]


def test_hr_page_uses_french_typography(mini_built: Path) -> None:
    page = article(in_lang(mini_built / "site", "fr", "lms.html")).text_content()
    assert not re.search(r" [:;?!]", page), re.findall(r".{20} [:;?!]", page)  # no line may start with the sign
    assert re.search("structure[\u00a0\u202f]: dans", page)
    assert "SCORM\u00a01.2" in page and "un\u00a0seul\u00a0SCO" in page  # a name never broken across lines


def test_size_is_shown_as_hr_reads_it() -> None:
    from builder.lms_page import size_text

    assert size_text(1_234_567, "fr") == "1,2\u00a0Mo" and size_text(1_234_567, "en") == "1.2\u00a0MB"
    assert size_text(117_511, "fr") == "118\u00a0Ko" and size_text(117_511, "en") == "118\u00a0KB"
    assert size_text(999_600, "fr") == "1,0\u00a0Mo"  # not « 1000 Ko »
    assert size_text(10, "en") == "1\u00a0KB"  # never « 0 KB »


def test_hr_page_follows_the_last_build_and_only_builds_with_the_site(tmp_path: Path) -> None:
    root = build_mini(tmp_path / "mini")
    before = {lang: in_lang(root / "site", lang, "lms.html").read_bytes() for lang in ("fr", "en")}
    build_mini(root, "--scorm12")  # packages only: the site, its page and its downloads stay as they were
    assert {lang: in_lang(root / "site", lang, "lms.html").read_bytes() for lang in ("fr", "en")} == before
    assert len(package_rows(root / "site", "fr")[1]) == 6  # the first build's: 2 SCORM 1.2, 2 SCORM 2004, 2 cmi5
    build_mini(root, "--multi-sco")
    for lang in ("fr", "en"):
        rows = assert_table(root / "site", root / "dist", lang, ("multi",))
        assert not any(HR_WORDS[lang]["recommended"] in row[HR_WORDS[lang]["columns"][4]] for row in rows)
    assert sorted(p.name for p in (root / "site" / "downloads").iterdir()) == sorted(
        p.name for p in (root / "dist").iterdir())
    assert_no_hr_page_in_packages(root / "dist")


def test_hr_page_is_byte_reproducible(mini_built: Path, tmp_path: Path) -> None:
    again = build_mini(tmp_path / "mini")
    for lang in ("fr", "en"):
        for page in ("lms.html", "lms-guide.html"):
            first, second = (in_lang(root / "site", lang, page).read_bytes() for root in (mini_built, again))
            assert first == second, page


def test_hr_page_says_when_to_choose_each_package_without_a_command_line() -> None:
    """Every kind of package gets its sentence, and the page never asks HR to run a command, not
    even when no package was built; the guide is linked either way."""
    offers = [lms_page.Offer(f"{lang}-{standard}-{layout}.zip", lang, standard, layout) for lang in ("fr", "en")
              for layout in ("multi", "single") for standard in ("scorm2004", "scorm12")]
    for lang in ("fr", "en"):
        page = lms_page.lms_page_markdown(lang, offers, ["fr", "en"])
        rows = re.findall(r"<tr><td>.*</tr>", page)
        assert len(rows) == 8
        # The page's language first; in each language one SCO before one per module, 1.2 before 2004
        order = [re.search(r'href="downloads/([^"]+)\.zip"', row).group(1) for row in rows]  # type: ignore[union-attr]
        other = "en" if lang == "fr" else "fr"
        assert order == [f"{code}-{standard}-{layout}" for code in (lang, other) for layout in ("single", "multi")
                         for standard in ("scorm12", "scorm2004")]
        for row, (standard, layout) in zip(rows, [(s, la) for la in ("single", "multi")
                                                 for s in ("scorm12", "scorm2004")] * 2, strict=True):
            sentence = lms_page.WHEN[lang][standard, layout]
            assert lms_page._typeset(lms_page.html_text(sentence), lang) in row
        assert sum("<strong>" in row for row in rows) == 2
        for text_ in (page, lms_page.lms_page_markdown(lang, [], ["fr", "en"])):
            assert "bonsens" not in text_ and "$ " not in text_
            assert ("## Essayer un paquet avant de l'attribuer" if lang == "fr" else "## Try a package before") in text_
            assert ("aperçu" if lang == "fr" else "preview") in text_
            assert "](lms-guide.md)" in text_


def test_a_cmi5_build_lists_its_packages(tmp_path: Path) -> None:
    """`--site --cmi5`: the page lists exactly the cmi5 packages, one unit each, none recommended,
    each with its sentence on when to choose it, and its link downloads it."""
    root = build_mini(tmp_path / "mini", "--site", "--cmi5")
    for lang in ("fr", "en"):
        rows = assert_table(root / "site", root / "dist", lang, (), standards=("cmi5",))
        words, when = HR_WORDS[lang], HR_WORDS[lang]["columns"][4]
        assert len(rows) == 2 and {row[HR_WORDS[lang]["columns"][1]] for row in rows} == {"cmi5"}
        assert not any(words["recommended"] in row[when] for row in rows)
        assert all(("xAPI" in row[when] and "cmi5" in row[when]) for row in rows), rows
    assert sorted(p.name for p in (root / "site" / "downloads").iterdir()) == [
        "mini-course-1.0.0-en-cmi5.zip", "mini-course-1.0.0-fr-cmi5.zip"]
    assert_no_hr_page_in_packages(root / "dist")


def test_cmi5_packages_come_after_every_scorm_package_never_recommended() -> None:
    offers = [lms_page.Offer(f"{lang}-{standard}-{layout}.zip", lang, standard, layout)
              for lang in ("en", "fr") for standard, layout in
              (("cmi5", "single"), ("scorm2004", "multi"), ("scorm12", "single"), ("scorm2004", "single"))]
    for lang in ("fr", "en"):
        page = lms_page.lms_page_markdown(lang, offers, ["fr", "en"])
        rows = re.findall(r"<tr><td>.*</tr>", page)
        order = [re.search(r'href="downloads/([^"]+)\.zip"', row).group(1) for row in rows]  # type: ignore[union-attr]
        other = "en" if lang == "fr" else "fr"
        assert order == [f"{code}-{kind}" for code in (lang, other) for kind in
                         ("scorm12-single", "scorm2004-single", "scorm2004-multi", "cmi5-single")]
        cmi5_rows = [row for row in rows if "-cmi5-" in row]
        unit = lms_page._typeset(lms_page.html_text(lms_page.WORDS[lang]["unit"]), lang)
        sentence = lms_page._typeset(lms_page.html_text(lms_page.WHEN[lang]["cmi5", "single"]), lang)
        assert all(unit in row and sentence in row and "<strong>" not in row for row in cmi5_rows)
        assert ("cmi5" in page.split("##", 1)[0]) and "xAPI" in page.split("##", 1)[0]  # the intro says what it is


# --------------------------------------------------------------------------- the LMS guide


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_guide_is_published_as_written(mini_built: Path, lang: str) -> None:
    """The guide the repository holds, in the page's language when translated, its title first."""
    source = GUIDE[lang] if GUIDE[lang].is_file() else GUIDE["en"]
    title = re.search(r"^# (.+)$", source.read_text(encoding="utf-8"), re.MULTILINE).group(1)  # type: ignore[union-attr]
    page = article(in_lang(mini_built / "site", lang, "lms-guide.html"))
    assert text(page.xpath(".//h1")[0]).rstrip("¶").strip() == " ".join(title.split())
    headings = [text(h).rstrip("¶").strip() for h in page.xpath(".//h2")]
    assert any("Moodle" in heading for heading in headings)
    assert any(heading in ("Glossary", "Glossaire") for heading in headings)
    for anchor in page.xpath('.//a[starts-with(@href, "#")]/@href'):  # "see the glossary" lands
        assert page.xpath(f'.//*[@id="{anchor[1:]}"]'), anchor


def test_guide_falls_back_to_english_marked_as_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lms.md").write_text("# The guide\n\nIn English.\n", encoding="utf-8")
    monkeypatch.setattr(lms_page, "GUIDE_DIR", tmp_path)
    assert lms_page.guide_markdown("en") == "# The guide\n\nIn English.\n"
    french = lms_page.guide_markdown("fr")
    assert french.startswith('<div lang="en" markdown="1">') and "# The guide" in french
    (tmp_path / "lms.fr.md").write_text("# Le guide\n", encoding="utf-8")
    assert lms_page.guide_markdown("fr") == "# Le guide\n"


def test_guide_goes_through_the_sanitiser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our own Markdown, but a page like every other: what the sanitiser refuses never runs."""
    hostile = ('# Guide\n\nSee <script>alert("guide")</script> and <img src="x.png" onerror="alert(1)">.\n\n'
               '[a link](javascript:alert(2)) and <a href="https://example.org" onclick="alert(3)">out</a>.\n')
    (tmp_path / "lms.md").write_text(hostile, encoding="utf-8")
    monkeypatch.setattr(lms_page, "GUIDE_DIR", tmp_path)
    root = build_mini(tmp_path / "mini", "--site")
    for lang in ("fr", "en"):
        page = in_lang(root / "site", lang, "lms-guide.html").read_text(encoding="utf-8")
        body = page.split("<article", 1)[1].split("</article>", 1)[0]
        assert "<script" not in body and "onerror" not in body and "onclick" not in body, body
        assert "javascript:" not in body.lower()
        assert "Guide" in body and "a link" in body and ">out</a>" in body


def test_a_changed_guide_rebuilds(tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    guide = tmp_path / "docs" / "lms.md"
    guide.parent.mkdir()
    guide.write_text("# Guide\n", encoding="utf-8")
    monkeypatch.setattr(lms_page, "GUIDE_DIR", guide.parent)
    before = inputs_digest(mini, BuildRequest())
    assert inputs_digest(mini, BuildRequest()) == before
    guide.write_text("# Guide, edited\n", encoding="utf-8")
    edited = inputs_digest(mini, BuildRequest())
    assert edited != before
    (guide.parent / "lms.fr.md").write_text("# Guide\n", encoding="utf-8")  # a new translation too
    assert inputs_digest(mini, BuildRequest()) not in (before, edited)


# --------------------------------------------------------------------------- off the learners' way


def test_only_the_footer_leads_to_the_hr_pages(mini_built: Path) -> None:
    """No HR page in the learners' navigation; one discreet footer link on every page, to the
    HR page of the page's language; the HR page links the guide."""
    site = mini_built / "site"
    pages = [path for path in site.rglob("*.html") if path.name not in ("lms.html", "lms-guide.html", "404.html")]
    assert len(pages) >= 10
    for path in pages:
        tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
        relative = path.relative_to(site).as_posix()
        lang = "en" if relative.startswith("en/") else "fr"
        assert not tree.xpath('//nav//a[contains(@href, "lms.html") or contains(@href, "lms-guide.html")]'), relative
        footer = tree.xpath('//footer//a[@class="bs-hr-link"]')
        assert len(footer) == 1, relative
        assert text(footer[0]) == plain(labels_for(lang)["hr_link"])
        target = urllib.parse.urljoin(f"http://site/{relative}", footer[0].get("href"))
        assert target == "http://site/" + ("lms.html" if lang == "fr" else "en/lms.html"), relative
    for lang in ("fr", "en"):
        links = article(in_lang(site, lang, "lms.html")).xpath('.//a[@href="lms-guide.html"]')
        assert len(links) == 1 and text(links[0]) == ("guide LMS" if lang == "fr" else "LMS guide")


def assert_no_hr_page_in_packages(dist: Path) -> None:
    words = [labels_for(lang)["hr_link"] for lang in ("fr", "en")]
    packages = sorted(dist.glob("*.zip"))
    assert packages
    for package in packages:
        with zipfile.ZipFile(package) as archive:
            names = archive.namelist()
            assert not [name for name in names if name.rsplit("/", 1)[-1] in ("lms.html", "lms-guide.html")]
            for name in names:
                if name.endswith((".html", ".js")):
                    content = archive.read(name).decode("utf-8")
                    assert "lms.html" not in content and "lms-guide" not in content, (package.name, name)
                    assert "bs-hr-link" not in content, (package.name, name)
                    if name.endswith(".html"):  # (the course script carries every label, unused there)
                        assert not any(word in content for word in words), (package.name, name)


def test_packages_hold_no_hr_page_nor_link_to_it(mini_built: Path) -> None:
    assert_no_hr_page_in_packages(mini_built / "dist")


# --------------------------------------------------------------------------- in Chromium


@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_hr_page_reads_at_every_width(browser: Any, tmp_path: Path, width: int) -> None:
    """A table on a desktop, a card per package on a phone; nothing wider than the screen, in both
    languages, with the longest file names (one SCO per module)."""
    root = build_mini(tmp_path / "mini", "--multi-sco")
    phone = width < 500
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.log = watch(page)
    with static_server(root / "site") as url:
        for lang in ("fr", "en"):
            page.goto(url + ("lms.html" if lang == "fr" else "en/lms.html"))
            table = page.locator(".hr-packages table")
            assert table.locator("tbody tr").count() == 6  # 4 multi-SCO, 2 cmi5
            assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth"), lang
            right = page.evaluate("Math.max(...[...document.querySelectorAll('.hr-packages td, .hr-packages a')]"
                                  ".map(e => e.getBoundingClientRect().right))")
            assert right <= width, lang  # nothing cut off at the edge either
            layout = page.evaluate("""() => {
                const wrap = document.querySelector('.hr-packages .md-typeset__scrollwrap');
                const cell = document.querySelector('.hr-packages td');
                return {cell: getComputedStyle(cell).display, head: document.querySelector('.hr-packages thead')
                        .getBoundingClientRect().height, label: getComputedStyle(cell.querySelector('.hr-label'))
                        .display, scrolls: wrap ? wrap.scrollWidth > wrap.clientWidth : false}
            }""")
            if phone:  # a card per package, each line labelled
                assert layout["cell"] == "grid" and layout["label"] == "block" and layout["head"] <= 1, layout
            else:  # a real table, that fits without scrolling sideways
                assert layout["cell"] == "table-cell" and layout["label"] == "none", layout
                assert layout["head"] > 10 and not layout["scrolls"], layout
            page.locator(".hr-packages").screenshot(path=f"/tmp/hr-page-{width}-{lang}.png")
        assert page.log.page_errors == [] and page.log.console_errors == []
        assert [r for r in page.log.requests if not r.startswith(url)] == []
    context.close()


@needs_chromium
def test_guide_is_reached_from_the_hr_page(browser: Any, mini_built: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.log = watch(page)
    with static_server(mini_built / "site") as url:
        for lang in ("fr", "en"):
            home = url + ("index.html" if lang == "fr" else "en/index.html")
            page.goto(home)
            page.locator("footer a.bs-hr-link").click()  # from a learner's page, the discreet way in
            page.wait_for_url(urllib.parse.urljoin(home, "lms.html"))
            page.locator("article a[href='lms-guide.html']").click()
            page.wait_for_url(urllib.parse.urljoin(home, "lms-guide.html"))
            assert page.locator("html").get_attribute("lang") == lang
            source = GUIDE[lang] if GUIDE[lang].is_file() else GUIDE["en"]
            assert page.locator("article h1").inner_text().rstrip("¶").strip() in source.read_text(encoding="utf-8")
            assert page.locator(".md-sidebar--primary").is_hidden()  # not the learners' way
        assert page.log.page_errors == [] and page.log.console_errors == []
    context.close()


@needs_chromium
@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
@pytest.mark.parametrize(("path", "width"), [("lms.html", 1280), ("lms.html", 390), ("en/lms.html", 390),
                                             ("lms-guide.html", 1280), ("en/lms-guide.html", 390)])
def test_hr_pages_have_no_serious_accessibility_violation(browser: Any, mini_built: Path, path: str,
                                                            width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    with static_server(mini_built / "site") as url:
        page.goto(url + path)
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
