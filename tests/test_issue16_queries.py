"""Questions an analyst asks (issue 16), on a store built from real Gigaword articles.

The store: every article of ../shared/corpora/gigaword-afp-xinhua.jsonl that SELECT picks
(clock times and BC years in the text, Russia and China together, Iran with its president,
foreign minister or supreme leader), ingested once per session through the real CLI. The
same questions are asked of the query layer, the CLI and the API (in process), which must
agree.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from corpus_fixtures import cli, cli_env
from fastapi.testclient import TestClient

from eventwire import config, query, query_views
from eventwire.query import EventFilter
from eventwire.store import Store

pytest_plugins = ["corpus_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = "gigaword-afp-xinhua.jsonl"
SELECT = (r"\(\d{4} GMT\)|B\.C\.|Russian and Chinese|Russia and China|China and Russia",
          r"\bIran.*(?:Ahmadinejad|Mottaki|Khamenei)|(?:Ahmadinejad|Mottaki|Khamenei).*\bIran")
HAPPENED = {"asserted", "ongoing", "historical"}


@pytest.fixture(scope="session")
def analyst_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The selected articles (about 90) ingested with the real CLI."""
    folder = tmp_path_factory.mktemp("issue16")
    picked = [line for line in (shared / "corpora" / CORPUS).open(encoding="utf-8")
              if any(re.search(p, json.loads(line)["text"], re.S) for p in SELECT)]
    assert len(picked) > 50, "the selection found too few articles"
    source = folder / "selected.jsonl"
    source.write_text("".join(picked), encoding="utf-8")
    db = folder / "analyst.db"
    run = cli("ingest", source, "--db", db)
    assert run.rc == 0, run.explain()
    return db


@pytest.fixture(scope="session")
def store(analyst_db: Path) -> Store:
    return Store.open(str(analyst_db))  # it exists: ingest made it


def ids(store: Store, **kw: Any) -> set[str]:
    f = EventFilter(limit=query.MAX_LIMIT, **kw)
    with store.engine.connect() as conn:
        query.check(conn, f)
        return {e["id"] for e in query.events(conn, f).events}


@pytest.fixture(scope="session")
def client(analyst_db: Path) -> TestClient:
    cfg = config.load(overrides={"store": {"url": f"sqlite:///{analyst_db}"}})
    from eventwire.api.app import create_app

    return TestClient(create_app(cfg))


# --- 1. actor scope ---------------------------------------------------------------------


@pytest.mark.timeout(900)
def test_a_country_by_code_name_demonym_or_capital_is_the_same_question(store: Store) -> None:
    by_code = ids(store, actor="IRN")
    assert by_code, "no Iranian events in the selection"
    for term in ("Iran", "iran", "Iranian", "Tehran"):
        assert ids(store, actor=term) == by_code, term


@pytest.mark.timeout(900)
def test_default_scope_counts_office_holders_and_nests(store: Store) -> None:
    state, default, every = (ids(store, actor="IRN", actor_scope=s)
                             for s in ("state", "default", "all"))
    assert state <= default <= every
    president = ids(store, actor="Ahmadinejad")
    assert president and president <= default and not president <= state


@pytest.mark.timeout(900)
def test_an_ambiguous_or_unknown_actor_is_an_error(store: Store) -> None:
    with store.engine.connect() as conn:
        with pytest.raises(Exception, match="ambiguous") as amb:
            query.check(conn, EventFilter(actor="Bush"))
        assert "George W. Bush" in str(amb.value)
        with pytest.raises(Exception, match="no actor matches") as unknown:
            query.check(conn, EventFilter(actor="Rusia"))
        assert "russia" in str(unknown.value)


# --- 2. A with B ------------------------------------------------------------------------


