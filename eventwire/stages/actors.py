"""Actors: countries, organisations, groups and persons, one Actor per mention.

Reads ``article.sentences``, ``article.published`` (for time-scoped roles) and ``work.docs``
(the parse of candidate sentences), and the dictionaries in ``data/actors/``: countries.json
(built by ``eventwire.data.build_actors`` from pycountry + countryinfo and the reviewed
country_overrides.toml), orgs.toml (organisations, groups, IGOs, kinds of state bodies),
persons.toml (office holders with dated roles), sectors.toml (sector nouns), titles.toml
(office words). Writes ``article.actors`` (one per mention, with its span and an article-wide
``key``; a person's span covers the title with the name) and ``article.entities`` (spaCy ents
of parsed sentences with source "ner", dictionary hits "dictionary", names found after titles
"title").

Per sentence:
1. dictionary hits, longest first (country names, demonyms, capitals, organisations,
   institutions such as "Foreign Ministry", sector nouns such as "forces");
2. phrases: a country with the institutions and sector nouns after it ("Afghan government
   forces" -> AFG MIL, "Russian MFA" -> Ministry of Foreign Affairs of Russia, "the
   government of Turkmenistan");
3. titles (parsed sentences): modifiers and an office head, the "of/for ..." phrases after
   it and the capitalised name that follows, so a person is found where NER misses it;
   a title with no name refers back to a person named before when exactly one fits;
4. persons of the dictionary and persons the NER found, and later mentions of a known
   person's name or surname;
5. capitals standing for governments ("Moscow said") when the parse makes them a subject.
Dictionary matching also runs on sentences that were not parsed; steps 3-5 need a parse.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING, Any

from spacy.attrs import ORTH

from eventwire.errors import EventwireError
from eventwire.ids import actor_key, group_key
from eventwire.model import Actor, Article, Entity, Span
from eventwire.stages import Work

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from eventwire.gazetteer import Gazetteer
    from eventwire.resources import Resources

DATA_DIR = "data/actors"
COUNTRYISH = frozenset({"country", "demonym", "capital"})
ORGISH = frozenset({"org", "institution"})
CITY_MIN_POPULATION = 100_000  # a city that gives "<city> police" its country
CITY_DOMINANCE = 5  # ... and is this many times as populous as a namesake elsewhere
PLACE_LABELS = frozenset({"GPE", "LOC"})
CITY_PARTICLES = frozenset({"de", "da", "do", "del", "di", "al", "el", "la", "es", "sur", "am"})
POSSESSIVE = frozenset({"'s", "’s", "'"})
CHAIN_PREPS = frozenset({"of", "for", "to", "at", "on"})
INDEFINITE = frozenset({"a", "an", "another", "one", "some", "any", "no", "each", "every"})
PARTISAN = frozenset({"pro", "anti"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
ENTITY_LABEL = {"country": "GPE", "capital": "GPE", "demonym": "NORP", "org": "ORG",
                "institution": "ORG"}


# ---------------------------------------------------------------- dictionary (data)


@dataclass(frozen=True, slots=True)
class Role:
    """Country and sector of an organisation, possibly limited in time (ISO dates)."""

    country: str | None
    sector: str | None
    since: str = ""
    until: str = ""
    office: str = ""

    def holds_on(self, day: str) -> bool:
        return (not self.since or self.since <= day) and (not self.until or day < self.until)


@dataclass(frozen=True, slots=True)
class Entry:
    """One dictionary entry; ``type`` is country, demonym, capital, org, institution,
    noun, person or block (a longer name that is not an actor, such as "Latin America")."""

    type: str
    name: str
    code: str | None = None
    kind: str = "country"
    sector: str | None = None
    roles: tuple[Role, ...] = ()
    cameo: str | None = None
    bare: bool = False

    def role(self, published: str | None) -> Role:
        """The role in force on ``published`` (the latest one when undated)."""
        if not self.roles:
            return Role(self.code, self.sector)
        day = (published or "")[:10]
        for role in self.roles if day else ():
            if role.holds_on(day):
                return role
        return self.roles[-1]

    def holds_on(self, published: str | None) -> bool:
        day = (published or "")[:10]
        return bool(day) and any(r.holds_on(day) for r in self.roles)

    def person_role(self, published: str | None) -> Role:
        """A person's role on ``published``; ELI (former official) after the last one ends,
        the country alone before the first one starts, the latest one when undated."""
        day = (published or "")[:10]
        if not day:
            return self.roles[-1]
        for role in self.roles:
            if role.holds_on(day):
                return role
        ended = [r for r in self.roles if r.until and r.until <= day]
        if ended:
            last = ended[-1]
            return Role(last.country, "ELI", office=f"former {last.office}".strip())
        return Role(self.roles[0].country, None)


@dataclass(frozen=True, slots=True)
class Alias:
    entry: Entry
    case: str  # "exact" (acronyms), "cap" (capitalised words as written) or "any"
    text: tuple[str, ...]

    def accepts(self, texts: Sequence[str]) -> bool:
        if self.case == "any":
            return True
        if self.case == "exact":
            return tuple(_norm(t) for t in texts) == self.text
        return all(t[:1].isupper() for a, t in zip(self.text, texts, strict=True)
                   if a[:1].isupper())


@dataclass(frozen=True)
class TitleWords:
    heads: dict[tuple[str, ...], str | None]
    head_len: int
    modifiers: dict[str, str | None]
    portfolios: frozenset[str]
    org_heads: frozenset[str]
    back_refs: frozenset[str]
    speakers: frozenset[str]
    descriptors: frozenset[str]
    speech_verbs: frozenset[str]
    place_verbs: frozenset[str]
    particles: frozenset[str]
    not_names: frozenset[str]
    org_words: frozenset[str]
    destinations: dict[str, frozenset[str]] = field(default_factory=dict)
    head_starts: dict[str, int] = field(default_factory=dict)  # first word -> longest head

    def is_title_word(self, word: str) -> bool:
        return (word in self.modifiers or (word,) in self.heads or word in self.portfolios
                or word in self.org_heads)


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    demonym: str | None


@dataclass(frozen=True)
class Dictionary:
    index: dict[tuple[str, ...], tuple[Alias, ...]]
    max_len: int
    starts: dict[str, int]  # first word of an alias -> longest alias starting with it
    countries: dict[str, Country]
    labels: dict[str, str]
    titles: TitleWords
    cameo: dict[str, str]

    def country_name(self, code: str | None) -> str:
        return self.countries[code].name if code in self.countries else (code or "")

    def adjective(self, code: str) -> str:
        c = self.countries.get(code)
        return (c.demonym or c.name) if c else code


def _norm(word: str) -> str:
    if "’" not in word and "‘" not in word:
        return word
    return word.replace("’", "'").replace("‘", "'")


def _read(name: str) -> str:
    path = importlib_resources.files("eventwire").joinpath(f"{DATA_DIR}/{name}")
    try:
        return path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise EventwireError("E030", f"actor data file {DATA_DIR}/{name} is missing",
                             "reinstall eventwire, or run python -m eventwire.data.build_actors"
                             " for countries.json") from exc


def _toml(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(_read(name))
    except tomllib.TOMLDecodeError as exc:
        raise EventwireError("E031", f"actor data file {DATA_DIR}/{name} is not valid TOML: "
                             f"{exc}", "fix the syntax of that file") from exc


def _case(alias: str, lower_ok: bool) -> str:
    """Acronyms and mixed-case forms ("UN", "LeT", "MoD") match only as written."""
    letters = [c for c in alias if c.isalpha()]
    inner_caps = any(c.isupper() for word in alias.split() for c in word[1:] if c.isalpha())
    if len(letters) >= 2 and (all(c.isupper() for c in letters) or inner_caps):
        return "exact"
    return "any" if lower_ok else "cap"


class _Builder:
    """Collects aliases into the lookup index, tokenised like the sentences are."""

    def __init__(self, tokenizer: Language) -> None:
        self.tokenizer = tokenizer
        self.index: dict[tuple[str, ...], list[Alias]] = {}

    def words(self, text: str) -> tuple[str, ...]:
        return tuple(_norm(t.text) for t in self.tokenizer.make_doc(text) if not t.is_space)

    def add(self, alias: str, entry: Entry, lower_ok: bool = False) -> None:
        text = self.words(alias)
        if not text:
            return
        key = tuple(w.lower() for w in text)
        found = self.index.setdefault(key, [])
        if all(a.entry != entry for a in found):
            found.append(Alias(entry, _case(alias, lower_ok), text))

    def frozen(self) -> tuple[dict[tuple[str, ...], tuple[Alias, ...]], int, dict[str, int]]:
        index = {k: tuple(v) for k, v in self.index.items()}
        return index, max((len(k) for k in index), default=1), _starts(index)


def _add_countries(b: _Builder, data: dict[str, Any]) -> dict[str, Country]:
    countries: dict[str, Country] = {}
    for form in data.get("blocked", []):
        b.add(form, Entry("block", form))
    for c in data["countries"]:
        code, name = c["code"], c["name"]
        countries[code] = Country(code, name, (c["demonyms"] or [None])[0])
        for form in c["names"]:
            b.add(form, Entry("country", name, code))
        for form in c["demonyms"]:
            b.add(form, Entry("demonym", name, code))
        for form in c["capitals"] if c.get("sovereign", True) else []:
            b.add(form, Entry("capital", name, code))
    return countries


def _org_entry(spec: dict[str, Any]) -> Entry:
    roles = tuple(Role(r.get("country"), r.get("sector"), r.get("since", ""),
                       r.get("until", "")) for r in spec.get("roles", []))
    if not roles:
        roles = (Role(spec.get("country"), spec.get("sector")),)
    return Entry("org", spec["name"], spec.get("code"), spec.get("kind", "org"),
                 spec.get("sector"), roles, spec.get("cameo"))


def _add_orgs(b: _Builder, data: dict[str, Any]) -> dict[str, str]:
    cameo: dict[str, str] = {}
    for spec in data.get("org", []):
        entry = _org_entry(spec)
        for alias in spec["aliases"]:
            b.add(alias, entry)
        if entry.cameo:
            cameo.setdefault(entry.code or entry.name, entry.cameo)
    for spec in data.get("institution", []):
        entry = Entry("institution", spec["name"], None, "org", spec.get("sector"))
        for alias in spec["aliases"]:
            b.add(alias, entry, lower_ok=bool(spec.get("lower", False)))
    return cameo


def _add_nouns(b: _Builder, data: dict[str, Any]) -> None:
    bare = {w.lower() for w in data.get("bare", {}).get("words", [])}
    for sector, words in data["nouns"].items():
        for word in words:
            b.add(word, Entry("noun", word.lower(), None, "country", sector,
                              bare=word.lower() in bare), lower_ok=True)


def _words(table: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in table.get(key, {}).get("words", []))


def _titles(b: _Builder, data: dict[str, Any]) -> TitleWords:
    heads: dict[tuple[str, ...], str | None] = {}
    for sector, words in data["heads"].items():
        for word in words:
            heads.setdefault(tuple(w.lower() for w in b.words(word)), sector or None)
    modifiers = {w.lower(): (sector or None)
                 for sector, words in data["modifiers"].items() for w in words}
    return TitleWords(
        heads, max(len(k) for k in heads), modifiers, _words(data, "portfolios"),
        _words(data, "org_heads"), _words(data, "back_references"), _words(data, "speakers"),
        _words(data, "descriptors"), _words(data, "speech_verbs"), _words(data, "place_verbs"),
        _words(data, "name_particles"),
        frozenset(data.get("not_names", {}).get("words", [])), _words(data, "org_words"),
        {prep: frozenset(w.lower() for w in words)
         for prep, words in data.get("destinations", {}).items()},
        _starts(heads))


def _add_persons(b: _Builder, data: dict[str, Any]) -> None:
    for spec in data.get("person", []):
        roles = tuple(Role(r.get("country", spec.get("country")), r.get("sector"),
                           r.get("since", ""), r.get("until", ""), r.get("office", ""))
                      for r in spec["roles"])
        entry = Entry("person", spec["name"], spec.get("code"), "person", None, roles)
        for alias in spec["aliases"]:
            b.add(alias, entry)


def load_dictionary(res: Resources) -> Dictionary:
    """Reads every actor data file once (use ``res.get("actors.dictionary", ...)``)."""
    b = _Builder(res.segmenter)
    countries = _add_countries(b, json.loads(_read("countries.json")))
    cameo = _add_orgs(b, _toml("orgs.toml"))
    _add_persons(b, _toml("persons.toml"))
    sectors = _toml("sectors.toml")
    _add_nouns(b, sectors)
    titles = _titles(b, _toml("titles.toml"))
    index, max_len, starts = b.frozen()
    return Dictionary(index, max_len, starts, countries, dict(sectors["labels"]), titles, cameo)


def dictionary(res: Resources) -> Dictionary:
    return res.get("actors.dictionary", load_dictionary)


_STOP = frozenset({"of", "the", "and", "for", "in", "on", "to", "a", "an", "'s", "-", "&", "de",
                   "al", "la", "le", "'"})


def actor_forms(res: Resources) -> frozenset[str]:
    """Lower-case single words that may belong to an actor mention, for the cheap pass
    (English function words such as "us" or "who", which acronyms share, are left out)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    d = dictionary(res)
    words: set[str] = set()
    for key, aliases in d.index.items():
        if all(a.entry.type == "block" for a in aliases):
            continue
        words.update(key)
    words.update(w for head in d.titles.heads for w in head)
    return frozenset(w for w in words if w not in _STOP and w not in STOP_WORDS
                     and len(w) > 1 and w.replace("-", "").replace("'", "").isalpha())


