"""SLA targets: how long a request may take, on which clock.

Four targets cover what 311 SLAs say:

- :class:`Hours`: absolute hours, nights and holidays included;
- :class:`Days`: the same local wall-clock time some calendar days later;
- :class:`BusinessHours`: hours of open time;
- :class:`BusinessDays`: by the close (or a set time) of the n-th business
  day after the day the clock starts.

Each has a ``str`` form that :func:`parse_target` reads back.
"""

from __future__ import annotations

import datetime as dt
import math
from abc import ABC, abstractmethod
from typing import Literal, TypeAlias

import attrs

from slacalc._instants import (
    from_us,
    local_us,
    time_us,
    timedelta_us,
    to_us,
    wall_time_us,
)
from slacalc._target_checks import (
    check_at,
    check_cutoff,
    check_starts,
    days_amount,
    hours_amount,
)
from slacalc._target_text import amount_text, clock_text, parse_target
from slacalc.calendar import BusinessCalendar
from slacalc.errors import TargetError

__all__ = [
    "At",
    "BusinessDays",
    "BusinessHours",
    "Days",
    "Hours",
    "Starts",
    "Target",
    "parse_target",
]

#: When an absolute-clock target starts: at receipt, or at the next opening.
Starts: TypeAlias = Literal["at_receipt", "next_opening"]
#: When on its last day a business-days target falls due.
At: TypeAlias = 'Literal["close", "same_time"] | dt.time'

_US_PER_HOUR = 3_600_000_000


def _require_calendar(
    calendar: BusinessCalendar | None, target: Target
) -> BusinessCalendar:
    if calendar.__class__ is not BusinessCalendar and not isinstance(
        calendar, BusinessCalendar
    ):
        raise TargetError(
            f"calendar must be a BusinessCalendar for the target {str(target)!r}, "
            f"got {calendar!r}"
        )
    return calendar


def _zone_of(received: dt.datetime, calendar: BusinessCalendar | None) -> dt.tzinfo:
    if calendar is not None:
        return calendar.tz
    assert received.tzinfo is not None
    return received.tzinfo


class Target(ABC):
    """An SLA target: an amount of time on a clock.

    Subclasses are :class:`Hours`, :class:`Days`, :class:`BusinessHours` and
    :class:`BusinessDays`.

    Examples:
        >>> isinstance(parse_target("24 hours"), Target)
        True
    """

    #: Whether the target counts open time (True) or absolute time (False).
    business: bool = False

    @abstractmethod
    def due(
        self, received: dt.datetime, calendar: BusinessCalendar | None = None
    ) -> dt.datetime:
        """The due instant of a request received at ``received``."""

    def start(
        self, received: dt.datetime, calendar: BusinessCalendar | None = None
    ) -> dt.datetime:
        """The instant the clock starts for a request received at ``received``.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("UTC", "Mon-Fri 08:00-16:00")
            >>> sat = dt.datetime(2026, 12, 5, 10, tzinfo=dt.timezone.utc)
            >>> BusinessHours(4).start(sat, cal).isoformat()
            '2026-12-07T08:00:00+00:00'
        """
        us = to_us(received, "received")
        if self._starts_at_opening():
            cal = _require_calendar(calendar, self)
            return from_us(cal._next_opening_us(us), cal.tz)
        return from_us(us, _zone_of(received, calendar))

    def elapsed(
        self,
        a: dt.datetime,
        b: dt.datetime,
        calendar: BusinessCalendar | None = None,
    ) -> dt.timedelta:
        """Time between ``a`` and ``b`` on this target's clock (signed).

        Open time for business targets, absolute time for the others.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("UTC", "Mon-Fri 08:00-16:00")
            >>> fri = dt.datetime(2026, 12, 4, 15, tzinfo=dt.timezone.utc)
            >>> mon = dt.datetime(2026, 12, 7, 9, tzinfo=dt.timezone.utc)
            >>> BusinessHours(8).elapsed(fri, mon, cal)
            datetime.timedelta(seconds=7200)
            >>> Hours(8).elapsed(fri, mon)
            datetime.timedelta(days=2, seconds=64800)
        """
        if self.business:
            return _require_calendar(calendar, self).elapsed(a, b)
        # By instants: Python subtracts two datetimes of one zone by their
        # wall clocks, an hour off across a DST change.
        return dt.timedelta(microseconds=to_us(b, "b") - to_us(a, "a"))

    def extend(
        self,
        t: dt.datetime,
        amount: dt.timedelta,
        calendar: BusinessCalendar | None = None,
    ) -> dt.datetime:
        """Move instant ``t`` later by ``amount`` on this target's clock.

        Used to push a due date out by the time a request was paused.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("UTC", "Mon-Fri 08:00-16:00")
            >>> fri = dt.datetime(2026, 12, 4, 15, tzinfo=dt.timezone.utc)
            >>> BusinessDays(1).extend(fri, dt.timedelta(hours=2), cal).isoformat()
            '2026-12-07T09:00:00+00:00'
        """
        if self.business:
            return _require_calendar(calendar, self).add(t, amount)
        later = to_us(t, "t") + timedelta_us(amount, "amount")
        return from_us(later, _zone_of(t, calendar))

    def _starts_at_opening(self) -> bool:
        return self.business or getattr(self, "starts", "at_receipt") == "next_opening"


