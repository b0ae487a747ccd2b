"""The event-type classifier on small made-up sentences (no ../shared needed)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import require_accurate_mode

from eventwire import classifier as clf_mod
from eventwire import ontology
from eventwire.classifier import Prediction, load_lexicon, parse_marked, split_yield


@pytest.fixture(scope="module")
def lex() -> clf_mod.Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def shipped(resources) -> clf_mod.EventTypeClassifier:
    return clf_mod.load(resources)


# ------------------------------------------------------------------ reading the markers


@pytest.mark.parametrize("text, tokens, source, target", [
    ("<s>The Ruritanian army</s> shelled <t>Zenda</t>.",
     ("SRC", "shelled", "TGT", "."), ("the", "ruritanian", "army"), ("zenda",)),
    ("<t>Two monks</t> were freed by <s>the governor</s> on 12 May",
     ("TGT", "were", "freed", "by", "SRC", "on", "00", "may"), ("the", "governor"),
     ("two", "monks")),
    ("Nobody is marked here.", ("nobody", "is", "marked", "here", "."), (), ()),
    ("<s>Only a source</s> complained", ("SRC", "complained"), ("only", "a", "source"), ()),
    ("<s>Unclosed source ran on", ("SRC",), ("unclosed", "source", "ran", "on"), ()),
    ("<s>A</s> met <t>B</t> and later <t>B</t> again",
     ("SRC", "met", "TGT", "and", "later", "again"), ("a",), ("b",)),
    ("<s>She</s> won't visit <t>them</t>", ("SRC", "wo", "n't", "visit", "TGT"), ("she",),
     ("them",)),
])
def test_parse_marked(text: str, tokens: tuple, source: tuple, target: tuple) -> None:
    m = parse_marked(text)
    assert (m.tokens, m.source, m.target) == (tokens, source, target)


def test_zones_follow_marker_order() -> None:
    z = clf_mod.zones(parse_marked("Later <t>X</t> was seized by <s>Y</s> at dawn ."), 4)
    assert z.between == ("was", "seized", "by") and z.order == "ts"
    z = clf_mod.zones(parse_marked("<s>Y</s> said it will act soon"), 4)
    assert z.between[:2] == ("said", "it") and z.order == "s"


# ------------------------------------------------------------------ lexicon and rules


def test_lexicon_matches_prefix_exact_and_phrases() -> None:
    lex = load_lexicon("""
