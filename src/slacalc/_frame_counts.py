"""Compliance counts of an evaluated DataFrame, tallied over whole columns.

The result is the very :class:`~slacalc.ComplianceCounts` that
``ComplianceCounts.from_outcomes`` gives for the same outcomes: each group
value read once per distinct value, period labels once per distinct date,
statuses counted with one ``bincount`` over combined group codes, and the
shares of target used binned as ``share_bins`` bins them (``round(s * 100)``,
half to even, which ``numpy.rint`` also does).

Only :mod:`slacalc.frames` imports this module (pandas is optional).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from slacalc._dates import is_missing_text
from slacalc._instants import EPOCH_ORDINAL, US_PER_DAY
from slacalc._lookup import Int64Array, IntpArray
from slacalc._periods import LABELS
from slacalc._stats import SHARE_BINS
from slacalc._zones import offsets
from slacalc.counts import (
    CellKey,
    ComplianceCounts,
    GroupKey,
    Histogram,
    Period,
    StatusCounts,
)
from slacalc.outcomes import Status

__all__ = ["Codes", "distinct", "period_codes", "tally"]

#: Codes of a column into its distinct values (every code points into them).
Codes = tuple[IntpArray, list[Any]]

_STATUSES = len(Status)
# Combined codes are kept dense below this many slots per row (plus a floor).
_SLOTS_PER_ROW = 4
_MIN_SLOTS = 1 << 16
# Share bins are integers this far from zero and nearer are exact in int64.
_EXACT_BINS = float(1 << 52)


def distinct(series: pd.Series[Any]) -> Codes:
    """Codes of a column into its distinct values, a missing value (NaN,
    ``None``, a text such as ``""`` or ``"NA"``) read as ``None``.

    Values come back as Python objects (``tolist``), in order of first
    appearance.
    """
    # factorize leaves NaN, None, NA and NaT out of the uniques (code -1).
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    found: list[Any] = [
        None if is_missing_text(value) else value for value in uniques.tolist()
    ]
    found.append(None)
    # Values that read alike (two missing texts) share one code.
    first: dict[Any, int] = {}
    remap = np.empty(len(found), dtype=np.intp)
    values: list[Any] = []
    for k, value in enumerate(found):
        at = first.get(value)
        if at is None:
            at = first[value] = len(values)
            values.append(value)
        remap[k] = at
    # The NA sentinel -1 reads the appended None.
    return remap.take(np.asarray(codes, dtype=np.intp)), values


def period_codes(received: pd.Series[Any], period: Period | None) -> Codes:
    """Codes of each row's period of receipt (its label; ``None`` without a
    receipt time or a period), from aware instants, in their own zone."""
    n = len(received)
    if period is None or n == 0:
        return np.zeros(n, dtype=np.intp), [None]
    dtype = received.dtype
    if not isinstance(dtype, pd.DatetimeTZDtype):
        raise ValueError(
            f"the received_at column must hold aware datetimes, got dtype {dtype}; "
            "evaluate the frame with slacalc.frames.evaluate first"
        )
    utc = received.dt.tz_convert("UTC").dt.tz_localize(None)
    us = np.asarray(utc, dtype="datetime64[us]").view(np.int64)
    present = ~np.isnat(us.view("datetime64[us]"))
    days = np.zeros(n, dtype=np.int64)
    if present.any():
        chosen = us[present]
        table = offsets(dtype.tz, int(chosen.min()), int(chosen.max()))
        days[present] = table.wall(chosen) // US_PER_DAY
    day_codes, day_values = _dense(np.where(present, days, 0))
    label = LABELS[period]
    labels = [
        label(dt.date.fromordinal(int(day) + EPOCH_ORDINAL))
        for day in day_values.tolist()
    ]
    # Days of one period share its label: codes into the distinct labels.
    distinct_labels = list(dict.fromkeys(labels))
    where = {text: i for i, text in enumerate(distinct_labels)}
    relabel = np.array([where[text] for text in labels], dtype=np.intp)
    codes = np.where(present, relabel.take(day_codes), len(distinct_labels))
    return codes.astype(np.intp), [*distinct_labels, None]


def _dense(values: Int64Array) -> tuple[IntpArray, Int64Array]:
    """Codes ``0..k-1`` of integer values and the ``k`` distinct values
    (sorted)."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.intp), values
    lo, hi = int(values.min()), int(values.max())
    if hi - lo < _SLOTS_PER_ROW * len(values) + _MIN_SLOTS:
        seen = np.bincount(values - lo, minlength=hi - lo + 1) > 0
        present = np.flatnonzero(seen)
        lookup = np.cumsum(seen) - 1
        return lookup.take(values - lo).astype(np.intp), present + lo
    found, codes = np.unique(values, return_inverse=True)
    return codes.reshape(-1).astype(np.intp), found


