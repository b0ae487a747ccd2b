"""The CLI over a hand-made store: exports read back field by field, table output, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import make_article
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.export import EXTRA_COLUMNS, POLECAT_COLUMNS
from eventwire.model import EventDate
from eventwire.store import Store

runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture
def db(store_url: str) -> str:
    dated = make_article("Norway hosted talks with Chile. They agreed on fish.")
    undated = make_article("Norway hosted talks with Chile again. No date known.",
                           title="undated")
    undated.events[0].date = EventDate()
    Store.open(store_url).write([dated, undated], version="t")
    return store_url


def test_plover_jsonl_reads_back(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = runner.invoke(app, ["events", "--db", db, "--format", "plover", "--out", str(out),
                                 "--raw"])
    assert result.exit_code == 0, result.output
    assert "1 left out because they have no date" in result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 1
    rec = records[0]
    assert rec["event"] == "CONSULT" and rec["mode"] == "visit" and rec["date"] == "2024-03-04"
    assert rec["date_precision"] == "day" and rec["date_basis"] == "explicit"
    assert rec["actor"][0]["code"] == "NOR" and rec["actor"][0]["sector"] == "GOV"
    assert rec["recipient"][0]["code"] == "CHL"
    assert rec["quad_code"] == 1 and rec["event_scale"] == 4.0
    assert rec["event_loc"]["geonameid"] == 3871336
    assert rec["event_loc"]["country_code"] == "CHL"
    assert rec["text"] == "Norway hosted talks with Chile."
    assert rec["text_info"]["start"] == 0 and rec["text_info"]["end"] == 31


def test_polecat_tsv_reads_back(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    result = runner.invoke(app, ["events", "--db", db, "--format", "polecat", "--out",
                                 str(out), "--raw"])
    assert result.exit_code == 0, result.output
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert list(rows[0].keys()) == POLECAT_COLUMNS + EXTRA_COLUMNS
    by_date = {r["Event Date"]: r for r in rows}
    assert set(by_date) == {"2024-03-04", ""}
    r = by_date["2024-03-04"]
    assert (r["Event Type"], r["Event Mode"], r["Event Intensity"]) == ("CONSULT", "visit", "4.0")
    assert r["Actor Country"] == "NOR" and r["Recipient Country"] == "CHL"
    assert r["Primary Actor Sector"] == "GOV" and r["Quad Code"] == "1"
    assert r["Placename"] == "Santiago" and r["GeoNames ID"] == "3871336"
    assert r["Date Precision"] == "day" and r["Date Basis"] == "explicit"
    assert r["Publication Date"] == "2024-03-05" and r["Source"] == "test"


def test_csv_json_and_parquet(db: str, tmp_path: Path) -> None:
    csv_out, pq_out = tmp_path / "e.csv", tmp_path / "e.parquet"
    assert runner.invoke(app, ["events", "--db", db, "-f", "csv", "--out", str(csv_out)]
                         ).exit_code == 0
    rows = list(csv.DictReader(csv_out.open(newline="")))
    assert {r["actor_codes"] for r in rows} == {"NOR"}
    assert runner.invoke(app, ["events", "--db", db, "-f", "parquet", "--out", str(pq_out),
                               "--raw"]).exit_code == 0
    assert pq.read_table(pq_out).num_rows == 2
    result = runner.invoke(app, ["events", "--db", db, "-f", "json", "--type", "CONSULT",
                                 "--raw"])
    assert len(json.loads(result.stdout)) == 2
    clustered = runner.invoke(app, ["events", "--db", db, "-f", "json"])
    assert [e["reports"] for e in json.loads(clustered.stdout)] == [2]


def test_table_and_actor_listing(db: str) -> None:
    result = runner.invoke(app, ["events", "--db", db, "--actor", "Norway"])
    assert result.exit_code == 0 and "CONSULT" in result.output
    result = runner.invoke(app, ["actors", "--db", db, "--json"])
    assert {a["code"] for a in json.loads(result.stdout)} >= {"NOR", "CHL"}


def test_usage_errors_say_what_to_do(db: str) -> None:
    result = runner.invoke(app, ["events", "--db", db, "--since", "yesterday"])
    assert result.exit_code == 2 and "E401" in result.output and "2021-08-11" in result.output
    result = runner.invoke(app, ["events", "--db", db, "-f", "parquet"])
    assert result.exit_code == 2 and "--out" in result.output
    result = runner.invoke(app, ["show", "nope", "--db", db])
    assert result.exit_code == 2 and "E402" in result.output


def test_show_highlights_article(db: str) -> None:
    store = Store.open(db)
    with store.engine.connect() as conn:
        from eventwire import query
        aid = query.events(conn, query.EventFilter(limit=1)).events[0]["article_id"]
    result = runner.invoke(app, ["show", aid, "--db", db])
    assert result.exit_code == 0 and "Norway hosted talks" in result.output
