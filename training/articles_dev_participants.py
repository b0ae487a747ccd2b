"""Codes the articles of an article-level gold file (gigaword-dev) and writes them in the
reference scorer's format, then runs the scorer (``../shared/gold/articles/score.py``).

usage: python training/articles_dev_participants.py [GOLD.jsonl] [--out out.jsonl] [--dump]

Texts are read from ../shared/corpora by each gold record's ``corpus`` and 1-based ``line``;
nothing from ../shared is written into the repository. ``--dump`` prints every coded event
next to the gold events of its article (error analysis; for the development set only).
Used for issue 15 part B (participants and modality); the held-out split is never run here.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from eventwire.model import Actor, Article, Event
from eventwire.pipeline import extract_articles

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold" / "articles" / "gigaword-dev.jsonl"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def corpus_line(corpus: str, line: int) -> dict[str, Any]:
    """The 1-based ``line`` of a corpus file under ../shared."""
    with (SHARED / corpus).open(encoding="utf-8") as fh:
        for number, raw in enumerate(fh, 1):
            if number == line:
                return json.loads(raw)  # type: ignore[no-any-return]
    raise SystemExit(f"{corpus} has no line {line}")


def party(actor: Actor) -> dict[str, Any]:
    if actor.unknown:
        return {"unknown": True, "text": None, "code": None, "sector": actor.sector}
    text = actor.span.text if actor.span else actor.name
    return {"text": text, "code": actor.code, "sector": actor.sector}


def scored_event(event: Event) -> dict[str, Any]:
    span = event.evidence.span
    return {"type": event.type, "mode": event.mode, "modality": event.modality,
            "actors": [party(a) for a in event.actors],
            "recipients": [party(a) for a in event.recipients],
            "date": event.date.value, "place": event.place.name if event.place else None,
            "evidence": {"start": span.start, "end": span.end, "text": span.text}}


def code_gold(gold: list[dict[str, Any]]) -> list[Article]:
    articles = []
    for g in gold:
        rec = corpus_line(g["corpus"], g["line"])
        assert rec["id"] == g["article_id"], (rec["id"], g["article_id"])
        articles.append(Article(id=g["article_id"], text=rec["text"], title=rec.get("title"),
                                published=g.get("published"), source="gigaword"))
    return extract_articles(articles)


def load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score", GOLD.parent / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dump(gold: list[dict[str, Any]], outputs: dict[str, list[dict[str, Any]]]) -> None:
    def short(p: dict[str, Any]) -> str:
        return "?" if p.get("unknown") else f"{p.get('code')}:{p.get('text')}"

    for g in gold:
        print(f"=== {g['article_id']}")
        for tag, events in (("G", g["events"]), ("O", outputs[g["article_id"]])):
            for e in sorted(events, key=lambda e: e["evidence"]["start"]):
                print(f"{tag} {e['evidence']['start']:5d} {e['type']:9s} {e.get('modality'):12s} "
                      f"{[short(p) for p in e['actors']]} -> "
                      f"{[short(p) for p in e['recipients']]}"
                      f"{' KEY' if e.get('key') else ''}  | {e['evidence']['text'][:110]}")


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", type=Path, default=GOLD)
    ap.add_argument("--out", type=Path, default=Path("/tmp/evargs_dev_out.jsonl"))
    ap.add_argument("--dump", action="store_true")
    opts = ap.parse_args(argv)
    gold = read_jsonl(opts.gold)
    coded = code_gold(gold)
    outputs = {a.id: [scored_event(e) for e in a.events] for a in coded}
    with opts.out.open("w", encoding="utf-8") as fh:
        for aid, events in outputs.items():
            fh.write(json.dumps({"article_id": aid, "events": events}) + "\n")
    if opts.dump:
        dump(gold, outputs)
    scorer = load_scorer()
    for lenient, name in ((True, "main"), (False, "type_strict")):
        print(name, json.dumps(scorer.score(gold, outputs, lenient=lenient)))


if __name__ == "__main__":
    main(sys.argv[1:])
