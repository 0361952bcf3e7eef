"""Targets over columns: clock starts, due dates, elapsed time, extensions.

Each function is the scalar one of :mod:`slacalc.targets` (or of
:mod:`slacalc._clock` and :mod:`slacalc.adjust`) over a column of int64
instants with no missing values; the comments name the scalar step.

Needs numpy, which is optional: only the columnar and pandas paths
(:mod:`slacalc.columns`, :mod:`slacalc.frames`) import this module.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from slacalc._columnar import Line
from slacalc._instants import US_PER_DAY, from_us, time_us, to_us
from slacalc._lookup import Int64Array
from slacalc._zones import OffsetTable, offsets
from slacalc.calendar import BusinessCalendar, _zone
from slacalc.errors import TargetError
from slacalc.targets import (
    BusinessDays,
    BusinessHours,
    Days,
    Hours,
    Target,
    _require_calendar,
)

__all__ = [
    "NeedsScalar",
    "days_zone",
    "due_us",
    "elapsed_us",
    "extend_us",
    "line_for",
    "origin_us",
    "start_us",
]

_US_PER_HOUR = 3_600_000_000


class NeedsScalar(Exception):
    """Some values take a path the columnar code does not mirror; the
    caller computes them with the scalar code, which says what is wrong."""


def line_for(calendar: BusinessCalendar, values: Int64Array) -> Line:
    """A line of ``calendar`` covering ``values``."""
    return Line(calendar, int(values.min()), int(values.max()))


def _table(zone: dt.tzinfo, *columns: Int64Array) -> OffsetTable:
    lo = min(int(c.min()) for c in columns)
    hi = max(int(c.max()) for c in columns)
    return offsets(zone, lo, hi)


def days_zone(calendar: BusinessCalendar | None, tz: object) -> dt.tzinfo:
    """The zone of wall-clock arithmetic: the calendar's, else ``tz``."""
    if calendar is not None:
        return calendar.tz
    if tz is None:
        raise TargetError(
            "tz is required for a Days target without a calendar, got None: the "
            "days are counted on some zone's wall clock"
        )
    return _zone(tz)


def start_us(
    target: Target, received: Int64Array, calendar: BusinessCalendar | None
) -> tuple[Int64Array, Line | None]:
    """``target.start`` of each receipt, and the line used (``None`` for a
    clock that starts at receipt)."""
    if not target._starts_at_opening():
        return received, None
    cal = _require_calendar(calendar, target)
    line = line_for(cal, received)
    start = line.next_opening(received)
    if isinstance(target, BusinessDays) and target.cutoff is not None:
        # BusinessDays._start_us: a clock starting at or after the cut-off
        # starts at the first opening of the next business day.
        local = _table(cal.tz, start).wall(start)
        late = np.flatnonzero(local % US_PER_DAY >= time_us(target.cutoff))
        if len(late):
            day = line.day_after(start.take(late), 1)
            start = start.copy()
            start[late] = line.arrays.day_open.take(day)
    return start, line


def origin_us(
    target: Target, received: Int64Array, calendar: BusinessCalendar | None
) -> Int64Array:
    """``_clock.clock_origin_us``: the receipt for a business target without
    a cut-off (no open time lies before its start), else the start."""
    if target.business and getattr(target, "cutoff", None) is None:
        return received
    return start_us(target, received, calendar)[0]


def elapsed_us(
    target: Target | None,
    calendar: BusinessCalendar | None,
    a: Int64Array,
    b: Int64Array,
) -> Int64Array:
    """``_clock.clock_elapsed_us``: open time for business targets, else
    absolute time."""
    if target is not None and target.business:
        cal = _require_calendar(calendar, target)
        line = Line(
            cal, min(int(a.min()), int(b.min())), max(int(a.max()), int(b.max()))
        )
        return line.elapsed(a, b)
    return b - a


