"""Aggregate views over the store for the API and the UI: actor dossiers, dyads over time,
counts by type/period/country, the actor network, map points and article highlights.

Built on :mod:`eventwire.query` (the same filter model and WHERE clauses); every query uses
SQLAlchemy expressions with bound parameters, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select, true
from sqlalchemy.sql import ColumnElement

from eventwire import query
from eventwire.errors import EventwireError
from eventwire.query import EventFilter
from eventwire.store import schema

E, P, A, EV = schema.events, schema.participants, schema.actors, schema.evidence

INTERVALS = ("week", "month", "year")
COOPERATION = (1, 2)
CONFLICT = (3, 4)


# --- shared pieces -----------------------------------------------------------------------


def period(conn: Connection, interval: str) -> ColumnElement[Any]:
    """The period an event falls in: '2021' (year), '2021-08' (month) or the Monday that
    starts its week ('2021-08-09')."""
    if interval == "year":
        return func.substr(E.c.date_value, 1, 4)
    if interval == "month":
        return func.substr(E.c.date_value, 1, 7)
    if interval != "week":
        raise EventwireError("E401", f"unknown interval {interval!r}",
                             f"use one of {', '.join(INTERVALS)}")
    if conn.dialect.name == "postgresql":
        day = func.to_date(E.c.date_value, "YYYY-MM-DD")
        return func.to_char(func.date_trunc("week", day), "YYYY-MM-DD")
    return func.date(E.c.date_value, "weekday 0", "-6 days")


def _dated() -> ColumnElement[bool]:
    """Events whose date is a full day (week buckets need one)."""
    return func.length(E.c.date_value) == 10


def _in_role(role: str, term: str, scope: str = "default") -> ColumnElement[bool]:
    """Events where an actor matching ``term`` (see :mod:`eventwire.actor_terms`) plays
    ``role``; written as IN over the participants index, which is far faster than a
    correlated EXISTS when nothing else narrows the events down (dossiers, dyads)."""
    keys = select(A.c.key).where(query._actor_match(term, scope))
    return E.c.id.in_(select(P.c.event_id).where(P.c.role == role, P.c.actor_key.in_(keys)))


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _where(f: EventFilter) -> ColumnElement[bool]:
    return and_(true(), *query.conditions(f))


def _num(value: Any, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _tone_columns() -> list[Any]:
    return [func.count().label("events"),
            _count_if(E.c.quad.in_(COOPERATION)).label("cooperation"),
            _count_if(E.c.quad.in_(CONFLICT)).label("conflict"),
            func.avg(E.c.intensity).label("mean_intensity")]


def _tone(row: Any) -> dict[str, Any]:
    m = row._mapping
    return {"events": int(m["events"]), "cooperation": int(m["cooperation"]),
            "conflict": int(m["conflict"]), "mean_intensity": _num(m["mean_intensity"])}


# --- stats -------------------------------------------------------------------------------


def stats(conn: Connection, f: EventFilter, interval: str = "month",
          top: int = 50) -> dict[str, Any]:
    """Counts of the events a filter selects: total, by type, by period and type, by
    country of the event's place, and the date range covered (two scans of the events)."""
    where = _where(f)
    per = period(conn, interval)
    if interval == "week":
        per = case((_dated(), per), else_=None)
    per = per.label("period")
    rows = conn.execute(
        select(per, E.c.type, func.count().label("n"), func.min(E.c.date_value).label("first"),
               func.max(E.c.date_value).label("last"))
        .where(where).group_by(per, E.c.type).order_by(per, E.c.type)).all()
    by_type: dict[str, int] = {}
    for r in rows:
        by_type[r.type] = by_type.get(r.type, 0) + int(r.n)
    firsts = [r.first for r in rows if r.first]
    lasts = [r.last for r in rows if r.last]
    by_country = conn.execute(
        select(E.c.place_country, func.count().label("n"))
        .where(where, E.c.place_country.is_not(None))
        .group_by(E.c.place_country).order_by(func.count().desc(), E.c.place_country)
        .limit(top))
    return {
        "total": sum(by_type.values()), "interval": interval, "hidden": query.hidden(conn, f),
        "first_date": min(firsts, default=None), "last_date": max(lasts, default=None),
        "by_type": [{"type": t, "count": n}
                    for t, n in sorted(by_type.items(), key=lambda x: (-x[1], x[0]))],
        "by_period": [{"period": r.period, "type": r.type, "count": int(r.n)}
                      for r in rows if r.period is not None],
        "by_country": [{"country": c, "count": int(n)} for c, n in by_country],
    }


