"""Real 311 exports through pandas: read with ``pandas.read_csv``, judged
with ``slacalc.frames``.

The oracles are the cities' own on-time flags and the scalar path: the
same file read by ``slacalc.read_csv`` and judged by ``PolicyBook.evaluate``
must give the same outcome on every row and the same reports.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

import slacalc as sla
from slacalc.counts import Period
from slacalc.sources import PresetName
from tests.helpers import (
    BALTIMORE,
    BOSTON_2015,
    BOSTON_2016,
    BOSTON_2022,
    NEW_YORK,
    NYC,
    baltimore_book,
    boston_book,
    data_path,
)
from tests.test_real_data import BOSTON

pytest.importorskip("pandas")

import pandas as pd

from slacalc import frames

#: Long after every close in the files.
AS_OF = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def read(name: str, **options: Any) -> pd.DataFrame:
    """One export read by pandas, or skip the test when the data is absent."""
    frame: pd.DataFrame = pd.read_csv(data_path(name), **options)
    return frame


def judge(
    frame: pd.DataFrame, book: sla.PolicyBook, preset: PresetName, **options: Any
) -> pd.DataFrame:
    """``frames.evaluate`` through a preset as of ``AS_OF``, its columns
    prefixed ``sla_``."""
    return frames.evaluate(
        frame, book, as_of=AS_OF, preset=preset, prefix="sla_", **options
    )


def scalar(
    name: str, book: sla.PolicyBook, preset: PresetName, **options: Any
) -> list[sla.Outcome]:
    """The outcomes of the scalar path: read_csv, then PolicyBook.evaluate."""
    with sla.read_csv(data_path(name), preset=preset, **options) as reader:
        return list(book.evaluate(reader, as_of=AS_OF))


def assert_same_outcomes(judged: pd.DataFrame, outcomes: list[sla.Outcome]) -> None:
    """Row by row: status, due date, share, policy and reason."""
    assert len(judged) == len(outcomes)
    assert list(judged["sla_status"]) == [o.status.value for o in outcomes]
    assert list(judged["sla_reason"]) == [o.reason for o in outcomes]
    assert list(
        judged["sla_policy"].astype(object).where(judged["sla_policy"].notna(), None)
    ) == [o.policy_name for o in outcomes]
    due = [None if pd.isna(t) else t.to_pydatetime() for t in judged["sla_due"]]
    assert due == [o.due for o in outcomes]
    shares = [None if pd.isna(s) else s for s in judged["sla_share"]]
    assert shares == [o.share for o in outcomes]


def assert_same_reports(
    judged: pd.DataFrame,
    outcomes: list[sla.Outcome],
    groupings: list[tuple[tuple[str, ...], Period | None]],
) -> None:
    """Compliance and workload reports of both paths are equal."""
    for by, period in groupings:
        assert frames.compliance(judged, by, period) == sla.compliance(
            outcomes, by, period
        ), (by, period)
        if by:
            assert frames.workload(judged, by) == sla.workload(outcomes, by)


# --------------------------------------------------------------------------
# Boston


def test_boston_2022_ontime_through_pandas() -> None:
    """pandas.read_csv, imported target_dt: every closed row with a target
    is met exactly when Boston flags it ONTIME; all 100 rows kept."""
    frame = read(BOSTON_2022)
    judged = judge(frame, sla.PolicyBook([]), "boston")
    assert len(judged) == 100
    assert list(judged.index) == list(frame.index)
    closed = judged[judged["closed_dt"].notna() & judged["target_dt"].notna()]
    assert Counter(zip(closed["sla_status"], closed["ontime"], strict=True)) == {
        ("met", "ONTIME"): 72,
        ("missed", "OVERDUE"): 5,
    }
    uncovered = judged[judged["target_dt"].isna()]
    assert Counter(zip(uncovered["sla_status"], uncovered["ontime"], strict=True)) == {
        ("no_policy", "ONTIME"): 11
    }


def test_boston_2022_policies_reproduce_ontime_through_pandas() -> None:
    """Recomputed from Boston's per-type targets (due='policy'), the closed
    rows still match ONTIME."""
    judged = judge(read(BOSTON_2022), boston_book(), "boston", due="policy")
    closed = judged[judged["sla_status"].isin(["met", "missed"])]
    assert len(closed) == 77
    assert ((closed["sla_status"] == "met") == (closed["ontime"] == "ONTIME")).all()
    assert set(closed["sla_due_source"]) == {"policy"}


def test_boston_2022_equals_scalar() -> None:
    """Text columns as pandas reads them: the scalar outcomes and reports."""
    book = boston_book(
        default=sla.Policy("Other", "5 business days", goal=0.8, calendar=BOSTON)
    )
    judged = judge(read(BOSTON_2022, dtype=str), book, "boston")
    outcomes = scalar(BOSTON_2022, book, "boston")
    assert_same_outcomes(judged, outcomes)
    assert_same_reports(
        judged,
        outcomes,
        [((), None), (("department",), "month"), (("service", "neighborhood"), "day")],
    )


def test_boston_2016_shifted_times_equal_scalar_and_on_time() -> None:
    """The shifted 2016 re-save, shifted back: scalar outcomes, and met
    exactly when Boston flags ONTIME (5 rows close before they open)."""
    judged = judge(
        read(BOSTON_2016, dtype=str),
        sla.PolicyBook([]),
        "boston_2016",
        shifted_utc=True,
    )
    outcomes = scalar(BOSTON_2016, sla.PolicyBook([]), "boston_2016", shifted_utc=True)
    assert_same_outcomes(judged, outcomes)
    closed = judged[judged["sla_status"].isin(["met", "missed"])]
    assert len(closed) == 3922
    assert ((closed["sla_status"] == "met") == (closed["on_time"] == "ONTIME")).all()
    assert Counter(judged["sla_status"])["invalid"] == 5


def test_boston_2015_department_compliance_equals_scalar() -> None:
    """121,145 rows through pandas: the scalar report by department and
    month, every row kept, 197 closed before opened."""
    book = sla.PolicyBook([])
    judged = judge(read(BOSTON_2015, dtype=str), book, "boston")
    assert len(judged) == 121_145
    outcomes = scalar(BOSTON_2015, book, "boston")
    report = frames.compliance(judged, "department", "month", method="closed")
    assert report == sla.compliance(outcomes, "department", "month", method="closed")
    assert report.total.invalid == 197


# --------------------------------------------------------------------------
# Baltimore and New York, through presets


def test_baltimore_through_the_preset_equals_scalar() -> None:
    """All 3,000 rows kept, each judged as the scalar path judges it."""
    frame = read(BALTIMORE, dtype=str)
    book = baltimore_book(frame.to_dict("records"))
    judged = judge(frame, book, "baltimore")
    assert len(judged) == 3000
    outcomes = scalar(BALTIMORE, book, "baltimore")
    assert_same_outcomes(judged, outcomes)
    assert_same_reports(
        judged, outcomes, [(("CouncilDistrict",), "day"), (("service", "Agency"), None)]
    )
    recomputed = judge(frame, book, "baltimore", due="policy")
    # Every DueDate is CreatedDate plus its type's days: the same statuses.
    assert list(recomputed["sla_status"]) == list(judged["sla_status"])


def test_baltimore_with_pandas_default_dtypes() -> None:
    """Numbers pandas infers (ZipCode, CouncilDistrict) do not change
    statuses; nothing is dropped."""
    judged = judge(read(BALTIMORE), sla.PolicyBook([]), "baltimore")
    outcomes = scalar(BALTIMORE, sla.PolicyBook([]), "baltimore")
    assert list(judged["sla_status"]) == [o.status.value for o in outcomes]


def test_nyc_through_the_preset_keeps_all_rows() -> None:
    """All 5,895 rows kept; the two sentinel close dates make the only
    invalid rows, with the column and the text."""
    book = sla.PolicyBook([sla.Policy("Illegal animals", sla.Days(30), goal=0.9)])
    judged = judge(read(NYC, dtype=str), book, "nyc")
    assert len(judged) == 5895
    invalid = judged[judged["sla_status"] == "invalid"]
    assert (
        list(invalid["sla_reason"])
        == ["Closed Date: sentinel date '01/01/1900 12:00:00 AM'"] * 2
    )
    assert (invalid["Closed Date"] == "01/01/1900 12:00:00 AM").all()
    outcomes = scalar(NYC, book, "nyc")
    assert_same_outcomes(judged, outcomes)
    assert_same_reports(judged, outcomes, [(("Borough",), "year"), ((), "quarter")])
    imported = judged[judged["Due Date"].notna() & (judged["sla_status"] != "invalid")]
    assert set(imported["sla_due_source"]) == {"imported"}
    assert NEW_YORK.key == str(judged["sla_due"].dt.tz)
