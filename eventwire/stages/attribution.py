"""Attribution: quotes and reported claims with their speaker, and ``claimed_by`` on events.

Reads the dependency parse of the parsed sentences (``work.docs``) and quotation marks on the
raw text (curly, straight and doubled apostrophes), so a quote may span several sentences.

- A cue is a verb of the lexicon ``data/attribution/cues.toml`` (said, told, criticized,
  believes, called for ...), "according to", a paragraph label before a colon ("Sanders:
  ...", transcripts) or a dash signing a quotation. Its speaker is its subject (or the one it
  inherits: "..., going on to say"), the agent of a passive, or none ("It was reported that",
  "Asked whether"); its content is the group's first dependent that is there (clausal
  complement, open complement, object), the clause it interrupts ("X, he said, Y"), the
  clause an "as mentioned" vouches for, or the quotation next to it.
- Cues inside a quotation or inside another claim's content are the quoted person's own
  words ("I think"), not new claims: the outer source is credited.
- The speaker is linked to the actor mention over the head of its phrase; pronouns, definite
  role phrases ("the speaker", "the official") and "as mentioned" resolve to the most recent
  compatible speaker or actor (a person for "he"/"the official"; the same country when the
  phrase names one); "a spokesman for the ministry" falls back to the ministry.
- Every event whose trigger (or evidence) lies inside a quote's content is marked
  ``claimed_by`` that quote's speaker, unless the speaker is one of the event's own actors.
- With ``pipeline.select = "candidates"`` the stage parses the few unparsed sentences around
  a quotation that holds an event, so the cue of that quotation is found.

Measured on PolNeAR (speaker and content overlapping the gold, one-to-one; `eventwire eval
quotes`): see eventwire/eval/quotes.py and the floor ``quotes_dev_f1``.

Writes: ``article.quotes`` (appended), ``Event.claimed_by`` where it was unset.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING

from eventwire.errors import EventwireError
from eventwire.model import Actor, Article, Event, Quote, Sentence, Span, span_of
from eventwire.stages import Work, token_span
from eventwire.stages.span_index import Cover, DisjointSpans, ShortSpans, covers

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from eventwire.resources import Resources

LEXICON_FILE = "data/attribution/cues.toml"
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
INHERIT_DEPS = ("xcomp", "advcl", "conj", "pcomp", "prep", "acl")
CLAUSE_DEPS = ("ccomp", "csubj", "parataxis", "advcl")
NP_CUT_DEPS = ("relcl", "acl", "advcl", "appos", "parataxis", "punct", "prep")
MIN_QUOTE_WORDS = 4
QUOTE_GAP = re.compile(r"^[ \t,:;.\-\u2013\u2014\u2015]*$|^[ \t]*:\s*$")


# ---------------------------------------------------------------- lexicon (data)


@dataclass(frozen=True)
class CueGroup:
    """Cue lemmas that share the dependents where their content may sit."""

    name: str
    lemmas: frozenset[str]
    content: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    version: str
    groups: tuple[CueGroup, ...]
    prepositions: tuple[tuple[str, ...], ...]
    pronouns_person: frozenset[str]
    pronouns_group: frozenset[str]
    role_nouns: frozenset[str]
    phrasal: dict[str, tuple[tuple[str, ...], ...]]
    strict_groups: frozenset[str]
    not_speakers: frozenset[str]
    irregular: dict[str, tuple[str, ...]]

    def group_of(self, lemma: str) -> CueGroup | None:
        for group in self.groups:
            if lemma in group.lemmas:
                return group
        return None


def load_lexicon(res: Resources | None = None) -> Lexicon:
    """Reads the cue lexicon shipped in the package."""
    path = importlib_resources.files("eventwire").joinpath(LEXICON_FILE)
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise EventwireError("E201", f"attribution lexicon {LEXICON_FILE} unreadable: {exc}",
                             "reinstall eventwire or fix the TOML file") from exc
    groups = tuple(CueGroup(name, frozenset(g["lemmas"]), tuple(g["content"]))
                   for name, g in raw["groups"].items())
    ana = raw["anaphora"]
    return Lexicon(
        version=raw["version"],
        groups=groups,
        prepositions=tuple(tuple(p.split()) for p in raw["prepositions"]["phrases"]),
        pronouns_person=frozenset(ana["pronouns_person"]),
        pronouns_group=frozenset(ana["pronouns_group"]),
        role_nouns=frozenset(ana["role_nouns"]),
        phrasal=_phrasal_table(raw["phrasal"]["pairs"]),
        strict_groups=frozenset(n for n, g in raw["groups"].items() if g.get("strict")),
        not_speakers=frozenset(w.lower() for w in raw["layout"]["not_speakers"]),
        irregular={k: tuple(v) for k, v in raw["irregular"].items()},
    )


def _phrasal_table(pairs: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """"call for" -> {"call": (("for",),)}; the verb is the first word."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for pair in pairs:
        verb, *rest = pair.split()
        table.setdefault(verb, []).append(tuple(rest))
    return {verb: tuple(rests) for verb, rests in table.items()}


def cue_forms(res: Resources) -> frozenset[str]:
    """Lower-cased surface forms of every cue word (verbs inflected), for a cheap pass that
    decides which sentences to parse, as ``events.trigger_forms`` does for events."""
    return res.get("attribution.cue_forms", lambda r: _forms(r.get("attribution.lexicon",
                                                                   load_lexicon)))


def _forms(lex: Lexicon) -> frozenset[str]:
    from eventwire.stages.events.lexicon import verb_forms

    words = {w for g in lex.groups for entry in g.lemmas for w in entry.split()[:1]}
    words |= set(lex.phrasal)
    out = {f for w in words for f in verb_forms(w, lex.irregular.get(w, ()))}
    out |= {p[0] for p in lex.prepositions}
    return frozenset(out)


# ---------------------------------------------------------------- quotation marks

