"""`eventwire eval quotes DIR`: attribution (who said what) against PolNeAR brat standoff.

DIR is a PolNeAR split (``text/*.txt`` and ``attributions/*.ann``). Each article runs through
eventwire's pipeline as configured (by default the cheap pass parses sentences with an event
or a reported-speech cue; stages segment, parse, actors, attribution) and its quotes are
scored against the gold attributions.

Scoring (loose, one-to-one):
- a predicted quote matches a gold attribution with a Source when the predicted speaker span
  overlaps the gold Source and the predicted content overlaps the gold Content;
- a gold attribution without a Source (``Attribution-no-source``) is matched by a predicted
  quote without a speaker span whose content overlaps its Content; unmatched, it is a miss;
- each gold and each prediction is used at most once (an optimal assignment per article,
  preferring larger content overlap), so one long prediction cannot claim several golds;
- precision = matched / predicted, recall = matched / gold, F1 their harmonic mean.
Diagnostics: ``content_only`` (content overlap alone) and ``speaker_given_content``.

Articles with several annotator files (``slug_xxxx.ann``) use the first file in sorted order.
"""

from __future__ import annotations

import csv
import importlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire.errors import EventwireError
from eventwire.model import Article, Quote
from eventwire.stages import Stage, Work

if TYPE_CHECKING:
    from rich.console import Console

    from eventwire.resources import Resources

Segments = tuple[tuple[int, int], ...]
SCORED_STAGES = ("segment", "parse", "actors", "attribution")
ANNOTATOR_SUFFIX = re.compile(r"_[0-9a-f]{4}$")


@dataclass(frozen=True)
class GoldAttribution:
    source: Segments | None
    cue: Segments | None
    content: Segments


@dataclass(frozen=True)
class GoldArticle:
    name: str
    text: str
    published: str | None
    attributions: tuple[GoldAttribution, ...]


# ---------------------------------------------------------------- reading brat standoff


def read_split(path: str | Path) -> list[GoldArticle]:
    """Gold articles of one PolNeAR split folder, in file-name order."""
    root = Path(path)
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise EventwireError("E501", f"{root} is not a PolNeAR split folder",
                             "pass a folder with text/ and attributions/, e.g. "
                             "../shared/gold/polnear/dev")
    dates = _publication_dates(root.parent / "metadata.tsv")
    return [_read_article(name, text_dir / f"{name}.txt", ann, dates.get(name))
            for name, ann in sorted(_annotation_files(ann_dir).items())]


def _annotation_files(ann_dir: Path) -> dict[str, Path]:
    """One annotation file per article: the first in sorted order among annotators."""
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        chosen.setdefault(ANNOTATOR_SUFFIX.sub("", ann.stem), ann)
    return chosen


