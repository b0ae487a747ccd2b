"""One filter model -> SQL, used by the CLI, the API and the UI alike.

Every query is built with SQLAlchemy expressions and bound parameters; no SQL text is
concatenated from user input.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Integer, and_, exists, func, or_, select, true
from sqlalchemy.sql import ColumnElement, Select

from eventwire import actor_terms
from eventwire.errors import EventwireError
from eventwire.store import schema

E, P, A, EV, ART = (schema.events, schema.participants, schema.actors, schema.evidence,
                    schema.articles)

SORTS = {"date": E.c.date_value, "confidence": E.c.confidence, "id": E.c.id,
         "intensity": E.c.intensity}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_LIMIT = 1000
UNKNOWN_TERM = "unknown"  # --actor unknown: events whose agent the text does not name
#: The default modality filter: what happened (asserted, ongoing, historical events).
HAPPENED = "happened"
HAPPENED_MODALITIES = ("asserted", "ongoing", "historical")


@dataclass
class EventFilter:
    """What a user can ask of the events: every field optional."""

    actor: str | None = None
    recipient: str | None = None
    partner: str | None = None  # --with: on the other side of ``actor``, or beside it
    actor_scope: str = "default"
    type: str | None = None
    mode: str | None = None
    modality: str | None = HAPPENED  # "happened", "all" or modalities, comma-separated
    since: str | None = None
    until: str | None = None
    place: str | None = None
    country: str | None = None
    text: str | None = None
    min_confidence: float | None = None
    article_id: str | None = None
    cluster_id: str | None = None
    clusters: bool = True
    sort: str = "-date"
    limit: int = 100
    cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _bad(message: str, hint: str) -> EventwireError:
    return EventwireError("E401", message, hint)


def date_bound(value: str, upper: bool) -> str:
    """'2021', '2021-08' or '2021-08-11' as an inclusive bound on YYYY-MM-DD strings."""
    if not _DATE.match(value):
        raise _bad(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                   "write dates like 2021-08-11")
    if not upper:
        return value
    return value + {4: "-12-31", 7: "-31"}.get(len(value), "")


def _actor_match(term: str, scope: str = "default") -> ColumnElement[bool]:
    """Actors a filter term names (see ``actor_terms``), or ``unknown``: agents the text does
    not name."""
    if term.strip().lower() == UNKNOWN_TERM:
        return A.c.unknown.is_(True)
    return actor_terms.condition(term, scope)


def has_participant(role: str, term: str, scope: str = "default") -> ColumnElement[bool]:
    """Events where an actor that ``term`` matches plays ``role`` (actor or recipient)."""
    return exists(select(P.c.event_id).join(A, A.c.key == P.c.actor_key).where(
        P.c.event_id == E.c.id, P.c.role == role, _actor_match(term, scope)))


def between(a: str, b: str, scope: str = "default") -> ColumnElement[bool]:
    """"A with B": A and B on opposite sides in either direction, or both among the
    actors (a joint statement, a meeting); never both only recipients."""
    def side(role: str, term: str) -> ColumnElement[bool]:
        return has_participant(role, term, scope)

    return or_(and_(side("actor", a), side("recipient", b)),
               and_(side("actor", b), side("recipient", a)),
               and_(side("actor", a), side("actor", b)))


def _types(value: str) -> list[str]:
    return [t.strip().upper() for t in value.split(",") if t.strip()]


def modalities(value: str | None) -> list[str] | None:
    """The modalities a filter value selects; None for "all" (no condition)."""
    if not value or value == "all":
        return None
    if value == HAPPENED:
        return list(HAPPENED_MODALITIES)
    return [m.strip().lower() for m in value.split(",") if m.strip()]


def conditions(f: EventFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter."""
    where: list[ColumnElement[bool]] = []
    if f.actor and f.partner:
        where.append(between(f.actor, f.partner, f.actor_scope))
    elif f.actor:
        where.append(has_participant("actor", f.actor, f.actor_scope))
    if f.recipient:
        where.append(has_participant("recipient", f.recipient, f.actor_scope))
    if f.type:
        where.append(E.c.type.in_(_types(f.type)))
    if f.mode:
        where.append(E.c.mode == f.mode)
    chosen = modalities(f.modality)
    if chosen is not None:
        where.append(E.c.modality.in_(chosen))
    if f.since:
        where.append(E.c.date_value >= date_bound(f.since, upper=False))
    if f.until:
        where.append(E.c.date_value <= date_bound(f.until, upper=True))
    if f.place:
        where.append(or_(func.lower(E.c.place_name).contains(f.place.lower(), autoescape=True),
                         E.c.place_country == f.place.upper()))
    if f.country:
        where.append(E.c.place_country == f.country.upper())
    if f.text:
        where.append(exists(select(EV.c.event_id).where(
            EV.c.event_id == E.c.id,
            func.lower(EV.c.quote).contains(f.text.lower(), autoescape=True))))
    if f.min_confidence is not None:
        where.append(E.c.confidence >= f.min_confidence)
    if f.article_id:
        where.append(E.c.article_id == f.article_id)
    if f.cluster_id:
        where.append(E.c.cluster_id == f.cluster_id)
    if f.clusters and not f.cluster_id:
        where.append(E.c.cluster_id == E.c.id)
    return where


