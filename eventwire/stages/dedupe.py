"""Deduplication across articles: near-duplicate articles and clusters of event reports.

Unlike the other stages this one works *across* articles, so it does not run inside a
worker's Pipeline: :mod:`eventwire.jobs` calls :class:`NearDuplicates` before coding (a
copy is never coded), and :mod:`eventwire.store.clusters` calls :func:`same_event` inside
the store's write transaction. Everything here is pure and deterministic.

Near-duplicate articles
    An article's fingerprint is a MinHash (datasketch, ``NUM_PERM`` seeded permutations,
    the ``affine32`` scheme) of its word 3-shingles. An LSH index (threshold ``LSH_RECALL``)
    proposes candidates; an article is a copy of a candidate when their estimated Jaccard
    similarity is at least ``COPY_THRESHOLD``. Exact copies already share an article id.
    Which copy is kept: among near-duplicates that arrive in the same batch the one with the
    earliest publication date is kept (undated last), ties broken by the smallest article id;
    an article already stored (or in an earlier batch) is always kept.

Event clusters
    Two reports from different articles are the same real-world event (:func:`same_event`)
    when they have the same PLOVER type, compatible dates, compatible places, overlapping
    actor codes and similar evidence wording. Clusters are the connected components of that
    relation, so they do not depend on input order; a cluster's id is its smallest event id.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from eventwire.model import Article, Event

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 128
SEED = 20240517
SHINGLE = 3
COPY_THRESHOLD = 0.9
LSH_RECALL = 0.8

_WORD = re.compile(r"\w+", re.UNICODE)


# ----------------------------------------------------------------- near-duplicate articles


@dataclass(frozen=True, slots=True)
class ArticleCopy:
    """An article not stored because it nearly copies ``article_id`` (an already kept one)."""

    copy_id: str
    article_id: str
    origin: str | None
    similarity: float


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Lower-cased word ``size``-grams of ``text`` (one shingle for shorter texts)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


class Fingerprints:
    """Builds MinHash signatures with one set of seeded permutations (made once)."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = SEED) -> None:
        from datasketch import MinHash

        self._minhash = MinHash
        template = MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
        self.num_perm = num_perm
        self.permutations = template.permutations

    def signature(self, text: str) -> np.ndarray:
        m = self._minhash(num_perm=self.num_perm, permutations=self.permutations,
                          scheme="affine32")
        m.update_batch(shingles(text))
        return m.hashvalues

    def minhash(self, signature: np.ndarray) -> Any:
        return self._minhash(hashvalues=signature, permutations=self.permutations,
                             scheme="affine32")


def to_bytes(signature: np.ndarray) -> bytes:
    return signature.astype("<u4").tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    import numpy as np

    return np.frombuffer(raw, dtype="<u4").astype(np.uint32)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float((a == b).mean())


def keep_order(article: Article) -> tuple[bool, str, str]:
    """Sort key of the keep rule: earliest publication date first, undated last, then id."""
    return (article.published is None, article.published or "", article.id)


class NearDuplicates:
    """An in-memory LSH index of kept articles' signatures; decides which articles are copies.

    Rebuilt at the start of each ingest from the signatures the store keeps (``add`` them),
    then grown as batches are decided, so copies across batches and runs are found.
    """

    def __init__(self, fingerprints: Fingerprints | None = None) -> None:
        from datasketch import MinHashLSH

        self.fp = fingerprints or Fingerprints()
        self.lsh = MinHashLSH(threshold=LSH_RECALL, num_perm=self.fp.num_perm)
        self.signatures: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, article_id: str, signature: np.ndarray) -> None:
        if article_id not in self.signatures:
            self.lsh.insert(article_id, self.fp.minhash(signature), check_duplication=False)
            self.signatures[article_id] = to_bytes(signature)

    def match(self, signature: np.ndarray) -> tuple[str, float] | None:
        """The most similar kept article at or above ``COPY_THRESHOLD`` (smallest id on ties)."""
        best: tuple[float, str] | None = None
        for key in self.lsh.query(self.fp.minhash(signature)):
            sim = estimated_jaccard(signature, from_bytes(self.signatures[key]))
            if sim >= COPY_THRESHOLD and (best is None or (-sim, key) < (-best[0], best[1])):
                best = (sim, key)
        return (best[1], best[0]) if best else None

    def split(self, articles: Sequence[Article]) -> tuple[list[Article], list[ArticleCopy]]:
        """(articles to code and store, in input order; copies of kept articles)."""
        copies: list[ArticleCopy] = []
        copied: set[str] = set()
        for article in sorted(articles, key=keep_order):
            if article.id in self.signatures:
                continue
            sig = self.fp.signature(article.text)
            found = self.match(sig)
            if found is None:
                self.add(article.id, sig)
            else:
                copied.add(article.id)
                copies.append(ArticleCopy(article.id, found[0], article.origin,
                                          round(found[1], 4)))
        return [a for a in articles if a.id not in copied], copies


