"""The event store: SQLite (WAL) by default, PostgreSQL by URL, one SQLAlchemy Core layer.

Writes happen in batched transactions: an article, its events, participants, evidence,
quotes and the ingest progress that covers it commit together or not at all, so a run
killed at any moment leaves no half-written article.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Table, create_engine, delete, event, select, update
from sqlalchemy.exc import ArgumentError, OperationalError

from eventwire.errors import StoreError
from eventwire.model import Article, Failure
from eventwire.store import clusters, rows, schema
from eventwire.store.migrations import LATEST, current_version, migrate

if TYPE_CHECKING:
    from eventwire.stages.dedupe import ArticleCopy, Fingerprints

DEFAULT_URL = "sqlite:///eventwire.db"
OPEN_PATIENCE_S = 60.0  # how long ``Store.open`` retries a SQLite file other processes hold


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class WriteCounts:
    new: int = 0
    duplicate: int = 0
    events: int = 0
    copies: int = 0

    def add(self, other: WriteCounts) -> None:
        self.new += other.new
        self.duplicate += other.duplicate
        self.events += other.events
        self.copies += other.copies


def normalise_url(url: str) -> str:
    """Accepts a plain file path as a SQLite store; leaves real URLs alone."""
    if "://" in url:
        return url.replace("postgres://", "postgresql+psycopg://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{url}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite store URL (None for in-memory stores and other databases)."""
    url = normalise_url(url)
    if not url.startswith("sqlite") or ":///" not in url:
        return None
    path = url.split(":///", 1)[1].split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path).expanduser()


def nearest_stores(path: Path, limit: int = 5) -> list[str]:
    """Existing .db files in the folder of ``path`` (or the current one), closest name first."""
    import difflib

    folder = path.parent if path.parent.is_dir() else Path(".")
    found = sorted(str(p) for p in folder.glob("*.db") if p.is_file())
    by_name = {Path(f).name: f for f in found}
    close = difflib.get_close_matches(path.name, list(by_name), n=limit, cutoff=0.0)
    return [by_name[n] for n in close]


def require_existing(url: str) -> None:
    """E304 when ``url`` is a SQLite file that does not exist, naming the nearest .db files."""
    path = sqlite_path(url)
    if path is None or path.is_file():
        return
    near = nearest_stores(path)
    hint = ("existing stores nearby: " + ", ".join(near) if near else
            "no .db file in that folder") + "; `eventwire ingest FILES --db PATH` makes a store"
    raise StoreError("E304", f"no store at {path}", hint)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_busy(exc: OperationalError) -> bool:
    """SQLite answers "database is locked" at once, without waiting out the busy timeout,
    where waiting could deadlock: switching a new file to WAL, or turning a read into a
    write, while another process does the same. Those are safe to try again."""
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    try:
        if url.startswith("sqlite"):
            path = url.split(":///", 1)[1] if ":///" in url else ""
            if path and path != ":memory:":
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise StoreError("E302", f"cannot use store URL {url!r}: {exc}",
                         "use a file path, sqlite:///FILE or postgresql://USER@HOST/DB") from exc


