"""SVG images made safe to publish: an allow-list of drawing elements and attributes.

An SVG is a document, not a picture: opened from a link it runs its scripts on the site's origin
(and inside an LMS frame, with the SCORM API at hand), and it can fetch from other hosts. So
every SVG under course/images/ goes through here before it is published:

- what can run code or reach another host is an **error** (the file is not published): scripts,
  `<foreignObject>` and other embedding elements, animations (they can rewrite links after this
  check), HTML or MathML elements, `on…` handlers, links that are not local `#fragments`, CSS that
  imports or loads (`@import`, `url(…)` to anything but `#id`, `image-set(…)`, escapes), entities;
- what only an editor reads (comments, processing instructions, Inkscape/Illustrator/RDF metadata,
  `data-*` attributes, the DOCTYPE) is left out of the published copy without a word;
- any other element or attribute this allow-list does not know is left out with a **warning**, so
  a drawing never changes without the trainer being told.

The published bytes are always the re-serialised, cleaned tree, never the file as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ACTIVE_NAMESPACES = {"http://www.w3.org/1999/xhtml": "HTML", "http://www.w3.org/1998/Math/MathML": "MathML"}

DRAWING_ELEMENTS = _names("""
    svg g defs symbol use title desc switch a image style
    path rect circle ellipse line polyline polygon text tspan textPath
    linearGradient radialGradient stop pattern clipPath mask marker
    filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
    feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR
    feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight
    feSpecularLighting feSpotLight feTile feTurbulence
""")
ACTIVE_ELEMENTS = {
    "script": "runs code", "foreignObject": "embeds HTML", "iframe": "embeds a page", "embed": "embeds content",
    "object": "embeds content", "audio": "plays media", "video": "plays media", "handler": "runs code",
    "listener": "runs code", "set": "can rewrite links and styles after this check",
    "animate": "can rewrite links and styles after this check",
    "animateMotion": "can rewrite links and styles after this check",
    "animateTransform": "can rewrite links and styles after this check",
    "animateColor": "can rewrite links and styles after this check",
    "discard": "can rewrite the drawing after this check",
}
DRAWING_ATTRIBUTES = _names("""
    id class style transform lang tabindex role aria-label aria-labelledby aria-describedby aria-hidden
    focusable version baseProfile viewBox preserveAspectRatio width height x y x1 y1 x2 y2 cx cy r rx ry
    fx fy fr d points pathLength fill fill-opacity fill-rule stroke stroke-width stroke-linecap
    stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset stroke-opacity opacity color
    display visibility overflow clip clip-path clip-rule mask filter marker marker-start marker-mid
    marker-end font font-family font-size font-size-adjust font-stretch font-style font-variant
    font-weight text-anchor dominant-baseline alignment-baseline baseline-shift letter-spacing
    word-spacing text-decoration writing-mode direction unicode-bidi glyph-orientation-vertical
    gradientUnits gradientTransform spreadMethod offset stop-color stop-opacity patternUnits
    patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits markerWidth
    markerHeight markerUnits refX refY orient dx dy rotate textLength lengthAdjust startOffset method
    spacing side filterUnits primitiveUnits in in2 result stdDeviation mode operator k1 k2 k3 k4 values
    type tableValues slope intercept amplitude exponent kernelMatrix order divisor bias targetX
    targetY edgeMode kernelUnitLength preserveAlpha surfaceScale diffuseConstant specularConstant
    specularExponent azimuth elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle scale
    xChannelSelector yChannelSelector radius baseFrequency numOctaves seed stitchTiles flood-color
    flood-opacity lighting-color color-interpolation color-interpolation-filters color-rendering
    shape-rendering text-rendering image-rendering mix-blend-mode isolation vector-effect paint-order
    enable-background requiredFeatures requiredExtensions systemLanguage media
    href
