"""Hostile input for `bonsens preview`: a package that attacks the preview that plays it.

The package runs on another origin than the preview page (see builder/preview/server.py), in a
sandboxed frame, behind a relay whose calls the page replays on its own strict LMS. A hostile
SCO is played for real in Chromium: it tries to read and write the preview's saved state, to
rewrite the preview page, to forge the relay's messages, to open windows and to navigate the top
window. None of it may work, and the preview's data must stay what a strict LMS makes of the
calls. Plus the server's own answers: foreign Host headers, deeply nested or malformed JSON.
"""

from __future__ import annotations

import http.client
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import watch
from tests.test_preview import serving

MANIFEST = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Hostile</title>
    <item identifier="i1" identifierref="r1"><title>Hostile SCO</title></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="evil.html"/></resources>
</manifest>"""

# Every attempt is recorded in window.results: the value it got, or "blocked: <error>"
HOSTILE_SCO = """<!doctype html>
<html><head><title>Hostile SCO</title></head>
<body>
<a id="blank" href="evil.html?from-a-new-tab" target="_blank">a new tab</a>
<form id="form" method="post" target="_blank"></form>
<script>
(async function () {
  var results = {};
  window.results = results;
  var origins = location.ancestorOrigins;
  var preview = origins[origins.length - 1]; // the preview page's origin, as a package can learn it
  var forged = JSON.stringify({format: 1, items: {i1: {model: {"cmi.core.lesson_status": "passed",
    "cmi.core.student_id": "PWNED"}, launches: 1}}});
  function attempt(name, run) {
    try { results[name] = String(run()); } catch (e) { results[name] = "blocked: " + e.name; }
  }
  async function request(name, url, options) {
    try {
      var response = await fetch(url, options);
      results[name] = response.type === "opaque" ? "opaque" : String(response.status);
    } catch (e) {
      results[name] = "blocked: " + e.name;
    }
  }
  var api = window.parent.API;
  attempt("initialize", function () { return api.LMSInitialize(""); });
  attempt("location", function () { return api.LMSSetValue("cmi.core.lesson_location", "page-1"); });
  attempt("student_id", function () { return api.LMSSetValue("cmi.core.student_id", "PWNED"); });
  // The preview page: another origin
  attempt("top document", function () { window.top.document.body.textContent = "PWNED"; return "written"; });
  attempt("top API", function () { return window.top.API.LMSSetValue("cmi.core.lesson_status", "passed"); });
  // Messages forged in the relay's own realm, as if the relay had sent them
  attempt("forge", function () {
    var post = window.parent.Function("message", "window.parent.postMessage(message, '*')");
    post({bonsens: "call", method: "LMSSetValue", args: ["cmi.core.student_id", "PWNED"]});
    post({bonsens: "model", model: {"cmi.core.lesson_status": "passed"}});
    post({bonsens: "call", method: "constructor", args: ["PWNED"]});
    post({bonsens: "call", method: "LMSSetValue", args: [{toString: null}, "PWNED"]});
    return "posted";
  });
  // The preview's saved state, from this origin and from the preview's
  await request("state here", "/_preview/state.json");
  await request("state read", preview + "/_preview/state.json");
  await request("state write", preview + "/_preview/state.json",
                {method: "POST", headers: {"Content-Type": "application/json"}, body: forged});
  await request("state write no-cors", preview + "/_preview/state.json",
                {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: forged});
  // Windows, tabs and the top window
  attempt("window.open", function () { return window.open(preview + "/", "_blank"); });
  attempt("link", function () { document.getElementById("blank").click(); return "clicked"; });
  attempt("form", function () { document.getElementById("form").submit(); return "submitted"; });
  attempt("top navigation", function () { window.top.location.href = preview + "/?PWNED"; return "asked"; });
  // The relay is of this origin: rewriting it changes nothing the preview shows
  attempt("relay", function () { window.parent.document.title = "PWNED"; return "written"; });
  attempt("commit", function () { return api.LMSCommit(""); });
  document.title = "Hostile done";
})();
</script>
</body></html>"""


def hostile_package(folder: Path) -> Path:
    path = folder / "hostile.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("evil.html", HOSTILE_SCO)
    return path


def request(port: int, method: str, path: str, *, body: bytes | None = None, **headers: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, response.read()
    connection.close()
    return result


def model_cell(page: Any, element: str) -> Any:
    return page.locator(f'#datamodel tr[data-element="{element}"] td.value')


def finished_sco(page: Any) -> Any:
    """The hostile SCO's frame once it has tried everything (10 s at most)."""
    for _ in range(100):
        sco = page.frame(name="sco")
        if sco is not None and sco.url.endswith("evil.html") and sco.evaluate("document.title") == "Hostile done":
            return sco
        page.wait_for_timeout(100)
    raise AssertionError(f"the hostile SCO did not finish: {[frame.url for frame in page.frames]}")


