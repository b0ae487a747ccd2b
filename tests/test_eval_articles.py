"""`eventwire eval articles`: its figures equal the reference scorer's
(../shared/gold/articles/score.py, imported at test time) on the same output, on gigaword-dev
coded once per session and on hand-made edge cases; both gold formats read the same."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import ROOT, skip_or_fail
from typer.testing import CliRunner

from eventwire.errors import EventwireError
from eventwire.eval import articles
from eventwire.eval.articles_score import METRICS, score

DEV = "gold/articles/gigaword-dev.jsonl"
COUNTS = ("articles", "gold_events", "key_events", "output_events", "matched")


@pytest.fixture(scope="session")
def reference(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("article_score_reference",
                                                  shared / "gold/articles/score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def dev_items(shared: Path) -> list[articles.GoldArticle]:
    return articles.read_gold([shared / DEV], shared)


@pytest.fixture(scope="session")
def dev_coded(dev_items: list[articles.GoldArticle], resources: Any) -> list[Any]:
    """gigaword-dev's 30 articles coded once for the session (about 30-60 s)."""
    return articles.code(dev_items, resources)


def _same(mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    for key in (*COUNTS, *METRICS):
        assert mine[key] == theirs[key], (key, mine[key], theirs[key])


@pytest.mark.timeout(600)
def test_dev_figures_equal_the_reference(shared: Path, reference: ModuleType, dev_items,
                                         dev_coded) -> None:
    found = articles.result(dev_items, dev_coded, False, 0.0, [DEV])
    outs = articles.outputs(dev_coded)
    gold = [json.loads(x) for x in (shared / DEV).read_text().splitlines() if x.strip()]
    _same(found, reference.score(gold, outs, lenient=True))
    _same(found["type_strict"], reference.score(gold, outs, lenient=False))
    assert {found[f"strict_{k}"] for k in METRICS} == {found["type_strict"][k] for k in METRICS}
    assert found["output_events"] > 0 and found["matched"] > 0


@pytest.mark.timeout(600)
def test_per_type_counts_add_up(dev_items, dev_coded) -> None:
    found = articles.result(dev_items, dev_coded, False, 0.0, [DEV])
    for name in ("gold_events", "output_events", "matched"):
        assert sum(r[name] for r in found["per_type"].values()) == found[name]


@pytest.mark.timeout(600)
def test_explain_accounts_for_every_miss_and_extra(dev_items, dev_coded) -> None:
    found = articles.result(dev_items, dev_coded, True, 0.0, [DEV])
    rows = found["explain"]
    missed = [r for r in rows if r["kind"] == "missed"]
    extra = [r for r in rows if r["kind"] == "unmatched"]
    assert len(missed) == found["gold_events"] - found["matched"]
    assert len(extra) == found["output_events"] - found["matched"]
    stages = {"segment", "actors", "events", "matching"}
    assert all(r["stage"] in stages and r["reason"] and r["sentence"] for r in rows)


# ------------------------------------------------------------------ hand-made cases


def _ev(type_: str, start: int, end: int, actors: list[dict[str, Any]],
        recipients: list[dict[str, Any]] | None = None, **more: Any) -> dict[str, Any]:
    return {"type": type_, "actors": actors, "recipients": recipients or [],
            "evidence": {"start": start, "end": end}, **more}


def _p(text: str | None, code: str | None) -> dict[str, Any]:
    return {"text": text, "code": code}


UNKNOWN = {"text": None, "code": None, "unknown": True}
CASES: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]], int, int]] = {
    # name: (gold events, output events, matched (main), matched (strict))
    "unknown actor needs an all-unknown output and a recipient": (
        [_ev("ASSAULT", 0, 100, [UNKNOWN], [_p("Gaza", "PSE")], key=True)],
        [_ev("ASSAULT", 0, 100, [{"unknown": True}], [_p("Gaza Strip", None)]),
         _ev("ASSAULT", 0, 100, [_p("Israel", "ISR"), {"unknown": True}], [])], 1, 1),
    "unknown gold actor is not matched by a named output": (
        [_ev("COERCE", 0, 100, [UNKNOWN], [])],
        [_ev("COERCE", 0, 100, [_p("police", None)])], 0, 0),
    "pronouns match by code only": (
        [_ev("CONSULT", 0, 50, [_p("He", "UN")]), _ev("CONSULT", 60, 90, [_p("they", "FRA")])],
        [_ev("CONSULT", 0, 50, [_p("he", "USA")]), _ev("CONSULT", 60, 90, [_p("They", "FRA")])],
        1, 1),
    "short text and whole words": (
        [_ev("REQUEST", 0, 50, [_p("Iran", None)]), _ev("REQUEST", 60, 90, [_p("UN", None)])],
        [_ev("REQUEST", 0, 50, [_p("Iranian", None)]),
         _ev("REQUEST", 60, 90, [_p("the UN", None)])],
        0, 0),
    "text containment either way": (
        [_ev("ACCUSE", 0, 50, [_p("the Kurdish rebels", None)], key=True)],
        [_ev("ACCUSE", 0, 50, [_p("Kurdish", "TUR")])], 1, 1),
    "alt_types count in the main figure only": (
        [_ev("AGREE", 0, 50, [_p("Ahtisaari", "UN")], alt_types=["CONSULT"], key=True)],
        [_ev("CONSULT", 0, 50, [_p("Ahtisaari", None)])], 1, 0),
    "CONCEDE, RETREAT and YIELD are one class": (
        [_ev("CONCEDE", 0, 50, [_p("Russia", "RUS")]), _ev("RETREAT", 60, 90, [_p("Iraq", "IRQ")])],
        [_ev("RETREAT", 0, 50, [_p("Russia", "RUS")]), _ev("YIELD", 60, 90, [_p("Iraq", "IRQ")])],
        2, 2),
    "half inside the gold sentence is enough, less is not": (
        [_ev("THREATEN", 100, 200, [_p("Serbia", "SRB")]),
         _ev("THREATEN", 300, 400, [_p("Serbia", "SRB")])],
        [_ev("THREATEN", 50, 150, [_p("Serbia", "SRB")]),
         _ev("THREATEN", 249, 350, [_p("Serbia", "SRB")])], 1, 1),
    "alt_evidence counts as the gold sentence": (
        [_ev("SUPPORT", 0, 50, [_p("China", "CHN")], alt_evidence=[{"start": 60, "end": 90}])],
        [_ev("SUPPORT", 60, 90, [_p("Beijing", "CHN")])], 1, 1),
    "one-to-one with the key event first": (
        [_ev("CONSULT", 0, 50, [_p("Japan", "JPN")]),
         _ev("CONSULT", 0, 50, [_p("Japan", "JPN")], key=True)],
        [_ev("CONSULT", 0, 50, [_p("Japan", "JPN")])], 1, 1),
}


