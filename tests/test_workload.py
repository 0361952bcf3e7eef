"""Workload against an even split, and service-mix standardization."""

from __future__ import annotations

from typing import Any

import pytest

import slacalc as sla
from tests.helpers import made_outcomes, open_in_districts


def outcomes_in(
    status: sla.Status, count: int, service: str | None = None, **attributes: Any
) -> list[sla.Outcome]:
    """``count`` outcomes of one status and service, with these attributes."""
    return made_outcomes(status, count, service=service, **attributes)


# --- workload


def test_minneapolis_finding_is_flagged() -> None:
    """A third of the requests in one of four one-supervisor districts is flagged.

    330, 160, 260 and 250 of 1,000 requests against an even 250 each: ratios
    1.32, 0.64, 1.04 and 1.00; only 1.32 reaches the default 1.25.
    """
    outcomes = open_in_districts({"1": 330, "2": 160, "3": 260, "4": 250})
    report = sla.workload(outcomes, by="district", staff=dict.fromkeys("1234", 1))
    rows = [(r.key["district"], r.requests, r.per_staff, r.ratio) for r in report.rows]
    assert rows == [
        ("1", 330, 330.0, 1.32),
        ("2", 160, 160.0, 0.64),
        ("3", 260, 260.0, 1.04),
        ("4", 250, 250.0, 1.0),
    ]
    assert [r.key["district"] for r in report.flags()] == ["1"]
    assert (report.total, report.staff_total) == (1000, 4.0)
    assert [r.share for r in report.rows] == [0.33, 0.16, 0.26, 0.25]


def test_even_split_without_staff_counts() -> None:
    """Without staff, each of two groups expects half: 6 and 2 give 1.5 and 0.5."""
    report = sla.workload(open_in_districts({"1": 6, "2": 2}), by="district")
    assert [(r.expected, r.ratio) for r in report.rows] == [(4.0, 1.5), (4.0, 0.5)]
    assert [r.staff for r in report.rows] == [None, None]
    assert [r.flagged for r in report.rows] == [True, False]


def test_split_in_proportion_to_staff() -> None:
    """Staff 3 and 1 over 8 requests expect 6 and 2; 6 and 2 are an even split."""
    report = sla.workload(
        open_in_districts({"1": 6, "2": 2}), by="district", staff={"1": 3, "2": 1}
    )
    assert [(r.expected, r.ratio) for r in report.rows] == [(6.0, 1.0), (2.0, 1.0)]
    assert [r.per_staff for r in report.rows] == [2.0, 2.0]
    assert report.flags() == ()


def test_staffed_group_without_requests_and_group_without_staff() -> None:
    """A staffed group with no requests shows 0; an unstaffed one has no ratio."""
    report = sla.workload(
        open_in_districts({"1": 4, "9": 1}), by="district", staff={"1": 1, "2": 1}
    )
    rows = {r.key["district"]: r for r in report.rows}
    assert (rows["2"].requests, rows["2"].expected, rows["2"].ratio) == (0, 2.0, 0.0)
    assert (rows["1"].expected, rows["1"].ratio, rows["1"].flagged) == (2.0, 2.0, True)
    assert (rows["9"].staff, rows["9"].expected, rows["9"].ratio) == (None, None, None)
    assert not rows["9"].flagged


def test_every_status_counts_as_a_request() -> None:
    """Workload counts invalid, exempt and no-policy outcomes too."""
    outcomes = [
        *outcomes_in(sla.Status.INVALID, 1, district="1"),
        *outcomes_in(sla.Status.EXEMPT, 1, district="1"),
        *outcomes_in(sla.Status.NO_POLICY, 1, district="1"),
    ]
    assert sla.workload(outcomes, by="district").rows[0].requests == 3


def test_workload_by_two_names_with_tuple_staff_keys() -> None:
    """With two names, staff is keyed by a tuple of their values."""
    outcomes = [
        *outcomes_in(sla.Status.OPEN, 3, district="1", team="a"),
        *outcomes_in(sla.Status.OPEN, 1, district="1", team="b"),
    ]
    report = sla.workload(
        outcomes, by=["district", "team"], staff={("1", "a"): 1, ("1", "b"): 1}
    )
    assert [r.ratio for r in report.rows] == [1.5, 0.5]


