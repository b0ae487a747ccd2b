"""Each stage's time per 1,000 characters on one-paragraph texts of growing length.

    python bench/bench_long_text.py                  10k, 100k and 1M characters
    python bench/bench_long_text.py --sizes 10000,300000

The texts are real Gigaword articles (../shared/corpora) with their line breaks replaced by
spaces, joined on one line and cut to the size: the shape of a transcript or of a page
converted from PDF. Each is coded alone by the default stages, called one after the other
(no time budget), and each stage is timed in CPU seconds of this process (steady when other
programs load the machine) and in wall seconds. Prints a table of CPU milliseconds per
1,000 characters, then one JSON line with every figure (the last line, for bench/run.py).
A stage whose figure stays flat as the text grows is linear in its length.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventwire.pipeline import Pipeline

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


def measure(chars: int, pipe: Pipeline) -> dict[str, object]:
    from eventwire.ids import article_id
    from eventwire.model import Article
    from eventwire.stages import Work

    text = one_line_text(chars)
    work = Work(Article(id=article_id(text), text=text, published="1997-04-01"))
    cpu: dict[str, float] = {}
    wall: dict[str, float] = {}
    for stage in pipe.stages:
        started, ticks = time.process_time(), time.perf_counter()
        stage(work)
        cpu[stage.name] = time.process_time() - started
        wall[stage.name] = time.perf_counter() - ticks
    coded = work.article
    return {"chars": chars, "wall": sum(wall.values()), "cpu": sum(cpu.values()),
            "seconds": cpu, "wall_seconds": wall,
            "ms_per_kchar": {n: 1e6 * s / chars for n, s in cpu.items()},
            "sentences": len(coded.sentences), "quotes": len(coded.quotes),
            "places": len(coded.places), "actors": len(coded.actors)}


def table(rows: list[dict[str, object]]) -> str:
    names = list(rows[0]["ms_per_kchar"])  # type: ignore[call-overload]
    head = f"{'chars':>10} {'cpu s':>7} {'wall s':>7} " + " ".join(f"{n:>11}" for n in names)
    lines = ["CPU ms per 1,000 characters, by stage (one paragraph of joined Gigaword "
             "articles):", head]
    for r in rows:
        per = r["ms_per_kchar"]
        lines.append(f"{r['chars']:>10,} {r['cpu']:>7.1f} {r['wall']:>7.1f} "
                     + " ".join(f"{per[n]:>11.1f}" for n in names))  # type: ignore[index]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)),
                    help="comma list of text lengths in characters")
    args = ap.parse_args()
    from eventwire.model import Article
    from eventwire.pipeline import Pipeline

    pipe = Pipeline()
    pipe.process([Article(id="warm", text="Kenya and Uganda met in Nairobi.")])
    rows = [measure(int(n), pipe) for n in args.sizes.split(",")]
    print(table(rows))
    print(json.dumps({"long": rows}))


if __name__ == "__main__":
    main()
