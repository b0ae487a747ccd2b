"""CSV and TSV (``.csv``, ``.tsv``) with a header row and a text column.

The text column is ``field_map["text"]``, else ``ReadOptions.text_column``, else a usual
name (``body``, ``content``...); other fields by name the same way. Rows are numbered from 1
after the header. Quoting is strict: a malformed row is a Failure and reading goes on with
the next line. Lines are read with a byte limit, so a file without newlines cannot fill
memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from eventwire.ingest.article import ALIASES, build, fields_from
from eventwire.ingest.base import Context, Item, Records
from eventwire.ingest.failures import ReadFailure
from eventwire.ingest.source import Source, read_lines
from eventwire.ingest.textcodec import LineDecoder

_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class _Lines:
    """Decoded lines for csv.reader; remembers a line that was over the byte limit or
    could not be decoded (the reader sees an empty line in its place)."""

    source: Iterator[tuple[int, bytes | None]]
    decoder: LineDecoder
    problem: ReadFailure | None = None

    def __iter__(self) -> Iterator[str]:
        for _, line in self.source:
            if line is None:
                self.problem = ReadFailure("E107", "a line over the limit")
                yield "\n"
                continue
            try:
                yield self.decoder(line)
            except ReadFailure as exc:
                self.problem = exc
                yield "\n"


def records(src: Source, ctx: Context) -> Records:
    _allow_long_fields(ctx.limits.max_line_bytes)
    raw = read_lines(src.stream, ctx.limits.max_line_bytes, blank=b"\n")
    lines = _Lines(raw, LineDecoder())
    delimiter = "\t" if src.name.lower().endswith(".tsv") else _delimiter(src.head)
    rows = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(rows)]
        field_map = _field_map(header, ctx)
    except (StopIteration, csv.Error) as exc:
        yield ctx.fail(ReadFailure("E117", f"no header row ({exc})"), 0, "header")
        return
    except ReadFailure as exc:
        yield ctx.fail(exc, 0, "header")
        return
    yield from _rows(rows, lines, header, field_map, ctx)


def _rows(rows: Iterator[list[str]], lines: _Lines, header: list[str],
          field_map: dict[str, str], ctx: Context) -> Records:
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield ctx.fail(ReadFailure("E117", f"bad quoting: {exc}"), number, f"row {number}")
            continue
        problem, lines.problem = lines.problem, None
        if not row and problem is None:
            continue
        number += 1
        if number > ctx.skip:
            yield number, _item(row, problem, header, field_map, ctx, number)


def _item(row: list[str], problem: ReadFailure | None, header: list[str],
          field_map: dict[str, str], ctx: Context, number: int) -> Item:
    where = f"row {number}"
    if problem is not None:
        return problem.failure(ctx.path, where)
    record = dict(zip(header, row, strict=False))
    return ctx.attempt(lambda: build(fields_from(record, field_map), ctx.limits,
                                     ctx.origin(number)), where)


def _field_map(header: list[str], ctx: Context) -> dict[str, str]:
    """``field_map`` with the text column resolved; E117 when there is none."""
    field_map = dict(ctx.opts.field_map)
    if "text" not in field_map:
        candidates = (ctx.opts.text_column, *ALIASES["text"])
        found = next((c for c in candidates if c in header), None)
        if found is None:
            columns = ", ".join(repr(h) for h in header[:20])
            raise ReadFailure("E117", f"no text column {ctx.opts.text_column!r} in {columns}")
        field_map["text"] = found
    elif field_map["text"] not in header:
        raise ReadFailure("E117", f"no column {field_map['text']!r} in the header")
    return field_map


def _delimiter(head: bytes) -> str:
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _allow_long_fields(limit: int) -> None:
    """csv refuses fields over 128 KiB by default; raise that (process-wide, only ever up)
    to the record limit, which :func:`read_lines` already enforces per line."""
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