def due_us(
    target: Target,
    received: Int64Array,
    calendar: BusinessCalendar | None,
    tz: object = None,
) -> Int64Array:
    """``target.due`` of each receipt; ``tz`` is the zone of receipts, for
    Days without a calendar."""
    if isinstance(target, BusinessHours):
        cal = _require_calendar(calendar, target)
        return line_for(cal, received).add(received, target._us)
    if isinstance(target, Hours):
        start, _ = start_us(target, received, calendar)
        return start + round(target.amount * _US_PER_HOUR)
    if isinstance(target, Days):
        start, _ = start_us(target, received, calendar)
        return _days_later(days_zone(calendar, tz), start, target.n)
    if isinstance(target, BusinessDays):
        return _business_days_due(target, received, calendar)
    zone = calendar.tz if calendar is not None else _zone(tz or "UTC")
    values = received.tolist()
    due = [to_us(target.due(from_us(us, zone), calendar), "due") for us in values]
    return np.array(due, dtype=np.int64)


def _days_later(zone: dt.tzinfo, start: Int64Array, n: int) -> Int64Array:
    # Days.due: the same wall time n local dates later, placed back on the
    # time line by the fixed rules (gap: forward by the gap; fold: earlier).
    shift = n * US_PER_DAY
    table = _table(zone, start, start + shift)
    wall = table.wall(start)
    wall += shift
    return table.instant(wall)


def _business_days_due(
    target: BusinessDays, received: Int64Array, calendar: BusinessCalendar | None
) -> Int64Array:
    cal = _require_calendar(calendar, target)
    start, line = start_us(target, received, cal)
    assert line is not None
    day = line.day_after(start, target.n)
    arrays = line.arrays
    at = target.at
    if at == "close":
        return arrays.day_close.take(day)
    midnight = arrays.epoch_days.take(day) * US_PER_DAY
    table = _table(cal.tz, start, midnight, midnight + US_PER_DAY)
    if at == "same_time":
        of_day = table.wall(start) % US_PER_DAY
        due = np.minimum(table.instant(midnight + of_day), arrays.day_close.take(day))
    else:
        assert isinstance(at, dt.time)
        due = table.instant(midnight + time_us(at))
    return np.maximum(due, start)


def extend_us(
    amount: Target,
    due: Int64Array,
    calendar: BusinessCalendar | None,
    tz: object = None,
) -> Int64Array:
    """``Adjustment.extend_due``: each due date moved later by ``amount``
    (never earlier); ``tz`` is the zone of due dates without a calendar."""
    if isinstance(amount, BusinessDays):
        later = _business_days_after(amount, due, _require_calendar(calendar, amount))
    else:
        later = due_us(amount, due, calendar, tz)
    return np.maximum(later, due)


def _business_days_after(
    amount: BusinessDays, due: Int64Array, calendar: BusinessCalendar
) -> Int64Array:
    # adjust._business_days_after: the n-th business day after the due
    # date's local date, then its last close within its local midnights.
    table = _table(calendar.tz, due)
    local = table.wall(due)
    ordinal = local // US_PER_DAY
    line = line_for(calendar, due)
    k, arrays = line.business_day_from(ordinal, amount.n, table)
    day = arrays.epoch_days.take(k)
    table = _table(calendar.tz, due, day * US_PER_DAY, (day + 2) * US_PER_DAY)
    midnight = table.instant(day * US_PER_DAY)
    next_midnight = table.instant((day + 1) * US_PER_DAY)
    line.cover(int(midnight.min()), int(next_midnight.max()))
    arrays = line.arrays
    # BusinessCalendar.openings(midnight, next_midnight)[-1][1]: the last
    # interval starting before the next midnight, clipped to it.
    j = np.searchsorted(arrays.starts, next_midnight, side="left") - 1
    ends = arrays.ends_k.take(j + 1)
    if bool((ends <= midnight).any()):
        raise NeedsScalar("a business day without open time between its midnights")
    close = np.minimum(ends, next_midnight)
    at = amount.at
    if at == "close":
        return close
    if at == "same_time":
        same = table.instant(day * US_PER_DAY + local % US_PER_DAY)
        return np.minimum(same, close)
    assert isinstance(at, dt.time)
    return table.instant(day * US_PER_DAY + time_us(at))
