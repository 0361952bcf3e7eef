"""Invariants of business-time arithmetic, on random calendars and instants."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import given, settings
from hypothesis import strategies as st

import slacalc as sla
from tests.strategies import ZONES, calendars, durations, instants

NON_DST_ZONES = ("UTC", "Asia/Kolkata")
TARGETS = (
    sla.Hours(24),
    sla.Hours(2.5, starts="next_opening"),
    sla.Days(30),
    sla.Days(1, starts="next_opening"),
    sla.BusinessHours(27),
    sla.BusinessHours(0),
    sla.BusinessDays(5),
    sla.BusinessDays(0),
    sla.BusinessDays(2, at="same_time"),
    sla.BusinessDays(1, at=dt.time(12)),
    sla.BusinessDays(3, cutoff=dt.time(15)),
)


@st.composite
def calendar_and_instants(
    draw: st.DrawFn, count: int = 3
) -> tuple[sla.BusinessCalendar, list[dt.datetime]]:
    """A random calendar with ``count`` instants in its zone."""
    cal = draw(calendars())
    tz = str(cal.tz)
    return cal, [draw(instants(tz=tz)) for _ in range(count)]


@given(calendar_and_instants())
def test_elapsed_is_additive(
    case: tuple[sla.BusinessCalendar, list[dt.datetime]],
) -> None:
    """elapsed(a, b) + elapsed(b, c) == elapsed(a, c), in any order."""
    cal, (a, b, c) = case
    assert cal.elapsed(a, b) + cal.elapsed(b, c) == cal.elapsed(a, c)
    assert cal.elapsed(a, b) == -cal.elapsed(b, a)


@given(calendar_and_instants(count=2))
def test_openings_add_up_to_elapsed(
    case: tuple[sla.BusinessCalendar, list[dt.datetime]],
) -> None:
    """The open spans between two instants sum to the business time between."""
    cal, (a, b) = case
    a, b = min(a, b), max(a, b)
    spans = cal.openings(a, b)
    # Subtracting datetimes that share a zone gives wall-clock time, so the
    # lengths are taken in UTC.
    lengths = (end.astimezone(dt.UTC) - start for start, end in spans)
    assert sum(lengths, dt.timedelta()) == cal.elapsed(a, b)
    assert all(cal.is_open(start) for start, _ in spans)


@given(calendar_and_instants(count=1), durations())
def test_add_then_elapsed_gives_back_the_amount(
    case: tuple[sla.BusinessCalendar, list[dt.datetime]], d: dt.timedelta
) -> None:
    """From any instant, elapsed(t, add(t, d)) == d, forwards and backwards."""
    cal, (t,) = case
    later = cal.add(t, d)
    assert cal.elapsed(t, later) == d
    opening = cal.next_opening(t)
    assert cal.elapsed(cal.add(opening, -d), opening) == d


@given(calendar_and_instants(count=2), durations())
def test_add_is_monotonic(
    case: tuple[sla.BusinessCalendar, list[dt.datetime]], d: dt.timedelta
) -> None:
    """A later start never gives an earlier result."""
    cal, (a, b) = case
    a, b = min(a, b), max(a, b)
    assert cal.add(a, d) <= cal.add(b, d)
    assert cal.next_opening(a) <= cal.next_opening(b)


@given(calendar_and_instants(count=2), st.sampled_from(TARGETS))
def test_due_is_monotonic_and_never_before_receipt(
    case: tuple[sla.BusinessCalendar, list[dt.datetime]], target: sla.Target
) -> None:
    """due(a) <= due(b) for a <= b, due >= received, in the calendar's zone."""
    cal, (a, b) = case
    a, b = min(a, b), max(a, b)
    due_a, due_b = target.due(a, cal), target.due(b, cal)
    assert a <= due_a
    assert due_a <= due_b
    assert due_a.tzinfo is cal.tz


@given(calendar_and_instants(count=1), st.integers(1, 400))
def test_business_hours_due_measures_back_to_the_target(
    case: tuple[sla.BusinessCalendar, list[dt.datetime]], minutes: int
) -> None:
    """The business time from receipt to a business-hours due date is the target."""
    cal, (t,) = case
    target = sla.BusinessHours(minutes / 60)
    assert cal.elapsed(t, target.due(t, cal)) == dt.timedelta(minutes=minutes)


@given(
    calendars(),
    st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 1)),
    st.integers(-30, 30),
)
def test_business_days_round_trip(
    cal: sla.BusinessCalendar, day: dt.date, n: int
) -> None:
    """Counting the days between a day and n business days later gives n."""
    later = cal.add_business_days(day, n)
    assert cal.is_business_day(later)
    if n > 0:
        assert cal.business_days_between(day, later) == n - (
            0 if cal.is_business_day(day) else 1
        )
    elif n < 0:
        assert cal.business_days_between(later, day) == -n


@given(
    calendars(),
    st.lists(
        st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 1)), min_size=3, max_size=3
    ),
)
def test_business_days_between_is_additive(
    cal: sla.BusinessCalendar, days: list[dt.date]
) -> None:
    """Counts over adjoining half-open ranges add up, and reverse in sign."""
    a, b, c = days
    between = cal.business_days_between
    assert between(a, b) + between(b, c) == between(a, c)
    assert between(a, b) == -between(b, a)


@settings(max_examples=40)
@given(
    st.sampled_from(NON_DST_ZONES),
    st.lists(st.sampled_from(range(7)), min_size=1, max_size=7, unique=True),
    st.integers(0, 23),
    st.integers(1, 10),
    st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 1)),
)
def test_elapsed_matches_a_minute_by_minute_count(
    zone: str, weekdays: list[int], opening: int, length: int, start: dt.datetime
) -> None:
    """Over three days, business time equals the open minutes counted one by one."""
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    closing = opening + length
    day_text = (
        f"{opening:02d}:00-{closing % 24:02d}:00"
        if closing < 24
        else (f"{opening:02d}:00-24:00")
    )
    cal = sla.BusinessCalendar(
        zone, "; ".join(f"{names[w]} {day_text}" for w in weekdays)
    )
    tz = zoneinfo.ZoneInfo(zone)
    a = start.replace(second=0, microsecond=0, tzinfo=tz)
    minutes = 0
    for k in range(3 * 24 * 60):
        local = a + dt.timedelta(minutes=k)
        if local.weekday() in weekdays and opening <= local.hour < closing:
            minutes += 1
    assert cal.elapsed(a, a + dt.timedelta(days=3)) == dt.timedelta(minutes=minutes)


@given(st.sampled_from(ZONES), instants())
def test_always_open_counts_absolute_time(zone: str, t: dt.datetime) -> None:
    """On an always-open calendar, adding business time is adding time."""
    cal = sla.BusinessCalendar.always(zone)
    utc = t.astimezone(dt.UTC)
    # A result in a repeated hour never equals a datetime in another zone
    # (PEP 495), so compare in UTC.
    later = cal.add(t, dt.timedelta(hours=30)).astimezone(dt.UTC)
    assert later == utc + dt.timedelta(hours=30)
    assert cal.elapsed(t, utc + dt.timedelta(days=9)) == dt.timedelta(days=9)
