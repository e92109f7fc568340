"""`bonsens preview` of a cmi5 package: hand it to a real cmi5 player, or say why it cannot run.

A cmi5 assignable unit cannot play on its own: an LMS (or an LRS with a cmi5 player) launches it
with an xAPI endpoint, a one-time token URL and the learner's registration, and keeps what it
reports. Writing our own player for the preview would prove nothing, so the preview uses a real
one when it answers: by default ADL's CATAPULT player of the local cmi5 stack
(../shared/lms-cmi5, `make setup-cmi5`), which stores statements in ADL's LRS. It imports the zip
into a tenant of its own and asks the player for a launch URL for a preview learner. When no
player answers, the trainer gets one line on what cmi5 needs and how to try the package anyway.

Another player (or the same one with other credentials) is named by `--cmi5-player` or the
BONSENS_CMI5_PLAYER environment variable: its API's base URL, the API key and secret as the URL's
user and password (`http://KEY:SECRET@host:port/player/api/v1/`).
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.preview.package import MANIFEST, PreviewError

COURSE_STRUCTURE = "cmi5.xml"  # cmi5's course structure, at the zip's root
PLAYER_ENV = "BONSENS_CMI5_PLAYER"
# The local stack's player, and the API key its setup gives it (../shared/lms-cmi5/README.md): the
# key of any player named without one
LOCAL_PLAYER = "http://127.0.0.1:19400/player/api/v1/"
LOCAL_KEY = ("cts", "player-secret")
PREVIEW_LEARNER = {"account": {"name": "bonsens-preview", "homePage": "https://example.org"},
                   "name": "Preview learner"}
TIMEOUT = 30  # seconds: importing a course of a few MB into the player takes about one


class PlayerUnavailable(PreviewError):
    """No cmi5 player answers (or it refuses us): what cmi5 needs and how to try the package anyway."""

    def __init__(self, player: str, why: str) -> None:
        super().__init__(
            f"cannot preview this cmi5 package: no cmi5 player answers at {player} ({why})\n"
            "    hint: a cmi5 package does not play on its own: an LMS or an LRS with a cmi5 player launches it "
            "and records what it sends. Try it in your LMS's own preview, as a test learner, or start the local "
            f"cmi5 stack with `make setup-cmi5` and run this command again (another player: --cmi5-player URL "
            f"or {PLAYER_ENV})")


@dataclass(frozen=True)
class Cmi5Launch:
    """One launch of a package's first AU in the player, for the preview learner."""

    url: str  # opens the AU; its token URL serves once, so each launch needs a new one
    registration: str
    course_id: int
    titles: list[str]  # each AU's title, in the package's first language


def is_cmi5_package(package: Path) -> bool:
    """A zip with cmi5.xml at its root and no imsmanifest.xml (a SCORM package goes to the SCORM preview)."""
    if not package.is_file() or not zipfile.is_zipfile(package):
        return False  # the SCORM preview's checks say what is wrong with it
    try:
        with zipfile.ZipFile(package) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return COURSE_STRUCTURE in names and MANIFEST not in names


class Player:
    """A cmi5 player's API (CATAPULT's `/player/api/v1`), logged in to a tenant of the preview's own."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url if url.endswith("/") else url + "/")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PreviewError(f"--cmi5-player {url!r} is not an http(s) URL")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.base = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        user, secret = ((urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
                        if parts.username else LOCAL_KEY)
        key = f"{user}:{secret}"
        self.key = "Basic " + base64.b64encode(key.encode()).decode()
        self.token = ""

    def answers(self) -> None:
        """PlayerUnavailable unless something answers HTTP at the API (401 counts: it wants a login)."""
        try:
            with urllib.request.urlopen(self.base + "about", timeout=5):
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
            raise PlayerUnavailable(self.base, f"HTTP {error.code}") from None
        except (OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise PlayerUnavailable(self.base, str(getattr(reason, "strerror", None) or reason)) from None

    def log_in(self) -> None:
        """A new tenant per preview (tenant codes are unique), and a token for it."""
        tenant = self.call("POST", "tenant", {"code": f"bonsens-preview-{uuid.uuid4().hex[:12]}"}, self.key)
        answer = self.call("POST", "auth", {"tenantId": tenant["id"], "audience": "bonsens-preview"}, self.key)
        self.token = "Bearer " + answer["token"]

    def import_course(self, package: Path) -> tuple[int, list[str]]:
        """The player's course id, and each AU's title as the player read cmi5.xml."""
        course = self.call("POST", "course", package.read_bytes(), self.token, "application/zip")
        titles = [((au.get("title") or [{}])[0].get("text") or "") for au in course["metadata"]["aus"]]
        return int(course["id"]), titles

    def launch_url(self, course_id: int, registration: str | None = None) -> tuple[str, str]:
        """A launch URL of the course's first AU for the preview learner; the same registration resumes."""
        # No returnUrl: the preview has no LMS page to go back to, so at Exit the AU stays and says
        # the progress is saved (with about:blank the learner would face a white page)
        body: dict[str, Any] = {"actor": PREVIEW_LEARNER}
        if registration:
            body["reg"] = registration
        url = self.call("POST", f"course/{course_id}/launch-url/0", body, self.token)["url"]
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        return url, query.get("registration", [""])[0]

    def call(self, method: str, path: str, body: Any, authorization: str,
             content_type: str = "application/json") -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Authorization": authorization, "Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            hint = ("\n    hint: give the player's API key and secret in its URL: http://KEY:SECRET@HOST:PORT/PATH"
                    if error.code == 401 else "")
            raise PreviewError(f"the cmi5 player refused {method} {path}: HTTP {error.code}: "
                               f"{_player_message(error.read())}{hint}") from None
        except (OSError, ValueError) as error:  # the player stopped mid-way, or answered something else
            raise PreviewError(f"the cmi5 player at {self.base} failed on {method} {path}: {error}") from None


def launch_in_player(package: Path, player_url: str) -> tuple[Player, Cmi5Launch]:
    """Import the package into the player and get a first launch URL, or PreviewError saying why not."""
    player = Player(player_url)
    player.answers()
    player.log_in()
    course_id, titles = player.import_course(package)
    url, registration = player.launch_url(course_id)
    return player, Cmi5Launch(url, registration, course_id, titles)


def _player_message(payload: bytes) -> str:
    """The player's own words (e.g. the cmi5 requirement a package breaks), on one line."""
    try:
        message = str(json.loads(payload).get("message", ""))
    except (ValueError, AttributeError):
        message = payload.decode("utf-8", "replace")
    return " ".join(message.split())[:500] or "no message"
