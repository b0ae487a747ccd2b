"""Event candidates (eventwire/stages/events/candidates.py) on real corpus sentences.

Sentences are read from ../shared/corpora by line and article offsets (Gigaword articles
outside gigaword-dev and outside the held-out candidate pool); nothing is copied here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.stages.events.candidates import candidate_words, candidates

CORPUS = "corpora/gigaword-afp-xinhua.jsonl"

# (line, article id, start, end, expected (word, kind, light verb or None), not expected words)
CASES = {
    "passive": (326, "AFP_ENG_19970423.0654", 815, 933,
                [("killed", "verb", None), ("raid", "noun", None)], ["were"]),
    "light verb and conjoined": (1836, "XIN_ENG_20061106.0397", 733, 835,
                                 [("arrived", "verb", None), ("talks", "noun", "held")],
                                 ["held"]),
    "conjoined": (895, "AFP_ENG_20061218.0022", 0, 181,
                  [("killed", "verb", None), ("arrested", "verb", None),
                   ("raids", "noun", None)], []),
    "nominal with arguments": (364, "AFP_ENG_19970425.0525", 2574, 2749,
                               [("flouted", "verb", None), ("invasion", "noun", None),
                                ("flew", "verb", None)], []),
    "reduced relative": (2372, "XIN_ENG_20061128.0209", 489, 757,
                         [("brokered", "verb", None), ("delivered", "verb", None),
                          ("agreement", "noun", None)], []),
}


def sentence(shared: Path, line: int, article_id: str, start: int, end: int) -> str:
    with open(shared / CORPUS, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if n == line:
                record = json.loads(raw)
                assert record["id"] == article_id
                return str(record["text"][start:end])
    raise AssertionError(f"{CORPUS} has no line {line}")


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case", sorted(CASES))
def test_candidates_on_corpus_sentences(shared, resources, case) -> None:
    line, aid, start, end, expected, absent = CASES[case]
    doc = resources.nlp(sentence(shared, line, aid, start, end))
    found = {(c.token.text, c.kind, c.light.text if c.light else None)
             for c in candidates(doc, candidate_words(resources))}
    assert set(expected) <= found, found
    assert not {w for w, _, _ in found} & set(absent)


@pytest.mark.timeout(60)
def test_lists_only_propose(resources) -> None:
    """A deverbal noun needs an argument to be proposed; a listed noun does not; a noun
    inside a compound ("attack helicopters") and a name are not candidates."""
    words = candidate_words(resources)
    doc = resources.nlp("The Ethiopian administration sent attack helicopters after the "
                        "announcement of Russia's expulsion of two diplomats.")
    found = {c.token.text for c in candidates(doc, words)}
    assert {"sent", "expulsion"} <= found
    assert "attack" not in found and "administration" not in found
