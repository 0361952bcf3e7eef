"""Columns in and out: wall-clock values into instants, instants into datetimes.

:func:`to_instants` reads a column of naive wall-clock values (or aware
datetimes) as ``datetime64[us]`` instants in UTC, placing the wall times a
DST change skips or repeats by the rule given; :func:`to_datetimes` turns a
few instants back into aware datetimes. :mod:`slacalc.columns` re-exports
both. Needs numpy, which is optional: only the columnar and pandas paths
import this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt

from slacalc._column import NAT, Column, Instants, as_column
from slacalc._instants import from_us, to_us
from slacalc._zones import Ambiguous, Nonexistent, OffsetTable, offsets
from slacalc.calendar import _zone
from slacalc.errors import NaiveDatetimeError

__all__ = ["to_datetimes", "to_instants"]


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
            out[i] = NAT
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
        walls = np.where(naive, out, NAT).view("datetime64[us]")
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
