"""The installed spaCy model is the recorded one, and the lock file pins with hashes."""

from __future__ import annotations

from pathlib import Path

from eventwire import supply

ROOT = Path(__file__).resolve().parents[1]


def test_installed_model_matches_recorded_hashes_and_official_meta() -> None:
    assert supply.verify() == []


def test_official_scores_are_recorded() -> None:
    official = supply.manifest()["official"]
    assert official["version"] == "3.8.0" and official["license"] == "MIT"
    assert len(official["labels"]["ner"]) == 18 and len(official["labels"]["parser"]) == 45
    assert 0.8 < official["scores"]["ents_f"] < 0.9


def test_every_locked_requirement_has_a_hash() -> None:
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    pins = [ln for ln in lines if "==" in ln and not ln.lstrip().startswith("#")]
    assert pins, "requirements.lock pins nothing"
    entries = [ln for ln in lines if ln and not ln.startswith((" ", "#"))]
    for entry in entries:
        assert entry.rstrip().endswith("\\"), f"{entry} has no --hash lines"


def test_pyproject_pins_exact_versions() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + [d for ds in project["optional-dependencies"].values()
                                      for d in ds]
    assert all("==" in d for d in deps), [d for d in deps if "==" not in d]
