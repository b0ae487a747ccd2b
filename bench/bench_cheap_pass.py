"""The cheap pass as it is vs. a requirement-aware one (a proposal), on the same sample:

    python bench/bench_cheap_pass.py [--limit 600] [--shared ../shared]

A trigger form whose every sense needs a word (``needs``) or an object (``obj``) in the
trigger lexicon can only give an event when the sentence contains one of those words
(any inflection). The current cheap pass keeps every sentence with an actor form and a
trigger form (full model) and every sentence with a reported-speech cue (parsed without NER);
the proposal also checks that condition for trigger forms (cue sentences are kept as they
are), so fewer sentences reach the full model.
Both run in this process (one worker, one BLAS thread); printed: candidate sentences and
their words, events coded (and which differ), CPU seconds of the pipeline, and the share
of golden-suite event sentences each keeps.
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

IRREGULAR_NOUNS = {"man": ("men",), "woman": ("women",), "child": ("children",),
                   "person": ("people",), "criterion": ("criteria",), "datum": ("data",)}


def requirements(res: Any) -> dict[str, frozenset[str] | None]:
    """Trigger form -> words one of which the sentence must contain (None: no condition)."""
    from eventwire.stages.events.lexicon import lexicon, noun_forms, verb_forms

    def surface(word: str) -> set[str]:
        return verb_forms(word) | noun_forms(word) | set(IRREGULAR_NOUNS.get(word, ()))

    def words_of(sense: Any) -> frozenset[str] | None:
        if (not sense.needs and not sense.obj) or "to" in sense.needs:
            return None  # "to" is also met by any verb complement
        return frozenset(f for w in sense.needs | sense.obj for f in surface(w))

    lex = lexicon(res)
    out: dict[str, frozenset[str] | None] = {}

    def add(form: str, senses: Any) -> None:
        for sense in senses:
            need, have = words_of(sense), out.get(form, frozenset())
            out[form] = None if need is None or have is None else have | need

    for lemma, senses in lex.verbs.items():
        for form in verb_forms(lemma, lex.irregular.get(lemma, ())):
            add(form, senses)
    for word, senses in lex.nouns.items():
        for form in noun_forms(word):
            add(form, senses)
    return out


class RequirementAware:
    """Drop-in for ``segment.Lexicons`` with the trigger word conditions."""

    def __init__(self, base: Any, requires: dict[str, frozenset[str] | None]) -> None:
        self.base, self.requires = base, requires

    def reason(self, text: str) -> str | None:
        from eventwire.stages.segment import _WORD

        found = self.base.reason(text)
        if found != "event":
            return found
        words = {w.lower() for w in _WORD.findall(text)}
        words.update([part for w in words if "-" in w for part in w.split("-")])
        for w in words & self.base.triggers:
            need = self.requires.get(w)
            if need is None or not need.isdisjoint(words):
                return "event"
        return None if words.isdisjoint(self.base.cues) else "claim"


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
    if variant == "requirements":
        segment.lexicons = RequirementAware(segment.lexicons, requirements(res))  # type: ignore[attr-defined]
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
    ap.add_argument("--variant", choices=["current", "requirements", "no-cues"])
    args = ap.parse_args()
    if args.variant:  # one variant per process, so the two do not share caches
        print(json.dumps(measure(args.variant, args.limit, args.shared)))
        return
    import subprocess

    runs = {}
    for variant in ("current", "requirements", "no-cues"):
        out = subprocess.run([sys.executable, __file__, "--variant", variant, "--limit",
                              str(args.limit), "--shared", str(args.shared)],
                             capture_output=True, text=True, check=True).stdout
        runs[variant] = json.loads(out.strip().splitlines()[-1])
    for r in runs.values():
        print(f"{r['variant']:<13} candidates {r['candidates']:,}/{r['sentences']:,} sentences "
              f"({r['candidate_words']:,}/{r['words']:,} words), events {len(r['events'])}, "
              f"pipeline CPU {r['cpu']:.1f} s, golden kept {r['golden_kept']}/"
              f"{r['golden_total']}")
    a, b = set(runs["current"]["events"]), set(runs["requirements"]["events"])
    print(f"events only with the current pass: {sorted(a - b)}")
    print(f"events only with the proposal: {sorted(b - a)}")
    print(f"CPU saved by the requirements: "
          f"{1 - runs['requirements']['cpu'] / runs['current']['cpu']:.0%}; without cue "
          f"sentences: {1 - runs['no-cues']['cpu'] / runs['current']['cpu']:.0%}")


if __name__ == "__main__":
    main()
