"""`bonsens preview` in HR's words: the summary of what the LMS will record, and the report to keep.

A package of the mini course, served by the real preview in Chromium and played by the scripted
learner (pages read, the module quiz failed then passed, the exam): the summary must say what the
strict LMS's data model holds, the CSV and the HTML report must carry the same answers, the SCO's
frame must get the height of the window with nothing over it, and axe must find no serious
accessibility violation.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.learner import answer_quiz
from tests.test_preview import dist, package, preview_page, serving, wait_until

__all__ = ["dist"]  # the module-scoped build of the mini course, shared with test_preview.py

AXE = Path(__file__).parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def content(page: Any) -> Any:
    """The course page inside the SCO (the SCO's shell frames its pages)."""
    frame = page.frame(name="bs-sco-frame")
    assert frame is not None, [f.name for f in page.frames]
    return frame


def launch(page: Any) -> None:
    page.locator("#toc tbody tr.launchable button").first.click()
    wait_until(page, lambda: page.frame(name="bs-sco-frame") is not None and "index.html" in content(page).url)


def play(page: Any) -> None:
    """In the launched SCO: read both lessons, fail the module quiz, pass it, pass the exam."""
    base = content(page).url.removesuffix("index.html")  # the course's language folder, if any
    for path in ("m1/l1.html", "m1/l2.html", "m1/q1.html"):
        content(page).goto(base + path)
    answer_quiz(content(page), correct=False)
    content(page).goto(base + "m1/q1.html")
    answer_quiz(content(page), correct=True)
    content(page).goto(base + "final-exam/exam.html")
    answer_quiz(content(page), correct=True)


def model(page: Any) -> dict[str, str]:
    result: dict[str, str] = page.evaluate("window.BonSensPreview.lms().model()")
    return result


def download(page: Any, button: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    return Path(info.value.path()).read_bytes()


def question_rows(page: Any) -> Any:
    return page.locator("#summary-questions tbody tr")


@pytest.mark.parametrize(("lang", "standard"), [("en", "scorm2004"), ("fr", "scorm12")])
def test_summary_matches_the_data_model(dist: Path, browser: Any, lang: str, standard: str) -> None:
    is12 = standard == "scorm12"
    with serving(package(dist, lang, standard)) as preview, preview_page(browser, preview) as page:
        launch(page)
        summary = page.locator("#summary")
        if not is12:  # a normal first 2004 launch: the odd-looking parts are explained
            expect(summary.locator(".expected")).to_contain_text("“incomplete / unknown” is expected")
        expect(summary).to_contain_text("No score yet")
        expect(question_rows(page)).to_contain_text(["No question answered yet"])

        play(page)
        wait_until(page, lambda: model(page).get("cmi.core.score.raw" if is12 else "cmi.score.raw", "") != "")
        data = model(page)
        count = int(data["cmi.interactions._count"])
        assert count > 6  # the module quiz twice, then the exam
        expect(question_rows(page)).to_have_count(count)

        facts = page.locator("#summary .facts")
        if is12:
            expect(facts).to_contain_text("Status" + data["cmi.core.lesson_status"])
        else:
            expect(facts).to_contain_text("Completion" + data["cmi.completion_status"])
            expect(facts).to_contain_text("Success" + data["cmi.success_status"])
        score = data["cmi.core.score.raw" if is12 else "cmi.score.raw"]
        expect(facts).to_contain_text(f"Score{score} / 100 From the final exam.")
        expect(facts).to_contain_text(f"Questions answered{count}")

        # The first question of the first attempt (wrong) and of the second (right), as the model says
        prefix = "cmi.interactions.0."
        first = question_rows(page).nth(0).locator("td")
        text = "(not recorded in SCORM 1.2)" if is12 else data[prefix + "description"]
        expect(first).to_have_text([text, data[prefix + ("student_response" if is12 else "learner_response")],
                                    data[prefix + "correct_responses.0.pattern"], "wrong", "1", "1", "q1-single"])
        second = next(i for i in range(count) if data[f"cmi.interactions.{i}.id"] == "q1-single_a2")
        expect(question_rows(page).nth(second).locator("td").nth(3)).to_have_text("correct")
        expect(question_rows(page).nth(second).locator("td").nth(5)).to_have_text("2")

        # The answers as a spreadsheet: UTF-8 with a BOM, one row per interaction
        raw = download(page, "Download answers (CSV)")
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert len(rows) == count
        assert [row["question id"] for row in rows] == [data[f"cmi.interactions.{i}.id"] for i in range(count)]
        assert rows[0]["question text"] == text
        assert rows[0]["result"] == "wrong" and rows[second]["result"] == "correct"
        assert list(rows[0]) == ["question id", "question text", "learner answer", "correct answer", "result",
                                 "weighting", "latency", "time"]

        # The page to keep: the same table, no script, nothing loaded from elsewhere
        report = download(page, "Download report (HTML)").decode("utf-8")
        assert "<table>" in report and "Answered questions (" + str(count) + ")" in report
        assert report.count("<tr>") >= count + 1
        assert "<script" not in report.lower()
        assert not re.search(r"\b(src|href)\s*=|@import|url\(", report)
        assert text.replace('"', "&quot;") in report
        page.set_viewport_size({"width": 1440, "height": 900})
        page.screenshot(path=f"/tmp/preview-summary-{lang}-{standard}.png", full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1024, 768)])
def test_the_sco_gets_the_window_and_nothing_covers_it(dist: Path, browser: Any, width: int, height: int) -> None:
    with serving(package(dist, "en", "scorm2004")) as preview, preview_page(browser, preview) as page:
        page.set_viewport_size({"width": width, "height": height})
        launch(page)
        page.locator("#sco-frame").scroll_into_view_if_needed()
        box = page.locator("#sco-frame").bounding_box()
        assert box is not None
        assert box["height"] >= 0.7 * height, box
        covered = page.evaluate("""() => {
          const frame = document.getElementById("sco-frame");
          const r = frame.getBoundingClientRect();
          const points = [[r.left + 2, r.top + 2], [r.right - 3, r.top + 2], [r.left + 2, r.bottom - 3],
                          [r.right - 3, r.bottom - 3], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
          return points.filter(([x, y]) => document.elementFromPoint(x, y) !== frame);
        }""")
        assert covered == []
        page.screenshot(path=f"/tmp/preview-{width}x{height}.png", full_page=True)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
def test_no_serious_accessibility_violation(dist: Path, browser: Any) -> None:
    with serving(package(dist, "en", "scorm12")) as preview, preview_page(browser, preview) as page:
        launch(page)
        page.evaluate("document.getElementById('developer').open = true")  # the developer panels too
        page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the page's CSP forbids inline scripts
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == []
