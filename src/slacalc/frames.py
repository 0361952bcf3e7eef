"""pandas helpers: judge a DataFrame of requests, report compliance from it.

:func:`evaluate` reads a frame's columns by a :class:`~slacalc.ColumnMap`
or a city preset (as :func:`~slacalc.read_csv` reads a file's), judges
every row with :func:`slacalc.columns.evaluate`, and returns the frame with
the outcome's columns added (:data:`OUTPUT_COLUMNS`); nothing is dropped.
:func:`counts`, :func:`compliance` and :func:`workload` tally such a frame
into the very :class:`~slacalc.ComplianceCounts` that the outcomes of the
scalar path give, so their reports are equal, to the last digit. The
``*_dask`` functions do the same over the partitions of a Dask DataFrame,
merging partial counts.

pandas is an optional dependency (``pip install 'slacalc[pandas]'``, Dask
with ``'slacalc[dask]'``); ``import slacalc`` does not import this module.

Date columns may hold text, naive ``datetime64`` values (wall-clock times,
localized by ``tz`` and the ``nonexistent`` and ``ambiguous`` rules) or
aware ``datetime64`` values. Text is read as ``read_csv`` reads it: ISO
8601 or US month-first (``10/18/2019 03:25:00 PM``), never a guess between
day and month. A value that cannot be used (unreadable, impossible, a
sentinel such as ``01/01/1900 12:00:00 AM``, a wall time a ``"raise"`` rule
refuses) makes its row ``invalid`` with the reason, naming the column and
the value, as ``read_csv`` flags it. A missing value (``NaN``, ``None``,
empty or ``NA`` text) is just missing: a missing close means still open.

Examples:
    >>> import datetime as dt
    >>> import pandas as pd
    >>> import slacalc as sla
    >>> from slacalc import frames
    >>> cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
    >>> book = sla.PolicyBook([sla.Policy("Potholes", "2 business days",
    ...                                   goal=0.9, calendar=cal)])
    >>> requests = pd.DataFrame({
    ...     "opened": ["03/02/2026 09:00:00 AM", "03/02/2026 09:00:00 AM",
    ...                "01/01/1900 12:00:00 AM"],
    ...     "closed": ["03/03/2026 10:00:00 AM", None, None],
    ...     "district": ["1", "2", "2"]})
    >>> judged = frames.evaluate(
    ...     requests, book, as_of=dt.datetime(2026, 3, 6, tzinfo=cal.tz),
    ...     columns={"received": "opened", "closed": "closed",
    ...              "attributes": ["district"]})
    >>> judged[["district", "status", "share"]].round(2)
      district   status  share
    0        1      met   0.39
    1        2  overdue   1.35
    2        2  invalid    NaN
    >>> print(judged.loc[2, "reason"])
    opened: sentinel date '01/01/1900 12:00:00 AM'
    >>> report = frames.compliance(judged, by="district")
    >>> [(row.key["district"], row.rate) for row in report.rows]
    [('1', 1.0), ('2', 0.0)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from slacalc._column_evaluate import STATUSES, ColumnOutcomes, evaluate_columns
from slacalc._column_requests import Coded
from slacalc._dates import Ambiguous, Nonexistent, zone
from slacalc._frame_counts import distinct, period_codes, tally
from slacalc._frame_dates import DateRules, read_dates
from slacalc.book import PolicyBook
from slacalc.compliance import ComplianceReport
from slacalc.counts import ComplianceCounts, Period, by_names, check_period
from slacalc.evaluate import SENTINEL_BEFORE
from slacalc.outcomes import DueSource, Status
from slacalc.rows import Method
from slacalc.sources import ColumnMap, PresetName
from slacalc.sources import _column_map as column_map
from slacalc.workload import WorkloadReport
from slacalc.workload import workload as workload_of

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = [
    "DUE_SOURCE_DTYPE",
    "OUTPUT_COLUMNS",
    "STATUS_DTYPE",
    "compliance",
    "compliance_dask",
    "counts",
    "counts_dask",
    "evaluate",
    "evaluate_dask",
    "workload",
]

#: The columns :func:`evaluate` adds, in order: ``received_at`` (the receipt
#: as read, an aware timestamp), ``due``, ``due_source`` (``"imported"`` or
#: ``"policy"``), ``status`` (:data:`STATUS_DTYPE`), ``used`` (time used on
#: the target's clock), ``share`` (of the target), ``late_by``, ``at_risk``,
#: ``policy`` (its name), ``goal`` (its goal), ``adjustments`` (the names of
#: those applied, joined by ``"; "``) and ``reason`` (why a row is
#: ``invalid`` or ``exempt``). Missing values are ``NaT``, ``NaN`` or
#: ``None``.
OUTPUT_COLUMNS = (
    "received_at",
    "due",
    "due_source",
    "status",
    "used",
    "share",
    "late_by",
    "at_risk",
    "policy",
    "goal",
    "adjustments",
    "reason",
)
#: The dtype of the ``status`` column: the values of :class:`~slacalc.Status`.
STATUS_DTYPE = pd.CategoricalDtype([status.value for status in STATUSES])
#: The dtype of the ``due_source`` column.
DUE_SOURCE_DTYPE = pd.CategoricalDtype(["imported", "policy"])

# Where an evaluated frame keeps what its columns do not say.
_ATTRS_KEY = "slacalc"
_PRESET_ZONE = "America/New_York"
_INVALID = np.int8(STATUSES.index(Status.INVALID))


class _Fields(NamedTuple):
    """The frame's columns of each request field (``None``: not there)."""

    received: str
    service: str | None
    closed: str | None
    due: str | None
    attributes: dict[str, str]


