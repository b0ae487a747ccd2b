"""The actors stage: countries, organisations, persons from titles, coreference, compounds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventwire.model import Actor, Article
from eventwire.stages import Work
from eventwire.stages import actors as actors_mod

Code = Callable[..., Article]


@pytest.fixture(scope="module")
def code(resources) -> Code:  # type: ignore[no-untyped-def]
    """Codes a text with segment, parse (every sentence) and actors."""
    from eventwire.stages import parse, segment

    seg, par, act = segment.build(resources), parse.build(resources), actors_mod.build(resources)

    def run(text: str, published: str | None = None, parse_all: bool = True) -> Article:
        article = Article(id="t", text=text, published=published)
        work = Work(article)
        seg(work)
        for s in article.sentences:
            s.candidate = parse_all
        par(work)
        act(work)
        return article

    return run


def find(article: Article, span_text: str) -> Actor:
    hits = [a for a in article.actors if a.span is not None and a.span.text == span_text]
    spans = [a.span.text for a in article.actors if a.span]
    assert hits, f"no actor with span {span_text!r}: {spans}"
    return hits[0]


def coded(a: Actor) -> tuple[str | None, str | None, str]:
    return a.code, a.sector, a.kind


# ---------------------------------------------------------------- countries


@pytest.mark.parametrize("text, span, expected", [
    ("Russia rejected the offer.", "Russia", ("RUS", None, "country")),
    ("Turkmen diplomats welcomed the offer.", "Turkmen diplomats", ("TKM", "GOV", "country")),
    ("Afghan elders met in the city.", "Afghan", ("AFG", None, "country")),
    ("The US rejected the plan.", "US", ("USA", None, "country")),
    ("The U.S. rejected the plan.", "U.S.", ("USA", None, "country")),
    ("The USA rejected the plan.", "USA", ("USA", None, "country")),
    ("Britain rejected the plan.", "Britain", ("GBR", None, "country")),
    ("The UK rejected the plan.", "UK", ("GBR", None, "country")),
    ("The Russian Federation rejected the plan.", "Russian Federation", ("RUS", None, "country")),
    ("Moscow said it would respond.", "Moscow", ("RUS", "GOV", "country")),
    ("Ankara warned Athens on Monday.", "Ankara", ("TUR", "GOV", "country")),
    ("Under these circumstances, the Russian side continues its efforts.", "Russian side",
     ("RUS", "GOV", "country")),
    ("The Afghan government forces are unable to cope.", "Afghan government forces",
     ("AFG", "MIL", "country")),
    ("Turkish police detained 40 people.", "Turkish police", ("TUR", "COP", "country")),
    ("Istanbul police detained 40 people.", "Istanbul police", ("TUR", "COP", "country")),
    ("Rio de Janeiro police raided the slum.", "Rio de Janeiro police",
     ("BRA", "COP", "country")),
    ("Russia's foreign ministry protested.", "Russia's foreign ministry",
     ("RUS", "GOV", "org")),
    ("The government of Turkmenistan approved it.", "government of Turkmenistan",
     ("TKM", "GOV", "country")),
])
def test_countries_demonyms_capitals_and_sectors(code: Code, text: str, span: str,
                                                 expected: tuple[str, str | None, str]) -> None:
    assert coded(find(code(text), span)) == expected


@pytest.mark.parametrize("text", [
    "The talks were held in Moscow last week.",
    "Doha hosts a meeting of the extended troika.",
    "Prices rose across Latin America.",
    "Let us meet in the Moscow format.",
])
def test_places_and_lookalikes_are_not_actors(code: Code, text: str) -> None:
    a = code(text)
    assert all(x.code not in ("RUS", "QAT", "USA") for x in a.actors), a.actors


@pytest.mark.parametrize("text", [
    "Valencia police detained 40 people.",  # Valencia, Venezuela vs Valencia, Spain
    "Sunday police detained 40 people.",  # not a city
    "Norfolk police detained 40 people.",  # a US city, and an English county
    "Drug police detained 40 people.",  # a town in India, but here not a place
])
def test_only_a_large_unambiguous_city_gives_its_country(code: Code, text: str) -> None:
    assert all(a.country is None for a in code(text).actors if a.sector == "COP")


def test_lower_case_and_pronoun_us_are_not_countries(code: Code) -> None:
    assert not code("Let us talk to us about it.").actors


# ---------------------------------------------------------------- organisations


@pytest.mark.parametrize("text, span, expected", [
    ("ISIS claimed the attack.", "ISIS", ("ISIS", "REB", "group")),
    ("Hamas fired rockets.", "Hamas", ("PSE", "REB", "group")),
    ("Hezbollah denied it.", "Hezbollah", ("LBN", "REB", "group")),
    ("The Union of Islamic Courts took Kismayo.", "Union of Islamic Courts",
     ("SOM", "REB", "group")),
    ("NATO condemned the attack.", "NATO", ("NATO", None, "igo")),
    ("The UN called for calm.", "UN", ("UN", None, "igo")),
    ("The SCO and the CSTO met.", "SCO", ("SCO", None, "igo")),
    ("The SCO and the CSTO met.", "CSTO", ("CSTO", None, "igo")),
    ("The EU imposed sanctions.", "EU", ("EU", None, "igo")),
    ("The OSCE sent observers.", "OSCE", ("OSCE", None, "igo")),
    ("The Kremlin denied the report.", "Kremlin", ("RUS", "GOV", "org")),
    ("The Russian MFA issued a statement.", "Russian MFA", ("RUS", "GOV", "org")),
    ("The Turkish Foreign Ministry summoned him.", "Turkish Foreign Ministry",
     ("TUR", "GOV", "org")),
    ("The British foreign office said nothing.", "British foreign office", ("GBR", "GOV", "org")),
    ("The Supreme Court of Pakistan ruled.", "Supreme Court of Pakistan", ("PAK", "JUD", "org")),
    ("The Pakistani Taliban attacked a post.", "Pakistani Taliban", ("PAK", "REB", "group")),
    ("Rebels shelled the town.", "Rebels", (None, "REB", "group")),
])
def test_organisations_and_groups_with_sectors(code: Code, text: str, span: str,
                                               expected: tuple[str | None, str | None, str]
                                               ) -> None:
    assert coded(find(code(text), span)) == expected


def test_roles_change_over_time(code: Code) -> None:
    before = find(code("The Taliban seized Kabul.", published="2021-08-11"), "Taliban")
    after = find(code("The Taliban seized Kabul.", published="2022-03-01"), "Taliban")
    assert (before.country, before.sector) == ("AFG", "REB")
    assert (after.country, after.sector) == ("AFG", "GOV")


def test_persons_of_the_dictionary_follow_their_dated_roles(code: Code) -> None:
    in_office = find(code("Putin warned the West.", published="2015-06-01"), "Putin")
    assert (in_office.code, in_office.sector, in_office.office) == ("RUS", "GOV", "President")
    former = find(code("Obama spoke in Berlin.", published="2019-04-01"), "Obama")
    assert (former.code, former.sector) == ("USA", "ELI")
    bush = find(code("Bush visited Baghdad.", published="2003-11-27"), "Bush")
    assert bush.name == "George W. Bush"
    early = code("Stoltenberg met the OPEC ministers.", published="1990-05-01").actors
    assert all(a.code != "NATO" for a in early)


# ---------------------------------------------------------------- persons from titles


@pytest.mark.parametrize("text, name, office, country, sector", [
    # made-up sentences; spaCy's NER tags the names as parts of organisations here
    ("First Deputy Chairman of the State Customs Committee of Uzbekistan Akmal Rustamov "
     "signed the protocol on Tuesday.", "Akmal Rustamov",
     "First Deputy Chairman of the State Customs Committee", "UZB", "GOV"),
    ("Ambassador of Turkmenistan to Tajikistan Ezizgeldi Annamuhammedov joined the talks.",
     "Ezizgeldi Annamuhammedov", "Ambassador to Tajikistan", "TKM", "GOV"),
    ("Kazakh Minister of Trade Serik Zhumangarin arrived in Tashkent.", "Serik Zhumangarin",
     "Minister of Trade", "KAZ", "GOV"),
    ("Chairwoman of the Senate of Uzbekistan Tanzila Narbayeva opened the session.",
     "Tanzila Narbayeva", "Chairwoman of the Senate of Uzbekistan", "UZB", "LEG"),
    ("Opposition leader Ivan Petrenko was detained.", "Ivan Petrenko", "Opposition leader",
     None, "OPP"),
    ("Army commander Ali Reza Tavakoli visited the border.", "Ali Reza Tavakoli",
     "Army commander", None, "MIL"),
])
def test_titles_give_name_office_country_sector(code: Code, text: str, name: str, office: str,
                                                country: str | None, sector: str) -> None:
    persons = [a for a in code(text).actors if a.kind == "person"]
    assert [(p.name, p.office, p.country, p.sector) for p in persons][:1] == [
        (name, office, country, sector)]


def test_title_person_is_also_an_entity(code: Code) -> None:
    a = code("Minister of Water Resources of Tajikistan Daler Juma inspected the dam.")
    assert ("Daler Juma", "PERSON", "title") in [(e.span.text, e.label, e.source)
                                                for e in a.entities]


def test_appositive_title(code: Code) -> None:
    a = code("Hamid Nuri, the Afghan deputy foreign minister, arrived on Monday.")
    p = find(a, "Hamid Nuri, the Afghan deputy foreign minister")
    assert (p.name, p.country, p.sector, p.office) == ("Hamid Nuri", "AFG", "GOV",
                                                       "deputy foreign minister")


def test_igo_official_is_coded_with_the_igo(code: Code) -> None:
    a = code("UN envoy Karla Mendes met the rebels.")
    p = next(x for x in a.actors if x.kind == "person")
    assert (p.name, p.code, p.country) == ("Karla Mendes", "UN", None)


# ---------------------------------------------------------------- coreference


def test_surname_refers_to_the_person_named_before(code: Code) -> None:
    a = code("Deputy Foreign Minister of Uzbekistan Bakhrom Aloyev visited Kabul. "
             "Aloyev said the talks went well.")
    persons = [x for x in a.actors if x.kind == "person"]
    assert [p.span.text for p in persons if p.span] == [
        "Deputy Foreign Minister of Uzbekistan Bakhrom Aloyev", "Aloyev"]
    assert len({p.key for p in persons}) == 1 and persons[1].country == "UZB"


def test_the_speaker_and_a_descriptor_refer_to_the_last_speaker(code: Code) -> None:
    a = code("“We will help,” said Director of the Press Department of the Russian MFA "
             "Ivan Sidorov. Russian foreign office official recalled the agreement. "
             "The speaker noted that the talks would continue.")
    keys = {x.span.text: x.key for x in a.actors if x.span}
    sidorov = keys["Director of the Press Department of the Russian MFA Ivan Sidorov"]
    assert keys["Russian foreign office official"] == sidorov
    assert keys["speaker"] == sidorov


def test_ambiguous_back_reference_is_not_resolved(code: Code) -> None:
    a = code("Foreign Minister of Tajikistan Sirojiddin Muhriddin met Foreign Minister of "
             "Kyrgyzstan Jeenbek Kulubaev. The minister praised the talks.")
    assert not [x for x in a.actors if x.span and x.span.text == "minister"]


def test_unique_back_reference_is_resolved(code: Code) -> None:
    a = code("Minister of Energy of Kazakhstan Bolat Akchulakov met Chinese Ambassador "
             "Zhang Xiao. The minister thanked the ambassador.")
    keys = {x.span.text: x.key for x in a.actors if x.span}
    assert keys["minister"] == keys["Minister of Energy of Kazakhstan Bolat Akchulakov"]
    assert keys["ambassador"] == keys["Chinese Ambassador Zhang Xiao"]


def test_indefinite_description_is_a_new_actor(code: Code) -> None:
    a = code("Deputy Foreign Minister of Uzbekistan Bakhrom Aloyev arrived. "
             "A senior Uzbek official said the visit was useful.")
    official = find(a, "senior Uzbek official")
    assert (official.kind, official.code, official.sector) == ("country", "UZB", "GOV")


def test_institution_without_country_refers_to_the_one_named_before(code: Code) -> None:
    a = code("The Turkish Foreign Ministry summoned the envoy. "
             "Later the Foreign Ministry issued a statement.")
    ministries = [x for x in a.actors if x.kind == "org"]
    assert len(ministries) == 2 and ministries[0].key == ministries[1].key


# ---------------------------------------------------------------- compounds and output


def test_compound_actor_gives_one_actor_per_country(code: Code) -> None:
    text = "Doha hosts a meeting of the troika consisting of Russia-USA-China-Pakistan."
    a = code(text)
    countries = [(x.code, x.span.text) for x in a.actors if x.kind == "country" and x.span]
    assert countries == [("RUS", "Russia"), ("USA", "USA"), ("CHN", "China"),
                         ("PAK", "Pakistan")]
    for x in a.actors:
        assert x.span is not None and text[x.span.start:x.span.end] == x.span.text


def test_unparsed_sentences_still_get_dictionary_actors(code: Code) -> None:
    a = code("Turkey and Iran signed a deal with NATO.", parse_all=False)
    assert [x.code for x in a.actors] == ["TUR", "IRN", "NATO"]
    assert {e.source for e in a.entities} == {"dictionary"}


def test_every_mention_has_span_key_and_kind(code: Code) -> None:
    a = code("Russian Foreign Minister Sergey Lavrov met Hamas leaders in Moscow. Moscow said "
             "the Taliban and the UN were invited.")
    assert a.actors
    for x in a.actors:
        assert x.span is not None and x.key and x.kind in {"country", "person", "org", "igo",
                                                         "group"}


def test_actor_forms_and_mentions_in(code: Code, resources) -> None:  # type: ignore[no-untyped-def]
    forms = actors_mod.actor_forms(resources)
    assert {"russian", "turkmen", "afghan", "taliban", "mfa", "minister", "nato"} <= forms
    assert "the" not in forms and "of" not in forms
    a = code("Russia met Turkey. Iran stayed away.")
    first = a.sentences[0].span
    from eventwire.stages import mentions_in

    assert [x.code for x in mentions_in(a, first.start, first.end)] == ["RUS", "TUR"]


def test_country_data_is_up_to_date() -> None:
    from eventwire.data import build_actors

    assert build_actors.main(["--check"]) == 0


# ---------------------------------------------------------------- the reference article


def test_reference_article(shared, resources) -> None:  # type: ignore[no-untyped-def]
    from eventwire.stages import parse, segment

    text = (shared / "examples" / "000_0177d3a5025271f0.txt").read_text("utf-8")
    article = Article(id="ref", text=text, published="2021-08-11")
    work = Work(article)
    for stage in (segment.build(resources), parse.build(resources),
                  actors_mod.build(resources)):
        stage(work)
    persons = {a.name: a for a in article.actors if a.kind == "person"}
    assert (persons["Zamir Kabulov"].country, persons["Zamir Kabulov"].sector) == ("RUS", "GOV")
    hajiyev = persons["Vepa Hajiyev"]
    assert (hajiyev.country, hajiyev.sector, hajiyev.office) == (
        "TKM", "GOV", "Deputy Minister of Foreign Affairs")
    assert persons["Sergey Lavrov"].country == "RUS"
    assert persons["Rashid Meredov"].country == "TKM"
    bikantov = persons["Alexander Bikantov"]
    assert (bikantov.country, bikantov.sector) == ("RUS", "GOV")
    by_span = {a.span.text: a for a in article.actors if a.span}
    assert by_span["Russian foreign office official"].key == bikantov.key
    assert by_span["speaker"].key == bikantov.key
    taliban = by_span["Taliban"]
    assert (taliban.code, taliban.sector, taliban.kind) == ("AFG", "REB", "group")
    troika = [a for a in article.actors if a.span and a.span.start > text.index("consisting")]
    assert [a.code for a in troika] == ["RUS", "USA", "CHN", "PAK"]