@pytest.mark.timeout(900)
def test_with_is_either_direction_or_side_by_side(store: Store) -> None:
    both = ids(store, actor="RUS", partner="CHN", modality="all")
    directed = (ids(store, actor="RUS", recipient="CHN", modality="all")
                | ids(store, actor="CHN", recipient="RUS", modality="all"))
    assert directed < both, "joint RUS+CHN actions are missing"
    with store.engine.connect() as conn:
        rows = query.events(conn, EventFilter(actor="RUS", partner="CHN", modality="all",
                                              limit=query.MAX_LIMIT)).events
        dyad = query_views.dyad(conn, "RUS", "CHN", EventFilter(modality="all"))
    for e in rows:
        actors = {a["country"] for a in e["actors"]}
        assert actors & {"RUS", "CHN"}, "both only among the recipients"
    assert dyad["totals"]["events"] == len(both) and dyad["together"] >= 1


# --- 3. what happened -------------------------------------------------------------------


@pytest.mark.timeout(900)
def test_happened_is_the_default_and_the_rest_is_counted(store: Store) -> None:
    with store.engine.connect() as conn:
        default = EventFilter(clusters=False, limit=query.MAX_LIMIT)
        shown = query.events(conn, default).events
        hidden = query.hidden(conn, default)
        every = query.count(conn, EventFilter(clusters=False, modality="all"))
        stats = query_views.stats(conn, EventFilter())
    assert {e["modality"] for e in shown} <= HAPPENED
    assert hidden > 0 and len(shown) + hidden == every
    assert stats["hidden"] > 0


# --- 4. plausible dates -----------------------------------------------------------------


@pytest.mark.timeout(900)
def test_no_clock_time_or_bc_year_is_stored_as_a_date(store: Store) -> None:
    refused: dict[str, int] = {}
    with store.engine.connect() as conn:
        from sqlalchemy import select

        from eventwire.store import schema

        A = schema.articles
        for text, notes in conn.execute(select(A.c.text, A.c.annotations)):
            for t in json.loads(notes)["times"]:
                after = text[t["span"]["end"]:t["span"]["end"] + 12]
                if re.fullmatch(r"\d{4}", t["span"]["text"]) and re.match(
                        r"\s*(GMT|B\.C\.)|\s*to \d+ B\.C\.", after):
                    assert t["value"] is None and t.get("refused") in ("clock", "bc"), t
                    refused[t["refused"]] = refused.get(t["refused"], 0) + 1
        first = conn.scalar(select(schema.events.c.date_value)
                            .order_by(schema.events.c.date_value).limit(1)
                            .where(schema.events.c.date_value.is_not(None)))
    assert refused.get("clock", 0) > 5 and refused.get("bc", 0) >= 1, refused
    assert first is not None and first >= "1800"


@pytest.mark.timeout(900)
def test_check_reports_refused_dates_and_pipeline_versions(analyst_db: Path) -> None:
    from eventwire.pipeline import PIPELINE_VERSION

    run = cli("check", "--db", analyst_db, timeout=300)
    assert run.rc == 0, run.explain()
    assert re.search(r"refused dates by reason: time expressions .*clock \d+", run.out)
    assert f"events by pipeline version: {PIPELINE_VERSION}" in run.out


# --- 5. no silent nothing: the CLI --------------------------------------------------------


@pytest.mark.timeout(900)
@pytest.mark.parametrize(("args", "says"), [
    (["--type", "MEETING"], "CONSULT"),
    (["--since", "2006-12", "--until", "2005-01"], "swap"),
    (["--min-confidence", "150"], "outside 0-1"),
    (["--actor", "Rusia"], "russia"),
    (["--modality", "maybe"], "happened"),
])
def test_cli_typos_exit_2_with_a_hint(analyst_db: Path, args: list[str], says: str) -> None:
    run = cli("events", "--db", analyst_db, *args, timeout=300)
    assert run.rc == 2, run.explain()
    assert "E401" in run.err and says in run.err.replace("\n", " "), run.explain()


@pytest.mark.timeout(900)
def test_cli_percentage_is_read_and_said(analyst_db: Path) -> None:
    run = cli("events", "--db", analyst_db, "--min-confidence", "70", "-f", "json",
              timeout=300)
    assert run.rc == 0, run.explain()
    assert "percentage" in run.err
    assert all(e["confidence"] >= 0.7 for e in json.loads(run.out))


