"""The golden suite: real corpus sentences with the events that must and must not come out.

Pass criterion (precision first): every must_not holds, and at least ``golden.MUST_FLOOR``
(70%) of the must entries hold. Each golden article is coded whole, through the default
pipeline (the cheap pass included), and events are matched by evidence overlapping the
annotated sentence. The rate is printed (run with ``-s`` to see it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import golden  # noqa: E402

KEEP_FLOOR = 0.95  # cheap pass: share of golden event sentences kept for parsing


@pytest.fixture(scope="module")
def pipeline(resources):
    pytest.importorskip("eventwire.stages.actors")
    from eventwire.pipeline import Pipeline

    return Pipeline(resources)


def _coder(pipeline):
    from eventwire.ids import article_id
    from eventwire.model import Article

    def code(text: str, title: str | None) -> Article:
        result = pipeline.process([Article(id=article_id(text, title), text=text, title=title)])
        assert not result.failures, result.failures[0].reason
        return result.articles[0]

    return code


def test_annotations_are_well_formed():
    raw = golden.annotations()
    assert len(raw) >= 30
    assert sum(1 for r in raw if r.get("must")) >= 25
    assert sum(1 for r in raw if r.get("must_not")) >= 10
    for r in raw:
        assert r["end"] > r["start"] >= 0 and len(r["digest"]) == 12
        assert not r["corpus"].startswith("gold"), "golden sentences come from corpora only"


def test_golden_sentences_load(shared):
    sentences = golden.load(shared)
    assert all(s.text.strip() == s.text and s.text for s in sentences)
    assert len(golden.event_sentences(shared)) >= 25


def test_golden_suite(shared, pipeline):
    score, _ = golden.evaluate(shared, _coder(pipeline))
    print(f"\ngolden: must {score.must_held}/{score.must_total} ({score.must_rate:.0%}), "
          f"must_not {score.must_not_held}/{score.must_not_total}")
    for line in score.failures:
        print("  ", line)
    assert score.must_not_held == score.must_not_total, score.failures
    assert score.passed(), f"must rate {score.must_rate:.2f} < {golden.MUST_FLOOR}"


def test_cheap_pass_keeps_golden_event_sentences(shared, resources):
    pytest.importorskip("eventwire.stages.actors")
    from eventwire.model import Article
    from eventwire.stages import Work, segment

    seg = segment.build(resources)
    sentences = golden.event_sentences(shared)
    records = golden.article_texts(shared, ((s.corpus, s.article) for s in sentences))
    kept = 0
    for s in sentences:
        work = Work(Article(id="g", text=records[(s.corpus, s.article)]["text"]))
        seg(work)
        kept += any(x.candidate for x in work.article.sentences
                    if x.span.start < s.end and s.start < x.span.end)
    rate = kept / len(sentences)
    print(f"\ncheap pass keeps {kept}/{len(sentences)} golden event sentences ({rate:.0%})")
    assert rate >= KEEP_FLOOR
