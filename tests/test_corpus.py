"""Whole-corpus checks on the 2,452 Gigaword articles, on SQLite and PostgreSQL, sharing
one real `eventwire ingest` per backend."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli
from sqlalchemy import select

from eventwire.store import Store, schema

pytestmark = pytest.mark.slow
GIGAWORD_ARTICLES = 2452


def test_ingest_stores_every_article_with_a_progress_bar(gigaword_store: dict) -> None:
    first = gigaword_store["first"]
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert f"{GIGAWORD_ARTICLES}/{GIGAWORD_ARTICLES}" in first.stderr  # the progress bar
    counts = Store.open(gigaword_store["url"]).counts()
    assert counts["articles"] + counts["article_copies"] == GIGAWORD_ARTICLES
    assert counts["events"] > 500 and counts["failures"] == 0


def test_second_ingest_adds_nothing(gigaword_store: dict) -> None:
    store = Store.open(gigaword_store["url"])
    before = store.counts()
    again = run_cli("ingest", str(gigaword_store["corpus"]), "--db", gigaword_store["url"])
    assert again.returncode == 0, again.stderr[-2000:]
    after = store.counts()
    assert after["articles"] == before["articles"] and after["events"] == before["events"]
    assert re.search(r"\bnew\s*│\s*0\s*│", again.stdout), again.stdout
    assert re.search(r"events stored\s*│\s*0\s*│", again.stdout), again.stdout


def test_every_evidence_quote_is_the_article_text_at_its_offsets(gigaword_store: dict) -> None:
    store = Store.open(gigaword_store["url"])
    ev, art = schema.evidence, schema.articles
    n = 0
    with store.engine.connect() as conn:
        for quote, start, end, text in conn.execute(
                select(ev.c.quote, ev.c.start, ev.c.end, art.c.text)
                .join(art, art.c.id == ev.c.article_id)):
            assert text[start:end] == quote
            n += 1
    assert n == store.counts()["events"]


def test_store_passes_the_integrity_check(gigaword_store: dict) -> None:
    result = run_cli("check", "--db", gigaword_store["url"])
    assert result.returncode == 0, result.stdout


def test_every_event_is_dated_or_honestly_undated(gigaword_store: dict) -> None:
    store = Store.open(gigaword_store["url"])
    e = schema.events
    with store.engine.connect() as conn:
        rows = conn.execute(select(e.c.date_value, e.c.date_precision, e.c.date_basis)).all()
    for value, precision, basis in rows:
        if value is None:
            assert basis is None or basis == ""
        else:
            assert len(value) == 10 and precision and basis in {
                "explicit", "relative", "dateline", "publication"}
