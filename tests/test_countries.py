"""Country-specific content: a deployment for some countries shows theirs, hides or folds the rest.

The mini course gets a callout for each of France, Belgium and Québec, a section for France, a
scenario for Belgium, a module-quiz question for France and Belgium and an exam question for
France; each test deploys it (organisation.yml) and looks at the site, the check or a package
run in scorm-again.
"""

from __future__ import annotations

import dataclasses
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.countries import deployed, deployment_problems
from builder.loader import load_project
from builder.organisation import Organisation
from tests.browser import static_server, watch

REPO = Path(__file__).parent.parent
FOREIGN = ("DROIT-FR", "DROIT-BE", "SECTION-FR", "SCENARIO-BE")  # what a Québec deployment must not show
MARKED_QUESTIONS = ("q1-tf", "exam-2")

CALLOUTS = """          en: A point of law.
      - kind: law
        countries: [fr]
        title: {fr: En France, en: In France}
        text: {fr: DROIT-FR français., en: DROIT-FR French.}
      - kind: law
        countries: [be]
        text: {fr: DROIT-BE belge., en: DROIT-BE Belgian.}
      - kind: law
        countries: [ca-qc]
        text: {fr: DROIT-QC québécois., en: DROIT-QC Quebec.}
  - title: {fr: Salariés en France, en: Employees in France}
    countries: [fr]
    body: {fr: SECTION-FR le Code du travail., en: SECTION-FR the Labour Code.}
  - title: {fr: Pour tous, en: For everyone}
    body: {fr: SECTION-TOUS commun., en: SECTION-ALL common.}
"""
SCENARIO = """scenarios:
  - title: {fr: À Bruxelles, en: In Brussels}
    countries: [be]
    situation: {fr: SCENARIO-BE Awa., en: SCENARIO-BE Awa.}
    question: {fr: Que faire ?, en: What to do?}
"""


@pytest.fixture
def marked(mini: Path, edit: Callable[[Path, str, str], None]) -> Path:
    """The mini course with content for France, Belgium and Québec."""
    lesson = mini / "course/lessons/m1/l1.yml"
    edit(lesson, "          en: A point of law.\n", CALLOUTS)
    edit(lesson, "scenarios:\n", SCENARIO)
    edit(mini / "quizzes/q1.yml", "  - id: q1-tf\n", "  - id: q1-tf\n    countries: [fr, be]\n")
    edit(mini / "quizzes/exam.yml", "  - id: exam-2\n", "  - id: exam-2\n    countries: [fr]\n")
    return mini


def deploy(root: Path, countries: list[str], elsewhere: str = "fold") -> None:
    """Deploy a course folder for some countries, as its organisation file says."""
    (root / "organisation.yml").write_text(f"countries: [{', '.join(countries)}]\nelsewhere: {elsewhere}\n",
                                           encoding="utf-8")


