"""Dependency features of a (source, target) pair, on small made-up sentences."""

from __future__ import annotations

import pytest

from eventwire import pair_syntax as ps
from eventwire.classifier import Settings, load_model


@pytest.mark.parametrize("marked, text, spans", [
    ("<s>Russia</s> met <t>Iran</t>.", "Russia met Iran.", {"s": (0, 6), "t": (11, 15)}),
    ("<t>B</t> was hit by <s>A", "B was hit by A", {"t": (0, 1), "s": (13, 14)}),
    ("<s>A</s> and <s>A</s> saw <t>B\n</t>", "A and A saw B ", {"s": (0, 1), "t": (12, 14)}),
    ("</t>No <s>open</s> marker", "No open marker", {"s": (3, 7)}),
    ("Nothing marked", "Nothing marked", {}),
])
def test_unmark_keeps_offsets(marked: str, text: str, spans: dict) -> None:
    got = ps.unmark(marked)
    assert got.text == text and got.spans == spans


def test_features_read_the_predicate_between_the_spans(resources) -> None:
    nlp = resources.nlp
    talks, = ps.extract(["<s>Russia</s> held talks with <t>Turkmenistan</t> in Moscow."], nlp)
    assert {"Sdep:nsubj", "Sv:hold", "Tp:with", "Tv:talk", "lca:hold"} <= set(talks)
    negated, = ps.extract(["<s>The army</s> will not attack <t>the rebels</t>."], nlp)
    assert {"Sneg", "Smod:will", "lcaneg", "lca:attack", "path:nsubj|dobj"} <= set(negated)
    passive, = ps.extract(["<t>Two monks</t> were freed by <s>the governor</s>."], nlp)
    assert {"Sp:by", "Tdep:nsubjpass", "lca:free"} <= set(passive)
    promised, = ps.extract(["<s>Moscow</s> agreed to meet <t>Kabul</t>."], nlp)
    assert {"Sx:agree>meet", "Tv:meet", "lcac:agree>meet"} <= set(promised)
    assert ps.extract(["Nothing is marked here."], nlp) == [["S:none", "T:none"]]
    assert ps.extract([], nlp) == []


class _NoParsing:
    pipe_names = ["tok2vec", "tagger", "parser", "ner"]

    def pipe(self, texts, disable=()):
        texts = list(texts)
        assert not texts, f"parsed again: {texts}"
        return iter(())


def test_given_docs_are_reused_and_stale_ones_reparsed(resources) -> None:
    marked = ["<s>Russia</s> held talks with\n<t>Turkmenistan</t>.", "<s>A</s> hit <t>B</t>."]
    docs = list(resources.nlp.pipe(ps.unmark(m).text for m in marked))
    assert ps.extract(marked, _NoParsing(), docs) == ps.extract(marked, resources.nlp)
    stale = [docs[1], docs[0]]  # texts that do not match are parsed, not trusted
    assert ps.extract(marked, resources.nlp, stale) == ps.extract(marked, resources.nlp)


def test_shipped_model_predicts_the_same_with_the_pipelines_docs(resources) -> None:
    clf = load_model(nlp=resources.nlp)
    assert clf.trained.settings.weights.get("d") == Settings().weights["d"]
    marked = ["<s>Russia</s> held talks with <t>Turkmenistan</t> in Moscow.",
              "<s>Police</s> arrested <t>three activists</t> in Zenda."]
    docs = list(resources.nlp.pipe(ps.unmark(m).text for m in marked))
    with_docs = clf.predict(marked, docs)
    assert with_docs == clf.predict(marked)
    assert [p.type for p in with_docs] == ["CONSULT", "COERCE"]
