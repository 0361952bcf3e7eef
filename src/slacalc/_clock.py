"""A target's clock on integer instants: the fast path of evaluation.

Evaluating a request asks its target for the due date, the start of its
clock, the time elapsed on it and a later instant on it. These functions
answer on integer instants (microseconds since the epoch, see
:mod:`slacalc._instants`) with the calendar's compiled time line, and give
the same answers as :meth:`Target.due`, :meth:`Target.start`,
:meth:`Target.elapsed` and :meth:`Target.extend`; the tests hold them to
that.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from slacalc._instants import from_us, local_us, time_us, wall_time_us
from slacalc.calendar import BusinessCalendar
from slacalc.targets import BusinessDays, BusinessHours, Days, Hours, Target

__all__ = [
    "clock_add_us",
    "clock_elapsed_us",
    "clock_origin_us",
    "clock_start_us",
    "due_us",
    "starts_at_opening",
]

_US_PER_HOUR = 3_600_000_000


def starts_at_opening(target: Target) -> bool:
    """Whether the target's clock waits for the calendar's next opening."""
    return target.business or getattr(target, "starts", "at_receipt") == "next_opening"


def clock_start_us(
    target: Target, calendar: BusinessCalendar | None, received: int
) -> int:
    """The instant the clock starts; ``target.start`` on integers."""
    if isinstance(target, BusinessDays):
        assert calendar is not None
        return target._start_us(calendar, received)
    if starts_at_opening(target):
        assert calendar is not None
        return calendar._next_opening_us(received)
    return received


def clock_origin_us(
    target: Target, calendar: BusinessCalendar | None, received: int
) -> int:
    """An instant from which the target's clock counts exactly as from its
    start: the start itself, or the receipt when no open time lies between
    them (a business target without a cut-off), which is cheaper to find."""
    if target.business and getattr(target, "cutoff", None) is None:
        return received
    return clock_start_us(target, calendar, received)


def due_us(
    target: Target,
    calendar: BusinessCalendar | None,
    received: dt.datetime,
    received_us: int,
) -> int | None:
    """``target.due`` on integers for the four built-in targets; ``None``
    for a subclass, which takes the public path."""
    # Exact class checks: isinstance against the Target ABC is slow, and a
    # subclass may change the rules, so it takes the public path.
    cls = target.__class__
    if cls is BusinessDays:
        assert calendar is not None
        return _business_days_due_us(cast(BusinessDays, target), calendar, received_us)
    if cls is BusinessHours:
        assert calendar is not None
        return calendar._add_us(received_us, target._us)  # type: ignore[attr-defined]
    if cls is Hours:
        hours = cast(Hours, target)
        start = received_us
        if hours.starts == "next_opening":
            assert calendar is not None
            start = calendar._next_opening_us(received_us)
        return start + round(hours.amount * _US_PER_HOUR)
    if cls is Days:
        whole_days = cast(Days, target)
        tz = received.tzinfo if calendar is None else calendar.tz
        assert tz is not None
        if whole_days.starts == "next_opening":
            assert calendar is not None
            local = from_us(calendar._next_opening_us(received_us), tz)
        else:
            # From the instant, not the datetime's fields: a wall time in
            # a spring-forward gap names the instant an hour later.
            local = from_us(received_us, tz)
        day = dt.date.fromordinal(local.toordinal() + whole_days.n)
        return local_us(day, wall_time_us(local), tz)
    return None


def _business_days_due_us(
    target: BusinessDays, calendar: BusinessCalendar, received: int
) -> int:
    """``BusinessDays.due`` on integers (the same steps, without the
    conversions to and from datetimes at either end)."""
    if target.at == "close" and target.cutoff is None:
        return calendar._close_after_us(received, target.n)
    start = target._start_us(calendar, received)
    k, index = calendar._business_day_after(start, target.n)
    at = target.at
    if at == "close":
        return index.day_close[k]
    tz = calendar.tz
    day = dt.date.fromordinal(index.days[k])
    if at == "same_time":
        same_time = local_us(day, wall_time_us(from_us(start, tz)), tz)
        due = min(same_time, index.day_close[k])
    else:
        assert isinstance(at, dt.time)
        due = local_us(day, time_us(at), tz)
    return max(due, start)


def clock_elapsed_us(
    target: Target, calendar: BusinessCalendar | None, a: int, b: int
) -> int:
    """Time from ``a`` to ``b`` on the target's clock; ``target.elapsed``."""
    if target.business:
        assert calendar is not None
        return calendar._elapsed_us(a, b)
    return b - a


def clock_add_us(
    target: Target, calendar: BusinessCalendar | None, t: int, amount: int
) -> int:
    """Instant ``t`` moved later by ``amount`` (> 0) on the target's clock."""
    if target.business:
        assert calendar is not None
        return calendar._add_us(t, amount)
    return t + amount
