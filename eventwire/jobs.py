"""Long-running jobs shared by the CLI and the API: ingesting files into a store.

``ingest`` streams records from the readers, skips articles already stored, codes the
rest through the pipeline (in worker processes when asked) and writes each batch, with
its failures and the per-file progress that covers it, in one transaction. A killed run
resumes (``resume=True``) from the last committed record of each unchanged file.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from eventwire import config as config_mod
from eventwire.model import Article, Failure
from eventwire.pipeline import (
    PIPELINE_VERSION,
    BatchResult,
    StageStats,
    merge_stats,
    run_batches,
)
from eventwire.store import Store, WriteCounts


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    events: int = 0
    skipped_resume: int = 0
    failures: list[Failure] = field(default_factory=list)
    stages: dict[str, StageStats] = field(default_factory=dict)
    run_id: int | None = None

    @property
    def status(self) -> str:
        return "completed with failures" if self.failed else "completed"


@dataclass
class _Batch:
    """A chunk of input on its way through the pipeline, with what it covers."""

    articles: list[Article]
    failures: list[Failure]
    duplicates: int
    done: dict[str, int]


def file_key(path: str) -> str:
    """How a file is remembered in ``progress``: its real path plus size and mtime, so a
    changed file is read again from the start."""
    if path == "-" or "://" in path:
        return path
    try:
        st = os.stat(path)
    except OSError:
        return path
    return f"{path}|{st.st_size}|{int(st.st_mtime)}"


def _chunks(items: Iterator[tuple[str, int, Article | Failure]], store: Store, size: int,
            summary: IngestSummary) -> Iterator[_Batch]:
    keys: dict[str, str] = {}
    while True:
        batch = _Batch([], [], 0, {})
        for path, record, item in items:
            summary.read += 1
            key = keys.setdefault(path, file_key(path))
            batch.done[key] = max(batch.done.get(key, 0), record)
            if isinstance(item, Failure):
                batch.failures.append(item)
            else:
                batch.articles.append(item)
            if len(batch.articles) + len(batch.failures) >= size:
                break
        if not batch.done:
            return
        stored = {a.id for a in batch.articles if store.has_article(a.id)}
        batch.duplicates = sum(a.id in stored for a in batch.articles)
        batch.articles = [a for a in batch.articles if a.id not in stored]
        yield batch


def ingest(paths: Iterable[str], store: Store, cfg: config_mod.Config,
           read_options: dict | None = None, resume: bool = False,
           on_batch: Callable[[IngestSummary], None] | None = None) -> IngestSummary:
    """Reads, codes and stores everything under ``paths``; returns what happened."""
    from eventwire.ingest import ReadOptions, read

    paths = list(paths)
    summary = IngestSummary(run_id=store.start_run(" ".join(paths)))
    skip = _resume_points(store, paths) if resume else {}
    summary.skipped_resume = sum(skip.values())
    opts = ReadOptions(limits=cfg["limits"], skip=skip, **(read_options or {}))
    size = int(cfg["store"]["batch_articles"])
    pending: deque[_Batch] = deque()

    def feed() -> Iterator[list[Article]]:
        for batch in _chunks(read(paths, opts), store, size, summary):
            pending.append(batch)
            yield batch.articles

    status = "failed"
    try:
        for result in run_batches(feed(), cfg):
            batch = pending.popleft()
            _commit(store, batch, result, summary)
            if on_batch:
                on_batch(summary)
        status = "completed"
    finally:
        assert summary.run_id is not None
        store.finish_run(summary.run_id, status if not summary.failed else
                         ("completed with failures" if status == "completed" else status))
    return summary


def _commit(store: Store, batch: _Batch, result: BatchResult, summary: IngestSummary) -> None:
    failures = batch.failures + result.failures
    counts: WriteCounts = store.write(result.articles, failures, summary.run_id, batch.done,
                                      PIPELINE_VERSION)
    summary.new += counts.new
    summary.duplicate += counts.duplicate + batch.duplicates
    summary.events += counts.events
    summary.failed += len(failures)
    summary.failures.extend(failures)
    merge_stats(summary.stages, result.stats)


def _resume_points(store: Store, paths: list[str]) -> dict[str, int]:
    """path (as the readers yield it) -> records already committed, for files that have
    not changed since (same size and mtime). Streams (stdin, URLs) are never skipped."""
    skip: dict[str, int] = {}
    for key, n in store.progress().items():
        path = key.rsplit("|", 2)[0]
        if "|" in key and file_key(path) == key and n > 0:
            skip[path] = n
    return skip


__all__ = ["IngestSummary", "ingest"]


def estimate_records(paths: Iterable[str]) -> int | None:
    """A cheap guess of how many records ``paths`` hold, for the progress bar: lines of
    JSONL/CSV files, one per other file. None when it cannot tell (stdin, URLs)."""
    total = 0
    for path in paths:
        if path == "-" or "://" in path:
            return None
        p = os.path.abspath(path)
        files = ([os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs]
                 if os.path.isdir(p) else [p])
        for f in files:
            total += _records_in(f)
    return total


def _records_in(path: str) -> int:
    name = path.lower().removesuffix(".gz")
    if not name.endswith((".jsonl", ".csv")) or path.lower().endswith(".gz"):
        return 1
    try:
        with open(path, "rb") as fh:
            lines = sum(1 for line in fh if line.strip())
    except OSError:
        return 1
    return max(1, lines - (1 if name.endswith(".csv") else 0))
