"""One file-publishing rule: only safe images from course/images/ reach the site and the packages.

Each hostile file is reported by `bonsens check` at its own path, `bonsens build` refuses the
course (leaving the previous outputs as they were), and the site writer applies the same rule on
its own, so even a caller that skipped the check publishes nothing unsafe.
"""

from __future__ import annotations

import os
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builder.buildstate import BuildRequest, inputs_digest
from builder.cli import main
from builder.loader import lesson_files, load_project
from builder.site import write_docs
from builder.svg_safe import clean_svg
from tests.browser import static_server, watch

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40">'
# name: (the SVG, the line of the offending element, what the error says)
HOSTILE_SVGS: dict[str, tuple[str, int, str]] = {
    "script": (f'{SVG_OPEN}\n<rect width="9" height="9"/>\n<script>alert(1)</script>\n</svg>', 3,
               "SVG element <script> runs code"),
    "onload": ('<svg xmlns="http://www.w3.org/2000/svg"\n onload="alert(1)"><rect width="9" height="9"/></svg>', 2,
               'event handler onload="…" on <svg> runs code'),
    "foreign-object": (f'{SVG_OPEN}\n<foreignObject width="9" height="9"><div xmlns="http://www.w3.org/1999/xhtml">'
                       '<img src="x" onerror="alert(1)"/></div></foreignObject></svg>', 2,
                       "SVG element <foreignObject> embeds HTML"),
    "javascript-link": (f'{SVG_OPEN}\n\n<a xlink:href="javascript:alert(1)"><rect width="9" height="9"/></a></svg>', 3,
                        'link xlink:href="javascript:alert(1)" on <a> leads out of the image'),
    "remote-image": (f'{SVG_OPEN}\n<image href="https://tracker.example/pixel.png" width="9" height="9"/></svg>', 2,
                     'link href="https://tracker.example/pixel.png" on <image> leads out of the image'),
    "html-script": (f'{SVG_OPEN}\n<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>', 2,
                    "HTML element <script> inside the SVG can run code or load content"),
    "animated-link": (f'{SVG_OPEN}<a href="#x">\n<set attributeName="href" to="javascript:alert(1)"/>'
                      '<rect width="9" height="9"/></a></svg>', 2,
                      "SVG element <set> can rewrite links and styles after this check"),
    "css-import": (f'{SVG_OPEN}\n<style>@import "https://tracker.example/a.css";</style></svg>', 2,
                   "<style> loads content or hides it behind escapes (@import, image-set, src, \\)"),
    "css-url": (f'{SVG_OPEN}\n<rect width="9" height="9" style="fill: url(https://tracker.example/p#g)"/></svg>', 2,
                "style=\"fill: url(https://tracker.example/p#g)\" on <rect> loads "
                "'url(https://tracker.example/p#g)' from outside the image"),
    "css-hidden-after-an-element": (f'{SVG_OPEN}\n<style>rect {{ fill: red }}<tspan/>@import "https://tracker.example/a.css";'
                                    '</style></svg>', 2,
                                    "<style> loads content or hides it behind escapes (@import, image-set, src, \\)"),
    "entities": ('<!DOCTYPE svg [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
                 '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', 1,
                 "the SVG declares or uses XML entities (&name;)"),
}
CLEAN_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
             ' width="120" height="40"><!-- drawn in Inkscape --><metadata id="m"/>'
             '<g inkscape:label="Layer 1" data-name="x"><rect width="120" height="40" style="fill:#3f51b5"'
             ' clip-path="url(#c)"/></g><clipPath id="c"><rect width="120" height="40"/></clipPath></svg>')


def png(width: int = 3, height: int = 2) -> bytes:
    """A real, tiny PNG (red pixels), made here so that the test needs no binary fixture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def run(command: str, root: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, [command, str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output.splitlines()


def link_from_lesson(root: Path, markdown: str) -> None:
    """Add `markdown` to lesson l1's first section, in both languages (line 21 in French)."""
    lesson = root / "course/lessons/m1/l1.yml"
    text = lesson.read_text(encoding="utf-8")
    text = text.replace("        ![Un schéma](images/diagram.svg)\n", f"        ![Un schéma](images/diagram.svg)\n"
                        f"        {markdown}\n", 1)
    lesson.write_text(text, encoding="utf-8")


