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
from eventwire.stages.events.lexicon import Lexicon, Sense, verbal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_WORD = re.compile(r"[a-z][a-z\-]*")
CORE_NOUN_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "attr"})
PURPOSE_PREPS = frozenset({"for", "into"})  # "left for talks", "entered into negotiations"
GOVERNED_PREPS = frozenset({"on", "upon", "for", "to", "against", "with"})


def pick_sense(tok: Token, senses: Sequence[Sense]) -> Sense | None:
    """The first sense whose ``needs`` and ``obj`` conditions hold for this token."""
    for sense in senses:
        if sense.needs and not _has_need(tok, sense.needs):
            continue
        if sense.not_obj and _complement_lemmas(tok) & sense.not_obj:
            continue
        if sense.no_clause and _clause_complement(tok):
            continue
        if sense.named_pair and not _named_pair(tok):
            continue
        if sense.obj and not (_object_lemmas(tok) & sense.obj):
            continue
        return sense
    return None


def _named_pair(tok: Token) -> bool:
    """Two sides named on the trigger itself: coordinated subjects ("X and Y agreed") or a
    "with" object ("X agreed with Y")."""
    return any((c.dep_ in ("nsubj", "nsubjpass") and any(g.dep_ == "conj" for g in c.children))
               or (c.dep_ == "prep" and c.lower_ == "with") for c in tok.children)


def _clause_complement(tok: Token) -> bool:
    """A "that"-clause or other clausal complement ("conceded that he was concerned")."""
    return any(c.dep_ == "ccomp" for c in tok.children)


def _complement_lemmas(tok: Token) -> set[str]:
    """Lemmas of the object and of the verb complement ("refused to comment"); for a noun,
    of its modifiers ("press conference")."""
    deps = ("dobj", "xcomp", "nsubjpass", "prt") if verbal(tok) else ("compound", "amod")
    return {c.lemma_.lower() for c in tok.children if c.dep_ in deps}


def _has_need(tok: Token, needs: frozenset[str]) -> bool:
    words = {c.lower_ for c in tok.children} | {c.lemma_.lower() for c in tok.children}
    for c in tok.children:
        if c.dep_ in ("dobj", "prep", "xcomp"):
            words |= {g.lemma_.lower() for g in c.children}
        if c.dep_ == "xcomp":
            words.add("to")
        if c.dep_ == "ccomp":  # "agreed that ...": the clause's opening word
            words |= {g.lower_ for g in c.children if g.dep_ == "mark"}
    return bool(words & needs)


def _object_lemmas(tok: Token) -> set[str]:
    if verbal(tok):
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        if not objs and tok.dep_ == "acl" and tok.tag_ == "VBN":
            objs = [tok.head]  # "the agreement signed by the US and the Philippines"
        if not objs and tok.dep_ == "conj" and any(c.dep_ == "auxpass" for c in tok.children):
            # "... imprisoned for ... were released by Putin": the borrowed subject
            objs = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for c in tok.children:
            if c.dep_ == "xcomp":
                objs.extend(g for g in c.children if g.dep_ == "dobj")
    else:  # a noun's compound, its "of" object and what it is "on"/"against"
        objs = [c for c in tok.children if c.dep_ in ("compound",)]
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "on", "against"):
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
    becomes: dict[str, str]
    min_parties: int = 0

    def type_for(self, embedded: str) -> str:
        """The coded type: the governor's, or a type of its own for some embedded types
        ("agreed to withdraw" -> CONCEDE, "vowed to attack" -> THREATEN)."""
        return self.becomes.get(embedded, self.type)


def governor(tok: Token, lex: Lexicon, embedded: str) -> Governor | None:
    """A verb like "agree"/"refuse"/"threaten" whose complement is this trigger:
    "agreed to meet" (xcomp), "refused talks" (dobj), "called for talks" (pobj). An entry
    with ``only`` governs only those embedded types ("wants to help" -> AGREE)."""
    table: dict[str, Any] = lex.cues.get("governing", {})
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in GOVERNED_PREPS:
        head = head.head  # "agreed on a ceasefire", "called for talks"; not "at the summit"
    elif tok.dep_ not in ("xcomp", "dobj", "ccomp"):
        return None
    if head.i == tok.i or head.pos_ not in ("VERB", "ADJ"):
        return None
    spec = table.get(lex.lemma(head))
    if spec is None or (spec.get("only") and embedded not in spec["only"]):
        return None
    if tok.dep_ == "ccomp" and not spec.get("clausal"):
        return None
    return Governor(head, spec["type"], dict(spec.get("modes", {})),
                    dict(spec.get("becomes", {})), int(spec.get("min_parties", 0)))


