"""Workload: how requests spread over groups, against an even split."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from slacalc import _render
from slacalc._state import frozen_mapping, picklable
from slacalc.counts import ComplianceCounts, by_names, counts_for, sort_key
from slacalc.outcomes import Outcome

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["WorkloadReport", "WorkloadRow", "workload"]


@picklable
@attrs.frozen
class WorkloadRow:
    """One group's requests beside its even share.

    Attributes:
        key: the group, ``{name: value}``.
        requests: its requests (outcomes of every status).
        share: ``requests`` as a share of all requests.
        staff: its staff count, or ``None`` when not given.
        per_staff: ``requests / staff``, or ``None``.
        expected: its requests under an even split: all requests over the
            number of groups, or, with staff counts, the staffed groups'
            requests in proportion to their staff (``None`` for a group
            without a staff count).
        ratio: ``requests / expected`` (1 is an even split; ``None`` when
            ``expected`` is ``None`` or 0).
        flagged: ``ratio`` is at or above the report's ``flag_ratio``.

    Examples:
        >>> row = WorkloadRow({"district": "1"}, 330, 0.33, 1, 330.0, 250.0,
        ...                   1.32, True)
        >>> row.flagged
        True
    """

    key: Mapping[str, Any] = attrs.field(converter=frozen_mapping, hash=False)
    requests: int
    share: float | None
    staff: float | None
    per_staff: float | None
    expected: float | None
    ratio: float | None
    flagged: bool

    def to_dict(self) -> dict[str, Any]:
        """The row as one flat dict: the key's entries, then every field.

        Examples:
            >>> WorkloadRow({"district": "1"}, 3, 1.0, None, None, 3.0, 1.0,
            ...             False).to_dict()["district"]
            '1'
        """
        fields = attrs.asdict(self, recurse=False)
        del fields["key"]
        return _render.flat_record(self.key, fields, "workload")


@attrs.frozen
class WorkloadReport(_render.Tabular):
    """Requests per group against an even split, with flags.

    Attributes:
        by: the names grouped by.
        as_of: the latest instant the outcomes were judged at.
        total: all requests.
        staff_total: the staff counted, or ``None`` when not given.
        flag_ratio: the ratio to an even split at which a group is flagged.
        rows: one :class:`WorkloadRow` per group, in key order.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcomes = [sla.Outcome(id=str(i), status=sla.Status.OPEN, as_of=t,
        ...                         attributes={"district": d})
        ...             for i, d in enumerate("1112")]
        >>> report = sla.workload(outcomes, by="district")
        >>> [(r.key["district"], r.requests, r.ratio) for r in report.rows]
        [('1', 3, 1.5), ('2', 1, 0.5)]
        >>> [r.key["district"] for r in report.flags()]
        ['1']
    """

    by: tuple[str, ...]
    as_of: dt.datetime | None
    total: int
    staff_total: float | None
    flag_ratio: float
    rows: tuple[WorkloadRow, ...]

    def flags(self) -> tuple[WorkloadRow, ...]:
        """The groups at or above ``flag_ratio`` times an even split, highest first.

        Examples:
            >>> WorkloadReport((), None, 0, None, 1.25, ()).flags()
            ()
        """
        flagged = [row for row in self.rows if row.flagged]
        flagged.sort(key=lambda row: -(row.ratio or 0.0))
        return tuple(flagged)

    def plot(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """A bar chart of the shares against an even split, flags highlighted.

        Needs matplotlib (``pip install 'slacalc[charts]'``); see
        :func:`slacalc.charts.plot_workload`.

        Raises:
            ImportError: matplotlib is not installed.

        Examples:
            >>> import matplotlib; matplotlib.use("Agg")
            >>> report = WorkloadReport(("district",), None, 0, None, 1.25, ())
            >>> report.plot().get_ylabel()
            'share of requests'
            >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from slacalc.charts import plot_workload

        return plot_workload(self, ax, title=title)

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as flat dicts.

        Examples:
            >>> WorkloadReport(("district",), None, 0, None, 1.25, ()).to_dicts()
            []
        """
        return [row.to_dict() for row in self.rows]

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame; as-of and flag ratio in ``attrs``.

        Examples:
            >>> import pytest; _ = pytest.importorskip("pandas")  # else skipped
            >>> report = WorkloadReport(("district",), None, 0, None, 1.25, ())
            >>> list(report.to_pandas().columns)[:3]
            ['district', 'requests', 'share']
        """
        columns = [*self.by]
        columns += [f.name for f in attrs.fields(WorkloadRow) if f.name != "key"]
        return _render.data_frame(
            self.to_dicts(),
            columns,
            {"as_of": self.as_of, "flag_ratio": self.flag_ratio},
        )

    def _table(self) -> _render.Table:
        by = " and ".join(", ".join(self.by).rsplit(", ", 1))
        split = (
            "even split over the groups"
            if self.staff_total is None
            else f"even split by staff ({_number(self.staff_total)} in all)"
        )
        title = (
            f"Workload by {by}" if by else "Workload",
            f"as of {_render.fmt_instant(self.as_of)}; {self.total:,} requests; "
            f"{split}; flagged at {_number(self.flag_ratio)} times an even split",
        )
        headers = (
            *self.by,
            "requests",
            "share",
            "staff",
            "per staff",
            "even split",
            "ratio",
            "flag",
        )
        right = (False,) * len(self.by) + (True,) * 6 + (False,)
        rows = tuple(
            (
                *(_render.fmt_value(row.key[name]) for name in self.by),
                _render.fmt_count(row.requests),
                _render.fmt_percent(row.share),
                "-" if row.staff is None else _number(row.staff),
                "-" if row.per_staff is None else f"{row.per_staff:,.1f}",
                "-" if row.expected is None else f"{row.expected:,.1f}",
                "-" if row.ratio is None else f"{row.ratio:.2f}",
                "much more" if row.flagged else "",
            )
            for row in self.rows
        )
        return _render.Table(title, headers, right, rows)


