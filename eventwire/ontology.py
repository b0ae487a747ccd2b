"""The PLOVER ontology, read from ``data/plover.toml`` (no category constants in code)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class EventType:
    name: str
    quad: int
    score: float
    cameo: tuple[str, ...]
    modes: dict[str, float] = field(default_factory=dict)
    recipient_required: bool = False


@dataclass(frozen=True)
class Ontology:
    version: str
    types: dict[str, EventType]
    aliases: dict[str, str]
    merged: dict[str, tuple[str, ...]]
    modalities: tuple[str, ...]
    contexts: tuple[str, ...]
    sectors: tuple[str, ...]

    def canonical(self, name: str) -> str | None:
        """A type name in current PLOVER, resolving older aliases; None if unknown."""
        name = name.strip().upper()
        name = self.aliases.get(name, name)
        return name if name in self.types else None

    def intensity(self, type_name: str, mode: str | None = None) -> float:
        t = self.types[type_name]
        return t.modes.get(mode, t.score) if mode else t.score

    def from_cameo(self, code: str) -> str | None:
        """PLOVER type of a CAMEO event code (root 01/02 have none)."""
        code = code.strip()
        for length in (3, 2):
            for t in self.types.values():
                if code[:length] in t.cameo:
                    return t.name
        return None

    def to_cameo_root(self, type_name: str) -> str:
        return self.types[type_name].cameo[0][:2]

    def merge_class(self, type_name: str) -> str:
        """The merged class name (YIELD) where a dataset merges types, else the type."""
        for merged, members in self.merged.items():
            if type_name in members:
                return merged
        return type_name


@lru_cache(maxsize=1)
def load() -> Ontology:
    """The shipped ontology (immutable, so caching it is safe)."""
    raw = tomllib.loads(
        resources.files("eventwire").joinpath("data/plover.toml").read_text("utf-8"))
    types = {
        name: EventType(name, int(t["quad"]), float(t["score"]), tuple(t["cameo"]),
                        {k: float(v) for k, v in t.get("modes", {}).items()},
                        bool(t.get("recipient_required", False)))
        for name, t in raw["types"].items()
    }
    lists = raw["lists"]
    return Ontology(raw["version"], types, dict(raw["aliases"]),
                    {k: tuple(v) for k, v in raw["merged"].items()},
                    tuple(lists["modalities"]), tuple(lists["contexts"]), tuple(lists["sectors"]))
