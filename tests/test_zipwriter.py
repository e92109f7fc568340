"""The zip writer: archives every reader opens, identical bytes for identical input, safe names only."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.zipwriter import DEFLATED, STORED, deflate, deflate_all, write_zip

FILES = {
    "index.html": b"<!doctype html><p>" + "é".encode() * 500 + b"</p>",
    "assets/empty.txt": b"",
    "images/pixel.png": bytes(range(256)),  # incompressible: stored
    "leçons/première.html": "Première leçon — « bon sens »".encode(),
}


def test_python_and_unzip_read_back_every_file(tmp_path: Path) -> None:
    target = tmp_path / "p.zip"
    write_zip(deflate_all(FILES), target)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == sorted(FILES)
        assert {name: archive.read(name) for name in FILES} == FILES
        info = archive.getinfo("images/pixel.png")
        assert info.compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("index.html").compress_type == zipfile.ZIP_DEFLATED
        assert archive.getinfo("index.html").external_attr >> 16 == 0o100644
    listing = subprocess.run(["unzip", "-t", str(target)], capture_output=True, text=True)
    if listing.returncode == 127:
        pytest.skip("unzip is not installed")
    assert listing.returncode == 0, listing.stdout + listing.stderr
    assert "leçons/première.html" in listing.stdout


def test_same_input_same_bytes_and_the_date_follows_source_date_epoch(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_zip(deflate_all(FILES), tmp_path / "a.zip")
    write_zip(deflate_all(dict(reversed(FILES.items()))), tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert archive.getinfo("index.html").date_time == (2023, 11, 14, 22, 13, 20)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # before 1980: clamped, not an invalid zip
    write_zip(deflate_all(FILES), tmp_path / "c.zip")
    with zipfile.ZipFile(tmp_path / "c.zip") as archive:
        assert archive.getinfo("index.html").date_time == (1980, 1, 1, 0, 0, 0)


def test_deflate_keeps_stored_what_does_not_shrink() -> None:
    assert deflate(b"a" * 1000).method == DEFLATED
    assert deflate(b"").method == STORED
    assert deflate(bytes(range(256))).method == STORED


@pytest.mark.parametrize("name", ["/etc/passwd", "../up.html", "a/../../up.html", "a\\b.html", ""])
def test_unsafe_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="not a safe path"):
        write_zip({name: deflate(b"x")}, tmp_path / "bad.zip")
    assert not (tmp_path / "bad.zip").exists()


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\\/\x00."),
                               min_size=1, max_size=12),
                       st.binary(max_size=3000), max_size=8))
def test_any_files_round_trip(tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes]) -> None:
    target = tmp_path_factory.mktemp("z") / "any.zip"
    write_zip(deflate_all(files), target)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert {name: archive.read(name) for name in archive.namelist()} == files
