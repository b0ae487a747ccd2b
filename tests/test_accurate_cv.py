"""training/accurate_cv.py: the folds, the nested choice and the unlabelled pairs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def acv():  # type: ignore[no-untyped-def]
    path = ROOT / "training" / "accurate_cv.py"
    spec = importlib.util.spec_from_file_location("accurate_cv", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GOLD = ["AGREE"] * 24 + ["ACCUSE"] * 20 + ["AID"] * 16


def test_outer_folds_are_those_of_eval_plv_and_inner_folds_stay_inside(acv) -> None:
    folds = {f["name"]: f for f in acv.splits(GOLD)}
    assert len(folds) == 5 + 5 * 4
    expected = StratifiedKFold(5, shuffle=True, random_state=0).split(GOLD, GOLD)
    for k, (train, test) in enumerate(expected):
        outer = folds[f"o{k}"]
        assert outer["train"] == train.tolist() and outer["test"] == test.tolist()
        inner_tests = [folds[f"o{k}i{j}"]["test"] for j in range(4)]
        assert sorted(i for part in inner_tests for i in part) == sorted(train.tolist())
        for j in range(4):
            inner = folds[f"o{k}i{j}"]
            assert not set(inner["train"]) & set(test.tolist())
            assert not set(inner["train"]) & set(inner["test"])


def _work(acv, tmp_path: Path, good: str, outer_good: str | None = None,
          ) -> tuple[Path, Path]:
    """A work folder where the linear model is uninformative and encoder ``good`` is right
    (on the outer folds ``outer_good`` instead, where given)."""
    labels = sorted(set(GOLD))
    folds = acv.splits(GOLD)
    (tmp_path / "data.json").write_text(json.dumps({
        "marked": [f"row {i}" for i in range(len(GOLD))], "gold": GOLD, "labels": labels,
        "pairs": [], "splits": folds}))
    rng = np.random.RandomState(0)
    lin, enc = {}, {}
    for f in folds:
        truth = np.eye(len(labels))[[labels.index(GOLD[i]) for i in f["test"]]]
        noise = rng.rand(len(f["test"]), len(labels))
        lin[f"{f['name']}.test"] = noise / noise.sum(1, keepdims=True)
        right = outer_good if outer_good and "i" not in f["name"][1:] else good
        for variant in ("base", "seed1", "seed2", "long", "self"):
            wrong = np.roll(truth, 1, axis=1)
            enc[f"{f['name']}.{variant}"] = truth if variant == right else wrong
    np.savez(tmp_path / "linear.npz", **lin)
    np.savez(tmp_path / "encoder.npz", **enc)
    return tmp_path, tmp_path / "encoder.npz"


@pytest.mark.parametrize("good", ["long", "self"])
def test_nested_choice_is_made_on_inner_folds(acv, tmp_path, capsys, good: str) -> None:
    work, encoded = _work(acv, tmp_path, good)
    acv.score(work, encoded)
    out = capsys.readouterr().out
    assert out.count(f"inner CV picks {good} ") == 5
    assert "nested 5-fold CV: macro-F1 1.0000" in out


def test_nested_choice_never_sees_the_outer_fold(acv, tmp_path, capsys) -> None:
    work, encoded = _work(acv, tmp_path, "long", outer_good="self")
    acv.score(work, encoded)
    out = capsys.readouterr().out
    assert out.count("inner CV picks long ") == 5
    assert "nested 5-fold CV: macro-F1 0.0000" in out


def test_nested_score_needs_the_inner_folds(acv, tmp_path, capsys) -> None:
    work, encoded = _work(acv, tmp_path, "long")
    arrays = {k: v for k, v in np.load(encoded).items() if "i" not in k.split(".")[0][1:]}
    np.savez(encoded, **arrays)
    acv.score(work, encoded)
    out = capsys.readouterr().out
    assert "plain 5-fold CV" in out and "nested score not available" in out
    assert "nested 5-fold CV:" not in out


def test_pairs_are_what_the_pipeline_asks_the_classifier(acv, tmp_path) -> None:
    corpora = tmp_path / "corpora"
    corpora.mkdir()
    text = ("Russian Foreign Minister Sergey Lavrov met his Turkmen counterpart Rashid "
            "Meredov in Moscow on Thursday. China condemned Japan over the island dispute.")
    (corpora / "one.jsonl").write_text(json.dumps({"id": "a1", "title": "Talks",
                                                   "text": text,
                                                   "published": "2021-04-01"}) + "\n")
    acv.collect_pairs(corpora, tmp_path / "pairs.json")
    pairs = json.loads((tmp_path / "pairs.json").read_text())
    assert pairs and all("<s>" in p and "<t>" in p for p in pairs)
    assert any("Lavrov" in p or "Russian" in p for p in pairs)
