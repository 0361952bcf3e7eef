"""Exception and warning classes raised by slacalc.

Every error refines a builtin exception, so callers may catch either the
broad builtin (``ValueError``) or the precise slacalc class.
"""

from __future__ import annotations

__all__ = [
    "CalendarError",
    "ClosedTooLongError",
    "HoursFormatError",
    "NaiveDatetimeError",
    "SlacalcWarning",
    "TargetError",
]


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was given where an instant is needed.

    Example:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar.always("UTC")
        >>> cal.is_open(dt.datetime(2026, 1, 5, 9, 0))
        Traceback (most recent call last):
        ...
        slacalc.errors.NaiveDatetimeError: t must be a timezone-aware datetime, \
got datetime.datetime(2026, 1, 5, 9, 0); attach a zone, for example \
t.replace(tzinfo=ZoneInfo('UTC'))
    """


class HoursFormatError(ValueError):
    """Opening hours text or mapping that cannot be read.

    Example:
        >>> import slacalc as sla
        >>> sla.WeeklyHours.parse("Mon-Fri 8-5")
        Traceback (most recent call last):
        ...
        slacalc.errors.HoursFormatError: hours must be ...
    """


class CalendarError(ValueError):
    """A business calendar that cannot be built as asked.

    Example:
        >>> import slacalc as sla
        >>> sla.BusinessCalendar(tz="Mars/Olympus_Mons")
        Traceback (most recent call last):
        ...
        slacalc.errors.CalendarError: tz must be an IANA time zone name ...
    """


class ClosedTooLongError(CalendarError):
    """A search met more than a year of consecutive closed days.

    Raised instead of searching forever, for example when closures or
    holidays cover a whole year.

    Example:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> utc = dt.timezone.utc
        >>> cal = sla.BusinessCalendar(
        ...     tz="UTC",
        ...     closures=[sla.Closure(dt.datetime(2026, 1, 1, tzinfo=utc),
        ...                           dt.datetime(2028, 1, 1, tzinfo=utc))],
        ... )
        >>> cal.next_opening(dt.datetime(2026, 6, 1, tzinfo=utc))
        Traceback (most recent call last):
        ...
        slacalc.errors.ClosedTooLongError: ...
    """


class TargetError(ValueError):
    """An SLA target that is out of range or cannot be parsed.

    Example:
        >>> import slacalc as sla
        >>> sla.parse_target("soon")
        Traceback (most recent call last):
        ...
        slacalc.errors.TargetError: text must be ...
    """


class SlacalcWarning(UserWarning):
    """Base class of the warnings slacalc emits.

    Silence all of them with
    ``warnings.filterwarnings("ignore", category=slacalc.SlacalcWarning)``.

    Example:
        >>> import slacalc as sla
        >>> issubclass(sla.SlacalcWarning, UserWarning)
        True
    """
