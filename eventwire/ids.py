"""Deterministic ids: the same input gives the same ids on every run and every engine."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def digest(*parts: str, size: int = 16) -> str:
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def normalise_text(text: str) -> str:
    """NFC, whitespace collapsed, stripped: what an article id is computed from."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str, title: str | None = None) -> str:
    """Stable id of an article from its normalised title and text (not from where it came)."""
    return "a" + digest(normalise_text(title or ""), normalise_text(text), size=10)


def event_id(article: str, start: int, end: int, type_: str, actor_codes: list[str]) -> str:
    """Hash of article id, evidence span, type and the sorted actor codes."""
    return "e" + digest(article, str(start), str(end), type_, ",".join(sorted(actor_codes)),
                         size=10)


def actor_key(kind: str, code: str | None, name: str) -> str:
    """Stable key of an actor across articles: kind, code and normalised name."""
    return "r" + digest(kind, code or "", normalise_text(name).lower(), size=8)


def group_key(country: str | None, sector: str | None, noun: str) -> str:
    """Stable key of a generic group ("police", "protesters"): (country, sector, noun), so
    police of two countries are never one actor."""
    return actor_key("group", country, f"{sector or ''}:{noun}")