def _combined(
    columns: Sequence[tuple[IntpArray, int]], n: int
) -> tuple[IntpArray, int]:
    """One code per row for the combination of the columns' codes (each
    with its number of codes), and the number of codes; kept dense when
    the product of the numbers grows large."""
    code = np.zeros(n, dtype=np.int64)
    size = 1
    limit = _SLOTS_PER_ROW * n + _MIN_SLOTS
    for codes, count in columns:
        code = code * count + codes
        size *= count
        if size > limit:
            dense, found = _dense(code)
            code, size = dense.astype(np.int64), len(found)
    return code.astype(np.intp), size


def tally(
    by: tuple[str, ...],
    period: Period | None,
    columns: Sequence[Codes],
    periods: Codes,
    goals: npt.NDArray[np.float64],
    statuses: npt.NDArray[np.int8],
    shares: npt.NDArray[np.float64],
    as_of: dt.datetime | None,
) -> ComplianceCounts:
    """The counts of rows whose group values are ``columns`` (in the order
    of ``by``) and ``periods``, with their goals (NaN: none), status codes
    and shares of target used (NaN: none)."""
    n = len(statuses)
    if n == 0:
        return ComplianceCounts(by, period, {}, {}, None, None)
    group, size = _combined([(c, len(v)) for c, v in (*columns, periods)], n)
    keep = np.zeros(max(size, 1), dtype=np.intp)
    keep[group] = np.arange(n, dtype=np.intp)

    def key_of(g: int) -> GroupKey:
        row = int(keep[g])
        values = tuple(found[int(codes[row])] for codes, found in columns)
        return values, periods[1][int(periods[0][row])]

    goal_codes, goal_values = _goal_codes(goals)
    pair, pairs = _combined([(group, size), (goal_codes, len(goal_values))], n)
    counts = np.bincount(
        pair * _STATUSES + statuses, minlength=pairs * _STATUSES
    ).reshape(pairs, _STATUSES)
    present = np.flatnonzero(counts.any(axis=1))
    pair_keep = np.zeros(max(pairs, 1), dtype=np.intp)
    pair_keep[pair] = np.arange(n, dtype=np.intp)
    cells: dict[CellKey, StatusCounts] = {}
    for p, row_counts in zip(present.tolist(), counts[present].tolist(), strict=True):
        row = int(pair_keep[p])
        values, label = key_of(int(group[row]))
        goal = goal_values[int(goal_codes[row])]
        cells[(values, label, goal)] = tuple(row_counts)
    histograms = _histograms(group, size, shares, key_of)
    return ComplianceCounts(by, period, cells, histograms, as_of, as_of)


def _goal_codes(goals: npt.NDArray[np.float64]) -> Codes:
    """Codes of the goals, NaN read as ``None``."""
    codes, uniques = pd.factorize(goals, use_na_sentinel=True)
    values: list[Any] = [*uniques.tolist(), None]
    # The NA sentinel -1 reads the appended None.
    return np.where(codes < 0, len(values) - 1, codes).astype(np.intp), values


def _histograms(
    group: IntpArray,
    size: int,
    shares: npt.NDArray[np.float64],
    key_of: Callable[[int], GroupKey],
) -> dict[GroupKey, Histogram]:
    """Share histograms per group: ``{bin: count}``."""
    finite = np.flatnonzero(np.isfinite(shares))
    if len(finite) == 0:
        return {}
    bins = np.rint(shares.take(finite) * float(SHARE_BINS))
    groups = group.take(finite)
    found: dict[GroupKey, Histogram] = {}
    top = float(np.abs(bins).max())
    if top >= _EXACT_BINS or size * (2 * top + 1) >= _EXACT_BINS:
        # Shares of astronomical size: bin them as share_bins does, one by one.
        per_group: dict[int, Counter[int]] = {}
        for g, b in zip(groups.tolist(), bins.tolist(), strict=True):
            per_group.setdefault(g, Counter())[int(b)] += 1
        for g, bins_of in per_group.items():
            found[key_of(g)] = dict(bins_of)
        return found
    whole = bins.astype(np.int64)
    lo = int(whole.min())
    width = int(whole.max()) - lo + 1
    key = groups.astype(np.int64) * width + (whole - lo)
    keys, counts = np.unique(key, return_counts=True)
    g_of, b_of = np.divmod(keys, width)
    bounds = np.flatnonzero(np.diff(g_of)) + 1
    starts = [0, *bounds.tolist()]
    ends = [*bounds.tolist(), len(keys)]
    every_bin = (b_of + lo).tolist()
    every_count = counts.tolist()
    for start, end in zip(starts, ends, strict=True):
        found[key_of(int(g_of[start]))] = dict(
            zip(every_bin[start:end], every_count[start:end], strict=True)
        )
    return found
