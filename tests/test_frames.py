"""slacalc.frames: DataFrames in, outcome columns and reports out."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import slacalc as sla
from slacalc._stats import share_bins

pytest.importorskip("pandas")

import numpy as np
import pandas as pd

from slacalc import frames

CHICAGO = ZoneInfo("America/Chicago")
CAL = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
BOOK = sla.PolicyBook(
    [
        sla.Policy(
            "Potholes", "2 business days", goal=0.9, calendar=CAL, services=["POT"]
        )
    ],
    default=sla.Policy("Other", "24 hours", goal=0.8, calendar=CAL),
)
AS_OF = dt.datetime(2026, 3, 20, tzinfo=CHICAGO)
COLUMNS = {
    "received": "opened",
    "closed": "closed",
    "service": "kind",
    "attributes": {"district": "District"},
}


def judge(frame: Any, **options: Any) -> Any:
    """``frames.evaluate`` of ``frame`` with the test book and columns."""
    options.setdefault("columns", COLUMNS)
    options.setdefault("as_of", AS_OF)
    return frames.evaluate(frame, BOOK, **options)


def requests(opened: Any, closed: Any = None) -> Any:
    """A frame of pothole requests with the given receipt and close values."""
    n = len(opened)
    return pd.DataFrame(
        {
            "opened": opened,
            "closed": closed if closed is not None else [None] * n,
            "kind": ["POT"] * n,
            "District": ["1"] * n,
        }
    )


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> dt.datetime:
    """A Chicago wall-clock time as an aware datetime (fold 0)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


# --------------------------------------------------------------------------
# Evaluation


def test_rows_index_and_input_columns_are_kept() -> None:
    """Every row stays, in order, under its own (even repeated) index label."""
    frame = requests(["2026-03-02 09:00"] * 3, ["2026-03-03 09:00", None, "x"])
    frame.index = pd.Index([7, 7, 3])
    judged = judge(frame)
    assert list(judged.index) == [7, 7, 3]
    assert list(judged.columns) == [*frame.columns, *frames.OUTPUT_COLUMNS]
    pd.testing.assert_frame_equal(judged[frame.columns], frame)
    assert list(judged["status"]) == ["met", "overdue", "invalid"]


