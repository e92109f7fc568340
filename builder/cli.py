"""`bonsens`: the command line a trainer types. Each command is a thin shell over one stage."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from builder.diagnostics import CourseError, Diagnostic, Severity, printable

if TYPE_CHECKING:
    from builder.buildstate import BuildRequest, BuildResult
    from builder.project import CourseProject

COURSE_DIR = click.argument(
    "directory", required=False, default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
ORGANISATION = click.option(
    "--org", "organisation", type=click.Path(dir_okay=False, path_type=Path),
    help="The organisation file (name, contacts, policies, countries); default: organisation.yml in DIRECTORY, "
         "if there is one.",
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
@ORGANISATION
def check(directory: Path, strict: bool, organisation: Path | None) -> None:
    """Check the course in DIRECTORY (default: here) and report every problem.

    Problems are printed as `file:line:col: error|warning|note: message`, with a hint on how to
    fix them; quiz-quality findings end with their code, e.g. `[longest-answer]`, and are counted
    on their own line (docs/quiz-checks.md). Exit status: 0 when clean, 1 on any error (or any
    warning with --strict; notes never fail).
    """
    from builder.loader import load_project

    _, problems = load_project(directory, organisation)
    report(problems, quiz_count=True)
    errors = [p for p in problems if p.severity is Severity.error]
    warnings = [p for p in problems if p.severity is Severity.warning]
    if errors or (strict and warnings):
        sys.exit(1)


def report(problems: list[Diagnostic], *, quiz_count: bool = False) -> None:
    """Print problems, each with its source line and caret, coloured on a terminal (click drops
    the colours elsewhere); then the quiz-quality count (when asked) and a one-line count of
    errors and warnings. User text is escaped by `Diagnostic.format`."""
    for problem in problems:
        click.echo(problem.format(_terminal_style(problem.severity)))
    if quiz_count:
        click.echo(quiz_quality_count(problems))
    errors = sum(p.severity is Severity.error for p in problems)
    warnings = sum(p.severity is Severity.warning for p in problems)
    if not errors and not warnings:
        click.echo(click.style("✓ course is clean", fg="green"))
    else:
        click.echo(click.style(f"{errors} error(s), {warnings} warning(s)", fg="red" if errors else "yellow"))


def quiz_quality_count(problems: list[Diagnostic]) -> str:
    """`quiz checks: 3 warning(s), 0 note(s) (longest-answer 2, stem-echo 1)`: always printed by
    `bonsens check`, so a course that defers its findings as notes still sees how many are left."""
    from collections import Counter

    from builder.quizlint import DOCS, is_quiz_quality

    found = [p for p in problems if is_quiz_quality(p)]
    warnings = sum(p.severity is Severity.warning for p in found)
    by_code = Counter(str(p.code) for p in found)
    codes = ", ".join(f"{code} {count}" for code, count in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0])))
    detail = f" ({codes}; see {DOCS})" if codes else ""
    return f"quiz checks: {warnings} warning(s), {len(found) - warnings} note(s){detail}"


def _terminal_style(severity: Severity) -> Callable[[str, str], str]:
    """How each part of a diagnostic is coloured: the severity's colour on the word and the caret."""
    colour = {Severity.error: "red", Severity.warning: "yellow"}.get(severity, "cyan")
    styles: dict[str, Callable[[str], str]] = {
        "location": lambda text: click.style(text, bold=True),
        "severity": lambda text: click.style(text, fg=colour, bold=True),
        "gutter": lambda text: click.style(text, fg="blue"),
        "caret": lambda text: click.style(text, fg=colour, bold=True),
        "hint": lambda text: click.style(text, fg="cyan"),
    }
    return lambda text, part: styles[part](text)


def fail_with(error: CourseError, as_json: bool = False) -> NoReturn:
    """The course has errors: list them (as JSON objects for scripts), change nothing, exit 1."""
    untouched = "Nothing was written; the previous outputs are untouched."
    if as_json:
        diagnostics = [{"path": p.path, "line": p.line, "column": p.column, "severity": p.severity.value,
                        "message": p.message, "hint": p.hint, "code": p.code} for p in error.diagnostics]
        click.echo(json.dumps({"ok": False, "reason": "course-errors", "message": str(error),
                               "diagnostics": diagnostics, "outputs": untouched}, indent=2))
        sys.exit(1)
    report(error.diagnostics)
    click.echo(untouched, err=True)
    sys.exit(1)


# --------------------------------------------------------------------------- schema