def refusal(tok: Token, lex: Lexicon) -> Token | None:
    """The verb of a negated future on the trigger's chain ("will not meet", "would not
    provide"): a refusal when the trigger is cooperative (see ``[refusal]`` in cues.toml)."""
    aux = lex.words("refusal", "aux")
    for t in _chain(tok, lex.words("reporting", "verbs"), lex):
        kids = {(c.dep_, c.lower_) for c in t.children}
        if any(d == "neg" for d, _ in kids) and any(d == "aux" and w in aux for d, w in kids):
            return t
    return None


# ------------------------------------------------------------------ modality

def _chain(tok: Token, reporting: frozenset[str], lex: Lexicon) -> list[Token]:
    """The trigger and the verbs above it, up to (and including) a reporting verb. A
    relative clause or a finite adverbial clause ("since Paris and Beijing established
    ties in 1964, ...") is its own clause: the walk stops there."""
    chain = [tok]
    cur = tok
    for _ in range(8):
        if cur.dep_ == "ROOT" or cur.head.i == cur.i:
            break
        if cur.pos_ in ("NOUN", "PROPN") and cur.dep_ == "pobj" and cur.i == tok.i and (
                cur.head.lower_ in PURPOSE_PREPS or (cur.head.lower_ == "in" and lex.lemma(
                    cur.head.head) in lex.words("verb_classes", "participate"))):
            # "are scheduled to visit Jordan for talks", "did not take part in the invasion"
            cur = cur.head
            continue
        if cur.pos_ in ("NOUN", "PROPN") and cur.dep_ not in CORE_NOUN_DEPS \
                and not verbal(cur):
            break
        if cur.i == tok.i and cur.dep_ in ("dobj", "nsubjpass") and not verbal(cur) \
                and lex.lemma(cur.head) not in _carriers(lex):
            break  # "will raise the incursions with the UN": the incursions are not future
        if cur.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to"
                                     for c in cur.children):
            chain.append(cur.head)  # "efforts to secure a condemnation": the effort's
            break
        if cur.dep_ in ("relcl", "acl") or _finite_adverbial(cur, lex):
            break  # "the merger, backed by the authorities, will allow": backing is asserted
        if cur.dep_ in ("conj", "appos"):
            cur = cur.head
            continue
        cur = cur.head
        chain.append(cur)
        if lex.lemma(cur) in reporting:
            break
    return chain


def _subject_of(below: Token, t: Token) -> bool:
    """The chain came up to ``t`` through its subject: "the summit failed to offer hope"
    negates the offer, not the summit."""
    return below.head.i == t.i and below.dep_ in ("nsubj", "csubj")


