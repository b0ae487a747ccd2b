"""Places stage: recognition, context-aware resolution, datelines and event locations."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from eventwire.gazetteer import Gazetteer, open_gazetteer
from eventwire.model import Actor, Article, Event, Evidence, Sentence, Span, span_of
from eventwire.resources import Resources
from eventwire.stages import Work
from eventwire.stages.places import (
    PlacesStage,
    build,
    find_dateline,
    is_location_phrase,
    mention_of,
    resolve,
)


@pytest.fixture(scope="module")
def gaz(resources: Resources) -> Gazetteer:
    return open_gazetteer(resources)


@pytest.fixture(scope="module")
def stage(resources: Resources) -> PlacesStage:
    return build(resources)


def make_work(res: Resources, text: str, parse: bool = True, **article: object) -> Work:
    """Segments with res.segmenter and parses each sentence alone (as the pipeline does)."""
    art = Article(id="t", text=text, **article)  # type: ignore[arg-type]
    for sent in res.segmenter(text).sents:
        body = sent.text.rstrip()
        if body.strip():
            art.sentences.append(Sentence(len(art.sentences),
                                          span_of(text, sent.start_char,
                                                  sent.start_char + len(body))))
    work = Work(art)
    if parse:
        for s in art.sentences:
            work.docs[s.index] = res.nlp(s.span.text)
    return work


def add_event(work: Work, needle: str) -> Event:
    for s in work.article.sentences:
        if needle in s.span.text:
            start = s.span.start + s.span.text.index(needle)
            trigger = Span(start, start + len(needle), needle)
            event = Event(id=f"e{s.index}", type="CONSULT",
                          evidence=Evidence("t", s.index, s.span, s.span.text, trigger))
            work.article.events.append(event)
            return event
    raise AssertionError(needle)


def resolved(gaz: Gazetteer, text: str, name: str, *countries: str) -> tuple[str | None, ...]:
    start = text.index(name)
    place = resolve(gaz, text, [mention_of(text, start, start + len(name))], countries)[0]
    assert place is not None
    return place.country, place.admin1, place.feature_code


# ---------------------------------------------------------------- disambiguation


def test_moscow_in_a_russian_story_is_in_russia(gaz: Gazetteer) -> None:
    text = "Talks were held in Moscow, the Kremlin said."
    assert resolved(gaz, text, "Moscow", "RUS")[0] == "RUS"


def test_moscow_next_to_idaho_places_is_moscow_idaho(gaz: Gazetteer) -> None:
    text = "Moscow police said the man from Pullman was driving to Boise, Idaho."
    names = ["Moscow", "Pullman", "Boise", "Idaho"]
    mentions = [mention_of(text, text.index(n), text.index(n) + len(n)) for n in names]
    places = resolve(gaz, text, mentions)
    assert places[0] is not None and (places[0].country, places[0].admin1) == ("USA", "Idaho")


@pytest.mark.parametrize("text", ["He was born in Paris, Texas, in 1950.",
                                  "He was born in Paris, Tex., in 1950.",
                                  "A storm hit Texas; in Paris the roof of the school fell."])
def test_paris_with_texas_nearby_is_paris_texas(gaz: Gazetteer, text: str) -> None:
    names = [n for n in ("Paris", "Texas") if n in text]
    mentions = [mention_of(text, text.index(n), text.index(n) + len(n)) for n in names]
    place = resolve(gaz, text, mentions)[0]
    assert place is not None and (place.country, place.admin1) == ("USA", "Texas")


def test_paris_alone_is_the_capital_of_france(gaz: Gazetteer) -> None:
    country, _, fcode = resolved(gaz, "Ministers met in Paris.", "Paris")
    assert (country, fcode) == ("FRA", "PPLC")


def test_alexandria_next_to_its_parish_is_in_louisiana(gaz: Gazetteer) -> None:
    text = "An Alexandria woman was charged; Rapides Parish deputies investigated."
    mentions = [mention_of(text, text.index(n), text.index(n) + len(n))
                for n in ("Alexandria", "Rapides Parish")]
    places = resolve(gaz, text, mentions)
    assert [(p.country, p.admin1) for p in places if p] == [("USA", "Louisiana")] * 2
    assert places[1] is not None and places[1].precision == "admin2"


def test_georgia_with_tbilisi_is_the_country_and_with_atlanta_the_state(gaz: Gazetteer) -> None:
    for other, want in (("Tbilisi", "PCLI"), ("Atlanta", "ADM1")):
        text = f"Georgia said on Monday that {other} was calm."
        mentions = [mention_of(text, text.index(n), text.index(n) + len(n))
                    for n in ("Georgia", other)]
        place = resolve(gaz, text, mentions)[0]
        assert place is not None and place.feature_code == want


def test_kabul_means_the_city_not_the_province(gaz: Gazetteer) -> None:
    place = resolve(gaz, "in Kabul", [mention_of("in Kabul", 3, 8)])[0]
    assert place is not None and place.geonames_id == 1138958 and place.precision == "point"


def test_demonym_span_resolves_to_its_country(gaz: Gazetteer) -> None:
    assert resolved(gaz, "Georgian troops left Tbilisi.", "Georgian")[0] == "GEO"
    assert resolved(gaz, "Sri Lankan forces", "Sri Lankan")[0] == "LKA"


def test_unknown_name_is_unresolved(gaz: Gazetteer) -> None:
    text = "Zzyzxqvillevania was quiet."
    assert resolve(gaz, text, [mention_of(text, 0, 16)]) == [None]


# ---------------------------------------------------------------- the stage


def test_stage_finds_places_and_skips_demonyms(resources: Resources, stage: PlacesStage) -> None:
    work = make_work(resources, "Turkish officials met Iraqi envoys in Ankara on Monday.")
    stage(work)
    names = [(p.name, p.country) for p in work.article.places]
    assert ("Ankara", "TUR") in names
    assert all(n not in ("Turkish", "Iraqi") for n, _ in names)


def test_stage_matches_gazetteer_names_in_unparsed_sentences(resources: Resources,
                                                             stage: PlacesStage) -> None:
    work = make_work(resources, "The minister flew to Afghanistan and then to Pakistan.",
                     parse=False)
    stage(work)
    assert [p.country for p in work.article.places] == ["AFG", "PAK"]
    assert all(p.span and work.article.text[p.span.start:p.span.end] == p.name
               for p in work.article.places)


def test_stage_uses_actor_countries(resources: Resources, stage: PlacesStage) -> None:
    work = make_work(resources, "Police in Moscow detained two men.")
    work.article.actors.append(Actor(name="police", country="RUS", kind="sector"))
    stage(work)
    assert work.article.places[0].country == "RUS"


@pytest.mark.parametrize(("text", "name", "country"), [
    ("MOSCOW, Aug 11 (AFP) - Russia said on Tuesday it would send troops.", "MOSCOW", "RUS"),
    ("KABUL - Afghan officials said talks had stalled.", "KABUL", "AFG"),
    ("WASHINGTON (Reuters) -- The Senate voted on Friday.", "WASHINGTON", "USA"),
])
def test_dateline(resources: Resources, stage: PlacesStage, text: str, name: str,
                  country: str) -> None:
    work = make_work(resources, text)
    event = add_event(work, "said" if "said" in text else "voted")
    stage(work)
    dateline = work.article.dateline
    assert dateline is not None and (dateline.name, dateline.country) == (name, country)
    assert event.place is not None and event.place.name == name
    assert event.place.is_event_location


def test_no_dateline_in_ordinary_text(gaz: Gazetteer) -> None:
    assert find_dateline(gaz, "Russia positively assesses the cooperation.") is None
    assert find_dateline(gaz, "THE END - nothing") is None


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("They met in Doha on Monday.", "Doha", True),
    ("They met at Camp David.", "Camp David", True),
    ("talks with Lavrov (1 April 2021, Moscow).", "Moscow", True),
    ("Today, 11 August 2021, Doha hosts a meeting.", "Doha", True),
    ("Doha said it would attend.", "Doha", False),
    ("a visit to Moscow next week", "Moscow", False),
])
def test_is_location_phrase(text: str, name: str, expected: bool) -> None:
    start = text.index(name)
    assert is_location_phrase(text, Span(start, start + len(name), name)) is expected


def test_event_location_is_the_place_in_its_own_sentence(resources: Resources,
                                                         stage: PlacesStage) -> None:
    text = ("Russian and Turkish ministers met in Ankara on Monday. "
            "They will talk again in Moscow next month. Iran was not invited.")
    work = make_work(resources, text)
    first, second, third = (add_event(work, w) for w in ("met", "talk", "invited"))
    stage(work)
    assert first.place is not None and first.place.name == "Ankara"
    assert second.place is not None and second.place.name == "Moscow"
    assert third.place is None
    mentions = {p.name: p.is_event_location for p in work.article.places}
    assert mentions["Ankara"] and mentions["Moscow"] and not mentions["Iran"]


def test_event_place_set_by_an_earlier_stage_is_kept(resources: Resources,
                                                     stage: PlacesStage) -> None:
    from eventwire.model import Place

    work = make_work(resources, "They met in Ankara.")
    event = add_event(work, "met")
    event.place = Place(name="elsewhere")
    stage(work)
    assert event.place.name == "elsewhere"


# ---------------------------------------------------------------- the reference article


def test_reference_article(resources: Resources, stage: PlacesStage, shared: Path) -> None:
    text = (shared / "examples" / "000_0177d3a5025271f0.txt").read_text("utf-8")
    work = make_work(resources, text, published="2021-08-11")
    moscow_event = add_event(work, "negotiations between")
    doha_event = add_event(work, "hosts")
    started = time.perf_counter()
    stage(work)
    elapsed = time.perf_counter() - started
    places = {p.name: p for p in work.article.places}
    assert (places["Moscow"].country, places["Moscow"].geonames_id) == ("RUS", 524901)
    assert places["Doha"].country == "QAT" and places["Kabul"].country == "AFG"
    assert places["Afghanistan"].precision == "country"
    assert "Russian" not in places and "Afghan" not in places
    assert {"USA", "China", "Pakistan"} <= set(places)
    assert moscow_event.place is not None and moscow_event.place.name == "Moscow"
    assert moscow_event.place.country == "RUS" and moscow_event.place.is_event_location
    assert doha_event.place is not None and doha_event.place.country == "QAT"
    assert work.article.dateline is None
    assert elapsed < 0.5


def test_stage_takes_a_few_ms_per_article(resources: Resources, stage: PlacesStage,
                                          shared: Path) -> None:
    text = (shared / "examples" / "000_0177d3a5025271f0.txt").read_text("utf-8")
    work = make_work(resources, text)
    stage(work)  # warm the lookup cache, as a long ingest does
    runs = []
    for _ in range(5):
        work.article.places.clear()
        started = time.perf_counter()
        stage(work)
        runs.append(time.perf_counter() - started)
    assert min(runs) < 0.02
