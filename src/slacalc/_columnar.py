"""The compiled business time line as numpy arrays, and its operations.

The arrays are those of one :class:`~slacalc._timeline.Index` snapshot,
built once per snapshot and kept on it. A :class:`Line` holds the snapshot
one columnar call works on and asks the calendar's timeline for a larger
one when some instant or result falls outside it, exactly as the scalar
path does, then computes again: positions are only comparable within one
snapshot.

Each operation here is the scalar one of :mod:`slacalc.calendar` over a
column; the comments name the scalar step they mirror.

Needs numpy, which is optional: only the columnar and pandas paths
(:mod:`slacalc.columns`, :mod:`slacalc.frames`) import this module.
"""

from __future__ import annotations

import numpy as np

from slacalc._instants import EPOCH_ORDINAL, US_PER_DAY
from slacalc._lookup import BoolArray, Int64Array, IntpArray, SortedLookup
from slacalc._timeline import MAX_CLOSED_US, Index
from slacalc._zones import OffsetTable
from slacalc.calendar import BusinessCalendar

__all__ = ["IndexArrays", "Line", "arrays_of"]

INT64_MIN = int(np.iinfo(np.int64).min)
INT64_MAX = int(np.iinfo(np.int64).max)
#: Days from 0001-01-01 (ordinal 1) to 1970-01-01.
_NOON_US = 12 * 3_600_000_000


def _int64(values: list[int]) -> Int64Array:
    return np.array(values, dtype=np.int64)


class IndexArrays:
    """One index snapshot as int64 arrays, and lookups built on first use.

    The interval arrays are padded in front so that ``k``, the number of
    openings at or before an instant, indexes them directly (``k - 1`` is
    the interval holding or preceding the instant).
    """

    def __init__(self, index: Index) -> None:
        self.index = index
        self.lo, self.hi = index.lo, index.hi
        starts, ends = _int64(index.starts), _int64(index.ends)
        cum_start, cum_end = _int64(index.cum_start), _int64(index.cum_end)
        self.count = len(starts)
        self.total = int(cum_end[-1]) if self.count else 0
        self.first_start = index.starts[0] if self.count else index.hi
        self.last_end = index.ends[-1] if self.count else index.lo
        self.starts = starts
        # position(t) = min(t + to_position[k], cum_end_k[k]); before the
        # first opening it is 0 (t >= lo).
        self.to_position = np.concatenate(([-index.lo], cum_start - starts))
        self.cum_end_k = np.concatenate(([0], cum_end))
        # t is open iff t < ends_k[k]; a closed t waits for next_start[k].
        self.ends_k = np.concatenate(([INT64_MIN], ends))
        self.next_start = np.append(starts, INT64_MAX)
        # instant_closing(pos) = pos + closing[j], j = #(cum_end < pos);
        # instant_opening(pos) = pos + opening[j], j = #(cum_start <= pos).
        self.cum_end, self.cum_start = cum_end, cum_start
        self.closing = ends - cum_end
        self.opening = np.concatenate(([0], starts - cum_start))
        self.epoch_days = _int64(index.days) - EPOCH_ORDINAL
        self.day_open = _int64(index.day_open)
        self.day_close = _int64(index.day_close)
        self.day_count = len(index.days)
        self.last_close = index.day_close[-1] if index.days else index.lo
        self.long_gaps = index.long_gaps
        self._lookups: dict[str, SortedLookup] = {}

    def lookup(self, name: str) -> SortedLookup:
        """The lookup over array ``name``: ``starts``, ``day_open`` (instants)
        or ``cum_end``, ``cum_start`` (positions)."""
        found = self._lookups.get(name)
        if found is None:
            values: Int64Array = getattr(self, name)
            if name.startswith("cum"):
                found = SortedLookup(values, 0, self.total)
            else:
                found = SortedLookup(values, self.lo, self.hi)
            self._lookups[name] = found
        return found


def arrays_of(index: Index) -> IndexArrays:
    """The arrays of ``index``, built on first use and kept on it."""
    arrays = index.columnar
    if not isinstance(arrays, IndexArrays):
        arrays = IndexArrays(index)
        index.columnar = arrays
    return arrays


