"""Packages per learning path: names, manifests, what a path's package holds, and how it plays.

The mini course gets a second module (lesson l3) and three paths, as in tests/test_paths.py:
`core` (lesson l1 and the exam, drawing 1 of the questions on l1), `first` (module m1 whole, no
exam) and `all` (both modules). Exam questions are marked with the lessons they test.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from builder.cli import main
from builder.loader import load_project
from builder.paths import course_paths
from tests.browser import static_server
from tests.paths_course import add_paths

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMAS = Path(__file__).parent.parent.parent / "shared" / "scorm-schemas"
PATHS = ("core", "first", "all")
PATH_BLOCK = """paths:
  - id: core
    title: {fr: L'essentiel, en: The essentials}
    description: {fr: Pour tout le monde., en: For everyone.}
    lessons: [l1]
    exam: {draw: 1}
  - id: first
    title: {fr: Premier module, en: First module}
    modules: [m1]
    exam: false
  - id: all
    title: {fr: Tout, en: Everything}
    modules: [m1, m2]
"""


def with_paths(target: Path) -> Path:
    """The mini course, copied to `target`, with two modules, three paths and marked exam questions."""
    shutil.copytree(FIXTURES / "mini", target)
    return add_paths(target, PATH_BLOCK)


def build(root: Path, *options: str) -> str:
    result = CliRunner().invoke(main, ["build", str(root), "--quiet", *options])
    assert result.exit_code == 0, result.output
    return result.output


def name(path: str, lang: str, standard: str, multi: bool = False) -> str:
    return f"mini-course-1.0.0-{path}-{lang}-{standard}{'-multisco' if multi else ''}.zip"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: the site and every path's packages (single SCO), plus `core` in one SCO per
    module, kept aside in multi/ (a build replaces dist/ whole)."""
    root = with_paths(tmp_path_factory.mktemp("paths") / "mini")
    build(root, "--multi-sco", "--path", "core")
    shutil.copytree(root / "dist", root.parent / "multi")
    build(root)
    return root


def read(package: Path, member: str) -> bytes:
    with zipfile.ZipFile(package) as archive:
        return archive.read(member)


def members(package: Path) -> set[str]:
    with zipfile.ZipFile(package) as archive:
        return set(archive.namelist())


# ------------------------------------------------------------------------------- names and manifests


def test_one_package_per_path_language_and_standard_named_after_the_path(course: Path) -> None:
    found = sorted(p.name for p in (course / "dist").glob("*.zip"))
    assert found == sorted(name(path, lang, standard) for path in PATHS for lang in ("fr", "en")
                           for standard in ("scorm12", "scorm2004", "cmi5"))


def test_the_manifest_names_the_path_and_its_length(course: Path) -> None:
    project, _ = load_project(course, review_quizzes=False)
    assert project is not None
    minutes = {plan.id: plan.minutes for plan in course_paths(project)}
    for path, title in (("core", "Mini-cours — L’essentiel"), ("all", "Mini-cours — Tout")):  # French ’
        root = etree.fromstring(read(course / "dist" / name(path, "fr", "scorm12"), "imsmanifest.xml"))
        assert root.get("identifier") == f"mini-course-1.0.0-{path}-fr"
        assert root.findtext("{*}organizations/{*}organization/{*}title") == title
        lom = root.find("{*}metadata/{*}lom")
        assert lom.findtext("{*}general/{*}title/{*}langstring") == title
        hours, rest = divmod(minutes[path], 60)
        assert lom.findtext("{*}educational/{*}typicallearningtime/{*}datetime") == f"{hours:02d}:{rest:02d}:00"
    core = etree.fromstring(read(course / "dist" / name("core", "en", "scorm2004"), "imsmanifest.xml"))
    lom = core.find("{*}metadata/{*}lom")
    assert lom.findtext("{*}general/{*}title/{*}string") == "Mini course — The essentials"
    assert lom.findtext("{*}general/{*}description/{*}string").startswith("For everyone.")
    assert lom.findtext("{*}educational/{*}typicalLearningTime/{*}duration") == f"PT0H{minutes['core']}M"
    assert minutes["core"] < minutes["first"] < minutes["all"]


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="../shared/scorm-schemas is not beside the repository")
def test_every_path_manifest_is_valid_against_the_official_schemas(course: Path) -> None:
    schemas = {"scorm12": etree.XMLSchema(etree.parse(str(SCHEMAS / "scorm12" / "offline-driver.xsd"))),
               "scorm2004": etree.XMLSchema(etree.parse(str(SCHEMAS / "scorm2004-4th" / "offline-driver.xsd"))),
               "cmi5": etree.XMLSchema(etree.parse(str(SCHEMAS / "cmi5" / "CourseStructure.xsd")))}
    packages = [*(course / "dist").glob("*.zip"), *(course.parent / "multi").glob("*.zip")]
    # 3 paths × 2 languages × 3 standards, and the multi-SCO build's: `core` × 2 languages × 3
    assert len(packages) == 24
    for package in packages:
        standard = next(s for s in ("scorm2004", "cmi5", "scorm12") if s in package.name)
        manifest = etree.fromstring(read(package, "cmi5.xml" if standard == "cmi5" else "imsmanifest.xml"))
        if standard == "scorm12":  # imsmd 1.2.1 cannot be loaded by libxml2 (see the schemas' README)
            for lom in manifest.iter("{http://www.imsglobal.org/xsd/imsmd_rootv1p2p1}lom"):
                lom.getparent().remove(lom)
        assert schemas[standard].validate(manifest.getroottree()), f"{package.name}: {schemas[standard].error_log}"


