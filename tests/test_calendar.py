"""BusinessCalendar against a printed calendar.

Expected values are written by hand from a 2026 wall calendar: Minnesota
offices, Mon-Fri 08:00-16:30, America/Chicago; US DST changes on 8 March and
1 November 2026; Thanksgiving 26 November; Independence Day observed Friday
3 July.
"""

from __future__ import annotations

import calendar as printed
import datetime as dt
import threading
import zoneinfo

import attrs
import holidays
import pytest

import slacalc as sla

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
UTC = dt.UTC


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0
) -> dt.datetime:
    """A Chicago wall-clock instant."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHICAGO, fold=fold)


def hours(h: float) -> dt.timedelta:
    """A span of ``h`` hours."""
    return dt.timedelta(hours=h)


@pytest.fixture(scope="module")
def cal() -> sla.BusinessCalendar:
    """The Minnesota office calendar."""
    return sla.BusinessCalendar(
        tz="America/Chicago",
        hours="Mon-Fri 08:00-16:30",
        holidays=holidays.country_holidays("US", subdiv="MN"),
    )


# is_open and next_opening


def test_open_hours_are_half_open(cal: sla.BusinessCalendar) -> None:
    """Open at the opening instant, closed at the closing instant."""
    assert cal.is_open(at(2026, 12, 3, 8))
    assert not cal.is_open(at(2026, 12, 3, 7, 59))
    assert cal.is_open(at(2026, 12, 3, 16, 29))
    assert not cal.is_open(at(2026, 12, 3, 16, 30))


def test_weekends_and_holidays_are_closed(cal: sla.BusinessCalendar) -> None:
    """Saturday, Thanksgiving and the observed Independence Day are closed."""
    assert not cal.is_open(at(2026, 12, 5, 10))
    assert not cal.is_open(at(2026, 11, 26, 10))
    assert not cal.is_open(at(2026, 7, 3, 10))
    assert cal.is_open(at(2026, 11, 27, 10))


def test_next_opening(cal: sla.BusinessCalendar) -> None:
    """The next opening skips nights, weekends and holidays."""
    assert cal.next_opening(at(2026, 11, 20, 16, 30)) == at(2026, 11, 23, 8)
    assert cal.next_opening(at(2026, 11, 25, 17)) == at(2026, 11, 27, 8)
    assert cal.next_opening(at(2026, 7, 2, 20)) == at(2026, 7, 6, 8)
    assert cal.next_opening(at(2026, 12, 3, 9, 15)) == at(2026, 12, 3, 9, 15)


def test_results_come_back_in_the_calendar_zone(cal: sla.BusinessCalendar) -> None:
    """An instant given in UTC gives an answer in America/Chicago."""
    saturday_utc = dt.datetime(2026, 12, 5, 18, tzinfo=UTC)
    result = cal.next_opening(saturday_utc)
    assert result.tzinfo is CHICAGO
    assert result == at(2026, 12, 7, 8)
    assert cal.add(saturday_utc, hours(1)).tzinfo is CHICAGO


def test_openings_lists_clipped_spans(cal: sla.BusinessCalendar) -> None:
    """Open spans over Thanksgiving week, clipped to the window asked."""
    spans = cal.openings(at(2026, 11, 25, 12), at(2026, 11, 30, 10))
    assert spans == [
        (at(2026, 11, 25, 12), at(2026, 11, 25, 16, 30)),
        (at(2026, 11, 27, 8), at(2026, 11, 27, 16, 30)),
        (at(2026, 11, 30, 8), at(2026, 11, 30, 10)),
    ]
    assert cal.openings(at(2026, 11, 30, 10), at(2026, 11, 25, 12)) == []


# elapsed and add


def test_elapsed_over_a_weekend(cal: sla.BusinessCalendar) -> None:
    """Fri 16:00 to Mon 09:00 is 1 h 30 min, and minus that the other way."""
    fri, mon = at(2026, 11, 20, 16), at(2026, 11, 23, 9)
    assert cal.elapsed(fri, mon) == hours(1.5)
    assert cal.elapsed(mon, fri) == -hours(1.5)
    assert cal.elapsed(fri, fri) == dt.timedelta(0)


def test_elapsed_skips_thanksgiving(cal: sla.BusinessCalendar) -> None:
    """Wednesday noon to Friday noon is 4.5 + 4 hours."""
    assert cal.elapsed(at(2026, 11, 25, 12), at(2026, 11, 27, 12)) == hours(8.5)


def test_add_lands_on_the_close(cal: sla.BusinessCalendar) -> None:
    """A full day from the opening ends at that day's close, not next morning."""
    assert cal.add(at(2026, 12, 7, 8), hours(8.5)) == at(2026, 12, 7, 16, 30)
    assert cal.add(at(2026, 12, 7, 8), hours(8.5) + dt.timedelta(minutes=1)) == at(
        2026, 12, 8, 8, 1
    )


