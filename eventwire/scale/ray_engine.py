"""``eventwire ingest --engine ray``: the same stages on a Ray cluster (or one machine).

The driver plans shards of the input (:mod:`eventwire.scale.shards`: pieces of local files
or object-store URIs) and hands them to a Ray Data pipeline whose workers are an actor
pool: each actor builds one :class:`~eventwire.pipeline.Pipeline` (one model load per
worker), codes a shard, writes it as a Parquet partition and returns its name. The driver
streams the finished partitions back in shard order and loads them into the store
(SQLite or PostgreSQL) through the same hooks a local ingest uses, so the two engines
store exactly the same events; loading is idempotent, like every ``Store.write``.

Where Ray runs: an already initialised Ray (tests, notebooks) is used as it is; otherwise
``RAY_ADDRESS`` (``ray start --head`` prints it) joins a cluster, and without it a local
Ray instance with ``pipeline.workers`` CPUs is started and stopped. Partitions go to
``EVENTWIRE_RAY_OUTPUT`` (a folder every worker can write and the driver can read, such as
``s3://bucket/prefix``) or to a temporary folder removed after loading.

See docs/scale.md.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from eventwire import config as config_mod
from eventwire.jobs import IngestSummary, _resume_points, near_duplicates
from eventwire.pipeline import merge_stats, one_blas_thread
from eventwire.scale import partitions
from eventwire.scale.shards import Piece, Shard, plan
from eventwire.store import Store, schema

RECORDS_PER_SHARD = 128  # at most; fewer when the input is small, so every worker gets work
MIN_RECORDS_PER_SHARD = 8
SHARDS_PER_WORKER = 4


class RayCoder:
    """The Ray Data UDF: one actor per worker, one Pipeline per actor."""

    def __init__(self, cfg: config_mod.Config, options: dict | None, out: str,
                 known: Any) -> None:
        import ray

        one_blas_thread()
        ids = ray.get(known) if isinstance(known, ray.ObjectRef) else known
        self.coder = partitions.ShardCoder(cfg, options, ids)
        self.out = out

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        names, counts, stats = [], [], []
        for index, pieces in zip(batch["index"], batch["pieces"], strict=True):
            shard = Shard(int(index), [Piece(str(p["path"]), int(p["first"]),
                                             None if p["last"] is None else int(p["last"]))
                                       for p in pieces])
            rows, st = self.coder.code(shard)
            name = _join(self.out, f"part-{shard.index:06d}.parquet")
            partitions.write_partition(rows, name)
            names.append(name)
            counts.append(len(rows))
            stats.append(partitions.stats_to_json(st))
        return {"index": list(batch["index"]), "partition": names, "rows": counts,
                "stats": stats}


def ingest(paths: Iterable[str], store: Store, cfg: config_mod.Config,
           options: dict | None = None, resume: bool = False) -> IngestSummary:
    """Reads, codes (on Ray) and stores everything under ``paths``; returns what happened."""
    import ray

    paths = list(paths)
    summary = IngestSummary(run_id=store.start_run("--engine ray " + " ".join(paths)))
    status = "failed"
    started = _ensure_ray(cfg)
    out, temporary = _output()
    try:
        skip = _resume_points(store, paths) if resume else {}
        summary.skipped_resume = sum(skip.values())
        shards = plan(paths, _shard_size(paths, cfg), skip)
        if shards:
            _run(shards, store, cfg, options, out, summary)
        status = "completed"
    finally:
        store.finish_run(int(summary.run_id or 0), "completed with failures"
                         if status == "completed" and summary.failed else status)
        if temporary:
            shutil.rmtree(out, ignore_errors=True)
        if started:
            ray.shutdown()
    return summary


def _run(shards: list[Shard], store: Store, cfg: config_mod.Config, options: dict | None,
         out: str, summary: IngestSummary) -> None:
    import ray

    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    known = sorted(_known_ids(store))
    items = [{"index": s.index, "pieces": [asdict(p) for p in s.pieces]} for s in shards]
    with warnings.catch_warnings():  # max_restarts has no named parameter in Ray 2.60 yet
        warnings.simplefilter("ignore", DeprecationWarning)
        ds = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
            RayCoder, batch_size=1, num_cpus=1,
            compute=ray.data.ActorPoolStrategy(size=_workers(cfg, len(shards))),
            max_restarts=0,  # a failing worker fails the run, loudly
            fn_constructor_kwargs={"cfg": cfg, "options": options, "out": out,
                                   "known": known})
    loader = partitions.Loader(store, cfg, summary, near_duplicates(store))
    loader.load(_rows(ds, summary))


def _rows(ds: Any, summary: IngestSummary) -> Iterator[partitions.Row]:
    """Every coded row, partition after partition in shard order, as they finish (one
    stream, so batches span partitions exactly as a local run's batches span files)."""
    for done in ds.iter_rows():
        merge_stats(summary.stages, partitions.stats_from_json(str(done["stats"])))
        yield from partitions.read_partition(str(done["partition"]))


def _shard_size(paths: list[str], cfg: config_mod.Config) -> int:
    from eventwire.jobs import estimate_records

    if any("://" in p for p in paths):
        return RECORDS_PER_SHARD
    total = estimate_records(paths) or 0
    workers = max(1, int(cfg["pipeline"]["workers"]))
    per = -(-total // (workers * SHARDS_PER_WORKER))
    return max(MIN_RECORDS_PER_SHARD, min(RECORDS_PER_SHARD, per))


def _known_ids(store: Store) -> set[str]:
    from sqlalchemy import select

    with store.engine.connect() as conn:
        ids = set(conn.scalars(select(schema.articles.c.id)))
        ids.update(conn.scalars(select(schema.article_copies.c.copy_id)))
    return ids


def _workers(cfg: config_mod.Config, shards: int) -> int:
    import ray

    n = int(cfg["pipeline"]["workers"])
    if n <= 0:
        n = int(ray.cluster_resources().get("CPU", 1))
    return max(1, min(n, shards))


def _ensure_ray(cfg: config_mod.Config) -> bool:
    """Connects to Ray; True when this call started a local instance (and must stop it)."""
    import ray

    if ray.is_initialized():
        return False
    address = os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
        return True
    n = int(cfg["pipeline"]["workers"])
    ray.init(num_cpus=n if n > 0 else None, include_dashboard=False, logging_level=logging.ERROR,
             log_to_driver=False)
    return True


def _output() -> tuple[str, bool]:
    given = os.environ.get("EVENTWIRE_RAY_OUTPUT")
    if given:
        if "://" not in given:
            os.makedirs(given, exist_ok=True)
        return given, False
    return tempfile.mkdtemp(prefix="eventwire-ray-"), True


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name


__all__ = ["RECORDS_PER_SHARD", "RayCoder", "ingest"]
