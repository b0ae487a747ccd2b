"""JSON Lines (``.jsonl``) and JSON (``.json``: one object, or an array of objects).

Both stream: a JSONL file is read line by line, a JSON array element by element (a small
scanner splits the top-level array without parsing it whole), so memory stays constant in
the number of articles. Each record is one object with the fields ``id, title, text,
published, source, url`` (other names through ``field_map``). Record numbers are line
numbers for JSONL and element numbers (from 1) for arrays.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import IO, Any

from eventwire.ingest.article import Fields, build, fields_from
from eventwire.ingest.base import Context, Item, Records
from eventwire.ingest.failures import ReadFailure
from eventwire.ingest.source import CHUNK, Source, read_all, read_lines
from eventwire.ingest.textcodec import LineDecoder

#: Keys under which API dumps keep their list of articles ({"articles": [...]}).
_LIST_KEYS = ("articles", "items", "data", "results", "documents", "docs", "entries", "records")


def records(src: Source, ctx: Context) -> Records:
    """JSON Lines: one object per line; blank lines are passed over."""
    decoder = LineDecoder()
    for number, line in read_lines(src.stream, ctx.limits.max_line_bytes):
        if number <= ctx.skip:
            continue
        where = f"line {number}"
        if line is None:
            yield ctx.fail(ReadFailure("E107", f"{where} is over the limit"), number, where)
        elif line.strip():
            yield number, _item(line, ctx, number, where, decoder)


def _item(raw: bytes, ctx: Context, number: int, where: str, decoder: LineDecoder) -> Item:
    return ctx.attempt(lambda: build(_fields(_parse(raw, decoder), ctx.opts.field_map),
                                     ctx.limits, ctx.origin(number)), where)


def _parse(raw: bytes, decoder: LineDecoder) -> Any:
    text = decoder(raw)
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ReadFailure("E108", "nested too deeply") from exc
    except ValueError as exc:
        last_line = not raw.endswith(b"\n")
        detail = f"{exc} (truncated last line?)" if last_line else str(exc)
        raise ReadFailure("E108", detail[-300:]) from exc


def _fields(value: Any, field_map: Mapping[str, str]) -> Fields:
    if not isinstance(value, dict):
        raise ReadFailure("E109", f"the record is a JSON {type(value).__name__}, not an object")
    return fields_from(value, field_map)


def records_json(src: Source, ctx: Context) -> Records:
    """A ``.json`` file: an array streamed element by element, or one object (which may
    hold the array under a key such as ``articles``); concatenated objects fall back to
    JSON Lines."""
    start = src.head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if start == b"[":
        yield from _array_records(src.stream, ctx)
        return
    try:
        raw = read_all(src, ctx.limits.max_line_bytes)
        value = _parse(raw, LineDecoder())
    except ReadFailure as exc:
        if "Extra data" in exc.detail:
            yield from records(_reopened(src, raw), ctx)
            return
        yield ctx.fail(exc, 1, None)
        return
    yield from _object_records(value, ctx)


def _reopened(src: Source, raw: bytes) -> Source:
    return Source(src.path, src.name, src.head, io.BufferedReader(io.BytesIO(raw), CHUNK),
                  src.compressed, src.url)


def _object_records(value: Any, ctx: Context) -> Records:
    listed = _listed(value)
    if listed is None:
        if ctx.skip < 1:
            yield 1, _built(value, ctx, 1, None)
        return
    for number, element in enumerate(listed, 1):
        if number > ctx.skip:
            yield number, _built(element, ctx, number, f"element {number}")


def _listed(value: Any) -> list[Any] | None:
    """The article list inside a wrapper object, if it is one (and has no text itself)."""
    if not isinstance(value, dict) or any(k in value for k in ("text", "body", "content")):
        return None
    for key in _LIST_KEYS:
        if isinstance(value.get(key), list):
            return list(value[key])
    return None


def _built(value: Any, ctx: Context, number: int, where: str | None) -> Item:
    origin = ctx.origin(number if where else None)
    return ctx.attempt(lambda: build(_fields(value, ctx.opts.field_map), ctx.limits, origin),
                       where)


def _array_records(stream: IO[bytes], ctx: Context) -> Records:
    decoder = LineDecoder()
    for number, element in enumerate(split_array(stream, ctx.limits.max_line_bytes), 1):
        if number <= ctx.skip:
            continue
        where = f"element {number}"
        if isinstance(element, ReadFailure):
            yield ctx.fail(element, number, where)
        else:
            yield number, _item(element, ctx, number, where, decoder)


_OUTSIDE = re.compile(rb'[\[\]{}",]')
_INSIDE = re.compile(rb'["\\]')


def split_array(stream: IO[bytes], limit: int) -> Iterator[bytes | ReadFailure]:
    """The raw bytes of each element of the top-level JSON array in ``stream``.

    A scanner tracks strings and nesting only (no parsing), chunk by chunk. An element over
    ``limit`` bytes gives a ReadFailure (E107) and is skipped; a missing ``]`` at the end
    gives E108 for the unfinished element. Text after the closing ``]`` is ignored.
    """
    scanner = _ArrayScanner(limit)
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        yield from scanner.feed(chunk)
        if scanner.closed:
            return
    yield from scanner.finish()


class _ArrayScanner:
    """State of :func:`split_array` between chunks."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.depth = 0          # 1 inside the top-level array
        self.in_string = False
        self.escaped = False
        self.closed = False
        self.element = bytearray()
        self.oversized = False

    def feed(self, chunk: bytes) -> Iterator[bytes | ReadFailure]:
        pos = 0
        start = 0 if self.depth else None
        while pos < len(chunk):
            if self.escaped:
                self.escaped = False
                pos += 1
                continue
            pattern = _INSIDE if self.in_string else _OUTSIDE
            match = pattern.search(chunk, pos)
            if match is None:
                break
            char = match.group()
            pos = match.end()
            if self.in_string:
                self.escaped = char == b"\\"
                self.in_string = char != b'"'
                continue
            if char == b'"':
                self.in_string = True
            elif self.depth == 0:
                if char == b"[":
                    self.depth, start = 1, pos
                else:
                    yield ReadFailure("E108", "the file does not hold a JSON array")
                    self.closed = True
                    return
            elif char in b"[{":
                self.depth += 1
            elif char in b"]}":
                self.depth -= 1
                if self.depth == 0:
                    yield from self._element_end(chunk, start, pos - 1)
                    self.closed = True
                    return
            elif char == b"," and self.depth == 1:
                yield from self._element_end(chunk, start, pos - 1)
                start = pos
        if start is not None and self.depth:
            self._grow(chunk[start:])

    def _grow(self, data: bytes) -> None:
        if self.oversized:
            return
        self.element += data
        if len(self.element) > self.limit:
            self.oversized = True
            self.element = bytearray()

    def _element_end(self, chunk: bytes, start: int | None, end: int) -> Iterator[
            bytes | ReadFailure]:
        if start is not None:
            self._grow(chunk[start:end])
        data, oversized = bytes(self.element), self.oversized
        self.element, self.oversized = bytearray(), False
        if oversized:
            yield ReadFailure("E107", f"an element of more than {self.limit:,} bytes")
        elif data.strip():
            yield data

    def finish(self) -> Iterator[ReadFailure]:
        if self.depth == 0 and not self.closed:
            yield ReadFailure("E108", "no JSON array found")
        elif self.depth:
            yield ReadFailure("E108", "the array is not closed (truncated file?)")
