"""Throughput steps of ``bench/run.py``, each run in its own process (so peak RSS is per step):

    python bench/bench_throughput.py ingest --db FILE --workers N PATH...   end to end into SQLite
    python bench/bench_throughput.py bare --workers N PATH...               nlp.pipe, all components
    python bench/bench_throughput.py bare --matmul numpy --workers N PATH...  same, numpy's BLAS
    python bench/bench_throughput.py keep --shared DIR                      cheap-pass keep rate

Each prints one JSON object on its last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def texts(paths: list[str]) -> Iterator[str]:
    """The article texts the readers give for ``paths`` (what both runs process)."""
    from eventwire import config
    from eventwire.ingest import ReadOptions, read
    from eventwire.model import Article

    opts = ReadOptions(limits=config.load()["limits"])
    for _, _, item in read(paths, opts):
        if isinstance(item, Article):
            yield item.text


def words(text: str) -> int:
    return len(text.split())


def ingest(args: argparse.Namespace) -> dict[str, object]:
    from eventwire import config
    from eventwire.jobs import ingest as run_ingest
    from eventwire.pipeline import one_blas_thread
    from eventwire.store import Store

    one_blas_thread()  # as the eventwire command does
    cfg = config.load(overrides={"pipeline": {"workers": args.workers}})
    store = Store.open(args.db)
    t0 = time.perf_counter()
    summary = run_ingest(args.paths, store, cfg)
    wall = time.perf_counter() - t0
    return {"wall": wall, "read": summary.read, "new": summary.new,
            "duplicate": summary.duplicate, "near_duplicate": summary.near_duplicate,
            "failed": summary.failed, "events": summary.events,
            "stages": {k: asdict(v) for k, v in summary.stages.items()},
            "workers": args.workers, "batch_size": cfg["pipeline"]["batch_size"],
            "select": cfg["pipeline"]["select"]}


def bare(args: argparse.Namespace) -> dict[str, object]:
    import spacy

    from eventwire import config

    items = list(texts(args.paths))
    name = config.load()["pipeline"]["model"]
    if args.matmul == "numpy":  # as eventwire's default loads it: one BLAS thread per process
        from thinc.api import use_ops
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(name)
    else:  # spaCy as shipped (blis)
        nlp = spacy.load(name)
    t0 = time.perf_counter()
    n = 0
    for _ in nlp.pipe(items, n_process=args.workers, batch_size=args.batch):
        n += 1
    wall = time.perf_counter() - t0
    return {"wall": wall, "texts": n, "words": sum(map(words, items)),
            "components": nlp.pipe_names, "workers": args.workers, "matmul": args.matmul}


def keep(args: argparse.Namespace) -> dict[str, object]:
    """Share of the golden-suite event sentences the cheap pass keeps for parsing."""
    sys.path.insert(0, str(ROOT / "tests"))
    import golden  # type: ignore[import-not-found]

    from eventwire.model import Article
    from eventwire.resources import Resources
    from eventwire.stages import Work, segment

    shared = Path(args.shared)
    seg = segment.build(Resources())
    sentences = golden.event_sentences(shared)
    records = golden.article_texts(shared, ((s.corpus, s.article) for s in sentences))
    kept = 0
    for s in sentences:
        work = Work(Article(id="g", text=records[(s.corpus, s.article)]["text"]))
        seg(work)
        kept += any(x.candidate for x in work.article.sentences
                    if x.span.start < s.end and s.start < x.span.end)
    return {"kept": kept, "total": len(sentences), "rate": kept / len(sentences)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="step", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("--db", required=True)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("paths", nargs="+")
    p = sub.add_parser("bare")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--matmul", choices=["blis", "numpy"], default="blis",
                   help="blis: spaCy as shipped (the reference); numpy: numpy's BLAS")
    p.add_argument("paths", nargs="+")
    p = sub.add_parser("keep")
    p.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()
    result = {"ingest": ingest, "bare": bare, "keep": keep}[args.step](args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
