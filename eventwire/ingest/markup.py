"""Markup safety checks and HTML fragments to text.

:func:`check` runs before any markup reaches lxml, trafilatura or feedparser: it refuses
``<!ENTITY`` declarations (billion laughs, quadratic blow-up, external entities) and
nesting deeper than ``max_html_depth``, with a linear scan that never builds a tree.
"""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

from eventwire.ingest.failures import ReadFailure

_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_TAG_START = re.compile(r"<(!--|!\[CDATA\[|/?[A-Za-z][^\s/>]*)")
_RAW_TEXT = ("script", "style", "textarea", "xmp", "plaintext")
# Elements that never hold children, or whose end tag HTML parsers imply: not nesting.
_HTML_FLAT = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "command", "basefont", "frame", "isindex", "spacer", "p", "li", "dt",
    "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "rt", "rp",
    "html", "head", "body"
})


def check(markup: str, max_depth: int, is_html: bool) -> None:
    """Raises E113 on entity declarations and E112 when elements nest deeper than
    ``max_depth`` (end tags close the innermost open element; HTML void and
    optional-end elements are not counted)."""
    if _ENTITY_DECL.search(markup):
        raise ReadFailure("E113", "the document declares <!ENTITY ...>")
    depth = _max_depth(markup, max_depth, is_html)
    if depth > max_depth:
        raise ReadFailure("E112", f"more than {max_depth} nested elements")


def _max_depth(markup: str, limit: int, is_html: bool) -> int:
    depth = deepest = 0
    pos = 0
    while deepest <= limit:
        match = _TAG_START.search(markup, pos)
        if match is None:
            break
        token = match.group(1)
        if token == "!--":
            pos = _after(markup, "-->", match.end())
            continue
        if token == "![CDATA[":
            pos = _after(markup, "]]>", match.end())
            continue
        end = markup.find(">", match.end())
        if end < 0:
            break
        pos = end + 1
        name = token.lstrip("/").lower()
        if token.startswith("/"):
            depth = max(depth - 1, 0) if not (is_html and name in _HTML_FLAT) else depth
        elif markup[end - 1] != "/" and not (is_html and name in _HTML_FLAT):
            depth += 1
            deepest = max(deepest, depth)
            if is_html and name in _RAW_TEXT:
                pos = _raw_text_end(markup, name, pos)
                depth -= 1
    return deepest


def _after(markup: str, marker: str, start: int) -> int:
    found = markup.find(marker, start)
    return len(markup) if found < 0 else found + len(marker)


def _raw_text_end(markup: str, name: str, start: int) -> int:
    match = re.compile(f"</{name}", re.IGNORECASE).search(markup, start)
    return len(markup) if match is None else match.end()


_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tr", "ul"
})
_WS = re.compile(r"\s+")
_AROUND_NEWLINE = re.compile(r" *\n *")
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title"})


def fragment_to_text(fragment: str, max_depth: int) -> str:
    """Plain text of an HTML fragment (a feed entry's content): block elements become
    paragraph breaks, ``<br>`` a line break; scripts and styles are dropped."""
    if "<" not in fragment:
        return html.unescape(fragment)
    check(fragment, max_depth, is_html=True)
    try:
        root = lxml_html.document_fromstring(f"<html><body><div>{fragment}</div></body></html>")
    except (etree.ParserError, ValueError):
        return ""
    return _block_text(root)


def _block_text(root: etree._Element) -> str:
    parts: list[str] = []
    skipping = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag in _SKIP:
                skipping += 1
            elif tag is not None and not skipping:
                if tag in _BLOCKS:
                    parts.append("\n" if tag == "br" else "\n\n")
                parts.append(_WS.sub(" ", element.text or ""))
            continue
        if tag in _SKIP:
            skipping -= 1
        elif not skipping and tag in _BLOCKS and tag != "br":
            parts.append("\n\n")
        if not skipping:
            parts.append(_WS.sub(" ", element.tail or ""))
    return _AROUND_NEWLINE.sub("\n", "".join(parts)).strip()