def _nonpast(t: Token) -> bool:
    """A present-tense verb or one with a present-tense auxiliary."""
    return t.tag_ in ("VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in t.children)


def reporter(tok: Token, lex: Lexicon) -> Token | None:
    """The reporting verb whose clause holds the trigger ("Hamas said it will attack")."""
    reporting = lex.words("reporting", "verbs")
    chain = _chain(tok, reporting, lex)
    return chain[-1] if len(chain) > 1 and lex.lemma(chain[-1]) in reporting else None


def _carriers(lex: Lexicon) -> frozenset[str]:
    """Verbs whose nominal object takes their modality: light verbs ("will hold talks"),
    governing verbs ("refused talks") and modality governors ("postponed the meeting")."""
    out = set(lex.words("light_verbs", "lemmas")) | set(lex.cues.get("governing", {}))
    for spec in lex.cues["modality"].values():
        if isinstance(spec, dict):
            out.update(spec.get("governors", ()))
    return frozenset(out)


def _finite_adverbial(tok: Token, lex: Lexicon) -> bool:
    marks = lex.words("modality", "clause_marks")
    return tok.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in marks for c in tok.children) and any(
        c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def modality(tok: Token, lex: Lexicon) -> str:
    """asserted, negated, hypothetical, future, historical or ongoing (first cue wins in
    the order of cues.toml, but a condition comes first: "if Damascus does not give ..."
    is hypothetical). "would" in a reported clause ("announced it would free") is the
    future seen from the report, not a condition."""
    reporting = lex.words("reporting", "verbs")
    chain = _chain(tok, reporting, lex)
    reported = len(chain) > 1 and lex.lemma(chain[-1]) in reporting
    marks = lex.words("modality", "hypothetical", "marks")
    if any(c.dep_ == "mark" and c.lower_ in marks for t in chain for c in t.children) \
            or _proposed(tok, lex):
        return "hypothetical"
    for name in lex.cues["modality"]["order"]:
        if _has_modality(name, tok, chain, lex, reported):
            return str(name)
    return "asserted"


def _proposed(tok: Token, lex: Lexicon) -> bool:
    """A nominal trigger that a speech noun asks or hopes for ("a call by rebels for talks",
    "the proposal of a summit"), up a chain of prepositional phrases."""
    nouns = lex.words("modality", "hypothetical", "nouns")
    cur = tok
    for _ in range(3):
        prep = cur.head
        if cur.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.pos_ != "NOUN":
            return False
        if prep.lower_ in ("for", "of") and prep.head.lemma_.lower() in nouns:
            return True
        cur = prep.head
    return False


def _has_modality(name: str, tok: Token, chain: list[Token], lex: Lexicon,
                  reported: bool = False) -> bool:
    spec: dict[str, Any] = dict(lex.cues["modality"][name])
    shifted = set(lex.cues["modality"]["future"].get("reported_aux", ())) if reported else set()
    spec["aux"] = (set(spec.get("aux", ())) - shifted) | (shifted if name == "future" else set())
    if reported:  # "Palestinian sources said they had arrested ...": reported, not history
        spec.pop("past_perfect", None)
    adjectives = set(spec.get("adjectives", ()))
    if any(c.dep_ == "amod" and (c.lemma_.lower() in adjectives or c.lower_ in adjectives)
           for c in tok.children):
        return True
    nouns = set(spec.get("nouns", ()))
    if nouns and any(t.pos_ == "NOUN" and t.lemma_.lower() in nouns for t in chain[1:]):
        return True  # "the accusation that he was killed by ...": a claim's content
    near = {g.lower_ for t in chain for c in t.children for g in (c, *c.children)}
    if near & set(spec.get("words", ())):
        return True
    if any(_cue_at(t, i > 0 and not _subject_of(chain[i - 1], t), spec, lex)
           for i, t in enumerate(chain)):
        return True
    if any(_cue_at(t.head, True, spec, lex) for t in chain if _shares_aux(t)):
        return True  # "will raise the incursions with the UN and ask its envoy to visit"
    # "are to hold a meeting", "is to visit"
    return name == "future" and any(t.dep_ == "xcomp" and t.head.lemma_ == "be" for t in chain)


def _shares_aux(t: Token) -> bool:
    """A coordinated verb without auxiliaries of its own shares its head's ("will raise
    ... and ask")."""
    return t.dep_ == "conj" and t.pos_ == "VERB" and t.head.pos_ == "VERB" and not any(
        c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in t.children)


def _cue_at(t: Token, above: bool, spec: dict[str, Any], lex: Lexicon) -> bool:
    """A modality cue on one token of the chain: its dependents, or (for tokens above the
    trigger) the token itself as a governing verb or adjective ("plans to", "unable to")."""
    kids = list(t.children)
    deps = {(c.dep_, c.lower_) for c in kids}
    if spec.get("neg_dep") and any(d == "neg" for d, _ in deps):
        return True
    for dep, key in (("det", "determiners"), ("aux", "aux"), ("mark", "marks")):
        if any(d == dep and w in spec.get(key, ()) for d, w in deps):
            return True
    if any(d == "mark" and w in spec.get("nonpast_marks", ()) for d, w in deps) \
            and _nonpast(t):
        return True  # "before a warrant is issued"
    if spec.get("nonpast_marks") and t.dep_ == "relcl" and _nonpast(t) \
            and t.head.lemma_.lower() in ("time", "day", "moment"):
        return True  # "by the time Hashimoto meets Clinton"
    if spec.get("nonpast_marks") and any(  # "the meeting, to be held on Monday"
            c.dep_ == "acl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            and any(g.dep_ == "auxpass" for g in c.children) for c in kids) and not above:
        return True
    lemma = lex.lemma(t)
    if above and t.lower_ in spec.get("governor_forms", ()):
        return True
    if above and lemma in set(spec.get("governors", ())) | set(spec.get("adjectives", ())):
        # "call" negates only as "call off"; another phrasal verb is another verb ("set up")
        particles = set(spec.get("particles", ()))
        if lemma == "call":
            if particles and any(d == "prt" and w in particles for d, w in deps):
                return True
        elif not any(d == "prt" for d, _ in deps):
            return True
    if spec.get("past_perfect") and t.tag_ == "VBN" and ("aux", "had") in deps:
        return True
    return bool(spec.get("progressive") and t.tag_ == "VBG"
                and any(c.dep_ == "aux" and c.lemma_ == "be" for c in kids))


# ------------------------------------------------------------------ dates in the clause

_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2})$")
YEAR_PREPS = frozenset({"in", "on", "during", "at"})


