"""Periods of receipt: the label of each period and rolling labels up.

A period label names the period a date falls in (``2026-03-02``,
``2026-W10``, ``2026-03``, ``2026-Q1``, ``2026``); a label of a finer period
can be rolled up into the label of a coarser one that holds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slacalc.counts import Period

__all__ = ["COARSER", "LABELS", "PERIODS", "roll_up"]

PERIODS: tuple[Period, ...] = ("day", "week", "month", "quarter", "year")
# Which periods a period's labels can be rolled up into.
COARSER: dict[Period, tuple[Period, ...]] = {
    "day": PERIODS,
    "week": ("week",),
    "month": ("month", "quarter", "year"),
    "quarter": ("quarter", "year"),
    "year": ("year",),
}


def _label_day(d: dt.date) -> str:
    return d.isoformat()


def _label_week(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _label_month(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _label_quarter(d: dt.date) -> str:
    return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"


def _label_year(d: dt.date) -> str:
    return f"{d.year:04d}"


LABELS: dict[Period, Callable[[dt.date], str]] = {
    "day": _label_day,
    "week": _label_week,
    "month": _label_month,
    "quarter": _label_quarter,
    "year": _label_year,
}


def _label_date(label: str, period: Period) -> dt.date:
    """A date inside the period a label names (its first day)."""
    if period == "day":
        return dt.date.fromisoformat(label)
    if period == "month":
        return dt.date(int(label[:4]), int(label[5:7]), 1)
    if period == "quarter":
        return dt.date(int(label[:4]), 3 * int(label[6]) - 2, 1)
    return dt.date(int(label[:4]), 1, 1)


def roll_up(
    period: Period | None, into: Period | None
) -> Callable[[str | None], str | None]:
    if into is None:
        return lambda label: None
    if into == period:
        return lambda label: label
    assert period is not None
    coarse = LABELS[into]
    return lambda label: None if label is None else coarse(_label_date(label, period))