def _sort(f: EventFilter) -> tuple[Any, bool]:
    name = f.sort.lstrip("-")
    if name not in SORTS:
        raise _bad(f"cannot sort by {f.sort!r}", f"sort by one of {', '.join(sorted(SORTS))}"
                   " (prefix - for descending)")
    column: Any = func.coalesce(SORTS[name], "") if name == "date" else SORTS[name]
    return column, f.sort.startswith("-")


def encode_cursor(value: Any, event_id: str) -> str:
    raw = json.dumps([value, event_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, event_id = json.loads(raw)
        if not isinstance(event_id, str):
            raise ValueError("bad id")
        return value, event_id
    except (ValueError, TypeError) as exc:
        raise _bad("the cursor is not one this server gave out",
                   "pass the next_cursor of the previous page unchanged") from exc


def _page(f: EventFilter) -> Select[Any]:
    column, desc = _sort(f)
    stmt = select(E, column.label("sort_value")).where(and_(true(), *conditions(f)))
    if f.cursor:
        value, last = decode_cursor(f.cursor)
        if desc:
            stmt = stmt.where(or_(column < value, and_(column == value, E.c.id < last)))
        else:
            stmt = stmt.where(or_(column > value, and_(column == value, E.c.id > last)))
    order = (column.desc(), E.c.id.desc()) if desc else (column.asc(), E.c.id.asc())
    if not 1 <= f.limit <= MAX_LIMIT:
        raise _bad(f"limit {f.limit} is out of range", f"use 1..{MAX_LIMIT}")
    return stmt.order_by(*order).limit(f.limit + 1)


@dataclass
class Page:
    events: list[dict[str, Any]]
    next_cursor: str | None


def events(conn: Connection, f: EventFilter) -> Page:
    """One page of events (cluster representatives by default) with participants,
    evidence and their article's metadata."""
    found = [dict(r._mapping) for r in conn.execute(_page(f))]
    more = len(found) > f.limit
    found = found[:f.limit]
    cursor = encode_cursor(found[-1]["sort_value"], found[-1]["id"]) if more and found else None
    return Page(hydrate(conn, found), cursor)


def count(conn: Connection, f: EventFilter) -> int:
    return int(conn.scalar(select(func.count()).select_from(E).where(and_(true(), *conditions(f))))
               or 0)


def hydrate(conn: Connection, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Adds actors, recipients, evidence, article metadata and report counts to event rows."""
    if not found:
        return []
    ids = [r["id"] for r in found]
    people: dict[str, dict[str, list[dict[str, Any]]]] = {i: {"actor": [], "recipient": []}
                                                          for i in ids}
    for row in conn.execute(select(P, A).join(A, A.c.key == P.c.actor_key)
                            .where(P.c.event_id.in_(ids)).order_by(P.c.position)):
        m = dict(row._mapping)
        people[m["event_id"]][m["role"]].append(_participant(m))
    proofs = {r.event_id: dict(r._mapping) for r in conn.execute(
        select(EV).where(EV.c.event_id.in_(ids)))}
    article_ids = list({r["article_id"] for r in found})
    meta = {r.id: dict(r._mapping) for r in conn.execute(
        select(ART.c.id, ART.c.title, ART.c.published, ART.c.source, ART.c.url, ART.c.lang)
        .where(ART.c.id.in_(article_ids)))}
    reports: dict[str, int] = dict(conn.execute(  # type: ignore[arg-type]
        select(E.c.cluster_id, func.count(func.distinct(E.c.article_id))).where(
            E.c.cluster_id.in_([r["cluster_id"] for r in found]))
        .group_by(E.c.cluster_id)).all())
    out = []
    for r in found:
        r.pop("sort_value", None)
        r["context"] = [c for c in (r["context"] or "").split(";") if c]
        r["actors"] = people[r["id"]]["actor"]
        r["recipients"] = people[r["id"]]["recipient"]
        r["evidence"] = proofs.get(r["id"])
        r["article"] = meta.get(r["article_id"])
        r["reports"] = int(reports.get(r["cluster_id"], 1))
        out.append(r)
    return out


def _participant(m: dict[str, Any]) -> dict[str, Any]:
    out = {k: m[k] for k in ("key", "name", "code", "country", "sector", "kind", "office",
                             "mention_text", "mention_start", "mention_end")}
    out["unknown"] = bool(m["unknown"])
    return out


def event(conn: Connection, event_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(E).where(E.c.id == event_id)).first()
    return hydrate(conn, [dict(row._mapping)])[0] if row else None


def article(conn: Connection, article_id: str) -> dict[str, Any] | None:
    """An article with its stored annotations and all its events (reports, not clusters)."""
    row = conn.execute(select(ART).where(ART.c.id == article_id)).first()
    if row is None:
        return None
    data = dict(row._mapping)
    data["annotations"] = json.loads(data["annotations"] or "{}")
    f = EventFilter(article_id=article_id, clusters=False, sort="id", limit=MAX_LIMIT,
                    modality="all")
    data["events"] = events(conn, f).events
    return data


def actors(conn: Connection, term: str | None = None, limit: int = 100,
           offset: int = 0) -> list[dict[str, Any]]:
    """Actors with how many events they act in and receive, most active first (named ones:
    an unknown agent is not an actor to list)."""
    as_actor = func.sum(func.cast(P.c.role == "actor", Integer))
    as_recipient = func.sum(func.cast(P.c.role == "recipient", Integer))
    stmt = (select(A, func.count(P.c.event_id).label("events"),
                   func.coalesce(as_actor, 0).label("as_actor"),
                   func.coalesce(as_recipient, 0).label("as_recipient"))
            .select_from(A.outerjoin(P, P.c.actor_key == A.c.key))
            .where(A.c.unknown.is_(False))
            .group_by(*A.c).order_by(func.count(P.c.event_id).desc(), A.c.name)
            .limit(limit).offset(offset))
    if term:
        stmt = stmt.where(actor_terms.search(term))
    return [dict(r._mapping) for r in conn.execute(stmt)]


# --- checking a filter before it runs (no silent nothing) ----------------------------------


def check(conn: Connection, f: EventFilter) -> list[str]:
    """Validates ``f`` against the ontology and the store, so a typo is an error and not an
    empty answer: unknown types and modalities, an impossible date range, a confidence
    outside 0-1 and an actor term that matches nothing raise E401 with what to use instead.
    A confidence written as a percentage (1 < x <= 100) is converted in place; the notes
    returned say so."""
    notes: list[str] = []
    _check_types(f.type)
    _check_modality(f.modality)
    _check_range(f.since, f.until)
    if f.min_confidence is not None:
        notes += _check_confidence(f)
    for term in (f.actor, f.recipient, f.partner):
        if term:
            _check_actor(conn, term, f.actor_scope)
    if f.partner and not f.actor:
        raise _bad("--with needs --actor", "ask e.g. --actor RUS --with CHN")
    return notes


def _check_types(value: str | None) -> None:
    from eventwire import ontology

    if not value:
        return
    known = set(ontology.load().types)
    unknown = [t for t in _types(value) if t not in known]
    if unknown:
        raise _bad(f"unknown event type {unknown[0]!r}",
                   f"use PLOVER types: {', '.join(sorted(known))}")


def _check_modality(value: str | None) -> None:
    from eventwire import ontology

    known = ontology.load().modalities
    unknown = [m for m in (modalities(value) or []) if m not in known]
    if unknown:
        raise _bad(f"unknown modality {unknown[0]!r}",
                   f"use {HAPPENED} (asserted, ongoing, historical), all, or any of "
                   f"{', '.join(known)}")


def _check_range(since: str | None, until: str | None) -> None:
    low = date_bound(since, upper=False) if since else None
    high = date_bound(until, upper=True) if until else None
    if low and high and low > high:
        raise _bad(f"since {since} is after until {until}", "swap the two dates")


def _check_confidence(f: EventFilter) -> list[str]:
    value = float(f.min_confidence or 0.0)
    if 0.0 <= value <= 1.0:
        return []
    if 1.0 < value <= 100.0:
        f.min_confidence = value / 100.0
        return [f"min confidence {value:g} read as a percentage: {f.min_confidence:g}"]
    raise _bad(f"min confidence {value:g} is outside 0-1",
               "write 0.7 (or 70 for 70%)")


def _check_actor(conn: Connection, term: str, scope: str) -> None:
    if term.strip().lower() == UNKNOWN_TERM:
        return
    actor_terms.condition(term, scope)  # raises on an ambiguous alias or an unknown scope
    if actor_terms.lookup(term):
        return
    if conn.scalar(select(A.c.key).where(_actor_match(term, scope)).limit(1)) is not None:
        return
    stored = [n for (n,) in conn.execute(select(func.lower(A.c.name)).distinct().limit(50_000))]
    raise actor_terms.unknown(term, stored)


def hidden(conn: Connection, f: EventFilter) -> int:
    """How many events the default "happened" filter hides (future, hypothetical, negated)
    that the same filter with ``modality="all"`` would show; 0 for any other modality."""
    if f.modality != HAPPENED:
        return 0
    from dataclasses import replace

    others = replace(f, modality="all", cursor=None)
    happened = modalities(HAPPENED) or []
    return int(conn.scalar(select(func.count()).select_from(E).where(
        and_(true(), *conditions(others)), E.c.modality.not_in(happened))) or 0)


def coverage(conn: Connection) -> dict[str, Any]:
    """The store's publication coverage: first and last publication date, article count."""
    row = conn.execute(select(func.min(ART.c.published), func.max(ART.c.published),
                              func.count())).one()
    return {"first_published": row[0], "last_published": row[1], "articles": int(row[2])}
