"""Which reader an input needs: strong content signs first, the file extension after.

Content wins where the extension lies: a ``.txt`` that starts with ``WARC/1.0`` is a WARC,
a ``.json`` that holds one object per line is JSON Lines, a ``.html`` with no markup at all
is plain text. CSV has no reliable content sign, so it is chosen by extension only.
"""

from __future__ import annotations

import json
import re

from eventwire.ingest.base import FORMATS
from eventwire.ingest.failures import ReadFailure

_EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed",
    ".warc": "warc", ".csv": "csv", ".tsv": "csv",
}
_REFERENCE = re.compile(rb"\s*date\s+\d{4}-\d{2}-\d{2}(?:[ \t][^\n]*)?(?:\r?\n|$)")
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(!doctype\s+html|html|head|body|article|div|p|meta|title)[\s>/]",
                        re.IGNORECASE)


def extension_format(name: str) -> str | None:
    lower = name.lower()
    for ext, fmt in _EXTENSIONS.items():
        if lower.endswith(ext):
            return fmt
    return None


def sniff(head: bytes, name: str, forced: str | None = None) -> str:
    """The format name (one of :data:`FORMATS`) for an input starting with ``head``."""
    if forced:
        if forced not in FORMATS:
            raise ReadFailure("E119", f"{forced!r}")
        return forced
    by_ext = extension_format(name)
    by_content = content_format(head, by_ext)
    return by_content or by_ext or "txt"


def content_format(head: bytes, by_ext: str | None) -> str | None:
    """A format from unmistakable content signs, or None."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"WARC/"):
        return "warc"
    if _REFERENCE.match(text):
        return "reference"
    if text.startswith(b"<"):
        return _markup_format(text[:8192], by_ext)
    if text.startswith(b"{"):
        return _object_format(text, by_ext)
    if text.startswith(b"[") and (by_ext in ("json", "jsonl") or re.match(rb"\[\s*\{", text)):
        return "json"
    if by_ext in ("html", "feed") and text:
        return "txt"
    return None


def _markup_format(text: bytes, by_ext: str | None) -> str | None:
    feed = _FEED_ROOT.search(text)
    page = _HTML_ROOT.search(text)
    if feed and (page is None or feed.start() < page.start()):
        return "feed"
    if page:
        return "html"
    if by_ext in ("feed", "html"):
        return by_ext
    return "feed" if text.startswith(b"<?xml") else None


def _object_format(text: bytes, by_ext: str | None) -> str:
    if by_ext == "jsonl":
        return "jsonl"
    first, _, rest = text.partition(b"\n")
    try:
        complete = isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        complete = False
    if complete and (rest.lstrip().startswith(b"{") or by_ext != "json"):
        return "jsonl"
    return "json"

