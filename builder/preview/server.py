"""The preview's web servers: the preview page on one origin, the package on another.

SCORM makes a SCO find its LMS as a JavaScript object on a parent window (`window.parent.API`),
which only works between frames of the same origin. Were the package served beside the preview
page, the SCO could therefore do anything the page can: rewrite it, read and write its saved
state, fake the data it shows. So the preview listens on two ports of 127.0.0.1, two origins:

    the preview's origin (the URL the trainer opens)
      /                         the preview page (static/preview.html)
      /_preview/<file>          its scripts and style
      /_preview/package.json    what the manifest says, and where the package origin is
      /_preview/state.json      GET: the data models saved so far; POST (this origin only): save

    the package's origin (another port)
      /_relay/                  the relay page: it holds a copy of the strict LMS API for the SCO
      /_relay/<file>            its scripts and style
      /package/<path>           the package's files, from the temporary folder

The preview page frames the relay; the relay frames the SCO, which finds the API on its parent
as SCORM requires. The relay answers each call at once and forwards it to the preview page,
which replays it on its own LMS: what the page shows and saves is what a strict LMS makes of the
calls, whatever the package does to the relay (same origin as the SCO, so at its mercy).

What this isolates: the package cannot read or write the preview's state, touch its page, open
windows or tabs (the frame is sandboxed without `allow-popups`, and so are the package's own
pages, by their Content-Security-Policy), navigate the top window, or send anything off this
computer. What it cannot isolate, SCORM being what it is: a package can make any API call it
likes, including from the relay; those are strictly checked and shown like any other call.

Both servers bind 127.0.0.1 only and answer only to requests addressed to 127.0.0.1 or
localhost at their own port, so a web page elsewhere cannot reach them by DNS rebinding.
"""

from __future__ import annotations

import errno
import json
import mimetypes
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from builder.preview.package import Manifest, PreviewError, open_package

HOST = "127.0.0.1"
DEFAULT_PORT = 8001
STATIC = Path(__file__).parent / "static"
PAGE_FILES = {"preview.js", "preview.css", "lms-api.js", "report.js"}
RELAY_FILES = {"relay.js", "relay.css", "lms-api.js"}
STATE_LIMIT = 32 * 1024 * 1024  # a data model is a few kB; many SCOs with 64,000-char suspend_data stay far below
# What the frame (and so the SCO inside the relay) may do: run scripts as its own origin, post
# forms, print. Not: open windows, navigate the top window, escape the sandbox.
SANDBOX = "allow-scripts allow-same-origin allow-forms allow-modals allow-downloads"


# --------------------------------------------------------------------------- the saved state


