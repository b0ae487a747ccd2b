"""Expressions resolved against the publication date or an earlier mention: "today",
"Friday", "last week", "earlier this month", "two years ago", "a year earlier", "that day"."""

from __future__ import annotations

import re

from eventwire.stages.timex import calendar as cal
from eventwire.stages.timex.calendar import Period
from eventwire.stages.timex.context import Ctx, Norm, date_norm
from eventwire.stages.timex.grammar import (
    ANAPHORIC,
    LAST,
    NEXT,
    THIS,
    dct_period,
    key,
    relative_step,
)
from eventwire.stages.timex.lexicon import parse_number

DAY_WORDS = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1,
             "the day before yesterday": -2, "the day after tomorrow": 2}
UNIT_GRAN = {"TS": "day", "TM": "day", "TH": "day", "D": "day", "W": "week", "WE": "week",
             "F": "week", "M": "month", "Q": "quarter", "Y": "year", "DE": "year",
             "CE": "year", "ML": "year"}
UNIT_STEP = {"F": ("week", 2), "DE": ("year", 10), "CE": ("year", 100), "ML": ("year", 1000)}


def _pod(ctx: Ctx, word: str | None) -> str:
    return "T" + ctx.lex.lookup("part_of_day", word) if word else ""


def day_word(m: re.Match[str], ctx: Ctx) -> Norm | None:
    word = key(m["w"])
    day = dct_period(ctx, "day")
    if day is None:
        return Norm("DATE", None, False)
    day = cal.shift(day, DAY_WORDS[word])
    suffix = "TNI" if word == "tonight" else _pod(ctx, m["pod"])
    return date_norm(day, "TIME" if suffix else "DATE", suffix=suffix)


