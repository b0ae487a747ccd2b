"""Crash safety through the real CLI: an ``eventwire ingest`` of a slice of ../shared/corpora
is SIGKILLed at seeded pseudo-random points, each time resumed with ``--resume`` and killed
again, then resumed to the end. After every kill the store passes ``eventwire check`` and
holds only whole articles, each exactly as the clean run stored it; at the end it equals the
clean run (articles, events and every field, participants, evidence, quotes, actors,
failures, progress): no loss, no duplicates, no half-written article. The last resume
proves it does not re-read what is done.

Kill points: one by time (while the model loads or the first batch is coded), three when
the store holds a random number of articles plus a random delay (so the kill lands
anywhere in coding or committing), and one inside a write transaction (a SQLAlchemy hook
SIGKILLs the process right after a batch's articles, events and evidence are inserted and
before the commit).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

pytest.register_assert_rewrite("corpus_fixtures")
from corpus_fixtures import (  # noqa: E402
    BATCH,
    SHARED_TABLES,
    CleanRun,
    check_store,
    count,
    difference,
    finish,
    for_articles,
    kill,
    rows,
    snapshot,
    start,
)

pytest_plugins = ["corpus_fixtures"]

SEED = 20241130
POLL_SECONDS = 0.05
RUN_TIMEOUT = 600

#: ``python -c`` program: the real CLI, with a hook that SIGKILLs the process inside a write
#: transaction, after its N-th INSERT INTO evidence (articles and events of that batch are
#: already inserted, nothing of it committed).
DIE_IN_TRANSACTION = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
left = [int(os.environ["EW_DIE_AFTER_EVIDENCE_INSERTS"])]
@event.listens_for(Engine, "after_cursor_execute")
def die(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO EVIDENCE"):
        left[0] -= 1
        if left[0] <= 0:
            os.kill(os.getpid(), signal.SIGKILL)
from eventwire.cli import app
app()
"""


def kill_plan(rng: random.Random, total: int) -> list[tuple[str, float]]:
    """(how, value) per kill: ("time", seconds after start), ("stored", articles in the
    store, then a random delay), ("transaction", which evidence insert of the run)."""
    assert total >= 16 * BATCH, f"a slice of {total} articles is too small to kill 5 times"
    room = total - 8 * BATCH  # leave work after the last kill point, so no run ends first
    targets = sorted(rng.sample(range(2 * BATCH, room, BATCH // 2), 3))
    return [("time", rng.uniform(1.5, 6.0)), ("stored", targets[0]),
            ("transaction", rng.randint(1, 3)), ("stored", targets[1]), ("stored", targets[2])]


def run_until_killed(args: list[str], how: str, value: float, log: Path, db: Path,
                     rng: random.Random) -> str:
    """Starts the CLI, SIGKILLs it at the kill point; returns where it was killed."""
    started = time.monotonic()
    before = count(db)
    if how == "transaction":
        proc = start(args, log, code=DIE_IN_TRANSACTION,
                     EW_DIE_AFTER_EVIDENCE_INSERTS=str(int(value)))
        rc = proc.wait(timeout=RUN_TIMEOUT)
        assert rc == -9, f"the hook did not kill the run (rc {rc}):\n{log.read_text()}"
        return f"inside the transaction of its evidence insert no. {int(value)}"
    proc = start(args, log)
    try:
        if how == "time":
            time.sleep(value)
        else:
            target = max(int(value), before + 1)
            while count(db) < target and proc.poll() is None:
                if time.monotonic() - started > RUN_TIMEOUT:
                    raise AssertionError(f"no progress to {target} articles:\n{log.read_text()}")
                time.sleep(POLL_SECONDS)
            time.sleep(rng.uniform(0.0, 0.5))
        assert proc.poll() is None, f"the run ended before its kill point:\n{log.read_text()}"
    finally:
        kill(proc)
    return f"after {time.monotonic() - started:.1f}s with {count(db)} articles stored"


def assert_whole_articles(db: Path, clean: CleanRun) -> None:
    """What a killed run left: only whole articles, each exactly as the clean run has it
    (but ``cluster_id``: a cluster is named by its smallest event id, which a later report
    can change), and no shared row the clean run does not have."""
    now = snapshot(db)
    stored = {r[0] for r in rows(db, "SELECT id FROM articles")}
    want = for_articles(clean.snapshot, stored, ignore=["cluster_id"])
    got = for_articles(now, stored, ignore=["cluster_id"])
    assert got.keys() == want.keys()
    for table in want:
        assert got[table] == want[table], difference(table, want[table], got[table])
    for table in SHARED_TABLES:
        extra = set(now[table][1]) - set(clean.snapshot[table][1])
        assert not extra, f"{table}: rows the clean run does not have: {sorted(extra)[:3]}"


def test_sigkill_then_resume_equals_a_clean_run(clean_run: CleanRun, corpus_slice: Path,
                                                tmp_path: Path) -> None:
    rng = random.Random(SEED)
    db = tmp_path / "killed.db"
    total = clean_run.articles
    kills: list[str] = []
    for number, (how, value) in enumerate(kill_plan(rng, total)):
        args = ["ingest", str(corpus_slice), "--db", str(db)] + (["--resume"] if number else [])
        where = run_until_killed(args, how, value, tmp_path / f"run{number}.log", db, rng)
        kills.append(f"kill {number + 1} ({how}): {where}")
        if db.exists():
            check_store(db)
            assert_whole_articles(db, clean_run)
    assert count(db) < total, "the kills left nothing to resume:\n" + "\n".join(kills)

    done_before = sum(n for (n,) in rows(db, "SELECT records_done FROM progress"))
    stored_before = count(db)
    args = ["ingest", str(corpus_slice), "--db", str(db), "--resume"]
    log = tmp_path / "final.log"
    final = finish(start(args, log), log, args, time.perf_counter())
    assert final.rc == clean_run.run.rc, final.explain()
    summary = final.summary()
    assert summary["skipped (resume)"] == done_before > 0, final.explain()
    assert summary["articles read"] == clean_run.run.summary()["articles read"] - done_before
    assert summary["new"] == total - stored_before, final.explain()

    check_store(db)
    after = snapshot(db)
    assert after.keys() == clean_run.snapshot.keys()
    for table in after:
        assert after[table] == clean_run.snapshot[table], "\n".join(
            [difference(table, clean_run.snapshot[table], after[table]), *kills])
    print("\n".join(kills), f"\nfinal resume: {summary}", sep="\n")


@pytest.mark.parametrize("seed", range(3))
def test_kill_plan_is_seeded_and_in_range(seed: int) -> None:
    plan = kill_plan(random.Random(seed), 200)
    assert plan == kill_plan(random.Random(seed), 200)
    stored = [v for how, v in plan if how == "stored"]
    assert stored == sorted(stored) and all(2 * BATCH <= v < 200 - 8 * BATCH for v in stored)
