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

import numpy as np

from slacalc._column import (
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
from slacalc._column_instants import to_datetimes, to_instants
from slacalc._column_targets import due_us, start_us
from slacalc._columnar import Line
from slacalc._instants import timedelta_us
from slacalc._lookup import BoolArray, Int64Array
from slacalc._zones import Ambiguous, Nonexistent
from slacalc.book import PolicyBook
from slacalc.calendar import BusinessCalendar
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
