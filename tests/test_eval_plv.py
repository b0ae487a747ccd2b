"""``eval plv``: reading PLV files by header, scoring, the blanked-columns check, the CV gate."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from eventwire import classifier
from eventwire.errors import EventwireError
from eventwire.eval import plv

FLOORS = Path(__file__).resolve().parents[1] / "eventwire" / "eval" / "floors.json"
TOY_ROWS = [
    ("<s>Rebels</s> shelled <t>the town</t>.", "ASSAULT"),
    ("<s>The army</s> pulled out of <t>the valley</t>.", "YIELD"),
    ("<s>The envoy</s> met <t>the king</t>.", "CONSULT"),
    ("<s>A judge</s> did something to <t>him</t>.", "CRIME"),  # not a PLOVER type: skipped
    ("<s>The union</s> demanded higher pay from <t>the firm</t>.", "DEMAND"),  # old name
]


def _write(path: Path, rows: list[tuple[str, str]], extra: str = "junk") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, delimiter="\t", lineterminator="\n")
        w.writerow(["root_L1", "gold_root", "sentence", "marked_sentence"])
        for marked, gold in rows:
            w.writerow([extra, gold, marked.replace("<s>", "").replace("</s>", ""), marked])
    return path


def test_read_tsv_by_header_skips_unknown_gold(tmp_path: Path) -> None:
    rows = plv.read_tsv(_write(tmp_path / "toy.tsv", TOY_ROWS))
    assert rows.gold == ["ASSAULT", "YIELD", "CONSULT", "REQUEST"]
    assert rows.skipped == 1 and rows.marked[0].startswith("<s>Rebels</s>")


def test_missing_column_is_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("sentence\tgold_root\nx\tASSAULT\n", "utf-8")
    with pytest.raises(EventwireError) as err:
        plv.read_tsv(bad)
    assert err.value.code == "E501" and "marked_sentence" in err.value.message


def test_score_figures() -> None:
    r = plv.score(["A", "A", "B", "B"], ["A", "B", "B", "B"])
    assert r["accuracy"] == 0.75 and r["n"] == 4
    assert r["per_class"]["A"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert r["macro_f1"] == round((2 / 3 + 0.8) / 2, 4)
    assert r["confusion"]["labels"] == ["A", "B"] and r["confusion"]["matrix"] == [[1, 1], [0, 2]]


def test_predictions_merge_to_yield_only_where_gold_does() -> None:
    clf = classifier.load_model()
    text = "<s>The rebels</s> freed <t>the hostages</t> on Sunday."
    assert plv.predict(clf, plv.Rows([text], ["YIELD"], 0)) == ["YIELD"]
    assert plv.predict(clf, plv.Rows([text], ["RETREAT"], 0)) == ["RETREAT"]


def test_run_shipped_and_cv_on_toy_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "toy.tsv", TOY_ROWS[:3] * 4)
    result = plv.run(str(path))
    for key in ("accuracy", "macro_f1", "per_class", "confusion", "pairs_per_second", "n"):
        assert key in result
    assert result["n"] == 12 and result["mode"] == "shipped"
    json.dumps(result)  # JSON-serialisable
    cv = plv.run(str(path), cv=2, seed=0)
    assert cv["mode"] == "cv" and cv["n"] == 12
    out = io.StringIO()
    plv.render(cv, Console(file=out, width=140))
    assert "macro-F1" in out.getvalue() and "CONSULT" in out.getvalue()


@pytest.mark.shared
def test_other_columns_are_not_read(shared: Path, tmp_path: Path) -> None:
    """Blank every column but marked_sentence and gold_root: predictions must not change."""
    src = shared / "gold" / "plv" / "PLV_train.tsv"
    with open(src, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        fields, rows = list(reader.fieldnames or []), list(reader)
    blanked = tmp_path / "blanked.tsv"
    keep = {plv.INPUT_COLUMN, plv.GOLD_COLUMN}
    order = fields[::-1]  # columns moved too: the reader must go by header
    lines = ["\t".join(order)] + ["\t".join(row[k] if k in keep else "" for k in order)
                                  for row in rows]
    blanked.write_text("\n".join(lines) + "\n", "utf-8")
    clf = classifier.load_model()
    a, b = plv.read_tsv(src), plv.read_tsv(blanked)
    assert a == b
    assert plv.predict(clf, a) == plv.predict(clf, b)


@pytest.mark.shared
def test_cv5_gate(shared: Path) -> None:
    """Gate: 5-fold CV (seed 0) on PLV_train with the shipped model's training code."""
    floor = json.loads(FLOORS.read_text("utf-8"))["plv_cv5_macro_f1"]
    result = plv.run(str(shared / "gold" / "plv" / "PLV_train.tsv"), cv=5, seed=0)
    assert result["n"] == 1050 and len(result["confusion"]["labels"]) == 15
    assert result["macro_f1"] >= floor, f"macro-F1 {result['macro_f1']} below floor {floor}"
