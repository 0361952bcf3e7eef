"""One group's rate, interval, goal and verdict: the rows of a compliance report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal, TypeAlias

import attrs

from slacalc import _render
from slacalc._state import frozen_mapping, picklable
from slacalc._stats import percentiles, wilson, z_value
from slacalc.counts import Histogram, StatusCounts

__all__ = [
    "METHOD_FORMULAS",
    "STATUS_FIELDS",
    "ComplianceRow",
    "Flag",
    "Method",
    "Settings",
    "Verdict",
    "check_method",
    "check_settings",
    "denominator",
    "make_row",
]

#: How a compliance rate counts requests; see :func:`compliance`.
Method: TypeAlias = Literal["decided", "closed", "all"]
#: A group's standing against its goal; see :func:`compliance`.
Verdict: TypeAlias = Literal["meets", "below", "significantly below", "too few"]

METHOD_FORMULAS: dict[Method, str] = {
    "decided": "met / (met + missed + overdue)",
    "closed": "met / (met + missed)",
    "all": "met / (met + missed + overdue + open)",
}
# How many of the leading statuses (met, missed, overdue, open) each method's
# denominator adds up.
_DENOMINATOR_WIDTH: dict[Method, int] = {"decided": 3, "closed": 2, "all": 4}
STATUS_FIELDS = ("met", "missed", "overdue", "open", "exempt", "no_policy", "invalid")


@picklable
@attrs.frozen
class ComplianceRow:
    """One group of a compliance report.

    Attributes:
        key: the group: ``{name: value}`` for each name grouped by, plus
            ``"period"`` when grouped by period; empty for the total row.
        met, missed, overdue, open, exempt, no_policy, invalid: the number
            of outcomes of each status.
        total: all outcomes of the group (the seven counts added up).
        n: the requests the rate counts (its denominator under the
            report's method).
        rate: ``met / n``, or ``None`` when ``n`` is 0.
        ci_low, ci_high: the Wilson score interval of the rate at the
            report's confidence (``None`` when ``n`` is 0).
        goal: the goal the rate is held to (``None`` when there is none).
        verdict: ``"too few"`` when ``n`` is under the report's
            ``min_count``; otherwise ``"meets"`` (rate at or above the
            goal), ``"below"`` (under the goal, but the interval reaches
            it) or ``"significantly below"`` (the whole interval under
            it); ``None`` when there is no goal.
        share_median, share_p90: the median and 90th percentile of the
            share of target used, over the group's outcomes that carry one
            (nearest rank, to within 0.005; ``None`` when none does).
        share_of_requests: the group's ``total`` as a share of every
            outcome in the report.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcomes = [sla.Outcome(id=str(i), status=s, as_of=t, received=t)
        ...             for i, s in enumerate([sla.Status.MET] * 3
        ...                                   + [sla.Status.MISSED])]
        >>> row = sla.compliance(outcomes, goal=0.9, min_count=4).total
        >>> row.met, row.n, row.rate, row.verdict
        (3, 4, 0.75, 'below')
    """

    key: Mapping[str, Any] = attrs.field(converter=frozen_mapping, hash=False)
    met: int
    missed: int
    overdue: int
    open: int
    exempt: int
    no_policy: int
    invalid: int
    total: int
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    goal: float | None
    verdict: Verdict | None
    share_median: float | None
    share_p90: float | None
    share_of_requests: float | None

    def to_dict(self) -> dict[str, Any]:
        """The row as one flat dict: the key's entries, then every field.

        Raises:
            ValueError: a name grouped by is also a field name.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t,
            ...                 attributes={"district": "3"})
            >>> record = sla.compliance([o], by="district").rows[0].to_dict()
            >>> record["district"], record["met"], record["rate"]
            ('3', 1, 1.0)
        """
        fields = attrs.asdict(self, recurse=False)
        del fields["key"]
        return _render.flat_record(self.key, fields, "compliance")


@attrs.frozen
class Flag:
    """A group below its goal, and why.

    Attributes:
        row: the group's row.
        gap: how far the rate is under the goal (``goal - rate``).
        certainty: how sure it is that the group is truly under its goal:
            the highest confidence level at which the rate's Wilson
            interval lies wholly under the goal (the score test the
            interval inverts).
        why: the reason in words.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcomes = [sla.Outcome(id=str(i), status=sla.Status.MISSED, as_of=t)
        ...             for i in range(30)]
        >>> flag = sla.compliance(outcomes, goal=0.9).flags()[0]
        >>> round(flag.gap, 2), flag.row.verdict
        (0.9, 'significantly below')
    """

    row: ComplianceRow
    gap: float
    certainty: float
    why: str


def denominator(counts: Sequence[int], method: Method) -> int:
    """The requests a rate counts under ``method``, from counts by status.

    Examples:
        >>> denominator((5, 2, 1, 4, 0, 0, 0), "closed")
        7
    """
    return sum(counts[: _DENOMINATOR_WIDTH[method]])


def check_method(method: object) -> Method:
    """``method`` checked: one of the rate methods.

    Examples:
        >>> check_method("everything")
        Traceback (most recent call last):
        ...
        ValueError: method must be one of 'decided', 'closed', 'all', got 'everything'
    """
    if method not in METHOD_FORMULAS:
        raise ValueError(
            f"method must be one of {', '.join(map(repr, METHOD_FORMULAS))}, "
            f"got {method!r}"
        )
    return method


def _goal_of(
    parts: Sequence[tuple[float | None, StatusCounts]], method: Method
) -> float | None:
    """The request-weighted mean of the goals of a group's policies.

    Each goal weighs by the requests under it that the rate counts, or, when
    the rate counts none, by all its requests. Exact: fractions, then one
    rounding.
    """
    weights: Counter[float] = Counter()
    totals: Counter[float] = Counter()
    for goal, counts in parts:
        if goal is not None:
            weights[goal] += denominator(counts, method)
            totals[goal] += sum(counts)
    if not totals:
        return None
    if len(totals) == 1:
        return next(iter(totals))
    if sum(weights.values()) == 0:
        weights = totals
    # Each goal as the decimal it prints as (0.9 is 9/10, not the binary float
    # just above it), so that 0.9 and 0.8 in equal numbers give 0.85.
    mean = sum(Fraction(repr(goal)) * weight for goal, weight in weights.items())
    return float(mean / sum(weights.values()))


@attrs.frozen
class Settings:
    """A report's method, goal, confidence (and its z) and min_count, checked."""

    method: Method
    goal: float | None
    confidence: float
    z: float
    min_count: int


