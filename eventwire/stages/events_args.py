"""Who did what to whom: actors and recipients of a trigger from the dependency parse.

Actor mentions (from the actors stage) are mapped onto the tokens of the sentence's Doc;
roles are then read off the trigger's dependents: subject / agent -> actor, object and
role prepositions -> recipient, "between X and Y" / "X and Y met" -> all actors. Nominal
triggers take their own modifiers ("Taliban capture", "talks between ...", "a meeting of
... consisting of A-B-C-D") and, under a light verb, the verb's subject ("X held talks").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eventwire.model import Actor
from eventwire.stages.events_lexicon import Sense

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

FOLLOW = frozenset({"conj", "appos", "compound", "amod", "poss", "nmod", "nummod"})
MODIFIERS = frozenset({"compound", "amod", "poss", "nmod"})
NP_PREPS = frozenset({"of", "including", "between", "among", "with"})
GROUP_VERBS = frozenset({"consist", "comprise", "include", "involve", "compose", "represent",
                         "bring", "gather", "unite"})
TOPIC_PREPS = frozenset({"on", "about", "over", "regarding", "concerning", "in", "at",
                         "during", "after", "before", "since", "until", "amid", "despite",
                         "into", "under", "within", "near", "across", "through", "throughout",
                         "following", "as", "like"})
REL_PRONOUNS = frozenset({"which", "who", "that", "whom"})
PARTICIPATE = frozenset({"engage", "participate", "join", "take", "involve"})


@dataclass
class Mentions:
    """Actor mentions of one sentence and the tokens each covers."""

    actors: list[Actor]
    token_of: dict[int, int]

    def at(self, token: Token) -> int | None:
        return self.token_of.get(token.i)


@dataclass
class Roles:
    actors: list[int] = field(default_factory=list)
    recipients: list[int] = field(default_factory=list)
    modifier_only: bool = False  # every party came from a modifier ("a NATO summit")

    def add(self, role: str, found: Iterable[int]) -> None:
        target = self.actors if role == "actor" else self.recipients
        target.extend(m for m in found if m not in target)


def index_mentions(doc: Doc, mentions: Sequence[Actor], base: int) -> Mentions:
    """Maps each mention onto its tokens; a mention nested in another (by characters, or a
    country modifying a person or organisation: "Russian Foreign Minister Sergey Lavrov")
    is folded into the outer one."""
    spans = [(a.span.start - base, a.span.end - base) for a in mentions if a.span]
    actors = [a for a in mentions if a.span]
    owner = list(range(len(actors)))
    for i, (s, e) in enumerate(spans):
        for j, (s2, e2) in enumerate(spans):
            if i != j and s2 <= s and e <= e2 and (s2, e2) != (s, e):
                owner[i] = j
    token_of: dict[int, int] = {}
    for i, (s, e) in enumerate(spans):
        for tok in doc:
            if tok.idx < e and tok.idx + len(tok.text) > s and not tok.is_space:
                token_of.setdefault(tok.i, owner[i])
    _fold_modifiers(doc, actors, token_of)
    return Mentions(actors, token_of)


def _fold_modifiers(doc: Doc, actors: list[Actor], token_of: dict[int, int]) -> None:
    """A country mention that modifies a person/organisation token belongs to that actor."""
    for tok in doc:
        m = token_of.get(tok.i)
        if m is None or actors[m].kind != "country" or tok.dep_ not in MODIFIERS:
            continue
        head = token_of.get(tok.head.i)
        if head is not None and head != m and actors[head].kind != "country":
            for i, owner in list(token_of.items()):
                if owner == m:
                    token_of[i] = head


def gather(tokens: Iterable[Token], idx: Mentions, preps: frozenset[str] = NP_PREPS) -> list[int]:
    """Mentions in the noun phrases headed by ``tokens`` (conjuncts, appositions, modifiers,
    "of"/"including" phrases and "consisting of" lists), in text order."""
    found: dict[int, int] = {}
    stack = list(tokens)
    seen: set[int] = set()
    while stack:
        tok = stack.pop()
        if tok.i in seen:
            continue
        seen.add(tok.i)
        m = idx.at(tok)
        if m is not None:
            found.setdefault(m, tok.i)
        for child in tok.children:
            if child.dep_ in FOLLOW:
                stack.append(child)
            elif child.dep_ == "prep" and child.lower_ in preps:
                stack.extend(pobjs(child))
            elif child.dep_ in ("acl", "relcl") and child.lemma_ in GROUP_VERBS:
                stack.extend(_objects_of(child))
    return sorted(found, key=found.__getitem__)


def pobjs(prep: Token) -> list[Token]:
    """Objects of a preposition; a participle the parser made its object ("with visiting
    Russian Deputy Foreign Minister X") stands for its own object."""
    out = []
    for c in prep.children:
        if c.dep_ == "pobj":
            out.append(c)
        elif c.dep_ == "pcomp":
            out.append(c)
            out.extend(g for g in c.children if g.dep_ == "dobj")
    return out


def _objects_of(verb: Token) -> list[Token]:
    out = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
    for c in verb.children:
        if c.dep_ == "prep":
            out.extend(pobjs(c))
    return out


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _preps(tok: Token) -> list[tuple[str, list[Token]]]:
    return [(c.lower_, pobjs(c)) for c in tok.children if c.dep_ == "prep"]


# ------------------------------------------------------------------ verbs

def verb_roles(tok: Token, sense: Sense, idx: Mentions, agents: frozenset[str],
               attributive: frozenset[str] = frozenset()) -> Roles:
    roles = Roles()
    if _attributive(tok, attributive):  # "visiting Kenyan President Kibaki" is the visitor
        roles.add("actor", gather(_children(tok, "dobj"), idx))
        return roles
    roles.add("actor", _subject(tok, idx, agents))
    for agent in _children(tok, "agent"):
        roles.add("actor", gather(pobjs(agent), idx))
    if not sense.topic_object:
        roles.add("recipient", gather(_children(tok, "dobj", "dative", "nsubjpass"), idx))
    _prep_recipients(tok, sense, idx, roles)
    for x in _children(tok, "xcomp"):
        if x.pos_ == "VERB":
            roles.add("recipient", gather(_children(x, "dobj"), idx))
            _prep_recipients(x, sense, idx, roles)
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        roles.add("recipient", gather([tok.head], idx))
    return roles


def _prep_recipients(tok: Token, sense: Sense, idx: Mentions, roles: Roles) -> None:
    for prep, objs in _preps(tok):
        if prep in sense.rprep or (sense.sym and prep in ("with", "between", "among")):
            roles.add("recipient", gather(objs, idx))


def _subject(tok: Token, idx: Mentions, agents: frozenset[str], depth: int = 0) -> list[int]:
    """The subject's mentions; climbs to the governing verb for xcomp/conj/advcl clauses
    (object control: "urged Y to meet X" -> Y) and to the head noun of relative clauses
    ("X, who threatened ...", "the first Libyan head of government to visit Croatia")."""
    subj = _children(tok, "nsubj", "csubj")
    if subj and subj[0].lower_ in REL_PRONOUNS and tok.dep_ == "relcl":
        return agentive([tok.head], idx, agents)
    if subj:
        return agentive(subj, idx, agents)
    if tok.dep_ in ("acl", "relcl") and tok.tag_ != "VBN":
        return agentive([tok.head], idx, agents)
    if depth >= 3 or tok.dep_ not in ("xcomp", "conj", "advcl"):
        return []
    head = tok.head
    if tok.dep_ == "xcomp" and _children(head, "dobj"):
        return agentive(_children(head, "dobj"), idx, agents)
    return _subject(head, idx, agents, depth + 1)


def agentive(heads: list[Token], idx: Mentions, agents: frozenset[str]) -> list[int]:
    """Mentions of a subject phrase. Where the head noun is not itself an actor, a mention
    modifying it counts only when the head can act ("Russian troops", "the Afghan side"),
    not for "a row over Russian gas imports that threatened ..."."""
    out: list[int] = []
    for head in heads:
        for tok in [head, *(c for c in head.children if c.dep_ == "conj")]:
            if idx.at(tok) is None and tok.pos_ in ("NOUN",) \
                    and tok.lemma_.lower() not in agents:
                continue
            out.extend(m for m in gather([tok], idx) if m not in out)
    return out


# ------------------------------------------------------------------ nouns

def noun_roles(tok: Token, sense: Sense, idx: Mentions, light: frozenset[str],
               hosts: frozenset[str], agents: frozenset[str]) -> Roles:
    roles = Roles()
    roles.add("actor", gather(_children(tok, *MODIFIERS), idx, frozenset()))
    from_modifiers = len(roles.actors)
    if sense.sym:
        roles.add("actor", gather(_children(tok, "appos"), idx))
    for child in _children(tok, "acl"):
        if child.lemma_ in GROUP_VERBS:
            roles.add("actor", gather(_objects_of(child), idx))
    for prep, objs in _preps(tok):
        _noun_prep(prep, objs, sense, idx, roles)
    _governor_roles(tok, sense, idx, roles, (light, hosts, agents))
    roles.modifier_only = bool(from_modifiers) and \
        len(roles.actors) + len(roles.recipients) == from_modifiers
    return roles


def governed_roles(gov: Token, embedded: Roles, idx: Mentions, agents: frozenset[str]) -> Roles:
    """Roles of an event coded from its governing verb: that verb's subject acts; the
    parties of the embedded event it refuses, demands or threatens are recipients."""
    roles = Roles()
    roles.add("actor", _subject(gov, idx, agents))
    if not roles.actors:
        return embedded
    roles.add("recipient", [m for m in embedded.actors + embedded.recipients
                            if m not in roles.actors])
    roles.add("recipient", gather(_children(gov, "dobj"), idx))
    return roles


def _noun_prep(prep: str, objs: list[Token], sense: Sense, idx: Mentions, roles: Roles) -> None:
    found = gather(objs, idx)
    if prep == "by" or (sense.sym and prep in ("between", "among")):
        roles.add("actor", found)
    elif prep == "of":
        roles.add("recipient" if sense.of == "recipient" else "actor", found)
    elif prep == "with":
        roles.add("actor" if sense.sym else "recipient", found)
    elif prep in sense.rprep:
        roles.add("recipient", found)
    elif sense.sym and prep not in TOPIC_PREPS:
        # a person or organisation attached by a stray preposition is a participant (the
        # parser often hangs a long title chain on "for": "... for Afghanistan Zamir Kabulov")
        roles.add("actor", [m for m in found if idx.actors[m].kind != "country"])


def _governor_roles(tok: Token, sense: Sense, idx: Mentions, roles: Roles,
                    words: tuple[frozenset[str], frozenset[str], frozenset[str]]) -> None:
    """"X held talks with Y", "Doha hosts a meeting of A, B, C", "X engaged in talks"."""
    light, hosts, agents = words
    verb = _light_governor(tok, light)
    if verb is None or not sense.light:
        return
    subj = _subject(verb, idx, agents)
    if verb.lemma_ not in hosts or len(roles.actors) < 2:
        roles.add("actor", subj)
    for agent in _children(verb, "agent"):
        roles.add("actor", gather(pobjs(agent), idx))
    for prep, objs in _preps(verb):
        if prep in ("with", "between", "among") and sense.sym:
            roles.add("actor", gather(objs, idx))
        elif prep in sense.rprep or prep == "with":
            roles.add("recipient", gather(objs, idx))


def _light_governor(tok: Token, light: frozenset[str]) -> Token | None:
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX") \
            and head.lemma_ in light:
        return head
    if tok.dep_ == "pobj" and head.lower_ in ("in", "into") \
            and head.head.lemma_ in PARTICIPATE:
        return head.head
    return None


def phrase(tok: Token) -> list[Token]:
    """The trigger's own phrase: its subtree without subject or embedded clauses, plus
    the light verb it is the object of (mode and context cues are read here)."""
    skip = {"nsubj", "nsubjpass", "csubj", "ccomp", "advcl", "parataxis", "relcl"}
    out = [tok]
    stack = [c for c in tok.children if c.dep_ not in skip]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("ccomp", "parataxis", "relcl"))
    if tok.dep_ in ("dobj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
        out.append(tok.head)
    return out


def subject_heads(tok: Token) -> list[Token]:
    """Head words of the subject ("jets" in "Israeli jets bombed"): a mode cue, not a phrase."""
    heads = [c for c in tok.children if c.dep_ in ("nsubj", "agent")]
    return heads + [g for h in heads for g in h.children if g.dep_ in ("conj", "pobj")]


def _attributive(tok: Token, forms: frozenset[str]) -> bool:
    """A participle used as an adjective right before its noun ("told visiting Kenyan
    President Kibaki"), which the parser took for a verb with an object."""
    kids = list(tok.children)
    objs = [c for c in kids if c.dep_ == "dobj"]
    return (tok.lower_ in forms and tok.dep_ not in ("ROOT", "conj", "advcl", "acl", "relcl")
            and not any(c.dep_ in ("nsubj", "aux", "auxpass") for c in kids)
            and len(objs) == 1 and objs[0].left_edge.i == tok.i + 1)