# --- dyads -------------------------------------------------------------------------------


def dyad(conn: Connection, a: str, b: str, f: EventFilter, interval: str = "month",
         recent: int = 20) -> dict[str, Any]:
    """Events between actors ``a`` and ``b`` (codes or names), "A with B": on opposite
    sides in either direction, or both among the actors (not both only recipients); per
    period: counts, cooperation/conflict counts and the mean PLOVER intensity; plus the
    most recent events and how many the modality filter hides."""
    scope = f.actor_scope
    ab = and_(_in_role("actor", a, scope), _in_role("recipient", b, scope))
    ba = and_(_in_role("actor", b, scope), _in_role("recipient", a, scope))
    side_by_side = and_(_in_role("actor", a, scope), _in_role("actor", b, scope))
    plain = replace(f, cursor=None, actor=None, partner=None)
    base = query.conditions(plain)
    both = and_(or_(ab, ba, side_by_side), *base)
    per = period(conn, interval).label("period")
    rows = conn.execute(
        select(per, *_tone_columns(), _count_if(ab).label("a_to_b"),
               _count_if(ba).label("b_to_a"), _count_if(side_by_side).label("together"))
        .where(both, E.c.date_value.is_not(None),
               *([_dated()] if interval == "week" else []))
        .group_by(per).order_by(per))
    series = [{"period": r.period, **_tone(r), "a_to_b": int(r.a_to_b),
               "b_to_a": int(r.b_to_a), "together": int(r.together)} for r in rows]
    totals = _tone(conn.execute(select(*_tone_columns()).where(both)).one())
    together = int(conn.scalar(select(func.count()).where(side_by_side, *base)) or 0)
    hidden = query.hidden(conn, replace(f, cursor=None, actor=a, partner=b))
    latest = [dict(r._mapping) for r in conn.execute(
        select(E).where(both).order_by(func.coalesce(E.c.date_value, "").desc(), E.c.id.desc())
        .limit(recent))]
    return {"a": a, "b": b, "interval": interval, "totals": totals, "together": together,
            "hidden": hidden, "series": series, "events": query.hydrate(conn, latest)}


# --- actors ------------------------------------------------------------------------------


def find_actor(conn: Connection, key: str) -> dict[str, Any] | None:
    """An actor by its key, or else the state actor with this code (``RUS``). An unknown
    actor (an agent the text does not name) is nobody: it has no dossier."""
    row = conn.execute(select(A).where(A.c.key == key, A.c.unknown.is_(False))).first()
    if row is None and key.isalpha() and len(key) <= 8:
        row = conn.execute(select(A).where(A.c.code == key.upper())
                           .order_by((A.c.kind == "country").desc(),
                                     A.c.sector.is_(None).desc(), A.c.key)).first()
    return dict(row._mapping) if row else None


def _named() -> Any:
    """Keys of named actors: an unknown actor is never a network node or a counterpart."""
    return select(A.c.key).where(A.c.unknown.is_(False))


def _as(role: str, key: str) -> ColumnElement[bool]:
    return E.c.id.in_(select(P.c.event_id).where(P.c.actor_key == key, P.c.role == role))


