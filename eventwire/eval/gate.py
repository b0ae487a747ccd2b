"""The evaluation gate: every evaluation on ../shared/gold against the floors pinned in
``floors.json`` (``eventwire eval gate``, ``make eval``). Floors may be raised; lowering one
needs "floor lowered: <reason>" in the commit message (tests/test_floors.py checks).

A gate runs when at least one of its floor keys is pinned; a gate whose input is missing then
fails its floors (the held-out article split, eval/heldout/ in the repository, is required
as soon as an ``articles_heldout_*`` floor exists)."""

from __future__ import annotations

import importlib
import json
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eventwire.errors import EventwireError
from eventwire.eval.articles_score import METRICS


@dataclass(frozen=True)
class Gate:
    """One evaluation run and the floors it is held to: floor key -> result key."""

    name: str
    module: str
    args: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    floors: dict[str, str] = field(default_factory=dict)
    prefix: str | None = None  # every floor key with this prefix is a result key
    root: str = "shared"  # args are relative to the shared folder, or "repo" (this checkout)


REPO = Path(__file__).resolve().parents[2]


def _article_floors(split: str) -> dict[str, str]:
    """Floor keys of an article split -> its type-strict figures."""
    return {f"articles_{split}_{m}": f"strict_{m}" for m in METRICS}


GATES = (
    Gate("plv (5-fold CV)", "plv", ("gold/plv/PLV_train.tsv",), {"cv": 5, "seed": 0},
         {"plv_cv5_macro_f1": "macro_f1"}),
    Gate("plv (5-fold grouped CV)", "plv", ("gold/plv/PLV_train.tsv",),
         {"cv": 5, "seed": 0, "split": "grouped"}, {"plv_grouped_cv5_macro_f1": "macro_f1"}),
    Gate("petr", "petr", ("gold/petr2-gsr/PETR2_GSR_validation.xml",), prefix="petr_"),
    Gate("quotes (PolNeAR dev)", "quotes", ("gold/polnear/dev",), {},
         {"quotes_dev_f1": "f1"}),
    Gate("timex (TimeBank+AQUAINT)", "timex",
         ("gold/tempeval3/TimeBank", "gold/tempeval3/AQUAINT"), {},
         {"timex_value_f1": "value_f1", "timex_relaxed_f1": "relaxed_f1"}),
    Gate("geo (LGL)", "geo", ("gold/lgl/lgl.xml",), {},
         {"geo_lgl_acc_at_161km": "acc_at_161km",
          "geo_lgl_e2e_acc_at_161km": "e2e_acc_at_161km",
          "geo_lgl_recognition_f1": "recognition_f1"}),
    Gate("geo (GeoWebNews)", "geo", ("gold/geowebnews/GWN.xml",), {},
         {"geo_gwn_acc_at_161km": "acc_at_161km",
          "geo_gwn_e2e_acc_at_161km": "e2e_acc_at_161km",
          "geo_gwn_recognition_f1": "recognition_f1"}),
    Gate("articles (gigaword-dev)", "articles", ("gold/articles/gigaword-dev.jsonl",), {},
         _article_floors("dev")),
    Gate("articles (held-out)", "articles", ("eval/heldout",), {}, _article_floors("heldout"),
         root="repo"),
)


def floors() -> dict[str, float]:
    text = resources.files("eventwire").joinpath("eval/floors.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _checks(gate: Gate, pinned: dict[str, float]) -> dict[str, str]:
    if gate.prefix:
        return {k: k for k in pinned if k.startswith(gate.prefix)}
    return {k: v for k, v in gate.floors.items() if k in pinned}


def _call(gate: Gate, shared: Path) -> dict[str, Any]:
    module = importlib.import_module(f"eventwire.eval.{gate.module}")
    paths = [str((REPO if gate.root == "repo" else shared) / a) for a in gate.args]
    if gate.module == "articles":
        return module.run(paths, shared=shared, **gate.kwargs)  # type: ignore[no-any-return]
    if gate.module == "timex":
        return module.run(paths, **gate.kwargs)  # type: ignore[no-any-return]
    return module.run(paths[0], **gate.kwargs)  # type: ignore[no-any-return]


def measure(gate: Gate, pinned: dict[str, float], shared: Path) -> list[dict[str, Any]]:
    """One row per pinned floor of ``gate`` (none, and nothing run, when none is pinned); an
    input error fails every floor of the gate with the error's message."""
    checks = _checks(gate, pinned)
    if not checks:
        return []
    t0 = time.perf_counter()
    try:
        result: dict[str, Any] = _call(gate, shared)
        problem = None
    except EventwireError as exc:
        result, problem = {}, str(exc)
    seconds = round(time.perf_counter() - t0, 1)
    rows = []
    for key, metric in checks.items():
        value = result.get(metric)
        ok = value is not None and float(value) >= pinned[key]
        rows.append({"gate": gate.name, "floor_key": key,
                     "measured": None if value is None else round(float(value), 4),
                     "floor": pinned[key], "ok": ok, "seconds": seconds, "problem": problem})
    return rows


def run_gate(shared: Path) -> dict[str, Any]:
    """Runs every gate; ``passed`` is false when a measured figure is below its floor."""
    pinned = floors()
    rows = [row for gate in GATES for row in measure(gate, pinned, shared)]
    missing = sorted(set(pinned) - {r["floor_key"] for r in rows})
    return {"passed": all(r["ok"] for r in rows) and not missing, "checks": rows,
            "unmeasured_floors": missing}


def render(result: dict[str, Any], console: Console) -> None:
    table = Table(title="evaluation gate (floors: eventwire/eval/floors.json)")
    for col in ("gate", "floor key", "measured", "floor", "ok", "s"):
        table.add_column(col)
    for r in result["checks"]:
        measured = "-" if r["measured"] is None else f"{r['measured']:.4f}"
        table.add_row(r["gate"], r["floor_key"], measured, f"{r['floor']:.2f}",
                      "[green]yes[/]" if r["ok"] else "[red]NO[/]", str(r["seconds"]))
    console.print(table)
    for problem in sorted({r["problem"] for r in result["checks"] if r.get("problem")}):
        console.print(f"[red]not measured[/]: {escape(problem)}")
    if result["unmeasured_floors"]:
        console.print(f"[red]floors with no gate[/]: {', '.join(result['unmeasured_floors'])}")
    console.print("[green]gate passed[/]" if result["passed"] else "[red]gate failed[/]")
