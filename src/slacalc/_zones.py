"""UTC offsets of a time zone as arrays, for wall-clock arithmetic on columns.

A zone's offset changes at a few instants a year. They are found by probing
the zone's own ``utcoffset`` (so any ``tzinfo`` works, ``zoneinfo``'s rules
past its last listed transition included): every six hours through a UTC
year, then by bisection to the microsecond wherever two probes differ.
Years are probed once per zone and kept; an :class:`OffsetTable` spans the
years some columns need and is rebuilt, larger, when others need more.

Two changes of offset less than six hours apart that cancel out would be
missed; no zone has had one.

Needs numpy, which is optional: only the columnar and pandas paths
(:mod:`slacalc.columns`, :mod:`slacalc.frames`) import this module.
"""

from __future__ import annotations

import datetime as dt
import threading

import numpy as np

from slacalc._dates import Ambiguous, Nonexistent
from slacalc._instants import EPOCH_ORDINAL, US_PER_DAY, from_us
from slacalc._lookup import BoolArray, Int64Array, SortedLookup

__all__ = ["Ambiguous", "Nonexistent", "OffsetTable", "offsets"]


_PROBE_US = 6 * 3_600_000_000
#: Wall-clock times lie within a day of their instant.
_MARGIN_US = 2 * US_PER_DAY

_Transitions = list[tuple[int, int]]


class OffsetTable:
    """The offsets of zone ``tz`` over the UTC years ``first..last``.

    Attributes:
        lo, hi: the instants covered, ``[lo, hi)``; wall times are covered
            a day inside these.
        at: the instants at which the offset changes, sorted.
        offsets: ``offsets[k]`` is the offset (microseconds) after ``k``
            changes, so ``offsets[0]`` holds before ``at[0]``.
    """

    __slots__ = (
        "_at_lookup",
        "_edge_lookup",
        "_lower",
        "at",
        "first",
        "hi",
        "last",
        "lo",
        "offsets",
        "tz",
    )

    def __init__(
        self,
        tz: dt.tzinfo,
        first: int,
        last: int,
        before: int,
        transitions: _Transitions,
    ) -> None:
        self.tz = tz
        self.first, self.last = first, last
        self.lo, self.hi = _year_start(first), _year_start(last + 1)
        self.at: Int64Array = np.array([t for t, _ in transitions], dtype=np.int64)
        self.offsets: Int64Array = np.array(
            [before, *(offset for _, offset in transitions)], dtype=np.int64
        )
        before_change, after_change = self.offsets[:-1], self.offsets[1:]
        # A wall time w near change k reads as the offset before it (the
        # earlier instant in a fold, the shifted one in a gap) while
        # w < at + max(before, after); from lower = at + min(...) on, w is
        # in that change's gap or fold.
        edges = self.at + np.maximum(before_change, after_change)
        if len(edges) > 1 and bool((np.diff(edges) <= 0).any()):
            raise ValueError(
                f"tz must change its UTC offset at most once a day, got {tz!r}"
            )
        self._lower: Int64Array = np.append(
            self.at + np.minimum(before_change, after_change),
            np.iinfo(np.int64).max,
        )
        self._at_lookup = SortedLookup(self.at, self.lo, self.hi)
        self._edge_lookup = SortedLookup(
            edges, self.lo - _MARGIN_US, self.hi + _MARGIN_US
        )

    def covers(self, lo: int, hi: int) -> bool:
        """Whether instants (or wall times) from ``lo`` to ``hi`` are covered."""
        return self.lo + _MARGIN_US <= lo and hi < self.hi - _MARGIN_US

    def offset_at(self, t: Int64Array) -> Int64Array:
        """The offset in effect at each instant ``t``."""
        return self.offsets.take(self._at_lookup.right(t))

    def wall(self, t: Int64Array) -> Int64Array:
        """The local wall-clock time of each instant, as microseconds since
        1970-01-01 00:00 on the local clock."""
        return t + self.offset_at(t)

    def instant(self, wall: Int64Array) -> Int64Array:
        """The instant of each wall-clock time, by slacalc's rules: a time in
        a gap shifts forward by the gap, one in a fold takes the earlier
        instant (``zoneinfo`` with ``fold=0``)."""
        return wall - self.offsets.take(self._edge_lookup.right(wall))

    def localize(
        self, wall: Int64Array, nonexistent: Nonexistent, ambiguous: Ambiguous
    ) -> tuple[Int64Array, BoolArray, BoolArray]:
        """Instants of wall times with explicit rules for gaps and folds.

        Returns the instants and two masks: the wall times in a gap and
        those in a fold (the rules said how to place them; ``"raise"`` is
        the caller's to act on).
        """
        k = self._edge_lookup.right(wall)
        offsets = self.offsets
        before = offsets.take(k)
        instant = wall - before
        changing = wall >= self._lower.take(k)
        after = offsets.take(np.minimum(k + 1, len(offsets) - 1))
        gap = changing & (after > before)
        fold = changing & (after < before)
        if ambiguous == "later":
            instant = np.where(fold, wall - after, instant)
        return instant, gap, fold


