"""Places: toponyms in the text, resolved against the offline gazetteer, and event locations.

Reads ``work.docs`` (spaCy GPE/LOC/FAC entities of parsed sentences), the text of every
sentence (a cheap gazetteer match on capitalised words, for sentences that were not parsed or
names the model missed), ``article.actors`` (their countries) and ``article.events``. Writes
``article.places`` (every toponym, resolved), ``article.dateline`` and ``event.place`` (with
``is_event_location=True``) for events whose own sentence says where they happened: ``in/at
Place``, ``(1 April 2021, Place)``, ``Place hosts ...``, or else the article's dateline.

Disambiguation scores each gazetteer candidate of a name by a prior (feature type,
population, whether the name is its main name) plus the article's context: countries of
the other places, of the actors and of demonyms ("Russian"), admin-1 regions and counties
named in the article, a qualifier right after the name ("Paris, Texas"), and the distance to
the other places. The context is re-estimated for a few rounds, each name leaving itself out.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from spacy.lang.en.stop_words import STOP_WORDS

from eventwire.gazetteer import (
    ALTERNATE,
    CODE,
    COUNTRY_CODES,
    CURATED,
    NAME,
    SHORT,
    Candidate,
    Gazetteer,
    haversine_km,
    norm,
    open_gazetteer,
)
from eventwire.model import Event, Place, Span, span_of
from eventwire.resources import Resources
from eventwire.stages import Work, token_span
from eventwire.stages.span_index import ShortSpans

NER_LABELS = frozenset({"GPE", "LOC", "FAC"})
OTHER_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART",
                               "LAW", "LANGUAGE"})
ROUNDS = 3
SHADOW = 3.0
COUNTRY_PRIOR = 12.0
REGION_CODES = frozenset({"CONT", "RGN", "OCN", "SEA", "GULF", "STM", "LK", "LKS", "MTS",
                          "PEN", "PLAT"})
ADMIN_WORDS = re.compile(r"\s*(?:state|province|region|county|parish|oblast|governorate|"
                         r"district|prefecture)\b", re.IGNORECASE)
_CAPSEQ = re.compile(r"(?:[A-Z][\w'’.\-]*|(?<=\s)(?:of|de|la|upon|du|el|al)(?=\s+[A-Z]))"
                     r"(?:\s+(?:[A-Z][\w'’.\-]*|(?:of|de|la|upon|du|el|al)(?=\s+[A-Z])))*")
_IN_AT = re.compile(r"\b(?:in|at|near|outside|inside)\s+(?:the\s+)?(?:city\s+of\s+|town\s+of\s+)?$",
                    re.IGNORECASE)
_HOSTS = re.compile(r"^\s*(?:,[^,.;]{0,60},\s*)?(?:hosts|hosted|will\s+host|is\s+hosting|"
                    r"was\s+hosting|to\s+host)\b")
_DATE_PAREN = re.compile(r"\(([^()]{0,60}\d[^()]{0,60}),\s*$")
_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\b")
_DATELINE = re.compile(
    r"\A\s*(?P<place>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3})"
    r"(?:\s*,\s*(?P<qual>[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?))?"
    r"(?:\s*,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\([A-Za-z .\-]{2,30}\))?\s*(?:--|[-—–:])\s*")
_TITLES = re.compile(r"(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|President|Minister)\.?\s+$")


@dataclass(slots=True)
class Mention:
    """A toponym found in the text (article offsets)."""

    start: int
    end: int
    text: str
    source: str = "ner"
    sentence: int | None = None


@dataclass
class _Group:
    """All mentions of one name in an article, resolved together."""

    key: str
    name: str
    candidates: tuple[Candidate, ...]
    mentions: list[Mention] = field(default_factory=list)
    qualifiers: list[Candidate] = field(default_factory=list)
    admin_word: bool = False
    acronym: bool = False
    best: Candidate | None = None
    confidence: float = 0.0


# --------------------------------------------------------------------------- the stage


class PlacesStage:
    name = "places"

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def __call__(self, work: Work) -> None:
        article = work.article
        dateline = find_dateline(self.gaz, article.text)
        mentions = find_mentions(self.gaz, work)
        if dateline is not None:
            mentions = [m for m in mentions if m.end <= dateline.start or m.start >= dateline.end]
            mentions.append(dateline)
        countries = actor_countries(work) + text_countries(self.gaz, article.text)
        work.deadline.check(self.name)
        places = resolve(self.gaz, article.text, mentions, countries)
        for mention, place in zip(mentions, places, strict=True):
            if place is not None and mention is dateline:
                article.dateline = place
        found = sorted((p for p in places if p is not None),
                       key=lambda p: p.span.start if p.span else 0)
        article.places.extend(found)
        mark_event_locations(work, found, article.dateline)
        work.scratch["places"] = {"mentions": len(mentions), "resolved": len(found)}


def build(res: Resources) -> PlacesStage:
    return PlacesStage(open_gazetteer(res))


# --------------------------------------------------------------------------- recognition


def find_mentions(gaz: Gazetteer, work: Work) -> list[Mention]:
    """NER toponyms of parsed sentences plus gazetteer matches on capitalised words."""
    found: list[Mention] = []
    blocked: list[tuple[int, int]] = []
    for index, doc in sorted(work.docs.items()):
        for ent in doc.ents:
            span = token_span(work, index, ent)
            if ent.label_ in NER_LABELS:
                found.extend(_ner_mentions(gaz, span, index))
            elif ent.label_ in OTHER_NAME_LABELS:
                blocked.append((span.start, span.end))
    taken = ShortSpans([Span(m.start, m.end, "") for m in found]
                       + [Span(s, e, "") for s, e in blocked])
    text = work.article.text
    words = LowerWords(text)
    for sentence in work.article.sentences:
        work.deadline.check("places")
        start, end = sentence.span.start, sentence.span.end
        found.extend(m for m in gazetteer_mentions(gaz, text, start, end, sentence.index, words)
                     if not taken.overlapping(m.start, m.end))
    return sorted(found, key=lambda m: m.start)


class LowerWords:
    """Answers "is this word also written in lower case in the article?" for gazetteer
    matches ("Nice", "Mobile", "Reading"): from the set of the text's words when the word
    is plain ASCII letters, else by one search of the text, remembered."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.letters = frozenset(re.findall(r"[A-Za-z]+", text))
        self.seen: dict[str, bool] = {}

    def used(self, word: str) -> bool:
        if word.isascii() and word.isalpha():
            return word in self.letters
        if word not in self.seen:
            pattern = rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])"
            self.seen[word] = re.search(pattern, self.text) is not None
        return self.seen[word]


