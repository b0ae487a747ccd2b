"""What every reader shares: the read options, the limits and the per-file context."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventwire.ingest.failures import ReadFailure, failure
from eventwire.model import Article, Failure

if TYPE_CHECKING:
    from eventwire.ingest.source import Source

#: Formats a reader exists for (the values of ``ReadOptions.format`` / ``--format``).
FORMATS = ("reference", "txt", "jsonl", "json", "html", "feed", "warc", "csv")

_DEFAULT_LIMITS = {
    "max_file_bytes": 2_000_000_000,
    "max_decompressed_bytes": 500_000_000,
    "max_article_chars": 1_000_000,
    "max_html_depth": 400,
    "max_line_bytes": 20_000_000,
}


@dataclass
class ReadOptions:
    """How to read inputs.

    ``limits`` is ``cfg["limits"]``; missing keys take the shipped defaults.
    ``field_map`` maps an article field to the input's name for it, for JSON and CSV
    (``{"text": "body", "published": "date"}``); dotted names reach into nested objects.
    ``skip`` maps a path (as :func:`read` yields it) to the number of its records already
    done: records numbered up to that are passed over without building articles.
    """

    limits: dict[str, Any] = field(default_factory=dict)
    field_map: dict[str, str] = field(default_factory=dict)
    text_column: str = "text"
    format: str | None = None
    skip: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Limits:
    """Typed view of ``cfg["limits"]``.

    ``max_line_bytes`` bounds the raw bytes of any one record: a JSONL line, a CSV row,
    a JSON array element, a WARC payload, and a whole single-article file (txt, HTML, feed).
    """

    max_file_bytes: int
    max_decompressed_bytes: int
    max_article_chars: int
    max_html_depth: int
    max_line_bytes: int

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Limits:
        merged = {**_DEFAULT_LIMITS, **{k: v for k, v in values.items() if k in _DEFAULT_LIMITS}}
        return cls(**{k: int(v) for k, v in merged.items()})


Item = Article | Failure
Records = Iterator[tuple[int, Item]]


@dataclass(frozen=True, slots=True)
class Context:
    """One file being read: its display path, the options, and how many records to skip."""

    path: str
    opts: ReadOptions
    limits: Limits
    skip: int = 0

    def origin(self, record: int | None = None) -> str:
        return self.path if record is None else f"{self.path}:{record}"

    def fail(self, exc: ReadFailure, record: int, where: str | None) -> tuple[int, Item]:
        return record, exc.failure(self.path, where)

    def attempt(self, make: Callable[[], Article], where: str | None) -> Item:
        """``make()``, or the Failure it raised: its own code, or E199 for a bug, so one
        bad record never ends the file."""
        try:
            return make()
        except ReadFailure as exc:
            return exc.failure(self.path, where)
        except Exception as exc:  # noqa: BLE001 - reported as E199 with the record
            return failure(self.path, "E199", f"{type(exc).__name__}: {exc}"[:300], where)


#: A reader: the records of one opened input.
Reader = Callable[["Source", Context], Records]
