"""Composes the stages, batches articles, counts and times each stage, isolates failures.

``Pipeline(res).process(articles)`` codes a batch in this process; ``run(items, cfg)``
streams any number of articles through ``workers`` processes (each loads the model once)
and yields results in input order, so writes downstream are deterministic.
"""

from __future__ import annotations

import functools
import importlib
import multiprocessing as mp
import os
import re
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from eventwire import config as config_mod
from eventwire.budget import Budget, BudgetExceeded, Deadline, clock, hard_stop
from eventwire.errors import EventwireError
from eventwire.ids import article_id
from eventwire.model import Article, Failure
from eventwire.resources import Resources
from eventwire.stages import Stage, Work

STAGE_ORDER = ("segment", "parse", "actors", "events", "dates", "places", "events_groups",
               "attribution")
PIPELINE_VERSION = "eventwire-0.2.2"  # bump when coding output changes (stored with every event)
_SURROGATE = re.compile("[\ud800-\udfff]")
_COUNTED = ("sentences", "entities", "actors", "times", "places", "quotes", "events")


@dataclass
class StageStats:
    """What one stage did: seconds spent, articles seen, items it added."""

    seconds: float = 0.0
    articles: int = 0
    added: int = 0

    def add(self, other: StageStats) -> None:
        self.seconds += other.seconds
        self.articles += other.articles
        self.added += other.added


@dataclass
class BatchResult:
    articles: list[Article] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    stats: dict[str, StageStats] = field(default_factory=dict)


def merge_stats(total: dict[str, StageStats], part: dict[str, StageStats]) -> None:
    for name, s in part.items():
        total.setdefault(name, StageStats()).add(s)


