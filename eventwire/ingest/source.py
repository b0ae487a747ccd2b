"""Opening inputs as bounded byte streams: files, folders, stdin, feed URLs, gzip.

Every stream counts what it reads: raw bytes against ``max_file_bytes`` and, for gzip,
decompressed bytes against ``max_decompressed_bytes`` (a bomb is stopped at the limit, never
expanded in memory). UTF-16/32 inputs are transcoded to UTF-8 so that every reader sees
ASCII-compatible bytes. Errors surface as :class:`ReadFailure`.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import sys
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from eventwire.ingest.base import Limits
from eventwire.ingest.failures import ReadFailure

HEAD_BYTES = 65536
CHUNK = 1 << 16
URL_TIMEOUT_S = 30
_GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile, OSError)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes | None: ...


def is_url(path: str) -> bool:
    return path.startswith(("http://", "https://"))


def expand(path: str) -> Iterator[str]:
    """The files behind ``path``: itself, or a folder's files recursively in sorted order.

    In folders, only files with an input extension (:data:`INPUT_SUFFIXES`, also with
    ``.gz``) or with no extension are taken, so scripts and notes next to the data are
    left alone; hidden entries (names starting with ".") are passed over; symlinked
    folders are not followed, so a link loop cannot hang a run. A file named explicitly is
    always read.
    """
    if path == "-" or is_url(path) or not os.path.isdir(path):
        yield path
        return
    for entry in sorted(os.scandir(path), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from expand(entry.path)
        elif entry.is_file() and _is_input_name(entry.name):
            yield entry.path


#: File name endings read when walking a folder (each also with ``.gz``).
INPUT_SUFFIXES = (".txt", ".text", ".md", ".jsonl", ".ndjson", ".json", ".html", ".htm",
                  ".xhtml", ".shtml", ".xml", ".rss", ".atom", ".rdf", ".warc", ".csv", ".tsv")


def _is_input_name(name: str) -> bool:
    lower = name.lower().removesuffix(".gz")
    return "." not in lower or lower.endswith(INPUT_SUFFIXES)


class _Counted(io.RawIOBase):
    """A raw stream over ``read`` that fails with ``code`` past ``limit`` bytes and turns
    the decoder's own exceptions into ``error_code``."""

    def __init__(self, read: Callable[[int], bytes], limit: int, code: str,
                 error_code: str, errors: tuple[type[BaseException], ...] = (OSError,)) -> None:
        self._read = read
        self._limit = limit
        self._code = code
        self._error_code = error_code
        self._errors = errors
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._read(len(buffer))
        except ReadFailure:
            raise
        except self._errors as exc:
            raise ReadFailure(self._error_code, str(exc) or type(exc).__name__) from exc
        self.count += len(data)
        if self.count > self._limit:
            raise ReadFailure(self._code, f"more than {self._limit:,} bytes")
        buffer[: len(data)] = data
        return len(data)


