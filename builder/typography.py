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
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

NNBSP = "\u202f"  # narrow no-break space: before ; : ! ? % and inside « » in French

# Placeholders for what stands between text nodes, in the one string the rules run on:
INLINE = "\ue000"  # an inline tag (<em>, </a>): the rules see through it
OPAQUE = "\ue001"  # code, an image: a word the rules must not enter
BLOCK = "\ue002"  # a block boundary (</p>, <br>): nothing crosses it
PLACEHOLDERS = re.compile("[\ue000-\ue002]")

SPACES = " \t\r\n\u00a0\u2009\u202f"  # what authors type as a space, no-break ones included
BREAKABLE = " \t\r\n\u2009"  # where a line may break: a no-break space the author typed stays
# What may stand right before a mark typed without a space: a word, a closing bracket or quote
CLOSERS = "»)]”’…" + OPAQUE
MARKS = re.compile("[;:!?»«%]")
# A typed apostrophe between letters (l'équipe, aujourd'hui) is the typographic one in French: the
# quiz texts got it from Markdown's smarty, the pages and titles did not, and learners saw both
APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W_])")

# A URL or address in running text stays as typed ("https://exemple.fr/?q=1", "www.cnil.fr");
# the punctuation that ends the sentence after it is not part of it
URL = re.compile(r"(?:\b[A-Za-z][A-Za-z0-9+.-]*://|\bwww\.|\bmailto:)[^\s<>«»\"\ue000-\ue002]*?"
                 r"(?=[.,;:!?)\]]*(?:\s|$|[\ue000-\ue002]))")

# Elements whose content is never typeset, and inline ones the rules see through
VERBATIM = {"code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "svg", "math"}
INLINE_TAGS = {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins", "mark",
               "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "wbr"}
OPAQUE_VOID = {"img", "input"}
# A tag as the sanitiser (nh3) writes it: attribute values quoted, `<` and `>` in text escaped
TAG = re.compile(r"(<(?:!--.*?--|(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>)",
                 re.DOTALL)
KINDS = {"": INLINE, **dict.fromkeys(INLINE_TAGS, INLINE), **dict.fromkeys(OPAQUE_VOID, OPAQUE)}


def is_french(lang: str) -> bool:
    """fr, and its regional tags (fr-BE, fr-CA…): the rules of French as printed in France."""
    return lang.lower().split("-")[0] == "fr"


# --------------------------------------------------------------------------- plain text


@lru_cache(maxsize=8192)
def typeset_text(text: str, lang: str) -> str:
    """A plain text (a title, a label, an LMS description) typeset for its language."""
    if not is_french(lang) or PLACEHOLDERS.search(text):
        return text
    return _french(text)


def _french(flow: str) -> str:
    """The French rules on a text whose markup is already replaced by placeholders.

    One pass over the marks, each judged by its neighbours (through inline tags, never across a
    block): a typed breakable space becomes a narrow no-break one, a missing one is added where
    French wants it, a typed no-break space is kept.
    """
    inside_url = _url_spans(flow)
    out: list[str] = []
    done = 0  # flow[:done] is in `out`
    for match in MARKS.finditer(flow):
        at, mark = match.start(), match.group()
        if at < done or any(start <= at < end for start, end in inside_url):
            continue
        if mark == "«":  # the space goes after it
            after = _skip(flow, at + 1, +1)
            gap = flow[at + 1:after]
            if after < len(flow) and flow[after] != BLOCK and _wants_space(gap, glues=True):
                out += [flow[done:at + 1], NNBSP, _without_spaces(gap)]
                done = after
            continue
        before = _skip(flow, at - 1, -1)
        if before < done or flow[before] == BLOCK:
            continue
        gap = flow[before + 1:at]
        if _wants_space(gap, glues=_glues(flow, at, flow[before])):
            out += [flow[done:before + 1], _without_spaces(gap), NNBSP]
            done = at
    spaced = "".join(out) + flow[done:] if out else flow
    return _apostrophes(spaced) if "'" in spaced else spaced


def _apostrophes(flow: str) -> str:
    """Typographic apostrophes between letters, except inside a URL."""
    spans = _url_spans(flow)
    return APOSTROPHE.sub(lambda m: m.group() if any(a <= m.start() < b for a, b in spans) else "’", flow)


def _skip(flow: str, index: int, step: int) -> int:
    """The index of the first character from `index` on that is neither a space nor an inline tag."""
    while 0 <= index < len(flow) and (flow[index] in SPACES or flow[index] == INLINE):
        index += step
    return index


def _wants_space(gap: str, *, glues: bool) -> bool:
    """Whether the gap (spaces, inline tags) between a word and its mark becomes a narrow no-break
    space: yes for a breakable space typed, no for a no-break one, and, when none was typed,
    when the mark glues to that word."""
    if any(c in BREAKABLE for c in gap):
        return True
    return glues and not any(c in SPACES for c in gap)


def _without_spaces(gap: str) -> str:
    return "".join(c for c in gap if c not in SPACES)


def _glues(flow: str, at: int, preceding: str) -> bool:
    """Whether the mark at `at`, typed right after `preceding`, takes a space before it."""
    mark = flow[at]
    if mark == "»":
        return True
    if mark == "%":  # 80% → 80 %
        return preceding.isdigit() or preceding == "}"
    if not (preceding.isalnum() or preceding in CLOSERS):
        return False
    if mark in "!?":  # "Vraiment?", but "?!" stays one mark and "a?b" is not a sentence
        return not flow[at + 1:at + 2].isalnum()
    # ; and : only before a space or the end: never in 10:30, https: or a;b
    after = at + 1
    while after < len(flow) and flow[after] == INLINE:
        after += 1
    return after == len(flow) or flow[after] in SPACES or flow[after] == BLOCK


def _url_spans(flow: str) -> list[tuple[int, int]]:
    """Where the URLs are: their `?`, `:` or `;` are not punctuation."""
    if "://" not in flow and "www." not in flow and "mailto:" not in flow:  # most texts: no regex
        return []
    return [match.span() for match in URL.finditer(flow)]


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
    parts = TAG.split(markup)  # text, tag, closing slash, name, text, tag, …
    pieces, flow = [parts[0]], [html.unescape(parts[0])]
    verbatim: list[str] = []  # the source of the verbatim element being read: its name, its depth
    verbatim_name, depth = "", 0
    for index in range(1, len(parts), 4):
        tag, closing, name, text = parts[index], parts[index + 1], (parts[index + 2] or "").lower(), parts[index + 3]
        if verbatim:
            verbatim.append(tag)
            depth += (-1 if closing else 1) if name == verbatim_name else 0
            if depth:
                verbatim.append(text)
                continue
            tag, kind = "".join(verbatim), OPAQUE
            verbatim = []
        elif name in VERBATIM and not closing and not tag.endswith("/>"):
            verbatim, verbatim_name, depth = [tag, text], name, 1
            continue
        else:
            kind = KINDS.get(name, BLOCK)
        pieces += [tag, text]
        flow += [kind, html.unescape(text)]
    if verbatim:  # never closed: the rest stays as it is
        pieces += ["".join(verbatim), ""]
        flow += [OPAQUE, ""]
    return pieces, "".join(flow)


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
