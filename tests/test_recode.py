"""Migration 3 and ``eventwire recode`` on a store written by eventwire-0.1.3 (schema 2):
tests/fixtures/store_v2_0.1.3.db, made from examples/ with the code of that version."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from corpus_fixtures import cli

from eventwire.pipeline import PIPELINE_VERSION, Pipeline
from eventwire.recode import RecodeSummary, recode
from eventwire.store import Store
from eventwire.store.migrations import LATEST

FIXTURE = Path(__file__).parent / "fixtures" / "store_v2_0.1.3.db"


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    db = tmp_path / "old.db"
    shutil.copy(FIXTURE, db)
    return db


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.timeout(120)
def test_the_fixture_is_an_old_store() -> None:
    assert _rows(FIXTURE, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
    assert _rows(FIXTURE, "SELECT DISTINCT pipeline_version FROM events") == [
        ("eventwire-0.1.3",)]


@pytest.mark.timeout(120)
def test_opening_migrates_and_keeps_the_rows(old_store: Path) -> None:
    before = _rows(old_store, "SELECT id, date_value FROM events ORDER BY id")
    Store.open(str(old_store)).close()
    assert _rows(old_store, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(LATEST),)]
    assert _rows(old_store, "SELECT id, date_value FROM events ORDER BY id") == before
    assert _rows(old_store, "SELECT count(*) FROM events WHERE date_refused IS NOT NULL") == [
        (0,)]


@pytest.mark.timeout(600)
def test_recode_resumes_and_records_the_version(old_store: Path, resources) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(str(old_store))
    pipe = Pipeline(resources)

    class Killed(Exception):
        pass

    def stop(_s: RecodeSummary) -> None:
        raise Killed

    with pytest.raises(Killed):  # a run killed after its first batch of two
        recode(store, pipe, PIPELINE_VERSION, batch=2, on_batch=stop)
    versions = dict(_rows(old_store, "SELECT pipeline_version, count(*) FROM articles "
                                     "GROUP BY pipeline_version"))
    assert versions == {PIPELINE_VERSION: 2, "eventwire-0.1.3": 4}
    rest = recode(store, pipe, PIPELINE_VERSION, batch=2)
    assert (rest.total, rest.recoded, rest.failures) == (4, 4, [])
    assert _rows(old_store, "SELECT DISTINCT pipeline_version FROM events") == [
        (PIPELINE_VERSION,)]
    assert recode(store, pipe, PIPELINE_VERSION).recoded == 0  # nothing left
    run = cli("check", "--db", old_store, timeout=300)
    assert run.rc == 0 and "store is sound" in run.out, run.explain()
    assert f"events by pipeline version: {PIPELINE_VERSION}" in run.out


@pytest.mark.timeout(600)
def test_recode_cli_and_info(old_store: Path) -> None:
    run = cli("recode", "--db", old_store, timeout=600)
    assert run.rc == 0, run.explain()
    assert f"recoded 6 of 6 articles with {PIPELINE_VERSION}" in run.out
    info = cli("info", "--db", old_store, timeout=300)
    assert f"events by {PIPELINE_VERSION}" in info.out, info.explain()
