"""Data files shipped with eventwire (ontology, dictionaries, lexicons, weights)."""

from __future__ import annotations

import tomllib
from importlib import resources as pkg_resources
from typing import Any

from eventwire.errors import EventwireError


def read_toml(relative: str, code: str) -> dict[str, Any]:
    """A shipped TOML data file (``relative`` to the eventwire package); a missing or broken
    one is error ``code``, which says which file to fix."""
    path = pkg_resources.files("eventwire").joinpath(relative)
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EventwireError(code, f"data file {relative} cannot be read: {exc}",
                             f"reinstall eventwire or fix eventwire/{relative}") from exc
