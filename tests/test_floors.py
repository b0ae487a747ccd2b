"""Quality floors may be raised, never silently lowered: a commit that lowers a floor in
eventwire/eval/floors.json must say why in its message ("floor lowered: <reason>")."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
FLOORS = "eventwire/eval/floors.json"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def _floors_at(commit: str) -> dict[str, float]:
    try:
        return json.loads(_git("show", f"{commit}:{FLOORS}"))
    except (subprocess.CalledProcessError, json.JSONDecodeError):
        return {}


def lowered(before: dict[str, float], after: dict[str, float]) -> list[str]:
    return [k for k, v in before.items() if isinstance(v, (int, float))
            and (k not in after or after[k] < v)]


def test_lowered_detects_drops_and_removals() -> None:
    assert lowered({"a": 0.8, "b": 0.5}, {"a": 0.79, "b": 0.6}) == ["a"]
    assert lowered({"a": 0.8}, {}) == ["a"]
    assert lowered({"a": 0.8}, {"a": 0.8, "c": 0.1}) == []


def test_no_floor_was_lowered_without_a_reason() -> None:
    try:
        commits = _git("log", "--format=%H", "--", FLOORS).split()
    except (OSError, subprocess.CalledProcessError):
        skip_or_fail("git history is not available")
        return
    for commit in commits:
        message = _git("log", "-1", "--format=%B", commit)
        drops = lowered(_floors_at(f"{commit}^"), _floors_at(commit))
        assert not drops or "floor lowered:" in message.lower(), (
            f"commit {commit[:10]} lowers {drops} without 'floor lowered: <reason>'")


def test_floors_are_numbers_between_0_and_1() -> None:
    floors = json.loads((ROOT / FLOORS).read_text())
    assert floors, "no floors pinned"
    for key, value in floors.items():
        assert isinstance(value, (int, float)) and 0 <= value <= 1, key
