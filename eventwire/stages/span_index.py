"""Span look-ups that stay fast on long texts, for the stages' per-article indexes.

A stage that asked "which quotes or mentions overlap this span?" by scanning every one of
them took time in the square of their number, which on a single-paragraph text of a
million characters meant minutes. These indexes answer the same questions by bisection
and give the same answers, in the same order, as the scans they replace.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence

from eventwire.model import Span


class DisjointSpans:
    """Spans in text order that do not overlap (quotations): by position."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = list(spans)
        self.starts = [s.start for s in self.spans]
        self.ends = [s.end for s in self.spans]

    def overlapping(self, start: int, end: int) -> Iterator[Span]:
        """Spans that overlap [start, end), in text order."""
        i = bisect_right(self.ends, start)
        while i < len(self.spans) and self.spans[i].start < end:
            yield self.spans[i]
            i += 1

    def containing(self, span: Span) -> Span | None:
        """The span that holds all of ``span`` (at most one can start at or before it)."""
        i = bisect_right(self.starts, span.start) - 1
        if i >= 0 and span.end <= self.spans[i].end:
            return self.spans[i]
        return None

    def last_ending_by(self, pos: int) -> Span | None:
        i = bisect_right(self.ends, pos) - 1
        return self.spans[i] if i >= 0 else None

    def first_starting_at(self, pos: int) -> Span | None:
        i = bisect_left(self.starts, pos)
        return self.spans[i] if i < len(self.spans) else None


class ShortSpans:
    """Possibly overlapping spans, each short (actor mentions): which overlap a range.
    Answers are positions in the list given, in increasing order."""

    def __init__(self, spans: Sequence[Span | None]) -> None:
        order = sorted((s.start, i) for i, s in enumerate(spans) if s is not None)
        self.spans = spans
        self.starts = [start for start, _ in order]
        self.order = [i for _, i in order]
        self.longest = max((s.end - s.start for s in spans if s is not None), default=0)

    def overlapping(self, start: int, end: int) -> list[int]:
        found = []
        i = bisect_left(self.starts, end) - 1
        while i >= 0 and self.starts[i] > start - self.longest:
            span = self.spans[self.order[i]]
            if span is not None and span.end > start:
                found.append(self.order[i])
            i -= 1
        return sorted(found)


def covers(points: Sequence[int], start: int, end: int) -> bool:
    """Whether sorted ``points`` has one in [start, end)."""
    i = bisect_left(points, start)
    return i < len(points) and points[i] < end


def first_at_or_after(points: Sequence[int], pos: int) -> int:
    """Index of the first of sorted ``points`` at or after ``pos`` (len when none)."""
    return bisect_left(points, pos)


class Cover:
    """Whether some span of a set (overlapping or nested, any length) holds a given span,
    optionally leaving one of them (by identity) out."""

    def __init__(self, spans: Sequence[Span]) -> None:
        ordered = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in ordered]
        self.prefix: list[tuple[int, int, int]] = []  # (largest end, its id, largest other end)
        end1, id1, end2 = -1, 0, -1
        for span in ordered:
            if id(span) == id1:
                end1 = max(end1, span.end)
            elif span.end > end1:
                end1, id1, end2 = span.end, id(span), end1
            else:
                end2 = max(end2, span.end)
            self.prefix.append((end1, id1, end2))

    def holds(self, span: Span, besides: Span | None = None) -> bool:
        """Whether a span other than ``besides`` starts at or before ``span`` and ends at or
        after it."""
        i = bisect_right(self.starts, span.start) - 1
        if i < 0:
            return False
        end1, id1, end2 = self.prefix[i]
        reach = end2 if besides is not None and id1 == id(besides) else end1
        return reach >= span.end
