"""SLA targets against a printed calendar (Minnesota office, 2026)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import attrs
import holidays
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import slacalc as sla
from tests.strategies import durations, moments

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
MN = holidays.country_holidays("US", subdiv="MN")


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0
) -> dt.datetime:
    """A Chicago wall-clock instant."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHICAGO, fold=fold)


@pytest.fixture(scope="module")
def cal() -> sla.BusinessCalendar:
    """The Minnesota office calendar, Mon-Fri 08:00-16:30."""
    return sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30", holidays=MN)


# The cases the design pins


def test_five_business_days_skip_thanksgiving(cal: sla.BusinessCalendar) -> None:
    """From Fri 20 Nov 10:00, due Mon 30 Nov 16:30."""
    assert sla.BusinessDays(5).due(at(2026, 11, 20, 10), cal) == at(
        2026, 11, 30, 16, 30
    )


def test_a_local_holiday_moves_the_due_date(cal: sla.BusinessCalendar) -> None:
    """Closing Fri 27 Nov too makes it Tue 1 Dec 16:30."""
    local = attrs.evolve(cal, local_holidays=[dt.date(2026, 11, 27)])
    assert sla.BusinessDays(5).due(at(2026, 11, 20, 10), local) == at(
        2026, 12, 1, 16, 30
    )


def test_eight_business_hours_over_independence_day(cal: sla.BusinessCalendar) -> None:
    """From Thu 2 Jul 15:00, due Mon 6 Jul 14:30."""
    assert sla.BusinessHours(8).due(at(2026, 7, 2, 15), cal) == at(2026, 7, 6, 14, 30)


def test_hours_and_days_across_spring_forward() -> None:
    """From Sat 7 Mar 12:00 CST: 24 hours is Sun 13:00 CDT, one day Sun 12:00."""
    saturday = at(2026, 3, 7, 12)
    assert sla.Hours(24).due(saturday) == at(2026, 3, 8, 13)
    assert sla.Days(1).due(saturday) == at(2026, 3, 8, 12)
    assert sla.Hours(24).due(saturday).utcoffset() == dt.timedelta(hours=-5)


def test_hours_and_days_across_fall_back() -> None:
    """From Sat 31 Oct 12:00 CDT: 24 hours is Sun 11:00 CST, one day Sun 12:00."""
    saturday = at(2026, 10, 31, 12)
    assert sla.Hours(24).due(saturday) == at(2026, 11, 1, 11)
    assert sla.Days(1).due(saturday) == at(2026, 11, 1, 12)


def test_days_in_the_gap_shift_forward() -> None:
    """02:30 does not exist on 8 March: one day after Sat 02:30 is Sun 03:30."""
    assert sla.Days(1).due(at(2026, 3, 7, 2, 30)) == at(2026, 3, 8, 3, 30)


def test_days_in_the_fold_take_the_earlier() -> None:
    """01:30 happens twice on 1 November: the first one, CDT, is due."""
    due = sla.Days(1).due(at(2026, 10, 31, 1, 30))
    # Aware datetimes in a fold never compare equal across zones, so compare
    # in one zone.
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)


def test_thirty_days_keep_the_wall_time() -> None:
    """Thirty days after 15 Oct 10:00 CDT is 14 Nov 10:00 CST."""
    assert sla.Days(30).due(at(2026, 10, 15, 10)) == at(2026, 11, 14, 10)


# Options


def test_hours_from_next_opening(cal: sla.BusinessCalendar) -> None:
    """24 hours from the next opening, received Saturday: Tue 08:00."""
    target = sla.Hours(24, starts="next_opening")
    assert target.due(at(2026, 12, 5, 10), cal) == at(2026, 12, 8, 8)
    assert target.due(at(2026, 12, 7, 10), cal) == at(2026, 12, 8, 10)


def test_days_from_next_opening(cal: sla.BusinessCalendar) -> None:
    """One day from the next opening, received Saturday: Tue 08:00."""
    target = sla.Days(1, starts="next_opening")
    assert target.due(at(2026, 12, 5, 10), cal) == at(2026, 12, 8, 8)


