"""What each rule of the cheap pass saves, on the same sample:

    python bench/bench_cheap_pass.py [--limit 600] [--shared ../shared]

The cheap pass (``stages/segment.py``) keeps for the full model every sentence with an actor
form and a trigger form whose word conditions it meets (a trigger whose every sense needs a
word, ``needs``, or an object of a kind, ``obj``, counts only when one of those words is
there in some form), and every other sentence with a reported-speech cue (parsed without
NER). Variants, each in its own process (one worker, one BLAS thread): ``current``;
``no-requirements`` (any trigger form counts, the pass before the word conditions);
``no-cues`` (no claim-only sentences, ``pipeline.select = "events"``). Printed: candidate
sentences and their words, events coded (and which differ), CPU seconds of the pipeline,
and the share of golden-suite event sentences each keeps.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

def articles(limit: int, shared: Path) -> list[Any]:
    sys.path.insert(0, str(ROOT / "bench"))
    import tempfile

    from run import corpus_paths, sample  # type: ignore[import-not-found]

    from eventwire.ingest import ReadOptions, read
    from eventwire.model import Article

    with tempfile.TemporaryDirectory() as tmp:
        paths = sample(corpus_paths(["reuters", "gigaword"]), limit, Path(tmp))
        return [a for _, _, a in read(paths, ReadOptions()) if isinstance(a, Article)]


def keep_rate(segment: Any, shared: Path) -> tuple[int, int]:
    import golden  # type: ignore[import-not-found]

    from eventwire.model import Article
    from eventwire.stages import Work

    sentences = golden.event_sentences(shared)
    records = golden.article_texts(shared, ((s.corpus, s.article) for s in sentences))
    kept = 0
    for s in sentences:
        work = Work(Article(id="g", text=records[(s.corpus, s.article)]["text"]))
        segment(work)
        kept += any(x.candidate for x in work.article.sentences
                    if x.span.start < s.end and s.start < x.span.end)
    return kept, len(sentences)


def measure(variant: str, limit: int, shared: Path) -> dict[str, Any]:
    from eventwire.pipeline import Pipeline
    from eventwire.resources import Resources

    docs = articles(limit, shared)
    res = Resources()
    pipe = Pipeline(res)
    segment = next(s for s in pipe.stages if s.name == "segment")
    if variant == "no-requirements":
        segment.lexicons.requires = {}  # type: ignore[attr-defined]
    elif variant == "no-cues":  # the pass before reported-speech cues were added, for reference
        segment.lexicons.cues = frozenset()  # type: ignore[attr-defined]
    t0 = time.process_time()
    for i in range(0, len(docs), 32):
        pipe.process(docs[i:i + 32])
    cpu = time.process_time() - t0
    cands = [s for a in docs for s in a.sentences if s.candidate]
    kept, total = keep_rate(segment, shared)
    return {"variant": variant, "cpu": cpu, "articles": len(docs),
            "sentences": sum(len(a.sentences) for a in docs), "candidates": len(cands),
            "candidate_words": sum(len(s.span.text.split()) for s in cands),
            "words": sum(len(a.text.split()) for a in docs),
            "events": sorted(f"{a.id}:{e.evidence.span.start}:{e.type}"
                             for a in docs for e in a.events),
            "golden_kept": kept, "golden_total": total}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=600)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--variant", choices=["current", "no-requirements", "no-cues"])
    args = ap.parse_args()
    if args.variant:  # one variant per process, so the two do not share caches
        print(json.dumps(measure(args.variant, args.limit, args.shared)))
        return
    import subprocess

    runs = {}
    for variant in ("current", "no-requirements", "no-cues"):
        out = subprocess.run([sys.executable, __file__, "--variant", variant, "--limit",
                              str(args.limit), "--shared", str(args.shared)],
                             capture_output=True, text=True, check=True).stdout
        runs[variant] = json.loads(out.strip().splitlines()[-1])
    for r in runs.values():
        print(f"{r['variant']:<13} candidates {r['candidates']:,}/{r['sentences']:,} sentences "
              f"({r['candidate_words']:,}/{r['words']:,} words), events {len(r['events'])}, "
              f"pipeline CPU {r['cpu']:.1f} s, golden kept {r['golden_kept']}/"
              f"{r['golden_total']}")
    a, b = set(runs["current"]["events"]), set(runs["no-requirements"]["events"])
    print(f"events only with the current pass: {sorted(a - b)}")
    print(f"events only without the word conditions: {sorted(b - a)}")
    print(f"CPU saved by the word conditions: "
          f"{1 - runs['current']['cpu'] / runs['no-requirements']['cpu']:.0%}; CPU saved "
          f"without cue sentences: {1 - runs['no-cues']['cpu'] / runs['current']['cpu']:.0%}")


if __name__ == "__main__":
    main()
