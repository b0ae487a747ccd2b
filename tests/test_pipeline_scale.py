"""Throughput mechanics: the ingest streams (bounded read-ahead), batches its writes, and
the multi-worker map never runs ahead of the writer by more than its window."""

from __future__ import annotations

import json
from multiprocessing.pool import ThreadPool
from pathlib import Path

from eventwire import config
from eventwire.model import Article
from eventwire.pipeline import _bounded_imap
from eventwire.store import Store


def _double(batch: list[int]) -> list[int]:
    return [2 * x for x in batch]


def test_bounded_imap_never_reads_more_than_its_window_ahead(monkeypatch) -> None:
    import eventwire.pipeline as pipeline

    monkeypatch.setattr(pipeline, "_work", _double)
    pulled = 0

    def batches():
        nonlocal pulled
        for i in range(20):
            pulled += 1
            yield [i]

    ahead = []
    with ThreadPool(2) as pool:
        out = []
        for result in _bounded_imap(pool, batches(), window=4):
            ahead.append(pulled - len(out))
            out.append(result)
    assert out == [[2 * i] for i in range(20)]
    assert max(ahead) <= 4


def test_ingest_streams_and_writes_in_batches(tmp_path: Path, monkeypatch) -> None:
    from eventwire.jobs import ingest

    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps({"title": f"t{i}", "text": f"Item {i} of the feed."}) + "\n"
                            for i in range(50)), "utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    writes: list[tuple[int, int]] = []
    original = Store.write
    summary_ref: dict[str, object] = {}

    def spy(self, articles, *args, **kwargs):  # type: ignore[no-untyped-def]
        writes.append((len(articles), getattr(summary_ref.get("s"), "read", 0)))
        return original(self, articles, *args, **kwargs)

    monkeypatch.setattr(Store, "write", spy)
    cfg = config.load(overrides={"store": {"batch_articles": 8}, "pipeline": {"workers": 1}})
    from eventwire import jobs

    real_chunks = jobs._chunks

    def chunks(items, store, size, summary, near=None):  # type: ignore[no-untyped-def]
        summary_ref["s"] = summary
        yield from real_chunks(items, store, size, summary, near)

    monkeypatch.setattr(jobs, "_chunks", chunks)
    summary = ingest([str(path)], store, cfg)
    assert summary.new == 50 and len(writes) == 7
    assert all(n <= 8 for n, _ in writes)
    assert all(read_so_far <= 8 * (i + 2) for i, (_, read_so_far) in enumerate(writes)), writes
    assert store.progress()[next(iter(store.progress()))] == 50


def test_a_copy_of_a_failed_article_is_a_failure_not_a_dangling_copy() -> None:
    from eventwire.jobs import _Batch, _copies_to_store
    from eventwire.stages.dedupe import ArticleCopy

    batch = _Batch([Article(id="b", text="x")], [], 0, {},
                   copies=[ArticleCopy("c", "a", "f.jsonl:3", 0.95),
                           ArticleCopy("d", "b", "f.jsonl:4", 0.97)])
    keep, lost = _copies_to_store(batch, failed={"a"})
    assert [c.copy_id for c in keep] == ["d"]
    assert [(f.code, f.record) for f in lost] == [("E202", "c")]