def evaluate(
    frame: pd.DataFrame,
    book: PolicyBook,
    *,
    as_of: dt.datetime,
    preset: PresetName | None = None,
    columns: ColumnMap | Mapping[str, Any] | None = None,
    attributes: Sequence[str] | Mapping[str, str] = (),
    tz: str | dt.tzinfo | None = None,
    nonexistent: Nonexistent = "shift_forward",
    ambiguous: Ambiguous = "earlier",
    shifted_utc: bool = False,
    due: DueSource = "imported",
    sentinel_before: dt.date = SENTINEL_BEFORE,
    prefix: str = "",
) -> pd.DataFrame:
    """Judge every row of a frame of requests as of ``as_of``.

    Row ``i`` of the result is row ``i`` of ``frame`` (same index, same
    columns) with its outcome in :data:`OUTPUT_COLUMNS`; each outcome is
    the one :meth:`PolicyBook.evaluate` gives for the request ``read_csv``
    would read from the same values. Pauses are not read.

    Args:
        frame: the requests, one per row.
        book: the policy book.
        as_of: the aware instant to judge at.
        preset: a city's export (see :data:`slacalc.sources.PRESETS`); it
            also sets ``tz`` to America/New_York unless ``tz`` is given.
        columns: a :class:`~slacalc.ColumnMap`, or a mapping of its fields
            (``received`` at least; ``id`` is not needed), replacing those
            of the preset.
        attributes: more columns to read as attributes, as names or a
            mapping of attribute name to column.
        tz: the zone of wall-clock values (naive timestamps and text
            without an offset). By default: the preset's, else that of an
            aware received column, else the zone of the book's calendars
            when they share one.
        nonexistent: a wall time skipped by a spring-forward change:
            ``"shift_forward"`` (02:30 becomes 03:30) or ``"raise"``, which
            makes the row ``invalid``.
        ambiguous: a wall time repeated by a fall-back change: the
            ``"earlier"`` or ``"later"`` instant, or ``"raise"``, which
            makes the row ``invalid``.
        shifted_utc: the times are true wall times once taken for UTC and
            shown in ``tz``, as in Boston's 2016 re-save (see ``read_csv``).
        due: ``"imported"`` or ``"policy"``, as in
            :meth:`PolicyBook.evaluate`.
        sentinel_before: dates before this one are sentinels (invalid).
        prefix: put before the name of every column added (``"sla_"`` for
            ``sla_status`` and so on), when the frame has columns of those
            names (Boston's exports have a ``reason`` column).

    Returns:
        A new frame: the input's columns (shared, not copied; those an
        earlier evaluation added are replaced), then the outcome's columns.

    Raises:
        ValueError: a mapped column is missing, the frame already has a
            column of an output's name (not added by an earlier
            evaluation), or an argument is not a known value.
        NaiveDatetimeError: wall-clock values met with no zone to read them.

    Examples:
        >>> import datetime as dt
        >>> import pandas as pd
        >>> import slacalc as sla
        >>> book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
        >>> wall = pd.Series(pd.to_datetime(["2026-03-07 09:00", "2026-03-07 09:00"]))
        >>> requests = pd.DataFrame({"opened": wall, "closed": [wall[0], pd.NaT]})
        >>> judged = evaluate(requests, book, as_of=dt.datetime(2026, 3, 9,
        ...                   tzinfo=dt.UTC), tz="America/Chicago",
        ...                   columns={"received": "opened", "closed": "closed"})
        >>> judged.loc[1, "due"], judged.loc[1, "status"]
        (Timestamp('2026-03-08 10:00:00-0500', tz='America/Chicago'), 'overdue')
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame)!r}")
    if not isinstance(book, PolicyBook):
        raise TypeError(f"book must be a PolicyBook, got {book!r}")
    fields = _fields(frame, preset, columns, attributes)
    names = _output_names(frame, prefix)
    wall_zone = _zone(tz, preset, frame[fields.received], book)
    rules = DateRules(wall_zone, nonexistent, ambiguous, shifted_utc)
    received, closed, imported, reasons = _read_dates(frame, fields, rules)
    service = None if fields.service is None else _values(frame[fields.service])
    outcomes = evaluate_columns(
        book,
        service,
        received,
        closed,
        as_of,
        imported,
        attributes={
            name: _values(frame[column]) for name, column in fields.attributes.items()
        },
        due_source=due,
        tz=wall_zone or dt.UTC,
        sentinel_before=sentinel_before,
    )
    _flag(outcomes, reasons)
    earlier = frame.attrs.get(_ATTRS_KEY, {}).get("outputs", {})
    out = frame.drop(columns=[c for c in earlier.values() if c in frame.columns])
    added = _columns(outcomes, received, wall_zone or dt.UTC)
    for name in OUTPUT_COLUMNS:
        if name in ("adjustments", "reason"):
            # Kept as objects (None where missing): text columns would be
            # converted value by value.
            out[names[name]] = pd.Series(added[name], index=out.index, dtype=object)
        else:
            out[names[name]] = added[name]
    out.attrs[_ATTRS_KEY] = {
        "as_of": as_of,
        "service": fields.service,
        "attributes": dict(fields.attributes),
        "outputs": names,
    }
    return out


def _output_names(frame: pd.DataFrame, prefix: str) -> dict[str, str]:
    """The name of each output column, checked not to be taken by a column
    that an earlier evaluation did not add."""
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str, got {prefix!r}")
    names = {name: prefix + name for name in OUTPUT_COLUMNS}
    earlier = set(frame.attrs.get(_ATTRS_KEY, {}).get("outputs", {}).values())
    taken = [c for c in names.values() if c in frame.columns and c not in earlier]
    if taken:
        raise ValueError(
            f"frame must not have columns named as the outcome's, got "
            f"{', '.join(map(repr, taken))}; pass prefix='sla_' to add "
            f"{', '.join(repr('sla_' + c) for c in OUTPUT_COLUMNS[:3])}, ... "
            "instead, or rename them"
        )
    return names


def _fields(
    frame: pd.DataFrame,
    preset: PresetName | None,
    columns: ColumnMap | Mapping[str, Any] | None,
    attributes: Sequence[str] | Mapping[str, str],
) -> _Fields:
    """The columns of each field, checked against the frame."""
    if isinstance(columns, Mapping) and "id" not in columns:
        # Rows are known by the frame's index; an id column is not needed.
        base = None if preset is None else ColumnMap.preset(preset)
        fill = base.id if base is not None else columns.get("received", "")
        columns = {"id": fill, **columns}
    mapping, optional = column_map(preset, columns, attributes)
    present = set(frame.columns)
    wanted = [
        (column, role)
        for role in ("received", "service", "closed", "due")
        if (column := getattr(mapping, role))
    ]
    wanted += [(c, f"attribute {name!r}") for name, c in mapping.attributes.items()]
    missing = [
        (c, role) for c, role in wanted if c not in present and c not in optional
    ]
    if missing:
        named = ", ".join(f"{column!r} ({role})" for column, role in missing)
        shown = ", ".join(map(repr, list(frame.columns)[:60]))
        raise ValueError(
            f"frame must have the column{'s' if len(missing) > 1 else ''} {named}, "
            f"got columns {shown or 'none'}"
        )

    def found(column: str | None) -> str | None:
        return column if column is not None and column in present else None

    return _Fields(
        received=mapping.received,
        service=found(mapping.service),
        closed=found(mapping.closed),
        due=found(mapping.due),
        attributes={
            name: column
            for name, column in mapping.attributes.items()
            if column in present
        },
    )


def _zone(
    tz: str | dt.tzinfo | None,
    preset: PresetName | None,
    received: pd.Series[Any],
    book: PolicyBook,
) -> dt.tzinfo | None:
    """The zone of wall-clock values: given, the preset's, the received
    column's, or the one zone of the book's calendars."""
    if tz is not None:
        return zone(tz)
    if preset is not None:
        return zone(_PRESET_ZONE)
    dtype = received.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return zone(dtype.tz)
    everyone = [*book.policies, *([book.default] if book.default else [])]
    zones = {p.calendar.tz for p in everyone if p.calendar is not None}
    return zones.pop() if len(zones) == 1 else None


def _read_dates(
    frame: pd.DataFrame, fields: _Fields, rules: DateRules
) -> tuple[
    npt.NDArray[np.datetime64],
    npt.NDArray[np.datetime64] | None,
    npt.NDArray[np.datetime64] | None,
    dict[int, list[str]],
]:
    """The received, closed and due instants, and the reasons of the rows
    whose values cannot be used (in field order, as read_csv lists them)."""
    reasons: dict[int, list[str]] = {}
    found: list[npt.NDArray[np.datetime64] | None] = []
    for column in (fields.received, fields.closed, fields.due):
        if column is None:
            found.append(None)
            continue
        read = read_dates(frame[column], rules)
        for row, reason in zip(read.refused.tolist(), read.reasons, strict=True):
            reasons.setdefault(row, []).append(f"{column}: {reason}")
        found.append(read.us.view("datetime64[us]"))
    received, closed, imported = found
    assert received is not None
    return received, closed, imported, reasons


def _values(series: pd.Series[Any]) -> Coded:
    """A column's codes into its distinct values, a missing value read as
    ``None``; evaluation takes them as they are."""
    return Coded(*distinct(series))


def _flag(outcomes: ColumnOutcomes, reasons: dict[int, list[str]]) -> None:
    """Rows with unusable values are ``invalid`` with their reasons first,
    as the scalar path judges a request a loader flagged."""
    if not reasons:
        return
    rows = np.fromiter(reasons, dtype=np.intp, count=len(reasons))
    outcomes.status[rows] = _INVALID
    outcomes.due[rows] = np.datetime64("NaT")
    outcomes.due_source[rows] = 0
    outcomes.used[rows] = np.timedelta64("NaT")
    outcomes.share[rows] = np.nan
    outcomes.late_by[rows] = np.timedelta64("NaT")
    outcomes.at_risk[rows] = False
    outcomes.adjustments[rows] = 0
    for row, found in reasons.items():
        outcomes.reason[row] = "; ".join(found)


def _aware(instants: npt.NDArray[np.datetime64], tz: dt.tzinfo) -> Any:
    """UTC instants as an aware pandas array in zone ``tz``."""
    return pd.DatetimeIndex(instants).tz_localize("UTC").tz_convert(tz).array


def _columns(
    outcomes: ColumnOutcomes, received: npt.NDArray[np.datetime64], tz: dt.tzinfo
) -> dict[str, Any]:
    """The output columns as arrays, in the order of OUTPUT_COLUMNS."""
    names = list(dict.fromkeys(p.name for p in outcomes.policies))
    policy_codes = np.array([names.index(p.name) for p in outcomes.policies] + [-1])
    goals = np.array([p.goal for p in outcomes.policies] + [np.nan], dtype=np.float64)
    applied = np.empty(len(outcomes.adjustment_sets), dtype=object)
    for k, chosen in enumerate(outcomes.adjustment_sets):
        applied[k] = "; ".join(a.name for a in chosen) if chosen else None
    return {
        "received_at": _aware(received, tz),
        "due": _aware(outcomes.due, tz),
        "due_source": pd.Categorical.from_codes(
            outcomes.due_source.astype(np.int8) - 1, dtype=DUE_SOURCE_DTYPE
        ),
        "status": pd.Categorical.from_codes(outcomes.status, dtype=STATUS_DTYPE),
        "used": outcomes.used,
        "share": outcomes.share,
        "late_by": outcomes.late_by,
        "at_risk": outcomes.at_risk,
        "policy": pd.Categorical.from_codes(
            policy_codes.take(outcomes.policy), dtype=pd.CategoricalDtype(names)
        ),
        "goal": goals.take(outcomes.policy),
        "adjustments": applied.take(outcomes.adjustments),
        "reason": outcomes.reason,
    }


# --------------------------------------------------------------------------
# Reports


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
        >>> book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
        >>> requests = pd.DataFrame({"opened": ["2026-03-07 09:00"] * 3,
        ...                          "district": ["1", "1", "2"]})
        >>> judged = evaluate(requests, book, tz="UTC", columns={
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
    meta = frame.attrs.get(_ATTRS_KEY, {})
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
        >>> book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
        >>> requests = pd.DataFrame({
        ...     "opened": ["2026-03-02 09:00"] * 2,
        ...     "closed": ["2026-03-02 10:00", "2026-03-04 10:00"]})
        >>> judged = evaluate(requests, book, tz="UTC", columns={
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
        >>> requests = pd.DataFrame({"opened": ["2026-03-02 09:00"] * 4,
        ...                          "district": ["1", "1", "1", "2"]})
        >>> judged = evaluate(requests, sla.PolicyBook([]), tz="UTC", columns={
        ...     "received": "opened", "attributes": ["district"]},
        ...     as_of=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        >>> [(r.key["district"], r.ratio) for r in workload(judged, "district").rows]
        [('1', 1.5), ('2', 0.5)]
    """
    return workload_of(counts(frame, by), by, staff, flag_ratio=flag_ratio)


# --------------------------------------------------------------------------
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

    See :func:`evaluate_dask` for an example.
    """
    tallied = counts_dask(frame, by, period)
    return tallied.report(method, goal, confidence, min_count)
