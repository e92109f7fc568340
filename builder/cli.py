"""`bonsens`: the command line a trainer types. Each command is a thin shell over one stage."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.diagnostics import CourseError, Diagnostic, Severity

if TYPE_CHECKING:
    from builder.buildstate import BuildRequest, BuildResult
    from builder.project import CourseProject

COURSE_DIR = click.argument(
    "directory", required=False, default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="bonsens")
def main() -> None:
    """Bon Sens turns YAML lessons and quizzes into a training site and SCORM packages.

    \b
    Typical session:
      bonsens check          find every problem in the course, with file:line:col
      bonsens build          build the site (site/) and the LMS packages (dist/)
      bonsens serve          preview the site while you edit, with live reload
      bonsens new lesson ID  start a lesson from a commented template
    """


# --------------------------------------------------------------------------- check


@main.command(context_settings=CONTEXT)
@COURSE_DIR
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(directory: Path, strict: bool) -> None:
    """Check the course in DIRECTORY (default: here) and report every problem.

    Problems are printed as `file:line:col: error|warning: message`, with a hint on how to fix
    them. Exit status: 0 when clean, 1 on any error (or any warning with --strict).
    """
    from builder.loader import load_project

    _, problems = load_project(directory)
    report(problems)
    errors = [p for p in problems if p.severity is Severity.error]
    if errors or (strict and problems):
        sys.exit(1)


def report(problems: list[Diagnostic]) -> None:
    """Print problems, coloured on a terminal, then a one-line count."""
    for problem in problems:
        colour = "red" if problem.severity is Severity.error else "yellow"
        head, _, rest = problem.format().partition(f" {problem.severity.value}:")
        click.echo(f"{click.style(head, bold=True)} {click.style(problem.severity.value + ':', fg=colour)}"
                   f"{rest}", err=False)
    errors = sum(p.severity is Severity.error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        click.echo(click.style("✓ course is clean", fg="green"))
    else:
        click.echo(click.style(f"{errors} error(s), {warnings} warning(s)", fg="red" if errors else "yellow"))


def fail_with(error: CourseError) -> None:
    report(error.diagnostics)
    click.echo("Nothing was written; the previous outputs are untouched.", err=True)
    sys.exit(1)


# --------------------------------------------------------------------------- schema


@main.command(context_settings=CONTEXT)
@COURSE_DIR
def schema(directory: Path) -> None:
    """Write JSON Schemas for editors and tie every YAML file to its schema.

    Writes schemas/course.schema.json, lesson.schema.json and quiz.schema.json, and puts a
    `# yaml-language-server: $schema=…` line at the top of each course, lesson and quiz file,
    so an editor with the YAML language server autocompletes keys and flags errors as you type.
    """
    from builder.loader import lesson_files, load_project, quiz_files
    from builder.schema import add_modeline, write_schemas

    project, problems = load_project(directory)
    languages = project.languages if project else ["fr", "en"]
    for path in write_schemas(directory, languages):
        click.echo(f"wrote {path.relative_to(directory).as_posix()}")
    targets = [(directory / "course" / "course.yml", "course")]
    targets += [(path, "lesson") for path in lesson_files(directory)]
    targets += [(path, "quiz") for path in quiz_files(directory)]
    changed = [path for path, kind in targets if path.is_file() and add_modeline(path, kind, directory)]
    for path in changed:
        click.echo(f"linked {path.relative_to(directory).as_posix()} to its schema")


# --------------------------------------------------------------------------- new


@main.group(context_settings=CONTEXT)
def new() -> None:
    """Start a lesson or a quiz from a commented, valid template."""


@new.command("lesson", context_settings=CONTEXT)
@click.argument("lesson_id")
@click.option("--module", "module_id", default="", help="Module folder under course/lessons/.")
@click.option("--dir", "directory", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="Course folder (default: here).")
def new_lesson(lesson_id: str, module_id: str, directory: Path) -> None:
    """Create course/lessons/[MODULE/]LESSON_ID.yml."""
    from builder.loader import LESSONS_DIR

    target = directory / LESSONS_DIR / module_id / f"{lesson_id}.yml"
    _scaffold(target, "lesson", lesson_id, directory)
    click.echo(f"Next: add '{lesson_id}' to a module's `lessons:` in course/course.yml.")


@new.command("quiz", context_settings=CONTEXT)
@click.argument("quiz_id")
@click.option("--dir", "directory", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="Course folder (default: here).")
def new_quiz(quiz_id: str, directory: Path) -> None:
    """Create quizzes/QUIZ_ID.yml."""
    from builder.loader import QUIZZES_DIR

    _scaffold(directory / QUIZZES_DIR / f"{quiz_id}.yml", "quiz", quiz_id, directory)
    click.echo(f"Next: set `quiz: {quiz_id}` on a module (or the final exam) in course/course.yml.")


def _scaffold(target: Path, kind: str, identifier: str, root: Path) -> None:
    from pydantic import TypeAdapter, ValidationError

    from builder.model import Identifier
    from builder.schema import modeline_for

    try:
        TypeAdapter(Identifier).validate_python(identifier)
    except ValidationError:
        raise click.BadParameter(f"'{identifier}': use lower-case letters, digits and hyphens, "
                                 "e.g. m1-privacy-settings") from None
    if target.exists():
        raise click.ClickException(f"{target.as_posix()} already exists; nothing was written")
    template = (Path(__file__).parent / "templates" / f"{kind}.yml").read_text(encoding="utf-8")
    schema_path = modeline_for(target, kind, root).split("=", 1)[1]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.format(id=identifier, schema=schema_path), encoding="utf-8")
    click.echo(f"created {target.as_posix()}")


# --------------------------------------------------------------------------- build and serve


@main.command(context_settings=CONTEXT)
@COURSE_DIR
@click.option("--site", "want_site", is_flag=True, help="Build the static site.")
@click.option("--scorm12", is_flag=True, help="Build the SCORM 1.2 packages.")
@click.option("--scorm2004", is_flag=True, help="Build the SCORM 2004 4th edition packages.")
@click.option("--multi-sco", is_flag=True, help="Packages with one SCO per module (default: one SCO).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary (for scripts) instead of text.")
def build(directory: Path, want_site: bool, scorm12: bool, scorm2004: bool, multi_sco: bool, quiet: bool,
          as_json: bool) -> None:
    """Check the course, then build the site into site/ and the LMS packages into dist/.

    With no option, builds everything: the site and, for each language, a SCORM 1.2 and a SCORM
    2004 package. A build that fails leaves the previous site/ and dist/ exactly as they were.
    """
    import time

    from builder.buildstate import BuildRequest, up_to_date

    started = time.perf_counter()
    everything = not (want_site or scorm12 or scorm2004)
    standards = tuple(s for s, wanted in (("scorm12", scorm12), ("scorm2004", scorm2004))
                      if wanted or everything)
    request = BuildRequest(site=want_site or everything, standards=standards,
                           layouts=("multi",) if multi_sco else ("single",))
    result = up_to_date(directory, request)
    if result is None:
        from builder.loader import require_project

        try:
            project = require_project(directory)
        except CourseError as error:
            fail_with(error)
            return
        result = _run_build(project, request, started, quiet or as_json)
    if as_json:
        click.echo(json.dumps(_summary(result, time.perf_counter() - started), indent=2))
        return
    if quiet:
        return
    if result.up_to_date:
        click.echo(click.style("✓ ", fg="green") + "nothing changed since the last build: "
                   "site/ and dist/ are up to date")
        return
    if result.site_dir:
        pages = sum(1 for _ in result.site_dir.rglob("*.html"))
        click.echo(click.style("✓ ", fg="green") + f"site/ — {pages} pages in {len(project.languages)} languages")
    for package in result.packages:
        click.echo(click.style("✓ ", fg="green") + f"dist/{package.name} — {package.stat().st_size / 1024:,.0f} KB")
    if result.reused_packages:
        click.echo(f"  ({result.reused_packages} package(s) unchanged, kept as they were)")
    click.echo(f"built in {time.perf_counter() - started:.1f} s")


@main.command(context_settings=CONTEXT)
@COURSE_DIR
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(directory: Path, port: int) -> None:
    """Preview the site at http://127.0.0.1:PORT, rebuilt and reloaded as you edit the YAML."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from builder.loader import require_project
    from builder.site import docs_dir, write_config, write_docs

    try:
        project = require_project(directory)
    except CourseError as error:
        fail_with(error)
        return
    import logging

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mkdocs.plugins.mkdocs_static_i18n").setLevel(logging.WARNING)
    logging.getLogger("mkdocs_static_i18n").setLevel(logging.WARNING)
    write_docs(project, docs_dir(directory))
    config_file = write_config(project, directory / ".bonsens" / "serve-site", serving=True)
    click.echo(f"Preview at http://127.0.0.1:{port}/ — edit course/ or quizzes/ and the page reloads. Ctrl-C to stop.")
    mkdocs_serve(str(config_file), dev_addr=f"127.0.0.1:{port}", livereload=True)


