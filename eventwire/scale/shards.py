"""Input shards for a distributed run: pieces of files, read by the same readers as locally.

A :class:`Piece` is the records ``first < number <= last`` of one file (``last`` None: to
the end), so a big JSON Lines file is coded by many workers while each reads it with
:func:`eventwire.ingest.read` and the records keep the numbers a local run gives them. Line
counts only decide where pieces start: the last piece of a file always runs to its end, so
a wrong count never loses a record.

Object-store URIs (``s3://``, ``gs://``, ``abfs://``, ``hdfs://``, ``file://``...) are
listed and opened with ``pyarrow.fs``; a worker copies an object to a local temporary file
(streaming) and reads that, reporting the URI in failures and article origins.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from eventwire.ingest import ReadOptions, read
from eventwire.ingest.source import expand, is_url
from eventwire.model import Article, Failure

LINE_FORMATS = (".jsonl", ".ndjson", ".csv", ".tsv")


@dataclass(frozen=True)
class Piece:
    path: str
    first: int = 0
    last: int | None = None


@dataclass
class Shard:
    """What one task codes: consecutive pieces, numbered in input order."""

    index: int
    pieces: list[Piece] = field(default_factory=list)
    records: int = 0


def is_object_uri(path: str) -> bool:
    return "://" in path and not is_url(path)


def files(path: str) -> Iterator[str]:
    """The files behind a path, folder or object-store prefix, in sorted order."""
    if not is_object_uri(path):
        yield from expand(path)
        return
    from pyarrow import fs

    filesystem, root = fs.FileSystem.from_uri(path)
    info = filesystem.get_file_info(root)
    if info.type != fs.FileType.Directory:
        yield path
        return
    scheme = path.split("://", 1)[0]
    found = filesystem.get_file_info(fs.FileSelector(root, recursive=True))
    for item in sorted((i for i in found if i.type == fs.FileType.File), key=lambda i: i.path):
        if not os.path.basename(item.path).startswith("."):
            yield f"{scheme}://{item.path}" if scheme != "file" else f"file://{item.path}"


def count_lines(path: str) -> int | None:
    """Lines of a local uncompressed line-based file; None when not worth counting."""
    if is_object_uri(path) or is_url(path) or path == "-":
        return None
    if not path.lower().endswith(LINE_FORMATS):
        return None
    try:
        with open(path, "rb") as fh:
            return sum(1 for _ in fh)
    except OSError:
        return None


def plan(paths: list[str], records_per_shard: int,
         skip: dict[str, int] | None = None) -> list[Shard]:
    """Shards of about ``records_per_shard`` records each, in input order.

    ``skip`` maps a file to the records a killed run already stored (resume).
    """
    shards: list[Shard] = []
    current = Shard(0)
    for given in paths:
        for path in files(given):
            for piece, size in _pieces(path, records_per_shard, (skip or {}).get(path, 0)):
                if current.pieces and current.records + size > records_per_shard:
                    shards.append(current)
                    current = Shard(len(shards))
                current.pieces.append(piece)
                current.records += size
    if current.pieces:
        shards.append(current)
    return shards


def _pieces(path: str, size: int, start: int) -> Iterator[tuple[Piece, int]]:
    lines = count_lines(path)
    if lines is None or lines - start <= size:
        yield Piece(path, start, None), max(1, (lines or start + 1) - start)
        return
    first = start
    while first + size < lines:
        yield Piece(path, first, first + size), size
        first += size
    yield Piece(path, first, None), lines - first


def records(piece: Piece, opts: ReadOptions) -> Iterator[tuple[str, int, Article | Failure]]:
    """The records of one piece, numbered as a local run numbers them."""
    with _local(piece.path) as local:
        skip = {**opts.skip, local: piece.first}
        local_opts = ReadOptions(limits=opts.limits, field_map=opts.field_map,
                                 text_column=opts.text_column, format=opts.format, skip=skip)
        for path, number, item in read([local], local_opts):
            if piece.last is not None and number > piece.last:
                break
            if number <= piece.first and not (number == 0 and piece.first == 0):
                continue
            yield _renamed(piece.path, local, path, number, item)


def _renamed(uri: str, local: str, path: str, number: int, item: Article | Failure
             ) -> tuple[str, int, Article | Failure]:
    if uri == local:
        return path, number, item
    if isinstance(item, Failure):
        item.path = uri
    elif item.origin and item.origin.startswith(local):
        item.origin = uri + item.origin[len(local):]
    return uri, number, item


@contextmanager
def _local(path: str) -> Iterator[str]:
    """A local file path for ``path``: itself, or a temporary copy of an object."""
    if not is_object_uri(path):
        yield path
        return
    from pyarrow import fs

    filesystem, name = fs.FileSystem.from_uri(path)
    suffix = "".join(PurePosixPath(name).suffixes)  # the readers sniff by extension too
    handle, tmp = tempfile.mkstemp(prefix="eventwire-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out, filesystem.open_input_stream(name) as src:
            shutil.copyfileobj(src, out, 1 << 20)
        yield tmp
    finally:
        os.unlink(tmp)
