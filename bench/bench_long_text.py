"""Each stage's time per 1,000 characters on one-paragraph texts of growing length.

    python bench/bench_long_text.py                  10k, 100k and 1M characters
    python bench/bench_long_text.py --sizes 10000,300000 --budget

The texts are real Gigaword articles (../shared/corpora) with their line breaks replaced by
spaces, joined on one line and cut to the size: the shape of a transcript or of a page
converted from PDF. Each is coded alone by the default pipeline, without the time budget
(``--budget`` keeps it, to see where it stops an article). Prints a table, then one JSON
line with every figure (the last line, for bench/run.py). A stage whose figure stays flat
as the text grows is linear in its length.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared"))
GIGAWORD = SHARED / "corpora" / "gigaword-afp-xinhua.jsonl"
SIZES = (10_000, 100_000, 1_000_000)


def one_line_text(chars: int, source: Path = GIGAWORD) -> str:
    """Articles of ``source`` in file order, each on one line, joined until ``chars``."""
    parts: list[str] = []
    size = 0
    while size < chars:
        with source.open(encoding="utf-8") as fh:
            for line in fh:
                parts.append(" ".join(json.loads(line)["text"].split()))
                size += len(parts[-1]) + 1
                if size >= chars:
                    break
    return " ".join(parts)[:chars]


def measure(chars: int, budget: bool) -> dict[str, object]:
    from eventwire import config
    from eventwire.ids import article_id
    from eventwire.model import Article
    from eventwire.pipeline import Pipeline
    from eventwire.resources import Resources

    off = {} if budget else {"budget": {"seconds_per_10k_chars": 0.0}}
    pipe = Pipeline(Resources(config.load(overrides=off)))
    pipe.process([Article(id="warm", text="Kenya and Uganda met in Nairobi.")])
    text = one_line_text(chars)
    article = Article(id=article_id(text), text=text, published="1997-04-01")
    started = time.perf_counter()
    result = pipe.process([article])
    wall = time.perf_counter() - started
    stages = {name: s.seconds for name, s in result.stats.items()}
    coded = result.articles[0] if result.articles else None
    return {"chars": chars, "wall": wall, "seconds": stages,
            "ms_per_kchar": {n: 1e6 * s / chars for n, s in stages.items()},
            "failures": [f"{f.code} {f.stage}: {f.reason}" for f in result.failures],
            "sentences": len(coded.sentences) if coded else None,
            "quotes": len(coded.quotes) if coded else None,
            "places": len(coded.places) if coded else None}


def table(rows: list[dict[str, object]]) -> str:
    names = list(rows[0]["ms_per_kchar"])  # type: ignore[call-overload]
    head = f"{'chars':>10} {'wall s':>7} " + " ".join(f"{n:>11}" for n in names)
    lines = ["ms per 1,000 characters, by stage (one paragraph of joined Gigaword articles):",
             head]
    for r in rows:
        per = r["ms_per_kchar"]
        lines.append(f"{r['chars']:>10,} {r['wall']:>7.1f} "
                     + " ".join(f"{per[n]:>11.1f}" for n in names))  # type: ignore[index]
        if r["failures"]:
            lines.append(f"{'':>10} stopped: {r['failures']}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)),
                    help="comma list of text lengths in characters")
    ap.add_argument("--budget", action="store_true", help="keep the per-article time budget")
    args = ap.parse_args()
    rows = [measure(int(n), args.budget) for n in args.sizes.split(",")]
    print(table(rows))
    print(json.dumps({"long": rows}))


if __name__ == "__main__":
    main()
