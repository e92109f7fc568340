"""Authored text is data, not code: Markdown rendered to HTML, then cleaned by an allow-list.

Used twice: on every page mkdocs renders (the whole article, after Markdown) and on each quiz
text embedded as JSON for the quiz player. Whatever a trainer (or a pasted text) puts in —
`<script>`, `onerror=`, `javascript:` links — comes out inert.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import markdown
import nh3

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


def sanitize_html(html: str) -> str:
    """Keep only harmless markup; drop scripts, event handlers, styles and unsafe URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_RENDERER = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")


@lru_cache(maxsize=8192)
def markdown_to_safe_html(text: str) -> str:
    """Render a short authored Markdown text (a quiz prompt, a feedback) to clean HTML.

    One renderer, reset between texts: building a Markdown object costs more than a short text.
    """
    html = _RENDERER.reset().convert(text)
    return sanitize_html(html)


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
