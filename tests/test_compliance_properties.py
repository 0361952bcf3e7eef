"""Properties of compliance reports: exact merging, order, monotone rates."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

import slacalc as sla
from slacalc.counts import Period
from slacalc.rows import Method
from tests.strategies import groupings, outcomes, periods

METHODS: tuple[Method, ...] = ("decided", "closed", "all")
outcome_lists = st.lists(outcomes(), max_size=60)


def reports(
    source: list[sla.Outcome] | sla.ComplianceCounts,
    by: tuple[str, ...],
    period: Period | None,
) -> list[sla.ComplianceReport]:
    """The report of ``source`` by every method, with a small ``min_count``."""
    return [
        sla.compliance(source, by, period, method=method, min_count=3)
        for method in METHODS
    ]


@given(outcome_lists, groupings, periods, st.lists(st.integers(0, 60), max_size=4))
def test_chunked_and_merged_equals_whole(
    items: list[sla.Outcome],
    by: tuple[str, ...],
    period: Period | None,
    cuts: list[int],
) -> None:
    """Counts of chunks merged equal the counts of the whole, and so do reports."""
    bounds = [0, *sorted(min(c, len(items)) for c in cuts), len(items)]
    parts = [
        sla.ComplianceCounts.from_outcomes(items[a:b], by, period)
        for a, b in itertools.pairwise(bounds)
    ]
    merged = parts[0].merge(*parts[1:])
    whole = sla.ComplianceCounts.from_outcomes(items, by, period)
    assert merged == whole
    assert reports(merged, by, period) == reports(whole, by, period)
    assert reports(merged, by, period) == reports(items, by, period)


@given(outcome_lists.flatmap(lambda xs: st.tuples(st.just(xs), st.permutations(xs))))
def test_order_of_outcomes_changes_nothing(
    pair: tuple[list[sla.Outcome], list[sla.Outcome]],
) -> None:
    """A report of the outcomes in any order is the same report."""
    items, shuffled = pair
    for by in (("district", "team"), ("service",)):
        assert reports(items, by, "week") == reports(shuffled, by, "week")


@given(outcome_lists, outcomes(status=sla.Status.MET), groupings, periods)
def test_adding_a_met_request_never_lowers_a_rate(
    items: list[sla.Outcome],
    extra: sla.Outcome,
    by: tuple[str, ...],
    period: Period | None,
) -> None:
    """One more met request raises or keeps every rate, by every method."""
    for before, after in zip(
        reports(items, by, period), reports([*items, extra], by, period), strict=True
    ):
        rates = {tuple(row.key.items()): row.rate for row in after.rows}
        for row in [*before.rows]:
            rate = rates[tuple(row.key.items())]
            assert row.rate is None or (rate is not None and rate >= row.rate)
        assert after.total.rate is not None
        assert before.total.rate is None or after.total.rate >= before.total.rate


@given(outcome_lists, groupings, periods)
def test_counts_reconcile(
    items: list[sla.Outcome], by: tuple[str, ...], period: Period | None
) -> None:
    """Statuses add up to the outcomes given; the total row sums the rows."""
    report = sla.compliance(items, by, period)
    assert report.total.total == len(items)
    names = ("met", "missed", "overdue", "open", "exempt", "no_policy", "invalid")
    for name in (*names, "total", "n"):
        assert getattr(report.total, name) == sum(getattr(r, name) for r in report.rows)
    assert sum(row.total for row in report.rows) == len(items)


@given(outcome_lists, st.sampled_from(("week", "month", "quarter", "year")))
def test_rollup_from_days_equals_counting_directly(
    items: list[sla.Outcome], period: Period
) -> None:
    """Counts by district, team and day rolled up equal counts made directly."""
    daily = sla.ComplianceCounts.from_outcomes(items, ("district", "team"), "day")
    direct = sla.ComplianceCounts.from_outcomes(items, ("team",), period)
    assert daily.rollup(("team",), period) == direct


@given(outcome_lists)
def test_workload_and_standardized_reports_of_merged_counts(
    items: list[sla.Outcome],
) -> None:
    """Workload and standardized reports of merged halves equal the whole's."""
    by = ("district", "service")
    half = len(items) // 2
    merged = sla.ComplianceCounts.from_outcomes(
        items[:half], by
    ) + sla.ComplianceCounts.from_outcomes(items[half:], by)
    assert sla.workload(merged, "district") == sla.workload(items, "district")
    assert sla.standardize(merged, "district") == sla.standardize(items, "district")
    assert sum(row.requests for row in sla.workload(items, "district").rows) == len(
        items
    )
