"""Screenshots of the course as a learner sees it, for docs/screenshots/ (`make screenshots`).

Builds the course in a temporary copy (or takes an already built site with --site), serves it on
127.0.0.1 and drives Debian's Chromium through a learner's journey: the home page, a lesson, a
quiz before and after answering, then every lesson read and every quiz passed so that the
certificate is issued. Each view is taken on a desktop (1280 px) and a phone (390 px), in every
language of the course, as `<lang>-<width>-<view>.png`.

    .venv/bin/python scripts/screenshots.py [--course DIR] [--site DIR] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the builder and the scripted learner of the tests

from tests.browser import launch, static_server  # noqa: E402
from tests.learner import answer_quiz  # noqa: E402

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
NAME = "Camille Martin"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--course", type=Path, default=REPO, help="the course folder (course/, quizzes/, mkdocs.yml)")
    parser.add_argument("--site", type=Path, help="a site built by `bonsens build` (then nothing is built)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="where the PNG files go")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with built_site(args.course, args.site) as site:
        written = capture_all(site, args.out)
    print(f"{len(written)} screenshots in {args.out}")


@contextmanager
def built_site(course: Path, site: Path | None) -> Iterator[Path]:
    """The given site, or the course built in a temporary copy (never in the course folder itself)."""
    if site is not None:
        yield site
        return
    from click.testing import CliRunner

    from builder.cli import main as bonsens

    with tempfile.TemporaryDirectory(prefix="bonsens-screenshots-") as temp:
        root = Path(temp)
        for name in ("course", "quizzes"):
            shutil.copytree(course / name, root / name)
        if (course / "mkdocs.yml").is_file():
            shutil.copy(course / "mkdocs.yml", root / "mkdocs.yml")
        result = CliRunner().invoke(bonsens, ["build", str(root), "--site", "--quiet"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        yield root / "site"


def capture_all(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with static_server(site) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            languages = course_languages(browser, url)
            for lang, root in languages.items():
                for device, (width, height) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  is_mobile=device == "phone", has_touch=device == "phone",
                                                  device_scale_factor=1)
                    page = context.new_page()
                    written += journey(page, url + root, out, f"{lang}-{width}")
                    context.close()
        finally:
            browser.close()
    return written


def course_languages(browser: Any, url: str) -> dict[str, str]:
    """Each language of the site and where its pages start: the default at the root, others in a folder."""
    page = browser.new_page()
    page.goto(url + "index.html")
    default = page.evaluate("window.BonSensCourse.lang")
    others = page.eval_on_selector_all(".md-select__link[hreflang]", "links => links.map(a => a.hreflang)")
    page.close()
    return {default: "", **{lang: f"{lang}/" for lang in others if lang != default}}


def journey(page: Any, base: str, out: Path, prefix: str) -> list[Path]:
    """A learner's way through the course, one screenshot per view worth showing."""
    shots: list[Path] = []

    def shoot(view: str, full_page: bool = True) -> None:
        path = out / f"{prefix}-{view}.png"
        # transitions finished (Material's header swaps its title once the page scrolls)
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        shots.append(path)

    page.goto(base + "index.html")
    course = page.evaluate("window.BonSensCourse")
    shoot("home")
    first = course["modules"][0]
    page.goto(base + first["lessons"][0]["url"].removeprefix("./"))
    shoot("lesson", full_page=False)
    page.locator(".bs-next").scroll_into_view_if_needed()
    shoot("lesson-end", full_page=False)
    page.goto(base + first["quiz"]["url"].removeprefix("./"))
    shoot("quiz", full_page=False)
    answer_quiz(page, correct=False)
    page.locator(".bs-summary").scroll_into_view_if_needed()
    shoot("quiz-answered", full_page=False)
    page.evaluate("window.scrollTo(0, 0)")
    complete_course(page, base, course)
    page.goto(base + course["pages"]["certificate"].removeprefix("./"))
    give_name(page)
    shoot("certificate")
    return shots


def complete_course(page: Any, base: str, course: dict[str, Any]) -> None:
    """Every lesson read to its end and every quiz passed, as a learner would."""
    for module in course["modules"]:
        for lesson in module["lessons"]:
            page.goto(base + lesson["url"].removeprefix("./"))
            page.locator(".bs-lesson-end").scroll_into_view_if_needed()
            page.locator(".bs-lesson-done").wait_for()
        if module["quiz"]:
            page.goto(base + module["quiz"]["url"].removeprefix("./"))
            answer_quiz(page, correct=True)
    if course["final_exam"]:
        page.goto(base + course["final_exam"]["url"].removeprefix("./"))
        answer_quiz(page, correct=True)


def give_name(page: Any) -> None:
    """The certificate asks the learner's name once: give it, as a learner would."""
    field = page.locator(".bs-certificate input[type=text], .bs-certificate input:not([type])").first
    if field.count():
        field.fill(NAME)
        field.press("Enter")
    page.locator(".bs-cert").get_by_text(NAME).first.wait_for()  # the certificate, drawn with the name


if __name__ == "__main__":
    main()