OPENERS = "\u201c\u201d\"\u201e"
CLOSERS = "\u201d\u201c\""


def find_quotations(text: str) -> list[Span]:
    """Spans (marks included) of quotations in ``text``; a quote left open runs to the end of
    its paragraph. Curly and straight double quotes; a mark opens when it precedes a word."""
    spans: list[Span] = []
    for para_start, para_end in _paragraphs(text):
        spans.extend(_quotations_in(text, para_start, para_end))
    return spans


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in re.finditer(r"\n", text):
        if match.start() > start:
            yield start, match.start()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def _quotations_in(text: str, start: int, end: int) -> Iterator[Span]:
    open_at: int | None = None
    for i, width in _marks(text, start, end):
        if open_at is None and _is_opening(text, i, width, end):
            open_at = i
        elif open_at is not None and not _is_opening(text, i, width, end):
            yield span_of(text, open_at, i + width)
            open_at = None
    if open_at is not None:
        close = end
        while close > open_at and text[close - 1].isspace():
            close -= 1
        yield span_of(text, open_at, close)


def _marks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(offset, width) of double quotation marks: curly, straight, and the doubled
    apostrophes or backquotes of some newspapers (''like this'', ``or this'')."""
    i = start
    while i < end:
        if text[i] in OPENERS or text[i] in CLOSERS:
            yield i, 1
        elif text[i: i + 2] in ("''", "``") and i + 1 < end:
            yield i, 2
            i += 1
        i += 1


def _is_opening(text: str, i: int, width: int, end: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < end else " "
    if text[i] in ("\u201c", "\u201e", "`"):
        return not after.isspace() or before.isspace()
    return (before.isspace() or before in "([{\u2014\u2013-:") and not after.isspace()


def word_count(span: Span) -> int:
    return len(re.findall(r"\w+", span.text))


# ---------------------------------------------------------------- cue candidates


@dataclass
class Candidate:
    """A cue with its speaker and content as found in one sentence (article offsets)."""

    sentence: int
    cue: Span
    speaker: Span | None
    content: Span | None
    head: Span | None = None
    direct: bool = False
    group: str = ""
    from_quote: bool = False
    quote_ok: bool = True
    anaphoric: bool = False
    sourceless: bool = False
    complements: Span | None = None

    @property
    def speaker_head(self) -> str:
        return self.head.text.lower() if self.head is not None else ""


def candidates_in(work: Work, index: int, doc: Doc, lex: Lexicon) -> Iterator[Candidate]:
    """Cue candidates in one parsed sentence: verbs of the lexicon and prepositional cues."""
    for token in doc:
        if token.pos_ in ("VERB", "AUX") and not _markup(token):
            cand = _verb_candidate(work, index, token, lex)
            if cand is not None:
                yield cand
        prep = _preposition_cue(token, lex)
        if prep is not None:
            cand = _prep_candidate(work, index, token, prep)
            if cand is not None:
                yield cand


def _complements(verb: Token) -> list[Token]:
    """What follows a cue before a quotation may open ("told [reporters on Monday]: “..."):
    the verb's own words after it, up to a quotation mark or colon."""
    run = []
    for token in verb.doc[verb.i + 1:]:
        if token.text in OPENERS + CLOSERS or token.text in (":", "''", "``") \
                or verb not in token.ancestors or token.dep_ in CLAUSE_DEPS:
            break
        run.append(token)
    return run




def _markup(token: Token) -> bool:
    """"<tweet>" and other tags left in scraped text are not verbs of saying."""
    return any(t.text in ("<", "</", "/") for t in token.doc[max(0, token.i - 1): token.i])


@dataclass
class VerbCue:
    """What a verb offers as a cue: its lexicon group, its content and its cue words."""

    verb: Token
    group: CueGroup | None
    content: list[Token] | None
    words: list[Token]

    @property
    def group_name(self) -> str:
        return self.group.name if self.group is not None else "phrasal"


@dataclass
class Subject:
    """Who a cue's subject is, and how it was found."""

    token: Token | None
    passive: bool = False
    as_clause: bool = False


def _verb_candidate(work: Work, index: int, verb: Token, lex: Lexicon) -> Candidate | None:
    cue = _verb_cue(verb, lex)
    if cue is None:
        return None
    subject = _subject(cue)
    if cue.group_name in lex.strict_groups and not _strict_ok(verb, subject.token):
        return None
    token = subject.token
    speaker = _np_span(work, index, token) if token is not None else None
    if token is None and _opens_sentence(verb):
        speaker = _previous_sentence_subject(work, index)
    content = cue.content
    return Candidate(
        sentence=index, cue=_tokens_span(work, index, cue.words) or Span(0, 0, ""),
        speaker=speaker, content=_tokens_span(work, index, content) if content else None,
        head=token_span(work, index, token) if token is not None else None,
        anaphoric=token is None and subject.as_clause and cue.group_name == "speech",
        sourceless=token is None and subject.passive and not subject.as_clause
        and cue.group_name in SOURCELESS_GROUPS and content is not None,
        group=cue.group_name,
        quote_ok=cue.group is not None and "quote" in cue.group.content,
        complements=_tokens_span(work, index, _complements(verb)))


def _verb_cue(verb: Token, lex: Lexicon) -> VerbCue | None:
    """The verb's group (a particle verb first: "point out") and content; a phrasal cue
    ("call for") when the group gives none; the clause it interrupts or vouches for."""
    lemma = verb.lemma_.lower()
    particles = [c for c in verb.children if c.dep_ == "prt"]
    words = " ".join(c.lower_ for c in particles)
    group = (lex.group_of(f"{lemma} {words}") if words else None) or lex.group_of(lemma)
    cue = VerbCue(verb, group, _content_tokens(verb, group) if group else None,
                  [verb, *particles])
    if cue.content is None:
        phrasal = _phrasal_content(verb, lex.phrasal.get(lemma, ()))
        if phrasal is not None:
            cue.content, cue.words = phrasal
    if group is None and cue.content is None:
        return None
    if cue.content is None and (_is_interrupting(verb) or _as_clause(verb)):
        cue.content = _head_clause_without(verb)
    return cue


