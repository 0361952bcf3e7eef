"""Built-in sample data for ``slacalc demo``.

A Minnesota city office (America/Chicago, Mon-Fri 08:00-16:30, state
holidays, a Christmas Eve half day, a snow closure) and a few SLAs that
311 departments publish, applied to a handful of requests that show the
decisions slacalc makes: receipts at night and on weekends, holidays,
DST changes and a closure.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TextIO

from slacalc.calendar import BusinessCalendar, Closure
from slacalc.targets import BusinessDays, BusinessHours, Days, Hours, Target

__all__ = ["DEMO_TARGETS", "demo_calendar", "run_demo"]

#: Sample SLAs: (service, target).
DEMO_TARGETS: tuple[tuple[str, Target], ...] = (
    ("Absentee ballot", Hours(24)),
    ("Callback", BusinessHours(8)),
    ("Code inspection", BusinessDays(5)),
    ("Pothole", BusinessDays(2, at="same_time")),
    ("Permit reply", BusinessDays(1, at=dt.time(12), cutoff=dt.time(15))),
    ("Rodent inspection", Days(30)),
)

_RECEIVED = (
    (2026, 3, 6, 15, 40),  # Friday before the spring DST change
    (2026, 7, 2, 15, 0),  # Thursday before Independence Day (observed Fri)
    (2026, 11, 25, 16, 45),  # after hours before Thanksgiving
    (2026, 12, 21, 11, 5),  # during a snow closure, before Christmas Eve
    (2026, 12, 24, 10, 30),  # Christmas Eve half day
)


def demo_calendar() -> BusinessCalendar:
    """The sample office calendar.

    Examples:
        >>> demo_calendar().is_business_day(dt.date(2026, 11, 26))
        False
    """
    import holidays

    tz = zoneinfo.ZoneInfo("America/Chicago")
    snow_start = dt.datetime(2026, 12, 21, 10, 0, tzinfo=tz)
    return BusinessCalendar(
        tz=tz,
        hours="Mon-Fri 08:00-16:30",
        holidays=holidays.country_holidays("US", subdiv="MN"),
        special_hours={dt.date(2026, 12, 24): "08:00-12:00"},
        closures=[
            Closure(snow_start, snow_start + dt.timedelta(hours=30), reason="snow")
        ],
    )


def _stamp(t: dt.datetime) -> str:
    return t.strftime("%a %Y-%m-%d %H:%M %Z")


def run_demo(out: TextIO) -> int:
    """Print the due dates of the sample requests under the sample SLAs.

    Examples:
        >>> import io
        >>> buffer = io.StringIO()
        >>> run_demo(buffer)
        0
        >>> "Code inspection" in buffer.getvalue()
        True
    """
    calendar = demo_calendar()
    out.write("slacalc demo: due dates on a Minnesota city office calendar\n")
    out.write("calendar: America/Chicago, Mon-Fri 08:00-16:30, US-MN holidays,\n")
    out.write(
        "          Christmas Eve 08:00-12:00, snow closure 2026-12-21 10:00 +30h\n\n"
    )
    width = max(len(service) for service, _ in DEMO_TARGETS)
    for year, month, day, hour, minute in _RECEIVED:
        received = dt.datetime(year, month, day, hour, minute, tzinfo=calendar.tz)
        out.write(f"received {_stamp(received)}\n")
        for service, target in DEMO_TARGETS:
            due = target.due(received, calendar)
            out.write(f"  {service:<{width}}  {target!s:<40} due {_stamp(due)}\n")
        out.write("\n")
    return 0
