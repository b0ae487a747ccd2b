"""Request and response bodies of the HTTP API (they make the OpenAPI spec)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PUBLISHED_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?([T ][0-9:.+\-Z]*)?$"
Scalar = str | int | float | bool | None


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


# --- errors ------------------------------------------------------------------------------


class ErrorDetail(Model):
    code: str = Field(description="Searchable error code, e.g. E401")
    message: str = Field(description="What went wrong")
    hint: str = Field("", description="What to do about it")
    details: list[dict[str, Scalar | list[Scalar]]] | None = Field(
        None, description="Per-field problems of an invalid request")


class ErrorBody(Model):
    error: ErrorDetail


# --- events ------------------------------------------------------------------------------


class Participant(Model):
    key: str
    name: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str
    office: str | None = None
    mention_text: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    unknown: bool = False  # an agent the text does not name: shown "unknown (not named)"


class EvidenceOut(Model):
    event_id: str
    article_id: str
    sentence: int
    start: int
    end: int
    quote: str = Field(description="The sentence the event was coded from, verbatim")
    trigger_start: int | None = None
    trigger_end: int | None = None


class ArticleMeta(Model):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None


class EventOut(Model):
    """One machine-coded event (or the representative of a cluster of reports)."""

    id: str
    article_id: str
    type: str
    mode: str | None = None
    modality: str
    context: list[str] = []
    date_value: str | None = None
    date_precision: str | None = None
    date_basis: str | None = None
    date_timex: str | None = None
    place_name: str | None = None
    place_geonames_id: int | None = None
    place_country: str | None = None
    place_admin1: str | None = None
    place_lat: float | None = None
    place_lon: float | None = None
    place_precision: str | None = None
    place_feature_class: str | None = None
    place_feature_code: str | None = None
    claimed_by: str | None = None
    claimed_by_text: str | None = None
    confidence: float
    intensity: float | None = None
    quad: int | None = None
    cameo: str | None = None
    cluster_id: str | None = None
    pipeline_version: str
    actors: list[Participant] = []
    recipients: list[Participant] = []
    evidence: EvidenceOut | None = None
    article: ArticleMeta | None = None
    reports: int = Field(1, description="How many reports (articles) this event has")


class EventsPage(Model):
    events: list[EventOut]
    next_cursor: str | None = Field(None, description="Pass as cursor= for the next page")
    total: int | None = Field(None, description="All matching events (when total=true)")
    hidden: int = Field(0, description="Future, hypothetical or negated events the default "
                        "modality=happened leaves out (modality=all shows them)")
    notes: list[str] = Field(default_factory=list, description="How parameters were read "
                             "(a confidence given as a percentage)")
    coverage: dict[str, Any] | None = Field(None, description="The store's publication "
                                            "coverage, given when no event matches")
    note: str = "Machine-coded events: check each against its evidence quote."


class ReportRef(Model):
    id: str
    article_id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None


class EventDetail(EventOut):
    other_reports: list[ReportRef] = []


# --- articles ----------------------------------------------------------------------------


class Highlight(Model):
    kind: Literal["event", "actor", "place", "date"]
    start: int
    end: int
    text: str
    event_id: str | None = None
    fields: dict[str, Scalar] = {}


class ArticleOut(Model):
    id: str
    title: str | None = None
    text: str
    published: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    origin: str | None = None
    pipeline_version: str
    ingested_at: str
    events: list[EventOut]
    spans: list[Highlight] = Field(description="Evidence, actors, places and dates, with "
                                   "character offsets into text")


class ArticleIn(Model):
    """An article to code and store."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=10_000_000)
    title: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, pattern=PUBLISHED_PATTERN, max_length=40,
                                  description="YYYY-MM-DD (a time part is ignored)")
    source: str | None = Field(None, max_length=500)
    url: str | None = Field(None, max_length=4000)


class IngestedArticle(Model):
    id: str
    status: Literal["stored", "duplicate", "failed"]
    events: int = 0
    reason: str | None = None


class IngestResult(Model):
    articles: list[IngestedArticle]
    stored: int
    duplicates: int
    failed: int
    events: int


class Deleted(Model):
    deleted: str


# --- actors ------------------------------------------------------------------------------


class ActorOut(Model):
    key: str
    name: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str
    office: str | None = None
    wikidata: str | None = None


class ActorRow(ActorOut):
    events: int
    as_actor: int
    as_recipient: int


class ActorsPage(Model):
    actors: list[ActorRow]
    next_offset: int | None = None


class Tone(Model):
    events: int
    cooperation: int = Field(description="Events of PLOVER quad 1-2 (cooperation)")
    conflict: int = Field(description="Events of PLOVER quad 3-4 (conflict)")
    mean_intensity: float | None = Field(None, description="Mean PLOVER intensity, -10..10")


class TypeCount(Model):
    type: str
    count: int


class Side(Tone):
    by_type: list[TypeCount]
    recent: list[EventOut]


class Office(Model):
    office: str
    code: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    events: int


class Counterpart(Tone):
    key: str
    name: str
    code: str | None = None
    kind: str | None = None
    sector: str | None = None
    direction: Literal["to", "from"] = Field(description="to: this actor acted on them")


class PeriodTone(Tone):
    period: str


class Dossier(Model):
    actor: ActorOut
    offices: list[Office]
    as_actor: Side
    as_recipient: Side
    counterparts: list[Counterpart]
    activity: list[PeriodTone]


# --- aggregates --------------------------------------------------------------------------


class DyadPeriod(PeriodTone):
    a_to_b: int
    b_to_a: int
    together: int = 0


class Dyad(Model):
    a: str
    b: str
    interval: str
    totals: Tone
    together: int = Field(0, description="Events with A and B both among the actors")
    hidden: int = Field(0, description="Future, hypothetical or negated events left out")
    series: list[DyadPeriod]
    events: list[EventOut]


class PeriodCount(Model):
    period: str
    type: str
    count: int


class CountryCount(Model):
    country: str
    count: int


class Stats(Model):
    total: int
    interval: str
    first_date: str | None = None
    last_date: str | None = None
    by_type: list[TypeCount]
    by_period: list[PeriodCount]
    by_country: list[CountryCount]
    hidden: int = Field(0, description="Future, hypothetical or negated events left out")


class Node(Model):
    key: str
    name: str
    code: str | None = None
    kind: str | None = None
    sector: str | None = None
    events: int


class Edge(Tone):
    source: str
    target: str


class Network(Model):
    nodes: list[Node]
    edges: list[Edge]


class PlaceOut(Tone):
    name: str | None = None
    country: str | None = None
    lat: float
    lon: float
    precision: str | None = None
    first_date: str | None = None
    last_date: str | None = None


class Places(Model):
    places: list[PlaceOut]
    events_without_place: int


class EventTypeInfo(Model):
    name: str
    quad: int
    score: float
    about: str = ""


class Meta(Model):
    version: str
    pipeline_version: str
    ontology_version: str
    types: list[EventTypeInfo]
    counts: dict[str, int]
    first_date: str | None = Field(None, description="Earliest event date in the store")
    last_date: str | None = Field(None, description="Latest event date in the store")
    first_published: str | None = Field(None, description="Earliest publication date")
    last_published: str | None = Field(None, description="Latest publication date")
    events_by_pipeline: dict[str, int] = Field(default_factory=dict, description="Stored "
                                               "events per PIPELINE_VERSION that coded them")
    writes_enabled: bool
    reads_need_token: bool
    note: str
