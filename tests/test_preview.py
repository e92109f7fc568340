"""`bonsens preview`: a local, strict LMS to try a package before importing it.

Real parts throughout: packages built from tests/fixtures/mini with `bonsens build`, the preview
server on 127.0.0.1, the preview page in Debian's Chromium. The API tests call window.API and
window.API_1484_11 directly with page.evaluate in the relay frame (the SCO's parent, on the
package's origin), so they hold whatever the SCO runtime inside the package does.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from builder.cli import main
from builder.preview.package import PreviewError, member_path, open_package
from builder.preview.server import Preview, open_preview
from tests.browser import watch

FIXTURES = Path(__file__).parent / "fixtures"
RUNTIME = Path(__file__).parent.parent / "builder" / "assets" / "runtime" / "scorm.js"  # the SCORM adapter
IDLE_SCO = "<!doctype html><html><head><title>Idle SCO</title></head><body><p>idle</p></body></html>"

# Each call: [method, ...arguments] -> [returned value, GetLastError() right after]
CALL = """([api, calls]) => calls.map(([method, ...args]) => {
  const result = window[api][method](...args);
  const error = window[api][api === "API" ? "LMSGetLastError" : "GetLastError"]();
  return [result, error];
})"""


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini course built for real: single-SCO and multi-SCO packages, both standards."""
    course = tmp_path_factory.mktemp("preview") / "mini"
    shutil.copytree(FIXTURES / "mini", course)
    runner = CliRunner()
    packages = course.parent / "packages"  # a build replaces dist/ whole: gather both layouts here
    packages.mkdir()
    for options in (["--quiet"], ["--quiet", "--multi-sco"]):
        result = runner.invoke(main, ["build", *options, str(course)])
        assert result.exit_code == 0, result.output
        for built in (course / "dist").glob("*.zip"):
            shutil.copy(built, packages / built.name)
    return packages


def package(dist: Path, lang: str, standard: str, multi: bool = False) -> Path:
    suffix = "-multisco" if multi else ""
    found = sorted(dist.glob(f"*-{lang}-{standard}{suffix}.zip"))
    assert len(found) == 1, sorted(p.name for p in dist.iterdir())
    return found[0]


@contextmanager
def serving(path: Path) -> Iterator[Preview]:
    with open_preview(path, 0) as preview:
        preview.serve_in_background()
        try:
            yield preview
        finally:
            preview.shutdown()


@contextmanager
def preview_page(browser: Any, preview: Preview, idle_sco: bool = False) -> Iterator[Any]:
    """The preview page, loaded and ready. With idle_sco, the package's SCO pages are served as a
    page that never calls the API, so that the test alone drives the session."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    log = watch(page)
    if idle_sco:
        page.route(re.compile(r".*/package/sco-[^/]*\.html.*"),
                   lambda route: route.fulfill(status=200, content_type="text/html", body=IDLE_SCO))
    page.goto(preview.url)
    page.wait_for_selector("body[data-ready=true]")
    try:
        yield page
        assert log.page_errors == [], log.page_errors
        local = [url for url in log.requests
                 if not url.startswith((preview.url, preview.package_url, "about:", "data:", "blob:"))]
        assert local == [], f"requests that left the preview: {local}"
    finally:
        context.close()


def relay(page: Any) -> Any:
    """The frame that holds the API for the SCO: the SCO's parent, on the package's origin."""
    frame = page.frame(name="relay")
    assert frame is not None and "/_relay/" in frame.url, [f.url for f in page.frames]
    return frame


def sco_title(page: Any) -> str:
    """The title of the document in the SCO's frame (inside the relay), once it has one."""
    frame = page.frame(name="sco")
    return "" if frame is None else str(frame.evaluate("document.title"))


def wait_until(page: Any, predicate: Any, attempts: int = 100) -> None:
    """Poll a condition that lives in another frame (every 100 ms, 10 s at most)."""
    for _ in range(attempts):
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - a frame being replaced: ask again
            pass
        page.wait_for_timeout(100)
    raise AssertionError("condition not met in time")


def calls(page: Any, api: str, *batch: list[Any]) -> list[list[Any]]:
    result: list[list[Any]] = relay(page).evaluate(CALL, [api, list(batch)])
    return result


def one(page: Any, api: str, method: str, *args: Any) -> tuple[Any, str]:
    result, error = calls(page, api, [method, *args])[0]
    return result, error


def log_rows(page: Any, method: str, code: str) -> Any:
    return page.locator(f'#log tbody tr.error[data-method="{method}"][data-error="{code}"]')


def model_value(page: Any, element: str) -> Any:
    return page.locator(f'#datamodel tbody tr[data-element="{element}"] td.value')


def toc_row(page: Any, item: str) -> Any:
    return page.locator(f'#toc tbody tr[data-item="{item}"]')


