"""Read endpoints: events, articles, actors, dyads, stats, network, places, meta.

Thin: each validates its parameters, asks :mod:`eventwire.query` or
:mod:`eventwire.query_views`, and returns the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import Connection

from eventwire import query, query_views
from eventwire.api import models
from eventwire.api.errors import ApiError, not_found
from eventwire.api.security import require_read
from eventwire.query import EventFilter

router = APIRouter(prefix="/api", dependencies=[Depends(require_read)])

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": models.ErrorBody, "description": about} for status, about in (
        (401, "A token is needed (reads closed by server.read_token)"),
        (422, "A parameter is invalid: the error lists which and why"),
    )}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **ERRORS, 404: {"model": models.ErrorBody, "description": "Not in the store"}}

Sort = Literal["date", "-date", "confidence", "-confidence", "intensity", "-intensity", "id",
               "-id"]
Interval = Literal["week", "month", "year"]
Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[str | None, Query(pattern=models.DATE_PATTERN, max_length=10,
                                  description="YYYY, YYYY-MM or YYYY-MM-DD")]
Code = Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$",
                                   description="ISO 3166 alpha-3 country code")]
Id = Annotated[str, Path(min_length=1, max_length=64)]


def connection(request: Request) -> Iterator[Connection]:
    with request.app.state.store.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]


def check_date(value: str | None, name: str) -> None:
    """Rejects dates that match the pattern but do not exist (2021-13, 2021-02-30)."""
    if not value:
        return
    parts = [int(x) for x in value.split("-")] + [1, 1]
    try:
        date(max(parts[0], 1), parts[1], parts[2])
    except ValueError as exc:
        raise ApiError(422, "E401", f"{name}={value!r} is not a real date",
                       "write dates as YYYY, YYYY-MM or YYYY-MM-DD") from exc


def check_types(request: Request, value: str | None) -> None:
    if not value:
        return
    known = request.app.state.ontology.types
    unknown = [t for t in value.split(",") if t.strip() and t.strip().upper() not in known]
    if unknown:
        raise ApiError(422, "E401", f"unknown event type {unknown[0]!r}",
                       f"use PLOVER types: {', '.join(sorted(known))}")


class Filters:
    """The event filter parameters shared by events, stats, network and places."""

    def __init__(
        self, request: Request,
        actor: Annotated[str | None, Query(max_length=200, description="Actor: code (RUS), "
                                           "name, demonym, capital, person, organisation")]
        = None,
        recipient: Annotated[str | None, Query(max_length=200, description="Recipient, as "
                                               "actor")] = None,
        with_: Annotated[str | None, Query(alias="with", max_length=200, description="With "
                                           "actor: events between the two, either "
                                           "direction or side by side")] = None,
        actor_scope: Annotated[Literal["default", "state", "all"], Query(
            description="default: state sectors and office holders; state; all")]
        = "default",
        type: Annotated[str | None, Query(max_length=200, description="PLOVER type(s), "
                                          "comma-separated")] = None,
        mode: Annotated[str | None, Query(max_length=200, description="PLOVER mode, e.g. "
                                          "visit")] = None,
        modality: Annotated[str, Query(max_length=200, description="happened (asserted, "
                                       "ongoing, historical; the default), all, or "
                                       "modalities, comma-separated")] = "happened",
        since: Day = None,
        until: Day = None,
        place: Annotated[str | None, Query(max_length=200, description="Place name or "
                                           "country code")] = None,
        country: Code = None,
        text: Annotated[str | None, Query(max_length=200, description="Words in the "
                                          "evidence")] = None,
        min_confidence: Annotated[float | None, Query(
            ge=0, le=100, description="0..1; a percentage (1 < x <= 100) is read as x/100 "
            "and said so in notes")] = None,
        raw: Annotated[bool, Query(description="Every report instead of one row per "
                                   "cluster of reports")] = False,
    ) -> None:
        check_date(since, "since")
        check_date(until, "until")
        if since and until and query.date_bound(since, False) > query.date_bound(until, True):
            raise ApiError(422, "E401", f"since={since} is after until={until}",
                           "swap the two dates")
        check_types(request, type)
        self.filter = EventFilter(
            actor=_clean(actor), recipient=_clean(recipient), partner=_clean(with_),
            actor_scope=actor_scope, type=type, mode=_clean(mode),
            modality=_clean(modality) or query.HAPPENED, since=since, until=until,
            place=_clean(place),
            country=country, text=_clean(text), min_confidence=min_confidence,
            clusters=not raw)


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


Filtered = Annotated[Filters, Depends()]


@router.get("/events", response_model=models.EventsPage, responses=ERRORS,
            summary="Search events")
def list_events(
    conn: Conn, filters: Filtered,
    sort: Annotated[Sort, Query(description="Field to sort by; - for descending")] = "-date",
    limit: Annotated[int, Query(ge=1, le=query.MAX_LIMIT)] = 100,
    cursor: Annotated[str | None, Query(max_length=500, description="next_cursor of the "
                                        "previous page")] = None,
    total: Annotated[bool, Query(description="Also count all matching events")] = False,
) -> dict[str, Any]:
    """Machine-coded events matching the filters, one per cluster of reports unless
    raw=true, each with its evidence quote and article."""
    f = filters.filter
    f.sort, f.limit, f.cursor = sort, limit, cursor
    notes = query.check(conn, f)
    page = query.events(conn, f)
    return {"events": page.events, "next_cursor": page.next_cursor,
            "total": query.count(conn, f) if total else None,
            "hidden": query.hidden(conn, f), "notes": notes,
            "coverage": None if page.events or f.cursor else query.coverage(conn)}


@router.get("/events/{event_id}", response_model=models.EventDetail, responses=NOT_FOUND,
            summary="One event with its evidence")
def get_event(conn: Conn, event_id: Id) -> dict[str, Any]:
    found = query.event(conn, event_id)
    if found is None:
        raise not_found("event", event_id, "take ids from GET /api/events")
    found["other_reports"] = query_views.cluster_reports(conn, found)
    return found


@router.get("/articles/{article_id}", response_model=models.ArticleOut, responses=NOT_FOUND,
            summary="An article with highlighted spans")
def get_article(conn: Conn, article_id: Id) -> dict[str, Any]:
    """The article's text, its events and the spans to highlight: events' evidence,
    actors, places and dates, each with the fields coded for it."""
    data = query.article(conn, article_id)
    if data is None:
        raise not_found("article", article_id, "take ids from an event's article_id")
    data["spans"] = query_views.highlights(data)
    return data


@router.get("/actors", response_model=models.ActorsPage, responses=ERRORS,
            summary="Search actors")
def list_actors(
    conn: Conn, q: Text = None,
    limit: Annotated[int, Query(ge=1, le=query.MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Actors, most active first; q matches a code (RUS) or part of a name."""
    rows = query.actors(conn, _clean(q), limit + 1, offset)
    return {"actors": rows[:limit], "next_offset": offset + limit if len(rows) > limit else None}


