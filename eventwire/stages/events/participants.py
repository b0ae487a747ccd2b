"""Participants the text does not name: an unknown agent and the victims of an event noun.

"The radicals were arrested", "curfews were imposed", "two soldiers died in separate
attacks": the text names who was hit but not who acted. Such an event is coded with an
unknown actor (``Actor.unknown``; never an invented one) when its type may have one
(``data/events/participants.toml``) and its recipient is named. A subject the parser found
but no actor covers ("he", "the sides") is not unknown but unresolved: no event then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventwire.data import read_toml
from eventwire.ids import actor_key, group_key
from eventwire.model import Actor
from eventwire.stages.events import args as args
from eventwire.stages.events.lexicon import verbal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

DATA_FILE = "data/events/participants.toml"
UNKNOWN_KIND = "unknown"


@dataclass(frozen=True)
class Participants:
    """The rules of ``participants.toml``, loaded once per Resources."""

    unknown_types: frozenset[str]
    unknown_name: str
    victim_verbs: frozenset[str]
    victim_preps: frozenset[str]
    intransitive: frozenset[str]
    unknown_modalities: frozenset[str]
    accidents: frozenset[str]
    tally_marks: frozenset[str]
    time_preps: frozenset[str]
    owner_verbs: frozenset[str]
    owner_preps: frozenset[str]
    crowd_types: frozenset[str]
    crowd_sector: str
    crowd_nouns: frozenset[str]
    crowd_target_preps: frozenset[str]
    crowd_target_verbs: frozenset[str]

    @classmethod
    def load(cls) -> Participants:
        raw = read_toml(DATA_FILE, "E037")
        return cls(frozenset(raw["unknown_actor"]["types"]), str(raw["unknown_actor"]["name"]),
                   frozenset(raw["victims"]["verbs"]), frozenset(raw["victims"]["preps"]),
                   frozenset(raw["victims"]["intransitive"]),
                   frozenset(raw["unknown_actor"]["modalities"]),
                   frozenset(raw["victims"]["accidents"]), frozenset(raw["victims"]["tally_marks"]),
                   frozenset(raw["victims"]["time_preps"]),
                   frozenset(raw["owners"]["verbs"]), frozenset(raw["owners"]["preps"]),
                   frozenset(raw["crowd"]["types"]), str(raw["crowd"]["sector"]),
                   frozenset(raw["crowd"]["nouns"]),
                   frozenset(raw["crowd"]["target_preps"]),
                   frozenset(raw["crowd"]["target_verbs"]))

    def unknown(self) -> Actor:
        """An actor the text does not name."""
        return unknown_actor(self.unknown_name)

    def victims(self, tok: Token, idx: args.Mentions, words: args.Words) -> list[int]:
        """Mentions hit by a nominal event that is the circumstance of a harm verb: "two US
        soldiers died in separate attacks", "civilians were killed in air strikes"."""
        verb = None if verbal(tok) else self._circumstance(tok, words)
        if verb is None:
            return []
        if args.passive(verb):  # "were killed in air strikes"
            subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        elif words.lemma(verb) in self.intransitive:  # "died in attacks"
            subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        else:
            return []  # "X killed Y in an attack": the verb's own roles code it
        return args.gather(subjects, idx)

    def unnamed_agent(self, tok: Token, type_: str, roles: args.Roles,
                      idx: args.Mentions, words: args.Words) -> bool:
        """The event's agent is left out by the text (not merely unresolved): a passive
        verb without a "by" agent, or an event noun that is the circumstance of a harm verb
        ("died in attacks"); not an event noun elsewhere ("a probe into the assassination
        of X", "the US-led invasion", "policies of incursions and arrests"), whose agent the
        phrase often implies."""
        if type_ not in self.unknown_types or roles.actors or roles.missing_party \
                or not roles.recipients:
            return False
        if verbal(tok):
            return args.passive(tok) and not any(c.dep_ == "agent" for c in tok.children) \
                and not _named_circumstance(tok, idx) and not self.no_agent_at_all(tok)
        return self._circumstance(tok, words) is not None \
            and not any(c.dep_ == "prep" and c.lower_ == "by" for c in tok.children) \
            and not any(c.dep_ in ("amod", "compound") and "-" in c.text for c in tok.children)

    def _circumstance(self, tok: Token, words: args.Words) -> Token | None:
        """The harm verb an event noun is the circumstance of ("died in attacks")."""
        if tok.dep_ != "pobj" or tok.head.lower_ not in self.victim_preps:
            return None
        verb = tok.head.head
        return verb if verb.pos_ == "VERB" and words.lemma(verb) in self.victim_verbs else None

    def no_agent_at_all(self, verb: Token) -> bool:
        """Harm in an accident ("killed in a traffic accident", "wounded in the blaze") or a
        running tally ("have been killed since the 2003 invasion"): nobody acted."""
        for v in _conjoined(verb):
            for c in v.children:
                if c.lower_ in self.tally_marks and c.dep_ in ("prep", "mark"):
                    return True
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in self.tally_marks
                                             for m in c.children):
                    return True
                if c.dep_ == "prep" and any(t.lemma_.lower() in self.accidents
                                            for p in args.pobjs(c) for t in p.subtree):
                    return True
        return False

    def owners(self, tok: Token, idx: args.Mentions, words: args.Words) -> list[int]:
        """Owners of the object a verb hits when no actor names the object itself
        ("destroyed ammunition depots used by the rebels", "a base belonging to X")."""
        if not verbal(tok):
            return []
        found: list[int] = []
        for obj in (c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")):
            if args.gather([obj], idx):
                continue
            for acl in (c for c in obj.children if c.dep_ in ("acl", "relcl")):
                if words.lemma(acl) not in self.owner_verbs:
                    continue
                for c in acl.children:
                    if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in self.owner_preps):
                        found += [m for m in args.gather(args.pobjs(c), idx) if m not in found]
        return found

    def crowd_targets(self, tok: Token, idx: args.Mentions, words: args.Words) -> list[int]:
        """Named actors the crowd's protest is aimed at ("chanting for the fall of the
        Lebanese government", "marched against the president")."""
        heads: list[Token] = []
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in self.crowd_target_preps:
                heads += args.pobjs(c)  # "against the killers who ...": not the victims
            elif c.dep_ in ("advcl", "xcomp", "conj") and words.lemma(c) in self.crowd_target_verbs:
                heads += [g for g in c.children if g.dep_ == "dobj"]
                heads += [o for p in c.children if p.dep_ == "prep" for o in args.pobjs(p)]
        return args.gather(heads, idx)

    def has_crowd(self, doc: Doc) -> bool:
        """A sentence whose subject is a crowd no actor may name ("thousands of people")."""
        return any(t.dep_ == "nsubj" and t.lower_ in self.crowd_nouns for t in doc)

    def crowd(self, tok: Token, type_: str) -> Actor | None:
        """The crowd that protests when no actor names it ("thousands of people marched"):
        a group of the crowd sector named by its noun; None when the subject is no crowd."""
        if type_ not in self.crowd_types or not verbal(tok):
            return None
        subjects = [c for c in tok.children if c.dep_ == "nsubj"]
        if not subjects:
            return None
        head = subjects[0]
        nouns = [head, *(g for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
                         for g in args.pobjs(p))]
        named = [n for n in reversed(nouns) if n.lemma_.lower() in self.crowd_nouns
                 or n.lower_ in self.crowd_nouns]
        if not named:
            return None
        noun = named[0].lower_
        return Actor(noun, None, None, self.crowd_sector, "group",
                     key=group_key(None, self.crowd_sector, noun))

    def allows(self, modality: str) -> bool:
        """An unknown agent only for an event said to happen or to have happened, not for
        one denied or imagined ("could not have been killed without ...")."""
        return modality in self.unknown_modalities


