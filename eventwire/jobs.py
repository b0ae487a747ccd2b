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
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from eventwire.stages.dedupe import ArticleCopy, NearDuplicates


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
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
    copies: list[ArticleCopy] = field(default_factory=list)
    signatures: dict[str, bytes] = field(default_factory=dict)


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
            summary: IngestSummary, near: NearDuplicates | None = None) -> Iterator[_Batch]:
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
        _drop_known(store, batch, near)
        yield batch


# --- near-duplicate detection hook (eventwire.stages.dedupe, eventwire.store.clusters) ---


def _drop_known(store: Store, batch: _Batch, near: NearDuplicates | None) -> None:
    """Drops articles already stored (or recorded as copies) and, with ``near``, moves
    near-duplicates of kept articles to ``batch.copies`` so they are never coded."""
    from eventwire.store import clusters

    with store.engine.connect() as conn:
        stored = clusters.known_ids(conn, [a.id for a in batch.articles])
    batch.duplicates = sum(a.id in stored for a in batch.articles)
    batch.articles = [a for a in batch.articles if a.id not in stored]
    if near is not None:
        batch.articles, batch.copies = near.split(batch.articles)
        batch.signatures = {a.id: near.signatures[a.id] for a in batch.articles
                            if a.id in near.signatures}


def near_duplicates(store: Store) -> NearDuplicates:
    """The near-duplicate index of everything ``store`` holds (rebuilt for each ingest)."""
    from eventwire.stages.dedupe import NearDuplicates
    from eventwire.store import clusters

    with store.engine.connect() as conn:
        return clusters.load_index(conn, NearDuplicates(store.fingerprints))


def _copies_to_store(batch: _Batch, failed: set[str]) -> tuple[list[ArticleCopy], list[Failure]]:
    """Copies whose kept article was stored, and failures for those whose kept article
    failed in the pipeline (the copy is then neither stored nor recorded)."""
    keep = [c for c in batch.copies if c.article_id not in failed]
    lost = [Failure(path=c.origin or c.copy_id, code="E202", stage="dedupe", record=c.copy_id,
                    reason=f"near-duplicate of article {c.article_id}, which failed; not stored",
                    hint="fix what made the original fail, then ingest both files again")
            for c in batch.copies if c.article_id in failed]
    return keep, lost


# ------------------------------------------------------------------------------------------


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
    near = near_duplicates(store)
    failed_ids: set[str] = set()

    def feed() -> Iterator[list[Article]]:
        for batch in _chunks(read(paths, opts), store, size, summary, near):
            pending.append(batch)
            yield batch.articles

    status = "failed"
    try:
        for result in run_batches(feed(), cfg):
            batch = pending.popleft()
            _commit(store, batch, result, summary, failed_ids)
            if on_batch:
                on_batch(summary)
        status = "completed"
    finally:
        assert summary.run_id is not None
        store.finish_run(summary.run_id, status if not summary.failed else
                         ("completed with failures" if status == "completed" else status))
    return summary


def _commit(store: Store, batch: _Batch, result: BatchResult, summary: IngestSummary,
            failed_ids: set[str] | None = None) -> None:
    failed = failed_ids if failed_ids is not None else set()
    failed.update(f.record for f in result.failures if f.record)
    copies, lost = _copies_to_store(batch, failed)
    failures = batch.failures + result.failures + lost
    counts: WriteCounts = store.write(result.articles, failures, summary.run_id, batch.done,
                                      PIPELINE_VERSION, copies=copies,
                                      signatures=batch.signatures)
    summary.new += counts.new
    summary.near_duplicate += counts.copies
    summary.duplicate += counts.duplicate + batch.duplicates + len(copies) - counts.copies
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