def _publication_dates(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {r["filename"]: r["publication_date"] for r in rows if r.get("filename")}


def _read_article(name: str, text_path: Path, ann_path: Path, published: str | None
                  ) -> GoldArticle:
    try:
        text = text_path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise EventwireError("E502", f"no text for {ann_path.name}: {text_path} is missing",
                             "check that text/ and attributions/ come from the same split"
                             ) from exc
    lines = ann_path.read_text(encoding="utf-8").splitlines()
    return GoldArticle(name, text, published, tuple(parse_ann(lines)))


def parse_ann(lines: list[str]) -> Iterator[GoldAttribution]:
    """Attribution relations (E lines) with their spans resolved from T lines."""
    spans: dict[str, Segments] = {}
    relations: list[dict[str, str]] = []
    for line in lines:
        parts = line.split("\t")
        if parts[0].startswith("T") and len(parts) >= 2:
            spans[parts[0]] = _segments(parts[1].split(" ", 1)[1])
        elif parts[0].startswith("E") and len(parts) >= 2:
            relations.append(dict(r.split(":", 1) for r in parts[1].split() if ":" in r))
    for rel in relations:
        if "Content" not in rel or rel["Content"] not in spans:
            continue
        yield GoldAttribution(source=spans.get(rel.get("Source", "")),
                              cue=spans.get(rel.get("Cue", "")),
                              content=spans[rel["Content"]])


def _segments(raw: str) -> Segments:
    """"12 30;35 40" -> ((12, 30), (35, 40))."""
    return tuple((int(a), int(b)) for a, b in (s.split() for s in raw.split(";")))


# ---------------------------------------------------------------- matching


def overlaps(segments: Segments, start: int, end: int) -> int:
    """Characters shared between ``segments`` and [start, end)."""
    return sum(max(0, min(b, end) - max(a, start)) for a, b in segments)


def match_article(gold: tuple[GoldAttribution, ...], predicted: list[Quote]) -> dict[str, int]:
    """Counts for one article (see the module docstring for the rule)."""
    full = _assign(gold, predicted, _full_score)
    content = _assign(gold, predicted, _content_score)
    return {"gold": len(gold), "predicted": len(predicted), "matched": full,
            "content_matched": content}


def _full_score(g: GoldAttribution, q: Quote) -> int:
    shared = overlaps(g.content, q.content.start, q.content.end)
    if not shared:
        return 0
    if g.source is None:
        return shared if q.speaker_span is None else 0
    sp = q.speaker_span
    return shared if sp is not None and overlaps(g.source, sp.start, sp.end) else 0


def _content_score(g: GoldAttribution, q: Quote) -> int:
    return overlaps(g.content, q.content.start, q.content.end)


def _assign(gold: tuple[GoldAttribution, ...], predicted: list[Quote], score: Any) -> int:
    if not gold or not predicted:
        return 0
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    matrix = np.array([[score(g, q) for q in predicted] for g in gold], dtype=float)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return int(sum(1 for r, c in zip(rows, cols, strict=True) if matrix[r, c] > 0))


def prf(matched: int, predicted: int, gold: int) -> dict[str, float]:
    p = matched / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


# ---------------------------------------------------------------- running eventwire


def code_articles(gold: list[GoldArticle], res: Resources) -> Iterator[list[Quote]]:
    """Runs eventwire's stages over the gold texts in batches (spaCy parses many sentences
    per ``nlp.pipe`` call) and yields each article's quotes in order. Every sentence is
    parsed; events, dates and places are not run, since they cannot change quotes when every
    sentence is parsed."""
    stages = scored_stages(res)
    size = int(res.cfg["pipeline"]["batch_size"])
    for i in range(0, len(gold), size):
        works = [Work(Article(id=g.name, text=g.text, published=g.published))
                 for g in gold[i: i + size]]
        for stage in stages:
            _run_stage(stage, works)
        yield from (list(w.article.quotes) for w in works)


def scored_stages(res: Resources) -> list[Stage]:
    """The pipeline's stages that quotes depend on, built as the pipeline builds them."""
    from eventwire.pipeline import STAGE_ORDER

    return [importlib.import_module(f"eventwire.stages.{name}").build(res)
            for name in STAGE_ORDER if name in SCORED_STAGES]


def _run_stage(stage: Stage, works: list[Work]) -> None:
    batch = getattr(stage, "batch", None)
    if batch is not None:
        batch(works)
        return
    for work in works:
        stage(work)


def eval_resources() -> Resources:
    """Resources with the configured pipeline: by default the cheap pass keeps every sentence
    with a reported-speech cue, so the figure is what users get."""
    from eventwire import config
    from eventwire.resources import Resources

    return Resources(config.load())


def run(path: str, limit: int | None = None, res: Resources | None = None) -> dict[str, Any]:
    """Scores eventwire's attributions on the PolNeAR split at ``path`` (the first ``limit``
    articles in file-name order when given)."""
    articles = read_split(path)[:limit]
    res = res or eval_resources()
    totals = {"gold": 0, "predicted": 0, "matched": 0, "content_matched": 0}
    started = time.perf_counter()
    for article, quotes in zip(articles, code_articles(articles, res), strict=True):
        counts = match_article(article.attributions, quotes)
        for key in totals:
            totals[key] += counts[key]
    seconds = time.perf_counter() - started
    return _result(path, len(articles), totals, seconds)


def _result(path: str, n: int, totals: dict[str, int], seconds: float) -> dict[str, Any]:
    result: dict[str, Any] = {"path": str(path), "articles": n, **totals}
    result.update(prf(totals["matched"], totals["predicted"], totals["gold"]))
    result["content_only"] = prf(totals["content_matched"], totals["predicted"], totals["gold"])
    result["seconds"] = round(seconds, 2)
    result["seconds_per_article"] = round(seconds / n, 3) if n else 0.0
    return result


def render(result: dict[str, Any], console: Console) -> None:
    from rich.table import Table

    table = Table(title=f"attribution on {result['path']} ({result['articles']} articles)")
    for col in ("match", "precision", "recall", "f1"):
        table.add_column(col, justify="right" if col != "match" else "left")
    table.add_row("speaker + content", *(f"{result[k]:.3f}" for k in ("precision", "recall", "f1")))
    co = result["content_only"]
    table.add_row("content only", *(f"{co[k]:.3f}" for k in ("precision", "recall", "f1")))
    console.print(table)
    console.print(f"gold {result['gold']}, predicted {result['predicted']}, matched "
                  f"{result['matched']}; {result['seconds_per_article']:.2f} s per article")
