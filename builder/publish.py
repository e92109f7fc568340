"""The one rule for which course files reach learners: `bonsens check` and the site writer both ask here.

Only images under course/images/ are published, each once per language beside the pages (the
SCORM packages are made from the built site, so they hold exactly these files too). A file is
published when:

- its name ends in a known image extension (`IMAGE_TYPES`), and it is not hidden (`.DS_Store`);
- neither it nor any folder above it in the course is a symbolic link (links are never followed,
  so a course can never publish `/etc/passwd` or a file of another project);
- its first bytes say it is the type its extension claims (a `.png` that is really HTML is not);
- an SVG passes `builder.svg_safe`: the cleaned drawing is what gets published.

Anything else under course/images/ is an error at its path, so `bonsens check` fails and `bonsens
build` stops before writing anything: a hostile or misplaced file is never published quietly.
Symbolic links anywhere under course/ or quizzes/ are errors too: YAML is never read through them.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from builder.diagnostics import Diagnostic, Severity

COURSE_DIR = "course"
IMAGES_DIR = "images"  # inside course/: what Markdown links as images/NAME
AUTHORED_DIRS = ("course", "quizzes")
IMAGE_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP", ".avif": "AVIF",
               ".svg": "SVG"}


@dataclass(frozen=True)
class PublishedFile:
    name: str  # relative to course/, as Markdown links to it: images/NAME
    data: bytes  # what is published (an SVG: its cleaned copy)


@dataclass
class Publication:
    files: list[PublishedFile] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def published_files(root: Path) -> Publication:
    """Every course file learners get, with its bytes; and every problem that kept a file out."""
    publication = Publication()
    images = root / COURSE_DIR / IMAGES_DIR
    for path in _walk(images) if _real(root, images) else []:
        if path.is_symlink() or not path.is_file():
            continue  # symbolic links are reported by link_problems; sockets and fifos are not files
        shown = path.relative_to(root).as_posix()
        name = path.relative_to(root / COURSE_DIR).as_posix()
        if not publishable_name(name):
            if not _hidden(name):
                publication.problems.append(_not_an_image(shown, path.suffix))
            continue
        data, problems = _checked_content(path, shown)
        publication.problems += problems
        if data is not None:
            publication.files.append(PublishedFile(name, data))
    return publication


def publishable_name(name: str) -> bool:
    """Whether a path relative to course/ may be published, by its name alone (its content is checked apart)."""
    parts = name.split("/")
    return (len(parts) >= 2 and parts[0] == IMAGES_DIR and ".." not in parts and not _hidden(name)
            and posixpath.splitext(name)[1].lower() in IMAGE_TYPES)


def link_target(target: str) -> str:
    """The course file a relative Markdown link names: `images/a%20b.png#x` → `images/a b.png`."""
    return posixpath.normpath(unquote(target.split("#")[0].split("?")[0]))


def linked_file_problem(root: Path, target: str, is_image: bool) -> tuple[str, str] | None:
    """Why a relative link (`![](…)` when `is_image`) does not lead to a published file, with a
    hint; None when it does."""
    name = link_target(target)
    path = root / COURSE_DIR / name
    try:
        published = publishable_name(name) and _real(root, path) and path.is_file()
        exists = os.path.lexists(path)
    except OSError:  # a name too long for the file system: surely no file
        published = exists = False
    if published:
        return None  # a file that fails the content checks has its own error, at its path
    if exists:
        return (f"link to a file that is not published: '{target}'",
                "link to a lesson with lesson:ID or a quiz with quiz:ID; only images under course/images/ "
                f"({', '.join(sorted(IMAGE_TYPES))}) are published")
    if is_image:
        return f"image not found: '{target}'", "put images under course/images/ and write images/NAME"
    return f"page or file not found: '{target}'", "link to another lesson with lesson:ID"


def link_problems(root: Path) -> list[Diagnostic]:
    """Symbolic links in course/ and quizzes/: never followed, so each one is an error at its path."""
    problems = []
    for folder in AUTHORED_DIRS:
        top = root / folder
        for path in [top] if top.is_symlink() else _walk(top):
            if path.is_symlink():
                problems.append(Diagnostic(path.relative_to(root).as_posix(), 1, 1,
                                           "symbolic link: bonsens never follows links, so this is neither "
                                           "read nor published",
                                           "replace the link with a copy of the file itself"))
    return problems


def authored_files(root: Path, folder: Path, pattern: str) -> list[Path]:
    """The files in `root/folder` matching the glob `pattern`, leaving out symbolic links and what
    is under them (reported by `link_problems`)."""
    top = root / folder
    if not _real(root, top) or not top.is_dir():
        return []
    return sorted(path for path in top.glob(pattern) if _real(root, path) and path.is_file())


# --------------------------------------------------------------------------- content


def _checked_content(path: Path, shown: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes to publish (None when the file must not be), and what is wrong with it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(shown, 1, 1, f"cannot read the file: {error.strerror}",
                                 "check that the file can be read (its permissions)")]
    kind = IMAGE_TYPES[path.suffix.lower()]
    if kind == "SVG":
        from builder.svg_safe import clean_svg  # lxml only when a course has SVGs

        clean = clean_svg(data)
        problems = [Diagnostic(shown, p.line, p.column, p.message, p.hint,
                               Severity.error if p.blocking else Severity.warning) for p in clean.problems]
        return (clean.data if clean.publishable else None), problems
    if _sniff(data) != kind:
        found = _sniff(data)
        what = f"a {found} image" if found else "not an image"
        return None, [Diagnostic(shown, 1, 1, f"the file is named {path.suffix} but its content is {what}",
                                 f"save it again as {kind}, or give it the extension of what it is")]
    return data, []


def _sniff(data: bytes) -> str | None:
    """The raster type a file's first bytes announce (its magic number), whatever its name says."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp" and (b"avif" in data[8:32] or b"avis" in data[8:32]):
        return "AVIF"
    return None


def _not_an_image(shown: str, suffix: str) -> Diagnostic:
    what = f"'{suffix}' files" if suffix else "files without an extension"
    return Diagnostic(shown, 1, 1, f"{what} are not published: only images go under course/images/",
                      f"keep only {', '.join(sorted(IMAGE_TYPES))} files there; move this one out of course/")


# --------------------------------------------------------------------------- paths


def _walk(top: Path) -> Iterator[Path]:
    """Every entry under `top` (files, folders, links), without following symbolic links."""
    if top.is_symlink() or not top.is_dir():
        return
    for folder, folders, files in os.walk(top, followlinks=False):
        folders.sort()
        for name in sorted(folders) + sorted(files):
            yield Path(folder) / name


def _real(root: Path, path: Path) -> bool:
    """Whether `path` is under `root` with no symbolic link on the way (root itself may be one)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    current = root
    for part in parts:
        current = current / part
        if part == ".." or current.is_symlink():
            return False
    return True


def _hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/") if part not in (".", ".."))