def _subject(cue: VerbCue) -> Subject:
    """The speaker token: the verb's own or inherited subject, the agent of a passive,
    none for "as mentioned" and "Asked whether", or a name the parser stranded."""
    verb = cue.verb
    found = Subject(None, _passive_participle(verb), _as_clause(verb))
    found.token = _own_subject(verb) if found.as_clause or found.passive else subject_of(verb)
    if found.token is not None and found.token.dep_ == "nsubjpass":
        found.passive, found.token = True, _agent_of(found.token.head)
    if found.token is None and not (found.passive or found.as_clause) \
            and cue.group_name == "speech":
        found.token = _stranded_subject(verb)
    return found


SOURCELESS_GROUPS = ("speech", "address")


def _passive_participle(verb: Token) -> bool:
    """"Asked whether ..., she said": the participle's asker is unnamed (not "she")."""
    return verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") and not any(
        c.dep_ in ("aux", "auxpass") for c in verb.children)


def _stranded_subject(verb: Token) -> Token | None:
    """"..., her adviser, Jake Sullivan, said: ...", "“...,” said Skelly": the parser hung
    the speaker elsewhere; take the name or noun next to a finite verb of saying."""
    if verb.tag_ not in FINITE_TAGS or verb.i == 0:
        return None
    after = _inverted_subject(verb)
    if after is not None:
        return after
    left = verb.nbor(-1)
    while left.i > 0 and left.text in (",", "\u2014", "--"):
        left = left.nbor(-1)
    if left.pos_ not in ("PROPN", "NOUN") or verb in left.ancestors and left.dep_ != "appos":
        return None
    return left if left.dep_ in ("appos", "pobj", "conj", "npadvmod", "dobj") else None


def _inverted_subject(verb: Token) -> Token | None:
    """"“...,” said Skelly": a name right after a verb that follows a comma or quote."""
    before = verb.nbor(-1).text
    if before not in (",", "\u201d", "''", '"') or verb.i + 1 >= len(verb.doc):
        return None
    nxt = verb.nbor(1)
    while nxt.dep_ == "compound" and nxt.head.i > nxt.i and nxt.head.head == verb:
        nxt = nxt.head
    named = nxt.pos_ in ("PROPN", "NOUN") or nxt.text[:1].isupper() and nxt.pos_ != "PRON"
    if nxt.head == verb and named and nxt.dep_ != "ccomp":
        return nxt
    return None


def _agent_of(verb: Token) -> Token | None:
    """"was criticized by the senator" -> senator; None for an agentless passive."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if agent is None:
        return None
    return next((c for c in agent.children if c.dep_ == "pobj"), None)


FINITE_TAGS = ("VBD", "VBZ", "VBP")


def _strict_ok(verb: Token, subject: Token | None) -> bool:
    """Belief and evidence verbs count only as finite statements about a third party:
    not "I think", "you know", "to find", "would you support"."""
    if subject is None or subject.lower_ in FIRST_SECOND:
        return False
    finite = verb.tag_ in FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS + ("MD",) for c in verb.children)
    return finite


FIRST_SECOND = frozenset({"i", "we", "you", "me", "us"})


def _opens_sentence(verb: Token) -> bool:
    """"said ..." or "and said ..." at the start of a sentence: the sentencizer split it off
    its subject (after "(I-Vt.)" or a quoted "!")."""
    return verb.is_lower and all(t.dep_ in ("cc", "punct", "advmod") for t in verb.doc[: verb.i])


def _previous_sentence_subject(work: Work, index: int) -> Span | None:
    """The subject the previous sentence leaves for a split-off cue: the subject of its main
    verb, or the short noun phrase it consists of ("Sen. Bernie Sanders (I-Vt.)")."""
    doc = work.docs.get(index - 1)
    if doc is None:
        return None
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    if root.pos_ in ("VERB", "AUX"):
        subject = subject_of(root)
        return _np_span(work, index - 1, subject) if subject is not None else None
    if root.pos_ not in ("PROPN", "NOUN") or len(doc) > 12:
        return None
    return _tokens_span(work, index - 1, [t for t in root.subtree if t.i <= root.i])


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, or the one it inherits through xcomp/advcl/conj chains."""
    current = verb
    for _ in range(6):
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            at = current.i
            return min(subjects, key=lambda c: abs(c.i - at))
        if current.dep_ == "acl" and current.head.pos_ in ("NOUN", "PROPN"):
            return _issuer(current.head)
        if current.dep_ not in INHERIT_DEPS or current.head is current:
            return None
        if current.dep_ == "conj" and current.head.dep_ == "ccomp" \
                and current.head.head.lemma_ == current.lemma_:
            current = current.head
        current = current.head
    return None


def _issuer(noun: Token) -> Token:
    """"Trump issued a statement saying ...": the statement's issuer speaks, when there is one."""
    if noun.dep_ in ("dobj", "pobj"):
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if verb.pos_ in ("VERB", "AUX") and subjects:
            return subjects[0]
    return noun


def _content_tokens(verb: Token, group: CueGroup) -> list[Token] | None:
    """The content under ``verb``: the first of the group's dependents that is there."""
    for kind in group.content:
        tokens = CONTENT_FINDERS[kind](verb) if kind in CONTENT_FINDERS else None
        if tokens:
            return tokens
    return None


def _ccomp(verb: Token) -> list[Token] | None:
    """The clausal complement, without a second cue coordinated into it by a misparse
    ("He said X and said Y" read as "said [X and said Y]")."""
    ccomps = [c for c in verb.children if c.dep_ == "ccomp"]
    child = min(ccomps, key=lambda c: abs(c.i - verb.i)) if ccomps else _medium_clause(verb)
    if child is None:
        return None
    cut = {t.i for c in child.children if c.dep_ == "conj" and c.lemma_ == verb.lemma_
           and not any(s.dep_ in SUBJECT_DEPS for s in c.children) for t in c.subtree}
    return [t for t in child.subtree if t.i not in cut]