def test_the_input_frame_is_left_alone() -> None:
    """Evaluating does not add to or change the frame it reads."""
    frame = requests(["2026-03-02 09:00"])
    before = frame.copy()
    judge(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert frame.attrs == {}


def test_output_dtypes() -> None:
    """Instants in the zone, categorical statuses, durations, objects."""
    judged = judge(requests(["2026-03-02 09:00"], ["2026-03-03 09:00"]))
    dtypes = judged.dtypes
    assert str(dtypes["received_at"]) == "datetime64[us, America/Chicago]"
    assert str(dtypes["due"]) == "datetime64[us, America/Chicago]"
    assert dtypes["status"] == frames.STATUS_DTYPE
    assert dtypes["due_source"] == frames.DUE_SOURCE_DTYPE
    assert list(dtypes["policy"].categories) == ["Potholes", "Other"]
    assert str(dtypes["used"]) == str(dtypes["late_by"]) == "timedelta64[us]"
    assert dtypes["share"] == dtypes["goal"] == np.float64
    assert dtypes["at_risk"] == np.dtype(bool)
    assert dtypes["reason"] == dtypes["adjustments"] == np.dtype(object)
    row = judged.iloc[0]
    assert row["due"] == pd.Timestamp("2026-03-04 16:30", tz=CHICAGO)
    assert (row["policy"], row["goal"], row["due_source"]) == (
        "Potholes",
        0.9,
        "policy",
    )
    assert row["used"] == pd.Timedelta(hours=8, minutes=30)
    assert row["late_by"] == pd.Timedelta(0)
    assert row["reason"] is None


def test_every_form_of_date_column_reads_the_same_instants() -> None:
    """US 12-hour and ISO text, naive and aware datetime64, categories and
    datetime objects give the same receipts."""
    texts = ["03/08/2026 01:30:00 AM", "03/08/2026 03:15:00 PM", None]
    iso = ["2026-03-08 01:30:00", "2026-03-08T15:15", ""]
    wall = pd.Series(pd.to_datetime(["2026-03-08 01:30", "2026-03-08 15:15", ""]))
    forms = {
        "US text": texts,
        "ISO text": iso,
        "naive": wall,
        "aware": wall.dt.tz_localize(CHICAGO),
        "aware elsewhere": wall.dt.tz_localize(CHICAGO).dt.tz_convert("Asia/Tokyo"),
        "categories": pd.Categorical(texts),
        "objects": [local(2026, 3, 8, 1, 30), dt.datetime(2026, 3, 8, 15, 15), None],
        "python text": pd.Series(texts, dtype=object),
    }
    expected = [local(2026, 3, 8, 1, 30), local(2026, 3, 8, 15, 15), None]
    for form, values in forms.items():
        judged = judge(requests(values), tz="America/Chicago")
        found = [
            None if pd.isna(t) else t.to_pydatetime() for t in judged["received_at"]
        ]
        assert found == expected, form
        assert list(judged["status"])[2] == "invalid", form


def test_day_and_month_are_never_guessed() -> None:
    """A slash means month first: 03/04 is the 4th of March, 13/01 is no date."""
    judged = judge(requests(["03/04/2026 09:00:00 AM", "13/01/2026 09:00:00 AM"]))
    assert judged["received_at"].iloc[0] == pd.Timestamp("2026-03-04 09:00", tz=CHICAGO)
    assert judged["reason"].iloc[1] == (
        "opened: impossible date '13/01/2026 09:00:00 AM'"
    )


def test_unusable_values_make_invalid_rows_with_read_csv_reasons() -> None:
    """Sentinels, impossible and unreadable dates: invalid rows with the
    column and the text, never an exception, never a dropped row."""
    frame = requests(
        [
            "01/01/1900 12:00:00 AM",
            "02/30/2026 10:00:00 AM",
            "soon",
            "2026-03-02 09:00",
            "12/31/2999 11:00:00 PM",
        ],
        [None, None, None, "1900-01-01", None],
    )
    judged = judge(frame)
    assert list(judged["status"]) == ["invalid"] * 5
    assert list(judged["reason"]) == [
        "opened: sentinel date '01/01/1900 12:00:00 AM'",
        "opened: impossible date '02/30/2026 10:00:00 AM'",
        "opened: unreadable date 'soon'",
        "closed: sentinel date '1900-01-01'",
        "opened: date out of range '12/31/2999 11:00:00 PM' (years 1901-2199 are read)",
    ]
    assert judged["due"].isna().all()
    assert judged["share"].isna().all()
    assert list(judged["policy"]) == ["Potholes"] * 5


def test_leap_days_by_the_gregorian_rules() -> None:
    """29 February exists in 2000 and 2024 (leap years), not in 2023 or in
    2100 (a century not divisible by 400), in US and ISO texts alike."""
    opened = [
        "02/29/2000 10:00:00 AM",
        "2024-02-29 10:00",
        "02/29/2023 10:00:00 AM",
        "2100-02-29 10:00",
        "02/28/2100 10:00:00 AM",
        "12/31/2199 10:00:00 AM",
    ]
    judged = judge(requests(opened, [None] * len(opened)))
    valid = judged["status"] != "invalid"
    assert list(valid) == [True, True, False, False, True, True]
    assert [t.date().isoformat() for t in judged["received_at"][valid]] == [
        "2000-02-29",
        "2024-02-29",
        "2100-02-28",
        "2199-12-31",
    ]
    assert list(judged["reason"][~valid]) == [
        "opened: impossible date '02/29/2023 10:00:00 AM'",
        "opened: impossible date '2100-02-29 10:00'",
    ]


def test_both_fields_of_one_row_are_named() -> None:
    """Reasons of several columns of one row are joined, receipt first."""
    judged = judge(requests(["someday"], ["never"]))
    assert judged["reason"].iloc[0] == (
        "opened: unreadable date 'someday'; closed: unreadable date 'never'"
    )


def test_missing_values_are_missing_not_invalid() -> None:
    """NaN, None, NaT and texts such as NA mean no value: an open request."""
    frame = requests(["2026-03-02 09:00"] * 5, [None, np.nan, "", " NA ", "NaT"])
    assert list(judge(frame)["status"]) == ["overdue"] * 5
    naive = requests(["2026-03-02 09:00"], [pd.NaT])
    naive["closed"] = pd.to_datetime(naive["closed"])
    assert list(judge(naive)["status"]) == ["overdue"]


def test_gap_and_fold_rules() -> None:
    """A wall time in the spring gap shifts forward or makes the row invalid;
    one in the autumn fold takes the earlier or later instant, or is invalid."""
    gap = ["2026-03-08 02:30:00"]
    fold = ["11/01/2026 01:30:00 AM"]
    for values in (gap, pd.to_datetime(pd.Series(gap))):
        judged = judge(requests(values))
        assert judged["received_at"].iloc[0] == pd.Timestamp(
            "2026-03-08 03:30", tz=CHICAGO
        )
        refused = judge(requests(values), nonexistent="raise")
        assert refused["reason"].iloc[0] == (
            "opened: nonexistent wall time '2026-03-08 02:30:00' (skipped in "
            "America/Chicago by a DST change)"
        )
    earlier = judge(requests(fold))["received_at"].iloc[0]
    later = judge(requests(fold), ambiguous="later")["received_at"].iloc[0]
    assert later - earlier == pd.Timedelta(hours=1)
    assert earlier.utcoffset() == dt.timedelta(hours=-5)
    refused = judge(requests(fold), ambiguous="raise")
    assert list(refused["status"]) == ["invalid"]
    assert "ambiguous wall time '11/01/2026 01:30:00 AM'" in refused["reason"].iloc[0]


def test_zone_of_wall_clock_values() -> None:
    """tz, else the preset's, else an aware column's, else the calendars'."""
    frame = requests(["2026-03-02 09:00"])
    assert str(judge(frame)["received_at"].dt.tz) == "America/Chicago"
    utc = judge(frame, tz="UTC")["received_at"].iloc[0]
    assert utc == pd.Timestamp("2026-03-02 09:00", tz="UTC")
    zoneless = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.9)])
    with pytest.raises(sla.NaiveDatetimeError, match="no UTC offset and no zone"):
        frames.evaluate(frame, zoneless, as_of=AS_OF, columns=COLUMNS)
    aware = requests(["2026-03-02 09:00"])
    aware["opened"] = pd.to_datetime(aware["opened"]).dt.tz_localize("Asia/Tokyo")
    judged = frames.evaluate(aware, zoneless, as_of=AS_OF, columns=COLUMNS)
    assert str(judged["due"].dt.tz) == "Asia/Tokyo"


