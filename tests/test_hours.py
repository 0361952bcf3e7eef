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


def test_microseconds_survive_the_text_form() -> None:
    """Times built with microseconds print them and read back equal."""
    hours = sla.WeeklyHours.from_mapping(
        {"mon": [(dt.time(8, 0, 0, 5), dt.time(9, 30, 1, 120000))]}
    )
    assert str(hours) == "Mon 08:00:00.000005-09:30:01.120000"
    assert sla.WeeklyHours.parse(str(hours)) == hours
    assert parse_day_hours("08:00:00.5-09:00") == ((8 * H + 500_000, 9 * H),)


@given(weekly_hours())
def test_text_form_round_trips(text: str) -> None:
    """str() of any weekly hours parses back to an equal value."""
    hours = sla.WeeklyHours.parse(text)
    assert sla.WeeklyHours.parse(str(hours)) == hours


def test_repr_is_the_text_form() -> None:
    """repr() is the call with the text form, which builds an equal value."""
    hours = sla.WeeklyHours.parse("Mon-Fri 08:00-16:30")
    assert repr(hours) == "WeeklyHours('Mon-Fri 08:00-16:30')"
    assert eval(repr(hours), {"WeeklyHours": sla.WeeklyHours}) == hours
    assert repr(sla.WeeklyHours("closed")) == "WeeklyHours('closed')"
    odd = sla.WeeklyHours.from_mapping({"sun": [(dt.time(23, 59, 59, 1), dt.time())]})
    assert eval(repr(odd), {"WeeklyHours": sla.WeeklyHours}) == odd


@given(weekly_hours())
def test_repr_evaluates_back(text: str) -> None:
    """eval(repr()) of any weekly hours gives an equal value."""
    hours = sla.WeeklyHours.parse(text)
    assert eval(repr(hours), {"WeeklyHours": sla.WeeklyHours}) == hours


def test_constructor_takes_text_or_seven_days() -> None:
    """WeeklyHours(text) reads the text; WeeklyHours(days) keeps the days."""
    text = sla.WeeklyHours("Mon 22:00-06:00")
    assert text == sla.WeeklyHours.parse("Mon 22:00-06:00")
    assert sla.WeeklyHours(text.days) == text
    with pytest.raises(sla.HoursFormatError, match=r"^days must hold seven days"):
        sla.WeeklyHours(((),))
    with pytest.raises(
        sla.HoursFormatError,
        match=r"^days must be weekly hours text such as 'Mon-Fri 08:00-16:30' or "
        r"seven days' \(open, close\) pairs, Monday first, got 42$",
    ):
        sla.WeeklyHours(42)  # type: ignore[arg-type]


def test_errors_name_the_argument_given() -> None:
    """argument= names the value in errors, as a policy file's key."""
    with pytest.raises(
        sla.HoursFormatError,
        match=r"^calendars\.city\.hours must be intervals like '08:00-16:30' "
        r"\(24:00 allowed as a close\), got '8-5'$",
    ):
        sla.WeeklyHours.coerce("Mon-Fri 8-5", "calendars.city.hours")
    with pytest.raises(
        sla.HoursFormatError,
        match=r"^opening keys must name weekdays as Mon, Tue, \.\.\. Sun, "
        r"got 'funday'$",
    ):
        sla.WeeklyHours.coerce({"funday": "08:00-12:00"}, "opening")


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
