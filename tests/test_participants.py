"""Participants the text does not name: the unknown actor in the store (migration 3 on a store
written by the parent code), the query filter, the views and every export format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import make_article
from sqlalchemy import select

from eventwire import export, query, query_views
from eventwire.ids import event_id, group_key
from eventwire.model import Actor, Article, Event, EventDate, Evidence, Place, span_of
from eventwire.stages import Work, events_groups
from eventwire.stages.events.participants import Participants, unknown_actor
from eventwire.store import Store, schema
from eventwire.store.migrations import LATEST, current_version

FIXTURE = Path(__file__).parent / "fixtures" / "store_evargs_v2.db"


def _arrest_article() -> Article:
    """An article with one COERCE whose agent is not named and one CONSULT between states."""
    article = make_article("Norway hosted talks with Chile. Five students were arrested.")
    text = article.text
    start = text.index("Five")
    sent = span_of(text, start, len(text))
    students = Actor("students", None, None, "EDU", "group", key="r-students",
                     span=span_of(text, start + 5, start + 13))
    unknown = unknown_actor()
    event = Event(id=event_id(article.id, sent.start, sent.end, "COERCE", ["Unknown", ">students"]),
                  type="COERCE", evidence=Evidence(article.id, 1, sent, sent.text),
                  mode="arrest", actors=[unknown], recipients=[students],
                  date=EventDate("2024-03-04", "day", "explicit"), confidence=0.7, quad=4)
    article.events.append(event)
    return article


@pytest.fixture
def db(store_url: str) -> str:
    Store.open(store_url).write([_arrest_article()], version="t")
    return store_url


def _rows(url: str, **kw: object) -> list[dict]:
    store = Store.open(url)
    with store.engine.connect() as conn:
        return query.events(conn, query.EventFilter(**kw)).events  # type: ignore[arg-type]


@pytest.mark.timeout(60)
def test_migration_3_opens_a_store_written_by_the_parent_code(tmp_path: Path) -> None:
    copy = tmp_path / "parent.db"
    shutil.copy(FIXTURE, copy)
    store = Store.open(f"sqlite:///{copy}")
    with store.engine.connect() as conn:
        assert current_version(conn) == LATEST >= 3
        flags = conn.execute(select(schema.actors.c.unknown)).scalars().all()
        page = query.events(conn, query.EventFilter(limit=50))
    assert flags and not any(flags)  # every actor the parent stored is named
    assert len(page.events) == 8
    assert all(p["unknown"] is False for r in page.events for p in r["actors"] + r["recipients"])
    Store.open(f"sqlite:///{copy}")  # opening again migrates nothing


@pytest.mark.timeout(60)
def test_actor_unknown_filters_events_with_an_unnamed_agent(db: str) -> None:
    found = _rows(db, actor="unknown")
    assert [r["type"] for r in found] == ["COERCE"]
    assert found[0]["actors"][0]["unknown"] is True and found[0]["actors"][0]["code"] is None
    assert {r["type"] for r in _rows(db, actor="NOR")} == {"CONSULT"}
    assert [r["type"] for r in _rows(db, recipient="students")] == ["COERCE"]


@pytest.mark.timeout(60)
def test_unknown_actor_is_no_node_no_dossier_no_listed_actor(db: str) -> None:
    store = Store.open(db)
    key = unknown_actor().key
    with store.engine.connect() as conn:
        net = query_views.network(conn, query.EventFilter())
        assert key not in {n["key"] for n in net["nodes"]}
        assert query_views.dossier(conn, key) is None
        assert key not in {a["key"] for a in query.actors(conn)}
        assert query_views.dossier(conn, "r-students") is not None


@pytest.mark.timeout(60)
def test_exports_write_the_unknown_actor(db: str) -> None:
    rows = _rows(db, actor="unknown")
    plover = json.loads(export.to_string(rows, "plover").splitlines()[0])
    assert plover["actor"] == [{"unknown": True, "code": None, "sector": None,
                                "entity_text": None, "name": "Unknown", "kind": "unknown"}]
    assert plover["recipient"][0]["code"] is None and plover["recipient"][0]["sector"] == "EDU"
    tsv = list(csv.DictReader(io.StringIO(export.to_string(rows, "polecat")), delimiter="\t"))
    assert (tsv[0]["Actor Name"], tsv[0]["Actor Country"]) == ("Unknown", "")
    assert tsv[0]["Recipient Name"] == "students"
    as_json = json.loads(export.to_string(rows, "json"))
    assert as_json[0]["actors"][0]["unknown"] is True and as_json[0]["actors"]
    flat = next(csv.DictReader(io.StringIO(export.to_string(rows, "csv"))))
    assert flat["actor_names"] == "Unknown" and flat["actor_codes"] == ""


@pytest.mark.timeout(30)
def test_rules_file_loads_and_unknown_actor_is_never_a_country() -> None:
    rules = Participants.load()
    assert {"ASSAULT", "COERCE"} <= rules.unknown_types
    assert "negated" not in rules.unknown_modalities and rules.allows("asserted")
    a = rules.unknown()
    assert a.unknown and a.code is None and a.country is None and a.kind == "unknown"
    assert a.key == unknown_actor().key


def _located_event(country: str | None, *parties: Actor) -> Work:
    text = "Police detained protesters."
    sent = span_of(text, 0, len(text))
    place = Place("Somewhere", country=country, is_event_location=True) if country else None
    event = Event(id="e1", type="COERCE", evidence=Evidence("a", 0, sent, text),
                  actors=[parties[0]], recipients=list(parties[1:]), place=place)
    return Work(Article(id="a", text=text, events=[event]))


def _bare(noun: str, sector: str) -> Actor:
    return Actor(noun, None, None, sector, "group", key=group_key(None, sector, noun))


@pytest.mark.timeout(30)
def test_bare_local_groups_take_the_event_country_and_a_country_key(resources) -> None:
    stage = events_groups.build(resources)
    coded = {}
    for country in ("KEN", "UGA"):
        work = _located_event(country, _bare("police", "COP"), _bare("protesters", "CVL"),
                              _bare("troops", "MIL"), unknown_actor())
        stage(work)
        coded[country] = work.article.events[0]
    ken, uga = coded["KEN"], coded["UGA"]
    police = ken.actors[0]
    assert (police.code, police.country, police.kind) == ("KEN", "KEN", "group")
    assert ken.actors[0].key != uga.actors[0].key  # police of two countries: two actors
    assert ken.actors[0].key == group_key("KEN", "COP", "police")
    assert ken.recipients[0].code == "KEN" and ken.recipients[0].sector == "CVL"
    assert ken.recipients[1].code is None  # troops in Kenya may be anyone's
    assert ken.recipients[2].unknown and ken.recipients[2].code is None


@pytest.mark.timeout(30)
def test_bare_group_without_a_located_event_keeps_no_country(resources) -> None:
    work = _located_event(None, _bare("police", "COP"), _bare("students", "EDU"))
    events_groups.build(resources)(work)
    event = work.article.events[0]
    assert [a.code for a in event.actors + event.recipients] == [None, None]
