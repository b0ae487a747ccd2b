"""``eventwire eval timex DIR...``: time expressions scored on TimeML gold (TempEval-3).

Reads ``.tml`` files (the DCT is a TIMEX3 with functionInDocument="CREATION_TIME"; the
expressions to find are inline TIMEX3 tags in TEXT), runs the tagger of
``eventwire.stages.dates`` on the plain TEXT with the DCT as publication date, and scores as
TempEval-3 does:

- strict span match: same start and end; relaxed: the spans overlap (one-to-one pairs);
- P = matches / system, R = matches / gold, F1 = 2 * matches / (system + gold);
- value F1: relaxed pairs whose values are equal, over the same denominators;
- per TIMEX3 type (DATE, TIME, DURATION, SET): a pair counts for type T when both the gold
  and the system expression have type T; system and gold counts are those of type T.
The DCT itself is not scored.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire.errors import EventwireError
from eventwire.model import TimeExpression

if TYPE_CHECKING:
    from rich.console import Console

    from eventwire.stages.timex.tagger import Tagger

TYPES = ("DATE", "TIME", "DURATION", "SET")
TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>|([^<]+)", re.S)
ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')


@dataclass
class Gold:
    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass
class Document:
    name: str
    dct: str | None
    text: str
    gold: list[Gold] = field(default_factory=list)


def read_tml(path: Path) -> Document:
    """A TimeML file: DCT value, plain TEXT and its gold TIMEX3 spans (char offsets)."""
    try:
        raw = path.read_text("utf-8", errors="replace")
    except OSError as exc:
        raise EventwireError("E501", f"cannot read {path}: {exc}",
                             "check the path and its permissions") from exc
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if body is None:
        raise EventwireError("E502", f"{path} has no <TEXT> element",
                             "give TimeML files in the TempEval-3 format")
    text, gold = _plain_text(body.group(1))
    return Document(path.name, _dct(raw), text, gold)


def _dct(raw: str) -> str | None:
    for m in re.finditer(r"<TIMEX3([^>]*)>", raw):
        attrs = dict(ATTR.findall(m.group(1)))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            return attrs.get("value")
    return None


def _plain_text(body: str) -> tuple[str, list[Gold]]:
    parts: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    gold: list[Gold] = []
    for m in TAG.finditer(body):
        if m.group(5) is not None:
            piece = html.unescape(m.group(5))
            parts.append(piece)
            length += len(piece)
        elif m.group(2) != "TIMEX3" or m.group(4):
            continue  # other tags; an empty <TIMEX3/> has no text to find
        elif not m.group(1):
            open_timex.append((length, dict(ATTR.findall(m.group(3)))))
        elif open_timex:
            start, attrs = open_timex.pop()
            gold.append(Gold(start, length, attrs.get("type", ""), attrs.get("value", ""), ""))
    text = "".join(parts)
    for g in gold:
        g.text = text[g.start:g.end]
    return text, gold


def tml_files(paths: list[str]) -> list[Path]:
    """The .tml files named or found (recursively) under ``paths``, sorted."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(p.rglob("*.tml")))
        elif p.is_file():
            files.append(p)
        else:
            raise EventwireError("E503", f"{p} does not exist",
                                 "give directories of TimeML .tml files or .tml files")
    if not files:
        raise EventwireError("E504", f"no .tml files under {', '.join(paths)}",
                             "TempEval-3 data: TimeBank/ and AQUAINT/ folders of .tml files")
    return files


