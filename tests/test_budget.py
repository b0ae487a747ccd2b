"""The per-article time budget: sizes, cooperative checks, the backstop, worker processes
and the Ray engine (an article over budget is a coded failure E203; the rest goes on)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from eventwire import config
from eventwire.budget import Budget, BudgetExceeded, Deadline, clock
from eventwire.ids import article_id
from eventwire.model import Article
from eventwire.pipeline import Pipeline, run_batches

SHORT = "Kenya and Uganda signed a trade agreement in Nairobi on Monday."


def _article(text: str) -> Article:
    return Article(id=article_id(text), text=text, published="2024-05-02")


def long_text(shared: Path, chars: int) -> str:
    """One paragraph of ``chars`` characters: Gigaword articles joined on one line."""
    parts: list[str] = []
    size = 0
    with (shared / "corpora" / "gigaword-afp-xinhua.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            parts.append(" ".join(json.loads(line)["text"].split()))
            size += len(parts[-1]) + 1
            if size >= chars:
                break
    return " ".join(parts)[:chars]


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("chars", "seconds"), [(0, 10.0), (10_000, 10.0), (100_000, 50.0),
                                                (900_000, 60.0)])
def test_budget_grows_with_length_between_floor_and_cap(chars: int, seconds: float) -> None:
    assert Budget.from_config(config.load()["budget"]).seconds(chars) == seconds


@pytest.mark.timeout(10)
def test_zero_rate_means_no_budget() -> None:
    deadline = Budget(per_10k_chars=0).deadline(5_000_000)
    deadline.charge(1e9)
    deadline.check("parse")  # never raises


def spin(seconds: float) -> None:
    """Uses ``seconds`` of CPU time (the budget's clock)."""
    end = clock() + seconds
    while clock() < end:
        pass


@pytest.mark.timeout(30)
def test_deadline_counts_only_cpu_time_charged_or_running() -> None:
    deadline = Deadline(0.05)
    spin(0.06)  # not on the clock
    time.sleep(0.1)
    deadline.check("actors")
    deadline.start()
    time.sleep(0.1)  # waiting uses no CPU time
    deadline.check("actors")
    spin(0.06)
    with pytest.raises(BudgetExceeded) as caught:
        deadline.check("actors")
    assert caught.value.code == "E203" and caught.value.stage == "actors"
    assert "split the text" in caught.value.hint


class _Slow:
    """A stage that computes for ``seconds`` of CPU time on articles containing 'slow',
    checking the deadline as the heavy stages do (or never, to test the backstop)."""

    name = "slow"

    def __init__(self, seconds: float, cooperative: bool) -> None:
        self.seconds, self.cooperative = seconds, cooperative

    def __call__(self, work) -> None:  # type: ignore[no-untyped-def]
        if "slow" not in work.article.text:
            return
        end = clock() + self.seconds
        while clock() < end:
            spin(0.01)
            if self.cooperative:
                work.deadline.check(self.name)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("cooperative", [True, False])
def test_article_over_budget_is_a_coded_failure_and_the_batch_goes_on(
        resources, cooperative: bool) -> None:
    pipe = Pipeline(resources)
    pipe.budget = Budget(per_10k_chars=1.0, floor=0.5, cap=0.5, grace=1.0, grace_seconds=0.5)
    pipe.stages.insert(2, _Slow(30.0, cooperative))
    slow, good = _article("This slow one never ends. " + SHORT), _article(SHORT)
    started = clock()
    result = pipe.process([slow, good])
    assert clock() - started < 10
    assert [a.id for a in result.articles] == [good.id] and result.articles[0].events
    [failure] = result.failures
    assert (failure.code, failure.stage, failure.record) == ("E203", "slow", slow.id)
    assert "time budget" in failure.reason and "raise [budget]" in failure.hint


@pytest.mark.timeout(300)
def test_budget_from_config_reaches_the_pipeline(resources) -> None:
    from eventwire.resources import Resources

    cfg = config.load(overrides={"budget": {"floor_seconds": 0.0, "cap_seconds": 0.0,
                                            "hard_stop": False}})
    res = Resources(cfg)
    res._loaded = resources._loaded  # noqa: SLF001 - share the loaded model
    result = Pipeline(res).process([_article(SHORT)])
    assert [f.code for f in result.failures] == ["E203"] and not result.articles


@pytest.mark.timeout(300)
def test_worker_process_survives_an_article_over_budget(shared: Path) -> None:
    """In a pool of worker processes, the long article fails with E203 and the same workers
    go on coding the next batches; the pool shuts down cleanly (no worker left behind)."""
    import multiprocessing as mp

    cfg = config.load(overrides={
        "pipeline": {"workers": 2},
        "budget": {"seconds_per_10k_chars": 0.05, "floor_seconds": 3.0, "cap_seconds": 3.0}})
    long = _article(long_text(shared, 300_000))
    batches = [[long], [_article(SHORT)], [_article("Uganda accused Kenya of " + SHORT)]]
    results = list(run_batches(iter(batches), cfg))
    assert [f.code for f in results[0].failures] == ["E203"]
    assert results[0].failures[0].stage in ("segment", "parse", "actors", "events", "dates",
                                            "places", "attribution")
    assert [len(r.articles) for r in results] == [0, 1, 1]
    assert not mp.active_children()


@pytest.mark.timeout(400)
def test_ray_engine_enforces_the_budget(shared: Path, tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    from sqlalchemy import select

    from eventwire.scale import ray_engine
    from eventwire.store import Store, schema

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "long.txt").write_text(long_text(shared, 300_000), "utf-8")
    (folder / "short.txt").write_text(SHORT + "\n", "utf-8")
    cfg = config.load(overrides={
        "pipeline": {"workers": 1},
        "budget": {"seconds_per_10k_chars": 0.05, "floor_seconds": 3.0, "cap_seconds": 3.0}})
    os.environ.pop("RAY_ADDRESS", None)
    ray.init(num_cpus=1, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    try:
        store = Store.open(f"sqlite:///{tmp_path / 'ray.db'}")
        summary = ray_engine.ingest([str(folder)], store, cfg)
    finally:
        ray.shutdown()
    assert summary.new == 1 and summary.failed == 1
    assert [f.code for f in summary.failures] == ["E203"]
    with store.engine.connect() as conn:
        stored = conn.execute(select(schema.failures.c.code)).scalars().all()
    assert stored == ["E203"]
