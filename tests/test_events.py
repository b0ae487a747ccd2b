"""The events stage on sentences written for these tests, with the actor mentions given by
hand (so the stage is tested alone), and on the reference article through the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from eventwire import ontology
from eventwire.errors import EventwireError
from eventwire.ids import event_id
from eventwire.model import Actor, Article, Event, span_of
from eventwire.stages import Work
from eventwire.stages import events as events_stage
from eventwire.stages.events.lexicon import Sense, _check, load_lexicon, noun_forms, verb_forms


@dataclass(frozen=True)
class M:
    """A hand-made actor mention: the phrase (its ``nth`` occurrence) and who it is."""

    phrase: str
    code: str
    kind: str = "country"
    sector: str | None = None
    nth: int = 0


def article(text: str, mentions: list[M]) -> Article:
    art = Article(id="a-test", text=text)
    for m in mentions:
        start = -1
        for _ in range(m.nth + 1):
            start = text.index(m.phrase, start + 1)
        art.actors.append(Actor(name=m.phrase, code=m.code, country=m.code, sector=m.sector,
                                kind=m.kind, key=f"{m.kind}:{m.code}:{m.phrase}",
                                span=span_of(text, start, start + len(m.phrase))))
    return art


@pytest.fixture(scope="module")
def code(resources):
    from eventwire.stages import parse, segment

    seg, par, ev = segment.build(resources), parse.build(resources), events_stage.build(resources)

    def run(text: str, mentions: list[M]) -> Article:
        work = Work(article(text, mentions))
        seg(work)
        for s in work.article.sentences:
            s.candidate = True
        par(work)
        ev(work)
        return work.article

    return run


def codes(actors: list[Actor]) -> set[str]:
    return {a.code for a in actors if a.code}


PUTIN_XI = ("Russian President Vladimir Putin met Chinese President Xi Jinping in Beijing.",
            [M("Russian President Vladimir Putin", "RUS", "person", "GOV"),
             M("Chinese President Xi Jinping", "CHN", "person", "GOV")])

CASES = [
    # text, mentions, type, actors, recipients, mode, modality
    (*PUTIN_XI, "CONSULT", {"RUS", "CHN"}, set(), None, "asserted"),
    ("France and Germany will hold talks in Paris next month.",
     [M("France", "FRA"), M("Germany", "DEU")], "AGREE", {"FRA", "DEU"}, set(), None, "future"),
    ("Iran refused to meet British diplomats.",
     [M("Iran", "IRN"), M("British diplomats", "GBR", "org", "GOV")],
     "REJECT", {"IRN"}, {"GBR"}, "meet", "asserted"),
    ("Boko Haram fighters attacked an army base near Maiduguri.",
     [M("Boko Haram", "NGA", "group", "REB")], "ASSAULT", {"NGA"}, set(), None, "asserted"),
    ("Israeli jets bombed Hamas positions in Gaza.",
     [M("Israeli", "ISR"), M("Hamas", "PSE", "group", "REB")],
     "ASSAULT", {"ISR"}, {"PSE"}, "aerial", "asserted"),
    ("The United States imposed sanctions on North Korea.",
     [M("United States", "USA"), M("North Korea", "PRK")],
     "SANCTION", {"USA"}, {"PRK"}, None, "asserted"),
    ("Belarusian police arrested dozens of protesters in Minsk.",
     [M("Belarusian police", "BLR", "org", "COP")], "COERCE", {"BLR"}, set(), "arrest", "asserted"),
    ("Turkey did not send troops to Syria.",
     [M("Turkey", "TUR"), M("Syria", "SYR")], "MOBILIZE", {"TUR"}, {"SYR"}, "troops", "negated"),
    ("Germany praised Poland for its support.",
     [M("Germany", "DEU"), M("Poland", "POL")], "SUPPORT", {"DEU"}, {"POL"}, None, "asserted"),
    ("Ukraine accused Russia of shelling civilian areas.",
     [M("Ukraine", "UKR"), M("Russia", "RUS")], "ACCUSE", {"UKR"}, {"RUS"}, "allege", "asserted"),
    ("Indian Prime Minister Narendra Modi held a video conference with Australian Prime "
     "Minister Scott Morrison.",
     [M("Indian Prime Minister Narendra Modi", "IND", "person", "GOV"),
      M("Australian Prime Minister Scott Morrison", "AUS", "person", "GOV")],
     "CONSULT", {"IND", "AUS"}, set(), "phone", "asserted"),
    ("Foreign ministers of India, Brazil and South Africa met in New Delhi.",
     [M("India", "IND"), M("Brazil", "BRA"), M("South Africa", "ZAF")],
     "CONSULT", {"IND", "BRA", "ZAF"}, set(), "multilateral", "asserted"),
    ("The Taliban seized the city of Kunduz.",
     [M("Taliban", "AFG", "group", "REB")], "ASSAULT", {"AFG"}, set(), None, "asserted"),
    ("Washington could impose new sanctions on Moscow.",
     [M("Washington", "USA"), M("Moscow", "RUS")],
     "SANCTION", {"USA"}, {"RUS"}, None, "hypothetical"),
    ("Kenya sent food aid to Somalia.",
     [M("Kenya", "KEN"), M("Somalia", "SOM")], "AID", {"KEN"}, {"SOM"}, None, "asserted"),
    # a pronoun in a reported clause stands for the reporter; "would" there is a future
    ("Israel announced it would free 150 Palestinian prisoners.",
     [M("Israel", "ISR"), M("Palestinian", "PSE")], "CONCEDE", {"ISR"}, {"PSE"}, None, "future"),
    # a negated future of a cooperative act is a refusal
    ("Obama said he would not provide support to Israel.",
     [M("Obama", "USA", "person", "GOV"), M("Israel", "ISR")],
     "REJECT", {"USA"}, {"ISR"}, "assist", "asserted"),
    ("Israel will not negotiate with Hamas.",
     [M("Israel", "ISR"), M("Hamas", "PSE", "group", "REB")],
     "REJECT", {"ISR"}, {"PSE"}, "meet", "asserted"),
    # a future attack announced by its own actor is a threat
    ("Hamas said it will fire rockets at Israel.",
     [M("Hamas", "PSE", "group", "REB"), M("Israel", "ISR")],
     "THREATEN", {"PSE"}, {"ISR"}, "violence", "asserted"),
    # PLOVER: agreeing to lift restrictions is a concession
    ("Washington agreed to lift the sanctions on Iran.",
     [M("Washington", "USA"), M("Iran", "IRN")], "CONCEDE", {"USA"}, {"IRN"}, None, "asserted"),
    ("The rebels vowed to attack government forces.",
     [M("rebels", "SYR", "group", "REB"), M("government forces", "SYR", "group", "MIL")],
     "THREATEN", {"SYR"}, set(), "violence", "asserted"),
    ("Syrian rebels engaged Filipino peacekeepers in a firefight.",
     [M("Syrian rebels", "SYR", "group", "REB"), M("Filipino peacekeepers", "PHL", "group", "MIL")],
     "ASSAULT", {"SYR", "PHL"}, set(), "firearms", "asserted"),
    ("Russia is conducting military exercises in Alaska.",
     [M("Russia", "RUS")], "MOBILIZE", {"RUS"}, set(), None, "ongoing"),
    ("Ukraine received weapons from the United States.",
     [M("Ukraine", "UKR"), M("United States", "USA")], "AID", {"USA"}, {"UKR"}, None, "asserted"),
    ("Obama is scheduled to meet Putin in Zurich.",
     [M("Obama", "USA", "person", "GOV"), M("Putin", "RUS", "person", "GOV")],
     "AGREE", {"USA", "RUS"}, set(), None, "future"),
    ("US and British activists staged a protest in Beijing.",
     [M("US", "USA"), M("British activists", "GBR", "group", "SOC")],
     "PROTEST", {"USA", "GBR"}, set(), "demo", "asserted"),
    # those who agree on or to a reciprocal act are its parties
    ("Israel and Hamas agreed on a ceasefire in Gaza.",
     [M("Israel", "ISR"), M("Hamas", "PSE", "group", "REB")],
     "CONCEDE", {"ISR", "PSE"}, set(), None, "asserted"),
    ("Sudan and France agree that the peace agreement must be completed.",
     [M("Sudan", "SDN"), M("France", "FRA")], "AGREE", {"SDN", "FRA"}, set(), None, "asserted"),
    ("Armenia has agreed to face-to-face talks with Azerbaijan.",
     [M("Armenia", "ARM"), M("Azerbaijan", "AZE")],
     "AGREE", {"ARM", "AZE"}, set(), None, "asserted"),
    # the parser hangs "from" on the object here ("assurances from the ... government")
    ("Georgia received assurances from the Russian government.",
     [M("Georgia", "GEO"), M("Russian government", "RUS", "org", "GOV")],
     "AGREE", {"RUS"}, {"GEO"}, None, "asserted"),
    # evidence against somebody, presented, is an accusation
    ("The United States presented evidence against Russia.",
     [M("United States", "USA"), M("Russia", "RUS")],
     "ACCUSE", {"USA"}, {"RUS"}, "allege", "asserted"),
    ("Evidence against Russia was presented by the United States.",
     [M("United States", "USA"), M("Russia", "RUS")],
     "ACCUSE", {"USA"}, {"RUS"}, "allege", "asserted"),
]


@pytest.mark.parametrize(("text", "mentions", "type_", "actors", "recipients", "mode", "modality"),
                         CASES, ids=[c[0][:40] for c in CASES])
def test_codes_sentence(code, text, mentions, type_, actors, recipients, mode, modality):
    art = code(text, mentions)
    found = [e for e in art.events if e.type == type_]
    assert found, f"no {type_} in {[(e.type, codes(e.actors)) for e in art.events]}"
    e = found[0]
    assert actors <= codes(e.actors)
    assert recipients <= codes(e.recipients)
    assert (e.mode, e.modality) == (mode, modality)


NO_EVENT = [
    ("England beat France in the rugby match at Twickenham.",
     [M("England", "GBR"), M("France", "FRA")]),
    ("Shares of the company fell after talks with creditors collapsed.", []),
    ("Brazil is the largest country in South America.", [M("Brazil", "BRA")]),
    ("The Chinese team won the football tournament after a clash with Japan.",
     [M("Chinese", "CHN"), M("Japan", "JPN")]),
    # a meeting with one known party says nothing about with whom
    ("South Africa hosted a financial intelligence workshop.", [M("South Africa", "ZAF")]),
    ("Wen paid a visit to the institute.", [M("Wen", "CHN", "person", "GOV")]),
    # a pledge with nobody to receive it, and an opinion "agreed with"
    ("Syria has pledged to increase border security.", [M("Syria", "SYR")]),
    ("The Commission said it broadly agreed with the auditors' conclusions.",
     [M("Commission", "EU", "igo")]),
    # "their" in a clause with its own subject is that subject's, not the speaker's
    ("Judge Hogan said the families had dropped their lawsuits.",
     [M("Judge Hogan", "USA", "person", "JUD")]),
    # a third-person pronoun before the reporting verb is somebody else
    ("They attacked the convoy near Kandahar, Afghan police said.",
     [M("Afghan police", "AFG", "org", "COP")]),
    ("The EU representative to the Kosovo talks, Stephan Lehne, spoke.",
     [M("EU", "EU", "igo"), M("Stephan Lehne", "EU", "person", "GOV")]),
    ("The supreme commander conceded that he was concerned.",
     [M("supreme commander", "THA", "person", "MIL")]),
    # one person agreeing that something is so is an opinion, whatever his affiliation
    ("Dr. Shen Dajun, research fellow with China Institute of Water Resources, agreed that "
     "consumers need transparency.",
     [M("Shen Dajun", "CHN", "person"), M("China Institute of Water Resources", "CHN", "org")]),
    # who agrees to demands did not make them
    ("South Africa would not agree to unrealistic demands.", [M("South Africa", "ZAF")]),
    # evidence of something is no accusation of anybody
    ("Britain presented evidence of Russian gas deliveries.",
     [M("Britain", "GBR"), M("Russian", "RUS")]),
]


@pytest.mark.parametrize(("text", "mentions"), NO_EVENT, ids=[c[0][:40] for c in NO_EVENT])
def test_gives_no_event(code, text, mentions):
    assert code(text, mentions).events == []


def test_detector_adds_no_second_event_where_a_rule_coded_it(code):
    """The learned detector may fire at another word of a sentence whose event the trigger
    rules already coded ("refused" -> REJECT; the detector at "meet"): one event, not two."""
    art = code("Iran refused to meet British diplomats.", [M("Iran", "IRN"), M("British", "GBR")])
    rejects = [e for e in art.events if e.type == "REJECT"]
    assert len(rejects) == 1 and rejects[0].mode == "meet", [(e.type, e.mode) for e in art.events]


def test_dated_background_is_historical(code):
    text = ("Millon's visit comes years after the PLA stormed Tiananmen Square on June 4, 1989. "
            "China and France met again in 2006.")
    art = code(text, [M("PLA", "CHN", "org", "MIL"), M("China", "CHN"), M("France", "FRA")])
    stormed = [e for e in art.events if e.type == "ASSAULT"]
    assert stormed and stormed[0].modality == "historical"
    assert any(e.type == "CONSULT" and e.modality == "asserted" for e in art.events)


def test_taliban_capture_of_provinces_is_assault_on_territory(code):
    art = code("The speaker noted that a large-scale offensive resulted in Taliban capture of "
               "80-100 provinces.", [M("Taliban", "AFG", "group", "REB")])
    (e,) = [e for e in art.events if e.evidence.trigger and e.evidence.trigger.text == "capture"]
    assert e.type == "ASSAULT" and "territory" in e.context and codes(e.actors) == {"AFG"}


def test_meeting_hosted_by_a_venue_is_multilateral_among_its_members(code):
    text = ("Doha hosts a meeting of the extended troika on Afghanistan consisting of "
            "Russia-USA-China-Pakistan in a closed mode.")
    art = code(text, [M("Doha", "QAT"), M("Afghanistan", "AFG"), M("Russia", "RUS"),
                      M("USA", "USA"), M("China", "CHN"), M("Pakistan", "PAK")])
    (e,) = art.events
    assert (e.type, e.mode) == ("CONSULT", "multilateral")
    assert codes(e.actors) == {"RUS", "USA", "CHN", "PAK"}


def test_event_fields_are_consistent(code):
    art = code(*PUTIN_XI)
    onto = ontology.load()
    for e in art.events:
        ev = e.evidence
        assert ev.quote == art.text[ev.span.start:ev.span.end] == ev.span.text
        assert ev.trigger and ev.span.start <= ev.trigger.start < ev.trigger.end <= ev.span.end
        assert ev.trigger.text == art.text[ev.trigger.start:ev.trigger.end]
        assert 0.35 <= e.confidence <= 1.0
        assert e.intensity == onto.intensity(e.type, e.mode)
        assert (e.quad, e.cameo) == (onto.types[e.type].quad, onto.to_cameo_root(e.type))
        assert e.modality in onto.modalities
        assert art.meta["events"][e.id]["decided_by"] in ("rules", "classifier", "rules+classifier")
        assert e.id == event_id(art.id, ev.span.start, ev.span.end, e.type, _id_codes(e))


def _id_codes(e: Event) -> list[str]:
    return [a.code or a.name for a in e.actors] + [">" + (a.code or a.name) for a in e.recipients]


def test_ids_are_deterministic(code):
    first = [e.id for e in code(*PUTIN_XI).events]
    assert first and first == [e.id for e in code(*PUTIN_XI).events]


def _works(resources, items):
    from eventwire.stages import parse, segment

    seg, par = segment.build(resources), parse.build(resources)
    works = []
    for text, mentions in items:
        work = Work(article(text, mentions))
        seg(work)
        for s in work.article.sentences:
            s.candidate = True
        par(work)
        works.append(work)
    return works


def test_batch_codes_like_single_articles_with_one_classifier_call(resources):
    stage = events_stage.build(resources)
    items = [PUTIN_XI, CASES[5][:2], CASES[9][:2]]
    single = _works(resources, items)
    for work in single:
        stage(work)
    calls = []
    if stage.classifier is not None:
        predict = stage.classifier.predict
        stage.classifier = type("Counting", (), {
            "predict": lambda self, marked, docs=None:
                calls.append(len(marked)) or predict(marked, docs)})()
    batched = _works(resources, items)
    stage.batch(batched)
    assert [[e.id for e in w.article.events] for w in batched] == \
        [[e.id for e in w.article.events] for w in single]
    assert all(w.article.events for w in batched)
    assert len(calls) <= 1


def test_rules_only_mode(code):
    from eventwire import config
    from eventwire.resources import Resources

    res = Resources(config.load(overrides={"events": {"classifier": "rules"}}))
    stage = events_stage.build(res)
    assert stage.classifier is None


def test_trigger_forms_cover_inflections(resources):
    forms = events_stage.trigger_forms(resources)
    for word in ("met", "meets", "meeting", "talks", "attacked", "seized", "struck", "withdrew",
                 "consultations", "negotiations", "captured", "sanctions", "agreeing", "banned"):
        assert word in forms, word
    assert all(f == f.lower() for f in forms)


def test_inflection_helpers():
    assert {"visit", "visits", "visited", "visiting"} <= verb_forms("visit")
    assert {"occupies", "occupied", "occupying"} <= verb_forms("occupy")
    assert {"talks", "talk"} <= noun_forms("talks")


def test_lexicon_is_checked_against_the_ontology():
    lex = load_lexicon()
    assert lex.verbs["meet"][0].type == "CONSULT"
    bad = {"x": (Sense("x", "VERB", ("MEETING",)),)}
    with pytest.raises(EventwireError) as err:
        _check(bad, ontology.load())
    assert err.value.code == "E036"


def test_reference_article(shared, resources):
    """The general coder on the reference article (checks, not targets)."""
    pytest.importorskip("eventwire.stages.actors")
    from eventwire.pipeline import extract_text

    raw = (shared / "examples" / "000_0177d3a5025271f0.txt").read_text("utf-8")
    art = extract_text(raw.split("\n", 1)[1], published="2021-08-11", res=resources)

    def has(type_: str, want: set[str], **fields: object) -> bool:
        return any(e.type == type_ and want <= codes(e.actors) | codes(e.recipients)
                   and all(getattr(e, k) == v for k, v in fields.items()) for e in art.events)

    assert has("CONSULT", {"RUS", "TKM"}, mode="phone")
    assert has("CONSULT", {"RUS", "TKM"}, mode=None)
    assert has("CONSULT", {"RUS", "USA", "CHN", "PAK"}, mode="multilateral")
    taliban = [e for e in art.events if e.type == "ASSAULT" and "territory" in e.context]
    assert any(a.code == "AFG" and a.sector == "REB" for e in taliban for a in e.actors)
    assert any(e.type == "SUPPORT" and codes(e.actors) == {"RUS"} and "TKM" in codes(e.recipients)
               for e in art.events)


@pytest.mark.timeout(30)
def test_a_detector_event_that_restates_another_is_dropped():
    from types import SimpleNamespace

    from eventwire.stages.events import Candidate, _dedupe

    sentence = SimpleNamespace(index=3)
    envoy = Actor(name="the envoy", code="UN", kind="igo", key="igo:UN")
    albania = Actor(name="Albania", code="ALB", key="country:ALB")
    serbia = Actor(name="Serbia", code="SRB", key="country:SRB")

    def cand(i: int, actors, recipients, by: str, p: float, type_: str = "CONSULT"):
        return Candidate(sentence, SimpleNamespace(i=i), None, type_, actors, recipients,
                         "asserted", None, [], {"decided_by": by}, p)

    rule = cand(2, [envoy], [albania], "rules", 0.8)
    again = cand(7, [albania], [], "detector", 0.9)       # a party in common: the same meeting
    other = cand(9, [serbia], [], "detector", 0.7)        # no party in common: kept
    typed = cand(11, [albania], [], "detector", 0.9, "AGREE")  # another type: kept
    assert _dedupe([rule, again, other, typed]) == [rule, other, typed]
    weaker = cand(12, [serbia, albania], [], "detector", 0.6)
    assert weaker not in _dedupe([other, weaker])  # the more confident detector event stays
