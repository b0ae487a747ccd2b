"""Who did what to whom: actors and recipients of a trigger from the dependency parse.

Actor mentions (from the actors stage) are mapped onto the tokens of the sentence's Doc;
roles are then read off the trigger's dependents: subject / agent -> actor, object and
role prepositions -> recipient, "between X and Y" / "X and Y met" -> all actors. Nominal
triggers take their own modifiers ("Taliban capture", "talks between ...", "a meeting of
... consisting of A-B-C-D") and, under a light verb, the verb's subject ("X held talks").
A personal pronoun in a reported clause stands for the subject of the reporting clause
("Israel announced it would free ...", "Obama said he would not ...").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eventwire.model import Actor
from eventwire.stages.events.lexicon import Lexicon, Sense

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

FOLLOW = frozenset({"conj", "appos", "compound", "amod", "poss", "nmod", "nummod"})
MODIFIERS = frozenset({"compound", "amod", "poss", "nmod"})
NP_PREPS = frozenset({"of", "including", "between", "among", "with"})
TOPIC_PREPS = frozenset({"on", "about", "over", "regarding", "concerning", "in", "at",
                         "during", "after", "before", "since", "until", "amid", "despite",
                         "into", "under", "within", "near", "across", "through", "throughout",
                         "following", "as", "like"})
REL_PRONOUNS = frozenset({"which", "who", "that", "whom"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
HUMAN = frozenset({"he", "she", "him", "her", "his"})  # a person, never a state or body
NON_HUMAN = frozenset({"it", "its"})
PERSONAL = FIRST_PERSON | {"he", "she", "it", "they", "him", "her", "them", "his", "its",
                           "their"}
SUBJECTS = ("nsubj", "csubj")
# an adverbial clause with one of these marks has a subject of its own, even unexpressed
OWN_SUBJECT_MARKS = frozenset({"whether", "if", "as", "because", "while", "when", "although",
                               "though", "since", "unless", "until", "once", "whereas"})


@dataclass(frozen=True)
class Words:
    """The word classes argument reading needs, from the cue tables (loaded once)."""

    lex: Lexicon
    light: frozenset[str]
    hosts: frozenset[str]
    agents: frozenset[str]
    attributive: frozenset[str]
    participate: frozenset[str]
    group: frozenset[str]
    travel: frozenset[str]
    agreeing: frozenset[str]
    not_party: frozenset[str]
    roles: frozenset[str]
    undoing: frozenset[str]
    undoing_verbs: frozenset[str]
    reporting: frozenset[str]
    event_nouns: frozenset[str]

    @classmethod
    def of(cls, lex: Lexicon) -> Words:
        return cls(lex, lex.words("light_verbs", "lemmas"), lex.words("hosts", "lemmas"),
                   lex.words("agents", "nouns"), lex.words("attributive", "forms"),
                   lex.words("verb_classes", "participate"), lex.words("verb_classes", "group"),
                   lex.words("verb_classes", "travel"), lex.words("verb_classes", "agree"),
                   lex.words("not_party", "heads"),
                   lex.words("role_nouns", "nouns"), lex.words("undoing", "nouns"),
                   lex.words("undoing", "verbs"), lex.words("reporting", "verbs"),
                   lex.words("event_nouns", "nouns"))

    def lemma(self, tok: Token) -> str:
        return self.lex.lemma(tok)


@dataclass
class Mentions:
    """Actor mentions of one sentence and the tokens each covers."""

    actors: list[Actor]
    token_of: dict[int, int]
    words: Words | None = None

    def at(self, token: Token) -> int | None:
        return self.token_of.get(token.i)

    def tokens(self, m: int) -> list[int]:
        return [i for i, owner in self.token_of.items() if owner == m]


@dataclass
class Roles:
    actors: list[int] = field(default_factory=list)
    recipients: list[int] = field(default_factory=list)
    modifier_only: bool = False  # every party came from a modifier ("a NATO summit")
    missing_party: bool = False  # a subject that names nobody we know ("we", "the sides")
    counterparts: list[int] = field(default_factory=list)  # from "with ...": the other side

    def one_sided(self) -> bool:
        """Every party is a "with" counterpart of someone we could not name ("We've begun
        negotiations with Turkey and Croatia", "a meeting with Olmert and Peretz was
        scheduled": not Turkey-Croatia or Olmert-Peretz talks)."""
        parties = set(self.actors) | set(self.recipients)
        return bool(parties) and parties <= set(self.counterparts)

    def add(self, role: str, found: Iterable[int]) -> None:
        target = self.actors if role == "actor" else self.recipients
        target.extend(m for m in found if m not in target)


def index_mentions(doc: Doc, mentions: Sequence[Actor], base: int,
                   words: Words | None = None) -> Mentions:
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
    offsets = [(t.idx, t.idx + len(t.text), t.i) for t in doc if not t.is_space]
    for i, (s, e) in enumerate(spans):
        for start, end, k in offsets:
            if start < e and end > s:
                token_of.setdefault(k, owner[i])
    _fold_modifiers(doc, actors, token_of)
    return Mentions(actors, token_of, words)


def _fold_modifiers(doc: Doc, actors: list[Actor], token_of: dict[int, int]) -> None:
    """A country or international organisation mention that modifies a person or
    organisation token of its own (or no) code belongs to that actor ("UN mission chief
    Martin": one party; not "US" in "US and British activists"); a bare group noun after
    a named group is that group ("Tamil Tiger rebels": one party)."""
    _fold_bare_heads(doc, actors, token_of)
    for i in list(token_of):
        tok = doc[i]
        m = token_of.get(tok.i)
        if m is None or actors[m].kind not in ("country", "igo") or tok.dep_ not in MODIFIERS:
            continue
        head = token_of.get(tok.head.i)
        if head is not None and head != m and actors[head].kind != "country" \
                and actors[head].code in (None, actors[m].code):
            for i, owner in list(token_of.items()):
                if owner == m:
                    token_of[i] = head


def _fold_bare_heads(doc: Doc, actors: list[Actor], token_of: dict[int, int]) -> None:
    for i in list(token_of):
        tok = doc[i]
        m, head = token_of.get(tok.i), token_of.get(tok.head.i)
        if m is None or head is None or m == head or tok.dep_ not in MODIFIERS:
            continue
        bare = actors[head]
        if bare.kind == "group" and bare.code is None and actors[m].kind != "country":
            for i, owner in list(token_of.items()):
                if owner == head:
                    token_of[i] = m


def gather(tokens: Iterable[Token], idx: Mentions, preps: frozenset[str] = NP_PREPS) -> list[int]:
    """Mentions in the noun phrases headed by ``tokens`` (conjuncts, appositions, modifiers,
    "of"/"including" phrases, "consisting of" lists, "officials from X"), in text order.
    A mention is one unit: every token of it is followed, however the parser split it.
    A personal pronoun stands for its antecedent (see :func:`antecedent`)."""
    words = idx.words
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
            stack.extend(tok.doc[i] for i in idx.tokens(m))
        elif tok.lower_ in PERSONAL and tok.pos_ == "PRON":
            for a in antecedent(tok, idx):
                found.setdefault(a, tok.i)
        stack.extend(_followed(tok, idx, words, preps))
    return sorted(found, key=found.__getitem__)


def _followed(tok: Token, idx: Mentions, words: Words | None,
              preps: frozenset[str]) -> list[Token]:
    out: list[Token] = []
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ == "poss" and tok.dep_ == "appos":
            continue  # "Kony, the president's adviser": the president is someone else
        if child.dep_ in FOLLOW:
            if words and lemma in words.not_party and child.dep_ in MODIFIERS \
                    and idx.at(tok) is None:
                continue  # "U.S. dollars", "Beijing time": not a party
            out.append(child)
        elif child.dep_ == "prep" and (child.lower_ in preps or (
                child.lower_ == "from" and words is not None and lemma in words.agents
                and tok.pos_ == "NOUN")):
            out.extend(pobjs(child))  # "ministers from the Georgian government"
        elif child.dep_ in ("acl", "relcl") and words and words.lemma(child) in words.group:
            out.extend(_objects_of(child))
    return out


def antecedent(pron: Token, idx: Mentions) -> list[int]:
    """Mentions a personal pronoun stands for, agreeing with it (see :func:`_agreeing`).
    A possessive inside a clause with its own subject stands for that subject ("X said
    those suing had dropped their lawsuits"); otherwise the pronoun stands for the subject
    of the clause that reports its clause ("Israel announced it would free ...") or that it
    is coordinated with. A third-person
    pronoun needs that clause before it ("They attacked the convoy, police said": not the
    police); a first-person one is the speaker either way. Nothing inside relative or
    adverbial clauses, nor when that subject is itself a pronoun."""
    plain = Mentions(idx.actors, idx.token_of)
    own = _own_subject(pron)
    if own is not None:
        found = [] if own.pos_ == "PRON" else gather([own], plain)
        if not found or _agreeing(pron, found, idx):
            return _agreeing(pron, found, idx)
        # "Iran pledged aid to his government": "his" is not Iran's; look further up
    cur = pron
    for _ in range(12):
        if cur.dep_ in ("relcl", "acl", "advcl") or cur.head.i == cur.i:
            return []
        if cur.dep_ in ("ccomp", "parataxis", "conj") and cur.pos_ in ("VERB", "AUX"):
            subj = _children(cur.head, *SUBJECTS)
            if not subj or subj[0].pos_ == "PRON" or (
                    pron.lower_ not in FIRST_PERSON and subj[0].i > pron.i):
                return []
            return _agreeing(pron, gather(subj, plain), idx)
        cur = cur.head
    return []


def _agreeing(pron: Token, found: list[int], idx: Mentions) -> list[int]:
    """"he"/"his" stand for persons, "it"/"its" for anything but a person."""
    word = pron.lower_
    if word in HUMAN:
        return [m for m in found if idx.actors[m].kind == "person"]
    if word in NON_HUMAN:
        return [m for m in found if idx.actors[m].kind != "person"]
    return found


def _own_subject(pron: Token) -> Token | None:
    """The subject of a possessive's own clause, when the possessive is not part of it."""
    if pron.dep_ != "poss":
        return None
    verb = pron.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subj = _children(verb, *SUBJECTS)
    if not subj or subj[0].left_edge.i <= pron.i <= subj[0].right_edge.i:
        return None
    return subj[0]


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
    """(preposition, objects) of a token; "to X" after an object is often a "dative"."""
    return [(c.lower_, pobjs(c)) for c in tok.children
            if c.dep_ == "prep" or (c.dep_ == "dative" and c.pos_ == "ADP")]


def passive(tok: Token) -> bool:
    """A passive verb, also the elliptical second one of "one was killed and nine
    wounded"."""
    if any(c.dep_ == "auxpass" for c in tok.children):
        return True
    return (tok.tag_ == "VBN" and tok.dep_ == "conj" and tok.head.pos_ == "VERB"
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
            and any(c.dep_ == "auxpass" for c in tok.head.children))


# ------------------------------------------------------------------ verbs

def verb_roles(tok: Token, sense: Sense, idx: Mentions, words: Words) -> Roles:
    roles = Roles()
    if _attributive(tok, words.attributive):  # "visiting Kenyan President Kibaki" visits
        roles.add("actor", gather(_children(tok, "dobj"), idx))
        return roles
    subject = _subject(tok, idx, words)
    if sense.reverse:  # "Y received weapons from X": X gives, Y receives
        for holder in [tok, *_children(tok, "dobj")]:  # the parser may hang "from" on either
            for prep, objs in _preps(holder):
                if prep == "from":
                    roles.add("actor", gather(objs, idx))
        roles.add("recipient", subject)
        return roles
    # a passive verb that borrows its subject ("... imprisoned and were released by Putin")
    # borrows the patient, not the agent
    roles.add("recipient" if passive(tok) else "actor", subject)
    roles.missing_party = not subject and bool(_children(tok, *SUBJECTS))
    for agent in _children(tok, "agent"):
        roles.add("actor", agentive(pobjs(agent), idx, words))
    objects = _children(tok, "dobj", "dative", "nsubjpass")
    if not sense.topic_object and not sense.obj_thing:
        for obj in objects:  # "condemned the murder of Gemayel": the victim is no recipient
            preps = NP_PREPS - {"of"} if obj.lemma_.lower() in words.event_nouns else NP_PREPS
            roles.add("recipient", gather([obj], idx, preps))
    for obj in objects:  # "lifted the sanctions on Iran"
        for prep, objs in _preps(obj):
            if prep in sense.obj_rprep:
                roles.add("recipient", gather(objs, idx))
    _prep_recipients(tok, sense, idx, roles)
    if sense.sym and not sense.topic_object and objects and not gather(objects, idx):
        # "Labour and the Conservatives are telephoning millions of people": the other side
        # is nobody we know, and the subjects are not each other's
        roles.missing_party = True
        roles.counterparts.extend(roles.actors)
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
            found = gather(objs, idx)
            roles.add("recipient", found)
            if prep == "with":
                roles.counterparts.extend(found)


def subject_of(verb: Token, idx: Mentions, words: Words) -> list[int]:
    return _subject(verb, idx, words)


def _subject(tok: Token, idx: Mentions, words: Words, depth: int = 0) -> list[int]:
    """The subject's mentions; climbs to the governing verb for xcomp/conj/advcl clauses
    (object control: "urged Y to meet X" -> Y; passive control: "X is scheduled to attend"
    -> X) and to the head noun of relative clauses ("X, who threatened ...", "the first
    Libyan head of government to visit Croatia")."""
    subj = _children(tok, *SUBJECTS)
    if subj and subj[0].lower_ in REL_PRONOUNS and tok.dep_ == "relcl":
        return agentive([tok.head], idx, words)
    if subj:
        return agentive(subj, idx, words)
    if tok.dep_ in ("acl", "relcl") and tok.tag_ != "VBN":
        return agentive([tok.head], idx, words)
    if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and depth < 3:
        # "..., Merkel said after meeting Clark": the subject of the verb the phrase modifies;
        # "thanked Chirac for not supporting ...", "accused X of attacking": its object
        verb = tok.head.head
        if tok.head.lower_ in ("for", "of") and _children(verb, "dobj"):
            return agentive(_children(verb, "dobj"), idx, words)
        return _subject(verb, idx, words, depth + 1)
    if depth >= 3 or tok.dep_ not in ("xcomp", "conj", "advcl", "acomp"):
        return []
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in OWN_SUBJECT_MARKS
                                   for c in tok.children):
        return []  # "... speaking as the Council debates whether to impose": not the speaker
    head = tok.head
    if tok.dep_ == "xcomp" and _children(head, "dobj"):
        return agentive(_children(head, "dobj"), idx, words)
    if tok.dep_ == "xcomp" and _children(head, "nsubjpass"):
        return agentive(_children(head, "nsubjpass"), idx, words)
    return _subject(head, idx, words, depth + 1)


