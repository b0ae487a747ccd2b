"""What a time-expression normaliser knows about where an expression stands: the text, the
document creation time (publication date), the last period the text mentioned (for "a year
earlier", "that day") and the tense around the expression (for "Friday", "in December")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from eventwire.stages.timex.calendar import Period, fmt, truncate
from eventwire.stages.timex.lexicon import Lexicon

FUTURE_PHRASES = re.compile(r"\b(?:as\s+(?:soon|early)\s+as|no\s+later\s+than|by|until|till)\s*$",
                            re.I)
SPEECH_REACH = 20
WORD = re.compile(r"[A-Za-z']+")
CLAUSE_END = re.compile(r"[.;!?\n]\s|[.;!?\n]$|\n")


@dataclass(frozen=True, slots=True)
class Norm:
    """A normalised expression: TIMEX3 type and value; ``period`` feeds later anaphora."""

    type: str
    value: str | None
    anchored: bool = False
    period: Period | None = None
    sets_ref: bool = True


@dataclass(slots=True)
class Ctx:
    """Where one candidate expression stands (article text offsets)."""

    text: str
    start: int
    end: int
    dct: date | None
    lex: Lexicon
    ref: Period | None = None
    ref_explicit: Period | None = None
    _tense: str | None = field(default=None, repr=False)

    def before(self, chars: int = 30) -> str:
        return self.text[max(0, self.start - chars):self.start]

    def after(self, chars: int = 30) -> str:
        return self.text[self.end:self.end + chars]

    def anchor(self, explicit: bool = False) -> Period | None:
        """The period anaphoric expressions hang on: the last one mentioned (with
        ``explicit``, the last one not relative to the speech time), else the DCT."""
        ref = self.ref_explicit if explicit else self.ref
        if ref is not None:
            return ref
        return truncate(self.dct, "day") if self.dct else None

    def tense(self) -> str:
        """"future", "past" or "unknown": the tense cue nearest the expression in its clause."""
        if self._tense is None:
            self._tense = _tense(self.text, self.start, self.end, self.lex.tense)
        return self._tense


def _tense(text: str, start: int, end: int, cues: dict[str, frozenset[str]]) -> str:
    left = text[max(0, start - 120):start]
    cut = [m.end() for m in CLAUSE_END.finditer(left)]
    left = left[cut[-1]:] if cut else left
    right = text[end:end + 80]
    stop = CLAUSE_END.search(right)
    right = right[:stop.start()] if stop else right
    if FUTURE_PHRASES.search(left):
        return "future"
    best: tuple[int, str] | None = None
    for distance, tense in _cues(left, True, cues):
        best = _closer(best, (distance, tense))
        break
    for distance, tense in _cues(right, False, cues):
        best = _closer(best, (distance + 5, tense))
        break
    return best[1] if best else "unknown"


def _cues(chunk: str, reverse: bool, cues: dict[str, frozenset[str]]) -> list[tuple[int, str]]:
    """Tense cues in ``chunk`` with their distance from the expression, nearest first.
    Speech verbs ("said") count only right next to the expression ("said Friday"): further
    away they frame a quotation whose own tense matters."""
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(chunk)]
    lower = [w.lower() for _, _, w in words]
    found = []
    for i, (s, e, w) in enumerate(words):
        before = lower[i - 1] if i else ""
        after = lower[i + 1] if i + 1 < len(words) else ""
        tense = _word_tense(w, before, after, cues)
        distance = len(chunk) - e if reverse else s
        if tense and not (lower[i] in cues["speech"] and distance > SPEECH_REACH):
            found.append((distance, tense))
    return sorted(found)


def _word_tense(word: str, before: str, after: str, cues: dict[str, frozenset[str]]) -> str | None:
    """The tense ``word`` signals; regular past forms only in lower case ("United" is not)."""
    low = word.lower()
    if low in cues["future"] or (low in cues["future_before_to"] and after == "to"):
        return "future"
    if low in cues["past"]:
        return "past"
    regular = word.islower() and len(word) > 4 and word.endswith("ed")
    if (low in cues["past_participle"] or regular) and before not in cues["passive_before"]:
        return "past"
    return None


def _closer(a: tuple[int, str] | None, b: tuple[int, str]) -> tuple[int, str]:
    return b if a is None or b[0] < a[0] else a


def date_norm(period: Period | None, kind: str = "DATE", anchored: bool = True,
              suffix: str = "", sets_ref: bool = True) -> Norm:
    """A DATE (or TIME with ``suffix`` like ``TMO``) for ``period``; value None when unknown.
    ``sets_ref`` False keeps anaphoric results ("a year earlier") from becoming the anchor
    of later anaphora."""
    if period is None:
        return Norm(kind, None, False)
    return Norm(kind, fmt(period) + suffix, anchored, period, sets_ref)