@main.command(context_settings=CONTEXT)
@COURSE_DIR
def schema(directory: Path) -> None:
    """Write JSON Schemas for editors and tie every YAML file to its schema.

    Writes schemas/course.schema.json, lesson.schema.json, quiz.schema.json and
    organisation.schema.json, and puts a `# yaml-language-server: $schema=…` line at the top of
    each course, lesson and quiz file and of organisation.yml,
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
    targets += [(path, "organisation") for path in [directory / "organisation.yml"] if path.exists()]
    for path, kind in targets:
        shown = printable(path.relative_to(directory).as_posix())
        if path.is_symlink() or not path.is_file():
            continue  # `bonsens check` reports links; the schema line is not written through one
        try:
            if add_modeline(path, kind, directory):
                click.echo(f"linked {shown} to its schema")
        except (UnicodeDecodeError, OSError):
            click.echo(click.style(f"skipped {shown}: it cannot be read as UTF-8 text "
                                   "(`bonsens check` says where)", fg="yellow"), err=True)


# --------------------------------------------------------------------------- new


@main.group(context_settings=CONTEXT)
def new() -> None:
    """Start a lesson or a quiz from a commented, valid template."""


@new.command("lesson", context_settings=CONTEXT)
@click.argument("lesson_id")
@click.option("--module", "module_id", default="",
              help="Id of a module of course/course.yml (the lesson's folder under course/lessons/).")
@click.option("--dir", "directory", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="Course folder (default: here).")
def new_lesson(lesson_id: str, module_id: str, directory: Path) -> None:
    """Create course/lessons/[MODULE/]LESSON_ID.yml."""
    from builder.loader import LESSONS_DIR

    if module_id:
        _require_module(module_id, directory)
    target = directory / LESSONS_DIR / module_id / f"{lesson_id}.yml"
    _scaffold(target, "lesson", lesson_id, directory)
    where = f"module '{module_id}'" if module_id else "a module"
    click.echo(f"Next: add '{lesson_id}' to the `lessons:` of {where} in course/course.yml.")


@new.command("quiz", context_settings=CONTEXT)
@click.argument("quiz_id")
@click.option("--dir", "directory", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="Course folder (default: here).")
def new_quiz(quiz_id: str, directory: Path) -> None:
    """Create quizzes/QUIZ_ID.yml."""
    from builder.loader import QUIZZES_DIR

    _scaffold(directory / QUIZZES_DIR / f"{quiz_id}.yml", "quiz", quiz_id, directory)
    click.echo(f"Next: set `quiz: {quiz_id}` on a module (or the final exam) in course/course.yml.")


def _require_module(module_id: str, root: Path) -> None:
    """A new lesson goes into a module the course has: a typo must not create a stray folder."""
    from builder.loader import COURSE_FILE
    from builder.yamlsource import load_yaml

    _require_identifier(module_id, "--module")
    document, _ = load_yaml(root / COURSE_FILE, COURSE_FILE.as_posix())
    data = document.data if document is not None else None
    modules = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(modules, list):
        raise click.ClickException(f"cannot check module '{module_id}': {COURSE_FILE.as_posix()} in "
                                   f"{printable(root.as_posix())} has no readable `modules:` "
                                   "(run `bonsens check`, or pass the course folder with --dir); "
                                   "nothing was written")
    known = [m["id"] for m in modules if isinstance(m, dict) and isinstance(m.get("id"), str)]
    if module_id not in known:
        raise click.BadParameter(f"'{module_id}' is not a module of {COURSE_FILE.as_posix()}; its modules: "
                                 f"{printable(', '.join(known)) or 'none'}. Nothing was written.",
                                 param_hint="--module")


def _require_identifier(identifier: str, what: str | None = None) -> None:
    from pydantic import TypeAdapter, ValidationError

    from builder.model import Identifier

    try:
        TypeAdapter(Identifier).validate_python(identifier)
    except ValidationError:
        raise click.BadParameter(f"'{printable(identifier)}': use lower-case letters, digits and hyphens, "
                                 "e.g. m1-privacy-settings", param_hint=what) from None


def _scaffold(target: Path, kind: str, identifier: str, root: Path) -> None:
    from builder.schema import modeline_for

    _require_identifier(identifier)
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
@click.option("--cmi5", is_flag=True, help="Build the cmi5 packages (each holds every language; one AU).")
@click.option("--multi-sco", is_flag=True, help="Packages with one SCO per module (default: one SCO).")
@click.option("--path", "paths", multiple=True, metavar="ID",
              help="Package this learning path of course.yml (repeatable; default: every path the organisation "
                   "offers).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object (for scripts) instead of text, failures included (\"ok\": false).")
@ORGANISATION
def build(directory: Path, want_site: bool, scorm12: bool, scorm2004: bool, cmi5: bool, multi_sco: bool,
          paths: tuple[str, ...], quiet: bool, as_json: bool, organisation: Path | None) -> None:
    """Check the course, then build the site into site/ and the LMS packages into dist/.

    With no option, builds everything: the site and, for each language, a SCORM 1.2, a SCORM
    2004 and a cmi5 package; for a course with learning paths, those of each path offered, named after it
    (`<course>-<version>-<path>-<lang>-<standard>.zip`). A build that fails or is interrupted
    leaves the previous site/ and dist/ exactly as they were. One build of a course runs at a
    time: another one waits for it.
    """
    import time

    from builder.buildstate import BuildRequest

    started = time.perf_counter()
    everything = not (want_site or scorm12 or scorm2004 or cmi5)
    standards = tuple(s for s, wanted in (("scorm12", scorm12), ("scorm2004", scorm2004), ("cmi5", cmi5))
                      if wanted or everything)
    request = BuildRequest(site=want_site or everything, standards=standards,
                           layouts=("multi",) if multi_sco else ("single",),
                           organisation=str(organisation.resolve()) if organisation else None,
                           paths=tuple(dict.fromkeys(paths)))
    result, project = _run_build(directory, request, started, quiet, as_json)
    if as_json:
        click.echo(json.dumps({"ok": True, **_summary(result, time.perf_counter() - started)}, indent=2))
        return
    if quiet:
        return
    if result.up_to_date or project is None:
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
    if "scorm2004" in request.standards and multi_sco:
        click.echo(click.style("note: ", fg="yellow") + MOODLE_2004_MULTI)
    click.echo(f"built in {time.perf_counter() - started:.1f} s")


# Seen in tests/test_moodle.py: what an administrator must know before importing into Moodle
MOODLE_2004_MULTI = ("Moodle 4.3 cannot play SCORM 2004 multi-SCO packages (it refuses one whose exam waits for "
                     "the modules, and runs only the first SCO of the others); for Moodle, import a single-SCO "
                     "package (the default) or a SCORM 1.2 multi-SCO one.")


@main.command(context_settings=CONTEXT)
@COURSE_DIR
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1; a free one is picked if it is taken.")
@ORGANISATION
def serve(directory: Path, port: int, organisation: Path | None) -> None:
    """Preview the site at http://127.0.0.1:PORT, rebuilt and reloaded as you edit the YAML.

    A port already taken is replaced by a free one. A mistake while serving shows on every page,
    located, until it is fixed. `bonsens build` can run at the same time.
    """
    from builder.loader import require_project
    from builder.serve import ServeError, serve

    try:
        project = require_project(directory, organisation=organisation)
    except CourseError as error:
        fail_with(error)
        return
    try:
        serve(directory, port, project, organisation)
    except ServeError as error:
        raise click.ClickException(str(error)) from None


def _run_build(directory: Path, request: BuildRequest, started: float, quiet: bool,
               as_json: bool) -> tuple[BuildResult, CourseProject | None]:
    """Build under the course's lock, with a stage display on a terminal; every failure ends the
    command with what happened and what site/ and dist/ hold now (one JSON object with --json).

    The project is None when nothing changed (the course was not even loaded).
    """
    import time

    from builder.buildlock import LockTimeout, build_lock
    from builder.buildstate import up_to_date
    from builder.swap import UNTOUCHED, SwapError, restore_interrupted_swap

    on_terminal = sys.stdout.isatty() and not (quiet or as_json)

    def report(stage: str) -> None:
        if on_terminal:
            click.echo(click.style(f"  {time.perf_counter() - started:5.1f} s  ", dim=True) + stage)

    def waiting(holder: str) -> None:
        if not quiet:
            click.echo(f"waiting for another build of this course ({holder})…", err=True)

    try:
        with _sigterm_as_interrupt(), build_lock(directory, on_wait=waiting):
            restore_interrupted_swap(directory)
            result = up_to_date(directory, request)
            if result is not None:
                return result, None
            from builder.build import build_all
            from builder.loader import require_project

            project = require_project(directory, organisation=Path(request.organisation) if request.organisation
                                      else None)
            _quiet_mkdocs(quiet or as_json)
            return build_all(project, request, report), project
    except CourseError as error:
        fail_with(error, as_json)
    except LockTimeout as error:
        _fail(as_json, "locked", str(error), f"wait for it to end, or stop it ({error.holder}), then build again; "
              "a build that was killed releases the lock at once", "Nothing was written.")
    except SwapError as error:
        _fail(as_json, "swap-failed", error.reason, error.hint, error.state)
    except KeyboardInterrupt as interruption:  # Ctrl-C, or SIGTERM (its number as argument)
        signum = interruption.args[0] if interruption.args else 2
        _fail(as_json, "interrupted", "interrupted", None, UNTOUCHED, code=128 + signum)
    except Exception as exc:  # mkdocs and plugin errors, a full disk: say what, keep the old outputs
        hint = getattr(exc, "hint", None)  # a request the course cannot meet (builder.build.UnknownPath)
        if isinstance(hint, str):
            _fail(as_json, "bad-request", str(exc), hint, UNTOUCHED)
        _fail(as_json, "build-failed", f"the build failed: {exc}", None, UNTOUCHED)


def _fail(as_json: bool, reason: str, message: str, hint: str | None, outputs: str, code: int = 1) -> NoReturn:
    """End a failed build: what happened, how to fix it, and, truthfully, what site/ and dist/ hold."""
    if as_json:
        click.echo(json.dumps({"ok": False, "reason": reason, "message": message, "hint": hint,
                               "outputs": outputs}, indent=2))
    else:
        click.echo(("\n" if reason == "interrupted" else "") + click.style(f"error: {message}", fg="red"), err=True)
        if hint:
            click.echo(f"    hint: {hint}", err=True)
        click.echo(outputs, err=True)
    sys.exit(code)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a supervisor, `kill`, an editor stopping its save hook) stops a build as Ctrl-C does."""
    import signal
    import threading

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signum)

    if threading.current_thread() is not threading.main_thread():
        yield  # signals only reach the main thread: nothing to do here
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
@click.option("--cmi5-player", metavar="URL", envvar="BONSENS_CMI5_PLAYER", show_envvar=True,
              help="A cmi5 package: the cmi5 player's API that launches it, its key and secret as the URL's "
                   "user and password (default: the local cmi5 stack's, http://127.0.0.1:19400/player/api/v1/).")
