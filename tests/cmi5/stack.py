"""The cmi5 stack of ../shared/lms-cmi5 from the tests: start it, judge a package, read what it sent.

The harness runs, on 127.0.0.1, ADL's LRS, ADL's cmi5 player (CATAPULT) and ADL's cmi5 Content
Test Suite (the CTS), which launches an AU through the player, checks every statement and
document request against the cmi5 specification and rates it `conformant` or `non-conformant`.
A run is: import the zip into the CTS (a course), create a test (one registration for one
learner), create a session for an AU (a launch URL), play that URL in Chromium, then read the
CTS's verdict and the registration's statements from the LRS. The HTTP plumbing is the standard
library's: the CTS logs in with a cookie, the LRS takes HTTP Basic.
"""

from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import json
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.browser import PageLog, watched_tab

HARNESS = Path(__file__).resolve().parents[2].parent / "shared" / "lms-cmi5"
STACK = Path(os.environ.get("CMI5_STACK", "/opt/cmi5-stack"))  # where the harness installs (its env.sh)
FRONT = "http://127.0.0.1:19400"  # nginx: the CTS at /, the player at /player (one origin)
CTS_API = FRONT + "/api/v1/"
PLAYER_API = FRONT + "/player/api/v1/"
LRS_API = "http://127.0.0.1:19080/xapi/"
LRS_USER, LRS_PASSWORD = "cmi5lrs", "cmi5lrs-pass"
CTS_USER = {"username": "admin", "password": "admin-pass"}
XAPI_VERSION = {"X-Experience-API-Version": "1.0.3"}
SETUP_TIMEOUT = 1800  # the first setup.sh builds everything: about 7 minutes on 2 busy cores

VERB = "http://adlnet.gov/expapi/verbs/"
Drive = Callable[[Any], None]  # plays the AU in its Playwright page; returns once the learner is done


class StackError(AssertionError):
    """The harness is there but does not work: a test must fail, never skip."""


# ------------------------------------------------------------------------------- HTTP


class Http:
    """JSON over HTTP relative to one base URL, with a cookie jar and fixed headers."""

    def __init__(self, base: str, headers: dict[str, str] | None = None) -> None:
        self.base = base
        self.headers = headers or {}
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, method: str, path: str, body: Any = None, *, params: dict[str, str] | None = None,
             content_type: str = "application/json", ok: Iterable[int] = (200, 204)) -> Any:
        """The decoded JSON answer (None when empty); StackError with the body on any other status."""
        status, payload = self.raw(method, path, body, params=params, content_type=content_type)
        if status not in tuple(ok):
            raise StackError(f"{method} {self.url(path)} -> HTTP {status}: {payload[:2000].decode(errors='replace')}")
        return json.loads(payload) if payload.strip() else None

    def raw(self, method: str, path: str, body: Any = None, *, params: dict[str, str] | None = None,
            content_type: str = "application/json") -> tuple[int, bytes]:
        url = self.url(path) + ("?" + urllib.parse.urlencode(params) if params else "")
        data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
        headers = {**self.headers, **({"Content-Type": content_type} if data is not None else {})}
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base, path)


def http_status(url: str) -> int | None:
    """The status a GET gets, or None when nothing listens."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=XAPI_VERSION), timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


# ------------------------------------------------------------------------------- the stack


def answering() -> bool:
    """LRS, player and CTS all answer (401 is an answer: they want a login; nginx says 502 when one is down)."""
    return (http_status(LRS_API + "about") == 200 and http_status(PLAYER_API + "about") == 401
            and http_status(CTS_API + "ping") == 401)


def installed() -> bool:
    """setup.sh went through for the sources beside it: start.sh is then enough."""
    built = [STACK / "nginx.conf", STACK / "lrs-venv/bin/gunicorn", STACK / "src/CATAPULT/cts/client/dist/index.html"]
    for name in ("ADL_LRS", "CATAPULT"):
        tarballs = sorted(HARNESS.glob(f"{name}-*.tar.xz"))
        commit = STACK / "src" / name / ".commit"
        if not tarballs or not commit.is_file() or commit.read_text().strip() != tarballs[0].name[:-len(".tar.xz")]:
            return False
    return all(path.exists() for path in built)


def ensure_stack() -> float:
    """Make the stack answer, however far it is from that (running, stopped, never set up); the seconds it took."""
    started = time.monotonic()
    if not answering():
        script = "start.sh" if installed() else "setup.sh"
        result = subprocess.run(["bash", str(HARNESS / script)], capture_output=True, text=True,
                                timeout=SETUP_TIMEOUT)
        if result.returncode != 0:
            raise StackError(f"{HARNESS / script} failed ({result.returncode}):\n"
                             f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        if not answering():
            raise StackError(f"{script} ran but the stack does not answer; see the logs in {STACK / 'logs'}")
    return time.monotonic() - started


# ------------------------------------------------------------------------------- the CTS


@dataclass(frozen=True)
class Course:
    """A zip imported into the CTS; `aus` as the player read cmi5.xml (lmsId, moveOn, masteryScore, title…)."""

    id: int
    aus: list[dict[str, Any]]


@dataclass(frozen=True)
class Launch:
    """One CTS session of one AU: what the browser opens, and what its statements and verdict are read by."""

    test_id: int
    session_id: int
    url: str
    registration: str
    actor: dict[str, Any]
    activity_id: str  # the player's id of the AU (never the one in cmi5.xml)


@dataclass
class Verdict:
    """The CTS's rating of a test (a registration) and what it checked, session by session, oldest first."""

    result: str  # conformant, non-conformant, pending (an AU attempted but not satisfied), not-started
    au_results: list[str]
    violated_req_ids: list[str]
    logs: list[dict[str, Any]]

    def __str__(self) -> str:
        lines = [f"{self.result} (AUs: {self.au_results}, violated: {self.violated_req_ids})"]
        for log in self.logs:
            lines.append("  " + " ".join(str(log.get(key, "")) for key in ("session", "kind", "method", "resource",
                                                                          "summary", "violatedReqId")))
        return "\n".join(lines)