# ---------------------------------------------------------------- sentence analysis


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    entry: Entry


@dataclass(slots=True)
class Phrase:
    """Dictionary hits read together: [country] [institutions/nouns...] or an organisation."""

    start: int
    end: int
    country: str | None = None
    source: Entry | None = None
    head: Entry | None = None

    @property
    def meaningful(self) -> bool:
        return self.country is not None or (self.head is not None and self.head.type in ORGISH)


@dataclass(slots=True)
class Title:
    start: int
    core: int
    head_end: int
    end: int
    head: str
    sector: str | None
    pre: Phrase | None = None
    country: str | None = None
    country_seg: tuple[int, int] | None = None
    org: Phrase | None = None
    noun_sector: str | None = None
    name: tuple[int, int] | None = None


@dataclass
class Person:
    """A person named in the article (or an office holder, ``named`` false)."""

    name: str
    key: str
    code: str | None
    country: str | None
    sector: str | None
    office: str | None
    org: str | None
    named: bool = True
    source: str = "title"

    @property
    def surname(self) -> str:
        return self.name.split()[-1].lower()

    @property
    def recallable(self) -> bool:
        """May a later surname-only mention refer to this person? Not for one-word names the
        NER alone proposed (they are often organisations or products)."""
        return self.named and (self.source != "ner" or len(self.name.split()) > 1)

    def actor(self, span: Span) -> Actor:
        return Actor(self.name, self.code, self.country, self.sector, "person", self.office,
                     self.key, span)

    def update(self, fields: dict[str, Any]) -> None:
        for name in ("code", "country", "sector", "office", "org"):
            if getattr(self, name) is None:
                setattr(self, name, fields.get(name))