def test_imported_due_dates_and_recomputed_ones() -> None:
    """An imported due column judges by default; due='policy' recomputes."""
    frame = requests(["2026-03-02 09:00"], ["2026-03-05 09:00"])
    frame["target"] = ["2026-03-06 09:00"]
    columns = {**COLUMNS, "due": "target"}
    imported = judge(frame, columns=columns)
    assert (imported["status"].iloc[0], imported["due_source"].iloc[0]) == (
        "met",
        "imported",
    )
    recomputed = judge(frame, columns=columns, due="policy")
    assert (recomputed["status"].iloc[0], recomputed["due_source"].iloc[0]) == (
        "missed",
        "policy",
    )


def test_adjustments_and_exemptions_are_named() -> None:
    """Applied adjustments are listed by name; exempt rows carry the reason."""
    book = sla.PolicyBook(
        [sla.Policy("Potholes", "2 business days", goal=0.9, calendar=CAL)],
        adjustments=[
            sla.Adjustment("Spring", "thaw", months=[3], extend="1 business day"),
            sla.Adjustment(
                "Storm", "snow", months=[3], where={"district": "2"}, exempt=True
            ),
        ],
    )
    frame = requests(["2026-03-02 09:00", "2026-03-02 09:00"])
    frame["District"] = ["1", "2"]
    judged = frames.evaluate(frame, book, as_of=AS_OF, columns=COLUMNS)
    assert list(judged["adjustments"]) == ["Spring", "Spring; Storm"]
    assert list(judged["status"]) == ["overdue", "exempt"]
    assert judged["reason"].iloc[1] == "exempted by 'Storm' (snow)"


def test_missing_columns_and_taken_names_are_refused() -> None:
    """A mapped column that is not there, or a column named like an output,
    is a ValueError that names it."""
    frame = requests(["2026-03-02 09:00"])
    with pytest.raises(ValueError, match=r"column 'Ward' \(attribute 'ward'\)"):
        judge(frame, columns={**COLUMNS, "attributes": {"ward": "Ward"}})
    taken = frame.rename(columns={"District": "reason"})
    columns = {**COLUMNS, "attributes": ["reason"]}
    with pytest.raises(ValueError, match="got 'reason'; pass prefix='sla_'"):
        judge(taken, columns=columns)
    judged = judge(taken, columns=columns, prefix="sla_")
    assert list(judged["reason"]) == ["1"]
    assert list(judged["sla_status"]) == ["overdue"]
    with pytest.raises(ValueError, match=r"columns=\{'service': \.\.\.\}"):
        frames.counts(judge(frame, columns={"received": "opened"}), by="service")


