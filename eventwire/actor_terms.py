"""Actor terms of the query layer: "IRN", "Iran", "Iranian", "Tehran", "Putin", "UN".

A term resolves through the same data files and aliases the coder uses
(``eventwire/data/actors/``): a country code, name, demonym or capital means that country,
read with an *actor scope* (``scope.toml``); a person or organisation alias means that
dictionary entry; anything else matches stored actors whose name has it at a word start.
An alias shared by several entries is ambiguous and lists them; a term that matches nothing
lists up to five nearest names.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sqlalchemy import ColumnElement, and_, false, func, or_

from eventwire.errors import EventwireError
from eventwire.store import schema

A = schema.actors
SCOPES = ("default", "state", "all")
DATA_DIR = "data/actors"


@dataclass(frozen=True)
class Target:
    """What one alias names: a country (``code``), or an org/person entry."""

    kind: str  # "country", "org" or "person"
    name: str
    code: str | None = None

    def label(self) -> str:
        return f"{self.name} ({self.kind}{', ' + self.code if self.code else ''})"


@dataclass(frozen=True)
class Names:
    """Lower-cased alias -> the entries it names; plus the state sectors of scope.toml."""

    aliases: dict[str, tuple[Target, ...]]
    countries: frozenset[str]
    state_sectors: tuple[str, ...]
    core_sectors: tuple[str, ...]


def _text(name: str) -> str:
    return resources.files("eventwire").joinpath(f"{DATA_DIR}/{name}").read_text("utf-8")


def _add(found: dict[str, list[Target]], alias: str, target: Target) -> None:
    bucket = found.setdefault(alias.strip().lower(), [])
    if target not in bucket:
        bucket.append(target)


def _countries(found: dict[str, list[Target]]) -> frozenset[str]:
    codes = set()
    for c in json.loads(_text("countries.json"))["countries"]:
        codes.add(c["code"])
        target = Target("country", c["name"], c["code"])
        for form in [c["code"], *c["names"], *c["demonyms"], *c["capitals"]]:
            _add(found, form, target)
    return frozenset(codes)


def _entries(found: dict[str, list[Target]]) -> None:
    orgs = tomllib.loads(_text("orgs.toml"))
    for spec in orgs.get("org", []):
        target = Target("org", spec["name"], spec.get("code"))
        for alias in spec["aliases"]:
            _add(found, alias, target)
    for spec in tomllib.loads(_text("persons.toml")).get("person", []):
        target = Target("person", spec["name"], spec.get("country") or spec.get("code"))
        for alias in spec["aliases"]:
            _add(found, alias, target)


@lru_cache(maxsize=1)
def names() -> Names:
    """The alias table, read once per process (the data files do not change)."""
    found: dict[str, list[Target]] = {}
    codes = _countries(found)
    _entries(found)
    scope = tomllib.loads(_text("scope.toml"))["state"]
    return Names({k: tuple(v) for k, v in found.items()}, codes,
                 tuple(scope["sectors"]), tuple(scope["core"]))


def lookup(term: str) -> tuple[Target, ...]:
    """The dictionary entries ``term`` names (empty when it is no alias)."""
    t = term.strip()
    table = names()
    if len(t) == 3 and t.isalpha() and t.upper() in table.countries:
        return tuple(x for x in table.aliases.get(t.lower(), ()) if x.kind == "country")[:1]
    hits = table.aliases.get(t.lower(), ())
    countries = {x.code for x in hits if x.kind == "country"}
    if len(countries) == 1 and all(x.kind == "country" for x in hits):
        return hits[:1]
    return hits


def ambiguous(term: str, hits: tuple[Target, ...]) -> EventwireError:
    listed = "; ".join(h.label() for h in hits[:8])
    return EventwireError("E401", f"actor {term!r} is ambiguous: it names {listed}",
                          "write the full name or the code of the one you mean")


def unknown(term: str, stored: list[str]) -> EventwireError:
    pool = sorted(set(stored) | {a for a in names().aliases if len(a) > 2})
    near = difflib.get_close_matches(term.lower(), [p.lower() for p in pool], n=5, cutoff=0.6)
    hint = ("nearest names: " + ", ".join(near)) if near else "list actors with `eventwire actors`"
    return EventwireError("E401", f"no actor matches {term!r}", hint)


def country_condition(code: str, scope: str) -> ColumnElement[bool]:
    """Actors a country filter matches under ``scope`` (see scope.toml)."""
    table = names()
    of_country = A.c.country == code
    if scope == "all":
        return of_country
    itself = and_(A.c.kind == "country", or_(A.c.sector.is_(None),
                                             A.c.sector.in_(table.core_sectors)))
    if scope == "state":
        return and_(of_country, itself)
    officials = and_(A.c.kind == "person", A.c.office.is_not(None), A.c.office != "",
                     A.c.sector.in_(table.state_sectors))
    return and_(of_country, or_(itself, A.c.sector.in_(table.state_sectors), officials))


def name_words(term: str) -> ColumnElement[bool]:
    """Stored actors whose name has ``term`` at the start of a word ("Memon" finds "Asad
    Memon"; "Rusia" does not find "Belarusian"), or whose code is ``term``."""
    t = term.strip().lower()
    name = func.lower(A.c.name)
    return or_(name.startswith(t, autoescape=True), name.contains(" " + t, autoescape=True),
               func.lower(A.c.code) == t)


def condition(term: str, scope: str = "default") -> ColumnElement[bool]:
    """The actors ``term`` matches (a condition on the actors table). Raises E401 for an
    ambiguous alias or an unknown scope; an unknown term matches by part of a name."""
    if scope not in SCOPES:
        raise EventwireError("E401", f"unknown actor scope {scope!r}",
                             f"use one of {', '.join(SCOPES)}")
    hits = lookup(term)
    if len(hits) > 1:
        raise ambiguous(term, hits)
    if not hits:
        return name_words(term)
    return _target(hits[0], scope)


def search(term: str) -> ColumnElement[bool]:
    """For listing actors: every entry ``term`` names (an ambiguous alias lists them all),
    countries with every actor coded with them."""
    hits = lookup(term)
    if not hits:
        return name_words(term)
    return or_(*(_target(hit, "all") for hit in hits))


def _target(hit: Target, scope: str) -> ColumnElement[bool]:
    if hit.kind == "country" and hit.code:
        return country_condition(hit.code, scope)
    if hit.kind == "person":
        return func.lower(A.c.name) == hit.name.lower()
    if hit.code:
        return or_(A.c.code == hit.code, func.lower(A.c.name) == hit.name.lower())
    return func.lower(A.c.name) == hit.name.lower() if hit.name else false()
