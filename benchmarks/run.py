"""The Bon Sens benchmark: build times, packaging, memory, sizes and SCO start-up, in one run.

    .venv/bin/python benchmarks/run.py                 # sizes 10, 40, 160 lessons (make benchmark)
    .venv/bin/python benchmarks/run.py --quick         # a fast smoke run (two tiny sizes, once each)
    .venv/bin/python benchmarks/run.py --sizes 10,40 --repeats 5

For each size (lessons per language), benchmarks/generate.py writes a synthetic course. Then:

  plain     `mkdocs build` of the very Markdown pages bonsens generates (.bonsens/docs), with the
            same generated config (theme, nav, extensions, search, i18n) minus the bonsens
            plugin: the floor for rendering the same site with mkdocs-material;
  cold      `bonsens build` (site + SCORM 1.2 and 2004 for every language) after removing
            site/, dist/ and .bonsens/;
  nochange  `bonsens build` again, nothing changed (must be skipped);
  edit      `bonsens build` after changing one paragraph of one lesson in one language;
  pack      our packaging alone, in-process (adapt_site + build_scorm_package, the 4 SCORM packages), against
  ssp       the npm package simple-scorm-packager packing the same files (our package's content,
            unzipped, less our manifest) into the same number of packages, timed in node;
  paths     the same course with three learning paths (generate.py --paths): `bonsens build --path
            short` (the site and one path's packages) and `bonsens build` (every path packaged),
            each cold, against the cold build of the course without paths;
  launch    headless Chromium opens the SCO's launch page in a frame of a stub LMS page whose
            window.API (or API_1484_11) answers at once; time until the first content page's
            .md-content is visible and its document is complete.

Cold and plain runs are interleaved (cold 1, plain 1, cold 2, plain 2, …) so a busy machine
slows both alike. Each timing is taken `--repeats` times (default 3) and the median kept;
wall-clock and CPU time (user+sys, from os.wait4) and peak memory (max RSS) are recorded for each
process (CPU time includes the build's worker processes). Verdicts use wall-clock time by
default, the time a trainer waits: `bonsens build` renders on one core while worker processes
render quiz texts and package on the other, so its CPU time is more than its wall time by
design. On a machine shared with other work, wall time is inflated by the others; the load
average is recorded, and --judge cpu judges on CPU time (the work done) instead. Both are
printed. Results: a table on stdout, and benchmarks/results/latest.json and latest.md. A missed
target never fails the run: this is a benchmark, not a test.

builder/ is copied at the start and every run uses that snapshot (PYTHONPATH), so edits made to
builder/ while the benchmark runs cannot change what is measured half-way (--live-builder to
use the working tree instead).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import posixpath
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (beside this file)

RESULTS_DIR = HERE / "results"
# Our files a page or launch page loads: <script src="…/assets/bonsens/X"> or <link href="…">
OUR_ASSET = re.compile(r'(?:src|href)="([^"]*assets/bonsens/[^"]+)"')
LAUNCH_PAGE = "sco-course.html"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BONSENS = "import sys; from builder.cli import main; sys.exit(main())"
STUB_PAGE = "bench-lms.html"
QUESTIONS_PER_QUIZ = 8
LESSONS_PER_MODULE = 5
LIMITS = {"path_vs_full": 1.0, "cold_vs_plain": 1.3, "nochange_vs_cold": 0.10, "pack_vs_ssp": 1.0,
          "per_page_growth": 1.2,
          "runtime_kb": 30.0}


# --------------------------------------------------------------------------- processes


class MeasureError(Exception):
    """A measured command failed: that size is reported as failed, the others still run."""


@dataclass
class Sample:
    wall: float
    cpu: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run(cmd: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> Sample:
    """Run one process; its wall time, CPU time and peak memory come from os.wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        sample = Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode,
                        out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))
    if check and sample.returncode != 0:
        raise MeasureError(f"command failed ({sample.returncode}): {' '.join(cmd)}\n"
                           f"{sample.stdout[-3000:]}\n{sample.stderr[-3000:]}")
    return sample


def summary(samples: list[Sample]) -> dict[str, Any]:
    return {"wall": [round(s.wall, 3) for s in samples], "cpu": [round(s.cpu, 3) for s in samples],
            "max_rss_mb": [round(s.max_rss_mb, 1) for s in samples],
            "median_wall": round(statistics.median(s.wall for s in samples), 3),
            "median_cpu": round(statistics.median(s.cpu for s in samples), 3),
            "peak_rss_mb": round(max(s.max_rss_mb for s in samples), 1)}


