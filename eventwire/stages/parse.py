"""Parsing: the full spaCy model (tagger, parser, NER) on candidate sentences only.

Each candidate sentence is parsed as its own Doc (newlines replaced by spaces, so
character offsets are unchanged) and stored in ``work.docs[sentence.index]``. Batches
of articles are parsed together through ``nlp.pipe``, with one BLAS thread: the model's
matrix products are small, and a second BLAS thread made a one-process ingest of 1,000 articles
1.7x slower on this project's machine while the other core was busy. eventwire's own
processes (the CLI, worker processes, Ray actors) set one thread for good; elsewhere (the
library called from another program) the limit holds only while parsing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from threadpoolctl import ThreadpoolController

from eventwire.budget import clock
from eventwire.resources import Resources
from eventwire.stages import Work

LIGHT_DISABLE = ("ner",)  # components a claim-only sentence does without


class Parse:
    name = "parse"
    charges_time = True  # charges each article its share of every minibatch it is in

    def __init__(self, res: Resources) -> None:
        self.nlp = res.nlp
        self.batch_size = int(res.cfg["pipeline"]["batch_size"]) * 8
        self.blas = res.get("parse.blas", lambda r: ThreadpoolController())

    def __call__(self, work: Work) -> None:
        self.batch([work])

    def batch(self, works: Sequence[Work]) -> None:
        """Parses the candidate sentences of all ``works``: those that may hold an event with
        every component, those kept only for a claim without NER (about half the cost)."""
        todo = [(w, s.index) for w in works for s in w.article.sentences
                if s.candidate and s.index not in w.docs]
        full = [(w, i) for w, i in todo if i not in w.claim_only]
        light = [(w, i) for w, i in todo if i in w.claim_only]
        self._pipe(full, ())
        self._pipe(light, LIGHT_DISABLE)

    def _pipe(self, todo: list[tuple[Work, int]], disable: tuple[str, ...]) -> None:
        """Parses in minibatches of ``batch_size`` sentences (as one nlp.pipe call would);
        the time of each is shared among the articles in it by length, and then their
        budgets are checked (a parse stopped here resumes where it was)."""
        with self._one_blas_thread():
            for first in range(0, len(todo), self.batch_size):
                chunk = todo[first: first + self.batch_size]
                texts = [w.article.sentences[i].span.text.replace("\n", " ") for w, i in chunk]
                started = clock()
                docs = self.nlp.pipe(texts, batch_size=self.batch_size, disable=list(disable))
                for (work, index), doc in zip(chunk, docs, strict=True):
                    work.docs[index] = doc
                _share(clock() - started, chunk, texts)
                for work, _ in chunk:
                    work.deadline.check(self.name)

    def _one_blas_thread(self) -> contextlib.AbstractContextManager[object]:
        blas = self.blas.select(user_api="blas")
        if all(lib["num_threads"] == 1 for lib in blas.info()):
            return contextlib.nullcontext()  # already so (setting and restoring costs time)
        return blas.limit(limits=1)


def _share(seconds: float, chunk: list[tuple[Work, int]], texts: list[str]) -> None:
    total = sum(len(t) for t in texts) or 1
    for (work, _), text in zip(chunk, texts, strict=True):
        work.deadline.charge(seconds * len(text) / total)


def build(res: Resources) -> Parse:
    return Parse(res)
