"""`eventwire eval articles FILE.jsonl|DIR`: what the coder finds in whole articles.

Each gold line names an article by ``corpus`` (relative to the shared folder) and 1-based
``line``; its text is read from there, coded with the configured pipeline (the one ``extract``
uses; the corpus text is coded as it stands, so that the gold offsets hold), and the output
events are scored against the line's events by the rule of ../shared/gold/articles/README.md
(see articles_score.py): key recall, recall, precision and, on matched events, actor,
recipient, modality and date accuracy, for the main figure (``alt_types`` accepted) and the
type-strict one, overall and per type.

Two gold formats are read: the development file's (every span and party with its ``text``) and
the held-out split's (eval/heldout/*.jsonl), where every text is replaced by offsets into the
article (evidence {start, end}; parties {start, end, code, sector} or {"unknown": true}; place
{start, end} or null). :func:`materialise` turns the second into the first.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire.errors import EventwireError
from eventwire.eval.articles_score import Rules, evidence_fits, load_rules, pair_up, score
from eventwire.eval.articles_score import parties_fit as _parties_fit
from eventwire.eval.articles_score import type_fits as _type_fits
from eventwire.model import Actor, Article, Event

if TYPE_CHECKING:
    from rich.console import Console

    from eventwire.pipeline import Pipeline
    from eventwire.resources import Resources

REQUIRED = ("corpus", "line", "article_id", "events")
Progress = Callable[[str], None]


@dataclass
class GoldArticle:
    """One gold line with its article: the gold object (texts filled in) and the corpus record."""

    gold: dict[str, Any]
    record: dict[str, Any]
    source: str  # file:line of the gold line

    @property
    def text(self) -> str:
        return str(self.record["text"])


# ------------------------------------------------------------------ reading


def gold_files(paths: Sequence[str | Path]) -> list[Path]:
    """The .jsonl files named, a folder standing for every *.jsonl in it (sorted)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(p.glob("*.jsonl"))
        elif p.is_file():
            found.append(p)
        else:
            raise EventwireError("E510", f"{p} does not exist",
                                 "give a gold .jsonl file or a folder of them")
    if not found:
        raise EventwireError("E510", f"no .jsonl files in {', '.join(map(str, paths))}",
                             "give a gold .jsonl file or a folder of them")
    return found