class Store:
    """One store; safe to share in a process. ``open`` migrates it to the latest schema."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._fingerprints: Fingerprints | None = None

    @classmethod
    def open(cls, url: str = DEFAULT_URL, create: bool = True) -> Store:
        """Opens (and migrates) the store at ``url``. With ``create=False`` a SQLite file
        that does not exist is a coded error (E304) instead of a new, empty store."""
        if not create:
            require_existing(url)
        engine = make_engine(url)
        deadline = time.monotonic() + OPEN_PATIENCE_S
        for attempt in itertools.count():
            try:
                with engine.begin() as conn:
                    if current_version(conn) != LATEST:
                        _lock_for_migration(conn)
                        migrate(conn)
                return cls(engine)
            except OperationalError as exc:
                if not (_sqlite_busy(exc) and time.monotonic() < deadline):
                    raise StoreError("E303", f"cannot open the store at {url}: {exc.orig}",
                                     "check the path or server and your permissions") from exc
                engine.dispose()
                time.sleep(min(0.5, 0.02 * 2 ** attempt) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # --- writing ----------------------------------------------------------------------

    def write(self, articles: Sequence[Article], failures: Sequence[Failure] = (),
              run_id: int | None = None, done: dict[str, int] | None = None,
              version: str = "", copies: Sequence[ArticleCopy] = (),
              signatures: Mapping[str, bytes] | None = None) -> WriteCounts:
        """Stores articles not stored yet, with everything coded in them, plus failures and
        per-file progress, in one transaction.

        Deduplication happens in the same transaction (:mod:`eventwire.store.clusters`):
        the new articles' signatures are kept, their events join the clusters of the same
        real-world events, and ``copies`` (near-duplicates of kept articles, not stored
        themselves) are recorded in ``article_copies``. ``signatures`` (article id ->
        MinHash bytes) spares computing again those an ingest already computed.

        The transaction starts with a write (insert-or-ignore of the articles, returning
        the ids that were new), so concurrent writers on SQLite queue on the write lock
        instead of failing, and two ingests of the same article store it once.
        """
        counts = WriteCounts()
        unique = list({a.id: a for a in articles}.values())
        with self.engine.begin() as conn:
            stamp = now()
            inserted = set(insert_ignore(conn, schema.articles,
                                         [rows.article_row(a, version, stamp) for a in unique],
                                         ["id"], returning=schema.articles.c.id))
            fresh = [a for a in unique if a.id in inserted]
            counts.new, counts.duplicate = len(fresh), len(articles) - len(fresh)
            counts.events = self._insert_coded(conn, fresh, version)
            # deduplication: signatures, event clusters, near-duplicate copies
            if fresh:
                clusters.on_write(conn, fresh, self.fingerprints, signatures)
            counts.copies = clusters.add_copies(conn, copies)
            self._insert_failures(conn, failures, run_id)
            for path, n in (done or {}).items():
                self._set_progress(conn, path, n, run_id)
        return counts

    @property
    def fingerprints(self) -> Fingerprints:
        """MinHash maker for article signatures (built on first use: it imports datasketch)."""
        if self._fingerprints is None:
            from eventwire.stages.dedupe import Fingerprints

            self._fingerprints = Fingerprints()
        return self._fingerprints

    def _insert_coded(self, conn: Connection, articles: list[Article], version: str) -> int:
        """Actors, events, participants, evidence and quotes of newly stored articles."""
        if not articles:
            return 0
        actor_rows = {r["key"]: r for a in articles
                      for r in map(rows.actor_row, rows.article_actors(a))}
        insert_ignore(conn, schema.actors, list(actor_rows.values()), ["key"])
        quotes = {q["id"]: q for a in articles for q in
                  (rows.quote_row(a.id, x) for x in a.quotes)}
        if quotes:
            conn.execute(schema.quotes.insert(), list(quotes.values()))
        events = {e.id: e for a in articles for e in a.events}
        if not events:
            return 0
        conn.execute(schema.events.insert(), [rows.event_row(e, version) for e in events.values()])
        conn.execute(schema.evidence.insert(), [rows.evidence_row(e) for e in events.values()])
        parts = [r for e in events.values() for r in rows.participant_rows(e)]
        if parts:
            conn.execute(schema.participants.insert(), parts)
        return len(events)

    def _insert_failures(self, conn: Connection, failures: Sequence[Failure],
                         run_id: int | None) -> None:
        if failures:
            stamp = now()
            conn.execute(schema.failures.insert(), [
                {"run_id": run_id, "path": f.path, "record": f.record, "stage": f.stage,
                 "code": f.code, "reason": f.reason, "hint": f.hint, "created_at": stamp}
                for f in failures])

    def _set_progress(self, conn: Connection, path: str, n: int, run_id: int | None) -> None:
        t = schema.progress
        if conn.execute(update(t).where(t.c.path == path)
                        .values(records_done=n, run_id=run_id)).rowcount == 0:
            conn.execute(t.insert().values(path=path, records_done=n, run_id=run_id))

    def record_failures(self, failures: Sequence[Failure], run_id: int | None = None) -> None:
        with self.engine.begin() as conn:
            self._insert_failures(conn, failures, run_id)

    # --- runs and progress ------------------------------------------------------------

    def start_run(self, args: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(schema.runs.insert().values(
                started_at=now(), status="running", args=args))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def finish_run(self, run_id: int, status: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(schema.runs).where(schema.runs.c.id == run_id)
                         .values(finished_at=now(), status=status))

    def progress(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {p: n for p, n in conn.execute(
                select(schema.progress.c.path, schema.progress.c.records_done))}

    def clear_progress(self, paths: Iterable[str]) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(schema.progress).where(schema.progress.c.path.in_(list(paths))))

    # --- reading and deleting ---------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(schema.articles.c.id)
                               .where(schema.articles.c.id == article_id)) is not None

    def delete_article(self, article_id: str) -> bool:
        """Removes an article and everything coded from it; True when it existed."""
        with self.engine.begin() as conn:
            _delete_derived(conn, article_id)
            conn.execute(delete(schema.article_copies)
                         .where(schema.article_copies.c.article_id == article_id))
            return conn.execute(delete(schema.articles)
                                .where(schema.articles.c.id == article_id)).rowcount > 0

    def stale_articles(self, version: str, limit: int,
                       skip: Sequence[str] = ()) -> list[dict[str, Any]]:
        """Up to ``limit`` stored articles not coded by ``version`` (id order), without the
        ids in ``skip``: the next ones ``eventwire recode`` codes again."""
        a = schema.articles
        stmt = (select(a.c.id, a.c.text, a.c.title, a.c.published, a.c.author, a.c.source,
                       a.c.url, a.c.lang, a.c.origin, a.c.annotations)
                .where(a.c.pipeline_version != version).order_by(a.c.id).limit(limit))
        if skip:
            stmt = stmt.where(a.c.id.not_in(list(skip)))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def count_stale(self, version: str) -> int:
        from sqlalchemy import func

        a = schema.articles
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(a)
                                   .where(a.c.pipeline_version != version)) or 0)

    def replace_coded(self, article: Article, version: str) -> int:
        """Replaces everything derived from a stored article (events, participants,
        evidence, quotes, annotations, clusters) with ``article`` as coded by ``version``,
        in one transaction; the article's text and metadata stay. Returns its events."""
        with self.engine.begin() as conn:
            _delete_derived(conn, article.id)
            n = self._insert_coded(conn, [article], version)
            clusters.rekey(conn, [article])
            row = rows.article_row(article, version, now())
            conn.execute(update(schema.articles).where(schema.articles.c.id == article.id)
                         .values(annotations=row["annotations"], pipeline_version=version))
        return n

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func

        with self.engine.connect() as conn:
            return {t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
                    for t in (schema.articles, schema.events, schema.actors, schema.quotes,
                              schema.failures, schema.article_copies)}


