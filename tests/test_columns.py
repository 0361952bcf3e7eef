"""The columnar path by hand: DST edges, closures, missing values, closes.

Expected instants are written from a printed calendar (US 2026 DST changes:
8 March and 1 November) in UTC, so that no expected value is computed by
the code under test.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import defaultdict
from zoneinfo import ZoneInfo

import holidays
import pytest

import slacalc as sla
from tests.test_real_data import (
    BOSTON,
    BOSTON_TARGETS,
    NEW_YORK,
    baltimore_requests,
    boston_requests,
)

pytest.importorskip("numpy")

import numpy as np
import numpy.typing as npt

from slacalc import columns

CHICAGO = ZoneInfo("America/Chicago")
UTC = dt.UTC
CAL = sla.BusinessCalendar(
    tz="America/Chicago",
    hours="Mon-Fri 08:00-16:30",
    holidays=holidays.country_holidays("US", subdiv="MN"),
)


def utc(*values: str) -> npt.NDArray[np.datetime64]:
    """A datetime64[us] column of UTC instants written as ISO text."""
    return np.array(values, dtype="datetime64[us]")


def wall(*values: str) -> npt.NDArray[np.datetime64]:
    """A column of Chicago wall-clock times written as ISO text."""
    return columns.to_instants(np.array(values, dtype="datetime64[us]"), CHICAGO)


def same(actual: object, *expected: str) -> None:
    """Assert a result column equals UTC instants written as ISO text."""
    assert np.asarray(actual).dtype == np.dtype("datetime64[us]")
    np.testing.assert_array_equal(actual, utc(*expected))


# --------------------------------------------------------------------------
# Closes, openings and closed instants


def test_due_that_lands_on_a_close_is_that_close() -> None:
    """8.5 business hours from Friday 08:00 fall due at 16:30 that Friday."""
    received = wall("2026-12-04T08:00", "2026-12-04T15:30")
    due = columns.due(sla.BusinessHours(8.5), received, CAL)
    same(due, "2026-12-04T22:30", "2026-12-07T21:30")
    one = columns.due(sla.BusinessHours(1), received[1:], CAL)
    same(one, "2026-12-04T22:30")


def test_closed_receipt_starts_at_the_next_opening() -> None:
    """Received on Saturday, 2 business hours run from Monday 08:00."""
    received = wall("2026-12-05T10:00", "2026-12-04T16:30")
    same(
        columns.due(sla.BusinessHours(2), received, CAL),
        "2026-12-07T16:00",
        "2026-12-07T16:00",
    )
    same(columns.next_opening(received, CAL), "2026-12-07T14:00", "2026-12-07T14:00")


def test_negative_add_lands_on_an_opening() -> None:
    """An hour before Monday 09:00 is Monday's 08:00 opening, not Friday's close."""
    t = wall("2026-12-07T09:00", "2026-12-07T08:30")
    same(
        columns.add(t, dt.timedelta(hours=-1), CAL),
        "2026-12-07T14:00",
        "2026-12-04T22:00",
    )


def test_add_zero_is_the_next_opening() -> None:
    """Adding no time to a closed instant gives the next opening."""
    t = wall("2026-12-04T17:00", "2026-12-04T12:00")
    same(columns.add(t, dt.timedelta(0), CAL), "2026-12-07T14:00", "2026-12-04T18:00")


def test_elapsed_is_signed_and_skips_closed_time() -> None:
    """Friday 16:00 to Monday 09:00 is 1.5 business hours; backwards, -1.5."""
    fri, mon = wall("2026-11-20T16:00"), wall("2026-11-23T09:00")
    hours = columns.elapsed(fri, mon, CAL) / np.timedelta64(1, "h")
    assert hours.tolist() == [1.5]
    back = columns.elapsed(mon, fri, CAL)
    assert back.dtype == np.dtype("timedelta64[us]")
    assert back.tolist() == [dt.timedelta(hours=-1.5)]


def test_is_open_at_the_opening_not_at_the_close() -> None:
    """Opening hours are half-open: open at 08:00, closed at 16:30."""
    t = wall("2026-12-03T08:00", "2026-12-03T16:29:59.999999", "2026-12-03T16:30")
    assert columns.is_open(t, CAL).tolist() == [True, True, False]


def test_business_days_options() -> None:
    """Close, same time, by noon and a 15:00 cut-off, by hand (holiday: 26 Nov)."""
    received = wall("2026-11-24T15:30")  # Tuesday
    due = {
        "close": sla.BusinessDays(2),
        "same time": sla.BusinessDays(2, at="same_time"),
        "noon": sla.BusinessDays(1, at=dt.time(12)),
        "cutoff": sla.BusinessDays(1, cutoff=dt.time(15)),
    }
    got = {name: columns.due(t, received, CAL) for name, t in due.items()}
    same(got["close"], "2026-11-27T22:30")  # Wed, Fri (Thanksgiving skipped)
    same(got["same time"], "2026-11-27T21:30")
    same(got["noon"], "2026-11-25T18:00")
    same(got["cutoff"], "2026-11-27T22:30")  # starts Wednesday: due Friday


# --------------------------------------------------------------------------
# DST edges


def test_days_in_the_spring_gap_shift_forward() -> None:
    """Days(1) from Saturday 02:30 is Sunday 03:30 CDT (02:30 does not exist)."""
    same(columns.due(sla.Days(1), wall("2026-03-07T02:30"), CAL), "2026-03-08T08:30")


def test_days_in_the_fall_fold_take_the_earlier() -> None:
    """Days(1) from Saturday 01:30 CDT is Sunday 01:30 CDT, the first of two."""
    same(columns.due(sla.Days(1), wall("2026-10-31T01:30"), CAL), "2026-11-01T06:30")


def test_hours_across_spring_forward_are_absolute() -> None:
    """24 hours after Saturday 12:00 CST is Sunday 13:00 CDT."""
    same(columns.due(sla.Hours(24), wall("2026-03-07T12:00"), CAL), "2026-03-08T18:00")


def test_same_time_across_spring_forward_keeps_the_wall_time() -> None:
    """BusinessDays(1, at="same_time") from Friday 10:00 CST is Monday 10:00 CDT."""
    due = columns.due(
        sla.BusinessDays(1, at="same_time"), wall("2026-03-06T10:00"), CAL
    )
    same(due, "2026-03-09T15:00")


def test_opening_hours_inside_the_gap() -> None:
    """An office open 01:00-04:00 is open 01:00-02:00 and 03:00-04:00 CDT on
    8 March 2026: two hours, and the second one starts at 08:00 UTC."""
    night = sla.BusinessCalendar("America/Chicago", "daily 01:00-04:00")
    t = wall("2026-03-08T00:00")
    same(columns.next_opening(t, night), "2026-03-08T07:00")
    same(columns.add(t, dt.timedelta(hours=1.5), night), "2026-03-08T08:30")
    same(columns.add(t, dt.timedelta(hours=2), night), "2026-03-08T09:00")


def test_to_instants_rules_at_the_dst_changes() -> None:
    """The gap moves forward or is refused; the fold takes either pass or is refused."""
    gap = np.array(["2026-03-08T02:30"], dtype="datetime64[us]")
    fold = np.array(["2026-11-01T01:30"], dtype="datetime64[us]")
    same(columns.to_instants(gap, "America/Chicago"), "2026-03-08T08:30")
    same(columns.to_instants(fold, "America/Chicago"), "2026-11-01T06:30")
    later = columns.to_instants(fold, "America/Chicago", ambiguous="later")
    same(later, "2026-11-01T07:30")
    with pytest.raises(ValueError, match=r"values\[0\] .* 2026-03-08T02:30.* does not"):
        columns.to_instants(gap, "America/Chicago", nonexistent="raise")
    with pytest.raises(ValueError, match="happens twice there"):
        columns.to_instants(fold, CHICAGO, ambiguous="raise")


# --------------------------------------------------------------------------
# Closures and long closures


def test_closure_removes_open_time() -> None:
    """A Monday 10:00-14:00 closure: 3 hours from 08:00 end at 15:00, and a
    request received inside it starts at 14:00."""
    utc_cal = sla.BusinessCalendar(
        "UTC",
        "Mon-Fri 08:00-16:00",
        closures=[
            sla.Closure(
                dt.datetime(2026, 12, 7, 10, tzinfo=UTC),
                dt.datetime(2026, 12, 7, 14, tzinfo=UTC),
            )
        ],
    )
    received = utc("2026-12-07T08:00", "2026-12-07T11:00")
    same(
        columns.due(sla.BusinessHours(3), received, utc_cal),
        "2026-12-07T15:00",
        "2026-12-08T09:00",
    )


def test_more_than_a_year_closed_raises_for_the_batch() -> None:
    """One value behind a two-year closure makes the whole call raise."""
    closed = sla.BusinessCalendar(
        "UTC",
        closures=[
            sla.Closure(
                dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2028, 1, 1, tzinfo=UTC)
            )
        ],
    )
    t = utc("2025-12-01T10:00", "2026-06-01T10:00")
    with pytest.raises(sla.ClosedTooLongError, match="more than a year"):
        columns.next_opening(t, closed)
    with pytest.raises(sla.ClosedTooLongError):
        columns.due(sla.BusinessDays(30), t[:1], closed)
    same(columns.next_opening(t[:1], closed), "2025-12-01T10:00")
    # 7 hours on Monday 1 December, 8 on each of the 22 weekdays after it.
    assert columns.elapsed(t[:1], t[1:], closed).tolist() == [
        dt.timedelta(hours=7 + 22 * 8)
    ]


# --------------------------------------------------------------------------
# Missing values, shapes and inputs


def test_missing_values_stay_missing_and_shape_is_kept() -> None:
    """NaT in gives NaT out at the same place; a 2-D column stays 2-D."""
    received = np.array(
        [["2026-12-04T14:00", "NaT"], ["NaT", "2026-12-05T14:00"]],
        dtype="datetime64[us]",
    )
    due = columns.due(sla.BusinessDays(1), received, CAL)
    assert due.shape == (2, 2)
    assert np.isnat(due).tolist() == [[False, True], [True, False]]
    same(due[~np.isnat(due)], "2026-12-07T22:30", "2026-12-08T22:30")


def test_all_missing_and_empty_columns() -> None:
    """All-NaT and empty columns come back as they are, for every function."""
    for values in (np.array(["NaT", "NaT"], "datetime64[us]"), utc()):
        n = len(values)
        assert np.isnat(columns.due(sla.BusinessHours(2), values, CAL)).sum() == n
        assert np.isnat(columns.due(sla.Days(2), values, CAL)).sum() == n
        assert np.isnat(columns.elapsed(values, values, CAL)).sum() == n
        assert columns.is_open(values, CAL).tolist() == [False] * n
        assert len(columns.to_instants(values, "UTC")) == n


def test_elapsed_is_missing_where_either_end_is() -> None:
    """elapsed(a, b) is NaT where a or b is NaT."""
    a = utc("2026-12-07T15:00", "NaT", "2026-12-07T15:00")
    b = utc("NaT", "2026-12-07T16:00", "2026-12-07T16:00")
    got = columns.elapsed(a, b, CAL)
    assert np.isnat(got).tolist() == [True, True, False]
    assert got[2] == np.timedelta64(3600, "s")


def test_add_with_a_delta_per_value() -> None:
    """Per-value deltas of both signs, and NaT, in one call."""
    t = wall("2026-12-07T09:00", "2026-12-07T09:00", "2026-12-07T09:00")
    deltas = np.array([3600, -3600, "NaT"], dtype="timedelta64[s]")
    got = columns.add(t, deltas, CAL)
    assert np.isnat(got).tolist() == [False, False, True]
    same(got[:2], "2026-12-07T16:00", "2026-12-07T14:00")


def test_input_kinds() -> None:
    """int64 microseconds, coarser and finer datetime64 units (floored to the
    microsecond) and aware datetimes all give the same column."""
    expected = utc("2026-12-07T15:00:00.000001")
    as_int = np.array([1_796_655_600_000_001])
    as_ns = np.array(["2026-12-07T15:00:00.000001999"], dtype="datetime64[ns]")
    aware = [dt.datetime(2026, 12, 7, 9, 0, 0, 1, tzinfo=CHICAGO)]
    for values in (expected, as_int, as_ns, aware):
        same(columns.next_opening(values, CAL), "2026-12-07T15:00:00.000001")
    coarse = np.array(["2026-12-07T15:00"], dtype="datetime64[m]")
    same(columns.next_opening(coarse, CAL), "2026-12-07T15:00")
    same(
        columns.to_instants([aware[0], None], None), "2026-12-07T15:00:00.000001", "NaT"
    )


def test_bad_inputs_are_named() -> None:
    """Text, naive datetimes and unknown options are refused with the argument."""
    with pytest.raises(TypeError, match=r"received must be .*columns.to_instants"):
        columns.due(sla.Hours(1), np.array(["2026-12-07"]), CAL)
    with pytest.raises(sla.NaiveDatetimeError, match=r"t\[0\] must be"):
        columns.next_opening([dt.datetime(2026, 12, 7, 9)], CAL)
    with pytest.raises(sla.NaiveDatetimeError, match="tz is required"):
        columns.to_instants(np.array(["2026-12-07"], "datetime64[us]"))
    with pytest.raises(ValueError, match="ambiguous must be one of"):
        columns.to_instants(utc(), "UTC", ambiguous="first")  # type: ignore[arg-type]
    with pytest.raises(sla.TargetError, match="tz is required for a Days target"):
        columns.due(sla.Days(1), utc("2026-12-07"))
    with pytest.raises(sla.TargetError, match="calendar must be a BusinessCalendar"):
        columns.due(sla.BusinessHours(1), utc("2026-12-07"))
    with pytest.raises(ValueError, match="same shape"):
        columns.elapsed(utc("2026-12-07"), utc(), CAL)


def test_to_instants_reads_text_and_datetimes() -> None:
    """ISO text (empty = missing) and naive datetimes are wall times in tz."""
    text = columns.to_instants(["2026-07-01 09:15:00", ""], "America/Chicago")
    same(text, "2026-07-01T14:15", "NaT")
    naive = columns.to_instants([dt.datetime(2026, 1, 5, 9)], "America/Chicago")
    same(naive, "2026-01-05T15:00")


def test_import_slacalc_does_not_import_numpy() -> None:
    """numpy stays optional: importing slacalc leaves it unimported."""
    code = "import sys, slacalc; print('numpy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------
# Real data: the published due dates through the columnar path


def test_baltimore_due_dates_by_column() -> None:
    """Baltimore's DueDate, one Days(n) column per SRType, from wall times."""
    by_type: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for sr_type, created, due in baltimore_requests():
        by_type[sr_type].append((created, due))
    checked = 0
    for pairs in by_type.values():
        walls = [c.replace(tzinfo=None) for c, _ in pairs]
        n = (pairs[0][1].date() - pairs[0][0].date()).days
        received = columns.to_instants(np.array(walls, "datetime64[us]"), NEW_YORK)
        got = columns.due(sla.Days(n), received, tz=NEW_YORK)
        expected = columns.to_instants([d for _, d in pairs])
        np.testing.assert_array_equal(got, expected)
        checked += len(pairs)
    assert checked == 2935


def test_boston_targets_by_column() -> None:
    """Boston's target_dt from open_dt for each type, column by column, equals
    the scalar due date on every row (87 of 89 match the published value)."""
    by_type: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for _, kind, opened, target in boston_requests():
        by_type[kind].append((opened, target))
    rows = 0
    for kind, pairs in by_type.items():
        days = BOSTON_TARGETS[kind]
        walls = np.array([o.replace(tzinfo=None) for o, _ in pairs], "datetime64[us]")
        got = columns.due(days, columns.to_instants(walls, BOSTON.tz), BOSTON)
        scalar = [days.due(o, BOSTON) for o, _ in pairs]
        np.testing.assert_array_equal(got, columns.to_instants(scalar))
        rows += len(pairs)
    assert rows == 89