def test_add_from_a_closed_instant_starts_at_the_opening(
    cal: sla.BusinessCalendar,
) -> None:
    """Saturday plus one hour is Monday 09:00; plus zero is Monday 08:00."""
    saturday = at(2026, 12, 5, 10)
    assert cal.add(saturday, hours(1)) == at(2026, 12, 7, 9)
    assert cal.add(saturday, dt.timedelta(0)) == at(2026, 12, 7, 8)


def test_subtracting_lands_on_the_opening(cal: sla.BusinessCalendar) -> None:
    """Going back, a result on an opening is that opening."""
    assert cal.add(at(2026, 12, 8, 10), -hours(2)) == at(2026, 12, 8, 8)
    assert cal.add(at(2026, 12, 8, 9), -hours(1.5)) == at(2026, 12, 7, 16)
    assert cal.add(at(2026, 12, 5, 10), -hours(1)) == at(2026, 12, 4, 15, 30)


def test_add_over_independence_day(cal: sla.BusinessCalendar) -> None:
    """Thu 15:00 plus 8 business hours is Mon 14:30 (Fri 3 July observed)."""
    assert cal.add(at(2026, 7, 2, 15), hours(8)) == at(2026, 7, 6, 14, 30)


def test_add_rejects_a_non_timedelta(cal: sla.BusinessCalendar) -> None:
    """A number of hours must be given as a timedelta."""
    with pytest.raises(TypeError, match=r"delta must be a datetime.timedelta, got 8"):
        cal.add(at(2026, 12, 7, 8), 8)  # type: ignore[arg-type]


# DST


def test_open_time_across_the_spring_change() -> None:
    """01:00-04:00 on 8 March 2026 is two hours long: 02:00-03:00 never happens."""
    night = sla.BusinessCalendar("America/Chicago", "daily 01:00-04:00")
    assert night.elapsed(at(2026, 3, 8), at(2026, 3, 9)) == hours(2)
    assert night.elapsed(at(2026, 3, 7), at(2026, 3, 8)) == hours(3)


def test_open_time_across_the_fall_change() -> None:
    """01:00-04:00 on 1 November 2026 is four hours long: 01:00-02:00 repeats."""
    night = sla.BusinessCalendar("America/Chicago", "daily 01:00-04:00")
    assert night.elapsed(at(2026, 11, 1), at(2026, 11, 2)) == hours(4)
    second_pass = at(2026, 11, 1, 1, 30, fold=1)
    assert night.is_open(second_pass)
    assert night.elapsed(at(2026, 11, 1, 1), second_pass) == hours(1.5)


def test_an_opening_in_the_spring_gap_opens_when_the_clock_jumps() -> None:
    """Opening at 02:30 on 8 March 2026 means open from 03:00 CDT."""
    sunday = sla.BusinessCalendar("America/Chicago", "Sun 02:30-05:00")
    assert sunday.openings(at(2026, 3, 8), at(2026, 3, 9)) == [
        (at(2026, 3, 8, 3), at(2026, 3, 8, 5))
    ]