def pair(gold: list[Gold], system: list[TimeExpression]) -> list[tuple[Gold, TimeExpression]]:
    """One-to-one pairs of overlapping gold and system spans, largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            overlap = min(g.end, s.span.end) - max(g.start, s.span.start)
            if overlap > 0:
                candidates.append((-overlap, gi, si))
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs = []
    for _, gi, si in sorted(candidates):
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            pairs.append((gold[gi], system[si]))
    return pairs


@dataclass
class Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0

    def add(self, other: Counts) -> None:
        for name in ("gold", "system", "strict", "relaxed", "value", "type"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float | int]:
        def f1(n: int) -> float:
            return round(2 * n / (self.system + self.gold), 4) if self.system + self.gold else 0.0

        def ratio(n: int, d: int) -> float:
            return round(n / d, 4) if d else 0.0

        return {"gold": self.gold, "system": self.system,
                "strict_p": ratio(self.strict, self.system),
                "strict_r": ratio(self.strict, self.gold), "strict_f1": f1(self.strict),
                "relaxed_p": ratio(self.relaxed, self.system),
                "relaxed_r": ratio(self.relaxed, self.gold), "relaxed_f1": f1(self.relaxed),
                "value_p": ratio(self.value, self.system),
                "value_r": ratio(self.value, self.gold), "value_f1": f1(self.value),
                "type_accuracy": ratio(self.type, self.relaxed)}


def count(gold: list[Gold], system: list[TimeExpression], kind: str | None = None) -> Counts:
    """Counts for one document, over all types (``kind`` None) or one TIMEX3 type."""
    def keep_g(g: Gold) -> bool:
        return kind is None or g.type == kind

    def keep_s(s: TimeExpression) -> bool:
        return kind is None or s.type == kind

    c = Counts(sum(map(keep_g, gold)), sum(map(keep_s, system)))
    for g, s in pair(gold, system):
        if not (keep_g(g) and keep_s(s)):
            continue
        c.relaxed += 1
        c.strict += (g.start, g.end) == (s.span.start, s.span.end)
        c.value += same_value(g.value, s.value)
        c.type += g.type == s.type
    return c


def same_value(gold: str, system: str | None) -> bool:
    """Exact TIMEX3 value equality (week numbers compared without zero padding)."""
    if system is None:
        return False
    return _canon(gold) == _canon(system)


def _canon(value: str) -> str:
    return re.sub(r"-W0(\d)\b", r"-W\1", value.strip())


class DateparserTagger:
    """The baseline: ``dateparser.search_dates`` alone (English, relative to the DCT), each
    hit re-read by ``DateDataParser`` for its period; every hit is a DATE."""

    def find(self, text: str, published: str | None) -> list[TimeExpression]:
        from datetime import datetime

        from dateparser.date import DateDataParser
        from dateparser.search import search_dates

        from eventwire.model import span_of
        from eventwire.stages.timex.tagger import parse_dct

        dct = parse_dct(published)
        settings: dict[str, Any] = {"RELATIVE_BASE": datetime(dct.year, dct.month, dct.day)} \
            if dct else {}
        found = search_dates(text, languages=["en"], settings=settings) or []
        reader = DateDataParser(languages=["en"], settings=settings)
        out: list[TimeExpression] = []
        pos = 0
        for piece, _ in found:
            start = text.find(piece, pos)
            if start < 0:
                continue
            pos = start + len(piece)
            data = reader.get_date_data(piece)
            value = _dateparser_value(data.date_obj, data.period) if data.date_obj else None
            out.append(TimeExpression(span_of(text, start, pos), "DATE", value, True))
        return out


def _dateparser_value(when: Any, period: str | None) -> str:
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        iso_year, week, _ = when.isocalendar()
        return f"{iso_year:04d}-W{week:02d}"
    return str(when.date().isoformat())


ENGINES = ("rules", "dateparser")


def evaluate(paths: list[str], tagger: Tagger | DateparserTagger | None = None
             ) -> tuple[dict[str, Any], list[tuple[Document, list[TimeExpression]]]]:
    """Scores and, for error analysis, each document with the system's expressions."""
    from eventwire.stages.dates import load_tagger

    tagger = tagger or load_tagger()
    docs = [read_tml(p) for p in tml_files(paths)]
    outputs = []
    started = time.perf_counter()
    for doc in docs:
        outputs.append((doc, tagger.find(doc.text, doc.dct)))
    elapsed = time.perf_counter() - started
    return _result(outputs, elapsed), outputs


def _result(outputs: list[tuple[Document, list[TimeExpression]]],
            elapsed: float) -> dict[str, Any]:
    total = Counts()
    per_type = {t: Counts() for t in TYPES}
    chars = 0
    for doc, system in outputs:
        total.add(count(doc.gold, system))
        for t in TYPES:
            per_type[t].add(count(doc.gold, system, t))
        chars += len(doc.text)
    result: dict[str, Any] = {"documents": len(outputs), **total.scores()}
    result["per_type"] = {t: c.scores() for t, c in per_type.items()}
    result["ms_per_document"] = round(1000 * elapsed / max(1, len(outputs)), 3)
    result["ms_per_1000_chars"] = round(1000 * elapsed / max(1, chars / 1000), 3)
    return result


def run(paths: list[str], engine: str = "rules") -> dict[str, Any]:
    """Evaluates on the TimeML files under ``paths``; JSON-serialisable. ``engine``:
    "rules" (the shipped tagger) or "dateparser" (the library-only baseline)."""
    if engine not in ENGINES:
        raise EventwireError("E505", f"unknown timex engine {engine!r}",
                             f"use one of: {', '.join(ENGINES)}")
    result, _ = evaluate(paths, DateparserTagger() if engine == "dateparser" else None)
    result["engine"] = engine
    result["paths"] = [str(p) for p in paths]
    return result


def render(result: dict[str, Any], console: Console) -> None:
    """Prints the scores as a table: overall, then one row per TIMEX3 type."""
    from rich.table import Table

    engine = result.get("engine", "rules")
    table = Table(title=f"TIMEX3 ({engine}) on {result['documents']} TimeML documents "
                        "(TempEval-3 scoring)")
    table.caption = "strict = strict span F1, rel = relaxed span match, value = value F1"
    columns = ("type", "gold", "sys", "strict", "rel P", "rel R", "rel F1", "value")
    for column in columns:
        table.add_column(column, justify="left" if column == "type" else "right", no_wrap=True)
    rows = [("all", result)] + list(result["per_type"].items())
    for name, r in rows:
        table.add_row(name, str(r["gold"]), str(r["system"]),
                      *(f"{r[k]:.3f}" for k in ("strict_f1", "relaxed_p", "relaxed_r",
                                                 "relaxed_f1", "value_f1")))
    console.print(table)
    console.print(f"{result['ms_per_document']:.2f} ms per document "
                  f"({result['ms_per_1000_chars']:.2f} ms per 1,000 characters)")
