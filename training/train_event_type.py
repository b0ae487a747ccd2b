"""Rebuilds the shipped PLOVER event-type classifier (eventwire/data/models/event_type.*).

Trained on: ../shared/gold/plv/PLV_train.tsv only (PLV, Hu et al. ACL 2024: 1,050 English news
sentences, one (source, target) pair each, 15 PLOVER classes with CONCEDE and RETREAT merged as
YIELD; research use). Inputs are the ``marked_sentence`` column alone; labels are ``gold_root``.
The model is a linear SVM over word/character n-grams, the words between the markers and the
hand-written cue lexicon (eventwire/data/event_type_lexicon.toml), with a softmax temperature
fitted on out-of-fold margins; see eventwire/classifier.py. Deterministic for a given --seed.

    .venv/bin/python training/train_event_type.py [--data PATH] [--out DIR] [--seed 0]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwire import classifier  # noqa: E402
from eventwire.eval import plv  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "gold" / "plv" / "PLV_train.tsv"
DEFAULT_OUT = ROOT / "eventwire" / "data" / "models"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data = Path(args.data)
    rows = plv.read_tsv(data)
    started = time.perf_counter()
    clf = classifier.fit(rows.marked, rows.gold, seed=args.seed)
    clf.trained.provenance.update({
        "trained_on": data.name, "rows": len(rows.gold), "skipped": rows.skipped,
        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(), "seed": args.seed,
        "classes": sorted(set(rows.gold)), "script": "training/train_event_type.py",
    })
    paths = classifier.save(clf, args.out)
    print(f"trained on {len(rows.gold)} rows of {data} in {time.perf_counter() - started:.1f}s; "
          f"wrote {', '.join(f'{p} ({p.stat().st_size:,} B)' for p in paths)}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(DEFAULT_DATA), help="PLV-format TSV to train on")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="folder for event_type.npz/.json")
    p.add_argument("--seed", type=int, default=0)
    return p


if __name__ == "__main__":
    raise SystemExit(main())
