"""Attribution: quotes and reported claims with their speakers, and claimed_by on events."""

from __future__ import annotations

import pytest

from eventwire.model import Actor, Article, Event, Evidence, Quote, Span, span_of
from eventwire.stages import Work, attribution, parse, segment
from eventwire.stages.attribution import find_quotations, load_lexicon, mark_claims


def _work(resources, text: str, actors: list[tuple[str, Actor]] = ()) -> Work:
    """Segments and parses every sentence of ``text``; ``actors`` are (phrase, actor)
    mentions placed where the phrase first occurs, as the actors stage would."""
    work = Work(Article(id="t", text=text))
    segment.build(resources)(work)
    for sentence in work.article.sentences:
        sentence.candidate = True
    parse.build(resources)(work)
    for phrase, actor in actors:
        start = text.index(phrase)
        actor.span = span_of(text, start, start + len(phrase))
        work.article.actors.append(actor)
    return work


def _quotes(resources, text: str, actors: list[tuple[str, Actor]] = ()) -> list[Quote]:
    work = _work(resources, text, actors)
    attribution.build(resources)(work)
    return work.article.quotes


def _person(name: str, country: str = "XYZ", key: str = "") -> Actor:
    return Actor(name=name, country=country, code=country, sector="GOV", kind="person",
                 key=key or f"p-{name}")


def _one(quotes: list[Quote], cue: str) -> Quote:
    found = [q for q in quotes if q.cue is not None and q.cue.text == cue]
    assert len(found) == 1, [(q.cue, q.content.text) for q in quotes]
    return found[0]


# ---------------------------------------------------------------- quotation marks


@pytest.mark.parametrize(("text", "expected"), [
    ("She said “the dam held” and left.", ["“the dam held”"]),
    ('He said "we will rebuild the school" today.', ['"we will rebuild the school"']),
    ("It's the farmers' view, not the mayor's.", []),
    ("“Open to the end of the paragraph\nNext paragraph.", ["“Open to the end of the paragraph"]),
    ("”Wrong mark first,” a reader wrote.", ["”Wrong mark first,”"]),
])
def test_find_quotations(text: str, expected: list[str]) -> None:
    spans = find_quotations(text)
    assert [s.text for s in spans] == expected
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_lexicon_is_data() -> None:
    lex = load_lexicon()
    assert lex.version.startswith("attribution-cues")
    assert lex.group_of("say") is not None and lex.group_of("say").name == "speech"
    assert lex.group_of("tell").name == "address"
    assert lex.group_of("point out") is not None
    assert ("for",) in lex.phrasal["call"]
    assert "speaker" in lex.role_nouns


# ---------------------------------------------------------------- direct and indirect


def test_direct_quote_after_the_cue_clause(resources) -> None:
    text = "“The bridge will reopen next month,” said Maria Lopez, the city engineer."
    q = _one(_quotes(resources, text), "said")
    assert q.direct and q.content.text == "“The bridge will reopen next month,”"
    assert q.speaker_span is not None and q.speaker_span.text == "Maria Lopez"


def test_direct_quote_after_a_colon(resources) -> None:
    text = 'The harbour master said: "Nobody sails until the storm has passed."'
    q = _one(_quotes(resources, text), "said")
    assert q.direct and q.content.text.startswith('"Nobody sails')
    assert q.speaker_span.text == "The harbour master"


def test_quote_spanning_two_sentences(resources) -> None:
    text = "“We planted twice. Both times the rain never came,” the farmer said."
    q = _one(_quotes(resources, text), "said")
    assert q.content.text == "“We planted twice. Both times the rain never came,”"
    assert q.speaker_span.text == "the farmer"


def test_indirect_claim_with_that(resources) -> None:
    text = "The committee chairman said that the road budget would be halved."
    q = _one(_quotes(resources, text), "said")
    assert not q.direct
    assert q.content.text == "that the road budget would be halved"
    assert q.speaker_span.text == "The committee chairman"


def test_according_to(resources) -> None:
    text = "The harvest failed in three provinces, according to the agriculture ministry."
    q = _one(_quotes(resources, text), "according to")
    assert q.content.text == "The harvest failed in three provinces"
    assert q.speaker_span.text == "the agriculture ministry"


def test_interrupting_cue(resources) -> None:
    text = "The new port, the governor said, will open in spring."
    q = _one(_quotes(resources, text), "said")
    assert q.speaker_span.text == "the governor"
    assert q.content.start == 0 and q.content.text.endswith("will open in spring")