def test_business_days_at_the_same_time(cal: sla.BusinessCalendar) -> None:
    """Two business days at the same time: Thu 10:15 gives Mon 10:15."""
    target = sla.BusinessDays(2, at="same_time")
    assert target.due(at(2026, 12, 3, 10, 15), cal) == at(2026, 12, 7, 10, 15)
    assert target.due(at(2026, 12, 5, 10), cal) == at(2026, 12, 9, 8)


def test_same_time_is_clamped_to_a_short_day() -> None:
    """Due on Christmas Eve, closing at noon, at 14:00 becomes 12:00."""
    cal = sla.BusinessCalendar(
        "America/Chicago",
        "Mon-Fri 08:00-16:30",
        special_hours={dt.date(2026, 12, 24): "08:00-12:00"},
    )
    target = sla.BusinessDays(1, at="same_time")
    assert target.due(at(2026, 12, 23, 14), cal) == at(2026, 12, 24, 12)


def test_next_business_day_by_noon(cal: sla.BusinessCalendar) -> None:
    """Received Mon 15:00, due Tue 12:00; received Friday, due Monday noon."""
    target = sla.parse_target("next business day by noon")
    assert target.due(at(2026, 12, 7, 15), cal) == at(2026, 12, 8, 12)
    assert target.due(at(2026, 12, 4, 9), cal) == at(2026, 12, 7, 12)


def test_cutoff_moves_the_start_to_the_next_business_day(
    cal: sla.BusinessCalendar,
) -> None:
    """With a 15:00 cut-off, Fri 15:30 counts as Monday: due Tue 16:30."""
    target = sla.BusinessDays(1, cutoff=dt.time(15))
    assert target.due(at(2026, 12, 4, 15, 30), cal) == at(2026, 12, 8, 16, 30)
    assert target.due(at(2026, 12, 4, 14, 59), cal) == at(2026, 12, 7, 16, 30)
    assert target.due(at(2026, 12, 4, 15), cal) == at(2026, 12, 8, 16, 30)


def test_same_business_day(cal: sla.BusinessCalendar) -> None:
    """Zero business days is the close of the day the clock starts."""
    assert sla.BusinessDays(0).due(at(2026, 12, 7, 9), cal) == at(2026, 12, 7, 16, 30)
    assert sla.BusinessDays(0).due(at(2026, 12, 5, 9), cal) == at(2026, 12, 7, 16, 30)


def test_a_fixed_time_never_precedes_the_start(cal: sla.BusinessCalendar) -> None:
    """Same day by noon, received at 14:00: due at once, not before receipt."""
    target = sla.BusinessDays(0, at=dt.time(12))
    assert target.due(at(2026, 12, 7, 14), cal) == at(2026, 12, 7, 14)


def test_received_outside_the_calendar_zone(cal: sla.BusinessCalendar) -> None:
    """An instant in UTC is read in the calendar's zone and answered there."""
    received = dt.datetime(2026, 11, 20, 16, tzinfo=dt.UTC)  # 10:00 Chicago
    due = sla.BusinessDays(5).due(received, cal)
    assert due == at(2026, 11, 30, 16, 30)
    assert due.tzinfo is CHICAGO


def test_clock_helpers(cal: sla.BusinessCalendar) -> None:
    """start, elapsed and extend follow each target's own clock."""
    saturday = at(2026, 12, 5, 10)
    assert sla.BusinessHours(1).start(saturday, cal) == at(2026, 12, 7, 8)
    assert sla.Hours(1).start(saturday, cal) == saturday
    assert sla.BusinessDays(1).elapsed(saturday, at(2026, 12, 7, 9), cal) == (
        dt.timedelta(hours=1)
    )
    assert sla.Days(1).extend(saturday, dt.timedelta(hours=2), cal) == at(
        2026, 12, 5, 12
    )


