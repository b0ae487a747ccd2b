"""Durations ("three days", "the past two weeks", "a five-year"), sets ("daily", "every
Tuesday"), clock times ("9 a.m. Tuesday") and vague references ("now", "recently")."""

from __future__ import annotations

import re

from eventwire.stages.timex import calendar as cal
from eventwire.stages.timex.calendar import Period
from eventwire.stages.timex.context import Ctx, Norm
from eventwire.stages.timex.grammar import day_norm, dct_period, key, month_number
from eventwire.stages.timex.grammar_deictic import DAY_WORDS, weekday
from eventwire.stages.timex.lexicon import parse_number

SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("TH", 24), "TH": ("TM", 60),
           "TM": ("TS", 60), "Q": ("M", 3), "DE": ("Y", 10), "CE": ("Y", 100)}
AS_YEARS = {"DE": 10, "CE": 100, "ML": 1000}
RATE_BEFORE = re.compile(
    r"(?:\d|million|billion|trillion|thousand|hundred|percent|%|cents?|dollars?|once|twice|"
    r"thrice|times|barrels|tons?|tonnes|visits|meetings|games|shifts|hours|days)\s*$", re.I)


def period_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration value: P3D, PT2H, P2Y6M, P20Y for two decades, PXW when vague."""
    if n is None:
        return f"PTX{unit[1]}" if unit.startswith("T") else f"PX{unit}"
    if unit in AS_YEARS:
        n, unit = n * AS_YEARS[unit], "Y"
    if unit == "F":
        n, unit = n * 2, "W"
    if unit == "WE":
        n, unit = n * 2, "D"
    whole = int(n)
    parts: list[tuple[float, str]] = [(whole, unit)] if whole else []
    frac = n - whole
    if frac:
        lower, mult = SMALLER.get(unit, (unit, 1))
        if (frac * mult).is_integer():
            parts.append((int(frac * mult), lower))
        else:
            parts = [(round(n, 2), unit)]
    return _iso(parts)


def _iso(parts: list[tuple[float, str]]) -> str:
    date_part = "".join(f"{_num(n)}{u}" for n, u in parts if not u.startswith("T"))
    time_part = "".join(f"{_num(n)}{u[1]}" for n, u in parts if u.startswith("T"))
    return "P" + date_part + ("T" + time_part if time_part else "")


def _num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def duration(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"three days", "the past two weeks", "a five-year", "2 1/2 years"; "$5 a year" is a SET."""
    unit = ctx.lex.lookup("unit", m["unit"])
    if unit is None or _not_a_duration(m, ctx, unit):
        return None
    n = parse_number(m["num"], ctx.lex) if m["num"] else 1.0
    if m.groupdict().get("half") or m.groupdict().get("half1"):
        n = (n or 0) + 0.5
    if n is not None and n <= 0:
        return None
    if key(m["num"]) in ("a", "an") and not m.groupdict().get("quant") \
            and RATE_BEFORE.search(ctx.before(25)):
        return Norm("SET", period_value(1, unit), False)
    return Norm("DURATION", period_value(n, unit), False)


def _not_a_duration(m: re.Match[str], ctx: Ctx, unit: str) -> bool:
    """Ages ("a 6-year-old", "52 years old"), compounds ("a year-earlier loss"), fractions
    ("three-quarters of") and "a second round"."""
    if m[0].endswith("old") or re.match(r"\s+old\b|-[a-z]", ctx.after(5)):
        return True
    if unit == "Q" and _fraction(m, ctx):
        return True
    return unit == "TS" and key(m["num"]) in ("a", "an", "one") and \
        not re.match(r"\s*(?:[.,;:)]|$)", ctx.after(3))


def _fraction(m: re.Match[str], ctx: Ctx) -> bool:
    return bool(re.match(r"\s+of\b|-", ctx.after(4))) or "-quarters" in m[0].lower()


