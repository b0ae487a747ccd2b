"""A faster stand-in for the model's ``attribute_ruler``, with the same output.

The English model's attribute ruler maps each fine-grained tag to its coarse part of speech
and morphology (a tag map: one pattern per tag), then applies about a hundred exceptions
("ain't", "gonna", "I" as a subject, ...). spaCy runs all of them through a Matcher and sets
every match in Python, which costs about a tenth of the whole model's time on news text.

:class:`FastAttributes` applies the tag map as one array lookup per Doc and leaves only the
exceptions to a small ``AttributeRuler`` of spaCy's own, in their original order, so later
rules still win. :func:`speed_up` swaps it in when the model's rules have that shape (the tag
map first) and leaves the model alone otherwise. ``tests/test_attributes.py`` checks that
tags, parts of speech, morphology and lemmas are identical to the original pipeline's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
from spacy.attrs import MORPH, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import AttributeRuler

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

NAME = "eventwire_attributes"


class FastAttributes:
    """Tag map by array lookup, then the remaining rules through spaCy's AttributeRuler."""

    def __init__(self, vocab: Vocab, name: str = NAME) -> None:
        self.vocab, self.name = vocab, name
        self.table: dict[int, tuple[int, int]] = {}
        self.exceptions = AttributeRuler(vocab, name=f"{name}_exceptions")

    def copy_rules(self, patterns: list[dict[str, Any]]) -> None:
        """Takes the leading tag-map rules into the table and the rest as exceptions."""
        n = tag_map_length(patterns)
        for rule in patterns[:n]:
            tag = self.vocab.strings.add(rule["patterns"][0][0]["TAG"])
            attrs = rule["attrs"]
            self.table[tag] = (POS_IDS[attrs["POS"]], self.vocab.morphology.add(attrs["MORPH"]))
        self.exceptions.add_patterns(patterns[n:])

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            tags = doc.to_array(TAG)
            values = doc.to_array([POS, MORPH])
            for i, tag in enumerate(tags.tolist()):
                hit = self.table.get(tag)
                if hit is not None:
                    values[i] = hit
            doc.from_array([POS, MORPH], values.astype(np.uint64))  # type: ignore[arg-type]
        return self.exceptions(doc)

    def pipe(self, docs: Any, batch_size: int = 128) -> Any:
        for doc in docs:
            yield self(doc)


def tag_map_length(patterns: list[dict[str, Any]]) -> int:
    """How many leading rules are plain tag-map entries: one token, matched on its tag only,
    setting part of speech and morphology."""
    n = 0
    for rule in patterns:
        pats = rule["patterns"]
        if not (len(pats) == 1 and len(pats[0]) == 1 and set(pats[0][0]) == {"TAG"}
                and isinstance(pats[0][0]["TAG"], str) and set(rule["attrs"]) == {"POS", "MORPH"}
                and rule.get("index", 0) == 0 and rule["attrs"]["POS"] in POS_IDS):
            break
        n += 1
    return n


@Language.factory(NAME)
def _make(nlp: Language, name: str) -> FastAttributes:
    return FastAttributes(nlp.vocab, name)


def speed_up(nlp: Language) -> Language:
    """Replaces ``attribute_ruler`` by :class:`FastAttributes` in place, where it applies."""
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    patterns = cast(AttributeRuler, nlp.get_pipe("attribute_ruler")).patterns
    if tag_map_length(patterns) == 0:
        return nlp
    fast = cast(FastAttributes, nlp.add_pipe(NAME, before="attribute_ruler"))
    fast.copy_rules(patterns)
    nlp.remove_pipe("attribute_ruler")
    return nlp