@dataclass
class ArticleState:
    """What earlier sentences of the article established (persons, last speaker)."""

    published: str | None
    persons: list[Person] = field(default_factory=list)
    last_speaker: Person | None = None
    institutions: dict[str, list[Actor]] = field(default_factory=dict)
    # indexes of ``persons`` (a person's name, named and source never change once made):
    # the first person of each name, as written and lower-cased, and the recallable ones
    # by surname, so that a look-up costs the same in a long article as in a short one
    _names: dict[str, Person] = field(default_factory=dict, repr=False)
    _lower: dict[str, Person] = field(default_factory=dict, repr=False)
    _surnames: dict[str, list[Person]] = field(default_factory=dict, repr=False)

    def add(self, person: Person) -> None:
        self.persons.append(person)
        self._names.setdefault(person.name, person)
        self._lower.setdefault(person.name.lower(), person)
        if person.recallable:
            self._surnames.setdefault(person.surname, []).append(person)

    def named(self, name: str) -> Person | None:
        """The first person with exactly this name."""
        return self._names.get(name)

    def recallable_surnames(self) -> dict[str, list[Person]]:
        return self._surnames

    def by_name(self, name: str) -> Person | None:
        low = " ".join(name.lower().split())
        if low in self._lower:
            return self._lower[low]
        last = low.split()[-1] if low else ""
        found = self._surnames.get(last, [])
        return found[0] if len(found) == 1 else None


@dataclass
class Sent:
    """One sentence being analysed: its tokens and what was found in it."""

    index: int
    base: int
    doc: Doc
    parsed: bool
    words: list[str]
    hits: list[Hit] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    mentions: list[tuple[int, int, Actor]] = field(default_factory=list)
    names: list[tuple[int, int]] = field(default_factory=list)

    @property
    def hit_tokens(self) -> set[int]:
        """Tokens of dictionary hits that cannot be part of a personal name."""
        return {i for h in self.hits if h.entry.type not in ("noun", "person")
                for i in range(h.start, h.end)}

    def person_in(self, start: int, end: int) -> Entry | None:
        return next((h.entry for h in self.hits if h.entry.type == "person"
                     and start <= h.start and h.end <= end), None)

    def span(self, start: int, end: int) -> Span:
        """Article span from token ``start`` to token ``end`` (exclusive)."""
        first, last = self.doc[start], self.doc[end - 1]
        s, e = self.base + first.idx, self.base + last.idx + len(last.text)
        return Span(s, e, "")

    def free(self, start: int, end: int) -> bool:
        return not any(i in self.used for i in range(start, end))

    def add(self, start: int, end: int, actor: Actor) -> None:
        self.used.update(range(start, end))
        self.mentions.append((start, end, actor))