def test_always_open_calendar_counts_real_hours() -> None:
    """The spring-forward day has 23 hours, the fall-back day 25."""
    always = sla.BusinessCalendar.always("America/Chicago")
    assert always.elapsed(at(2026, 3, 8), at(2026, 3, 9)) == hours(23)
    assert always.elapsed(at(2026, 11, 1), at(2026, 11, 2)) == hours(25)
    assert always.add(at(2026, 3, 7, 12), hours(24)) == at(2026, 3, 8, 13)


def test_half_hour_zone() -> None:
    """Kolkata office hours are 09:30-18:00 IST, 04:00-12:30 UTC."""
    kolkata = sla.BusinessCalendar("Asia/Kolkata", "Mon-Fri 09:30-18:00")
    monday_utc = dt.datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
    assert kolkata.is_open(monday_utc)
    assert not kolkata.is_open(monday_utc - dt.timedelta(seconds=1))
    assert kolkata.elapsed(monday_utc, monday_utc + hours(24)) == hours(8.5)


# Breaks, night shifts, special hours, closures


def test_lunch_break() -> None:
    """A lunch break is closed and not counted."""
    cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-12:00, 12:30-16:30")
    assert not cal.is_open(at(2026, 12, 7, 12, 15))
    assert cal.elapsed(at(2026, 12, 7, 11), at(2026, 12, 7, 13)) == hours(1.5)
    assert cal.add(at(2026, 12, 7, 11), hours(1)) == at(2026, 12, 7, 12)
    assert cal.add(at(2026, 12, 7, 11), hours(1.5)) == at(2026, 12, 7, 13)


def test_night_shift_morning_belongs_to_the_next_date() -> None:
    """Mon-Fri 22:00-06:00: a Tuesday holiday closes all of Tuesday's date,
    00:00-06:00 and 22:00-24:00, and Wednesday morning stays open."""
    tuesday = dt.date(2026, 12, 8)
    cal = sla.BusinessCalendar(
        "America/Chicago", "Mon-Fri 22:00-06:00", local_holidays=[tuesday]
    )
    assert cal.is_open(at(2026, 12, 7, 23))
    assert not cal.is_open(at(2026, 12, 8, 3))
    assert cal.is_open(at(2026, 12, 5, 3))  # Saturday morning: Friday's shift
    assert not cal.is_open(at(2026, 12, 7, 3))  # no Sunday night shift
    assert cal.add(at(2026, 12, 7, 23), hours(2)) == at(2026, 12, 9, 1)


def test_close_at_midnight_joins_the_next_morning() -> None:
    """Mon 20:00-24:00 and Tue 00:00-04:00 run on without a break."""
    cal = sla.BusinessCalendar("America/Chicago", "Mon 20:00-24:00; Tue 00:00-04:00")
    assert cal.add(at(2026, 12, 7, 23), hours(2)) == at(2026, 12, 8, 1)
    assert cal.openings(at(2026, 12, 7), at(2026, 12, 9)) == [
        (at(2026, 12, 7, 20), at(2026, 12, 8, 4))
    ]


def test_special_hours_make_a_half_day_and_an_election_saturday() -> None:
    """Christmas Eve closes at noon; election Saturday opens 09:00-12:00."""
    cal = sla.BusinessCalendar(
        "America/Chicago",
        "Mon-Fri 08:00-16:30",
        special_hours={
            dt.date(2026, 12, 24): "08:00-12:00",
            dt.date(2026, 10, 31): "09:00-12:00",
        },
    )
    assert not cal.is_open(at(2026, 12, 24, 13))
    assert cal.add(at(2026, 12, 24, 11), hours(1)) == at(2026, 12, 24, 12)
    assert cal.is_business_day(dt.date(2026, 10, 31))
    assert cal.next_opening(at(2026, 10, 30, 17)) == at(2026, 10, 31, 9)


def test_special_hours_override_a_holiday() -> None:
    """An office that works on a listed holiday gives that date hours."""
    cal = sla.BusinessCalendar(
        "America/Chicago",
        "Mon-Fri 08:00-16:30",
        holidays=[dt.date(2026, 11, 11)],
        special_hours={dt.date(2026, 11, 11): "10:00-14:00"},
    )
    assert cal.is_open(at(2026, 11, 11, 11))
    assert not cal.is_open(at(2026, 11, 11, 9))