def build_stages(res: Resources) -> list[Stage]:
    """Builds every installed stage in order; a stage module that is absent is skipped."""
    stages: list[Stage] = []
    for name in STAGE_ORDER:
        try:
            module = importlib.import_module(f"eventwire.stages.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"eventwire.stages.{name}":
                raise
            continue
        stages.append(module.build(res))
    return stages


def _size(article: Article) -> int:
    return sum(len(getattr(article, name)) for name in _COUNTED)


class Pipeline:
    """All stages, built once; ``process`` codes a batch of articles."""

    def __init__(self, res: Resources | None = None) -> None:
        self.res = res or Resources()
        self.stages = build_stages(self.res)
        self.budget = Budget.from_config(self.res.cfg.get("budget", {}))

    @property
    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def process(self, articles: Sequence[Article]) -> BatchResult:
        """Codes ``articles``; an article the readers marked as not English is stored as
        read, uncoded (the English models would mis-code it)."""
        result = BatchResult()
        works = [Work(a, deadline=self.budget.deadline(len(a.text))) for a in articles]
        failed: set[int] = set()
        foreign = {id(w) for w in works if not is_english(w.article)}
        for stage in self.stages:
            live = [w for w in works if id(w) not in failed and id(w) not in foreign]
            stats = result.stats.setdefault(stage.name, StageStats())
            before = sum(_size(w.article) for w in live)
            t0 = time.perf_counter()
            self._run_stage(stage, live, failed, result.failures)
            stats.seconds += time.perf_counter() - t0
            stats.articles += len(live)
            stats.added += sum(_size(w.article) for w in live
                               if id(w) not in failed) - before
        result.articles = [w.article for w in works if id(w) not in failed]
        return result

    def _run_stage(self, stage: Stage, works: list[Work], failed: set[int],
                   failures: list[Failure]) -> None:
        batch = getattr(stage, "batch", None)
        if batch is not None and self._run_batch(stage, works, failed, failures):
            return
        for work in works:
            if id(work) in failed:
                continue
            try:
                self._run_one(stage, work)
            except BudgetExceeded as exc:
                failed.add(id(work))
                failures.append(_budget_failure(exc, work))
            except EventwireError as exc:
                if exc.code.startswith("E0"):
                    raise  # set-up problem (missing model or data): no article can pass
                failed.add(id(work))
                failures.append(_stage_failure(stage.name, work.article, exc))
            except Exception as exc:  # noqa: BLE001 - one bad article never stops a run
                failed.add(id(work))
                failures.append(_stage_failure(stage.name, work.article, exc))

    def _run_one(self, stage: Stage, work: Work) -> None:
        """One article through one stage, on its clock, with the backstop armed."""
        work.deadline.check(stage.name)
        work.deadline.start()
        try:
            with hard_stop(work.deadline, stage.name, self.budget):
                stage(work)
        finally:
            work.deadline.stop()
        work.deadline.check(stage.name)

    def _run_batch(self, stage: Stage, works: list[Work], failed: set[int],
                   failures: list[Failure]) -> bool:
        """Runs a batch stage; an article over budget is failed and the batch run again
        without it (batch stages resume or write nothing until the end). False when the
        batch failed otherwise: the caller then goes article by article."""
        live = list(works)
        while live:
            over = [w for w in live if w.deadline.used() > w.deadline.seconds]
            try:
                if not over:
                    self._timed_batch(stage, live)
                    over = [w for w in live if w.deadline.used() > w.deadline.seconds]
                    if not over:
                        return True
            except BudgetExceeded as exc:
                over = [w for w in live if w.deadline is exc.deadline] or [_most_over(live)]
            except Exception:  # noqa: BLE001 - fall back to one by one to find the bad one
                return False
            for work in over:
                failed.add(id(work))
                failures.append(_budget_failure(BudgetExceeded(stage.name, work.deadline), work))
            live = [w for w in live if id(w) not in failed]
        return True

    def _timed_batch(self, stage: Stage, works: list[Work]) -> None:
        """A batch stage that charges its articles itself (``charges_time``) does so as it
        goes; the time of any other is shared out by length of text. The backstop allows
        the batch what is left of all its articles' budgets."""
        together = Deadline(sum(w.deadline.seconds - w.deadline.used() for w in works))
        started = clock()
        try:
            with hard_stop(together, stage.name, self.budget):
                stage.batch(works)  # type: ignore[attr-defined]
        finally:
            if not getattr(stage, "charges_time", False):
                _share(clock() - started, works)


def _most_over(works: list[Work]) -> Work:
    """The article that has used the largest share of its budget."""
    return max(works, key=lambda w: w.deadline.used() / max(w.deadline.seconds, 1e-9))


def _share(seconds: float, works: list[Work]) -> None:
    total = sum(len(w.article.text) for w in works) or 1
    for work in works:
        work.deadline.charge(seconds * len(work.article.text) / total)


def _budget_failure(exc: BudgetExceeded, work: Work) -> Failure:
    article = work.article
    return Failure(
        path=article.origin or article.id, code=exc.code, stage=exc.stage, record=article.id,
        reason=f"article {article.id} ({len(article.text):,} characters) {exc.message}",
        hint=exc.hint)


def is_english(article: Article) -> bool:
    """True unless the readers detected another language (None = too little text to tell)."""
    return article.lang is None or article.lang == "en"


def _stage_failure(stage: str, article: Article, exc: Exception) -> Failure:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return Failure(
        path=article.origin or article.id, code="E201", stage=stage, record=article.id,
        reason=f"stage {stage} failed on article {article.id}: "
               f"{type(exc).__name__}: {exc}{at}",
        hint="the article was skipped; report it with `eventwire extract` output attached")


def extract_text(text: str, published: str | None = None, source: str | None = None,
                 title: str | None = None, res: Resources | None = None) -> Article:
    """Codes one text (the public ``eventwire.extract``). Lone surrogates, which no encoding
    can hold, become U+FFFD (one character each, so offsets are unchanged), as the readers do."""
    text, title = _no_surrogates(text), _no_surrogates(title) if title is not None else None
    day, warning = _publication_day(published)
    article = Article(id=article_id(text, title), text=text, title=title,
                      published=day, source=source)
    if warning:
        article.meta["warnings"] = [warning]
    return extract_articles([article], res)[0]


def _publication_day(published: str | None) -> tuple[str | None, str | None]:
    """YYYY-MM-DD from an ISO date or datetime; anything else becomes None with a warning
    (relative dates then stay unresolved rather than anchored to a wrong day)."""
    if published is None:
        return None, None
    from datetime import date

    try:
        return date.fromisoformat(published.strip()[:10]).isoformat(), None
    except ValueError:
        return None, f"publication date {published[:40]!r} is not YYYY-MM-DD; ignored"


def _no_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def extract_articles(articles: Sequence[Article], res: Resources | None = None) -> list[Article]:
    """Codes articles in this process; raises the first stage failure instead of skipping.
    Without ``res`` the process's default pipeline is built once and reused."""
    result = (Pipeline(res) if res is not None else default_pipeline()).process(articles)
    if result.failures:
        f = result.failures[0]
        raise EventwireError(f.code, f.reason, f.hint)
    return result.articles


@functools.lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The pipeline with the default configuration, built once per process (read-only
    after construction), so repeated ``eventwire.extract`` calls load the model once."""
    return Pipeline(Resources())


# --- many articles, several processes -------------------------------------------------

_WORKER: dict[str, Pipeline] = {}


def _init_worker(cfg: config_mod.Config) -> None:
    one_blas_thread()
    _WORKER["pipeline"] = Pipeline(Resources(cfg))


def one_blas_thread() -> None:
    """Matrix products in this process use one thread (for eventwire's own processes: the
    command, worker processes, Ray actors; each is one CPU, and the model's products are
    small). Set in the environment before numpy loads OpenBLAS, which measured 7-12% faster
    than changing a loaded library's thread count, and through threadpoolctl if it has
    already loaded."""
    import sys

    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    if "numpy" in sys.modules:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")


def _work(batch: list[Article]) -> BatchResult:
    return _WORKER["pipeline"].process(batch)


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def worker_count(cfg: config_mod.Config) -> int:
    n = int(cfg["pipeline"]["workers"])
    return n if n > 0 else max(1, mp.cpu_count())


def run(articles: Iterable[Article], cfg: config_mod.Config,
        pipeline: Pipeline | None = None) -> Iterator[BatchResult]:
    """Codes a stream of articles in batches of ``pipeline.batch_size``, in input order."""
    size = int(cfg["pipeline"]["batch_size"])
    yield from run_batches(batched(articles, size), cfg, pipeline)


def run_batches(batches: Iterable[list[Article]], cfg: config_mod.Config,
                pipeline: Pipeline | None = None) -> Iterator[BatchResult]:
    """One BatchResult per input batch, in input order.

    With one worker the stages run in this process (``pipeline`` reused if given); with
    more, each worker process builds its own Pipeline once. Memory stays bounded: at most
    two batches per worker are in flight.
    """
    workers = worker_count(cfg)
    if workers == 1:
        pipe = pipeline or Pipeline(Resources(cfg))
        for batch in batches:
            yield pipe.process(batch) if batch else BatchResult()
        return
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(cfg,)) as pool:
        yield from _bounded_imap(pool, iter(batches), workers * 2)


def _bounded_imap(pool, batches: Iterator[list[Article]], window: int) -> Iterator[BatchResult]:  # type: ignore[no-untyped-def]
    """Ordered map that never reads more than ``window`` batches ahead of the consumer."""
    pending: deque = deque()  # type: ignore[type-arg]
    for batch in batches:
        pending.append(pool.apply_async(_work, (batch,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()
