"""`bonsens serve`: the preview follows the trainer's edits, shows located errors in the page, answers
only to its own host, and moves off a taken port before printing its URL."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import watch

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
BONSENS = Path(sys.executable).parent / "bonsens"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_a_lesson_changes(tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(FIXTURE, root)
    port = free_port()
    url = f"http://127.0.0.1:{port}/m1/l2.html"
    server = subprocess.Popen([str(BONSENS), "serve", str(root), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "Deuxième leçon" in fetch(url))
        lesson = root / "course/lessons/m1/l2.yml"
        lesson.write_text(lesson.read_text(encoding="utf-8").replace("fr: Deuxième leçon", "fr: Leçon revue"),
                          encoding="utf-8")
        assert wait_for(lambda: "Leçon revue" in fetch(url))
        lesson.write_text(lesson.read_text(encoding="utf-8").replace("minutes: 5", "minutes: 500"), encoding="utf-8")
        time.sleep(3)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "course/lessons/m1/l2.yml:9:10: error: 'minutes' must be at most 120, not 500" in output
    assert "Traceback" not in output


# --------------------------------------------------------------------------- one server, several edits


@dataclass
class Served:
    root: Path
    port: int
    process: subprocess.Popen[str]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`bonsens serve` on a copy of the mini course, for the tests below, in their order."""
    root = tmp_path_factory.mktemp("serve") / "c"
    shutil.copytree(FIXTURE, root)
    port = free_port()
    process = subprocess.Popen([str(BONSENS), "serve", str(root), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    served = Served(root, port, process)
    try:
        assert wait_for(lambda: "Deuxième leçon" in fetch(served.url("m1/l2.html")), 60)
        yield served
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
        assert "Traceback" not in output, output


def status_of(port: int, path: str, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": host})
    status = connection.getresponse().status
    connection.close()
    return status


def test_serve_answers_only_to_its_own_host(served: Served) -> None:
    port = served.port
    assert status_of(port, "/m1/l1.html", f"127.0.0.1:{port}") == 200
    assert status_of(port, "/m1/l1.html", f"localhost:{port}") == 200
    assert status_of(port, "/m1/l1.html", "evil.example") == 421
    assert status_of(port, "/m1/l1.html", f"evil.example:{port}") == 421
    assert status_of(port, "/m1/l1.html", f"127.0.0.1:{port + 1}") == 421


def test_titles_reach_the_navigation_and_the_header(served: Served, edit: Any) -> None:
    edit(served.root / "course/lessons/m1/l2.yml", "fr: Deuxième leçon", "fr: Leçon retitrée")
    edit(served.root / "course/course.yml", "fr: Mini-cours", "fr: Cours retitré")
    other_page = served.url("m1/l1.html")  # names the second lesson only in its navigation

    def renamed() -> bool:
        page = fetch(other_page)
        return "Leçon retitrée" in page and "Cours retitré" in page

    assert wait_for(renamed, 60)
    page = fetch(other_page)
    assert "Deuxième leçon" not in page and "Mini-cours" not in page


def test_a_lesson_added_to_course_yml_appears_in_the_navigation(served: Served, edit: Any) -> None:
    lessons = served.root / "course/lessons/m1"
    text = (lessons / "l2.yml").read_text(encoding="utf-8")
    (lessons / "l3.yml").write_text(text.replace("id: l2", "id: l3").replace("fr: Leçon retitrée",
                                                                             "fr: Troisième leçon"), encoding="utf-8")
    edit(served.root / "course/course.yml", "lessons: [l1, l2]", "lessons: [l1, l2, l3]")
    assert wait_for(lambda: "Troisième leçon" in fetch(served.url("m1/l1.html")), 60)
    assert "Troisième leçon" in fetch(served.url("m1/l3.html"))


def test_a_mistake_shows_in_the_page_located_then_the_page_comes_back(served: Served, browser: Any,
                                                                      edit: Any) -> None:
    lesson = served.root / "course/lessons/m1/l2.yml"
    context = browser.new_context()
    page = context.new_page()
    log = watch(page)
    try:
        page.goto(served.url("m1/l2.html"))
        expect(page.locator("h1")).to_contain_text("Leçon retitrée")
        edit(lesson, "minutes: 5", "minutes: <img src=x onerror=alert(1)>")
        # The page the trainer looks at reloads by itself and shows the problem, located, as text
        problem = page.locator("pre").first
        expect(problem).to_contain_text("course/lessons/m1/l2.yml:9:10: error:", timeout=60_000)
        expect(problem).to_contain_text("minutes: <img src=x onerror=alert(1)>")
        expect(problem).to_contain_text("^")
        assert page.locator("img").count() == 0 and log.dialogs == []
        edit(lesson, "minutes: <img src=x onerror=alert(1)>", "minutes: 5")
        expect(page.locator("h1")).to_contain_text("Leçon retitrée", timeout=60_000)
        assert log.dialogs == []
    finally:
        context.close()


def test_a_rebuild_leaves_the_build_folder_alone_and_a_build_runs_beside(served: Served, edit: Any) -> None:
    built = subprocess.run([str(BONSENS), "build", "--site", "--quiet", str(served.root)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    work = served.root / ".bonsens"
    serve_work = work / "serve"
    before = {path: path.read_bytes() for path in work.rglob("*")
              if path.is_file() and serve_work not in path.parents}
    assert work / "mkdocs.yml" in before and any(path.suffix == ".md" for path in before)
    edit(served.root / "course/lessons/m1/l1.yml", "fr: Première leçon", "fr: Leçon une")
    assert wait_for(lambda: "Leçon une" in fetch(served.url("m1/l1.html")), 60)
    after = {path: path.read_bytes() for path in work.rglob("*")
             if path.is_file() and serve_work not in path.parents and path.name != "build.lock"}
    assert after == {path: data for path, data in before.items() if path.name != "build.lock"}
    assert "Première leçon" in (served.root / "site/m1/l1.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the port


def test_a_taken_port_is_replaced_and_said_before_the_url(tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(FIXTURE, root)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        process = subprocess.Popen([str(BONSENS), "serve", str(root), "--port", str(busy)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, "NO_COLOR": "1"})
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline(), process.stdout.readline()]
            assert lines[0].startswith(f"port {busy} is taken: using "), lines
            url = re.search(r"http://127\.0\.0\.1:(\d+)/", lines[1])
            assert url and int(url.group(1)) != busy, lines
            assert f":{busy}" not in lines[1]
            assert wait_for(lambda: "Deuxième leçon" in fetch(f"{url.group(0)}m1/l2.html"), 60)
        finally:
            process.terminate()
            output, _ = process.communicate(timeout=20)
    assert "Traceback" not in output, output
