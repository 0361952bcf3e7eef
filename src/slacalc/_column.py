"""Columns of instants in and out: int64 microseconds and missing values.

Needs numpy, which is optional: only the columnar and pandas paths
(:mod:`slacalc.columns`, :mod:`slacalc.frames`) import this module.
"""

from __future__ import annotations

from typing import Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt

from slacalc._columnar import INT64_MIN
from slacalc._instants import to_us
from slacalc._lookup import BoolArray, Int64Array

__all__ = [
    "NAT",
    "Column",
    "Durations",
    "Instants",
    "as_column",
    "merge_missing",
    "objects_us",
]

#: A column of instants: ``datetime64[us]``, UTC.
Instants: TypeAlias = npt.NDArray[np.datetime64]
#: A column of durations: ``timedelta64[us]``.
Durations: TypeAlias = npt.NDArray[np.timedelta64]

#: The int64 value of ``NaT``.
NAT = INT64_MIN
INSTANTS_HELP = (
    "datetime64 values (UTC instants), int64 microseconds since the epoch or "
    "aware datetimes"
)


class Column:
    """A column as flat int64 microseconds with its missing values filled.

    ``values`` hold the first present value where the input is missing, so
    that every operation can run on the whole column; :meth:`result` puts
    the missing values back and the input's shape.
    """

    __slots__ = ("missing", "shape", "values")

    def __init__(self, values: Int64Array, shape: tuple[int, ...]) -> None:
        self.shape = shape
        missing = values == NAT
        if missing.any():
            present = values[~missing]
            fill = present[0] if len(present) else 0
            values = np.where(missing, fill, values)
            self.missing: BoolArray | None = missing
        else:
            self.missing = None
        self.values = values

    @property
    def empty(self) -> bool:
        """Whether no value is present."""
        return len(self.values) == 0 or (
            self.missing is not None and bool(self.missing.all())
        )

    def result(self, values: Int64Array) -> Instants:
        """Instants ``values`` with this column's missing values and shape."""
        return cast(Instants, self._restored(values).view("datetime64[us]"))

    def durations(self, values: Int64Array) -> Durations:
        """Durations ``values`` with this column's missing values and shape."""
        return cast(Durations, self._restored(values).view("timedelta64[us]"))

    def missing_result(self) -> Int64Array:
        """All missing, in this column's length."""
        return np.full(len(self.values), NAT, dtype=np.int64)

    def _restored(self, values: Int64Array) -> Int64Array:
        if self.missing is not None:
            values = np.where(self.missing, NAT, values)
        return values.reshape(self.shape)

    def bounds(self) -> tuple[int, int]:
        """The smallest and the largest present value."""
        return int(self.values.min()), int(self.values.max())


def as_column(values: object, argument: str) -> Column:
    """A column of instants from any accepted input."""
    array = np.asarray(values)
    shape = array.shape
    flat = array.reshape(-1)
    if flat.dtype.kind == "M":
        us = flat.astype("datetime64[us]", copy=False)
        return Column(us.view(np.int64), shape)
    if flat.dtype.kind in "iu":
        return Column(flat.astype(np.int64, copy=False), shape)
    if flat.dtype.kind == "O" or len(flat) == 0:
        return Column(objects_us(flat, argument), shape)
    raise TypeError(
        f"{argument} must be {INSTANTS_HELP}, got an array of dtype {flat.dtype}; "
        "read wall-clock values with columns.to_instants(values, tz=...)"
    )


def objects_us(flat: npt.NDArray[Any], argument: str) -> Int64Array:
    out = np.empty(len(flat), dtype=np.int64)
    for i, value in enumerate(flat):
        if value is None or (isinstance(value, np.datetime64) and np.isnat(value)):
            out[i] = NAT
        elif isinstance(value, np.datetime64):
            out[i] = value.astype("datetime64[us]").astype(np.int64)
        else:
            out[i] = to_us(value, f"{argument}[{i}]")
    return out


def merge_missing(*columns: Column) -> None:
    """Mark a value missing in every column where it is missing in one."""
    masks = [c.missing for c in columns if c.missing is not None]
    if not masks:
        return
    missing = np.logical_or.reduce(masks) if len(masks) > 1 else masks[0]
    for column in columns:
        column.missing = missing
