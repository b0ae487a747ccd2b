"""Stage ``dates``: time expressions (TIMEX3 type and value) and event dates.

Events are built by hand from the model dataclasses, so these tests do not depend on the
events stage. DCT (publication date) 2021-08-11 is a Wednesday unless a case says otherwise.
"""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.model import Article, Event, EventDate, Evidence, Sentence, Span, span_of
from eventwire.stages import Work
from eventwire.stages.dates import DatesStage, build, load_tagger, period_start
from eventwire.stages.timex.tagger import Tagger

DCT = "2021-08-11"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


def found(tagger: Tagger, text: str, dct: str | None = DCT) -> list[tuple[str, str, str | None]]:
    return [(t.span.text, t.type, t.value) for t in tagger.find(text, dct)]


# ---------------------------------------------------------------- recognition + values

EXPRESSIONS = [
    # absolute
    ("The talks on 27 November 2020 ended.", [("27 November 2020", "DATE", "2020-11-27")]),
    ("Nov. 1, 2009 was the deadline.", [("Nov. 1, 2009", "DATE", "2009-11-01")]),
    ("It was signed on March 5th, 1946.", [("March 5th, 1946", "DATE", "1946-03-05")]),
    ("date 2021-08-11 Elvira", [("2021-08-11", "DATE", "2021-08-11")]),
    ("Filed 8/11/2021 in court.", [("8/11/2021", "DATE", "2021-08-11")]),
    ("He was born in May 1990.", [("May 1990", "DATE", "1990-05")]),
    ("Sales rose in March 2013.", [("March 2013", "DATE", "2013-03")]),
    ("The law passed in 2019.", [("2019", "DATE", "2019")]),
    ("Earnings for fiscal 1989 fell.", [("fiscal 1989", "DATE", "1989")]),
    ("It began in the 1990s.", [("the 1990s", "DATE", "199")]),
    ("Wars of the 20th century.", [("the 20th century", "DATE", "19")]),
    ("Results for Q3 2021 were weak.", [("Q3 2021", "DATE", "2021-Q3")]),
    ("It ended in nineteen ninety-six.", [("nineteen ninety-six", "DATE", "1996")]),
    ("Profit in the third quarter of 1990 rose.", [("the third quarter of 1990", "DATE",
                                                    "1990-Q3")]),
    ("Output fell in the first half of 2020.", [("the first half of 2020", "DATE",
                                                 "2020-H1")]),
    # relative to the publication date
    ("Today, 11 August 2021, Doha hosts a meeting.", [("Today", "DATE", "2021-08-11"),
                                                      ("11 August 2021", "DATE", "2021-08-11")]),
    ("They met on Tuesday.", [("Tuesday", "DATE", "2021-08-10")]),
    ("They will meet on Friday.", [("Friday", "DATE", "2021-08-13")]),
    ("The envoy arrived yesterday.", [("yesterday", "DATE", "2021-08-10")]),
    ("He arrived last week.", [("last week", "DATE", "2021-W31")]),
    ("Prices rose earlier this month.", [("earlier this month", "DATE", "2021-08")]),
    ("Elections are due next year.", [("next year", "DATE", "2022")]),
    ("A large-scale summer offensive began.", [("summer", "DATE", "2021-SU")]),
    ("Floods hit the region last summer.", [("last summer", "DATE", "2020-SU")]),
    ("It happened two years ago.", [("two years ago", "DATE", "2019")]),
    ("The vote will be held in December.", [("December", "DATE", "2021-12")]),
    ("Talks resumed on Aug. 2.", [("Aug. 2", "DATE", "2021-08-02")]),
    ("Profit rose in the third quarter.", [("the third quarter", "DATE", "2021-Q3")]),
    ("Third-quarter profit fell 5% from a year earlier.",
     [("Third-quarter", "DATE", "2021-Q3"), ("a year earlier", "DATE", "2020-Q3")]),
    ("On 3 May 2021 the army attacked; the following day it withdrew.",
     [("3 May 2021", "DATE", "2021-05-03"), ("the following day", "DATE", "2021-05-04")]),
    ("Shops closed over the weekend.", [("the weekend", "DATE", "2021-W31-WE")]),
    ("Officials are now considering it.", [("now", "DATE", "PRESENT_REF")]),
    ("Rebels recently seized the town.", [("recently", "DATE", "PAST_REF")]),
    ("Peace is unlikely in the near future.", [("the near future", "DATE", "FUTURE_REF")]),
    ("Markets will reopen after Christmas.", [("Christmas", "DATE", "2021-12-25")]),
    ("Shops close on New Year\u2019s Day.", [("New Year\u2019s Day", "DATE", "2022-01-01")]),
    ("It began in the \u201990s.", [("the \u201990s", "DATE", "199")]),
    ("He died after the September 11 attacks.", [("September 11", "DATE", "2001-09-11")]),
    # times
    ("The blast came at 10:35 a.m.", [("10:35 a.m.", "TIME", "2021-08-11T10:35")]),
    ("They must leave by 9 a.m. Friday.", [("9 a.m. Friday", "TIME", "2021-08-13T09:00")]),
    ("They will talk tomorrow morning.", [("tomorrow morning", "TIME", "2021-08-12TMO")]),
    ("Shelling resumed tonight.", [("tonight", "TIME", "2021-08-11TNI")]),
    # durations
    ("The war lasted three days.", [("three days", "DURATION", "P3D")]),
    ("Fighting raged for the past two weeks.", [("the past two weeks", "DURATION", "P2W")]),
    ("They signed a five-year plan.", [("five-year", "DURATION", "P5Y")]),
    ("He served 2 1/2 years in prison.", [("2 1/2 years", "DURATION", "P2Y6M")]),
    ("The siege lasted several months.", [("several months", "DURATION", "PXM")]),
    ("Talks lasted more than four hours.", [("more than four hours", "DURATION", "PT4H")]),
    ("Growth slowed in recent years.", [("recent years", "DURATION", "PXY")]),
    # sets
    ("Protests have been held daily.", [("daily", "SET", "P1D")]),
    ("Ministers meet every Tuesday.", [("every Tuesday", "SET", "XXXX-WXX-2")]),
    ("The council meets twice a week.", [("twice a week", "SET", "P1W")]),
    ("The festival is held each July.", [("each July", "SET", "XXXX-07")]),
]


