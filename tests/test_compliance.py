"""Compliance reports: counts, rates, Wilson intervals, verdicts, flags, output.

Expected numbers are worked out by hand in each test's docstring or
comments, never by calling the code under test another way.
"""

from __future__ import annotations

import datetime as dt
import math
import pickle
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import slacalc as sla
from slacalc._stats import certainty_below, percentiles, wilson, z_value
from slacalc.counts import Period
from tests.helpers import AS_OF, made_outcomes

CHICAGO = ZoneInfo("America/Chicago")
UTC = dt.UTC
MARCH = dt.datetime(2026, 3, 2, 9, tzinfo=CHICAGO)

MET = sla.Status.MET
MISSED = sla.Status.MISSED
OVERDUE = sla.Status.OVERDUE
OPEN = sla.Status.OPEN
EXEMPT = sla.Status.EXEMPT
NO_POLICY = sla.Status.NO_POLICY
INVALID = sla.Status.INVALID


def outcome(
    status: sla.Status,
    received: dt.datetime | None = MARCH,
    *,
    share: float | None = None,
    service: str | None = None,
    as_of: dt.datetime = AS_OF,
    **attributes: Any,
) -> sla.Outcome:
    """One outcome built directly, with attributes from keywords."""
    [made] = made_outcomes(
        status,
        1,
        received=received,
        as_of=as_of,
        service=service,
        share=share,
        **attributes,
    )
    return made


def many(status: sla.Status, count: int, **attributes: Any) -> list[sla.Outcome]:
    """``count`` outcomes of one status, received in March 2026."""
    return [outcome(status, **attributes) for _ in range(count)]


def mixed(counts: Sequence[int], **attributes: Any) -> list[sla.Outcome]:
    """Outcomes numbering ``counts`` of each status, in the order of Status."""
    found: list[sla.Outcome] = []
    for status, count in zip(sla.Status, counts, strict=True):
        received = None if status is INVALID else MARCH
        found += [outcome(status, received, **attributes) for _ in range(count)]
    return found


# --- Wilson intervals and the statistics helpers


def test_wilson_8_of_10_by_hand() -> None:
    """8 of 10 at z = 1.96 is (0.4902, 0.9433), worked by hand.

    Wilson (1927), as Newcombe (1998) writes it: (2k + z² ± z·sqrt(z² +
    4k(n-k)/n)) / (2(n + z²)). With k = 8, n = 10, z² = 3.8416: the centre
    term is 19.8416, the spread 1.96·sqrt(3.8416 + 6.4) = 6.2726, the
    divisor 27.6832; (19.8416 ∓ 6.2726) / 27.6832 = 0.4902 and 0.9433.
    """
    low, high = wilson(8, 10, 1.96)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998_table(
    successes: int, n: int, low: float, high: float
) -> None:
    """Newcombe (1998), Stat Med 17:857, method 3 (score, no correction), 95%."""
    found = wilson(successes, n, z_value(0.95))
    assert (round(found[0], 4), round(found[1], 4)) == (low, high)


def test_wilson_ends_are_exact() -> None:
    """No successes give exactly 0 below; all successes exactly 1 above."""
    assert wilson(0, 7, 1.96)[0] == 0.0
    assert wilson(7, 7, 1.96)[1] == 1.0


def test_z_value_of_common_levels() -> None:
    """z is 1.6449 at 90%, 1.9600 at 95%, 2.5758 at 99% (normal tables)."""
    assert [round(z_value(c), 4) for c in (0.90, 0.95, 0.99)] == [
        1.6449,
        1.96,
        2.5758,
    ]


def test_certainty_below_by_hand() -> None:
    """32 of 40 against 0.9: score 0.1 / sqrt(0.09 / 40) = 2.108, 2Φ - 1 = 0.965."""
    assert round(certainty_below(32, 40, 0.9), 3) == 0.965
    assert certainty_below(9, 10, 0.9) == 0.0
    assert certainty_below(9, 10, 1.0) == 1.0