def _ner_mentions(gaz: Gazetteer, span: Span, index: int) -> Iterator[Mention]:
    """The entity itself, without a leading "the" or a trailing "'s"; split "Russia-USA-China"."""
    start, end, text = span.start, span.end, span.text
    if text.lower().startswith("the "):
        start, text = start + 4, text[4:]
    if text.endswith(("'s", "’s")):
        end, text = end - 2, text[:-2]
    if not text:
        return
    if "-" in text and not gaz.has(text):
        parts = list(_hyphen_parts(gaz, text, start, index))
        if parts:
            yield from parts
            return
    yield Mention(start, end, text, "ner", index)


def _hyphen_parts(gaz: Gazetteer, text: str, start: int, index: int) -> Iterator[Mention]:
    offset = 0
    pieces = text.split("-")
    if not all(gaz.has(p) for p in pieces if p):
        return
    for piece in pieces:
        if piece:
            yield Mention(start + offset, start + offset + len(piece), piece, "ner", index)
        offset += len(piece) + 1


def gazetteer_mentions(gaz: Gazetteer, text: str, start: int, end: int,
                       index: int | None = None, lower: LowerWords | None = None
                       ) -> Iterator[Mention]:
    """Capitalised word sequences in text[start:end] whose longest sub-sequence is a
    well-known place (country, admin-1, region, or a city of some size). ``lower`` is the
    article's LowerWords (built here when not given)."""
    chunk = text[start:end]
    lower = lower or LowerWords(text)
    for m in _CAPSEQ.finditer(chunk):
        words = [w for w in _words(m.group(), start + m.start()) if w[2] != "The"]
        yield from _longest_matches(gaz, lower, words, start, index)


