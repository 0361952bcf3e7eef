"""Columns of instants: due dates and business time over numpy arrays.

The columnar path answers the scalar API's questions for a whole column at
once, on the same compiled calendar index, with the same answers to the
microsecond. numpy is an optional dependency (``pip install
slacalc[columns]``); ``import slacalc`` does not import this module.

Instants are ``datetime64[us]`` values read as UTC (or int64 microseconds
since the epoch); results are ``datetime64[us]`` in UTC and durations
``timedelta64[us]``. A missing value (``NaT``) gives a missing result;
nothing is dropped and the shape of the input is kept. Wall-clock columns
(a CSV export's naive timestamps) become instants with :func:`to_instants`,
and :func:`to_datetimes` turns a few back into aware datetimes.

When more than a year of closed time stands in the way of any one value,
the whole call raises :class:`~slacalc.ClosedTooLongError`, as the scalar
call for that value would.

Examples:
    >>> import numpy as np, holidays
    >>> import slacalc as sla
    >>> from slacalc import columns
    >>> mn = holidays.country_holidays("US", subdiv="MN")
    >>> cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30",
    ...                            holidays=mn)
    >>> wall = ["2026-11-20T10:00", "NaT", "2026-11-25T17:00"]
    >>> received = columns.to_instants(np.array(wall, "datetime64[us]"), tz=cal.tz)
    >>> columns.due(sla.BusinessDays(2), received, cal)
    array(['2026-11-24T22:30:00.000000', 'NaT', '2026-12-01T22:30:00.000000'],
          dtype='datetime64[us]')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from slacalc._column import (
    NAT,
    Column,
    Durations,
    Instants,
    as_column,
    merge_missing,
)
from slacalc._column_evaluate import (
    DUE_SOURCES,
    STATUSES,
    ColumnOutcomes,
    evaluate_columns,
)
from slacalc._column_targets import due_us, start_us
from slacalc._columnar import Line
from slacalc._instants import from_us, timedelta_us, to_us
from slacalc._lookup import BoolArray, Int64Array
from slacalc._zones import Ambiguous, Nonexistent, OffsetTable, offsets
from slacalc.book import PolicyBook
from slacalc.calendar import BusinessCalendar, _zone
from slacalc.errors import NaiveDatetimeError
from slacalc.evaluate import SENTINEL_BEFORE
from slacalc.outcomes import DueSource
from slacalc.targets import BusinessHours, Target, _require_calendar

__all__ = [
    "DUE_SOURCES",
    "STATUSES",
    "Ambiguous",
    "ColumnOutcomes",
    "Durations",
    "Instants",
    "Nonexistent",
    "add",
    "due",
    "elapsed",
    "evaluate",
    "is_open",
    "next_opening",
    "start",
    "to_datetimes",
    "to_instants",
]

_NAT = NAT
_OBJECT_HELP = "a datetime, datetime64 or ISO text"


# --------------------------------------------------------------------------
# Columns in and out


def to_instants(
    values: object,
    tz: object = None,
    *,
    nonexistent: Nonexistent = "shift_forward",
    ambiguous: Ambiguous = "earlier",
) -> Instants:
    """A column of instants from wall-clock values or aware datetimes.

    Naive values (``datetime64``, ISO text, naive datetimes) are wall-clock
    times in ``tz``. The zone's UTC offsets are found once per zone and
    range of years (by probing the zone at its changes) and applied to the
    whole column at once. Aware datetimes keep their instant. Missing
    values (``NaT``, ``None``, empty text) stay missing.

    Args:
        values: an array or sequence of naive ``datetime64`` values, ISO
            text, or datetimes.
        tz: the zone of naive values: an IANA name or a ``tzinfo``
            (``"UTC"`` when they are already UTC).
        nonexistent: a wall time skipped by a spring-forward change:
            ``"shift_forward"`` moves it later by the length of the gap
            (02:30 becomes 03:30), ``"raise"`` refuses it.
        ambiguous: a wall time repeated by a fall-back change: ``"earlier"``
            or ``"later"`` takes that occurrence, ``"raise"`` refuses it.

    Returns:
        ``datetime64[us]`` instants (UTC), in the shape of ``values``.

    Raises:
        NaiveDatetimeError: for naive values without ``tz``.
        ValueError: for a wall time refused by a ``"raise"`` rule, naming it.

    Examples:
        >>> import numpy as np
        >>> wall = np.array(["2026-03-08T02:30", "2026-11-01T01:30"], "datetime64[us]")
        >>> to_instants(wall, tz="America/Chicago")
        array(['2026-03-08T08:30:00.000000', '2026-11-01T06:30:00.000000'],
              dtype='datetime64[us]')
        >>> to_instants(wall[1:], tz="America/Chicago", ambiguous="later")
        array(['2026-11-01T07:30:00.000000'], dtype='datetime64[us]')
    """
    _check_choice(nonexistent, "nonexistent", ("shift_forward", "raise"))
    _check_choice(ambiguous, "ambiguous", ("earlier", "later", "raise"))
    array = np.asarray(values)
    shape = array.shape
    flat = array.reshape(-1)
    if flat.dtype.kind == "O":
        return _objects_to_instants(flat, tz, nonexistent, ambiguous).reshape(shape)
    if flat.dtype.kind in "US":
        flat = flat.astype("datetime64[us]")
    if flat.dtype.kind != "M":
        raise TypeError(
            f"values must be naive datetime64 values, ISO text or datetimes, got "
            f"an array of dtype {flat.dtype}"
        )
    if tz is None:
        raise NaiveDatetimeError(
            "tz is required to read naive wall-clock values, got None; pass "
            "tz='UTC' for values that are already UTC"
        )
    zone = _zone(tz)
    column = Column(flat.astype("datetime64[us]").view(np.int64), shape)
    if column.empty:
        return column.result(column.values)
    wall = column.values
    table = _table(zone, *column.bounds())
    instant, gap, fold = table.localize(wall, nonexistent, ambiguous)
    for refused, what, rule, choice in (
        (gap, "does not exist", "nonexistent", nonexistent),
        (fold, "happens twice", "ambiguous", ambiguous),
    ):
        if choice != "raise":
            continue
        if column.missing is not None:
            refused &= ~column.missing
        bad = np.flatnonzero(refused)
        if len(bad):
            i = int(bad[0])
            text = str(wall[i : i + 1].view("datetime64[us]")[0])
            raise ValueError(
                f"values[{i}] must be a wall-clock time that exists once in "
                f"{_name(zone)}, got {text}, which {what} there ({len(bad)} such "
                f"value{'s' if len(bad) > 1 else ''} in all); choose another "
                f"{rule} rule to place it"
            )
    return column.result(instant)


def _objects_to_instants(
    flat: npt.NDArray[Any], tz: object, nonexistent: Nonexistent, ambiguous: Ambiguous
) -> Instants:
    out = np.empty(len(flat), dtype=np.int64)
    naive = np.zeros(len(flat), dtype=bool)
    for i, value in enumerate(flat):
        if value is None or (isinstance(value, np.datetime64) and np.isnat(value)):
            out[i] = _NAT
        elif isinstance(value, dt.datetime) and value.utcoffset() is not None:
            out[i] = to_us(value, f"values[{i}]")
        elif isinstance(value, dt.datetime | np.datetime64 | str):
            wall = np.array([value], dtype="datetime64[us]")
            out[i] = wall.view(np.int64)[0]
            naive[i] = True
        else:
            raise TypeError(
                f"values[{i}] must be a datetime, datetime64 or ISO text, got {value!r}"
            )
    if naive.any():
        walls = np.where(naive, out, _NAT).view("datetime64[us]")
        local = to_instants(walls, tz, nonexistent=nonexistent, ambiguous=ambiguous)
        out = np.where(naive, local.view(np.int64), out)
    return out.view("datetime64[us]")


def to_datetimes(instants: object, tz: object) -> list[dt.datetime | None]:
    """Aware datetimes in zone ``tz`` for a column of instants, ``None`` where
    missing; for spot checks and display, not for speed.

    Examples:
        >>> import numpy as np
        >>> t = np.array(["2026-03-08T08:30", "NaT"], "datetime64[us]")
        >>> [None if d is None else d.isoformat()
        ...  for d in to_datetimes(t, "America/Chicago")]
        ['2026-03-08T03:30:00-05:00', None]
    """
    zone = _zone(tz)
    column = as_column(instants, "instants")
    present = column.values.tolist()
    missing = [False] * len(present) if column.missing is None else column.missing
    return [
        None if gone else from_us(us, zone)
        for us, gone in zip(present, missing, strict=True)
    ]


def _check_choice(value: object, argument: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{argument} must be one of {allowed}, got {value!r}")


def _name(tz: object) -> str:
    return str(getattr(tz, "key", tz))


def _table(tz: dt.tzinfo, lo: int, hi: int) -> OffsetTable:
    return offsets(tz, lo, hi)


# --------------------------------------------------------------------------
# Calendar questions


def _with_line(
    calendar: BusinessCalendar,
    column: Column,
    compute: Callable[[Line, Int64Array], Int64Array],
) -> Instants:
    if column.empty:
        return column.result(column.missing_result())
    line = Line(calendar, *column.bounds())
    return column.result(compute(line, column.values))


def is_open(t: object, calendar: BusinessCalendar) -> BoolArray:
    """Whether the office is open at each instant (False where missing).

    Examples:
        >>> import numpy as np
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar("UTC", "Mon-Fri 08:00-16:30")
        >>> is_open(np.array(["2026-12-03T16:29", "2026-12-03T16:30", "NaT"],
        ...                  "datetime64[us]"), cal)
        array([ True, False, False])
    """
    column = as_column(t, "t")
    if column.empty:
        return np.zeros(column.shape, dtype=bool)
    line = Line(_calendar(calendar), *column.bounds())
    result = line.is_open(column.values)
    if column.missing is not None:
        result &= ~column.missing
    return result.reshape(column.shape)


def next_opening(t: object, calendar: BusinessCalendar) -> Instants:
    """The first open instant at or after each instant.

    Raises:
        ClosedTooLongError: when more than a year is closed after some ``t``.

    Examples:
        >>> import numpy as np
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar("UTC", "Mon-Fri 08:00-16:30")
        >>> next_opening(np.array(["2026-12-04T17:00"], "datetime64[us]"), cal)
        array(['2026-12-07T08:00:00.000000'], dtype='datetime64[us]')
    """
    calendar = _calendar(calendar)
    return _with_line(calendar, as_column(t, "t"), Line.next_opening)


def add(t: object, delta: object, calendar: BusinessCalendar) -> Instants:
    """The instant ``delta`` of open time after each instant (before, if
    negative): ``BusinessCalendar.add`` over a column.

    Counting starts at the next opening when an instant is closed; a result
    exactly on a close is that close; going backwards, a result on an
    opening is that opening; adding zero gives the next opening.

    Args:
        t: the instants.
        delta: a ``timedelta``, or ``timedelta64`` values (one per instant).
        calendar: the calendar.

    Raises:
        ClosedTooLongError: when more than a year of closed time is met.

    Examples:
        >>> import datetime as dt, numpy as np
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar("UTC", "Mon-Fri 08:00-16:30")
        >>> t = np.array(["2026-12-04T08:00", "2026-12-04T12:00"], "datetime64[us]")
        >>> add(t, dt.timedelta(hours=8, minutes=30), cal)
        array(['2026-12-04T16:30:00.000000', '2026-12-07T12:00:00.000000'],
              dtype='datetime64[us]')
    """
    calendar = _calendar(calendar)
    column = as_column(t, "t")
    if isinstance(delta, dt.timedelta):
        amount = timedelta_us(delta, "delta")
        return _with_line(calendar, column, lambda line, v: line.add(v, amount))
    deltas = _durations(delta, column)
    return _with_line(calendar, column, lambda line, v: line.add(v, deltas.values))


def _durations(delta: object, column: Column) -> Column:
    array = np.asarray(delta)
    if array.dtype.kind != "m":
        raise TypeError(
            f"delta must be a timedelta or timedelta64 values, got {delta!r}"
        )
    us = np.broadcast_to(array.astype("timedelta64[us]"), column.shape)
    deltas = Column(us.reshape(-1).view(np.int64).copy(), column.shape)
    merge_missing(column, deltas)
    return deltas


def elapsed(a: object, b: object, calendar: BusinessCalendar) -> Durations:
    """The open time from each ``a`` to its ``b``, negative when ``b`` is
    earlier: ``BusinessCalendar.elapsed`` over columns.

    Examples:
        >>> import numpy as np
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar("UTC", "Mon-Fri 08:00-16:30")
        >>> fri = np.array(["2026-11-20T16:00", "NaT"], "datetime64[us]")
        >>> mon = np.array(["2026-11-23T09:00", "2026-11-23T09:00"], "datetime64[us]")
        >>> elapsed(fri, mon, cal)
        array([5400000000,        'NaT'], dtype='timedelta64[us]')
    """
    calendar = _calendar(calendar)
    first, second = _pair(a, b)
    if first.empty:
        return first.durations(first.missing_result())
    lo = min(first.bounds()[0], second.bounds()[0])
    hi = max(first.bounds()[1], second.bounds()[1])
    line = Line(calendar, lo, hi)
    return first.durations(line.elapsed(first.values, second.values))


def _pair(a: object, b: object) -> tuple[Column, Column]:
    first, second = as_column(a, "a"), as_column(b, "b")
    if first.shape != second.shape:
        raise ValueError(
            f"a and b must have the same shape, got {first.shape} and {second.shape}"
        )
    merge_missing(first, second)
    return first, second


def _calendar(calendar: object) -> BusinessCalendar:
    if not isinstance(calendar, BusinessCalendar):
        raise TypeError(f"calendar must be a BusinessCalendar, got {calendar!r}")
    return calendar


# --------------------------------------------------------------------------
# Targets


def start(
    target: Target, received: object, calendar: BusinessCalendar | None = None
) -> Instants:
    """The instant each request's clock starts: ``target.start`` over a column.

    Examples:
        >>> import numpy as np
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar("UTC", "Mon-Fri 08:00-16:00")
        >>> sat = np.array(["2026-12-05T10:00"], "datetime64[us]")
        >>> start(sla.BusinessHours(4), sat, cal)
        array(['2026-12-07T08:00:00.000000'], dtype='datetime64[us]')
    """
    column = as_column(received, "received")
    if column.empty:
        return column.result(column.values)
    # A copy: a clock that starts at receipt must not share the input.
    return column.result(start_us(target, column.values, calendar)[0].copy())


def due(
    target: Target,
    received: object,
    calendar: BusinessCalendar | None = None,
    *,
    tz: object = None,
) -> Instants:
    """The due instant of each request: ``target.due`` over a column.

    Args:
        target: any :class:`~slacalc.Target`.
        received: the instants the requests were received.
        calendar: the calendar; required by business targets and by targets
            that start at the next opening.
        tz: the zone in which :class:`~slacalc.Days` counts days when there
            is no calendar (the scalar path uses the received datetime's).

    Returns:
        ``datetime64[us]`` due instants (UTC), missing where ``received`` is.

    Raises:
        TargetError: when the target needs a calendar (or a zone) it lacks.
        ClosedTooLongError: when more than a year of closed time is met.

    Examples:
        >>> import numpy as np
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
        >>> t = to_instants(np.array(["2026-12-04T15:00"], "datetime64[us]"), cal.tz)
        >>> due(sla.BusinessHours(2), t, cal)
        array(['2026-12-07T14:30:00.000000'], dtype='datetime64[us]')
        >>> due(sla.Days(30), t, cal)
        array(['2027-01-03T21:00:00.000000'], dtype='datetime64[us]')
    """
    column = as_column(received, "received")
    if isinstance(target, BusinessHours):
        _require_calendar(calendar, target)
    if column.empty:
        return column.result(column.values)
    return column.result(due_us(target, column.values, calendar, tz))


# --------------------------------------------------------------------------
# Evaluation


def evaluate(
    book: PolicyBook,
    service: object,
    received: object,
    closed: object,
    as_of: dt.datetime,
    due: object = None,
    *,
    attributes: Mapping[str, object] | None = None,
    due_source: DueSource = "imported",
    tz: object = "UTC",
    sentinel_before: dt.date = SENTINEL_BEFORE,
    pauses: Iterable[object] | None = None,
) -> ColumnOutcomes:
    """Judge a column of requests as of ``as_of``: :meth:`PolicyBook.evaluate`
    over arrays, one outcome per request, nothing dropped.

    Request ``i`` is the one whose service is ``service[i]``, received at
    ``received[i]``, closed at ``closed[i]`` (``NaT``: open), with imported
    due date ``due[i]`` and attribute ``attributes[name][i]`` (``None``:
    absent); its outcome is row ``i`` of the result, equal to the scalar
    outcome of that request with its instants in zone ``tz``. Requests are
    grouped by policy and covering adjustments, and each group is computed
    over columns; a group in which some request's due date cannot be
    computed (more than a year closed, say) is judged request by request
    by the scalar path, so those requests come out ``invalid`` with the
    scalar reason. So is each request with pauses, which are rare.

    Args:
        book: the policy book.
        service: one service code per request (text or ``None``), or
            ``None`` for no codes at all.
        received, closed, due: instant columns (see :func:`due`); ``closed``
            and ``due`` may be ``None`` for none.
        as_of: the aware instant to judge at.
        attributes: attribute name to one value per request, compared as
            text by policies and adjustments, as on :class:`~slacalc.Request`.
            A loader's reasons under ``"_invalid"`` (as
            :func:`~slacalc.read_csv` puts them in ``Request.attributes``)
            make each request with one ``invalid``, with that reason.
        due_source: ``"imported"`` or ``"policy"``, as the ``due`` argument
            of :meth:`PolicyBook.evaluate`.
        tz: the zone of the requests' instants: it gives their local dates
            (sentinel dates, and effective periods and adjustment windows
            of policies without a calendar) and the clock of
            :class:`~slacalc.Days` without a calendar.
        sentinel_before: dates before this one are sentinels (invalid).
        pauses: one value per request: its ``(start, end)`` pairs of aware
            datetimes, as ``Request.pauses``, or ``None``, ``NaN`` or an
            empty list for none. A request whose value is not such pairs is
            ``invalid``, with the reason.

    Returns:
        A :class:`~slacalc._column_evaluate.ColumnOutcomes`: status codes
        (``STATUSES[code]``), due, due source, used, share, late by, at risk,
        policy positions, applied adjustments and reasons, one row each.

    Examples:
        >>> import datetime as dt, numpy as np
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
        >>> book = sla.PolicyBook([sla.Policy("Potholes", "2 business days",
        ...                                   goal=0.9, calendar=cal)])
        >>> received = to_instants(["2026-03-02 09:00", "2026-03-02 09:00"], cal.tz)
        >>> closed = to_instants(["2026-03-03 10:00", ""], cal.tz)
        >>> as_of = dt.datetime(2026, 3, 6, tzinfo=cal.tz)
        >>> outcomes = evaluate(book, ["POTHOLE", "POTHOLE"], received, closed, as_of)
        >>> [s.value for s in outcomes.statuses()], outcomes.share.round(2).tolist()
        (['met', 'overdue'], [0.39, 1.35])
    """
    return evaluate_columns(
        book,
        service,
        received,
        closed,
        as_of,
        due,
        attributes=attributes,
        due_source=due_source,
        tz=tz,
        sentinel_before=sentinel_before,
        pauses=pauses,
    )