def test_percentiles_nearest_rank() -> None:
    """Of 1..10 (in hundredths), the median is the 5th value, the p90 the 9th."""
    bins = dict.fromkeys(range(1, 11), 1)
    assert percentiles(bins, 50, 90) == [0.05, 0.09]
    assert percentiles({}, 50, 90) == [None, None]


# --- rates, methods and counts


def test_rates_by_each_method_by_hand() -> None:
    """6 met, 2 missed, 1 overdue, 3 open: decided 6/9, closed 6/8, all 6/12."""
    outcomes = mixed([6, 2, 1, 3, 1, 1, 1])
    rows = {
        method: sla.compliance(outcomes, method=method, min_count=0).total
        for method in ("decided", "closed", "all")
    }
    assert (rows["decided"].n, rows["decided"].rate) == (9, 6 / 9)
    assert (rows["closed"].n, rows["closed"].rate) == (8, 0.75)
    assert (rows["all"].n, rows["all"].rate) == (12, 0.5)
    total = rows["decided"]
    assert (total.met, total.missed, total.overdue, total.open) == (6, 2, 1, 3)
    assert (total.exempt, total.no_policy, total.invalid, total.total) == (1, 1, 1, 15)


def test_no_requests_counted_gives_no_rate() -> None:
    """Only open requests under `decided`: n 0, no rate, no interval, too few."""
    row = sla.compliance(many(OPEN, 3), goal=0.9).total
    assert (row.n, row.rate, row.ci_low, row.ci_high) == (0, None, None, None)
    assert row.verdict == "too few"


def test_no_goal_and_enough_requests_gives_no_verdict() -> None:
    """Without a goal there is nothing to judge against: verdict None."""
    row = sla.compliance(many(MET, 3), min_count=1).total
    assert (row.goal, row.verdict) == (None, None)


def test_counts_reconcile_with_the_outcomes_given() -> None:
    """Every outcome lands in one row; the total row is the sum of the rows."""
    outcomes = (
        mixed([3, 1, 0, 2, 1, 0, 0], district="1")
        + mixed([1, 0, 2, 0, 0, 1, 2], district="2")
        + mixed([0, 1, 0, 0, 0, 0, 1])
    )
    report = sla.compliance(outcomes, by=["district"], period="month")
    fields = ("met", "missed", "overdue", "open", "exempt", "no_policy", "invalid")
    assert report.total.total == len(outcomes) == 15
    for name in (*fields, "total", "n"):
        assert getattr(report.total, name) == sum(
            getattr(row, name) for row in report.rows
        )
    for row in report.rows:
        assert row.total == sum(getattr(row, name) for name in fields)


# --- verdicts at their edges


def test_rate_exactly_at_the_goal_meets() -> None:
    """8 of 10 against a goal of 0.8 meets it."""
    outcomes = many(MET, 8) + many(MISSED, 2)
    row = sla.compliance(outcomes, goal=0.8, min_count=10).total
    assert (row.rate, row.verdict) == (0.8, "meets")


def test_exactly_min_count_is_judged_one_fewer_is_too_few() -> None:
    """n == min_count gets a verdict; n == min_count - 1 is `too few`."""
    outcomes = many(MET, 8) + many(MISSED, 2)
    assert sla.compliance(outcomes, goal=0.8, min_count=10).total.verdict == "meets"
    assert sla.compliance(outcomes, goal=0.8, min_count=11).total.verdict == "too few"


def test_below_when_the_interval_reaches_the_goal() -> None:
    """8 of 10 against 0.9: under the goal, but the upper bound 0.9433 reaches it."""
    outcomes = many(MET, 8) + many(MISSED, 2)
    row = sla.compliance(outcomes, goal=0.9, min_count=10).total
    assert row.verdict == "below"