def dossier(conn: Connection, key: str, clusters: bool = True,
            recent: int = 25) -> dict[str, Any] | None:
    """Who an actor is and what it did: offices held, events as actor and as recipient
    (counts by type, recent events), the counterparts it dealt with, activity per month."""
    actor = find_actor(conn, key)
    if actor is None:
        return None
    key = actor["key"]
    scope = [E.c.cluster_id == E.c.id] if clusters else []
    country = actor["code"] if actor["kind"] == "country" and actor["code"] else None

    def side(role: str) -> ColumnElement[bool]:
        """A country counts with its state sectors and office holders (the default actor
        scope of :mod:`eventwire.actor_terms`); any other actor by its key."""
        return _in_role(role, country) if country else _as(role, key)

    sides = {}
    for role in ("actor", "recipient"):
        where = and_(side(role), *scope)
        sides[role] = {
            **_tone(conn.execute(select(*_tone_columns()).where(where)).one()),
            "by_type": [{"type": t, "count": int(n)} for t, n in conn.execute(
                select(E.c.type, func.count()).where(where).group_by(E.c.type)
                .order_by(func.count().desc(), E.c.type))],
            "recent": query.hydrate(conn, [dict(r._mapping) for r in conn.execute(
                select(E).where(where)
                .order_by(func.coalesce(E.c.date_value, "").desc(), E.c.id.desc())
                .limit(recent))]),
        }
    per = period(conn, "month").label("period")
    either = and_(or_(side("actor"), side("recipient")), *scope)
    activity = [{"period": r.period, **_tone(r)} for r in conn.execute(
        select(per, *_tone_columns()).where(either, E.c.date_value.is_not(None))
        .group_by(per).order_by(per))]
    return {"actor": actor, "offices": offices(conn, actor),
            "as_actor": sides["actor"], "as_recipient": sides["recipient"],
            "counterparts": counterparts(conn, key, scope), "activity": activity}


def offices(conn: Connection, actor: dict[str, Any]) -> list[dict[str, Any]]:
    """Offices recorded for this person (under any of its keys with the same name and
    kind), with the first and last event date seen under each."""
    same = and_(func.lower(A.c.name) == actor["name"].lower(), A.c.kind == actor["kind"],
                A.c.office.is_not(None), A.c.office != "")
    rows = conn.execute(
        select(A.c.office, A.c.code, func.min(E.c.date_value).label("first"),
               func.max(E.c.date_value).label("last"), func.count(E.c.id).label("events"))
        .select_from(A.outerjoin(P, P.c.actor_key == A.c.key).outerjoin(E, E.c.id == P.c.event_id))
        .where(same).group_by(A.c.office, A.c.code).order_by(func.min(E.c.date_value)))
    return [{"office": r.office, "code": r.code, "first_date": r.first, "last_date": r.last,
             "events": int(r.events)} for r in rows]


def counterparts(conn: Connection, key: str, scope: list[ColumnElement[bool]],
                 top: int = 25) -> list[dict[str, Any]]:
    """Actors on the other side of this actor's events, most frequent first."""
    me, other = P.alias("me"), P.alias("other")
    direction = case((me.c.role == "actor", "to"), else_="from").label("direction")
    rows = conn.execute(
        select(other.c.actor_key, direction, *_tone_columns())
        .select_from(me.join(other, and_(other.c.event_id == me.c.event_id,
                                         other.c.role != me.c.role))
                     .join(E, E.c.id == me.c.event_id))
        .where(me.c.actor_key == key, other.c.actor_key != key, *scope,
               other.c.actor_key.in_(_named()))
        .group_by(other.c.actor_key, direction)
        .order_by(func.count().desc(), other.c.actor_key).limit(top))
    found = [{"key": r.actor_key, "direction": r.direction, **_tone(r)} for r in rows]
    return _with_actor_names(conn, found)


