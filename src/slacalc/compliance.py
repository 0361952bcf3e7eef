"""Compliance reports: rates by group against the goal, with honest intervals.

A report is computed from :class:`~slacalc.counts.ComplianceCounts`, so a
report of chunks merged equals the report of the whole, exactly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from slacalc import _render
from slacalc._stats import certainty_below
from slacalc.counts import (
    ComplianceCounts,
    GroupKey,
    Period,
    StatusCounts,
    counts_for,
    sort_key,
)
from slacalc.outcomes import Outcome
from slacalc.rows import (
    METHOD_FORMULAS,
    STATUS_FIELDS,
    ComplianceRow,
    Flag,
    Method,
    Verdict,
    check_settings,
    make_row,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from slacalc.trend import TrendReport

# ComplianceRow, Flag, Method and Verdict live in slacalc.rows; they are
# re-exported here for code that imports them with the report.
__all__ = [
    "ComplianceReport",
    "ComplianceRow",
    "Flag",
    "Method",
    "Verdict",
    "compliance",
]

_SEVERITY = {"significantly below": 0, "below": 1}


def report_from_counts(
    counts: ComplianceCounts,
    method: Method,
    goal: float | None,
    confidence: float,
    min_count: int,
) -> ComplianceReport:
    """The compliance report of tallied counts (``ComplianceCounts.report``)."""
    settings = check_settings(method, goal, confidence, min_count)
    groups: dict[GroupKey, list[tuple[float | None, StatusCounts]]] = {}
    for (values, period, goal), cell in counts.cells.items():
        groups.setdefault((values, period), []).append((goal, cell))
    everyone = counts.total

    def order(item: GroupKey) -> tuple[Any, ...]:
        values, period = item
        return (*map(sort_key, values), sort_key(period))

    rows = []
    everything: Counter[int] = Counter()
    for group in sorted(groups, key=order):
        values, period = group
        key: dict[str, Any] = dict(zip(counts.by, values, strict=True))
        if counts.period is not None:
            key["period"] = period
        shares = counts.shares.get(group, {})
        everything.update(shares)
        rows.append(make_row(key, groups[group], shares, settings, everyone))
    parts = [(goal, cell) for (_, _, goal), cell in counts.cells.items()]
    total = make_row({}, parts, everything, settings, everyone)
    return ComplianceReport(
        by=counts.by,
        period=counts.period,
        method=settings.method,
        confidence=settings.confidence,
        min_count=min_count,
        goal=settings.goal,
        as_of=counts.as_of_latest,
        as_of_earliest=counts.as_of_earliest,
        rows=tuple(rows),
        total=total,
        counts=counts,
    )


def _why(row: ComplianceRow, certainty: float, confidence: float) -> str:
    assert row.rate is not None
    assert row.goal is not None
    points = (row.goal - row.rate) * 100
    interval = f"{_render.fmt_percent(row.ci_low)}-{_render.fmt_percent(row.ci_high)}"
    head = (
        f"{_render.fmt_percent(row.rate)} of {row.n:,} against a goal of "
        f"{_render.fmt_goal(row.goal)}: {points:.1f} points below"
    )
    if row.verdict == "significantly below":
        tail = f"the whole {confidence:.0%} interval {interval} is under the goal"
    else:
        tail = (
            f"the {confidence:.0%} interval {interval} reaches the goal, "
            "so the shortfall may be chance"
        )
    sure = "over 99.9%" if certainty > 0.999 else f"{certainty:.1%}"
    return f"{head}; {tail} (under it with {sure} confidence)"


@attrs.frozen
class ComplianceReport(_render.Tabular):
    """Compliance by group: counts, rates, intervals, goals and verdicts.

    Built by :func:`compliance` or ``ComplianceCounts.report``. ``str()`` of
    a report is a text table; in a notebook it shows as an HTML table.

    Attributes:
        by: the names grouped by.
        period: the period of receipt grouped by, or ``None``.
        method: how the rates count requests (see :func:`compliance`).
        confidence: the confidence level of the intervals.
        min_count: the fewest requests counted for a verdict.
        goal: the goal given for every group, or ``None`` when each group
            takes its policies' goals.
        as_of: the latest instant the outcomes were judged at.
        as_of_earliest: the earliest such instant (equal to ``as_of`` when
            every outcome was judged at once).
        rows: one :class:`ComplianceRow` per group, sorted by key (a
            missing value and the period ``None`` last).
        total: the row of every outcome together; its counts are the sums
            of the rows'.
        counts: the counts the report was computed from.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcomes = [
        ...     sla.Outcome(id=str(i), status=status, as_of=t, received=t,
        ...                 attributes={"district": district})
        ...     for i, (district, status) in enumerate(
        ...         [("1", sla.Status.MET), ("1", sla.Status.MISSED),
        ...          ("2", sla.Status.MET), ("2", sla.Status.OPEN)])
        ... ]
        >>> report = sla.compliance(outcomes, by="district", min_count=1)
        >>> [(dict(row.key), row.rate) for row in report.rows]
        [({'district': '1'}, 0.5), ({'district': '2'}, 1.0)]
        >>> report.total.total, report.method
        (4, 'decided')
    """

    by: tuple[str, ...]
    period: Period | None
    method: Method
    confidence: float
    min_count: int
    goal: float | None
    as_of: dt.datetime | None
    as_of_earliest: dt.datetime | None
    rows: tuple[ComplianceRow, ...]
    total: ComplianceRow
    counts: ComplianceCounts = attrs.field(repr=False)

    def flags(self) -> tuple[Flag, ...]:
        """The groups below their goal, worst first.

        ``significantly below`` before ``below``, then the largest gap
        first. Groups with too few requests or no goal are not flagged.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> outcomes = [sla.Outcome(id=str(i), as_of=t, attributes={"d": "1"},
            ...                         status=sla.Status.MET if i % 5 else
            ...                         sla.Status.MISSED) for i in range(40)]
            >>> print(sla.compliance(outcomes, by="d", goal=0.9).flags()[0].why)
            80.0% of 40 against a goal of 90%: 10.0 points below; the whole 95%
            interval 65.2%-89.5% is under the goal (under it with 96.5% confidence)
        """
        flags = []
        for row in self.rows:
            if row.verdict in _SEVERITY:
                assert row.rate is not None
                assert row.goal is not None
                certainty = certainty_below(row.met, row.n, row.goal)
                flags.append(
                    Flag(
                        row,
                        row.goal - row.rate,
                        certainty,
                        _why(row, certainty, self.confidence),
                    )
                )
        flags.sort(key=lambda f: (_SEVERITY[f.row.verdict or ""], -f.gap))
        return tuple(flags)

    def trend(self, where: Mapping[str, Any] | None = None) -> TrendReport:
        """Each group's rate period by period, with the change between them.

        See :func:`slacalc.trend`.

        Raises:
            ValueError: the report is not grouped by period.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t)
            >>> [row.period for row in sla.compliance([o], period="month").trend().rows]
            ['2026-03']
        """
        from slacalc.trend import trend_of_report

        return trend_of_report(self, where)

    def plot(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """A chart: a trend when grouped by period, else compliance by group.

        Needs matplotlib (``pip install 'slacalc[charts]'``); see
        :func:`slacalc.charts.plot` for the rule and the charts.

        Raises:
            ImportError: matplotlib is not installed.

        Examples:
            >>> import matplotlib; matplotlib.use("Agg")
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t)
            >>> sla.compliance([o], period="month").plot().get_xlabel()
            'month'
            >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from slacalc.charts import plot

        return plot(self, ax, title=title)

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows (not the total) as flat dicts; see ``ComplianceRow.to_dict``.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t)
            >>> sla.compliance([o], period="year").to_dicts()[0]["period"]
            '2026'
        """
        return [row.to_dict() for row in self.rows]

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame; method, as-of, confidence in ``attrs``.

        Raises:
            ImportError: pandas is not installed.

        Examples:
            >>> import pytest; _ = pytest.importorskip("pandas")  # else skipped
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t)
            >>> frame = sla.compliance([o], period="year").to_pandas()
            >>> float(frame.loc[0, "rate"]), frame.attrs["method"]
            (1.0, 'decided')
        """
        columns = [*self.by, *(["period"] if self.period else [])]
        columns += [f.name for f in attrs.fields(ComplianceRow) if f.name != "key"]
        return _render.data_frame(
            self.to_dicts(),
            columns,
            {
                "method": self.method,
                "confidence": self.confidence,
                "min_count": self.min_count,
                "as_of": self.as_of,
            },
        )

    def _table(self) -> _render.Table:
        names = [*self.by, *(["period"] if self.period else [])]
        words = [*self.by, *([self.period] if self.period else [])]
        grouped = " and ".join(", ".join(words).rsplit(", ", 1))
        title = (
            f"Compliance by {grouped}" if grouped else "Compliance",
            f"method {self.method}: {METHOD_FORMULAS[self.method]}; "
            f"as of {_render.fmt_instant(self.as_of)}"
            + (
                ""
                if self.as_of_earliest == self.as_of
                else f" (earliest {_render.fmt_instant(self.as_of_earliest)})"
            ),
            f"{self.confidence:.0%} Wilson intervals; "
            f"'too few' under {self.min_count} counted; "
            "goal: "
            + (_render.fmt_goal(self.goal) if self.goal else "from the policies"),
        )
        headers = (
            *names,
            "met",
            "missed",
            "overdue",
            "open",
            "exempt",
            "no policy",
            "invalid",
            "total",
            "n",
            "rate",
            f"{self.confidence:.0%} CI",
            "goal",
            "verdict",
            "used p50",
            "used p90",
            "of all",
        )
        right = (False,) * len(names) + (True,) * 12 + (False,) + (True,) * 3
        cells = tuple(_cells(row, names) for row in self.rows)
        footer = (_cells(self.total, names),) if names else ()
        if not names:
            cells = (_cells(self.total, names),)
        return _render.Table(title, headers, right, cells, footer)


