"""slacalc.frames on Dask: evaluate_dask, counts_dask and compliance_dask,
run with Dask's local schedulers, give exactly the single-machine counts and
reports, whatever the partitions.

The oracles are ``frames.compliance`` of the whole pandas frame and the
scalar path (``PolicyBook.evaluate``, then ``slacalc.compliance``) over the
same requests: a real Baltimore export and the built-in synthetic city.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import holidays
import pytest
from hypothesis import given, settings

import slacalc as sla
from slacalc._city import city_book, city_requests
from slacalc.counts import Period
from slacalc.demo import demo_calendar
from tests.helpers import BALTIMORE, baltimore_book, data_path
from tests.test_frames_properties import COLUMNS, ReportCase, report_cases

pytest.importorskip("dask.dataframe")

import dask
import dask.dataframe as dd
import pandas as pd
from dask.delayed import delayed

from slacalc import frames

AS_OF = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PARTITIONS = (1, 3, 7)
#: Two attributes; the month of receipt; both.
BALTIMORE_GROUPINGS: tuple[tuple[tuple[str, ...], Period | None], ...] = (
    (("Agency", "CouncilDistrict"), None),
    ((), "month"),
    (("Agency", "CouncilDistrict"), "month"),
)
CITY_GROUPINGS: tuple[tuple[tuple[str, ...], Period | None], ...] = (
    (("district", "department"), None),
    ((), "month"),
    (("district", "department"), "month"),
)
CITY_COLUMNS = {
    "received": "received",
    "closed": "closed",
    "service": "service",
    "attributes": ["district", "department"],
}


@pytest.fixture(autouse=True)
def synchronous() -> Iterator[None]:
    """Every test runs on Dask's single-threaded scheduler unless it says."""
    with dask.config.set(scheduler="synchronous"):
        yield


def assert_same_as_whole(
    judged: dd.DataFrame,
    whole: pd.DataFrame,
    outcomes: list[sla.Outcome],
    by: tuple[str, ...],
    period: Period | None,
) -> None:
    """Counts and report of the partitions equal those of the whole frame
    and of the scalar outcomes: cells, rows and every other field."""
    expected = sla.ComplianceCounts.from_outcomes(outcomes, by, period)
    found = frames.counts_dask(judged, by, period)
    assert found.cells == frames.counts(whole, by, period).cells == expected.cells
    assert found == expected
    report = frames.compliance_dask(judged, by, period)
    scalar = sla.compliance(outcomes, by, period)
    assert report.rows == frames.compliance(whole, by, period).rows == scalar.rows
    assert report == scalar


def partitioned(frame: pd.DataFrame, npartitions: int) -> dd.DataFrame:
    """The frame as a Dask DataFrame of exactly ``npartitions`` partitions."""
    # dask's from_pandas is not annotated.
    parts: dd.DataFrame = dd.from_pandas(frame, npartitions=npartitions)  # type: ignore[no-untyped-call]
    assert parts.npartitions == npartitions
    return parts


# --------------------------------------------------------------------------
# Baltimore, through its preset


@pytest.fixture(scope="module")
def baltimore() -> tuple[pd.DataFrame, sla.PolicyBook, list[sla.Outcome]]:
    """The export as text, a book of each type's days, and the scalar
    outcomes of ``read_csv`` and ``PolicyBook.evaluate``."""
    path = data_path(BALTIMORE)
    frame = pd.read_csv(path, dtype=str)
    book = baltimore_book(
        frame.to_dict("records"), default=sla.Policy("Other", sla.Hours(72), goal=0.8)
    )
    with sla.read_csv(path, preset="baltimore") as reader:
        outcomes = list(book.evaluate(reader, as_of=AS_OF))
    return frame, book, outcomes


