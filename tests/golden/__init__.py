"""The golden suite of the events stage: loader, matcher and scorer.

``load(shared)`` reads ``events.toml`` (our annotations) and the sentence texts from
``shared/corpora``; ``event_sentences(shared)`` gives the sentences that must yield an event
(what the cheap-pass keep rate is measured on); ``evaluate(shared, pipeline)`` codes the
golden articles and scores them. The benchmark imports it with the tests folder on the path:

    sys.path.insert(0, "tests"); import golden; golden.event_sentences(Path("../shared"))
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "events.toml"
MUST_FLOOR = 0.70  # share of must entries that has to hold (every must_not always has to)


@dataclass(frozen=True)
class Expect:
    """One expected (must) or forbidden (must_not) event."""

    type: str
    actors: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    mode: str | None = None
    modality: str | None = None

    def describe(self) -> str:
        parts = [self.type]
        for name in ("actors", "recipients", "parties"):
            if getattr(self, name):
                parts.append(f"{name}={','.join(getattr(self, name))}")
        for name in ("mode", "modality"):
            if getattr(self, name):
                parts.append(f"{name}={getattr(self, name)}")
        return " ".join(parts)


@dataclass(frozen=True)
class GoldenSentence:
    corpus: str
    article: str
    start: int
    end: int
    text: str
    note: str
    must: tuple[Expect, ...] = ()
    must_not: tuple[Expect, ...] = ()


@dataclass
class Score:
    must_total: int = 0
    must_held: int = 0
    must_not_total: int = 0
    must_not_held: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def must_rate(self) -> float:
        return self.must_held / self.must_total if self.must_total else 1.0

    def passed(self, floor: float = MUST_FLOOR) -> bool:
        return self.must_not_held == self.must_not_total and self.must_rate >= floor


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def _expect(raw: dict[str, Any]) -> Expect:
    return Expect(raw["type"], tuple(raw.get("actors", ())), tuple(raw.get("recipients", ())),
                  tuple(raw.get("parties", ())), raw.get("mode"), raw.get("modality"))


def annotations(path: Path = ANNOTATIONS) -> list[dict[str, Any]]:
    return list(tomllib.loads(path.read_text("utf-8"))["sentence"])


def article_texts(shared: Path, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The corpus records (id, title, text) of the wanted (corpus, article id) pairs."""
    wanted = set(wanted)
    out: dict[tuple[str, str], dict] = {}
    for corpus in sorted({c for c, _ in wanted}):
        with (shared / "corpora" / corpus).open(encoding="utf-8") as fh:
            for line in fh:
                if (corpus, _id_of(line)) in wanted:
                    out[(corpus, _id_of(line))] = json.loads(line)
    return out


def _id_of(line: str) -> str:
    """The record id without parsing the whole line (the corpora put "id" first)."""
    start = line.find('"id": "') + 7
    return line[start:line.find('"', start)]


def load(shared: Path, path: Path = ANNOTATIONS) -> list[GoldenSentence]:
    """Golden sentences with their text read from ``shared``; a moved span fails loudly."""
    raw = annotations(path)
    records = article_texts(shared, ((r["corpus"], r["article"]) for r in raw))
    out = []
    for r in raw:
        text = records[(r["corpus"], r["article"])]["text"][r["start"]:r["end"]]
        if digest(text) != r["digest"]:
            raise ValueError(f"golden span {r['article']}[{r['start']}:{r['end']}] no longer "
                             f"matches its digest; re-annotate it")
        out.append(GoldenSentence(r["corpus"], r["article"], r["start"], r["end"], text,
                                  r.get("note", ""), tuple(_expect(m) for m in r.get("must", [])),
                                  tuple(_expect(m) for m in r.get("must_not", []))))
    return out


def event_sentences(shared: Path) -> list[GoldenSentence]:
    """The golden sentences that must give at least one event (for the cheap-pass keep rate)."""
    return [s for s in load(shared) if s.must]


# ------------------------------------------------------------------ matching

def _codes(actors: Sequence[Any]) -> set[str]:
    out: set[str] = set()
    for a in actors:
        out.update(c for c in (a.code, a.country) if c)
        if getattr(a, "unknown", False):  # an agent the text does not name
            out.add("?")
    return out


def matches(event: Any, expect: Expect) -> bool:
    """Does a coded event satisfy an expectation (type "*" matches any type)?"""
    if expect.type != "*" and event.type != expect.type:
        return False
    actors, recipients = _codes(event.actors), _codes(event.recipients)
    return (set(expect.actors) <= actors and set(expect.recipients) <= recipients
            and set(expect.parties) <= actors | recipients
            and expect.mode in (None, event.mode) and expect.modality in (None, event.modality))


def events_in(article: Any, sentence: GoldenSentence) -> list[Any]:
    """Events whose evidence overlaps the golden sentence."""
    return [e for e in article.events
            if e.evidence.span.start < sentence.end and sentence.start < e.evidence.span.end]


def score(sentences: Sequence[GoldenSentence], coded: dict[tuple[str, str], Any]) -> Score:
    """Scores coded articles (keyed by (corpus, article id)) against the golden sentences."""
    s = Score()
    for sent in sentences:
        events = events_in(coded[(sent.corpus, sent.article)], sent)
        for m in sent.must:
            s.must_total += 1
            if any(matches(e, m) for e in events):
                s.must_held += 1
            else:
                s.failures.append(f"MISSING {m.describe()} in {sent.article} ({sent.note}); "
                                  f"got {[_brief(e) for e in events]}")
        for m in sent.must_not:
            s.must_not_total += 1
            bad = [e for e in events if matches(e, m)]
            if bad:
                s.failures.append(f"FORBIDDEN {m.describe()} in {sent.article} ({sent.note}): "
                                  f"{[_brief(e) for e in bad]}")
            else:
                s.must_not_held += 1
    return s


def _brief(event: Any) -> str:
    a = ",".join(sorted(_codes(event.actors)))
    r = ",".join(sorted(_codes(event.recipients)))
    return f"{event.type}[{a}->{r}]{event.mode or ''}/{event.modality}"


def evaluate(shared: Path, code: Callable[[str, str | None], Any]
             ) -> tuple[Score, list[GoldenSentence]]:
    """Codes each golden article once with ``code(text, title) -> Article`` and scores it."""
    sentences = load(shared)
    records = article_texts(shared, ((s.corpus, s.article) for s in sentences))
    coded = {key: code(rec["text"], rec.get("title")) for key, rec in records.items()}
    return score(sentences, coded), sentences
