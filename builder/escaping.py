"""One escaping rule for authored text: escaped once, by us, for the context it goes to.

A title or a summary reaches many contexts: HTML element text, quoted attributes (Material
prints the site name inside `aria-label="…"`), the theme's templates, Markdown that mkdocs
renders, link destinations. Each gets its text from one of the functions below, never from an
ad hoc `replace` or `html.escape(..., quote=False)`: a `"` in `Digital "good sense"` then shows
as typed everywhere and can close no attribute.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from markupsafe import Markup


def html_text(text: str) -> str:
    """Plain text as HTML, safe both between tags and inside any quoted attribute value."""
    return html.escape(text, quote=True)


def theme_text(text: str) -> Markup:
    """Plain text for a value the theme's templates print (site name, nav and page titles).

    Material prints such values raw in some places (`aria-label="{{ config.site_name }}"`) and
    through `| e` in others: escaped once and marked as Markup, the text is right in both.
    """
    return Markup(html_text(text))


def markdown_inline(text: str) -> str:
    """Plain text for one line of generated Markdown (a heading, a list item, a table cell).

    Whitespace collapses to single spaces (a newline would end the heading or the admonition
    title); HTML is shown as typed; `|` cannot split a table cell. Inline Markdown (emphasis,
    links) still renders, and the sanitiser then vets it like any authored Markdown.
    """
    return html_text(" ".join(text.split())).replace("|", "\\|")


def markdown_url(url: str) -> str:
    """A URL as a Markdown link destination that no character of it can end or break out of."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")
