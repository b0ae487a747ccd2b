"""Event candidates: every clause head and every event noun of a fully parsed sentence.

A candidate is a place where an event may be stated; the learned detector
(:mod:`eventwire.stages.events.detector`) decides whether it is one and of which type. Proposed:

- every verb heading a clause, including passives, reduced relatives ("a truce brokered by
  Egypt"), conjoined predicates ("stormed the town and seized the airport") and verbs the
  tagger took for nouns after "to";
- a light verb with an event noun object gives one candidate, the noun, that remembers the
  verb ("carried out an attack", "held talks");
- every noun heading a noun phrase that names an event: listed in ``data/events/candidates.toml``
  or ``triggers.toml``, or a deverbal noun with an argument ("Russia's expulsion of
  diplomats", "the surrender of the garrison").

The word lists only propose; no list decides whether a candidate is an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventwire.resources import Resources
from eventwire.stages.events.lexicon import _read, lexicon, verbal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Doc, Token

RESOURCE = "events.candidate_words"


@dataclass(frozen=True)
class CandidateWords:
    """The word lists that propose candidates (loaded once per process)."""

    nouns: frozenset[str]
    suffixes: tuple[str, ...]
    argument_preps: frozenset[str]
    light: frozenset[str]
    skip_verbs: frozenset[str]

    @classmethod
    def load(cls, res: Resources) -> CandidateWords:
        raw = _read("candidates.toml")
        lex = lexicon(res)
        nouns = set(raw["nouns"]["words"]) | set(lex.nouns) | lex.words("event_nouns", "nouns")
        return cls(frozenset(nouns), tuple(raw["nouns"]["deverbal_suffixes"]),
                   frozenset(raw["nouns"]["argument_preps"]),
                   lex.words("light_verbs", "lemmas"), frozenset(raw["verbs"]["skip"]))


def candidate_words(res: Resources) -> CandidateWords:
    return res.get(RESOURCE, CandidateWords.load)


@dataclass(frozen=True)
class Cand:
    """One candidate: its head token, ``kind`` ("verb" or "noun") and, for a noun, the light
    verb it is the object of (or None)."""

    token: Token
    kind: str
    light: Token | None = None

    @property
    def lemma(self) -> str:
        return self.token.lemma_.lower()


def candidates(doc: Doc | Sequence[Token], words: CandidateWords) -> list[Cand]:
    """Every candidate of a parsed sentence, in token order."""
    found: list[Cand] = []
    lit: set[int] = set()
    nouns: list[Token] = []
    for tok in doc:
        if tok.pos_ in ("NOUN", "PROPN"):
            nouns.append(tok)
        if not _verb_head(tok, words):
            continue
        noun = _light_object(tok, words)
        if noun is not None:
            found.append(Cand(noun, "noun", tok))
            lit.add(noun.i)
        elif tok.lemma_.lower() not in words.skip_verbs:
            found.append(Cand(tok, "verb"))
    found += [Cand(tok, "noun") for tok in nouns if tok.i not in lit and event_noun(tok, words)]
    return sorted(found, key=lambda c: c.token.i)


def _verb_head(tok: Token, words: CandidateWords) -> bool:
    """A verb heading a clause (main, subordinate, relative, reduced relative, conjoined)."""
    if tok.pos_ == "AUX" or tok.dep_ in ("aux", "auxpass"):
        return False
    return verbal(tok) and tok.dep_ != "amod"


def _light_object(verb: Token, words: CandidateWords) -> Token | None:
    """The event noun a light verb takes as object ("carried out an attack"), or None."""
    if verb.lemma_.lower() not in words.light:
        return None
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return next((o for o in objs if event_noun(o, words)), None)


def event_noun(tok: Token, words: CandidateWords) -> bool:
    """A noun heading a noun phrase that names an event: listed, or deverbal with an argument."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound" or tok.ent_type_:
        return False
    lower, lemma = tok.lower_, tok.lemma_.lower()
    if lower in words.nouns or lemma in words.nouns:
        return True
    return lemma.endswith(words.suffixes) and len(lemma) > 5 and _has_argument(tok, words)


def _has_argument(tok: Token, words: CandidateWords) -> bool:
    return any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in words.argument_preps)
               for c in tok.children)