def test_hedges_inside_a_quote_are_not_new_claims(resources) -> None:
    text = "“I think the council made a mistake,” the teacher said."
    quotes = _quotes(resources, text)
    assert [q.cue.text for q in quotes] == ["said"]


def test_headline_label_and_dash_signature(resources) -> None:
    text = ("Okafor: Tariffs on rice will stay until March\n\n"
            "“Our members have waited three years for this.” \u2015 Ama Mensah")
    quotes = _quotes(resources, text)
    label = next(q for q in quotes if q.cue.text == ":")
    assert label.speaker_span.text == "Okafor"
    assert label.content.text == "Tariffs on rice will stay until March"
    dash = next(q for q in quotes if q.cue.text == "\u2015")
    assert dash.speaker_span.text == "Ama Mensah" and dash.direct


def test_belief_verbs_need_a_third_person(resources) -> None:
    quotes = _quotes(resources, "I think the vote was fair. The judge believes the vote was fair.")
    assert [q.speaker_span.text for q in quotes] == ["The judge"]


def test_agentless_passive_has_no_speaker(resources) -> None:
    assert _quotes(resources, "The plant is expected to close next year.") == []


# ---------------------------------------------------------------- speakers -> actors


def test_speaker_takes_the_actor_mention(resources) -> None:
    okafor = _person("Jane Okafor")
    text = "Finance Minister Jane Okafor said the tariffs would stay."
    q = _one(_quotes(resources, text, [("Finance Minister Jane Okafor", okafor)]), "said")
    assert q.speaker is okafor


def test_pronoun_and_role_phrase_resolve_back(resources) -> None:
    okafor = _person("Jane Okafor")
    text = ("Finance Minister Jane Okafor visited the port on Friday. She said the tariffs "
            "would stay. The minister added that exporters would get credit. As noted, the "
            "harbour will also be dredged.")
    quotes = _quotes(resources, text, [("Finance Minister Jane Okafor", okafor)])
    assert _one(quotes, "said").speaker is okafor
    assert _one(quotes, "added").speaker is okafor
    noted = _one(quotes, "noted")
    assert noted.speaker is okafor and noted.speaker_span is None
    assert "harbour will also be dredged" in noted.content.text


def test_role_phrase_skips_a_person_of_another_country(resources) -> None:
    ours, theirs = _person("Ana Ruiz", "ESP"), _person("Ole Berg", "NOR")
    norway = Actor(name="Norway", code="NOR", country="NOR", kind="country", key="c-NOR")
    text = ("Ana Ruiz spoke first. Ole Berg replied later. The Norwegian official said the "
            "talks would go on.")
    quotes = _quotes(resources, text, [("Ana Ruiz", ours), ("Ole Berg", theirs),
                                       ("Norwegian", norway)])
    assert _one(quotes, "said").speaker is theirs


def test_indefinite_speaker_is_not_resolved(resources) -> None:
    okafor = _person("Jane Okafor")
    text = "Jane Okafor arrived. An official said the port would close."
    q = _one(_quotes(resources, text, [("Jane Okafor", okafor)]), "said")
    assert q.speaker is None and q.speaker_span.text == "An official"


# ---------------------------------------------------------------- claimed_by


def _event(text: str, trigger: str, actors: list[Actor]) -> Event:
    start = text.index(trigger)
    sentence = span_of(text, 0, len(text))
    trig = span_of(text, start, start + len(trigger))
    return Event(id="e", type="ASSAULT", evidence=Evidence("t", 0, sentence, text, trig),
                 actors=actors)


def test_events_inside_a_quote_are_claimed_by_its_speaker() -> None:
    text = "The envoy said rebels shelled the airport."
    envoy, rebels = _person("Envoy"), Actor(name="rebels", kind="group", key="g-reb")
    quote = Quote(content=Span(15, 41, text[15:41]), speaker=envoy,
                  speaker_span=Span(0, 9, text[0:9]), cue=Span(10, 14, "said"), direct=False)
    claimed, own, kept = (_event(text, "shelled", [rebels]), _event(text, "shelled", [envoy]),
                          _event(text, "shelled", [rebels]))
    earlier = _person("Someone else")
    kept.claimed_by = earlier
    outside = _event(text, "said", [rebels])
    mark_claims([claimed, own, kept, outside], [quote])
    assert claimed.claimed_by is envoy
    assert own.claimed_by is None
    assert kept.claimed_by is earlier
    assert outside.claimed_by is None


