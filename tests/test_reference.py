"""The reference article, end to end through the readers and every stage (issues 3 and 4).

These are checks of a general coder: nothing in the dictionaries or rules names this
article's people or places."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.ingest import ReadOptions, read
from eventwire.model import Article, Event
from eventwire.pipeline import Pipeline

REFERENCE = "examples/000_0177d3a5025271f0.txt"


@pytest.fixture(scope="module")
def article(shared: Path, resources) -> Article:
    [(_, _, item)] = list(read([str(shared / REFERENCE)],
                               ReadOptions(limits=resources.cfg["limits"])))
    assert isinstance(item, Article)
    return Pipeline(resources).process([item]).articles[0]


def _find(article: Article, type_: str, *codes: str) -> Event:
    for e in article.events:
        if e.type == type_ and set(codes) <= {a.code for a in e.actors + e.recipients}:
            return e
    raise AssertionError(f"no {type_} with {codes}: "
                         f"{[(e.type, [a.code for a in e.actors]) for e in article.events]}")


def _names(event: Event) -> set[str]:
    return {a.name for a in event.actors + event.recipients}


def test_remote_consultation(article: Article) -> None:
    e = next(x for x in article.events if x.type == "CONSULT"
             and {"Zamir Kabulov", "Vepa Hajiyev"} <= _names(x))
    assert {a.code for a in e.actors + e.recipients} == {"RUS", "TKM"}
    assert e.mode == "phone"
    assert (e.date.value, e.date.basis) == ("2020-11-27", "explicit")
    assert e.place is None or e.place.name != "Moscow"


def test_ministers_negotiations_in_moscow(article: Article) -> None:
    e = next(x for x in article.events if x.type == "CONSULT"
             and {"Sergey Lavrov", "Rashid Meredov"} <= _names(x))
    assert {a.code for a in e.actors + e.recipients} == {"RUS", "TKM"}
    assert (e.date.value, e.date.basis) == ("2021-04-01", "explicit")
    assert e.place is not None and e.place.is_event_location
    assert (e.place.name, e.place.country, e.place.geonames_id) == ("Moscow", "RUS", 524901)


def test_multilateral_meeting_in_doha(article: Article) -> None:
    e = _find(article, "CONSULT", "RUS", "USA", "CHN", "PAK")
    assert e.mode == "multilateral"
    assert e.date.value == "2021-08-11"
    assert e.place is not None and e.place.country == "QAT" and e.place.is_event_location


def test_taliban_capture_claimed_by_the_russian_official(article: Article) -> None:
    e = next(x for x in article.events if x.type == "ASSAULT" and "territory" in x.context)
    taliban = e.actors[0]
    assert (taliban.code, taliban.sector) == ("AFG", "REB")
    assert e.claimed_by is not None and e.claimed_by.name == "Alexander Bikantov"
    assert e.date.value != article.published or e.date.basis != "explicit"


def test_praise_from_russia_toward_turkmenistan(article: Article) -> None:
    e = _find(article, "SUPPORT", "RUS", "TKM")
    assert [a.code for a in e.actors] == ["RUS"] and [a.code for a in e.recipients] == ["TKM"]


def test_direct_quote_attributed_to_bikantov(article: Article) -> None:
    quote = next(q for q in article.quotes if q.content.text.startswith("“We have been"))
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.code, quote.speaker.sector) == (
        "Alexander Bikantov", "RUS", "GOV")


def test_no_event_is_dated_by_publication_when_its_sentence_names_another_date(
        article: Article) -> None:
    for e in article.events:
        sentence_times = [t for t in article.times
                          if e.evidence.span.start <= t.span.start < e.evidence.span.end
                          and t.type == "DATE"]
        if sentence_times:
            assert e.date.basis != "publication", e


def test_evidence_is_verbatim(article: Article) -> None:
    for e in article.events:
        span = e.evidence.span
        assert article.text[span.start:span.end] == e.evidence.quote == span.text
