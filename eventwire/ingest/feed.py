"""RSS and Atom feeds (files or URLs) with feedparser: one article per entry.

The entry's full content (``content:encoded``, Atom ``content``) is preferred over its
summary; HTML is stripped to paragraphs. The feed is checked before parsing (no entity
declarations, bounded nesting) and handed to feedparser as bytes, so it never opens a
path or URL on its own. A feed that is not well-formed XML is still read by feedparser's
lenient parser, and a Failure (record 0) says entries may be incomplete.
"""

from __future__ import annotations

import io
from typing import Any

from eventwire.ingest.article import Fields, build
from eventwire.ingest.base import Context, Item, Records
from eventwire.ingest.failures import ReadFailure
from eventwire.ingest.markup import check, fragment_to_text
from eventwire.ingest.source import Source, read_all

# feedparser's "errors" that only report an encoding declaration it corrected.
_HARMLESS = ("CharacterEncodingOverride", "NonXMLContentType")


def records(src: Source, ctx: Context) -> Records:
    try:
        data = read_all(src, ctx.limits.max_line_bytes)
        check(data.decode("utf-8", "replace"), ctx.limits.max_html_depth, is_html=False)
        parsed = _parse(data, src)
    except ReadFailure as exc:
        yield ctx.fail(exc, 0, None)
        return
    problem = _malformed(parsed)
    if problem and ctx.skip < 1:
        yield ctx.fail(ReadFailure("E115", problem), 0, "feed")
    source = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, 1):
        if number > ctx.skip:
            yield number, _entry(entry, source, ctx, number)


def _parse(data: bytes, src: Source) -> Any:
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        what = parsed.get("bozo_exception") or "no RSS/Atom root element"
        code = "E120" if src.url else "E115"
        raise ReadFailure(code, str(what)[:300])
    return parsed


def _malformed(parsed: Any) -> str | None:
    error = parsed.get("bozo_exception")
    if not parsed.get("bozo") or type(error).__name__ in _HARMLESS:
        return None
    return f"not well-formed XML ({str(error)[:200]}); entries may be incomplete"


def _entry(entry: Any, source: str | None, ctx: Context, number: int) -> Item:
    return ctx.attempt(lambda: build(_fields(entry, source, ctx), ctx.limits,
                                     ctx.origin(number)), f"entry {number}")


def _fields(entry: Any, source: str | None, ctx: Context) -> Fields:
    return Fields(
        text=fragment_to_text(_content(entry), ctx.limits.max_html_depth),
        title=entry.get("title"),
        published=_first(entry, "published_parsed", "updated_parsed", "published", "updated"),
        author=_author(entry), source=source, url=entry.get("link"), source_id=entry.get("id"))


def _first(entry: Any, *keys: str) -> Any:
    """The first present value, read without feedparser's deprecated key fallbacks."""
    return next((dict.get(entry, k) for k in keys if dict.get(entry, k)), None)


def _author(entry: Any) -> Any:
    """The author's name (RSS writes ``email (Name)``; feedparser splits it for us)."""
    names = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
    return names or entry.get("author")


def _content(entry: Any) -> str:
    """The longest full content of the entry, else its summary."""
    contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
    if contents:
        return str(max(contents, key=len))
    return str(entry.get("summary") or entry.get("description") or "")