def inner_summary(runs: list[dict[str, Any]], process: Sample | None) -> dict[str, Any]:
    """Times measured inside a process (ours in Python, simple-scorm-packager in node)."""
    result = {"wall": [round(r["wall"], 3) for r in runs], "cpu": [round(r["cpu"], 3) for r in runs],
              "median_wall": round(statistics.median(r["wall"] for r in runs), 3),
              "median_cpu": round(statistics.median(r["cpu"] for r in runs), 3),
              "sizes": runs[-1].get("sizes", {})}
    for key in ("adapt_wall", "zip_wall", "adapt_cpu", "zip_cpu"):
        if key in runs[0]:
            result["median_" + key] = round(statistics.median(r[key] for r in runs), 3)
    if process is not None:
        result["peak_rss_mb"] = round(process.max_rss_mb, 1)
    return result


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- set-up


def snapshot_builder(work: Path) -> tuple[Path, str]:
    """Copy builder/ aside; return the folder to put on PYTHONPATH and a digest of its files."""
    target = work / "snapshot"
    shutil.copytree(ROOT / "builder", target / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    # Compile it now, so the first timed build does not pay for the bytecode
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target / "builder")], check=True)
    return target, tree_digest(target / "builder")


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def child_env(pythonpath: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), *filter(None, [env.get("PYTHONPATH")])])
    return env


def course_shape(lessons: int) -> tuple[int, int]:
    """Modules and questions per module quiz for a course of `lessons` lessons."""
    return min(lessons, max(2, round(lessons / LESSONS_PER_MODULE))), QUESTIONS_PER_QUIZ


def plain_config(course: Path, work: Path) -> Path:
    """The generated mkdocs config minus the bonsens plugin, on a copy of the generated pages."""
    config = yaml.safe_load((course / ".bonsens" / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = work / "plain-docs"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(course / ".bonsens" / "docs", docs)
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "bonsens" in p)]
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(work / "plain-site")
    config.pop("watch", None)
    path = work / "plain-mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def clean_outputs(course: Path) -> None:
    for name in ("site", "dist", ".bonsens"):
        shutil.rmtree(course / name, ignore_errors=True)


def edit_lesson(course: Path, lesson_id: str, lang: str, variant: int) -> None:
    """Change one paragraph of one lesson in one language, as a trainer would."""
    path = next((course / "course" / "lessons").rglob(f"{lesson_id}.yml"))
    text = path.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    data = yaml.safe_load(rest)
    body = data["sections"][0]["body"]
    paragraphs = body[lang].split("\n\n")
    writer = generate.Text(random.Random(f"edit:{variant}"), lang)
    paragraphs[1] = writer.paragraph()
    body[lang] = "\n\n".join(paragraphs)
    path.write_text(generate.dump_yaml(data, first.split("=", 1)[1]), encoding="utf-8")


# --------------------------------------------------------------------------- sizes


def folder_bytes(folder: Path, skip: str | None = None) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not (skip and skip in p.relative_to(folder).parts)]
    return sum(p.stat().st_size for p in files), len(files)


def runtime_sizes(package: Path) -> dict[str, Any]:
    """Our own JS and CSS a SCO loads, and its launch page, as shipped in the package.

    Counted: every file under `assets/bonsens/` that the launch page or any page of the package
    loads (`<script src>`, `<link href>`), once each, plus the launch page itself (HTML and its
    inline configuration). The files are found by reading the pages, not from a fixed list.
    """
    import gzip

    with zipfile.ZipFile(package) as archive:
        members = set(archive.namelist())
        loaded: set[str] = set()
        for name in sorted(members):
            if not name.endswith(".html"):
                continue
            text = archive.read(name).decode("utf-8", "replace")
            for ref in OUR_ASSET.findall(text):
                member = posixpath.normpath(posixpath.join(posixpath.dirname(name), ref.split("?")[0]))
                if member in members:
                    loaded.add(member)
        files = {posixpath.basename(member): archive.read(member) for member in sorted(loaded)}
        files[LAUNCH_PAGE] = archive.read(LAUNCH_PAGE)
        theme = sum(info.file_size for info in archive.infolist()
                    if info.filename.startswith(("assets/javascripts/", "assets/stylesheets/"))
                    and info.filename.endswith((".js", ".css")) and "/lunr/" not in info.filename
                    and "/workers/" not in info.filename and not info.filename.endswith(".map"))
    raw = {name: len(data) for name, data in files.items()}
    return {"files": raw, "total_bytes": sum(raw.values()),
            "total_gzip_bytes": sum(len(gzip.compress(data, 9)) for data in files.values()),
            "theme_js_css_bytes": theme}


# --------------------------------------------------------------------------- packaging


