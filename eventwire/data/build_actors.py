"""Regenerates ``data/actors/countries.json`` from PyPI data packages plus reviewed overrides.

Sources: ``pycountry`` (ISO 3166-1 codes and English names) and ``countryinfo`` (short names,
demonyms, capitals, population), corrected by ``data/actors/country_overrides.toml``.

    python -m eventwire.data.build_actors            # writes countries.json
    python -m eventwire.data.build_actors --check    # exits 1 if countries.json is stale

Rules: a form that two countries share goes to the more populous one; forms in another script
are dropped; long alternative spellings are kept only when they name the state ("Republic of
...") or contain its short name; territories keep their names but not demonyms or capitals.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "actors"
OUT = HERE / "countries.json"
OVERRIDES = HERE / "country_overrides.toml"
STATE_WORDS = ("Republic", "Kingdom", "State", "Federation", "Commonwealth", "Union",
               "Principality", "Sultanate", "Emirates", "Confederation", "Islands", "Duchy")
KINDS = ("names", "demonyms", "capitals")


@dataclass
class Country:
    code: str
    name: str
    population: int = 0
    sovereign: bool = True
    forms: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def add(self, kind: str, form: str | None) -> None:
        form = " ".join((form or "").split())
        if form and form not in self.forms[kind]:
            self.forms[kind].append(form)


def _latin(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter (drops other scripts)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def _usable_alt(alt: str, short: str) -> bool:
    if not _latin(alt) or "," in alt or len(alt) <= 3:
        return False
    return short in alt or any(word in alt for word in STATE_WORDS)


def _split_demonyms(raw: Any) -> list[str]:
    if not isinstance(raw, str):
        return []
    return [d.strip() for part in raw.split(",") for d in part.split("/") if d.strip()]


def _plurals(demonym: str) -> list[str]:
    """English plural of a demonym used as a noun (Russians, Iraqis); others stay."""
    return [demonym + "s"] if demonym.endswith(("an", "i")) and " " not in demonym else []


def from_pycountry() -> dict[str, Country]:
    import pycountry

    out: dict[str, Country] = {}
    for rec in pycountry.countries:
        c = Country(rec.alpha_3, getattr(rec, "common_name", None) or rec.name)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(rec, attr, None)
            if value and "," not in value and _latin(value):
                c.add("names", value.removeprefix("the "))
        out[c.code] = c
    return out


def add_countryinfo(countries: dict[str, Country]) -> None:
    from countryinfo import all_countries

    for rec in (c.info() for c in all_countries()):
        code = (rec.get("ISO") or {}).get("alpha3")
        if code not in countries:
            continue
        c, short = countries[code], rec.get("name", "")
        if short and "," not in short and "(" not in short:
            c.name = short
            c.add("names", short)
        for alt in rec.get("altSpellings") or []:
            if _usable_alt(alt.strip(), short):
                c.add("names", alt.strip())
        for dem in _split_demonyms(rec.get("demonym")):
            c.add("demonyms", dem)
        capital = rec.get("capital")
        for cap in capital if isinstance(capital, list) else [capital]:
            if isinstance(cap, str) and _latin(cap) and "/" not in cap:
                c.add("capitals", cap)
        c.population = max(c.population, int(rec.get("population") or 0))


def apply_overrides(countries: dict[str, Country], ov: dict[str, Any]) -> None:
    for code, extra in ov.get("extra", {}).items():
        countries[code] = Country(code, extra["name"])
    for code, spec in {**ov.get("countries", {}), **ov.get("extra", {})}.items():
        c = countries[code]
        c.name = spec.get("name", c.name)
        for kind in KINDS:
            for form in spec.get(kind, []):
                c.add(kind, form)
        if "adjective" in spec:
            adjective = spec["adjective"]
            c.forms["demonyms"] = [adjective] + [d for d in c.forms["demonyms"] if d != adjective]
        dropped = set(spec.get("drop", []))
        c.forms = {k: [f for f in v if f not in dropped] for k, v in c.forms.items()}
    for code in ov.get("dependencies", []):
        if code in countries:
            countries[code].sovereign = False
            countries[code].forms["demonyms"] = []
            countries[code].forms["capitals"] = []


def finish(countries: dict[str, Country], ov: dict[str, Any]) -> None:
    """Adds plurals, removes excluded and ambiguous forms, gives shared forms to one country."""
    excluded = set(ov.get("ambiguous", [])) | set(ov.get("capitals_excluded", []))
    for c in countries.values():
        for dem in list(c.forms["demonyms"]):
            for plural in _plurals(dem):
                c.add("demonyms", plural)
        c.forms = {k: [f for f in v if f not in excluded] for k, v in c.forms.items()}
    owner: dict[str, Country] = {}
    for c in sorted(countries.values(), key=lambda c: -c.population):
        for kind in KINDS:
            kept = []
            for form in c.forms[kind]:
                if owner.setdefault(form.lower(), c) is c:
                    kept.append(form)
            c.forms[kind] = kept


def build() -> dict[str, Any]:
    ov = tomllib.loads(OVERRIDES.read_text("utf-8"))
    countries = from_pycountry()
    add_countryinfo(countries)
    apply_overrides(countries, ov)
    finish(countries, ov)
    versions = {p: metadata.version(p) for p in ("pycountry", "countryinfo")}
    rows = [
        {"code": c.code, "name": c.name, "sovereign": c.sovereign, **c.forms}
        for c in sorted(countries.values(), key=lambda c: c.code)
    ]
    return {"built_from": versions, "overrides": OVERRIDES.name,
            "blocked": sorted(ov.get("blocked", [])), "countries": rows}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if countries.json is stale")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        current = OUT.read_text("utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is stale; run python -m eventwire.data.build_actors", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT} ({len(json.loads(text)['countries'])} countries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
