"""Deduplication in the store: article fingerprints, near-duplicate copies, event clusters.

Two tables (schema version 2, see :mod:`eventwire.store.migrations`):

``article_signatures``
    the MinHash signature of every stored article, from which each ingest rebuilds its
    near-duplicate index (:class:`eventwire.stages.dedupe.NearDuplicates`).
``event_keys``
    one row per stored event with what clustering compares (type, day range, actor codes,
    place, evidence terms), indexed so that a new report is compared only with reports of
    the same type whose day ranges overlap.

:func:`on_write` runs inside :meth:`Store.write`'s transaction: it stores the signatures
and keys of the new articles, links each new report to every stored report of the same
real-world event (:func:`eventwire.stages.dedupe.same_event`) and merges the clusters they
join. ``events.cluster_id`` is always the smallest event id of the cluster, so the result
does not depend on the order articles arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    RowMapping,
    String,
    Table,
    Text,
    and_,
    delete,
    or_,
    select,
    text,
    update,
)

from eventwire.model import Article
from eventwire.stages import dedupe
from eventwire.stages.dedupe import ArticleCopy, EventKey
from eventwire.store import schema

metadata = MetaData()
MAX_SPAN = 400  # longest day range a key can have (a year plus slack)

article_signatures = Table(
    "article_signatures", metadata,
    Column("article_id", schema.ID, ForeignKey(schema.articles.c.id, ondelete="CASCADE"),
           primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)

event_keys = Table(
    "event_keys", metadata,
    Column("event_id", schema.ID, ForeignKey(schema.events.c.id, ondelete="CASCADE"),
           primary_key=True),
    Column("article_id", schema.ID, nullable=False, index=True),
    Column("type", String(16), nullable=False),
    Column("first_day", Integer),
    Column("last_day", Integer),
    Column("codes", Text, nullable=False, default=""),
    Column("country", String(3)),
    Column("lat", Float),
    Column("lon", Float),
    Column("terms", Text, nullable=False, default=""),
    Index("ix_event_keys_type_day", "type", "first_day"),
)

E, K, S, C = schema.events, event_keys, article_signatures, schema.article_copies


def create_tables(conn: Connection) -> None:
    metadata.create_all(conn)


# ----------------------------------------------------------------- near-duplicate articles


def load_index(conn: Connection, index: dedupe.NearDuplicates | None = None
               ) -> dedupe.NearDuplicates:
    """A near-duplicate index holding every stored article's signature."""
    index = index or dedupe.NearDuplicates()
    for article_id, raw in conn.execute(select(S.c.article_id, S.c.signature)
                                        .order_by(S.c.article_id)
                                        .execution_options(yield_per=5000)):
        index.add(article_id, dedupe.from_bytes(raw))
    return index


def known_ids(conn: Connection, ids: Sequence[str]) -> set[str]:
    """The ids among ``ids`` stored as articles or recorded as near-duplicate copies."""
    found: set[str] = set()
    for chunk in _chunks(list(dict.fromkeys(ids)), 500):
        found.update(conn.scalars(select(schema.articles.c.id)
                                  .where(schema.articles.c.id.in_(chunk))))
        found.update(conn.scalars(select(C.c.copy_id).where(C.c.copy_id.in_(chunk))))
    return found


def add_copies(conn: Connection, copies: Sequence[ArticleCopy]) -> int:
    """Records near-duplicate copies (once each); returns how many were new."""
    from eventwire.store import insert_ignore

    rows = [{"copy_id": c.copy_id, "article_id": c.article_id, "origin": c.origin,
             "similarity": c.similarity} for c in {c.copy_id: c for c in copies}.values()]
    return len(insert_ignore(conn, C, rows, ["copy_id"], returning=C.c.copy_id))


def _store_signatures(conn: Connection, articles: Sequence[Article],
                      fingerprints: dedupe.Fingerprints,
                      known: Mapping[str, bytes] | None = None) -> None:
    if articles:
        known = known or {}
        conn.execute(S.insert(), [
            {"article_id": a.id, "signature": known.get(a.id)
             or dedupe.to_bytes(fingerprints.signature(a.text))} for a in articles])


# ----------------------------------------------------------------------- event clusters


def on_write(conn: Connection, articles: Sequence[Article],
             fingerprints: dedupe.Fingerprints,
             signatures: Mapping[str, bytes] | None = None) -> int:
    """Signatures (``signatures`` holds those already computed) and event keys of newly
    stored ``articles``, then clusters for their events; returns how many new reports
    joined a cluster of more than one report."""
    _store_signatures(conn, articles, fingerprints, signatures)
    return rekey(conn, articles)


def rekey(conn: Connection, articles: Sequence[Article]) -> int:
    """Event keys and clusters for the events of articles coded again (``recode``): their
    signatures are already stored, their old events detached (:func:`detach`)."""
    keys = [dedupe.key_of(e, a.published) for a in articles
            for e in {e.id: e for e in a.events}.values()]
    if not keys:
        return 0
    conn.execute(K.insert(), [_key_row(k) for k in keys])
    _lock(conn)
    return _link(conn, keys)