def published(root: Path) -> list[str]:
    """Every file of the built site and of every package, as `where:name`."""
    names = [f"site:{p.relative_to(root / 'site').as_posix()}" for p in (root / "site").rglob("*") if p.is_file()]
    for package in sorted((root / "dist").glob("*.zip")):
        with zipfile.ZipFile(package) as archive:
            names += [f"{package.name}:{name}" for name in archive.namelist()]
    return names


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret file outside the course, that a symbolic link will point at."""
    secret = tmp_path / "secret" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return secret


# --------------------------------------------------------------------------- bonsens check


@pytest.mark.parametrize("variant", sorted(HOSTILE_SVGS))
def test_an_svg_that_can_run_code_or_fetch_is_an_error_at_its_line(mini: Path, variant: str) -> None:
    svg, line, message = HOSTILE_SVGS[variant]
    (mini / "course/images/evil.svg").write_text(svg, encoding="utf-8")
    link_from_lesson(mini, "[voir](images/evil.svg)")
    code, lines = run("check", mini)
    assert code == 1
    assert f"course/images/evil.svg:{line}:1: error: {message}" in lines


def test_what_the_allow_list_does_not_know_is_left_out_with_a_warning(mini: Path) -> None:
    svg = f'{SVG_OPEN}<text x="1" y="9">a <blink>b</blink> c</text>\n<rect width="9" height="9" wobble="2"/></svg>'
    (mini / "course/images/odd.svg").write_text(svg, encoding="utf-8")
    code, lines = run("check", mini)
    assert code == 0
    assert "course/images/odd.svg:1:1: warning: SVG element <blink> is not kept in the published image" in lines
    assert ('course/images/odd.svg:2:1: warning: SVG attribute wobble="…" on <rect> is not kept in the '
            "published image") in lines
    assert b"<text x=\"1\" y=\"9\">a  c</text>" in clean_svg(svg.encode()).data


def test_files_that_are_not_images_are_errors_at_their_path(mini: Path) -> None:
    images = mini / "course/images"
    (images / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (images / "fake.png").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    (images / "photo.jpg").write_bytes(png())  # a PNG named .jpg: its first bytes say so
    (images / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden: left out without a word
    code, lines = run("check", mini)
    assert code == 1
    assert "course/images/page.html:1:1: error: '.html' files are not published: only images go under " \
           "course/images/" in lines
    assert "course/images/fake.png:1:1: error: the file is named .png but its content is not an image" in lines
    assert "course/images/photo.jpg:1:1: error: the file is named .jpg but its content is a PNG image" in lines
    assert not [line for line in lines if "DS_Store" in line]


def test_symbolic_links_are_errors_and_never_read(mini: Path, outside: Path) -> None:
    (mini / "course/images/team-photo.png").symlink_to(outside)
    (mini / "course/images/shared").symlink_to(outside.parent, target_is_directory=True)
    lesson = outside.parent / "l9.yml"
    shutil.copy(mini / "course/lessons/m1/l2.yml", lesson)
    (mini / "course/lessons/m1/l9.yml").symlink_to(lesson)
    code, lines = run("check", mini)
    assert code == 1
    for name in ("course/images/team-photo.png", "course/images/shared", "course/lessons/m1/l9.yml"):
        assert (f"{name}:1:1: error: symbolic link: bonsens never follows links, so this is neither read "
                "nor published") in lines
    assert mini / "course/lessons/m1/l9.yml" not in lesson_files(mini)
    assert not [line for line in lines if "'l2'" in line]  # the linked copy was not loaded as a lesson


def test_a_linked_course_file_is_an_error_and_never_read(mini: Path, outside: Path) -> None:
    outside.write_text("id: [unclosed\nsecret-line: do-not-print\n", encoding="utf-8")  # would be quoted if read
    (mini / "course/course.yml").unlink()
    (mini / "course/course.yml").symlink_to(outside)
    code, lines = run("check", mini)
    assert code == 1
    assert ("course/course.yml:1:1: error: symbolic link: bonsens never follows links, so this is neither read "
            "nor published") in lines
    assert not [line for line in lines if "secret-line" in line or "unclosed" in line]


@pytest.mark.parametrize(("link", "error"), [
    ("[le cours](course.yml)", "link to a file that is not published: 'course.yml'"),
    ("[la leçon](lessons/m1/l2.yml)", "link to a file that is not published: 'lessons/m1/l2.yml'"),
    ("[le quiz](../quizzes/q1.yml)", "link to a file that is not published: '../quizzes/q1.yml'"),
    ("[secret](/etc/passwd)", "link to a file that is not published: '/etc/passwd'"),
    ("[page](images/page.html)", "link to a file that is not published: 'images/page.html'"),
    ("![x](images/missing.png)", "image not found: 'images/missing.png'"),
    (f"![x](images/{'a' * 300}.png)", f"image not found: 'images/{'a' * 300}.png'"),  # too long for the disk
])
def test_a_link_must_lead_to_a_published_file(mini: Path, link: str, error: str) -> None:
    (mini / "course/images/page.html").write_text("<p>hi</p>", encoding="utf-8")
    link_from_lesson(mini, link)
    _, lines = run("check", mini)
    target = link[link.index("(") + 1:-1]
    column = 9 + link.index(target)
    assert f"course/lessons/m1/l1.yml:22:{column}: error: {error}" in lines


def test_links_to_published_images_are_fine(mini: Path) -> None:
    (mini / "course/images/photo de groupe.png").write_bytes(png())
    link_from_lesson(mini, "[le schéma](images/diagram.svg) ![photo](images/photo%20de%20groupe.png#top)")
    code, lines = run("check", mini, "--strict")
    assert code == 0, lines


# --------------------------------------------------------------------------- what gets published


def test_build_refuses_hostile_files_and_keeps_the_previous_outputs(mini: Path, outside: Path) -> None:
    code, output = run("build", mini, "-q")
    assert code == 0, output
    before = published(mini)
    (mini / "course/images/evil.svg").write_text(HOSTILE_SVGS["script"][0], encoding="utf-8")
    (mini / "course/images/page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (mini / "course/images/team-photo.png").symlink_to(outside)
    code, lines = run("build", mini, "-q")
    assert code == 1
    assert "course/images/evil.svg:3:1: error: SVG element <script> runs code" in lines
    assert published(mini) == before


def test_the_site_writer_publishes_only_what_the_rule_allows(mini: Path, outside: Path, tmp_path: Path) -> None:
    """Even when nothing checked the course first (a caller that skips `bonsens check`)."""
    images = mini / "course/images"
    for variant, (svg, _, _) in HOSTILE_SVGS.items():
        (images / f"{variant}.svg").write_text(svg, encoding="utf-8")
    (images / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (images / "fake.png").write_text("<html></html>", encoding="utf-8")
    (images / "team-photo.png").symlink_to(outside)
    (images / "shared").symlink_to(outside.parent, target_is_directory=True)
    (images / "photo.png").write_bytes(png())
    (images / "clean.svg").write_text(CLEAN_SVG, encoding="utf-8")
    project, _ = load_project(mini)
    assert project is not None
    docs = tmp_path / "docs"
    names = [name for name in write_docs(project, docs) if name.startswith("images/")]
    assert names == [f"images/{stem}.{lang}.{ext}" for stem, ext in (("clean", "svg"), ("diagram", "svg"),
                                                                     ("photo", "png")) for lang in ("en", "fr")]
    assert (docs / "images/photo.fr.png").read_bytes() == png()
    assert b"root:" not in b"".join(p.read_bytes() for p in docs.rglob("*") if p.is_file())


def test_clean_images_publish_cleaned_in_the_site_and_every_package(mini: Path) -> None:
    (mini / "course/images/photo.png").write_bytes(png())
    (mini / "course/images/clean.svg").write_text(CLEAN_SVG, encoding="utf-8")
    link_from_lesson(mini, "![Une photo](images/photo.png) ![Un dessin](images/clean.svg)")
    code, output = run("build", mini, "-q")
    assert code == 0, output
    names = published(mini)
    for where in ["site:", "site:en/", *[f"{p.name}:" for p in sorted((mini / 'dist').glob('*-fr-*.zip'))]]:
        for image in ("photo.png", "clean.svg", "diagram.svg"):
            assert f"{where}images/{image}" in names
    assert (mini / "site/images/photo.png").read_bytes() == png()
    drawing = (mini / "site/images/clean.svg").read_text(encoding="utf-8")
    assert 'clip-path="url(#c)"' in drawing and "fill:#3f51b5" in drawing
    assert "Inkscape" not in drawing and "inkscape" not in drawing and "data-name" not in drawing


def test_the_build_input_digest_does_not_follow_symbolic_links(mini: Path, outside: Path) -> None:
    (mini / "course/images/team-photo.png").symlink_to(outside)
    before = inputs_digest(mini, BuildRequest())
    outside.write_text("changed, and never read\n", encoding="utf-8")
    assert inputs_digest(mini, BuildRequest()) == before
    os.remove(mini / "course/images/team-photo.png")
    assert inputs_digest(mini, BuildRequest()) != before


# --------------------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The mini course built with a PNG and an SVG, plus the cleaned copy of every hostile SVG
    placed beside them, as if it had been published."""
    root = tmp_path_factory.mktemp("files") / "c"
    shutil.copytree(FIXTURE, root)
    (root / "course/images/photo.png").write_bytes(png())
    (root / "course/images/clean.svg").write_text(CLEAN_SVG, encoding="utf-8")
    link_from_lesson(root, "![Une photo](images/photo.png) ![Un dessin](images/clean.svg)")
    code, output = run("build", root, "--site", "-q")
    assert code == 0, output
    for variant, (svg, _, _) in HOSTILE_SVGS.items():
        (root / f"site/images/cleaned-{variant}.svg").write_bytes(clean_svg(svg.encode()).data)
    with static_server(root / "site") as url:
        yield root, url


def _local_only(requests: list[str], url: str) -> list[str]:
    return [request for request in requests if not request.startswith(url) and not request.startswith("data:")]


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_published_images_display_and_cleaned_svgs_run_nothing(browser: Any, built_site: tuple[Path, str]) -> None:
    _, url = built_site
    page = browser.new_page()
    log = watch(page)
    page.goto(url + "m1/l1.html")
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
    shown = dict(page.evaluate("() => Array.from(document.images).map(i => [i.src, i.naturalWidth])"))
    assert shown[url + "images/photo.png"] == 3 and shown[url + "images/clean.svg"] == 120
    for variant in sorted(HOSTILE_SVGS):
        page.goto(url + f"images/cleaned-{variant}.svg")  # opened as a document: where scripts would run
        page.wait_for_load_state("load")
        assert page.evaluate("() => document.documentElement.localName") == "svg"
        assert page.evaluate("() => document.querySelectorAll('script, foreignObject, set, [onload]').length") == 0
    page.close()
    assert log.dialogs == [] and log.page_errors == []
    assert _local_only(log.requests, url) == []
