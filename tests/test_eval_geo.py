"""``eventwire eval geo``: readers of both gold formats, metrics, and the quality gate."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
from rich.console import Console

from eventwire.errors import EventwireError
from eventwire.eval import geo
from eventwire.model import Place
from eventwire.resources import Resources

FLOORS = Path(__file__).resolve().parents[1] / "eventwire" / "eval" / "floors.json"

LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <text><![CDATA[Alexandria woman charged. Both Rapides Parish and Ruritania deputies came.]]>
    </text>
    <toponyms>
      <toponym><start>0</start><end>10</end><phrase>Alexandria</phrase>
        <gaztag geonameid="4314550"><name>Alexandria</name><fclass>P</fclass>
        <fcode>PPL</fcode><lat>31.3113</lat><lon>-92.4451</lon></gaztag></toponym>
      <toponym><start>31</start><end>45</end><phrase>Rapides Parish</phrase>
        <gaztag geonameid="4338356"><lat>31.1669</lat><lon>-92.4835</lon></gaztag></toponym>
      <toponym><start>50</start><end>59</end><phrase>Ruritania</phrase></toponym>
    </toponyms>
  </article>
</articles>
"""

GWN = """<?xml version="1.0" ?>
<articles>
  <article file="0">
    <title>t</title>
    <text>Police in Moscow said Russians and the Kremlin agreed.</text>
    <toponyms>
      <toponym><extractedName>Moscow</extractedName><type>Literal</type>
        <nonLocational>No</nonLocational><start>10</start><end>16</end>
        <geonamesID>524901</geonamesID><latitude>55.75222</latitude>
        <longitude>37.61556</longitude></toponym>
      <toponym><extractedName>Russians</extractedName><type>Demonym</type>
        <nonLocational>No</nonLocational><start>22</start><end>30</end>
        <geonamesID/><latitude/><longitude/></toponym>
      <toponym><extractedName>Kremlin</extractedName><type>Metonymic</type>
        <nonLocational>Yes</nonLocational><start>39</start><end>46</end>
        <geonamesID/><latitude>55.75</latitude><longitude>37.61</longitude></toponym>
    </toponyms>
  </article>
</articles>
"""


@pytest.fixture()
def lgl_file(tmp_path: Path) -> Path:
    path = tmp_path / "lgl.xml"
    path.write_text(LGL, "utf-8")
    return path


@pytest.fixture()
def gwn_file(tmp_path: Path) -> Path:
    path = tmp_path / "GWN.xml"
    path.write_text(GWN, "utf-8")
    return path


def test_reads_lgl_toponyms_with_coordinates(lgl_file: Path) -> None:
    [article] = geo.read(lgl_file)
    assert [t.text for t in article.toponyms] == ["Alexandria", "Rapides Parish"]
    assert article.toponyms[0].geonameid == 4314550
    assert all(article.text[t.start:t.end] == t.text for t in article.toponyms)


def test_reads_gwn_locational_toponyms_with_coordinates(gwn_file: Path) -> None:
    [article] = geo.read(gwn_file)
    assert [(t.text, t.geonameid) for t in article.toponyms] == [("Moscow", 524901)]


def test_unreadable_file_is_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><article>", "utf-8")
    with pytest.raises(EventwireError) as info:
        geo.read(bad)
    assert info.value.code == "E501"
    empty = tmp_path / "empty.xml"
    empty.write_text("<articles/>", "utf-8")
    with pytest.raises(EventwireError, match="E502"):
        geo.read(empty)


def test_metrics() -> None:
    assert geo.auc([0.0, 0.0]) == 0.0
    assert geo.auc([geo.MAX_KM, geo.MAX_KM]) == pytest.approx(1.0, abs=1e-4)
    s = geo.summary([0.0, 100.0, 200.0, geo.MAX_KM])
    assert s["acc_at_161km"] == 0.5 and s["median_km"] == 150.0
    assert s["mean_km"] == pytest.approx((300 + geo.MAX_KM) / 4, abs=0.1)
    assert geo.prf(2, 4, 8) == {"precision": 0.5, "recall": 0.25, "f1": 0.3333}
    gold = geo.GoldToponym(0, 1, "x", 0.0, 0.0)
    assert geo.error_km(None, gold) == geo.MAX_KM
    assert math.isclose(geo.error_km(Place("x", lat=0.0, lon=1.0), gold), 111.2, abs_tol=0.5)


def test_run_and_render_on_both_formats(resources: Resources, lgl_file: Path,
                                        gwn_file: Path) -> None:
    lgl = geo.run(lgl_file, res=resources)
    assert lgl["acc_at_161km"] == 1.0 and lgl["n"] == 2
    for key in ("acc_at_161km", "e2e_acc_at_161km", "recognition_f1", "mean_km", "median_km",
                "auc"):
        assert key in lgl
    json.dumps(lgl)
    gwn = geo.run(gwn_file, res=resources)
    assert gwn["acc_at_161km"] == 1.0 and gwn["e2e_acc_at_161km"] == 1.0
    out = io.StringIO()
    geo.render(gwn, Console(file=out, width=120))
    assert "acc@161km" in out.getvalue() and "recognition" in out.getvalue()


# ---------------------------------------------------------------- the gate


@pytest.mark.shared
@pytest.mark.parametrize(("name", "relative"), [("lgl", "gold/lgl/lgl.xml"),
                                                ("gwn", "gold/geowebnews/GWN.xml")])
def test_geo_gate(resources: Resources, shared: Path, name: str, relative: str) -> None:
    """Resolution with gold spans and end to end stay at or above the pinned floors."""
    floors = json.loads(FLOORS.read_text("utf-8"))
    result = geo.run(shared / relative, res=resources)
    for metric in ("acc_at_161km", "e2e_acc_at_161km", "recognition_f1"):
        floor = floors.get(f"geo_{name}_{metric}")
        if floor is not None:
            assert result[metric] >= floor, (metric, result[metric], floor)
    assert f"geo_{name}_acc_at_161km" in floors
