"""Codes the articles of an article-level gold file and writes the reference scorer's input.

usage: python training/score_articles.py GOLD.jsonl OUT.jsonl [--shared DIR] [--select all]
then:  python ../shared/gold/articles/score.py GOLD.jsonl OUT.jsonl

Texts are read from ``../shared/corpora`` by each gold record's ``corpus`` and ``line`` (never
copied into the repo). Each output line is ``{"article_id", "events": [...]}`` with the event's
type, mode, modality, actors/recipients (``{"text", "code"}``; ``{"unknown": true}`` for an
unknown actor) and its evidence sentence's offsets, as ``score.py`` reads them. Prints how many
of the gold evidence sentences got the full parse, claim-only parse or none (the cheap pass).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwire import config  # noqa: E402
from eventwire.model import Actor, Article, Event  # noqa: E402
from eventwire.pipeline import Pipeline  # noqa: E402
from eventwire.resources import Resources  # noqa: E402


def corpus_line(shared: Path, corpus: str, line: int) -> dict[str, Any]:
    """The ``line``-th (1-based) JSON record of a corpus file under ``shared``."""
    with open(shared / corpus, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if n == line:
                return dict(json.loads(raw))
    raise SystemExit(f"{corpus} has no line {line}")


def gold_articles(path: Path, shared: Path) -> list[tuple[dict[str, Any], Article]]:
    """(gold record, article to code) for each line of an article-level gold file."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        gold = json.loads(raw)
        rec = corpus_line(shared, gold["corpus"], int(gold["line"]))
        article = Article(id=gold["article_id"], text=rec["text"], title=rec.get("title"),
                          published=gold.get("published"), source=gold["article_id"])
        out.append((gold, article))
    return out


def party(actor: Actor) -> dict[str, Any]:
    if getattr(actor, "unknown", False):
        return {"unknown": True, "text": None, "code": None}
    return {"text": actor.span.text if actor.span else actor.name, "code": actor.code,
            "sector": actor.sector}


def event_out(event: Event) -> dict[str, Any]:
    span = event.evidence.span
    return {"type": event.type, "mode": event.mode, "modality": event.modality,
            "actors": [party(a) for a in event.actors],
            "recipients": [party(a) for a in event.recipients],
            "date": event.date.value if event.date else None,
            "evidence": {"start": span.start, "end": span.end}}


def parse_kinds(gold: dict[str, Any], article: Article, claim_only: set[int]) -> dict[str, int]:
    """How the cheap pass treated each gold event (its evidence or an alt_evidence sentence):
    full parse, claim-only, or dropped."""
    counts = {"full": 0, "claim": 0, "dropped": 0}
    for event in gold["events"]:
        spans = [event["evidence"], *(event.get("alt_evidence") or [])]
        hit = [s for s in article.sentences for g in spans
               if s.span.start < g["end"] and g["start"] < s.span.end]
        if any(s.candidate and s.index not in claim_only for s in hit):
            counts["full"] += 1
        elif any(s.candidate for s in hit):
            counts["claim"] += 1
        else:
            counts["dropped"] += 1
    return counts


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--select", default=None, help="pipeline.select override (all, events, ...)")
    ap.add_argument("--detector", default=None, help="events.detector override (default, off)")
    opts = ap.parse_args(argv)
    over: dict[str, Any] = {"pipeline": {"select": opts.select}} if opts.select else {}
    if opts.detector:
        over["events"] = {"detector": opts.detector}
    pipe = Pipeline(Resources(config.load(overrides=over or None)))
    pairs = gold_articles(opts.gold, opts.shared)
    counts = {"full": 0, "claim": 0, "dropped": 0}
    t0 = time.perf_counter()
    with open(opts.out, "w", encoding="utf-8") as fh:
        for gold, article in pairs:
            coded, claim_only = code_one(pipe, article)
            for k, v in parse_kinds(gold, coded, claim_only).items():
                counts[k] += v
            fh.write(json.dumps({"article_id": gold["article_id"],
                                 "events": [event_out(e) for e in coded.events]}) + "\n")
    print(f"{len(pairs)} articles coded in {time.perf_counter() - t0:.1f} s; gold events' "
          f"evidence sentences: {counts['full']} full parse, {counts['claim']} claim-only, "
          f"{counts['dropped']} dropped")


def code_one(pipe: Pipeline, article: Article) -> tuple[Article, set[int]]:
    """The coded article and the indexes of its claim-only sentences."""
    from eventwire.stages import Work

    work = Work(article)
    for stage in pipe.stages:
        stage(work)
    return work.article, set(work.claim_only)


if __name__ == "__main__":
    main()