@pytest.mark.parametrize(("text", "expected"), EXPRESSIONS)
def test_expressions_and_values(tagger: Tagger, text: str,
                                expected: list[tuple[str, str, str]]) -> None:
    assert found(tagger, text) == expected


NOT_TIME = [
    "A 6-year-old boy was found.",
    "He is 52 years old.",
    "About 1990 people attended the rally.",
    "Resolution 1973 was adopted.",
    "Officials may decide to act.",
    "Thousands march to the square.",
    "Rebels hope to spring a surprise.",
    "Iraq imports three-quarters of its food.",
    "The firm raised its quarterly dividend.",
    "A second round of talks opens.",
    "June Carter sang in Nashville.",
    "It fell to its quarter-century low.",
]


@pytest.mark.parametrize("text", NOT_TIME)
def test_not_time_expressions(tagger: Tagger, text: str) -> None:
    assert found(tagger, text) == []


def test_spans_are_article_offsets(tagger: Tagger) -> None:
    text = "Intro.\n\nThe army attacked on Monday, 9 August."
    for t in tagger.find(text, DCT):
        assert text[t.span.start:t.span.end] == t.span.text


def test_anchored_marks_values_that_depend_on_the_publication_date(tagger: Tagger) -> None:
    times = tagger.find("Today, 11 August 2021, they met.", DCT)
    assert [t.anchored for t in times] == [True, False]


def test_without_publication_date_relative_values_stay_unresolved(tagger: Tagger) -> None:
    assert found(tagger, "They met on Tuesday and yesterday, on 3 May 2020.", None) == [
        ("Tuesday", "DATE", "XXXX-WXX-2"), ("yesterday", "DATE", None),
        ("3 May 2020", "DATE", "2020-05-03")]


def test_publication_date_with_time_part(tagger: Tagger) -> None:
    assert found(tagger, "They met on Tuesday.", "2021-08-11T13:37:00") == [
        ("Tuesday", "DATE", "2021-08-10")]


def test_far_yearless_dates_follow_tense(tagger: Tagger) -> None:
    dct = "2021-01-20"
    assert found(tagger, "The treaty was signed on Dec. 7.", dct)[0][2] == "2020-12-07"
    assert found(tagger, "The vote will be held on Oct. 3.", dct)[0][2] == "2021-10-03"
    assert found(tagger, "The treaty was signed on Sept. 3.", dct)[0][2] == "2020-09-03"