def agentive(heads: list[Token], idx: Mentions, words: Words) -> list[int]:
    """Mentions of a subject phrase. Where the head noun is not itself an actor, a mention
    modifying it counts only when the head can act ("Russian troops", "the Afghan side"),
    not for "a row over Russian gas imports that threatened ..." or "killed by the
    Malaysia Airlines crash"."""
    out: list[int] = []
    for head in heads:
        for tok in [head, *(c for c in head.children if c.dep_ == "conj")]:
            if idx.at(tok) is None and tok.pos_ == "NOUN" \
                    and tok.lemma_.lower() not in words.agents:
                continue
            out.extend(m for m in gather([tok], idx) if m not in out)
    return out


# ------------------------------------------------------------------ nouns

def noun_roles(tok: Token, sense: Sense, idx: Mentions, words: Words) -> Roles:
    roles = Roles()
    modifiers = _children(tok, *MODIFIERS)
    if sense.poss == "recipient":  # "Voninahitsy's arrest": the one arrested
        persons = [m for m in gather([c for c in modifiers if c.dep_ == "poss"], idx)
                   if idx.actors[m].kind == "person"]
        roles.add("recipient", persons)
        modifiers = [c for c in modifiers if c.dep_ != "poss" or not persons]
    roles.add("actor", gather(modifiers, idx, frozenset()))
    from_modifiers = len(roles.actors)
    if sense.sym:  # "the talks, the first between A and B"; a country there is the venue
        roles.add("actor", [m for m in gather(_children(tok, "appos"), idx)
                            if idx.actors[m].kind != "country"])
    for child in _children(tok, "acl"):
        if words.lemma(child) in words.group:
            roles.add("actor", gather(_objects_of(child), idx))
    for prep, objs in _preps(tok):
        _noun_prep(prep, objs, sense, idx, roles)
    _governor_roles(tok, sense, idx, roles, words)
    roles.modifier_only = bool(from_modifiers) and \
        len(roles.actors) + len(roles.recipients) == from_modifiers
    return roles


