"""What the last build made from what: lets an unchanged rebuild stop before any real work.

Kept apart from build.py and light to import: `bonsens build` asks here first, before loading
the course or importing the rendering stack, so a rebuild with nothing changed costs a few hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from builder.lms_page import guide_files  # light: no rendering stack
from builder.runtime_assets import STANDARDS  # every standard a package can be built for

STATE_FILE = Path(".bonsens") / "build-state.json"
ORGANISATION_FILE = Path("organisation.yml")  # the default organisation file (builder/organisation.py)
BUILDER_DIR = Path(__file__).parent
DEFAULT_EPOCH = 946684800  # 2000-01-01: file times when SOURCE_DATE_EPOCH is not set


@dataclass
class BuildResult:
    site_dir: Path | None
    packages: list[Path] = field(default_factory=list)
    up_to_date: bool = False  # nothing changed since the last build: nothing was redone
    reused_packages: int = 0  # packages whose content had not changed, kept as they were


@dataclass(frozen=True)
class BuildRequest:
    site: bool = True
    standards: tuple[str, ...] = STANDARDS
    layouts: tuple[str, ...] = ("single",)
    organisation: str | None = None  # the organisation file given with --org (default: organisation.yml)
    paths: tuple[str, ...] = ()  # the learning paths to package, given with --path (default: those offered)


def up_to_date(root: Path, request: BuildRequest) -> BuildResult | None:
    """The last build's result if nothing it depends on changed since; checked before loading
    the course, so an unchanged rebuild costs a few hashes."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))
    previous = read_state(root)
    if previous.get("inputs") != inputs_digest(root, request):
        return None
    outputs = previous.get("outputs", {})
    if not outputs_intact(root, outputs):
        return None
    packages = sorted(root / name for name in outputs if name.startswith("dist/"))
    return BuildResult(root / "site" if request.site else None, packages, up_to_date=True)


def inputs_digest(root: Path, request: BuildRequest) -> str:
    """A hash of everything the outputs depend on: course files, look, builder code, options."""
    digest = hashlib.sha256(json.dumps(asdict(request), sort_keys=True).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    organisation = Path(request.organisation) if request.organisation else root / ORGANISATION_FILE
    if organisation.is_file() or organisation.is_symlink():  # anywhere, with --org: hashed by content
        digest.update(b"organisation " + (b"link" if organisation.is_symlink() else file_digest(organisation).encode()))
    sources = [root / "mkdocs.yml", *sorted((root / "course").rglob("*")), *sorted((root / "quizzes").rglob("*")),
               *sorted(p for p in BUILDER_DIR.rglob("*") if "__pycache__" not in p.parts)]
    for path in sources:
        name = path.relative_to(root if path.is_relative_to(root) else BUILDER_DIR).as_posix().encode()
        if path.is_symlink() and path.parent != root:  # in course/ or quizzes/: never followed (the build
            # refuses them), so the link's own text is the input
            digest.update(name + b" -> " + os.fsencode(os.readlink(path)))
        elif path.is_file():
            digest.update(name)
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for path in guide_files():  # the LMS guide, published on the site beside the HR page
        digest.update(b"guide/" + path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_state(root: Path) -> dict:
    try:
        return json.loads((root / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(root: Path, inputs: str, result: BuildResult, package_keys: dict[str, str]) -> None:
    outputs = {}
    for folder in [result.site_dir] if result.site_dir else []:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            outputs[path.relative_to(root).as_posix()] = file_digest(path)
    for package in result.packages:
        outputs[package.relative_to(root).as_posix()] = file_digest(package)
    state = {"inputs": inputs, "outputs": outputs, "packages": package_keys}
    (root / STATE_FILE).write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")


def intact(path: Path, state: dict) -> bool:
    name = path.parent.name + "/" + path.name
    return path.is_file() and state.get("outputs", {}).get(name) == file_digest(path)


def outputs_intact(root: Path, outputs: dict[str, str]) -> bool:
    """The outputs of the last build are all there, unmodified (a hand edit forces a rebuild)."""
    if not outputs:
        return False
    for name, digest in outputs.items():
        path = root / name
        if not path.is_file() or file_digest(path) != digest:
            return False
    expected_site = sum(1 for name in outputs if name.startswith("site/"))
    return not expected_site or expected_site == sum(1 for p in (root / "site").rglob("*") if p.is_file())