def test_calendar_clocks_count_real_hours_across_spring_forward() -> None:
    """Sun 8 Mar 2026 01:00 CST to 04:00 CDT is two hours (02:00 does not
    happen), and two hours after 01:00 CST is 04:00 CDT."""
    one_am, four_am = at(2026, 3, 8, 1), at(2026, 3, 8, 4)
    two_hours = dt.timedelta(hours=2)
    for target in (sla.Hours(24), sla.Days(1)):
        assert target.elapsed(one_am, four_am) == two_hours
        assert target.extend(one_am, two_hours) == four_am


def test_calendar_clocks_count_real_hours_across_fall_back() -> None:
    """Sun 1 Nov 2026 00:30 CDT to 02:30 CST is three hours (01:00-02:00
    happens twice)."""
    before, after = at(2026, 11, 1, 0, 30), at(2026, 11, 1, 2, 30)
    assert sla.Hours(1).elapsed(before, after) == dt.timedelta(hours=3)
    assert sla.Days(1).extend(before, dt.timedelta(hours=3)) == after


@given(
    moments("America/Chicago"),
    durations(),
    st.sampled_from([sla.Hours(8), sla.Days(2, starts="next_opening")]),
)
def test_calendar_clocks_are_absolute_time(
    t: dt.datetime, d: dt.timedelta, target: sla.Target
) -> None:
    """On a calendar-time clock, extending by d moves the instant by d, and
    the elapsed time back is d, whatever DST does in between."""
    later = target.extend(t, d)
    assert later.astimezone(dt.UTC) == t.astimezone(dt.UTC) + d
    assert target.elapsed(t, later) == d
    assert target.elapsed(later, t) == -d


# Text form


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("24 hours", sla.Hours(24)),
        ("1 hour", sla.Hours(1)),
        ("1.5 hours", sla.Hours(1.5)),
        ("30 days", sla.Days(30)),
        ("1 day", sla.Days(1)),
        ("8 business hours", sla.BusinessHours(8)),
        ("5 business days", sla.BusinessDays(5)),
        ("1 business day by 12:00", sla.BusinessDays(1, at=dt.time(12))),
        ("3 business days at same time", sla.BusinessDays(3, at="same_time")),
        ("2 business days, cutoff 15:00", sla.BusinessDays(2, cutoff=dt.time(15))),
        ("24 hours from next opening", sla.Hours(24, starts="next_opening")),
        ("2 days from next opening", sla.Days(2, starts="next_opening")),
    ],
)
def test_text_form_round_trips(text: str, target: sla.Target) -> None:
    """str() gives the canonical text, and parse_target reads it back."""
    assert str(target) == text
    assert sla.parse_target(text) == target


@pytest.mark.parametrize(
    ("target", "text"),
    [
        (sla.Hours(1e-05), "0.00001 hours"),
        (sla.BusinessHours(1234567.5), "1234567.5 business hours"),
        (sla.Hours(0.1 + 0.2), "0.30000000000000004 hours"),
        (sla.Hours(2.0), "2 hours"),
        (sla.Hours(1e22), "10000000000000000000000 hours"),
        (sla.Hours(1e23), "99999999999999991611392 hours"),
        (sla.Days(10**30), "1000000000000000000000000000000 days"),
        (
            sla.BusinessDays(1, at=dt.time(9, 30, 0, 250_000)),
            "1 business day by 09:30:00.250000",
        ),
    ],
)
def test_text_form_is_exact(target: sla.Target, text: str) -> None:
    """Small, large and long amounts and sub-second times are written out
    in full, without an exponent, and read back equal."""
    assert str(target) == text
    assert sla.parse_target(text) == target


_CLOCKS = st.times()
_VALID_TARGETS = st.one_of(
    st.builds(
        sla.Hours,
        st.integers(min_value=0) | st.floats(min_value=0, allow_infinity=False),
        starts=st.sampled_from(("at_receipt", "next_opening")),
    ),
    st.builds(
        sla.Days,
        st.integers(min_value=0),
        starts=st.sampled_from(("at_receipt", "next_opening")),
    ),
    st.builds(
        sla.BusinessHours,
        st.integers(min_value=0) | st.floats(min_value=0, allow_infinity=False),
    ),
    st.builds(
        sla.BusinessDays,
        st.integers(min_value=0),
        at=st.sampled_from(("close", "same_time")) | _CLOCKS,
        cutoff=st.none() | _CLOCKS,
    ),
)


