"""Weekly opening hours: the text form, mappings and their errors."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

import slacalc as sla
from slacalc.hours import parse_day_hours
from tests.strategies import weekly_hours

H = 3_600_000_000
M = 60_000_000


def test_weekday_range_with_a_lunch_break() -> None:
    """A range of weekdays shares the same intervals; Saturday has its own."""
    hours = sla.WeeklyHours.parse("Mon-Fri 08:00-12:00, 12:30-16:30; Sat 09:00-12:00")
    weekday = ((8 * H, 12 * H), (12 * H + 30 * M, 16 * H + 30 * M))
    assert hours.days[:5] == (weekday,) * 5
    assert hours.days[5] == ((9 * H, 12 * H),)
    assert hours.days[6] == ()


def test_interval_across_midnight_is_split() -> None:
    """Mon 22:00-06:00 gives Monday 22:00-24:00 and Tuesday 00:00-06:00."""
    hours = sla.WeeklyHours.parse("Mon 22:00-06:00")
    assert hours.days[0] == ((22 * H, 24 * H),)
    assert hours.days[1] == ((0, 6 * H),)


def test_sunday_night_shift_wraps_to_monday() -> None:
    """A Sunday shift past midnight lands on Monday morning."""
    hours = sla.WeeklyHours.parse("Sun 20:00-02:00")
    assert hours.days[0] == ((0, 2 * H),)
    assert hours.days[6] == ((20 * H, 24 * H),)


def test_overlapping_groups_merge() -> None:
    """Groups naming the same day add up, and touching intervals merge."""
    hours = sla.WeeklyHours.parse("Mon-Fri 08:00-12:00; Mon 12:00-14:00, 13:00-15:00")
    assert hours.days[0] == ((8 * H, 15 * H),)
    assert hours.days[1] == ((8 * H, 12 * H),)


def test_day_lists_ranges_and_daily() -> None:
    """Comma-separated days, wrapping ranges and 'daily' are understood."""
    assert str(sla.WeeklyHours.parse("Mon, Wed, Fri 09:00-10:00")) == (
        "Mon 09:00-10:00; Wed 09:00-10:00; Fri 09:00-10:00"
    )
    assert str(sla.WeeklyHours.parse("Fri-Mon 09:00-10:00")) == (
        "Mon 09:00-10:00; Fri-Sun 09:00-10:00"
    )
    assert sla.WeeklyHours.parse("daily 00:00-24:00").is_always_open()


def test_mapping_form_equals_text_form() -> None:
    """A mapping of weekday to intervals reads like the text."""
    mapped = sla.WeeklyHours.from_mapping(
        {
            "mon-fri": ["08:00-12:00", "12:30-16:30"],
            "saturday": [(dt.time(9), dt.time(12))],
            "sun": "closed",
        }
    )
    text = sla.WeeklyHours.parse("Mon-Fri 08:00-12:00, 12:30-16:30; Sat 09:00-12:00")
    assert mapped == text


def test_seconds_survive_the_text_form() -> None:
    """Times with seconds print with seconds and read back equal."""
    hours = sla.WeeklyHours.parse("Tue 08:00:30-16:30")
    assert str(hours) == "Tue 08:00:30-16:30"


@given(weekly_hours())
def test_text_form_round_trips(text: str) -> None:
    """str() of any weekly hours parses back to an equal value."""
    hours = sla.WeeklyHours.parse(text)
    assert sla.WeeklyHours.parse(str(hours)) == hours


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Mon-Fri 8-5", "got '8-5'"),
        ("Mon-Fri 08:00-25:00", "got '08:00-25:00'"),
        ("Mon-Fri 08:61-12:00", "got '08:61-12:00'"),
        ("Funday 08:00-12:00", "got 'Funday'"),
        ("08:00-12:00", "got '08:00-12:00'"),
        ("Mon-Fri", "got 'Mon-Fri'"),
        ("", "got ''"),
        ("Mon 09:00-09:00", "empty interval"),
        ("Mon 24:00-02:00", "got '24:00-02:00'"),
    ],
)
def test_malformed_text_names_the_value(text: str, fragment: str) -> None:
    """Unreadable hours raise HoursFormatError quoting what was given."""
    with pytest.raises(sla.HoursFormatError, match="hours must") as caught:
        sla.WeeklyHours.parse(text)
    assert fragment in str(caught.value)


def test_hours_of_the_wrong_type() -> None:
    """Hours given as a number are refused with the value shown."""
    with pytest.raises(sla.HoursFormatError, match="got 42"):
        sla.WeeklyHours.coerce(42)


def test_day_hours_may_not_cross_midnight() -> None:
    """A single date's hours ending before they start are refused."""
    with pytest.raises(sla.HoursFormatError, match="cross midnight"):
        parse_day_hours("22:00-02:00", "special_hours")
    assert parse_day_hours("22:00-24:00") == ((22 * H, 24 * H),)
