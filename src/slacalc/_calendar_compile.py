"""Compiling a calendar's local year into the open intervals of each date.

Each date takes its special hours if it has any, else none if it is a
holiday, else its weekday's hours; closures are then cut out, and what is
left is merged into sorted, disjoint intervals (instants in microseconds
since the epoch) for :class:`~slacalc._timeline.Timeline`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from slacalc._instants import boundary_us, local_us, to_us
from slacalc._timeline import DayOpenings

if TYPE_CHECKING:
    from slacalc.calendar import BusinessCalendar

__all__ = ["compile_year"]


def compile_year(
    calendar: BusinessCalendar, year: int
) -> tuple[tuple[int, int], list[DayOpenings]]:
    """The span of local ``year`` in instants, and each date of it that has
    open time with its open intervals."""
    tz = calendar.tz
    first = dt.date(year, 1, 1)
    span = (local_us(first, 0, tz), local_us(dt.date(year + 1, 1, 1), 0, tz))
    holidays = set(calendar.holidays.names_in(year))
    holidays.update(calendar.local_holidays.names_in(year))
    special = dict(calendar.special_hours)
    closures = [
        (to_us(c.start, "start"), to_us(c.end, "end"))
        for c in calendar.closures
        if to_us(c.end, "end") > span[0]
    ]
    days: list[DayOpenings] = []
    day = first
    while day.year == year:
        hours = special.get(day)
        if hours is None:
            hours = () if day in holidays else calendar.hours.days[day.weekday()]
        openings = []
        for opening, closing in hours:
            start = boundary_us(day, opening, tz)
            end = boundary_us(day, closing, tz)
            openings.extend(_minus_closures(start, end, closures))
        if openings:
            days.append((day.toordinal(), _sorted_merged(openings)))
        day += dt.timedelta(days=1)
    return span, days


def _minus_closures(
    start: int, end: int, closures: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    pieces = [(start, end)] if start < end else []
    for c_start, c_end in closures:
        if c_start >= end or c_end <= start:
            continue
        pieces = [
            piece
            for a, b in pieces
            for piece in ((a, min(b, c_start)), (max(a, c_end), b))
            if piece[0] < piece[1]
        ]
    return pieces


def _sorted_merged(openings: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(openings):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
