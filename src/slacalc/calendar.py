"""Business calendars: opening hours, holidays, half days and closures."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

import attrs

from slacalc._calendar_compile import compile_year
from slacalc._dates import zone
from slacalc._holidays import HolidaySource
from slacalc._instants import from_us, local_us, timedelta_us, to_us
from slacalc._timeline import Index, Timeline
from slacalc.errors import CalendarError
from slacalc.hours import DayHours, WeeklyHours, format_day_hours, parse_day_hours

__all__ = ["BusinessCalendar", "Closure"]

_NOON_US = 12 * 3_600_000_000
_OFFICE_HOURS = WeeklyHours.parse("Mon-Fri 09:00-17:00")


def _zone(value: object) -> dt.tzinfo:
    return zone(value, "tz", CalendarError)


def _start_instant(value: object) -> dt.datetime:
    to_us(value, "start")
    assert isinstance(value, dt.datetime)
    return value


def _end_instant(value: object) -> dt.datetime:
    to_us(value, "end")
    assert isinstance(value, dt.datetime)
    return value


def _instant(value: dt.datetime) -> int:
    # Closures compare by instant: datetimes in one zone compare by wall
    # clock and ignore ``fold``, so the two 01:30s of a fall-back night
    # would be taken for the same time.
    return to_us(value, "instant")


@attrs.frozen
class Closure:
    """An emergency closure: the office is closed from ``start`` to ``end``.

    Attributes:
        start: the aware instant the closure begins.
        end: the aware instant it ends, not before ``start``. The two are
            compared as instants: their zones may differ, and ``fold`` tells
            the two readings of a fall-back hour apart. An empty closure
            (02:00 to 03:00 on a spring-forward night, when that hour is
            skipped) closes nothing.
        reason: why, shown in explanations ("snow", "power outage").

    Two closures are equal when they span the same instants for the same
    reason, whatever the zones they were given in.

    Raises:
        NaiveDatetimeError: when ``start`` or ``end`` has no zone.
        CalendarError: when ``end`` is before ``start``.

    Examples:
        >>> import datetime as dt
        >>> from zoneinfo import ZoneInfo
        >>> chicago = ZoneInfo("America/Chicago")
        >>> snow = Closure(dt.datetime(2026, 1, 6, 12, tzinfo=chicago),
        ...                dt.datetime(2026, 1, 7, tzinfo=chicago), reason="snow")
        >>> snow.reason
        'snow'
    """

    start: dt.datetime = attrs.field(converter=_start_instant, eq=_instant)
    end: dt.datetime = attrs.field(converter=_end_instant, eq=_instant)
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        length = _instant(self.end) - _instant(self.start)
        if length < 0:
            raise CalendarError(
                f"end must not be before start ({self.start.isoformat()}), got "
                f"{self.end.isoformat()}, {dt.timedelta(microseconds=-length)} "
                f"before it",
                argument="end",
                value=self.end,
            )

    def __repr__(self) -> str:
        # Instants in ISO form: the offset tells the two readings of a
        # fall-back hour apart, where a datetime's repr shows only fold=1.
        reason = f", reason={self.reason!r}" if self.reason else ""
        return f"Closure({self.start.isoformat()}, {self.end.isoformat()}{reason})"


def _closures(value: object) -> tuple[Closure, ...]:
    if value is None:
        return ()
    if not isinstance(value, Iterable):
        raise CalendarError(f"closures must be a list of Closure, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, Closure):
            raise CalendarError(f"closures must hold Closure values, got {item!r}")
    return tuple(
        sorted(items, key=lambda c: (_instant(c.start), _instant(c.end), c.reason))
    )


def _special_hours(value: object) -> tuple[tuple[dt.date, DayHours], ...]:
    if value is None:
        return ()
    if isinstance(value, tuple) and all(
        isinstance(pair, tuple) and len(pair) == 2 for pair in value
    ):
        value = {day: [_day_text(hours)] for day, hours in value}
    if not isinstance(value, Mapping):
        raise CalendarError(
            f"special_hours must be a mapping of date to hours such as "
            f"{{date(2026, 12, 24): '08:00-12:00'}}, got {value!r}"
        )
    pairs = []
    for day, hours in value.items():
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise CalendarError(
                f"special_hours keys must be datetime.date values, got {day!r}"
            )
        pairs.append((day, parse_day_hours(hours, f"special_hours[{day}]")))
    return tuple(sorted(pairs))


def _day_text(hours: object) -> str:
    """Text for day hours already in their compiled form (for evolve)."""
    return format_day_hours(hours if isinstance(hours, tuple) else ())


def _local_holidays(value: object) -> HolidaySource:
    return HolidaySource(value, "local_holidays")


def _weekly(value: object) -> WeeklyHours:
    hours = WeeklyHours.coerce(value)
    if hours.weekly_open_us() == 0:
        raise CalendarError(
            f"hours must have some open time in the week, got {str(hours)!r}"
        )
    return hours


@attrs.frozen
class BusinessCalendar:
    """When an office is open: weekly hours, holidays, half days and closures.

    A calendar is immutable, hashable and safe to share between threads. Its
    open intervals are compiled lazily, a local year at a time, into an
    index that answers each question with a few bisections. It pickles
    (for Dask or multiprocessing) without that index: a loaded copy
    compiles its own.

    Dates are read in the calendar's zone: a holiday closes its whole local
    date; ``special_hours`` replace the weekly hours (and any holiday) on
    their date, for half days or an extra working Saturday; a closure
    removes the time between two instants.

    Args:
        tz: an IANA zone name such as ``"America/Chicago"``, or a ``tzinfo``.
        hours: weekly hours as text (``"Mon-Fri 08:00-16:30"``), a mapping or
            :class:`~slacalc.WeeklyHours`; must have some open time.
        holidays: a ``holidays.HolidayBase`` (years generated on demand), an
            iterable of dates or a mapping of date to name.
        local_holidays: further closed dates, as dates or date to name.
        special_hours: date to that date's hours (``"08:00-12:00"``,
            ``"closed"``); these intervals may not cross midnight.
        closures: :class:`Closure` spans between two instants.

    Raises:
        CalendarError: naming the argument that cannot be used.

    Examples:
        >>> import datetime as dt
        >>> import holidays
        >>> cal = BusinessCalendar(
        ...     tz="America/Chicago",
        ...     hours="Mon-Fri 08:00-16:30",
        ...     holidays=holidays.US(subdiv="MN"),
        ... )
        >>> fri = dt.datetime(2026, 11, 20, 16, 0, tzinfo=cal.tz)
        >>> cal.elapsed(fri, fri + dt.timedelta(days=3, hours=-7))
        datetime.timedelta(seconds=5400)
    """

    tz: dt.tzinfo = attrs.field(converter=_zone)
    hours: WeeklyHours = attrs.field(default=_OFFICE_HOURS, converter=_weekly)
    holidays: HolidaySource = attrs.field(default=None, converter=HolidaySource)
    local_holidays: HolidaySource = attrs.field(default=None, converter=_local_holidays)
    special_hours: tuple[tuple[dt.date, DayHours], ...] = attrs.field(
        default=None, converter=_special_hours
    )
    closures: tuple[Closure, ...] = attrs.field(default=(), converter=_closures)
    _timeline: Timeline = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "_timeline", Timeline(partial(compile_year, self), self._year_of)
        )

    # Pickling: the compiled timeline (and its lock) stays behind, and the
    # copy compiles its own on first use.

    def __getstate__(self) -> dict[str, object]:
        fields = attrs.fields(BusinessCalendar)
        return {f.name: getattr(self, f.name) for f in fields if f.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__attrs_post_init__()

    @classmethod
    def always(cls, tz: Any) -> BusinessCalendar:
        """A calendar open every instant, for targets on the absolute clock.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar.always("UTC")
            >>> t = dt.datetime(2026, 12, 25, 3, tzinfo=dt.timezone.utc)
            >>> cal.add(t, dt.timedelta(hours=30)) - t
            datetime.timedelta(days=1, seconds=21600)
        """
        return cls(tz=tz, hours="daily 00:00-24:00")

    def __repr__(self) -> str:
        """The zone, then the arguments not left at their defaults, hours
        as text and dates in ISO form.

        Examples:
            >>> import datetime as dt
            >>> import holidays
            >>> BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30",
            ...                  holidays=holidays.US(subdiv="MN"),
            ...                  local_holidays=[dt.date(2026, 11, 27)],
            ...                  special_hours={dt.date(2026, 12, 24): "08:00-12:00"})
            BusinessCalendar('America/Chicago', 'Mon-Fri 08:00-16:30', \
holidays=HolidaySource(US, subdiv='MN'), \
local_holidays=HolidaySource(1 date, 2026-11-27), \
special_hours={2026-12-24: '08:00-12:00'})
            >>> BusinessCalendar("UTC")
            BusinessCalendar('UTC')
        """
        key = getattr(self.tz, "key", None)
        zone = key if isinstance(self.tz, zoneinfo.ZoneInfo) and key else self.tz
        parts = [repr(zone)]
        if self.hours != _OFFICE_HOURS:
            parts.append(repr(str(self.hours)))
        no_holidays = HolidaySource()
        if self.holidays != no_holidays:
            parts.append(f"holidays={self.holidays!r}")
        if self.local_holidays != no_holidays:
            parts.append(f"local_holidays={self.local_holidays!r}")
        if self.special_hours:
            days = ", ".join(
                f"{day.isoformat()}: {format_day_hours(hours)!r}"
                for day, hours in self.special_hours
            )
            parts.append(f"special_hours={{{days}}}")
        if self.closures:
            parts.append(f"closures={list(self.closures)!r}")
        return f"BusinessCalendar({', '.join(parts)})"

    # Compiling

    def _year_of(self, us: int) -> int:
        return from_us(us, self.tz).year

    def _cover(self, us: int) -> Index:
        return self._timeline.cover(us)

    def _cover_both(self, a: int, b: int) -> Index:
        self._timeline.cover(a)
        index = self._timeline.cover(b)
        while not (index.lo <= a < index.hi):
            index = self._timeline.cover(a)
        return index

    # Instants

    def is_open(self, t: dt.datetime) -> bool:
        """Whether the office is open at instant ``t`` (opening hours are
        half-open: open at the opening, closed at the close).

        Raises:
            NaiveDatetimeError: when ``t`` has no zone.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
            >>> cal.is_open(dt.datetime(2026, 12, 3, 16, 30, tzinfo=cal.tz))
            False
        """
        us = to_us(t, "t")
        index = self._cover(us)
        i = bisect_right(index.starts, us) - 1
        return i >= 0 and us < index.ends[i]

    def next_opening(self, t: dt.datetime) -> dt.datetime:
        """The first open instant at or after ``t``, in the calendar's zone.

        Raises:
            NaiveDatetimeError: when ``t`` has no zone.
            ClosedTooLongError: when more than a year is closed after ``t``.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
            >>> cal.next_opening(dt.datetime(2026, 12, 4, 17, tzinfo=cal.tz))
            datetime.datetime(2026, 12, 7, 8, 0, tzinfo=zoneinfo.ZoneInfo(...))
        """
        return from_us(self._next_opening_us(to_us(t, "t")), self.tz)

    def _next_opening_us(self, us: int) -> int:
        index = self._timeline.index
        if index is None or not index.lo <= us < index.hi:
            index = self._timeline.cover(us)
        while not index.ends or index.ends[-1] <= us:
            last = index.ends[-1] if index.ends else index.lo
            index = self._timeline.grow_forward(index, max(last, us))
        i = bisect_right(index.starts, us) - 1
        if i >= 0 and us < index.ends[i]:
            return us
        if index.long_gaps:
            index.check_span(us, index.starts[i + 1])
        return index.starts[i + 1]

    def openings(
        self, a: dt.datetime, b: dt.datetime
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """The open spans between ``a`` and ``b``, clipped to ``[a, b)``.

        Touching intervals (a night shift running past midnight) come as one
        span.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("UTC", "Mon-Fri 08:00-12:00, 13:00-17:00")
            >>> t = dt.datetime(2026, 12, 3, 10, tzinfo=cal.tz)
            >>> spans = cal.openings(t, t + dt.timedelta(hours=5))
            >>> [(start.hour, end.hour) for start, end in spans]
            [(10, 12), (13, 15)]
        """
        ua, ub = to_us(a, "a"), to_us(b, "b")
        if ub <= ua:
            return []
        index = self._cover_both(ua, ub)
        first = max(bisect_right(index.starts, ua) - 1, 0)
        last = bisect_left(index.starts, ub)
        spans = []
        for i in range(first, last):
            start, end = max(index.starts[i], ua), min(index.ends[i], ub)
            if start < end:
                spans.append((from_us(start, self.tz), from_us(end, self.tz)))
        return spans

    def elapsed(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """The open time between ``a`` and ``b``; negative when ``b`` is earlier.

        It is additive: ``elapsed(a, b) + elapsed(b, c) == elapsed(a, c)``.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
            >>> fri = dt.datetime(2026, 11, 20, 16, tzinfo=cal.tz)
            >>> mon = dt.datetime(2026, 11, 23, 9, tzinfo=cal.tz)
            >>> cal.elapsed(fri, mon)
            datetime.timedelta(seconds=5400)
            >>> cal.elapsed(mon, fri) == -cal.elapsed(fri, mon)
            True
        """
        return dt.timedelta(microseconds=self._elapsed_us(to_us(a, "a"), to_us(b, "b")))

    def _elapsed_us(self, ua: int, ub: int) -> int:
        index = self._timeline.index
        if index is None or not (
            index.lo <= ua < index.hi and index.lo <= ub < index.hi
        ):
            index = self._cover_both(ua, ub)
        return index.position(ub) - index.position(ua)

    def add(self, t: dt.datetime, delta: dt.timedelta) -> dt.datetime:
        """The instant ``delta`` of open time after ``t`` (before, if negative).

        Counting starts at the next opening when ``t`` is closed. A result
        that lands exactly on a close is that close, not the next opening;
        going backwards, one that lands on an opening is that opening.
        Adding zero gives the next opening.

        Raises:
            NaiveDatetimeError: when ``t`` has no zone.
            ClosedTooLongError: when more than a year of closed time is met.

        Examples:
            >>> import datetime as dt
            >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
            >>> t = dt.datetime(2026, 12, 4, 8, tzinfo=cal.tz)
            >>> cal.add(t, dt.timedelta(hours=8, minutes=30)).isoformat()
            '2026-12-04T16:30:00-06:00'
        """
        us = to_us(t, "t")
        return from_us(self._add_us(us, timedelta_us(delta, "delta")), self.tz)

    def _add_us(self, us: int, delta: int) -> int:
        # The hot path of every business-hours due date: one snapshot, one
        # bisection to the position of ``us``, one back to an instant. A
        # closed instant has the position of the next opening.
        if delta == 0:
            return self._next_opening_us(us)
        index = self._timeline.index
        if index is None or not index.lo <= us < index.hi:
            index = self._timeline.cover(us)
        if delta > 0:
            while True:
                cum_end = index.cum_end
                pos = index.position(us) + delta
                if cum_end and pos <= cum_end[-1]:
                    j = bisect_left(cum_end, pos)
                    due = index.ends[j] - (cum_end[j] - pos)
                    if index.long_gaps:
                        index.check_span(us, due)
                    return due
                last = index.ends[-1] if index.ends else index.lo
                index = self._timeline.grow_forward(index, max(last, us))
        while True:
            pos = index.position(us) + delta
            if index.cum_start and pos >= 0:
                result = index.instant_opening(pos)
                if index.long_gaps:
                    index.check_span(result, us)
                return result
            first = index.starts[0] if index.starts else index.hi
            index = self._timeline.grow_backward(index, min(first, us))

    def _close_after_us(self, us: int, n: int) -> int:
        """The close of the ``n``-th business day after the day on which a
        clock starting at instant ``us`` starts: the hot path of
        ``BusinessDays(n)``."""
        index = self._timeline.index
        if index is not None and index.lo <= us < index.hi and not index.long_gaps:
            starts = index.starts
            i = bisect_right(starts, us) - 1
            if i < 0 or us >= index.ends[i]:
                i += 1
                if i == len(starts):
                    i = -1
                else:
                    us = starts[i]
            if i >= 0:
                k = bisect_right(index.day_open, us) - 1 + n
                if k < len(index.day_close):
                    return index.day_close[k]
        k, index = self._business_day_after(self._next_opening_us(us), n)
        return index.day_close[k]

    def _business_day_after(self, start: int, n: int) -> tuple[int, Index]:
        """The ``n``-th business day after the one holding open instant
        ``start``, as a position in the returned snapshot's ``days``."""
        index = self._timeline.index
        if index is None or not index.lo <= start < index.hi:
            index = self._timeline.cover(start)
        while True:
            k = bisect_right(index.day_open, start) - 1 + n
            if k < len(index.days):
                if index.long_gaps:
                    index.check_span(start, index.day_open[k])
                return k, index
            since = index.day_close[-1] if index.days else index.lo
            index = self._timeline.grow_forward(index, since)

    # Dates

    def _date_index(self, day: dt.date, argument: str) -> Index:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise TypeError(f"{argument} must be a datetime.date, got {day!r}")
        return self._cover(local_us(day, _NOON_US, self.tz))

    def is_business_day(self, day: dt.date) -> bool:
        """Whether local date ``day`` has any open time.

        Holidays, special hours and closures all count.

        Examples:
            >>> import datetime as dt, holidays
            >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30",
            ...                        holidays=holidays.US(subdiv="MN"))
            >>> cal.is_business_day(dt.date(2026, 11, 26))
            False
            >>> cal.is_business_day(dt.date(2026, 11, 27))
            True
        """
        index = self._date_index(day, "day")
        ordinal = day.toordinal()
        i = bisect_left(index.days, ordinal)
        return i < len(index.days) and index.days[i] == ordinal

    def add_business_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th business day after ``day`` (before it, if negative).

        ``day`` itself need not be a business day: the count starts from the
        days after it. With ``n == 0`` a business day is returned unchanged
        and any other day rolls forward to the next business day.

        Raises:
            ClosedTooLongError: when more than a year passes with no business day.

        Examples:
            >>> import datetime as dt, holidays
            >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30",
            ...                        holidays=holidays.US(subdiv="MN"))
            >>> cal.add_business_days(dt.date(2026, 11, 20), 5)
            datetime.date(2026, 11, 30)
        """
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"n must be a whole number of days, got {n!r}")
        index = self._date_index(day, "day")
        k, index = self._day_position(index, day.toordinal(), n)
        return dt.date.fromordinal(index.days[k])

    def _day_position(self, index: Index, ordinal: int, n: int) -> tuple[int, Index]:
        """Position in ``index.days`` of the ``n``-th business day from ``ordinal``."""
        timeline = self._timeline
        while True:
            if n > 0:
                k = bisect_right(index.days, ordinal) - 1 + n
            else:
                k = bisect_left(index.days, ordinal) + n
            if 0 <= k < len(index.days):
                if index.long_gaps:
                    day_us = local_us(dt.date.fromordinal(ordinal), _NOON_US, self.tz)
                    index.check_span(day_us, index.day_open[k])
                return k, index
            if k < 0:
                since = index.day_open[0] if index.days else index.hi
                index = timeline.grow_backward(index, since)
            else:
                since = index.day_close[-1] if index.days else index.lo
                index = timeline.grow_forward(index, since)

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of business days in ``[start, end)``; negative if
        ``end`` is earlier (then it counts ``[end, start)``).

        Examples:
            >>> import datetime as dt, holidays
            >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30",
            ...                        holidays=holidays.US(subdiv="MN"))
            >>> cal.business_days_between(dt.date(2026, 11, 23), dt.date(2026, 11, 30))
            4
        """
        self._date_index(start, "start")
        index = self._date_index(end, "end")
        while not (index.lo <= local_us(start, _NOON_US, self.tz) < index.hi):
            index = self._date_index(start, "start")
        return bisect_left(index.days, end.toordinal()) - bisect_left(
            index.days, start.toordinal()
        )

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the holiday on local date ``day``, or ``None``.

        Examples:
            >>> import datetime as dt, holidays
            >>> cal = BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30",
            ...                        holidays=holidays.US(subdiv="MN"))
            >>> cal.holiday_name(dt.date(2026, 11, 26))
            'Thanksgiving Day'
        """
        local = self.local_holidays.names_in(day.year).get(day)
        return local or self.holidays.names_in(day.year).get(day)
