"""Our browser files as they ship: minified copies of the readable sources in `assets/`.

The sources stay plain, commented JavaScript and CSS for people to read and change; the site
and the LMS packages get them minified (whitespace, comments, local names) by tdewolff's
`minify` (package minify-go, a compiled library: no Node at build time). Minifying is done
once per file content and process.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
# What only the site's pages load (builder/mkdocs_plugin.py), marked so on their tags: the HR
# page's styles, the choice of a learning path, the marks of pages outside it. An LMS package
# holds one path and no HR page: it leaves these files and tags out (builder/packages/content.py), so a
# SCO's runtime stays within its budget (tests/test_runtime_assets.py)
SITE_ONLY = ("bonsens-site.css", "learning-paths.js")
SITE_ONLY_MARK = "data-bs-site"
MEDIA_TYPES = {".js": "application/javascript", ".css": "text/css"}
# Output syntax no newer than ES2015 (the sources' own syntax is kept as written)
MINIFY_CONFIG = {"js-version": 2015, "js-keep-var-names": False, "css-precision": 0}


def shipped(name: str) -> bytes:
    """The file `assets/NAME` as shipped: minified when it is JavaScript or CSS."""
    return minified(name, (ASSETS / name).read_bytes())


@functools.lru_cache(maxsize=32)
def minified(name: str, source: bytes) -> bytes:
    """`source` minified by its file type (`name`'s suffix); other files unchanged."""
    media_type = MEDIA_TYPES.get(Path(name).suffix)
    if media_type is None:
        return source
    import minify  # minify-go

    minify.config(MINIFY_CONFIG)
    return minify.string(media_type, source.decode("utf-8")).encode("utf-8")


# The launch page's runtime per standard: the core and the standard's adapter (assets/runtime/),
# shipped as one file, assets/bonsens/sco-runtime.js (builder/packages/units.py)
STANDARDS = ("scorm12", "scorm2004", "cmi5")
RUNTIME_SOURCES = {
    "scorm12": ("runtime/core.js", "runtime/scorm-codec.js", "runtime/scorm.js"),
    "scorm2004": ("runtime/core.js", "runtime/scorm-codec.js", "runtime/scorm.js"),
    "cmi5": ("runtime/core.js", "runtime/languages.js", "runtime/cmi5.js"),  # every language in one package
}


# scorm.js takes its version from the launch page's config; a SCORM bundle has the version written
# in instead, so that the minifier leaves the other version's branches out (300-400 B gzipped)
SCORM_VERSION = b'const V2004 = config.standard === "2004";'


# The bundles as a build made them before forking its workers (freeze_bundles): a worker never
# calls minify-go, whose Go runtime does not survive a fork (a call there can wait forever), not
# even when a source changed on disk since
_FROZEN: dict[str, bytes] = {}


def runtime_bundle(standard: str) -> bytes:
    """The launch page's runtime for `standard`: its sources in order, minified as one file."""
    frozen = _FROZEN.get(standard)
    if frozen is not None:
        return frozen
    return minified("sco-runtime.js", b"\n".join(_runtime_source(name, standard) for name in RUNTIME_SOURCES[standard]))


def freeze_bundles() -> None:
    """Make every standard's bundle from the sources as they are now, and keep these until the next
    call (each build calls it before forking)."""
    _FROZEN.clear()
    fresh = {standard: runtime_bundle(standard) for standard in STANDARDS}
    _FROZEN.update(fresh)


def _runtime_source(name: str, standard: str) -> bytes:
    """One source of `standard`'s runtime as it goes into the bundle: scorm.js with its version in."""
    source = (ASSETS / name).read_bytes()
    if name != "runtime/scorm.js":
        return source
    assert SCORM_VERSION in source, f"{name} declares its version otherwise: update runtime_assets.py"
    version = b"true" if standard == "scorm2004" else b"false"
    return re.sub(rb"\bV2004\b", version, source.replace(SCORM_VERSION, b""))
