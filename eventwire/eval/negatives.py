"""`eventwire eval negatives`: the false-alarm figure, events per 1,000 sentences on news where
almost nothing political happens.

The sample is fixed: BBC sport, business, entertainment and tech articles and Reuters-21578
articles (business and commodity news), ``per_group`` of each (60 by default, 300 in all), drawn
by ``random.Random(f"{SEED}-{group}")`` from the group's articles of 120-700 words (the length
rule of ../shared/gold/articles). Each is coded by the configured pipeline as ``eval articles``
does (corpus text as it stands). ``hand_sample`` draws the events to grade by hand with the
same seed (docs/negatives.md holds the grades).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire.errors import EventwireError
from eventwire.eval.articles import code_record, eval_resources
from eventwire.model import Article

if TYPE_CHECKING:
    from rich.console import Console

    from eventwire.resources import Resources

SEED = 14
GROUPS = (  # (group, corpus, id infix; "" = every article of the corpus)
    ("bbc-sport", "corpora/bbc-news.jsonl", "-sport-"),
    ("bbc-business", "corpora/bbc-news.jsonl", "-business-"),
    ("bbc-entertainment", "corpora/bbc-news.jsonl", "-entertainment-"),
    ("bbc-tech", "corpora/bbc-news.jsonl", "-tech-"),
    ("reuters", "corpora/reuters21578.jsonl", ""),
)
MIN_WORDS, MAX_WORDS = 120, 700


@dataclass(frozen=True)
class Pick:
    group: str
    corpus: str
    line: int  # 1-based
    record: dict[str, Any]


def _rows(shared: Path, corpus: str) -> list[str]:
    path = shared / corpus
    try:
        return path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise EventwireError("E513", f"cannot read corpus {path}: {exc}",
                             "set --shared to the folder holding corpora/") from exc


def _eligible(rows: list[str], infix: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, raw in enumerate(rows, 1):
        record = json.loads(raw)
        if infix in str(record.get("id")) and MIN_WORDS <= len(record["text"].split()) <= MAX_WORDS:
            yield n, record


def sample(shared: str | Path, per_group: int = 60) -> list[Pick]:
    """The fixed, seeded sample: ``per_group`` articles of each group, in corpus order."""
    picks: list[Pick] = []
    cache: dict[str, list[str]] = {}
    for group, corpus, infix in GROUPS:
        rows = cache.setdefault(corpus, _rows(Path(shared), corpus))
        pool = list(_eligible(rows, infix))
        chosen = random.Random(f"{SEED}-{group}").sample(pool, min(per_group, len(pool)))
        picks += [Pick(group, corpus, n, rec) for n, rec in sorted(chosen, key=lambda x: x[0])]
    return picks


def code(picks: list[Pick], res: Resources,
         on_article: Callable[[str], None] | None = None) -> list[Article]:
    from eventwire.pipeline import Pipeline

    pipe = Pipeline(res)
    coded = []
    for pick in picks:
        coded.append(code_record(pipe, pick.record, f"{pick.corpus}:{pick.line}", res))
        if on_article:
            on_article(pick.record["id"])
    return coded


def _per_1000(events: int, sentences: int) -> float:
    return round(1000 * events / sentences, 1) if sentences else 0.0


def event_rows(picks: list[Pick], coded: list[Article]) -> list[dict[str, Any]]:
    """Every event of the sample, in sample order, with its pointers."""
    rows = []
    for pick, art in zip(picks, coded, strict=True):
        for e in art.events:
            rows.append({"group": pick.group, "corpus": pick.corpus, "line": pick.line,
                         "article_id": art.id, "type": e.type, "modality": e.modality,
                         "actors": [a.code or a.name for a in e.actors],
                         "recipients": [a.code or a.name for a in e.recipients],
                         "start": e.evidence.span.start, "end": e.evidence.span.end,
                         "quote": e.evidence.quote})
    return rows


def hand_sample(rows: list[dict[str, Any]], n: int = 30) -> list[int]:
    """Indexes (into ``rows``) of the events to grade by hand: a seeded draw, sorted."""
    return sorted(random.Random(f"{SEED}-grade").sample(range(len(rows)), min(n, len(rows))))


def result(picks: list[Pick], coded: list[Article], seconds: float) -> dict[str, Any]:
    groups: dict[str, dict[str, int]] = {}
    for pick, art in zip(picks, coded, strict=True):
        g = groups.setdefault(pick.group, {"articles": 0, "sentences": 0, "events": 0})
        g["articles"] += 1
        g["sentences"] += len(art.sentences)
        g["events"] += len(art.events)
    for g in groups.values():
        g["per_1000_sentences"] = _per_1000(g["events"], g["sentences"])  # type: ignore[assignment]
    sentences = sum(g["sentences"] for g in groups.values())
    events = sum(g["events"] for g in groups.values())
    rows = event_rows(picks, coded)
    return {"articles": len(picks), "sentences": sentences, "events": events,
            "events_per_1000_sentences": _per_1000(events, sentences), "groups": groups,
            "seed": SEED, "seconds": round(seconds, 1), "events_list": rows,
            "hand_sample": hand_sample(rows)}


def run(shared: str | Path = "../shared", per_group: int = 60, config: str | Path | None = None,
        res: Resources | None = None,
        on_article: Callable[[str], None] | None = None) -> dict[str, Any]:
    picks = sample(shared, per_group)
    t0 = time.perf_counter()
    coded = code(picks, res or eval_resources(config), on_article)
    return result(picks, coded, time.perf_counter() - t0)


def render(found: dict[str, Any], console: Console, show_sample: bool = False) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"false alarms: events on non-political news (seed {found['seed']})")
    for col in ("group", "articles", "sentences", "events", "per 1,000 sentences"):
        table.add_column(col, justify="left" if col == "group" else "right")
    for name, g in found["groups"].items():
        table.add_row(name, str(g["articles"]), str(g["sentences"]), str(g["events"]),
                      f"{g['per_1000_sentences']:.1f}")
    table.add_row("all", str(found["articles"]), str(found["sentences"]), str(found["events"]),
                  f"{found['events_per_1000_sentences']:.1f}", style="bold")
    console.print(table)
    if show_sample:
        for i in found["hand_sample"]:
            r = found["events_list"][i]
            console.print(f"[bold]{i}[/] {r['article_id']} ({r['corpus']}:{r['line']}) "
                          f"{r['start']}..{r['end']} {r['type']} {r['modality']} "
                          f"{escape(str(r['actors']))} -> {escape(str(r['recipients']))}\n"
                          f"    [dim]{escape(' '.join(r['quote'].split()))}[/]", highlight=False)
    console.print(f"coded in {found['seconds']} s")