def judge_baltimore(frame: pd.DataFrame | dd.DataFrame, book: sla.PolicyBook) -> Any:
    """The frame judged through the preset, on one machine or on Dask."""
    options: dict[str, Any] = {"as_of": AS_OF, "preset": "baltimore"}
    if isinstance(frame, pd.DataFrame):
        return frames.evaluate(frame, book, prefix="sla_", **options)
    return frames.evaluate_dask(frame, book, prefix="sla_", **options)


@pytest.mark.parametrize("npartitions", PARTITIONS)
@pytest.mark.parametrize(("by", "period"), BALTIMORE_GROUPINGS)
def test_baltimore_partitions_report_as_the_whole(
    baltimore: tuple[pd.DataFrame, sla.PolicyBook, list[sla.Outcome]],
    npartitions: int,
    by: tuple[str, ...],
    period: Period | None,
) -> None:
    """The export in 1, 3 or 7 partitions: the whole frame's and the scalar
    path's counts and report, by two attributes and by month."""
    frame, book, outcomes = baltimore
    judged = judge_baltimore(partitioned(frame, npartitions), book)
    assert_same_as_whole(judged, judge_baltimore(frame, book), outcomes, by, period)


def test_baltimore_partitions_judge_each_row_as_the_whole(
    baltimore: tuple[pd.DataFrame, sla.PolicyBook, list[sla.Outcome]],
) -> None:
    """The computed partitions hold every row, each with the outcome the
    whole frame gives it."""
    frame, book, _ = baltimore
    found = judge_baltimore(partitioned(frame, 7), book).compute()
    whole = judge_baltimore(frame, book)
    assert len(found) == len(frame) == 3000
    added = [f"sla_{name}" for name in frames.OUTPUT_COLUMNS]
    pd.testing.assert_frame_equal(found[added], whole[added])


def test_threads_scheduler_reports_as_the_whole(
    baltimore: tuple[pd.DataFrame, sla.PolicyBook, list[sla.Outcome]],
) -> None:
    """Dask's thread pool, partitions judged concurrently: the same report."""
    frame, book, outcomes = baltimore
    by, period = BALTIMORE_GROUPINGS[-1]
    with dask.config.set(scheduler="threads"):
        judged = judge_baltimore(partitioned(frame, 7), book)
        assert_same_as_whole(judged, judge_baltimore(frame, book), outcomes, by, period)


# --------------------------------------------------------------------------
# The synthetic city: business hours and days on a calendar with holidays


@pytest.fixture(scope="module")
def city() -> tuple[pd.DataFrame, sla.PolicyBook, list[sla.Outcome], dt.datetime]:
    """The demo city's requests as a frame (aware instants), its book, and
    the scalar outcomes; without pauses, which frames do not read."""
    calendar = demo_calendar()
    requests, as_of = city_requests(calendar)
    requests = [attrs.evolve(r, pauses=()) for r in requests]
    book = city_book(calendar)
    frame = pd.DataFrame(
        {
            "id": [r.id for r in requests],
            "service": [r.service for r in requests],
            "received": [r.received for r in requests],
            "closed": [r.closed for r in requests],
            "district": [r.attributes["district"] for r in requests],
            "department": [r.attributes["department"] for r in requests],
        }
    )
    outcomes = list(book.evaluate(requests, as_of=as_of))
    return frame, book, outcomes, as_of


@pytest.mark.parametrize("npartitions", PARTITIONS)
@pytest.mark.parametrize(("by", "period"), CITY_GROUPINGS)
def test_city_partitions_report_as_the_whole(
    city: tuple[pd.DataFrame, sla.PolicyBook, list[sla.Outcome], dt.datetime],
    npartitions: int,
    by: tuple[str, ...],
    period: Period | None,
) -> None:
    """The city's year in 1, 3 or 7 partitions, with adjustments, closures
    and holidays: the whole frame's and the scalar counts and report."""
    frame, book, outcomes, as_of = city
    whole = frames.evaluate(frame, book, as_of=as_of, columns=CITY_COLUMNS)
    parts = partitioned(frame, npartitions)
    judged = frames.evaluate_dask(parts, book, as_of=as_of, columns=CITY_COLUMNS)
    assert_same_as_whole(judged, whole, outcomes, by, period)