def test_significantly_below_when_the_whole_interval_is_under() -> None:
    """32 of 40 against 0.9: the upper bound is under the goal.

    By hand at z = 1.96: (64 + 3.8416 + 1.96·sqrt(3.8416 + 25.6)) / 87.6832
    = 78.4766 / 87.6832 = 0.8950.
    """
    outcomes = many(MET, 32) + many(MISSED, 8)
    row = sla.compliance(outcomes, goal=0.9).total
    assert row.ci_high is not None
    assert round(row.ci_high, 4) == 0.895
    assert row.verdict == "significantly below"


def test_upper_bound_exactly_at_the_goal_is_below() -> None:
    """An interval whose upper bound equals the goal reaches it: `below`."""
    outcomes = many(MET, 32) + many(MISSED, 8)
    high = sla.compliance(outcomes).total.ci_high
    assert high is not None
    assert sla.compliance(outcomes, goal=high).total.verdict == "below"
    nudged = math.nextafter(high, 1.0)
    verdict = sla.compliance(outcomes, goal=nudged).total.verdict
    assert verdict == "significantly below"


def test_confidence_widens_the_interval() -> None:
    """At 99% the interval of 32 of 40 reaches 0.9, so the verdict is `below`."""
    outcomes = many(MET, 32) + many(MISSED, 8)
    report = sla.compliance(outcomes, goal=0.9, confidence=0.99)
    assert report.total.verdict == "below"
    assert report.confidence == 0.99


# --- grouping


def test_periods_of_receipt_and_their_labels() -> None:
    """Day, ISO week, month, quarter and year labels of 2027-01-01 (a Friday)."""
    received = dt.datetime(2027, 1, 1, 10, tzinfo=UTC)
    expected: dict[Period, str] = {
        "day": "2027-01-01",
        "week": "2026-W53",
        "month": "2027-01",
        "quarter": "2027-Q1",
        "year": "2027",
    }
    for period, label in expected.items():
        report = sla.compliance([outcome(MET, received)], period=period)
        assert report.rows[0].key == {"period": label}


def test_period_is_in_the_receipts_own_zone() -> None:
    """23:30 in Chicago on 31 March is April in UTC, but March for the report."""
    late = dt.datetime(2026, 3, 31, 23, 30, tzinfo=CHICAGO)
    assert late.astimezone(UTC).month == 4
    report = sla.compliance([outcome(MET, late)], period="month")
    assert report.rows[0].key["period"] == "2026-03"


def test_no_receipt_falls_in_period_none_and_sorts_last() -> None:
    """An invalid outcome with no receipt is counted in period None, last."""
    outcomes = [outcome(INVALID, None), outcome(MET)]
    report = sla.compliance(outcomes, period="month")
    assert [row.key["period"] for row in report.rows] == ["2026-03", None]
    assert report.rows[1].invalid == 1


def test_group_by_service_policy_and_a_missing_attribute() -> None:
    """`service` reads the outcome; a missing attribute groups as None."""
    outcomes = [
        outcome(MET, service="POTHOLE", district="1"),
        outcome(MISSED, service="POTHOLE"),
        outcome(MET, service="GRAFFITI", district="1"),
    ]
    report = sla.compliance(outcomes, by=["service", "district", "policy"])
    keys = [dict(row.key) for row in report.rows]
    assert keys == [
        {"service": "GRAFFITI", "district": "1", "policy": None},
        {"service": "POTHOLE", "district": "1", "policy": None},
        {"service": "POTHOLE", "district": None, "policy": None},
    ]


def test_rows_sort_numbers_before_text_and_none_last() -> None:
    """Rows come in key order: numbers, then text, then a missing value."""
    outcomes = [outcome(MET, ward=w) for w in ("b", None, 2, "a", 1)]
    report = sla.compliance(outcomes, by="ward")
    assert [row.key["ward"] for row in report.rows] == [1, 2, "a", "b", None]


