"""Reports from evaluated DataFrames, in one process or over the partitions
of a Dask DataFrame.

The public names are those of :mod:`slacalc.frames`, where they are
documented together with :func:`~slacalc.frames.evaluate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from slacalc._frame_counts import distinct, period_codes, tally
from slacalc._frame_schema import ATTRS_KEY, OUTPUT_COLUMNS, STATUS_DTYPE
from slacalc.book import PolicyBook
from slacalc.compliance import ComplianceReport
from slacalc.counts import ComplianceCounts, Period, by_names, check_period
from slacalc.rows import Method
from slacalc.workload import WorkloadReport
from slacalc.workload import workload as workload_of

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = [
    "compliance",
    "compliance_dask",
    "counts",
    "counts_dask",
    "evaluate_dask",
    "workload",
]


def counts(
    frame: pd.DataFrame, by: str | Sequence[str] = (), period: Period | None = None
) -> ComplianceCounts:
    """Tally an evaluated frame into mergeable compliance counts.

    Equal to ``ComplianceCounts.from_outcomes`` of the same outcomes, so
    counts of separate frames (chunks of a file, partitions) merge with
    ``+`` into the counts of the whole.

    Args:
        frame: a frame returned by :func:`evaluate` (or rows of one).
        by: names to group by: ``"service"`` (the service column it was
            evaluated with), ``"policy"``, attribute names, or any column.
        period: group by the period of receipt too (see
            ``ComplianceCounts.from_outcomes``), in the zone of
            ``received_at``.

    Returns:
        The counts; judged as of the ``as_of`` the frame was evaluated at
        (``None`` when the frame no longer carries it in ``frame.attrs``).

    Raises:
        ValueError: a name in ``by`` is not a column of the frame, or the
            frame lacks the columns :func:`evaluate` adds.

    Examples:
        >>> import datetime as dt
        >>> import pandas as pd
        >>> import slacalc as sla
        >>> from slacalc import frames
        >>> book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
        >>> requests = pd.DataFrame({"opened": ["2026-03-07 09:00"] * 3,
        ...                          "district": ["1", "1", "2"]})
        >>> judged = frames.evaluate(requests, book, tz="UTC", columns={
        ...     "received": "opened", "attributes": ["district"]},
        ...     as_of=dt.datetime(2026, 3, 7, 12, tzinfo=dt.UTC))
        >>> whole = counts(judged, by="district", period="month")
        >>> counts(judged[:2], "district", "month") + counts(
        ...     judged[2:], "district", "month") == whole
        True
        >>> sorted(whole.cells.items())
        [((('1',), '2026-03', 0.95), (0, 0, 0, 2, 0, 0, 0)),
         ((('2',), '2026-03', 0.95), (0, 0, 0, 1, 0, 0, 0))]
    """
    names = by_names(by)
    checked = check_period(period)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame)!r}")
    meta = frame.attrs.get(ATTRS_KEY, {})
    outputs = {name: name for name in OUTPUT_COLUMNS} | meta.get("outputs", {})
    needed = ["status", "share", "goal", *(["received_at"] if checked else [])]
    lacking = [outputs[name] for name in needed if outputs[name] not in frame]
    if lacking:
        raise ValueError(
            f"frame must have the columns slacalc.frames.evaluate adds, got none "
            f"named {', '.join(map(repr, lacking))}; evaluate the frame first"
        )
    groups = [distinct(frame[_column_of(frame, name, meta, outputs)]) for name in names]
    status = frame[outputs["status"]]
    received = frame[outputs["received_at"]] if checked else status
    return tally(
        names,
        checked,
        groups,
        period_codes(received, checked),
        frame[outputs["goal"]].to_numpy(dtype=np.float64, na_value=np.nan),
        _status_codes(status),
        frame[outputs["share"]].to_numpy(dtype=np.float64, na_value=np.nan),
        meta.get("as_of") if len(frame) else None,
    )


def _column_of(
    frame: pd.DataFrame,
    name: str,
    meta: Mapping[str, Any],
    outputs: Mapping[str, str],
) -> str:
    """The column a name in ``by`` reads."""
    if name == "policy":
        return outputs["policy"]
    if name == "service":
        column = meta.get("service") or ("service" if "service" in frame else None)
        if column is None:
            raise ValueError(
                "by names 'service', but the frame was evaluated without a "
                "service column; pass columns={'service': ...} to evaluate"
            )
        return str(column)
    column = meta.get("attributes", {}).get(name, name)
    if column not in frame.columns:
        shown = ", ".join(map(repr, list(frame.columns)[:60]))
        raise ValueError(
            f"by must name columns of the frame, 'service', 'policy' or "
            f"attributes, got {name!r}; the columns are {shown}"
        )
    return str(column)


def _status_codes(status: pd.Series[Any]) -> npt.NDArray[np.int8]:
    """The status codes of a status column (categorical or text)."""
    if status.dtype == STATUS_DTYPE:
        codes = np.asarray(status.cat.codes, dtype=np.int8)
    else:
        known = pd.Index(STATUS_DTYPE.categories)
        found = known.get_indexer(pd.Index(status.astype(object)))
        codes = np.asarray(found, dtype=np.int8)
    if (codes < 0).any():
        bad = status[codes < 0].iloc[0]
        raise ValueError(
            f"status must hold the values {list(STATUS_DTYPE.categories)!r}, "
            f"got {bad!r}"
        )
    return codes


def compliance(
    frame: pd.DataFrame,
    by: str | Sequence[str] = (),
    period: Period | None = None,
    *,
    method: Method = "decided",
    goal: float | None = None,
    confidence: float = 0.95,
    min_count: int = 30,
) -> ComplianceReport:
    """Compliance of an evaluated frame by group and period of receipt.

    :func:`slacalc.compliance` of the frame's outcomes; see it for the
    arguments, and :func:`counts` for ``by`` and ``period``.

    Examples:
        >>> import datetime as dt
        >>> import pandas as pd
        >>> import slacalc as sla
        >>> from slacalc import frames
        >>> book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
        >>> requests = pd.DataFrame({
        ...     "opened": ["2026-03-02 09:00"] * 2,
        ...     "closed": ["2026-03-02 10:00", "2026-03-04 10:00"]})
        >>> judged = frames.evaluate(requests, book, tz="UTC", columns={
        ...     "received": "opened", "closed": "closed"},
        ...     as_of=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        >>> report = compliance(judged, period="month", min_count=1)
        >>> row = report.rows[0]
        >>> dict(row.key), row.met, row.missed, row.rate
        ({'period': '2026-03'}, 1, 1, 0.5)
    """
    return counts(frame, by, period).report(method, goal, confidence, min_count)


def workload(
    frame: pd.DataFrame,
    by: str | Sequence[str],
    staff: Mapping[Any, float] | None = None,
    *,
    flag_ratio: float = 1.25,
) -> WorkloadReport:
    """Requests per group of an evaluated frame against an even split.

    :func:`slacalc.workload` of the frame's outcomes; see it for the
    arguments, and :func:`counts` for ``by``.

    Examples:
        >>> import datetime as dt
        >>> import pandas as pd
        >>> import slacalc as sla
        >>> from slacalc import frames
        >>> requests = pd.DataFrame({"opened": ["2026-03-02 09:00"] * 4,
        ...                          "district": ["1", "1", "1", "2"]})
        >>> judged = frames.evaluate(requests, sla.PolicyBook([]), tz="UTC", columns={
        ...     "received": "opened", "attributes": ["district"]},
        ...     as_of=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        >>> [(r.key["district"], r.ratio) for r in workload(judged, "district").rows]
        [('1', 1.5), ('2', 0.5)]
    """
    return workload_of(counts(frame, by), by, staff, flag_ratio=flag_ratio)


# Dask


def evaluate_dask(
    frame: dd.DataFrame, book: PolicyBook, *, as_of: dt.datetime, **options: Any
) -> dd.DataFrame:
    """:func:`evaluate` over each partition of a Dask DataFrame, lazily.

    Needs Dask (``pip install 'slacalc[dask]'``). Each partition is judged
    on its own, with the same book, instant and options (the keyword
    arguments of :func:`evaluate`); pass ``tz`` (or a preset) when a
    partition might not show the zone.

    Examples:
        >>> import pytest; dd = pytest.importorskip("dask.dataframe")
        >>> import dask, datetime as dt, pandas as pd
        >>> import slacalc as sla
        >>> from slacalc import frames
        >>> book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
        >>> requests = pd.DataFrame({"opened": ["2026-03-02 09:00"] * 4,
        ...                          "closed": ["2026-03-02 10:00"] * 4})
        >>> parts = dd.from_pandas(requests, npartitions=2)
        >>> judged = evaluate_dask(parts, book, as_of=dt.datetime(2026, 4, 1,
        ...                        tzinfo=dt.UTC), tz="UTC", columns={
        ...                        "received": "opened", "closed": "closed"})
        >>> with dask.config.set(scheduler="synchronous"):
        ...     compliance_dask(judged, min_count=1).total.rate
        1.0
    """
    from slacalc.frames import evaluate

    meta = evaluate(frame._meta, book, as_of=as_of, **options)
    judged: dd.DataFrame = frame.map_partitions(  # type: ignore[no-untyped-call]  # dask's map_partitions is not annotated
        evaluate, book, as_of=as_of, meta=meta, **options
    )
    return judged


def counts_dask(
    frame: dd.DataFrame, by: str | Sequence[str] = (), period: Period | None = None
) -> ComplianceCounts:
    """:func:`counts` of each partition of an evaluated Dask DataFrame,
    computed (with Dask's configured scheduler) and merged: exactly the
    counts of the whole frame.

    Examples:
        >>> import pytest; dd = pytest.importorskip("dask.dataframe")
        >>> import dask, datetime as dt, pandas as pd
        >>> import slacalc as sla
        >>> from slacalc import frames
        >>> requests = pd.DataFrame({"opened": ["2026-03-02 09:00"] * 4})
        >>> judged = evaluate_dask(dd.from_pandas(requests, npartitions=2),
        ...                        sla.PolicyBook([]), tz="UTC",
        ...                        columns={"received": "opened"},
        ...                        as_of=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        >>> with dask.config.set(scheduler="synchronous"):
        ...     counts_dask(judged, period="year").cells
        {((), '2026', None): (0, 0, 0, 0, 0, 4, 0)}
    """
    from dask.base import compute
    from dask.delayed import delayed

    names = by_names(by)
    checked = check_period(period)
    # dask's to_delayed and compute are not annotated.
    partitions = frame.to_delayed()  # type: ignore[no-untyped-call]
    parts = [delayed(counts)(part, names, checked) for part in partitions]
    found: tuple[ComplianceCounts, ...] = compute(*parts)  # type: ignore[no-untyped-call]
    if not found:
        return ComplianceCounts(names, checked, {})
    return found[0].merge(*found[1:])


def compliance_dask(
    frame: dd.DataFrame,
    by: str | Sequence[str] = (),
    period: Period | None = None,
    *,
    method: Method = "decided",
    goal: float | None = None,
    confidence: float = 0.95,
    min_count: int = 30,
) -> ComplianceReport:
    """:func:`compliance` of an evaluated Dask DataFrame, from the merged
    counts of its partitions: equal to the report of the whole frame.

    Examples:
        >>> import dask, datetime as dt, pandas as pd
        >>> import dask.dataframe as dd
        >>> import slacalc as sla
        >>> from slacalc import frames
        >>> book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
        >>> requests = pd.DataFrame({
        ...     "opened": ["2026-03-02 09:00"] * 4,
        ...     "closed": ["2026-03-02 10:00", "2026-03-04 10:00", None, None],
        ...     "district": ["1", "1", "2", "2"]})
        >>> judged = frames.evaluate_dask(
        ...     dd.from_pandas(requests, npartitions=2), book, tz="UTC",
        ...     columns={"received": "opened", "closed": "closed",
        ...              "attributes": ["district"]},
        ...     as_of=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        >>> with dask.config.set(scheduler="synchronous"):
        ...     report = compliance_dask(judged, by="district", min_count=1)
        >>> [(row.key["district"], row.met, row.missed, row.overdue)
        ...  for row in report.rows]
        [('1', 1, 1, 0), ('2', 0, 0, 2)]
    """
    tallied = counts_dask(frame, by, period)
    return tallied.report(method, goal, confidence, min_count)
