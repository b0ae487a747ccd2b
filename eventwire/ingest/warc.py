"""Web archives (``.warc``, ``.warc.gz``) with warcio: each HTML response is one article.

Records that are not HTML (requests, metadata, images, scripts) are passed over without a
failure; their numbers still count, so record numbers are positions in the archive (from
1). An HTML payload goes through the same path as an ``.html`` file. Damage to the archive
itself (bad headers, a truncated record) ends the file with E116: records before it stay.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from eventwire.ingest.article import build
from eventwire.ingest.base import Context, Item, Records
from eventwire.ingest.failures import ReadFailure
from eventwire.ingest.htmlpage import declared_charset, page_fields
from eventwire.ingest.source import CHUNK, Source
from eventwire.ingest.textcodec import decode
from eventwire.model import Article

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_START = re.compile(rb"\s*<(!doctype\s+html|html|head|body)", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_PAGE_TYPES = ("response", "resource")
_REQUIRED = ("WARC-Type", "WARC-Record-ID", "Content-Length")


def records(src: Source, ctx: Context) -> Records:
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    errors = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, ValueError,
              IndexError, KeyError, AttributeError, OSError, zlib.error)
    number = 0
    archive = _archive(src.stream)
    try:
        for record in archive:
            number += 1
            if number > ctx.skip:
                item = _record(record, ctx, number)
                if item is not None:
                    yield number, item
    except ReadFailure as exc:
        yield ctx.fail(exc, number + 1, f"record {number + 1}")
    except errors as exc:
        detail = f"after record {number}: {type(exc).__name__}: {str(exc)[:200]}"
        yield ctx.fail(ReadFailure("E116", detail), number + 1, f"record {number + 1}")
    if getattr(archive, "next_line", None) and ctx.skip <= number:
        where = f"record {number + 1}"
        yield ctx.fail(ReadFailure("E116", "the last record is cut off"), number + 1, where)
    elif archive.err_count and ctx.skip < number:
        detail = f"{archive.err_count} record(s) not followed by a blank line (bad Content-Length?)"
        yield ctx.fail(ReadFailure("E116", detail), number, "archive")


def _archive(stream: Any) -> Any:
    """warcio's iterator, with its warnings on stderr turned into a count (``err_count``)."""
    from warcio.archiveiterator import ArchiveIterator

    class _Quiet(ArchiveIterator):  # type: ignore[misc]
        INC_RECORD = ""

    return _Quiet(stream)


def _record(record: Any, ctx: Context, number: int) -> Item | None:
    """A Failure for a record without the mandatory headers, the article of an HTML
    page, or None for any other record."""
    missing = [h for h in _REQUIRED if not record.rec_headers.get_header(h)]
    if missing:
        detail = f"record {number} lacks {', '.join(missing)}"
        return ReadFailure("E116", detail).failure(ctx.path, f"record {number}")
    if record.rec_type not in _PAGE_TYPES:
        return None
    return _page(record, ctx, number)


def _page(record: Any, ctx: Context, number: int) -> Item | None:
    """The article of one HTML record, a Failure, or None when the record is not HTML."""
    content_type = _content_type(record)
    if content_type and not content_type.startswith(_HTML_TYPES):
        return None
    limit = ctx.limits.max_line_bytes
    try:
        payload = _payload(record, limit)
    except ReadFailure as exc:
        return exc.failure(ctx.path, f"record {number}")
    if len(payload) <= limit and not content_type and not _HTML_START.match(payload[:1024]):
        return None
    return ctx.attempt(lambda: _article(record, payload, content_type, ctx, number),
                       f"record {number}")


def _article(record: Any, payload: bytes, content_type: str, ctx: Context,
             number: int) -> Article:
    limit = ctx.limits.max_line_bytes
    if len(payload) > limit:
        raise ReadFailure("E107", f"an HTML payload of more than {limit:,} bytes")
    url = record.rec_headers.get_header("WARC-Target-URI")
    markup = decode(payload, _charset(content_type) or declared_charset(payload))
    fields = page_fields(markup, ctx.limits, url)
    fields.meta["crawled"] = record.rec_headers.get_header("WARC-Date")
    return build(fields, ctx.limits, ctx.origin(number))


def _payload(record: Any, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of the HTTP body, content and transfer encodings undone;
    E116 when the archive ends before the record's Content-Length."""
    try:
        payload = bytes(record.content_stream().read(limit + 1))
        while record.raw_stream.read(CHUNK):
            pass
    except (zlib.error, EOFError, ValueError, OSError) as exc:
        raise ReadFailure("E116", f"unreadable payload: {str(exc)[:200]}") from exc
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        raise ReadFailure("E116", f"the record is truncated: {missing:,} bytes missing")
    return payload


def _content_type(record: Any) -> str:
    headers = record.http_headers if record.http_headers is not None else record.rec_headers
    value = headers.get_header("Content-Type") or ""
    return str(value).strip().lower()


def _charset(content_type: str) -> str | None:
    match = _CHARSET.search(content_type)
    return match.group(1) if match else None
