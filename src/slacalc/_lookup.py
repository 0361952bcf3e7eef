"""Exact ``searchsorted`` over a sorted integer array, through a bucket table.

``numpy.searchsorted`` bisects for every query: ten or so dependent memory
reads, about as slow per element as a Python-free path can be. Sorted
instants of a calendar are spread out (openings are hours apart), so a
table over buckets of a power-of-two width answers most of the search with
one read: the count of values below each bucket's first instant, then at
most ``steps`` comparisons with the values that fall inside the bucket.
The answer is exactly ``searchsorted``'s.

Only :mod:`slacalc.columns` imports this module (numpy is optional).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["BoolArray", "Int64Array", "IntpArray", "SortedLookup"]

Int64Array = npt.NDArray[np.int64]
IntpArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: At most this many buckets per table (8 MiB of counts).
_MAX_BUCKETS = 1 << 20
#: More comparisons than this per query and plain ``searchsorted`` is faster.
_MAX_STEPS = 8
_INT64_MAX = np.iinfo(np.int64).max


class SortedLookup:
    """Counts of the values of a sorted array below (or at and below) queries.

    Exact for queries in ``[lo, hi]``; the caller keeps them there.

    Args:
        values: sorted int64 values.
        lo, hi: the smallest and the largest query to be asked.

    Examples:
        >>> import numpy as np
        >>> values = np.array([10, 20, 20, 35], dtype=np.int64)
        >>> lookup = SortedLookup(values, 0, 40)
        >>> x = np.array([0, 10, 20, 34, 40], dtype=np.int64)
        >>> lookup.right(x).tolist(), lookup.left(x).tolist()
        ([0, 1, 3, 3, 4], [0, 0, 1, 3, 4])
    """

    __slots__ = ("_base", "_counts", "_padded", "_shift", "_steps", "_values")

    def __init__(self, values: Int64Array, lo: int, hi: int) -> None:
        self._values = values
        self._padded = np.append(values, np.int64(_INT64_MAX))
        self._shift = shift = _bucket_shift(values, lo, hi)
        self._base = base = lo >> shift
        firsts = (np.arange(base, (hi >> shift) + 2, dtype=np.int64)) << shift
        below = np.searchsorted(values, firsts, side="left")
        self._counts: IntpArray = below[:-1]
        steps = int(np.diff(below).max())
        self._steps = steps if steps <= _MAX_STEPS else -1

    def right(self, x: Int64Array) -> IntpArray:
        """``searchsorted(values, x, side="right")``: values at or below each x."""
        if self._steps < 0:
            return np.searchsorted(self._values, x, side="right")
        k = self._bucket_counts(x)
        padded = self._padded
        for _ in range(self._steps):
            k += padded.take(k) <= x
        return k

    def left(self, x: Int64Array) -> IntpArray:
        """``searchsorted(values, x, side="left")``: values below each x."""
        if self._steps < 0:
            return np.searchsorted(self._values, x, side="left")
        k = self._bucket_counts(x)
        padded = self._padded
        for _ in range(self._steps):
            k += padded.take(k) < x
        return k

    def _bucket_counts(self, x: Int64Array) -> IntpArray:
        bucket = np.right_shift(x, self._shift)
        bucket -= self._base
        return self._counts.take(bucket)


def _bucket_shift(values: Int64Array, lo: int, hi: int) -> int:
    """The bucket width (a power of two) for a table over ``[lo, hi]``.

    The widest bucket that holds at most one value (the smallest gap between
    values), widened until the table has at most ``_MAX_BUCKETS`` buckets.
    """
    span = max(hi - lo, 1)
    if len(values) > 1:
        gap = int(np.diff(values).min())
        shift = max(gap, 1).bit_length() - 1
    else:
        shift = span.bit_length()
    while (hi >> shift) - (lo >> shift) + 1 > _MAX_BUCKETS:
        shift += 1
    return min(shift, 56)