def learner(name: str = "Bon Sens Learner") -> dict[str, Any]:
    """A new learner (cmi5 wants an account actor), so that every test starts from nothing."""
    return {"account": {"name": f"bonsens-{uuid.uuid4().hex[:10]}", "homePage": "https://example.org"}, "name": name}


class Cts:
    """The Content Test Suite's API, logged in as its admin (the harness's setup.sh created it)."""

    def __init__(self) -> None:
        self.http = Http(CTS_API)
        self._courses: dict[str, Course] = {}
        self.http.call("POST", "bootstrap", {"firstUser": CTS_USER}, ok=(204, 400))  # 400: already done
        self.http.call("POST", "login", {**CTS_USER, "storeCookie": True})

    def import_course(self, package: Path) -> Course:
        """Import a zip once per run (the same bytes give the same course)."""
        data = package.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in self._courses:
            answer = self.http.call("POST", "courses", data, content_type="application/zip")
            self._courses[digest] = Course(answer["id"], answer["metadata"]["aus"])
        return self._courses[digest]

    def new_test(self, course: Course, actor: dict[str, Any]) -> int:
        """A test is one registration of one learner to the course."""
        return int(self.http.call("POST", "tests", {"courseId": course.id, "actor": actor})["id"])

    def set_learner_preferences(self, test_id: int, language: str, audio: str = "on") -> None:
        """What the AU reads from the cmi5LearnerPreferences agent profile (e.g. language "en-US,fr-FR")."""
        self.http.call("POST", f"tests/{test_id}/learner-prefs", {"languagePreference": language,
                                                                   "audioPreference": audio})

    def launch(self, test_id: int, au_index: int = 0, **options: Any) -> Launch:
        """A new session of one AU; options as the CTS names them: launchMode ("Normal", "Browse", "Review"),
        masteryScore, moveOn, contextTemplateAdditions, launchParameters."""
        session = self.http.call("POST", "sessions", {"testId": test_id, "auIndex": au_index, **options})
        query = urllib.parse.parse_qs(urllib.parse.urlparse(session["launchUrl"]).query)
        return Launch(test_id, int(session["id"]), session["launchUrl"], query["registration"][0],
                      json.loads(query["actor"][0]), query["activityId"][0])

    def abandon(self, session_id: int) -> None:
        self.http.call("POST", f"sessions/{session_id}/abandon")

    def session_logs(self, session_id: int) -> list[dict[str, Any]]:
        """Every check the CTS made in a session, oldest first (it answers newest first, same-second ties loose)."""
        logs = sorted(self.http.call("GET", f"sessions/{session_id}/logs"), key=lambda log: log["id"])
        return [{"session": session_id, **log["metadata"]} for log in logs]

    def sessions(self, test_id: int) -> list[int]:
        logs = self.http.call("GET", f"tests/{test_id}/logs")
        return [log["metadata"]["sessionId"] for log in logs if log["metadata"].get("resource") == "sessions:create"]

    def verdict(self, test_id: int) -> Verdict:
        test = self.http.call("GET", f"tests/{test_id}")["metadata"]
        sessions = self.sessions(test_id)
        violated = [req for session in sessions
                    for req in self.http.call("GET", f"sessions/{session}")["metadata"]["violatedReqIds"]]
        logs = [log for session in sessions for log in self.session_logs(session)]
        return Verdict(test["result"], [au["result"] for au in test["aus"]], violated, logs)

    def settle(self, session_id: int, timeout: float = 10.0) -> None:
        """Wait (bounded) until the session has ended: terminated recorded, or a statement refused."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(ends_session(log) for log in self.session_logs(session_id)):
                return
            time.sleep(0.2)

    def browser_cookies(self) -> list[dict[str, Any]]:
        """The CTS login for a browser context: the AU's returnURL is a CTS page that wants it."""
        return [{"name": cookie.name, "value": cookie.value or "", "url": FRONT} for cookie in self.http.jar]