def measure_packaging(course: Path, work: Path, env: dict[str, str], languages: list[str], repeats: int,
                      package_names: dict[str, Path]) -> dict[str, Any]:
    out = work / "pack.json"
    sample = run([sys.executable, str(HERE / "worker.py"), "package", str(course), str(out),
                  "--repeats", str(repeats)], course, env)
    ours = json.loads(out.read_text())
    result: dict[str, Any] = {"ours": inner_summary(ours["runs"], sample), "packages": ours["packages"]}
    node = shutil.which("node")
    packager = ROOT / "node_modules" / "simple-scorm-packager"
    if not node or not packager.is_dir():
        result["ssp"] = {"skipped": "node or node_modules/simple-scorm-packager missing: run npm ci"}
        return result
    jobs = []
    for lang in languages:
        source = work / "ssp-src" / lang
        shutil.rmtree(source, ignore_errors=True)
        with zipfile.ZipFile(package_names[lang]) as archive:
            archive.extractall(source)
        (source / "imsmanifest.xml").unlink()
        for version, short in (("1.2", "12"), ("2004 4th Edition", "2004")):
            jobs.append({"source": str(source), "output": str(work / "ssp-out" / f"{lang}-{short}"),
                         "version": version, "language": lang, "title": f"Benchmark course ({lang})",
                         "identifier": f"bench-{lang}-{short}", "startingPage": LAUNCH_PAGE})
    spec = work / "ssp-spec.json"
    spec.write_text(json.dumps({"repeats": repeats, "jobs": jobs}))
    sample = run([node, str(HERE / "ssp_pack.js"), str(spec)], ROOT, env)
    ssp = json.loads(sample.stdout.strip().splitlines()[-1])
    result["ssp"] = inner_summary(ssp["runs"], sample)
    result["ssp"]["process_wall"] = round(sample.wall, 3)
    return result


# --------------------------------------------------------------------------- SCO launch in Chromium

STUB = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Benchmark: a stub LMS</title>
<style>html, body { height: 100%; margin: 0; } iframe { display: block; width: 100%; height: 100%; border: 0; }</style>
<script>
(function () {
  var calls = window.benchCalls = [];
  var data = {
    "cmi.core.entry": "ab-initio", "cmi.entry": "ab-initio", "cmi.core.lesson_mode": "normal", "cmi.mode": "normal",
    "cmi.core.credit": "credit", "cmi.credit": "credit", "cmi.core.lesson_status": "not attempted",
    "cmi.completion_status": "unknown", "cmi.success_status": "unknown", "cmi.core.student_id": "bench",
    "cmi.learner_id": "bench", "cmi.core.student_name": "Bench, Ann", "cmi.learner_name": "Bench, Ann",
    "cmi.suspend_data": "", "cmi.core.lesson_location": "", "cmi.location": "",
    "cmi.interactions._count": "0", "cmi.objectives._count": "0"
  };
  function named(name, value) { return function () { calls.push(name); return value; }; }
  function get(key) { return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : ""; }
  function set(key, value) { data[key] = String(value); return "true"; }
  window.API = { LMSInitialize: named("init", "true"), LMSFinish: named("finish", "true"), LMSGetValue: get,
    LMSSetValue: set, LMSCommit: named("commit", "true"), LMSGetLastError: named("error", "0"),
    LMSGetErrorString: named("text", ""), LMSGetDiagnostic: named("diagnostic", "") };
  window.API_1484_11 = { Initialize: named("init", "true"), Terminate: named("finish", "true"), GetValue: get,
    SetValue: set, Commit: named("commit", "true"), GetLastError: named("error", "0"),
    GetErrorString: named("text", ""), GetDiagnostic: named("diagnostic", "") };
})();