def match_hits(d: Dictionary, doc: Doc, words: list[str],
               published: str | None = None) -> list[Hit]:
    """Longest dictionary matches, left to right, not overlapping."""
    hits: list[Hit] = []
    low = [w.lower() for w in words]
    i, n = 0, len(words)
    while i < n:
        hit = _longest_at(d, doc, low, i, published)
        if hit is None:
            i += 1
            continue
        hits.append(hit)
        i = hit.end
    return hits


def _longest_at(d: Dictionary, doc: Doc, low: list[str], i: int,
                published: str | None) -> Hit | None:
    """The longest alias at word ``i`` (``low``: the sentence's words in lower case)."""
    longest = d.starts.get(low[i], 0)
    if not longest or _partisan(low, i):
        return None  # "pro-Syrian ministers", "anti-US protests": not Syria, not the US
    for size in range(min(longest, len(low) - i), 0, -1):
        aliases = d.index.get(tuple(low[i:i + size]))
        if not aliases:
            continue
        texts = [doc[j].text for j in range(i, i + size)]
        entry = _choose([a.entry for a in aliases if a.accepts(texts)], published)
        if entry is not None:
            return Hit(i, i + size, entry)
    return None


def _partisan(words: list[str], i: int) -> bool:
    """A name right after "pro-" or "anti-" names a side taken, not the actor."""
    return i >= 2 and words[i - 1] == "-" and words[i - 2].lower() in PARTISAN


def _choose(entries: list[Entry], published: str | None) -> Entry | None:
    """The first entry; among persons sharing a name, the one in office on the date. A person
    whose first role starts after the article was published is probably someone else."""
    day = (published or "")[:10]
    entries = [e for e in entries if e.type != "person" or not day
               or e.roles[0].since <= day]
    persons = [e for e in entries if e.type == "person"]
    if len(persons) < 2:
        return entries[0] if entries else None
    current = [e for e in persons if e.holds_on(published)]
    return current[0] if len(current) == 1 else None


def build_phrases(s: Sent, published: str | None) -> list[Phrase]:
    """Groups adjacent hits: a country with the institutions and nouns after it, an
    organisation (with a demonym of its own country before it), then "X of COUNTRY"."""
    phrases: list[Phrase] = []
    for hit in s.hits:
        if hit.entry.type == "block":
            continue
        last = phrases[-1] if phrases else None
        if last is not None and _extends(s, last, hit, published):
            last.end, last.head = hit.end, hit.entry
            continue
        phrases.append(_phrase_of(hit, published))
    return _attach_of(s, phrases)


def _phrase_of(hit: Hit, published: str | None) -> Phrase:
    e = hit.entry
    if e.type in COUNTRYISH:
        return Phrase(hit.start, hit.end, e.code, e, None)
    country = e.role(published).country if e.type == "org" else None
    return Phrase(hit.start, hit.end, country, None, e)


def _adjacent(s: Sent, end: int, start: int) -> bool:
    return end == start or (start == end + 1 and s.words[end] in POSSESSIVE)


def _extends(s: Sent, last: Phrase, hit: Hit, published: str | None) -> bool:
    if not _adjacent(s, last.end, hit.start) or hit.entry.type in COUNTRYISH | {"person"}:
        return False
    if last.head is not None and last.head.type == "person":
        return False
    if last.head is not None and last.head.type == "org":
        return False
    if hit.entry.type == "org":
        role = hit.entry.role(published)
        return last.head is None and last.country is not None and role.country == last.country
    return last.country is not None or last.head is not None


def city_prefix(s: Sent, phrases: list[Phrase], gaz: Gazetteer) -> None:
    """ "Istanbul police", "Karachi authorities": a large city named right before an
    institution or group noun that has no country gives it the city's country, when the NER
    model tagged the name as a place and no other place of that name elsewhere comes close in
    population (nor a region of another country has it: "Norfolk")."""
    if not (s.parsed and s.doc.has_annotation("ENT_IOB")):
        return  # no NER here (claim-only or unparsed sentence): "Drug", "Hayden" stay names
    hits = s.hit_tokens
    for p in phrases:
        if p.country is not None or p.head is None or p.head.type not in ("institution", "noun"):
            continue
        for size in (3, 2, 1):
            start = p.start - size
            words = s.words[max(start, 0):p.start]
            if start < 0 or any(i in hits for i in range(start, p.start)):
                continue
            if (_name_words(words)
                    and all(s.doc[i].ent_type_ in PLACE_LABELS for i in range(start, p.start))):
                country = _city_country(gaz, " ".join(words))
                if country is not None:
                    p.start, p.country = start, country
                    break


def _name_words(words: list[str]) -> bool:
    """Capitalised words, with lower-case particles only inside ("Rio de Janeiro")."""
    return (bool(words) and all(w.isalpha() for w in words) and words[0][:1].isupper()
            and words[-1][:1].isupper()
            and all(w[:1].isupper() or w in CITY_PARTICLES for w in words))


def _city_country(gaz: Gazetteer, name: str) -> str | None:
    found = gaz.lookup(name)
    places = sorted((c for c in found if c.fclass == "P" and c.iso3), key=lambda c: -c.population)
    if not places or places[0].population < CITY_MIN_POPULATION:
        return None
    top = places[0]
    if any(c.population * CITY_DOMINANCE > top.population for c in places[1:]
           if c.iso3 != top.iso3):
        return None
    if any(c.fclass == "A" and c.iso3 != top.iso3 for c in found):
        return None  # also a region of another country
    return top.iso3


