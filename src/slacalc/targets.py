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
import decimal
import math
import re
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
_STARTS = ("at_receipt", "next_opening")


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


def _check_starts(
    instance: object, attribute: attrs.Attribute[str], value: str
) -> None:
    if value not in _STARTS:
        raise TargetError(
            f"starts must be 'at_receipt' or 'next_opening', got {value!r}"
        )


def _clock_text(value: dt.time) -> str:
    text = f"{value.hour:02d}:{value.minute:02d}"
    if value.second or value.microsecond:
        text += f":{value.second:02d}"
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text


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


def _hours_amount(value: object) -> int | float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
        or value < 0
    ):
        raise TargetError(f"amount must be a number of hours >= 0, got {value!r}")
    # Subclasses (numpy.float64) become the builtin, whose text is known.
    return int(value) if isinstance(value, int) else float(value)


def _days_amount(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TargetError(f"n must be a whole number of days >= 0, got {value!r}")
    return int(value)


def _number_text(amount: int | float) -> str:
    """``amount`` as a plain decimal that reads back as the same number.

    A whole amount is written as its exact integer. Any other float is
    written with the digits of its ``repr`` (the shortest that round-trip),
    without an exponent: ``1e-05`` is ``0.00001``.
    """
    if isinstance(amount, int):
        return str(amount)
    if amount.is_integer():
        return str(int(amount))
    return format(decimal.Decimal(repr(abs(amount))).normalize(), "f")


def _amount_text(amount: int | float, unit: str) -> str:
    return f"{_number_text(amount)} {unit}{'' if amount == 1 else 's'}"


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

    amount: int | float = attrs.field(converter=_hours_amount)
    starts: Starts = attrs.field(default="at_receipt", validator=_check_starts)

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
        text = _amount_text(self.amount, "hour")
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

    n: int = attrs.field(converter=_days_amount)
    starts: Starts = attrs.field(default="at_receipt", validator=_check_starts)

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
        text = _amount_text(self.n, "day")
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

    amount: int | float = attrs.field(converter=_hours_amount)
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
        return _amount_text(self.amount, "business hour")


def _check_at(instance: object, attribute: attrs.Attribute[At], value: At) -> None:
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise TargetError(
                f"at must be a wall-clock time without a zone, got {value!r}"
            )
    elif value not in ("close", "same_time"):
        raise TargetError(
            f"at must be 'close', 'same_time' or a datetime.time, got {value!r}"
        )


def _check_cutoff(
    instance: object, attribute: attrs.Attribute[dt.time | None], value: object
) -> None:
    if value is not None and (not isinstance(value, dt.time) or value.tzinfo):
        raise TargetError(
            f"cutoff must be a wall-clock datetime.time such as time(15, 0) or "
            f"None, got {value!r}"
        )


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

    n: int = attrs.field(converter=_days_amount)
    at: At = attrs.field(default="close", validator=_check_at)
    cutoff: dt.time | None = attrs.field(default=None, validator=_check_cutoff)
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
        text = _amount_text(self.n, "business day")
        if self.at == "same_time":
            text += " at same time"
        elif isinstance(self.at, dt.time):
            text += f" by {_clock_text(self.at)}"
        if self.cutoff is not None:
            text += f", cutoff {_clock_text(self.cutoff)}"
        return text


_CLOCK = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?|noon"
_TARGET_RE = re.compile(
    rf"""^\s*(?:(?P<n>\d+(?:\.\d+)?|an?|one|next)\s+)?
    (?P<unit>business\s+hours?|business\s+days?|work(?:ing)?\s+days?
        |work\s*weeks?|calendar\s+days?|hours?|days?|weeks?)
    (?:\s+(?:by\s+(?P<by>{_CLOCK})|at\s+(?P<at>close|same\s+time|{_CLOCK})))?
    (?:\s*,?\s*cut-?off\s+(?P<cutoff>{_CLOCK}))?
    (?:\s+(?P<from>from\s+next\s+opening))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_BUSINESS_DAY_UNITS = (
    "business day",
    "working day",
    "work day",
    "work week",
    "workweek",
)
_TARGET_HELP = (
    "text like '24 hours', '30 days', '8 business hours', '5 business days', "
    "'1 business day by 12:00' or '2 business days, cutoff 15:00'"
)


def _parse_clock(text: str) -> dt.time:
    if text.lower() == "noon":
        return dt.time(12)
    clock, _, fraction = text.partition(".")
    hour, minute, *rest = (int(part) for part in clock.split(":"))
    second = rest[0] if rest else 0
    if hour > 23 or minute > 59 or second > 59:
        raise TargetError(
            f"text must use clock times from 00:00 to 23:59, got {text!r}"
        )
    return dt.time(hour, minute, second, int(fraction.ljust(6, "0")))


def parse_target(text: str) -> Target:
    """Read a target from its text form, the inverse of ``str(target)``.

    Accepts ``"<n> hours"``, ``"<n> days"`` (or ``calendar days``, ``weeks``),
    ``"<n> business hours"``, ``"<n> business days"`` (or ``working days``,
    ``work weeks``), optionally ``by HH:MM``, ``at close``, ``at same time``,
    ``, cutoff HH:MM`` for business days and ``from next opening`` for hours
    and days. ``next business day`` means one. An amount is digits with an
    optional decimal fraction (``1.5``, ``0.00001``; no exponent), a clock
    time ``HH:MM``, ``HH:MM:SS`` or ``HH:MM:SS.ffffff``. The text of every
    target reads back as an equal target.

    Raises:
        TargetError: when the text cannot be read.

    Examples:
        >>> parse_target("5 business days") == BusinessDays(5)
        True
        >>> str(Hours(1e-05)), parse_target(str(Hours(1e-05))) == Hours(1e-05)
        ('0.00001 hours', True)
        >>> parse_target("next business day by noon")
        BusinessDays(n=1, at=datetime.time(12, 0), cutoff=None)
        >>> str(parse_target("24 hours from next opening"))
        '24 hours from next opening'
    """
    if not isinstance(text, str):
        raise TargetError(f"text must be {_TARGET_HELP}, got {text!r}")
    match = _TARGET_RE.match(text)
    if match is None:
        raise TargetError(f"text must be {_TARGET_HELP}, got {text!r}")
    raw_n = (match["n"] or "1").lower()
    number = "1" if raw_n in ("a", "an", "one", "next") else raw_n
    unit = re.sub(r"\s+", " ", match["unit"].lower()).rstrip("s")
    business_days = unit in _BUSINESS_DAY_UNITS
    if (match["by"] or match["at"] or match["cutoff"]) and not business_days:
        raise TargetError(
            f"text may use 'by', 'at' and 'cutoff' only with business days, "
            f"got {text!r}"
        )
    if match["from"] and unit.startswith(("business", "work")):
        raise TargetError(
            f"text may use 'from next opening' only with hours or days, got {text!r}; "
            "business targets always start at the next opening"
        )
    starts: Starts = "next_opening" if match["from"] else "at_receipt"
    if unit == "business hour":
        return BusinessHours(_hours_number(number))
    if unit == "hour":
        return Hours(_hours_number(number), starts=starts)
    if unit in ("day", "calendar day", "week"):
        factor = 7 if unit == "week" else 1
        return Days(_days_number(number, text) * factor, starts=starts)
    factor = 5 if "week" in unit else 1
    at: At = "close"
    when = re.sub(r"\s+", " ", (match["by"] or match["at"] or "close").lower())
    if when == "same time":
        at = "same_time"
    elif when != "close":
        at = _parse_clock(when)
    cutoff = _parse_clock(match["cutoff"]) if match["cutoff"] else None
    n = _days_number(number, text) * factor
    return BusinessDays(n, at=at, cutoff=cutoff)


def _hours_number(number: str) -> int | float:
    """The amount written as ``number`` (digits, maybe a decimal fraction):
    the exact int when it is whole, else the nearest float."""
    exact = decimal.Decimal(number)
    return int(exact) if exact == exact.to_integral_value() else float(number)


def _days_number(number: str, text: str) -> int:
    value = _hours_number(number)
    if isinstance(value, float):
        raise TargetError(f"text must give a whole number of days, got {text!r}")
    return value