class SavedItem(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    model: dict[str, str]
    launches: int = Field(default=0, ge=0)


class SavedState(BaseModel):
    """What the preview page saves (preview.js `snapshot()`); nothing else is stored."""

    model_config = ConfigDict(extra="forbid", strict=True)
    format: Literal[1]
    package: str | None = None
    identifier: str | None = None
    selected: str | None = None
    items: dict[str, SavedItem]


# --------------------------------------------------------------------------- the servers


@dataclass
class Store:
    """What both servers read: the unpacked package, the manifest's summary, the saved state."""

    root: Path
    state_path: Path
    info: dict[str, Any]
    lock: threading.Lock = field(default_factory=threading.Lock)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = False  # closing the server waits for requests in flight (a last save), then
    block_on_close = True  # the temporary folder can go
    allow_reuse_address = os.name != "nt"  # POSIX: rebind after a restart; Windows would share a busy port

    def __init__(self, port: int, handler: type[BaseHTTPRequestHandler], store: Store) -> None:
        super().__init__((HOST, port), handler)
        self.store = store
        self.peer_port = 0  # the other server's port, set once both are bound

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def allowed_hosts(self) -> set[str]:
        return {f"{HOST}:{self.port}", f"localhost:{self.port}"}

    def page_origins(self) -> list[str]:
        """The origins the preview page may have (the trainer may type localhost)."""
        port = self.port if self.RequestHandlerClass is PageHandler else self.peer_port
        return [f"http://{HOST}:{port}", f"http://localhost:{port}"]

    def package_origin(self) -> str:
        port = self.port if self.RequestHandlerClass is PackageHandler else self.peer_port
        return f"http://{HOST}:{port}"


@dataclass
class Preview:
    """A package unpacked into a temporary folder and its two servers, not yet serving."""

    package: Path
    manifest: Manifest
    workdir: Path
    server: PreviewServer  # the preview page's
    package_server: PreviewServer
    requested_port: int
    _running: list[tuple[PreviewServer, threading.Thread]] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    @property
    def package_url(self) -> str:
        return self.package_server.package_origin() + "/"

    def serve_in_background(self) -> None:
        for server in (self.package_server, self.server):
            self._start(server)

    def serve_forever(self) -> None:
        """Serve the package in the background and the preview page here, until interrupted."""
        self._start(self.package_server)
        self.server.serve_forever()

    def shutdown(self) -> None:
        """Stop what serves in the background (idempotent)."""
        while self._running:
            server, thread = self._running.pop()
            server.shutdown()
            thread.join(timeout=10)

    def _start(self, server: PreviewServer) -> None:
        thread = threading.Thread(target=server.serve_forever, name="bonsens-preview", daemon=True)
        thread.start()
        self._running.append((server, thread))


@contextmanager
def open_preview(package: Path, port: int = DEFAULT_PORT) -> Iterator[Preview]:
    """Unpack `package`, read its manifest and bind the two servers on 127.0.0.1.

    `port` (the preview page's) 0 takes any free port; a port already taken is replaced by a free
    one (compare `requested_port` with `port`); the package's port is any free one. Raises
    PreviewError for a package the preview cannot open. The temporary folder is removed on exit.
    """
    with tempfile.TemporaryDirectory(prefix="bonsens-preview-", ignore_cleanup_errors=True) as temporary:
        workdir = Path(temporary)
        manifest = open_package(package, workdir)
        store = Store((workdir / "package").resolve(), workdir / "state.json",
                      {"package": package.name, **manifest.to_json()})
        page_server = _bind(port, PageHandler, store)
        try:
            package_server = _bind(0, PackageHandler, store)
        except BaseException:
            page_server.server_close()
            raise
        page_server.peer_port, package_server.peer_port = package_server.port, page_server.port
        store.info["package_origin"] = package_server.package_origin()
        preview = Preview(package, manifest, workdir, page_server, package_server, port)
        try:
            yield preview
        finally:
            preview.shutdown()
            page_server.server_close()
            package_server.server_close()


def _bind(port: int, handler: type[BaseHTTPRequestHandler], store: Store) -> PreviewServer:
    try:
        return PreviewServer(port, handler, store)
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES) or port == 0:
            raise PreviewError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    return PreviewServer(0, handler, store)


# --------------------------------------------------------------------------- requests