def _with_actor_names(conn: Connection, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = list({i["key"] for i in items})
    names = {r.key: r for r in conn.execute(
        select(A.c.key, A.c.name, A.c.code, A.c.kind, A.c.sector).where(A.c.key.in_(keys)))}
    for item in items:
        r = names.get(item["key"])
        item.update(name=r.name if r else item["key"], code=r.code if r else None,
                    kind=r.kind if r else None, sector=r.sector if r else None)
    return items


# --- network -----------------------------------------------------------------------------


def network(conn: Connection, f: EventFilter, max_edges: int = 150,
            min_events: int = 1) -> dict[str, Any]:
    """Actor -> recipient edges of the filtered events, weighted by count and coloured by
    mean intensity; nodes are the actors on those edges with their event counts."""
    src, dst = P.alias("src"), P.alias("dst")
    rows = conn.execute(
        select(src.c.actor_key.label("source"), dst.c.actor_key.label("target"),
               *_tone_columns())
        .select_from(E.join(src, and_(src.c.event_id == E.c.id, src.c.role == "actor"))
                     .join(dst, and_(dst.c.event_id == E.c.id, dst.c.role == "recipient")))
        .where(_where(f), src.c.actor_key != dst.c.actor_key,
               src.c.actor_key.in_(_named()), dst.c.actor_key.in_(_named()))
        .group_by(src.c.actor_key, dst.c.actor_key)
        .having(func.count() >= min_events)
        .order_by(func.count().desc(), src.c.actor_key, dst.c.actor_key).limit(max_edges))
    edges = [{"source": r.source, "target": r.target, **_tone(r)} for r in rows]
    weight: dict[str, int] = {}
    for e in edges:
        for end in (e["source"], e["target"]):
            weight[end] = weight.get(end, 0) + e["events"]
    nodes = _with_actor_names(conn, [{"key": k, "events": n} for k, n in weight.items()])
    nodes.sort(key=lambda n: (-n["events"], n["key"]))
    return {"nodes": nodes, "edges": edges}


# --- map ---------------------------------------------------------------------------------


def places(conn: Connection, f: EventFilter, top: int = 2000) -> dict[str, Any]:
    """Event locations with how many events happened there (the map clusters them)."""
    where = and_(_where(f), E.c.place_lat.is_not(None), E.c.place_lon.is_not(None))
    rows = conn.execute(
        select(E.c.place_name, E.c.place_country, E.c.place_lat, E.c.place_lon,
               E.c.place_precision, *_tone_columns(), func.min(E.c.date_value).label("first"),
               func.max(E.c.date_value).label("last"))
        .where(where)
        .group_by(E.c.place_name, E.c.place_country, E.c.place_lat, E.c.place_lon,
                  E.c.place_precision)
        .order_by(func.count().desc(), E.c.place_name).limit(top))
    found = [{"name": r.place_name, "country": r.place_country, "lat": float(r.place_lat),
              "lon": float(r.place_lon), "precision": r.place_precision, **_tone(r),
              "first_date": r.first, "last_date": r.last} for r in rows]
    unplaced = int(conn.scalar(select(func.count()).select_from(E).where(
        _where(f), or_(E.c.place_lat.is_(None), E.c.place_lon.is_(None)))) or 0)
    return {"places": found, "events_without_place": unplaced}


# --- article highlights ------------------------------------------------------------------


def cluster_reports(conn: Connection, event: dict[str, Any]) -> list[dict[str, Any]]:
    """The other reports of the same event (its cluster), with their articles."""
    rows = conn.execute(
        select(E.c.id, E.c.article_id, schema.articles.c.title, schema.articles.c.published,
               schema.articles.c.source)
        .join(schema.articles, schema.articles.c.id == E.c.article_id)
        .where(E.c.cluster_id == event["cluster_id"], E.c.id != event["id"])
        .order_by(E.c.id).limit(100))
    return [dict(r._mapping) for r in rows]


def highlights(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Spans worth marking in an article (from :func:`eventwire.query.article`): events'
    evidence, actors, places and dates, each with its kind, offsets and coded fields.
    Event spans carry their ``event_id`` (two events may share a sentence). Spans outside
    the text are left out, so offsets can always be trusted."""
    text = data["text"]
    notes = data.get("annotations") or {}
    found: dict[tuple[str, int, int, str], dict[str, Any]] = {}

    def add(kind: str, start: Any, end: Any, fields: dict[str, Any], event_id: str = "") -> None:
        if not (isinstance(start, int) and isinstance(end, int)
                and 0 <= start < end <= len(text)):
            return
        span = found.setdefault((kind, start, end, event_id), {
            "kind": kind, "start": start, "end": end, "text": text[start:end],
            "event_id": event_id or None, "fields": {}})
        span["fields"].update({k: v for k, v in fields.items() if v not in (None, "", [])})

    for e in data.get("events", []):
        ev = e.get("evidence") or {}
        add("event", ev.get("start"), ev.get("end"), _event_fields(e), e["id"])
        for role in ("actors", "recipients"):
            for p in e.get(role, []):
                add("actor", p.get("mention_start"), p.get("mention_end"), _actor_fields(p))
    for kind, key, fields in (("actor", "actors", _actor_fields),
                              ("place", "places", _place_fields),
                              ("date", "times", _time_fields)):
        for item in notes.get(key, []):
            span = item.get("span") or {}
            add(kind, span.get("start"), span.get("end"), fields(item))
    return sorted(found.values(), key=lambda s: (s["start"], -s["end"], s["kind"]))


def _time_fields(t: dict[str, Any]) -> dict[str, Any]:
    return {"type": t.get("type"), "value": t.get("value")}


def _event_fields(e: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": e.get("type"), "mode": e.get("mode"), "modality": e.get("modality"),
        "actors": ", ".join(_label(a) for a in e.get("actors", [])),
        "recipients": ", ".join(_label(a) for a in e.get("recipients", [])),
        "date": e.get("date_value"), "date_precision": e.get("date_precision"),
        "place": e.get("place_name"), "intensity": e.get("intensity"),
        "confidence": e.get("confidence"), "claimed_by": e.get("claimed_by_text"),
    }


def _label(a: dict[str, Any]) -> str:
    return f"{a.get('name')} ({a.get('code')})" if a.get("code") else str(a.get("name"))


def _actor_fields(a: dict[str, Any]) -> dict[str, Any]:
    return {k: a.get(k) for k in ("name", "code", "country", "sector", "kind", "office")}


def _place_fields(p: dict[str, Any]) -> dict[str, Any]:
    return {k: p.get(k) for k in ("name", "country", "geonames_id", "lat", "lon", "precision",
                                  "admin1")} | {"event_location": bool(p.get("is_event_location"))}


def refused_dates(conn: Connection) -> dict[str, dict[str, int]]:
    """Dates the normaliser refused, by reason code: event dates (``events.date_refused``)
    and time expressions (the ``times`` annotations of each article)."""
    import json

    on_events = {str(r): int(n) for r, n in conn.execute(
        select(E.c.date_refused, func.count()).where(E.c.date_refused.is_not(None))
        .group_by(E.c.date_refused).order_by(E.c.date_refused))}
    on_times: dict[str, int] = {}
    for (notes,) in conn.execute(select(schema.articles.c.annotations)).yield_per(500):
        for t in json.loads(notes or "{}").get("times", []):
            if t.get("refused"):
                on_times[t["refused"]] = on_times.get(t["refused"], 0) + 1
    return {"events": on_events, "times": dict(sorted(on_times.items()))}


def pipeline_versions(conn: Connection) -> dict[str, int]:
    """Stored events per PIPELINE_VERSION that coded them."""
    rows = conn.execute(select(E.c.pipeline_version, func.count())
                        .group_by(E.c.pipeline_version).order_by(E.c.pipeline_version))
    return {str(v): int(n) for v, n in rows}


def date_range(conn: Connection) -> tuple[str | None, str | None]:
    """The earliest and latest event dates in the store (two index lookups)."""
    first = conn.scalar(select(func.min(E.c.date_value)))
    last = conn.scalar(select(func.max(E.c.date_value)))
    return first, last


__all__ = ["INTERVALS", "cluster_reports", "date_range", "dossier", "dyad", "find_actor",
           "highlights", "network", "offices", "pipeline_versions", "places", "refused_dates",
           "stats"]
