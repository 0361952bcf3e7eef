"""Date columns of a DataFrame read as :func:`slacalc.read_csv` reads the text.

A column may hold text, naive ``datetime64`` values (wall-clock times),
aware ``datetime64`` values, or Python objects. Text in the common fixed
shapes (US 12-hour ``10/18/2019 03:25:00 PM``, ISO ``2019-10-18 15:25:00``
and a few more) is read over the whole column at once, digit by digit,
and placed on the time line with the zone's offset arrays; every other
value (another shape, a year outside 1901-2199, a wall time that a
``"raise"`` rule refuses) is read one distinct value at a time by the very
:class:`~slacalc._dates.DateReader` that ``read_csv`` uses, so the result
and the reason for refusing a value are ``read_csv``'s own. Day and month
are never guessed: a slash means month first.

Only :mod:`slacalc.frames` imports this module (pandas is optional).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from slacalc._column import NAT
from slacalc._dates import (
    FIRST_YEAR,
    LAST_YEAR,
    Ambiguous,
    DateProblem,
    DateReader,
    Nonexistent,
)
from slacalc._instants import US_PER_DAY, to_us
from slacalc._lookup import BoolArray, Int64Array, IntpArray
from slacalc._zones import offsets

__all__ = ["DateColumn", "DateRules", "read_dates"]

_US_PER_SECOND = 1_000_000
_EPOCH_YEAR = 1970

#: Fixed text shapes read over whole columns. ``Y``, ``M``, ``D``: year,
#: month, day; ``h``: hour (24-hour); ``I``: hour (12-hour, with ``AM`` or
#: ``PM`` at ``p``); ``m``, ``s``: minute, second; ``f``: microseconds;
#: ``T``: a space or a ``T``; anything else stands for itself.
_SHAPES = (
    "MM/DD/YYYY II:mm:ss pp",
    "YYYY-MM-DDThh:mm:ss",
    "YYYY-MM-DDThh:mm:ss.ffffff",
    "YYYY-MM-DDThh:mm",
    "YYYY-MM-DD",
    "MM/DD/YYYY hh:mm:ss",
    "MM/DD/YYYY hh:mm",
    "MM/DD/YYYY",
)


class DateRules(NamedTuple):
    """How wall-clock values become instants, as ``read_csv`` takes them."""

    tz: dt.tzinfo | None
    nonexistent: Nonexistent
    ambiguous: Ambiguous
    shifted_utc: bool


class DateColumn(NamedTuple):
    """A column read: instants and the values that could not be used.

    Attributes:
        us: instants in microseconds since the epoch (UTC); ``NAT`` where
            missing or refused.
        refused: positions of the refused values, in order.
        reasons: why each was refused (``read_csv``'s wording, without the
            column name).
    """

    us: Int64Array
    refused: IntpArray
    reasons: list[str]


def read_dates(series: pd.Series[Any], rules: DateRules) -> DateColumn:
    """Read one column of dates; see the module's docstring."""
    dtype = series.dtype
    n = len(series)
    if isinstance(dtype, pd.CategoricalDtype):
        # Read each category once and spread the results.
        categories = read_dates(pd.Series(dtype.categories), rules)
        codes = np.asarray(series.cat.codes, dtype=np.intp)
        return _spread(categories, codes)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return _aware(series, rules)
    if pd.api.types.is_datetime64_dtype(dtype):
        wall = np.asarray(series, dtype="datetime64[us]").view(np.int64)
        return _walls(wall, rules)
    source: _ArrowTexts | _ObjectTexts | None = _ArrowTexts.of(series)
    if source is None:
        values = np.asarray(series, dtype=object)
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
            return _objects(values, np.arange(n, dtype=np.intp), n, rules)
        source = _ObjectTexts(values)
    return _texts(source, rules)


def _spread(column: DateColumn, codes: IntpArray) -> DateColumn:
    """A column of ``codes`` into the read ``column`` (-1: missing)."""
    us = np.where(codes >= 0, column.us.take(np.maximum(codes, 0)), NAT)
    why = dict(zip(column.refused.tolist(), column.reasons, strict=True))
    refused = np.flatnonzero(np.isin(codes, column.refused))
    return DateColumn(us, refused, [why[c] for c in codes.take(refused).tolist()])


# --------------------------------------------------------------------------
# One value at a time, as read_csv reads it