def test_a_pauses_column_moves_due_dates_out() -> None:
    """Two business days from Mon 2 Mar 09:00 are due Wed 4 Mar 16:30; the
    row paused over Tuesday's open hours is due Thu 5 Mar 16:30. Missing
    pauses (None, NaN, []) move nothing; a bad value is an invalid row."""
    tuesday = (
        pd.Timestamp("2026-03-03 08:00", tz="America/Chicago"),
        pd.Timestamp("2026-03-03 16:30", tz="America/Chicago"),
    )
    frame = requests(["2026-03-02 09:00"] * 5)
    frame["paused"] = pd.Series(
        [[tuesday], None, float("nan"), [], ["lunch"]], dtype=object
    )
    judged = judge(frame, pauses="paused")
    assert list(judged["due"][:4]) == [
        pd.Timestamp(local(2026, 3, 5, 16, 30)),
        *[pd.Timestamp(local(2026, 3, 4, 16, 30))] * 3,
    ]
    assert judged["status"][4] == "invalid"
    assert judged["reason"][4].startswith("pauses must be (start, end) pairs")
    paused = sla.Request(
        id="0", service="POT", received=local(2026, 3, 2, 9), pauses=[tuesday]
    )
    [outcome] = BOOK.evaluate([paused], as_of=AS_OF)
    assert outcome.used is not None
    assert judged["used"][0] == pd.Timedelta(outcome.used)
    with pytest.raises(ValueError, match="pauses must name a column of frame, got 'p'"):
        judge(frame, pauses="p")


def test_evaluating_again_replaces_the_earlier_outcome() -> None:
    """An evaluated frame judged again (later) gets fresh outcome columns."""
    judged = judge(requests(["2026-03-02 09:00"]), as_of=local(2026, 3, 3))
    assert list(judged["status"]) == ["open"]
    again = judge(judged, as_of=local(2026, 3, 10))
    assert list(again["status"]) == ["overdue"]
    assert list(again.columns) == list(judged.columns)


def test_preset_columns_missing_from_a_frame_are_left_out() -> None:
    """A preset's due and attribute columns are optional, its receipt and
    close are not."""
    frame = pd.DataFrame(
        {
            "Created Date": ["10/18/2019 03:25:00 PM"],
            "Closed Date": [None],
            "Complaint Type": ["Rodent"],
        }
    )
    judged = frames.evaluate(frame, BOOK, as_of=AS_OF, preset="nyc")
    assert list(judged["status"]) == ["overdue"]
    assert str(judged["due"].dt.tz) == "America/New_York"
    with pytest.raises(ValueError, match="'Created Date' \\(received\\)"):
        frames.evaluate(
            frame.drop(columns="Created Date"), BOOK, as_of=AS_OF, preset="nyc"
        )


def test_an_empty_frame() -> None:
    """No rows in, no rows out, with the outcome's columns and empty counts."""
    judged = judge(requests([]))
    assert len(judged) == 0
    assert judged["status"].dtype == frames.STATUS_DTYPE
    counts = frames.counts(judged, by="district", period="month")
    assert counts.total == 0
    assert counts.as_of_latest is None