def test_closure_removes_an_afternoon_and_a_day() -> None:
    """A snow closure from Tue noon to Thu 00:00 shortens Tue and skips Wed."""
    snow = sla.Closure(at(2026, 1, 6, 12), at(2026, 1, 8), reason="snow")
    cal = sla.BusinessCalendar(
        "America/Chicago", "Mon-Fri 08:00-16:30", closures=[snow]
    )
    assert cal.is_open(at(2026, 1, 6, 11))
    assert not cal.is_open(at(2026, 1, 6, 13))
    assert cal.is_business_day(dt.date(2026, 1, 6))
    assert not cal.is_business_day(dt.date(2026, 1, 7))
    assert cal.add(at(2026, 1, 6, 11), hours(2)) == at(2026, 1, 8, 9)
    assert cal.closures == (snow,)


def test_holiday_name(cal: sla.BusinessCalendar) -> None:
    """Holidays keep their names; local ones too."""
    local = sla.BusinessCalendar(
        "America/Chicago", local_holidays={dt.date(2026, 11, 27): "Day after"}
    )
    assert cal.holiday_name(dt.date(2026, 11, 26)) == "Thanksgiving Day"
    assert cal.holiday_name(dt.date(2026, 11, 27)) is None
    assert local.holiday_name(dt.date(2026, 11, 27)) == "Day after"


def test_holiday_data_reaches_far_ahead(cal: sla.BusinessCalendar) -> None:
    """Thanksgiving 2090, the fourth Thursday of November, is closed."""
    thursdays = [
        week[printed.THURSDAY]
        for week in printed.monthcalendar(2090, 11)
        if week[printed.THURSDAY]
    ]
    thanksgiving = dt.date(2090, 11, thursdays[3])
    assert not cal.is_business_day(thanksgiving)
    assert cal.is_business_day(thanksgiving - dt.timedelta(days=1))


# Business days


def test_business_days_between_is_half_open_and_signed(
    cal: sla.BusinessCalendar,
) -> None:
    """Mon 23 Nov to Mon 30 Nov counts Mon-Wed and Fri: 4 days."""
    mon, next_mon = dt.date(2026, 11, 23), dt.date(2026, 11, 30)
    assert cal.business_days_between(mon, next_mon) == 4
    assert cal.business_days_between(next_mon, mon) == -4
    assert cal.business_days_between(mon, mon) == 0
    assert cal.business_days_between(dt.date(2026, 12, 7), dt.date(2026, 12, 14)) == 5


def test_add_business_days(cal: sla.BusinessCalendar) -> None:
    """Counting business days forwards, backwards and from a weekend."""
    assert cal.add_business_days(dt.date(2026, 11, 20), 5) == dt.date(2026, 11, 30)
    assert cal.add_business_days(dt.date(2026, 11, 30), -5) == dt.date(2026, 11, 20)
    assert cal.add_business_days(dt.date(2026, 12, 5), 1) == dt.date(2026, 12, 7)
    assert cal.add_business_days(dt.date(2026, 12, 5), -1) == dt.date(2026, 12, 4)
    assert cal.add_business_days(dt.date(2026, 12, 5), 0) == dt.date(2026, 12, 7)
    assert cal.add_business_days(dt.date(2026, 12, 4), 0) == dt.date(2026, 12, 4)


def test_business_days_across_a_year_boundary(cal: sla.BusinessCalendar) -> None:
    """Ten business days after 24 Dec 2026 skip Christmas and New Year."""
    assert cal.add_business_days(dt.date(2026, 12, 24), 10) == dt.date(2027, 1, 11)
    assert cal.add_business_days(dt.date(2027, 1, 11), -10) == dt.date(2026, 12, 24)


# Errors