def _parse_line(raw: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise EventwireError("E511", f"{where}: not valid JSON ({exc})",
                             "fix or remove that line; each line is one article object") from exc
    if not isinstance(value, dict) or any(k not in value for k in REQUIRED):
        raise EventwireError("E512", f"{where}: not a gold article object",
                             f"each line needs {', '.join(REQUIRED)} "
                             "(schema: ../shared/gold/articles/README.md)")
    return value


@dataclass
class Corpora:
    """Corpus files read once each, per call (no state kept between calls)."""

    shared: Path
    lines: dict[str, list[str]] = field(default_factory=dict)

    def record(self, corpus: str, line: int, where: str) -> dict[str, Any]:
        rows = self.lines.get(corpus)
        if rows is None:
            rows = self._read(corpus, where)
            self.lines[corpus] = rows
        if not isinstance(line, int) or not 1 <= line <= len(rows):
            raise EventwireError("E514", f"{where}: line {line!r} is not in {corpus} "
                                 f"({len(rows)} lines)", "lines are 1-based")
        return json.loads(rows[line - 1])  # type: ignore[no-any-return]

    def _read(self, corpus: str, where: str) -> list[str]:
        path = self.shared / corpus
        if ".." in Path(corpus).parts or not path.is_file():
            raise EventwireError("E513", f"{where}: unknown corpus {corpus!r} (no {path})",
                                 "corpus is relative to the shared folder, e.g. "
                                 "corpora/gigaword-afp-xinhua.jsonl; set --shared")
        return path.read_text("utf-8").splitlines()


def read_gold(paths: Sequence[str | Path], shared: str | Path) -> list[GoldArticle]:
    """Every gold line of ``paths`` with its article text, in either gold format."""
    corpora = Corpora(Path(shared))
    out = []
    for path in gold_files(paths):
        for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            gold = _parse_line(raw, where)
            record = corpora.record(gold["corpus"], gold["line"], where)
            if record.get("id") != gold["article_id"]:
                raise EventwireError("E515", f"{where}: {gold['corpus']} line {gold['line']} is "
                                     f"{record.get('id')!r}, not {gold['article_id']!r}",
                                     "check corpus and line")
            out.append(GoldArticle(materialise(gold, record["text"], where), record, where))
    return out


def _span_text(span: Mapping[str, Any], text: str, where: str) -> str:
    start, end = span.get("start"), span.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        raise EventwireError("E516", f"{where}: span {start!r}..{end!r} is not inside the "
                             f"article ({len(text)} characters)", "fix the offsets")
    return text[start:end]


def _with_text(span: Mapping[str, Any], text: str, where: str) -> dict[str, Any]:
    return {**span, "text": _span_text(span, text, where)}


def _party(p: Mapping[str, Any], text: str, where: str) -> dict[str, Any]:
    if p.get("unknown") or "start" not in p:
        return dict(p)
    return {**p, "text": _span_text(p, text, where)}


def _event(e: Mapping[str, Any], text: str, where: str) -> dict[str, Any]:
    out = dict(e)
    out["evidence"] = _with_text(e["evidence"], text, where)
    out["alt_evidence"] = [_with_text(s, text, where) for s in e.get("alt_evidence") or []]
    for role in ("actors", "recipients"):
        out[role] = [_party(p, text, where) for p in e.get(role) or []]
    place = e.get("place")
    if isinstance(place, Mapping):
        out["place"] = _span_text(place, text, where)
    return out


def materialise(gold: Mapping[str, Any], text: str, where: str = "gold") -> dict[str, Any]:
    """The gold object with every offset's text filled in from ``text`` (the held-out format
    becomes the development format; spans that already carry a text are checked too).
    ``digest`` fields are left as they are."""
    events = [_event(e, text, where) for e in gold["events"]]
    for e, given in zip(events, gold["events"], strict=True):
        said = (given.get("evidence") or {}).get("text")
        if said is not None and said != e["evidence"]["text"]:
            raise EventwireError("E516", f"{where}: evidence text differs from the article at "
                                 f"{e['evidence']['start']}..{e['evidence']['end']}",
                                 "the offsets no longer point at the annotated sentence")
    return {**gold, "events": events}


# ------------------------------------------------------------------ coding


def eval_resources(config: str | Path | None = None) -> Resources:
    from eventwire import config as config_mod
    from eventwire.resources import Resources

    return Resources(config_mod.load(config))


def corpus_article(record: Mapping[str, Any], origin: str, res: Resources) -> Article:
    """A corpus record as the readers build it, with the corpus text kept as it stands (so
    offsets into the corpus text hold) and the record's id."""
    from eventwire.ingest.article import build, fields_from
    from eventwire.ingest.base import Limits

    article = build(fields_from(record, {}), Limits.from_mapping(res.cfg["limits"]), origin)
    return replace(article, id=str(record.get("id") or article.id), text=str(record["text"]))


def code_record(pipe: Pipeline, record: Mapping[str, Any], origin: str,
                res: Resources) -> Article:
    """One corpus record coded as it stands; a pipeline failure is raised as its coded error."""
    result = pipe.process([corpus_article(record, origin, res)])
    if result.failures:
        f = result.failures[0]
        raise EventwireError(f.code, f.reason, f.hint)
    return result.articles[0]


def code(items: Sequence[GoldArticle], res: Resources,
         on_article: Progress | None = None) -> list[Article]:
    """Each gold article coded by the configured pipeline, in order."""
    from eventwire.pipeline import Pipeline

    pipe = Pipeline(res)
    coded = []
    for item in items:
        coded.append(code_record(pipe, item.record, item.source, res))
        if on_article:
            on_article(item.gold["article_id"])
    return coded


def _party_out(a: Actor) -> dict[str, Any]:
    """A participant as the gold codes it: an agent the text does not name is unknown; a
    person or organisation of a state counts as that state (its country) unless it has an
    entity code of its own (an international organisation)."""
    if a.unknown:
        return {"unknown": True}
    return {"text": a.span.text if a.span else a.name, "code": a.code or a.country,
            "sector": a.sector}


def output_event(e: Event) -> dict[str, Any]:
    """One coded event in the reference scorer's format (no actor = unknown)."""
    actors = [_party_out(a) for a in e.actors] or [{"unknown": True}]
    return {"type": e.type, "mode": e.mode, "modality": e.modality, "actors": actors,
            "recipients": [_party_out(a) for a in e.recipients], "date": e.date.value,
            "evidence": {"start": e.evidence.span.start, "end": e.evidence.span.end},
            "trigger": e.evidence.trigger.text if e.evidence.trigger else None}


def outputs(coded: Sequence[Article]) -> dict[str, list[dict[str, Any]]]:
    return {a.id: [output_event(e) for e in a.events] for a in coded}


# ------------------------------------------------------------------ explain


def _sentences_in(article: Article, span: Mapping[str, int]) -> list[Any]:
    return [s for s in article.sentences
            if s.span.start < span["end"] and span["start"] < s.span.end]


def _has_actor(article: Article, sentences: Sequence[Any]) -> bool:
    return any(a.span and s.span.start <= a.span.start and a.span.end <= s.span.end
               for a in article.actors for s in sentences)


def _codes(parties: Sequence[Mapping[str, Any]]) -> str:
    return ",".join("?" if p.get("unknown") else str(p.get("code") or p.get("text"))
                    for p in parties) or "-"


def why_missed(g: Mapping[str, Any], outs: Sequence[Mapping[str, Any]], article: Article,
               rules: Rules) -> tuple[str, str]:
    """(stage, reason) for a gold event no output matched."""
    here = [o for o in outs if fits_evidence(o, g)]
    typed = [o for o in here if _type_fits(o["type"], g, False, rules)]
    if typed and any(_parties_fit(o, g, rules) for o in typed):
        return "matching", "its output matched another gold event (one-to-one)"
    if typed:
        return "actors", (f"participants differ: output {_codes(typed[0]['actors'])} -> "
                          f"{_codes(typed[0]['recipients'])}")
    if here:
        return "events", f"type differs: output {', '.join(o['type'] for o in here)}"
    away = [o for o in outs if _type_fits(o["type"], g, False, rules) and _parties_fit(o, g, rules)]
    if away:
        return "events", f"evidence elsewhere (offset {away[0]['evidence']['start']})"
    return _silent_stage(g, article)


def fits_evidence(o: Mapping[str, Any], g: Mapping[str, Any]) -> bool:
    return evidence_fits(o["evidence"], g)


def _silent_stage(g: Mapping[str, Any], article: Article) -> tuple[str, str]:
    spans = [g["evidence"], *(g.get("alt_evidence") or [])]
    sentences = [s for span in spans for s in _sentences_in(article, span)]
    if not any(s.candidate for s in sentences):
        return "segment", "the cheap pass did not give the sentence the full parse"
    if not _has_actor(article, [s for s in sentences if s.candidate]):
        return "actors", "no actor found in the sentence"
    return "events", "no trigger or candidate (or under events.min_confidence)"


def why_unmatched(o: Mapping[str, Any], gold: Sequence[Mapping[str, Any]],
                  rules: Rules) -> tuple[str, str]:
    """(stage, reason) for an output event no gold event took."""
    trigger = f" (trigger {o['trigger']!r})" if o.get("trigger") else ""
    here = [g for g in gold if fits_evidence(o, g)]
    if not here:
        return "events", "no gold event in this sentence" + trigger
    typed = [g for g in here if _type_fits(o["type"], g, False, rules)]
    if not typed:
        return "events", f"type differs: gold {', '.join(g['type'] for g in here)}" + trigger
    if not any(_parties_fit(o, g, rules) for g in typed):
        return "actors", (f"participants differ: gold {_codes(typed[0]['actors'])} -> "
                          f"{_codes(typed[0]['recipients'])}")
    return "matching", "the gold event was matched by another output (duplicate)"


def _quote(text: str, span: Mapping[str, int], limit: int = 240) -> str:
    q = " ".join(text[span["start"]:span["end"]].split())
    return q if len(q) <= limit else q[:limit - 3] + "..."


def explain(item: GoldArticle, article: Article, outs: Sequence[Mapping[str, Any]],
            rules: Rules) -> Iterator[dict[str, Any]]:
    """Each missed gold event and each unmatched output of one article (main figure)."""
    gold = item.gold["events"]
    pairs = pair_up(gold, outs, False, rules)
    base = {"article_id": item.gold["article_id"], "where": item.source}
    for i, g in enumerate(gold):
        if i not in pairs:
            stage, reason = why_missed(g, outs, article, rules)
            yield {**base, "kind": "missed", "type": g["type"], "key": bool(g.get("key")),
                   "parties": f"{_codes(g['actors'])} -> {_codes(g['recipients'])}",
                   "stage": stage, "reason": reason, "sentence": _quote(item.text, g["evidence"])}
    taken = set(pairs.values())
    for j, o in enumerate(outs):
        if j not in taken:
            stage, reason = why_unmatched(o, gold, rules)
            yield {**base, "kind": "unmatched", "type": o["type"], "key": False,
                   "parties": f"{_codes(o['actors'])} -> {_codes(o['recipients'])}",
                   "stage": stage, "reason": reason, "sentence": _quote(item.text, o["evidence"])}


# ------------------------------------------------------------------ run and print


def run(paths: str | Path | Sequence[str | Path], shared: str | Path = "../shared",
        config: str | Path | None = None, with_explain: bool = False,
        res: Resources | None = None, on_article: Progress | None = None) -> dict[str, Any]:
    """Reads, codes and scores; main and type-strict figures (flat keys: main; ``strict_*``:
    type-strict), per type, and with ``with_explain`` the misses and unmatched outputs."""
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    items = read_gold(paths, shared)
    started = time.perf_counter()
    coded = code(items, res or eval_resources(config), on_article)
    return result(items, coded, with_explain, time.perf_counter() - started,
                  [str(p) for p in paths])


def result(items: Sequence[GoldArticle], coded: Sequence[Article], with_explain: bool,
           seconds: float, files: list[str]) -> dict[str, Any]:
    rules = load_rules()
    outs = outputs(coded)
    gold = [i.gold for i in items]
    main, strict = score(gold, outs, False, rules), score(gold, outs, True, rules)
    found: dict[str, Any] = {"files": files, **main,
                             "type_strict": strict,
                             **{f"strict_{k}": v for k, v in strict.items() if k != "per_type"},
                             "seconds": round(seconds, 1)}
    if with_explain:
        found["explain"] = [row for item, art in zip(items, coded, strict=True)
                            for row in explain(item, art, outs[art.id], rules)]
    return found


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"[1:] if x < 1 else f"{x:.2f}"


COLUMNS = ("key_recall", "recall", "precision", "actor_accuracy", "recipient_accuracy",
           "modality_accuracy", "date_accuracy")


def _table(title: str, rows: dict[str, dict[str, Any]]) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("", no_wrap=True)
    for col in ("hit/gold", "out", "keyR", "recall", "prec", "actor", "recip", "modal", "date"):
        table.add_column(col, justify="right", no_wrap=True)
    for name, r in rows.items():
        table.add_row(name, f"{r['matched']}/{r['gold_events']}", str(r["output_events"]),
                      *(_fmt(r[k]) for k in COLUMNS))
    return table


def render(found: dict[str, Any], console: Console) -> None:
    from rich.markup import escape

    strict = found["type_strict"]
    console.print(_table(f"whole articles: {', '.join(found['files'])} ({found['articles']} "
                         "articles)", {"main": found, "type-strict": strict}))
    console.print(_table("per type (main; precision by output type)", found["per_type"]))
    console.print(_table("per type (type-strict)", strict["per_type"]))
    for row in found.get("explain", []):
        key = " key" if row["key"] else ""
        console.print(f"[bold]{row['kind']}[/]{key} {row['type']} {escape(row['parties'])} "
                      f"[cyan]{row['article_id']}[/] [yellow]{row['stage']}[/]: "
                      f"{escape(row['reason'])}\n    [dim]{escape(row['sentence'])}[/]",
                      highlight=False)
    console.print(f"coded in {found['seconds']} s")


__all__ = ["GoldArticle", "code", "explain", "materialise", "outputs", "read_gold", "render",
           "result", "run"]