def test_import_slacalc_imports_neither_pandas_nor_numpy() -> None:
    """The optional dependencies stay unloaded until frames is imported."""
    code = (
        "import sys, slacalc; "
        "print(sorted(m for m in ('pandas', 'numpy', 'slacalc.frames') "
        "if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"


# --------------------------------------------------------------------------
# Counts and reports


def scalar_outcomes(frame: Any) -> list[sla.Outcome]:
    """The test frame's rows judged one by one by the scalar path."""
    found = []
    for i, row in enumerate(frame.itertuples(index=False)):
        opened = pd.Timestamp(row.opened).tz_localize(CHICAGO).to_pydatetime()
        closed = None
        if isinstance(row.closed, str):
            closed = pd.Timestamp(row.closed).tz_localize(CHICAGO).to_pydatetime()
        found.append(
            sla.Request(
                id=str(i),
                service=row.kind,
                received=opened,
                closed=closed,
                attributes={"district": row.District},
            )
        )
    return list(BOOK.evaluate(found, as_of=AS_OF))


def mixed_frame() -> Any:
    """Requests of two services and three districts over two months."""
    rows = []
    for day in range(1, 40):
        opened = dt.datetime(2026, 2, 1, 9) + dt.timedelta(days=day, hours=day % 7)
        closed = opened + dt.timedelta(hours=day * 5 % 70)
        rows.append(
            {
                "opened": opened.isoformat(sep=" "),
                "closed": closed.isoformat(sep=" ") if day % 5 else None,
                "kind": "POT" if day % 3 else "TREE",
                "District": str(day % 3 + 1),
            }
        )
    return pd.DataFrame(rows)


def test_counts_equal_the_scalar_counts() -> None:
    """Counts and reports from the frame equal those from the outcomes."""
    frame = mixed_frame()
    judged = judge(frame)
    outcomes = scalar_outcomes(frame)
    assert Counter(judged["status"]) == Counter(o.status.value for o in outcomes)
    for by in ((), ("district",), ("service", "policy"), ("district", "service")):
        for period in (None, "day", "week", "month", "quarter", "year"):
            found = frames.counts(judged, by, period)
            assert found == sla.ComplianceCounts.from_outcomes(outcomes, by, period)
            assert frames.compliance(judged, by, period, min_count=3) == (
                sla.compliance(outcomes, by, period, min_count=3)
            )
    staff = {"1": 2, "2": 1, "3": 1}
    assert frames.workload(judged, "district", staff) == sla.workload(
        outcomes, "district", staff
    )


def test_counts_of_chunks_merge_into_the_whole() -> None:
    """Counts of slices of an evaluated frame add up to its counts."""
    judged = judge(mixed_frame())
    whole = frames.counts(judged, ["district"], "week")
    parts = [
        frames.counts(judged[a : a + 7], ["district"], "week") for a in range(0, 39, 7)
    ]
    assert parts[0].merge(*parts[1:]) == whole
    assert whole.total == 39


def test_by_reads_attribute_names_and_plain_columns() -> None:
    """An attribute name reads its mapped column; any other column is read
    as it is."""
    judged = judge(mixed_frame())
    judged["team"] = ["A", "B", None] * 13
    by_attribute = frames.counts(judged, "district")
    by_column = frames.counts(judged, "District")
    assert {k[0] for k in by_attribute.cells} == {("1",), ("2",), ("3",)}
    assert by_column.cells == {
        (values, p, goal): counts
        for (values, p, goal), counts in by_attribute.cells.items()
    }
    teams = {values for values, _, _ in frames.counts(judged, "team").cells}
    assert teams == {("A",), ("B",), (None,)}
    with pytest.raises(ValueError, match="got 'ward'"):
        frames.counts(judged, "ward")


def test_periods_are_local_dates_of_receipt() -> None:
    """A receipt late on the last evening of a month counts in that month."""
    frame = requests(["2026-03-31 23:30:00", "2026-04-01 00:30:00"])
    labels = {p for _, p, _ in frames.counts(judge(frame), (), "month").cells}
    assert labels == {"2026-03", "2026-04"}


def test_status_column_read_back_from_text() -> None:
    """A frame saved and read back (statuses as text) counts the same."""
    judged = judge(mixed_frame())
    plain = judged.copy()
    plain["status"] = plain["status"].astype(str)
    assert frames.counts(plain, "district") == frames.counts(judged, "district")
    plain.loc[0, "status"] = "lost"
    with pytest.raises(ValueError, match="got 'lost'"):
        frames.counts(plain, "district")


def test_counts_need_an_evaluated_frame() -> None:
    """A frame without the outcome's columns is refused with the fix."""
    with pytest.raises(ValueError, match="evaluate the frame first"):
        frames.counts(requests(["2026-03-02 09:00"]), "district")


def test_share_histograms_bin_as_share_bins() -> None:
    """Shares of any size, halves included, fall in share_bins' bins."""
    shares = [0.005, 0.015, 0.125, 2.5, 1e3, 1e15, 1e17, float("nan")]
    frame = pd.DataFrame(
        {"status": ["met"] * len(shares), "share": shares, "goal": np.nan}
    )
    found = frames.counts(frame)
    assert found.shares == {((), None): dict(share_bins(shares))}
    assert found.cells == {((), None, None): (8, 0, 0, 0, 0, 0, 0)}
