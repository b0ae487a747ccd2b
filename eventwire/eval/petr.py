"""`eventwire eval petr FILE.xml`: actor codes and event types against PETRARCH validation XML.

The file holds ``<Sentence id date ...>`` records, each with ``<EventCoding eventcode
sourcecode targetcode>`` rows (or ``noevents="True"``) and a ``<Text>`` (rebuilt from the
CoNLL-U ``<Parse>`` where it is empty). The records are not well-formed XML (self-closed
``<Sentence/>`` tags followed by ``</Sentence>``), so they are read with a tolerant scanner.
Each text is coded by eventwire's pipeline as configured (the default cheap pass), then every
gold coding whose CAMEO root maps to a PLOVER type (01/02 have none and are skipped) is
compared with the best-matching predicted event of that text.

CAMEO actor codes (../shared/PLOVER.md): the first 3-letter unit is the country (``---`` for
unknown) or a transnational type (IGO, NGO, IMG, MNC) followed by the organisation; the first
role unit after it is the sector (MED -> JRN; HRI -> SOC and PPL -> CVL, which PLOVER names so).
A predicted actor matches a country code when its ``code`` equals it, a transnational code when
its organisation's CAMEO prefix (``cameo`` in data/actors/orgs.toml) starts it, and ``---`` when
it has no code. PLOVER puts every party of a reciprocal or multilateral event in ``actors``, so
the gold source may match any actor and the gold target any recipient (or, when the event has
none, any other actor). A field counts as correct only when an event was predicted;
``fields_given_event`` gives the same accuracies over the codings that got an event.

Also reported: ``mention_recall``, the share of gold source/target entities that appear among
the actor mentions of the text at all (the actors stage alone, whatever the events stage does),
and how many no-event records got events.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire.errors import EventwireError
from eventwire.model import Actor, Article, Event

if TYPE_CHECKING:
    from rich.console import Console

    from eventwire.resources import Resources

TRANSNATIONAL = frozenset({"IGO", "NGO", "IMG", "MNC"})
ROLES = frozenset({"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "LEG", "SPY", "MED",
                   "JRN", "EDU", "BUS", "CRM", "CVL", "LAB", "REF", "ELI", "HRI", "UAF", "PPL",
                   "PRM", "AGR", "REL", "SOC"})
SECTOR_OF_ROLE = {"MED": "JRN", "HRI": "SOC", "PPL": "CVL"}
FIELDS = ("source_country", "source_sector", "target_country", "target_sector", "event_type")
_SENTENCE = re.compile(r"<Sentence\b([^>]*?)/?>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_CODING = re.compile(r"<EventCoding\b([^>]*?)/?>")
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
_PARSE = re.compile(r"<Parse>(.*?)</Parse>", re.S)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Coding:
    event: str
    source: str
    target: str


@dataclass(frozen=True)
class Record:
    id: str
    date: str | None
    text: str
    codings: tuple[Coding, ...]
    noevents: bool


def _attrs(raw: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(raw)}


def _clean_text(raw: str) -> str:
    text = html.unescape(raw).replace("``", '"').replace("''", '"')
    return " ".join(text.split())


def _date(raw: str | None) -> str | None:
    if raw and re.fullmatch(r"\d{8}", raw):
        return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    return None


def read_records(path: str | Path) -> list[Record]:
    """The records of a PETRARCH validation file, in file order."""
    try:
        raw = Path(path).read_text("utf-8")
    except OSError as exc:
        raise EventwireError("E501", f"cannot read PETRARCH file {path}: {exc}",
                             "give the path of a PETRARCH validation XML file") from exc
    found = (_record(m.group(1), m.group(2)) for m in _SENTENCE.finditer(raw))
    records = [r for r in found if r is not None]
    if not records:
        raise EventwireError("E502", f"no <Sentence> records with <Text> in {path}",
                             "is this a PETRARCH validation XML file?")
    return records


def _text_from_parse(body: str) -> str:
    """The sentence rebuilt from its CoNLL-U parse (for records whose <Text> is empty)."""
    parse = _PARSE.search(body)
    out: list[str] = []
    for line in (parse.group(1) if parse else "").splitlines():
        cols = line.split("\t")
        if len(cols) >= 10 and cols[0].isdigit():
            out.append(cols[1] + ("" if "SpaceAfter=No" in cols[9] else " "))
    return "".join(out)


def _record(head: str, body: str) -> Record | None:
    m = _TEXT.search(body)
    text = _clean_text(m.group(1)) if m else ""
    if not text:
        text = _clean_text(_text_from_parse(body))
    if not text:
        return None
    attrs = _attrs(head)
    codings, noevents = [], False
    for m in _CODING.finditer(body):
        a = _attrs(m.group(1))
        if a.get("noevents", "").lower() == "true":
            noevents = True
        elif "eventcode" in a:
            codings.append(Coding(a["eventcode"], a.get("sourcecode", "---"),
                                  a.get("targetcode", "---")))
    return Record(attrs.get("id", ""), _date(attrs.get("date")), text, tuple(codings), noevents)


# ---------------------------------------------------------------- CAMEO actor codes


@dataclass(frozen=True)
class GoldActor:
    code: str
    country: str | None   # ISO3 or None
    transnational: bool
    sector: str | None

    @property
    def known(self) -> bool:
        return self.country is not None or self.transnational


def split_actor(code: str) -> GoldActor:
    """``PSEREBHMSGOV`` -> country PSE, sector REB; ``IGOUNOMIL`` -> transnational, MIL."""
    code = code.strip().upper()
    units = [code[i:i + 3] for i in range(0, len(code), 3)]
    first = units[0] if units else "---"
    transnational = first in TRANSNATIONAL
    country = None if transnational or first == "---" else first
    role = next((u for u in units[1:] if u in ROLES), None)
    sector = SECTOR_OF_ROLE.get(role, role) if role else None
    return GoldActor(code, country, transnational, sector)


def entity_matches(gold: GoldActor, actor: Actor, cameo: dict[str, str]) -> bool:
    """Does a predicted actor stand for the gold actor's country or organisation?"""
    if gold.transnational:
        prefix = cameo.get(actor.code or "") or cameo.get(actor.name) or ""
        return bool(prefix) and gold.code.startswith(prefix)
    if gold.country is None:
        return actor.code is None
    return actor.code == gold.country


