"""Deduplication: near-duplicate articles and clusters of reports of one real-world event.

The corpus below is written for this test: three differently worded reports of one meeting
(Kenya and Ethiopia, Nairobi, 12 March 2024), an exact and a near-duplicate copy, and two
other events that must stay apart (an accusation the same day, a meeting five weeks later).
It is coded once; each test loads it into a fresh store, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from eventwire import config, query
from eventwire.model import Article
from eventwire.stages import dedupe
from eventwire.store import Store, clusters, schema

MEETING_A = (
    "Kenya and Ethiopia talk border security", "2024-03-12",
    "NAIROBI - Kenyan Foreign Minister Musalia Mudavadi met Ethiopian Foreign Minister Taye "
    "Atske Selassie in Nairobi on Tuesday to discuss security along the border between the two "
    "countries.\n\nThe two ministers agreed to set up a joint committee on cattle raids and on "
    "the movement of herders across the frontier, officials from both delegations said after "
    "the meeting.\n\nThe border region has seen repeated clashes between pastoral communities "
    "during the dry season, and aid groups have warned that drought is pushing herders into "
    "new grazing areas.")
MEETING_B = (
    "Ministers meet in Nairobi", "2024-03-12",
    "Ethiopia and Kenya held talks in Nairobi on Tuesday about insecurity on their shared "
    "frontier, the Kenyan foreign ministry said in a statement.\n\nTrade and a planned road "
    "link between the two capitals were also on the "
    "agenda, according to the statement, which gave no details of any agreement.\n\nDiplomats "
    "in the region described the visit as a sign of warmer ties after months of tension over "
    "access to the sea and a disputed grazing corridor in the north.")
MEETING_C = (
    "Nairobi hosts Ethiopian delegation", "2024-03-13",
    "Kenya hosted Ethiopian Foreign Minister Taye Atske Selassie for talks in Nairobi on "
    "Tuesday, focusing on border security and livestock theft.\n\nAnalysts welcomed the visit "
    "but said that lasting calm would depend on rain and on money for water points.")
ACCUSATION = (
    "Kenya accuses Somalia over flights", "2024-03-12",
    "Kenya accused Somalia on Tuesday of blocking flights from Nairobi to Mogadishu, a "
    "government spokesman said.\n\nSomalia did not comment on the accusation.")
LATER_MEETING = (
    "Second round of border talks", "2024-04-18",
    "Kenyan Foreign Minister Musalia Mudavadi met Ethiopian Foreign Minister Taye Atske "
    "Selassie in Addis Ababa on Wednesday for a second round of talks on the border.\n\n"
    "No agreement was announced.")
NEAR_COPY_OF_B = (
    "Kenya, Ethiopia discuss frontier", "2024-03-14",
    MEETING_B[2] + " (Additional reporting by our correspondent.)")
EXACT_COPY_OF_A = MEETING_A

CORPUS = [MEETING_A, MEETING_B, MEETING_C, ACCUSATION, LATER_MEETING, NEAR_COPY_OF_B,
          EXACT_COPY_OF_A]


def _records() -> list[dict[str, str]]:
    return [{"id": f"r{i}", "title": t, "published": p, "text": x}
            for i, (t, p, x) in enumerate(CORPUS)]


@pytest.fixture(scope="module")
def coded(resources) -> list[tuple[str, int, Article]]:
    """(path, record, coded article) for every record of the corpus, coded once."""
    from eventwire.pipeline import Pipeline

    items = _read(_records())
    result = Pipeline(resources).process([a for _, _, a in items])
    by_id = {a.id: a for a in result.articles}
    assert not result.failures
    return [(p, n, by_id[a.id]) for p, n, a in items]


def _read(records: list[dict[str, str]]) -> list[tuple[str, int, Article]]:
    import tempfile

    from eventwire.ingest import ReadOptions, read

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        items = list(read([str(path)], ReadOptions()))
    assert all(isinstance(a, Article) for _, _, a in items)
    return [("corpus.jsonl", n, a) for _, n, a in items]  # type: ignore[misc]


def _load(store: Store, items: list[tuple[str, int, Article]]):  # type: ignore[no-untyped-def]
    """Loads coded articles through the same hooks a local ingest uses."""
    from eventwire.jobs import IngestSummary, near_duplicates
    from eventwire.scale.partitions import Loader, Row

    summary = IngestSummary(run_id=store.start_run("test"))
    rows = [Row(p, n, "article", a.id, a) for p, n, a in items]
    Loader(store, config.load(), summary, near_duplicates(store)).load(rows)
    return summary


def _state(store: Store) -> dict[str, object]:
    with store.engine.connect() as conn:
        events = {r.id: r.cluster_id for r in conn.execute(select(schema.events))}
        copies = [tuple(r) for r in conn.execute(
            select(schema.article_copies.c.copy_id, schema.article_copies.c.article_id))]
        reps = query.events(conn, query.EventFilter(limit=100, sort="id")).events
        raw = query.events(conn, query.EventFilter(limit=100, sort="id", clusters=False)).events
    return {"events": events, "copies": copies,
            "reports": {r["id"]: r["reports"] for r in reps}, "raw": len(raw)}


def _ids(coded: list[tuple[str, int, Article]], *titles: str) -> set[str]:
    return {e.id for _, _, a in coded for e in a.events if a.title in titles}


@pytest.mark.parametrize("order", ["forward", "reversed"])
def test_copies_clusters_and_counts(store_url: str, coded, order: str) -> None:
    items = coded if order == "forward" else coded[::-1]
    store = Store.open(store_url)
    summary = _load(store, items)
    assert (summary.read, summary.new, summary.duplicate, summary.near_duplicate) == (7, 5, 1, 1)

    state = _state(store)
    article = {a.title: a.id for _, _, a in coded}
    assert state["copies"] == [(article[NEAR_COPY_OF_B[0]], article[MEETING_B[0]])]

    meeting = _ids(coded, MEETING_A[0], MEETING_B[0], MEETING_C[0])
    others = _ids(coded, ACCUSATION[0], LATER_MEETING[0])
    events = state["events"]
    assert isinstance(events, dict) and meeting and others
    assert {events[e] for e in meeting} == {min(meeting)}, "one cluster, smallest event id"
    assert all(events[e] != min(meeting) for e in others)
    reports = state["reports"]
    assert isinstance(reports, dict)
    assert reports[min(meeting)] == len(meeting) >= 3
    assert state["raw"] == len(events) == len(reports) + len(meeting) - 1


def test_both_orders_store_the_same(tmp_path: Path, coded) -> None:
    states = []
    for order, items in (("f", coded), ("r", coded[::-1])):
        store = Store.open(f"sqlite:///{tmp_path / order}.db")
        _load(store, items)
        states.append(_state(store))
    assert states[0] == states[1]


def test_reingest_adds_nothing_and_counts_copies_as_duplicates(tmp_path: Path, coded) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    _load(store, coded)
    again = _load(store, coded)
    assert (again.new, again.near_duplicate, again.duplicate) == (0, 0, 7)


def test_a_copy_found_in_a_later_run_from_stored_signatures(tmp_path: Path, coded) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    first = [x for x in coded if x[2].title != NEAR_COPY_OF_B[0]]
    _load(store, first)
    later = _load(Store.open(f"sqlite:///{tmp_path / 's.db'}"),
                  [x for x in coded if x[2].title == NEAR_COPY_OF_B[0]])
    assert (later.new, later.near_duplicate) == (0, 1)


def test_deleting_the_representative_repoints_the_cluster(store_url: str, coded) -> None:
    store = Store.open(store_url)
    _load(store, coded)
    meeting = _ids(coded, MEETING_A[0], MEETING_B[0], MEETING_C[0])
    rep = min(meeting)
    owner = next(a.id for _, _, a in coded if any(e.id == rep for e in a.events))
    gone = {e.id for _, _, a in coded if a.id == owner for e in a.events}
    assert store.delete_article(owner)
    events = _state(store)["events"]
    assert isinstance(events, dict)
    left = meeting - gone
    assert {events[e] for e in left} == {min(left)}
    from eventwire.store.check import check
    assert check(store) == []


def test_local_ingest_records_copies(tmp_path: Path, coded) -> None:
    """The real ingest path (reader, hook, pipeline, store) on the same corpus."""
    from eventwire.jobs import ingest

    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records()), "utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'local.db'}")
    summary = ingest([str(path)], store, config.load())
    assert (summary.new, summary.duplicate, summary.near_duplicate) == (5, 1, 1)
    loaded = Store.open(f"sqlite:///{tmp_path / 'loaded.db'}")
    _load(loaded, coded)
    assert _state(store) == _state(loaded)


def test_migration_from_v1_backfills_and_clusters(tmp_path: Path, coded) -> None:
    from sqlalchemy import text, update

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store.open(url)
    store.write([a for _, _, a in coded], version="t")
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE event_keys"))
        conn.execute(text("DROP TABLE article_signatures"))
        conn.execute(update(schema.events).values(cluster_id=schema.events.c.id))
        conn.execute(update(schema.meta).where(schema.meta.c.key == "schema_version")
                     .values(value="1"))
    store = Store.open(url)
    with store.engine.connect() as conn:
        n_sigs = len(conn.execute(select(clusters.article_signatures)).all())
    assert n_sigs == store.counts()["articles"]
    meeting = _ids(coded, MEETING_A[0], MEETING_B[0], MEETING_C[0])
    events = _state(store)["events"]
    assert isinstance(events, dict)
    assert {events[e] for e in meeting} == {min(meeting)}


# ------------------------------------------------------------------------ pure functions


def test_same_event_rules() -> None:
    base = dedupe.EventKey("e1", "a1", "CONSULT", 100, 102, frozenset({"KEN", "ETH"}), "KEN",
                           -1.28, 36.82, dedupe.terms("Kenya met Ethiopia in Nairobi for talks"))
    other = dedupe.EventKey("e2", "a2", "CONSULT", 101, 103, frozenset({"ETH"}), "KEN", None,
                            None, dedupe.terms("Ethiopia held talks in Nairobi with Kenya"))
    assert dedupe.same_event(base, other) and dedupe.same_event(other, base)
    from dataclasses import replace
    assert not dedupe.same_event(base, replace(other, article_id="a1"))
    assert not dedupe.same_event(base, replace(other, type="ACCUSE"))
    assert not dedupe.same_event(base, replace(other, first_day=110, last_day=112))
    assert dedupe.same_event(base, replace(other, first_day=None, last_day=None))
    assert not dedupe.same_event(base, replace(other, country="SOM"))
    assert not dedupe.same_event(base, replace(other, lat=9.0, lon=38.7))  # Addis Ababa
    assert not dedupe.same_event(base, replace(other, codes=frozenset({"SOM"})))
    assert not dedupe.same_event(base, replace(other, terms=dedupe.terms("Markets fell")))


@pytest.mark.parametrize("value,precision,basis,published,expected", [
    ("2024-03-12", "day", "explicit", None, (-1, 1)),
    ("2024-03-11", "week", "explicit", None, (-2, 6)),
    ("2024-02-01", "month", "explicit", None, (-40, -12)),
    ("2024-03-01", "month", "explicit", None, (-11, 19)),
    ("2024-03-12", "day", "publication", "2024-03-12", (-3, 1)),
    (None, None, None, "2024-03-12", (-3, 1)),
    (None, None, None, None, None),
])
def test_day_range(value, precision, basis, published, expected) -> None:
    from datetime import date

    got = dedupe.day_range(value, precision, basis, published)
    base = date(2024, 3, 12).toordinal()
    assert got == (None if expected is None else (base + expected[0], base + expected[1]))


def test_near_duplicates_keep_the_earliest_whatever_the_order() -> None:
    text = " ".join(f"word{i}" for i in range(200))
    late = Article(id="a2", text=text + " extra words", published="2024-01-02")
    early = Article(id="a9", text=text, published="2024-01-01")
    other = Article(id="a1", text="something else entirely " * 20, published="2024-01-01")
    for batch in ([late, early, other], [other, early, late]):
        kept, copies = dedupe.NearDuplicates().split(batch)
        assert [a.id for a in kept] == [a.id for a in batch if a.id != "a2"]
        assert [(c.copy_id, c.article_id) for c in copies] == [("a2", "a9")]
        assert copies[0].similarity >= dedupe.COPY_THRESHOLD


def test_signatures_are_deterministic() -> None:
    fp1, fp2 = dedupe.Fingerprints(), dedupe.Fingerprints()
    text = "The same words give the same signature in every process and run."
    assert dedupe.to_bytes(fp1.signature(text)) == dedupe.to_bytes(fp2.signature(text))
    assert dedupe.estimated_jaccard(dedupe.from_bytes(dedupe.to_bytes(fp1.signature(text))),
                                    fp2.signature(text)) == 1.0