def day_part(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"this morning", "last night", "tomorrow evening"."""
    word, pod = key(m["w"]), key(m["pod"])
    day = dct_period(ctx, "day")
    if day is None:
        return Norm("TIME", None, False)
    step = DAY_WORDS.get(word, -1 if word == "last" else 0)
    if word == "last" and pod != "night":
        return None
    return date_norm(cal.shift(day, step), "TIME", suffix=_pod(ctx, pod))


def weekday(m: re.Match[str], ctx: Ctx) -> Norm | None:
    name = m["wd"]
    iso = ctx.lex.lookup("weekday", name) or ctx.lex.lookup("weekday_abbrev", name)
    if iso is None:
        return None
    suffix = _pod(ctx, m["pod"])
    if m["pl"]:
        return Norm("SET", f"XXXX-WXX-{iso}{suffix}", False)
    rel = key(m["rel"])
    if rel in ("the following", "the next", "the previous", "the preceding") and ctx.ref \
            and ctx.ref.gran == "day":
        anchor = ctx.ref.start
        direction = "next" if rel in ("the following", "the next") else "last"
    elif ctx.dct is None:
        return Norm("DATE", f"XXXX-WXX-{iso}", False)
    else:
        anchor = ctx.dct
        direction = _weekday_direction(rel, ctx)
    day = Period(cal.weekday_near(anchor, iso, direction), "day")
    return date_norm(day, "TIME" if suffix else "DATE", suffix=suffix)


def _weekday_direction(rel: str, ctx: Ctx) -> str:
    if rel in LAST:
        return "last"
    if rel in NEXT:
        return "next"
    if rel == "this":
        return "future" if ctx.tense() != "past" else "past"
    return "future" if ctx.tense() == "future" else "past"


def unit_relative(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"this week", "last month", "next year", "the past year", "that day", "this century"."""
    rel, unit = key(m["rel"]), key(m["unit"])
    if unit == "weekend":
        return _weekend(ctx, rel)
    gran = {"fortnight": "week"}.get(unit, unit)
    if gran == "day" and rel not in ANAPHORIC | {"the next", "the previous", "the following"}:
        return None
    anaphoric = rel in ANAPHORIC or (gran == "day" and rel == "the next") or rel == "the"
    base = _anaphor_base(ctx, gran) if anaphoric else dct_period(ctx, gran)
    if base is None:
        return Norm("DATE", None, False)
    step = 0 if rel in ("that", "that same", "the same", "the very same", "the") else \
        relative_step(rel)
    if step is None:
        return None
    return date_norm(cal.shift(base, step))


def whole_year(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"the full year", "the fiscal year" (the current one), "the latest fiscal year"."""
    rel = key(m["rel"])
    base = dct_period(ctx, "year")
    if base is None:
        return Norm("DATE", None, False)
    step = -1 if rel.startswith(("latest", "previous")) else 1 if rel.startswith("next") else 0
    return date_norm(cal.shift(base, step))


def _anaphor_base(ctx: Ctx, gran: str) -> Period | None:
    anchor = ctx.anchor()
    return cal.truncate(anchor.start, gran) if anchor else None


def _weekend(ctx: Ctx, rel: str) -> Norm | None:
    """Weekends: "last weekend" is the one before the DCT's week, "the weekend" by tense."""
    if ctx.dct is None:
        return Norm("DATE", None, False)
    week = cal.truncate(ctx.dct, "weekend")
    step = 0 if rel in ("this coming", "the coming") else relative_step(rel)
    if step is None:
        in_weekend = ctx.dct.isoweekday() >= 6
        step = -1 if not in_weekend and ctx.tense() != "future" else 0
    return date_norm(cal.shift(week, step))


def ago(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"two years ago", "a week earlier", "three days later", "a month from now"."""
    unit = ctx.lex.lookup("unit", m["unit"])
    direction = key(m["dir"])
    n = parse_number(m["num"], ctx.lex) if m["num"] else None
    anaphoric = direction in ("earlier", "later", "before", "after")
    if unit is None:
        return None
    if n is None:  # "years ago", "a few hours later": no calendar value
        if anaphoric:
            return Norm("DURATION", f"PX{unit}" if not unit.startswith("T") else
                        f"PTX{unit[1]}", False)
        return Norm("DATE", "FUTURE_REF" if direction in ("from now", "hence") else "PAST_REF",
                    True)
    if n != int(n):
        return None
    sign = 1 if direction in ("later", "from now", "hence", "after") else -1
    return _shifted(ctx, unit, sign * int(n), anaphoric)


def _shifted(ctx: Ctx, unit: str, n: int, anaphoric: bool) -> Norm:
    gran = UNIT_GRAN[unit]
    step_unit, mult = UNIT_STEP.get(unit, (gran, 1))
    ref = ctx.ref_explicit
    if gran == "year" and ref is not None and (anaphoric or ref.gran in ("quarter", "half")):
        return date_norm(_year_shift(ctx, ref, n * mult, anaphoric), sets_ref=False)
    base = ctx.anchor(explicit=True) if anaphoric else dct_period(ctx, "day")
    if base is None:
        return Norm("DATE", None, False)
    start = cal.shift(Period(base.start, "day"), n * mult, step_unit).start
    return date_norm(cal.truncate(start, gran), sets_ref=False)


def _year_shift(ctx: Ctx, ref: Period, years: int, anaphoric: bool) -> Period:
    """Years before/after the mentioned period ("a year earlier"), or, for "a year ago" in
    a story about a quarter, that quarter of the year before publication."""
    if not anaphoric and ctx.dct is not None:
        ref = cal.shift(ref, ctx.dct.year - cal.truncate(ref.start, "year").year, "year")
    return cal.shift(ref, years, "year")


def year_earlier(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"the year-earlier period", "year-ago", "the same period last year"."""
    anchor = ctx.anchor(explicit=True)
    if anchor is None:
        return Norm("DATE", None, False)
    if anchor.gran not in ("quarter", "half", "month", "year", "season"):
        anchor = cal.truncate(anchor.start, "year")
    return date_norm(cal.shift(anchor, -1, "year"), sets_ref=False)


def year_end(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"year-end", "year end", "the end of the year": the current (or mentioned) year."""
    gran = "month" if "month" in key(m[0]) else "year"
    base = dct_period(ctx, gran)
    return date_norm(base) if base else Norm("DATE", None, False)


def in_unit(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"earlier in the year", "later in the week": the mentioned (else current) period."""
    gran = key(m["unit"])
    base = _anaphor_base(ctx, gran) if ctx.ref else dct_period(ctx, gran)
    return date_norm(base) if base else Norm("DATE", None, False)


__all__ = ["day_word", "day_part", "weekday", "unit_relative", "ago", "year_earlier",
           "year_end", "in_unit", "whole_year", "THIS"]
