"""The reference format: ``date YYYY-MM-DD Author`` on the first line, then the text.

A trailing ``/// Source, date`` signature (alone on the last line, or ending the last
paragraph) is read as the source and removed from the text::

     date 2021-08-11 Elvira Kadyrova

    Russia positively assesses ... in a closed mode. /// nCa, 11 August 2021
"""

from __future__ import annotations

import re

from eventwire.ingest.article import Fields, build, iso_date
from eventwire.ingest.base import Context, Records
from eventwire.ingest.plaintext import read_text
from eventwire.ingest.source import Source

_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})[ \t]*([^\n]*)\n?")
_SIGNATURE = re.compile(r"[ \t]*///[ \t]*([^\n/][^\n]*|)\s*\Z")


def parse(text: str) -> Fields:
    """Fields of a reference-format document (header and signature taken out of the text)."""
    published = author = source = None
    meta: dict[str, str] = {}
    header = _HEADER.match(text)
    if header:
        published, author = header.group(1), header.group(2).strip() or None
        text = text[header.end():]
    signature = _SIGNATURE.search(text)
    if signature:
        meta["signature"] = signature.group(1).strip()
        source, _, signed = meta["signature"].partition(",")
        if signed.strip() and iso_date(signed.strip()):
            meta["signature_date"] = iso_date(signed.strip()) or ""
        text = text[: signature.start()]
    return Fields(text=text, published=published, author=author,
                  source=source.strip() if source else None, meta=meta)


def records(src: Source, ctx: Context) -> Records:
    if ctx.skip < 1:
        yield 1, ctx.attempt(lambda: build(parse(read_text(src, ctx)), ctx.limits,
                                           ctx.origin()), None)