def _medium_clause(verb: Token) -> Token | None:
    """"says in a statement that ...": the that-clause the parser hung on the medium."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.i > verb.i):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            for clause in obj.children:
                if clause.dep_ in ("acl", "relcl", "ccomp") and any(
                        m.dep_ == "mark" and m.lower_ == "that" for m in clause.children):
                    return clause
    return None


def _xcomp(verb: Token) -> list[Token] | None:
    """"urged voters to turn out": the object (if any) through the open complement."""
    child = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")),
                 None)
    if child is None:
        return None
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.i < child.i]
    return [t for node in (*objects, child) for t in node.subtree]


def _dobj(verb: Token) -> list[Token] | None:
    """"called his standing “unheard of”", "described the field as strong": the object and
    the predicate that completes it."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return _predicate_only(verb)
    tokens = list(obj.subtree)
    for child in verb.children:
        if child.i > obj.i and (child.dep_ in ("oprd", "ccomp", "xcomp", "acomp") or
                                child.dep_ == "prep" and child.lower_ == "as"):
            tokens.extend(child.subtree)
    return tokens


def _predicate_only(verb: Token) -> list[Token] | None:
    """"called the frontrunner “ISIS' best recruiter”" parsed without an object: everything
    from the verb to the end of its object predicate."""
    oprd = next((c for c in verb.children if c.dep_ == "oprd" and c.i > verb.i), None)
    if oprd is None:
        return None
    end = max(t.i for t in oprd.subtree)
    return list(verb.doc[verb.i + 1: end + 1])


CONTENT_FINDERS = {"ccomp": _ccomp, "xcomp": _xcomp, "dobj": _dobj}


def _phrasal_content(verb: Token, pairs: tuple[tuple[str, ...], ...]
                     ) -> tuple[list[Token], list[Token]] | None:
    """"called for an inquiry", "lashed out at the press": the object of the preposition
    right after the verb (with an open complement: "called on Congress to act"), or the
    clause it introduces ("calling for the US to act", parsed as a subordinator)."""
    for words in pairs:
        particles = [c for c in verb.children if c.dep_ in ("prt", "advmod")
                     and c.lower_ in words[:-1]]
        if len(particles) != len(words) - 1:
            continue
        prep = _next_word(verb, words[-1])
        if prep is None:
            continue
        tokens = _phrasal_object(verb, prep)
        if tokens:
            return tokens, [verb, *particles, prep]
    return None


def _next_word(verb: Token, word: str) -> Token | None:
    """``word`` after the verb, past its particles and adverbs ("called again on")."""
    for token in verb.doc[verb.i + 1: verb.i + 5]:
        if token.lower_ == word:
            return token
        if token.head != verb or token.dep_ not in ("prt", "advmod", "npadvmod"):
            return None
    return None


def _phrasal_object(verb: Token, prep: Token) -> list[Token] | None:
    if prep.dep_ == "mark" and prep.head.head == verb:
        return [t for t in prep.head.subtree if t.i != prep.i]
    if prep.head != verb or prep.dep_ not in ("prep", "dative", "prt"):
        return None
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    if obj is None:
        return None
    return list(obj.subtree) + [t for c in verb.children if c.dep_ == "xcomp" and c.i > obj.i
                                for t in c.subtree]


def _is_interrupting(verb: Token) -> bool:
    """"The economy, he said, is fine": the cue hangs on the clause it reports."""
    return verb.dep_ in ("parataxis",) or (
        verb.dep_ in ("ccomp", "advcl") and verb.i > verb.head.i and _no_complement(verb)
        and any(c.dep_ in SUBJECT_DEPS for c in verb.children)
        and _preceded_by_comma(verb))


def _own_subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)