def test_naive_datetime_is_refused(cal: sla.BusinessCalendar) -> None:
    """A naive datetime raises NaiveDatetimeError naming the argument."""
    with pytest.raises(sla.NaiveDatetimeError, match=r"^t must be a timezone-aware"):
        cal.is_open(dt.datetime(2026, 12, 7, 9))
    with pytest.raises(ValueError, match=r"^b must be a timezone-aware"):
        cal.elapsed(at(2026, 12, 7, 9), dt.datetime(2026, 12, 7, 10))


def test_a_date_is_not_an_instant(cal: sla.BusinessCalendar) -> None:
    """Passing a date where an instant is needed is a TypeError."""
    with pytest.raises(TypeError, match="t must be a timezone-aware datetime"):
        cal.next_opening(dt.date(2026, 12, 7))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"day must be a datetime.date"):
        cal.is_business_day(at(2026, 12, 7))


def test_unknown_zone() -> None:
    """An unknown zone name is refused with the name shown."""
    with pytest.raises(
        sla.CalendarError, match=r"tz must be an IANA .* got 'Mars/Base'"
    ):
        sla.BusinessCalendar(tz="Mars/Base")


def test_week_without_open_time() -> None:
    """A calendar that is never open is refused when built."""
    with pytest.raises(sla.CalendarError, match=r"some open time .* got 'closed'"):
        sla.BusinessCalendar("UTC", hours="closed")


def test_bad_holidays_and_special_hours() -> None:
    """Holidays and special hours of the wrong shape name their argument."""
    with pytest.raises(sla.CalendarError, match=r"holidays must be .* got 'Xmas'"):
        sla.BusinessCalendar("UTC", holidays="Xmas")
    with pytest.raises(sla.CalendarError, match=r"local_holidays must hold .* got 5"):
        sla.BusinessCalendar("UTC", local_holidays=[5])
    with pytest.raises(sla.CalendarError, match="special_hours keys must be"):
        sla.BusinessCalendar("UTC", special_hours={"2026-12-24": "08:00-12:00"})
    with pytest.raises(sla.HoursFormatError, match=r"special_hours\[2026-12-24\]"):
        sla.BusinessCalendar("UTC", special_hours={dt.date(2026, 12, 24): "noon"})


NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_a_closure_across_the_fall_back_fold_is_forwards() -> None:
    """01:30 EDT to 01:10 EST on 1 Nov 2026 is 40 minutes forwards."""
    start = dt.datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=0)
    end = dt.datetime(2026, 11, 1, 1, 10, tzinfo=NEW_YORK, fold=1)
    outage = sla.Closure(start, end, reason="power outage")
    cal = sla.BusinessCalendar(
        "America/New_York", "daily 00:00-24:00", closures=[outage]
    )
    # 01:00 EDT is 05:00 UTC and 02:00 EST is 07:00 UTC: two hours, less 40 min.
    one_edt = dt.datetime(2026, 11, 1, 1, tzinfo=NEW_YORK)
    two_est = dt.datetime(2026, 11, 1, 2, tzinfo=NEW_YORK)
    assert cal.elapsed(one_edt, two_est) == dt.timedelta(minutes=80)
    assert not cal.is_open(dt.datetime(2026, 11, 1, 5, 45, tzinfo=UTC))
    assert cal.is_open(dt.datetime(2026, 11, 1, 6, 15, tzinfo=UTC))


def test_a_closure_backwards_across_the_fold_is_refused() -> None:
    """01:10 EST to 01:30 EDT runs 40 minutes backwards: the error names
    both arguments with their offsets."""
    start = dt.datetime(2026, 11, 1, 1, 10, tzinfo=NEW_YORK, fold=1)
    end = dt.datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=0)
    message = (
        "end must not be before start (2026-11-01T01:10:00-05:00), got "
        "2026-11-01T01:30:00-04:00, 0:40:00 before it"
    )
    with pytest.raises(sla.CalendarError) as caught:
        sla.Closure(start, end)
    assert str(caught.value) == message
    assert (caught.value.argument, caught.value.value) == ("end", end)


