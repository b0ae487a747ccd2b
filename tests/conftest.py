"""Shared fixtures. Tests that need ../shared or a server skip on a user's machine with a
message, and fail in CI (CI=true), so a gate can never pass by skipping."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skips with ``reason`` locally; fails in CI where every gate must run."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only ../shared folder (gold data, corpora, the reference article)."""
    if not (SHARED / "gold").is_dir():
        skip_or_fail(f"../shared not found at {SHARED}; set EVENTWIRE_SHARED to its path")
    return SHARED


@pytest.fixture(scope="session")
def resources():
    """One Resources object (spaCy model and dictionaries) for the whole session."""
    from eventwire.resources import Resources

    return Resources()
