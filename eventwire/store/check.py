"""``eventwire check``: verifies a store's integrity without changing it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select, text

from eventwire.store import Store, schema

E, EV, P, ART, A = (schema.events, schema.evidence, schema.participants, schema.articles,
                    schema.actors)


@dataclass
class Problem:
    check: str
    detail: str


def _orphans(conn: Connection) -> list[Problem]:
    found = []
    probes = {
        "events without an article": select(func.count()).select_from(E).where(
            ~E.c.article_id.in_(select(ART.c.id))),
        "events without evidence": select(func.count()).select_from(E).where(
            ~E.c.id.in_(select(EV.c.event_id))),
        "evidence without an event": select(func.count()).select_from(EV).where(
            ~EV.c.event_id.in_(select(E.c.id))),
        "participants without an event": select(func.count()).select_from(P).where(
            ~P.c.event_id.in_(select(E.c.id))),
        "participants without an actor": select(func.count()).select_from(P).where(
            ~P.c.actor_key.in_(select(A.c.key))),
        "clusters whose representative is missing": select(func.count()).select_from(E).where(
            ~E.c.cluster_id.in_(select(E.c.id))),
    }
    for name, stmt in probes.items():
        n = int(conn.scalar(stmt) or 0)
        if n:
            found.append(Problem(name, f"{n} rows"))
    return found


def _evidence_offsets(conn: Connection, limit: int = 20) -> list[Problem]:
    """Every evidence quote must equal the article text at its offsets."""
    found: list[Problem] = []
    stmt = (select(EV.c.event_id, EV.c.start, EV.c.end, EV.c.quote, ART.c.text)
            .join(ART, ART.c.id == EV.c.article_id).execution_options(yield_per=2000))
    bad = 0
    for event_id, start, end, quote, body in conn.execute(stmt):
        if not (0 <= start < end <= len(body)) or body[start:end] != quote:
            bad += 1
            if len(found) < limit:
                found.append(Problem("evidence offsets",
                                     f"event {event_id}: [{start}:{end}] is not its quote"))
    if bad > limit:
        found.append(Problem("evidence offsets", f"... {bad - limit} more"))
    return found


def _sqlite(conn: Connection) -> list[Problem]:
    found = []
    result = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
    if result != ["ok"]:
        found.append(Problem("sqlite integrity_check", "; ".join(map(str, result[:10]))))
    fk = list(conn.execute(text("PRAGMA foreign_key_check")))
    if fk:
        found.append(Problem("sqlite foreign_key_check", f"{len(fk)} rows, e.g. {tuple(fk[0])}"))
    return found


def check(store: Store) -> list[Problem]:
    """All problems found; an empty list means the store is sound."""
    with store.engine.connect() as conn:
        problems = _sqlite(conn) if store.dialect == "sqlite" else []
        return problems + _orphans(conn) + _evidence_offsets(conn)