def _cells(row: ComplianceRow, names: Sequence[str]) -> tuple[str, ...]:
    if not names:
        key = []
    elif row.key:
        key = [_render.fmt_value(row.key[name]) for name in names]
        if "period" in row.key and row.key["period"] is None:
            key[-1] = "(no receipt)"
    else:
        key = ["total", *[""] * (len(names) - 1)]
    interval = (
        "-"
        if row.ci_low is None
        else f"{row.ci_low * 100:.1f}-{_render.fmt_percent(row.ci_high)}"
    )
    return (
        *key,
        *(_render.fmt_count(getattr(row, name)) for name in STATUS_FIELDS),
        _render.fmt_count(row.total),
        _render.fmt_count(row.n),
        _render.fmt_percent(row.rate),
        interval,
        _render.fmt_goal(row.goal),
        row.verdict or "-",
        _render.fmt_share(row.share_median),
        _render.fmt_share(row.share_p90),
        _render.fmt_percent(row.share_of_requests),
    )


def compliance(
    outcomes: Iterable[Outcome] | ComplianceCounts,
    by: str | Sequence[str] = (),
    period: Period | None = None,
    *,
    method: Method = "decided",
    goal: float | None = None,
    confidence: float = 0.95,
    min_count: int = 30,
) -> ComplianceReport:
    """Compliance by group and period of receipt, against the goal.

    Args:
        outcomes: the outcomes (read once), or counts tallied before, which
            are rolled up to ``by`` and ``period``.
        by: attribute names to group by, plus ``"service"`` and
            ``"policy"`` (the name of the policy that applied).
        period: group by period of receipt too: ``"day"``, ``"week"``,
            ``"month"``, ``"quarter"`` or ``"year"`` (see
            ``ComplianceCounts.from_outcomes`` for the labels).
        method: which requests a rate counts. ``"decided"``: met / (met +
            missed + overdue): requests open and not yet due are pending.
            ``"closed"``: met / (met + missed). ``"all"``: met / (met +
            missed + overdue + open). Exempt, no-policy and invalid
            outcomes are never counted in a rate (they still count in the
            row's ``total``).
        goal: the goal for every group. By default each group takes the
            goal of the policies that judged its requests: when they differ,
            their mean weighted by the requests each policy's rate counts
            (by all their requests when the rate counts none); ``None``
            when no policy applied.
        confidence: the level of the Wilson intervals, in (0, 1).
        min_count: the fewest requests a rate must count for a verdict other
            than ``"too few"``.

    Returns:
        The report: a row per group and a total row.

    Raises:
        ValueError: an argument is out of its range (the message names it).

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcomes = [sla.Outcome(id=str(i), status=s, as_of=t, received=t)
        ...             for i, s in enumerate([sla.Status.MET] * 8
        ...                                   + [sla.Status.MISSED] * 2)]
        >>> row = sla.compliance(outcomes, goal=0.8, min_count=10).total
        >>> row.rate, round(row.ci_low, 4), round(row.ci_high, 4), row.verdict
        (0.8, 0.4902, 0.9433, 'meets')
    """
    counts = counts_for(outcomes, by, period)
    return counts.report(method, goal, confidence, min_count)
