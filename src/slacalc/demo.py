"""Built-in sample data and the report of ``slacalc demo``.

A Minnesota city office (America/Chicago, Mon-Fri 08:00-16:30, state
holidays, a Christmas Eve half day, a snow closure) and a few SLAs that
311 departments publish, applied to a handful of requests that show the
decisions slacalc makes: receipts at night and on weekends, holidays,
DST changes and a closure.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
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


def _print_due_dates(calendar: BusinessCalendar, out: TextIO) -> None:
    width = max(len(service) for service, _ in DEMO_TARGETS)
    for year, month, day, hour, minute in _RECEIVED:
        received = dt.datetime(year, month, day, hour, minute, tzinfo=calendar.tz)
        out.write(f"received {_stamp(received)}\n")
        for service, target in DEMO_TARGETS:
            due = target.due(received, calendar)
            out.write(f"  {service:<{width}}  {target!s:<38} due {_stamp(due)}\n")
        out.write("\n")


def run_demo(out: TextIO) -> int:
    """Print sample due dates, then a year of a synthetic city's compliance.

    The city (see :mod:`slacalc._city`) has four districts of uneven
    workload, six departments with their SLAs, a June storm and spring
    potholes; the demo evaluates its 2026 requests and prints compliance by
    department and by district, the flags, and the workload by district.

    Examples:
        >>> import io
        >>> buffer = io.StringIO()
        >>> run_demo(buffer)
        0
        >>> "significantly below" in buffer.getvalue()
        True
    """
    from slacalc._city import city_book, city_requests
    from slacalc.compliance import compliance
    from slacalc.workload import workload

    calendar = demo_calendar()
    out.write("slacalc demo\n============\n\n")
    out.write("Due dates on a Minnesota city office calendar: America/Chicago,\n")
    out.write("Mon-Fri 08:00-16:30, US-MN holidays, Christmas Eve 08:00-12:00,\n")
    out.write("a snow closure from 2026-12-21 10:00 for 30 hours.\n\n")
    _print_due_dates(calendar, out)

    requests, as_of = city_requests(calendar)
    outcomes = list(city_book(calendar).evaluate(requests, as_of=as_of))
    out.write(f"A synthetic city: {len(requests):,} requests received in 2026,\n")
    out.write("six SLAs, a June storm and spring potholes (adjusted).\n\n")
    by_department = compliance(outcomes, by="department")
    by_district = compliance(outcomes, by="district")
    out.write(f"{by_department}\n\n{by_district}\n\n")
    out.write("Flags\n-----\n")
    for flag in (*by_department.flags(), *by_district.flags()):
        out.write(f"{_key_text(flag.row.key)}: {flag.why}\n")
    staff = dict.fromkeys(("1", "2", "3", "4"), 1)
    out.write(f"\n{workload(outcomes, by='district', staff=staff)}\n")
    return 0


def _key_text(key: Mapping[str, object]) -> str:
    return ", ".join(f"{name} {value}" for name, value in key.items())
