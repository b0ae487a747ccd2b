"""The grammar of calendar expressions: each rule is a regex over raw text plus a function
that turns its match into a TIMEX3 type and value (``Norm``), or rejects it (``None``).

Durations, sets, clock times and vague references are in :mod:`timex_grammar_extent`.
Patterns use ``<NAME>`` fragments from the lexicon (see :mod:`eventwire.stages.timex.lexicon`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from eventwire.stages.timex import calendar as cal
from eventwire.stages.timex.calendar import Period
from eventwire.stages.timex.context import Ctx, Norm, date_norm
from eventwire.stages.timex.lexicon import Lexicon, parse_ordinal, parse_spoken_year

Normaliser = Callable[[re.Match[str], Ctx], Norm | None]

START = r"(?<![\w$£€#@/])"
END = r"(?!\w)"
LAST = frozenset({"last", "past", "previous", "preceding", "prior", "this past", "the past",
                  "the last", "the previous", "the preceding", "the prior"})
NEXT = frozenset({"next", "coming", "this coming", "the coming", "the next", "the upcoming",
                  "upcoming", "the following", "following"})
THIS = frozenset({"this", "the current", "current", "the present", "present"})
ANAPHORIC = frozenset({"the following", "following", "the previous", "the preceding",
                       "the prior", "that", "the same", "that same", "the very same"})
MOD = (r"(?:early|earlier|mid|middle|late|later|the\s+end\s+of|the\s+beginning\s+of|"
       r"the\s+start\s+of|the\s+middle\s+of|the\s+close\s+of|end\s+of|beginning\s+of|"
       r"start\s+of|(?:early|late|mid)\s+in)")
TENSE_DAYS = 90
PREP_BEFORE = re.compile(
    r"(?:\b(?:in|on|since|by|until|till|of|from|through|throughout|during|before|after|"
    r"between|and|or|to|early|late|mid|last|next|this|each|every|around|about|"
    r"for|that|until|within|starting|beginning|ending)|-)\s*$", re.I)


@dataclass(frozen=True)
class Rule:
    """A named pattern and its normaliser."""

    name: str
    pattern: str
    fn: Normaliser


def key(s: str | None) -> str:
    """Lower case, single spaces, plain apostrophes."""
    return re.sub(r"\s+", " ", s.lower().replace("\u2019", "'")).strip() if s else ""


def year_of(text: str | None, lex: Lexicon, ctx: Ctx | None = None) -> int | None:
    """A year from "1998", "'98", "nineteen ninety-eight" or "fiscal 1998"."""
    if not text:
        return None
    t = key(text)
    m = re.search(r"\d{4}", t)
    if m:
        return int(m.group())
    m = re.fullmatch(r"'(\d\d)", t)
    if m:
        return two_digit_year(int(m.group(1)), ctx.dct if ctx else None)
    return parse_spoken_year(t, lex)


def two_digit_year(yy: int, dct: date | None) -> int:
    """'98 -> 1998: the year with these last digits within 90 years before and 10 after the
    publication date (or 1931-2030 without one)."""
    base = dct.year if dct else 2020
    year = base // 100 * 100 + yy
    if year > base + 10:
        return year - 100
    return year + 100 if year < base - 90 else year


def dct_period(ctx: Ctx, gran: str) -> Period | None:
    return cal.truncate(ctx.dct, gran) if ctx.dct else None


def relative_step(rel: str) -> int | None:
    """-1 for last/past, 0 for this/current, +1 for next/coming; None otherwise."""
    if rel in LAST:
        return -1
    if rel in NEXT:
        return 1
    if rel in THIS:
        return 0
    return None


def resolve_yearless(ctx: Ctx, make: Callable[[int], date | None], gran: str,
                     rel: str = "") -> date | None:
    """Chooses the year of a yearless month/day/season: by ``rel`` ("last May"), else the
    candidate nearest the publication date, unless that lies more than ``TENSE_DAYS`` away,
    where the tense of the clause decides (past: on or before; future: on or after)."""
    if ctx.dct is None:
        return None
    anchor = cal.truncate(ctx.dct, gran).start
    if rel in LAST:
        return cal.nearest_year(anchor - timedelta(days=1), make, "past")
    if rel in NEXT:
        return cal.nearest_year(anchor + timedelta(days=1), make, "future")
    if rel in THIS:
        return make(ctx.dct.year)
    near = cal.nearest_year(anchor, make, "unknown")
    tensed = cal.nearest_year(anchor, make, ctx.tense())
    if near and tensed and abs((near - anchor).days) > TENSE_DAYS:
        return tensed
    return near


# ---------------------------------------------------------------- absolute dates

def iso_date(m: re.Match[str], ctx: Ctx) -> Norm | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not cal.valid_date(y, mo, d):
        return None
    if m["H"]:
        return Norm("TIME", f"{y:04d}-{mo:02d}-{d:02d}T{m['H']}:{m['M']}", False,
                    Period(date(y, mo, d), "day"))
    return date_norm(Period(date(y, mo, d), "day"), anchored=False)


def numeric_date(m: re.Match[str], ctx: Ctx) -> Norm | None:
    a, b = int(m["a"]), int(m["b"])
    if len(m["y"]) == 2 and m["sep"] == ".":
        return None  # "3.5.20" is a version number more often than a date
    y = two_digit_year(int(m["y"]), ctx.dct) if len(m["y"]) == 2 else int(m["y"])
    month, day = (b, a) if m["sep"] == "." or a > 12 else (a, b)
    if not cal.valid_date(y, month, day) or not 1900 <= y <= 2100:
        return None
    return date_norm(Period(date(y, month, day), "day"), anchored=False)


def month_number(text: str, lex: Lexicon) -> int:
    return int(lex.lookup("month", text.rstrip(".")))


def _day(text: str, lex: Lexicon) -> int | None:
    return parse_ordinal(text, lex)


NINE_ELEVEN = re.compile(r"\s+(?:attacks?|terror\w*|hijack\w*|strikes?|commission|era|"
                         r"victims?|bombings?|plot)\b", re.I)


def month_day(m: re.Match[str], ctx: Ctx) -> Norm | None:
    month, day = month_number(m["mon"], ctx.lex), _day(m["day"], ctx.lex)
    if day is None or not 1 <= day <= 31:
        return None
    year = year_of(m["year"], ctx.lex, ctx)
    if (month, day, year) == (9, 11, None) and NINE_ELEVEN.match(ctx.after()) and \
            ctx.dct and ctx.dct >= date(2001, 9, 11):
        year = 2001  # "the September 11 attacks" names a day, not this year's 11 September
    return day_norm(ctx, month, day, year, m["wd"])


def day_norm(ctx: Ctx, month: int, day: int, year: int | None,
             weekday: str | None) -> Norm | None:
    """A day date; without a year, the year the weekday fits, else :func:`resolve_yearless`."""
    if year is not None:
        if not cal.valid_date(year, month, day):
            return None
        return date_norm(Period(date(year, month, day), "day"), anchored=False)

    def make(y: int) -> date | None:
        return date(y, month, day) if cal.valid_date(y, month, day) else None

    iso_wd = (ctx.lex.lookup("weekday", weekday) or ctx.lex.lookup("weekday_abbrev", weekday)
              if weekday else None)
    if iso_wd and ctx.dct:
        fits = [d for y in (ctx.dct.year, ctx.dct.year - 1, ctx.dct.year + 1)
                if (d := make(y)) and d.isoweekday() == iso_wd]
        if fits:
            return date_norm(Period(fits[0], "day"))
    if ctx.dct is None:
        return Norm("DATE", f"XXXX-{month:02d}-{day:02d}", False) if make(2000) else None
    found = resolve_yearless(ctx, make, "day")
    return date_norm(Period(found, "day")) if found else None


def day_month(m: re.Match[str], ctx: Ctx) -> Norm | None:
    if m["day"][0].isalpha() and not (m["the"] and m["of"]):
        return None
    month, day = month_number(m["mon"], ctx.lex), _day(m["day"], ctx.lex)
    if day is None or not 1 <= day <= 31:
        return None
    return day_norm(ctx, month, day, year_of(m["year"], ctx.lex, ctx), m["wd"])


def month_year(m: re.Match[str], ctx: Ctx) -> Norm | None:
    year = year_of(m["year"], ctx.lex, ctx)
    if year is None:
        return None
    month = month_number(m["mon"], ctx.lex)
    return date_norm(Period(date(year, month, 1), "month"), anchored=False)


def bare_month(m: re.Match[str], ctx: Ctx) -> Norm | None:
    rel, yrel = key(m["rel"]), key(m["yrel"])
    name = m["mon"]
    month = month_number(name, ctx.lex)
    if not (rel or m["mod"] or yrel) and not _month_alone_ok(name, ctx):
        return None
    if yrel:
        step = relative_step(yrel)
        if ctx.dct is None or step is None:
            return None
        return date_norm(Period(date(ctx.dct.year + step, month, 1), "month"))
    if ctx.dct is None:
        return Norm("DATE", f"XXXX-{month:02d}", False)
    found = resolve_yearless(ctx, lambda y: date(y, month, 1), "month", rel)
    return date_norm(Period(found, "month")) if found else None


def _month_alone_ok(name: str, ctx: Ctx) -> bool:
    """A bare month name is a date after a preposition, or when no name follows it."""
    if PREP_BEFORE.search(ctx.before()):
        return True
    if name.lower() in ("may", "march"):
        return False
    after = ctx.after(20)
    return not re.match(r"\s+[A-Z][a-z]", after) and not re.match(r"\s+\d", after)


def year_only(m: re.Match[str], ctx: Ctx) -> Norm | None:
    year = year_of(m["year"], ctx.lex, ctx)
    if year is None or not 1000 <= year <= 2199:
        return None
    if not (m["fiscal"] or m["mod"]) and _looks_like_quantity(ctx):
        return None
    return date_norm(Period(date(year, 1, 1), "year"), anchored=False)


QUANTITY_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|people|persons|troops|soldiers|men|women|children|"
    r"units|tons|tonnes|shares|votes|seats|km|miles|meters|metres|feet|kg|mw|"
    r"dollars|euros|yuan|pounds|cases|deaths|barrels|cars|homes|jobs|workers|"
    r"hectares|acres|points|members|residents|refugees|students|of\s+the)\b", re.I)


def _looks_like_quantity(ctx: Ctx) -> bool:
    """True for "1990 people", "No. 2001", "Resolution 1973", "flight 1549"."""
    if QUANTITY_AFTER.match(ctx.after()):
        return True
    return bool(re.search(r"(?:\bNo\.?|#|\b(?:[Rr]esolution|[Ff]light|[Rr]oute|[Rr]oom|"
                          r"[Hh]ighway|[Aa]rticle|[Mm]odel|[Cc]ode|[Bb]ill|[Pp]age|"
                          r"[Ll]aw|[Dd]ecree|[Oo]rder|[Nn]umber))\s*$", ctx.before(20)))


def spoken_year(m: re.Match[str], ctx: Ctx) -> Norm | None:
    if m["year2"] and key(m["year2"]).startswith("two"):
        return None  # "two thousand" is a number unless "the year two thousand"
    year = year_of(m["year"] or m["year2"], ctx.lex, ctx)
    if year is None or not 1800 <= year <= 2099:
        return None
    return date_norm(Period(date(year, 1, 1), "year"), anchored=False)


DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                "seventies": 7, "eighties": 8, "nineties": 9}


def decade(m: re.Match[str], ctx: Ctx) -> Norm | None:
    text = key(m["dec"])
    digits = re.search(r"\d+", text)
    if digits and len(digits.group()) == 4:
        start = int(digits.group())
    else:
        tens = int(digits.group()) // 10 if digits else DECADE_WORDS[text]
        century = 2000 if tens < 3 and ctx.dct and ctx.dct.year >= 2020 else 1900
        start = century + tens * 10
    return date_norm(Period(date(start, 1, 1), "decade"), anchored=not digits)


def century(m: re.Match[str], ctx: Ctx) -> Norm | None:
    n = parse_ordinal(m["ord"], ctx.lex)
    if n is None or not 1 <= n <= 22:
        return None
    return date_norm(Period(date((n - 1) * 100 or 1, 1, 1), "century"), anchored=False)


# ---------------------------------------------------------------- quarters, halves, seasons

def quarter(m: re.Match[str], ctx: Ctx) -> Norm | None:
    q = _quarter_number(m)
    if q is None:
        return None
    if m["plural"]:
        return Norm("SET", f"XXXX-Q{q}", False)
    year = _quarter_year(m, ctx, q)
    if year is None:
        return Norm("DATE", f"XXXX-Q{q}", False)
    det = key(m["det"])
    return date_norm(Period(date(year, 3 * q - 2, 1), "quarter"),
                     anchored=not (m["yr"] or m["yr3"]),
                     sets_ref=not ("year-" in det or "comparable" in det))


def quarter_q(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """"Q3 2021", "3Q": the year from the text, else the DCT's (the latest such quarter)."""
    q = int(m["q"] or m["q2"])
    year = year_of(m["yr3"], ctx.lex, ctx)
    if year is None and ctx.dct is not None:
        year = ctx.dct.year - (q > (ctx.dct.month - 1) // 3 + 1 and ctx.tense() != "future")
    if year is None:
        return Norm("DATE", f"XXXX-Q{q}", False)
    return date_norm(Period(date(year, 3 * q - 2, 1), "quarter"), anchored=m["yr3"] is None)


def _quarter_number(m: re.Match[str]) -> int | None:
    text = key(m["ord"] or m["q"])
    table = {"first": 1, "1st": 1, "1": 1, "second": 2, "2nd": 2, "2": 2, "third": 3,
             "3rd": 3, "3": 3, "fourth": 4, "4th": 4, "4": 4, "final": 4, "last": 4}
    return table.get(text)


def _quarter_year(m: re.Match[str], ctx: Ctx, q: int) -> int | None:
    explicit = m["yr"] or m["yr3"]
    if explicit:
        return year_of(explicit, ctx.lex, ctx)
    det = key(m["det"])
    if ctx.dct is None:
        return None
    if m["yrel"]:
        return ctx.dct.year + (relative_step(key(m["yrel"])) or 0)
    if "year's" in det:
        return ctx.dct.year + {"last": -1, "next": 1}.get(det.split()[0], 0)
    if "year-earlier" in det or "year-ago" in det or "comparable" in det:
        anchor = ctx.anchor(explicit=True)
        return (anchor.year if anchor else ctx.dct.year) - 1
    current = (ctx.dct.month - 1) // 3 + 1
    if q <= current or ctx.tense() == "future":
        return ctx.dct.year
    return ctx.dct.year - 1


def bare_quarter(m: re.Match[str], ctx: Ctx) -> Norm | None:
    det = key(m["det"])
    now = dct_period(ctx, "quarter")
    if now is None:
        return None
    step = relative_step(det)
    if step is not None:
        return date_norm(cal.shift(now, step))
    ref = ctx.ref_explicit
    anchor = ref if ref and ref.gran == "quarter" else cal.shift(now, -1)
    if m["yr"]:
        year = year_of(m["yr"], ctx.lex, ctx) or anchor.year
        return date_norm(Period(anchor.start.replace(year=year), "quarter"))
    if "year-" in det or "comparable" in det or "corresponding" in det:
        return date_norm(cal.shift(anchor, -1, "year"), sets_ref=False)
    if det in ANAPHORIC and ref and ref.gran == "quarter":
        return date_norm(ref)
    return date_norm(anchor)


def half(m: re.Match[str], ctx: Ctx) -> Norm | None:
    h = 1 if key(m["ord"]) in ("first", "front") else 2
    year = year_of(m["yr"], ctx.lex, ctx)
    yrel = key(m["yrel"])
    if year is None and ctx.dct is not None:
        step = relative_step(yrel) if yrel else None
        year = ctx.dct.year + (step or 0)
        if not yrel and h == 2 and ctx.dct.month <= 6 and ctx.tense() != "future":
            year -= 1
    if year is None:
        return Norm("DATE", f"XXXX-H{h}", False)
    return date_norm(Period(date(year, 1 if h == 1 else 7, 1), "half"),
                     anchored=m["yr"] is None)


def season_rule(m: re.Match[str], ctx: Ctx) -> Norm | None:
    token = ctx.lex.lookup("season", m["season"])
    rel, year_text = key(m["rel"]), m["year"]
    if not (rel or year_text or m["mod"]) and not _season_alone_ok(m["season"], ctx):
        return None
    if year_text:
        year = year_of(year_text, ctx.lex, ctx)
        return date_norm(cal.season(year, token), anchored=False) if year else None
    if ctx.dct is None:
        return Norm("DATE", f"XXXX-{token}", False)
    if rel in ANAPHORIC and ctx.ref is not None:
        return date_norm(cal.season(ctx.ref.year, token))
    return date_norm(_season_near(ctx, token, rel))


def _season_alone_ok(word: str, ctx: Ctx) -> bool:
    if word.lower() in ("fall", "spring", "autumn"):  # also verbs or nouns: need a preposition
        return bool(re.search(r"\b(?:in|by|until|till|since|during|through|before|after|"
                              r"of|this|last|next|the|early|late|mid)\s*$", ctx.before(), re.I))
    # not in a name: "Arab Spring", "Prague Spring"
    return not (word[0].isupper() and re.search(r"[A-Z][a-z]+\s*$", ctx.before(20)))


def _season_near(ctx: Ctx, token: str, rel: str) -> Period:
    assert ctx.dct is not None
    now = cal.season_of(ctx.dct)
    same_year = cal.season(ctx.dct.year, token)
    options = [cal.shift(same_year, k, "year") for k in (-1, 0, 1)]
    if rel in LAST:
        return max((p for p in options if p.start < now.start), key=_start)
    if rel in NEXT:
        return min((p for p in options if p.start > now.start), key=_start)
    if rel in THIS or rel == "the":
        return min(options, key=lambda p: abs((p.start - now.start).days))
    tense = ctx.tense()
    if tense == "past":
        return max((p for p in options if p.start <= now.start), key=_start)
    if tense == "future":
        return min((p for p in options if p.start >= now.start), key=_start)
    return min(options, key=lambda p: (abs((p.start - now.start).days), p.start > now.start))


def _start(p: Period) -> date:
    return p.start


def holiday_rule(m: re.Match[str], ctx: Ctx) -> Norm | None:
    rule = ctx.lex.lookup("holiday", m["hol"])
    if rule is None:
        return None
    year = year_of(m["year"], ctx.lex, ctx)
    if year is not None:
        found = cal.holiday(year, rule)
        return date_norm(Period(found, "day"), anchored=False) if found else None
    found = resolve_yearless(ctx, lambda y: cal.holiday(y, rule), "day", key(m["rel"]))
    return date_norm(Period(found, "day")) if found else None