def _run_build(project: CourseProject, request: BuildRequest, started: float, quiet: bool) -> BuildResult:
    """Run the build with a stage display on a terminal; errors end the command cleanly."""
    import time

    from builder.build import build_all

    _quiet_mkdocs(quiet)
    on_terminal = sys.stdout.isatty() and not quiet

    def report(stage: str) -> None:
        if on_terminal:
            click.echo(click.style(f"  {time.perf_counter() - started:5.1f} s  ", dim=True) + stage)

    try:
        return build_all(project, request, report)
    except KeyboardInterrupt:
        click.echo("\ninterrupted: the previous site/ and dist/ are untouched.", err=True)
        sys.exit(130)
    except Exception as exc:  # mkdocs and plugin errors: say what, keep the old outputs
        click.echo(click.style(f"error: the build failed: {exc}", fg="red"), err=True)
        click.echo("The previous site/ and dist/ are untouched.", err=True)
        sys.exit(1)


def _summary(result: BuildResult, seconds: float) -> dict[str, object]:
    """What a script needs to know of a build."""
    site = result.site_dir
    return {
        "up_to_date": result.up_to_date,
        "seconds": round(seconds, 2),
        "site": {"path": str(site), "pages": sum(1 for _ in site.rglob("*.html")),
                 "bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file())} if site else None,
        "packages": [{"path": str(p), "bytes": p.stat().st_size} for p in result.packages],
        "reused_packages": result.reused_packages,
    }


def _quiet_mkdocs(quiet: bool) -> None:
    """mkdocs logs every step at INFO; a trainer wants our summary, and warnings."""
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR if quiet else logging.WARNING)


