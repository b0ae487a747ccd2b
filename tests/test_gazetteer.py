"""The offline gazetteer: names, build (atomic, versioned, concurrent) and lookups."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from eventwire import gazetteer as gz
from eventwire.gazetteer import Gazetteer, norm, open_gazetteer


@pytest.mark.parametrize(("name", "key"), [
    ("Moscow", "moscow"),
    ("  São  Paulo ", "sao paulo"),
    ("U.S.", "us"),
    ("St. Louis", "saint louis"),
    ("Mt. Vernon", "mount vernon"),
    ("Coeur d'Alene", "coeur dalene"),
    ("Winston-Salem", "winston salem"),
    ("the Netherlands", "netherlands"),
    ("MOSCOW", "moscow"),
])
def test_norm(name: str, key: str) -> None:
    assert norm(name) == key


@pytest.mark.parametrize(("fcode", "precision"), [
    ("PCLI", "country"), ("ADM1", "admin1"), ("ADM2", "admin2"), ("PPL", "point"),
    ("PPLC", "point"), ("CONT", "region"), ("SEA", "region")])
def test_precision_of(fcode: str, precision: str) -> None:
    assert gz.precision_of(fcode) == precision


def test_haversine() -> None:
    assert gz.haversine_km(0, 0, 0, 0) == 0
    assert 340 < gz.haversine_km(51.5074, -0.1278, 48.8566, 2.3522) < 346  # London - Paris


def test_cache_dir_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVENTWIRE_CACHE", str(tmp_path))
    assert gz.cache_dir() == tmp_path
    path = gz.gazetteer_path()
    assert path.parent == tmp_path and gz.data_version() in path.name


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gazetteer built from the 15,000+ city list (a few seconds)."""
    folder = tmp_path_factory.mktemp("gaz")
    return gz.ensure(folder, min_population=15000)


def test_build_is_atomic_and_leaves_no_temp_files(small: Path) -> None:
    assert small.exists() and small.stat().st_size > 1_000_000
    leftovers = [p for p in small.parent.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []
    meta = Gazetteer(small).meta()
    assert meta["data_version"] == gz.data_version() and int(meta["places"]) > 30_000


def test_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(tmp: Path, min_population: int) -> tuple[int, int]:
        tmp.write_text("half a file")
        raise RuntimeError("disk full")

    monkeypatch.setattr(gz, "_write", boom)
    with pytest.raises(RuntimeError):
        gz.build(tmp_path / "g.sqlite", 15000)
    assert list(tmp_path.iterdir()) == []


def _ensure_in(folder: str) -> str:
    return str(gz.ensure(Path(folder), min_population=15000))


def test_concurrent_first_runs_build_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        paths = pool.map(_ensure_in, [str(tmp_path)] * 2)
    assert len(set(paths)) == 1
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".lock", ".sqlite"]


def test_small_lookups(small: Path) -> None:
    g = Gazetteer(small)
    moscow = max(g.lookup("Moscow"), key=lambda c: c.population if c.fclass == "P" else 0)
    assert (moscow.id, moscow.iso3, moscow.fcode) == (524901, "RUS", "PPLC")
    assert {c.iso3 for c in g.lookup("Georgia")} >= {"GEO", "USA"}
    assert g.demonym("Turkish") == "TUR" and g.demonym("Afghans") == "AFG"
    assert g.lookup("no such place anywhere") == ()


@pytest.fixture(scope="module")
def gaz(resources) -> Gazetteer:  # type: ignore[no-untyped-def]
    return open_gazetteer(resources)


def test_full_gazetteer_has_cities_admin_regions_and_aliases(gaz: Gazetteer) -> None:
    kinds = {(c.iso3, c.fcode) for c in gaz.lookup("Texas")}
    assert ("USA", "ADM1") in kinds
    rapides = gaz.lookup("Rapides Parish")
    assert rapides and rapides[0].fcode == "ADM2" and rapides[0].admin1 == "Louisiana"
    assert any(c.fcode == "ADM1" and c.admin1 == "California" for c in gaz.lookup("Calif."))
    assert any(c.iso3 == "USA" and c.fcode == "PCLI" for c in gaz.lookup("U.S."))
    assert any(c.iso3 == "QAT" for c in gaz.lookup("Doha"))
    assert any(c.id == 1138958 for c in gaz.lookup("Kabul"))
    paris_tx = [c for c in gaz.lookup("Paris") if c.admin1 == "Texas"]
    assert paris_tx and 30 < paris_tx[0].lat < 35


def test_lookups_take_microseconds(gaz: Gazetteer) -> None:
    names = ["Moscow", "Springfield", "Kabul", "Louisiana", "Nowhere At All"]
    gaz._cache.clear()
    started = time.perf_counter()
    for name in names:
        gaz.lookup(name)
    cold = (time.perf_counter() - started) / len(names)
    assert cold < 5e-3
    started = time.perf_counter()
    for _ in range(200):
        for name in names:
            gaz.lookup(name)
    cached = (time.perf_counter() - started) / 1000
    assert cached < 50e-6
