"""``eval plv --split grouped``: the grouping invariants on a synthetic table and on PLV_train."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from eventwire.errors import EventwireError
from eventwire.eval import plv, plv_groups

SYNTHETIC = [
    "<s>Rebels</s> shelled <t>the town</t>.",  # 0: actor "rebels" with 1
    "<s>The rebels</s> attacked <t>a convoy</t> near the border.",  # 1
    "<s>Germany</s> met <t>France</t> in Paris on Monday to discuss trade and energy policy.",
    "<s>Italy</s> met <t>Spain</t> in Paris on Monday to discuss trade and energy policy.",  # 3
    "<s>U.S.</s> sanctioned <t>Iran</t>.",  # 4: "u.s." and "US" are one string, with 5
    "<s>US</s> warned <t>Cuba</t> on Friday.",  # 5
    "<s>Cuba</s> rejected <t>the offer</t>.",  # 6: "Cuba" as target in 5, source here
    "<s>Police</s> arrested <t>protesters</t>.",  # 7: alone
]
SYNTHETIC_GROUPS = [[0, 1], [2, 3], [4, 5, 6], [7]]


def _jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _check_invariants(marked: list[str], split: plv_groups.Split) -> None:
    """Every row in exactly one fold; no actor string and no near-duplicate sentence (checked
    pair by pair, without the index the split uses) on both sides of a fold boundary."""
    fold_of = {i: k for k, fold in enumerate(split.folds) for i in fold}
    assert sorted(i for fold in split.folds for i in fold) == list(range(len(marked)))
    owner: dict[str, int] = {}
    for i, m in enumerate(marked):
        for actor in plv_groups.actors_of(m):
            assert owner.setdefault(actor, fold_of[i]) == fold_of[i], actor
    sets = [plv_groups.shingles(plv_groups.sentence_of(m)) for m in marked]
    for i in range(len(marked)):
        for j in range(i + 1, len(marked)):
            if fold_of[i] != fold_of[j]:
                assert _jaccard(sets[i], sets[j]) < plv_groups.NEAR_DUPLICATE, (i, j)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("text", "expected"), [
    ("The United States", "united states"),
    ("U.S.", "us"),
    ("  the   Taliban ", "taliban"),
    ("Theresa May", "theresa may"),
    ("the", ""),
])
def test_normalise_actor(text: str, expected: str) -> None:
    assert plv_groups.normalise_actor(text) == expected


@pytest.mark.timeout(60)
def test_actors_are_both_spans_and_sentence_drops_markers() -> None:
    marked = "<s>The U.N.</s> urged <t>the Taliban</t> to talk."
    assert plv_groups.actors_of(marked) == {"un", "taliban"}
    assert plv_groups.sentence_of(marked) == "The U.N. urged the Taliban to talk."
    assert plv_groups.actors_of("<s>Somebody</s> left.") == {"somebody"}


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("other", "joined"), [
    ("w1 w2 w3 w4 x", True),  # 2 of 4 shingles shared: Jaccard 0.5, the threshold
    ("w1 w2 w3 x y", False),  # 1 of 5: 0.2
    ("W1, w2 w3 w4 w5!", True),  # case and punctuation ignored
])
def test_near_duplicate_threshold(other: str, joined: bool) -> None:
    pairs = plv_groups.near_duplicate_pairs(["w1 w2 w3 w4 w5", other])
    assert pairs == ([(0, 1)] if joined else [])


@pytest.mark.timeout(60)
def test_synthetic_groups_and_folds() -> None:
    assert plv_groups.groups_of(SYNTHETIC) == SYNTHETIC_GROUPS
    split = plv_groups.grouped_folds(SYNTHETIC, 2)
    # largest group first, each to the fold with fewer rows: {4,5,6} -> 0, {0,1} -> 1,
    # {2,3} -> 1 (2 rows < 3), {7} -> 0
    assert split.folds == [[4, 5, 6, 7], [0, 1, 2, 3]]
    assert split.stats() == {"groups": 4, "largest_group": 3, "singleton_groups": 1,
                             "fold_sizes": [4, 4]}
    _check_invariants(SYNTHETIC, split)
    assert plv_groups.grouped_folds(list(SYNTHETIC), 2) == split


@pytest.mark.timeout(60)
def test_too_many_folds_is_a_coded_error() -> None:
    with pytest.raises(EventwireError) as err:
        plv_groups.grouped_folds(SYNTHETIC, 5)
    assert err.value.code == "E506"


@pytest.mark.timeout(60)
def test_unknown_split_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(EventwireError) as err:
        plv.run(str(tmp_path / "none.tsv"), cv=2, split="random")
    assert err.value.code == "E505"


@pytest.mark.timeout(300)
def test_run_grouped_reports_the_split(tmp_path: Path) -> None:
    rows = [("<s>Rebels</s> shelled <t>the town</t>.", "ASSAULT"),
            ("<s>The army</s> pulled out of <t>the valley</t>.", "YIELD"),
            ("<s>The envoy</s> met <t>the king</t>.", "CONSULT"),
            ("<s>Gunmen</s> fired on <t>a convoy</t>.", "ASSAULT"),
            ("<s>The militia</s> withdrew from <t>the port</t>.", "YIELD"),
            ("<s>The minister</s> held talks with <t>the president</t>.", "CONSULT")]
    path = tmp_path / "toy.tsv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, delimiter="\t", lineterminator="\n")
        w.writerow(["gold_root", "marked_sentence"])
        w.writerows((gold, marked) for marked, gold in rows)
    result = plv.run(str(path), cv=2, split="grouped")
    assert result["split"] == "grouped" and result["n"] == 6
    assert result["groups"] == {"groups": 6, "largest_group": 1, "singleton_groups": 6,
                                "fold_sizes": [3, 3]}
    assert plv.run(str(path))["split"] is None


@pytest.mark.shared
@pytest.mark.timeout(300)
def test_grouped_folds_on_plv_train(shared: Path) -> None:
    rows = plv.read_tsv(shared / "gold" / "plv" / "PLV_train.tsv")
    split = plv_groups.grouped_folds(rows.marked, 5)
    _check_invariants(rows.marked, split)
    assert plv_groups.grouped_folds(rows.marked, 5) == split
    assert len(split.folds) == 5 and all(split.folds)
    assert sum(len(g) for g in split.groups) == len(rows.marked) == 1050


@pytest.mark.shared
@pytest.mark.timeout(900)
def test_grouped_cv5_gate(shared: Path) -> None:
    """Gate: 5-fold grouped CV on PLV_train (the selection-free figure) against its floor."""
    from eventwire.eval import gate

    grouped = next(g for g in gate.GATES if g.kwargs.get("split") == "grouped")
    rows = gate.measure(grouped, gate.floors(), shared)
    assert [r["floor_key"] for r in rows] == ["plv_grouped_cv5_macro_f1"]
    assert rows[0]["ok"], rows[0]