# ---------------------------------------------------------------- scoring


@dataclass
class Tally:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    def as_dict(self) -> dict[str, Any]:
        acc = self.correct / self.total if self.total else 0.0
        return {"correct": self.correct, "total": self.total, "accuracy": round(acc, 4)}


@dataclass
class Score:
    fields: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    given_event: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    mention_recall: Tally = field(default_factory=Tally)
    scored: int = 0
    skipped_no_plover: int = 0
    with_prediction: int = 0
    noevent_records: int = 0
    noevent_with_events: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Matched:
    event: Event | None
    source: Actor | None
    target: Actor | None


def _pick(actors: Iterable[Actor], gold: GoldActor, cameo: dict[str, str],
          exclude: Actor | None = None) -> Actor | None:
    pool = [a for a in actors if a is not exclude]
    return next((a for a in pool if entity_matches(gold, a, cameo)), None)


def match_event(events: list[Event], plover: str, src: GoldActor, tgt: GoldActor,
                cameo: dict[str, str]) -> Matched:
    """The predicted event that best fits a gold coding (type, then source, then target)."""
    best, best_score = Matched(None, None, None), -1
    for ev in events:
        source = _pick(ev.actors, src, cameo)
        others = ev.recipients or [a for a in ev.actors if a is not source]
        target = _pick(others, tgt, cameo)
        score = 4 * (ev.type == plover) + 2 * (source is not None) + (target is not None)
        if score > best_score:
            fallback_src = source or (ev.actors[0] if ev.actors else None)
            fallback_tgt = target or (others[0] if others else None)
            best, best_score = Matched(ev, fallback_src, fallback_tgt), score
    return best


def _score_coding(score: Score, article: Article, coding: Coding, plover: str,
                  cameo: dict[str, str]) -> None:
    src, tgt = split_actor(coding.source), split_actor(coding.target)
    m = match_event(article.events, plover, src, tgt, cameo)
    has = m.event is not None
    score.with_prediction += int(has)
    ok = {
        "event_type": m.event is not None and m.event.type == plover,
        "source_country": m.source is not None and entity_matches(src, m.source, cameo),
        "source_sector": m.source is not None and m.source.sector == src.sector,
        "target_country": m.target is not None and entity_matches(tgt, m.target, cameo),
        "target_sector": m.target is not None and m.target.sector == tgt.sector,
    }
    for name, good in ok.items():
        score.fields[name].add(has and good)
        if has:
            score.given_event[name].add(good)
    for gold in (src, tgt):
        if gold.known:
            score.mention_recall.add(any(entity_matches(gold, a, cameo)
                                         for a in article.actors))