def test_share_of_requests() -> None:
    """Three of four requests in district 1 are 75% of all requests."""
    outcomes = many(MET, 3, district="1") + many(OPEN, 1, district="2")
    report = sla.compliance(outcomes, by="district")
    assert [row.share_of_requests for row in report.rows] == [0.75, 0.25]
    assert report.total.share_of_requests == 1.0


def test_share_of_target_used_median_and_p90() -> None:
    """Shares 0.1..1.0: median 0.5 (5th of 10), p90 0.9 (9th); None is skipped."""
    outcomes = [outcome(MET, share=k / 10) for k in range(1, 11)]
    outcomes.append(outcome(NO_POLICY))
    row = sla.compliance(outcomes).total
    assert (row.share_median, row.share_p90) == (0.5, 0.9)


def test_shares_are_rounded_to_a_hundredth() -> None:
    """0.1234 of the target counts as 0.12, 0.126 as 0.13 (bins of 0.01)."""
    outcomes = [outcome(MET, share=0.1234), outcome(MET, share=0.126)]
    row = sla.compliance(outcomes).total
    assert (row.share_median, row.share_p90) == (0.12, 0.13)


def test_as_of_earliest_and_latest() -> None:
    """Outcomes judged at two instants: as_of is the later, both are kept."""
    early = AS_OF - dt.timedelta(days=1)
    outcomes = [outcome(MET), outcome(MET, as_of=early)]
    report = sla.compliance(outcomes)
    assert (report.as_of, report.as_of_earliest) == (AS_OF, early)
    assert sla.compliance([]).as_of is None


# --- flags


def test_flags_worst_first_with_reasons() -> None:
    """Significantly below comes before below; meets and too few are not flagged."""
    outcomes = (
        many(MET, 8, d="below") + many(MISSED, 2, d="below")
        + many(MET, 30, d="sig-small-gap") + many(MISSED, 10, d="sig-small-gap")
        + many(MET, 20, d="sig-big-gap") + many(MISSED, 20, d="sig-big-gap")
        + many(MET, 10, d="meets")
        + many(MISSED, 5, d="too few")
    )  # fmt: skip
    flags = sla.compliance(outcomes, by="d", goal=0.9, min_count=10).flags()
    assert [flag.row.key["d"] for flag in flags] == [
        "sig-big-gap",
        "sig-small-gap",
        "below",
    ]
    big = flags[0]
    assert big.gap == pytest.approx(0.4)
    assert big.certainty > 0.999
    assert big.why.startswith("50.0% of 40 against a goal of 90%: 40.0 points below")
    assert "the whole 95% interval" in big.why
    assert "may be chance" in flags[2].why


# --- output


def test_text_table_names_method_as_of_and_confidence() -> None:
    """str(report) heads the table with the method, the as-of and the level."""
    outcomes = many(MET, 3, district="1") + many(MISSED, 1, district="2")
    text = str(sla.compliance(outcomes, by="district", period="month"))
    lines = text.splitlines()
    assert lines[0] == "Compliance by district and month"
    assert "method decided: met / (met + missed + overdue)" in lines[1]
    assert "as of 2026-06-01 12:00+00:00" in lines[1]
    assert lines[2].startswith("95% Wilson intervals")
    assert lines[3].split()[:4] == ["district", "period", "met", "missed"]
    assert lines[5].split()[:4] == ["1", "2026-03", "3", "0"]
    assert lines[-1].split()[:3] == ["total", "3", "1"]


def test_html_table_escapes_values() -> None:
    """_repr_html_ gives a table whose cells are escaped."""
    html = sla.compliance([outcome(MET, district="<b>")], by="district")._repr_html_()
    assert html.startswith("<table><caption>Compliance by district")
    assert "&lt;b&gt;" in html
    assert "<b>" not in html


def test_to_dicts_flattens_key_and_fields() -> None:
    """to_dicts gives one flat dict per group, the key's entries first."""
    outcomes = many(MET, 2, district="1")
    (record,) = sla.compliance(outcomes, by="district", period="year").to_dicts()
    assert list(record)[:4] == ["district", "period", "met", "missed"]
    assert (record["district"], record["period"], record["met"]) == ("1", "2026", 2)