def _case_article(gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"article_id": "case", "events": gold}]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", sorted(CASES))
def test_edge_cases_equal_the_reference(name: str, reference: ModuleType) -> None:
    gold, outs, hit_main, hit_strict = CASES[name]
    for strict, hits in ((False, hit_main), (True, hit_strict)):
        mine = score(_case_article(gold), {"case": outs}, strict)
        _same(mine, reference.score(_case_article(gold), {"case": outs}, lenient=not strict))
        assert mine["matched"] == hits, (strict, mine)


@pytest.mark.timeout(30)
def test_key_first_counts_the_key_event() -> None:
    gold, outs, _, _ = CASES["one-to-one with the key event first"]
    assert score(_case_article(gold), {"case": outs}, False)["key_recall"] == 1.0


@pytest.mark.timeout(30)
def test_field_accuracies_on_a_matched_pair() -> None:
    gold = [_ev("ASSAULT", 0, 50, [_p("Israel", "ISR")], [_p("Gaza", "PSE")], key=True,
                modality="historical", date="1997-04")]
    out = [_ev("ASSAULT", 0, 50, [_p("Israeli army", "ISR")], [_p("Gaza", "PSE"), _p("x", "EGY")],
               date="1997-04-02")]
    found = score(_case_article(gold), {"case": out}, False)
    assert (found["actor_accuracy"], found["recipient_accuracy"], found["modality_accuracy"],
            found["date_accuracy"]) == (1.0, 0.0, 0.0, 1.0)


# ------------------------------------------------------------------ formats and errors


def _to_offsets(gold: dict[str, Any]) -> dict[str, Any]:
    """A development gold line in the held-out format: every text replaced by offsets."""
    def span(s: dict[str, Any]) -> dict[str, int]:
        return {"start": s["start"], "end": s["end"]}

    def party(p: dict[str, Any], text: str) -> dict[str, Any]:
        if p.get("unknown"):
            return {"unknown": True}
        at = text.index(p["text"])
        return {"start": at, "end": at + len(p["text"]), "code": p["code"], "sector": p["sector"]}

    return {"events": [{**e, "evidence": span(e["evidence"]),
                        "alt_evidence": [span(s) for s in e.get("alt_evidence") or []],
                        "actors": [party(p, gold["_text"]) for p in e["actors"]],
                        "recipients": [party(p, gold["_text"]) for p in e["recipients"]],
                        "place": None, "digest": "0"} for e in gold["events"]],
            **{k: gold[k] for k in ("corpus", "line", "article_id", "published")}}


