"""Events: candidates -> detector -> arguments -> modality, as one package.

The stage (``build`` below) works sentence by sentence through the package's modules:

- ``lexicon`` and ``cues``: trigger words (``data/events/triggers.toml``) and the cue tables for
  modality, mode and contexts (``data/events/cues.toml``);
- ``candidates``: every clause head and event noun of a fully parsed sentence;
- ``detector``: the learned model that says, for a candidate the trigger rules left alone, no
  event or a PLOVER type (the rules' events stand: a transparent override);
- ``args`` and ``participants``: actors and recipients off the dependency parse, unknown agents
  the text does not name, objects and crowds;
- ``modality``: refinements of the cue walk (ongoing, future, hypothetical, pledges).

For a rule trigger the trained type classifier (``eventwire.classifier``) is asked about the
(source, target) pair: the rule's type stands unless the classifier prefers one of the trigger's
listed alternatives with confidence; agreement raises the confidence, disagreement lowers it.
Which one decided is recorded per event in ``article.meta["events"]``.

One event per (type, actors, recipients) and sentence; the evidence is that sentence.
Events under ``events.min_confidence`` are dropped (precision first).

Reads: ``work.docs``, ``article.sentences``, ``article.actors``. Writes: ``article.events``,
``article.meta["events"]``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventwire import ontology
from eventwire.errors import EventwireError
from eventwire.ids import event_id
from eventwire.model import Actor, Event, Evidence, Sentence
from eventwire.resources import Resources
from eventwire.stages import Work, mentions_in, token_span
from eventwire.stages.events import args as args
from eventwire.stages.events import cues as cues
from eventwire.stages.events import detector as detector
from eventwire.stages.events.lexicon import Lexicon, Sense, forms_of, lexicon, verbal
from eventwire.stages.events.modality import Modality
from eventwire.stages.events.participants import Participants

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

GOVERNED_PREPS = frozenset({"on", "upon", "for", "to"})
WEIGHTS = {"actor": 0.1, "second_party": 0.2, "lone_party": -0.2, "missing_recipient": -0.15,
           "agree": 0.15, "disagree": -0.1, "switch": 0.6, "uncertain": -0.05,
           "business": 0.3}


def trigger_forms(res: Resources) -> frozenset[str]:
    """Lower-cased surface forms (all inflections) of every trigger, for the cheap pass."""
    return res.get("events.trigger_forms", lambda r: forms_of(lexicon(r)))


@dataclass
class Candidate:
    """An event before classifier, confidence and filtering."""

    sentence: Sentence
    trigger: Token
    sense: Sense
    type: str
    actors: list[Actor]
    recipients: list[Actor]
    modality: str
    mode: str | None
    context: list[str]
    basis: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0


class Events:
    name = "events"

    def __init__(self, res: Resources) -> None:
        self.lex: Lexicon = lexicon(res)
        self.onto = ontology.load()
        self.min_confidence = float(res.cfg["events"]["min_confidence"])
        self.classifier = _classifier(res)
        self.words = args.Words.of(self.lex)
        self.name_labels = self.lex.words("names", "labels")
        self.parts: Participants = res.get("events.participants", lambda _r: Participants.load())
        self.modal: Modality = res.get("events.modality", lambda _r: Modality.load())
        self.detection = detector.detection(res)

    def __call__(self, work: Work) -> None:
        self.batch([work])

    def batch(self, works: Sequence[Work]) -> None:
        """Codes a batch of articles with one classifier call for all their pairs. Nothing
        is written until every article of the batch is coded, so a failure leaves the batch
        as it was (the pipeline then retries article by article)."""
        found = [self.candidates(w) for w in works]
        self._classify([c for cands in found for c in cands])
        for work, cands in zip(works, found, strict=True):
            cands.extend(self._detected(work, cands))
        coded = [self._events(w, cands) for w, cands in zip(works, found, strict=True)]
        for work, events in zip(works, coded, strict=True):
            basis = work.article.meta.setdefault("events", {})
            for event, why in events:
                work.article.events.append(event)
                basis[event.id] = why

    def candidates(self, work: Work) -> list[Candidate]:
        """Every candidate event of an article, before classifier and filtering."""
        article = work.article
        if cues.sport_article(article.text, self.lex, article.title):
            return []
        found: list[Candidate] = []
        for index in sorted(work.docs.keys() - work.claim_only):  # no trigger in a claim-only one
            found.extend(self.sentence_candidates(work, article.sentences[index],
                                                  work.docs[index]))
        return found

    def _events(self, work: Work, found: list[Candidate]) -> list[tuple[Event, dict[str, Any]]]:
        kept = _dedupe([c for c in found if c.confidence >= self.min_confidence])
        taken = dict(work.article.meta.get("events", {}))
        out = []
        for cand in kept:
            event = self._event(work, cand, taken)
            taken[event.id] = cand.basis
            out.append((event, cand.basis))
        return out

    # -------------------------------------------------------------- detector

    def _detected(self, work: Work, found: list[Candidate]) -> list[Candidate]:
        """Candidates the learned detector accepts at words where the rules coded no event
        (see :mod:`.detector`); their parties are read as for a rule trigger."""
        article = work.article
        if self.detection is None or cues.sport_article(article.text, self.lex, article.title):
            return []
        named = {s.index for a in article.actors if a.span is not None
                 for s in article.sentences if s.span.start <= a.span.start < s.span.end}
        sentences = sorted((work.docs.keys() - work.claim_only) & named)  # parties to read
        accepted = self.detection.accepted(work, found, self.min_confidence, sentences)
        made = (self._from_detector(work, f) for f in accepted)
        coded = {_what(c) for c in found}  # a rule's event at another word of the sentence
        return [c for c in made if c is not None and _what(c) not in coded]

    def _from_detector(self, work: Work, found: detector.Found) -> Candidate | None:
        sentence = work.article.sentences[found.sentence]
        mentions = mentions_in(work.article, sentence.span.start, sentence.span.end)
        if not mentions:
            return None
        idx = args.index_mentions(work.docs[found.sentence], mentions, sentence.span.start,
                                  self.words)
        tok, type_ = found.cand.token, found.type
        if self._vetoed(tok):
            return None
        sense = self._detected_sense(tok, type_)
        actors, recipients = _resolve(self._roles(tok, sense, idx), idx, sense.sym)
        if not actors or not any(_grounded(a) for a in actors + recipients) or (
                (self.onto.types[type_].recipient_required or sense.needs_recipient)
                and not recipients and len(actors) < 2):
            return None  # the lexicon's sense still says what the word needs
        lone = len(actors) + len(recipients) < 2
        if lone:
            lone_type = self._lone(sense, type_)  # "visited a hospital": a meeting with whom?
            if lone_type is None or lone_type in self.lex.words("detector_two_parties", "types"):
                return None
            type_ = lone_type
        if cues.business(work.docs[found.sentence], self.lex) \
                and cues.apolitical(actors + recipients, self.lex):
            return None  # a company's or a market's move, as the rule path weighs it
        modality = cues.modality(found.cand.light or tok, self.lex)
        if modality == "asserted" and cues.past_year(tok, work.scratch.get("events.ref_year")):
            modality = "historical"
        modality = self.modal.refine(tok, modality)
        if lone and modality in ("future", "hypothetical"):
            return None  # a lone party's expected act is a forecast ("remains hopeful of a deal")
        basis = {"trigger": self.lex.lemma(tok), "rule": None, "decided_by": "detector",
                 "detector": round(found.probability, 3)}
        return Candidate(sentence, tok, sense, type_, actors, recipients, modality,
                         self._valid_mode(type_, sense.mode), [], basis, found.probability)

    def _detected_sense(self, tok: Token, type_: str) -> Sense:
        """The lexicon's sense of the word for that type (how its arguments attach), or a
        plain one."""
        pos = "VERB" if verbal(tok) else "NOUN"
        senses = self.lex.senses(pos, tok.lower_, self.lex.lemma(tok))
        return next((s for s in senses if type_ in s.types),
                    Sense(self.lex.lemma(tok), pos, (type_,)))

    # -------------------------------------------------------------- candidates

    def sentence_candidates(self, work: Work, sentence: Sentence, doc: Doc) -> list[Candidate]:
        mentions = mentions_in(work.article, sentence.span.start, sentence.span.end)
        triggers = [tok for tok in doc if self._sense(tok) is not None] \
            if mentions or self.parts.has_crowd(doc) else []
        if not triggers:
            return []
        idx = args.index_mentions(doc, mentions, sentence.span.start, self.words)
        is_business = cues.business(doc, self.lex)
        ref_year = work.scratch.get("events.ref_year")
        if "events.ref_year" not in work.scratch:
            ref_year = cues.reference_year(work.article.text, work.article.published)
            work.scratch["events.ref_year"] = ref_year
        out = []
        for tok in triggers:
            cand = self._candidate(sentence, tok, idx, ref_year)
            if cand is not None:
                cand.confidence = self._rule_confidence(cand, is_business)
                out.append(cand)
        return out

    def _candidate(self, sentence: Sentence, tok: Token, idx: args.Mentions,
                   ref_year: int | None = None) -> Candidate | None:
        sense = self._sense(tok)
        if sense is None or self._vetoed(tok):
            return None
        gov = cues.governor(tok, self.lex, sense.type)
        refuser = None if gov else self._refuser(tok, sense)
        parties = self._parties(tok, sense, idx, gov, refuser)
        if parties is None:
            return None
        actors, recipients = parties
        words = cues.lemmas(args.phrase(tok) + args.subject_heads(tok))
        context = _merge(list(sense.context), cues.contexts(words, actors + recipients, self.lex))
        rule = next((t for c, t in sense.if_context.items() if c in context), sense.type)
        governed = gov is not None or refuser is not None
        type_ = rule if governed or len(actors) + len(recipients) >= 2 \
            else self._lone(sense, rule)
        if type_ is None:
            return None
        modality = cues.modality(tok, self.lex)
        if modality == "asserted" and cues.past_year(tok, ref_year):
            modality = "historical"
        modality = self.modal.refine(tok, modality)
        mode = self._mode(type_, sense, words, actors + recipients)
        basis: dict[str, Any] = {"trigger": self.lex.lemma(tok), "rule": type_}
        if self._announced(tok, type_, modality, actors, idx):
            # "Hamas said it will attack ...": an attack announced by its own actor
            threat = self.lex.cues["self_threat"]["modes"]
            type_, mode, modality = "THREATEN", threat[type_] or None, "asserted"
            basis["announced"] = True
        if modality == "future" and type_ in self.modal.pledge_types \
                and self._pledged(tok, actors, idx):
            basis["pledge"] = True
        type_, mode, modality = self._derived(type_, mode, modality, gov, refuser, basis)
        if any(a.unknown for a in actors) and not self.parts.allows(modality):
            return None
        if self.onto.types[type_].recipient_required and not recipients and len(actors) < 2:
            return None  # "the Bank of England gave the market assistance": to whom?
        return Candidate(sentence, tok, sense, type_, actors, recipients, modality,
                         self._valid_mode(type_, mode), context, basis)

    def _parties(self, tok: Token, sense: Sense, idx: args.Mentions,
                 gov: cues.Governor | None,
                 refuser: Token | None) -> tuple[list[Actor], list[Actor]] | None:
        """Actors and recipients, or None when the event lacks a party it needs."""
        roles = self._roles(tok, sense, idx)
        head = refuser if refuser is not None else (
            gov.token if gov is not None and gov.type != "AGREE" else None)
        if head is not None:
            # "X refused to meet Y", "X will not meet Y", "X asked for the withdrawal of Y's
            # troops": the act is X's; the parties of the embedded event are its recipients
            roles = args.governed_roles(head, roles, idx, self.words, refuser is None)
        mutual = sense.sym and head is None
        if head is None and not roles.recipients:
            roles.add("recipient", self.parts.victims(tok, idx, self.words) if not roles.actors
                      else self.parts.owners(tok, idx, self.words))
        actors, recipients = _resolve(roles, idx, mutual)
        if head is None and self.parts.unnamed_agent(tok, sense.type, roles, idx,
                                                          self.words):
            actors = [self.parts.unknown()]  # "were arrested", "died in attacks"
        crowd = self.parts.crowd(tok, sense.type) if head is None and not actors else None
        if crowd is not None:  # "thousands of people marched in the capital"
            targets = [idx.actors[m] for m in self.parts.crowd_targets(tok, idx, self.words)]
            return [crowd], recipients or _specific(targets)
        if not actors or not any(_grounded(a) for a in actors + recipients) \
                or (sense.needs_recipient and not recipients):
            return None
        if sense.sym and head is None and not sense.lone_type and roles.one_sided():
            return None  # "We've begun negotiations with Turkey and Croatia": who is "we"?
        if gov is not None and len(actors) + len(recipients) < gov.min_parties:
            return None
        return actors, recipients

    def _announced(self, tok: Token, type_: str, modality: str, actors: list[Actor],
                   idx: args.Mentions) -> bool:
        """A future conflict act reported by its own actor is a threat."""
        if modality != "future" or type_ not in self.lex.cues.get("self_threat", {}).get(
                "modes", {}):
            return False
        rep = cues.reporter(tok, self.lex)
        if rep is None:
            return False
        said = {_key(idx.actors[m]) for m in args.subject_of(rep, idx, self.words)}
        return any(_key(a) in said for a in actors)

    def _pledged(self, tok: Token, actors: list[Actor], idx: args.Mentions) -> bool:
        """A future act reported by one of its own actors (or someone of its country)."""
        rep = cues.reporter(tok, self.lex)
        if rep is None:
            return False
        said = [idx.actors[m] for m in args.subject_of(rep, idx, self.words)]
        codes = {a.code or a.country for a in actors} - {None}
        return any((s.code or s.country) in codes for s in said)

    def _vetoed(self, tok: Token) -> bool:
        """The rules that say a word states no event of its own, for the rule path and the
        detector alike: a light or governing verb over a trigger, a role noun ("the
        envoy"), an act undone ("lifting sanctions"), an accident's toll, sport."""
        return self._subsumes(tok) or args.role_complement(tok, self.words) \
            or args.undone(tok, self.words) or self._accident(tok) \
            or cues.sport(cues.clause_of(tok), self.lex)

    def _accident(self, tok: Token) -> bool:
        """A killing that follows from an accident ("the aircraft crashed, killing 36")."""
        if tok.dep_ not in ("advcl", "conj"):
            return False
        head = tok.head
        while head.dep_ == "conj":  # "crashed ... and hit a block, killing 108"
            if self.lex.lemma(head) in self.lex.words("accidents", "verbs"):
                return True
            head = head.head
        return self.lex.lemma(head) in self.lex.words("accidents", "verbs")

    def _lone(self, sense: Sense, type_: str) -> str | None:
        """The type of an event with a single party: the sense's ``lone_type`` ("Russia
        held military exercises" is a MOBILIZE), or none for a reciprocal act or a type that
        needs two parties ("X hosted a meeting": with whom?)."""
        if sense.lone_type:
            return sense.lone_type
        if sense.sym or type_ in self.lex.words("min_two_parties", "types"):
            return None
        return type_

    def _refuser(self, tok: Token, sense: Sense) -> Token | None:
        """The negated "will"/"would" verb that makes a cooperative trigger a refusal."""
        if sense.type not in self.lex.cues.get("refusal", {}).get("modes", {}):
            return None
        return cues.refusal(tok, self.lex)

    def _derived(self, type_: str, mode: str | None, modality: str,
                 gov: cues.Governor | None, refuser: Token | None,
                 basis: dict[str, Any]) -> tuple[str, str | None, str]:
        """The coded type, mode and modality where the trigger is governed ("agreed to
        meet"), refused ("will not meet") or promised ("will meet")."""
        if gov is not None:
            basis["governed_by"] = self.lex.lemma(gov.token)
            coded = gov.type_for(type_)
            mode = gov.modes.get(type_) if coded != type_ else mode
            return coded, mode, cues.modality(gov.token, self.lex)
        refusal = self.lex.cues.get("refusal", {}).get("modes", {})
        if refuser is not None and type_ in refusal:
            basis["refused"] = True
            return "REJECT", refusal[type_] or None, "asserted"
        future = self.lex.cues.get("future_type", {})
        if modality == "future" and type_ in future:
            # an actor's own pledge is made now ("Alexeyev said Russia will cooperate": an
            # asserted AGREE); a meeting scheduled by others stays a future one
            return str(future[type_]), None, "asserted" if basis.get("pledge") else modality
        return type_, mode, modality

    def _roles(self, tok: Token, sense: Sense, idx: args.Mentions) -> args.Roles:
        if verbal(tok):
            return args.verb_roles(tok, sense, idx, self.words)
        return args.noun_roles(tok, sense, idx, self.words)

    def _sense(self, tok: Token) -> Sense | None:
        if tok.ent_type_ in self.name_labels:  # "the Visiting Forces Agreement"
            return None
        if tok.pos_ == "VERB" and tok.dep_ == "amod":  # "India's investigating agency"
            return None
        if verbal(tok):
            senses = self.lex.senses("VERB", tok.lower_, self.lex.lemma(tok))
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound":  # not "aid workers"
            senses = self.lex.senses("NOUN", tok.lower_, tok.lemma_.lower())
        else:
            return None
        return cues.pick_sense(tok, senses) if senses else None

    def _subsumes(self, tok: Token) -> bool:
        """A light or governing verb whose complement is itself a trigger gives no event of
        its own ("hosts a meeting", "agreed to meet", "imposed sanctions")."""
        if tok.pos_ != "VERB":
            return False
        lemma = self.lex.lemma(tok)
        governing = lemma in self.lex.cues.get("governing", {})
        if lemma not in self.words.light and not governing:
            return False
        comps = [c for c in tok.children if c.dep_ in ("dobj", "xcomp")]
        if governing:  # "agreed on a ceasefire", "called for talks"
            comps += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in GOVERNED_PREPS
                      for g in c.children if g.dep_ == "pobj"]
        return any(self._sense(c) is not None for c in comps)

    def _mode(self, type_: str, sense: Sense, words: set[str], parties: list[Actor]) -> str | None:
        if sense.mode and sense.mode in self.lex.words("modes", "trigger_first", "modes"):
            return sense.mode  # "gunmen kidnapped" is an abduction, not a shooting
        if type_ == "CONSULT":
            if cues.cue_mode(type_, words, self.lex) == "phone":
                return "phone"
            spec = self.lex.cues["modes"]["multilateral"]
            codes = {a.code for a in parties if a.code}
            if sense.sym and len(codes) >= int(spec["min_parties"]):
                return "multilateral"
        return cues.cue_mode(type_, words, self.lex) or sense.mode

    def _valid_mode(self, type_: str, mode: str | None) -> str | None:
        return mode if mode and mode in self.onto.types[type_].modes else None

    # -------------------------------------------------------------- confidence

    def _rule_confidence(self, cand: Candidate, is_business: bool) -> float:
        w = WEIGHTS
        score = cand.sense.prior + w["actor"]
        parties = len(cand.actors) + len(cand.recipients)
        if parties >= 2:
            score += w["second_party"]
        elif cand.sense.sym or cand.type == "CONSULT":
            score += w["lone_party"]
            if cand.basis.get("modifier_only"):  # "a NATO summit": who else took part?
                score += w["lone_party"] / 2
        if self.onto.types[cand.type].recipient_required and not cand.recipients:
            score += w["missing_recipient"]
        if cand.modality in ("negated", "hypothetical"):
            score += w["uncertain"]
        if is_business and cues.apolitical(cand.actors + cand.recipients, self.lex):
            score -= w["business"]
        return _clip(score)

    def _classify(self, found: list[Candidate]) -> None:
        """Combines the classifier's type with the rule's (see the module docstring)."""
        pairs = [c for c in found if c.recipients or len(c.actors) >= 2]
        if self.classifier is None or not pairs:
            for c in found:
                c.basis["decided_by"] = "rules"
            return
        preds = self.classifier.predict([_marked(c) for c in pairs],
                                        [c.trigger.doc for c in pairs])
        for c in found:
            c.basis.setdefault("decided_by", "rules")
        for cand, pred in zip(pairs, preds, strict=True):
            self._combine(cand, pred)

    def _combine(self, cand: Candidate, pred: Any) -> None:
        w = WEIGHTS
        ptype = str(pred.type)
        cand.basis["classifier"] = ptype
        if self.onto.merge_class(ptype) == self.onto.merge_class(cand.type):
            cand.confidence = _clip(cand.confidence + w["agree"] * float(pred.confidence))
            cand.basis["decided_by"] = "rules+classifier"
        elif ptype in cand.sense.types and cand.type == cand.basis["rule"] \
                and "governed_by" not in cand.basis and float(pred.confidence) >= w["switch"]:
            cand.type = ptype
            cand.mode = self._valid_mode(ptype, cand.mode)
            cand.basis["decided_by"] = "classifier"
        else:
            cand.confidence = _clip(cand.confidence + w["disagree"])
            cand.basis["decided_by"] = "rules"

    # -------------------------------------------------------------- output

    def _event(self, work: Work, cand: Candidate, taken: dict[str, Any]) -> Event:
        article = work.article
        span = cand.sentence.span
        codes = [a.code or a.name for a in cand.actors]
        codes += [">" + (a.code or a.name) for a in cand.recipients]
        eid = event_id(article.id, span.start, span.end, cand.type, codes)
        if eid in taken:  # a second event of this type between the same codes in one sentence
            codes.append(f"@{token_span(work, cand.sentence.index, cand.trigger).start}")
            eid = event_id(article.id, span.start, span.end, cand.type, codes)
        evidence = Evidence(article.id, cand.sentence.index, span, span.text,
                            token_span(work, cand.sentence.index, cand.trigger))
        t = self.onto.types[cand.type]
        return Event(
            id=eid,
            type=cand.type, evidence=evidence, mode=cand.mode, context=cand.context,
            actors=cand.actors, recipients=cand.recipients, modality=cand.modality,
            confidence=round(cand.confidence, 3),
            intensity=self.onto.intensity(cand.type, cand.mode), quad=t.quad,
            cameo=self.onto.to_cameo_root(cand.type))


