"""eventwire: news articles in, PLOVER political event data out, with evidence for every event.

The public API: :func:`extract` codes one text; :class:`Pipeline` codes many; the model
types are the plain dataclasses of :mod:`eventwire.model`.
"""

from __future__ import annotations

from eventwire.model import (
    Actor,
    Article,
    Entity,
    Event,
    EventDate,
    Evidence,
    Place,
    Quote,
    Sentence,
    Span,
    TimeExpression,
)

__version__ = "0.1.0"

__all__ = [
    "Actor", "Article", "Entity", "Event", "EventDate", "Evidence", "Place", "Quote",
    "Sentence", "Span", "TimeExpression", "__version__", "extract",
]


def extract(text: str, published: str | None = None, source: str | None = None) -> Article:
    """Codes one article's text and returns it with entities, times, places, quotes, events."""
    from eventwire.pipeline import extract_text

    return extract_text(text, published=published, source=source)