# --------------------------------------------------------------------------- the manifest


def test_manifest_of_a_multi_sco_scorm12_package(dist: Path, tmp_path: Path) -> None:
    manifest = open_package(package(dist, "fr", "scorm12", multi=True), tmp_path)
    assert manifest.standard == "1.2"
    assert [item.identifier for item in manifest.items] == ["item-m1", "item-final-exam"]
    assert [item.title for item in manifest.items] == ["Premier module", "Examen final"]
    assert [item.launch for item in manifest.items] == ["/package/sco-m1.html", "/package/sco-final-exam.html"]
    assert [item.mastery_score for item in manifest.items] == [None, None]  # the content decides (manifest.py)
    assert [item.prerequisites for item in manifest.items] == ["", "item-m1"]
    assert (tmp_path / "package" / "imsmanifest.xml").is_file()


def test_manifest_of_a_multi_sco_scorm2004_package(dist: Path, tmp_path: Path) -> None:
    manifest = open_package(package(dist, "en", "scorm2004", multi=True), tmp_path)
    assert manifest.standard == "2004"
    assert manifest.schemaversion == "2004 4th Edition"
    assert [item.title for item in manifest.items] == ["First module", "Final exam"]
    assert [item.scaled_passing_score for item in manifest.items] == [0.8, 0.8]
    assert [item.mastery_score for item in manifest.items] == [None, None]
    assert [item.prerequisites for item in manifest.items] == ["", "item-m1"]
    assert manifest.items[0].objectives == ("m1-mastery", "m1")


# --------------------------------------------------------------------------- bad packages


def write_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name), text)
    return path


MANIFEST_12 = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>
    <item identifier="i1" identifierref="r1"><title>One</title></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="HREF"/></resources>
