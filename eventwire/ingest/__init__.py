"""Ingest: news files in, validated :class:`Article` records (or coded Failures) out.

One reader per format (``reference``, ``txt``, ``jsonl``, ``json``, ``html``, ``feed``,
``warc``, ``csv``), chosen by content and extension (:mod:`.sniff`) or forced with
``ReadOptions.format``. :func:`read` never raises for bad input: a record (or a file) that
cannot be read becomes a :class:`Failure` with an E1xx code and a hint, and reading goes on.

Record numbers locate a record in its file: the line for JSON Lines, the row for CSV, the
element of a JSON array, the entry of a feed, the record of a WARC, ``1`` for single-article
files, and ``0`` for a failure of the file as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import ExitStack

from eventwire.ingest import csvfile, feed, htmlpage, jsonl, plaintext, reference, warc
from eventwire.ingest.base import FORMATS, Context, Limits, Reader, ReadOptions, Records
from eventwire.ingest.failures import CODES, ReadFailure, failure
from eventwire.ingest.sniff import sniff
from eventwire.ingest.source import expand, is_url, open_source
from eventwire.ingest.textcodec import refuse_binary
from eventwire.model import Article, Failure

__all__ = ["CODES", "FORMATS", "ReadOptions", "read"]

READERS: dict[str, Reader] = {
    "reference": reference.records,
    "txt": plaintext.records,
    "jsonl": jsonl.records,
    "json": jsonl.records_json,
    "html": htmlpage.records,
    "feed": feed.records,
    "warc": warc.records,
    "csv": csvfile.records,
}


def read(paths: Iterable[str], opts: ReadOptions) -> Iterator[tuple[str, int, Article | Failure]]:
    """Yields ``(path, record_number, Article | Failure)`` for every record of ``paths``,
    in input order.

    A path may be a file, a folder (read recursively in sorted order, hidden entries passed
    over), ``-`` for stdin, or an http(s) URL of an RSS/Atom feed. Gzip is undone
    transparently. Records numbered up to ``opts.skip[path]`` are passed over cheaply.
    """
    limits = Limits.from_mapping(opts.limits)
    for given in paths:
        for path in expand(str(given)):
            yield from _read_file(path, opts, limits)


def _read_file(path: str, opts: ReadOptions, limits: Limits) -> Iterator[
        tuple[str, int, Article | Failure]]:
    ctx = Context(path=path, opts=opts, limits=limits, skip=opts.skip.get(path, 0))
    count = last = 0
    problem: Failure | None = None
    try:
        with ExitStack() as stack:
            for number, item in _records(path, ctx, stack):
                count, last = count + 1, number
                yield path, number, item
    except ReadFailure as exc:
        problem = exc.failure(path, f"record {last + 1}" if last else None)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the run
        problem = failure(path, "E199", f"{type(exc).__name__}: {str(exc)[:200]}")
    if problem is not None:
        yield path, last + 1 if last else 0, problem
    elif count == 0 and ctx.skip == 0:
        yield path, 0, failure(path, "E122")


def _records(path: str, ctx: Context, stack: ExitStack) -> Records:
    src = open_source(path, ctx.limits, stack)
    fmt = sniff(src.head, src.name, "feed" if is_url(path) else ctx.opts.format)
    if fmt != "warc":
        refuse_binary(src.head)
    return READERS[fmt](src, ctx)