def test_stage_appends_and_marks_events(resources) -> None:
    text = "The mayor said that rebels burned the market."
    mayor = _person("Tom Reyes")
    work = _work(resources, text, [("The mayor", mayor)])
    previous = Quote(content=Span(0, 3, "The"))
    work.article.quotes.append(previous)
    event = _event(text, "burned", [Actor(name="rebels", kind="group", key="g")])
    work.article.events.append(event)
    attribution.build(resources)(work)
    assert work.article.quotes[0] is previous and len(work.article.quotes) == 2
    assert event.claimed_by is mayor


# ---------------------------------------------------------------- the reference article


@pytest.mark.shared
def test_reference_article(shared, resources) -> None:
    from eventwire.pipeline import extract_text

    raw = (shared / "examples" / "000_0177d3a5025271f0.txt").read_text("utf-8")
    art = extract_text(raw.split("\n", 1)[1], published="2021-08-11", res=resources)
    direct = [q for q in art.quotes if q.direct]
    assert len(direct) == 1 and direct[0].content.text.startswith("“We have been maintaining")
    bikantov = direct[0].speaker
    assert bikantov is not None and bikantov.name == "Alexander Bikantov"
    assert (bikantov.country, bikantov.sector) == ("RUS", "GOV")
    for cue, opening in (("recalled", "that Turkmenistan is a participant"),
                         ("noted", "that a large-scale summer offensive")):
        q = _one(art.quotes, cue)
        assert q.content.text.startswith(opening) and not q.direct
        assert q.speaker is not None and q.speaker.key == bikantov.key
    taliban = [e for e in art.events
               if e.type == "ASSAULT" and "Taliban capture" in e.evidence.quote]
    assert taliban and all(e.claimed_by is not None and e.claimed_by.key == bikantov.key
                           for e in taliban)


ODD_TEXTS = ["", "“", "\u201d\u201d\u201d", "said.", "\n\n“Unclosed, he said\n\n", "''",
             "According to.", "He said: “"]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_texts_do_not_fail(resources, text: str) -> None:
    for quote in _quotes(resources, text):
        assert text[quote.content.start:quote.content.end] == quote.content.text


def test_pronoun_prefers_the_subject_over_the_latest_name(resources) -> None:
    okafor, berg = _person("Jane Okafor"), _person("Ole Berg")
    text = "Jane Okafor met Ole Berg in Oslo on Monday. She said the talks went well."
    quotes = _quotes(resources, text, [("Jane Okafor", okafor), ("Ole Berg", berg)])
    assert _one(quotes, "said").speaker is okafor


def test_cue_forms_for_the_cheap_pass(resources) -> None:
    from eventwire.stages.attribution import cue_forms

    forms = cue_forms(resources)
    assert {"said", "says", "told", "according", "criticized", "calling", "believes"} <= forms
    assert "the" not in forms


def test_claim_only_sentences_are_parsed_without_ner_and_still_attributed(resources) -> None:
    """The cheap pass keeps a sentence with a cue but neither an actor nor a trigger for its
    claim; it is parsed without NER (half the cost), a sentence naming an actor with every
    component."""
    from eventwire.pipeline import Pipeline

    text = ("Russian troops attacked the town of Kupa on Monday, officials said. "
            "\"Our position is clear,\" Russian Foreign Minister Sergei Lavrov said in Moscow. "
            "\"We are ready,\" he said.")
    pipe = Pipeline(resources)
    works = [Work(Article(id="claims", text=text, published="2024-03-05"))]
    for stage in pipe.stages[:2]:  # segment, parse
        stage(works[0])
    work = works[0]
    assert [s.candidate for s in work.article.sentences] == [True, True, True]
    assert work.claim_only == {2}
    assert work.docs[1].has_annotation("ENT_IOB")
    assert not work.docs[2].has_annotation("ENT_IOB") and work.docs[2].has_annotation("DEP")
    article = pipe.process([Article(id="claims", text=text, published="2024-03-05")]).articles[0]
    quote = next(q for q in article.quotes if "position is clear" in q.content.text)
    assert quote.speaker_span is not None and "Lavrov" in quote.speaker_span.text
    assert quote.speaker is not None and quote.speaker.country == "RUS"