</manifest>"""


def run_preview(path: Path) -> Any:
    return CliRunner().invoke(main, ["preview", str(path), "--port", "0"])


def assert_clean_failure(result: Any, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("name, files, words", [
    ("empty.zip", None, ["not a zip file"]),
    ("nomanifest.zip", {"index.html": "<p>hi</p>"}, ["no imsmanifest.xml"]),
    ("nested.zip", {"course/imsmanifest.xml": MANIFEST_12, "course/a.html": ""}, ["zip the contents of the folder"]),
    ("notxml.zip", {"imsmanifest.xml": "<manifest><organizations>"}, ["not well-formed XML"]),
    ("notmanifest.zip", {"imsmanifest.xml": "<html/>"}, ["not an IMS manifest"]),
    ("slip.zip", {"imsmanifest.xml": MANIFEST_12, "../evil.txt": "owned"}, ["climbs out", "../evil.txt"]),
    ("absolute.zip", {"imsmanifest.xml": MANIFEST_12, "/bonsens-test-evil.txt": "owned"}, ["absolute path"]),
    ("outside.zip", {"imsmanifest.xml": MANIFEST_12.replace("HREF", "../outside.html")}, ["outside the package"]),
    ("remote.zip", {"imsmanifest.xml": MANIFEST_12.replace("HREF", "https://example.com/x.html")},
     ["outside the package"]),
    ("missing.zip", {"imsmanifest.xml": MANIFEST_12.replace("HREF", "missing.html")}, ["not in the package"]),
])
def test_bad_package_gives_one_clear_line_and_exit_1(tmp_path: Path, name: str, files: dict[str, str] | None,
                                                     words: list[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    if files is None:
        path.write_text("this is not a zip", encoding="utf-8")
    else:
        write_zip(path, files)
    assert_clean_failure(run_preview(path), *words)
    assert not (Path(tempfile.gettempdir()) / "evil.txt").exists()
    assert not Path("/bonsens-test-evil.txt").exists()


def test_symbolic_links_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("imsmanifest.xml", MANIFEST_12)
        link = zipfile.ZipInfo("a.html")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    assert_clean_failure(run_preview(path), "symbolic link")


def test_missing_file_and_folder_are_clean_errors(tmp_path: Path) -> None:
    assert_clean_failure(run_preview(tmp_path / "nope.zip"), "no such file")
    assert_clean_failure(run_preview(tmp_path), "is a folder")


def test_a_good_hand_made_package_opens(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "ok.zip", {"imsmanifest.xml": MANIFEST_12.replace("HREF", "a%20b.html?x=1"),
                                           "a b.html": "<p>ok</p>"})
    manifest = open_package(path, tmp_path / "work")
    assert manifest.items[0].launch == "/package/a%20b.html?x=1"


def test_member_names_are_checked_before_anything_is_written() -> None:
    assert member_path("a/./b.html") == "a/b.html"
    assert member_path("dir/") == "dir"
    for bad in ("../x", "a/../../x", "/etc/passwd", "C:/x", "a\\..\\..\\x"):
        with pytest.raises(PreviewError):
            member_path(bad)


# --------------------------------------------------------------------------- the server


def test_server_binds_loopback_and_refuses_foreign_writes(dist: Path) -> None:
    with serving(package(dist, "fr", "scorm12")) as preview:
        assert preview.server.server_address[0] == "127.0.0.1"
        port = preview.port

        def request(method: str, path: str, body: bytes | None = None, **headers: str) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request(method, path, body=body, headers=headers)
            status = connection.getresponse().status
            connection.close()
            return status

        origin = f"http://127.0.0.1:{port}"
        state = b'{"format": 1, "items": {}}'
        assert request("GET", "/") == 200
        assert request("GET", "/", Host="attacker.example") == 421
        assert request("POST", "/_preview/state.json", state, **{"Content-Type": "application/json"}) == 403
        assert request("POST", "/_preview/state.json", state, Origin="http://attacker.example",
                       **{"Content-Type": "application/json"}) == 403
        assert request("POST", "/_preview/state.json", state, Origin=origin,
                       **{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}) == 403
        assert request("POST", "/_preview/state.json", state, Origin=origin, **{"Content-Type": "text/plain"}) == 415
        assert request("POST", "/_preview/state.json", b"[1]", Origin=origin,
                       **{"Content-Type": "application/json"}) == 400
        assert not (preview.workdir / "state.json").exists()
        assert request("POST", "/_preview/state.json", state, Origin=origin,
                       **{"Content-Type": "application/json"}) == 204
        assert json.loads((preview.workdir / "state.json").read_text()) == {"format": 1, "items": {}}
        # The package lives on another origin: nothing of it on the preview's, nothing of the preview on its
        assert request("GET", "/package/imsmanifest.xml") == 404
        assert request("GET", "/_preview/state.json", None, **{"Sec-Fetch-Site": "same-site"}) == 403
        package_port = preview.package_server.port
        assert package_port != port

        def package_request(method: str, path: str, **headers: str) -> tuple[int, str]:
            connection = http.client.HTTPConnection("127.0.0.1", package_port, timeout=5)
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            result = response.status, response.getheader("Content-Security-Policy") or ""
            connection.close()
            return result

        status, policy = package_request("GET", "/package/imsmanifest.xml")
        assert status == 200 and "sandbox" in policy and "allow-popups" not in policy
        assert f"frame-ancestors 'self' {origin} " in policy
        assert package_request("GET", "/_relay/")[0] == 200
        assert package_request("GET", "/package/../../etc/passwd")[0] == 404
        assert package_request("GET", "/package/%2e%2e/%2e%2e/etc/passwd")[0] == 404
        assert package_request("GET", "/_preview/state.json")[0] == 404
        assert package_request("GET", "/", Host="attacker.example")[0] == 421


def test_command_picks_a_free_port_and_stops_cleanly_on_ctrl_c(dist: Path) -> None:
    bonsens = Path(sys.executable).parent / "bonsens"
    before = set(Path(tempfile.gettempdir()).glob("bonsens-preview-*"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        command = [str(bonsens), "preview", str(package(dist, "fr", "scorm2004")), "--port", str(busy)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "NO_COLOR": "1"})
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(3)]
            assert "SCORM 2004" in lines[0]
            assert f"port {busy} is taken" in lines[1]
            url = re.search(r"http://127\.0\.0\.1:(\d+)/", lines[2])
            assert url and int(url.group(1)) != busy, lines
            connection = http.client.HTTPConnection("127.0.0.1", int(url.group(1)), timeout=5)
            connection.request("GET", "/")
            response = connection.getresponse()
            assert response.status == 200 and b"Bon Sens preview" in response.read()
            connection.close()
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "preview stopped" in out
    assert set(Path(tempfile.gettempdir()).glob("bonsens-preview-*")) <= before


# --------------------------------------------------------------------------- the page


def test_table_of_contents_lists_the_items_with_status(dist: Path, browser: Any) -> None:
    with serving(package(dist, "fr", "scorm12", multi=True)) as preview, preview_page(browser, preview) as page:
        rows = page.locator("#toc tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0).locator("td.title button")).to_have_text("Premier module")
        expect(rows.nth(1).locator("td.title button")).to_have_text("Examen final")
        expect(rows.nth(0).locator("td.status")).to_have_text("not attempted")
        expect(rows.nth(1)).to_contain_text("requires “Premier module”")
        expect(page.locator("#package-line")).to_contain_text("SCORM 1.2")
    with serving(package(dist, "en", "scorm2004", multi=True)) as preview, preview_page(browser, preview) as page:
        expect(page.locator("#toc tbody tr td.title button")).to_have_text(["First module", "Final exam"])
        assert relay(page).evaluate("typeof window.API_1484_11.Initialize") == "function"
        assert relay(page).evaluate("typeof window.API") == "undefined"
        assert page.evaluate("typeof window.API_1484_11") == "undefined"  # nothing on the preview's own page


def test_launching_a_sco_shows_it_in_the_frame(dist: Path, browser: Any) -> None:
    with serving(package(dist, "en", "scorm12", multi=True)) as preview, preview_page(browser, preview) as page:
        toc_row(page, "item-m1").locator("button").click()
        expect(page.locator("#log tr.note.launch")).to_contain_text("Launch 1 of “First module”")
        wait_until(page, lambda: sco_title(page) == "First module")
        assert page.frame(name="sco").url == preview.package_url + "package/sco-m1.html"
        if "STUB" not in RUNTIME.read_text(encoding="utf-8")[:200]:
            # The real SCO runtime finds window.API on its parent and starts its session
            expect(page.locator('#log tr[data-method="LMSInitialize"]').first).to_be_attached(timeout=8000)


def with_mastery_score(path: Path, folder: Path, score: str) -> Path:
    """A copy of a 1.2 package whose items declare adlcp:masteryscore (ours do not: the content decides)."""
    copy = folder / path.name
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "imsmanifest.xml":
                data = re.sub(rb'(<item [^>]*>\s*<title>[^<]*</title>)',
                              rb"\1<adlcp:masteryscore>" + score.encode() + rb"</adlcp:masteryscore>", data)
            target.writestr(info, data)
    return copy


def test_scorm12_strict_errors(dist: Path, browser: Any, tmp_path: Path) -> None:
    with serving(with_mastery_score(package(dist, "fr", "scorm12"), tmp_path, "80")) as preview, \
            preview_page(browser, preview) as page:
        before = calls(page, "API", ["LMSGetValue", "cmi.core.lesson_status"],
                       ["LMSSetValue", "cmi.core.lesson_location", "p1"], ["LMSCommit", ""], ["LMSFinish", ""])
        assert before == [["", "301"], ["false", "301"], ["false", "301"], ["false", "301"]]
        assert one(page, "API", "LMSInitialize", "") == ("true", "0")
        assert one(page, "API", "LMSInitialize", "") == ("false", "101")
        assert one(page, "API", "LMSGetValue", "cmi.core.bogus") == ("", "201")
        assert one(page, "API", "LMSSetValue", "cmi.core.lesson_status", "done") == ("false", "405")
        assert one(page, "API", "LMSSetValue", "cmi.core.lesson_status", "not attempted") == ("false", "405")
        assert one(page, "API", "LMSSetValue", "cmi.core.session_time", "1:02:03") == ("false", "405")
        assert one(page, "API", "LMSSetValue", "cmi.core.session_time", "PT1H") == ("false", "405")
        assert one(page, "API", "LMSSetValue", "cmi.core.session_time", "0001:02:03.50") == ("true", "0")
        assert one(page, "API", "LMSSetValue", "cmi.core.student_id", "me") == ("false", "403")
        assert one(page, "API", "LMSSetValue", "cmi.core._children", "x") == ("false", "402")
        assert one(page, "API", "LMSGetValue", "cmi.core.exit") == ("", "404")
        assert one(page, "API", "LMSSetValue", "cmi.suspend_data", "x" * 4097) == ("false", "405")
        assert one(page, "API", "LMSSetValue", "cmi.suspend_data", "x" * 4096) == ("true", "0")
        assert one(page, "API", "LMSSetValue", "cmi.core.score.raw", "101") == ("false", "405")
        assert one(page, "API", "LMSSetValue", "cmi.core.score.raw", "abc") == ("false", "405")
        assert one(page, "API", "LMSSetValue", "cmi.core.score.raw", "85") == ("true", "0")
        assert one(page, "API", "LMSSetValue", "cmi.interactions.1.id", "q1") == ("false", "201")
        assert one(page, "API", "LMSSetValue", "cmi.interactions.0.id", "q1") == ("true", "0")
        assert one(page, "API", "LMSSetValue", "cmi.interactions.0.type", "essay") == ("false", "405")
        assert one(page, "API", "LMSSetValue", "cmi.interactions.0.type", "choice") == ("true", "0")
        assert one(page, "API", "LMSSetValue", "cmi.interactions.0.student_response", "a[,]b") == ("false", "405")
        assert one(page, "API", "LMSSetValue", "cmi.interactions.0.student_response", "a,b") == ("true", "0")
        assert one(page, "API", "LMSSetValue", "cmi.interactions.0.result", "right") == ("false", "405")
        assert one(page, "API", "LMSGetValue", "cmi.interactions.0.id") == ("", "404")
        assert one(page, "API", "LMSGetValue", "cmi.interactions._count") == ("1", "0")
        assert one(page, "API", "LMSGetValue", "cmi.core.lesson_location._children") == ("", "202")
        assert one(page, "API", "LMSGetValue", "cmi.core._count") == ("", "203")
        assert one(page, "API", "LMSGetErrorString", "405") == ("Incorrect data type", "203")  # last error unchanged
        assert "cmi.core is not an array" in one(page, "API", "LMSGetDiagnostic", "")[0]
        assert one(page, "API", "LMSFinish", "") == ("true", "0")
        assert one(page, "API", "LMSGetValue", "cmi.core.lesson_status") == ("", "101")
        assert one(page, "API", "LMSInitialize", "") == ("false", "101")

        for method, code in [("LMSGetValue", "301"), ("LMSSetValue", "301"), ("LMSCommit", "301"), ("LMSFinish", "301"),
                             ("LMSInitialize", "101"), ("LMSGetValue", "201"), ("LMSSetValue", "405"),
                             ("LMSSetValue", "403"), ("LMSSetValue", "402"), ("LMSGetValue", "404"),
                             ("LMSGetValue", "202"), ("LMSGetValue", "203"), ("LMSSetValue", "201")]:
            expect(log_rows(page, method, code).first).to_contain_text(code)
        expect(log_rows(page, "LMSSetValue", "405").filter(has_text="cmi.suspend_data")).to_contain_text("4,096")
        expect(log_rows(page, "LMSSetValue", "405").filter(has_text='"done"')).to_contain_text("Incorrect data type")
        # The LMS's own work at LMSFinish: mastery score 80 in the manifest, raw score 85
        expect(model_value(page, "cmi.core.lesson_status")).to_have_text("passed")
        expect(model_value(page, "cmi.core.total_time")).to_have_text("0001:02:03.50")
        expect(toc_row(page, "item-course").locator("td.status")).to_have_text("passed")
        expect(toc_row(page, "item-course").locator("td.score")).to_have_text("85")


def test_scorm2004_strict_errors(dist: Path, browser: Any) -> None:
    api = "API_1484_11"
    with serving(package(dist, "en", "scorm2004")) as preview, preview_page(browser, preview) as page:
        before = calls(page, api, ["GetValue", "cmi.location"], ["SetValue", "cmi.location", "p1"], ["Commit", ""],
                       ["Terminate", ""])
        assert before == [["", "122"], ["false", "132"], ["false", "142"], ["false", "112"]]
        assert one(page, api, "Initialize", "x") == ("false", "201")
        assert one(page, api, "Initialize", "") == ("true", "0")
        assert one(page, api, "Initialize", "") == ("false", "103")
        assert one(page, api, "GetValue", "cmi.bogus") == ("", "401")
        assert one(page, api, "GetValue", "cmi.core.lesson_status") == ("", "401")
        assert one(page, api, "GetValue", "cmi.location") == ("", "403")
        assert one(page, api, "GetValue", "cmi.scaled_passing_score") == ("0.8", "0")
        assert one(page, api, "SetValue", "cmi.completion_status", "done") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.success_status", "ok") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.exit", "quit") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.session_time", "01:02:03") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.session_time", "PT") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.session_time", "PT1H2M3.5S") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.score.scaled", "1.5") == ("false", "407")
        assert one(page, api, "SetValue", "cmi.score.scaled", "abc") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.score.scaled", "0.85") == ("true", "0")
        assert one(page, api, "GetValue", "cmi.success_status") == ("passed", "0")
        assert one(page, api, "SetValue", "cmi.location", "x" * 1001) == ("false", "406")
        assert one(page, api, "SetValue", "cmi.location", "x" * 1000) == ("true", "0")
        assert one(page, api, "SetValue", "cmi.suspend_data", "x" * 64001) == ("false", "406")
        assert one(page, api, "SetValue", "cmi.learner_id", "me") == ("false", "404")
        assert one(page, api, "SetValue", "cmi.interactions._count", "2") == ("false", "404")
        assert one(page, api, "GetValue", "cmi.exit") == ("", "405")
        # Interactions: id first, then type, then responses in the type's format
        assert one(page, api, "SetValue", "cmi.interactions.0.type", "choice") == ("false", "408")
        assert one(page, api, "SetValue", "cmi.interactions.0.id", "q1") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.0.learner_response", "a") == ("false", "408")
        assert one(page, api, "SetValue", "cmi.interactions.0.type", "essay") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.interactions.0.type", "choice") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.0.learner_response", "a,b") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.interactions.0.learner_response", "a[,]b") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.0.correct_responses.0.pattern", "a[,]b") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.0.result", "wrong") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.interactions.2.id", "q3") == ("false", "351")
        assert one(page, api, "GetValue", "cmi.interactions.1.id") == ("", "301")
        assert one(page, api, "SetValue", "cmi.interactions.1.id", "q2") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.1.type", "matching") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.1.learner_response", "a[.]b[,]c[.]d") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.1.learner_response", "a-b") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.interactions.1.type", "true-false") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.1.learner_response", "yes") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.interactions.1.learner_response", "true") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.1.timestamp", "2024-13-01") == ("false", "406")
        assert one(page, api, "SetValue", "cmi.interactions.1.timestamp", "2024-05-01T14:05:30.5Z") == ("true", "0")
        assert one(page, api, "SetValue", "cmi.interactions.1.description", "x" * 251) == ("false", "406")
        assert one(page, api, "SetValue", "cmi.interactions.1.description", "{lang=en}" + "x" * 250) == ("true", "0")
        assert one(page, api, "GetValue", "cmi.objectives.0.id") == ("course-mastery", "0")  # from the manifest
        assert one(page, api, "SetValue", "cmi.objectives.2.id", "m1") == ("false", "351")  # ids are unique
        assert one(page, api, "Terminate", "") == ("true", "0")
        after = calls(page, api, ["GetValue", "cmi.location"], ["SetValue", "cmi.location", "p"], ["Commit", ""],
                      ["Terminate", ""], ["Initialize", ""])
        assert after == [["", "123"], ["false", "133"], ["false", "143"], ["false", "113"], ["false", "104"]]

        for method, code in [("GetValue", "122"), ("SetValue", "132"), ("Commit", "142"), ("Terminate", "112"),
                             ("Initialize", "103"), ("GetValue", "401"), ("GetValue", "403"), ("SetValue", "406"),
                             ("SetValue", "407"), ("SetValue", "404"), ("GetValue", "405"), ("SetValue", "408"),
                             ("SetValue", "351"), ("GetValue", "123"), ("SetValue", "133"), ("Commit", "143"),
                             ("Terminate", "113"), ("Initialize", "104")]:
            expect(log_rows(page, method, code).first).to_contain_text(code)
        expect(log_rows(page, "SetValue", "406").filter(has_text="cmi.session_time").first).to_contain_text(
            "Type Mismatch")
        expect(model_value(page, "cmi.total_time")).to_have_text("PT1H2M3.5S")
        expect(toc_row(page, "item-course").locator("td.score")).to_have_text("85 %")


def test_scorm12_resume_and_reset(dist: Path, browser: Any) -> None:
    with (serving(package(dist, "fr", "scorm12", multi=True)) as preview,
          preview_page(browser, preview, idle_sco=True) as page):
        toc_row(page, "item-m1").locator("button").click()
        expect(page.locator("#log tr.note.launch")).to_contain_text("Launch 1")
        session = calls(page, "API", ["LMSInitialize", ""], ["LMSSetValue", "cmi.core.lesson_location", "page-3"],
                        ["LMSSetValue", "cmi.suspend_data", "bookmark=3"], ["LMSSetValue", "cmi.core.score.raw", "50"],
                        ["LMSSetValue", "cmi.core.lesson_status", "incomplete"],
                        ["LMSSetValue", "cmi.core.session_time", "0000:01:00"],
                        ["LMSSetValue", "cmi.core.exit", "suspend"], ["LMSFinish", ""])
        assert all(result == ["true", "0"] for result in session), session
        expect(toc_row(page, "item-m1").locator("td.status")).to_have_text("incomplete")
        expect(toc_row(page, "item-m1").locator("td.score")).to_have_text("50")

        page.get_by_role("button", name="Relaunch / resume").click()
        expect(page.locator("#log tr.note.launch").last).to_contain_text("Launch 2")
        expect(page.locator("#log tr.note.launch").last).to_contain_text('cmi.core.entry = "resume"')
        expect(model_value(page, "cmi.core.entry")).to_have_text("resume")
        resumed = calls(page, "API", ["LMSInitialize", ""], ["LMSGetValue", "cmi.core.entry"],
                        ["LMSGetValue", "cmi.core.lesson_location"], ["LMSGetValue", "cmi.suspend_data"],
                        ["LMSGetValue", "cmi.core.total_time"], ["LMSGetValue", "cmi.core.lesson_status"])
        assert resumed == [["true", "0"], ["resume", "0"], ["page-3", "0"], ["bookmark=3", "0"],
                           ["0000:01:00.00", "0"], ["incomplete", "0"]]
        # Left open on purpose: relaunch ends the session itself, then resumes (exit is suspend)
        assert one(page, "API", "LMSSetValue", "cmi.core.exit", "suspend") == ("true", "0")
        page.get_by_role("button", name="Relaunch / resume").click()
        expect(page.locator("#log tr.note.warn").first).to_contain_text("without calling LMSFinish")
        expect(page.locator("#log tr.note.launch").last).to_contain_text("Launch 3")
        assert calls(page, "API", ["LMSInitialize", ""], ["LMSGetValue", "cmi.core.entry"],
                     ["LMSSetValue", "cmi.core.exit", ""], ["LMSFinish", ""]) == [
            ["true", "0"], ["resume", "0"], ["true", "0"], ["true", "0"]]
        # Not suspended this time: the next launch is not a resume, but the data is kept
        page.get_by_role("button", name="Relaunch / resume").click()
        expect(page.locator("#log tr.note.launch").last).to_contain_text("Launch 4")
        assert calls(page, "API", ["LMSInitialize", ""], ["LMSGetValue", "cmi.core.entry"],
                     ["LMSGetValue", "cmi.suspend_data"]) == [["true", "0"], ["", "0"], ["bookmark=3", "0"]]

        page.get_by_role("button", name="Reset attempt").click()
        expect(page.locator("#log tr.note.launch").last).to_contain_text("Reset attempt")
        expect(toc_row(page, "item-m1").locator("td.status")).to_have_text("not attempted")
        fresh = calls(page, "API", ["LMSInitialize", ""], ["LMSGetValue", "cmi.core.entry"],
                      ["LMSGetValue", "cmi.core.lesson_status"], ["LMSGetValue", "cmi.suspend_data"],
                      ["LMSGetValue", "cmi.core.lesson_location"], ["LMSGetValue", "cmi.core.total_time"],
                      ["LMSGetValue", "cmi.student_data.mastery_score"])
        assert fresh == [["true", "0"], ["ab-initio", "0"], ["not attempted", "0"], ["", "0"], ["", "0"],
                         ["0000:00:00.00", "0"], ["", "0"]]  # no masteryscore: the content decides
        wait_until(page, lambda: sco_title(page) == "Idle SCO")


def test_scorm2004_resume_and_reset(dist: Path, browser: Any) -> None:
    api = "API_1484_11"
    with (serving(package(dist, "fr", "scorm2004", multi=True)) as preview,
          preview_page(browser, preview, idle_sco=True) as page):
        toc_row(page, "item-final-exam").locator("button").click()
        expect(page.locator("#log tr.note.launch")).to_contain_text("Launch 1 of “Examen final”")
        expect(page.locator("#log tr.note.warn").first).to_contain_text("Prerequisites not met")
        session = calls(page, api, ["Initialize", ""], ["SetValue", "cmi.location", "q4"],
                        ["SetValue", "cmi.suspend_data", '{"answers":[1,2]}'], ["SetValue", "cmi.score.scaled", "0.5"],
                        ["SetValue", "cmi.session_time", "PT1M"], ["SetValue", "cmi.exit", "suspend"],
                        ["Terminate", ""])
        assert all(result == ["true", "0"] for result in session), session
        expect(toc_row(page, "item-final-exam").locator("td.status")).to_have_text("unknown / failed")

        page.get_by_role("button", name="Relaunch / resume").click()
        expect(page.locator("#log tr.note.launch").last).to_contain_text('cmi.entry = "resume"')
        resumed = calls(page, api, ["Initialize", ""], ["GetValue", "cmi.entry"], ["GetValue", "cmi.location"],
                        ["GetValue", "cmi.suspend_data"], ["GetValue", "cmi.total_time"],
                        ["GetValue", "cmi.success_status"])
        assert resumed == [["true", "0"], ["resume", "0"], ["q4", "0"], ['{"answers":[1,2]}', "0"],
                           ["PT0H1M0S", "0"], ["failed", "0"]]

        page.get_by_role("button", name="Reset attempt").click()
        expect(page.locator("#log tr.note.launch").last).to_contain_text("Reset attempt")
        fresh = calls(page, api, ["Initialize", ""], ["GetValue", "cmi.entry"], ["GetValue", "cmi.location"],
                      ["GetValue", "cmi.success_status"], ["GetValue", "cmi.total_time"])
        assert fresh == [["true", "0"], ["ab-initio", "0"], ["", "403"], ["unknown", "0"], ["PT0H0M0S", "0"]]


def test_data_model_survives_a_reload_and_downloads_as_json(dist: Path, browser: Any) -> None:
    with serving(package(dist, "en", "scorm12")) as preview, preview_page(browser, preview) as page:
        assert calls(page, "API", ["LMSInitialize", ""], ["LMSSetValue", "cmi.core.lesson_location", "page-7"],
                     ["LMSSetValue", "cmi.core.lesson_status", "incomplete"], ["LMSCommit", ""]) == [["true", "0"]] * 4
        expect(model_value(page, "cmi.core.lesson_location")).to_have_text("page-7")
        state_file = preview.workdir / "state.json"
        for _ in range(50):  # the page saves a moment after each change
            if state_file.is_file() and "page-7" in state_file.read_text(encoding="utf-8"):
                break
            page.wait_for_timeout(100)
        saved = json.loads(state_file.read_text(encoding="utf-8"))
        assert saved["items"]["item-course"]["model"]["cmi.core.lesson_location"] == "page-7"

        page.reload()
        page.wait_for_selector("body[data-ready=true]")
        expect(model_value(page, "cmi.core.lesson_location")).to_have_text("page-7")
        expect(toc_row(page, "item-course").locator("td.status")).to_have_text("incomplete")

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download data model (JSON)").click()
        download = download_info.value
        assert download.suggested_filename == "item-course-data-model.json"
        exported = json.loads(Path(download.path()).read_text(encoding="utf-8"))
        assert exported["standard"] == "SCORM 1.2"
        assert exported["model"]["cmi.core.lesson_location"] == "page-7"
        assert exported["model"]["cmi.core.lesson_status"] == "incomplete"


# --------------------------------------------------------------------------- cmi5 packages

pytest_plugins = ["tests.cmi5.fixtures"]  # `cmi5`: the local stack (ADL's LRS and cmi5 player)


def closed_port() -> int:
    """A port of 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("how", ["environment", "option"])