def one_unit(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"the year ended Sept. 30": a one-unit duration."""
    unit = ctx.lex.lookup("unit", m["unit"])
    return Norm("DURATION", period_value(1, unit), False) if unit else None


def vague_units(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"recent years", "the coming weeks", "the past few days": PXY, PXW, PXD."""
    unit = ctx.lex.lookup("unit", m["unit"])
    return Norm("DURATION", period_value(None, unit), False) if unit else None


def half_unit(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"half an hour", "a half-hour", "half a day"."""
    unit = ctx.lex.lookup("unit", m["unit"])
    return Norm("DURATION", period_value(0.5, unit), False) if unit else None


FUNCTION_AFTER = re.compile(
    r"\s+(?:and|or|but|to|in|on|at|for|from|since|through|until|with|by|as|during|over|"
    r"before|after|while|than|basis|if|because|so|is|are|was|were|has|have|\d)\b", re.I)


def set_word(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"daily", "annually"; not the adjective in "its quarterly dividend"."""
    after = ctx.after(15)
    if re.match(r"\s+[a-z]", after) and not FUNCTION_AFTER.match(after):
        return None
    return Norm("SET", ctx.lex.lookup("set_word", m["w"]), False)


def every(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"every day", "each year", "every two weeks", "every Tuesday", "each July"."""
    if m["wd"]:
        iso = ctx.lex.lookup("weekday", m["wd"])
        return Norm("SET", f"XXXX-WXX-{iso}", False)
    if m["mon"]:
        return Norm("SET", f"XXXX-{month_number(m['mon'], ctx.lex):02d}", False)
    if m["season"]:
        return Norm("SET", f"XXXX-{ctx.lex.lookup('season', m['season'])}", False)
    unit = ctx.lex.lookup("unit", m["unit"])
    n = parse_number(m["num"], ctx.lex) if m["num"] else 1.0
    if unit is None:
        return None
    if m["other"]:
        n = 2.0
    return Norm("SET", period_value(n, unit), False)


def times_per(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"twice a week", "three times a year", "per day"."""
    unit = ctx.lex.lookup("unit", m["unit"])
    return Norm("SET", period_value(1, unit), False) if unit else None


def ref_word(m: re.Match[str], ctx: Ctx) -> Norm | None:
    word = key(m["w"])
    value = ctx.lex.lookup("ref", word)
    return Norm("DATE", value, True) if value else None


def clock(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"10:35 a.m.", "6 p.m. EST Tuesday", "noon Thursday", "14:30 GMT"."""
    hm = _hour_minute(m, ctx)
    if hm is None:
        return None
    hour, minute = hm
    day = _clock_day(m, ctx)
    stamp = f"T{hour:02d}:{minute:02d}"
    if day is None:
        return Norm("TIME", "XXXX-XX-XX" + stamp, False)
    return Norm("TIME", cal.fmt(day) + stamp, True, day)


def _hour_minute(m: re.Match[str], ctx: Ctx) -> tuple[int, int] | None:
    special = key(m["noon"])
    if special:
        return (24, 0) if special == "midnight" else (12, 0)
    if m["h24"]:
        return int(m["h24"]), int(m["mi24"])
    text = m["h"] or m["hw"]
    value = parse_number(text, ctx.lex)
    if value is None or not 0 <= value <= 12 or not float(value).is_integer():
        return None
    hour, minute = int(value), int(m["mi"] or 0)
    marker = key(m["ap"] or m["pod2"] or "").replace(".", "").replace(" ", "")
    if marker.startswith("pm") or marker.endswith(("afternoon", "evening", "night")):
        hour = hour % 12 + 12
    elif marker.startswith("am") or marker.endswith("morning"):
        hour = hour % 12
    return hour, minute


def _clock_day(m: re.Match[str], ctx: Ctx) -> Period | None:
    word = key(m["day"])
    if not word:
        return ctx.ref if ctx.ref and ctx.ref.gran == "day" else dct_period(ctx, "day")
    if word in DAY_WORDS:
        base = dct_period(ctx, "day")
        return cal.shift(base, DAY_WORDS[word]) if base else None
    if m["mon"]:
        norm = day_norm(ctx, month_number(m["mon"], ctx.lex), int(m["dd"]), None, None)
    else:
        sub = re.match(r"(?P<rel>)(?P<wd>\w+)(?P<pl>)(?P<pod>)", m["day"])
        norm = weekday(sub, ctx) if sub else None
    if norm is None or norm.period is None:
        return None
    return norm.period