def _year_start(year: int) -> int:
    return (dt.date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * US_PER_DAY


def _offset_us(t: int, tz: dt.tzinfo) -> int:
    offset = from_us(t, tz).utcoffset()
    assert offset is not None
    return ((offset.days * 86_400 + offset.seconds) * 1_000_000) + offset.microseconds


def _probe_year(tz: dt.tzinfo, year: int) -> tuple[int, _Transitions]:
    """The offset at the start of UTC year ``year`` and each change in it
    (at the instant it takes effect, with the new offset)."""
    t = _year_start(year)
    end = _year_start(year + 1)
    before = current = _offset_us(t, tz)
    changes: _Transitions = []
    while t < end:
        step = min(t + _PROBE_US, end)
        offset = _offset_us(step, tz)
        if offset != current:
            lo, hi = t, step
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset_us(mid, tz) == current:
                    lo = mid
                else:
                    hi = mid
            changes.append((hi, _offset_us(hi, tz)))
            current = _offset_us(hi, tz)
            if current != offset:
                # Changed again before ``step``: probe on from ``hi``.
                t = hi
                continue
        t = step
    return before, changes


class _Zone:
    """The probed years of one zone and the latest table built from them."""

    def __init__(self, tz: dt.tzinfo) -> None:
        self.tz = tz
        self.years: dict[int, tuple[int, _Transitions]] = {}
        self.table: OffsetTable | None = None

    def table_for(self, lo: int, hi: int) -> OffsetTable:
        table = self.table
        if table is not None and table.covers(lo, hi):
            return table
        first = _utc_year(lo - 2 * _MARGIN_US)
        last = _utc_year(hi + 2 * _MARGIN_US)
        if table is not None:
            first, last = min(first, table.first), max(last, table.last)
        transitions: _Transitions = []
        for year in range(first, last + 1):
            probed = self.years.get(year)
            if probed is None:
                probed = self.years[year] = _probe_year(self.tz, year)
            transitions.extend(probed[1])
        table = OffsetTable(self.tz, first, last, self.years[first][0], transitions)
        self.table = table
        return table


_zones: dict[dt.tzinfo, _Zone] = {}
_lock = threading.Lock()


def _utc_year(t: int) -> int:
    return (dt.date(1970, 1, 1) + dt.timedelta(microseconds=t)).year


def offsets(tz: dt.tzinfo, lo: int, hi: int) -> OffsetTable:
    """An offset table of ``tz`` covering instants and wall times in
    ``[lo, hi]``; built once per zone and range, then shared.

    Examples:
        >>> from zoneinfo import ZoneInfo
        >>> import numpy as np
        >>> t = np.array([1_772_956_800_000_000], dtype=np.int64)  # 2026-03-08T08Z
        >>> table = offsets(ZoneInfo("America/Chicago"), int(t[0]), int(t[0]))
        >>> (table.offset_at(t) // 3_600_000_000).tolist()
        [-5]
    """
    with _lock:
        zone = _zones.get(tz)
        if zone is None:
            zone = _zones[tz] = _Zone(tz)
        return zone.table_for(lo, hi)
