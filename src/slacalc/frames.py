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

from slacalc._column_evaluate import ColumnOutcomes, evaluate_columns
from slacalc._column_requests import Coded
from slacalc._dates import Ambiguous, Nonexistent, zone
from slacalc._frame_counts import distinct
from slacalc._frame_dates import DateRules, read_dates
from slacalc._frame_reports import (
    compliance,
    compliance_dask,
    counts,
    counts_dask,
    evaluate_dask,
    workload,
)
from slacalc._frame_schema import (
    ATTRS_KEY,
    DUE_SOURCE_DTYPE,
    OUTPUT_COLUMNS,
    STATUS_DTYPE,
)
from slacalc.book import PolicyBook
from slacalc.evaluate import SENTINEL_BEFORE
from slacalc.loading import INVALID
from slacalc.outcomes import DueSource
from slacalc.sources import ColumnMap, PresetName
from slacalc.sources import _column_map as column_map

if TYPE_CHECKING:
    pass

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

_PRESET_ZONE = "America/New_York"


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
    pauses: str | None = None,
) -> pd.DataFrame:
    """Judge every row of a frame of requests as of ``as_of``.

    Row ``i`` of the result is row ``i`` of ``frame`` (same index, same
    columns) with its outcome in :data:`OUTPUT_COLUMNS`; each outcome is
    the one :meth:`PolicyBook.evaluate` gives for the request ``read_csv``
    would read from the same values, with its pauses when a ``pauses``
    column is named.

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
        pauses: a column holding each row's pauses: a list of ``(start,
            end)`` pairs of aware datetimes (or Timestamps), as
            ``Request.pauses``; missing or empty for none. A row whose value
            is not such pairs is ``invalid``, with the reason.

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
    values: dict[str, object] = {
        name: _values(frame[column]) for name, column in fields.attributes.items()
    }
    if reasons:
        # Rows with unusable values are invalid with their reasons, as the
        # evaluation judges requests a loader flagged.
        values[INVALID] = _flagged(reasons, len(frame))
    outcomes = evaluate_columns(
        book,
        service,
        received,
        closed,
        as_of,
        imported,
        attributes=values,
        due_source=due,
        tz=wall_zone or dt.UTC,
        sentinel_before=sentinel_before,
        pauses=None if pauses is None else _pauses(frame, pauses),
    )
    earlier = frame.attrs.get(ATTRS_KEY, {}).get("outputs", {})
    out = frame.drop(columns=[c for c in earlier.values() if c in frame.columns])
    added = _columns(outcomes, received, wall_zone or dt.UTC)
    for name in OUTPUT_COLUMNS:
        if name in ("adjustments", "reason"):
            # Kept as objects (None where missing): text columns would be
            # converted value by value.
            out[names[name]] = pd.Series(added[name], index=out.index, dtype=object)
        else:
            out[names[name]] = added[name]
    out.attrs[ATTRS_KEY] = {
        "as_of": as_of,
        "service": fields.service,
        "attributes": dict(fields.attributes),
        "outputs": names,
    }
    return out


def _pauses(frame: pd.DataFrame, column: object) -> list[object]:
    """Each row's pauses from the frame's column ``column`` (None where
    missing)."""
    if not isinstance(column, str) or column not in frame.columns:
        shown = ", ".join(map(repr, list(frame.columns)[:60]))
        raise ValueError(
            f"pauses must name a column of frame, got {column!r}; the frame has "
            f"{shown or 'no columns'}"
        )
    return [
        None
        if value is None or (pd.api.types.is_scalar(value) and pd.isna(value))
        else value
        for value in frame[column].tolist()
    ]


def _output_names(frame: pd.DataFrame, prefix: str) -> dict[str, str]:
    """The name of each output column, checked not to be taken by a column
    that an earlier evaluation did not add."""
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str, got {prefix!r}")
    names = {name: prefix + name for name in OUTPUT_COLUMNS}
    earlier = set(frame.attrs.get(ATTRS_KEY, {}).get("outputs", {}).values())
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


def _flagged(reasons: dict[int, list[str]], n: int) -> Coded:
    """The reasons of the rows with unusable values as a coded column of
    ``n`` rows (``None``: a usable row)."""
    texts = ["; ".join(found) for found in reasons.values()]
    distinct = list(dict.fromkeys(texts))
    where = {text: k + 1 for k, text in enumerate(distinct)}
    codes = np.zeros(n, dtype=np.intp)
    codes[list(reasons)] = [where[text] for text in texts]
    return Coded(codes, [None, *distinct])


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