def _resolve(roles: args.Roles, idx: args.Mentions, sym: bool) -> tuple[list[Actor], list[Actor]]:
    """Mention indexes -> actors; reciprocal actions put every party in ``actors``; a bare
    country is dropped where a person or body of that country is already there."""
    actor_ids = list(roles.actors)
    recipient_ids = [m for m in roles.recipients if m not in actor_ids]
    if sym:
        actor_ids += recipient_ids
        recipient_ids = []
    actors = _specific([idx.actors[m] for m in actor_ids])
    recipients = _specific([idx.actors[m] for m in recipient_ids])
    keys = {_key(a) for a in actors}
    return actors, [r for r in recipients if _key(r) not in keys]


def _grounded(a: Actor) -> bool:
    """An actor users can place: a country, organisation or group, or a person with a
    country, sector or office. An event needs one such party (not only bare names the NER
    took for persons: "H5N1 has killed ...", "typhoon Pepeng is threatening ...")."""
    if a.unknown:
        return False
    return a.kind != "person" or bool(a.code or a.sector or a.office)


def _specific(found: list[Actor]) -> list[Actor]:
    out: list[Actor] = []
    for a in found:
        if any(_key(a) == _key(b) for b in out):
            continue
        if a.kind == "country" and not a.sector and any(
                b is not a and b.kind != "country" and (b.country or b.code) == a.code
                for b in found):
            continue
        out.append(a)
    return out