def ends_session(log: dict[str, Any]) -> bool:
    summary = str(log.get("summary", ""))
    return (summary == f"Statement recorded: {VERB}terminated" or "violatedReqId" in log
            or summary.startswith("Statement(s) rejected") or log.get("resource") == "abandon")


# ------------------------------------------------------------------------------- the LRS


class Lrs:
    """ADL's LRS, read directly (not through the player): statements and documents as they were stored."""

    def __init__(self) -> None:
        token = base64.b64encode(f"{LRS_USER}:{LRS_PASSWORD}".encode()).decode()
        self.http = Http(LRS_API, {"Authorization": f"Basic {token}", **XAPI_VERSION})

    def statements(self, registration: str) -> list[dict[str, Any]]:
        """Every statement of a registration, in the order the LRS stored them (the player's own included)."""
        page = self.http.call("GET", "statements", params={"registration": registration, "ascending": "true"})
        statements = list(page["statements"])
        while page.get("more"):
            page = self.http.call("GET", page["more"])
            statements += page["statements"]
        return statements

    def state(self, launch: Launch, state_id: str) -> Any:
        """A State API document of the AU for this learner and registration (None when absent)."""
        params = {"activityId": launch.activity_id, "agent": json.dumps(launch.actor),
                  "registration": launch.registration, "stateId": state_id}
        status, payload = self.http.raw("GET", "activities/state", params=params)
        if status == 404:
            return None
        if status != 200:
            raise StackError(f"state {state_id} -> HTTP {status}: {payload[:500]!r}")
        return json.loads(payload)


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    """The last word of each verb id: launched, initialized, completed, passed, satisfied, terminated…"""
    return [statement["verb"]["id"].rsplit("/", 1)[-1] for statement in statements]


# ------------------------------------------------------------------------------- one run


@dataclass
class Run:
    """What a test asserts on after playing an AU."""

    launch: Launch
    page: PageLog
    verdict: Verdict
    statements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def verbs(self) -> list[str]:
        return verbs(self.statements)


class Cmi5:
    """The stack, ready: the CTS and the LRS, and how to play a package's AU through them."""

    def __init__(self, setup_seconds: float) -> None:
        self.setup_seconds = setup_seconds
        self.cts = Cts()
        self.lrs = Lrs()

    def new_test(self, package: Path, actor: dict[str, Any] | None = None, language: str | None = None) -> int:
        """A registration of a new learner (or `actor`) to the package, with a preferred language if given."""
        test_id = self.cts.new_test(self.cts.import_course(package), actor or learner())
        if language:
            self.cts.set_learner_preferences(test_id, language)
        return test_id

    def play(self, browser: Any, launch: Launch, drive: Drive, *, ends: bool = True) -> PageLog:
        """Open the launch URL in a fresh Chromium context, let `drive` play, close the tab (pagehide
        handlers run), then wait until the CTS saw the session end; `ends=False` for a learner who
        leaves mid-way (the next launch of the registration abandons that session)."""
        with watched_tab(browser) as tab:
            tab.context.add_cookies(self.cts.browser_cookies())
            tab.goto(launch.url)
            drive(tab)
            log: PageLog = tab.log
            tab.close(run_before_unload=True)
            if ends:
                self.cts.settle(launch.session_id)
        return log

    def outcome(self, launch: Launch, page: PageLog) -> Run:
        return Run(launch, page, self.cts.verdict(launch.test_id), self.lrs.statements(launch.registration))

    def run(self, browser: Any, package: Path, drive: Drive, *, au_index: int = 0,
            actor: dict[str, Any] | None = None, language: str | None = None, **options: Any) -> Run:
        """Import, register a new learner, launch one AU, play it, judge it: the whole round in one call."""
        launch = self.cts.launch(self.new_test(package, actor, language), au_index, **options)
        return self.outcome(launch, self.play(browser, launch, drive))
