"""Highlighting an article's text for the terminal (``eventwire show``): events' evidence,
actors, places and dates, from the annotations stored with the article."""

from __future__ import annotations

from typing import Any

from rich.text import Text

STYLES = {"event": "underline", "actor": "bold cyan", "place": "green", "date": "magenta"}


def spans(data: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, kind) of everything worth highlighting in a stored article."""
    notes = data.get("annotations") or {}
    found: list[tuple[int, int, str]] = []
    for e in data.get("events", []):
        ev = e.get("evidence") or {}
        if ev:
            found.append((ev["start"], ev["end"], "event"))
    for kind, key, field in (("actor", "actors", "span"), ("place", "places", "span"),
                             ("date", "times", "span")):
        for item in notes.get(key, []):
            span = item.get(field)
            if span:
                found.append((span["start"], span["end"], kind))
    return found


def highlighted_text(data: dict[str, Any]) -> Text:
    text = Text(data["text"])
    for start, end, kind in spans(data):
        text.stylize(STYLES[kind], start, end)
    return text
