"""Parsing: the full spaCy model (tagger, parser, NER) on candidate sentences only.

Each candidate sentence is parsed as its own Doc (newlines replaced by spaces, so
character offsets are unchanged) and stored in ``work.docs[sentence.index]``. Batches
of articles are parsed together through ``nlp.pipe``.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventwire.resources import Resources
from eventwire.stages import Work


class Parse:
    name = "parse"

    def __init__(self, res: Resources) -> None:
        self.nlp = res.nlp
        self.batch_size = int(res.cfg["pipeline"]["batch_size"]) * 8

    def __call__(self, work: Work) -> None:
        self.batch([work])

    def batch(self, works: Sequence[Work]) -> None:
        """Parses the candidate sentences of all ``works`` in one ``nlp.pipe`` stream."""
        todo = [(w, s.index) for w in works for s in w.article.sentences
                if s.candidate and s.index not in w.docs]
        texts = (w.article.sentences[i].span.text.replace("\n", " ") for w, i in todo)
        for (work, index), doc in zip(todo, self.nlp.pipe(texts, batch_size=self.batch_size),
                                      strict=True):
            work.docs[index] = doc


def build(res: Resources) -> Parse:
    return Parse(res)
