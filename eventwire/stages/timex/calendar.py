"""Calendar arithmetic for the time-expression normaliser.

A :class:`Period` is a stretch of the calendar at one granularity (a day, an ISO week, a
month, a quarter, a season, a year, a decade...) identified by its first day. Periods shift
by whole units and print as TIMEX3 values (``2021-08-11``, ``2021-W32``, ``2021-Q3``,
``2021-SU``, ``199``). No state, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

GRANULARITIES = ("day", "weekend", "week", "month", "season", "quarter", "half", "year",
                 "decade", "century")
SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
UNIT_MONTHS = {"month": 1, "quarter": 3, "season": 3, "half": 6, "year": 12,
               "decade": 120, "century": 1200}


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar period: ``start`` is its first day; ``season`` is set for seasons."""

    start: date
    gran: str
    season: str | None = None

    @property
    def year(self) -> int:
        return self.start.year


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months; the day is clamped to the target month's length."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(d.day, _month_length(year, month + 1)))


def _month_length(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _month_length(year, month)


def truncate(d: date, gran: str) -> Period:
    """The period of granularity ``gran`` that contains day ``d``."""
    if gran == "day":
        return Period(d, "day")
    if gran in ("week", "weekend"):
        return Period(d - timedelta(days=d.weekday()), gran)
    if gran == "month":
        return Period(d.replace(day=1), "month")
    if gran == "quarter":
        return Period(date(d.year, (d.month - 1) // 3 * 3 + 1, 1), "quarter")
    if gran == "half":
        return Period(date(d.year, 1 if d.month <= 6 else 7, 1), "half")
    if gran == "season":
        return season_of(d)
    if gran == "decade":
        return Period(date(d.year // 10 * 10 or 1, 1, 1), "decade")
    if gran == "century":
        return Period(date(d.year // 100 * 100 or 1, 1, 1), "century")
    return Period(date(d.year, 1, 1), "year")


def season_of(d: date) -> Period:
    """The season of ``d`` (meteorological: winter Y runs from December Y-1 to February Y)."""
    if d.month == 12:
        return season(d.year + 1, "WI")
    token = {1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}
    return season(d.year, token.get(d.month, "FA"))


def season(year: int, token: str) -> Period:
    """Season ``token`` of ``year``; winter Y starts on 1 December of Y-1."""
    if token == "WI":
        return Period(date(year - 1, 12, 1), "season", "WI")
    return Period(date(year, SEASON_MONTH[token], 1), "season", token)


def shift(p: Period, n: int, unit: str | None = None) -> Period:
    """``p`` moved by ``n`` units (default: its own granularity); granularity is kept."""
    unit = unit or p.gran
    if unit == "day":
        return replace(p, start=p.start + timedelta(days=n))
    if unit in ("week", "weekend"):
        return replace(p, start=p.start + timedelta(weeks=n))
    start = add_months(p.start, UNIT_MONTHS.get(unit, 12) * n)
    if p.gran == "season":
        return Period(start, "season", _SEASON_AT[start.month])
    return replace(p, start=start)


_SEASON_AT = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}


def fmt(p: Period) -> str:
    """The TIMEX3 value of a period."""
    s = p.start
    if p.gran == "day":
        return s.isoformat()
    if p.gran in ("week", "weekend"):
        iso_year, week, _ = s.isocalendar()
        return f"{iso_year:04d}-W{week:02d}" + ("-WE" if p.gran == "weekend" else "")
    if p.gran == "month":
        return f"{s.year:04d}-{s.month:02d}"
    if p.gran == "quarter":
        return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
    if p.gran == "half":
        return f"{s.year:04d}-H{1 if s.month <= 6 else 2}"
    if p.gran == "season":
        return f"{s.year + (p.season == 'WI'):04d}-{p.season}"
    if p.gran == "decade":
        return f"{s.year // 10:03d}"
    if p.gran == "century":
        return f"{s.year // 100:02d}"
    return f"{s.year:04d}"


def weekday_near(anchor: date, iso_weekday: int, direction: str) -> date:
    """The day with ISO weekday ``iso_weekday`` nearest ``anchor``.

    ``direction``: "past" (on or before), "future" (on or after), "last" (strictly
    before), "next" (strictly after).
    """
    diff = iso_weekday - anchor.isoweekday()
    if direction in ("past", "last"):
        back = (-diff) % 7
        if back == 0 and direction == "last":
            back = 7
        return anchor - timedelta(days=back)
    ahead = diff % 7
    if ahead == 0 and direction == "next":
        ahead = 7
    return anchor + timedelta(days=ahead)


def nearest_year(anchor: date, make: Callable[[int], date | None], tense: str) -> date | None:
    """Chooses the year for a yearless date: ``make(year) -> date | None``.

    Past tense takes the latest candidate on or before ``anchor`` (plus a week of slack),
    future tense the earliest on or after it, otherwise the closest of the three years.
    """
    candidates = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1)
                  if (d := make(y)) is not None]
    if not candidates:
        return None
    if tense == "past":
        before = [d for d in candidates if d <= anchor + timedelta(days=7)]
        return max(before) if before else None
    if tense == "future":
        after = [d for d in candidates if d >= anchor - timedelta(days=1)]
        return min(after) if after else None
    return min(candidates, key=lambda d: (abs((d - anchor).days), d > anchor))


def nth_weekday(year: int, month: int, iso_weekday: int, n: int) -> date:
    """The ``n``-th (1-based; -1 = last) given weekday of a month."""
    if n > 0:
        first = date(year, month, 1)
        return weekday_near(first, iso_weekday, "future") + timedelta(weeks=n - 1)
    last = date(year, month, _month_length(year, month))
    return weekday_near(last, iso_weekday, "past")


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holiday(year: int, key: str) -> date | None:
    """The date of holiday ``key`` ("MM-DD" or a named rule) in ``year``."""
    if "-" in key and key[:2].isdigit():
        month, day = int(key[:2]), int(key[3:])
        return date(year, month, day) if valid_date(year, month, day) else None
    rules = {
        "thanksgiving": lambda: nth_weekday(year, 11, 4, 4),
        "easter": lambda: easter(year),
        "good_friday": lambda: easter(year) - timedelta(days=2),
        "memorial_day": lambda: nth_weekday(year, 5, 1, -1),
        "labor_day": lambda: nth_weekday(year, 9, 1, 1),
    }
    rule = rules.get(key)
    return rule() if rule else None
