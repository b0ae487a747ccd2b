"""Stage ``dates``: time expressions in the article and the date of each event.

Reads ``article.text``, ``article.published``, ``article.sentences`` and ``article.events``
(the events stage runs first). Writes ``article.times`` (every time expression, TIMEX3
type and value; see :mod:`eventwire.stages.timex.tagger`) and ``event.date`` for each event:

1. the time expression of the event's own clause, else its sentence (nearest the trigger,
   a date before a duration): basis ``explicit`` for absolute dates, ``relative`` for
   dates resolved against the publication date ("Tuesday", "last week");
2. else, for an asserted or ongoing event whose paragraph names no other time, the date in
   the article's dateline (basis ``dateline``) or its publication date (``publication``);
3. otherwise ``value = None``: no guess.

Implausible dates are refused with a reason code (:mod:`eventwire.stages.timex.plausible`):
the tagger refuses clock times, BC years and bare numbers before 1800; here a date more than a year
after publication is refused (``EventDate.refused = "far_future"``) unless the event is
future or hypothetical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from eventwire.model import Article, Event, EventDate, Span, TimeExpression
from eventwire.resources import Resources
from eventwire.stages import Work
from eventwire.stages.timex import calendar as cal
from eventwire.stages.timex.lexicon import load as load_lexicon
from eventwire.stages.timex.plausible import Plausible, too_late
from eventwire.stages.timex.tagger import Tagger, parse_dct

PUBLICATION_MODALITIES = {"asserted", "ongoing"}
CLAUSE_BREAK = re.compile(r"[;:\u2014]|\s[-\u2013]\s|,\s+(?:and|but|while|whereas|although|"
                          r"though|after|before|when|which|who|where|as\s+well\s+as)\b")
DATELINE_END = re.compile(r"\s(?:-|--|\u2013|\u2014)\s|\(\w+\)\s*[-\u2013\u2014:]")
VALUE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d\d)(?:-(?P<d>\d\d))?|W(?P<w>\d\d?)(?:-WE)?|Q(?P<q>[1-4])|"
    r"H(?P<h>[12])|(?P<s>SP|SU|FA|WI)))?(?:T.*)?$")
LAST_WORDS = re.compile(r"\b(?:past|last|previous|preceding|recent)\b", re.I)


def load_tagger(res: Resources | None = None) -> Tagger:
    """The tagger with the shipped lexicon (once per process through ``res``)."""
    if res is None:
        return Tagger(load_lexicon())
    return res.get("timex_tagger", lambda _: Tagger(load_lexicon()))


@dataclass
class DatesStage:
    tagger: Tagger
    name: str = "dates"

    def __call__(self, work: Work) -> None:
        article = work.article
        article.times.extend(self.tagger.find(article.text, article.published))
        dateline = dateline_time(article)
        for event in article.events:
            if event.date.value is None:
                event.date = date_event(article, event, dateline, self.tagger.plausible)


def build(res: Resources) -> DatesStage:
    return DatesStage(load_tagger(res))


# ---------------------------------------------------------------- event dates

def date_event(article: Article, event: Event,
               dateline: TimeExpression | None = None,
               rules: Plausible | None = None) -> EventDate:
    """The date of ``event`` by the rules in the module docstring. ``dateline`` is the date
    of the article's dateline (see :func:`dateline_time`): it dates the report, so it is
    the fallback and not a time of the first sentence. With ``rules``, a date too far
    after publication for the event's modality is refused (no value, ``far_future``)."""
    times = [t for t in article.times if t is not dateline]
    own = [t for t in times if _inside(t.span, event.evidence.span)]
    chosen = choose_time(article.text, own, event.evidence.trigger or event.evidence.span,
                         article.published)
    if chosen is not None:
        found = event_date_of(chosen, article.published)
        if rules and too_late(found.value, parse_dct(article.published), event.modality,
                              rules):
            return EventDate(None, None, None, found.timex, found.span, "far_future")
        return found
    if any(_is_anchor(t, article.published) for t in own):
        return EventDate()
    if event.modality not in PUBLICATION_MODALITIES:
        return EventDate()
    lo, hi = paragraph_bounds(article, event)
    if any(_is_anchor(t, article.published) for t in times
           if lo <= t.span.start and t.span.end <= hi):
        return EventDate()
    return fallback_date(article, dateline)


def choose_time(text: str, times: list[TimeExpression], trigger: Span,
                published: str | None = None) -> TimeExpression | None:
    """The expression that dates an event: same clause first, dates before durations,
    then the nearest to the trigger. Only expressions that give a calendar date count."""
    usable = [t for t in times if _calendar(t, published) is not None]
    if not usable:
        return None
    clause = clause_bounds(text, trigger)

    def rank(t: TimeExpression) -> tuple[int, int, int]:
        in_clause = _inside(t.span, Span(clause[0], clause[1], ""))
        is_date = t.type in ("DATE", "TIME")
        distance = max(t.span.start - trigger.end, trigger.start - t.span.end, 0)
        return (0 if in_clause else 1, 0 if is_date else 1, distance)

    return min(usable, key=rank)


