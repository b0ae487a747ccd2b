"""From what a reader found (:class:`Fields`) to a validated :class:`Article`.

Every reader ends here, so every article gets the same checks: the text is a non-empty
string that looks like language and fits ``max_article_chars``; it is repaired and its
newlines normalised; the date becomes ISO ``YYYY-MM-DD`` (or None, with a warning in
``meta``); the language is detected; the id is computed from the normalised content.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from eventwire.ids import article_id
from eventwire.ingest import lang
from eventwire.ingest.base import Limits
from eventwire.ingest.failures import ReadFailure
from eventwire.ingest.textcodec import clean_line, garbage_reason, normalise_body
from eventwire.model import Article

_MAX_TITLE_CHARS = 1000
_MAX_META_CHARS = 2000
_MIN_YEAR, _MAX_YEAR = 1800, 2200


@dataclass
class Fields:
    """Raw field values as a reader found them (any JSON-ish type; validated here)."""

    text: Any
    title: Any = None
    published: Any = None
    author: Any = None
    source: Any = None
    url: Any = None
    source_id: Any = None
    meta: dict[str, Any] = field(default_factory=dict)


def build(fields: Fields, limits: Limits, origin: str) -> Article:
    """A validated Article, or :class:`ReadFailure` (E109, E110, E111, E118)."""
    meta = dict(fields.meta)
    text = _body(fields.text, limits)
    title = _line(fields.title, "title", meta, _MAX_TITLE_CHARS)
    published = _published(fields.published, meta)
    source_id = _line(fields.source_id, "source_id", meta)
    if source_id:
        meta["source_id"] = source_id
    return Article(
        id=article_id(text, title), text=text, title=title, published=published,
        author=_line(fields.author, "author", meta), source=_line(fields.source, "source", meta),
        url=_line(fields.url, "url", meta), lang=lang.detect(text, title), origin=origin, meta=meta)


def _body(value: Any, limits: Limits) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(value)
    if value is None:
        raise ReadFailure("E110", "the text field is missing or null")
    if not isinstance(value, str):
        raise ReadFailure("E109", f"text is a {type(value).__name__}, not a string")
    if len(value) > 2 * limits.max_article_chars:
        raise ReadFailure("E111", f"{len(value):,} characters > {limits.max_article_chars:,}")
    reason = garbage_reason(value)
    if reason:
        raise ReadFailure("E118", reason)
    text = normalise_body(value)
    if not text:
        raise ReadFailure("E110", "the text is empty or only whitespace")
    if len(text) > limits.max_article_chars:
        raise ReadFailure("E111", f"{len(text):,} characters > {limits.max_article_chars:,}")
    return text


def _line(value: Any, name: str, meta: dict[str, Any],
          limit: int = _MAX_META_CHARS) -> str | None:
    """A one-line text field; lists of names are joined, dicts give their ``name``."""
    if isinstance(value, Mapping):
        value = value.get("name")
    if isinstance(value, list | tuple):
        parts = [_line(v, name, meta, limit) for v in value]
        value = "; ".join(p for p in parts if p)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        _warn(meta, f"{name}: ignored a {type(value).__name__}")
        return None
    text = clean_line(value[: limit * 2])
    if len(text) > limit:
        _warn(meta, f"{name}: cut to {limit} characters")
        text = text[:limit].rstrip()
    return text or None


def _warn(meta: dict[str, Any], message: str) -> None:
    meta.setdefault("warnings", []).append(message)


def _published(value: Any, meta: dict[str, Any]) -> str | None:
    if value is None or value == "":
        return None
    found = iso_date(value)
    if found is None:
        _warn(meta, f"published: could not read {str(value)[:80]!r} as a date")
    return found


_ISO = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_COMPACT = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:$|[T\s])")


def iso_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` from an ISO date/datetime, a compact date, an RFC 2822 date, a
    written date ("5 March 2024"), epoch seconds/milliseconds or a ``struct_time``;
    None when it is not a complete, plausible calendar date."""
    if isinstance(value, time.struct_time):
        return _checked(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, dt.datetime | dt.date):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    if not isinstance(value, str) or len(value) > 100:
        return None
    match = _ISO.match(value) or _COMPACT.match(value)
    if match:
        return _checked(*(int(g) for g in match.groups()))
    return _from_rfc2822(value) or _from_words(value)


def _checked(year: int, month: int, day: int) -> str | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_epoch(seconds: float) -> str | None:
    if seconds > 1e11:
        seconds /= 1000.0
    try:
        day = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return _checked(day.year, day.month, day.day)


def _from_rfc2822(value: str) -> str | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return _checked(parsed.year, parsed.month, parsed.day)


def _from_words(value: str) -> str | None:
    """A written date, accepted only when year, month and day are all in it: parsing with
    two different defaults must give the same day."""
    from dateutil import parser

    try:
        first = parser.parse(value, default=dt.datetime(2000, 1, 1))
        second = parser.parse(value, default=dt.datetime(2001, 2, 2))
    except (ValueError, OverflowError, TypeError, parser.ParserError):
        return None
    if first.date() != second.date():
        return None
    return _checked(first.year, first.month, first.day)


#: Names tried, in order, for each article field when ``field_map`` does not name one.
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "story"),
    "title": ("title", "headline", "heading"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate", "datetime"),
    "author": ("author", "authors", "byline", "creator"),
    "source": ("source", "publisher", "outlet", "site", "sitename"),
    "url": ("url", "link", "href"),
    "source_id": ("id", "guid", "doc_id", "uid"),
}


def lookup(record: Mapping[str, Any], name: str) -> Any:
    """``record[name]``, following dots into nested objects (``"meta.date"``)."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def fields_from(record: Mapping[str, Any], field_map: Mapping[str, str]) -> Fields:
    """Fields of a JSON object or CSV row: ``field_map`` names first, then :data:`ALIASES`."""
    found: dict[str, Any] = {}
    for name, aliases in ALIASES.items():
        if name in field_map:
            found[name] = lookup(record, field_map[name])
            continue
        found[name] = next((record[a] for a in aliases if a in record), None)
    return Fields(**found)
