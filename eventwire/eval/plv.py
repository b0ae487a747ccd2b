"""``eventwire eval plv FILE.tsv``: the event-type classifier on PLV-format gold.

PLV (Hu et al., ACL 2024) has one row per (sentence, source, target) pair. The file is read by
its header: the predictor sees only ``marked_sentence`` (``<s>``/``<t>`` around the spans);
``gold_root`` is the gold PLOVER type. Every other column is the output of some other model and
is never read. Where the gold uses the merged class YIELD, CONCEDE and RETREAT predictions
count as YIELD.

Without ``cv`` the shipped model is scored on the file; with ``cv=k`` the model is retrained on
k folds with the same code that builds the shipped model (:func:`eventwire.classifier.fit`)
and the out-of-fold predictions are scored. ``split`` "stratified" (the default) makes seeded
stratified folds; "grouped" makes the selection-free folds of :mod:`eventwire.eval.plv_groups`
(no test fold shares a near-duplicate sentence or an actor string with its training folds).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire import classifier, ontology
from eventwire.errors import EventwireError
from eventwire.eval import plv_groups

if TYPE_CHECKING:
    from rich.console import Console

INPUT_COLUMN = "marked_sentence"
GOLD_COLUMN = "gold_root"
SPLITS = ("stratified", "grouped")


@dataclass(frozen=True)
class Rows:
    """The usable rows of a PLV file: marked sentences, canonical gold types, skipped count."""

    marked: list[str]
    gold: list[str]
    skipped: int


def read_tsv(path: str | Path) -> Rows:
    """Reads ``marked_sentence`` and ``gold_root`` by header; rows whose gold type is unknown
    to the ontology (or empty) are skipped and counted."""
    onto = ontology.load()
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = {INPUT_COLUMN, GOLD_COLUMN} - set(reader.fieldnames or ())
            if missing:
                raise EventwireError(
                    "E501", f"{path} lacks the column(s) {', '.join(sorted(missing))}",
                    f"a PLV file is a TSV with a header naming {INPUT_COLUMN} and {GOLD_COLUMN}")
            marked, gold, skipped = [], [], 0
            for row in reader:
                label = _gold_label(row.get(GOLD_COLUMN) or "", onto)
                if label is None or not row.get(INPUT_COLUMN):
                    skipped += 1
                    continue
                marked.append(row[INPUT_COLUMN])
                gold.append(label)
    except OSError as exc:
        raise EventwireError("E502", f"cannot read {path}: {exc}",
                             "check the path (e.g. ../shared/gold/plv/PLV_train.tsv)") from exc
    if not marked:
        raise EventwireError("E503", f"{path} has no row with a known gold type",
                             "gold_root must hold PLOVER type names such as ACCUSE or YIELD")
    return Rows(marked, gold, skipped)


def _gold_label(value: str, onto: ontology.Ontology) -> str | None:
    value = value.strip().upper()
    return value if value in onto.merged else onto.canonical(value) if value else None


def predict(clf: classifier.EventTypeClassifier, rows: Rows) -> list[str]:
    """Predicted types for ``rows``, merged (CONCEDE/RETREAT -> YIELD) if the gold merges."""
    onto = ontology.load()
    merge = any(g in onto.merged for g in rows.gold)
    return [onto.merge_class(p.type) if merge else p.type for p in clf.predict(rows.marked)]


def run(path: str, cv: int | None = None, seed: int = 0, mode: str = "default",
        split: str = "stratified") -> dict[str, Any]:
    """Scores the shipped model on ``path`` or, with ``cv=k``, k-fold cross-validation on it.

    ``mode`` "accurate" uses the optional model with sentence embeddings (needs torch);
    ``split`` is "stratified" or "grouped" (see the module docstring), used with ``cv`` only.
    """
    if split not in SPLITS:
        raise EventwireError("E505", f"unknown split {split!r}",
                             f"use --split {' or --split '.join(SPLITS)}")
    rows = read_tsv(path)
    groups: dict[str, object] | None = None
    if cv is None:
        name = classifier.ACCURATE_NAME if mode == "accurate" else classifier.MODEL_NAME
        classifier.settings_for(mode)  # rejects an unknown mode
        clf = classifier.load_model(name=name)
        clf.predict(rows.marked[:1])  # loads what the model needs before timing
        started = time.perf_counter()
        pred = predict(clf, rows)
        seconds = time.perf_counter() - started
        model = clf.trained.provenance
    else:
        folds, groups = make_folds(rows, cv, seed, split)
        pred, seconds = _cross_validate(rows, folds, seed, classifier.settings_for(mode))
        model = {"trained_on": f"{cv}-fold {split} cross-validation folds of {path}",
                 "seed": seed}
    result = score(rows.gold, pred)
    result.update({
        "file": str(path), "skipped": rows.skipped, "mode": "cv" if cv else "shipped",
        "model_mode": mode, "cv": cv, "seed": seed, "model": model,
        "split": split if cv else None, "groups": groups,
        "predict_seconds": round(seconds, 3),
        "pairs_per_second": round(len(pred) / seconds, 1) if seconds > 0 else None,
    })
    return result


def make_folds(rows: Rows, k: int, seed: int, split: str,
               ) -> tuple[list[list[int]], dict[str, object] | None]:
    """The test rows of each fold, and the group statistics of a grouped split."""
    from sklearn.model_selection import StratifiedKFold

    if k < 2:
        raise EventwireError("E504", f"--cv must be at least 2, not {k}", "use --cv 5")
    if split == "grouped":
        grouped = plv_groups.grouped_folds(rows.marked, k)
        return grouped.folds, grouped.stats()
    folds = StratifiedKFold(k, shuffle=True, random_state=seed)
    return [test.tolist() for _, test in folds.split(rows.marked, rows.gold)], None


def _cross_validate(rows: Rows, folds: list[list[int]], seed: int,
                    settings: classifier.Settings) -> tuple[list[str], float]:
    pred = [""] * len(rows.gold)
    seconds = 0.0
    extras = classifier.Extras().ready(settings)  # loaded once, shared by the folds
    for test in folds:
        held = set(test)
        train = [i for i in range(len(rows.gold)) if i not in held]
        clf = classifier.fit([rows.marked[i] for i in train], [rows.gold[i] for i in train],
                             settings=settings, seed=seed, extras=extras)
        part = Rows([rows.marked[i] for i in test], [rows.gold[i] for i in test], 0)
        started = time.perf_counter()
        for i, p in zip(test, predict(clf, part), strict=True):
            pred[i] = p
        seconds += time.perf_counter() - started
    return pred, seconds


def score(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 (over the gold classes), per-class figures and confusion matrix."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    classes = sorted(set(gold))
    labels = classes + sorted(set(pred) - set(classes))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    per_class = {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                       "f1": round(float(f[i]), 4), "support": int(s[i])}
                 for i, lab in enumerate(labels)}
    matrix = confusion_matrix(gold, pred, labels=labels)
    return {
        "n": len(gold),
        "accuracy": round(sum(g == q for g, q in zip(gold, pred, strict=True)) / len(gold), 4),
        "macro_f1": round(float(sum(f[: len(classes)]) / len(classes)), 4),
        "per_class": per_class,
        "confusion": {"labels": labels, "matrix": matrix.tolist(),
                      "note": "rows are gold, columns are predictions"},
    }


def render(result: dict[str, Any], console: Console) -> None:
    """Human tables: headline figures, per-class figures, confusion matrix."""
    from rich.table import Table

    how = (f"{result['cv']}-fold {result.get('split') or 'stratified'} cross-validation, "
           f"seed {result['seed']}" if result["mode"] == "cv" else "shipped model")
    how += f", {result.get('model_mode', 'default')} mode"
    console.print(f"[bold]PLV event types[/bold] {result['file']} ({how}): n={result['n']}, "
                  f"skipped={result['skipped']}")
    console.print(f"accuracy {result['accuracy']:.3f}  macro-F1 {result['macro_f1']:.3f}  "
                  f"{result['pairs_per_second']} pairs/s")
    if result.get("groups"):
        g = result["groups"]
        console.print(f"groups {g['groups']} (largest {g['largest_group']}, "
                      f"{g['singleton_groups']} single rows); fold sizes "
                      f"{', '.join(map(str, g['fold_sizes']))}")
    table = Table("type", "precision", "recall", "F1", "support")
    for label, m in result["per_class"].items():
        table.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                      str(m["support"]))
    console.print(table)
    labels = result["confusion"]["labels"]
    conf = Table("gold \\ predicted", *[lab[:4] for lab in labels])
    for label, row in zip(labels, result["confusion"]["matrix"], strict=True):
        conf.add_row(label, *[str(v) if v else "." for v in row])
    console.print(conf)