class _Chained(io.RawIOBase):
    """``head`` bytes already read, then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: Readable) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer)) or b""
        buffer[: len(data)] = data
        return len(data)


class _Transcoded(io.RawIOBase):
    """UTF-16/32 bytes in, UTF-8 bytes out (incremental, constant memory)."""

    def __init__(self, stream: Readable, encoding: str) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)("strict")
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending and not self._done:
            chunk = self._stream.read(CHUNK) or b""
            self._done = not chunk
            try:
                text = self._decoder.decode(chunk, final=self._done)
            except UnicodeDecodeError as exc:
                raise ReadFailure("E106", f"invalid {self._decoder} data: {exc.reason}") from exc
            self._pending = text.encode("utf-8", "surrogatepass")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


@dataclass
class Source:
    """An opened input: ``head`` is the first bytes of ``stream`` (which still has them)."""

    path: str
    name: str
    head: bytes
    stream: io.BufferedReader
    compressed: bool
    url: str | None = None


def _read_head(stream: IO[bytes], size: int = HEAD_BYTES) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _open_raw(path: str, limits: Limits, stack: ExitStack) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    if is_url(path):
        return _open_url(path, limits, stack)
    try:
        size = os.stat(path).st_size
        if size > limits.max_file_bytes:
            raise ReadFailure("E101", f"{size:,} bytes > {limits.max_file_bytes:,}")
        return stack.enter_context(open(path, "rb"))
    except OSError as exc:
        raise ReadFailure("E100", exc.strerror or str(exc)) from exc


def _open_url(url: str, limits: Limits, stack: ExitStack) -> IO[bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": "eventwire (feed reader)"})
    try:
        response = urllib.request.urlopen(request, timeout=URL_TIMEOUT_S)  # noqa: S310
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ReadFailure("E120", f"fetching {url} failed: {exc}") from exc
    return stack.enter_context(response)  # type: ignore[no-any-return]


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 by byte-order mark, or UTF-16 without one by its NUL pattern."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    sample = head[:4096]
    if len(sample) < 16 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def open_source(path: str, limits: Limits, stack: ExitStack) -> Source:
    """Opens ``path`` as a bounded, decompressed, UTF-8-compatible stream with its head."""
    raw = _open_raw(path, limits, stack)
    stream: IO[bytes] = io.BufferedReader(
        _Counted(raw.read, limits.max_file_bytes, "E101", "E100"), CHUNK)
    head = _read_head(stream)
    if not head:
        raise ReadFailure("E102")
    compressed = head.startswith(b"\x1f\x8b")
    if compressed:
        unzipped = gzip.GzipFile(fileobj=io.BufferedReader(_Chained(head, stream), CHUNK))
        stream = io.BufferedReader(_Counted(unzipped.read, limits.max_decompressed_bytes,
                                            "E105", "E104", _GZIP_ERRORS), CHUNK)
        head = _read_head(stream)
        if not head:
            raise ReadFailure("E102", "the compressed file holds no data")
    encoding = wide_encoding(head)
    if encoding:
        stream = io.BufferedReader(_Transcoded(_Chained(head, stream), encoding), CHUNK)
        head = _read_head(stream)
    name = Path(path).name if path != "-" else ""
    if compressed and name.lower().endswith(".gz"):
        name = name[:-3]
    return Source(path=path, name=name, head=head,
                  stream=io.BufferedReader(_Chained(head, stream), CHUNK),
                  compressed=compressed, url=path if is_url(path) else None)


def read_all(src: Source, limit: int) -> bytes:
    """The whole rest of a single-record input, refused past ``limit`` bytes."""
    data = src.stream.read(limit + 1)
    if len(data) > limit:
        raise ReadFailure("E107", f"more than {limit:,} bytes in one document")
    return data


_BLANK_RUN = re.compile(rb"(?:[ \t\r]*\n)+")


def read_lines(stream: IO[bytes], limit: int,
               blank: bytes | None = None) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` for the lines of ``stream`` (newline kept); the line is
    ``None`` when over ``limit`` bytes (its bytes are dropped as they are read, so memory
    stays constant).

    Runs of blank lines are counted but stand for one ``blank`` line (``None``: not yielded
    at all), so a file of millions of empty lines is read at C speed.
    """
    number = 0
    parts: list[bytes] = []
    size = 0
    oversized = False
    while chunk := stream.read(CHUNK):
        pos = 0
        while pos < len(chunk):
            if not parts and not oversized:
                run = _BLANK_RUN.match(chunk, pos)
                if run:
                    number += run.group().count(b"\n")
                    pos = run.end()
                    if blank is not None:
                        yield number, blank
                    continue
            end = chunk.find(b"\n", pos)
            piece = chunk[pos:] if end < 0 else chunk[pos: end + 1]
            pos = len(chunk) if end < 0 else end + 1
            size += len(piece)
            oversized = oversized or size > limit
            parts = [] if oversized else [*parts, piece]
            if end >= 0:
                number += 1
                yield number, None if oversized else b"".join(parts)
                parts, size, oversized = [], 0, False
    if parts or oversized:
        yield number + 1, None if oversized else b"".join(parts)
