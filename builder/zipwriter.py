"""Byte-reproducible zips from entries deflated once and shared between packages.

The SCORM 1.2 and 2004 packages of a language hold the same pages; only the manifest and the
launch pages differ. `zipfile` deflates every file again for each archive, which was half of
the packaging time, so this module splits the work: `deflate` turns a file into an `Entry` once
(in parallel threads: zlib releases the GIL), and `write_zip` lays entries out as a standard
zip (PKWARE APPNOTE 4.3: local headers, central directory, end record; no zip64, no
encryption, no extra fields) with fixed times and permissions.
"""

from __future__ import annotations

import os
import posixpath
import struct
import time
import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from builder.buildstate import DEFAULT_EPOCH

T = TypeVar("T")
LEVEL = 6  # level 9 cost 2.4x the time for 2.5 % smaller packages
STORED, DEFLATED = 0, 8
_VERSION = 20  # 2.0: deflate, folders
_MADE_BY = (3 << 8) | _VERSION  # Unix, so that the permissions below are read
_PERMISSIONS = 0o100644 << 16  # a regular file, rw-r--r--
_UTF8_NAME = 0x800
_LIMIT = 0xFFFFFFFF


class ZipTooLarge(Exception):
    """A package past what a zip without zip64 can hold (4 GiB, 65,535 files)."""


@dataclass(frozen=True)
class Entry:
    """A file ready to be written into any number of zips."""

    method: int
    crc: int
    size: int
    data: bytes  # compressed (or stored) bytes


def deflate(content: bytes) -> Entry:
    """Compress one file; keep it stored when deflating would not make it smaller."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)  # raw deflate, as zip wants
    packed = compressor.compress(content) + compressor.flush()
    crc = zlib.crc32(content)
    if len(packed) >= len(content):
        return Entry(STORED, crc, len(content), content)
    return Entry(DEFLATED, crc, len(content), packed)


def deflate_all(files: Mapping[str, bytes], threads: int = 1) -> dict[str, Entry]:
    """Compress many files, in `threads` threads."""
    names = sorted(files)
    return dict(zip(names, in_threads(deflate, [files[name] for name in names], threads), strict=True))


def in_threads(work: Callable[[bytes], T], items: list[bytes], threads: int) -> list[T]:
    """`work` on each item, in order; in parallel threads for C code that releases the GIL."""
    if threads < 2 or len(items) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(work, items, chunksize=8))


def write_zip(entries: Mapping[str, Entry], target: Path) -> None:
    """Write the entries, sorted by name, to `target` (through a .part file renamed when complete)."""
    if len(entries) > 0xFFFF:
        raise ZipTooLarge(f"{target.name}: {len(entries):,} files, more than a zip holds without zip64")
    stamp_time, stamp_date = _dos_stamp()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    central = []
    offset = 0
    with partial.open("wb") as out:
        for name in sorted(entries):
            _check_name(name)
            entry = entries[name]
            encoded = name.encode("utf-8")
            flags = 0 if encoded.isascii() else _UTF8_NAME
            fields = (_VERSION, flags, entry.method, stamp_time, stamp_date, entry.crc, len(entry.data), entry.size)
            header = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, len(encoded), 0)
            out.write(header + encoded)
            out.write(entry.data)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _MADE_BY, *fields, len(encoded), 0, 0, 0, 0,
                                       _PERMISSIONS, offset) + encoded)
            offset += len(header) + len(encoded) + len(entry.data)
            if offset > _LIMIT:
                raise ZipTooLarge(f"{target.name}: more than 4 GiB, more than a zip holds without zip64")
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0))
    partial.replace(target)


def _dos_stamp() -> tuple[int, int]:
    """Every file's date: SOURCE_DATE_EPOCH (or a fixed default), so the bytes never depend on the clock."""
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)), 315532800)  # zip dates start in 1980
    year, month, day, hour, minute, second = time.gmtime(epoch)[:6]
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def _check_name(name: str) -> None:
    """Package paths are relative, with forward slashes, and never climb out of the package."""
    parts = posixpath.normpath(name).split("/")
    if name.startswith("/") or "\\" in name or ".." in parts or not name:
        raise ValueError(f"not a safe path inside a package: {name!r}")
