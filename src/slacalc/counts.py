"""Partial compliance counts: outcomes tallied by group, mergeable exactly.

Every compliance, trend, workload and standardization report is computed
from a :class:`ComplianceCounts`: for each group (its attribute values, its
period of receipt and the goal of the policy that applied) the number of
outcomes of each status and a histogram of the share of target used.
Counts are integers, so partial counts from separate chunks of outcomes (or
Dask and Spark partitions) merge into exactly the counts of the whole.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from slacalc._periods import COARSER, PERIODS, roll_up
from slacalc._tally import add_counts, add_histograms, tally
from slacalc.outcomes import Outcome

if TYPE_CHECKING:
    from slacalc.compliance import ComplianceReport
    from slacalc.rows import Method

__all__ = [
    "ComplianceCounts",
    "GroupKey",
    "Histogram",
    "Period",
    "StatusCounts",
    "by_names",
    "sort_key",
]

#: A period of receipt that reports group by.
Period: TypeAlias = Literal["day", "week", "month", "quarter", "year"]

#: The attribute values of a group, in the order of ``by``; its period label
#: (``None`` for requests with no receipt time); the goal of its policy.
CellKey: TypeAlias = tuple[tuple[Any, ...], str | None, float | None]


def by_names(by: str | Sequence[str]) -> tuple[str, ...]:
    """``by`` as a tuple of names, checked: unique strings, not ``"period"``.

    Examples:
        >>> by_names("district"), by_names(["district", "service"])
        (('district',), ('district', 'service'))
    """
    names = (by,) if isinstance(by, str) else tuple(by)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"by must be attribute names (str), got {name!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"by must name each attribute once, got {names!r}")
    if "period" in names:
        raise ValueError(
            "by must not contain 'period', got "
            f"{names!r}; group by period of receipt with period='month' and so on"
        )
    return names


def check_period(period: object) -> Period | None:
    """``period`` checked: one of the period names, or ``None``."""
    if period is not None and period not in PERIODS:
        raise ValueError(
            f"period must be one of {', '.join(map(repr, PERIODS))} or None, "
            f"got {period!r}"
        )
    return period


def sort_key(value: Any) -> tuple[int, str, Any]:
    """A key that orders group values of mixed types, ``None`` last.

    Numbers come first, then text in natural order (runs of digits compare
    as numbers, so district ``"9"`` comes before ``"10"``), then other
    values by their ``repr``.

    Examples:
        >>> sorted(["10", None, "9", "Ward 10", "Ward 9", 2, 1], key=sort_key)
        [1, 2, '9', '10', 'Ward 9', 'Ward 10', None]
    """
    if value is None:
        return (3, "", 0)
    if isinstance(value, bool | int | float):
        return (0, "", value)
    if isinstance(value, str):
        # Alternate text and numbers, text first, so that any two keys compare.
        parts = _DIGITS.split(value)
        return (1, "", [int(p) if i % 2 else p for i, p in enumerate(parts)] + [value])
    return (2, type(value).__name__, repr(value))


_DIGITS = re.compile(r"(\d+)")


#: The number of outcomes of each status, in the order of :class:`Status`
#: (met, missed, overdue, open, exempt, no_policy, invalid).
StatusCounts: TypeAlias = tuple[int, ...]

#: A group's attribute values and its period label.
GroupKey: TypeAlias = tuple[tuple[Any, ...], str | None]

#: A histogram of shares of target used: ``{bin: number of outcomes}``, a
#: share ``s`` falling in bin ``round(s * 100)``.
Histogram: TypeAlias = Mapping[int, int]


def _min(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    return b if a is None else a if b is None else max(a, b)


@attrs.frozen
class ComplianceCounts:
    """Outcomes tallied by group, ready to merge with other tallies or report.

    Build one with :meth:`from_outcomes`, merge partial counts of separate
    chunks with ``+`` or :meth:`merge`, coarsen with :meth:`rollup`, and turn
    into a report with :meth:`report`. Counts merged from chunks equal the
    counts of the whole, exactly, whatever the chunks and their order, and
    so does every report computed from them (rates, intervals, goals and
    percentiles: percentiles are computed from share histograms, which
    merge exactly; see ``shares``). Counts pickle, for use across
    processes.

    Attributes:
        by: the names grouped by.
        period: the period of receipt grouped by, or ``None``.
        cells: the number of outcomes of each status (in the order of
            :class:`Status`) per ``(values, period label, goal)``: the
            group's values in the order of ``by``, its period (``None``
            for no receipt time, or when not grouped by period) and the
            goal of the policy that judged them (``None`` for none).
        shares: per ``(values, period label)``, a histogram of the share of
            target used of the group's outcomes that carry one:
            ``{bin: number}``, a share ``s`` in bin ``round(s * 100)``.
            Percentiles read from it are within 0.005 of the exact ones
            (half a bin), and merge exactly.
        as_of_earliest, as_of_latest: the earliest and latest instants the
            outcomes were judged at (``None`` when there are none).

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> a = [sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t,
        ...                  attributes={"district": "3"})]
        >>> b = [sla.Outcome(id="2", status=sla.Status.OPEN, as_of=t, received=t,
        ...                  attributes={"district": "3"})]
        >>> part = sla.ComplianceCounts.from_outcomes(a, by=["district"])
        >>> whole = sla.ComplianceCounts.from_outcomes(a + b, by=["district"])
        >>> part + sla.ComplianceCounts.from_outcomes(b, by=["district"]) == whole
        True
        >>> whole.total
        2
    """

    by: tuple[str, ...]
    period: Period | None
    cells: Mapping[CellKey, StatusCounts]
    shares: Mapping[GroupKey, Histogram] = attrs.field(factory=dict)
    as_of_earliest: dt.datetime | None = None
    as_of_latest: dt.datetime | None = None

    @classmethod
    def from_outcomes(
        cls,
        outcomes: Iterable[Outcome],
        by: str | Sequence[str] = (),
        period: Period | None = None,
    ) -> ComplianceCounts:
        """Tally outcomes by attribute values and period of receipt.

        Args:
            outcomes: the outcomes, read once.
            by: attribute names, plus ``"service"`` (the outcome's service)
                and ``"policy"`` (the name of the policy that applied). A
                missing attribute groups as ``None``.
            period: group by the period of receipt, in the receipt's own
                zone: ``"day"`` (``2026-03-02``), ``"week"`` (ISO week,
                ``2026-W10``), ``"month"`` (``2026-03``), ``"quarter"``
                (``2026-Q1``) or ``"year"`` (``2026``). Outcomes with no
                receipt time fall in period ``None``.

        Returns:
            The counts.

        Raises:
            ValueError: ``by`` names an attribute twice or names ``period``,
                or ``period`` is not one of the names above.
            TypeError: an attribute value grouped by is not hashable.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t)
            >>> counts = sla.ComplianceCounts.from_outcomes([o], period="week")
            >>> list(counts.cells)
            [((), '2026-W10', None)]
        """
        names = by_names(by)
        checked = check_period(period)
        cells, shares, earliest, latest = tally(outcomes, names, checked)
        return cls(names, checked, cells, shares, earliest, latest)

    @property
    def total(self) -> int:
        """The number of outcomes counted.

        Examples:
            >>> ComplianceCounts(by=(), period=None, cells={}).total
            0
        """
        return sum(sum(counts) for counts in self.cells.values())

    def merge(self, *others: ComplianceCounts) -> ComplianceCounts:
        """These counts added to others of the same grouping.

        Raises:
            ValueError: the others group by other names or another period.

        Examples:
            >>> empty = ComplianceCounts(by=("district",), period=None, cells={})
            >>> empty.merge(empty, empty) == empty
            True
        """
        cells = dict(self.cells)
        shares = dict(self.shares)
        earliest, latest = self.as_of_earliest, self.as_of_latest
        for other in others:
            if (other.by, other.period) != (self.by, self.period):
                raise ValueError(
                    "counts to merge must group alike, got by="
                    f"{other.by!r}, period={other.period!r}; expected by="
                    f"{self.by!r}, period={self.period!r} (roll one up first)"
                )
            add_counts(cells, other.cells.items())
            add_histograms(shares, other.shares.items())
            earliest = _min(earliest, other.as_of_earliest)
            latest = _max(latest, other.as_of_latest)
        return ComplianceCounts(self.by, self.period, cells, shares, earliest, latest)

    def __add__(self, other: ComplianceCounts) -> ComplianceCounts:
        return self.merge(other)

    def rollup(
        self, by: str | Sequence[str] = (), period: Period | None = None
    ) -> ComplianceCounts:
        """The same counts grouped more coarsely.

        ``by`` must be some of the names these counts group by, in any
        order; ``period`` ``None`` or one these labels can be rolled into
        (a day into any period; a month into a quarter or a year; a quarter
        into a year; a week only into a week).

        Raises:
            ValueError: ``by`` or ``period`` is finer than these counts.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t,
            ...                 service="POTHOLE", attributes={"district": "3"})
            >>> counts = sla.ComplianceCounts.from_outcomes(
            ...     [o], by=["district", "service"], period="day")
            >>> list(counts.rollup(by="service", period="quarter").cells)
            [(('POTHOLE',), '2026-Q1', None)]
        """
        names = by_names(by)
        checked = check_period(period)
        missing = [name for name in names if name not in self.by]
        if missing:
            raise ValueError(
                f"by must be some of {self.by!r} to roll these counts up, "
                f"got {names!r}; count the outcomes again by {missing!r}"
            )
        if checked is not None and (
            self.period is None or checked not in COARSER[self.period]
        ):
            raise ValueError(
                f"period must be coarser than {self.period!r} to roll these "
                f"counts up, got {checked!r}"
            )
        if (names, checked) == (self.by, self.period):
            return self
        positions = [self.by.index(name) for name in names]
        relabel = roll_up(self.period, checked)

        def regroup(values: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple([values[i] for i in positions])

        cells: dict[CellKey, StatusCounts] = {}
        add_counts(
            cells,
            (
                ((regroup(values), relabel(p), goal), counts)
                for (values, p, goal), counts in self.cells.items()
            ),
        )
        shares: dict[GroupKey, Histogram] = {}
        add_histograms(
            shares,
            (
                ((regroup(values), relabel(p)), bins)
                for (values, p), bins in self.shares.items()
            ),
        )
        return ComplianceCounts(
            names, checked, cells, shares, self.as_of_earliest, self.as_of_latest
        )

    def report(
        self,
        method: Method = "decided",
        goal: float | None = None,
        confidence: float = 0.95,
        min_count: int = 30,
    ) -> ComplianceReport:
        """The compliance report of these counts; see :func:`compliance`.

        Examples:
            >>> ComplianceCounts(by=(), period=None, cells={}).report().total.total
            0
        """
        from slacalc.compliance import report_from_counts

        return report_from_counts(self, method, goal, confidence, min_count)


def counts_for(
    source: Iterable[Outcome] | ComplianceCounts,
    by: str | Sequence[str],
    period: Period | None,
) -> ComplianceCounts:
    """Counts of outcomes, or given counts rolled up, grouped as asked."""
    if isinstance(source, ComplianceCounts):
        return source.rollup(by, period)
    return ComplianceCounts.from_outcomes(source, by, period)
