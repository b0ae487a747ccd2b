"""Plausible dates: what the date normaliser refuses, and why (a reason code).

Two checks, both driven by the ``[plausible]`` table of ``data/timex/lexicon.toml``:

* :func:`refusal` looks at one time expression where it stands in the text: a clock time
  read as a year ("(1130 GMT)": ``clock``), a year before the common era ("1345 B.C.":
  ``bc``), or a bare number before ``min_year`` not written as a year ("1500 people" is no
  date; "the year 1066" and "1066 AD" are: ``pre1800``). It needs no publication date, so
  undated articles get these range checks too.
* :func:`too_late` looks at an event's date: more than ``future_years`` after publication,
  and the event neither future nor hypothetical (``far_future``).

A refused expression keeps its span and type; its value is dropped and ``refused`` holds the
reason, so nothing dates an event from it and ``eventwire stats`` can count it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventwire.stages.timex.lexicon import Lexicon

BARE_YEAR = re.compile(r"\d{3,4}")
NEXT_WORD = re.compile(r"\s*\(?\s*([A-Za-z][A-Za-z.]*(?:\s+christ)?)", re.I)
RANGE_TAIL = re.compile(r"\s*(?:to|-|\u2013|and|or|until|till)\s*\d{1,4}", re.I)
YEAR_VALUE = re.compile(r"(\d{4})")


@dataclass(frozen=True)
class Plausible:
    """The ``[plausible]`` table, read once with the lexicon."""

    min_year: int
    future_years: int
    clock: frozenset[str]
    bc: frozenset[str]
    ad: frozenset[str]
    year_words: frozenset[str]
    future_modalities: frozenset[str]

    @classmethod
    def of(cls, lex: Lexicon) -> Plausible:
        t: dict[str, Any] = lex.tables["plausible"]

        def words(key: str) -> frozenset[str]:
            return frozenset(w.lower() for w in t[key])

        return cls(int(t["min_year"]), int(t["future_years"]), words("clock_words"),
                   words("bc_words"), words("ad_words"), words("year_words"),
                   words("future_modalities"))


def _word_after(text: str, end: int) -> str:
    m = NEXT_WORD.match(text, end, min(len(text), end + 24))
    return m.group(1).lower() if m else ""


def _word_before(text: str, start: int) -> str:
    words = re.findall(r"[A-Za-z]+", text[max(0, start - 16):start])
    return words[-1].lower() if words else ""


def _bc_after(text: str, end: int, rules: Plausible) -> bool:
    """B.C. right after the expression, or after the end of a range ("1354 to 1345 B.C.")."""
    tail = RANGE_TAIL.match(text, end)
    for at in (end, tail.end() if tail else None):
        if at is not None and _word_after(text, at).rstrip() in rules.bc:
            return True
    return False


def refusal(text: str, start: int, end: int, value: str | None,
            rules: Plausible) -> str | None:
    """The reason code refusing the expression ``text[start:end]`` valued ``value``, or None
    when it is plausible. Only values that start with a year are checked."""
    m = YEAR_VALUE.match(value or "")
    if m is None:
        return None
    if _bc_after(text, end, rules):
        return "bc"
    if not BARE_YEAR.fullmatch(text[start:end].strip()):
        return None  # written with words around it: a month, a day, "the year"
    after = _word_after(text, end)
    if after in rules.clock or after.rstrip(".") in rules.clock:
        return "clock"
    year = int(m.group(1))
    if year >= rules.min_year:
        return None
    if after in rules.ad or after.rstrip(".") in {a.rstrip(".") for a in rules.ad}:
        return None
    if _word_before(text, start) in rules.year_words:
        return None
    return "pre1800"


def too_late(value: str | None, published: date | None, modality: str,
             rules: Plausible) -> bool:
    """An event date more than ``future_years`` after publication for an event that is
    not future or hypothetical (always False without a publication date)."""
    if value is None or published is None or modality in rules.future_modalities:
        return False
    try:
        limit = published.replace(year=published.year + rules.future_years)
    except ValueError:  # 29 February
        limit = published.replace(year=published.year + rules.future_years, day=28)
    return value[:10] > limit.isoformat()


__all__ = ["Plausible", "refusal", "too_late"]