def _delete_derived(conn: Connection, article_id: str) -> None:
    """Deletes the rows coded from an article (not the article itself), re-pointing the
    clusters that lose its reports."""
    clusters.detach(conn, article_id)
    event_ids = select(schema.events.c.id).where(schema.events.c.article_id == article_id)
    for table in (schema.participants, schema.evidence):
        conn.execute(delete(table).where(table.c.event_id.in_(event_ids)))
    for table in (schema.events, schema.quotes):
        conn.execute(delete(table).where(table.c.article_id == article_id))


def _lock_for_migration(conn: Connection) -> None:
    """Holds the write lock (SQLite) or an advisory lock (PostgreSQL) until the transaction
    ends, so processes opening a new store at once migrate it one after the other; the
    next ones then find it migrated (``migrate`` reads the version again)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7071)")


def insert_ignore(conn: Connection, table: Table, values: list[dict[str, Any]],
                  keys: list[str], returning: Any = None) -> list[Any]:
    """INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL; with ``returning``, the
    values of that column for the rows actually inserted."""
    if not values:
        return []
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).on_conflict_do_nothing(index_elements=keys)
    if returning is None:
        conn.execute(stmt, values)
        return []
    return list(conn.scalars(stmt.returning(returning, sort_by_parameter_order=True), values))


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