def test_a_closure_between_zones_compares_instants() -> None:
    """09:00 Chicago to 09:30 New York ends before it starts; to 10:30 New
    York it closes the Chicago office from 09:00 to 09:30."""
    start = at(2026, 12, 3, 9)
    with pytest.raises(sla.CalendarError, match=r"got 2026-12-03T09:30:00-05:00, 0:30"):
        sla.Closure(start, dt.datetime(2026, 12, 3, 9, 30, tzinfo=NEW_YORK))
    drill = sla.Closure(start, dt.datetime(2026, 12, 3, 10, 30, tzinfo=NEW_YORK))
    cal = sla.BusinessCalendar(
        "America/Chicago", "Mon-Fri 08:00-16:30", closures=[drill]
    )
    assert not cal.is_open(at(2026, 12, 3, 9, 15))
    assert cal.is_open(at(2026, 12, 3, 9, 30))


def test_a_closure_over_a_skipped_hour_is_empty() -> None:
    """02:00 to 03:00 on 8 Mar 2026 in Chicago is no time at all: accepted,
    and it closes nothing."""
    skipped = sla.Closure(at(2026, 3, 8, 2), at(2026, 3, 8, 3), reason="nightly")
    cal = sla.BusinessCalendar("America/Chicago", "daily 00:00-24:00")
    closed = attrs.evolve(cal, closures=[skipped])
    night = (at(2026, 3, 8, 1), at(2026, 3, 8, 4))
    assert closed.elapsed(*night) == cal.elapsed(*night) == hours(2)


def test_closures_are_equal_by_instant() -> None:
    """The same span in two zones is one closure; the two readings of a
    fall-back hour are not."""
    snow = sla.Closure(at(2026, 1, 6, 12), at(2026, 1, 8), reason="snow")
    in_utc = sla.Closure(
        at(2026, 1, 6, 12).astimezone(UTC), at(2026, 1, 8).astimezone(UTC), "snow"
    )
    assert snow == in_utc
    assert hash(snow) == hash(in_utc)
    end = at(2026, 11, 1, 3)
    first = sla.Closure(at(2026, 11, 1, 1, 30, fold=0), end)
    second = sla.Closure(at(2026, 11, 1, 1, 30, fold=1), end)
    assert first != second


def test_bad_closures() -> None:
    """A closure must run forwards between aware instants."""
    with pytest.raises(sla.CalendarError, match="end must not be before start"):
        sla.Closure(at(2026, 1, 2), at(2026, 1, 1))
    with pytest.raises(sla.NaiveDatetimeError, match=r"^start must be"):
        sla.Closure(dt.datetime(2026, 1, 1), at(2026, 1, 2))
    with pytest.raises(sla.CalendarError, match="closures must hold Closure"):
        sla.BusinessCalendar("UTC", closures=[(at(2026, 1, 1), at(2026, 1, 2))])


def test_searches_stop_after_a_closed_year() -> None:
    """Closed for two years: searches raise instead of looping."""
    closed = sla.BusinessCalendar(
        "UTC", closures=[sla.Closure(at(2026, 1, 1), at(2028, 1, 1))]
    )
    inside = at(2026, 6, 1)
    with pytest.raises(sla.ClosedTooLongError, match="more than a year"):
        closed.next_opening(inside)
    with pytest.raises(sla.ClosedTooLongError):
        closed.add(inside, hours(1))
    with pytest.raises(sla.ClosedTooLongError):
        closed.add(at(2028, 6, 1), -hours(2000))
    with pytest.raises(sla.ClosedTooLongError):
        closed.add_business_days(dt.date(2026, 6, 1), 1)
    with pytest.raises(sla.ClosedTooLongError):
        closed.add_business_days(dt.date(2027, 12, 1), -1)


def test_a_long_closure_under_a_year_is_crossed() -> None:
    """Closed for ten months, the next opening is found after it."""
    closed = sla.BusinessCalendar(
        "UTC",
        "Mon-Fri 09:00-17:00",
        closures=[sla.Closure(at(2026, 1, 1), at(2026, 11, 1))],
    )
    assert closed.next_opening(at(2026, 2, 1)) == dt.datetime(
        2026, 11, 2, 9, tzinfo=UTC
    )


# Values


