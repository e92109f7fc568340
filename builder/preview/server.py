"""The preview's web server: the preview page, the unpacked package and a small state store.

It binds 127.0.0.1 only and answers only to requests addressed to 127.0.0.1 or localhost (so a
web page elsewhere cannot reach it by DNS rebinding). Routes:

    /                         the preview page (static/preview.html)
    /_preview/<file>          its scripts and style (static/)
    /_preview/package.json    what the manifest says: standard, items, launch URLs, scores
    /_preview/state.json      GET: the data models saved so far; POST (same origin, JSON): save
    /package/<path>           the package's files, from the temporary folder

The data models live in the page (static/lms-api.js); the page saves them here after every
change, into the temporary folder, so that reloading the browser keeps the learner's progress.
Every response forbids requests to other hosts (Content-Security-Policy): the preview sends
nothing anywhere, and a package that tries to is stopped in the browser.
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
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from builder.preview.package import Manifest, PreviewError, open_package

HOST = "127.0.0.1"
DEFAULT_PORT = 8001
STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"preview.html", "preview.js", "preview.css", "lms-api.js"}
STATE_LIMIT = 32 * 1024 * 1024  # a data model is a few kB; many SCOs with 64,000-char suspend_data stay far below
PAGE_POLICY = ("default-src 'self'; img-src 'self' data:; frame-src 'self'; object-src 'none'; "
               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PACKAGE_POLICY = "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; frame-ancestors 'self'"


@dataclass
class Preview:
    """A package unpacked into a temporary folder and a server for it, not yet serving."""

    package: Path
    manifest: Manifest
    workdir: Path
    server: PreviewServer
    requested_port: int

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def serve_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.server.serve_forever, name="bonsens-preview", daemon=True)
        thread.start()
        return thread


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = False  # closing the server waits for requests in flight (a last save), then
    block_on_close = True  # the temporary folder can go
    allow_reuse_address = os.name != "nt"  # POSIX: rebind after a restart; Windows would share a busy port

    def __init__(self, port: int, root: Path, state_path: Path, info: dict[str, Any]) -> None:
        super().__init__((HOST, port), PreviewHandler)
        self.root = root.resolve()
        self.state_path = state_path
        self.info = info
        self.state_lock = threading.Lock()

    def allowed_hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"{HOST}:{port}", f"localhost:{port}"}


@contextmanager
def open_preview(package: Path, port: int = DEFAULT_PORT) -> Iterator[Preview]:
    """Unpack `package`, read its manifest and bind a server on 127.0.0.1.

    `port` 0 takes any free port; a port already taken is replaced by a free one (compare
    `requested_port` with `port`). Raises PreviewError for a package the preview cannot open.
    The temporary folder is removed on exit.
    """
    with tempfile.TemporaryDirectory(prefix="bonsens-preview-", ignore_cleanup_errors=True) as temporary:
        workdir = Path(temporary)
        manifest = open_package(package, workdir)
        info = {"package": package.name, **manifest.to_json()}
        server = _bind(port, workdir / "package", workdir / "state.json", info)
        try:
            yield Preview(package, manifest, workdir, server, port)
        finally:
            server.server_close()


def _bind(port: int, root: Path, state_path: Path, info: dict[str, Any]) -> PreviewServer:
    try:
        return PreviewServer(port, root, state_path, info)
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES) or port == 0:
            raise PreviewError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    return PreviewServer(0, root, state_path, info)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "bonsens-preview"
    sys_version = ""
    timeout = 15  # seconds a silent client may hold a thread

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # a trainer wants the URL, not an access log

    # ----------------------------------------------------------------- routing

    def do_GET(self) -> None:
        self._get(send_body=True)

    def do_HEAD(self) -> None:
        self._get(send_body=False)

    def _get(self, send_body: bool) -> None:
        if not self._host_allowed():
            return
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send_file(STATIC / "preview.html", send_body, PAGE_POLICY)
        elif path == "/_preview/package.json":
            self._send_json(self.server.info, send_body)
        elif path == "/_preview/state.json":
            with self.server.state_lock:
                data = self.server.state_path.read_bytes() if self.server.state_path.is_file() else b"{}"
            self._send_bytes(data, "application/json", send_body, PAGE_POLICY)
        elif path.startswith("/_preview/") and path.removeprefix("/_preview/") in STATIC_FILES:
            self._send_file(STATIC / path.removeprefix("/_preview/"), send_body, PAGE_POLICY)
        elif path.startswith("/package/"):
            self._send_package_file(unquote(path.removeprefix("/package/")), send_body)
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
        body = self.rfile.read(length)
        try:
            state = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            state = None
        if not isinstance(state, dict):
            self._send_error(HTTPStatus.BAD_REQUEST, "the state must be a JSON object")
            return
        with self.server.state_lock:
            partial = self.server.state_path.with_suffix(".part")
            partial.write_bytes(body)
            partial.replace(self.server.state_path)
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    # ----------------------------------------------------------------- checks

    def _host_allowed(self) -> bool:
        host = self.headers.get("Host")
        if host is None or host.lower() in self.server.allowed_hosts():
            return True
        self._send_error(HTTPStatus.MISDIRECTED_REQUEST, "the preview answers only to 127.0.0.1")
        return False

    def _same_origin(self) -> bool:
        origin = self.headers.get("Origin", "")
        if origin.lower() not in {f"http://{host}" for host in self.server.allowed_hosts()}:
            return False
        host = self.headers.get("Host", "")
        if origin.lower() != f"http://{host.lower()}":
            return False
        return self.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"

    # ----------------------------------------------------------------- responses

    def _send_package_file(self, relative: str, send_body: bool) -> None:
        parts = relative.split("/")
        if "\x00" in relative or "\\" in relative or ".." in parts:
            self._send_error(HTTPStatus.NOT_FOUND, "not found")
            return
        target = (self.server.root / relative).resolve()
        if not target.is_relative_to(self.server.root):
            self._send_error(HTTPStatus.NOT_FOUND, "not found")
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            self._send_error(HTTPStatus.NOT_FOUND, f"{relative} is not in the package")
            return
        self._send_file(target, send_body, PACKAGE_POLICY)

    def _send_file(self, path: Path, send_body: bool, policy: str) -> None:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".js":
            kind = "text/javascript"
        if kind.startswith("text/") or kind in ("application/json", "application/xml", "image/svg+xml"):
            kind += "; charset=utf-8"
        try:
            size = path.stat().st_size
            with path.open("rb") as source:
                self._headers(HTTPStatus.OK, kind, size, policy)
                if send_body:
                    shutil.copyfileobj(source, self.wfile)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send_json(self, data: Any, send_body: bool) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send_bytes(body, "application/json", send_body, PAGE_POLICY)

    def _send_bytes(self, body: bytes, kind: str, send_body: bool, policy: str) -> None:
        try:
            self._headers(HTTPStatus.OK, f"{kind}; charset=utf-8", len(body), policy)
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send_error(self, status: HTTPStatus, message: str) -> None:
        body = f"{status.value} {status.phrase}: {message}\n".encode()
        try:
            self._headers(status, "text/plain; charset=utf-8", len(body), PAGE_POLICY)
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _headers(self, status: HTTPStatus, kind: str, length: int, policy: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", policy)
        self.end_headers()

