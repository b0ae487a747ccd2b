"""Modality refinements on top of the cue walk (:func:`eventwire.stages.events.cues.modality`).

The cue walk finds negation, conditions, futures, history and progressives from the words
around a trigger. Three patterns it misses are corrected here from
``data/events/modality.toml``: a present perfect over a running period is ``ongoing``
("has intensified attacks over the past months"); an event noun that is the subject of a
future verb is ``future`` ("the talks will open on Monday"); a trigger in its own past-tense
subordinate clause is not ``future`` ("when the two presidents met in Vienna"); an event in
the complement of a verb of intention or wish is ``hypothetical`` ("was meant to pave the
way for talks").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventwire.data import read_toml
from eventwire.stages.events.lexicon import verbal

if TYPE_CHECKING:
    from spacy.tokens import Token

DATA_FILE = "data/events/modality.toml"


@dataclass(frozen=True)
class Modality:
    """The rules of ``modality.toml``, loaded once per Resources."""

    perfect_aux: frozenset[str]
    period_preps: frozenset[str]
    period_marks: frozenset[str]
    period_words: frozenset[str]
    future_aux: frozenset[str]
    past_deps: frozenset[str]
    past_tags: frozenset[str]
    pledge_types: frozenset[str]
    intended_by: frozenset[str]

    @classmethod
    def load(cls) -> Modality:
        raw = read_toml(DATA_FILE, "E038")
        on, fu, pa = raw["ongoing"], raw["future"], raw["past_clause"]
        return cls(frozenset(on["perfect_aux"]), frozenset(on["period_preps"]),
                   frozenset(on["period_marks"]), frozenset(on["period_words"]),
                   frozenset(fu["aux"]), frozenset(pa["deps"]), frozenset(pa["tags"]),
                   frozenset(raw["pledge"]["types"]),
                   frozenset(raw["hypothetical"]["complement_of"]))

    def refine(self, tok: Token, modality: str) -> str:
        """The trigger's modality after the three corrections (see the module docstring)."""
        verb = clause_verb(tok)
        if modality == "future" and self.past_clause(verb):
            return "asserted"
        if modality in ("asserted", "historical") and self.running_period(verb):
            return "ongoing"
        if modality == "asserted" and not verbal(tok) and self.future_subject(tok):
            return "future"
        if modality in ("asserted", "future") and self.intended(tok):
            return "hypothetical"
        return modality

    def intended(self, tok: Token) -> bool:
        """"was meant to pave the way for talks", "would like them deported": the trigger
        lies in the complement (xcomp/ccomp) of a verb of intention or wish."""
        cur = tok
        for _ in range(8):
            if cur.head.i == cur.i or cur.dep_ in ("nsubj", "nsubjpass", "relcl", "advcl"):
                return False
            if cur.dep_ in ("xcomp", "ccomp") and cur.head.lemma_.lower() in self.intended_by:
                return True
            cur = cur.head
        return False

    def past_clause(self, verb: Token) -> bool:
        """"... when the two presidents met in Vienna": a past-tense subordinate clause."""
        return verb.dep_ in self.past_deps and verb.tag_ in self.past_tags

    def running_period(self, verb: Token) -> bool:
        """A present perfect ("has intensified", "have imposed") with a period that runs
        to now ("since Hamas took power", "over the past few months")."""
        aux = [c for c in verb.children if c.dep_ == "aux"]
        if verb.tag_ != "VBN" or not any(a.lower_ in self.perfect_aux for a in aux):
            return False
        for c in verb.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in self.period_marks
                                         for m in c.children):
                return True
            if c.dep_ == "prep" and c.lower_ in self.period_preps and (
                    c.lower_ == "since" or any(t.lower_ in self.period_words
                                               for t in c.subtree)):
                return True
        return False

    def future_subject(self, tok: Token) -> bool:
        """"The fifth round of talks will open on Nov. 9": the event noun (or the noun it
        belongs to, "round of talks") is the subject of a verb with a future auxiliary."""
        cur = tok
        for _ in range(3):
            if cur.dep_ in ("nsubj", "nsubjpass"):
                return any(c.dep_ == "aux" and c.lower_ in self.future_aux
                           for c in cur.head.children)
            if cur.dep_ != "pobj" or cur.head.dep_ != "prep":
                return False
            cur = cur.head.head
        return False


def clause_verb(tok: Token) -> Token:
    """The verb of the trigger's own clause (the trigger itself when it is a verb)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur

