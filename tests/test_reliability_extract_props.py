"""Property tests (hypothesis) on ``extract()``: arbitrary text and arbitrary publication
dates (None, ISO, junk) in; no exception out, and every span the pipeline returns (sentence,
entity, actor, time, place, quote, event evidence, trigger, participants, dates) is a slice
of the text: ``text[span.start:span.end] == span.text`` and the evidence quote likewise.

Examples are few (the spaCy model is slow on this machine) and derandomised, so CI runs
are repeatable; ``EW_HYP=200`` runs more locally.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventwire
from eventwire import ontology
from eventwire.model import Article, Span
from eventwire.pipeline import extract_text
from eventwire.serialize import article_json

SETTINGS = settings(max_examples=int(os.environ.get("EW_HYP", "40")), deadline=None,
                    derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces of news-like text, so that generated texts reach the actor, event, date, place and
# quote stages (random characters alone almost never do).
SENTENCES = (
    "Russian President Vladimir Putin met Chinese leader Xi Jinping in Beijing on Tuesday.",
    "Israeli troops attacked a refugee camp in Gaza, killing 12 people, officials said.",
    "The United States imposed sanctions on Iran's central bank last week.",
    '"We will not accept this," Foreign Minister Sergei Lavrov told reporters in Moscow.',
    "Thousands of protesters marched in Nairobi on 3 March 2024 demanding lower taxes.",
    "Turkey and Greece agreed to resume talks, the UN envoy said on Friday.",
    "Police arrested 40 opposition supporters in Minsk, according to a rights group.",
    "KABUL, May 6 (AFP) - The Taliban accused Pakistan of shelling border villages.",
    "Prime Minister Lena Varga criticised the European Union's decision.",
    "North Korea fired two ballistic missiles into the sea, Seoul's military said.",
    "Officials said the ceasefire, which began at midnight, was largely holding.",
    "The minister, who visited Paris, Texas in 2019, denied the report.",
)
ODDITIES = (
    "", " ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u2028", "\u2029", "\x85", "\u200b",
    "\ufeff", "\x00", "\x0c", "\u0301", "\u202e", "...", "--", "\u2014", '"', "\u201c",
    "\u201d", "'", "(", ")", ":", ";", "!?", "&amp;", "<p>", "\U0001f600", "\u0645\u0631\u062d",
    "\u4e2d\u56fd", "Dr.", "U.S.", "No.", "1,200", "3.5%", "2024-05-06", "last Tuesday",
    "on 3 March", "in 1997", "yesterday", "next month",
)
WORDS = ("Russia", "Ukraine", "Putin", "said", "met", "attacked", "Iran", "sanctions",
         "Minister", "the", "in", "on", "Monday", "Gaza", "UN", "talks", "protest", "Kenya")

any_text = st.text(max_size=300)
with_surrogates = st.text(st.one_of(st.characters(), st.characters(categories=["Cs"])),
                          max_size=60)
newsy_text = st.lists(
    st.one_of(st.sampled_from(SENTENCES), st.sampled_from(ODDITIES), st.sampled_from(WORDS),
              st.text(max_size=12)),
    max_size=24).map(lambda parts: " ".join(parts) if len(parts) % 3 else "".join(parts))
published = st.one_of(
    st.none(), st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "0000-00-00", "2024-02-30", "2024-13-01T00:00", "99999-01-01",
                     "yesterday", "1970-01-01", "9999-12-31", "0001-01-01", "2024",
                     "2024-05-06T12:00:00Z", "\x00", "06/05/2024"]),
    st.text(max_size=20))


def spans(value: Any, where: str = "article") -> Iterator[tuple[str, Span]]:
    """Every Span anywhere inside ``value`` (dataclasses, lists, dicts), with its path."""
    if isinstance(value, Span):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from spans(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from spans(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from spans(item, f"{where}[{key!r}]")


def check_article(article: Article, text: str) -> None:
    """The invariants every coded article keeps, whatever its text."""
    body = article.text
    assert len(body) == len(text)
    if not any("\ud800" <= c <= "\udfff" for c in text):
        assert body == text, "extract() returns the text it was given"
    for where, span in spans(article):
        assert 0 <= span.start <= span.end <= len(body), f"{where}: {span} out of the text"
        assert body[span.start:span.end] == span.text, f"{where}: {span} is not a slice"
    types = ontology.load().types
    ids = [e.id for e in article.events]
    assert len(ids) == len(set(ids)), "event ids are unique"
    for e in article.events:
        ev = e.evidence
        assert ev.article_id == article.id
        assert body[ev.span.start:ev.span.end] == ev.quote, f"event {e.id}: quote not a slice"
        assert ev.quote.strip(), f"event {e.id}: empty evidence"
        assert e.type in types, e.type
        assert 0.0 <= e.confidence <= 1.0
    json.loads(article_json(article))  # what `eventwire extract` prints always serialises


@pytest.fixture(scope="module")
def code(resources: Any) -> Any:
    """extract() with the session's model loaded once (extract() builds its own each call)."""
    def run(text: str, date: str | None) -> Article:
        return extract_text(text, published=date, res=resources)
    return run


@SETTINGS
@given(text=any_text, date=published)
def test_arbitrary_text(code: Any, text: str, date: str | None) -> None:
    check_article(code(text, date), text)


@SETTINGS
@given(text=newsy_text, date=published)
def test_newsy_text(code: Any, text: str, date: str | None) -> None:
    check_article(code(text, date), text)


@settings(SETTINGS, max_examples=max(10, SETTINGS.max_examples // 3))
@given(text=st.builds(lambda a, b: a + b, with_surrogates, st.sampled_from(SENTENCES)),
       date=published)
def test_lone_surrogates(code: Any, text: str, date: str | None) -> None:
    """A str may hold lone surrogates (json.loads('"\\ud800"') gives one); extract() keeps
    the offsets and returns text that can be encoded and stored."""
    article = code(text, date)
    check_article(article, text)
    article.text.encode("utf-8")


def test_public_extract_on_hostile_text() -> None:
    """The public function itself (it loads the model each call, so only a few texts)."""
    for text, date in (("", None), ("\ud800 Russia attacked Ukraine.", "junk"),
                       (SENTENCES[0] + "\x00" + SENTENCES[1], "2024-02-30")):
        check_article(eventwire.extract(text, published=date), text)
