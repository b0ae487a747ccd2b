"""HTML pages (``.html``): main text, title, date and author with trafilatura, offline.

The markup is checked first (entity declarations, nesting depth), then trafilatura picks
the main text; its paragraphs are kept as blank-line separated blocks. The date is taken
from the page's metadata only (no guessing from dates in the text). Also used by the WARC
reader for each HTML response.
"""

from __future__ import annotations

import re
from configparser import ConfigParser
from functools import lru_cache
from typing import Any

from eventwire.ingest.article import Fields, build
from eventwire.ingest.base import Context, Limits, Records
from eventwire.ingest.failures import ReadFailure
from eventwire.ingest.markup import check
from eventwire.ingest.source import Source, read_all
from eventwire.ingest.textcodec import decode
from eventwire.model import Article

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BLOCK_SEPARATOR = "\n\n"
_MIN_EXTRACTED_CHARS = "40"
_MIN_PAGE_CHARS = 40  # shorter "main text" is a menu or a caption, not an article


@lru_cache(maxsize=1)
def _config() -> ConfigParser:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", _MIN_EXTRACTED_CHARS)
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    return config


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def page_fields(markup: str, limits: Limits, url: str | None = None) -> Fields:
    """Fields of one HTML page, or ReadFailure (E112, E113, E114)."""
    check(markup, limits.max_html_depth, is_html=True)
    import trafilatura

    doc = trafilatura.bare_extraction(
        markup, url=url, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
        config=_config())
    text = _paragraphs(doc) if doc is not None else ""
    if len(text.strip()) < _MIN_PAGE_CHARS:
        raise ReadFailure("E114", f"{len(text.strip())} characters of main text")
    title = getattr(doc, "title", None)
    if title and text.startswith(title + _BLOCK_SEPARATOR):
        text = text[len(title) + len(_BLOCK_SEPARATOR):]
    return Fields(text=text, title=title, published=getattr(doc, "date", None),
                  author=getattr(doc, "author", None),
                  source=getattr(doc, "sitename", None) or getattr(doc, "hostname", None),
                  url=getattr(doc, "url", None) or url)


def _paragraphs(doc: Any) -> str:
    """The main text with one blank line between blocks (trafilatura's own text output
    separates them with a single newline)."""
    body = getattr(doc, "body", None)
    if body is None or not len(body):
        return str(getattr(doc, "text", None) or "").replace("\n", _BLOCK_SEPARATOR)
    blocks = [_block(child) for child in body]
    return _BLOCK_SEPARATOR.join(b for b in blocks if b)


def _block(element: Any) -> str:
    if element.tag in ("list", "table"):
        rows = [" ".join(_inline(part).split()) for part in element]
        return "\n".join(r for r in rows if r)
    return _inline(element).strip()


def _inline(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def records(src: Source, ctx: Context) -> Records:
    if ctx.skip < 1:
        yield 1, ctx.attempt(lambda: _page(src, ctx), None)


def _page(src: Source, ctx: Context) -> Article:
    data = read_all(src, ctx.limits.max_line_bytes)
    markup = decode(data, declared_charset(data))
    return build(page_fields(markup, ctx.limits, src.url), ctx.limits, ctx.origin())
