"""``eval timex``: reading TimeML, TempEval-3 scoring, the dateparser baseline, the CI gate."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from eventwire.errors import EventwireError
from eventwire.eval import timex
from eventwire.model import Span, TimeExpression

FLOORS = Path(__file__).resolve().parents[1] / "eventwire" / "eval" / "floors.json"
TOY = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<DOCID>toy1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-06T22:19:00" temporalFunction="false" \
functionInDocument="CREATION_TIME">02/06/1998 22:19:00</TIMEX3></DCT>
<TEXT>
The AT&amp;T talks <EVENT eid="e1" class="OCCURRENCE">began</EVENT> \
<TIMEX3 tid="t1" type="DATE" value="1998-02-05" temporalFunction="true" \
functionInDocument="NONE" anchorTimeID="t0">yesterday</TIMEX3> and lasted \
<TIMEX3 tid="t2" type="DURATION" value="P3D">three days</TIMEX3>. Prices rise \
<TIMEX3 tid="t3" type="SET" value="P1D">daily</TIMEX3> in \
<TIMEX3 tid="t4" type="DATE" value="1998">1998</TIMEX3>.\
<TIMEX3 tid="t9" type="DATE" value="1998-W06" temporalFunction="true"/>
</TEXT>
</TimeML>
"""


@pytest.fixture()
def toy_dir(tmp_path: Path) -> Path:
    (tmp_path / "toy1.tml").write_text(TOY, "utf-8")
    return tmp_path


def test_read_tml_plain_text_offsets_and_dct(toy_dir: Path) -> None:
    doc = timex.read_tml(toy_dir / "toy1.tml")
    assert doc.dct == "1998-02-06T22:19:00"
    assert "AT&T talks began yesterday" in doc.text
    assert [(g.text, g.type, g.value) for g in doc.gold] == [
        ("yesterday", "DATE", "1998-02-05"), ("three days", "DURATION", "P3D"),
        ("daily", "SET", "P1D"), ("1998", "DATE", "1998")]
    for g in doc.gold:
        assert doc.text[g.start:g.end] == g.text


def test_run_on_a_directory(toy_dir: Path) -> None:
    result = timex.run([str(toy_dir)])
    assert result["documents"] == 1 and result["engine"] == "rules"
    assert result["strict_f1"] == result["relaxed_f1"] == result["value_f1"] == 1.0
    assert set(result["per_type"]) == {"DATE", "TIME", "DURATION", "SET"}
    assert result["per_type"]["DURATION"]["value_f1"] == 1.0
    assert result["per_type"]["TIME"]["gold"] == 0
    json.dumps(result)


def _sys(start: int, end: int, kind: str, value: str | None) -> TimeExpression:
    return TimeExpression(Span(start, end, ""), kind, value)


def test_tempeval3_scoring() -> None:
    gold = [timex.Gold(0, 5, "DATE", "1998", ""), timex.Gold(10, 20, "DURATION", "P3D", "")]
    system = [_sys(0, 5, "DATE", "1998"), _sys(12, 25, "DURATION", "P2D"),
              _sys(30, 35, "DATE", "PAST_REF")]
    scores = timex.count(gold, system).scores()
    assert (scores["strict_f1"], scores["relaxed_f1"], scores["value_f1"]) == (0.4, 0.8, 0.4)
    assert (scores["relaxed_p"], scores["relaxed_r"]) == (round(2 / 3, 4), 1.0)
    date_scores = timex.count(gold, system, "DATE").scores()
    assert (date_scores["gold"], date_scores["system"]) == (1, 2)
    assert date_scores["relaxed_f1"] == round(2 / 3, 4)
    duration = timex.count(gold, system, "DURATION").scores()
    assert (duration["relaxed_f1"], duration["value_f1"]) == (1.0, 0.0)


def test_pairs_are_one_to_one() -> None:
    gold = [timex.Gold(0, 5, "DATE", "a", ""), timex.Gold(6, 10, "DATE", "b", "")]
    pairs = timex.pair(gold, [_sys(0, 10, "DATE", "b")])
    assert len(pairs) == 1 and pairs[0][0].value == "a"  # larger overlap first


def test_week_numbers_compare_without_padding() -> None:
    assert timex.same_value("2000-W7", "2000-W07")
    assert not timex.same_value("2000-W17", "2000-W07")
    assert not timex.same_value("1998", None)


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(EventwireError) as missing:
        timex.run([str(tmp_path / "nope")])
    assert missing.value.code == "E503"
    with pytest.raises(EventwireError) as empty:
        timex.run([str(tmp_path)])
    assert empty.value.code == "E504"
    (tmp_path / "bad.tml").write_text("<TimeML></TimeML>", "utf-8")
    with pytest.raises(EventwireError) as bad:
        timex.run([str(tmp_path)])
    assert bad.value.code == "E502"
    with pytest.raises(EventwireError) as engine:
        timex.run([str(tmp_path)], engine="heideltime")
    assert engine.value.code == "E505"


def test_render(toy_dir: Path) -> None:
    out = io.StringIO()
    timex.render(timex.run([str(toy_dir)]), Console(file=out, width=160))
    text = out.getvalue()
    assert "value F1" in text and "DURATION" in text and "ms per document" in text


def test_dateparser_baseline(toy_dir: Path) -> None:
    result = timex.run([str(toy_dir)], engine="dateparser")
    assert result["engine"] == "dateparser"
    assert result["per_type"]["DURATION"]["system"] == 0


def test_gate_on_tempeval3(shared: Path) -> None:
    """TimeBank + AQUAINT stay at or above the pinned floors (value and relaxed F1)."""
    floors = json.loads(FLOORS.read_text("utf-8"))
    gold = shared / "gold" / "tempeval3"
    result = timex.run([str(gold / "TimeBank"), str(gold / "AQUAINT")])
    assert result["gold"] == 1822
    assert result["value_f1"] >= floors["timex_value_f1"]
    assert result["relaxed_f1"] >= floors["timex_relaxed_f1"]