def _lock(conn: Connection) -> None:
    """Serialises clustering between concurrent PostgreSQL writers (SQLite already is)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(4242006)"))


def _link(conn: Connection, keys: Sequence[EventKey]) -> int:
    """Links new reports to matching stored ones and merges the clusters they touch."""
    new_ids = {k.event_id for k in keys}
    pairs: list[tuple[str, str]] = []
    for key in keys:
        pairs += [(key.event_id, other.event_id) for other in candidates(conn, key)
                  if other.event_id != key.event_id and dedupe.same_event(key, other)]
    if not pairs:
        return 0
    others = {y for _, y in pairs} - new_ids
    root_of = _cluster_ids(conn, others)
    nodes = {*new_ids, *root_of.values()}
    links = [(x, root_of.get(y, y)) for x, y in pairs]
    return _merge(conn, dedupe.components(nodes, links), new_ids)


def _merge(conn: Connection, parent: dict[str, str], new_ids: set[str]) -> int:
    """Points every member of each merged component at the component's smallest id."""
    groups: dict[str, list[str]] = {}
    for node, root in parent.items():
        groups.setdefault(root, []).append(node)
    joined = 0
    for root, members in groups.items():
        if len(members) < 2:
            continue
        fresh = [m for m in members if m in new_ids]
        old_roots = [m for m in members if m not in new_ids]
        joined += len(fresh)
        conn.execute(update(E).where(or_(E.c.id.in_(fresh), E.c.cluster_id.in_(old_roots)))
                     .values(cluster_id=root))
    return joined


def _cluster_ids(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in _chunks(sorted(ids), 500):
        out.update((r.id, r.cluster_id) for r in conn.execute(
            select(E.c.id, E.c.cluster_id).where(E.c.id.in_(chunk))))
    return {k: v or k for k, v in out.items()}


def candidates(conn: Connection, key: EventKey) -> list[EventKey]:
    """Stored reports of the same type whose day range overlaps ``key``'s (or undated)."""
    stmt = select(K).where(K.c.type == key.type)
    if key.first_day is not None and key.last_day is not None:
        dated = and_(K.c.first_day >= key.first_day - MAX_SPAN, K.c.first_day <= key.last_day,
                     K.c.last_day >= key.first_day)
        stmt = stmt.where(or_(dated, K.c.first_day.is_(None)))
    return [key_from_row(r._mapping) for r in conn.execute(stmt)]


def _key_row(k: EventKey) -> dict[str, object]:
    return {"event_id": k.event_id, "article_id": k.article_id, "type": k.type,
            "first_day": k.first_day, "last_day": k.last_day, "codes": " ".join(sorted(k.codes)),
            "country": k.country, "lat": k.lat, "lon": k.lon,
            "terms": " ".join(sorted(k.terms))}


def key_from_row(m: RowMapping) -> EventKey:
    return EventKey(m["event_id"], m["article_id"], m["type"], m["first_day"], m["last_day"],
                    frozenset((m["codes"] or "").split()), m["country"], m["lat"], m["lon"],
                    frozenset((m["terms"] or "").split()))


# ----------------------------------------------------------------------------- deleting


def detach(conn: Connection, article_id: str) -> None:
    """Before an article's events are deleted: drops their keys and re-clusters what is
    left of the clusters they were in (a cluster may split; ids stay smallest-member)."""
    gone = set(conn.scalars(select(E.c.id).where(E.c.article_id == article_id)))
    if not gone:
        return
    roots = set(conn.scalars(select(E.c.cluster_id).where(E.c.id.in_(gone))))
    conn.execute(delete(K).where(K.c.event_id.in_(gone)))
    members = [m for m in conn.scalars(select(E.c.id).where(E.c.cluster_id.in_(roots)))
               if m not in gone]
    keys = [key_from_row(r._mapping) for r in conn.execute(
        select(K).where(K.c.event_id.in_(members)))]
    recluster(conn, keys, members)


def recluster(conn: Connection, keys: Sequence[EventKey], members: Iterable[str]) -> None:
    """Recomputes clusters among ``members`` from their keys (all pairs compared)."""
    links = [(a.event_id, b.event_id) for i, a in enumerate(keys) for b in keys[i + 1:]
             if dedupe.same_event(a, b)]
    ids = sorted(set(members))
    parent = dedupe.components(ids, links)
    for root in sorted(set(parent.values())):
        conn.execute(update(E).where(E.c.id.in_([m for m in ids if parent[m] == root]))
                     .values(cluster_id=root))


# ------------------------------------------------------------------- migration backfill


def backfill(conn: Connection) -> None:
    """Signatures and keys for a store written before schema version 2, then clusters."""
    fingerprints = dedupe.Fingerprints()
    A = schema.articles
    texts = [(r.id, r.text) for r in conn.execute(select(A.c.id, A.c.text))]
    for rows in _batched(texts, 500):
        conn.execute(S.insert(), [{"article_id": i, "signature":
                                   dedupe.to_bytes(fingerprints.signature(t))} for i, t in rows])
    keys = list(_stored_keys(conn))
    for rows in _batched([_key_row(k) for k in keys], 500):
        conn.execute(K.insert(), rows)
    by_type: dict[str, list[EventKey]] = {}
    for k in keys:
        by_type.setdefault(k.type, []).append(k)
    for group in by_type.values():
        _link(conn, group)


def _stored_keys(conn: Connection) -> Iterator[EventKey]:
    from eventwire.model import Actor, Event, EventDate, Evidence, Place, Span

    EV, A = schema.evidence, schema.articles
    stmt = (select(E, EV.c.quote, A.c.published)
            .join(EV, EV.c.event_id == E.c.id).join(A, A.c.id == E.c.article_id))
    for r in conn.execute(stmt):
        codes = [c for c in f"{r.actor_codes};{r.recipient_codes}".split(";") if c]
        place = (Place(r.place_name or "", country=r.place_country, lat=r.place_lat,
                       lon=r.place_lon) if r.place_name or r.place_country else None)
        event = Event(r.id, r.type, Evidence(r.article_id, 0, Span(0, 0, ""), r.quote),
                      actors=[Actor(c, c) for c in codes],
                      date=EventDate(r.date_value, r.date_precision, r.date_basis),
                      place=place)
        yield dedupe.key_of(event, r.published)


def _batched(items: list, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