def _attach_of(s: Sent, phrases: list[Phrase]) -> list[Phrase]:
    """ "the government of Turkmenistan": a country after "of" gives the phrase its country."""
    out: list[Phrase] = []
    i = 0
    while i < len(phrases):
        p = phrases[i]
        nxt = phrases[i + 1] if i + 1 < len(phrases) else None
        if (nxt is not None and p.country is None and p.head is not None
                and p.head.type in ("institution", "noun") and nxt.head is None
                and nxt.source is not None
                and nxt.source.type != "capital" and _of_between(s, p.end, nxt.start)):
            p.end, p.country, p.source = nxt.end, nxt.country, nxt.source
            i += 1
        out.append(p)
        i += 1
    return out


def _of_between(s: Sent, end: int, start: int) -> bool:
    return [w.lower() for w in s.words[end:start]] in (["of"], ["of", "the"])


# ---------------------------------------------------------------- titles and names


def _starts(keys: Iterable[tuple[str, ...]]) -> dict[str, int]:
    """First word -> length of the longest key that starts with it."""
    out: dict[str, int] = {}
    for key in keys:
        out[key[0]] = max(out.get(key[0], 0), len(key))
    return out


def _head_at(t: TitleWords, words: list[str], i: int) -> tuple[int, str | None] | None:
    longest = t.head_starts.get(words[i].lower(), 0)
    for size in range(min(longest, len(words) - i), 0, -1):
        key = tuple(w.lower() for w in words[i:i + size])
        if key in t.heads:
            return size, t.heads[key]
    return None


def _core_at(t: TitleWords, s: Sent, blocked: set[int], i: int) -> Title | None:
    """Modifiers and heads from token ``i``; the title core ends at its last head."""
    j, last = i, None
    mods: list[str] = []
    while j < len(s.words) and j not in blocked:
        w = s.words[j].lower()
        head = _head_at(t, s.words, j)
        if head is not None:
            last = (j, j + head[0], head[1])
            j += head[0]
        elif w in t.modifiers:
            mods.append(w)
            j += 1
        elif w == "-" and j > i and j + 1 < len(s.words):
            j += 1
        else:
            break
    if last is None:
        return None
    head_text = " ".join(s.words[last[0]:last[1]]).lower()
    sector = _modifier_sector(t, mods) or last[2]
    return Title(i, i, last[1], last[1], head_text, sector)


def _modifier_sector(t: TitleWords, mods: list[str]) -> str | None:
    return next((t.modifiers[m] for m in mods if t.modifiers[m]), None)


