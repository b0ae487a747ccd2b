"""The plain data model shared by every stage, the store, the CLI and the API.

Only dataclasses live here: no parsing, no I/O. Offsets are character offsets into
``Article.text`` (Python string indices, end exclusive), so ``article.text[s.start:s.end]``
always equals ``s.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """A slice of an article's text."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Sentence:
    """One sentence; ``candidate`` is true when the cheap pass kept it for parsing."""

    index: int
    span: Span
    paragraph: int = 0
    candidate: bool = True


@dataclass(slots=True)
class Entity:
    """A named-entity mention as the NER model (or a dictionary) found it."""

    span: Span
    label: str
    source: str = "ner"


@dataclass(slots=True)
class Actor:
    """Who acts or is acted upon.

    ``code`` is the PLOVER entity code: an ISO 3166 alpha-3 country or an
    international organisation's short code (``kind == "igo"``). ``country`` is the
    country the actor belongs to or acts in (ISO3), which equals ``code`` for states.
    ``key`` identifies the actor across the article (all mentions share it) and across
    the store. ``unknown`` marks an agent the text does not name ("a bomb exploded",
    "were detained"): ``code`` and ``country`` are then None and it is never invented.
    """

    name: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str = "country"
    office: str | None = None
    key: str = ""
    span: Span | None = None
    wikidata: str | None = None
    unknown: bool = False


@dataclass(slots=True)
class TimeExpression:
    """A time expression normalised TIMEX3-style (``value`` like 2021-08-11, 2021-W32, P3D)."""

    span: Span
    type: str
    value: str | None
    anchored: bool = False
    refused: str | None = None  # reason code when the normaliser refused the value


@dataclass(slots=True)
class EventDate:
    """When an event happened: period start (``value``), its precision and how we know."""

    value: str | None = None
    precision: str | None = None
    basis: str | None = None
    timex: str | None = None
    span: Span | None = None
    refused: str | None = None  # reason code when a date was found and refused


@dataclass(slots=True)
class Place:
    """A toponym resolved against the gazetteer."""

    name: str
    span: Span | None = None
    geonames_id: int | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    admin1: str | None = None
    precision: str | None = None
    is_event_location: bool = False


@dataclass(slots=True)
class Quote:
    """Reported speech: who said it (speaker), the cue verb and what was said (content)."""

    content: Span
    speaker: Actor | None = None
    speaker_span: Span | None = None
    cue: Span | None = None
    direct: bool = True


@dataclass(slots=True)
class Evidence:
    """Where an event comes from: one sentence of one article, quoted verbatim."""

    article_id: str
    sentence: int
    span: Span
    quote: str
    trigger: Span | None = None


@dataclass(slots=True)
class Event:
    """One coded event (a report of it; clusters group reports of the same event)."""

    id: str
    type: str
    evidence: Evidence
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    recipients: list[Actor] = field(default_factory=list)
    date: EventDate = field(default_factory=EventDate)
    place: Place | None = None
    modality: str = "asserted"
    claimed_by: Actor | None = None
    confidence: float = 0.0
    intensity: float | None = None
    quad: int | None = None
    cameo: str | None = None
    cluster_id: str | None = None


@dataclass(slots=True)
class Article:
    """One news article and everything the stages found in it."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    origin: str | None = None
    dateline: Place | None = None
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def span_of(text: str, start: int, end: int) -> Span:
    """Builds a Span whose ``text`` is exactly ``text[start:end]``."""
    return Span(start, end, text[start:end])


@dataclass(slots=True)
class Failure:
    """A record or article that could not be read or coded; stored in the ``failures`` table.

    ``record`` locates it inside ``path`` (a line number, a WARC offset, a feed entry).
    """

    path: str
    code: str
    reason: str
    hint: str = ""
    record: str | None = None
    stage: str = "read"


def plain(value: Any) -> Any:
    """The model as plain dicts, lists and values: what ``dataclasses.asdict`` gives, without
    its deep copy of every leaf (several times faster on a coded article)."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    names = _field_names(kind)  # type: ignore[arg-type]  # a class is hashable
    if names is not None:
        out = {}
        for name in names:
            v = getattr(value, name)
            out[name] = v if type(v) in _LEAVES else plain(v)
        return out
    if isinstance(value, list):
        return [v if type(v) in _LEAVES else plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: v if type(v) in _LEAVES else plain(v) for k, v in value.items()}
    return value


_LEAVES = frozenset({str, int, float, bool, type(None)})  # returned as they are


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