def test_a_cmi5_package_without_a_player_says_what_cmi5_needs(dist: Path, how: str) -> None:
    """No cmi5 player answers: exit 1 with what cmi5 needs and how to try the package anyway, no
    traceback, nothing served (a SCORM preview of a cmi5 zip would be a lie)."""
    player = f"http://127.0.0.1:{closed_port()}/player/api/v1/"
    arguments = ["preview", str(package(dist, "fr", "cmi5"))]
    result = CliRunner().invoke(main, arguments + (["--cmi5-player", player] if how == "option" else []),
                                env={"BONSENS_CMI5_PLAYER": player} if how == "environment" else {})
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    first, hint = result.output.strip().splitlines()
    assert first.startswith("Error: cannot preview this cmi5 package: no cmi5 player answers at " + player), first
    assert "refused" in first  # why: nothing listens there
    assert hint.startswith("    hint: ") and "LMS or an LRS with a cmi5 player" in hint
    assert "your LMS's own preview" in hint and "make setup-cmi5" in hint
    assert "127.0.0.1:8001" not in result.output and "Open" not in result.output


def test_only_a_zip_with_cmi5_xml_and_no_manifest_is_a_cmi5_package(dist: Path, tmp_path: Path) -> None:
    from builder.preview.cmi5 import is_cmi5_package

    assert is_cmi5_package(package(dist, "en", "cmi5"))
    assert not is_cmi5_package(package(dist, "en", "scorm12"))
    both = write_zip(tmp_path / "both.zip", {"imsmanifest.xml": MANIFEST_12, "cmi5.xml": "<courseStructure/>"})
    assert not is_cmi5_package(both)  # a SCORM package first: the strict local LMS plays it
    (tmp_path / "not.zip").write_text("cmi5.xml", encoding="utf-8")
    assert not is_cmi5_package(tmp_path / "not.zip") and not is_cmi5_package(tmp_path / "absent.zip")
    assert_clean_failure(run_preview(tmp_path / "not.zip"), "not a zip file")  # said as before