class _Reader:
    """Values read one distinct value at a time, with ``read_csv``'s rules."""

    def __init__(self, rules: DateRules) -> None:
        self.rules = rules
        self.text = DateReader(*rules)

    def __call__(self, value: object) -> int | None:
        """The instant of one value, ``None`` when missing.

        Raises:
            DateProblem: the value cannot be used.
        """
        if value is None or value is pd.NaT or value is pd.NA:
            return None
        if isinstance(value, str):
            found = self.text(value)
            return None if found is None else to_us(found, "value")
        if isinstance(value, float) and value != value:
            return None
        if isinstance(value, np.datetime64):
            if np.isnat(value):
                return None
            value = pd.Timestamp(value).to_pydatetime()
        if isinstance(value, dt.datetime):
            return self._datetime(value)
        raise DateProblem("unreadable date", repr(value))

    def _datetime(self, value: dt.datetime) -> int:
        text = value.isoformat(sep=" ")
        if value.tzinfo is not None and value.utcoffset() is not None:
            # An aware value keeps its instant; its wall date must be real.
            self.text(text)
            return to_us(value, "value")
        found = self.text(text)
        assert found is not None
        return to_us(found, "value")


def _objects(
    values: npt.NDArray[Any], rows: IntpArray, n: int, rules: DateRules
) -> DateColumn:
    """Rows ``rows`` of a column of ``n``, whose values are ``values``,
    read one distinct value at a time; the other rows are missing."""
    us = np.full(n, NAT, dtype=np.int64)
    if len(rows) == 0:
        return DateColumn(us, rows, [])
    codes, distinct = pd.factorize(pd.Series(values, dtype=object))
    read = _Reader(rules)
    found = np.full(len(distinct), NAT, dtype=np.int64)
    why: dict[int, str] = {}
    for k, value in enumerate(distinct.tolist()):
        try:
            instant = read(value)
        except DateProblem as problem:
            why[k] = str(problem)
            continue
        if instant is not None:
            found[k] = instant
    present = codes >= 0
    us[rows[present]] = found.take(codes[present])
    bad = np.flatnonzero(np.isin(codes, list(why)))
    refused = rows.take(bad)
    return DateColumn(us, refused, [why[c] for c in codes.take(bad).tolist()])


# --------------------------------------------------------------------------
# Text over whole columns


class _ObjectTexts:
    """Text values held as Python strings (``None`` or NaN where missing)."""

    def __init__(self, values: npt.NDArray[Any]) -> None:
        self._values = values
        self.missing: BoolArray = np.asarray(pd.isna(values), dtype=bool)
        self.lengths = np.zeros(len(values), dtype=np.int64)
        present = np.flatnonzero(~self.missing)
        texts = values.take(present)
        self.lengths[present] = np.fromiter(map(len, texts), np.int64, len(texts))

    def matrix(self, rows: IntpArray, width: int) -> npt.NDArray[np.uint8] | None:
        """The texts of ``rows``, all ``width`` long, as a matrix of bytes;
        ``None`` unless every one is ASCII."""
        try:
            encoded = self._values.take(rows).astype(f"S{width}")
        except UnicodeEncodeError:
            return None
        return encoded.view(np.uint8).reshape(len(rows), width)

    def values(self, rows: IntpArray) -> npt.NDArray[Any]:
        """The values of ``rows``."""
        return self._values.take(rows)


class _ArrowTexts:
    """Text values held by Arrow (pandas' ``str`` dtype with pyarrow): read
    from its UTF-8 bytes without making Python strings."""

    def __init__(self, array: Any, offsets: Int64Array, data: npt.NDArray[np.uint8]):
        self._array = array
        self._offsets = offsets
        self._data = data
        self.missing: BoolArray = np.asarray(
            array.is_null().to_numpy(zero_copy_only=False), dtype=bool
        )
        self.lengths = np.where(self.missing, 0, np.diff(offsets))

    @classmethod
    def of(cls, series: pd.Series[Any]) -> _ArrowTexts | None:
        """The Arrow text of a column, or ``None`` when not held by Arrow."""
        array = series.array
        if not isinstance(array, pd.arrays.ArrowExtensionArray):
            return None
        chunks = array.__arrow_array__()
        kind = str(chunks.type)
        if kind not in ("string", "large_string"):
            return None
        whole = chunks.combine_chunks()
        _, offset_buffer, data_buffer = whole.buffers()
        width = np.int64 if kind == "large_string" else np.int32
        offsets = np.frombuffer(offset_buffer, dtype=width)
        offsets = offsets[whole.offset : whole.offset + len(whole) + 1]
        data = (
            np.zeros(0, dtype=np.uint8)
            if data_buffer is None
            else np.frombuffer(data_buffer, dtype=np.uint8)
        )
        return cls(whole, offsets.astype(np.int64), data)

    def matrix(self, rows: IntpArray, width: int) -> npt.NDArray[np.uint8]:
        """The UTF-8 bytes of ``rows``, all ``width`` bytes long (a text
        that is not ASCII fits no shape)."""
        starts = self._offsets.take(rows)
        if len(rows) and int(starts[-1] - starts[0]) == (len(rows) - 1) * width:
            # The texts lie back to back (the usual column of one shape,
            # missing values aside): a view of the bytes, not a copy.
            first = int(starts[0])
            block = self._data[first : first + len(rows) * width]
            return block.reshape(len(rows), width)
        found = np.empty((len(rows), width), dtype=np.uint8)
        for c in range(width):
            found[:, c] = self._data.take(starts + c)
        return found

    def values(self, rows: IntpArray) -> npt.NDArray[Any]:
        """The values of ``rows`` as Python strings (``None``: missing)."""
        found = np.empty(len(rows), dtype=object)
        found[:] = self._array.take(rows).to_pylist()
        return found


