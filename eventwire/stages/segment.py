"""The cheap pass: paragraphs and sentences, and which sentences may hold an event.

Runs on every sentence of every article with only the tokenizer and a rule-based
sentencizer (tens of thousands of words a second). A sentence is a *candidate* (parsed
later) when it contains an actor form or an event-trigger form (parsed with every component
of the model: a sentence that names an actor is parsed whatever its words, and the event
detector judges every clause and event noun in it), or else a reported-speech cue (a
*claim-only* sentence, parsed without NER for the attribution stage), from the lexicons of
the actors, events and attribution stages. With ``pipeline.select = "events"`` claim-only
sentences are not kept (faster). With ``pipeline.select = "all"`` every sentence is a
candidate, parsed with every component.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from eventwire.errors import EventwireError
from eventwire.model import Sentence, span_of
from eventwire.resources import Resources
from eventwire.stages import Work

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]{2,}\S)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank paragraph, split on blank lines or indented lines."""
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        yield from _trimmed(text, start, m.start())
        start = m.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _lexicon(res: Resources, module: str, func: str) -> frozenset[str] | None:
    """A stage's cheap-pass lexicon, or None while that stage is not installed."""
    try:
        mod = importlib.import_module(f"eventwire.stages.{module}")
    except ModuleNotFoundError:
        return None
    fn = getattr(mod, func, None)
    return fn(res) if fn else None


@dataclass
class Lexicons:
    """A sentence is parsed when it names an actor or has an event trigger (no lexicon gates
    the other: "From Albania, Ahtisaari will travel to Macedonia" has no trigger word, "dozens
    were killed in air strikes" names no actor), or has a cue of reported speech ("said",
    "noted"), so attribution sees the sentences that carry claims."""

    triggers: frozenset[str] | None
    actors: frozenset[str] | None
    cues: frozenset[str] = frozenset()

    def keeps(self, sentence_text: str) -> bool:
        return self.reason(sentence_text) is not None

    def reason(self, sentence_text: str) -> str | None:
        """Why the sentence is parsed: "event" (an actor or a trigger), "claim" (a
        reported-speech cue, whoever the speaker: "he said" names no actor) or None."""
        if self.triggers is None or self.actors is None:
            return "event"
        words = {w.lower() for w in _WORD.findall(sentence_text)}
        words.update([part for w in words if "-" in w for part in w.split("-")])  # counter-offer
        if not words.isdisjoint(self.actors) or not words.isdisjoint(self.triggers):
            return "event"
        return None if words.isdisjoint(self.cues) else "claim"


class Segment:
    name = "segment"

    def __init__(self, res: Resources) -> None:
        self.nlp = res.segmenter
        self.select_all = res.cfg["pipeline"]["select"] == "all"
        select = res.cfg["pipeline"]["select"]
        if select not in ("all", "candidates", "events"):
            raise EventwireError("E014", f"pipeline.select = {select!r} is not known",
                                 "use all, candidates or events")
        cues = (_lexicon(res, "attribution", "cue_forms") or frozenset()
                if select == "candidates" else frozenset())
        self.lexicons = Lexicons(_lexicon(res, "events", "trigger_forms"),
                                 _lexicon(res, "actors", "actor_forms"), cues)

    def __call__(self, work: Work) -> None:
        article = work.article
        if article.sentences:
            return
        text = article.text
        spans = list(paragraphs(text))
        docs = self.nlp.pipe(text[s:e].replace("\n", " ") for s, e in spans)
        for para, ((p_start, _), doc) in enumerate(zip(spans, docs, strict=True)):
            work.deadline.check(self.name)
            for sent in doc.sents:
                start, end = p_start + sent.start_char, p_start + sent.end_char
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end <= start:
                    continue
                span = span_of(text, start, end)
                why = "event" if self.select_all else self.lexicons.reason(span.text)
                if why == "claim":
                    work.claim_only.add(len(article.sentences))
                article.sentences.append(
                    Sentence(len(article.sentences), span, para, why is not None))


def build(res: Resources) -> Segment:
    return Segment(res)