def _as_clause(verb: Token) -> bool:
    """"as mentioned", "as he noted": a cue in an "as" clause vouches for its head clause."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as"
                                        for c in verb.children)


def _no_complement(verb: Token) -> bool:
    return not any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in verb.children)


def _preceded_by_comma(verb: Token) -> bool:
    left = verb.left_edge
    return left.i > 0 and left.nbor(-1).text in (",", "\u2014", "--")


def _head_clause_without(verb: Token) -> list[Token]:
    """The clause a cue interrupts or vouches for, without the cue's own words and without
    a connective left in front of them ("However, as mentioned, X" -> "X")."""
    skip = {t.i for t in verb.subtree}
    kept = [t for t in verb.head.subtree if t.i not in skip]
    before = [t for t in kept if t.i < verb.left_edge.i]
    if before and all(t.is_punct or t.dep_ in ("advmod", "cc", "intj") for t in before):
        kept = [t for t in kept if t.i > verb.right_edge.i]
    return kept


def _preposition_cue(token: Token, lex: Lexicon) -> tuple[str, ...] | None:
    for phrase in lex.prepositions:
        if token.lower_ != phrase[0]:
            continue
        words = [t.lower_ for t in token.doc[token.i: token.i + len(phrase)]]
        if tuple(words) == phrase:
            return phrase
    return None


def _prep_candidate(work: Work, index: int, token: Token, phrase: tuple[str, ...]
                    ) -> Candidate | None:
    last = token.doc[token.i + len(phrase) - 1]
    objects = [c for c in last.children if c.dep_ in ("pobj", "dobj")]
    if not objects:
        return None
    source = objects[0]
    head = token.head
    while head.dep_ == "prep" and head.head is not head:
        head = head.head
    skip = {t.i for t in token.subtree} | {t.i for t in source.subtree}
    content = [t for t in head.subtree if t.i not in skip and t.i != token.i]
    cue = token_span(work, index, token.doc[token.i: token.i + len(phrase)])
    return Candidate(sentence=index, cue=cue, speaker=_np_span(work, index, source),
                     content=_tokens_span(work, index, content) if content else None,
                     head=token_span(work, index, source), group="preposition")


def _np_span(work: Work, index: int, head: Token) -> Span | None:
    """The noun phrase of ``head`` without relative clauses, appositions and trailing
    modifiers that hang off it after a comma, and without a dateline ("MACAU (Reuters) -")."""
    cut = {t.i for c in head.children if c.dep_ in CLAUSE_DEPS or (
        c.dep_ in NP_CUT_DEPS and c.i > head.i and _after_comma_or_clause(c))
        for t in c.subtree}
    kept = [t for t in head.subtree if t.i not in cut and t.text not in OPENERS + CLOSERS]
    dash = _dateline_dash(kept)
    if dash is not None:
        kept = [t for t in kept if t.i > dash.i]
        nominals = [t for t in kept if t.pos_ in ("PROPN", "NOUN", "PRON")]
        return _tokens_span(work, index, kept) if nominals else None
    return _tokens_span(work, index, _contiguous(kept, head))


def _in_parentheses(token: Token) -> bool:
    return token.i > 0 and token.nbor(-1).text == "("


def _dateline_dash(tokens: list[Token]) -> Token | None:
    """The dash closing a dateline ("WASHINGTON (AP) —") at the start of the sentence."""
    if not tokens or tokens[0].i != 0:
        return None
    for token in tokens:
        if token.text in ("-", "—", "–", "--"):
            before = [t for t in tokens if t.i < token.i and t.is_alpha]
            return token if before and all(t.is_upper or _in_parentheses(t)
                                           for t in before) else None
    return None


def _after_comma_or_clause(child: Token) -> bool:
    if child.dep_ in ("relcl", "acl", "advcl", "appos", "parataxis", "punct"):
        return True
    return child.i > 0 and child.nbor(-1).text == ","


def _contiguous(tokens: list[Token], anchor: Token) -> list[Token]:
    present = {t.i for t in tokens}
    lo = hi = anchor.i
    while lo - 1 in present:
        lo -= 1
    while hi + 1 in present:
        hi += 1
    return [t for t in tokens if lo <= t.i <= hi]


def _tokens_span(work: Work, index: int, tokens: Iterable[Token]) -> Span | None:
    items = sorted(tokens, key=lambda t: t.i)
    while items and (items[-1].is_punct and items[-1].text not in OPENERS + CLOSERS
                     or items[-1].dep_ == "cc"):
        items.pop()
    while items and items[0].is_punct and items[0].text not in OPENERS + CLOSERS:
        items.pop(0)
    if not items:
        return None
    base = work.offset(index)
    start, end = base + items[0].idx, base + items[-1].idx + len(items[-1].text)
    return span_of(work.article.text, start, end)


# ---------------------------------------------------------------- layout cues

DASH_SPEAKER = re.compile(
    r"[ \t]*[\u2015\u2014\u2013-]+[ \t]*([A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){0,4})")
MAX_LABEL_TOKENS = 6
LABEL_CONNECTORS = frozenset({"and", "of", "the", "de", "van", "von", "al", "bin"})


def layout_candidates(work: Work, quotations: list[Span], lex: Lexicon
                      ) -> Iterator[Candidate]:
    """Cues that are punctuation: "Sanders: Clinton needs to ..." (headlines, transcripts)
    and a quotation signed with a dash ("“...” \u2015 Jane Doe")."""
    for index in sorted(work.docs):
        cand = _colon_candidate(work, index, work.docs[index], lex)
        if cand is not None:
            yield cand
    text = work.article.text
    for quote in quotations:
        match = DASH_SPEAKER.match(text, quote.end)
        if match and word_count(quote) >= MIN_QUOTE_WORDS:
            yield _dash_candidate(work, quote, match)


def _colon_candidate(work: Work, index: int, doc: Doc, lex: Lexicon) -> Candidate | None:
    """"Sanders: Clinton needs to ...", "FALLIN: Well, I think ...", "HEADLINE - Jane Doe:
    “...”": a short name-like label opening a paragraph, then a colon."""
    colon = next((t for t in doc[: 2 * MAX_LABEL_TOKENS] if t.text == ":"), None)
    if colon is None or colon.i == 0 or not _paragraph_start(work, index):
        return None
    dashes = [t.i for t in doc[: colon.i] if t.text in ("-", "\u2014", "\u2013")]
    label = list(doc[dashes[-1] + 1 if dashes else 0: colon.i])
    if not _name_like(label, lex) or len(doc) - colon.i < 4:
        return None
    end = _paragraph_end(work, index)
    start = work.offset(index) + colon.idx + 1
    while start < end and work.article.text[start].isspace():
        start += 1
    return Candidate(sentence=index, cue=token_span(work, index, colon),
                     speaker=_tokens_span(work, index, label),
                     content=span_of(work.article.text, start, end),
                     head=token_span(work, index, label[-1]), group="colon", from_quote=True,
                     direct=work.article.text[start] in OPENERS)


def _name_like(label: list[Token], lex: Lexicon) -> bool:
    """A speaker label: 1-6 capitalised words (connectors allowed), no verb unless the
    label is in capitals (transcripts), and not a layout word such as "Update"."""
    words = [t for t in label if t.is_alpha]
    if not words or len(label) > MAX_LABEL_TOKENS or not label[0].text[:1].isupper():
        return False
    if " ".join(t.lower_ for t in label) in lex.not_speakers:
        return False
    if not all(t.text[:1].isupper() or t.lower_ in LABEL_CONNECTORS for t in words):
        return False
    shouting = all(t.is_upper for t in words)
    return shouting or (not any(t.pos_ in ("VERB", "AUX") for t in label)
                        and any(t.pos_ in ("PROPN", "NOUN") for t in label))