def test_calendars_are_immutable_values(cal: sla.BusinessCalendar) -> None:
    """Equal settings give equal, hashable calendars; fields cannot change."""
    twin = sla.BusinessCalendar(
        tz="America/Chicago",
        hours={"mon-fri": "08:00-16:30"},
        holidays=holidays.country_holidays("US", subdiv="MN"),
    )
    other = attrs.evolve(twin, holidays=holidays.country_holidays("US", subdiv="WI"))
    assert twin == cal
    assert hash(twin) == hash(cal)
    assert other != cal
    assert len({cal, twin, other}) == 2
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cal.tz = UTC  # type: ignore[misc]


def test_repr_shows_text_and_only_what_was_given() -> None:
    """repr() reads like the call: zone and hours as text, then the
    arguments not left at their defaults."""
    assert repr(sla.BusinessCalendar("UTC")) == "BusinessCalendar('UTC')"
    full = sla.BusinessCalendar(
        "America/Chicago",
        "Mon-Fri 08:00-16:30",
        holidays=holidays.country_holidays("US", subdiv="MN"),
        local_holidays={
            dt.date(2026, 11, 27): "Day after",
            dt.date(2026, 12, 24): "Eve",
        },
        special_hours={dt.date(2026, 12, 31): "08:00-12:00"},
        closures=[sla.Closure(at(2026, 1, 6, 12), at(2026, 1, 7), reason="snow")],
    )
    assert repr(full) == (
        "BusinessCalendar('America/Chicago', 'Mon-Fri 08:00-16:30', "
        "holidays=HolidaySource(US, subdiv='MN'), "
        "local_holidays=HolidaySource(2 dates, 2026-11-27 to 2026-12-24), "
        "special_hours={2026-12-31: '08:00-12:00'}, "
        "closures=[Closure(2026-01-06T12:00:00-06:00, 2026-01-07T00:00:00-06:00, "
        "reason='snow')])"
    )
    assert "WeeklyHours" not in repr(full)
    assert "datetime" not in repr(full)


def test_repr_of_holiday_settings_and_other_zones() -> None:
    """Holiday settings beyond the defaults show; a zone without a name shows
    as its repr."""
    source = holidays.country_holidays(
        "US", observed=False, categories=("public", "unofficial")
    )
    fixed = dt.timezone(dt.timedelta(hours=-6))
    cal = sla.BusinessCalendar(fixed, holidays=source, local_holidays=[])
    assert repr(cal) == (
        f"BusinessCalendar({fixed!r}, holidays=HolidaySource(US, observed=False, "
        "categories=('public', 'unofficial')))"
    )
    one = sla.BusinessCalendar("UTC", local_holidays=[dt.date(2026, 1, 2)])
    assert repr(one) == (
        "BusinessCalendar('UTC', local_holidays=HolidaySource(1 date, 2026-01-02))"
    )


def test_evolve_keeps_special_hours_exactly() -> None:
    """Special hours with seconds and microseconds survive attrs.evolve."""
    cal = sla.BusinessCalendar(
        "UTC", special_hours={dt.date(2026, 1, 2): "08:00:30.25-12:00"}
    )
    assert attrs.evolve(cal) == cal


def test_the_callers_holidays_object_is_not_changed() -> None:
    """Generating years on demand works on a copy of the holidays object."""
    mine = holidays.country_holidays("US", subdiv="MN", years=2026)
    cal = sla.BusinessCalendar("America/Chicago", holidays=mine)
    assert not cal.is_business_day(dt.date(2031, 12, 25))
    assert mine.years == {2026}


def test_shared_between_threads() -> None:
    """Threads compiling different years at once get the single-thread answers."""
    shared = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
    alone = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
    starts = [at(2000 + 3 * k, 3, 8, 1) for k in range(24)]
    results: dict[int, list[dt.datetime]] = {}

    def work(k: int) -> None:
        t = starts[k]
        results[k] = [shared.add(t, hours(h)) for h in (1, 100, 3000, -3000)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(starts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for k, t in enumerate(starts):
        assert results[k] == [alone.add(t, hours(h)) for h in (1, 100, 3000, -3000)]