def test_a_cmi5_package_launches_in_the_local_cmi5_player(dist: Path, cmi5: Any, browser: Any) -> None:
    """The stack answers: the package is imported into ADL's cmi5 player and the printed URL opens the
    course there, for the preview learner; a new launch URL for the same registration resumes it."""
    from builder.preview.cmi5 import LOCAL_PLAYER, PREVIEW_LEARNER, launch_in_player

    zip_path = package(dist, "en", "cmi5")
    result = CliRunner().invoke(main, ["preview", str(zip_path)], env={"BONSENS_CMI5_PLAYER": None})
    assert result.exit_code == 0, result.output
    heading, says, url = result.output.strip().splitlines()
    assert heading.startswith(f"Previewing {zip_path.name}: cmi5, 1 AU(s) (« Mini course »)"), heading
    assert "launches the course once" in says
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert url.startswith("http://127.0.0.1:19400/player/content/"), url
    assert {"endpoint", "fetch", "actor", "registration", "activityId"} <= set(query), url
    assert json.loads(query["actor"][0]) == PREVIEW_LEARNER
    registration = query["registration"][0]
    assert registration in says
    def sent() -> list[str]:
        return [s["verb"]["id"].rsplit("/", 1)[-1] for s in cmi5.lrs.statements(registration)]

    assert sent() == ["launched"]  # by the player, for the preview learner
    context = browser.new_context()
    page = context.new_page()
    log = watch(page)
    response = page.goto(url)
    assert response is not None and response.ok
    assert page.title() == "Mini course"  # the course's launch page, served by the player
    for _ in range(100):  # the course fetches its token, reads the launch data, then says it started
        if "initialized" in sent():
            break
        page.wait_for_timeout(100)
    assert sent() == ["launched", "initialized"]
    assert log.page_errors == []
    context.close()

    player, first = launch_in_player(zip_path, LOCAL_PLAYER)
    again, same = player.launch_url(first.course_id, first.registration)
    assert same == first.registration and again != first.url
