"""Every pinned floor is checked by some gate (so none can silently go unmeasured)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from eventwire.eval import gate


def test_every_floor_has_a_gate() -> None:
    pinned = gate.floors()
    covered = {k for g in gate.GATES for k in gate._checks(g, pinned)}
    assert covered == set(pinned), set(pinned) - covered


def test_gate_paths_name_real_gold_folders() -> None:
    for g in gate.GATES:
        assert all(a.startswith("eval/" if g.root == "repo" else "gold/") for a in g.args)


def _held_out() -> gate.Gate:
    return next(g for g in gate.GATES if g.root == "repo")


@pytest.mark.timeout(60)
def test_a_pinned_held_out_floor_needs_the_split(tmp_path: Path) -> None:
    """With an articles_heldout_* floor pinned, a missing split fails that floor."""
    held = replace(_held_out(), args=(str(tmp_path / "no-split-here"),))
    rows = gate.measure(held, {"articles_heldout_recall": 0.1}, tmp_path)
    assert [(r["floor_key"], r["ok"], r["measured"]) for r in rows] == [
        ("articles_heldout_recall", False, None)]
    assert "E510" in rows[0]["problem"]


@pytest.mark.timeout(30)
def test_an_unpinned_gate_runs_nothing(tmp_path: Path) -> None:
    assert gate.measure(_held_out(), {"plv_cv5_macro_f1": 0.8}, tmp_path) == []


@pytest.mark.timeout(30)
def test_article_floors_are_strict_figures() -> None:
    pinned = gate.floors()
    dev = gate._checks(gate.GATES[-2], pinned)
    assert {"articles_dev_key_recall", "articles_dev_recall", "articles_dev_precision",
            "articles_dev_modality_accuracy"} <= set(dev)
    assert all(v.startswith("strict_") for v in dev.values())
