"""`eventwire eval negatives`: the sample is fixed by its seed and the figure is counted right."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_article

from eventwire.eval import negatives


@pytest.mark.timeout(120)
def test_the_sample_is_fixed_and_follows_its_rules(shared: Path) -> None:
    first = negatives.sample(shared, 60)
    again = negatives.sample(shared, 60)
    assert [(p.corpus, p.line) for p in first] == [(p.corpus, p.line) for p in again]
    assert len(first) == 300
    for group, corpus, infix in negatives.GROUPS:
        picks = [p for p in first if p.group == group]
        assert len(picks) == 60 and all(p.corpus == corpus for p in picks)
        assert all(infix in p.record["id"] for p in picks)
        assert all(120 <= len(p.record["text"].split()) <= 700 for p in picks)
    assert not any("-politics-" in p.record["id"] for p in first)


@pytest.mark.timeout(30)
def test_events_per_1000_sentences_and_the_graded_draw() -> None:
    picks = [negatives.Pick("bbc-sport", "corpora/bbc-news.jsonl", n, {"id": f"a{n}"})
             for n in (1, 2)]
    coded = [make_article("Norway met Chile. Then they left."),
             make_article("Nothing at all happened here today.")]
    coded[1].events = []
    found = negatives.result(picks, coded, 1.0)
    assert (found["sentences"], found["events"]) == (2, 1)
    assert found["events_per_1000_sentences"] == 500.0
    assert found["groups"]["bbc-sport"]["per_1000_sentences"] == 500.0
    assert found["events_list"][0]["type"] == "CONSULT"
    assert negatives.hand_sample(list(range(54))) == negatives.hand_sample(list(range(54)))
    assert len(negatives.hand_sample(list(range(54)))) == 30
    assert negatives.hand_sample(list(range(5))) == [0, 1, 2, 3, 4]
