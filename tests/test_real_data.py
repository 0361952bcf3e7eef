"""Published due dates from real 311 exports, reproduced with slacalc.

The exports live outside the repository, in ``../shared/data/`` (see its
README.md for their origin and quirks); every timestamp in them is local
wall-clock time in America/New_York without a zone suffix.

- Baltimore, Oct 2019: ``DueDate`` is ``CreatedDate`` plus a fixed number of
  calendar days per ``SRType`` at the same wall-clock time, also across the
  2019-11-03 fall-back change: ``Days(n)``.
- Boston, Jan 2022: ``target_dt`` is ``open_dt`` plus calendar days per
  ``type``, many of them counted from the next opening of a Mon-Fri
  08:30-17:00 office (``Days(n, starts="next_opening")``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import holidays
import pytest

import slacalc as sla

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC

Row = dict[str, str]


def read_rows(name: str) -> list[Row]:
    """The rows of one export in ``DATA``, or skip the test if it is absent."""
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"real 311 data not found: {path} (the shared data folder)")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def local(wall: dt.datetime) -> dt.datetime:
    """A naive New York wall-clock time as an instant (fold=0: the earlier)."""
    return wall.replace(tzinfo=NEW_YORK, fold=0)


def same_instant_and_wall(actual: dt.datetime, expected: dt.datetime) -> bool:
    """Whether two aware datetimes are the same instant and the same wall time.

    ``==`` between datetimes sharing a tzinfo compares wall fields only, so
    the instant is compared in UTC as well.
    """
    return actual.astimezone(UTC) == expected.astimezone(UTC) and actual.replace(
        tzinfo=None
    ) == expected.replace(tzinfo=None)


# --------------------------------------------------------------------------
# Baltimore, 18-21 Oct 2019

BALTIMORE = "baltimore_311_2019-10_sample3000.csv"
BALTIMORE_FORMAT = "%m/%d/%Y %I:%M:%S %p"
#: 2019-11-03 02:00 EDT, when New York fell back to EST.
FALL_BACK_2019 = dt.datetime(2019, 11, 3, 6, 0, tzinfo=UTC)


def baltimore_requests() -> list[tuple[str, dt.datetime, dt.datetime]]:
    """(SRType, created, due) of every Baltimore row that has a DueDate."""
    requests = []
    for row in read_rows(BALTIMORE):
        if row["DueDate"] in ("", "NA"):
            continue
        created = dt.datetime.strptime(row["CreatedDate"], BALTIMORE_FORMAT)
        due = dt.datetime.strptime(row["DueDate"], BALTIMORE_FORMAT)
        requests.append((row["SRType"], local(created), local(due)))
    return requests


def test_baltimore_due_date_is_days_n_per_service_type() -> None:
    """Every Baltimore DueDate equals Days(n).due(CreatedDate), one n per SRType."""
    requests = baltimore_requests()
    days: dict[str, int] = {}
    for sr_type, created, due in requests:
        days.setdefault(sr_type, (due.date() - created.date()).days)
    mismatches = [
        (sr_type, created, due, actual)
        for sr_type, created, due in requests
        if not same_instant_and_wall(
            actual := sla.Days(days[sr_type]).due(created), due
        )
    ]
    assert mismatches == []
    assert len(requests) == 2935  # 65 rows of 13 other types have no DueDate
    assert len(days) == 134
    assert Counter(days.values())[0] == 8  # Days(0): due at receipt
    assert max(days.values()) == 180


def test_baltimore_due_dates_cross_the_fall_back_change() -> None:
    """Days(n) keeps the wall time across the 2019-11-03 fall-back change."""
    after = [
        (sr_type, created, due)
        for sr_type, created, due in baltimore_requests()
        if due.astimezone(UTC) >= FALL_BACK_2019
    ]
    assert len(after) == 835
    assert len({sr_type for sr_type, _, _ in after}) == 50
    # All but one fall due in EST, an hour more than n * 24 hours after an
    # EDT receipt; the 180-day one (TRM-Street and Crosswalk Markings, due
    # 2020-04-18) crosses the spring change too and is back in EDT.
    in_est = 0
    for _, created, due in after:
        n = (due.date() - created.date()).days
        actual = sla.Days(n).due(created)
        assert same_instant_and_wall(actual, due)
        assert actual.utcoffset() == due.utcoffset()
        shift = due.utcoffset() != created.utcoffset()
        elapsed = due.astimezone(UTC) - created.astimezone(UTC)
        assert elapsed == dt.timedelta(days=n, hours=1 if shift else 0)
        if shift:
            in_est += 1
            assert sla.Hours(24 * n).due(created).astimezone(UTC) != due
    assert in_est == 834


# --------------------------------------------------------------------------
# Boston, January 2022

BOSTON_2022 = "boston_311_2022_sample100.csv"

#: Boston's 311 departments: Monday to Friday 08:30-17:00, Massachusetts
#: holidays. The data pins the hours between 08:30 (07:55, 08:00 and 08:22
#: wait for 08:30) and 16:48:09-17:02 (Mon 16:48:09 starts at receipt,
#: Mon 17:02 waits for Tuesday 08:30); weekends are closed. No receipt in
#: the sample falls on a holiday that matters: 2022-01-01 is a Saturday and
#: nothing arrives on 2022-01-16/17 (MLK day).
BOSTON = sla.BusinessCalendar(
    tz="America/New_York",
    hours="Mon-Fri 08:30-17:00",
    holidays=holidays.country_holidays("US", subdiv="MA"),
)

NEXT: Final = "next_opening"
#: The target of every request type that has a target_dt. Types seen only
#: while the office was open do not show whether their clock waits for the
#: next opening; they are written as Days(n) (at receipt). Days, not Hours:
#: four targets lie after the 2022-03-13 spring-forward change at the same
#: wall time. Days, not BusinessDays: 14-day targets land on MLK day.
BOSTON_TARGETS: dict[str, sla.Days] = {
    "Abandoned Vehicles": sla.Days(16, starts=NEXT),
    "CE Collection": sla.Days(1, starts=NEXT),
    "Electrical": sla.Days(7, starts=NEXT),
    "Empty Litter Basket": sla.Days(1, starts=NEXT),
    "General Comments For a Program or Policy": sla.Days(14),  # seen open only
    "General Lighting Request": sla.Days(45),  # seen open only
    "Graffiti Removal": sla.Days(63, starts=NEXT),
    "Ground Maintenance": sla.Days(7, starts=NEXT),
    "Improper Storage of Trash (Barrels)": sla.Days(2, starts=NEXT),
    "Knockdown Replacement": sla.Days(60),  # Saturday receipt, at receipt
    "Missed Trash/Recycling/Yard Waste/Bulk Item": sla.Days(1, starts=NEXT),
    "New Sign  Crosswalk or Pavement Marking": sla.Days(30),  # Saturday receipt
    "PWD Graffiti": sla.Days(7, starts=NEXT),
    "Parking Enforcement": sla.Days(1, starts=NEXT),
    "Pest Infestation - Residential": sla.Days(120),  # seen open only
    "Pick up Dead Animal": sla.Days(1, starts=NEXT),
    "Poor Conditions of Property": sla.Days(3, starts=NEXT),
    "Request for Pothole Repair": sla.Days(1, starts=NEXT),
    "Request for Recycling Cart": sla.Days(21),  # seen open only
    "Requests for Street Cleaning": sla.Days(1, starts=NEXT),
    "Rodent Activity": sla.Days(30),  # Saturday receipts, at receipt
    "Short Term Rental": sla.Days(42, starts=NEXT),
    "Sidewalk Repair (Make Safe)": sla.Days(1, starts=NEXT),
    "Sign Repair": sla.Days(14, starts=NEXT),
    "Street Light Outages": sla.Days(14, starts=NEXT),
    "Traffic Signal Inspection": sla.Days(1),  # Sunday and night receipts
    "Unsatisfactory Living Conditions": sla.Days(120),  # seen open only
    "Unsatisfactory Utilities - Electrical  Plumbing": sla.Days(90),  # Sat 00:16
}

#: Rows whose target_dt is not reproduced even allowing for the minute cut of
#: open_dt: open_dt keeps its seconds, yet target_dt is a few seconds off
#: "open_dt + SLA". The CRM stamped the target from a clock reading a little
#: apart from open_dt. Boston's 2015 export shows the same jitter: of its
#: targets within 10 s of "open_dt + whole days" where open_dt keeps its
#: seconds, 21,887 are exact, 4,514 are 1 s early, 2,906 others 1-10 s off.
BOSTON_UNEXPLAINED = {
    # Traffic Signal Inspection, Sun 2022-01-02 10:32:35 -> Mon 10:32:34:
    # one second before Days(1).
    "101004113906": dt.timedelta(seconds=-1),
    # CE Collection, Mon 2022-01-03 11:26:38 -> Tue 11:26:45: seven seconds
    # after Days(1, starts="next_opening") (open, so from receipt).
    "101004114706": dt.timedelta(seconds=7),
}


def boston_requests() -> list[tuple[str, str, dt.datetime, dt.datetime]]:
    """(case id, type, open, target) of every Boston 2022 row with a target."""
    return [
        (
            row["case_enquiry_id"],
            row["type"],
            local(dt.datetime.fromisoformat(row["open_dt"])),
            local(dt.datetime.fromisoformat(row["target_dt"])),
        )
        for row in read_rows(BOSTON_2022)
        if row["target_dt"]
    ]


def test_boston_2022_targets_reproduced_from_open_dt() -> None:
    """87 of 89 Boston targets are Days(n[, next_opening]) on Mon-Fri 08:30-17:00."""
    outcome: Counter[str] = Counter()
    unexplained: dict[str, dt.timedelta] = {}
    for case_id, kind, opened, target in boston_requests():
        due = BOSTON_TARGETS[kind].due(opened, BOSTON)
        assert due.tzinfo is not None
        assert due.utcoffset() == target.utcoffset()
        offset = target - due
        if same_instant_and_wall(due, target):
            outcome["exact"] += 1
        elif opened.second == 0 and dt.timedelta(0) < offset < dt.timedelta(minutes=1):
            # open_dt was cut to the whole minute; target_dt kept the seconds
            # of the real creation time (e.g. 13:47:00 -> 13:47:30).
            assert due.second == 0
            assert target.second == offset.seconds
            outcome["open_dt cut to the minute"] += 1
        else:
            unexplained[case_id] = offset
    assert outcome == {"exact": 72, "open_dt cut to the minute": 15}
    assert sum(outcome.values()) == 87
    assert unexplained == BOSTON_UNEXPLAINED


def test_boston_2022_clock_waits_for_next_opening() -> None:
    """Received while closed, next_opening types fall due at 08:30, others do not."""
    closed = [
        (BOSTON_TARGETS[kind], opened, target)
        for _, kind, opened, target in boston_requests()
        if not BOSTON.is_open(opened)
    ]
    waited = [(o, t) for target, o, t in closed if target.starts == NEXT]
    assert len(waited) == 58
    for opened, target in waited:
        assert BOSTON.next_opening(opened).time() == dt.time(8, 30)
        assert target.time() == dt.time(8, 30)
    # Knockdown Replacement, New Sign, Rodent Activity, Traffic Signal
    # Inspection and Unsatisfactory Utilities do not wait.
    at_receipt = [(o, t) for target, o, t in closed if target.starts != NEXT]
    assert len(at_receipt) == 8
    for opened, target in at_receipt:
        assert target.time().replace(second=0) == opened.time().replace(second=0)
    assert BOSTON.is_open(local(dt.datetime(2022, 1, 3, 16, 48, 9)))
    assert not BOSTON.is_open(local(dt.datetime(2022, 1, 3, 17, 2)))
    assert not BOSTON.is_open(local(dt.datetime(2022, 1, 3, 8, 22)))
    saturday = local(dt.datetime(2022, 1, 1, 9, 17, 38))
    assert same_instant_and_wall(
        BOSTON.next_opening(saturday), local(dt.datetime(2022, 1, 3, 8, 30))
    )


def test_boston_2022_days_keep_wall_time_across_spring_forward() -> None:
    """Boston's 90- and 120-day targets keep the wall time across 2022-03-13."""
    spring_forward = dt.datetime(2022, 3, 13, 7, 0, tzinfo=UTC)
    late = [
        (BOSTON_TARGETS[kind], opened, target)
        for _, kind, opened, target in boston_requests()
        if target.astimezone(UTC) > spring_forward
    ]
    assert len(late) == 4
    for days, opened, target in late:
        due = days.due(opened, BOSTON)
        assert due.utcoffset() == dt.timedelta(hours=-4)
        wall = opened.replace(tzinfo=None) + dt.timedelta(days=days.n)
        assert due.replace(tzinfo=None) == wall
        assert dt.timedelta(0) <= target - due < dt.timedelta(minutes=1)
        hours = sla.Hours(24 * days.n).due(opened, BOSTON)
        assert due.astimezone(UTC) - hours.astimezone(UTC) == dt.timedelta(hours=-1)


def test_boston_2022_calendar_days_run_through_holidays() -> None:
    """Days(n) from the next opening may fall due on a holiday (MLK day 2022)."""
    assert not BOSTON.is_business_day(dt.date(2022, 1, 17))
    assert not BOSTON.is_business_day(dt.date(2022, 1, 1))
    on_holiday = [
        (case_id, target)
        for case_id, _, _, target in boston_requests()
        if not BOSTON.is_business_day(target.date())
    ]
    assert {case_id for case_id, _ in on_holiday} == {
        "101004114383",  # Sign Repair, Mon 07:55 -> Mon 2022-01-17 08:30
        "101004113667",  # Street Light Outages, Sat 18:25 -> 2022-01-17 08:30
        "101004113747",  # Street Light Outages, Sat 23:46 -> 2022-01-17 08:30
    }