def test_a_hostile_sco_cannot_touch_the_preview(tmp_path: Path, browser: Any,
                                                capfd: pytest.CaptureFixture[str]) -> None:
    with serving(hostile_package(tmp_path)) as preview:
        context = browser.new_context()
        page = context.new_page()
        popups: list[Any] = []
        context.on("page", lambda popup: popups.append(popup))
        log = watch(page)
        try:
            page.goto(preview.url)
            page.wait_for_selector("body[data-ready=true]")
            page.locator('#toc tbody tr[data-item="i1"] button').click()
            results = finished_sco(page).evaluate("window.results")
            # SCORM still works: the SCO found its API on its parent
            assert results["initialize"] == "true" and results["location"] == "true", results
            assert results["student_id"] == "false"
            # The preview page and its state are out of reach
            assert results["top document"] == "blocked: SecurityError", results
            assert results["top API"] == "blocked: SecurityError", results
            assert results["state here"] == "404", results
            assert results["state read"] == "blocked: TypeError", results
            assert results["state write"] == "blocked: TypeError", results
            assert results["window.open"] == "null", results
            page.wait_for_timeout(500)  # what the clicks and the form could have opened
            assert popups == [] and len(context.pages) == 1
            assert page.url == preview.url
            # What the preview shows is what a strict LMS made of the calls
            expect(model_cell(page, "cmi.core.lesson_location")).to_have_text("page-1")
            expect(page.locator('#log tr[data-method="LMSCommit"]')).to_have_count(1)
            expect(model_cell(page, "cmi.core.lesson_status")).to_have_text("not attempted")
            expect(page.locator('#log tr.error[data-method="LMSSetValue"][data-error="403"]')).to_have_count(2)
            assert "PWNED" not in page.locator("#datamodel").inner_text()  # the log shows the attempts, rightly
            expect(page.locator("#course-title")).to_have_text("— Hostile")
            assert page.title() != "PWNED"
            assert log.page_errors == [], log.page_errors
            assert all(url.startswith("http://127.0.0.1:") or url.startswith(("about:", "data:"))
                       for url in log.requests), log.requests
            # And what it saved
            state = preview.workdir / "state.json"
            for _ in range(50):
                if state.is_file() and "page-1" in state.read_text(encoding="utf-8"):
                    break
                page.wait_for_timeout(100)
            saved = json.loads(state.read_text(encoding="utf-8"))
            model = saved["items"]["i1"]["model"]
            assert model["cmi.core.lesson_location"] == "page-1"
            assert model["cmi.core.lesson_status"] == "not attempted"
            assert "PWNED" not in state.read_text(encoding="utf-8")
        finally:
            context.close()
    assert "Traceback" not in capfd.readouterr().err


def test_state_posts_are_bounded_and_never_a_traceback(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    with serving(hostile_package(tmp_path)) as preview:
        port = preview.port
        headers = {"Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/json"}
        deep = b"[" * 100_000 + b"]" * 100_000
        nested = b'{"format": 1, "items": {"i1": {"model": ' + deep + b"}}}"
        for body in (deep, nested, b'{"format": 1, "items": {"i1": {"model": {"a": 1}}}}',
                     b'{"format": 2, "items": {}}', b'{"format": 1, "items": {}, "extra": "x"}', b"\xff\xfe"):
            status, answer = request(port, "POST", "/_preview/state.json", body=body, **headers)
            assert status == 400, (body[:60], status, answer)
            assert answer.startswith(b"400 Bad Request: not a preview state"), answer
        assert not (preview.workdir / "state.json").exists()
        assert request(port, "POST", "/_preview/state.json", body=b'{"format": 1, "items": {}}', **headers)[0] == 204
    assert "Traceback" not in capfd.readouterr().err


def test_both_origins_refuse_foreign_hosts_and_each_others_routes(tmp_path: Path) -> None:
    with serving(hostile_package(tmp_path)) as preview:
        page_port, package_port = preview.port, preview.package_server.port
        for port, path in ((page_port, "/"), (package_port, "/package/evil.html")):
            assert request(port, "GET", path)[0] == 200
            assert request(port, "GET", path, Host=f"localhost:{port}")[0] == 200
            assert request(port, "GET", path, Host="evil.example")[0] == 421
            assert request(port, "GET", path, Host=f"evil.example:{port}")[0] == 421
        # The package is not on the preview's origin, the preview's state not on the package's
        assert request(page_port, "GET", "/package/evil.html")[0] == 404
        assert request(package_port, "GET", "/_preview/state.json")[0] == 404
        assert request(package_port, "GET", "/")[0] == 404
        # A read of the state that the browser says comes from another origin (the package's)
        assert request(page_port, "GET", "/_preview/state.json", body=None, **{"Sec-Fetch-Site": "same-site"})[0] == 403
        # A state write from the package's origin
        status, _ = request(page_port, "POST", "/_preview/state.json", body=b'{"format": 1, "items": {}}',
                            Origin=f"http://127.0.0.1:{package_port}", **{"Content-Type": "application/json"})
        assert status == 403