def test_city_on_threads_reports_as_the_whole(
    city: tuple[pd.DataFrame, sla.PolicyBook, list[sla.Outcome], dt.datetime],
) -> None:
    """The city on Dask's thread pool, calendars shared by the threads: the
    same report."""
    frame, book, outcomes, as_of = city
    whole = frames.evaluate(frame, book, as_of=as_of, columns=CITY_COLUMNS)
    by, period = CITY_GROUPINGS[-1]
    with dask.config.set(scheduler="threads"):
        parts = partitioned(frame, 7)
        judged = frames.evaluate_dask(parts, book, as_of=as_of, columns=CITY_COLUMNS)
        assert_same_as_whole(judged, whole, outcomes, by, period)


def test_city_in_worker_processes_reports_as_the_whole(
    city: tuple[pd.DataFrame, sla.PolicyBook, list[sla.Outcome], dt.datetime],
) -> None:
    """Partitions judged in other processes, as on a cluster: the book and
    the partitions' counts travel pickled, and the report is the same."""
    frame, book, outcomes, as_of = city
    whole = frames.evaluate(frame, book, as_of=as_of, columns=CITY_COLUMNS)
    by, period = CITY_GROUPINGS[-1]
    with dask.config.set(scheduler="processes", num_workers=2):
        parts = partitioned(frame, 3)
        judged = frames.evaluate_dask(parts, book, as_of=as_of, columns=CITY_COLUMNS)
        assert_same_as_whole(judged, whole, outcomes, by, period)


# --------------------------------------------------------------------------
# Any frame, any partitions

#: Business days on a calendar with holidays, absolute and calendar-day
#: clocks, split by service and district, with goals that split cells, an
#: extension, an exemption and a default.
BOOK = sla.PolicyBook(
    [
        sla.Policy(
            "S in 1", sla.Hours(48), goal=0.9, services=["S"], where={"district": "1"}
        ),
        sla.Policy("S", sla.Days(3), goal=0.8, services=["S"]),
        sla.Policy("T", sla.Hours(30), goal=0.95, services=["T"]),
        sla.Policy(
            "U",
            sla.BusinessDays(2),
            goal=0.85,
            calendar=sla.BusinessCalendar(
                "America/Chicago",
                "Mon-Fri 08:00-16:30",
                holidays=holidays.country_holidays("US", subdiv="MN"),
            ),
            services=["U"],
        ),
    ],
    adjustments=[
        sla.Adjustment(
            "Spring", "thaw", months=(3, 4, 5), services=["S"], extend=sla.Days(2)
        ),
        sla.Adjustment("November", "elections", months=(11,), exempt=True),
    ],
    default=sla.Policy("Other", sla.Days(10), goal=0.75),
)


@settings(max_examples=40, deadline=None)
@given(report_cases(max_cuts=4))
def test_counts_of_any_partitions_equal_counts_of_the_whole(case: ReportCase) -> None:
    """Random frames cut at random rows (empty partitions too): counts_dask
    equals frames.counts of the whole frame."""
    frame, tz, as_of, by, period = case.frame, case.tz, case.as_of, case.by, case.period
    pieces = [frame.iloc[a:b] for a, b in case.slices]
    parts = dd.from_delayed([delayed(p) for p in pieces], meta=frame.iloc[:0])
    assert parts.npartitions == len(pieces)
    judged = frames.evaluate_dask(parts, BOOK, as_of=as_of, columns=COLUMNS, tz=tz)
    whole = frames.evaluate(frame, BOOK, as_of=as_of, columns=COLUMNS, tz=tz)
    assert frames.counts_dask(judged, by, period) == frames.counts(whole, by, period)
