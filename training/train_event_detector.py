"""Trains the event detector (eventwire/stages/events/detector.py) and writes its data files.

usage: python training/train_event_detector.py [--annotations DIR] [--plv FILE | --no-plv]
                                               [--out DIR] [--folds 5] [--seed 0]

Training data:
- hand annotations, ``training/events/annotations/*.jsonl``: one judged sentence per line
  (article offsets; ``events: []`` = a negative sentence). Each annotated article is segmented,
  its annotated sentences parsed and read by the actors stage and the events stage's rule path
  (detector off), as at run time; every candidate (stages/events/candidates.py) inside an
  annotated sentence is an example: the annotated type where the candidate's word (or its
  light verb) overlaps an annotated trigger, else NONE; a candidate one dependency away from an
  annotated trigger (its object, subject, conjunct or adverbial clause, or their head) is left
  out, being neither (``_beside_trigger``).
- PLV_train (``../shared/gold/plv/PLV_train.tsv``, for the type part): for each row, the
  candidate that governs both marked spans (their lowest common head that is a candidate)
  gets the gold type (YIELD split into CONCEDE/RETREAT by the classifier's rule); the other
  candidates of those sentences are not used (unjudged).

Hyper-parameters: C of the logistic regression and (unless ``--threshold`` is given) the
acceptance threshold are chosen by
``--folds``-fold cross-validation grouped by article (PLV rows by sentence) on this training data
only: C by the best F1 of typed detection on the annotated candidates the detector decides
at run time (where the rules kept no event), the threshold as the lowest whose out-of-fold
precision reaches ``--precision`` (else the most precise point). A candidate-level precision is
harsher than what users see (an event whose word differs from the annotated trigger counts as
wrong), so the shipped threshold is chosen at the level of whole articles instead, on
gigaword-dev (which no annotation file may touch) and the golden suite: ``--threshold 0.9
--threshold-from ...`` (README, "How events are found"; the manifest keeps the reason).
Writes ``event_detector.npz`` + ``.json`` (with a manifest: data sizes and digests, CV figures)
to ``--out`` (default: eventwire/data/models/). Deterministic; a few minutes on one core.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwire import classifier as clf_mod  # noqa: E402
from eventwire import config, ontology  # noqa: E402
from eventwire.classifier import load_word_vectors  # noqa: E402
from eventwire.pipeline import Pipeline  # noqa: E402
from eventwire.resources import Resources  # noqa: E402
from eventwire.stages import Work, token_span  # noqa: E402
from eventwire.stages.events import detector as det  # noqa: E402
from eventwire.stages.events.candidates import Cand, candidate_words, candidates  # noqa: E402
from eventwire.stages.events.lexicon import lexicon  # noqa: E402

GRID_C = (0.1, 0.3, 1.0, 3.0)
BESIDE = frozenset({"dobj", "nsubj", "nsubjpass", "pobj", "xcomp", "advcl", "conj", "acl"})
MIN_COUNT = 2


@dataclass
class Examples:
    """Feature rows, dense rows, labels, CV groups, and whether a row is annotated (scored)."""

    rows: list[list[str]] = field(default_factory=list)
    dense: list[np.ndarray] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    judged: list[bool] = field(default_factory=list)

    def add(self, feats: list[str], vec: np.ndarray, label: str, group: str, judged: bool) -> None:
        self.rows.append(feats)
        self.dense.append(vec)
        self.labels.append(label)
        self.groups.append(group)
        self.judged.append(judged)


# ------------------------------------------------------------------ annotations

def read_annotations(folder: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        out += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return out


def held_apart(gold: Path) -> set[tuple[str, int]]:
    """(corpus, line) of the development articles: never trained on, whatever the
    annotation files hold."""
    if not gold.is_file():
        return set()
    rows = [json.loads(line) for line in gold.read_text("utf-8").splitlines() if line.strip()]
    return {(r["corpus"], int(r["line"])) for r in rows}


def digest(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def corpus_texts(shared: Path,
                 wanted: set[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any]]:
    """(corpus, line) -> the corpus record, reading each corpus file once."""
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for corpus in sorted({c for c, _ in wanted}):
        with open(shared / corpus, encoding="utf-8") as fh:
            for n, raw in enumerate(fh, 1):
                if (corpus, n) in wanted:
                    out[(corpus, n)] = json.loads(raw)
    return out


def coded_work(pipe: Pipeline, record: dict[str, Any], article_id: str,
               spans: list[tuple[int, int]]) -> tuple[Work, dict[tuple[int, int], det.RuleHint]]:
    """The article segmented, its annotated sentences parsed and read for actors, and the
    rule path's hints (its classified candidates, as the events stage makes them at run time;
    the detector itself is off)."""
    from eventwire.model import Article

    work = Work(Article(id=article_id, text=record["text"], title=record.get("title"),
                        published=None, source=article_id))
    stages = {s.name: s for s in pipe.stages}
    stages["segment"](work)
    for sent in work.article.sentences:
        sent.candidate = any(sent.span.start < e and s < sent.span.end for s, e in spans)
    work.claim_only.clear()
    stages["parse"](work)
    stages["actors"](work)
    events: Any = stages["events"]
    found = events.candidates(work)
    events._classify(found)
    return work, det.rule_hints(found, events.min_confidence)


def work_candidates(work: Work, res: Resources) -> Iterator[tuple[int, Cand, int, int]]:
    """Every candidate of a coded article with its sentence index and its word's article
    offsets (light verb included)."""
    words = candidate_words(res)
    for index in sorted(work.docs.keys() - work.claim_only):
        for cand in candidates(work.docs[index], words):
            span = token_span(work, index, cand.token)
            start = span.start
            if cand.light is not None:
                start = min(start, token_span(work, index, cand.light).start)
            yield index, cand, start, span.end


def label_of(start: int, end: int, events: list[dict[str, Any]],
             onto: ontology.Ontology) -> str:
    for ev in events:
        t = ev["trigger"]
        if start < t["end"] and t["start"] < end:
            return onto.canonical(ev["type"]) or ev["type"]
    return det.NONE


def annotated_examples(notes: list[dict[str, Any]], shared: Path, res: Resources,
                       pipe: Pipeline, ex: Examples) -> dict[str, int]:
    by_article: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for n in notes:
        by_article[(n["corpus"], int(n["line"]))].append(n)
    texts = corpus_texts(shared, set(by_article))
    lex, vectors, onto = lexicon(res), load_word_vectors(), ontology.load()
    n_cand = n_beside = 0
    for key in sorted(by_article):
        sents = by_article[key]
        spans = [(n["sentence"]["start"], n["sentence"]["end"]) for n in sents]
        work, hints = coded_work(pipe, texts[key], sents[0]["article_id"], spans)
        for index, cand, start, end in work_candidates(work, res):
            inside = [s for s in sents
                      if s["sentence"]["start"] <= start and end <= s["sentence"]["end"]]
            if not inside:
                continue
            label = label_of(start, end, inside[0]["events"], onto)
            if label == det.NONE and _beside_trigger(work, index, cand, inside[0]["events"]):
                n_beside += 1
                continue
            ex.add(det.features(cand, lex, hints.get((index, cand.token.i))),
                   det.dense(cand, vectors), label, sents[0]["article_id"], True)
            n_cand += 1
    return {"sentences": len(notes), "articles": len(by_article), "candidates": n_cand,
            "beside_trigger": n_beside}


def _beside_trigger(work: Work, index: int, cand: Cand, events: list[dict[str, Any]]) -> bool:
    """A candidate one dependency away from an annotated trigger ("launched" over "an
    offensive", "killing" under "attack"): it reports the same event in other words, so it is
    neither a positive nor a clean negative, and is left out of training and scoring. A
    reporting verb over its clause ("said" over "accused": ``ccomp``) stays a negative."""
    triggers = [ev["trigger"] for ev in events]
    tok = cand.token
    near = [c for c in tok.children if c.dep_ in BESIDE]
    if tok.dep_ in BESIDE:
        near.append(tok.head)
    for other in near:
        span = token_span(work, index, other)
        if any(span.start < t["end"] and t["start"] < span.end for t in triggers):
            return True
    return False


# ------------------------------------------------------------------ PLV_train

def plv_examples(path: Path, res: Resources, ex: Examples) -> dict[str, int]:
    lex, vectors, onto = lexicon(res), load_word_vectors(), ontology.load()
    cue_lex = clf_mod.load_lexicon()
    words = candidate_words(res)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    texts, spans = zip(*(_unmarked(r["marked_sentence"]) for r in rows), strict=True)
    used = 0
    for row, doc, (src, tgt) in zip(rows, res.nlp.pipe(texts), spans, strict=True):
        cands = candidates(doc, words)
        cand = _governing(doc, cands, src, tgt)
        if cand is None or not row["gold_root"]:
            continue
        label = onto.canonical(row["gold_root"]) or row["gold_root"]
        if label == "YIELD":
            label = clf_mod.split_yield(clf_mod.parse_marked(row["marked_sentence"]), cue_lex)
        if label not in onto.types:
            continue
        ex.add(det.features(cand, lex), det.dense(cand, vectors), label,
               f"plv:{row['sentence_id']}", False)
        used += 1
    return {"rows": len(rows), "used": used}


def _unmarked(marked: str) -> tuple[str, tuple[tuple[int, int], tuple[int, int]]]:
    """The sentence without <s>/<t> markers and the character spans of source and target."""
    text, found = "", {"s": (0, 0), "t": (0, 0)}
    i = 0
    while i < len(marked):
        for tag in ("s", "t"):
            opener = f"<{tag}>"
            if marked.startswith(opener, i):
                close = marked.find(f"</{tag}>", i)
                close = len(marked) if close < 0 else close
                inner = marked[i + len(opener):close]
                found[tag] = (len(text), len(text) + len(inner))
                text += inner
                i = close + len(opener) + 1
                break
        else:
            text += marked[i]
            i += 1
    return text, (found["s"], found["t"])


def _governing(doc: Any, cands: list[Cand], src: tuple[int, int],
               tgt: tuple[int, int]) -> Cand | None:
    """The candidate that is the lowest common head of the two spans' head tokens."""
    by_token = {c.token.i: c for c in cands}
    by_light = {c.light.i: c for c in cands if c.light is not None}
    heads = [_span_head(doc, s) for s in (src, tgt)]
    if None in heads:
        return None
    up = [{t.i for t in [h, *h.ancestors]} for h in heads if h is not None]
    for t in [heads[0], *heads[0].ancestors]:  # type: ignore[union-attr]
        if t.i in up[1]:
            for a in [t, *t.ancestors]:
                if a.i in by_token or a.i in by_light:
                    return by_token.get(a.i) or by_light[a.i]
            return None
    return None


def _span_head(doc: Any, span: tuple[int, int]) -> Any:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return sp.root if sp is not None and len(sp) else None


# ------------------------------------------------------------------ fitting and CV

def fit(x: np.ndarray, y: np.ndarray, n_labels: int, c: float,
        seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights (n_labels x features) and intercepts; a label absent from ``y`` gets a very
    low intercept (never predicted)."""
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    m.fit(x, y)
    coef = np.zeros((n_labels, x.shape[1]), np.float32)
    bias = np.full(n_labels, -30.0, np.float32)
    classes = [int(k) for k in m.classes_]
    if len(classes) == 2:  # one row: P(second) = sigmoid(w.x + b), as a softmax over [0, w]
        coef[classes[1]], bias[classes[1]], bias[classes[0]] = m.coef_[0], m.intercept_[0], 0.0
    else:
        coef[classes], bias[classes] = m.coef_, m.intercept_
    return coef, bias


def out_of_fold(ex: Examples, labels: list[str], c: float, folds: int,
                seed: int) -> np.ndarray:
    """Out-of-fold probabilities for every row (vocabulary built inside each fold)."""
    from sklearn.model_selection import GroupKFold

    y = np.array([labels.index(v) for v in ex.labels])
    probs = np.zeros((len(y), len(labels)), np.float32)
    vectors = load_word_vectors()
    for train, test in GroupKFold(n_splits=folds).split(ex.rows, y, ex.groups):
        vocab = det.build_vocab([ex.rows[i] for i in train], MIN_COUNT)
        x = det.design([ex.rows[i] for i in train], [ex.dense[i] for i in train], vocab)
        coef, bias = fit(x, y[train], len(labels), c, seed)
        model = det.Detector(labels, vocab, coef, bias, 0.5, vectors)
        probs[test] = model.probs([ex.rows[i] for i in test], [ex.dense[i] for i in test])
    return probs


def detection_scores(gold: Sequence[str], probs: np.ndarray, labels: list[str],
                     threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of typed detection (an accepted candidate is right when its
    type is the gold type), F0.5 too."""
    tp = fp = 0
    for g, p in zip(gold, probs, strict=True):
        pred, _ = det.decision(p, labels, threshold)
        if pred != det.NONE:
            tp, fp = tp + (pred == g), fp + (pred != g)
    n_gold = sum(g != det.NONE for g in gold)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    f05 = 1.25 * prec * rec / (0.25 * prec + rec) if prec + rec else 0.0
    return {"threshold": threshold, "precision": round(prec, 4), "recall": round(rec, 4),
            "f1": round(f, 4), "f05": round(f05, 4), "accepted": tp + fp, "gold": n_gold}


def sweep(gold: Sequence[str], probs: np.ndarray, labels: list[str]) -> list[dict[str, float]]:
    return [detection_scores(gold, probs, labels, t / 20) for t in range(2, 20)]


def pick_threshold(curve: list[dict[str, float]], target: float) -> dict[str, float]:
    """The lowest threshold whose out-of-fold precision reaches ``target``; where none does,
    the one with the highest precision (precision first)."""
    ok = [r for r in curve if r["precision"] >= target and r["accepted"] > 0]
    return ok[0] if ok else max(curve, key=lambda r: (r["precision"], -r["threshold"]))


def type_scores(gold: Sequence[str], probs: np.ndarray, labels: list[str]) -> dict[str, float]:
    """Accuracy and macro-F1 of the most probable non-NONE type on PLV rows."""
    none = labels.index(det.NONE)
    masked = probs.copy()
    masked[:, none] = -1
    pred = [labels[int(i)] for i in masked.argmax(axis=1)]
    kinds = sorted(set(gold))
    f1s = []
    for k in kinds:
        tp = sum(p == k and g == k for p, g in zip(pred, gold, strict=True))
        fp = sum(p == k and g != k for p, g in zip(pred, gold, strict=True))
        fn = sum(p != k and g == k for p, g in zip(pred, gold, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    acc = sum(p == g for p, g in zip(pred, gold, strict=True)) / max(1, len(gold))
    return {"rows": len(gold), "accuracy": round(acc, 4),
            "macro_f1": round(float(np.mean(f1s)) if f1s else 0.0, 4)}


def cross_validate(ex: Examples, labels: list[str], folds: int, seed: int,
                   target: float) -> dict[str, Any]:
    # scored on the annotated candidates the detector decides at run time: those where the
    # rules kept no event (a word the rules coded keeps the rules' event)
    judged = [i for i, j in enumerate(ex.judged) if j and "rule_kept=True" not in ex.rows[i]]
    plv = [i for i, j in enumerate(ex.judged) if not j]
    results = []
    for c in GRID_C:
        probs = out_of_fold(ex, labels, c, folds, seed)
        curve = sweep([ex.labels[i] for i in judged], probs[judged], labels)
        best = max(curve, key=lambda r: r["f1"])
        results.append({"C": c, "best_f1": best, "curve": curve,
                        "plv_types": type_scores([ex.labels[i] for i in plv], probs[plv], labels)
                        if plv else None})
        print(f"  C={c}: best F1 {best['f1']} at threshold {best['threshold']} "
              f"(P {best['precision']}, R {best['recall']}); PLV types "
              f"{results[-1]['plv_types']}", flush=True)
    chosen = max(results, key=lambda r: (r["best_f1"]["f1"], -r["C"]))
    return {"grid": [{k: v for k, v in r.items() if k != "curve"} for r in results],
            "C": chosen["C"], "at_threshold": pick_threshold(chosen["curve"], target),
            "curve": chosen["curve"], "plv_types": chosen["plv_types"]}


# ------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--annotations", type=Path, default=ROOT / "training/events/annotations")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--plv", type=Path, default=None,
                    help="PLV_train.tsv (default ../shared/gold/plv/PLV_train.tsv)")
    ap.add_argument("--no-plv", action="store_true", help="annotations only")
    ap.add_argument("--out", type=Path, default=ROOT / "eventwire/data/models")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--precision", type=float, default=0.8,
                    help="out-of-fold precision the threshold must reach")
    ap.add_argument("--threshold", type=float, default=None,
                    help="ship this acceptance threshold instead of the CV one (chosen on data "
                         "the detector never trained on; say which in --threshold-from)")
    ap.add_argument("--threshold-from", default="",
                    help="where --threshold was chosen (kept in the manifest)")
    opts = ap.parse_args(argv)
    t0 = time.perf_counter()
    manifest, ex = build_examples(opts)
    labels = [det.NONE] + sorted({v for v in ex.labels if v != det.NONE})
    print(f"{len(ex.rows)} examples ({sum(ex.judged)} annotated), {len(labels) - 1} types; "
          f"{time.perf_counter() - t0:.0f} s", flush=True)
    cv = cross_validate(ex, labels, opts.folds, opts.seed, opts.precision)
    model = final_model(ex, labels, cv, opts.seed)
    if opts.threshold is not None:
        if not opts.threshold_from:
            ap.error("--threshold needs --threshold-from (the data it was chosen on)")
        model.threshold = opts.threshold
    model.manifest = {**manifest, "labels": labels, "C": cv["C"], "cv": cv,
                      "folds": opts.folds, "seed": opts.seed, "min_count": MIN_COUNT,
                      "precision_target": opts.precision,
                      "threshold": {"value": model.threshold,
                                    "chosen_on": opts.threshold_from or "cross-validation"},
                      "seconds": round(time.perf_counter() - t0, 1)}
    paths = det.save(model, opts.out)
    print(f"threshold {model.threshold} (CV: {cv['at_threshold']}); C {cv['C']}; wrote "
          f"{', '.join(str(p) for p in paths)} in {time.perf_counter() - t0:.0f} s")


def build_examples(opts: argparse.Namespace) -> tuple[dict[str, Any], Examples]:
    res = Resources(config.load(overrides={"pipeline": {"select": "all"},
                                           "events": {"detector": "off"}}))
    pipe = Pipeline(res)
    ex = Examples()
    files = sorted(opts.annotations.glob("*.jsonl"))
    notes = read_annotations(opts.annotations)
    dev = held_apart(opts.shared / "gold/articles/gigaword-dev.jsonl")
    notes = [n for n in notes if (n["corpus"], int(n["line"])) not in dev]
    manifest: dict[str, Any] = {"annotations": annotated_examples(notes, opts.shared, res,
                                                                  pipe, ex),
                                "annotation_files": [p.name for p in files],
                                "annotations_sha256": digest(files)}
    if not opts.no_plv:
        plv = opts.plv or opts.shared / "gold/plv/PLV_train.tsv"
        manifest["plv"] = {**plv_examples(plv, res, ex), "sha256": digest([plv])}
    return manifest, ex


def final_model(ex: Examples, labels: list[str], cv: dict[str, Any], seed: int) -> det.Detector:
    vocab = det.build_vocab(ex.rows, MIN_COUNT)
    y = np.array([labels.index(v) for v in ex.labels])
    coef, bias = fit(det.design(ex.rows, ex.dense, vocab), y, len(labels), cv["C"], seed)
    return det.Detector(labels, vocab, coef, bias, float(cv["at_threshold"]["threshold"]),
                        load_word_vectors())


if __name__ == "__main__":
    main()