def governed_roles(gov: Token, embedded: Roles, idx: Mentions, words: Words,
                   addressee: bool = True) -> Roles:
    """Roles of an event coded from its governing verb: that verb's subject acts. Whom
    it addresses ("urged Israel to ...", "called on Russia to ...") is the recipient; with
    nobody addressed, the parties of the embedded event it refuses, demands or threatens
    are ("called for talks between X and Y")."""
    roles = Roles()
    roles.add("actor", _subject(gov, idx, words))
    if not roles.actors:  # "Congress is asking Obama to help Iran": not Obama's request
        return roles
    addressed = _children(gov, "dobj", "dative") if addressee else []
    addressed += [o for prep, objs in _preps(gov) if addressee and prep in ("on", "upon", "to")
                  for o in objs]
    if addressed:
        roles.add("recipient", [m for m in gather(addressed, idx) if m not in roles.actors])
    else:
        roles.add("recipient", [m for m in embedded.actors + embedded.recipients
                                if m not in roles.actors])
    return roles


def _noun_prep(prep: str, objs: list[Token], sense: Sense, idx: Mentions, roles: Roles) -> None:
    found = gather(objs, idx)
    if prep == "by" or (sense.sym and prep in ("between", "among")):
        roles.add("actor", found)
    elif prep == "of":
        roles.add("recipient" if sense.of == "recipient" else "actor", found)
    elif prep == "with" and (sense.sym or prep in sense.rprep):
        roles.add("actor" if sense.sym else "recipient", found)
        roles.counterparts.extend(found)
    elif prep in sense.rprep:
        roles.add("recipient", found)
    elif sense.sym and prep not in TOPIC_PREPS:
        # a person or organisation attached by a stray preposition is a participant (the
        # parser often hangs a long title chain on "for": "... for Afghanistan Zamir Kabulov")
        roles.add("actor", [m for m in found if idx.actors[m].kind != "country"])