/* Launch the SCO in the frame, as an LMS does, and time it until its first content page is usable. */
window.benchLaunch = function (launch) {
  return new Promise(function (resolve, reject) {
    var frame = document.getElementById("sco");
    var started = performance.now();
    frame.src = launch;
    (function poll() {
      var elapsed = performance.now() - started;
      if (elapsed > 30000) { reject(new Error("the first page did not show within 30 s")); return; }
      try {
        var launchDoc = frame.contentDocument;
        var inner = launchDoc && launchDoc.getElementById("bs-sco-frame");
        var doc = inner && inner.contentDocument;
        if (doc && doc.readyState === "complete" && doc.location.href !== "about:blank") {
          var content = doc.querySelector(".md-content");
          if (content && content.checkVisibility()) {
            /* when the content page began to load, on this page's clock (time origins are absolute) */
            var frameStart = inner.contentWindow.performance.timeOrigin - performance.timeOrigin - started;
            resolve({ ms: elapsed, frameStart: frameStart, page: doc.location.pathname,
                      api: window.benchCalls.indexOf("init") >= 0 });
            return;
          }
        }
      } catch (e) { /* a document being replaced */ }
      setTimeout(poll, 2);
    })();
  });
};
</script>
</head>
<body><iframe id="sco" title="SCO"></iframe></body>
</html>
"""

SERVER = """
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def measure_launch(packages: dict[str, Path], work: Path, repeats: int) -> dict[str, Any]:
    """Median time from SCO launch to its first page being interactive, per standard."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed (pip install -e '.[test]')"}
    if not Path(CHROMIUM).exists():
        return {"skipped": f"{CHROMIUM} missing (apt-get install chromium)"}
    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for standard, package in packages.items():
                folder = work / f"launch-{standard}"
                shutil.rmtree(folder, ignore_errors=True)
                with zipfile.ZipFile(package) as archive:
                    archive.extractall(folder)
                (folder / STUB_PAGE).write_text(STUB, encoding="utf-8")
                server = subprocess.Popen([sys.executable, "-c", SERVER, str(folder)], stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL, text=True)
                try:
                    assert server.stdout is not None
                    base = f"http://127.0.0.1:{server.stdout.readline().strip()}/"
                    times, starts, errors, pages, api = [], [], [], set(), True
                    for attempt in range(repeats + 1):  # the first one warms the browser up: not kept
                        context = browser.new_context(viewport={"width": 1280, "height": 800})
                        page = context.new_page()
                        page.on("pageerror", lambda error, sink=errors: sink.append(str(error)))
                        page.goto(base + STUB_PAGE)
                        outcome = page.evaluate(f"benchLaunch({json.dumps(LAUNCH_PAGE)})")
                        context.close()
                        if attempt:
                            times.append(outcome["ms"])
                            starts.append(outcome["frameStart"])
                            pages.add(outcome["page"])
                            api = api and outcome["api"]
                finally:
                    server.terminate()
                    server.wait()
                results[standard] = {"ms": [round(t, 1) for t in times],
                                     "median_ms": round(statistics.median(times), 1),
                                     "median_first_page_request_ms": round(statistics.median(starts), 1),
                                     "first_page": sorted(pages), "api_found": api, "page_errors": errors[:5]}
        finally:
            browser.close()
    return results


# --------------------------------------------------------------------------- one size


def measure_size(lessons: int, args: argparse.Namespace, work: Path, env: dict[str, str]) -> dict[str, Any]:
    modules, questions = course_shape(lessons)
    course = work / f"course-{lessons}"
    languages = args.languages
    generate.generate(course, modules, lessons, questions, languages)
    bonsens = [sys.executable, "-c", BONSENS, "build", str(course)]
    plain_cmd: list[str] | None = None
    result: dict[str, Any] = {"lessons": lessons, "modules": modules, "questions_per_quiz": questions,
                              "languages": languages, "load_before": os.getloadavg()[0]}
    started = time.perf_counter()
    cold, plain = [], []
    for attempt in range(args.repeats):
        clean_outputs(course)
        cold.append(run(bonsens, course, env))
        if plain_cmd is None:
            plain_cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file",
                         str(plain_config(course, work))]
        shutil.rmtree(work / "plain-site", ignore_errors=True)
        plain.append(run(plain_cmd, course, env))
        log(f"  [{lessons}] cold {cold[-1].wall:6.2f} s   plain mkdocs {plain[-1].wall:6.2f} s   "
            f"({attempt + 1}/{args.repeats})")
    pages = sum(1 for _ in (course / "site").rglob("*.html"))
    plain_pages = sum(1 for _ in (work / "plain-site").rglob("*.html"))
    nochange = [run(bonsens, course, env) for _ in range(args.repeats)]
    skipped = ["nothing changed" in s.stdout for s in nochange]
    log(f"  [{lessons}] no-change rebuild {statistics.median(s.wall for s in nochange):6.2f} s (skipped: {skipped})")
    all_lessons = [lesson for module in generate.plan_modules(modules, lessons) for lesson in module]
    edited = all_lessons[len(all_lessons) // 2]
    edits, reused = [], []
    for attempt in range(args.repeats):
        edit_lesson(course, edited, languages[0], attempt)
        edits.append(run(bonsens, course, env))
        found = re.search(r"\((\d+) package\(s\) unchanged", edits[-1].stdout)
        reused.append(int(found.group(1)) if found else 0)
        log(f"  [{lessons}] one-lesson edit {edits[-1].wall:6.2f} s, {reused[-1]} package(s) reused "
            f"({attempt + 1}/{args.repeats})")
    paths = measure_paths(lessons, args, work, env, cold)
    dist = course / "dist"
    zips = {p.name: p.stat().st_size for p in sorted(dist.glob("*.zip"))}
    first_package = {lang: next(dist.glob(f"*-{lang}-scorm12.zip")) for lang in languages}
    packaging = measure_packaging(course, work, env, languages, args.repeats, first_package)
    ssp = packaging.get("ssp", {})
    log(f"  [{lessons}] packaging: ours {packaging['ours']['median_wall']:6.2f} s, simple-scorm-packager "
        f"{ssp.get('median_wall', float('nan')):6.2f} s")
    site_bytes, site_files = folder_bytes(course / "site")
    site_pages_bytes, _ = folder_bytes(course / "site", skip="downloads")
    default = languages[0]
    launch_packages = {standard: next(dist.glob(f"*-{default}-{standard}.zip"))
                       for standard in ("scorm12", "scorm2004")}
    launch = ({"skipped": "--no-browser"} if args.no_browser
              else measure_launch(launch_packages, work, args.browser_repeats))
    if "skipped" not in launch:
        log(f"  [{lessons}] SCO launch to first page: " + ", ".join(
            f"{k} {v['median_ms']:.0f} ms" for k, v in launch.items()))
    result.update({
        "pages": pages, "plain_pages": plain_pages, "edited_lesson": edited, "edited_language": default,
        "timings": {"plain_mkdocs": summary(plain), "cold": summary(cold), "nochange": summary(nochange),
                    "edit": summary(edits)},
        "nochange_skipped": skipped, "edit_reused_packages": reused,
        "packaging": packaging,
        "paths": paths,
        "sizes": {"site_bytes": site_bytes, "site_files": site_files, "site_bytes_without_downloads": site_pages_bytes,
                  "zips": zips, "runtime_per_sco": runtime_sizes(launch_packages["scorm12"]),
                  "runtime_per_cmi5_au": runtime_sizes(next(dist.glob(f"*-{default}-cmi5.zip")))},
        "launch": launch,
        "load_after": os.getloadavg()[0],
        "seconds": round(time.perf_counter() - started, 1),
    })
    return result


def measure_paths(lessons: int, args: argparse.Namespace, work: Path, env: dict[str, str],
                  full: list[Sample]) -> dict[str, Any]:
    """A course with three learning paths, built cold for one path and for all, each run right after
    the other so the machine is the same; `full` is the cold build of the same course without paths."""
    modules, questions = course_shape(lessons)
    course = work / f"course-{lessons}-paths"
    generate.generate(course, modules, lessons, questions, args.languages, paths=True)
    one_path = [sys.executable, "-c", BONSENS, "build", str(course), "--path", "short"]
    every_path = [sys.executable, "-c", BONSENS, "build", str(course)]
    one, every = [], []
    for attempt in range(args.repeats):
        clean_outputs(course)
        one.append(run(one_path, course, env))
        clean_outputs(course)
        every.append(run(every_path, course, env))
        log(f"  [{lessons}] paths: one path {one[-1].wall:6.2f} s, every path {every[-1].wall:6.2f} s "
            f"({attempt + 1}/{args.repeats})")
    return {"one_path": summary(one), "every_path": summary(every), "full_without_paths": summary(full),
            "packages_every_path": sum(1 for _ in (course / "dist").glob("*.zip"))}


def measure_phases(lessons: int, args: argparse.Namespace, work: Path, env: dict[str, str]) -> dict[str, Any]:
    course = work / f"course-{lessons}"
    out = work / "phases.json"
    sample = run([sys.executable, str(HERE / "worker.py"), "phases", str(course), str(out)], course, env)
    data = json.loads(out.read_text())
    data["lessons"] = lessons
    data["peak_rss_mb"] = round(sample.max_rss_mb, 1)
    return data


# --------------------------------------------------------------------------- verdicts and report


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def cold_vs_plain(timings: dict[str, Any], clock: str) -> float:
    """The median of the ratios of each cold build to the plain build run right after it.

    Pairs taken back to back see the same machine: on a host whose speed drifts (other tenants),
    this is steadier than a ratio of two medians taken minutes apart.
    """
    cold, plain = timings["cold"][clock], timings["plain_mkdocs"][clock]
    return statistics.median(ratio(c, p) for c, p in zip(cold, plain, strict=True))


def evaluate(sizes: list[dict[str, Any]], judge: str = "wall") -> list[dict[str, Any]]:
    """PASS or MISS per target, on CPU time (default) or wall-clock time; both are recorded."""
    targets = []

    def add(name: str, limit: str, values: list[dict[str, Any]], ok: bool) -> None:
        targets.append({"target": name, "limit": limit, "values": values, "verdict": "PASS" if ok else "MISS"})

    values = []
    for s in sizes:
        t = s["timings"]
        values.append({"lessons": s["lessons"],
                       "wall": round(cold_vs_plain(t, "wall"), 2), "cpu": round(cold_vs_plain(t, "cpu"), 2)})
    add("cold full build ≤ 1.3× plain mkdocs", "1.3×", values,
        all(v[judge] <= LIMITS["cold_vs_plain"] for v in values))
    values = []
    for s in sizes:
        t = s["timings"]
        values.append({"lessons": s["lessons"],
                       "wall": round(ratio(t["nochange"]["median_wall"], t["cold"]["median_wall"]), 3),
                       "cpu": round(ratio(t["nochange"]["median_cpu"], t["cold"]["median_cpu"]), 3),
                       "skipped": all(s["nochange_skipped"])})
    add("no-change rebuild ≤ 10 % of cold", "10 %", values,
        all(v[judge] <= LIMITS["nochange_vs_cold"] and v["skipped"] for v in values))
    values = []
    for s in sizes:
        p = s["packaging"]
        if "median_wall" in p.get("ssp", {}):
            values.append({"lessons": s["lessons"],
                           "wall": round(ratio(p["ours"]["median_wall"], p["ssp"]["median_wall"]), 2),
                           "cpu": round(ratio(p["ours"]["median_cpu"], p["ssp"]["median_cpu"]), 2)})
    add("packaging faster than simple-scorm-packager", "< 1.0×", values,
        bool(values) and all(v[judge] < LIMITS["pack_vs_ssp"] for v in values))
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]

        def per_page(s: dict[str, Any], key: str) -> float:
            return s["timings"]["cold"][key] / s["pages"]

        values = [{"lessons": f"{large['lessons']} vs {small['lessons']}",
                   "wall": round(ratio(per_page(large, "median_wall"), per_page(small, "median_wall")), 2),
                   "cpu": round(ratio(per_page(large, "median_cpu"), per_page(small, "median_cpu")), 2)}]
        add("per-page cost (cold build) at the largest size within 1.2× of the smallest", "1.2×", values,
            values[0][judge] <= LIMITS["per_page_growth"])
    values = []
    for s in sizes:
        p = s.get("paths")
        if p:
            one, full = p["one_path"], p["full_without_paths"]
            values.append({"lessons": s["lessons"],
                           "wall": round(ratio(one["median_wall"], full["median_wall"]), 2),
                           "cpu": round(ratio(one["median_cpu"], full["median_cpu"]), 2)})
    if values:
        add("a path's build (site + its packages) ≤ a full build", "1.0×", values,
            all(v[judge] <= LIMITS["path_vs_full"] for v in values))
    values = [{"lessons": s["lessons"], "kb": round(s["sizes"]["runtime_per_sco"]["total_gzip_bytes"] / 1024, 1)}
              for s in sizes]
    add("runtime JS+CSS per SCO (ours + launch page) ≤ 30 KB gzipped", "30 KB", values,
        all(v["kb"] <= LIMITS["runtime_kb"] for v in values))
    values = [{"lessons": s["lessons"], "kb": round(s["sizes"]["runtime_per_cmi5_au"]["total_gzip_bytes"] / 1024, 1)}
              for s in sizes if "runtime_per_cmi5_au" in s["sizes"]]
    if values:
        add("runtime JS+CSS per cmi5 AU (ours + launch page) ≤ 30 KB gzipped", "30 KB", values,
            all(v["kb"] <= LIMITS["runtime_kb"] for v in values))
    return targets


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def report(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    lines = ["### Build times (median of {} runs; wall-clock, CPU in brackets)".format(results["repeats"]), "",
             "| lessons/lang | pages | plain mkdocs | bonsens cold | ratio (median of pairs) | no-change | % of cold "
             "| one-lesson edit | per page (cold) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in sizes:
        t = s["timings"]
        p, c, n, e = t["plain_mkdocs"], t["cold"], t["nochange"], t["edit"]
        lines.append(
            f"| {s['lessons']} | {s['pages']} | {fmt_s(p['median_wall'])} ({fmt_s(p['median_cpu'])}) "
            f"| {fmt_s(c['median_wall'])} ({fmt_s(c['median_cpu'])}) "
            f"| {cold_vs_plain(t, 'wall'):.2f}× ({cold_vs_plain(t, 'cpu'):.2f}×) "
            f"| {fmt_s(n['median_wall'])} ({fmt_s(n['median_cpu'])}) "
            f"| {100 * ratio(n['median_wall'], c['median_wall']):.1f} % "
            f"({100 * ratio(n['median_cpu'], c['median_cpu']):.1f} %) "
            f"| {fmt_s(e['median_wall'])} ({fmt_s(e['median_cpu'])}) "
            f"— {min(s['edit_reused_packages'])} of {len(s['sizes']['zips'])} zips reused "
            f"| {1000 * c['median_wall'] / s['pages']:.0f} ms ({1000 * c['median_cpu'] / s['pages']:.0f} ms) |")
    lines += ["", "### Packaging alone: the 4 packages (2 languages × SCORM 1.2 and 2004), in-process "
              "(wall-clock, CPU in brackets)", "",
              "| lessons/lang | ours: adapt + zip | of which adapt (lxml) | of which zip | simple-scorm-packager "
              "| ratio | our zip / its zip (fr, 1.2) |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in sizes:
        ours, ssp = s["packaging"]["ours"], s["packaging"].get("ssp", {})
        if "median_wall" not in ssp:
            lines.append(f"| {s['lessons']} | {fmt_s(ours['median_wall'])} | | | skipped | | |")
            continue
        ours_zip = next((v for k, v in ours["sizes"].items() if "-scorm12" in k), 0)
        ssp_zip = next((v for k, v in ssp["sizes"].items() if k.endswith(" 1.2")), 0)
        lines.append(
            f"| {s['lessons']} | {fmt_s(ours['median_wall'])} ({fmt_s(ours['median_cpu'])}) "
            f"| {fmt_s(ours['median_adapt_wall'])} | {fmt_s(ours['median_zip_wall'])} "
            f"| {fmt_s(ssp['median_wall'])} ({fmt_s(ssp['median_cpu'])}) "
            f"| {ratio(ours['median_wall'], ssp['median_wall']):.2f}× "
            f"({ratio(ours['median_cpu'], ssp['median_cpu']):.2f}×) "
            f"| {ours_zip / 1e6:.2f} MB / {ssp_zip / 1e6:.2f} MB |")
    with_paths = [s for s in sizes if s.get("paths")]
    if with_paths:
        lines += ["", "### Learning paths: the same course with three paths, cold builds (wall-clock, CPU in brackets)",
                  "", "| lessons/lang | without paths (6 packages) | `--path short` (site + 6) "
                  "| every path (site + all packages) | one path ÷ without |", "| ---: | ---: | ---: | ---: | ---: |"]
        for s in with_paths:
            p = s["paths"]
            full, one, every = p["full_without_paths"], p["one_path"], p["every_path"]
            lines.append(f"| {s['lessons']} | {fmt_s(full['median_wall'])} ({fmt_s(full['median_cpu'])}) "
                         f"| {fmt_s(one['median_wall'])} ({fmt_s(one['median_cpu'])}) "
                         f"| {fmt_s(every['median_wall'])} ({fmt_s(every['median_cpu'])}), "
                         f"{p['packages_every_path']} packages "
                         f"| {ratio(one['median_wall'], full['median_wall']):.2f}× "
                         f"({ratio(one['median_cpu'], full['median_cpu']):.2f}×) |")
    lines += ["", "### Memory, sizes and SCO start-up", "",
              "| lessons/lang | peak RSS: plain / cold / edit / packaging / ssp | site (without downloads/) "
              "| each zip | our JS+CSS per SCO (+ launch page) "
              "| SCO launch → first page interactive, 1.2 / 2004 (in brackets: first page requested at) |",
              "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in sizes:
        t, z = s["timings"], s["sizes"]
        runtime = z["runtime_per_sco"]
        files = runtime["files"]
        launch_page = files.get(LAUNCH_PAGE, 0)
        ssp_rss = s["packaging"].get("ssp", {}).get("peak_rss_mb", float("nan"))
        launch = s["launch"]
        launch_text = "skipped" if "skipped" in launch else " / ".join(
            f"{launch[std]['median_ms']:.0f} ms" + (f" ({launch[std]['median_first_page_request_ms']:.0f})"
                                                    if "median_first_page_request_ms" in launch[std] else "")
            for std in ("scorm12", "scorm2004"))
        zip_sizes = sorted(z["zips"].values())
        lines.append(
            f"| {s['lessons']} | {t['plain_mkdocs']['peak_rss_mb']:.0f} / {t['cold']['peak_rss_mb']:.0f} / "
            f"{t['edit']['peak_rss_mb']:.0f} / {s['packaging']['ours']['peak_rss_mb']:.0f} / {ssp_rss:.0f} MB "
            f"| {z['site_bytes_without_downloads'] / 1e6:.1f} MB, {z['site_files']} files "
            f"| {zip_sizes[0] / 1e6:.2f}–{zip_sizes[-1] / 1e6:.2f} MB "
            f"| {(runtime['total_bytes'] - launch_page) / 1024:.1f} KB + {launch_page / 1024:.1f} KB "
            f"= {runtime['total_bytes'] / 1024:.1f} KB ({runtime['total_gzip_bytes'] / 1024:.1f} KB gzip) "
            f"| {launch_text} |")
    judge = results.get("judge", "wall")
    other = "wall" if judge == "cpu" else "cpu"
    names = {"cpu": "CPU", "wall": "wall"}
    lines += ["", f"### Targets (judged on {'CPU time' if judge == 'cpu' else 'wall-clock time'}, "
              f"{names[other]} in brackets)", "", "| target | measured | verdict |", "| --- | --- | --- |"]
    for target in results["targets"]:
        parts = []
        for v in target["values"]:
            if "kb" in v:
                parts.append(f"{v['lessons']}: {v['kb']} KB")
            elif "skipped" in v:
                parts.append(f"{v['lessons']}: {100 * v[judge]:.1f} % ({100 * v[other]:.1f} %)"
                             f"{'' if v['skipped'] else ', NOT skipped'}")
            else:
                parts.append(f"{v['lessons']}: {v[judge]:.2f}× ({v[other]:.2f}×)")
        lines.append(f"| {target['target']} | {'; '.join(parts) or 'not measured'} | **{target['verdict']}** |")
    phases = results.get("phases")
    if phases:
        lines += ["", f"### Where a cold build's time goes ({phases['lessons']} lessons/lang, one in-process run)", "",
                  "| stage | wall | CPU | calls |", "| --- | ---: | ---: | ---: |"]
        for stage in phases["stages"]:
            label = stage["stage"]
            lines.append(f"| {'&emsp;' * ((len(label) - len(label.lstrip())) // 2)}{label.strip()} "
                         f"| {fmt_s(stage['wall'])} | {fmt_s(stage['cpu'])} | {stage['calls']} |")
        lines.append(f"| total | {fmt_s(phases['total']['wall'])} | {fmt_s(phases['total']['cpu'])} | |")
    return "\n".join(lines) + "\n"


def render(results: dict[str, Any]) -> str:
    text = report(results) if results["sizes"] else "Nothing was measured.\n"
    for failure in results.get("failed", []):
        text += f"\nFAILED at {failure['lessons']} lessons: {failure['error'].strip().splitlines()[-1]}\n"
    text += (f"\nMachine: {results['environment']['machine']['cpus']} CPUs, load average "
             f"{results['load_start'][0]:.1f} at the start, {results['load_end'][0]:.1f} at the end; "
             f"total {results['seconds']:.0f} s.\n")
    if "note" in results:
        text += f"Note: {results['note']}.\n"
    return text


def environment(snapshot_digest: str | None) -> dict[str, Any]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "missing"

    def output(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "missing"

    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                                                 / 2**30, 1), "platform": platform.platform()},
        "python": platform.python_version(),
        "packages": {name: version(name) for name in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "markdown",
                                                       "pymdown-extensions", "lxml", "nh3", "pydantic", "playwright")},
        "node": output(["node", "--version"]),
        "simple_scorm_packager": json.loads((ROOT / "node_modules" / "simple-scorm-packager" / "package.json")
                                            .read_text())["version"]
        if (ROOT / "node_modules" / "simple-scorm-packager").is_dir() else "missing",
        "chromium": output([CHROMIUM, "--version"]) if Path(CHROMIUM).exists() else "missing",
        "builder_snapshot": snapshot_digest,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,40,160",
                        help="lessons per language, comma-separated (default 10,40,160)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each timing; the median is kept (default 3)")
    parser.add_argument("--browser-repeats", type=int, default=5, help="SCO launches per standard (default 5)")
    parser.add_argument("--languages", default="fr,en", help="course languages (default fr,en)")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 4,8, each timing once")
    parser.add_argument("--no-browser", action="store_true", help="skip the SCO launch measurement")
    parser.add_argument("--no-phases", action="store_true", help="skip the stage breakdown at the largest size")
    parser.add_argument("--live-builder", action="store_true", help="use builder/ as it is, not a snapshot")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one, removed at the end)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json", help="JSON results")
    parser.add_argument("--judge", choices=("cpu", "wall"), default="wall",
                        help="time the verdicts use (default wall: what a trainer waits; cpu: the work done)")
    parser.add_argument("--report-only", type=Path, metavar="JSON",
                        help="measure nothing: judge and print the results of an earlier run")
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads(args.report_only.read_text(encoding="utf-8"))
        results["judge"] = args.judge
        results["targets"] = evaluate(results["sizes"], args.judge)
        print(render(results))
        return 0
    if args.quick:
        args.sizes, args.repeats, args.browser_repeats = "4,8", 1, 1
    sizes = sorted({int(n) for n in args.sizes.split(",") if n.strip()})
    args.languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="bonsens-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pythonpath, digest = (None, None) if args.live_builder else snapshot_builder(work)
    env = child_env(pythonpath)
    check = run([sys.executable, "-c", "import builder, sys; print(builder.__file__)"], work, env)
    log(f"builder from {Path(check.stdout.strip()).parent}; work folder {work}")
    results: dict[str, Any] = {"environment": environment(digest), "repeats": args.repeats,
                               "load_start": os.getloadavg(), "sizes": [], "failed": []}
    try:
        for lessons in sizes:
            log(f"size {lessons} lessons per language ({course_shape(lessons)[0]} modules)")
            try:
                results["sizes"].append(measure_size(lessons, args, work, env))
            except MeasureError as error:
                log(f"  [{lessons}] FAILED: {error}")
                results["failed"].append({"lessons": lessons, "error": str(error)})
        measured = [s["lessons"] for s in results["sizes"]]
        if measured and not args.no_phases and not args.quick:
            log(f"stage breakdown at {measured[-1]} lessons")
            try:
                results["phases"] = measure_phases(measured[-1], args, work, env)
            except MeasureError as error:
                log(f"  stage breakdown FAILED: {error}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    results["judge"] = args.judge
    results["targets"] = evaluate(results["sizes"], args.judge)
    results["load_end"] = os.getloadavg()
    results["seconds"] = round(time.perf_counter() - started, 1)
    if digest is not None and tree_digest(ROOT / "builder") != digest:
        results["note"] = "builder/ changed while the benchmark ran; the snapshot taken at the start was measured"
    text = render(results)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    args.output.with_suffix(".md").write_text(text, encoding="utf-8")
    log(f"wrote {args.output} and {args.output.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