@router.get("/actors/{key}", response_model=models.Dossier, responses=NOT_FOUND,
            summary="An actor's dossier")
def get_actor(conn: Conn, key: Id,
              raw: Annotated[bool, Query(description="Count every report")] = False
              ) -> dict[str, Any]:
    """Offices held, events as actor and as recipient, counterparts, activity per month.
    ``key`` is an actor key from /api/actors or a state's code (RUS)."""
    found = query_views.dossier(conn, key, clusters=not raw)
    if found is None:
        raise not_found("actor", key, "take keys from GET /api/actors")
    return found


@router.get("/dyads", response_model=models.Dyad, responses=ERRORS,
            summary="Events between two actors over time")
def get_dyad(
    conn: Conn, filters: Filtered,
    a: Annotated[str, Query(min_length=1, max_length=200, description="First actor")],
    b: Annotated[str, Query(min_length=1, max_length=200, description="Second actor")],
    interval: Interval = "month",
) -> dict[str, Any]:
    """Both directions, per period: counts, cooperation (quad 1-2) and conflict (quad 3-4)
    counts and the mean PLOVER intensity, with the most recent events."""
    a_, b_ = _clean(a), _clean(b)
    if not a_ or not b_:
        raise ApiError(422, "E401", "a and b must name two actors", "e.g. a=RUS&b=TKM")
    f = filters.filter
    query.check(conn, replace(f, actor=a_, partner=b_))
    return query_views.dyad(conn, a_, b_, f, interval)


@router.get("/stats", response_model=models.Stats, responses=ERRORS,
            summary="Counts by type, period and country")
def get_stats(conn: Conn, filters: Filtered, interval: Interval = "month") -> dict[str, Any]:
    query.check(conn, filters.filter)
    return query_views.stats(conn, filters.filter, interval)


@router.get("/network", response_model=models.Network, responses=ERRORS,
            summary="Actor network")
def get_network(
    conn: Conn, filters: Filtered,
    max_edges: Annotated[int, Query(ge=1, le=1000)] = 150,
    min_events: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> dict[str, Any]:
    """Actor -> recipient edges weighted by event count, with the mean intensity."""
    query.check(conn, filters.filter)
    return query_views.network(conn, filters.filter, max_edges, min_events)


@router.get("/places", response_model=models.Places, responses=ERRORS,
            summary="Event locations for the map")
def get_places(conn: Conn, filters: Filtered,
               limit: Annotated[int, Query(ge=1, le=10_000)] = 2000) -> dict[str, Any]:
    query.check(conn, filters.filter)
    return query_views.places(conn, filters.filter, limit)


@router.get("/meta", response_model=models.Meta, responses=ERRORS,
            summary="Versions, event types and store counts")
def get_meta(request: Request) -> dict[str, Any]:
    from eventwire import __version__
    from eventwire.pipeline import PIPELINE_VERSION

    state = request.app.state
    with state.store.engine.connect() as conn:
        first, last = query_views.date_range(conn)
        coverage = query.coverage(conn)
        versions = query_views.pipeline_versions(conn)
    return {
        "first_published": coverage["first_published"],
        "last_published": coverage["last_published"], "events_by_pipeline": versions,
        "version": __version__, "pipeline_version": PIPELINE_VERSION,
        "ontology_version": state.ontology.version, "types": state.type_info,
        "counts": state.store.counts(), "first_date": first, "last_date": last,
        "writes_enabled": bool(state.tokens.write),
        "reads_need_token": bool(state.tokens.read),
        "note": "Events are machine-coded from news text; every event links to the "
                "sentence it was coded from.",
    }
