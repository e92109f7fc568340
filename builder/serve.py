"""`bonsens serve`: the site on 127.0.0.1, rebuilt and reloaded as the trainer edits the YAML.

mkdocs' live-reload server (mkdocs.livereload.LiveReloadServer) serves the pages and watches the
files; the rebuild is ours. Each one loads the course again, writes the pages and the generated
mkdocs config into .bonsens/serve/ (never the folder `bonsens build` writes, so a build can run
beside a serve), loads that config afresh and builds: the navigation, the header and every page
follow the YAML, a lesson added to course.yml included.

A mistake while serving does not stop the server: every page then shows the problems, located
and escaped, and comes back to the site by itself once they are fixed. The server answers only
to requests addressed to it (127.0.0.1, localhost or [::1] at its port), so that a web page
elsewhere cannot read the course by DNS rebinding. A port already taken is replaced by a free
one, and the trainer is told so before the URL is printed.
"""

from __future__ import annotations

import errno
import html
import logging
import signal
import string
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
from mkdocs.livereload import LiveReloadServer

from builder.diagnostics import CourseError, Diagnostic, Severity
from builder.project import CourseProject
from builder.site import docs_dir, work_dir, write_config, write_docs

HOST = "127.0.0.1"
ERROR_PAGE = Path(__file__).parent / "templates" / "serve-error.html"
log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]


class ServeError(Exception):
    """The server cannot start (the port cannot be had); the message is one line, for the trainer."""


class SiteServer(LiveReloadServer):
    """mkdocs' live-reload server, bound at once, answering only to its own host, showing the
    course's errors in place of its pages while it has some."""

    organisation: Path | None = None  # the organisation file given with --org (default: organisation.yml)

    def __init__(self, course: Path, port: int) -> None:
        self._bound = False
        self.course = course
        self.problem: str | None = None  # the error page while the last rebuild failed
        self.first_config: Any = None  # as mkdocs serve does, plugins start and stop with it
        super().__init__(builder=self.rebuild, host=HOST, port=port, root=str(work_dir(course, serving=True) / "site"))
        try:
            self.server_bind()
            self.server_activate()
        except OSError:
            self.server_close()
            raise
        self._bound = True
        self.url = f"http://{HOST}:{self.port}/"
        self.set_app(self.guarded)
        self.error_handler = self.not_found_page

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    # LiveReloadServer.serve() binds; this server is bound already, to know its port early
    def server_bind(self) -> None:
        if not self._bound:
            super().server_bind()

    def server_activate(self) -> None:
        if not self._bound:
            super().server_activate()

    # ----------------------------------------------------------------- requests

    def allowed_hosts(self) -> set[str]:
        return {f"{HOST}:{self.port}", f"localhost:{self.port}", f"[::1]:{self.port}"}

    def guarded(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """The WSGI app: the Host guard, then the error page or mkdocs' own answer."""
        host = environ.get("HTTP_HOST")
        if host is not None and host.lower() not in self.allowed_hosts():
            body = b"421 Misdirected Request: bonsens serve answers only to 127.0.0.1 and localhost\n"
            start_response("421 Misdirected Request", [("Content-Type", "text/plain; charset=utf-8"),
                                                       ("Content-Length", str(len(body)))])
            return [body]
        path = environ.get("PATH_INFO", "")
        problem = self.problem
        if problem is not None and (path.endswith("/") or path.endswith(".html")):
            with self._epoch_cond:
                epoch = self._visible_epoch
            # mkdocs' own reload script, so that the page comes back once the course is fixed
            body = self._inject_js_into_html(problem.encode("utf-8"), epoch)
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                         ("Content-Length", str(len(body))),
                                                         ("Cache-Control", "no-store")])
            return [body]
        return self.serve_request(environ, start_response)

    def not_found_page(self, code: int) -> bytes | None:
        page = Path(self.root) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    # ----------------------------------------------------------------- rebuilding

    def rebuild(self, project: CourseProject | None = None) -> None:
        """Load the course (unless given), write its pages and config, build; on a problem, show
        it instead. Never raises: mkdocs' loop would then keep the browsers on the old pages."""
        from builder.loader import require_project

        try:
            project = project or require_project(self.course, organisation=self.organisation)
        except CourseError as error:
            self.fail("The course has errors", error.diagnostics)
            return
        try:
            self.build(project)
        except Exception as exc:  # noqa: BLE001 - mkdocs, plugin, theme or file errors: shown, still serving
            log.debug("the build failed", exc_info=True)
            self.fail("The site could not be built", [], f"error: the build failed: {exc}")
            return
        if self.problem is not None:
            click.echo(click.style("✓ ", fg="green") + "fixed: the site is back", err=True)
        self.problem = None

    def build(self, project: CourseProject) -> None:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        from builder.mkdocs_plugin import HANDOVER, Handover

        write_docs(project, docs_dir(self.course, serving=True))
        config = load_config(str(write_config(project, Path(self.root), serving=True)))
        config.site_url = self.url
        if self.first_config is None:
            config.plugins.on_startup(command="serve", dirty=False)
            self.first_config = config
        key = str(self.course.resolve())
        HANDOVER[key] = Handover(project)
        try:
            build(config, serve_url=self.url)
        finally:
            HANDOVER.pop(key, None)

    def fail(self, title: str, diagnostics: list[Diagnostic], message: str = "") -> None:
        """Say what is wrong in the terminal, and on every page of the site until it is fixed."""
        diagnostics = [d for d in diagnostics if d.severity is not Severity.note]  # notes never stop a build
        texts = [d.format() for d in diagnostics] or [message]
        for text in texts:
            click.echo(click.style(text, fg="red"), err=True)
        click.echo("  (shown in the browser too: fix and save, and the page comes back)", err=True)
        lead = (f"{len(diagnostics)} problem(s) to fix in the course's files:" if diagnostics
                else "mkdocs stopped on this:")
        self.problem = string.Template(ERROR_PAGE.read_text(encoding="utf-8")).substitute(
            title=html.escape(title), lead=html.escape(lead),
            problems="\n".join(f"<pre>{html.escape(text)}</pre>" for text in texts))

    def watch_sources(self) -> None:
        """The course's YAML and images, its quizzes and the trainer's mkdocs.yml (the look)."""
        organisation = self.organisation or self.course / "organisation.yml"
        for path in (self.course / "course", self.course / "quizzes", self.course / "mkdocs.yml", organisation):
            if path.exists():
                self.watch(str(path.resolve()))


