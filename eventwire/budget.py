"""The time budget of one article: how much CPU time the stages may spend on it.

``[budget]`` in the config gives seconds per 10,000 characters of text, with a floor (short
articles) and a cap (the longest); 0 seconds per 10,000 characters turns the budget off.
Seconds are the process's CPU seconds (:func:`clock`), so other programs loading the machine
do not push an article over its budget. The pipeline charges each article the time the
stages spend on it (a batch stage's time is shared out by length as it goes), and the
stages check the article's :class:`Deadline` between steps and inside their long loops. An
article over budget raises :class:`BudgetExceeded`, which the pipeline records as a failure
``E203`` naming the stage; the batch and the run go on. As a backstop for a step that never
reaches a check, :func:`hard_stop` arms a CPU-time timer signal (SIGPROF) a grace period
after the budget, where the process allows it (main thread, signal unused).
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from eventwire.errors import EventwireError

CODE = "E203"


def clock() -> float:
    """CPU seconds of this process (every thread), the budget's clock."""
    return time.process_time()


@dataclass(frozen=True)
class Budget:
    """CPU seconds an article may take: ``per_10k_chars`` x length / 10,000, within
    [``floor``, ``cap``]; ``per_10k_chars`` <= 0 means no budget. The backstop (``hard_stop``)
    fires at ``grace`` x what is left of the budget + ``grace_seconds``, after the
    cooperative checks."""

    per_10k_chars: float = 5.0
    floor: float = 10.0
    cap: float = 60.0
    hard_stop: bool = True
    grace: float = 1.5
    grace_seconds: float = 5.0

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> Budget:
        """From ``cfg["budget"]``; a key it lacks keeps the default."""
        base = cls()
        return cls(float(section.get("seconds_per_10k_chars", base.per_10k_chars)),
                   float(section.get("floor_seconds", base.floor)),
                   float(section.get("cap_seconds", base.cap)),
                   bool(section.get("hard_stop", base.hard_stop)))

    def seconds(self, chars: int) -> float:
        if self.per_10k_chars <= 0:
            return math.inf
        return min(self.cap, max(self.floor, self.per_10k_chars * chars / 10_000))

    def deadline(self, chars: int) -> Deadline:
        return Deadline(self.seconds(chars))


class BudgetExceeded(EventwireError):
    """An article used up its time budget in ``stage``."""

    def __init__(self, stage: str, deadline: Deadline) -> None:
        super().__init__(
            CODE, f"ran out of its time budget ({deadline.seconds:.1f} s, "
                  f"{deadline.spent:.1f} s spent) in stage {stage}",
            "the article was skipped: split the text into shorter articles (paragraph breaks "
            "help), or raise [budget] seconds_per_10k_chars / cap_seconds in the config "
            "(seconds_per_10k_chars = 0 turns the budget off)")
        self.stage = stage
        self.deadline = deadline


class Deadline:
    """The time an article has spent in the stages against its budget. The pipeline
    ``start``s and ``stop``s the clock around each stage; a batch stage ``charge``s time it
    measured itself. ``check`` raises BudgetExceeded when the budget is used up."""

    def __init__(self, seconds: float = math.inf) -> None:
        self.seconds = seconds
        self.spent = 0.0
        self.since: float | None = None

    def start(self) -> None:
        self.since = clock()

    def stop(self) -> None:
        if self.since is not None:
            self.spent += clock() - self.since
            self.since = None

    def charge(self, seconds: float) -> None:
        self.spent += seconds

    def used(self) -> float:
        running = clock() - self.since if self.since is not None else 0.0
        return self.spent + running

    def check(self, stage: str) -> None:
        if self.used() > self.seconds:
            self.stop()
            raise BudgetExceeded(stage, self)


@contextmanager
def hard_stop(deadline: Deadline, stage: str, budget: Budget) -> Iterator[None]:
    """Raises BudgetExceeded inside the block when it runs well past the budget (see
    Budget) without a cooperative check noticing: a CPU-time timer signal (SIGPROF), so
    only in the main thread and only when the process uses no SIGPROF of its own (a
    profiler); elsewhere the block runs with the cooperative checks alone."""
    left = (deadline.seconds - deadline.used()) * budget.grace + budget.grace_seconds
    if not budget.hard_stop or math.isinf(left) or not _can_use_timer():
        yield
        return

    def fire(signum: int, frame: object) -> None:
        deadline.stop()
        raise BudgetExceeded(stage, deadline)

    previous = signal.signal(signal.SIGPROF, fire)
    signal.setitimer(signal.ITIMER_PROF, max(left, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _can_use_timer() -> bool:
    if not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    return signal.getsignal(signal.SIGPROF) in (signal.SIG_DFL, signal.SIG_IGN, None) \
        and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