@pytest.mark.timeout(900)
def test_cli_with_and_hidden_count(store: Store, analyst_db: Path) -> None:
    run = cli("events", "--db", analyst_db, "--actor", "Russia", "--with", "China", "-f",
              "json", timeout=300)
    assert run.rc == 0, run.explain()
    assert {e["id"] for e in json.loads(run.out)} == ids(store, actor="RUS", partner="CHN")
    assert re.search(r"\d+ future, hypothetical or negated events hidden", run.err)


@pytest.mark.timeout(900)
def test_cli_known_actor_without_events_shows_coverage(analyst_db: Path) -> None:
    run = cli("events", "--db", analyst_db, "--actor", "Vanuatu", timeout=300)
    assert run.rc == 0, run.explain()
    assert re.search(r"0 events; the store holds \d+ articles published 19\d\d", run.err)


def _bare(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in cli_env().items() if k not in ("EVENTWIRE_DB", "EVENTWIRE_CONFIG")
           and not k.startswith("EVENTWIRE_STORE")}
    env["PYTHONPATH"] = str(ROOT)  # this checkout, whatever the current folder
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.timeout(900)
def test_no_store_is_created_by_reading(tmp_path: Path, analyst_db: Path) -> None:
    import shutil

    none = _bare(["events"], tmp_path)
    assert none.returncode == 2 and "E040" in none.stderr, none.stderr
    shutil.copy(analyst_db, tmp_path / "analyst.db")
    typo = _bare(["events", "--db", "analyts.db"], tmp_path)
    assert typo.returncode == 2 and "E304" in typo.stderr, typo.stderr
    assert "analyst.db" in typo.stderr.replace("\n", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analyst.db"]


@pytest.mark.timeout(900)
def test_missing_input_is_a_usage_error_before_the_model(tmp_path: Path) -> None:
    import time

    started = time.perf_counter()
    run = _bare(["ingest", "no-such-file.jsonl", "--db", "new.db"], tmp_path)
    assert run.returncode == 2 and "E042" in run.stderr, run.stderr
    assert time.perf_counter() - started < 30
    assert not (tmp_path / "new.db").exists()


# --- the API (in process) ------------------------------------------------------------------


def _total(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/api/events", params={"total": "true", "limit": 1000, **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


@pytest.mark.timeout(900)
def test_api_agrees_with_the_query_layer(client: TestClient, store: Store) -> None:
    assert _total(client, actor="Iran")["total"] == _total(client, actor="IRN")["total"] \
        == len(ids(store, actor="IRN"))
    page = _total(client, actor="RUS", **{"with": "CHN"})
    assert {e["id"] for e in page["events"]} == ids(store, actor="RUS", partner="CHN")
    every = _total(client, modality="all")["total"]
    default = _total(client)
    assert default["hidden"] > 0 and default["total"] + default["hidden"] == every
    dyad = client.get("/api/dyads", params={"a": "Russia", "b": "China", "modality": "all"})
    assert dyad.status_code == 200 and dyad.json()["together"] >= 1
    dossier = client.get("/api/actors/IRN").json()
    assert dossier["actor"]["name"] == "Iran"
    assert dossier["as_actor"]["events"] == len(ids(store, actor="IRN", modality="all"))
    meta = client.get("/api/meta").json()
    assert sum(meta["events_by_pipeline"].values()) == meta["counts"]["events"]


@pytest.mark.timeout(900)
@pytest.mark.parametrize(("params", "says"), [
    ({"actor": "Rusia"}, "russia"),
    ({"type": "MEETING"}, "CONSULT"),
    ({"modality": "maybe"}, "happened"),
    ({"since": "2006-12", "until": "2005-01"}, "swap"),
])
def test_api_typos_are_422_with_the_hint(client: TestClient, params: dict[str, str],
                                         says: str) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "E401" and says in error["hint"], error


@pytest.mark.timeout(900)
def test_api_percentage_confidence_is_noted(client: TestClient) -> None:
    page = _total(client, min_confidence=70)
    assert page["notes"] and "percentage" in page["notes"][0]
    assert all(e["confidence"] >= 0.7 for e in page["events"])
