"""`bonsens serve`: the preview follows the trainer's edits and shows located errors."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
BONSENS = Path(sys.executable).parent / "bonsens"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_a_lesson_changes(tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(FIXTURE, root)
    port = free_port()
    url = f"http://127.0.0.1:{port}/m1/l2.html"
    server = subprocess.Popen([str(BONSENS), "serve", str(root), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "Deuxième leçon" in fetch(url))
        lesson = root / "course/lessons/m1/l2.yml"
        lesson.write_text(lesson.read_text(encoding="utf-8").replace("fr: Deuxième leçon", "fr: Leçon revue"),
                          encoding="utf-8")
        assert wait_for(lambda: "Leçon revue" in fetch(url))
        lesson.write_text(lesson.read_text(encoding="utf-8").replace("minutes: 5", "minutes: 500"), encoding="utf-8")
        time.sleep(3)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "course/lessons/m1/l2.yml:9:10: error: 'minutes' must be at most 120, not 500" in output
    assert "Traceback" not in output