@attrs.frozen
class Hours(Target):
    """``amount`` hours of absolute time, nights and holidays included.

    Across the spring DST change, 24 hours after Saturday 12:00 is Sunday
    13:00 local time.

    Args:
        amount: hours, >= 0 (fractions allowed, exact to the microsecond).
        starts: ``"at_receipt"`` (default) or ``"next_opening"``, to start the
            clock at the calendar's next opening when received while closed.

    Examples:
        >>> import datetime as dt
        >>> from zoneinfo import ZoneInfo
        >>> sat = dt.datetime(2026, 3, 7, 12, tzinfo=ZoneInfo("America/Chicago"))
        >>> Hours(24).due(sat).isoformat()
        '2026-03-08T13:00:00-05:00'
    """

    amount: int | float = attrs.field(converter=hours_amount)
    starts: Starts = attrs.field(default="at_receipt", validator=check_starts)

    def due(
        self, received: dt.datetime, calendar: BusinessCalendar | None = None
    ) -> dt.datetime:
        """The instant ``amount`` hours after the clock starts.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("UTC", "Mon-Fri 08:00-16:00")
            >>> sat = dt.datetime(2026, 12, 5, 10, tzinfo=dt.timezone.utc)
            >>> Hours(2, starts="next_opening").due(sat, cal).isoformat()
            '2026-12-07T10:00:00+00:00'
        """
        start = self.start(received, calendar)
        us = to_us(start, "received") + round(self.amount * _US_PER_HOUR)
        return from_us(us, _zone_of(received, calendar))

    def __str__(self) -> str:
        text = amount_text(self.amount, "hour")
        return text + (" from next opening" if self.starts == "next_opening" else "")


@attrs.frozen
class Days(Target):
    """The same local wall-clock time ``n`` calendar days later.

    A wall time that does not exist on the due date shifts forward by the
    length of the gap (02:30 on a spring-forward night becomes 03:30); one
    that exists twice takes the earlier instant. The zone is the calendar's,
    or the received instant's when no calendar is given.

    Args:
        n: calendar days, >= 0.
        starts: ``"at_receipt"`` (default) or ``"next_opening"``.

    Examples:
        >>> import datetime as dt
        >>> from zoneinfo import ZoneInfo
        >>> sat = dt.datetime(2026, 3, 7, 12, tzinfo=ZoneInfo("America/Chicago"))
        >>> Days(1).due(sat).isoformat()
        '2026-03-08T12:00:00-05:00'
    """

    n: int = attrs.field(converter=days_amount)
    starts: Starts = attrs.field(default="at_receipt", validator=check_starts)

    def due(
        self, received: dt.datetime, calendar: BusinessCalendar | None = None
    ) -> dt.datetime:
        """The same wall-clock time ``n`` days after the clock starts.

        Examples:
            >>> import datetime as dt
            >>> from zoneinfo import ZoneInfo
            >>> t = dt.datetime(2026, 3, 7, 2, 30, tzinfo=ZoneInfo("America/Chicago"))
            >>> Days(1).due(t).isoformat()
            '2026-03-08T03:30:00-05:00'
        """
        start = self.start(received, calendar)
        tz = _zone_of(received, calendar)
        local = start.astimezone(tz)
        day = local.date() + dt.timedelta(days=self.n)
        return from_us(local_us(day, wall_time_us(local), tz), tz)

    def __str__(self) -> str:
        text = amount_text(self.n, "day")
        return text + (" from next opening" if self.starts == "next_opening" else "")


