"""CPU seconds of the pipeline on a Gigaword sample, in this process (robust to other load).

    python bench/bench_cpu.py [--articles 300] [--shared ../shared]

Codes every k-th article of gigaword-afp-xinhua.jsonl (300 by default) in batches of 32 after
a warm-up batch (model loading is not counted) and prints the process's user CPU seconds and
the events coded. Run it on two checkouts to compare them (median of 3 runs each).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwire.model import Article  # noqa: E402
from eventwire.pipeline import Pipeline  # noqa: E402
from eventwire.resources import Resources  # noqa: E402


def sample(shared: Path, n: int) -> list[dict[str, object]]:
    lines = (shared / "corpora/gigaword-afp-xinhua.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines[::max(1, len(lines) // n)][:n]]


def articles(records: list[dict[str, object]]) -> list[Article]:
    return [Article(id=str(r["id"]), text=str(r["text"]), title=r.get("title"),  # type: ignore[arg-type]
                    published=None) for r in records]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    opts = ap.parse_args()
    records = sample(opts.shared, opts.articles)
    pipe = Pipeline(Resources())
    pipe.process(articles(records[:5]))  # warm-up: model loading is not counted
    todo = articles(records)
    start = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    events = 0
    for i in range(0, len(todo), 32):
        events += sum(len(a.events) for a in pipe.process(todo[i:i + 32]).articles)
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - start
    print(f"{len(todo)} articles: CPU {cpu:.1f} s, {events} events")


if __name__ == "__main__":
    main()