PIECES = list("0123456789 ,.-/:'aAmMpPyYdD") + [
    "May ", "last ", "week", "year", "ago ", "Q3 ", "the ", "1999", "10:30", "a.m.", "days",
    "Friday ", "1/2 ", "quarter", "2,000", "summer", "century", "next ", "earlier", "of "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_tagger_never_fails_and_spans_match(text: str) -> None:
    tagger = load_tagger()
    for t in tagger.find(text, DCT):
        assert text[t.span.start:t.span.end] == t.span.text
        assert t.type in ("DATE", "TIME", "DURATION", "SET")


def test_offsets_beyond_the_calendar_are_not_dates(tagger: Tagger) -> None:
    assert [t for t in tagger.find("Settled 40000 years ago.", DCT) if t.type == "DATE"] == []


# ---------------------------------------------------------------- period starts

@pytest.mark.parametrize(("value", "expected"), [
    ("2021-08-11", (date(2021, 8, 11), "day")),
    ("2021-08-11T10:35", (date(2021, 8, 11), "day")),
    ("2021-08-11TNI", (date(2021, 8, 11), "day")),
    ("2021-W32", (date(2021, 8, 9), "week")),
    ("2021-W31-WE", (date(2021, 8, 2), "week")),
    ("2021-08", (date(2021, 8, 1), "month")),
    ("2021-SU", (date(2021, 6, 1), "season")),
    ("2021-WI", (date(2020, 12, 1), "season")),
    ("2021-Q3", (date(2021, 7, 1), "quarter")),
    ("2021-H2", (date(2021, 7, 1), "half")),
    ("2021", (date(2021, 1, 1), "year")),
    ("PAST_REF", None), ("199", None), ("P3D", None), ("XXXX-WXX-2", None),
])
def test_period_start(value: str, expected: tuple[date, str] | None) -> None:
    assert period_start(value) == expected


# ---------------------------------------------------------------- event dates

def make_article(text: str, published: str | None = DCT) -> Article:
    """Article with sentences (split after . ! ?) and paragraphs (blank lines)."""
    article = Article(id="a1", text=text, published=published)
    paragraph, pos = 0, 0
    for m in re.finditer(r"[^.!?\n]+[.!?]?|\n\s*\n", text):
        if not m.group().strip():
            paragraph += "\n\n" in m.group()
            continue
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        article.sentences.append(Sentence(len(article.sentences),
                                          span_of(text, start, m.end()), paragraph))
        pos = m.end()
    assert pos
    return article


def add_event(article: Article, trigger: str, modality: str = "asserted",
              occurrence: int = 0) -> Event:
    start = [m.start() for m in re.finditer(re.escape(trigger), article.text)][occurrence]
    sentence = next(s for s in article.sentences
                    if s.span.start <= start < s.span.end)
    event = Event(id=f"e{len(article.events)}", type="CONSULT", modality=modality,
                  evidence=Evidence("a1", sentence.index, sentence.span, sentence.span.text,
                                    span_of(article.text, start, start + len(trigger))))
    article.events.append(event)
    return event


@pytest.fixture(scope="module")
def stage() -> DatesStage:
    return DatesStage(load_tagger())


def run(stage: DatesStage, article: Article) -> Article:
    stage(Work(article))
    return article


def test_build_returns_the_stage(resources: object) -> None:
    built = build(resources)  # type: ignore[arg-type]
    assert built.name == "dates" and isinstance(built.tagger, Tagger)


def test_explicit_relative_and_publication_dates(stage: DatesStage) -> None:
    article = make_article(
        "Kabulov and Hajiyev held consultations on 27 November 2020 by video.\n\n"
        "Today, 11 August 2021, Doha hosts a meeting of the troika.\n\n"
        "Russia positively assesses the cooperation with Turkmenistan.")
    held = add_event(article, "consultations")
    hosts = add_event(article, "meeting")
    assesses = add_event(article, "assesses")
    run(stage, article)
    assert (held.date.value, held.date.precision, held.date.basis, held.date.timex) == (
        "2020-11-27", "day", "explicit", "2020-11-27")
    assert held.date.span is not None and held.date.span.text == "27 November 2020"
    assert hosts.date.value == "2021-08-11" and hosts.date.basis in ("explicit", "relative")
    assert (assesses.date.value, assesses.date.basis) == ("2021-08-11", "publication")
    assert [t.span.text for t in article.times] == [
        "27 November 2020", "Today", "11 August 2021"]


def test_nearest_expression_in_the_triggers_clause(stage: DatesStage) -> None:
    article = make_article(
        "Zamir Kabulov held consultations on 27 November 2020 in the video conference "
        "format, as well as negotiations with Rashid Meredov (1 April 2021, Moscow).")
    first, second = add_event(article, "consultations"), add_event(article, "negotiations")
    run(stage, article)
    assert first.date.value == "2020-11-27" and second.date.value == "2021-04-01"


def test_clause_and_tense_pick_different_days(stage: DatesStage) -> None:
    article = make_article(
        "The army shelled the town on Monday, but rebels will respond on Friday.")
    shelled, respond = add_event(article, "shelled"), add_event(article, "respond", "future")
    run(stage, article)
    assert (shelled.date.value, shelled.date.basis) == ("2021-08-09", "relative")
    assert respond.date.value == "2021-08-13"


def test_date_preferred_over_duration(stage: DatesStage) -> None:
    article = make_article("After three days of talks, the sides signed an accord on Tuesday.")
    signed = add_event(article, "signed")
    run(stage, article)
    assert signed.date.value == "2021-08-10" and signed.date.timex == "2021-08-10"


def test_week_and_season_precision(stage: DatesStage) -> None:
    article = make_article("Police arrested 40 protesters last week.\n\n"
                           "A summer offensive captured 80 districts.")
    arrested, captured = add_event(article, "arrested"), add_event(article, "captured")
    run(stage, article)
    assert (arrested.date.value, arrested.date.precision, arrested.date.timex) == (
        "2021-08-02", "week", "2021-W31")
    assert (captured.date.value, captured.date.precision) == ("2021-06-01", "season")


def test_past_duration_gives_its_start(stage: DatesStage) -> None:
    article = make_article("Troops have shelled the city for the past two weeks.")
    shelled = add_event(article, "shelled", "ongoing")
    run(stage, article)
    assert (shelled.date.value, shelled.date.precision, shelled.date.basis) == (
        "2021-07-28", "week", "relative")


def test_now_is_the_publication_day_as_a_relative_date(stage: DatesStage) -> None:
    article = make_article("Troops now control the city.")
    control = add_event(article, "control", "ongoing")
    run(stage, article)
    assert (control.date.value, control.date.basis) == ("2021-08-11", "relative")


def test_never_the_publication_date_when_the_sentence_names_another_time(
        stage: DatesStage) -> None:
    article = make_article("Rebels recently seized the town.\n\n"
                           "Troops took the airport in the 1990s.")
    seized, took = add_event(article, "seized"), add_event(article, "took")
    run(stage, article)
    assert seized.date == EventDate()
    assert took.date.value is None and took.date.timex is None


def test_no_publication_date_when_the_paragraph_has_another_time(stage: DatesStage) -> None:
    article = make_article("On 3 May the army attacked the town. Rebels fled to the hills.")
    fled = add_event(article, "fled")
    run(stage, article)
    assert fled.date.value is None


@pytest.mark.parametrize("modality", ["future", "hypothetical", "negated", "historical"])
def test_no_publication_date_for_unasserted_events(stage: DatesStage, modality: str) -> None:
    article = make_article("The rebels will attack the town.")
    attack = add_event(article, "attack", modality)
    run(stage, article)
    assert attack.date.value is None


def test_dateline_dates_the_report(stage: DatesStage) -> None:
    article = make_article("MOSCOW, Aug 10 (Reuters) - Russia condemned the strike.\n\n"
                           "The ministry summoned the ambassador.")
    condemned, summoned = add_event(article, "condemned"), add_event(article, "summoned")
    run(stage, article)
    for event in (condemned, summoned):
        assert (event.date.value, event.date.basis) == ("2021-08-10", "dateline")


def test_no_date_without_publication_date(stage: DatesStage) -> None:
    article = make_article("Russia condemned the strike.", published=None)
    condemned = add_event(article, "condemned")
    run(stage, article)
    assert condemned.date.value is None


def test_existing_dates_and_times_are_kept(stage: DatesStage) -> None:
    article = make_article("Russia condemned the strike on Tuesday.")
    condemned = add_event(article, "condemned")
    condemned.date = EventDate("2020-01-01", "day", "explicit")
    run(stage, article)
    assert condemned.date.value == "2020-01-01"
    assert [t.value for t in article.times] == ["2021-08-10"]


def test_events_without_sentences_use_blank_lines_for_paragraphs(stage: DatesStage) -> None:
    text = "On 3 May the army attacked.\n\nRebels fled to the hills."
    article = Article(id="a1", text=text, published=DCT)
    start = text.index("Rebels")
    span = Span(start, len(text), text[start:])
    fled = Event("e1", "ASSAULT", Evidence("a1", 5, span, span.text,
                                           span_of(text, start + 7, start + 11)))
    article.events.append(fled)
    run(stage, article)
    assert (fled.date.value, fled.date.basis) == ("2021-08-11", "publication")


# ---------------------------------------------------------------- the reference article

def _reference(shared: Path) -> tuple[str, str]:
    raw = (shared / "examples" / "000_0177d3a5025271f0.txt").read_text("utf-8")
    first, text = raw.split("\n", 1)
    published = re.search(r"\d{4}-\d\d-\d\d", first)
    assert published is not None
    return text, published.group()


def test_reference_article_expressions(shared: Path, tagger: Tagger) -> None:
    text, published = _reference(shared)
    assert published == "2021-08-11"
    values = {(t.span.text, t.value) for t in tagger.find(text, published)}
    assert {("27 November 2020", "2020-11-27"), ("1 April 2021", "2021-04-01"),
            ("Today", "2021-08-11"), ("11 August 2021", "2021-08-11"),
            ("summer", "2021-SU")} <= values


def test_reference_article_is_fast(shared: Path, tagger: Tagger) -> None:
    text, published = _reference(shared)
    started = time.perf_counter()
    for _ in range(20):
        tagger.find(text, published)
    assert (time.perf_counter() - started) / 20 < 0.010  # measured ~0.5 ms
