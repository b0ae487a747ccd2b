"""Pipeline stages: one module per step, each with the same shape.

A stage is a class with a ``name`` and ``__call__(work: Work) -> None`` that adds what it
finds to ``work.article`` and never removes what earlier stages wrote. It is built once per
process by ``build(res: Resources) -> Stage`` in its module, so heavy resources (the spaCy
model, dictionaries, the gazetteer) load once and are shared read-only.

Order (see ``eventwire.pipeline``): segment -> parse -> actors -> events -> dates -> places
-> attribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from eventwire.budget import Deadline
from eventwire.model import Actor, Article, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


@dataclass
class Work:
    """One article on its way through the pipeline.

    ``docs`` maps a sentence index to the spaCy Doc of that sentence alone (only
    candidate sentences are parsed); token ``idx`` values are relative to the sentence,
    so use :func:`token_span` to get article offsets. ``claim_only`` holds the indices of
    candidate sentences kept only for a reported-speech cue (no event trigger): they are
    parsed without the NER model, which only the actors of events need. ``deadline`` is the
    article's time budget: long loops call ``deadline.check(stage_name)``.
    """

    article: Article
    docs: dict[int, Doc] = field(default_factory=dict)
    claim_only: set[int] = field(default_factory=set)
    scratch: dict[str, Any] = field(default_factory=dict)
    deadline: Deadline = field(default_factory=Deadline)

    def offset(self, sentence_index: int) -> int:
        return self.article.sentences[sentence_index].span.start


def mentions_in(article: Article, start: int, end: int) -> list[Actor]:
    """Actor mentions whose span lies inside article characters [start, end)."""
    return [a for a in article.actors
            if a.span is not None and start <= a.span.start and a.span.end <= end]


def token_span(work: Work, sentence_index: int, item: Token | SpacySpan) -> Span:
    """Article-level Span of a token or a spaCy span inside sentence ``sentence_index``."""
    base = work.offset(sentence_index)
    from spacy.tokens import Token

    if isinstance(item, Token):
        start, end = base + item.idx, base + item.idx + len(item.text)
    else:
        start, end = base + item.start_char, base + item.end_char
    return Span(start, end, work.article.text[start:end])


class Stage(Protocol):
    name: str

    def __call__(self, work: Work) -> None: ...