def _verdict(
    n: int,
    rate: float | None,
    ci_high: float | None,
    goal: float | None,
    min_count: int,
) -> Verdict | None:
    if n < min_count:
        return "too few"
    if goal is None or rate is None or ci_high is None:
        return None
    if rate >= goal:
        return "meets"
    if ci_high >= goal:
        return "below"
    return "significantly below"


def make_row(
    key: Mapping[str, Any],
    parts: Sequence[tuple[float | None, StatusCounts]],
    shares: Histogram,
    settings: Settings,
    everyone: int,
) -> ComplianceRow:
    counts = [sum(column) for column in zip(*(c for _, c in parts), strict=True)]
    counts = counts or [0] * len(STATUS_FIELDS)
    share_median, share_p90 = percentiles(shares, 50, 90)
    n = denominator(counts, settings.method)
    rate = ci_low = ci_high = None
    if n:
        rate = counts[0] / n
        ci_low, ci_high = wilson(counts[0], n, settings.z)
    goal = (
        settings.goal if settings.goal is not None else _goal_of(parts, settings.method)
    )
    total = sum(counts)
    met, missed, overdue, still_open, exempt, no_policy, invalid = counts
    return ComplianceRow(
        key,
        met=met,
        missed=missed,
        overdue=overdue,
        open=still_open,
        exempt=exempt,
        no_policy=no_policy,
        invalid=invalid,
        total=total,
        n=n,
        rate=rate,
        ci_low=ci_low,
        ci_high=ci_high,
        goal=goal,
        verdict=_verdict(n, rate, ci_high, goal, settings.min_count),
        share_median=share_median,
        share_p90=share_p90,
        share_of_requests=total / everyone if everyone else None,
    )


def check_settings(
    method: object, goal: object, confidence: object, min_count: object
) -> Settings:
    checked = check_method(method)
    if goal is not None and not (
        isinstance(goal, int | float) and not isinstance(goal, bool) and 0 < goal <= 1
    ):
        raise ValueError(f"goal must be a share in (0, 1] or None, got {goal!r}")
    if not (
        isinstance(confidence, int | float)
        and not isinstance(confidence, bool)
        and 0 < confidence < 1
    ):
        raise ValueError(
            f"confidence must be a level in (0, 1) such as 0.95, got {confidence!r}"
        )
    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 0:
        raise ValueError(f"min_count must be a whole number >= 0, got {min_count!r}")
    return Settings(
        checked,
        None if goal is None else float(goal),
        float(confidence),
        z_value(confidence),
        min_count,
    )