def _governor_roles(tok: Token, sense: Sense, idx: Mentions, roles: Roles,
                    words: Words) -> None:
    """"X held talks with Y", "Doha hosts a meeting of A, B, C", "X engaged Y in talks",
    "X arrived in Jordan for talks with Y"."""
    verb = _light_governor(tok, words, sense.sym and sense.type == "CONSULT", sense.sym)
    if verb is None or not sense.light:
        return
    subj = _subject(verb, idx, words)
    if passive(verb):  # "talks were held by X": the agent acts
        subj = []
    elif not subj and _children(verb, *SUBJECTS):
        roles.missing_party = True
    if words.lemma(verb) not in words.hosts or len(roles.actors) < 2:
        roles.add("actor", subj)
    for agent in _children(verb, "agent"):
        roles.add("actor", agentive(pobjs(agent), idx, words))
    if sense.sym and words.lemma(verb) in words.participate:  # "engaged Y in a firefight"
        roles.add("actor", gather(_children(verb, "dobj"), idx))
    for prep, objs in _preps(verb):
        found = gather(objs, idx)
        if prep == "with":
            roles.counterparts.extend(found)
        if prep in ("with", "between", "among") and sense.sym:
            roles.add("actor", found)
        elif prep in sense.rprep or prep == "with":
            roles.add("recipient", found)


