"""Trends: each group's compliance period by period, and the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from slacalc import _render
from slacalc._state import frozen_mapping, picklable
from slacalc.compliance import ComplianceReport, compliance
from slacalc.counts import ComplianceCounts, Period
from slacalc.outcomes import Outcome
from slacalc.rows import Method, Verdict

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TrendReport", "TrendRow", "trend"]


@picklable
@attrs.frozen
class TrendRow:
    """One group in one period, beside the group's previous period.

    Attributes:
        key: the group, without the period (empty when not grouped).
        period: the period label, such as ``"2026-03"``.
        n, rate, ci_low, ci_high, goal, verdict: as in the period's
            :class:`~slacalc.ComplianceRow`.
        previous_period: the group's previous period with requests, or
            ``None`` for its first.
        change: ``rate`` minus the previous period's rate, or ``None`` when
            either is missing.

    Examples:
        >>> row = TrendRow({}, "2026-03", 40, 0.8, 0.65, 0.9, 0.9, "below",
        ...                "2026-02", 0.05)
        >>> row.change
        0.05
    """

    key: Mapping[str, Any] = attrs.field(converter=frozen_mapping, hash=False)
    period: str
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    goal: float | None
    verdict: Verdict | None
    previous_period: str | None
    change: float | None

    def to_dict(self) -> dict[str, Any]:
        """The row as one flat dict: the key's entries, then every field.

        Examples:
            >>> TrendRow({"d": "1"}, "2026", 0, None, None, None, None, None,
            ...          None, None).to_dict()["d"]
            '1'
        """
        fields = attrs.asdict(self, recurse=False)
        del fields["key"]
        return _render.flat_record(self.key, fields, "trend")


@attrs.frozen
class TrendReport(_render.Tabular):
    """Compliance period by period for each group, with the change.

    Attributes:
        by: the names grouped by (the period apart).
        period: the period of receipt.
        method, confidence, min_count, as_of: as in the
            :class:`~slacalc.ComplianceReport` it comes from.
        rows: the groups in key order, each group's periods in time order.
            Requests with no receipt time have no period and are left out.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t)
        >>> sla.trend([o], period="year").rows[0].period
        '2026'
    """

    by: tuple[str, ...]
    period: Period
    method: Method
    confidence: float
    min_count: int
    as_of: dt.datetime | None
    rows: tuple[TrendRow, ...]

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as flat dicts.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t)
            >>> sla.trend([o], period="year").to_dicts()[0]["rate"]
            1.0
        """
        return [row.to_dict() for row in self.rows]

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame; method, as-of, confidence in ``attrs``.

        Examples:
            >>> import pytest; _ = pytest.importorskip("pandas")  # else skipped
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t)
            >>> list(sla.trend([o], period="year").to_pandas().columns)[:3]
            ['period', 'n', 'rate']
        """
        columns = [*self.by]
        columns += [f.name for f in attrs.fields(TrendRow) if f.name != "key"]
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
        by = " and ".join(", ".join(self.by).rsplit(", ", 1))
        title = (
            f"Compliance by {self.period}" + (f", for each {by}" if by else ""),
            f"method {self.method}; as of {_render.fmt_instant(self.as_of)}; "
            f"{self.confidence:.0%} Wilson intervals",
        )
        headers = (
            *self.by,
            "period",
            "n",
            "rate",
            f"{self.confidence:.0%} CI",
            "goal",
            "verdict",
            "change",
        )
        right = (False,) * (len(self.by) + 1) + (True,) * 4 + (False, True)
        rows = tuple(
            (
                *(_render.fmt_value(row.key[name]) for name in self.by),
                row.period,
                _render.fmt_count(row.n),
                _render.fmt_percent(row.rate),
                "-"
                if row.ci_low is None
                else f"{row.ci_low * 100:.1f}-{_render.fmt_percent(row.ci_high)}",
                _render.fmt_goal(row.goal),
                row.verdict or "-",
                _render.fmt_signed_points(row.change),
            )
            for row in self.rows
        )
        return _render.Table(title, headers, right, rows)


def trend_of_report(
    report: ComplianceReport, where: Mapping[str, Any] | None = None
) -> TrendReport:
    """The trend of a report grouped by period (``ComplianceReport.trend``)."""
    if report.period is None:
        raise ValueError(
            "the report must be grouped by period for a trend, got period=None; "
            "compute it with period='month' (or 'day', 'week', ...)"
        )
    where = dict(where or {})
    unknown = sorted(set(where) - set(report.by))
    if unknown:
        raise ValueError(
            f"where must name attributes grouped by {report.by!r}, got {unknown!r}"
        )
    rows: list[TrendRow] = []
    last: dict[tuple[Any, ...], tuple[str, float | None]] = {}
    for row in report.rows:
        period = row.key["period"]
        values = tuple(row.key[name] for name in report.by)
        if period is None or any(row.key[k] != v for k, v in where.items()):
            continue
        previous_period, previous_rate = last.get(values, (None, None))
        change = (
            None
            if row.rate is None or previous_rate is None
            else row.rate - previous_rate
        )
        key = {name: row.key[name] for name in report.by}
        rows.append(
            TrendRow(
                key,
                period,
                row.n,
                row.rate,
                row.ci_low,
                row.ci_high,
                row.goal,
                row.verdict,
                previous_period,
                change,
            )
        )
        last[values] = (period, row.rate)
    return TrendReport(
        report.by,
        report.period,
        report.method,
        report.confidence,
        report.min_count,
        report.as_of,
        tuple(rows),
    )


def trend(
    outcomes: Iterable[Outcome] | ComplianceCounts,
    by: str | Sequence[str] = (),
    period: Period = "month",
    *,
    where: Mapping[str, Any] | None = None,
    method: Method = "decided",
    goal: float | None = None,
    confidence: float = 0.95,
    min_count: int = 30,
) -> TrendReport:
    """Compliance period by period for each group, and the change.

    The rows of ``compliance(outcomes, by, period, ...)`` for each group in
    time order, each beside the change of rate from the group's previous
    period with requests (a period with no requests is skipped, and named
    in ``previous_period`` of the next row so that the gap shows).

    Args:
        outcomes: the outcomes, or counts tallied before.
        by: the names to group by; see :func:`compliance`.
        period: the period of receipt, ``"month"`` by default.
        where: keep only the groups with these values, such as
            ``{"district": "3"}``.
        method, goal, confidence, min_count: as for :func:`compliance`.

    Returns:
        The trend.

    Raises:
        ValueError: ``where`` names an attribute not grouped by, or another
            argument is out of its range.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> utc = dt.timezone.utc
        >>> outcomes = [
        ...     sla.Outcome(id=str(i), status=status, as_of=day, received=day)
        ...     for i, (day, status) in enumerate([
        ...         (dt.datetime(2026, 1, 5, tzinfo=utc), sla.Status.MISSED),
        ...         (dt.datetime(2026, 1, 6, tzinfo=utc), sla.Status.MET),
        ...         (dt.datetime(2026, 2, 2, tzinfo=utc), sla.Status.MET)])
        ... ]
        >>> [(r.period, r.rate, r.change) for r in sla.trend(outcomes).rows]
        [('2026-01', 0.5, None), ('2026-02', 1.0, 0.5)]
    """
    report = compliance(
        outcomes,
        by,
        period,
        method=method,
        goal=goal,
        confidence=confidence,
        min_count=min_count,
    )
    return trend_of_report(report, where)