def clause_bounds(text: str, trigger: Span, window: int = 400) -> tuple[int, int]:
    """Character bounds of the clause around ``trigger`` (split at ; : dashes and
    ", and/but/which..."); a cheap stand-in for a parse that works on every sentence."""
    lo = max(0, trigger.start - window)
    left = text[lo:trigger.start]
    cuts = [m.end() for m in CLAUSE_BREAK.finditer(left)]
    start = lo + cuts[-1] if cuts else lo
    right = text[trigger.end:trigger.end + window]
    stop = CLAUSE_BREAK.search(right)
    end = trigger.end + (stop.start() if stop else len(right))
    return start, end


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _is_anchor(t: TimeExpression, published: str | None) -> bool:
    """A date or time that names another time than the publication day."""
    if t.type not in ("DATE", "TIME") or t.value is None:
        return False
    if t.value == "PRESENT_REF":
        return False
    return not (published and t.value.startswith(published[:10]))


def paragraph_bounds(article: Article, event: Event) -> tuple[int, int]:
    """The paragraph of the event's sentence: from ``Sentence.paragraph`` when the article
    has sentences, else the text between blank lines."""
    index = event.evidence.sentence
    if 0 <= index < len(article.sentences):
        number = article.sentences[index].paragraph
        same = [s.span for s in article.sentences if s.paragraph == number]
        return min(s.start for s in same), max(s.end for s in same)
    text, at = article.text, event.evidence.span.start
    starts = [m.end() for m in re.finditer(r"\n\s*\n", text[:at])]
    stop = re.search(r"\n\s*\n", text[at:])
    return (starts[-1] if starts else 0), (at + stop.start() if stop else len(text))


def fallback_date(article: Article, dateline: TimeExpression | None = None) -> EventDate:
    """The dateline's date when the article opens with one, else the publication date."""
    if dateline is not None:
        found = event_date_of(dateline, article.published)
        if found.value is not None and found.precision == "day":
            return EventDate(found.value, "day", "dateline", found.timex, found.span)
    published = parse_dct(article.published)
    if published is None:
        return EventDate()
    return EventDate(published.isoformat(), "day", "publication", published.isoformat())


def dateline_time(article: Article) -> TimeExpression | None:
    """The day date of a dateline ("MOSCOW, Aug 11 (Reuters) -"), if the article opens with
    one: a DATE before the first dash within the first 160 characters."""
    end = DATELINE_END.search(article.text[:160])
    if end is None:
        return None
    for t in article.times:
        if t.span.end > end.start():
            break
        if t.type == "DATE" and t.value and period_start(t.value) is not None:
            return t
    return None


def event_date_of(t: TimeExpression, published: str | None) -> EventDate:
    """EventDate from a time expression: first day of its period, precision and basis."""
    found = _calendar(t, published)
    if found is None:
        return EventDate(None, None, None, t.value, t.span)
    start, precision = found
    basis = "relative" if t.anchored or t.type == "DURATION" else "explicit"
    return EventDate(start.isoformat(), precision, basis, t.value, t.span)


def _calendar(t: TimeExpression, published: str | None = None) -> tuple[date, str] | None:
    """(first day, precision) of a DATE/TIME value, or of a past duration ("the past two
    weeks" starts two weeks before publication); None for vague or unknown values."""
    if t.value is None:
        return None
    if t.type == "DURATION":
        return _past_duration_start(t, published)
    if t.type not in ("DATE", "TIME"):
        return None
    if t.value == "PRESENT_REF":
        dct = parse_dct(published)
        return (dct, "day") if dct else None
    return period_start(t.value)


def period_start(value: str) -> tuple[date, str] | None:
    """First day and precision of a TIMEX3 date value (2021-08, 2021-W32, 2021-SU...)."""
    m = VALUE.match(value)
    if m is None:
        return None
    year = int(m["y"])
    if m["d"]:
        return date(year, int(m["m"]), int(m["d"])), "day"
    if m["m"]:
        return date(year, int(m["m"]), 1), "month"
    if m["w"]:
        return date.fromisocalendar(year, int(m["w"]), 1), "week"
    if m["q"]:
        return date(year, 3 * int(m["q"]) - 2, 1), "quarter"
    if m["h"]:
        return date(year, 1 if m["h"] == "1" else 7, 1), "half"
    if m["s"]:
        return cal.season(year, m["s"]).start, "season"
    return date(year, 1, 1), "year"


def _past_duration_start(t: TimeExpression, published: str | None) -> tuple[date, str] | None:
    dct = parse_dct(published)
    m = re.fullmatch(r"P(\d+)([DWMY])", t.value or "")
    if dct is None or m is None or not LAST_WORDS.search(t.span.text):
        return None
    n, unit = int(m.group(1)), m.group(2)
    if unit == "D":
        return dct - timedelta(days=n), "day"
    if unit == "W":
        return dct - timedelta(weeks=n), "week"
    months = n * (12 if unit == "Y" else 1)
    return cal.add_months(dct, -months), "month" if unit == "M" else "year"


__all__ = ["build", "DatesStage", "date_event", "choose_time", "event_date_of",
           "period_start", "load_tagger"]
