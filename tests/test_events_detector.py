"""The event detector (eventwire/stages/events/detector.py): features, training on a tiny
fixture with the training script's own functions, save/load round trip, the threshold."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from eventwire.errors import EventwireError
from eventwire.stages.events import detector as det
from eventwire.stages.events.candidates import candidate_words, candidates
from eventwire.stages.events.lexicon import lexicon

ROOT = Path(__file__).resolve().parents[1]


def _train_module():
    spec = importlib.util.spec_from_file_location(
        "train_event_detector", ROOT / "training" / "train_event_detector.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _cands(resources, text: str):
    return candidates(resources.nlp(text), candidate_words(resources))


def _feats(resources, text: str, word: str) -> list[str]:
    cand = next(c for c in _cands(resources, text) if c.token.text == word)
    return det.features(cand, lexicon(resources))


@pytest.mark.timeout(60)
def test_features_voice_negation_modal_lexicon(resources) -> None:
    passive = _feats(resources, "Dozens of civilians were killed by Russian troops.", "killed")
    assert {"passive", "kind=verb", "lemma=kill", "lex:ASSAULT"} <= set(passive)
    assert any(f.startswith("prep:by:") for f in passive)
    negated = _feats(resources, "Russia will not attack Georgia.", "attack")
    assert {"negated", "modal=will"} <= set(negated) and "passive" not in negated
    assert "ch:dobj:GPE" in negated and "ch:nsubj:GPE" in negated
    light = _feats(resources, "Rebels carried out an attack on the town.", "attack")
    assert {"kind=light", "light=carry", "kind=noun"} <= set(light)
    unlisted = _feats(resources, "The minister explored ways to end it.", "explored")
    assert "lex:none" in unlisted  # no trigger entry: still a candidate, judged by the model


@pytest.mark.timeout(60)
def test_rule_hint_features(resources) -> None:
    cand = _cands(resources, "Russia attacked Georgia.")[0]
    feats = det.features(cand, lexicon(resources), det.RuleHint("ASSAULT", "COERCE", True))
    assert {"rule:ASSAULT", "rule_kept=True", "pair:COERCE"} <= set(feats)


TINY = [("Russian troops attacked the town.", "attacked", "ASSAULT"),
        ("Rebels shelled the airport.", "shelled", "ASSAULT"),
        ("Police arrested ten protesters.", "arrested", "COERCE"),
        ("Soldiers detained the journalists.", "detained", "COERCE"),
        ("The weather improved on Monday.", "improved", det.NONE),
        ("Share prices rose sharply.", "rose", det.NONE)]


@pytest.mark.timeout(120)
def test_training_on_a_tiny_fixture_and_round_trip(resources, tmp_path) -> None:
    train = _train_module()
    ex = train.Examples()
    vectors = det.load_word_vectors()
    for i, (text, word, label) in enumerate(TINY):
        cand = next(c for c in _cands(resources, text) if c.token.text == word)
        ex.add(det.features(cand, lexicon(resources)), det.dense(cand, vectors), label,
               f"a{i}", True)
    labels = [det.NONE, "ASSAULT", "COERCE"]
    vocab = det.build_vocab(ex.rows, 1)
    y = np.array([labels.index(v) for v in ex.labels])
    coef, bias = train.fit(det.design(ex.rows, ex.dense, vocab), y, len(labels), 10.0, 0)
    model = det.Detector(labels, vocab, coef, bias, 0.5, vectors, {"n": len(TINY)})
    probs = model.probs(ex.rows, ex.dense)
    assert [lab for lab, _ in model.decide(probs)] == [lab for _, _, lab in TINY]
    det.save(model, tmp_path)
    back = det.load(tmp_path)
    assert back.labels == labels and back.threshold == 0.5 and back.manifest == {"n": 6}
    assert np.allclose(back.probs(ex.rows, ex.dense), probs)


@pytest.mark.timeout(30)
def test_threshold_and_missing_model(tmp_path) -> None:
    labels = [det.NONE, "ASSAULT", "COERCE"]
    p = np.array([0.3, 0.5, 0.2])
    assert det.decision(p, labels, 0.6) == ("ASSAULT", pytest.approx(0.7))
    assert det.decision(p, labels, 0.8)[0] == det.NONE
    with pytest.raises(EventwireError) as err:
        det.load(tmp_path)
    assert err.value.code == "E046"


@pytest.mark.timeout(30)
def test_detector_off_by_config() -> None:
    from eventwire import config
    from eventwire.resources import Resources

    res = Resources(config.load(overrides={"events": {"detector": "off"}}))
    assert det.detection(res) is None


@pytest.mark.timeout(60)
def test_threshold_from_config() -> None:
    from eventwire import config
    from eventwire.resources import Resources

    shipped = det.detection(Resources(config.load()))
    assert shipped is not None
    tuned = det.detection(Resources(config.load(overrides={"events": {
        "detector_threshold": 0.42}})))
    assert tuned is not None and tuned.model.threshold == 0.42
    assert shipped.model.threshold == det.load().threshold  # "model" keeps the saved one
    for bad in (0, 1.5, "high", True):
        res = Resources(config.load(overrides={"events": {"detector_threshold": bad}}))
        with pytest.raises(EventwireError) as err:
            det.detection(res)
        assert err.value.code == "E048" and "detector_threshold" in err.value.args[0]
