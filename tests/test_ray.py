"""The Ray engine stores exactly what the local engine stores (ids and every field).

Starts a local Ray instance with 2 CPUs, ingests a sample of the Gigaword file with both
engines into fresh stores and compares the stores table by table.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest
from sqlalchemy import select

from eventwire import config
from eventwire.store import Store, clusters, schema

SAMPLE = 40
VOLATILE = {"ingested_at", "started_at", "finished_at", "created_at", "run_id", "path", "args"}


@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def sample(shared: Path, tmp_path_factory) -> Path:
    """Every 50th Gigaword article (40 of them), plus one exact and one near copy."""
    src = shared / "corpora" / "gigaword-afp-xinhua.jsonl"
    with src.open(encoding="utf-8") as fh:
        lines = list(islice((x for i, x in enumerate(fh) if i % 50 == 7), SAMPLE))
    import json
    near = json.loads(lines[3])
    near["title"] = (near.get("title") or "") + " (update)"
    near["text"] += "\n\nThis story was corrected."
    path = tmp_path_factory.mktemp("ray") / "sample.jsonl"
    path.write_text("".join(lines) + lines[5] + json.dumps(near) + "\n", "utf-8")
    return path


def _dump(store: Store) -> dict[str, list[dict]]:
    tables = [schema.articles, schema.events, schema.participants, schema.evidence,
              schema.actors, schema.quotes, schema.article_copies, schema.failures,
              schema.progress, clusters.event_keys, clusters.article_signatures]
    out = {}
    with store.engine.connect() as conn:
        for t in tables:
            rows = [{k: v for k, v in r._mapping.items() if k not in VOLATILE}
                    for r in conn.execute(select(t))]
            out[t.name] = sorted(rows, key=repr)
    return out


def test_ray_engine_matches_local(ray_local, sample: Path, tmp_path: Path) -> None:
    from eventwire.jobs import ingest as local_ingest
    from eventwire.scale import ray_engine

    cfg = config.load(overrides={"pipeline": {"workers": 2}})
    local = Store.open(f"sqlite:///{tmp_path / 'local.db'}")
    on_ray = Store.open(f"sqlite:///{tmp_path / 'ray.db'}")
    a = local_ingest([str(sample)], local, cfg)
    b = ray_engine.ingest([str(sample)], on_ray, cfg)
    counts = ("read", "new", "duplicate", "near_duplicate", "failed", "events")
    assert [getattr(a, c) for c in counts] == [getattr(b, c) for c in counts]
    assert (a.read, a.duplicate, a.near_duplicate) == (SAMPLE + 2, 1, 1) and a.events > 0
    assert set(b.stages) == set(a.stages)
    local_rows, ray_rows = _dump(local), _dump(on_ray)
    for table, rows in local_rows.items():
        assert ray_rows[table] == rows, f"table {table} differs"

    again = ray_engine.ingest([str(sample)], on_ray, cfg)
    assert (again.new, again.events, again.duplicate) == (0, 0, SAMPLE + 2)
    assert _dump(on_ray) == ray_rows


def test_shards_cover_every_record_once(tmp_path: Path) -> None:
    from eventwire.ingest import ReadOptions
    from eventwire.scale.shards import plan, records

    path = tmp_path / "x.jsonl"
    path.write_text("".join(f'{{"title": "t{i}", "text": "Text number {i}."}}\n'
                            for i in range(23)) + "not json\n", "utf-8")
    shards = plan([str(path)], 5)
    assert len(shards) == 5
    seen = [(n, type(item).__name__) for s in shards for p in s.pieces
            for _, n, item in records(p, ReadOptions())]
    assert [n for n, _ in seen] == list(range(1, 25))
    assert seen[-1][1] == "Failure"


def test_object_store_uris_are_listed_and_read(tmp_path: Path) -> None:
    from eventwire.ingest import ReadOptions
    from eventwire.scale.shards import files, plan, records

    folder = tmp_path / "bucket"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"title": "t", "text": "Some text."}\n', "utf-8")
    (folder / ".hidden.jsonl").write_text("ignored\n", "utf-8")
    uri = f"file://{folder}"
    assert list(files(uri)) == [f"{uri}/a.jsonl"]
    (shard,) = plan([uri], 10)
    (item,) = [(p, n, a) for piece in shard.pieces for p, n, a in records(piece, ReadOptions())]
    assert item[0] == f"{uri}/a.jsonl" and item[1] == 1
    assert item[2].origin == f"{uri}/a.jsonl:1"  # type: ignore[union-attr]