def _paragraph_start(work: Work, index: int) -> bool:
    sentences = work.article.sentences
    return index == 0 or sentences[index - 1].paragraph != sentences[index].paragraph


def _paragraph_end(work: Work, index: int) -> int:
    sentences = work.article.sentences
    last = index
    while last + 1 < len(sentences) and sentences[last + 1].paragraph == sentences[index].paragraph:
        last += 1
    return sentences[last].span.end


def _dash_candidate(work: Work, quote: Span, match: re.Match[str]) -> Candidate:
    text = work.article.text
    dash_start = match.start() + len(match.group(0)) - len(match.group(0).lstrip(" \t"))
    speaker = span_of(text, match.start(1), match.end(1))
    cue = span_of(text, dash_start, dash_start + 1)
    return Candidate(sentence=_sentence_at(work, quote.start), cue=cue, speaker=speaker,
                     content=quote, head=speaker,
                     direct=True, group="dash", from_quote=True)


def _sentence_at(work: Work, offset: int) -> int:
    sentences = work.article.sentences
    starts = work.scratch.get("sentence_starts")
    if starts is None or len(starts) != len(sentences):
        starts = work.scratch["sentence_starts"] = [s.span.start for s in sentences]
    i = bisect_right(starts, offset) - 1
    for sentence in sentences[max(0, i - 1): i + 1]:
        if sentence.span.start <= offset < sentence.span.end:
            return sentence.index
    return 0


# ---------------------------------------------------------------- quotations <-> cues


class Quotations:
    """The article's quotations (in text order, never overlapping) and the speech-like ones
    among them (at least MIN_QUOTE_WORDS words), indexed by position."""

    def __init__(self, quotations: list[Span]) -> None:
        self.all = DisjointSpans(quotations)
        self.speech = DisjointSpans([q for q in quotations if word_count(q) >= MIN_QUOTE_WORDS])


def attach_quotations(cands: list[Candidate], quotations: Quotations, text: str) -> None:
    """Widens contents to the quotations they overlap or touch, and marks them direct."""
    for cand in cands:
        quote = _quotation_for(cand, quotations, text)
        if quote is None:
            continue
        cand.content = _union(cand.content, quote) if cand.content else quote
        cand.direct = cand.content.start == quote.start and _coverage(quote, cand.content) >= 0.6
        cand.from_quote = True


def _quotation_for(cand: Candidate, quotations: Quotations, text: str) -> Span | None:
    if cand.content is not None:
        for quote in quotations.all.overlapping(cand.content.start, cand.content.end):
            if _inside(cand.cue, quote):
                continue
            if quotations.speech.containing(quote) is not None \
                    or _coverage(quote, cand.content) >= 0.6:
                return quote
        return None
    if not cand.quote_ok:
        return None
    clause_start = min(s.start for s in (cand.cue, cand.speaker) if s is not None)
    clause_end = max(s.end for s in (cand.cue, cand.speaker, cand.complements) if s is not None)
    before = quotations.speech.last_ending_by(clause_start)
    if before is not None and _gap_ok(text, before.end, clause_start):
        return before
    after = quotations.speech.first_starting_at(clause_end)
    if after is not None and _gap_ok(text, clause_end, after.start):
        return after
    return None


_NOT_GAP = re.compile(r"[^ \t,:;.\-\u2013\u2014\u2015\s]")


def _gap_ok(text: str, start: int, end: int) -> bool:
    """Whether only punctuation and spaces (QUOTE_GAP) lie between a quote and its clause.
    Only the quotation nearest the clause can pass (a farther one has the nearer one's words
    in between), and a gap with a word in it is refused at that word, without a copy."""
    if _NOT_GAP.search(text, start, end):
        return False
    return QUOTE_GAP.match(text[start:end]) is not None


def _nested(cand: Candidate, quotations: Quotations) -> bool:
    """A cue inside a quotation is the quoted person's own hedge ("I think ..."); annotators
    and readers attribute the whole quotation to the outer speaker instead."""
    return quotations.speech.containing(cand.cue) is not None


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _union(a: Span, b: Span) -> Span:
    start, end = min(a.start, b.start), max(a.end, b.end)
    text = a.text if (start, end) == (a.start, a.end) else None
    if text is None:
        text = b.text if (start, end) == (b.start, b.end) else ""
    return Span(start, end, text) if text else _join(a, b, start, end)


def _join(a: Span, b: Span, start: int, end: int) -> Span:
    left, right = (a, b) if a.start <= b.start else (b, a)
    gap = " " * max(0, right.start - left.end)
    merged = left.text + gap + right.text[max(0, left.end - right.start):]
    return Span(start, end, merged[: end - start])


def _coverage(part: Span, whole: Span) -> float:
    inter = max(0, min(part.end, whole.end) - max(part.start, whole.start))
    return inter / max(1, whole.end - whole.start)


# ---------------------------------------------------------------- speakers -> actors