def test_identifiers_stay_the_same_across_rebuilds_of_the_same_version(tmp_path: Path) -> None:
    root = with_paths(tmp_path / "mini")
    build(root, "--scorm2004", "--path", "core")
    first = read(root / "dist" / name("core", "fr", "scorm2004"), "imsmanifest.xml")
    lesson = root / "course/lessons/m1/l1.yml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Un point", "Un autre point"), encoding="utf-8")
    build(root, "--scorm2004", "--path", "core")
    second = read(root / "dist" / name("core", "fr", "scorm2004"), "imsmanifest.xml")
    ids = [[e.get("identifier") for e in etree.fromstring(m).iter() if e.get("identifier")] for m in (first, second)]
    assert ids[0] == ids[1] and "mini-course-1.0.0-core-fr" in ids[0]


# ------------------------------------------------------------------------------- what a path package holds


def links_of(tree: Any, page: str) -> set[str]:
    """Where a page's own links lead (relative to the language's root), anchors and URLs left out."""
    found = set()
    for href in tree.xpath("//a/@href"):
        if href.startswith(("#", "http:", "https:", "mailto:", "tel:")) or not href.split("#")[0]:
            continue
        found.add(posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0])))
    return found


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_path_package_holds_only_its_pages_and_leads_only_to_them(course: Path, lang: str) -> None:
    prefix = "" if lang == "fr" else "en/"
    package = course / "dist" / name("core", lang, "scorm12")
    files = members(package)
    pages = {f[len(prefix):] for f in files if f.endswith(".html") and f.startswith(prefix)
             and not f.startswith("sco-") and (prefix or not f.startswith("en/"))}
    assert pages == {"index.html", "m1/l1.html", "final-exam/exam.html", "certificate.html"}
    assert not [f for f in files if "search/" in f or f.endswith("lms.html")]  # site only
    for page in pages:
        tree = lxml_html.fromstring(read(package, prefix + page))
        assert {link for link in links_of(tree, page) if link.endswith(".html")} <= pages, page
    lesson = lxml_html.fromstring(read(package, prefix + "m1/l1.html"))
    step = lesson.xpath('//nav[contains(@class, "bs-next")]//a/@href')
    assert step == ["../final-exam/exam.html"]  # not the whole course's next lesson, l2
    home = lxml_html.fromstring(read(package, prefix + "index.html"))
    assert [card.get("data-module-id") for card in home.xpath('//li[@data-module-id]')] == ["m1"]
    script = read(package, prefix + "bonsens-course.js").decode()
    data = json.loads(script[script.index("{"):script.rindex("}") + 1])
    assert [path["id"] for path in data["paths"]] == ["core"] and data["learners_choose"] is False


def test_a_path_exam_draws_only_from_its_pool(course: Path) -> None:
    for lang, prefix in (("fr", ""), ("en", "en/")):
        for path, pool, draw in (("core", {"exam-1", "exam-3"}, 1), ("all", {"exam-1", "exam-2", "exam-3"}, 2)):
            page = lxml_html.fromstring(read(course / "dist" / name(path, lang, "scorm2004"),
                                             prefix + "final-exam/exam.html"))
            data = json.loads(page.xpath('//script[contains(@class, "bs-quiz-data")]')[0].text)
            assert {q["id"] for q in data["questions"]} == pool and data["draw"] == draw
            launch = read(course / "dist" / name(path, lang, "scorm2004"), "sco-course.html").decode()
            assert ("exam-2" in launch) == (path == "all")  # the suspend data's question list
    assert "exam.html" not in " ".join(members(course / "dist" / name("first", "fr", "scorm12")))