def _light_governor(tok: Token, words: Words, meeting: bool = False,
                    mutual: bool = False) -> Token | None:
    """The verb whose subject takes part in a nominal trigger: "X held talks", "X engaged
    in talks", "X arrived for / after talks", "X said during talks with Y" (meetings), "X
    and Y agreed on a ceasefire" (reciprocal acts only: who agrees to demands did not make
    them)."""
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX") \
            and words.lemma(head) in words.light:
        return head
    if tok.dep_ != "pobj":
        return None
    verb = head.head
    prep = head.lower_
    if prep in ("in", "into") and words.lemma(verb) in words.participate:
        return verb
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if prep in ("for", "after", "following", "from", "before") \
            and words.lemma(verb) in words.travel:
        return verb
    if mutual and prep in ("on", "upon", "to") and words.lemma(verb) in words.agreeing:
        return verb  # "X and Y agreed on a ceasefire", "X agreed to talks with Y"
    if meeting and prep in ("during", "at") and (
            words.lemma(verb) in words.light or words.lemma(verb) in words.reporting):
        return verb  # "Putin said during talks with Xi", "made at a meeting with"
    return None


def undone(tok: Token, words: Words) -> bool:
    """A nominal trigger that another word ends or undoes ("a gradual lifting of UN
    sanctions", "an end to the embargo", "plans to end the embargo"): a mention, not a new
    event."""
    head = tok.head
    if tok.pos_ == "VERB":
        return False
    if tok.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB":  # "to end the embargo"
        return words.lemma(head) in words.undoing_verbs
    return (tok.dep_ == "pobj" and head.lower_ in ("of", "to")
            and head.head.pos_ == "NOUN" and head.head.lemma_.lower() in words.undoing)


def role_complement(tok: Token, words: Words) -> bool:
    """A nominal trigger that only says what a person's role is about ("the EU
    representative to the Kosovo talks", "delegates at the summit"): not an event."""
    prep = tok.head
    return (tok.pos_ != "VERB" and tok.dep_ == "pobj" and prep.dep_ == "prep"
            and prep.lower_ in ("to", "at", "in", "for", "on")
            and prep.head.pos_ in ("NOUN", "PROPN")
            and prep.head.lemma_.lower() in words.roles)


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
    return (tok.lower_ in forms
            and tok.dep_ not in ("ROOT", "conj", "advcl", "acl", "relcl", "pcomp")
            and not any(c.dep_ in ("nsubj", "aux", "auxpass") for c in kids)
            and len(objs) == 1 and objs[0].left_edge.i == tok.i + 1)