def test_to_dicts_refuses_a_key_that_clashes_with_a_field() -> None:
    """An attribute named like a column cannot be flattened beside it."""
    report = sla.compliance([outcome(MET, rate="high")], by="rate")
    with pytest.raises(ValueError, match=r"by names \['rate'\] clash"):
        report.to_dicts()


def test_to_pandas_columns_and_attrs() -> None:
    """to_pandas has the key columns, then the fields, and the report's metadata."""
    pytest.importorskip("pandas")
    report = sla.compliance(many(MET, 2, district="1"), by="district", method="all")
    frame = report.to_pandas()
    assert list(frame.columns[:3]) == ["district", "met", "missed"]
    assert frame.attrs["method"] == "all"
    assert frame.attrs["as_of"] == AS_OF
    assert frame.loc[0, "met"] == 2


# --- partial counts


def test_merge_requires_the_same_grouping() -> None:
    """Counts grouped differently refuse to merge, saying how to fix it."""
    a = sla.ComplianceCounts.from_outcomes([], by="district")
    b = sla.ComplianceCounts.from_outcomes([], by="ward")
    with pytest.raises(ValueError, match="counts to merge must group alike"):
        a + b


def test_rollup_of_days_equals_counting_by_month() -> None:
    """Counts by district and day, rolled up to month, equal counts by month."""
    outcomes = [
        outcome(MET, dt.datetime(2026, 3, day, tzinfo=UTC), district=str(day % 2))
        for day in range(1, 31)
    ] + [outcome(INVALID, None, district="1")]
    daily = sla.ComplianceCounts.from_outcomes(outcomes, ["district"], "day")
    monthly = sla.ComplianceCounts.from_outcomes(outcomes, [], "month")
    assert daily.rollup(period="month") == monthly
    assert sla.compliance(daily, period="quarter").rows[0].key["period"] == "2026-Q1"


def test_rollup_refuses_finer_groupings() -> None:
    """Weeks cannot become months; a name not counted cannot appear."""
    weekly = sla.ComplianceCounts.from_outcomes([], by="district", period="week")
    with pytest.raises(ValueError, match="period must be coarser than 'week'"):
        weekly.rollup(by="district", period="month")
    with pytest.raises(ValueError, match=r"by must be some of \('district',\)"):
        weekly.rollup(by="ward")


# --- bad arguments


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"method": "median"}, "method must be one of 'decided', 'closed', 'all'"),
        ({"goal": 1.5}, r"goal must be a share in \(0, 1\] or None, got 1.5"),
        ({"confidence": 95}, r"confidence must be a level in \(0, 1\)"),
        ({"min_count": -1}, "min_count must be a whole number >= 0, got -1"),
        ({"period": "fortnight"}, "period must be one of 'day', 'week'"),
        ({"by": ["period"]}, "by must not contain 'period'"),
        ({"by": ["d", "d"]}, "by must name each attribute once"),
    ],
)
def test_bad_arguments_are_named(arguments: dict[str, Any], message: str) -> None:
    """Each bad argument raises a ValueError naming it and the value given."""
    with pytest.raises(ValueError, match=message):
        sla.compliance([outcome(MET)], **arguments)


def test_unhashable_attribute_value() -> None:
    """A list as an attribute value cannot be grouped by: a TypeError says so."""
    with pytest.raises(TypeError, match=r"by values must be hashable, got \['a'\]"):
        sla.compliance([outcome(MET, tags=["a"])], by="tags")


# --- trend