def _words(seq: str, base: int) -> Iterator[tuple[int, int, str]]:
    """Words of a capitalised sequence; "Russia-USA-China" gives its three parts."""
    for w in re.finditer(r"[^\s\-]+(?:-[^\s\-]+)*", seq):
        raw = w.group()
        token = raw.rstrip(".,;:") if not raw.endswith(".") or len(raw) > 4 else raw
        parts = token.split("-")
        if len(parts) > 1 and all(p[:1].isupper() for p in parts):
            offset = 0
            for part in parts:
                yield base + w.start() + offset, base + w.start() + offset + len(part), part
                offset += len(part) + 1
        else:
            yield base + w.start(), base + w.start() + len(token), token


def _longest_matches(gaz: Gazetteer, lower: LowerWords, words: list[tuple[int, int, str]],
                     sentence_start: int, index: int | None) -> Iterator[Mention]:
    text = lower.text
    i = 0
    while i < len(words):
        for n in range(min(4, len(words) - i), 0, -1):
            s, e = words[i][0], words[i + n - 1][1]
            phrase = text[s:e]
            if _acceptable(gaz, lower, phrase, s, e, sentence_start, len(words) > n):
                yield Mention(s, e, phrase, "gazetteer", index)
                i += n
                break
        else:
            i += 1


def _acceptable(gaz: Gazetteer, lower: LowerWords, phrase: str, s: int, e: int,
                sentence_start: int, longer: bool) -> bool:
    """Whether a gazetteer match is safe to keep without NER (precision first)."""
    text = lower.text
    if len(phrase) < 3 or phrase.lower() == phrase or phrase.lower() in _COMMON:
        return False
    candidates = [c for c in gaz.lookup(phrase) if c.alias_kind in (NAME, CURATED, ALTERNATE)]
    if not candidates:
        return False
    major = any(_is_major(c) for c in candidates)
    if not major:
        return False
    if _TITLES.search(text[max(0, s - 12):s]):
        return False
    strong = any(c.fcode in COUNTRY_CODES or c.fcode in ("ADM1", "CONT") for c in candidates)
    if longer and not strong:
        return False
    if _ORG_NEXT.match(text, e) or (_SAID.match(text, e) and not any(
            c.fcode in COUNTRY_CODES or c.fcode == "PPLC" for c in candidates)):
        return False
    if " " not in phrase and not phrase.isupper() and lower.used(phrase.lower()):
        return False  # also used as a common word in this article
    return not (s == sentence_start and not strong)


def _is_major(c: Candidate) -> bool:
    if c.fcode in COUNTRY_CODES or c.fcode in ("ADM1", "CONT") or c.fcode in REGION_CODES:
        return True
    return c.fcode == "PPLC" or (c.fclass == "P" and c.population >= 50_000
                                 and c.alias_kind == NAME)


_COMMON_WORDS = """a an the this that these those he she it we they i you his her its our their
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december today however but and or if when while after
before as at by for from in on of to with god president minister government police army state
court city county north south east west central new old university college school church
hospital street road avenue union national international party council committee
department ministry office house senate congress republic kingdom federal general
mr mrs ms dr sir lord saint st mount lake river island bay beach park"""
_COMMON = frozenset(_COMMON_WORDS.split()) | STOP_WORDS
_ORG_NEXT = re.compile(r"\s+(?:Times|Post|Daily|Journal|News|Herald|Tribune|Telegraph|Stock|"
                       r"Exchange|University|College|Airlines?|Airways|Bank|Council|Party|"
                       r"Group|Ltd|Inc|Corp|Company|Club|Institute|Agency|Motors?)\b")
_SAID = re.compile(r"\s+(?:said|says|told|added|stated|asked)\b")


def find_dateline(gaz: Gazetteer, text: str) -> Mention | None:
    """An all-caps dateline place at the start ("MOSCOW, Aug 11 (AFP) -", "KABUL -")."""
    m = _DATELINE.match(text[:200])
    if not m:
        return None
    name = m.group("place").rstrip(".,")
    if not gaz.has(name):
        return None
    start = m.start("place")
    return Mention(start, start + len(name), name, "dateline", 0)