def _texts(source: _ObjectTexts | _ArrowTexts, rules: DateRules) -> DateColumn:
    """Text values: the fixed shapes read at once, the rest one by one."""
    missing, lengths = source.missing, source.lengths
    n = len(missing)
    wall = np.full(n, NAT, dtype=np.int64)
    done = missing.copy()
    for width in sorted({len(shape) for shape in _SHAPES}):
        rows = np.flatnonzero((lengths == width) & ~missing)
        if len(rows) == 0:
            continue
        matrix = source.matrix(rows, width)
        if matrix is None:
            continue
        left = np.arange(len(rows))
        for shape in (s for s in _SHAPES if len(s) == width):
            texts = matrix if len(left) == len(rows) else matrix[left]
            read, ok = _read_shape(texts, shape)
            wall[rows[left[ok]]] = read[ok]
            done[rows[left[ok]]] = True
            left = left[~ok]
            if len(left) == 0:
                break
    return _placed(wall, done, rules, source.values)


def _digits(
    matrix: npt.NDArray[np.uint8], columns: list[int]
) -> tuple[npt.NDArray[np.int64], BoolArray]:
    """The number the digits at ``columns`` spell, and whether they are digits."""
    value = np.zeros(len(matrix), dtype=np.int64)
    ok = np.ones(len(matrix), dtype=bool)
    for c in columns:
        digit = matrix[:, c].astype(np.int64) - ord("0")
        ok &= (digit >= 0) & (digit <= 9)
        value = value * 10 + digit
    return value, ok


#: The days of each month (1-12) in a common year, and the days of the
#: year before it.
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_DAYS_BEFORE_MONTH = np.concatenate(([0], np.cumsum(_MONTH_DAYS[:-1])))
# Leap years before 1970 (proleptic Gregorian): 1969 // 4 - 1969 // 100 + 1969 // 400.
_LEAP_YEARS_BEFORE_EPOCH = 477


def _days_before(year: Int64Array) -> Int64Array:
    """Days from 1970-01-01 to 1 January of each year."""
    y = year - 1
    leaps = y // 4 - y // 100 + y // 400 - _LEAP_YEARS_BEFORE_EPOCH
    return (year - _EPOCH_YEAR) * 365 + leaps