@pytest.mark.timeout(60)
def test_held_out_format_reads_as_the_development_format(shared: Path, dev_items,
                                                         tmp_path: Path) -> None:
    rows = []
    for item in dev_items[:6]:
        rows.append(_to_offsets({**item.gold, "_text": item.text}))
    half = len(rows) // 2
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:half]))
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[half:]))
    back = articles.read_gold([tmp_path], shared)
    assert [b.gold["article_id"] for b in back] == [i.gold["article_id"] for i in dev_items[:6]]
    for b, item in zip(back, dev_items, strict=False):
        for mine, theirs in zip(b.gold["events"], item.gold["events"], strict=True):
            assert mine["evidence"]["text"] == theirs["evidence"]["text"]
            assert [p.get("text") for p in mine["actors"]] == [
                p.get("text") for p in theirs["actors"]]


@pytest.mark.timeout(30)
def test_offsets_outside_the_article_are_refused() -> None:
    gold = {"events": [_ev("AID", 5, 500, [{"start": 0, "end": 3, "code": "X", "sector": None}])]}
    with pytest.raises(EventwireError) as err:
        articles.materialise(gold, "short text")
    assert err.value.code == "E516"


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("content", "code"), [
    (None, "E510"), ("{not json\n", "E511"), ('{"corpus": "x"}\n', "E512"),
    ('{"corpus": "corpora/none.jsonl", "line": 1, "article_id": "a", "events": []}\n', "E513"),
    ('{"corpus": "corpora/gigaword-afp-xinhua.jsonl", "line": 1, "article_id": "a", '
     '"events": []}\n', "E515"),
])
def test_bad_input_exits_2_with_a_code(shared: Path, tmp_path: Path, content: str | None,
                                       code: str) -> None:
    from eventwire.cli import app

    path = tmp_path / "gold.jsonl"
    if content is not None:
        path.write_text(content)
    run = CliRunner().invoke(app, ["eval", "articles", str(path), "--shared", str(shared)])
    assert run.exit_code == 2, run.output
    assert code in run.output


@pytest.mark.timeout(30)
def test_held_out_split_is_present() -> None:
    """The held-out split (eval/heldout/*.jsonl) is required where the gate must run."""
    if not list((ROOT / "eval/heldout").glob("*.jsonl")):
        skip_or_fail("eval/heldout/*.jsonl not found: the held-out split is not in this checkout")


# ------------------------------------------------- floors (the gate in `make test`)


@pytest.mark.timeout(600)
def test_dev_figures_hold_their_floors(dev_items, dev_coded) -> None:
    """Every articles_dev_* floor holds (the type-strict figure it names)."""
    from eventwire.eval import gate

    found = articles.result(dev_items, dev_coded, False, 0.0, [DEV])
    checks = gate._checks(gate.GATES[-2], gate.floors())
    assert "articles_dev_key_recall" in checks
    below = {k: (found[m], gate.floors()[k]) for k, m in checks.items()
             if found[m] < gate.floors()[k]}
    assert not below, below


@pytest.mark.timeout(600)
def test_held_out_figures_hold_their_floors(shared: Path) -> None:
    """Every pinned articles_heldout_* floor holds on eval/heldout/ (a missing split fails)."""
    from eventwire.eval import gate

    held = next(g for g in gate.GATES if g.root == "repo")
    rows = gate.measure(held, gate.floors(), shared)
    if not rows:
        pytest.skip("no articles_heldout_* floor pinned yet (the lead pins them with the split)")
    assert all(r["ok"] for r in rows), rows


@pytest.mark.timeout(600)
def test_render_prints_both_figures_and_the_explanations(dev_items, dev_coded) -> None:
    from rich.console import Console

    found = articles.result(dev_items, dev_coded, True, 1.0, [DEV])
    console = Console(record=True, width=120)
    articles.render(found, console)
    text = console.export_text()
    assert "type-strict" in text and f"{found['matched']}/{found['gold_events']}" in text
    first = found["explain"][0]
    assert f"{first['kind']}" in text and first["reason"][:30] in text