# --------------------------------------------------------------------------- preview


@main.command(context_settings=CONTEXT)
@click.argument("package", type=click.Path(path_type=Path))
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1; a free one is picked if it is taken.")
def preview(package: Path, port: int) -> None:
    """Try the SCORM PACKAGE (a .zip from dist/) in a local LMS before importing it.

    Serves on http://127.0.0.1:PORT only: the package's items with their status and score, each
    SCO launched in a frame, and, live, its data model and every API call with the error a
    strict LMS would raise. Reset an attempt, relaunch to test resume, download the data model
    as JSON. Nothing leaves your computer. Ctrl-C stops it and removes its temporary folder.
    """
    import signal

    from builder.preview.package import PreviewError
    from builder.preview.server import open_preview

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.getsignal(signal.SIGTERM)
    try:
        with open_preview(package, port) as session:
            launchable = sum(1 for item in session.manifest.items if item.launch)
            click.echo(f"Previewing {package.name}: SCORM {session.manifest.standard}, "
                       f"{launchable} item(s) to launch")
            if session.port != port and port != 0:
                click.echo(click.style(f"port {port} is taken: using {session.port} instead", fg="yellow"))
            click.echo(f"Open {click.style(session.url, bold=True)} in your browser. Ctrl-C to stop.")
            sys.stdout.flush()  # the URL must show at once, even when the output is a pipe
            signal.signal(signal.SIGTERM, stop)
            session.server.serve_forever()
    except PreviewError as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        click.echo("\npreview stopped; its temporary folder is removed.")
    finally:
        signal.signal(signal.SIGTERM, previous)