class SpeakerResolver:
    """Links speaker phrases to actor mentions, in text order.

    A named speaker takes the actor mention over the head of its phrase; a pronoun, a
    role phrase ("the speaker", "the official") or a missing speaker ("as mentioned")
    takes the most recent compatible speaker or actor before it.
    """

    def __init__(self, work: Work, lex: Lexicon) -> None:
        self.article = work.article
        self.lex = lex
        self.subjects = sorted(_subject_offsets(work))
        self.mentions = ShortSpans([a.span for a in work.article.actors])
        self.earlier = _Earlier(work.article.actors)

    def resolve(self, cand: Candidate) -> Actor | None:
        actor = self._named(cand)
        if actor is None and self._refers_back(cand):
            actor = self._antecedent(cand)
        if actor is None:
            actor = self._affiliation(cand)
        if actor is not None:
            self.earlier.speaker(cand.cue.start, actor)
        return actor

    def _overlapping(self, span: Span) -> list[Actor]:
        """Actor mentions that overlap ``span``, in the actors stage's order."""
        return [self.article.actors[i] for i in self.mentions.overlapping(span.start, span.end)]

    def _named(self, cand: Candidate) -> Actor | None:
        """The mention over the head of the speaker phrase ("Sen. Jane Doe", "the ministry")."""
        if cand.speaker is None or cand.head is None:
            return None
        over_head = [a for a in self._overlapping(cand.speaker)
                     if a.span and _overlap(a.span, cand.head)]
        return _best_mention(over_head) if over_head else None

    def _affiliation(self, cand: Candidate) -> Actor | None:
        """"a spokesman for the Foreign Ministry": the body a role speaks for."""
        if cand.speaker is None or cand.speaker_head not in self.lex.role_nouns:
            return None
        mentions = self._overlapping(cand.speaker)
        return _best_mention(mentions) if mentions else None

    def _refers_back(self, cand: Candidate) -> bool:
        if cand.speaker is None:
            return cand.anaphoric
        head = cand.speaker_head
        if head in self.lex.pronouns_person or head in self.lex.pronouns_group:
            return True
        indefinite = cand.speaker.text.lower().split()[0] in ("a", "an", "one", "some")
        return head in self.lex.role_nouns and not indefinite

    def _antecedent(self, cand: Candidate) -> Actor | None:
        """The latest earlier speaker or actor mention of a compatible kind."""
        start = cand.speaker.start if cand.speaker is not None else cand.cue.start
        want_person = cand.speaker is None or cand.speaker_head not in self.lex.pronouns_group
        recent = self.earlier.fitting(start, want_person, self._country_hint(cand))
        fits = [(pos, salient or covers(self.subjects, a.span.start, a.span.end), a)
                if a.span is not None else (pos, salient, a) for pos, salient, a in recent]
        fits.sort(key=lambda p: p[0], reverse=True)
        salient = [p for p in fits if p[1] and p[0] >= fits[0][0] - SALIENCE_WINDOW] \
            if fits else []
        return (salient or fits)[0][2] if fits else None

    def _country_hint(self, cand: Candidate) -> str | None:
        """"Russian foreign office official": a country named inside the phrase."""
        if cand.speaker is None:
            return None
        countries = [a.country for a in self._overlapping(cand.speaker)
                     if a.kind != "person" and a.country]
        return countries[0] if countries else None


SALIENCE_WINDOW = 400  # characters: a subject this much before the latest mention still wins
ANY_COUNTRY = "*"


