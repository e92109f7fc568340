"""Typography by language, done by the build: authors type plain spaces, learners read it right.

French puts a narrow no-break space (U+202F) before `; : ! ?` and `%`, and inside « ». Typed with
a plain space (or none), « ? » or « » » can wrap onto a line of its own; the build fixes that in
every text a French learner reads: pages (text nodes only), quiz texts, labels, LMS titles and
descriptions. A no-break space the author typed (U+00A0 or U+202F) is kept: it does not break
either. Code, preformatted text, URLs, times (10:30) and markup are never touched, and a text
already typeset comes out unchanged.

Numbers follow the same rule on both sides, here and in the browser (progress.js uses
`Intl.NumberFormat` with one decimal at most): "3,5" and "80 %" in French, "3.5" and "80%" in
English.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

NNBSP = "\u202f"  # narrow no-break space: before ; : ! ? % and inside « » in French

# Placeholders for what stands between text nodes, in the one string the rules run on:
INLINE = "\ue000"  # an inline tag (<em>, </a>): the rules see through it
OPAQUE = "\ue001"  # code, a URL, an image: a word the rules must not enter
BLOCK = "\ue002"  # a block boundary (</p>, <br>): nothing crosses it
PLACEHOLDERS = re.compile("[\ue000-\ue002]")

_SPACE = "[ \t\r\n\u00a0\u2009\u202f]"  # what authors type as a space, no-break ones included
_BREAKABLE = re.compile("[ \t\r\n\u2009]")  # where a line may break: a no-break space typed stays
_TAGS = INLINE + "*"
# What may stand right before a mark typed without a space: a word, a closing bracket or quote
_BEFORE = r"[^\W_]|[»)\]”’…" + OPAQUE + "]"


def _glued(spaces: str) -> str:
    """The space between a word and its mark: a narrow no-break one, unless one was typed."""
    return NNBSP if not spaces or _BREAKABLE.search(spaces) else spaces


FRENCH_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    # A space typed before ; : ! ? » % (through inline tags)
    (re.compile(f"(?<=[^{BLOCK}])({_SPACE}+)({_TAGS})({_SPACE}*)([;:!?»%])"),
     lambda m: m[2] + NNBSP + m[4] if _BREAKABLE.search(m[1] + m[3]) else m[0]),
    # None typed: ! and ? after a word ("Vraiment?"), but "?!" stays one mark
    (re.compile(f"({_BEFORE})({_TAGS})([!?])(?![^\\W_])"), lambda m: m[1] + m[2] + NNBSP + m[3]),
    # ; and : without a space only before a space or the end: never in 10:30, https: or a;b
    (re.compile(f"({_BEFORE})({_TAGS})([;:])(?={_TAGS}(?:{_SPACE}|{BLOCK}|$))"),
     lambda m: m[1] + m[2] + NNBSP + m[3]),
    # A number and its % ("80%" → "80 %")
    (re.compile(f"([0-9}}])({_TAGS})%"), lambda m: m[1] + m[2] + NNBSP + "%"),
    # Inside guillemets: « mot » and «mot» alike
    (re.compile(f"(«)({_SPACE}*)({_TAGS})({_SPACE}*)(?=[^{BLOCK}{INLINE}\\s])"),
     lambda m: m[1] + _glued(m[2] + m[4]) + m[3]),
    (re.compile(f"(?<=[^{BLOCK}\\s])({_SPACE}*)({_TAGS})({_SPACE}*)(»)"),
     lambda m: m[2] + _glued(m[1] + m[3]) + m[4]),
]

# A URL or address in running text stays as typed ("https://exemple.fr/?q=1", "www.cnil.fr");
# the punctuation that ends the sentence after it is not part of it
URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:)[^\s<>«»\"\ue000-\ue002]*?(?=[.,;:!?)\]]*(?:\s|$|[\ue000-\ue002]))",
                 re.IGNORECASE)

# Elements whose content is never typeset, and inline ones the rules see through
VERBATIM = {"code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "svg", "math"}
INLINE_TAGS = {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins", "mark",
               "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "wbr"}
OPAQUE_VOID = {"img", "input"}
# A tag as the sanitiser (nh3) writes it: attribute values quoted, `<` and `>` in text escaped
TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)


def is_french(lang: str) -> bool:
    return lang.lower().split("-")[0] == "fr"


# --------------------------------------------------------------------------- plain text


@lru_cache(maxsize=8192)
def typeset_text(text: str, lang: str) -> str:
    """A plain text (a title, a label, an LMS description) typeset for its language."""
    if not is_french(lang) or PLACEHOLDERS.search(text):
        return text
    return _french(text)


def _french(flow: str) -> str:
    """The French rules on a text whose markup is already replaced by placeholders."""
    urls: list[str] = []

    def protect(match: re.Match[str]) -> str:
        urls.append(match.group(0))
        return OPAQUE

    flow = URL.sub(protect, flow) if ("/" in flow or "www." in flow or "mailto:" in flow) else flow
    for pattern, replacement in FRENCH_RULES:
        flow = pattern.sub(replacement, flow)
    if urls:
        pieces = flow.split(OPAQUE)
        flow = pieces[0] + "".join(url + piece for url, piece in zip(urls, pieces[1:], strict=True))
    return flow


# --------------------------------------------------------------------------- HTML


def typeset_html(markup: str, lang: str) -> str:
    """Sanitised HTML (a page, a quiz text) with its text nodes typeset; the markup kept byte for byte.

    Runs on what the sanitiser wrote, whose grammar is fixed (quoted attributes, escaped text), so
    a tokenizer finds every tag; an HTML parser would have to write the page again (lxml rewrites
    URLs in `href`). Text that does not change keeps its exact bytes.
    """
    if not is_french(lang) or PLACEHOLDERS.search(markup):
        return markup
    pieces, flow = _flatten(markup)
    typeset = _french(flow)
    if typeset == flow:
        return markup
    texts = PLACEHOLDERS.split(typeset)
    originals = PLACEHOLDERS.split(flow)
    out = []
    for index, text in enumerate(texts):
        out.append(pieces[2 * index] if text == originals[index] else html.escape(text, quote=False))
        if index < len(texts) - 1:
            out.append(pieces[2 * index + 1])
    return "".join(out)


def typeset_toc(items: Any, lang: str) -> None:
    """A page's table of contents (mkdocs' anchor links, titles as HTML text), like its headings."""
    for item in items or []:
        item.title = typeset_html(item.title, lang)
        typeset_toc(item.children, lang)


def _flatten(markup: str) -> tuple[list[str], str]:
    """The markup as alternating [text, tag, text, tag, …, text] source pieces, and the page's
    text as one string with a placeholder for each tag (a verbatim element is one placeholder)."""
    pieces: list[str] = []
    flow: list[str] = []
    position = 0
    verbatim: str | None = None  # the verbatim element we are in, and how deep
    depth = 0
    start = 0
    for match in TAG.finditer(markup):
        closing, name = match.group(1), (match.group(2) or "").lower()
        if verbatim is not None:
            if name == verbatim:
                depth += -1 if closing else 1
            if depth == 0:
                _add(pieces, flow, markup[position:start], markup[start:match.end()], OPAQUE)
                verbatim, position = None, match.end()
            continue
        if name in VERBATIM and not closing and not match.group(0).endswith("/>"):
            verbatim, depth, start = name, 1, match.start()
            continue
        if not name or name in INLINE_TAGS:  # a comment or an inline element: seen through
            kind = INLINE
        elif name in OPAQUE_VOID:
            kind = OPAQUE
        else:
            kind = BLOCK
        _add(pieces, flow, markup[position:match.start()], match.group(0), kind)
        position = match.end()
    if verbatim is not None:  # never closed: the rest stays as it is
        _add(pieces, flow, markup[position:start], markup[start:], OPAQUE)
        position = len(markup)
    pieces.append(markup[position:])
    flow.append(html.unescape(markup[position:]))
    return pieces, "".join(flow)


def _add(pieces: list[str], flow: list[str], text: str, tag: str, kind: str) -> None:
    pieces += [text, tag]
    flow += [html.unescape(text), kind]


# --------------------------------------------------------------------------- numbers


def format_number(value: float, lang: str) -> str:
    """A number as the browser's Intl.NumberFormat writes it, one decimal at most: 3,5 / 3.5."""
    rounded = Decimal(float(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}".removesuffix(".0")
    if is_french(lang):
        return text.replace(",", NNBSP).replace(".", ",")
    return text


def format_percent(value: float, lang: str) -> str:
    """80 % (a narrow no-break space) in French, 80% in English."""
    return format_number(value, lang) + (NNBSP + "%" if is_french(lang) else "%")
