"""Shared helpers for the reliability tests (tests/test_reliability_*.py): a slice of
../shared/corpora, the real ``eventwire`` CLI in a subprocess, and snapshots of a store
that two runs can be compared by.

Test modules load it as a plugin (``pytest_plugins = ["corpus_fixtures"]``), so the clean
ingest of the slice (:func:`clean_run`) runs once per session whichever test needs it first.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pytest

#: The slice: the first SLICE_ARTICLES records of this corpus (EW_SLICE overrides the size).
SLICE_CORPUS = "gigaword-afp-xinhua.jsonl"
SLICE_ARTICLES = int(os.environ.get("EW_SLICE", "200"))
#: store.batch_articles for every run here: small, so commits happen often.
BATCH = 8
#: Columns that differ between two runs of the same input by design.
VOLATILE = {"ingested_at", "created_at", "run_id", "started_at", "finished_at"}
#: Tables that are a log of runs, not data.
LOG_TABLES = {"runs"}
#: Tables whose rows several articles share or a later record adds to: a partial store
#: holds a subset of the clean run's rows.
SHARED_TABLES = ("actors", "failures", "article_copies")
CLI_TIMEOUT = 900


@dataclass
class CliRun:
    """A finished ``eventwire`` command."""

    args: Sequence[str]
    rc: int
    out: str
    err: str
    seconds: float

    def summary(self) -> dict[str, int]:
        """The ingest summary table as numbers: {"articles read": 200, "new": 200, ...}."""
        found = re.findall(r"[│|]\s*([a-z][a-z ()]+?)\s*[│|]\s*(\d+)\s*[│|]", self.out)
        return {label: int(n) for label, n in found}

    def explain(self) -> str:
        return (f"eventwire {' '.join(map(str, self.args))} -> rc {self.rc} in "
                f"{self.seconds:.1f}s\n--- stdout\n{self.out[-3000:]}\n--- stderr\n"
                f"{self.err[-3000:]}")


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess: wide plain output, small write batches."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTWIRE_STORE_")}
    env.update({"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "PYTHONUNBUFFERED": "1",
                "EVENTWIRE_STORE_BATCH_ARTICLES": str(BATCH)})
    env.update(extra)
    return env


def command(args: Sequence[str | Path], code: str | None = None) -> list[str]:
    """``python -m eventwire.cli ARGS`` (or ``python -c CODE ARGS``) with this interpreter."""
    head = ["-c", code] if code else ["-m", "eventwire.cli"]
    return [sys.executable, *head, *map(str, args)]


def cli(*args: str | Path, timeout: float = CLI_TIMEOUT, **extra_env: str) -> CliRun:
    """Runs an ``eventwire`` command to the end."""
    start = time.perf_counter()
    done = subprocess.run(command(args), env=cli_env(**extra_env), capture_output=True,
                          text=True, timeout=timeout, check=False)
    return CliRun(list(map(str, args)), done.returncode, done.stdout, done.stderr,
                  time.perf_counter() - start)


def start(args: Sequence[str | Path], log: Path, code: str | None = None,
          **extra_env: str) -> subprocess.Popen[bytes]:
    """Starts an ``eventwire`` command in its own process group, output to ``log``."""
    with log.open("wb") as fh:
        return subprocess.Popen(command(args, code), env=cli_env(**extra_env), stdout=fh,
                                stderr=subprocess.STDOUT, start_new_session=True)


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the process and everything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


def finish(proc: subprocess.Popen[bytes], log: Path, args: Sequence[str | Path],
           started: float, timeout: float = CLI_TIMEOUT) -> CliRun:
    """Waits for a started command; its output (stdout and stderr) comes from ``log``."""
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(proc)
        raise
    text = log.read_text("utf-8", errors="replace")
    return CliRun(list(map(str, args)), rc, text, "", time.perf_counter() - started)


def check_store(db: Path) -> CliRun:
    """``eventwire check``; fails the test with the problems it prints."""
    run = cli("check", "--db", db, timeout=300)
    assert run.rc == 0, run.explain()
    assert "store is sound" in run.out, run.explain()
    return run


# --- reading a store directly (sqlite3, so a test never depends on what it checks) -----


def _connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)


def count(db: Path, table: str = "articles") -> int:
    """Rows in ``table``; 0 while the store does not exist or has no such table yet."""
    if not db.exists():
        return 0
    try:
        conn = _connect(db)
        try:
            return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    conn = _connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


Snapshot = dict[str, tuple[tuple[str, ...], list[tuple]]]


def snapshot(db: Path) -> Snapshot:
    """Every table but the run log: (column names, sorted rows), volatile columns left out.
    Two runs that stored the same thing have equal snapshots."""
    conn = _connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        found: Snapshot = {}
        for table in sorted(set(tables) - LOG_TABLES):
            cols = tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')
                         if r[1] not in VOLATILE and not (table == "failures" and r[1] == "id"))
            select = ", ".join(f'"{c}"' for c in cols)
            data = conn.execute(f'SELECT {select} FROM "{table}"').fetchall()
            found[table] = (cols, sorted(data, key=repr))
        return found
    finally:
        conn.close()


def difference(table: str, want: tuple[tuple[str, ...], list[tuple]],
               got: tuple[tuple[str, ...], list[tuple]]) -> str:
    """A readable account of how two snapshots of ``table`` differ (empty when equal)."""
    if want == got:
        return ""
    if want[0] != got[0]:
        return f"{table}: columns {want[0]} != {got[0]}"
    cols, lost, extra = want[0], set(want[1]) - set(got[1]), set(got[1]) - set(want[1])
    lines = [f"{table}: {len(lost)} rows missing or changed, {len(extra)} extra or changed"
             f" ({len(want[1])} expected, {len(got[1])} found)"]
    by_key = {r[0]: r for r in extra}
    for row in sorted(lost, key=repr)[:3]:
        other = by_key.get(row[0])
        if other is None:
            lines.append(f"  missing {cols[0]}={row[0]!r}")
            continue
        changed = [f"{c}: {a!r:.80} -> {b!r:.80}" for c, a, b in zip(cols, row, other,
                                                                     strict=True) if a != b]
        lines.append(f"  {cols[0]}={row[0]!r}: " + "; ".join(changed))
    lines += [f"  extra {cols[0]}={r[0]!r}" for r in sorted(extra, key=repr)[:3]
              if r[0] not in {x[0] for x in lost}]
    return "\n".join(lines)


def for_articles(snap: Snapshot, ids: set[str], ignore: Sequence[str] = ()) -> Snapshot:
    """The rows of ``snap`` that belong to the articles ``ids``: in every table keyed by an
    article (``articles.id``, an ``article_id`` column) or by one of their events
    (``event_id``), except ``article_copies`` (a copy row belongs to the copy, which may be
    read later); the columns in ``ignore`` left out."""
    e_cols, e_rows = snap["events"]
    events = {r[e_cols.index("id")] for r in e_rows if r[e_cols.index("article_id")] in ids}
    out: Snapshot = {}
    for table, (cols, data) in snap.items():
        if table == "articles":
            at, keys = cols.index("id"), ids
        elif table != "article_copies" and "article_id" in cols:
            at, keys = cols.index("article_id"), ids
        elif "event_id" in cols:
            at, keys = cols.index("event_id"), events
        else:
            continue
        keep = [i for i, c in enumerate(cols) if c not in ignore]
        out[table] = (tuple(cols[i] for i in keep),
                      sorted((tuple(r[i] for i in keep) for r in data if r[at] in keys),
                             key=repr))
    return out


def article_ids(db: Path) -> set[str]:
    return {r[0] for r in rows(db, "SELECT id FROM articles")}


def copy_store(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite store (the backup API, WAL content included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


# --- the slice and its clean run ---------------------------------------------------------


@dataclass
class CleanRun:
    """One uninterrupted ``eventwire ingest`` of the slice: what every other run must equal."""

    db: Path
    run: CliRun
    snapshot: Snapshot

    @property
    def articles(self) -> int:
        return len(self.snapshot["articles"][1])

    @property
    def events(self) -> int:
        return len(self.snapshot["events"][1])


@pytest.fixture(scope="session")
def corpus_slice(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first SLICE_ARTICLES records of ../shared/corpora/SLICE_CORPUS, as a .jsonl."""
    path = tmp_path_factory.mktemp("slice") / "slice.jsonl"
    with (shared / "corpora" / SLICE_CORPUS).open("rb") as src:
        path.write_bytes(b"".join(islice(src, SLICE_ARTICLES)))
    return path


@pytest.fixture(scope="session")
def clean_run(corpus_slice: Path, tmp_path_factory: pytest.TempPathFactory) -> CleanRun:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    run = cli("ingest", corpus_slice, "--db", db)
    assert run.rc in (0, 3), run.explain()
    check_store(db)
    clean = CleanRun(db, run, snapshot(db))
    assert clean.articles > SLICE_ARTICLES * 0.9, run.explain()
    assert (run.rc == 3) == bool(clean.snapshot["failures"][1]), run.explain()
    return clean