""")
LINK_ATTRIBUTES = frozenset({"href", f"{{{XLINK_NS}}}href"})
EMBEDDED_RASTER = re.compile(r"^data:image/(png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/=\s]*$")
RASTER_HOLDERS = frozenset({"image", "feImage"})
# What in CSS can fetch from elsewhere: url(…) to anything but #id, image-set/src with a string,
# @import; backslash escapes could spell any of these in disguise, so they are refused too
CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*([^)'\"]*)", re.IGNORECASE)
CSS_LOADERS = re.compile(r"@import|image-set\(|\bsrc\(|expression\(|\\", re.IGNORECASE)

PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "remove_comments": True,
                  "remove_pis": True, "huge_tree": False}


@dataclass(frozen=True)
class SvgProblem:
    """One thing found in an SVG: on which line, what, how to fix, and whether it blocks publishing."""

    line: int
    message: str
    hint: str
    blocking: bool = True
    column: int = 1


@dataclass
class CleanSvg:
    data: bytes  # the cleaned drawing, the only bytes ever published
    problems: list[SvgProblem] = field(default_factory=list)

    @property
    def publishable(self) -> bool:
        return not any(problem.blocking for problem in self.problems)


def clean_svg(data: bytes) -> CleanSvg:
    """Parse an SVG without fetching anything, keep only the drawing, say what was unsafe."""
    try:
        root = etree.fromstring(data, etree.XMLParser(**PARSER_OPTIONS))
    except etree.XMLSyntaxError as error:
        return CleanSvg(b"", [SvgProblem(error.lineno or 1, f"not a readable SVG: {error.msg}",
                                         "save it again from your drawing program as plain SVG",
                                         column=error.offset or 1)])
    if _local_name(root) != "svg" or _namespace(root) != SVG_NS:
        return CleanSvg(b"", [_not_svg(root)])
    problems = _entity_problems(root)
    stack = [root]
    while stack:  # parents before children; a removed element's children are gone with it
        element = stack.pop()
        problems += _clean_element(element)
        if element is root or element.getparent() is not None:
            stack.extend(reversed([child for child in element if isinstance(child.tag, str)]))
    etree.cleanup_namespaces(root)
    return CleanSvg(etree.tostring(root, xml_declaration=True, encoding="utf-8"), problems)


def _not_svg(root: etree._Element) -> SvgProblem:
    name = _local_name(root)
    if name == "svg":  # browsers show such a file as a tree of XML, not as a drawing
        return SvgProblem(root.sourceline or 1, "the <svg> element lacks the SVG namespace",
                          f'add xmlns="{SVG_NS}" to the <svg> element')
    return SvgProblem(root.sourceline or 1, f"the file is not an SVG drawing (its root element is <{name}>)",
                      "save it as SVG, or give it the extension of what it is")


def _entity_problems(root: etree._Element) -> list[SvgProblem]:
    """Entities are refused (never expanded: no "billion laughs"), and taken out of the copy."""
    doctype = root.getroottree().docinfo.internalDTD
    declared = doctype is not None and bool(list(doctype.entities()))
    references = [node for node in root.iter() if isinstance(node, etree._Entity)]
    for reference in references:
        _remove(reference)
    if declared or references:
        return [SvgProblem(1, "the SVG declares or uses XML entities (&name;)",
                           "save it again as plain SVG, without a DOCTYPE")]
    return []


def _clean_element(element: etree._Element) -> list[SvgProblem]:
    """Remove what is not drawing from one element (itself or its attributes); report it."""
    line = element.sourceline or 1
    name, namespace = _local_name(element), _namespace(element)
    if namespace in ACTIVE_NAMESPACES:
        _remove(element)
        return [SvgProblem(line, f"{ACTIVE_NAMESPACES[namespace]} element <{name}> inside the SVG can run code "
                           "or load content", "remove it: an image can hold only drawing")]
    if namespace != SVG_NS:
        _remove(element)  # an editor's own metadata (Inkscape, Illustrator, RDF): nothing to draw
        return []
    if name in ACTIVE_ELEMENTS:
        _remove(element)
        return [SvgProblem(line, f"SVG element <{name}> {ACTIVE_ELEMENTS[name]}",
                           f"remove the <{name}> element: an image can hold only drawing")]
    if name not in DRAWING_ELEMENTS:
        _remove(element)
        return [SvgProblem(line, f"SVG element <{name}> is not kept in the published image",
                           "remove it, or check that the published image still looks right", blocking=False)]
    problems = [problem for attribute in list(element.attrib) for problem in _clean_attribute(element, attribute)]
    if name == "style":
        problems += _clean_style(element)
    return problems


def _clean_style(element: etree._Element) -> list[SvgProblem]:
    """A <style> keeps its CSS as one text (no child elements whose tail could hide more) if it cannot load."""
    css = "".join(element.itertext())
    for child in list(element):
        element.remove(child)
    reason = _css_problem(css)
    element.text = "" if reason else css
    return [SvgProblem(element.sourceline or 1, f"<style> {reason}",
                       "keep only colours, strokes and fonts in the CSS")] if reason else []


def _clean_attribute(element: etree._Element, attribute: str) -> list[SvgProblem]:
    line = element.sourceline or 1
    value = element.attrib[attribute]
    name, namespace = _local_name(attribute), _attribute_namespace(attribute)
    if name.lower().startswith("on") and namespace in ("", SVG_NS):
        del element.attrib[attribute]
        return [SvgProblem(line, f"event handler {name}=\"…\" on <{_local_name(element)}> runs code",
                           f"remove the {name} attribute")]
    if attribute in LINK_ATTRIBUTES:
        if value.strip().startswith("#") or (_local_name(element) in RASTER_HOLDERS
                                             and EMBEDDED_RASTER.match(value.strip())):
            return []
        del element.attrib[attribute]
        return [SvgProblem(line, f"link {_attribute_label(attribute)}=\"{_shorten(value)}\" on "
                           f"<{_local_name(element)}> leads out of the image",
                           "link only to #ids inside the SVG; embed pictures as data:image/png;base64")]
    if namespace == XML_NS and name in ("space", "lang"):
        return []
    if namespace or name.startswith("data-"):
        del element.attrib[attribute]  # editor metadata (inkscape:label, xlink:title, data-name)
        return []
    if name not in DRAWING_ATTRIBUTES:
        del element.attrib[attribute]
        return [SvgProblem(line, f"SVG attribute {name}=\"…\" on <{_local_name(element)}> is not kept in the "
                           "published image", "remove it, or check that the published image still looks right",
                           blocking=False)]
    if reason := _css_problem(value):
        del element.attrib[attribute]
        return [SvgProblem(line, f"{name}=\"{_shorten(value)}\" on <{_local_name(element)}> {reason}",
                           "refer only to #ids inside the SVG")]
    return []


def _css_problem(text: str) -> str | None:
    """Why a CSS text (or a presentation attribute) could fetch from elsewhere; None when it cannot."""
    if "(" not in text and "@" not in text and "\\" not in text:
        return None  # most values: numbers, colours, path data
    if CSS_LOADERS.search(text):
        return "loads content or hides it behind escapes (@import, image-set, src, \\)"
    for match in CSS_URL.finditer(text):
        if not match.group(2).strip().startswith("#"):
            return f"loads 'url({_shorten(match.group(2))})' from outside the image"
    return None


def _remove(element: etree._Element) -> None:
    """Remove an element and what it holds, keeping the text that follows it in its parent."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _local_name(node: etree._Element | str) -> str:
    """`rect` from `{http://www.w3.org/2000/svg}rect` (string work: QName is slow on big drawings)."""
    tag = node if isinstance(node, str) else node.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _namespace(element: etree._Element) -> str:
    return _attribute_namespace(element.tag) if isinstance(element.tag, str) else ""


def _attribute_namespace(name: str) -> str:
    return name[1:name.index("}")] if name.startswith("{") else ""


def _attribute_label(attribute: str) -> str:
    return "xlink:href" if attribute == f"{{{XLINK_NS}}}href" else _local_name(attribute)


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