def _named_circumstance(verb: Token, idx: args.Mentions) -> bool:
    """"Soldiers were killed in a clash between the army and the PKK", "... in clashes with
    PKK": the event the passive happened in names its parties, so its agent is not unknown
    (the clash itself is the event to code); also through a conjoined verb ("were killed
    and four wounded in a clash ...") and a clause whose named subject did it ("... when
    attackers threw grenades")."""
    for prep in (c for v in _conjoined(verb) for c in v.children):
        if prep.dep_ == "prep" and prep.lower_ in ("in", "during", "amid") and any(
                idx.at(t) is not None for p in args.pobjs(prep) for t in p.subtree):
            return True
        if prep.dep_ == "advcl" and any(  # "... were killed when attackers threw grenades"
                c.dep_ == "nsubj" and idx.at(c) is not None for c in prep.children):
            return True
    return False


def _conjoined(verb: Token) -> list[Token]:
    """The verb with the verbs it is coordinated with ("were killed and four wounded")."""
    verbs = [verb, *(c for c in verb.children if c.dep_ == "conj")]
    return verbs + ([verb.head] if verb.dep_ == "conj" else [])


def unknown_actor(name: str = "Unknown") -> Actor:
    """The unknown actor: no code, no country; one store key for all of them."""
    return Actor(name, None, None, None, UNKNOWN_KIND, key=actor_key(UNKNOWN_KIND, None, name),
                 unknown=True)