def _key(a: Actor) -> str:
    return a.key or f"{a.kind}:{a.code}:{a.name}"


def _dedupe(found: list[Candidate]) -> list[Candidate]:
    """One event per (sentence, type, actors, recipients): the most confident one; an event
    whose recipients are a subset of another's with the same type, mode and actors in the
    same sentence is that event again ("ambushed an army patrol, killing two soldiers and
    wounding five" -> no third event without a recipient); a detector event that restates
    another (:func:`_restates`) is dropped."""
    best: dict[tuple[Any, ...], Candidate] = {}
    for c in found:
        k = (*_who(c), tuple(sorted(_key(a) for a in c.recipients)))
        if k not in best or c.confidence > best[k].confidence:
            best[k] = c
    kept = [c for c in best.values() if not any(
        o is not c and _who(o) == _who(c) and _recipients(c) < _recipients(o)
        for o in best.values())]
    kept = [c for c in kept if not any(_restates(c, o) for o in kept)]
    return sorted(kept, key=lambda c: (c.sentence.index, c.trigger.i))


def _restates(c: Candidate, o: Candidate) -> bool:
    """``c``, found by the detector, is ``o`` told again: same sentence and type, a party in
    common, and ``o`` is the rules' event or a more confident detector one ("traveled to
    Albania where he met Albanian leaders" is one meeting)."""
    if c is o or c.basis.get("decided_by") != "detector" or c.type != o.type \
            or c.sentence.index != o.sentence.index or not _parties(c) & _parties(o):
        return False
    if o.basis.get("decided_by") != "detector":
        return True
    return (o.confidence, -o.trigger.i) > (c.confidence, -c.trigger.i)


