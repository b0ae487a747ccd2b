"""Plain ``.txt``: the whole file is one article's text (no title, no metadata)."""

from __future__ import annotations

from eventwire.ingest.article import Fields, build
from eventwire.ingest.base import Context, Records
from eventwire.ingest.source import Source, read_all
from eventwire.ingest.textcodec import decode


def read_text(src: Source, ctx: Context) -> str:
    """The decoded text of a single-article file (bounded by ``max_line_bytes``)."""
    return decode(read_all(src, ctx.limits.max_line_bytes))


def records(src: Source, ctx: Context) -> Records:
    if ctx.skip < 1:
        yield 1, ctx.attempt(lambda: build(Fields(text=read_text(src, ctx)), ctx.limits,
                                           ctx.origin()), None)