def _cap(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _chain(t: TitleWords, s: Sent, title: Title, starts: dict[int, Phrase]) -> None:
    """Extends a title over "of the Information and Press Department", "of Russia",
    "for Afghanistan"...: phrases that are a known country/organisation or a capitalised
    run ending in a portfolio, office or organisation word."""
    for _ in range(5):
        e = title.end
        if e >= len(s.words) or s.words[e].lower() not in CHAIN_PREPS:
            return
        j = e + 1 + (1 if e + 1 < len(s.words) and s.words[e + 1].lower() == "the" else 0)
        phrase = starts.get(j)
        if phrase is not None and phrase.meaningful:
            _take_segment(title, s.words[e].lower(), e, phrase)
            title.end = phrase.end
            continue
        stop = _capitalised_segment(t, s, j)
        if stop is None:
            return
        title.end = stop


def _take_segment(title: Title, prep: str, at: int, phrase: Phrase) -> None:
    if prep == "of" and title.country is None and phrase.country is not None:
        title.country = phrase.country
        if phrase.head is None or phrase.head.type in ORGISH:
            title.country_seg = (at, phrase.end)
    if phrase.head is not None and phrase.head.type in ORGISH and title.org is None:
        title.org = phrase
    if phrase.head is not None and phrase.head.type == "noun" and title.noun_sector is None:
        title.noun_sector = phrase.head.sector


def _capitalised_segment(t: TitleWords, s: Sent, j: int) -> int | None:
    """End of "Foreign Affairs", "the President", "Information and Press Department"."""
    k, best = j, None
    while k < len(s.words):
        tok = s.doc[k]
        w = s.words[k].lower()
        terminal = w in t.portfolios or w in t.org_heads or (w,) in t.heads
        if tok.is_alpha and (_cap(tok) or terminal or w in t.modifiers):
            best = k + 1 if terminal else best
            k += 1
        elif w in ("and", "&") and k + 1 < len(s.words) and _cap(s.doc[k + 1]):
            k += 1
        else:
            break
    return best


def _name_at(d: Dictionary, s: Sent, j: int, hit_tokens: set[int]) -> tuple[int, int] | None:
    """A capitalised personal name starting at token ``j`` (1-4 words)."""
    t = d.titles
    k, words = j, 0
    while k < len(s.words) and words < 4:
        tok = s.doc[k]
        if tok.text in t.not_names or k in hit_tokens or t.is_title_word(tok.lower_) or \
                tok.lower_ in t.org_words:
            break
        if _cap(tok) and _name_shaped(tok, s.parsed):
            k, words = k + 1, words + 1
        elif (tok.lower_ in t.particles or tok.text == "-") and words and \
                k + 1 < len(s.words) and _cap(s.doc[k + 1]):
            k += 1
        else:
            break
    if not words or (k < len(s.words) and _cap(s.doc[k]) and s.words[k].lower() in
                     t.org_words | t.org_heads):
        return None
    return j, k


def _name_shaped(tok: Token, parsed: bool) -> bool:
    if not any(c.isalpha() for c in tok.text) or tok.like_num:
        return False
    return not parsed or tok.pos_ == "PROPN" or tok.tag_ in ("NNP", "NNPS")


def find_titles(d: Dictionary, s: Sent) -> list[Title]:
    """Titles in a parsed sentence, left to right, not overlapping."""
    t = d.titles
    hit_tokens = s.hit_tokens
    starts = {p.start: p for p in s.phrases}
    ends = {p.end: p for p in s.phrases}
    titles: list[Title] = []
    i = 0
    while i < len(s.words):
        title = _core_at(t, s, hit_tokens, i) if i not in hit_tokens else None
        if title is None:
            i += 1
            continue
        _prefix(t, s, title, ends, hit_tokens)
        _chain(t, s, title, starts)
        title.name = _name_at(d, s, title.end, hit_tokens)
        titles.append(title)
        i = title.name[1] if title.name else title.end
    return titles


def _prefix(t: TitleWords, s: Sent, title: Title, ends: dict[int, Phrase],
            hit_tokens: set[int]) -> None:
    """A country or organisation right before the title ("Russian", "Russia's", "MFA"), and
    the modifiers before that ("former Russian President")."""
    at = title.start
    if at >= 1 and s.words[at - 1] in POSSESSIVE:
        at -= 1
    pre = ends.get(at)
    if pre is None or not pre.meaningful:
        return
    title.pre, title.start = pre, pre.start
    title.country = pre.country
    if pre.head is not None and pre.head.type in ORGISH:
        title.org = pre
    elif pre.head is not None:
        title.noun_sector = pre.head.sector
    k = pre.start
    while k > 0 and s.words[k - 1].lower() in t.modifiers and k - 1 not in hit_tokens:
        k -= 1
    title.sector = _modifier_sector(t, [w.lower() for w in s.words[k:pre.start]]) or \
        title.sector
    title.start = k


def _title_sector(d: Dictionary, s: Sent, title: Title, published: str | None) -> str | None:
    if title.sector:
        return title.sector
    for k in range(title.head_end, title.end):
        head = d.titles.heads.get((s.words[k].lower(),))
        if head:
            return head
    if title.org is not None and title.org.head is not None:
        sector = title.org.head.role(published).sector
        if sector:
            return sector
    if title.noun_sector:
        return title.noun_sector
    return "GOV" if title.country_seg is not None else None


def _office(s: Sent, title: Title) -> str:
    """The title without its country/organisation prefix and its "of COUNTRY" phrase."""
    skip = range(*title.country_seg) if title.country_seg else range(0)
    pieces: list[str] = []
    for k in range(title.core, title.end):
        if k not in skip:
            pieces.append(s.doc[k].text_with_ws)
    return "".join(pieces).strip().replace(" - ", "-").replace(" -", "-").replace("- ", "-")


# ---------------------------------------------------------------- the stage


class Actors:
    name = "actors"

    def __init__(self, res: Resources) -> None:
        from eventwire.gazetteer import open_gazetteer

        self.d = dictionary(res)
        self.tokenizer = res.segmenter
        self.gaz = open_gazetteer(res)

    def __call__(self, work: Work) -> None:
        article = work.article
        state = ArticleState(article.published)
        for sentence in article.sentences:
            work.deadline.check(self.name)
            s = self._sent(work, sentence.index)
            self._sentence(work, s, state)
            s.mentions.sort(key=lambda m: (m[0], m[1]))
            article.actors.extend(self._with_text(article, a) for _, _, a in s.mentions)

    def _sent(self, work: Work, index: int) -> Sent:
        sentence = work.article.sentences[index]
        doc = work.docs.get(index)
        parsed = doc is not None and doc.has_annotation("DEP")
        if doc is None:
            doc = self.tokenizer.make_doc(sentence.span.text.replace("\n", " "))
        strings = doc.vocab.strings
        words = [_norm(strings[orth]) for orth in doc.to_array(ORTH).tolist()] if len(doc) else []
        return Sent(index, sentence.span.start, doc, parsed, words)

    @staticmethod
    def _with_text(article: Article, actor: Actor) -> Actor:
        if actor.span is not None:
            sp = actor.span
            actor.span = Span(sp.start, sp.end, article.text[sp.start:sp.end])
        return actor

    def _sentence(self, work: Work, s: Sent, state: ArticleState) -> None:
        s.hits = match_hits(self.d, s.doc, s.words, state.published)
        s.phrases = build_phrases(s, state.published)
        city_prefix(s, s.phrases, self.gaz)
        if s.parsed:
            for title in find_titles(self.d, s):
                self._title(s, title, state)
        self._dictionary_persons(s, state)
        if s.parsed:
            self._ner_persons(s, state)
        self._known_names(s, state)
        self._phrase_actors(s, state)
        self._entities(work, s)

    # --- persons -------------------------------------------------------------------

    def _title(self, s: Sent, title: Title, state: ArticleState) -> None:
        if not s.free(title.start, title.name[1] if title.name else title.end):
            return
        if title.name is None:
            title.name = self._appositive_name(s, title)
        if title.name is not None:
            self._named_title(s, title, state)
        else:
            self._unnamed_title(s, title, state)

    def _person_fields(self, s: Sent, title: Title, state: ArticleState) -> dict[str, Any]:
        org = title.org.head if title.org is not None else None
        org_code = org.code if org is not None and org.type == "org" else None
        return {"code": title.country or org_code, "country": title.country,
                "sector": _title_sector(self.d, s, title, state.published),
                "office": _office(s, title) or None,
                "org": org.name if org is not None else None}

    def _named_title(self, s: Sent, title: Title, state: ArticleState) -> None:
        assert title.name is not None
        name = s.doc[title.name[0]:title.name[1]].text
        fields = self._person_fields(s, title, state)
        known = s.person_in(*title.name)
        if known is not None:
            name = known.name
            fields = {k: v if v is not None else self._known_fields(known, state).get(k)
                      for k, v in fields.items()}
        person = self._register(state, name, fields)
        start, end = min(title.start, title.name[0]), max(title.end, title.name[1])
        s.add(start, end, person.actor(s.span(start, end)))
        s.names.append(title.name)
        self._maybe_speaker(s, range(start, end), person, state)

    def _appositive_name(self, s: Sent, title: Title) -> tuple[int, int] | None:
        """ "Sergey Lavrov, the Russian foreign minister," or "the Russian foreign minister,
        Sergey Lavrov," -> the name the NER found on the other side of the comma."""
        k = title.start - 1
        if k >= 0 and s.words[k].lower() in ("the", "a", "an"):
            k -= 1
        persons = [e for e in s.doc.ents if e.label_ == "PERSON"]
        if k >= 1 and s.words[k] == ",":
            for e in persons:
                if e.end == k and s.free(e.start, k):
                    return e.start, e.end
        after = title.end
        if after < len(s.words) and s.words[after] == ",":
            for e in persons:
                closed = e.end == len(s.words) or s.words[e.end] in (",", ".", ";")
                if e.start == after + 1 and closed and s.free(e.start, e.end):
                    return e.start, e.end
        return None

    def _unnamed_title(self, s: Sent, title: Title, state: ArticleState) -> None:
        person = self._refers_back(s, title, state)
        if person is not None:
            s.add(title.start, title.end, person.actor(s.span(title.start, title.end)))
            self._maybe_speaker(s, range(title.start, title.end), person, state)
            return
        t = self.d.titles
        if title.head in t.speakers and title.pre is None:
            return
        if title.head in t.descriptors or title.sector is None:
            self._descriptor_actor(s, title, state)
            return
        if title.country is None:
            return
        fields = self._person_fields(s, title, state)
        name = f"{self.d.adjective(title.country)} {(fields['office'] or title.head).lower()}"
        person = self._register(state, name, fields, named=False)
        s.add(title.start, title.end, person.actor(s.span(title.start, title.end)))
        self._maybe_speaker(s, range(title.start, title.end), person, state)

    def _descriptor_actor(self, s: Sent, title: Title, state: ArticleState) -> None:
        """ "Russian official" -> Russian government; "MFA spokesman" -> the ministry."""
        span = s.span(title.start, title.end)
        actor: Actor | None = None
        if title.org is not None:
            actor = self._phrase_actor(title.org, state, span)
        elif title.country is not None:
            sector = _title_sector(self.d, s, title, state.published) or "GOV"
            actor = self._country_sector(title.country, sector, span)
        if actor is not None:
            s.add(title.start, title.end, actor)

    def _refers_back(self, s: Sent, title: Title, state: ArticleState) -> Person | None:
        """The one person named earlier that an unnamed title can only mean, if any."""
        t = self.d.titles
        head_tok = s.doc[title.head_end - 1]
        if head_tok.dep_ in ("compound", "amod") or head_tok.pos_ not in ("NOUN", "PROPN"):
            return None
        before = s.words[title.start - 1].lower() if title.start else ""
        if before in INDEFINITE or head_tok.tag_ in ("NNS", "NNPS"):
            return None
        if title.head in t.speakers and title.pre is None and title.end == title.head_end:
            return state.last_speaker
        if title.head not in t.back_refs and title.head not in t.descriptors:
            return None
        if title.pre is None and before != "the":
            return None
        found = [p for p in state.persons if p.named and self._fits(s, title, p)]
        return found[0] if len(found) == 1 else None

    def _fits(self, s: Sent, title: Title, p: Person) -> bool:
        """Country, organisation and office words of the title all agree with ``p``."""
        if title.country is not None and p.country != title.country:
            return False
        org = title.org.head.name if title.org is not None and title.org.head else None
        if org is not None and p.org != org:
            return False
        if title.head in self.d.titles.descriptors:
            return True
        office = (p.office or "").lower()
        words = [w.lower() for w in s.words[title.core:title.head_end] if w not in ("-",)]
        return all(w in office for w in words)

    @staticmethod
    def _known_fields(e: Entry, state: ArticleState) -> dict[str, Any]:
        role = e.person_role(state.published)
        return {"code": e.code or role.country, "country": role.country,
                "sector": role.sector, "office": role.office or None, "org": None}

    def _dictionary_persons(self, s: Sent, state: ArticleState) -> None:
        """Persons of the dictionary (office holders with dated roles)."""
        for hit in s.hits:
            if hit.entry.type != "person" or not s.free(hit.start, hit.end):
                continue
            person = self._register(state, hit.entry.name, self._known_fields(hit.entry, state))
            s.add(hit.start, hit.end, person.actor(s.span(hit.start, hit.end)))
            self._maybe_speaker(s, range(hit.start, hit.end), person, state)

    def _register(self, state: ArticleState, name: str, fields: dict[str, Any],
                  named: bool = True, source: str = "title") -> Person:
        person = state.by_name(name) if named else state.named(name)
        if person is None:
            person = Person(name, actor_key("person", fields.get("code"), name),
                            fields.get("code"), fields.get("country"), fields.get("sector"),
                            fields.get("office"), fields.get("org"), named, source)
            state.add(person)
        else:
            person.update(fields)
        return person

    def _maybe_speaker(self, s: Sent, tokens: Iterable[int], person: Person,
                       state: ArticleState) -> None:
        if not s.parsed:
            return
        verbs = self.d.titles.speech_verbs
        for k in tokens:
            tok = s.doc[k]
            if tok.dep_ in SUBJECT_DEPS and tok.head.lemma_.lower() in verbs:
                state.last_speaker = person
                return

    def _ner_persons(self, s: Sent, state: ArticleState) -> None:
        hit_tokens = s.hit_tokens
        for ent in s.doc.ents:
            if ent.label_ != "PERSON" or not s.free(ent.start, ent.end):
                continue
            if any(i in hit_tokens for i in range(ent.start, ent.end)):
                continue
            name = " ".join(t.text for t in ent if not t.is_punct or t.text == "-")
            name = name.removesuffix(" 's").removesuffix(" ’s")
            person = state.by_name(name) or self._register(state, name, {}, source="ner")
            s.add(ent.start, ent.end, person.actor(s.span(ent.start, ent.end)))
            self._maybe_speaker(s, range(ent.start, ent.end), person, state)

    def _known_names(self, s: Sent, state: ArticleState) -> None:
        """Later mentions of a person named before: the full name or the surname alone."""
        surnames = state.recallable_surnames()
        if not surnames:
            return
        hit_tokens = s.hit_tokens
        for k, tok in enumerate(s.doc):
            if k in s.used or k in hit_tokens or not _cap(tok) or \
                    (s.parsed and not _name_shaped(tok, True)):
                continue
            person = state.by_name(tok.text) if tok.lower_ in surnames else None
            if person is None:
                continue
            start = self._name_start(s, k, person)
            s.add(start, k + 1, person.actor(s.span(start, k + 1)))
            self._maybe_speaker(s, range(start, k + 1), person, state)

    @staticmethod
    def _name_start(s: Sent, k: int, person: Person) -> int:
        parts = person.name.lower().split()
        size = len(parts)
        start = k - size + 1
        if start >= 0 and s.free(start, k) and [w.lower() for w in s.words[start:k + 1]] == parts:
            return start
        return k

    # --- countries, organisations, sector nouns --------------------------------------

    def _phrase_actors(self, s: Sent, state: ArticleState) -> None:
        for p in s.phrases:
            if not s.free(p.start, p.end) or (p.head is not None and p.head.type == "person"):
                continue
            actor = self._phrase_actor(p, state, s.span(p.start, p.end), s)
            if actor is not None:
                s.add(p.start, p.end, actor)

    def _phrase_actor(self, p: Phrase, state: ArticleState, span: Span,
                      s: Sent | None = None) -> Actor | None:
        head = p.head
        if head is None:
            return self._country_actor(p, span, s)
        if head.type == "org":
            return self._org_actor(head, state, span)
        if head.type == "institution":
            return self._institution_actor(head, p.country, state, span)
        if p.country is not None:
            return self._country_sector(p.country, head.sector or "", span)
        if head.bare:
            return Actor(head.name, None, None, head.sector, "group",
                         key=group_key(None, head.sector, head.name), span=span)
        return None

    def _country_actor(self, p: Phrase, span: Span, s: Sent | None) -> Actor | None:
        assert p.source is not None and p.country is not None
        if p.source.type == "capital":
            if s is None or not self._capital_as_government(s, p):
                return None
            return self._country_sector(p.country, "GOV", span)
        name = self.d.country_name(p.country)
        return Actor(name, p.country, p.country, None, "country",
                     key=actor_key("country", p.country, name), span=span)

    def _capital_as_government(self, s: Sent, p: Phrase) -> bool:
        """ "Moscow said ...", "a visit to Moscow" (the host) yes; "Doha hosts a meeting",
        "in Moscow" no."""
        if not s.parsed:
            return False
        tok = s.doc[p.end - 1]
        if tok.ent_type_ == "PERSON":
            return False
        if tok.dep_ == "poss" or self._destination(tok):
            return True
        return tok.dep_ in SUBJECT_DEPS and \
            tok.head.lemma_.lower() not in self.d.titles.place_verbs

    def _destination(self, tok: Token) -> bool:
        """The capital a visit goes to ("visit to Beijing", "arrived in Moscow", "visiting
        Beijing")."""
        prep = tok.head
        if tok.dep_ == "dobj":
            return prep.lemma_.lower() in self.d.titles.destinations.get("object", frozenset())
        if tok.dep_ != "pobj" or prep.dep_ not in ("prep", "dative"):
            return False
        words = self.d.titles.destinations.get(prep.lower_, frozenset())
        return prep.head.lemma_.lower() in words

    def _country_sector(self, code: str, sector: str, span: Span) -> Actor:
        if not code:
            label = self.d.labels.get(sector, sector)
            return Actor(label, None, None, sector, "group", key=group_key(None, sector, label),
                         span=span)
        name = f"{self.d.adjective(code)} {self.d.labels.get(sector, sector.lower())}"
        return Actor(name, code, code, sector, "country", key=actor_key("country", code, name),
                     span=span)

    def _org_actor(self, e: Entry, state: ArticleState, span: Span) -> Actor:
        role = e.role(state.published)
        code = e.code or role.country
        return Actor(e.name, code, role.country, role.sector, e.kind,
                     key=actor_key(e.kind, code, e.name), span=span)

    def _institution_actor(self, e: Entry, country: str | None, state: ArticleState,
                           span: Span) -> Actor | None:
        """ "Foreign Ministry of Russia"; without a country, the one named earlier, if one."""
        if country is None:
            earlier = {a.key: a for a in state.institutions.get(e.name, [])}
            if len(earlier) != 1:
                return Actor(e.name, None, None, e.sector, "org",
                             key=actor_key("org", None, e.name), span=span)
            a = next(iter(earlier.values()))
            return Actor(a.name, a.code, a.country, a.sector, a.kind, key=a.key, span=span)
        name = f"{e.name} of {self.d.country_name(country)}"
        actor = Actor(name, country, country, e.sector, "org", key=actor_key("org", country, name),
                      span=span)
        state.institutions.setdefault(e.name, []).append(actor)
        return actor

    # --- entities ----------------------------------------------------------------------

    def _entities(self, work: Work, s: Sent) -> None:
        out = work.article.entities
        text = work.article.text
        if s.parsed:
            for ent in s.doc.ents:
                out.append(Entity(self._text_span(text, s.span(ent.start, ent.end)), ent.label_,
                                  "ner"))
        for hit in s.hits:
            label = ENTITY_LABEL.get(hit.entry.type)
            if label is not None:
                out.append(Entity(self._text_span(text, s.span(hit.start, hit.end)), label,
                                  "dictionary"))
        for start, end in s.names:
            out.append(Entity(self._text_span(text, s.span(start, end)), "PERSON", "title"))

    @staticmethod
    def _text_span(text: str, sp: Span) -> Span:
        return Span(sp.start, sp.end, text[sp.start:sp.end])


def build(res: Resources) -> Actors:
    return Actors(res)