def _number(value: float) -> str:
    return f"{value:g}"


def _check_staff(
    staff: Mapping[Any, float] | None, names: tuple[str, ...]
) -> dict[tuple[Any, ...], float] | None:
    """Staff counts keyed like group values: a tuple per group."""
    if staff is None:
        return None
    checked: dict[tuple[Any, ...], float] = {}
    for key, count in staff.items():
        if (
            not isinstance(count, int | float)
            or isinstance(count, bool)
            or not math.isfinite(count)
            or count <= 0
        ):
            raise ValueError(
                f"staff must map groups to counts > 0, got {count!r} for {key!r}"
            )
        values = key if len(names) != 1 else (key,)
        if not isinstance(values, tuple) or len(values) != len(names):
            raise ValueError(
                f"staff keys must be tuples of {len(names)} values "
                f"({', '.join(names)}), got {key!r}"
            )
        checked[values] = count
    return checked


def workload(
    outcomes: Iterable[Outcome] | ComplianceCounts,
    by: str | Sequence[str],
    staff: Mapping[Any, float] | None = None,
    *,
    flag_ratio: float = 1.25,
) -> WorkloadReport:
    """Requests per group, per staff member, against an even split.

    Every outcome counts as a request, whatever its status. A group is
    flagged when it carries at least ``flag_ratio`` times its even share:
    in Minneapolis, one of four districts with one supervisor each had
    about a third of the requests (1.3 times an even quarter) and another
    about a sixth.

    Args:
        outcomes: the outcomes, or counts tallied before.
        by: the names to group by; see :func:`compliance`.
        staff: staff counts per group: keyed by the value for one name, by
            a tuple of values for several. Groups named here with no
            requests get a row with 0 requests. The even split is then in
            proportion to staff, among the groups with a staff count.
        flag_ratio: the ratio to an even split at which a group is flagged.

    Returns:
        The report.

    Raises:
        ValueError: a staff count is not a number > 0, its key does not fit
            ``by``, no staff key matches a group (a type mismatch such as
            ``1`` for ``"1"``), or ``flag_ratio`` is not > 0.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcomes = [sla.Outcome(id=str(i), status=sla.Status.OPEN, as_of=t,
        ...                         attributes={"district": d})
        ...             for i, d in enumerate("11112")]
        >>> report = sla.workload(outcomes, by="district", staff={"1": 3, "2": 1})
        >>> [(r.key["district"], r.per_staff, r.ratio) for r in report.rows]
        [('1', 1.3333333333333333, 1.0666666666666667), ('2', 1.0, 0.8)]
    """
    names = by_names(by)
    if (
        not isinstance(flag_ratio, int | float)
        or isinstance(flag_ratio, bool)
        or not flag_ratio > 0
    ):
        raise ValueError(f"flag_ratio must be a number > 0, got {flag_ratio!r}")
    staffing = _check_staff(staff, names)
    counts = counts_for(outcomes, names, None)
    requests: dict[tuple[Any, ...], int] = {}
    for (values, _, _), cell in counts.cells.items():
        requests[values] = requests.get(values, 0) + sum(cell)
    if staffing is not None:
        if requests and staffing and not set(staffing) & set(requests):
            raise ValueError(
                f"staff must be keyed by the groups' values, got keys "
                f"{sorted(staffing, key=repr)!r}; the groups are "
                f"{sorted(requests, key=repr)!r}"
            )
        for values in staffing:
            requests.setdefault(values, 0)
    total = sum(requests.values())

    if staffing is None:
        staff_total = None
        expected = {v: total / len(requests) for v in requests}
    else:
        staff_total = math.fsum(staffing.values())
        staffed = sum(requests[v] for v in staffing)
        expected = {v: staffed * count / staff_total for v, count in staffing.items()}

    rows = []
    for values in sorted(requests, key=lambda vs: tuple(map(sort_key, vs))):
        count = requests[values]
        head = None if staffing is None else staffing.get(values)
        even = expected.get(values)
        ratio = count / even if even else None
        rows.append(
            WorkloadRow(
                dict(zip(names, values, strict=True)),
                count,
                count / total if total else None,
                head,
                None if head is None else count / head,
                even,
                ratio,
                ratio is not None and ratio >= flag_ratio,
            )
        )
    return WorkloadReport(
        names, counts.as_of_latest, total, staff_total, float(flag_ratio), tuple(rows)
    )
