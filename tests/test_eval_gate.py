"""Every pinned floor is checked by some gate (so none can silently go unmeasured)."""

from __future__ import annotations

from eventwire.eval import gate


def test_every_floor_has_a_gate() -> None:
    pinned = gate.floors()
    covered = {k for g in gate.GATES for k in gate._checks(g, pinned)}
    assert covered == set(pinned), set(pinned) - covered


def test_gate_paths_name_real_gold_folders() -> None:
    for g in gate.GATES:
        assert all(a.startswith("gold/") for a in g.args)
