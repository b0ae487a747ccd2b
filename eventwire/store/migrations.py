"""Schema migrations: small numbered functions, applied in order inside one transaction.

A new schema change is a new function appended to ``MIGRATIONS``; released ones are never
edited. The store's version lives in ``meta.schema_version``.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect, select, text

from eventwire.errors import StoreError
from eventwire.store import schema

Migration = Callable[[Connection], None]


def _v1_initial(conn: Connection) -> None:
    schema.metadata.create_all(conn)


def _v2_dedupe(conn: Connection) -> None:
    """Article signatures (near-duplicates) and event keys (clusters); fills both for the
    articles and events already stored and clusters those events."""
    from eventwire.store import clusters

    clusters.create_tables(conn)
    clusters.backfill(conn)


def _v3_unknown_actors(conn: Connection) -> None:
    """``actors.unknown``: an agent the text does not name. Stores made before it get the
    column with every actor named (false); a store created at v1 by this code has it."""
    if "unknown" in {c["name"] for c in inspect(conn).get_columns("actors")}:
        return
    conn.execute(text("ALTER TABLE actors ADD COLUMN unknown BOOLEAN NOT NULL DEFAULT FALSE"))


def _v4_date_refused(conn: Connection) -> None:
    """``events.date_refused``: the reason code of a date the normaliser refused (issue 16).
    Rows coded before stay NULL; ``eventwire recode`` codes them again."""
    columns = {c["name"] for c in inspect(conn).get_columns("events")}
    if "date_refused" not in columns:
        conn.execute(text("ALTER TABLE events ADD COLUMN date_refused VARCHAR(16)"))


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial tables", _v1_initial),
    (2, "deduplication: article signatures and event keys", _v2_dedupe),
    (3, "unknown actors: actors.unknown", _v3_unknown_actors),
    (4, "events.date_refused: why a date was refused", _v4_date_refused),
]

LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("meta"):
        return 0
    row = conn.execute(select(schema.meta.c.value)
                       .where(schema.meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def migrate(conn: Connection) -> int:
    """Brings the schema to ``LATEST``; refuses a store made by a newer eventwire."""
    version = current_version(conn)
    if version > LATEST:
        raise StoreError("E301", f"the store has schema version {version}, this eventwire "
                         f"knows up to {LATEST}", "upgrade eventwire to read this store")
    for number, _about, step in MIGRATIONS:
        if number > version:
            step(conn)
            _set_version(conn, number)
    return LATEST


def _set_version(conn: Connection, number: int) -> None:
    table = schema.meta
    updated = conn.execute(table.update().where(table.c.key == "schema_version")
                           .values(value=str(number)))
    if updated.rowcount == 0:
        conn.execute(table.insert().values(key="schema_version", value=str(number)))
