"""``eventwire recode``: code the stored articles again with the current pipeline.

Generic on purpose: it reads each article's stored text and metadata, runs the whole
:class:`~eventwire.pipeline.Pipeline` over it and replaces every row derived from it in one
transaction (:meth:`Store.replace_coded`), so fields a later version adds come along with
no change here. An article's ``pipeline_version`` says which version coded it: articles of
another version are the work left, so a killed run resumes where it stopped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventwire.model import Article, Failure
from eventwire.pipeline import Pipeline
from eventwire.store import Store


@dataclass
class RecodeSummary:
    """What a recode did: articles coded again, their events, and failures (kept as
    they were, in the failures table)."""

    total: int = 0
    recoded: int = 0
    events: int = 0
    failures: list[Failure] = field(default_factory=list)


def article_of(row: dict[str, Any]) -> Article:
    """An uncoded Article from a stored ``articles`` row (text and metadata only)."""
    notes = json.loads(row.get("annotations") or "{}")
    return Article(id=row["id"], text=row["text"], title=row["title"],
                   published=row["published"], author=row["author"], source=row["source"],
                   url=row["url"], lang=row["lang"], origin=row["origin"],
                   meta=notes.get("meta") or {})


def recode(store: Store, pipe: Pipeline, version: str, batch: int = 16,
           on_batch: Callable[[RecodeSummary], None] | None = None) -> RecodeSummary:
    """Codes again every stored article not coded by ``version``, ``batch`` at a time."""
    summary = RecodeSummary(total=store.count_stale(version))
    failed: list[str] = []
    while True:
        found = store.stale_articles(version, batch, failed)
        if not found:
            return summary
        result = pipe.process([article_of(r) for r in found])
        for article in result.articles:
            summary.events += store.replace_coded(article, version)
            summary.recoded += 1
        coded = {a.id for a in result.articles}
        failed += [r["id"] for r in found if r["id"] not in coded]
        if result.failures:
            store.record_failures(result.failures)
            summary.failures += result.failures
        if on_batch is not None:
            on_batch(summary)