def open_server(course: Path, port: int) -> tuple[SiteServer, bool]:
    """A server bound on 127.0.0.1:port, or on a free port when that one is taken (then True)."""
    try:
        return SiteServer(course, port), False
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES) or port == 0:
            raise ServeError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    try:
        return SiteServer(course, 0), True
    except OSError as exc:
        raise ServeError(f"cannot listen on {HOST}: {exc.strerror}") from None


def serve(course: Path, port: int, project: CourseProject | None = None, organisation: Path | None = None) -> None:
    """Serve the course's site until Ctrl-C (or SIGTERM), rebuilding it as its files change.

    `project`: the course already loaded and checked, for the first build."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("mkdocs.plugins.mkdocs_static_i18n", "mkdocs_static_i18n"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    server, moved = open_server(course, port)
    server.organisation = organisation
    if moved:
        click.echo(click.style(f"port {port} is taken: using {server.port} instead", fg="yellow"))
    click.echo(f"Preview at {click.style(server.url, bold=True)} — edit course/ or quizzes/ and the page "
               "reloads. Ctrl-C to stop.")
    sys.stdout.flush()  # the URL must show at once, even when the output is a pipe

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.rebuild(project)
        server.watch_sources()
        if server.first_config is not None:
            server = server.first_config.plugins.on_serve(server, config=server.first_config,
                                                          builder=server.rebuild)
        server.serve()
    except KeyboardInterrupt:
        click.echo("\nserve stopped.")
    finally:
        server.shutdown()
        if server.first_config is not None:
            server.first_config.plugins.on_shutdown()
        signal.signal(signal.SIGTERM, previous)