# ----------------------------------------------------------------------- event clusters

DAY_SLACK = 1          # days either side of a day or week date (time zones, "yesterday")
UNDATED_SLACK = 3      # days before publication an event dated only by it may have happened
MAX_KM = 300.0         # two located reports further apart are different events
TEXT_SIMILAR = 0.3     # evidence overlap needed when actor codes overlap
TEXT_ALONE = 0.6       # evidence overlap needed when one side has no actor codes
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 31, "quarter": 92, "season": 92, "half": 183,
                "year": 366}
_STOP = frozenset("""\
a an the of in on at to for from by with and or but as is are was were be
been being has have had will would could should may might can do does did not no this that
these those it its they them their he she his her we our you your i said says say also than
then there here into over after before about against between during while which who whom
whose what when where why how all any both each few more most other some such only own same so
too very just new one two three last first next mr mrs ms
""".split())  # noqa: SIM905 - a word list reads better as text


@dataclass(frozen=True, slots=True)
class EventKey:
    """What clustering compares: one report reduced to type, dates, place, codes, terms.

    ``first_day``/``last_day`` are proleptic ordinals of the period the report may refer to
    (slack included); None when nothing dates it.
    """

    event_id: str
    article_id: str
    type: str
    first_day: int | None
    last_day: int | None
    codes: frozenset[str]
    country: str | None
    lat: float | None
    lon: float | None
    terms: frozenset[str]


def terms(text: str) -> frozenset[str]:
    """Content-word stems of an evidence quote (first five letters, stop words dropped)."""
    words = (w.lower() for w in _WORD.findall(text))
    return frozenset(w[:5] for w in words if w not in _STOP and not w.isdigit() and len(w) > 1)


def day_range(value: str | None, precision: str | None, basis: str | None,
              published: str | None) -> tuple[int, int] | None:
    """(first, last) ordinal day a report may refer to, slack included; None when undated.

    A day or week date gets ``DAY_SLACK`` days either side; a date that is only the
    publication date (basis "publication", or no date at all) covers the ``UNDATED_SLACK``
    days before publication and the day after.
    """
    start = _iso(value)
    if start is not None and basis != "publication":
        span = _PERIOD_DAYS.get(precision or "day", 1)
        if precision == "month":
            span = calendar.monthrange(start.year, start.month)[1]
        slack = DAY_SLACK if span <= 7 else 0
        return start.toordinal() - slack, start.toordinal() + span - 1 + slack
    pub = _iso(published) or start
    if pub is None:
        return None
    return pub.toordinal() - UNDATED_SLACK, pub.toordinal() + 1


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def key_of(event: Event, published: str | None) -> EventKey:
    d = event.date
    rng = day_range(d.value, d.precision, d.basis, published)
    codes = frozenset(a.code for a in (*event.actors, *event.recipients) if a.code)
    place = event.place
    return EventKey(event.id, event.evidence.article_id, event.type,
                    rng[0] if rng else None, rng[1] if rng else None, codes,
                    place.country if place else None, place.lat if place else None,
                    place.lon if place else None, terms(event.evidence.quote))


def _dates_compatible(a: EventKey, b: EventKey) -> bool:
    if a.first_day is None or b.first_day is None or a.last_day is None or b.last_day is None:
        return True
    return a.first_day <= b.last_day and b.first_day <= a.last_day


def _km(a: EventKey, b: EventKey) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _places_compatible(a: EventKey, b: EventKey) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    located = None not in (a.lat, a.lon, b.lat, b.lon)
    return not located or _km(a, b) <= MAX_KM


def text_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient of two term sets (a short headline inside a long sentence is 1)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def same_event(a: EventKey, b: EventKey) -> bool:
    """Are two reports (from different articles) the same real-world event? Symmetric."""
    if a.article_id == b.article_id or a.type != b.type:
        return False
    if not (_dates_compatible(a, b) and _places_compatible(a, b)):
        return False
    sim = text_similarity(a.terms, b.terms)
    if a.codes and b.codes:
        return bool(a.codes & b.codes) and sim >= TEXT_SIMILAR
    return sim >= TEXT_ALONE


def components(ids: Iterable[str], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """id -> smallest id of its connected component (ids in ``links`` must be in ``ids``)."""
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in links:
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    return {x: root(x) for x in parent}
