"""The store on SQLite and PostgreSQL: migrations, idempotent writes, queries, deletes."""

from __future__ import annotations

import pytest
from conftest import make_article

from eventwire import query
from eventwire.errors import StoreError
from eventwire.model import Failure
from eventwire.store import Store
from eventwire.store.migrations import LATEST, current_version


def test_open_migrates_to_latest(store_url: str) -> None:
    store = Store.open(store_url)
    with store.engine.connect() as conn:
        assert current_version(conn) == LATEST
    Store.open(store_url)  # opening again is a no-op


def test_write_is_idempotent(store_url: str) -> None:
    store = Store.open(store_url)
    article = make_article("Norway hosted talks with Chile. Nothing else happened.")
    first = store.write([article, article], version="t")
    again = store.write([article], version="t")
    assert (first.new, first.duplicate, first.events) == (1, 1, 1)
    assert (again.new, again.duplicate, again.events) == (0, 1, 0)
    assert store.counts()["events"] == 1


def test_query_filters_and_hydrates(store_url: str) -> None:
    store = Store.open(store_url)
    store.write([make_article("Norway hosted talks with Chile. Later, more.")], version="t")
    with store.engine.connect() as conn:
        hits = query.events(conn, query.EventFilter(actor="NOR", type="CONSULT",
                                                    since="2024-03", until="2024-03")).events
        misses = query.events(conn, query.EventFilter(actor="CHL")).events
        by_recipient = query.events(conn, query.EventFilter(recipient="chile")).events
    assert len(hits) == 1 and not misses and len(by_recipient) == 1
    row = hits[0]
    assert row["actors"][0]["code"] == "NOR" and row["recipients"][0]["code"] == "CHL"
    assert row["evidence"]["quote"] == "Norway hosted talks with Chile."
    assert row["reports"] == 1 and row["article"]["published"] == "2024-03-05"


def test_cursor_pagination_visits_every_event_once(store_url: str) -> None:
    store = Store.open(store_url)
    store.write([make_article(f"Norway hosted talks with Chile number {i}. End.",
                              title=f"t{i}") for i in range(7)], version="t")
    seen, f = [], query.EventFilter(limit=3, sort="id", clusters=False)
    with store.engine.connect() as conn:
        while True:
            page = query.events(conn, f)
            seen += [e["id"] for e in page.events]
            if not page.next_cursor:
                break
            f.cursor = page.next_cursor
    assert len(seen) == 7 == len(set(seen))


def test_bad_filter_values_are_coded_errors(store_url: str) -> None:
    store = Store.open(store_url)
    with store.engine.connect() as conn:
        for bad in (query.EventFilter(since="last week"), query.EventFilter(sort="name"),
                    query.EventFilter(limit=0), query.EventFilter(cursor="!!notacursor")):
            with pytest.raises(Exception) as info:
                query.events(conn, bad)
            assert getattr(info.value, "code", "").startswith("E4")


def test_delete_article_removes_everything_it_coded(store_url: str) -> None:
    store = Store.open(store_url)
    article = make_article("Norway hosted talks with Chile. Then they left.")
    store.write([article], version="t")
    assert store.delete_article(article.id)
    assert not store.delete_article(article.id)
    counts = store.counts()
    assert counts["articles"] == 0 and counts["events"] == 0


def test_failures_and_progress_are_stored(store_url: str) -> None:
    store = Store.open(store_url)
    run = store.start_run("x.jsonl")
    store.write([], [Failure("x.jsonl", "E101", "bad json", "fix it", "3")], run, {"x": 4})
    store.write([], [], run, {"x": 9})
    assert store.progress() == {"x": 9}
    assert store.counts()["failures"] == 1


def test_newer_schema_is_refused(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    store = Store.open(url)
    from sqlalchemy import update

    from eventwire.store import schema
    with store.engine.begin() as conn:
        conn.execute(update(schema.meta).values(value=str(LATEST + 1)))
    with pytest.raises(StoreError) as info:
        Store.open(url)
    assert info.value.code == "E301"


def test_check_finds_a_corrupted_evidence_offset(store_url: str) -> None:
    from sqlalchemy import update

    from eventwire.store import schema
    from eventwire.store.check import check

    store = Store.open(store_url)
    store.write([make_article("Norway hosted talks with Chile. Then they left.")], version="t")
    assert check(store) == []
    with store.engine.begin() as conn:
        conn.execute(update(schema.evidence).values(start=3))
    problems = check(store)
    assert [p.check for p in problems] == ["evidence offsets"]