def preview(package: Path, port: int, cmi5_player: str | None) -> None:
    """Try the PACKAGE (a .zip from dist/) before importing it into your LMS.

    A SCORM package: serves on http://127.0.0.1:PORT only a local LMS: the package's items with
    their status and score, each SCO launched in a frame, and, live, its data model and every API
    call with the error a strict LMS would raise. Reset an attempt, relaunch to test resume,
    download the data model as JSON. Nothing leaves your computer. Ctrl-C stops it and removes
    its temporary folder.

    A cmi5 package (cmi5.xml, no imsmanifest.xml) needs a cmi5 player and its LRS: it is imported
    into the local cmi5 stack's player (`make setup-cmi5`) and its launch URL printed; when no
    player answers, the command says how to try the package in your LMS instead.
    """
    import signal

    from builder.preview.cmi5 import is_cmi5_package
    from builder.preview.package import PreviewError
    from builder.preview.server import open_preview

    if is_cmi5_package(package):
        _preview_cmi5(package, cmi5_player)
        return

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
            session.serve_forever()
    except PreviewError as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        click.echo("\npreview stopped; its temporary folder is removed.")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _preview_cmi5(package: Path, player_url: str | None) -> None:
    """Launch a cmi5 package in a real cmi5 player, and again as the same learner (resume) on Enter
    when run from a terminal; a player that does not answer is a clear error, never a traceback."""
    from builder.preview.cmi5 import LOCAL_PLAYER, launch_in_player
    from builder.preview.package import PreviewError

    try:
        player, launch = launch_in_player(package, player_url or LOCAL_PLAYER)
        titles = ", ".join(f"« {title} »" for title in launch.titles)
        click.echo(f"Previewing {package.name}: cmi5, {len(launch.titles)} AU(s) ({titles}), "
                   f"in the cmi5 player at {player.base}")
        click.echo(f"Open this URL in your browser; it launches the course once, as a preview learner "
                   f"(registration {launch.registration}), whose statements go to the player's LRS:")
        click.echo(click.style(launch.url, bold=True))
        sys.stdout.flush()  # the URL must show at once, even when the output is a pipe
        while sys.stdin.isatty():
            input("Enter: a new launch URL for the same learner, to test resume; Ctrl-C to stop. ")
            click.echo(click.style(player.launch_url(launch.course_id, launch.registration)[0], bold=True))
    except PreviewError as error:
        raise click.ClickException(str(error)) from None
    except (KeyboardInterrupt, EOFError):
        click.echo("\npreview stopped.")