def _read_shape(
    matrix: npt.NDArray[np.uint8], shape: str
) -> tuple[Int64Array, BoolArray]:
    """Wall-clock microseconds of texts in one fixed shape, and which texts
    are in it (a real date and time, year 1901-2199)."""
    n = len(matrix)
    ok = np.ones(n, dtype=bool)
    fields: dict[str, list[int]] = {}
    for c, char in enumerate(shape):
        if char in "YMDhImsf":
            fields.setdefault(char, []).append(c)
        elif char == "T":
            ok &= (matrix[:, c] == ord(" ")) | (matrix[:, c] == ord("T"))
        elif char != "p":
            ok &= matrix[:, c] == ord(char)

    def number(char: str, default: int = 0) -> npt.NDArray[np.int64]:
        nonlocal ok
        if char not in fields:
            return np.full(n, default, dtype=np.int64)
        value, digits = _digits(matrix, fields[char])
        ok &= digits
        return value

    year, month, day = number("Y"), number("M"), number("D")
    minute, second, micro = number("m"), number("s"), number("f")
    if "I" in fields:
        hour = number("I")
        at = shape.index("p")
        half = matrix[:, at]
        pm = half == ord("P")
        ok &= (pm | (half == ord("A"))) & (matrix[:, at + 1] == ord("M"))
        ok &= (hour >= 1) & (hour <= 12)
        hour = hour % 12 + 12 * pm
    else:
        hour = number("h")
        ok &= hour <= 23
    ok &= (year >= FIRST_YEAR) & (year <= LAST_YEAR)
    ok &= (month >= 1) & (month <= 12) & (day >= 1)
    ok &= (minute <= 59) & (second <= 59)
    month = np.where(ok, month, 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    # A day past the end of its month (30 February) is no date.
    ok &= day <= _MONTH_DAYS.take(month) + (leap & (month == 2))
    days = _days_before(year) + _DAYS_BEFORE_MONTH.take(month) + day - 1
    days += leap & (month > 2)
    seconds = (days * 24 + hour) * 3600 + minute * 60 + second
    return seconds * _US_PER_SECOND + micro, ok


# --------------------------------------------------------------------------
# Wall-clock values onto the time line


def _walls(wall: Int64Array, rules: DateRules) -> DateColumn:
    """Naive ``datetime64`` values: in range, placed at once; the rest read
    one by one from their ISO text."""
    present = wall != NAT
    years = wall.view("datetime64[us]").astype("datetime64[Y]").view(np.int64)
    usual = (years >= FIRST_YEAR - _EPOCH_YEAR) & (years <= LAST_YEAR - _EPOCH_YEAR)
    done = ~present | usual

    def texts(rows: IntpArray) -> npt.NDArray[Any]:
        found = np.empty(len(rows), dtype=object)
        found[:] = [_iso_text(int(w)) for w in wall.take(rows).tolist()]
        return found

    return _placed(np.where(done, wall, NAT), done, rules, texts)


def _iso_text(wall: int) -> str:
    """The ISO text of a wall-clock time in microseconds."""
    return str(pd.Timestamp(wall, unit="us").isoformat(sep=" "))


def _placed(
    wall: Int64Array,
    done: BoolArray,
    rules: DateRules,
    texts: Callable[[IntpArray], npt.NDArray[Any]],
) -> DateColumn:
    """Place the wall times of the rows ``done`` (``NAT``: missing) on the
    time line; rows the rules refuse, and those not done, are read one by
    one from their ``texts``."""
    placed = np.flatnonzero(done & (wall != NAT))
    us = np.full(len(wall), NAT, dtype=np.int64)
    if len(placed):
        tz = rules.tz
        if tz is None:
            # read_csv's own error for a wall-clock value without a zone.
            DateReader(None)(_iso_text(int(wall[placed[0]])))
            raise AssertionError("a naive value must raise without a zone")
        instants, refused = _localize(wall.take(placed), rules, tz)
        done[placed[refused]] = False
        us[placed] = np.where(refused, NAT, instants)
    rows = np.flatnonzero(~done)
    rest = _objects(texts(rows), rows, len(wall), rules)
    us[rows] = rest.us[rows]
    return DateColumn(us, rest.refused, rest.reasons)


def _localize(
    walls: Int64Array, rules: DateRules, tz: dt.tzinfo
) -> tuple[Int64Array, BoolArray]:
    """Instants of wall times by the rules, and which ones a ``"raise"``
    rule refuses."""
    lo, hi = int(walls.min()) - US_PER_DAY, int(walls.max()) + US_PER_DAY
    table = offsets(tz, lo, hi)
    refused = np.zeros(len(walls), dtype=bool)
    if rules.shifted_utc:
        # The values are true wall times once read as UTC and shown in tz.
        shown, gap, fold = table.localize(walls, "raise", rules.ambiguous)
        refused |= gap
        if rules.ambiguous == "raise":
            refused |= fold
        walls = shown
        table = offsets(
            tz, int(walls.min()) - US_PER_DAY, int(walls.max()) + US_PER_DAY
        )
    instants, gap, fold = table.localize(walls, rules.nonexistent, rules.ambiguous)
    if rules.nonexistent == "raise":
        refused |= gap
    if rules.ambiguous == "raise":
        refused |= fold
    return instants, refused


def _aware(series: pd.Series[Any], rules: DateRules) -> DateColumn:
    """Aware ``datetime64`` values: their instants, once their local years
    are checked as ``read_csv`` checks an offset's wall time."""
    utc = series.dt.tz_convert("UTC").dt.tz_localize(None)
    us = np.asarray(utc, dtype="datetime64[us]").view(np.int64).copy()
    wall = np.asarray(series.dt.tz_localize(None), dtype="datetime64[us]")
    years = wall.astype("datetime64[Y]").view(np.int64) + _EPOCH_YEAR
    odd = np.flatnonzero((us != NAT) & ((years < FIRST_YEAR) | (years > LAST_YEAR)))
    if len(odd) == 0:
        return DateColumn(us, odd, [])
    values = np.empty(len(odd), dtype=object)
    values[:] = [series.iloc[i].to_pydatetime() for i in odd.tolist()]
    rest = _objects(values, odd, len(us), rules)
    us[odd] = rest.us[odd]
    return DateColumn(us, rest.refused, rest.reasons)
