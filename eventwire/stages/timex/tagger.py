"""The time-expression tagger: finds TIMEX3 expressions in raw text and normalises them
against the publication date. Regex rules only (no spaCy), so it runs on every sentence.

One combined regex finds where an expression may start; there every rule is tried and the
longest match that its normaliser accepts wins (ties go to the earlier rule).
"""

from __future__ import annotations

import re
from datetime import date

from eventwire.model import TimeExpression, span_of
from eventwire.stages.timex import rules as timex_rules
from eventwire.stages.timex.calendar import Period
from eventwire.stages.timex.context import Ctx, Norm
from eventwire.stages.timex.grammar import Rule
from eventwire.stages.timex.lexicon import Lexicon
from eventwire.stages.timex.plausible import Plausible, refusal

SPEECH_TIME_RULES = {"day_word", "day_part", "weekday", "clock", "unit_relative",
                     "the_weekend", "ref"}


WORD = re.compile(r"\w+")
BOUNDARY_BEFORE = re.compile(r"\b(?:ended|ending|through|of\s+record|as\s+of)\s+$", re.I)
LOOKBACK_WORDS = 5


class Tagger:
    """Compiled rules; build once per process (see ``dates.build``) and share."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.rules = [(rule, re.compile(rule.pattern, re.I)) for rule in timex_rules.rules(lex)]
        self.master = re.compile("|".join(_unnamed(r.pattern) for r, _ in self.rules), re.I)
        self.triggers, self.starters = scan_words(lex)
        self.plausible = Plausible.of(lex)

    def find(self, text: str, published: str | None) -> list[TimeExpression]:
        """Every time expression in ``text``, in order, normalised against ``published``;
        an implausible one (see :mod:`eventwire.stages.timex.plausible`) has no value and a
        ``refused`` reason, and is no reference for the expressions after it."""
        dct = parse_dct(published)
        found: list[TimeExpression] = []
        refs: list[Period | None] = [None, None]
        for start in self._starts(text):
            if found and start < found[-1].span.end:
                continue
            best = self._best(text, start, dct, refs)
            if best is None:
                continue
            end, norm, rule = best
            reason = refusal(text, start, end, norm.value, self.plausible)
            found.append(TimeExpression(span_of(text, start, end), norm.type,
                                        None if reason else norm.value, norm.anchored, reason))
            if reason:
                continue
            _remember(refs, norm, rule, BOUNDARY_BEFORE.search(text, max(0, start - 20), start))
        return found

    def _starts(self, text: str) -> list[int]:
        """Word starts where an expression may begin: starters a few words before a trigger."""
        words = [(m.start(), m.group().lower()) for m in WORD.finditer(text)]
        starts: list[int] = []
        seen = -1
        for i, (_, word) in enumerate(words):
            if word not in self.triggers and not _has_digit(word):
                continue
            for j in range(max(seen + 1, i - LOOKBACK_WORDS), i + 1):
                w = words[j][1]
                if w in self.starters or w in self.triggers or _has_digit(w):
                    starts.append(words[j][0])
            seen = i
        return starts

    def _best(self, text: str, start: int, dct: date | None,
              refs: list[Period | None]) -> tuple[int, Norm, str] | None:
        if self.master.match(text, start) is None:
            return None
        matches = []
        for order, (rule, rx) in enumerate(self.rules):
            mm = rx.match(text, start)
            if mm is not None and mm.end() > start:
                matches.append((-mm.end(), order, mm, rule))
        matches.sort(key=lambda t: (t[0], t[1]))
        for neg_end, _, mm, rule in matches:
            ctx = Ctx(text, start, -neg_end, dct, self.lex, refs[0], refs[1])
            try:
                norm = rule.fn(mm, ctx)
            except (ValueError, OverflowError):
                norm = None  # a date outside years 1-9999 ("4,000 years ago"): not a TIMEX3
            if norm is not None:
                return -neg_end, norm, rule.name
        return None


def _has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)


def scan_words(lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """Trigger words (from every table plus ``[scan] triggers``) and starter words."""
    tables = ("month", "weekday", "weekday_abbrev", "season", "part_of_day", "unit",
              "holiday", "ref", "set_word")
    words = {w for t in tables for phrase in lex.tables[t] for w in WORD.findall(phrase)}
    words -= {"the", "a", "as", "day", "s", "new", "eve", "near", "short", "long", "run",
              "distant", "foreseeable", "more", "most", "right", "present", "later"}
    words |= {"day"}
    triggers = frozenset(words | set(lex.tables["scan"]["triggers"]))
    numbers = set(lex.tables["number"]) | set(lex.tables["ordinal"])
    return triggers, frozenset(lex.tables["scan"]["starters"]) | triggers | numbers


def _remember(refs: list[Period | None], norm: Norm, rule: str, boundary: object) -> None:
    """Keeps the last mentioned period (and the last one not tied to the speech time, nor
    the end of another period as in "the quarter ended Sept. 30")."""
    if norm.period is None or norm.type not in ("DATE", "TIME"):
        return
    refs[0] = norm.period
    if rule not in SPEECH_TIME_RULES and norm.sets_ref and not boundary:
        refs[1] = norm.period


def _unnamed(pattern: str) -> str:
    """``pattern`` without group names or back-references, for the combined regex."""
    pattern = re.sub(r"\(\?P<\w+>", "(?:", pattern)
    return re.sub(r"\(\?P=\w+\)", "[/.]", pattern)


def parse_dct(published: str | None) -> date | None:
    """The publication date from ``YYYY-MM-DD`` (a time part is ignored); None if absent."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


__all__ = ["Tagger", "Rule", "parse_dct"]