def check(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output.splitlines()


def build(root: Path, *options: str) -> None:
    result = CliRunner().invoke(main, ["build", str(root), "--quiet", *options])
    assert result.exit_code == 0, result.output


def lesson_html(root: Path, lang: str = "") -> str:
    return (root / "site" / lang / "m1" / "l1.html").read_text(encoding="utf-8")


def quiz_ids(html: str) -> set[str]:
    """The ids of the questions a quiz page carries for its player."""
    data = re.search(r'<script[^>]*class="bs-quiz-data"[^>]*>(.*?)</script>', html, re.S)
    assert data, "no quiz data in the page"
    return {question["id"] for question in json.loads(data.group(1))["questions"]}


# ------------------------------------------------------------------------------- the authoring model


def test_an_unknown_country_is_an_error_at_its_place(marked: Path, edit) -> None:
    edit(marked / "course/lessons/m1/l1.yml", "countries: [ca-qc]", "countries: [quebec]")
    code, lines = check(marked)
    assert code == 1
    problem = next(line for line in lines if ": error: " in line)
    assert re.match(r"course/lessons/m1/l1\.yml:\d+:\d+: error: .*'quebec'", problem), problem
    hint = lines[lines.index(problem) + 1:][:4]
    assert any("hint:" in line and "'ca-qc'" in line and "'be'" in line for line in hint), hint


def test_without_an_organisation_everything_shows_as_today(marked: Path) -> None:
    code, lines = check(marked)
    assert code == 0 and not [line for line in lines if ": warning: " in line], lines
    build(marked, "--site")
    html = lesson_html(marked)
    assert all(text in html for text in (*FOREIGN, "DROIT-QC")) and "Ailleurs" not in html
    assert "<details" not in html.split("SCENARIO-BE")[0].split("DROIT-FR")[1]  # nothing folded
    assert set(MARKED_QUESTIONS) <= quiz_ids((marked / "site/m1/q1.html").read_text(encoding="utf-8")) | \
        quiz_ids((marked / "site/final-exam/exam.html").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------- the site


def test_a_quebec_deployment_hides_french_and_belgian_content(marked: Path) -> None:
    deploy(marked, ["ca-qc"], "hide")
    code, lines = check(marked)
    assert code == 0 and not [line for line in lines if ": warning: " in line], lines
    build(marked, "--site")
    for lang in ("", "en"):
        html = lesson_html(marked, lang)
        assert "DROIT-QC" in html and "SECTION-" in html and ("A point of law" in html or "Un point de droit" in html)
        assert not [text for text in FOREIGN if text in html], lang
        assert "Ailleurs" not in html and "Elsewhere" not in html
        assert not set(MARKED_QUESTIONS) & quiz_ids((marked / "site" / lang / "m1/q1.html").read_text("utf-8"))
        exam = quiz_ids((marked / "site" / lang / "final-exam/exam.html").read_text("utf-8"))
        assert exam == {"exam-1", "exam-3"}


def test_a_deployment_shows_content_marked_for_one_of_its_countries(marked: Path) -> None:
    deploy(marked, ["be", "ca-qc"], "hide")
    build(marked, "--site")
    html = lesson_html(marked)
    assert "DROIT-BE" in html and "SCENARIO-BE" in html and "DROIT-QC" in html
    assert "DROIT-FR" not in html and "SECTION-FR" not in html
    assert "q1-tf" in quiz_ids((marked / "site/m1/q1.html").read_text("utf-8"))  # marked [fr, be]


def test_fold_puts_the_other_countries_under_a_closed_elsewhere(marked: Path, browser: Any) -> None:
    deploy(marked, ["ca-qc"], "fold")
    build(marked, "--site")
    html = lesson_html(marked)
    assert all(text in html for text in FOREIGN)
    with static_server(marked / "site") as url:
        page = browser.new_page()
        watch(page)
        page.goto(url + "m1/l1.html")
        folds = page.locator("details", has=page.locator("summary", has_text="Ailleurs"))
        summaries = [text.strip() for text in folds.locator(":scope > summary").all_inner_texts()]
        assert summaries == ["Ailleurs\u202f: Belgique, France", "Ailleurs\u202f: France — Salariés en France",
                             "Ailleurs\u202f: Belgique"], summaries
        assert all(folds.nth(i).get_attribute("open") is None for i in range(3))  # closed
        for text in FOREIGN:
            assert not page.get_by_text(text).first.is_visible(), text
        assert page.get_by_text("DROIT-QC").is_visible() and page.get_by_text("SECTION-TOUS").is_visible()
        # the callouts' fold ends their section; the folded section follows the shown ones
        body = page.locator("article").inner_text()
        assert body.index("DROIT-QC") < body.index("Ailleurs\u202f: Belgique, France") < body.index("SECTION-TOUS") \
            < body.index("Ailleurs\u202f: France —")
        folds.first.locator("summary").click()
        assert page.get_by_text("DROIT-FR").is_visible() and page.get_by_text("DROIT-BE").is_visible()
        page.goto(url + "en/m1/l1.html")
        assert page.locator("summary", has_text="Elsewhere: Belgium, France").count() == 1
        page.close()
    # questions are never folded: they are simply not drawn
    assert not set(MARKED_QUESTIONS) & quiz_ids((marked / "site/m1/q1.html").read_text("utf-8"))


# ------------------------------------------------------------------------------- the check


def test_the_check_warns_when_a_deployment_leaves_a_bank_smaller_than_its_draw(marked: Path, edit) -> None:
    edit(marked / "quizzes/exam.yml", "  - id: exam-3\n", "  - id: exam-3\n    countries: [fr, be]\n")
    deploy(marked, ["ca-qc"], "hide")
    code, lines = check(marked)
    problem = ("quizzes/exam.yml:7:7: warning: only 1 question(s) of quiz 'exam' are for learners in Quebec, "
               "fewer than its draw of 2")
    assert problem in lines, lines
    assert code == 0
    assert CliRunner().invoke(main, ["check", str(marked), "--strict"]).exit_code == 1


def test_the_check_warns_when_a_deployment_leaves_a_module_quiz_empty(marked: Path) -> None:
    quiz = marked / "quizzes/q1.yml"
    quiz.write_text(re.sub(r"(?m)^  - id: (q1-[a-z]+)\n(?!    countries)", r"  - id: \1\n    countries: [fr]\n",
                           quiz.read_text("utf-8")), encoding="utf-8")
    deploy(marked, ["ca-qc"], "fold")  # q1-tf was for France and Belgium, now every other is for France
    _, lines = check(marked)
    assert "quizzes/q1.yml:8:1: warning: no question of quiz 'q1' is for learners in Quebec" in lines, lines


# ------------------------------------------------------------------------------- a package in scorm-again


def test_a_quebec_package_plays_to_passed_without_other_countries_questions(
        marked: Path, browser: Any, tmp_path: Path) -> None:
    from tests.test_scorm_runtime import Session, interactions_of, lms_root

    deploy(marked, ["ca-qc"], "hide")
    build(marked, "--scorm12")
    package = next((marked / "dist").glob("*-fr-scorm12.zip"))
    with zipfile.ZipFile(package) as archive:
        pages = "".join(archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".html"))
    assert "DROIT-QC" in pages and not [text for text in FOREIGN if text in pages]
    root = lms_root(tmp_path / "web", [marked / "dist"])
    with static_server(root) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.log = watch(page)
        page.goto(url + "lms.html")
        one = Session(page, url, package.stem, "course", "1.2")
        one.read_lesson("m1/l1.html", "l1")
        one.read_lesson("m1/l2.html", "l2")
        one.take_quiz("m1/q1.html", correct=True)
        one.take_quiz("final-exam/exam.html", correct=True)
        cmi = one.cmi()
        assert cmi["core"]["lesson_status"] == "passed", cmi["core"]
        answered = {item["id"] for item in interactions_of(cmi)}
        assert answered == {"q1-single", "q1-multiple", "q1-match", "q1-order", "q1-fill", "exam-1", "exam-3"}
        context.close()


# ------------------------------------------------------------------------------- the real course


@pytest.mark.parametrize("countries", [["fr"], ["be"], ["ca-qc"], ["ch"]])
def test_the_real_course_keeps_every_quiz_full_for_any_one_country(countries: list[str]) -> None:
    project, _ = load_project(REPO)
    assert project is not None
    for_them = dataclasses.replace(project, organisation=Organisation.model_validate({"countries": countries}))
    assert deployment_problems(for_them) == []
    deployed_quizzes = deployed(for_them).quizzes
    assert any(len(deployed_quizzes[q].questions) < len(project.quizzes[q].questions) for q in project.quizzes)