def _parties(c: Candidate) -> set[str]:
    return {_key(a) for a in c.actors + c.recipients}


def _who(c: Candidate) -> tuple[Any, ...]:
    return c.sentence.index, c.type, c.mode, tuple(sorted(_key(a) for a in c.actors))


def _what(c: Candidate) -> tuple[Any, ...]:
    """The event a candidate states, whatever its mode: sentence, type, actors, recipients."""
    return c.sentence.index, c.type, _who(c)[3], _recipients(c)


def _recipients(c: Candidate) -> frozenset[str]:
    return frozenset(_key(a) for a in c.recipients)


def _marked(cand: Candidate) -> str:
    """The sentence with <s>..</s> around the first actor and <t>..</t> around the first
    recipient (or second actor), as the classifier was trained; overlapping or missing
    spans leave that marker out."""
    base = cand.sentence.span.start
    text = cand.sentence.span.text
    others = cand.recipients or cand.actors[1:]
    marks: list[tuple[int, int, str]] = []
    for actor, tag in ((cand.actors[0], "s"), (others[0] if others else None, "t")):
        span = actor.span if actor else None
        if span is None:
            continue
        start, end = span.start - base, span.end - base
        if all(end <= s or start >= e for s, e, _ in marks):
            marks.append((start, end, tag))
    for start, end, tag in sorted(marks, reverse=True):
        text = f"{text[:start]}<{tag}>{text[start:end]}</{tag}>{text[end:]}"
    return text


def _merge(first: list[str], more: Sequence[str]) -> list[str]:
    return first + [c for c in more if c not in first]


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def _classifier(res: Resources) -> Any:
    """The trained type classifier, or None when configured off or not installed."""
    if res.cfg["events"]["classifier"] == "rules":
        return None
    try:
        module = importlib.import_module("eventwire.classifier")
    except ModuleNotFoundError:
        return None
    load = getattr(module, "load", None)
    if load is None:
        return None
    try:
        return load(res)
    except EventwireError:
        if res.cfg["events"]["classifier"] == "default":
            return None
        raise


def build(res: Resources) -> Events:
    return Events(res)