def reference_year(text: str, published: str | None) -> int | None:
    """The year the article speaks from: its publication year, else the latest year it
    mentions (None when it mentions none)."""
    if published and published[:4].isdigit():
        return int(published[:4])
    years = [int(y) for y in re.findall(r"\b(1[89][0-9]{2}|20[0-9]{2})\b", text)]
    return max(years) if years else None


def past_year(tok: Token, ref_year: int | None) -> bool:
    """The trigger's own clause dates it in a year before ``ref_year`` ("stormed Tiananmen
    Square on June 4, 1989", "established relations in 1964", "the 1994 genocide"): a
    historical event. Years deeper in an object ("a role in the 1994 genocide") don't."""
    if ref_year is None:
        return False
    top = _clause_verb(tok)
    anchors = {tok.i, top.i}
    if any(_dates(t, anchors) for t in top.subtree
           if _YEAR.match(t.text) and int(t.text) < ref_year):
        return True
    clause = top
    while clause.dep_ == "conj":
        clause = clause.head
    # "divided since 1974 when Turkey ... occupied the north": a clause about a past year
    return clause.dep_ in ("relcl", "advcl") and bool(_YEAR.match(clause.head.text)) \
        and int(clause.head.text) < ref_year


def _clause_verb(tok: Token) -> Token:
    cur = tok
    while cur.pos_ not in ("VERB", "AUX") and cur.dep_ in ("dobj", "pobj", "prep",
                                                          "nsubjpass", "nsubj"):
        cur = cur.head
    return cur if cur.pos_ in ("VERB", "AUX") else tok


def _dates(year: Token, anchors: set[int]) -> bool:
    cur = year
    if cur.dep_ in ("nummod", "compound", "amod") and cur.head.i in anchors:
        return True  # "the 1994 genocide" (the trigger itself)
    if cur.dep_ in ("nummod", "npadvmod", "appos", "conj") and cur.head.pos_ == "PROPN":
        cur = cur.head  # "June 4, 1989"
    if cur.dep_ == "npadvmod" and cur.head.i in anchors:
        return True
    return cur.dep_ == "pobj" and cur.head.lower_ in YEAR_PREPS and cur.head.head.i in anchors


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

SUBCLAUSES = frozenset({"relcl", "advcl", "ccomp", "parataxis", "acl"})


def sport(tokens: Iterable[Token], lex: Lexicon) -> bool:
    """Sport words: a strong one, or ``min_hits`` different ones."""
    spec: dict[str, Any] = lex.cues["domains"]["sport"]
    words = lemmas(tokens)
    if words & set(spec.get("strong", ())):
        return True
    return len(words & set(spec["words"])) >= int(spec.get("min_hits", 2))


def clause_of(tok: Token) -> list[Token]:
    """The trigger's own clause: its verb and everything below it but other clauses ("US
    activists staged a protest in Beijing" without "... the stadium where the Olympics
    will open")."""
    top = _clause_verb(tok)
    out, stack = [], [top]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in SUBCLAUSES or c.i == tok.i
                     or tok in c.subtree)
    return out


def sport_article(text: str, lex: Lexicon, title: str | None = None) -> bool:
    """A sport story: ``article_min_hits`` different sport words anywhere in the text, or
    a ``lead`` sport word ("soccer", "badminton") in the title or the first paragraph."""
    spec: dict[str, Any] = lex.cues["domains"]["sport"]
    lead = set(_WORD.findall(f"{title or ''} {text.lstrip().split(chr(10), 1)[0]}".lower()))
    if lead & set(spec.get("lead", ())):
        return True
    words = set(_WORD.findall(text.lower()))
    found = words & (set(spec["words"]) | set(spec.get("article_words", ())))
    return len(found) >= int(spec.get("article_min_hits", 4))


def business(doc: Doc, lex: Lexicon) -> bool:
    spec: dict[str, Any] = lex.cues["domains"]["business"]
    return len(lemmas(doc) & set(spec["words"])) >= int(spec.get("min_hits", 2))


def apolitical(parties: Sequence[Actor], lex: Lexicon) -> bool:
    """No party is a political one (see :func:`political`): a company's or a market's move."""
    return not any(political(a, lex) for a in parties)


def political(actor: Actor, lex: Lexicon) -> bool:
    spec: dict[str, Any] = lex.cues["domains"]["business"]
    if actor.sector:
        return actor.sector in spec["political_sectors"]
    return actor.kind in spec["political_kinds"]