@attrs.frozen
class BusinessHours(Target):
    """``amount`` hours of open time, counted from the next opening.

    Examples:
        >>> import datetime as dt, holidays
        >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30",
        ...                        holidays=holidays.US(subdiv="MN"))
        >>> thu = dt.datetime(2026, 7, 2, 15, tzinfo=cal.tz)
        >>> BusinessHours(8).due(thu, cal).isoformat()
        '2026-07-06T14:30:00-05:00'
    """

    amount: int | float = attrs.field(converter=hours_amount)
    _us: int = attrs.field(init=False, eq=False, repr=False)
    business = True

    @_us.default
    def _amount_us(self) -> int:
        us = self.amount * _US_PER_HOUR
        if isinstance(us, float) and not math.isfinite(us):
            # A float this large is whole: its microseconds are exact.
            return int(self.amount) * _US_PER_HOUR
        return round(us)

    def due(
        self, received: dt.datetime, calendar: BusinessCalendar | None = None
    ) -> dt.datetime:
        """The instant ``amount`` hours of open time after the next opening.

        A due date that lands exactly on a close is that close.
        """
        cal = _require_calendar(calendar, self)
        return from_us(cal._add_us(to_us(received, "received"), self._us), cal.tz)

    def __str__(self) -> str:
        return amount_text(self.amount, "business hour")


@attrs.frozen
class BusinessDays(Target):
    """Due on the ``n``-th business day after the day the clock starts.

    The clock starts at the next opening. "Within one work week" is
    ``BusinessDays(5)``: by the close of the fifth business day after the
    day of receipt.

    Args:
        n: business days, >= 0 (0 means the same business day).
        at: ``"close"`` (default): the last close of that day;
            ``"same_time"``: the wall-clock time the clock started, clamped
            to that day's close; or a ``datetime.time``, a fixed local time
            ("next business day by noon").
        cutoff: a wall-clock time; a clock that starts at or after it starts
            on the next business day instead.

    Examples:
        >>> import datetime as dt, holidays
        >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30",
        ...                        holidays=holidays.US(subdiv="MN"))
        >>> fri = dt.datetime(2026, 11, 20, 10, tzinfo=cal.tz)
        >>> BusinessDays(5).due(fri, cal).isoformat()
        '2026-11-30T16:30:00-06:00'
    """

    n: int = attrs.field(converter=days_amount)
    at: At = attrs.field(default="close", validator=check_at)
    cutoff: dt.time | None = attrs.field(default=None, validator=check_cutoff)
    business = True

    def start(
        self, received: dt.datetime, calendar: BusinessCalendar | None = None
    ) -> dt.datetime:
        """The instant the clock starts, after the cut-off rule.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("UTC", "Mon-Fri 08:00-16:00")
            >>> fri = dt.datetime(2026, 12, 4, 15, 30, tzinfo=dt.timezone.utc)
            >>> BusinessDays(1, cutoff=dt.time(15)).start(fri, cal).isoformat()
            '2026-12-07T08:00:00+00:00'
        """
        cal = _require_calendar(calendar, self)
        return from_us(self._start_us(cal, to_us(received, "received")), cal.tz)

    def _start_us(self, cal: BusinessCalendar, received: int) -> int:
        start = cal._next_opening_us(received)
        cutoff = self.cutoff
        if cutoff is not None and wall_time_us(from_us(start, cal.tz)) >= time_us(
            cutoff
        ):
            k, index = cal._business_day_after(start, 1)
            start = index.day_open[k]
        return start

    def due(
        self, received: dt.datetime, calendar: BusinessCalendar | None = None
    ) -> dt.datetime:
        """The due instant on the ``n``-th business day after the start day.

        A due date never precedes the start of the clock.
        """
        cal = _require_calendar(calendar, self)
        tz = cal.tz
        if self.at == "close" and self.cutoff is None:
            return from_us(cal._close_after_us(to_us(received, "received"), self.n), tz)
        start = self._start_us(cal, to_us(received, "received"))
        k, index = cal._business_day_after(start, self.n)
        at = self.at
        if at == "close":
            return from_us(index.day_close[k], tz)
        day = dt.date.fromordinal(index.days[k])
        if at == "same_time":
            local_start = wall_time_us(from_us(start, tz))
            due = min(local_us(day, local_start, tz), index.day_close[k])
        else:
            assert isinstance(at, dt.time)
            due = local_us(day, time_us(at), tz)
        return from_us(max(due, start), tz)

    def __str__(self) -> str:
        text = amount_text(self.n, "business day")
        if self.at == "same_time":
            text += " at same time"
        elif isinstance(self.at, dt.time):
            text += f" by {clock_text(self.at)}"
        if self.cutoff is not None:
            text += f", cutoff {clock_text(self.cutoff)}"
        return text
