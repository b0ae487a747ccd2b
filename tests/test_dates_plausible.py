"""Plausible dates (issue 16, item 4): the normaliser refuses clock times, BC years, bare
numbers before 1800 and event dates far after publication, each with a reason code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eventwire.model import Article, Event, Evidence, span_of
from eventwire.stages.dates import DatesStage, load_tagger
from eventwire.stages.timex.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("text", "expected"), [
    ("The talks resumed at (1130 GMT) on Monday.", [("1130", None, "clock"),
                                                     ("Monday", "2005-02-28", None)]),
    ("Shares rose by 1430 local time.", [("1430", None, "clock")]),
    ("The pharaoh ruled from 1354 to 1345 B.C. in Egypt.", [("1354", None, "bc"),
                                                            ("1345", None, "bc")]),
    ("The town was founded in 1066 by settlers.", [("1066", None, "pre1800")]),
    ("In the year 1066 the town was founded.", [("the year 1066", "1066", None)]),
    ("The town was founded in 1066 AD.", [("1066", "1066", None)]),
    ("On March 3, 1130 the king died.", [("March 3, 1130", "1130-03-03", None)]),
    ("Leaders recalled the 1979 revolution.", [("1979", "1979", None)]),
])
def test_refusals_keep_a_reason(tagger: Tagger, text: str,
                                expected: list[tuple[str, str | None, str | None]]) -> None:
    found = [(t.span.text, t.value, t.refused) for t in tagger.find(text, "2005-03-02")]
    assert found == expected


@pytest.mark.timeout(60)
def test_undated_articles_get_the_range_checks(tagger: Tagger) -> None:
    found = tagger.find("The ceasefire began at (1130 GMT) after talks ended in 2001.", None)
    assert [(t.value, t.refused) for t in found] == [(None, "clock"), ("2001", None)]


def _coded(text: str, modality: str, published: str | None) -> Event:
    article = Article(id="a1", text=text, published=published)
    sentence = span_of(text, 0, len(text))
    event = Event(id="e1", type="RETREAT", evidence=Evidence("a1", 0, sentence, text),
                  modality=modality)
    article.events = [event]
    from eventwire.stages import Work

    DatesStage(load_tagger())(Work(article))
    return event


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("modality", "published", "value", "refused"), [
    ("asserted", "2005-03-02", None, "far_future"),
    ("future", "2005-03-02", "2015-01-01", None),
    ("hypothetical", "2005-03-02", "2015-01-01", None),
    ("asserted", "2014-06-01", "2015-01-01", None),
    ("asserted", None, "2015-01-01", None),
])
def test_far_future_dates_need_a_future_event(modality: str, published: str | None,
                                              value: str | None, refused: str | None) -> None:
    text = "They seek the complete withdrawal of troops by 2015."
    event = _coded(text, modality, published)
    assert (event.date.value, event.date.refused) == (value, refused)


@pytest.mark.timeout(300)
def test_no_clock_time_in_the_corpus_keeps_a_value(shared: Path, tagger: Tagger) -> None:
    """Every "(HHMM GMT)" of the Gigaword corpus is refused as a clock time."""
    seen = 0
    with (shared / "corpora" / "gigaword-afp-xinhua.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = record["text"]
            if not re.search(r"\(\d{4} GMT\)", text):
                continue
            for t in tagger.find(text, record.get("published")):
                if re.match(r"\s*GMT\)", text[t.span.end:]):
                    seen += 1
                    assert (t.value, t.refused) == (None, "clock"), (record["id"], t)
    assert seen >= 20
