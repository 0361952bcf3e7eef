"""The compiled business time line under :class:`~slacalc.BusinessCalendar`.

A calendar's open intervals are compiled, a local year at a time and in
either direction, into sorted integer lists: the instants at which intervals
open and close (microseconds since the Unix epoch, UTC) and the cumulative
open time at each of them. An instant maps to a *position* on the business
time line by one bisection, and a position maps back to an instant by
another, so every calendar question is a few bisections.

Positions are only comparable within one :class:`Index` snapshot: extending
the line backwards renumbers them. Every operation therefore takes a
snapshot, checks that it covers what it needs, and asks for a larger one if
not.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from slacalc.errors import ClosedTooLongError

__all__ = ["DayOpenings", "Index", "Timeline"]

#: The open intervals of one local date: its proleptic ordinal and sorted,
#: disjoint ``(open, close)`` instants in microseconds since the epoch.
DayOpenings = tuple[int, Sequence[tuple[int, int]]]

#: Compiles one local year: the year's span ``(start, end)`` in instants and
#: each date of it that has open time.
YearCompiler = Callable[[int], tuple[tuple[int, int], list[DayOpenings]]]

#: How long a run of closed time may be before a search gives up.
MAX_CLOSED_US = 366 * 86_400 * 1_000_000


class Index:
    """An immutable snapshot of the compiled years ``first_year..last_year``.

    Attributes:
        lo, hi: the instants covered, ``[lo, hi)``.
        starts, ends: the open intervals, merged where they touch.
        cum_start, cum_end: the business-time position of each start and end.
        days, day_open, day_close: business days (date ordinals) with their
            first opening and last close.
    """

    __slots__ = (
        "columnar",
        "cum_end",
        "cum_start",
        "day_close",
        "day_open",
        "days",
        "ends",
        "first_year",
        "hi",
        "last_year",
        "lo",
        "long_gaps",
        "starts",
    )

    def __init__(
        self,
        first_year: int,
        last_year: int,
        span: tuple[int, int],
        starts: list[int],
        ends: list[int],
        days: list[int],
        day_open: list[int],
        day_close: list[int],
    ) -> None:
        self.first_year = first_year
        self.last_year = last_year
        #: The snapshot as arrays for :mod:`slacalc.columns`, built there on
        #: first use (numpy is optional: this module never imports it).
        self.columnar: object = None
        self.lo, self.hi = span
        self.starts = starts
        self.ends = ends
        self.days = days
        self.day_open = day_open
        self.day_close = day_close
        cum_start: list[int] = []
        cum_end: list[int] = []
        total = 0
        for opening, closing in zip(starts, ends, strict=True):
            cum_start.append(total)
            total += closing - opening
            cum_end.append(total)
        self.cum_start = cum_start
        self.cum_end = cum_end
        edges = [self.lo, *(x for pair in zip(starts, ends, strict=True) for x in pair)]
        edges.append(self.hi)
        self.long_gaps = [
            (edges[i], edges[i + 1])
            for i in range(0, len(edges), 2)
            if edges[i + 1] - edges[i] > MAX_CLOSED_US
        ]

    def check_span(self, a: int, b: int) -> None:
        """Raise if the way from ``a`` to ``b`` (either order) crosses more
        than a year of closed time."""
        lo, hi = min(a, b), max(a, b)
        for gap_start, gap_end in self.long_gaps:
            if min(gap_end, hi) - max(gap_start, lo) > MAX_CLOSED_US:
                raise ClosedTooLongError(
                    "the calendar has no open time for more than a year after "
                    f"{_describe(max(gap_start, lo))}; check its closures and "
                    "holidays"
                )

    def position(self, t: int) -> int:
        """The business-time position of instant ``t`` (which must be covered)."""
        starts = self.starts
        i = bisect_right(starts, t) - 1
        if i < 0:
            return 0
        if t < self.ends[i]:
            return self.cum_start[i] + t - starts[i]
        return self.cum_end[i]

    def instant_closing(self, pos: int) -> int:
        """The instant at ``pos``; a position at a close gives the close."""
        j = bisect_left(self.cum_end, pos)
        return self.ends[j] - (self.cum_end[j] - pos)

    def instant_opening(self, pos: int) -> int:
        """The instant at ``pos``; a position at an opening gives the opening."""
        j = bisect_right(self.cum_start, pos) - 1
        return self.starts[j] + (pos - self.cum_start[j])


def _merge_into(
    starts: list[int], ends: list[int], openings: Sequence[tuple[int, int]]
) -> None:
    for opening, closing in openings:
        if ends and opening <= ends[-1]:
            ends[-1] = max(ends[-1], closing)
        else:
            starts.append(opening)
            ends.append(closing)


class Timeline:
    """Lazily compiled open intervals, safe to share between threads.

    Readers take :attr:`index` once and use that snapshot; a writer builds a
    new snapshot under a lock and swaps it in whole.
    """

    def __init__(self, compile_year: YearCompiler, year_of: Callable[[int], int]):
        self._compile_year = compile_year
        self._year_of = year_of
        self._lock = threading.Lock()
        self._years: dict[int, tuple[tuple[int, int], list[DayOpenings]]] = {}
        self.index: Index | None = None

    def cover(self, t: int) -> Index:
        """A snapshot whose span contains instant ``t``."""
        index = self.index
        if index is not None and index.lo <= t < index.hi:
            return index
        year = self._year_of(t)
        with self._lock:
            index = self.index
            if index is None:
                return self._build(year, year)
            if year < index.first_year:
                return self._build(year, index.last_year)
            if year > index.last_year:
                return self._build(index.first_year, year)
            return index

    def extend_forward(self, index: Index) -> Index:
        """A snapshot one year longer at the end than ``index``."""
        with self._lock:
            current = self.index
            assert current is not None
            last = max(current.last_year, index.last_year + 1)
            return self._build(current.first_year, last)

    def extend_backward(self, index: Index) -> Index:
        """A snapshot one year longer at the start than ``index``."""
        with self._lock:
            current = self.index
            assert current is not None
            first = min(current.first_year, index.first_year - 1)
            return self._build(first, current.last_year)

    def _year(self, year: int) -> tuple[tuple[int, int], list[DayOpenings]]:
        compiled = self._years.get(year)
        if compiled is None:
            compiled = self._compile_year(year)
            self._years[year] = compiled
        return compiled

    def _build(self, first_year: int, last_year: int) -> Index:
        starts: list[int] = []
        ends: list[int] = []
        days: list[int] = []
        day_open: list[int] = []
        day_close: list[int] = []
        for year in range(first_year, last_year + 1):
            for ordinal, openings in self._year(year)[1]:
                days.append(ordinal)
                day_open.append(openings[0][0])
                day_close.append(openings[-1][1])
                _merge_into(starts, ends, openings)
        span = (self._year(first_year)[0][0], self._year(last_year)[0][1])
        index = Index(
            first_year, last_year, span, starts, ends, days, day_open, day_close
        )
        self.index = index
        return index

    def grow_forward(self, index: Index, since: int) -> Index:
        """Extend ``index`` by a year, for a search that has found nothing
        open since instant ``since``.

        Raises:
            ClosedTooLongError: when more than a year is closed after ``since``.
        """
        if index.hi - since > MAX_CLOSED_US:
            raise ClosedTooLongError(
                "the calendar has no open time for more than a year after "
                f"{_describe(since)}; check its closures and holidays"
            )
        return self.extend_forward(index)

    def grow_backward(self, index: Index, since: int) -> Index:
        """Extend ``index`` back by a year, for a backward search that has
        found nothing open before instant ``since``.

        Raises:
            ClosedTooLongError: when more than a year is closed before ``since``.
        """
        if since - index.lo > MAX_CLOSED_US:
            raise ClosedTooLongError(
                "the calendar has no open time for more than a year before "
                f"{_describe(since)}; check its closures and holidays"
            )
        return self.extend_backward(index)


def _describe(us: int) -> str:
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=us)
    return moment.isoformat()
