"""Conversions between aware datetimes and integer instants.

An instant is a whole number of microseconds since 1970-01-01 00:00 UTC.
Wall-clock times are turned into instants with slacalc's fixed rules: a time
that does not exist (in a spring-forward gap) shifts forward by the length of
the gap, and a time that exists twice (in a fall-back fold) takes the
earlier instant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from slacalc.errors import NaiveDatetimeError

__all__ = [
    "EPOCH",
    "EPOCH_ORDINAL",
    "US_PER_DAY",
    "boundary_us",
    "from_us",
    "local_midnight_us",
    "local_us",
    "time_us",
    "timedelta_us",
    "to_us",
    "wall_time_us",
]

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
US_PER_DAY = 86_400_000_000
#: The proleptic Gregorian ordinal of 1970-01-01, the day of ``EPOCH``.
EPOCH_ORDINAL = 719_163


def to_us(t: Any, argument: str) -> int:
    """The instant of an aware datetime; ``argument`` names it in errors."""
    try:
        delta = t - EPOCH
    except TypeError:
        delta = None
    if not isinstance(delta, dt.timedelta) or not isinstance(t, dt.datetime):
        if isinstance(t, dt.datetime):
            raise NaiveDatetimeError(
                f"{argument} must be a timezone-aware datetime, got {t!r}; attach "
                f"a zone, for example {argument}.replace(tzinfo=ZoneInfo('UTC'))"
            ) from None
        raise TypeError(
            f"{argument} must be a timezone-aware datetime.datetime, got {t!r}"
        )
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


# Below this many microseconds from the epoch (about the year 2242), a float
# of seconds is within half a microsecond of the instant, so the fast
# float conversion rounds back to it exactly.
_FLOAT_EXACT_US = 8_000_000_000_000_000


def from_us(us: int, tz: dt.tzinfo) -> dt.datetime:
    """The aware datetime in zone ``tz`` of instant ``us``."""
    if -_FLOAT_EXACT_US < us < _FLOAT_EXACT_US:
        return dt.datetime.fromtimestamp(us / 1e6, tz)
    return (EPOCH + dt.timedelta(microseconds=us)).astimezone(tz)


def local_us(day: dt.date, us_of_day: int, tz: dt.tzinfo) -> int:
    """The instant of a wall-clock time on a local date (24:00 allowed).

    A time in a gap shifts forward by the gap; one in a fold takes the
    earlier instant.
    """
    if us_of_day >= US_PER_DAY:
        day = day + dt.timedelta(days=us_of_day // US_PER_DAY)
        us_of_day %= US_PER_DAY
    seconds, micro = divmod(us_of_day, 1_000_000)
    minutes, second = divmod(seconds, 60)
    wall = dt.datetime(
        day.year,
        day.month,
        day.day,
        minutes // 60,
        minutes % 60,
        second,
        micro,
        tzinfo=tz,
    )
    # fold=0 reads a time in a gap with the offset before the transition,
    # which lands the length of the gap later on the clock: the forward shift.
    return to_us(wall, "wall-clock time")


def boundary_us(day: dt.date, us_of_day: int, tz: dt.tzinfo) -> int:
    """The instant at which the clock first reads a wall time on a date.

    This is how opening hours meet DST: a time in a fold takes its earlier
    instant, and a time in a gap (an office opening at 02:30 on a
    spring-forward night) is the instant the clock jumps past it, since the
    office is open as soon as the clock reads its opening time or later.
    """
    shifted = local_us(day, us_of_day, tz)
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(microseconds=us_of_day)
    overshoot = from_us(shifted, tz).replace(tzinfo=None) - wall
    if not overshoot:
        return shifted
    # In a gap: bisect for the first instant whose wall time is not earlier.
    lo, hi = shifted - timedelta_us(overshoot, "gap"), shifted
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if from_us(mid, tz).replace(tzinfo=None) >= wall:
            hi = mid
        else:
            lo = mid
    return hi


def local_midnight_us(day: dt.date, tz: dt.tzinfo) -> int:
    """The instant at which local date ``day`` starts."""
    return local_us(day, 0, tz)


def timedelta_us(value: Any, argument: str) -> int:
    """Whole microseconds of a ``timedelta``; ``argument`` names it in errors."""
    if not isinstance(value, dt.timedelta):
        raise TypeError(f"{argument} must be a datetime.timedelta, got {value!r}")
    return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds


def wall_time_us(t: dt.datetime) -> int:
    """Microseconds since local midnight of a datetime's wall-clock time."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def time_us(t: dt.time) -> int:
    """Microseconds since midnight of a ``datetime.time``."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond
