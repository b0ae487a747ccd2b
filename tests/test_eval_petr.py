"""`eventwire eval petr`: the tolerant reader, CAMEO actor codes, matching, and the gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.errors import EventwireError
from eventwire.eval import petr
from eventwire.model import Actor, Event, Evidence, Span

FLOORS = Path(__file__).resolve().parents[1] / "eventwire" / "eval" / "floors.json"
GOLD = "gold/petr2-gsr/PETR2_GSR_validation.xml"

SAMPLE = """<?xml version='1.0' encoding='utf-8'?>
<Validation>
# a comment line that is not XML: <EventCoding...>
<Sentences>
<Sentence category="AFP" date="20080806" id="A_1" evaluate="true"/>
<EventCoding eventcode="173" sourcecode="GUYJUD" targetcode="BRAPPL" />
<Text>
A court in Guyana jailed a Brazilian
man on Wednesday.
</Text>
<Parse>
1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_
</Parse></Sentence>

<Sentence category="AFP" date="20080806" id="A_2" evaluate="true">
<!-- a real comment -->
<EventCoding noevents="True" />
<Text>
France condemned as`` unacceptable'' the allegations.
</Text>
</Sentence>
<Sentence category="OTHER" date="20150101" id="A_3" evaluate="true"/>
<EventCoding eventcode="190" sourcecode="NGAREB" targetcode="NGAMUS" />
<Text>
</Text>
<Parse>
1\tBoko\tBoko\tPROPN\tNNP\t_\t2\tname\t_\t_
2\tHaram\tHaram\tPROPN\tNNP\t_\t3\tnsubj\t_\t_
3\tstruck\tstrike\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_
</Parse></Sentence>
</Sentences>
</Validation>
"""


def test_reader_tolerates_broken_xml(tmp_path: Path) -> None:
    path = tmp_path / "v.xml"
    path.write_text(SAMPLE, "utf-8")
    records = petr.read_records(path)
    assert [r.id for r in records] == ["A_1", "A_2", "A_3"]
    assert records[0].text == "A court in Guyana jailed a Brazilian man on Wednesday."
    assert records[0].date == "2008-08-06"
    assert records[0].codings == (petr.Coding("173", "GUYJUD", "BRAPPL"),)
    assert records[1].noevents and not records[1].codings
    assert records[1].text == 'France condemned as" unacceptable" the allegations.'
    assert records[2].text == "Boko Haram struck."


def test_reader_errors_are_coded(tmp_path: Path) -> None:
    with pytest.raises(EventwireError) as missing:
        petr.read_records(tmp_path / "nope.xml")
    assert missing.value.code == "E501"
    (tmp_path / "empty.xml").write_text("<Validation/>", "utf-8")
    with pytest.raises(EventwireError) as empty:
        petr.read_records(tmp_path / "empty.xml")
    assert empty.value.code == "E502"


@pytest.mark.parametrize("code, country, transnational, sector", [
    ("USA", "USA", False, None),
    ("GUYJUD", "GUY", False, "JUD"),
    ("PSEREBHMSGOV", "PSE", False, "REB"),
    ("IRQGOVMIL", "IRQ", False, "GOV"),
    ("SYROPPHRI", "SYR", False, "OPP"),
    ("---REB", None, False, "REB"),
    ("---", None, False, None),
    ("IGOUNOMIL", None, True, "MIL"),
    ("IGOEUREEC", None, True, None),
    ("IMGMUSISI", None, True, None),
    ("BRAMED", "BRA", False, "JRN"),
    ("BRAPPL", "BRA", False, "CVL"),
    ("EGYOPPMUS", "EGY", False, "OPP"),
])
def test_split_cameo_actor(code: str, country: str | None, transnational: bool,
                           sector: str | None) -> None:
    gold = petr.split_actor(code)
    assert (gold.country, gold.transnational, gold.sector) == (country, transnational, sector)


def _actor(code: str | None, sector: str | None = None, name: str = "x") -> Actor:
    return Actor(name, code, code, sector, "country")


def test_entity_matching_uses_country_codes_and_cameo_prefixes() -> None:
    cameo = {"UN": "IGOUNO", "ISIS": "IMGMUSISI"}
    assert petr.entity_matches(petr.split_actor("RUSGOV"), _actor("RUS"), cameo)
    assert not petr.entity_matches(petr.split_actor("RUSGOV"), _actor("UKR"), cameo)
    assert petr.entity_matches(petr.split_actor("IGOUNOMIL"), _actor("UN"), cameo)
    assert petr.entity_matches(petr.split_actor("IMGMUSISI"), _actor("ISIS"), cameo)
    assert not petr.entity_matches(petr.split_actor("IGOEUREEC"), _actor("UN"), cameo)
    assert petr.entity_matches(petr.split_actor("---REB"), _actor(None, "REB"), cameo)


def _event(type_: str, actors: list[Actor], recipients: list[Actor]) -> Event:
    evidence = Evidence("a", 0, Span(0, 1, "x"), "x")
    return Event("e", type_, evidence, actors=actors, recipients=recipients)


def test_match_event_prefers_type_then_parties() -> None:
    usa, rus, che = _actor("USA", "GOV"), _actor("RUS", "GOV"), _actor("CHE")
    meeting = _event("CONSULT", [usa, rus], [])
    other = _event("ACCUSE", [che], [usa])
    src, tgt = petr.split_actor("RUSGOV"), petr.split_actor("USAGOV")
    m = petr.match_event([other, meeting], "CONSULT", src, tgt, {})
    assert m.event is meeting and m.source is rus and m.target is usa


def test_score_counts_only_predicted_events() -> None:
    from eventwire.model import Article

    rec = petr.Record("r", None, "t", (petr.Coding("040", "USA", "RUS"),
                                       petr.Coding("010", "USA", "RUS")), False)
    empty = Article(id="a", text="t")
    score = petr.score_records([rec], {"r": empty}, {})
    assert score.scored == 1 and score.skipped_no_plover == 1
    assert score.fields["source_country"].correct == 0
    assert score.given_event["source_country"].total == 0


def test_petr_gate(shared: Path) -> None:
    """The evaluation gate: every petr_* floor in floors.json holds on the gold file."""
    result = petr.run(str(shared / GOLD))
    assert result["records"] == 78 and result["scored"] == 71
    floors = {k: v for k, v in json.loads(FLOORS.read_text("utf-8")).items()
              if k.startswith("petr_")}
    assert "petr_source_country_acc" in floors
    below = {k: (result[k], v) for k, v in floors.items() if result[k] < v}
    assert not below, f"below the pinned floors (measured, floor): {below}"
