"""Authored text is data, not code: Markdown rendered to HTML, then cleaned by an allow-list.

Used twice: on every page mkdocs renders (the whole article, after Markdown) and on each quiz
text embedded as JSON for the quiz player. Whatever a trainer (or a pasted text) puts in —
`<script>`, `onerror=`, `javascript:` links — comes out inert, and nothing loads from another host.

The same policy answers `bonsens check` (`removed_markup`): whatever the sanitiser would take out
of a text, the trainer is told where.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import markdown
import nh3
from lxml import etree
from lxml import html as lxml_html

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "svg", "path",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "aria-hidden", "aria-label"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "details": {"open"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "svg": {"viewbox", "xmlns", "width", "height"},
    "path": {"d"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]

# Any start or end tag the allow-list does not know: shown as text rather than dropped, so a
# lesson that mentions « la balise <script> » keeps its sentence and everything after it
# (a <script>, <style> or <textarea> would otherwise swallow the rest of the page)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Our ids and classes (bs-…) and Material's (__…, md-…): authored markup may not take them
RESERVED_PREFIXES = ("bs-", "md-", "__")
_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9_:.-]*")
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))  # what browsers strip around a URL


def sanitize_html(html: str) -> str:
    """Keep only harmless markup; drop scripts, event handlers, styles, unsafe and remote URLs."""
    return nh3.clean(
        _unknown_tags_as_text(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_authored_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _unknown_tags_as_text(html: str) -> str:
    """`<script>` → `&lt;script>`: a tag we would drop becomes the text the author typed."""
    html = _TAG.sub(lambda m: m.group(0) if m.group(2).lower() in ALLOWED_TAGS else "&lt;" + m.group(0)[1:], html)
    closed = _after_last_comment_end(html)  # a `<!--` after the last `-->` would hide the rest
    return html[:closed] + html[closed:].replace("<!--", "&lt;!--")


def _after_last_comment_end(html: str) -> int:
    end = html.rfind("-->")
    return end + 3 if end >= 0 else 0


def _authored_attribute(tag: str, name: str, value: str) -> str | None:
    """The value an allowed attribute keeps (None: dropped). Runs after nh3's own URL check."""
    if name == "id":
        return authored_id(value)
    if name == "class":
        kept = [token for token in value.split() if not token.lower().startswith(RESERVED_PREFIXES)]
        return " ".join(kept) or None
    if name == "src":
        return local_url(value)
    if name == "href":
        return _with_safe_fragment(value)
    return value


def authored_id(value: str) -> str:
    """An authored element id that cannot clobber ours or the theme's, nor a global of our scripts.

    Lower-case slugs outside the reserved prefixes are kept (toc anchors, footnotes `fn:1`); any
    other id is renamed `h-…`, and links to it (`href="#…"`, table of contents) are renamed alike.
    """
    if _SAFE_ID.fullmatch(value) and not value.startswith(RESERVED_PREFIXES):
        return value
    return "h-" + (re.sub(r"[^a-z0-9_:.-]+", "-", value.lower()) or "-")


def _with_safe_fragment(href: str) -> str:
    """A link within the course keeps pointing at its anchor once the anchor is renamed."""
    base, hash_sign, fragment = href.partition("#")
    if not hash_sign or not fragment or _SCHEME.match(base):
        return href
    return f"{base}#{authored_id(fragment)}"


def local_url(src: str) -> str | None:
    """An image source that loads nothing from another host: a relative course path, or None.

    Browsers drop tabs and newlines from URLs and read `\\` as `/`, so `//host`, `/\\host` and
    `h\\ttps://host` are refused as well as every scheme (`https:`, `data:`…).
    """
    url = re.sub(r"[\t\n\r]", "", src).strip(_C0_AND_SPACE)
    if not url or url[0] in "/\\" or _SCHEME.match(url) or "\\" in url:
        return None
    return url


# --------------------------------------------------------------------------- what it removes


@dataclass(frozen=True)
class Removal:
    """Something the sanitiser takes out of (or shows as text in) an authored text."""

    kind: str  # tag | attribute | class | image | link | comment
    name: str  # the tag, attribute or class name; the URL of an image or link
    tag: str = ""  # the element it was on


def removed_markup(html: str) -> list[Removal]:
    """What `sanitize_html(html)` would not keep as written, in document order.

    Judged with the same allow-lists and the same attribute rule, on the same text, so the
    check and the build cannot disagree on what a learner loses.
    """
    removals = [Removal("tag", m.group(2).lower()) for m in _TAG.finditer(html)
                if m.group(2).lower() not in ALLOWED_TAGS and not m.group(1)]
    if "<!--" in html[_after_last_comment_end(html):]:
        removals.append(Removal("comment", "<!--"))
    parsed = _XML_INCOMPATIBLE.sub("", _unknown_tags_as_text(html))  # libxml2 refuses them; nh3 drops them
    try:
        root = lxml_html.fragment_fromstring(parsed, create_parent="div")
    except (etree.ParserError, ValueError):
        return removals
    for element in root.iter():
        if not isinstance(element.tag, str) or element is root:
            continue  # comments and processing instructions
        removals += _removed_attributes(element.tag, dict(element.attrib))
    return removals


def _removed_attributes(tag: str, attributes: dict[str, str]) -> list[Removal]:
    allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
    removals = []
    for name, value in attributes.items():
        if name not in allowed:
            removals.append(Removal("attribute", name, tag))
        elif name == "src" and local_url(value) is None:
            removals.append(Removal("image", value.strip(), tag))
        elif name == "href" and not _allowed_scheme(value):
            removals.append(Removal("link", value.strip(), tag))
        elif name == "class":
            removals += [Removal("class", token, tag) for token in value.split()
                         if token.lower().startswith(RESERVED_PREFIXES)]
    return removals


def _allowed_scheme(url: str) -> bool:
    scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", url).strip())
    return scheme is None or scheme.group(1).lower() in URL_SCHEMES


# --------------------------------------------------------------------------- Markdown


_RENDERER = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")


def render_markdown(text: str) -> str:
    """Authored Markdown as HTML, not yet cleaned (`bonsens check` compares it with the clean one).

    One renderer, reset between texts: building a Markdown object costs more than a short text.
    """
    return _RENDERER.reset().convert(text)


@lru_cache(maxsize=8192)
def markdown_to_safe_html(text: str) -> str:
    """Render a short authored Markdown text (a quiz prompt, a feedback) to clean HTML."""
    return sanitize_html(render_markdown(text))


def inline_markdown_to_safe_html(text: str) -> str:
    """Like markdown_to_safe_html, without the wrapping paragraph (for choices, labels)."""
    html = markdown_to_safe_html(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def json_for_script(data: Any) -> str:
    """JSON that can sit inside <script type="application/json"> without closing it early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
