"""Cue reading for the events stage: which sense a trigger has, its modality, the verb that
governs it ("agreed to meet"), its mode and contexts, and the sentence's domain.

All word lists come from ``data/events/cues.toml`` through :class:`Lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventwire.model import Actor
from eventwire.stages.events_lexicon import Lexicon, Sense

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_WORD = re.compile(r"[a-z][a-z\-]*")
CORE_NOUN_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "attr"})


def pick_sense(tok: Token, senses: Sequence[Sense]) -> Sense | None:
    """The first sense whose ``needs`` and ``obj`` conditions hold for this token."""
    for sense in senses:
        if sense.needs and not _has_need(tok, sense.needs):
            continue
        if sense.not_obj and _complement_lemmas(tok) & sense.not_obj:
            continue
        if sense.obj and not (_object_lemmas(tok) & sense.obj):
            continue
        return sense
    return None


def _complement_lemmas(tok: Token) -> set[str]:
    """Lemmas of the object and of the verb complement ("refused to comment")."""
    return {c.lemma_.lower() for c in tok.children
            if c.dep_ in ("dobj", "xcomp", "nsubjpass", "prt")}


def _has_need(tok: Token, needs: frozenset[str]) -> bool:
    words = {c.lower_ for c in tok.children} | {c.lemma_.lower() for c in tok.children}
    for c in tok.children:
        if c.dep_ in ("dobj", "prep", "xcomp"):
            words |= {g.lemma_.lower() for g in c.children}
        if c.dep_ == "xcomp":
            words.add("to")
    return bool(words & needs)


def _object_lemmas(tok: Token) -> set[str]:
    if tok.pos_ == "VERB":
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        for c in tok.children:
            if c.dep_ == "xcomp":
                objs.extend(g for g in c.children if g.dep_ == "dobj")
    else:
        objs = [c for c in tok.children if c.dep_ in ("compound",)]
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                objs.extend(g for g in c.children if g.dep_ == "pobj")
    out: set[str] = set()
    for o in objs:
        out.add(o.lemma_.lower())
        out.update(c.lemma_.lower() for c in o.children if c.dep_ in ("conj", "compound"))
    return out


# ------------------------------------------------------------------ governing verbs

@dataclass(frozen=True)
class Governor:
    token: Token
    type: str
    modes: dict[str, str]


def governor(tok: Token, lex: Lexicon) -> Governor | None:
    """A verb like "agree"/"refuse"/"threaten" whose complement is this trigger:
    "agreed to meet" (xcomp), "refused talks" (dobj), "called for talks" (pobj)."""
    table: dict[str, Any] = lex.cues.get("governing", {})
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    elif tok.dep_ not in ("xcomp", "dobj"):
        return None
    spec = table.get(head.lemma_) if head.i != tok.i and head.pos_ == "VERB" else None
    if spec is None:
        return None
    return Governor(head, spec["type"], dict(spec.get("modes", {})))


# ------------------------------------------------------------------ modality

def _chain(tok: Token, reporting: frozenset[str]) -> list[Token]:
    """The trigger and the verbs above it, up to (and including) a reporting verb."""
    chain = [tok]
    cur = tok
    for _ in range(8):
        if cur.dep_ == "ROOT" or cur.head.i == cur.i:
            break
        if cur.pos_ in ("NOUN", "PROPN") and cur.dep_ not in CORE_NOUN_DEPS:
            break
        if cur.dep_ == "relcl":  # "Turkey, which occupies ..., had insisted": own clause
            break
        if cur.dep_ in ("conj", "appos"):
            cur = cur.head
            continue
        cur = cur.head
        chain.append(cur)
        if cur.lemma_ in reporting:
            break
    return chain


def modality(tok: Token, lex: Lexicon) -> str:
    """asserted, negated, hypothetical, future, historical or ongoing (first cue wins in
    the order of cues.toml)."""
    reporting = lex.words("reporting", "verbs")
    chain = _chain(tok, reporting)
    for name in lex.cues["modality"]["order"]:
        if _has_modality(name, tok, chain, lex):
            return str(name)
    return "asserted"


def _has_modality(name: str, tok: Token, chain: list[Token], lex: Lexicon) -> bool:
    spec: dict[str, Any] = lex.cues["modality"][name]
    if any(c.dep_ == "amod" and c.lemma_.lower() in spec.get("adjectives", ())
           for c in tok.children):
        return True
    near = {g.lower_ for t in chain for c in t.children for g in (c, *c.children)}
    if near & set(spec.get("words", ())):
        return True
    if any(_cue_at(t, i > 0, spec) for i, t in enumerate(chain)):
        return True
    return name == "future" and tok.dep_ == "xcomp" and tok.head.lemma_ == "be"


def _cue_at(t: Token, above: bool, spec: dict[str, Any]) -> bool:
    """A modality cue on one token of the chain: its dependents, or (for tokens above the
    trigger) the token itself as a governing verb or adjective ("plans to", "unable to")."""
    kids = list(t.children)
    deps = {(c.dep_, c.lower_) for c in kids}
    if spec.get("neg_dep") and any(d == "neg" for d, _ in deps):
        return True
    for dep, key in (("det", "determiners"), ("aux", "aux"), ("mark", "marks")):
        if any(d == dep and w in spec.get(key, ()) for d, w in deps):
            return True
    lemma = t.lemma_.lower()
    if above and t.lower_ in spec.get("governor_forms", ()):
        return True
    if above and lemma in set(spec.get("governors", ())) | set(spec.get("adjectives", ())):
        # "call" negates only as "call off"
        particles = set(spec.get("particles", ()))
        if lemma != "call" or not particles or any(d == "prt" and w in particles for d, w in deps):
            return True
    if spec.get("past_perfect") and t.tag_ == "VBN" and ("aux", "had") in deps:
        return True
    return bool(spec.get("progressive") and t.tag_ == "VBG"
                and any(c.dep_ == "aux" and c.lemma_ == "be" for c in kids))


# ------------------------------------------------------------------ mode and context

def lemmas(tokens: Iterable[Token]) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(t.lemma_.lower())
        out.add(t.lower_)
    return out


def cue_mode(type_: str, words: set[str], lex: Lexicon) -> str | None:
    """The first mode of ``type_`` whose cue words occur in ``words``."""
    for mode, cues in lex.cues.get("modes", {}).get(type_, {}).items():
        if isinstance(cues, list) and words & set(cues):
            return str(mode)
    return None


def contexts(words: set[str], actors: Iterable[Actor], lex: Lexicon) -> list[str]:
    table: dict[str, Any] = lex.cues.get("contexts", {})
    found = [name for name, cues in table.items()
             if isinstance(cues, list) and words & set(cues)]
    by_sector: dict[str, str] = table.get("from_sector", {})
    for a in actors:
        ctx = by_sector.get(a.sector or "")
        if ctx and ctx not in found:
            found.append(ctx)
    return found


# ------------------------------------------------------------------ domains

def sport(doc: Doc, lex: Lexicon) -> bool:
    """A sport sentence: a strong sport word, or ``min_hits`` different sport words."""
    spec: dict[str, Any] = lex.cues["domains"]["sport"]
    words = lemmas(doc)
    if words & set(spec.get("strong", ())):
        return True
    return len(words & set(spec["words"])) >= int(spec.get("min_hits", 2))


def sport_article(text: str, lex: Lexicon) -> bool:
    """A sport story: ``article_min_hits`` different sport words anywhere in the text."""
    spec: dict[str, Any] = lex.cues["domains"]["sport"]
    words = set(_WORD.findall(text.lower()))
    return len(words & set(spec["words"])) >= int(spec.get("article_min_hits", 4))


def business(doc: Doc, lex: Lexicon) -> bool:
    spec: dict[str, Any] = lex.cues["domains"]["business"]
    return len(lemmas(doc) & set(spec["words"])) >= int(spec.get("min_hits", 2))


def political(actor: Actor, lex: Lexicon) -> bool:
    spec: dict[str, Any] = lex.cues["domains"]["business"]
    if actor.sector:
        return actor.sector in spec["political_sectors"]
    return actor.kind in spec["political_kinds"]