class _Timeline:
    """Earlier speakers or actor mentions of one kind, by position (for "he said")."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.items: list[tuple[int, int, Actor]] = []  # (end, order, actor)

    def add(self, start: int, end: int, order: int, actor: Actor) -> None:
        self.starts.append(start)
        self.items.append((end, order, actor))

    def before(self, pos: int) -> Iterator[tuple[int, int, Actor]]:
        """(start, order, actor) of the items ending by ``pos``, latest start first."""
        i = bisect_right(self.starts, pos) - 1
        while i >= 0:
            end, order, actor = self.items[i]
            if end <= pos:
                yield self.starts[i], order, actor
            i -= 1


class _Earlier:
    """What a pronoun or role phrase may refer back to: earlier speakers (salient) and
    actor mentions ending before it, by kind (person or not) and country. Only the ones
    near the latest fitting one are looked at (the salience window), so each query costs
    what is near it, not the whole article."""

    def __init__(self, actors: list[Actor]) -> None:
        self.lines: dict[tuple[bool, bool, str | None], _Timeline] = {}
        self.spoken = 0
        mentions = sorted((a.span.start, i) for i, a in enumerate(actors) if a.span is not None)
        for start, i in mentions:
            span = actors[i].span
            assert span is not None
            self._add(False, start, span.end, i, actors[i])

    def speaker(self, pos: int, actor: Actor) -> None:
        self._add(True, pos, pos + 1, self.spoken, actor)
        self.spoken += 1

    def _add(self, spoken: bool, start: int, end: int, order: int, actor: Actor) -> None:
        person = actor.kind == "person"
        for country in (ANY_COUNTRY, actor.country):
            line = self.lines.setdefault((spoken, person, country), _Timeline())
            line.add(start, end, order, actor)

    def fitting(self, pos: int, person: bool, country: str | None
                ) -> list[tuple[int, bool, Actor]]:
        """(position, spoken, actor) of the fitting ones within the salience window of the
        latest, earlier speakers first, each part in the order it was added."""
        countries = (ANY_COUNTRY,) if country is None else (None, country)
        lines = [(spoken, self.lines.get((spoken, person, c))) for spoken in (True, False)
                 for c in countries]
        heads = [next(line.before(pos), None) for _, line in lines if line is not None]
        tops = [h[0] for h in heads if h is not None]
        if not tops:
            return []
        floor = max(tops) - SALIENCE_WINDOW
        near: list[tuple[bool, int, int, Actor]] = []
        for spoken, line in lines:
            for start, order, actor in line.before(pos) if line is not None else ():
                if start < floor:
                    break
                near.append((not spoken, order, start, actor))
        near.sort(key=lambda n: (n[0], n[1]))
        return [(start, not later, actor) for later, _, start, actor in near]


def _subject_offsets(work: Work) -> set[int]:
    return {work.offset(i) + t.idx for i, doc in work.docs.items() for t in doc
            if t.dep_ in ("nsubj", "nsubjpass")}


def _best_mention(mentions: list[Actor]) -> Actor:
    """A person over an organisation over a country; then the longest mention."""
    rank = {"person": 0, "org": 1, "igo": 1, "group": 1}
    return min(mentions, key=lambda a: (rank.get(a.kind, 2),
                                        -((a.span.end - a.span.start) if a.span else 0)))


# ---------------------------------------------------------------- claims on events


def mark_claims(events: Iterable[Event], quotes: list[Quote]) -> None:
    """Sets ``claimed_by`` on events reported inside a quote's content (their trigger, or
    their whole evidence when there is no trigger), unless the claimant is one of the
    event's own actors. Earlier stages' values are kept."""
    for event in events:
        if event.claimed_by is not None:
            continue
        quote = _quote_around(event, quotes)
        if quote is None or quote.speaker is None:
            continue
        if quote.speaker.key and quote.speaker.key in {a.key for a in event.actors}:
            continue
        event.claimed_by = quote.speaker


def _quote_around(event: Event, quotes: list[Quote]) -> Quote | None:
    target = event.evidence.trigger or event.evidence.span
    inside = [q for q in quotes if q.speaker is not None and _inside(target, q.content)]
    return min(inside, key=lambda q: q.content.end - q.content.start) if inside else None


# ---------------------------------------------------------------- the stage


class AttributionStage:
    """Finds quotes and claims with their speakers; marks events reported second-hand."""

    name = "attribution"

    def __init__(self, lexicon: Lexicon, res: Resources | None = None) -> None:
        self.lexicon = lexicon
        self.res = res

    def __call__(self, work: Work) -> None:
        article = work.article
        found = find_quotations(article.text)
        self._parse_around_event_quotes(work, found)
        cands: list[Candidate] = []
        for index in sorted(work.docs):
            work.deadline.check(self.name)
            cands.extend(candidates_in(work, index, work.docs[index], self.lexicon))
        layout = list(layout_candidates(work, found, self.lexicon))
        quotations = Quotations(found)
        spoken = Cover([c.content for c in layout
                        if c.content is not None and word_count(c.content) >= MIN_QUOTE_WORDS])
        cands = [c for c in cands if not _nested(c, quotations) and not spoken.holds(c.cue)]
        attach_quotations(cands, quotations, article.text)
        cands.extend(layout)
        kept = [c for c in cands if c.content is not None
                and (c.speaker or c.from_quote or c.anaphoric or c.sourceless)]
        kept = _outermost(kept)
        kept.sort(key=lambda c: (c.cue.start, c.content.start if c.content else 0))
        work.deadline.check(self.name)
        resolver = SpeakerResolver(work, self.lexicon)
        quotes = [self._quote(article, c, resolver) for c in _dedupe(kept)]
        new = [q for q in quotes if q is not None]
        article.quotes.extend(new)
        mark_claims(article.events, new)

    def _parse_around_event_quotes(self, work: Work, quotations: list[Span]) -> None:
        """When only candidate sentences were parsed, an event inside a quotation may have
        its cue in a sentence nobody parsed ("“... attacked the town. ...,” she said."):
        parse the sentences of that quotation and the one on each side of it."""
        if self.res is None:
            return
        todo = sorted(_sentences_near_event_quotes(work, quotations) - set(work.docs))
        if not todo:
            return
        texts = (work.article.sentences[i].span.text.replace("\n", " ") for i in todo)
        for index, doc in zip(todo, self.res.nlp.pipe(texts), strict=True):
            work.docs[index] = doc

    def _quote(self, article: Article, cand: Candidate, resolver: SpeakerResolver
               ) -> Quote | None:
        if cand.content is None:
            return None
        speaker = resolver.resolve(cand)
        if cand.speaker is None and speaker is None and not cand.sourceless:
            return None
        content = span_of(article.text, cand.content.start, cand.content.end)
        return Quote(content=content, speaker=speaker, speaker_span=cand.speaker, cue=cand.cue,
                     direct=cand.direct)


def _outermost(cands: list[Candidate]) -> list[Candidate]:
    """Drops cues embedded in another claim's content ("X said that Y believes Z" is X's
    claim): readers, and PolNeAR's annotators, credit the outer source. The head clause
    that "according to" vouches for keeps its own cue ("Voters said ..., according to a
    poll")."""
    outer = Cover([c.content for c in cands
                   if c.content is not None and c.group != "preposition"])
    return [c for c in cands if not outer.holds(c.cue, besides=c.content)]


def _sentences_near_event_quotes(work: Work, quotations: list[Span]) -> set[int]:
    sentences = work.article.sentences
    targets = sorted((t.start, t.end) for t in
                     (e.evidence.trigger or e.evidence.span for e in work.article.events))
    starts = [s.span.start for s in sentences]
    wanted: set[int] = set()
    for quote in quotations:
        if word_count(quote) < MIN_QUOTE_WORDS or not _holds_one(quote, targets):
            continue
        inside = _overlapping_sentences(sentences, starts, quote)
        if inside:
            wanted.update(range(max(0, inside[0] - 1), min(len(sentences), inside[-1] + 2)))
    return wanted


def _holds_one(quote: Span, targets: list[tuple[int, int]]) -> bool:
    """Whether ``quote`` holds one of the sorted (start, end) targets."""
    i = bisect_left(targets, (quote.start, -1))
    while i < len(targets) and targets[i][0] <= quote.end:
        if targets[i][1] <= quote.end:
            return True
        i += 1
    return False


def _overlapping_sentences(sentences: list[Sentence], starts: list[int], span: Span
                           ) -> list[int]:
    """Indices of the sentences overlapping ``span`` (sentences are in text order)."""
    i = max(0, bisect_right(starts, span.start) - 1)
    found = []
    while i < len(sentences) and sentences[i].span.start < span.end:
        if _overlap(sentences[i].span, span):
            found.append(sentences[i].index)
        i += 1
    return found


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One quote per content span (the store keys quotes by it): the first cue wins."""
    seen: set[tuple[int, int]] = set()
    out = []
    for cand in cands:
        if cand.content is None:
            continue
        key = (cand.content.start, cand.content.end)
        if key not in seen:
            seen.add(key)
            out.append(cand)
    return out


def build(res: Resources) -> AttributionStage:
    return AttributionStage(res.get("attribution.lexicon", load_lexicon), res)


__all__ = ["AttributionStage", "Actor", "build", "find_quotations", "load_lexicon"]