def test_trend_change_from_the_previous_period() -> None:
    """District 1: 1/2 in January, none in February, 3/3 in March: +0.5."""
    jan = dt.datetime(2026, 1, 10, tzinfo=UTC)
    mar = dt.datetime(2026, 3, 10, tzinfo=UTC)
    outcomes = [
        outcome(MET, jan, district="1"),
        outcome(MISSED, jan, district="1"),
        *(outcome(MET, mar, district="1") for _ in range(3)),
        outcome(MET, jan, district="2"),
        outcome(INVALID, None, district="1"),
    ]
    trend = sla.trend(outcomes, by="district", where={"district": "1"})
    rows = [(r.period, r.rate, r.previous_period, r.change) for r in trend.rows]
    assert rows == [("2026-01", 0.5, None, None), ("2026-03", 1.0, "2026-01", 0.5)]
    assert str(trend).splitlines()[0] == "Compliance by month, for each district"


def test_trend_needs_a_period() -> None:
    """A report without periods has no trend."""
    with pytest.raises(ValueError, match="must be grouped by period for a trend"):
        sla.compliance([outcome(MET)]).trend()
    with pytest.raises(ValueError, match="where must name attributes grouped by"):
        sla.trend([outcome(MET)], where={"district": "1"})


# --- goals from policies


def judged_by(policy: sla.Policy, status: sla.Status, count: int) -> list[sla.Outcome]:
    """``count`` outcomes of one status judged under ``policy``."""
    return made_outcomes(status, count, received=MARCH, policy=policy)


NINETY = sla.Policy("Ninety", "10 days", goal=0.9)
EIGHTY = sla.Policy("Eighty", "10 days", goal=0.8)


def test_goal_comes_from_the_policy() -> None:
    """A group judged under one policy takes its goal, exactly."""
    row = sla.compliance(judged_by(NINETY, MET, 3)).total
    assert row.goal == 0.9


def test_mixed_policies_weigh_goals_by_the_requests_counted() -> None:
    """3 decided under 0.9 and 1 under 0.8 (plus 5 open): (2.7 + 0.8) / 4 = 0.875."""
    outcomes = (
        judged_by(NINETY, MET, 3) + judged_by(EIGHTY, MISSED, 1)
        + judged_by(EIGHTY, OPEN, 5)
    )  # fmt: skip
    assert sla.compliance(outcomes).total.goal == 0.875
    # Counting open ones too ("all"): (3 · 0.9 + 6 · 0.8) / 9 = 0.8333...
    assert sla.compliance(outcomes, method="all").total.goal == pytest.approx(7.5 / 9)


def test_goals_weigh_by_all_requests_when_none_is_counted() -> None:
    """Only open requests (none decided): 2 under 0.9, 2 under 0.8 give 0.85."""
    outcomes = judged_by(NINETY, OPEN, 2) + judged_by(EIGHTY, OPEN, 2)
    assert sla.compliance(outcomes).total.goal == 0.85


def test_given_goal_wins_and_no_policy_has_no_goal() -> None:
    """goal= overrides the policies; outcomes with no policy have no goal."""
    assert sla.compliance(judged_by(NINETY, MET, 1), goal=0.5).total.goal == 0.5
    assert sla.compliance(many(NO_POLICY, 2)).total.goal is None


def test_group_by_policy_name() -> None:
    """`policy` groups by the name of the policy that applied."""
    outcomes = judged_by(NINETY, MET, 2) + judged_by(EIGHTY, MET, 1) + many(MET, 1)
    report = sla.compliance(outcomes, by="policy")
    keys = [(row.key["policy"], row.met, row.goal) for row in report.rows]
    assert keys == [("Eighty", 1, 0.8), ("Ninety", 2, 0.9), (None, 1, None)]


def test_counts_pickle_for_other_processes() -> None:
    """Counts survive pickling, as Dask or multiprocessing need."""
    outcomes = [*mixed([2, 1, 1, 1, 1, 1, 1], district="1"), outcome(MET, share=0.5)]
    counts = sla.ComplianceCounts.from_outcomes(outcomes, "district", "month")
    assert pickle.loads(pickle.dumps(counts)) == counts