class Line:
    """A calendar's business time line for one columnar call.

    Args:
        calendar: the calendar.
        lo, hi: the earliest and latest input instant, to be covered.
    """

    def __init__(self, calendar: BusinessCalendar, lo: int, hi: int) -> None:
        self._timeline = calendar._timeline
        index = self._timeline.index
        if index is None:
            index = self._timeline.cover(lo)
        self.arrays = arrays_of(index)
        self.cover(lo, hi)

    def cover(self, lo: int, hi: int) -> IndexArrays:
        """Arrays of a snapshot covering ``[lo, hi]`` as well."""
        index = self.arrays.index
        if not (index.lo <= lo and hi < index.hi):
            self._timeline.cover(lo)
            index = self._timeline.cover(hi)
            while not index.lo <= lo < index.hi:
                index = self._timeline.cover(lo)
            self.arrays = arrays_of(index)
        return self.arrays

    def _grow_forward(self, since: int) -> IndexArrays:
        index = self._timeline.grow_forward(self.arrays.index, since)
        self.arrays = arrays_of(index)
        return self.arrays

    def _grow_backward(self, since: int) -> IndexArrays:
        index = self._timeline.grow_backward(self.arrays.index, since)
        self.arrays = arrays_of(index)
        return self.arrays

    def check_spans(self, a: Int64Array, b: Int64Array) -> None:
        """Raise like ``Index.check_span`` when the way from some ``a`` to its
        ``b`` crosses more than a year of closed time."""
        arrays = self.arrays
        if not arrays.long_gaps:
            return
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        for gap_start, gap_end in arrays.long_gaps:
            overlap = np.minimum(hi, gap_end) - np.maximum(lo, gap_start)
            bad = np.flatnonzero(overlap > MAX_CLOSED_US)
            if len(bad):
                i = int(bad[0])
                arrays.index.check_span(int(a[i]), int(b[i]))

    def positions(self, t: Int64Array) -> Int64Array:
        """``Index.position`` of each covered instant."""
        arrays = self.arrays
        k = arrays.lookup("starts").right(t)
        return np.minimum(t + arrays.to_position.take(k), arrays.cum_end_k.take(k))

    def is_open(self, t: Int64Array) -> BoolArray:
        """Whether each covered instant is open."""
        arrays = self.arrays
        k = arrays.lookup("starts").right(t)
        return t < arrays.ends_k.take(k)

    def next_opening(self, t: Int64Array) -> Int64Array:
        """``BusinessCalendar._next_opening_us`` of each covered instant."""
        arrays = self.arrays
        while True:
            k = arrays.lookup("starts").right(t)
            opening = np.where(t < arrays.ends_k.take(k), t, arrays.next_start.take(k))
            waiting = opening == INT64_MAX
            if not waiting.any():
                break
            since = max(arrays.last_end, int(t[waiting].min()))
            arrays = self._grow_forward(since)
        self.check_spans(t, opening)
        return opening

    def add(self, t: Int64Array, delta: int | Int64Array) -> Int64Array:
        """``BusinessCalendar._add_us`` of each covered instant and ``delta``
        (one for all, or one each)."""
        if isinstance(delta, int):
            sign = (delta > 0) - (delta < 0)
            return self._add_signed(t, delta, sign) if sign else self.next_opening(t)
        result = np.empty_like(t)
        signs = np.sign(delta)
        for sign in (1, -1, 0):
            chosen = np.flatnonzero(signs == sign)
            if len(chosen) == 0:
                continue
            moved = t.take(chosen)
            if sign:
                result[chosen] = self._add_signed(moved, delta.take(chosen), sign)
            else:
                result[chosen] = self.next_opening(moved)
        return result

    def _add_signed(
        self, t: Int64Array, delta: int | Int64Array, sign: int
    ) -> Int64Array:
        # A closed instant has the position of the next opening; going
        # forwards a result on a close is that close (the first cum_end at
        # or after it), going backwards one on an opening is that opening.
        arrays = self.arrays
        while True:
            pos = self.positions(t)
            pos += delta
            outside = pos > arrays.total if sign > 0 else pos < 0
            if arrays.count and not outside.any():
                break
            if sign > 0:
                since = max(arrays.last_end, int(t[outside].min()))
                arrays = self._grow_forward(since)
            else:
                since = min(arrays.first_start, int(t[outside].max()))
                arrays = self._grow_backward(since)
        if sign > 0:
            due = pos + arrays.closing.take(arrays.lookup("cum_end").left(pos))
            self.check_spans(t, due)
            return due
        result = pos + arrays.opening.take(arrays.lookup("cum_start").right(pos))
        self.check_spans(result, t)
        return result

    def elapsed(self, a: Int64Array, b: Int64Array) -> Int64Array:
        """``BusinessCalendar._elapsed_us`` of each covered pair."""
        return self.positions(b) - self.positions(a)

    def day_after(self, start: Int64Array, n: int) -> IntpArray:
        """``BusinessCalendar._business_day_after``: for each open instant
        ``start``, the position in ``self.arrays``' days of the ``n``-th
        business day after the one holding it."""
        arrays = self.arrays
        while True:
            d = arrays.lookup("day_open").right(start)
            d += n - 1
            if arrays.day_count and int(d.max()) < arrays.day_count:
                break
            arrays = self._grow_forward(arrays.last_close)
        if arrays.long_gaps:
            self.check_spans(start, arrays.day_open.take(d))
        return d

    def business_day_from(
        self, day: Int64Array, n: int, table: OffsetTable
    ) -> tuple[IntpArray, IndexArrays]:
        """``BusinessCalendar._day_position`` for ``n >= 0``: the position of
        the ``n``-th business day after each local date ``day`` (days since
        the epoch; ``n == 0`` rolls a closed date forward), and the arrays
        it is a position in. ``table`` covers the dates' noons."""
        arrays = self.arrays
        while True:
            if n > 0:
                k = np.searchsorted(arrays.epoch_days, day, side="right") - 1 + n
            else:
                k = np.searchsorted(arrays.epoch_days, day, side="left")
            if arrays.day_count and int(k.max()) < arrays.day_count:
                break
            arrays = self._grow_forward(arrays.last_close)
        if arrays.long_gaps:
            noon = table.instant(day * US_PER_DAY + _NOON_US)
            self.check_spans(noon, arrays.day_open.take(k))
        return k, arrays
