"""Coded shards as Parquet partitions, and loading them into the store in input order.

A worker codes one :class:`~eventwire.scale.shards.Shard` with the ordinary
:class:`~eventwire.pipeline.Pipeline` and writes ``part-NNNNNN.parquet``: one row per input
record, in record order, with the coded article as JSON. The driver loads partitions in
shard order through the same hooks as a local ingest (skip stored ids, near-duplicates,
``Store.write`` per batch), so both engines store exactly the same articles and events,
and loading a partition twice adds nothing.

Row kinds: ``article`` (coded), ``failed`` (the article and the stage failure it hit),
``failure`` (a record that could not be read), ``known`` (already stored when the run
started; not coded).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from eventwire import config as config_mod
from eventwire.jobs import IngestSummary, _chunks, _commit
from eventwire.model import Article, Failure
from eventwire.pipeline import BatchResult, Pipeline, StageStats, merge_stats
from eventwire.resources import Resources
from eventwire.scale import codec
from eventwire.scale.shards import Shard, records
from eventwire.stages.dedupe import NearDuplicates
from eventwire.store import Store

COLUMNS = ("path", "record", "kind", "article_id", "article", "failure")


@dataclass
class Row:
    path: str
    record: int
    kind: str
    article_id: str | None = None
    article: Article | None = None
    failure: Failure | None = None

    def encoded(self) -> dict[str, object]:
        return {"path": self.path, "record": self.record, "kind": self.kind,
                "article_id": self.article_id,
                "article": codec.article_to_json(self.article) if self.article else None,
                "failure": codec.failure_to_json(self.failure) if self.failure else None}


def decoded(raw: dict[str, object]) -> Row:
    article, failure = raw.get("article"), raw.get("failure")
    return Row(str(raw["path"]), int(raw["record"]), str(raw["kind"]),  # type: ignore[call-overload]
               raw.get("article_id"),  # type: ignore[arg-type]
               codec.article_from_json(article) if isinstance(article, str) else None,
               codec.failure_from_json(failure) if isinstance(failure, str) else None)


# --------------------------------------------------------------------------- worker side


class ShardCoder:
    """Codes shards with one Pipeline (one model load) per worker process."""

    def __init__(self, cfg: config_mod.Config, options: dict | None = None,
                 known: Iterable[str] = ()) -> None:
        from eventwire.ingest import ReadOptions

        self.pipeline = Pipeline(Resources(cfg))
        self.opts = ReadOptions(limits=cfg["limits"], **(options or {}))
        self.batch_size = int(cfg["pipeline"]["batch_size"])
        self.known = frozenset(known)

    def code(self, shard: Shard) -> tuple[list[Row], dict[str, StageStats]]:
        rows: list[Row] = []
        todo: list[tuple[int, Article]] = []
        for piece in shard.pieces:
            for path, number, item in records(piece, self.opts):
                if isinstance(item, Failure):
                    rows.append(Row(path, number, "failure", failure=item))
                elif item.id in self.known:
                    rows.append(Row(path, number, "known", item.id))
                else:
                    todo.append((len(rows), item))
                    rows.append(Row(path, number, "article", item.id, item))
        stats: dict[str, StageStats] = {}
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start:start + self.batch_size]
            result = self.pipeline.process([a for _, a in chunk])
            merge_stats(stats, result.stats)
            coded = {a.id: a for a in result.articles}
            failed = {f.record: f for f in result.failures}
            for index, article in chunk:
                row = rows[index]
                row.article = coded.get(article.id, article)
                if article.id in failed:
                    row.kind, row.failure = "failed", failed[article.id]
        return rows, stats


def write_partition(rows: list[Row], where: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([r.encoded() for r in rows], schema=_schema())
    filesystem, path = _fs(where)
    pq.write_table(table, path, filesystem=filesystem, compression="zstd")


def read_partition(where: str) -> Iterator[Row]:
    import pyarrow.parquet as pq

    filesystem, path = _fs(where)
    for batch in pq.ParquetFile(path, filesystem=filesystem).iter_batches(batch_size=256):
        for raw in batch.to_pylist():
            yield decoded(raw)


def _schema():  # type: ignore[no-untyped-def]
    import pyarrow as pa

    return pa.schema([("path", pa.string()), ("record", pa.int64()), ("kind", pa.string()),
                      ("article_id", pa.string()), ("article", pa.large_string()),
                      ("failure", pa.string())])


def _fs(where: str):  # type: ignore[no-untyped-def]
    from pyarrow import fs

    if "://" not in where:
        return fs.LocalFileSystem(), where
    return fs.FileSystem.from_uri(where)


def stats_to_json(stats: dict[str, StageStats]) -> str:
    return json.dumps({k: asdict(v) for k, v in stats.items()})


def stats_from_json(raw: str) -> dict[str, StageStats]:
    return {k: StageStats(**v) for k, v in json.loads(raw).items()}


# --------------------------------------------------------------------------- driver side


class Loader:
    """Stores coded rows in input order, batch by batch, exactly as a local ingest does
    (the same chunking, stored-id check, near-duplicate hook and commit)."""

    def __init__(self, store: Store, cfg: config_mod.Config, summary: IngestSummary,
                 near: NearDuplicates) -> None:
        self.store, self.summary, self.near = store, summary, near
        self.size = int(cfg["store"]["batch_articles"])
        self.failed_ids: set[str] = set()
        self.coded: dict[str, Article] = {}
        self.failed: dict[str, Failure] = {}
        self.stubs: set[str] = set()

    def load(self, rows: Iterable[Row]) -> None:
        for batch in _chunks(self._items(rows), self.store, self.size, self.summary, self.near):
            stubs = [a for a in batch.articles if a.id in self.stubs]
            batch.articles = [a for a in batch.articles if a.id not in self.stubs]
            batch.duplicates += len(stubs)  # known when coded, deleted since: left alone
            result = BatchResult(
                articles=[self.coded[a.id] for a in batch.articles if a.id in self.coded],
                failures=[self.failed[a.id] for a in batch.articles if a.id in self.failed])
            _commit(self.store, batch, result, self.summary, self.failed_ids)
            for a in batch.articles:
                self.coded.pop(a.id, None)
                self.failed.pop(a.id, None)
            self.stubs.difference_update(a.id for a in stubs)

    def _items(self, rows: Iterable[Row]) -> Iterator[tuple[str, int, Article | Failure]]:
        """Rows as the readers' ``(path, record, item)``; a ``known`` row becomes a stub
        article that the stored-id check drops."""
        for row in rows:
            if row.kind == "failure" and row.failure is not None:
                yield row.path, row.record, row.failure
            elif row.kind == "known" or row.article is None:
                self.stubs.add(str(row.article_id))
                yield row.path, row.record, Article(id=str(row.article_id), text="")
            else:
                if row.kind == "failed" and row.failure is not None:
                    self.failed[row.article.id] = row.failure
                else:
                    self.coded[row.article.id] = row.article
                yield row.path, row.record, row.article