def text_countries(gaz: Gazetteer, text: str) -> list[str]:
    """Countries (ISO3) of demonyms in the text ("Russian", "Afghans"): context only."""
    found = []
    for m in re.finditer(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b", text):
        iso3 = gaz.demonym(m.group())
        if iso3:
            found.append(iso3)
    return found


def actor_countries(work: Work) -> list[str]:
    return [a.country for a in work.article.actors if a.country]


# --------------------------------------------------------------------------- resolution


def resolve(gaz: Gazetteer, text: str, mentions: Sequence[Mention],
            context_countries: Iterable[str] = ()) -> list[Place | None]:
    """A Place for each mention (None where the gazetteer has nothing for the name)."""
    groups = _groups(gaz, text, mentions)
    prior = Counter(context_countries)
    _score_rounds(list(groups.values()), prior)
    out: list[Place | None] = []
    for mention in mentions:
        group = groups.get(_key(mention.text))
        out.append(_place(mention, group.best) if group and group.best else None)
    return out


def _key(name: str) -> str:
    return norm(name)


def _groups(gaz: Gazetteer, text: str, mentions: Sequence[Mention]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for mention in mentions:
        key = _key(mention.text)
        if key not in groups:
            groups[key] = _Group(key, mention.text, candidates_for(gaz, mention.text),
                                 acronym=_is_acronym(mention.text))
        group = groups[key]
        group.mentions.append(mention)
        group.qualifiers.extend(_qualifier(gaz, text, mention.end))
        if ADMIN_WORDS.match(text, mention.end) or ADMIN_WORDS.search(mention.text):
            group.admin_word = True
    return groups


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 3


def candidates_for(gaz: Gazetteer, name: str) -> tuple[Candidate, ...]:
    """Gazetteer candidates of a name; else its country if it is a demonym ("Georgians");
    else those of a few variants ("City of X", "X River" -> a namesake place nearby)."""
    found = gaz.lookup(name)
    demonym = demonym_candidates(gaz, name) if name[:1].isupper() else ()
    if found or demonym:
        return found + tuple(d for d in demonym if d.id not in {c.id for c in found})
    for variant in _variants(name):
        found = gaz.lookup(variant) if variant != name else ()
        if found:
            return found
    return ()


_DEMONYM_ENDINGS = (("an", "a"), ("an", ""), ("ian", "a"), ("ian", ""), ("ese", ""), ("ese", "on"),
                    ("i", ""), ("ish", "ey"), ("ish", ""), ("ic", ""), ("n", ""))


def demonym_candidates(gaz: Gazetteer, name: str) -> tuple[Candidate, ...]:
    """The country or region a demonym names ("Turkish", "Sri Lankan", "South Ossetians")."""
    iso3 = gaz.demonym(name)
    country = gaz.country(iso3) if iso3 else None
    if country is not None:
        return (replace(country, alias_kind=CURATED),)
    base = name[:-1] if name.endswith("s") else name
    for ending, stem in _DEMONYM_ENDINGS:
        if base.endswith(ending) and len(base) > len(ending) + 2:
            found = tuple(c for c in gaz.lookup(base[: -len(ending)] + stem)
                          if c.fcode in COUNTRY_CODES or c.fcode in ("ADM1", "RGN", "CONT"))
            if found:
                return found
    return ()


def _variants(name: str) -> Iterator[str]:
    stripped = re.sub(r"^(?:the\s+)?(?:city|town|state|province|republic|county)\s+of\s+", "",
                      name, flags=re.IGNORECASE)
    yield stripped
    yield re.sub(r"\s+(?:city|town|state|province|region|area|village|township)$", "",
                 stripped, flags=re.IGNORECASE)
    yield re.sub(r"^(?:north|south|east|west|northern|southern|eastern|western|central)\s+",
                 "", stripped, flags=re.IGNORECASE)
    yield _FEATURE_WORDS.sub("", stripped).strip()


_FEATURE_WORDS = re.compile(r"(?:\s+(?:river|creek|lake|bay|island|islands|valley|mountains?|"
                            r"park|county|parish|township|airport|station|dam|reservoir)$)|"
                            r"(?:^(?:lake|mount|mt\.?|fort|port)\s+)", re.IGNORECASE)


def _qualifier(gaz: Gazetteer, text: str, end: int) -> list[Candidate]:
    """Regions right after a name: "Paris, Texas", "Paris, Tex.", "Paris (TX)"."""
    m = re.match(r"\s*[,(]\s*((?:[A-Z][\w.]*\.?)(?:\s+[A-Z][\w.]*)?)", text[end:end + 40])
    if not m:
        return []
    words = m.group(1)
    for name in (words, words.split()[0]):
        found = [c for c in gaz.lookup(name) if c.fcode in COUNTRY_CODES or c.fcode
                 in ("ADM1", "ADM2")]
        if found:
            return found
    return []


@dataclass
class _Context:
    countries: defaultdict[str, float]
    admin1: defaultdict[tuple[str, str], float]
    admin2: defaultdict[tuple[str, str], float]
    anchors: list[tuple[str, float, float, float]]
    arrays: _AnchorArrays | None = None


def _score_rounds(groups: list[_Group], prior: Counter[str]) -> None:
    for group in groups:
        _choose(group, None, prior)
    for _ in range(ROUNDS):
        context = _context(groups)
        for group in groups:
            _choose(group, context, prior)


def _choose(group: _Group, context: _Context | None, prior: Counter[str]) -> None:
    if not group.candidates:
        return
    has_name = any(c.alias_kind == NAME for c in group.candidates)
    scored = sorted(((_score(c, group, context, prior, has_name), c) for c in group.candidates),
                    key=lambda x: -x[0])
    group.best = scored[0][1]
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 5.0
    group.confidence = 1 - math.exp(-max(margin, 0.0))


def _context(groups: list[_Group]) -> _Context:
    context = _Context(defaultdict(float), defaultdict(float), defaultdict(float), [])
    for group in groups:
        best = group.best
        if best is None:
            continue
        weight = 0.5 + group.confidence
        if best.iso3:
            context.countries[best.iso3] += weight * (1.5 if best.fcode in COUNTRY_CODES else 1)
        if best.admin1 and best.cc:
            context.admin1[(best.cc, best.admin1)] += weight
        if best.admin2 and best.cc:
            context.admin2[(best.cc, best.admin2)] += weight
        if best.fcode not in COUNTRY_CODES and best.fcode not in REGION_CODES:
            context.anchors.append((group.key, best.lat, best.lon, weight))
    return context


def _score(c: Candidate, group: _Group, context: _Context | None, prior: Counter[str],
           has_name: bool) -> float:
    score = _prior(c, group, has_name)
    if group.qualifiers and any(_inside(c, q) for q in group.qualifiers):
        score += 10.0
    total_prior = sum(prior.values())
    if c.iso3 and total_prior:
        score += 2.5 * prior[c.iso3] / total_prior
    if context is not None:
        score += _context_score(c, group, context)
    return score


def _prior(c: Candidate, group: _Group, has_name: bool) -> float:
    pop = math.log10(c.population + 10)
    if c.fcode in COUNTRY_CODES:
        score = COUNTRY_PRIOR + 0.1 * pop
    elif c.fcode == "CONT" or c.fcode in REGION_CODES:
        score = 9.0
    elif c.fcode == "ADM1":
        score = 7.5 + 0.25 * pop + (1.5 if group.admin_word else 0.0)
        score -= SHADOW * _shadowed(c, group)
    elif c.fcode == "ADM2":
        score = 4.5 + 0.25 * pop + (1.5 if group.admin_word else 0.0)
        score -= SHADOW * _shadowed(c, group)
    elif c.fcode == "PPLC":
        score = 4.0 + pop
    else:
        score = pop
    if group.acronym and c.fclass == "P":
        score -= 6.0
    if c.alias_kind == ALTERNATE and has_name and not _shadows(c, group):
        score -= 2.5
    elif c.alias_kind in (SHORT, CODE):
        score -= 1.0
    return score


def _shadowed(admin: Candidate, group: _Group) -> bool:
    """An admin region whose namesake city (inside it) is also a candidate: "Kabul",
    "New York": the name means the city unless the text says "state", "province"..."""
    if group.admin_word:
        return False
    return any(_city_in(c, admin) for c in group.candidates)


def _city_in(c: Candidate, admin: Candidate) -> bool:
    if c.fclass != "P" or c.cc != admin.cc or c.alias_kind > ALTERNATE:
        return False
    inside = c.admin1 == admin.name if admin.fcode == "ADM1" else c.admin2 == admin.name
    return inside and (c.alias_kind <= admin.alias_kind or c.population >= 100_000)


def _shadows(city: Candidate, group: _Group) -> bool:
    return not group.admin_word and any(
        a.fcode in ("ADM1", "ADM2") and _city_in(city, a) for a in group.candidates)


def _inside(c: Candidate, region: Candidate) -> bool:
    if region.fcode in COUNTRY_CODES:
        return c.cc == region.cc and c.id != region.id
    if region.fcode == "ADM1":
        return c.cc == region.cc and c.admin1 == region.admin1 and c.id != region.id
    return c.cc == region.cc and c.admin2 == region.admin2 and c.id != region.id


def _context_score(c: Candidate, group: _Group, context: _Context) -> float:
    own = group.best
    own_weight = 0.5 + group.confidence
    score = 0.0
    countries = context.countries.copy()
    if own and own.iso3:
        countries[own.iso3] -= own_weight * (1.5 if own.fcode in COUNTRY_CODES else 1)
    total = sum(v for v in countries.values() if v > 0)
    if c.iso3 and total > 0:
        score += 4.0 * max(countries[c.iso3], 0.0) / total
    if c.fcode not in COUNTRY_CODES and c.cc and c.admin1:
        if _count_without(context.admin1, (c.cc, c.admin1), own, "admin1", own_weight) > 0:
            score += 2.5
        if c.admin2 and _count_without(context.admin2, (c.cc, c.admin2), own, "admin2",
                                       own_weight) > 0:
            score += 1.5
    if c.fcode not in COUNTRY_CODES and c.fcode not in REGION_CODES:
        score += _proximity(c, group.key, context)
    elif c.fcode in COUNTRY_CODES and c.iso3 and countries[c.iso3] > 0:
        score += 4.0  # other places of the article lie in this country
    return score


def _count_without(counter: defaultdict[tuple[str, str], float], key: tuple[str, str],
                   own: Candidate | None, attr: str, own_weight: float) -> float:
    value = counter[key]
    if own is not None and own.cc == key[0] and getattr(own, attr) == key[1]:
        value -= own_weight
    return value


def _proximity(c: Candidate, key: str, context: _Context) -> float:
    """Up to 3 points for being near the other places of the article (0 beyond ~3000 km)."""
    anchors = context.anchors
    if len(anchors) < VECTOR_ANCHORS:
        best = nearest_km(c.lat, c.lon, [a for a in anchors if a[0] != key])
    else:
        context.arrays = context.arrays or _AnchorArrays(anchors)
        best = context.arrays.nearest_km(c, key)
    if best == math.inf:
        return 0.0
    return 3.0 * max(0.0, 1.0 - math.log10(1 + best / 10) / math.log10(301))


VECTOR_ANCHORS = 64  # from this many anchors on, distances are computed with numpy first


def nearest_km(lat: float, lon: float, anchors: Iterable[tuple[str, float, float, float]]
               ) -> float:
    best = math.inf
    for _, a_lat, a_lon, _ in anchors:
        best = min(best, haversine_km(lat, lon, a_lat, a_lon))
    return best


class _AnchorArrays:
    """The anchors of one round as arrays: numpy finds the few nearest to a candidate (to
    within a metre), and those are measured again one by one with haversine_km, so the
    distance is exactly the plain loop's, in a fraction of its time on long articles."""

    def __init__(self, anchors: list[tuple[str, float, float, float]]) -> None:
        import numpy as np

        self.anchors = anchors
        self.lat = np.radians(np.array([a[1] for a in anchors], dtype=float))
        self.lon = np.radians(np.array([a[2] for a in anchors], dtype=float))
        self.cos_lat = np.cos(self.lat)
        self.index = {a[0]: i for i, a in enumerate(anchors)}

    def nearest_km(self, c: Candidate, key: str) -> float:
        import numpy as np

        p1 = math.radians(c.lat)
        h = np.sin((self.lat - p1) / 2) ** 2 \
            + math.cos(p1) * self.cos_lat * np.sin((self.lon - math.radians(c.lon)) / 2) ** 2
        km = 2 * 6371.0088 * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        if key in self.index:
            km[self.index[key]] = np.inf
        floor = float(km.min())
        if floor == math.inf:
            return math.inf
        near = np.flatnonzero(km <= floor + 1e-3)
        return nearest_km(c.lat, c.lon, [self.anchors[int(i)] for i in near])


def _place(mention: Mention, c: Candidate) -> Place:
    return Place(name=mention.text, span=Span(mention.start, mention.end, mention.text),
                 geonames_id=c.geonames_id, country=c.iso3, lat=round(c.lat, 5),
                 lon=round(c.lon, 5), feature_class=c.fclass, feature_code=c.fcode,
                 admin1=c.admin1 if c.fcode not in COUNTRY_CODES else None,
                 precision=c.precision)


# --------------------------------------------------------------------------- event locations


def mark_event_locations(work: Work, places: list[Place], dateline: Place | None) -> None:
    """Copies the place an event's own sentence names as its location to ``event.place``."""
    text = work.article.text
    by_sentence: dict[int, list[Place]] = defaultdict(list)
    starts = [s.span.start for s in work.article.sentences]
    for place in places:
        index = _sentence_of(work, starts, place)
        if index is not None:
            by_sentence[index].append(place)
    events_of: dict[int, list[Event]] = defaultdict(list)
    for event in work.article.events:
        events_of[event.evidence.sentence].append(event)
    for event in work.article.events:
        if event.place is not None:
            continue
        siblings = events_of[event.evidence.sentence]
        chosen = _event_place(text, event, by_sentence.get(event.evidence.sentence, []),
                              siblings)
        if chosen is None and dateline is not None:
            chosen = dateline
        if chosen is not None:
            chosen.is_event_location = True
            event.place = replace(chosen, is_event_location=True)


def _sentence_of(work: Work, starts: list[int], place: Place) -> int | None:
    """The sentence the place starts in (``starts``: the sentences' starts, in order)."""
    if place.span is None:
        return None
    i = bisect_right(starts, place.span.start) - 1
    for sentence in work.article.sentences[max(0, i - 1): i + 1]:
        if sentence.span.start <= place.span.start < sentence.span.end:
            return sentence.index
    return None


def _event_place(text: str, event: Event, places: list[Place],
                 siblings: Sequence[Event] = ()) -> Place | None:
    """The located place of the event's sentence nearest its trigger, unless another
    event's trigger in that sentence is nearer to it (the place belongs to that one)."""
    located = [p for p in places if p.span is not None and is_location_phrase(text, p.span)]
    if not located:
        return None
    trigger = event.evidence.trigger
    if trigger is None:
        return located[0]
    others = [e.evidence.trigger for e in siblings
              if e.evidence.trigger is not None and e.evidence.trigger != trigger]

    def distance(place: Place, at: Span) -> int:
        assert place.span is not None
        return abs(place.span.start - at.start)

    mine = [p for p in located
            if all(distance(p, trigger) <= distance(p, o) for o in others)]
    return min(mine, key=lambda p: distance(p, trigger)) if mine else None


def is_location_phrase(text: str, span: Span) -> bool:
    """``in/at Place``, ``(date, Place)`` or ``Place hosts``."""
    before = text[max(0, span.start - 40):span.start]
    after = text[span.end:span.end + 60]
    if _IN_AT.search(before):
        return True
    paren = _DATE_PAREN.search(before)
    if paren and re.match(r"\s*\)", after) and (_MONTH.search(paren.group(1))
                                                or re.search(r"\d{4}", paren.group(1))):
        return True
    return bool(_HOSTS.match(after))


def places_in(text: str, places: Iterable[Place], start: int, end: int) -> list[Place]:
    return [p for p in places if p.span and start <= p.span.start < end]


def mention_of(text: str, start: int, end: int, source: str = "gold") -> Mention:
    """A mention for a known span (evaluation with gold spans)."""
    span = span_of(text, start, end)
    return Mention(span.start, span.end, span.text, source)