class _Handler(BaseHTTPRequestHandler):
    """What both servers share: the Host guard and the responses, every one with its policy."""

    server: PreviewServer
    server_version = "bonsens-preview"
    sys_version = ""
    timeout = 15  # seconds a silent client may hold a thread

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # a trainer wants the URL, not an access log

    def do_GET(self) -> None:
        if self._host_allowed():
            self.route(urlsplit(self.path).path, send_body=True)

    def do_HEAD(self) -> None:
        if self._host_allowed():
            self.route(urlsplit(self.path).path, send_body=False)

    def do_POST(self) -> None:
        if self._host_allowed():
            self._send_error(HTTPStatus.NOT_FOUND, "not found")

    def route(self, path: str, send_body: bool) -> None:
        raise NotImplementedError

    def policy(self) -> str:
        raise NotImplementedError

    def extra_headers(self) -> dict[str, str]:
        return {}

    # ----------------------------------------------------------------- checks

    def _host_allowed(self) -> bool:
        host = self.headers.get("Host")
        if host is None or host.lower() in self.server.allowed_hosts():
            return True
        self._send_error(HTTPStatus.MISDIRECTED_REQUEST, "the preview answers only to 127.0.0.1")
        return False

    # ----------------------------------------------------------------- responses

    def _send_file(self, path: Path, send_body: bool) -> None:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".js":
            kind = "text/javascript"
        if kind.startswith("text/") or kind in ("application/json", "application/xml", "image/svg+xml"):
            kind += "; charset=utf-8"
        try:
            size = path.stat().st_size
            with path.open("rb") as source:
                self._headers(HTTPStatus.OK, kind, size)
                if send_body:
                    shutil.copyfileobj(source, self.wfile)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send_bytes(self, body: bytes, kind: str, send_body: bool) -> None:
        try:
            self._headers(HTTPStatus.OK, f"{kind}; charset=utf-8", len(body))
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send_error(self, status: HTTPStatus, message: str) -> None:
        body = f"{status.value} {status.phrase}: {message}\n".encode()
        try:
            self._headers(status, "text/plain; charset=utf-8", len(body))
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _headers(self, status: HTTPStatus, kind: str, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", self.policy())
        for name, value in self.extra_headers().items():
            self.send_header(name, value)
        self.end_headers()


class PageHandler(_Handler):
    """The preview page's origin: the page, the manifest's summary and the saved state."""

    def policy(self) -> str:
        return ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                f"form-action 'none'; frame-ancestors 'none'; frame-src {self.server.package_origin()}")

    def extra_headers(self) -> dict[str, str]:
        # No other origin may embed, open into the same group, or read what this one serves
        return {"X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin",
                "Cross-Origin-Resource-Policy": "same-origin"}

    def route(self, path: str, send_body: bool) -> None:
        store = self.server.store
        if path in ("/", "/index.html"):
            self._send_file(STATIC / "preview.html", send_body)
        elif path == "/_preview/package.json":
            self._send_bytes(json.dumps(store.info, ensure_ascii=False).encode("utf-8"), "application/json",
                             send_body)
        elif path == "/_preview/state.json":
            if not self._fetched_by_this_origin():
                self._send_error(HTTPStatus.FORBIDDEN, "only the preview page may read its state")
                return
            with store.lock:
                data = store.state_path.read_bytes() if store.state_path.is_file() else b"{}"
            self._send_bytes(data, "application/json", send_body)
        elif path.startswith("/_preview/") and path.removeprefix("/_preview/") in PAGE_FILES:
            self._send_file(STATIC / path.removeprefix("/_preview/"), send_body)
        else:
            self._send_error(HTTPStatus.NOT_FOUND, "not found")

    def do_POST(self) -> None:
        if not self._host_allowed():
            return
        if urlsplit(self.path).path != "/_preview/state.json":
            self._send_error(HTTPStatus.NOT_FOUND, "not found")
            return
        if not self._same_origin():
            self._send_error(HTTPStatus.FORBIDDEN, "only the preview page may save its state")
            return
        if not self.headers.get("Content-Type", "").lower().startswith("application/json"):
            self._send_error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._send_error(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
            return
        if not 0 < length <= STATE_LIMIT:
            self._send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "state too large")
            return
        state, problem = parse_state(self.rfile.read(length))
        if state is None:
            self._send_error(HTTPStatus.BAD_REQUEST, problem)
            return
        store = self.server.store
        with store.lock:
            partial = store.state_path.with_suffix(".part")
            partial.write_text(state.model_dump_json(exclude_unset=True), encoding="utf-8")
            partial.replace(store.state_path)
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _same_origin(self) -> bool:
        origin = self.headers.get("Origin", "")
        if origin.lower() not in {f"http://{host}" for host in self.server.allowed_hosts()}:
            return False
        host = self.headers.get("Host", "")
        if origin.lower() != f"http://{host.lower()}":
            return False
        return self._fetched_by_this_origin()

    def _fetched_by_this_origin(self) -> bool:
        """Browsers say who asks (Sec-Fetch-Site); the package's origin is `same-site`, refused."""
        return self.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")


def parse_state(body: bytes) -> tuple[SavedState | None, str]:
    """The state the page sent, or None and why: bad JSON, too deep, not the page's shape."""
    try:
        return SavedState.model_validate_json(body), ""
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the state"
        return None, f"not a preview state ({where}: {first['msg']})"
    except RecursionError:  # pydantic's parser bounds depth itself; this is a second guard
        return None, "not a preview state (nested too deeply)"


class PackageHandler(_Handler):
    """The package's origin: the relay page and the package's files, sandboxed."""

    def policy(self) -> str:
        ancestors = " ".join(["'self'", *self.server.page_origins()])
        return ("default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; form-action 'self'; "
                f"frame-ancestors {ancestors}; sandbox {SANDBOX}")

    def route(self, path: str, send_body: bool) -> None:
        if path in ("/_relay/", "/_relay/index.html"):
            self._send_file(STATIC / "relay.html", send_body)
        elif path.startswith("/_relay/") and path.removeprefix("/_relay/") in RELAY_FILES:
            self._send_file(STATIC / path.removeprefix("/_relay/"), send_body)
        elif path.startswith("/package/"):
            self._send_package_file(unquote(path.removeprefix("/package/")), send_body)
        else:
            self._send_error(HTTPStatus.NOT_FOUND, "not found")

    def _send_package_file(self, relative: str, send_body: bool) -> None:
        root = self.server.store.root
        parts = relative.split("/")
        if "\x00" in relative or "\\" in relative or ".." in parts:
            self._send_error(HTTPStatus.NOT_FOUND, "not found")
            return
        target = (root / relative).resolve()
        if not target.is_relative_to(root):
            self._send_error(HTTPStatus.NOT_FOUND, "not found")
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            self._send_error(HTTPStatus.NOT_FOUND, f"{relative} is not in the package")
            return
        self._send_file(target, send_body)