def score_records(records: list[Record], articles: dict[str, Article],
                  cameo: dict[str, str]) -> Score:
    from eventwire import ontology

    onto = ontology.load()
    score = Score()
    for rec in records:
        article = articles.get(rec.id)
        if article is None:
            score.failures.append(rec.id)
            continue
        if rec.noevents and not rec.codings:
            score.noevent_records += 1
            score.noevent_with_events += int(bool(article.events))
        for coding in rec.codings:
            plover = onto.from_cameo(coding.event)
            if plover is None:
                score.skipped_no_plover += 1
                continue
            score.scored += 1
            _score_coding(score, article, coding, plover, cameo)
    return score


# ---------------------------------------------------------------- running


def _resources(select: str | None) -> Resources:
    """The configured pipeline (what users get), or another ``pipeline.select``."""
    from eventwire import config
    from eventwire.resources import Resources

    return Resources(config.load(overrides={"pipeline": {"select": select}} if select else None))


def code_records(records: list[Record], res: Resources) -> tuple[dict[str, Article], list[str]]:
    """Runs the pipeline over each record's text (one article per record)."""
    from eventwire.ids import article_id
    from eventwire.pipeline import Pipeline

    pipe = Pipeline(res)
    articles = [Article(id=article_id(r.text, r.id), text=r.text, title=None, published=r.date,
                        source=r.id) for r in records]
    result = pipe.process(articles)
    by_record = {a.source or "": a for a in result.articles}
    return by_record, pipe.stage_names


def _cameo_prefixes(res: Resources) -> dict[str, str]:
    from eventwire.stages import actors

    return dict(actors.dictionary(res).cameo)


def run(path: str, select: str | None = None) -> dict[str, Any]:
    """Codes every record of ``path`` and scores it; JSON-serialisable result."""
    records = read_records(path)
    res = _resources(select)
    t0 = time.perf_counter()
    articles, stages = code_records(records, res)
    seconds = time.perf_counter() - t0
    score = score_records(records, articles, _cameo_prefixes(res))
    return _result(path, records, score, stages, seconds)


def _result(path: str, records: list[Record], score: Score, stages: list[str],
            seconds: float) -> dict[str, Any]:
    fields = {name: t.as_dict() for name, t in score.fields.items()}
    out: dict[str, Any] = {
        "file": str(path), "records": len(records),
        "codings": sum(len(r.codings) for r in records),
        "scored": score.scored, "skipped_no_plover": score.skipped_no_plover,
        "with_prediction": score.with_prediction, "fields": fields,
        "fields_given_event": {name: t.as_dict() for name, t in score.given_event.items()},
        "mention_recall": score.mention_recall.as_dict(),
        "noevent_records": score.noevent_records,
        "noevent_with_events": score.noevent_with_events,
        "failed_records": score.failures, "stages": stages, "seconds": round(seconds, 2),
    }
    for name, value in fields.items():
        out[f"petr_{name}_acc"] = value["accuracy"]
    out["petr_mention_recall"] = out["mention_recall"]["accuracy"]
    return out


def render(result: dict[str, Any], console: Console) -> None:
    from rich.table import Table

    table = Table(title=f"PETRARCH validation: {result['file']}")
    for col in ("field", "correct", "total", "accuracy"):
        table.add_column(col, justify="left" if col == "field" else "right")
    for name, value in [*result["fields"].items(), ("mention_recall", result["mention_recall"])]:
        table.add_row(name.replace("_", " "), str(value["correct"]), str(value["total"]),
                      f"{value['accuracy']:.3f}")
    console.print(table)
    given = ", ".join(f"{k.replace('_', ' ')} {v['accuracy']:.3f}"
                      for k, v in result["fields_given_event"].items())
    console.print(f"Accuracy where an event was predicted: {given}.")
    console.print(
        f"{result['records']} records, {result['codings']} codings: {result['scored']} scored, "
        f"{result['skipped_no_plover']} skipped (CAMEO 01/02 have no PLOVER type); "
        f"{result['with_prediction']} with a predicted event. No-event records with events: "
        f"{result['noevent_with_events']}/{result['noevent_records']}. "
        f"Stages: {', '.join(result['stages'])}; {result['seconds']} s.")
    if result["failed_records"]:
        console.print(f"[red]records that failed: {', '.join(result['failed_records'])}[/red]")


def iter_texts(path: str) -> Iterator[str]:
    """The texts of a PETRARCH file (for benchmarks and quick looks)."""
    for rec in read_records(path):
        yield rec.text