version = "t"
[classes]
A = ["bomb*", "hit", "pull* out"]
[cues]
future = ["will"]
[yield_split]
material = ["free"]
""")
    toks = ("they", "bombed", "and", "hit", "hits", "then", "pulled", "out")
    assert lex.hits("classes", toks) == [(1, "A"), (3, "A"), (6, "A")]
    assert lex.hits("cues", ("it", "will")) == [(1, "future")]
    assert lex.hits("classes", ("pulled",)) == []


def test_malformed_lexicon_is_a_coded_error() -> None:
    with pytest.raises(clf_mod.EventwireError) as err:
        load_lexicon("version = 1\n[classes]\n")
    assert err.value.code == "E020"


@pytest.mark.parametrize("text, expected", [
    ("<s>The militia</s> withdrew its fighters from <t>the valley</t>.", "RETREAT"),
    ("<s>The junta</s> freed <t>forty students</t> on Monday.", "RETREAT"),
    ("<t>The reporter</t> was released by <s>the rebels</s>.", "RETREAT"),
    ("<s>The rebels</s> announced they would withdraw from <t>the valley</t>.", "CONCEDE"),
    ("<s>The minister</s> accepted the demands of <t>the nurses</t>.", "CONCEDE"),
    ("<s>Freedonia</s> lifted sanctions on <t>Sylvania</t>.", "RETREAT"),
    ("<s>The mayor</s> lifted the curfew in <t>the old town</t>.", "CONCEDE"),
])
def test_yield_split(lex: clf_mod.Lexicon, text: str, expected: str) -> None:
    assert split_yield(parse_marked(text), lex) == expected


# ------------------------------------------------------------------ training on toy data

TOY = [
    ("<s>The navy</s> shelled <t>the port</t>.", "ASSAULT"),
    ("<s>Rebels</s> bombed <t>a convoy</t> at night.", "ASSAULT"),
    ("<s>Gunmen</s> attacked <t>a checkpoint</t>.", "ASSAULT"),
    ("<s>Troops</s> fired rockets at <t>the airfield</t>.", "ASSAULT"),
    ("<s>The envoy</s> met <t>the king</t> in the capital.", "CONSULT"),
    ("<s>The premier</s> held talks with <t>her counterpart</t>.", "CONSULT"),
    ("<s>The president</s> hosted <t>the delegation</t>.", "CONSULT"),
    ("<s>Officials</s> met with <t>union leaders</t> on Friday.", "CONSULT"),
    ("<s>The court</s> freed <t>the journalist</t>.", "YIELD"),
    ("<s>The army</s> withdrew from <t>the border town</t>.", "YIELD"),
    ("<s>The guards</s> released <t>the hostages</t>.", "YIELD"),
    ("<s>The state</s> lifted sanctions on <t>its neighbour</t>.", "YIELD"),
]


@pytest.fixture(scope="module")
def toy() -> clf_mod.EventTypeClassifier:
    texts, labels = zip(*TOY, strict=True)
    return clf_mod.fit(list(texts), list(labels), seed=0)


def test_fit_learns_toy_data_and_splits_yield(toy: clf_mod.EventTypeClassifier) -> None:
    preds = toy.predict(["<s>Militants</s> shelled <t>a base</t>.",
                         "<s>The minister</s> held talks with <t>the envoy</t>.",
                         "<s>The police</s> released <t>the students</t>."])
    assert [p.type for p in preds] == ["ASSAULT", "CONSULT", "RETREAT"]


def test_fit_is_deterministic(toy: clf_mod.EventTypeClassifier) -> None:
    texts, labels = zip(*TOY, strict=True)
    again = clf_mod.fit(list(texts), list(labels), seed=0)
    assert np.array_equal(again.trained.coef, toy.trained.coef)
    assert again.trained.temperature == toy.trained.temperature


def test_save_and_load_round_trip(toy: clf_mod.EventTypeClassifier, tmp_path) -> None:
    paths = clf_mod.save(toy, tmp_path, name="toy")
    assert {p.suffix for p in paths} == {".npz", ".json"}
    back = clf_mod.load_model(tmp_path, name="toy")
    probe = [t for t, _ in TOY] + ["nothing marked", "<t>only target</t> hit"]
    assert back.predict(probe) == toy.predict(probe)


def test_missing_weights_are_a_coded_error(tmp_path) -> None:
    with pytest.raises(clf_mod.EventwireError) as err:
        clf_mod.load_model(tmp_path)
    assert err.value.code == "E023"


def test_fit_without_word_vectors(tmp_path) -> None:
    texts, labels = zip(*TOY, strict=True)
    plain = clf_mod.fit(list(texts), list(labels), settings=clf_mod.Settings(vectors=0.0))
    assert plain.extras.vectors is None
    assert plain.predict(["<s>Rebels</s> bombed <t>a depot</t>."])[0].type == "ASSAULT"
    clf_mod.save(plain, tmp_path)
    assert clf_mod.load_model(tmp_path).extras.vectors is None


def test_word_vectors_features_and_round_trip(tmp_path) -> None:
    vec = clf_mod.WordVectors(["attack", "talks", "the"],
                              np.array([[1, 0], [0, 1], [1, 1]], np.float32))
    assert np.allclose(vec.mean(["attack", "unknown"]), [1, 0])
    assert np.allclose(vec.mean(["nothing", "known"]), [0, 0])
    m = parse_marked("<s>A</s> held talks with <t>B</t>")
    feats = vec.features(m, clf_mod.zones(m, 4))
    assert feats.shape == (6,) and np.allclose(feats[:2], [0, 1])
    clf_mod.save_word_vectors(vec, tmp_path)
    back = clf_mod.load_word_vectors(tmp_path)
    assert back.index == vec.index and np.allclose(back.matrix, vec.matrix)


def test_quantized_vectors_stay_close() -> None:
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(50, 8)).astype(np.float32)
    matrix[3] = 0.0
    back = clf_mod.dequantize(*clf_mod.quantize(matrix))
    assert np.abs(back - matrix).max() <= np.abs(matrix).max() / 127
    assert not back[3].any()


def test_model_refuses_other_word_vectors(toy: clf_mod.EventTypeClassifier, tmp_path) -> None:
    clf_mod.save(toy, tmp_path)
    other = clf_mod.WordVectors(["x"], np.ones((1, toy.extras.vectors.dim), np.float32))
    clf_mod.save_word_vectors(other, tmp_path)
    with pytest.raises(clf_mod.EventwireError) as err:
        clf_mod.load_model(tmp_path)
    assert err.value.code == "E027"


def test_fit_needs_two_classes() -> None:
    with pytest.raises(clf_mod.EventwireError):
        clf_mod.fit(["<s>a</s> b <t>c</t>"] * 3, ["ASSAULT"] * 3)


# ------------------------------------------------------------------ the shipped model


def test_load_caches_per_resources(resources, shipped: clf_mod.EventTypeClassifier) -> None:
    assert clf_mod.load(resources) is shipped


def test_shipped_predictions_are_well_formed(shipped: clf_mod.EventTypeClassifier) -> None:
    texts = ["<s>Ruritania</s> accused <t>Freedonia</t> of spying.", "no markers at all", "",
             "<t>The mayor</t> was arrested by <s>police</s>."]
    preds = shipped.predict(texts)
    types = set(ontology.load().types)
    assert len(preds) == len(texts) and len(types) == 16
    for p in preds:
        assert isinstance(p, Prediction) and p.type in types
        assert set(p.scores) == types and 0.0 <= p.confidence <= 1.0
        assert math.isclose(sum(p.scores.values()), 1.0, rel_tol=1e-6)
        assert p.confidence == max(p.scores.values())
    assert shipped.predict([]) == []


@pytest.mark.parametrize("text, expected", [
    ("<s>The Ruritanian air force</s> bombed <t>rebel positions</t> near the river.", "ASSAULT"),
    ("<s>Freedonia's foreign minister</s> held talks with <t>his Sylvanian counterpart</t>.",
     "CONSULT"),
    ("<s>Police in Zenda</s> arrested <t>three opposition activists</t> on Tuesday.", "COERCE"),
    ("<s>The opposition leader</s> strongly condemned <t>the government</t> over the killings.",
     "ACCUSE"),
    ("<s>Sylvania</s> rejected <t>Freedonia</t>'s proposal for a joint border force.", "REJECT"),
    ("<s>The rebels</s> freed <t>twelve aid workers</t> they had held for a month.", "RETREAT"),
])
def test_shipped_model_on_plain_cases(shipped: clf_mod.EventTypeClassifier, text: str,
                                      expected: str) -> None:
    assert shipped.predict([text])[0].type == expected


def test_config_picks_the_accurate_model(monkeypatch) -> None:
    from eventwire import config
    from eventwire.resources import Resources

    names = []
    monkeypatch.setattr(clf_mod, "load_model",
                        lambda name=clf_mod.MODEL_NAME, **_: names.append(name))
    clf_mod.load(Resources(config.load(overrides={"events": {"classifier": "accurate"}})))
    clf_mod.load(Resources())
    assert names == [clf_mod.ACCURATE_NAME, clf_mod.MODEL_NAME]
    with pytest.raises(clf_mod.EventwireError):
        clf_mod.settings_for("fastest")


def test_accurate_model_when_torch_is_installed() -> None:
    require_accurate_mode()
    model = clf_mod.load_model(name=clf_mod.ACCURATE_NAME)
    assert model.trained.settings.finetune > 0 and model.trained.encoder
    pred = model.predict(["<s>Police in Zenda</s> arrested <t>three activists</t>."])[0]
    assert pred.type == "COERCE"


def test_bfloat16_prediction_agrees_with_float32() -> None:
    require_accurate_mode()
    texts = ["<s>Police in Zenda</s> arrested <t>three activists</t>.",
             "<s>Ruritania</s> accused <t>Freedonia</t> of shelling border villages.",
             "<s>The ministers of Ruritania</s> met <t>their Freedonian counterparts</t>.",
             "<s>Ruritania</s> sent food and medicine to <t>Freedonia</t>."]
    found = {}
    for precision in ("fp32", "bf16"):
        model = clf_mod.load_model(name=clf_mod.ACCURATE_NAME)
        model.extras = clf_mod.Extras(encoder=clf_mod.Encoder(precision=precision))
        found[precision] = model.predict(texts)
    assert [p.type for p in found["fp32"]] == [p.type for p in found["bf16"]]
    for a, b in zip(found["fp32"], found["bf16"], strict=True):
        assert abs(a.confidence - b.confidence) < 0.05


def test_shipped_model_records_its_training_data(shipped: clf_mod.EventTypeClassifier) -> None:
    prov = shipped.trained.provenance
    assert prov["trained_on"] == "PLV_train.tsv" and prov["rows"] > 1000
    assert "YIELD" in shipped.trained.labels


def test_fine_tuned_encoder_trains_saves_and_loads(tmp_path) -> None:
    require_accurate_mode()
    texts = [f"<s>The {who}</s> {verb} <t>{whom}</t> on Monday."
             for who in ("army", "police", "rebels", "mayor")
             for whom in ("Zenda", "the protesters", "Strelsau")
             for verb in ("shelled", "praised")]
    labels = ["ASSAULT" if " shelled " in t else "SUPPORT" for t in texts]
    tuning = clf_mod.Tuning(epochs=2, batch=8)
    model = clf_mod.fit(texts, labels, clf_mod.settings_for("accurate"), tuning=tuning)
    assert model.trained.encoder and model.trained.tuning == tuning
    again = clf_mod.fit(texts, labels, clf_mod.settings_for("accurate"), tuning=tuning,
                        extras=model.extras)
    assert all(np.array_equal(v, again.trained.encoder[k])
               for k, v in model.trained.encoder.items())  # seeded
    clf_mod.save(model, tmp_path, name="tiny")
    loaded = clf_mod.load_model(tmp_path, name="tiny")
    assert loaded.trained.tuning == tuning
    sample = ["<s>The navy</s> shelled <t>the port</t>.", "No markers here."]
    for a, b in zip(model.predict(sample), loaded.predict(sample), strict=True):
        assert a.type == b.type and math.isclose(a.confidence, b.confidence, rel_tol=1e-5)


@pytest.mark.parametrize("marked, text, src, tgt", [
    ("<s>A</s> met <t>B</t>.", "@ A @ met # B #.", 0, 10),
    ("<t>B</t>  was hit by <s>A</s>", "# B # was hit by @ A @", 17, 0),
    ("No markers here.", "No markers here.", -1, -1),
])
def test_encoder_text_marks_spans_with_punctuation(marked, text, src, tgt) -> None:
    assert clf_mod.encoder_text(marked) == (text, src, tgt)


@pytest.mark.parametrize("marked, expected", [
    ("<s>Iranian FM Zarif</s> has condemned <t>a U.S. court ruling</t>.",
     "<s>Alpha</s> has condemned <t>Beta</t>."),
    ("<t>Two monks</t> were freed by <s>the governor</s>",
     "<t>Beta</t> were freed by <s>Alpha</s>"),
    ("<s>Unclosed source ran on", "<s>Unclosed source ran on"),
    ("No markers.", "No markers."),
])
def test_blind_spans_hides_the_names(marked: str, expected: str) -> None:
    assert clf_mod.blind_spans(marked) == expected


def test_weights_saved_before_blinding_load_unblinded(tmp_path) -> None:
    import json

    folder = clf_mod._models_dir()
    for suffix in (".npz", ".json"):
        shipped = folder / f"{clf_mod.MODEL_NAME}{suffix}"
        (tmp_path / f"m{suffix}").write_bytes(shipped.read_bytes())
    doc = json.loads((tmp_path / "m.json").read_text("utf-8"))
    doc["tuning"] = {"epochs": 8}
    (tmp_path / "m.json").write_text(json.dumps(doc), "utf-8")
    (tmp_path / "word_vectors.npz").write_bytes((folder / "word_vectors.npz").read_bytes())
    (tmp_path / "word_vectors.json").write_bytes((folder / "word_vectors.json").read_bytes())
    assert clf_mod.load_model(tmp_path, name="m").trained.tuning.blind is False
    assert clf_mod.Tuning().blind is True


# ------------------------------------------------------------- prediction precision (bf16)

def _fake_torch(bf16: bool, amx: bool = False, cuda_bf16: bool = False):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    return SimpleNamespace(
        cpu=SimpleNamespace(_is_avx512_bf16_supported=lambda: bf16,
                            _is_amx_tile_supported=lambda: amx),
        cuda=SimpleNamespace(is_bf16_supported=lambda: cuda_bf16))


@pytest.mark.parametrize(("precision", "bf16", "amx", "device", "expected"), [
    ("auto", True, False, "cpu", True),     # AVX512-BF16
    ("auto", False, True, "cpu", True),     # AMX
    ("auto", False, False, "cpu", False),   # emulated bfloat16 would be slow: float32
    ("fp32", True, True, "cpu", False),
    ("bf16", False, False, "cpu", True),
    ("auto", False, False, "cuda", False),
])
def test_encoder_precision_choice(precision, bf16, amx, device, expected) -> None:
    from types import SimpleNamespace

    torch = _fake_torch(bf16, amx)
    assert clf_mod._use_bf16(torch, SimpleNamespace(type=device), precision) is expected


def test_encoder_precision_without_the_private_probe_is_float32() -> None:
    from types import SimpleNamespace

    torch = SimpleNamespace(cpu=SimpleNamespace(), cuda=SimpleNamespace())
    assert clf_mod._use_bf16(torch, SimpleNamespace(type="cpu"), "auto") is False


def test_unknown_encoder_precision_is_a_coded_error() -> None:
    from types import SimpleNamespace

    with pytest.raises(clf_mod.EventwireError, match="E032"):
        clf_mod._use_bf16(_fake_torch(True), SimpleNamespace(type="cpu"), "fp16")