@pytest.mark.parametrize(
    ("staff", "message"),
    [
        ({"1": 0}, "staff must map groups to counts > 0, got 0 for '1'"),
        ({"1": "two"}, "staff must map groups to counts > 0, got 'two'"),
        ({1: 1, 2: 1}, "staff must be keyed by the groups' values, got keys"),
    ],
)
def test_bad_staff_counts(staff: dict[Any, Any], message: str) -> None:
    """Bad staff counts, and keys of the wrong type (1 for "1"), are refused."""
    with pytest.raises(ValueError, match=message):
        sla.workload(open_in_districts({"1": 2, "2": 1}), by="district", staff=staff)


def test_staff_key_must_fit_several_names() -> None:
    """With two names, a bare value as a staff key is refused."""
    with pytest.raises(ValueError, match="staff keys must be tuples of 2 values"):
        sla.workload([], by=["district", "team"], staff={"1": 1})


def test_flag_ratio_must_be_positive() -> None:
    """flag_ratio 0 is refused."""
    with pytest.raises(ValueError, match="flag_ratio must be a number > 0, got 0"):
        sla.workload([], by="district", flag_ratio=0)


def test_workload_text_and_dicts() -> None:
    """The text table flags the heavy group; to_dicts is flat."""
    report = sla.workload(open_in_districts({"1": 6, "2": 2}), by="district")
    lines = str(report).splitlines()
    assert lines[0] == "Workload by district"
    assert lines[4].split() == [
        "1",
        "6",
        "75.0%",
        "-",
        "-",
        "4.0",
        "1.50",
        "much",
        "more",
    ]
    assert report.to_dicts()[0]["district"] == "1"
    assert "<table>" in report._repr_html_()


def test_workload_from_counts() -> None:
    """Counts tallied by district and service roll up to workload by district."""
    outcomes = open_in_districts({"1": 3, "2": 1})
    counts = sla.ComplianceCounts.from_outcomes(outcomes, by=["district", "service"])
    assert sla.workload(counts, by="district") == sla.workload(outcomes, "district")


# --- standardization


def test_standardized_rates_by_hand() -> None:
    """Service rates SLOW 1/3 and FAST 1/1 predict 1/3 and 2/3 for two districts.

    District 1: two SLOW (1 met). District 2: one FAST (met), one SLOW
    (missed). SLOW overall: 1 of 3; FAST: 1 of 1. Expected: district 1
    (2 · 1/3) / 2 = 1/3; district 2 (1 · 1 + 1 · 1/3) / 2 = 2/3. Both rates
    are 1/2: district 1 does better than its mix predicts, district 2 worse.
    """
    outcomes = [
        *outcomes_in(sla.Status.MET, 1, "SLOW", district="1"),
        *outcomes_in(sla.Status.MISSED, 1, "SLOW", district="1"),
        *outcomes_in(sla.Status.MET, 1, "FAST", district="2"),
        *outcomes_in(sla.Status.MISSED, 1, "SLOW", district="2"),
        *outcomes_in(sla.Status.OPEN, 1, "FAST", district="2"),
    ]
    report = sla.standardize(outcomes, by="district")
    rows = [(r.key["district"], r.n, r.rate) for r in report.rows]
    assert rows == [("1", 2, 0.5), ("2", 2, 0.5)]
    assert [r.expected for r in report.rows] == pytest.approx([1 / 3, 2 / 3])
    assert [r.difference for r in report.rows] == pytest.approx([1 / 6, -1 / 6])
    assert report.service_rates == {"SLOW": 1 / 3, "FAST": 1.0}
    assert report.overall == 0.5


def test_standardized_over_everyone_expected_equals_actual() -> None:
    """Grouped by nothing, the expected rate is the actual rate."""
    outcomes = [
        *outcomes_in(sla.Status.MET, 3, "A"),
        *outcomes_in(sla.Status.MISSED, 1, "A"),
        *outcomes_in(sla.Status.MISSED, 2, "B"),
    ]
    (row,) = sla.standardize(outcomes, by=[]).rows
    assert row.expected == pytest.approx(row.rate)


def test_standardize_needs_counts_by_service() -> None:
    """Counts tallied without `service` cannot be standardized."""
    counts = sla.ComplianceCounts.from_outcomes([], by="district")
    with pytest.raises(ValueError, match="by must be some of"):
        sla.standardize(counts, by="district")


def test_standardized_text_table() -> None:
    """The text table shows rate, expected rate and difference in points."""
    outcomes = outcomes_in(sla.Status.MET, 2, "A", district="1")
    lines = str(sla.standardize(outcomes, by="district", period="month")).splitlines()
    assert lines[0].startswith("Compliance by district and month, standardized")
    assert lines[4].split() == ["1", "2026-03", "2", "100.0%", "100.0%", "+0.0", "pts"]