def test_the_hr_page_lists_packages_by_path(course: Path) -> None:
    page = lxml_html.fromstring((course / "site" / "lms.html").read_bytes())
    headings = [h.text_content() for h in page.xpath("//article//h3")]
    assert [h.split(" — ")[0] for h in headings] == ["L’essentiel", "Premier module", "Tout"]
    assert all("min" in h for h in headings)
    tables = page.xpath('//div[contains(@class, "hr-packages")]//table')
    assert len(tables) == 3
    for path, table in zip(PATHS, tables, strict=True):
        files = [a.text for a in table.xpath(".//a")]
        assert sorted(files) == sorted(name(path, lang, s) for lang in ("fr", "en")
                                       for s in ("scorm12", "scorm2004", "cmi5"))
        recommended = [row.xpath(".//a")[0].text for row in table.xpath(".//tr[.//strong]")]
        assert recommended == [name(path, "fr", "scorm12"), name(path, "en", "scorm12")]
    assert "Pour tout le monde." in page.text_content()


# ------------------------------------------------------------------------------- the build


def test_path_option_packages_only_the_chosen_paths(tmp_path: Path) -> None:
    root = with_paths(tmp_path / "mini")
    build(root, "--scorm12", "--path", "first", "--path", "core")
    assert sorted(p.name for p in (root / "dist").glob("*.zip")) == sorted(
        name(path, lang, "scorm12") for path in ("core", "first") for lang in ("fr", "en"))
    result = CliRunner().invoke(main, ["build", str(root), "--path", "nope"])
    assert result.exit_code == 1
    assert "unknown learning path 'nope'" in result.output and "core, first, all" in result.output
    assert "untouched" in result.output
    assert len(list((root / "dist").glob("*.zip"))) == 4


def test_an_edit_to_one_path_rebuilds_only_the_packages_that_hold_it(tmp_path: Path) -> None:
    root = with_paths(tmp_path / "mini")
    build(root, "--scorm12")
    before = {p.name: p.read_bytes() for p in (root / "dist").glob("*.zip")}
    lesson = root / "course/lessons/m2/l3.yml"  # l3 is in the `all` path only
    text = lesson.read_text(encoding="utf-8")
    assert "Retour à la" in text and "Back to the" in text
    lesson.write_text(text.replace("Retour à la", "Revenez à la").replace("Back to the", "Go back to the"),
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root), "--scorm12", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["reused_packages"] == 4  # core and first, in both languages
    after = {p.name: p.read_bytes() for p in (root / "dist").glob("*.zip")}
    changed = [n for n in sorted(after) if after[n] != before[n]]
    assert changed == [name("all", lang, "scorm12") for lang in ("en", "fr")]


def test_a_course_without_paths_keeps_its_package_names(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    build(root, "--scorm12")
    assert sorted(p.name for p in (root / "dist").glob("*.zip")) == [
        "mini-course-1.0.0-en-scorm12.zip", "mini-course-1.0.0-fr-scorm12.zip"]
    result = CliRunner().invoke(main, ["build", str(root), "--path", "core"])
    assert result.exit_code == 1 and "declares no `paths:`" in result.output


# ------------------------------------------------------------------------------- played in scorm-again


@pytest.fixture(scope="module")
def lms_url(course: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.test_scorm_runtime import lms_root

    root = lms_root(tmp_path_factory.mktemp("lms"), [course / "dist"])
    with static_server(root) as url:
        yield url


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_a_path_package_plays_to_passed_in_scorm_again(browser: Any, lms_url: str, standard: str) -> None:
    from tests.browser import watch
    from tests.test_scorm_runtime import Session, assert_one_clean_session, check_interactions, status

    pytest.importorskip("playwright")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.log = watch(page)
    page.goto(lms_url + "lms.html")
    try:
        package = name("core", "en", "scorm12" if standard == "1.2" else "scorm2004")[:-4]
        one = Session(page, lms_url, package, "course", standard)
        config = one.runtime("window.BonSensSCO.config")
        assert config["lessons"] == ["l1"] and config["quizzes"] == ["exam"]
        assert set(config["questions"]) == {"exam-1", "exam-3"}
        one.read_lesson("en/m1/l1.html", "l1")
        one.goto("en/final-exam/exam.html")
        shown = one.answer(correct=True)
        assert len(shown) == 1 and set(shown) <= {"exam-1", "exam-3"}
        one.submit()
        one.exit()
        cmi = one.cmi()
        s = status(one, cmi)
        assert s["raw"] == "100"
        if one.v2004:
            assert (s["completion"], s["success"]) == ("completed", "passed")
        else:
            assert s["lesson"] == "passed"
        assert [o["id"] for o in (cmi.get("objectives") or {}).values()] == ["m1"]
        assert [item["id"].split("-")[-2:] for item in check_interactions(one, cmi)] == [shown[0].split("-")]
        assert_one_clean_session(one)
    finally:
        context.close()
