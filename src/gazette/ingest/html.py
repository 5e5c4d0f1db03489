"""HTML that came from outside: sanitized before it is stored, and its plain text for search."""

from __future__ import annotations

import re

import lxml.html
import nh3
from lxml import etree

_ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"area", "map"}
_ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "a": {"href", "hreflang", "title"},
    "img": {"alt", "src", "height", "width", "title"},
    "abbr": {"title"},
    "time": {"datetime"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    attributes=_ALLOWED_ATTRIBUTES,
    url_schemes=_URL_SCHEMES,
    link_rel="noopener noreferrer",
)
"""Built once: ``nh3.clean`` builds a sanitizer on every call, which costs more than cleaning
a typical post."""

_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SPACES = re.compile(r" [ \t\r\f\v\u00a0]+|[\t\r\f\v\u00a0][ \t\r\f\v\u00a0]*")
"""Runs of white space other than one plain space (leaving those alone is twice as fast)."""
_ODD_SPACES = ("  ", "\t", "\r", "\f", "\v", "\u00a0")
"""A text holding none of these has nothing for ``_SPACES`` to fold (a quicker test)."""
_BLANK_LINES = re.compile(r"\n\n\n+")
"""Three or more line breaks, spelt out so that the search starts from a literal prefix (five
times faster than a counted repeat)."""
_PARSER = etree.HTMLParser()
"""Plain lxml HTML parsing for ``to_text`` (see ``_fragment``)."""


_MAX_PASSES = 8


def sanitize(html: str) -> str:
    """``html`` with scripts, event handlers, ``javascript:`` URLs, styles and unknown tags
    removed (the ammonia sanitizer, through nh3); links get ``rel="noopener noreferrer"``.

    Cleaning is repeated until the output is stable, so sanitizing sanitized HTML changes
    nothing (one pass can re-nest tags, or drop one leading newline of a ``<pre>``): a
    backup that is restored is byte-identical.
    """
    for _ in range(_MAX_PASSES):
        cleaned = _CLEANER.clean(html)
        if cleaned == html:
            break
        html = cleaned
    return html


def to_text(html: str) -> str:
    """The readable text of an HTML fragment: blocks become paragraphs (blank-line separated),
    ``<br>`` a line break, white space folded. Scripts and styles are dropped."""
    if not html.strip():
        return ""
    try:
        root = _fragment(html)
    except (etree.ParserError, ValueError):
        return _SPACES.sub(" ", html).strip()
    etree.strip_elements(root, "script", "style", "noscript", "template", with_tail=False)
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        if not isinstance(element.tag, str):  # comments, processing instructions
            parts.append(element.tail or "")
            return
        block = element.tag in _BLOCKS
        if block:
            parts.append("\n\n" if element.tag != "br" else "\n")
        parts.append(element.text or "")
        for child in element:
            walk(child)
        if block and element.tag != "br":
            parts.append("\n\n")
        parts.append(element.tail or "")

    walk(root)
    return _fold("".join(parts))


def _fragment(html: str) -> etree._Element:
    """``html`` parsed into a ``<div>`` as ``lxml.html.fragment_fromstring(html,
    create_parent="div")`` parses it, but into plain lxml elements: ``lxml.html``'s parser
    calls back into Python for the class of every element it hands out."""
    elements = lxml.html.fragments_fromstring(html, parser=_PARSER)
    root = _PARSER.makeelement("div")
    if elements and isinstance(elements[0], str):
        root.text = elements.pop(0)
    root.extend(elements)
    return root


def _fold(text: str) -> str:
    """White space folded: one space for a run, none beside a line break, at most one blank
    line in a row. Plain string searches first, the regular expressions only when needed (they
    are the costliest part of ``to_text``)."""
    if any(odd in text for odd in _ODD_SPACES):
        text = _SPACES.sub(" ", text)
    # with no two spaces in a row left, this drops every space next to a line break
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()