@given(_VALID_TARGETS)
@example(sla.Hours(5e-324))
@example(sla.BusinessHours(1.7976931348623157e308))
@example(sla.Hours(10**400, starts="next_opening"))
def test_every_target_reads_back_from_its_text(target: sla.Target) -> None:
    """parse_target(str(t)) == t for every valid target and option."""
    assert sla.parse_target(str(target)) == target


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("one work week", sla.BusinessDays(5)),
        ("2 weeks", sla.Days(14)),
        ("2 calendar days", sla.Days(2)),
        ("next business day", sla.BusinessDays(1)),
        ("5 Working Days", sla.BusinessDays(5)),
        ("an hour", sla.Hours(1)),
        ("1 business day at 09:30", sla.BusinessDays(1, at=dt.time(9, 30))),
        ("2 business days at close", sla.BusinessDays(2)),
    ],
)
def test_other_spellings(text: str, target: sla.Target) -> None:
    """Common ways to write an SLA read as the expected target."""
    assert sla.parse_target(text) == target


def test_targets_are_hashable_values() -> None:
    """Equal targets hash alike and work as dictionary keys."""
    names: dict[sla.Target, str] = {sla.Hours(24): "ballot"}
    assert names[sla.parse_target("24 hours")] == "ballot"
    assert sla.BusinessDays(5) != sla.BusinessDays(5, at="same_time")


# Errors


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: sla.Days(-1), "n must be a whole number of days >= 0, got -1"),
        (lambda: sla.Days(1.5), "n must be a whole number of days >= 0, got 1.5"),
        (lambda: sla.BusinessDays(True), "got True"),
        (lambda: sla.Hours(-2), "amount must be a number of hours >= 0, got -2"),
        (lambda: sla.Hours(float("nan")), "got nan"),
        (lambda: sla.BusinessHours("8"), "got '8'"),
        (
            lambda: sla.BusinessDays(1, at="noon"),  # type: ignore[arg-type]
            "at must be 'close', 'same_time'",
        ),
        (
            lambda: sla.BusinessDays(1, cutoff="15:00"),  # type: ignore[arg-type]
            "cutoff must be a wall-clock",
        ),
        (
            lambda: sla.Hours(1, starts="now"),  # type: ignore[arg-type]
            "starts must be 'at_receipt' or",
        ),
    ],
)
def test_out_of_range_targets(make: object, message: str) -> None:
    """Bad target arguments raise TargetError naming the argument and value."""
    with pytest.raises(sla.TargetError, match=message.replace("(", r"\(")):
        make()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "text must be text like '24 hours'"),
        ("1.5 days", "whole number of days"),
        ("2 hours by 12:00", "only with business days"),
        ("5 business days from next opening", "only with hours or days"),
        ("1 business day by 25:00", "clock times from 00:00 to 23:59, got '25:00'"),
    ],
)
def test_unparseable_targets(text: str, message: str) -> None:
    """Unreadable target text raises TargetError quoting what is wrong."""
    with pytest.raises(sla.TargetError, match=message):
        sla.parse_target(text)


def test_business_targets_need_a_calendar() -> None:
    """Without a calendar a business target names the missing argument."""
    with pytest.raises(sla.TargetError, match="calendar must be a BusinessCalendar"):
        sla.BusinessDays(5).due(at(2026, 12, 7, 9))
    with pytest.raises(sla.TargetError, match="'24 hours from next opening'"):
        sla.Hours(24, starts="next_opening").due(at(2026, 12, 7, 9))


def test_naive_received_is_refused(cal: sla.BusinessCalendar) -> None:
    """A naive receipt time raises NaiveDatetimeError naming 'received'."""
    with pytest.raises(sla.NaiveDatetimeError, match=r"^received must be"):
        sla.BusinessHours(8).due(dt.datetime(2026, 12, 7, 9), cal)
    with pytest.raises(sla.NaiveDatetimeError, match=r"^received must be"):
        sla.Days(1).due(dt.datetime(2026, 12, 7, 9))
