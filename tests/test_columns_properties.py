"""The columnar path equals the scalar path, on random calendars and instants."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import slacalc as sla
from slacalc._instants import timedelta_us, to_us
from tests.strategies import (
    ZONES,
    calendars,
    dst_edges,
    durations,
    instants,
    moments,
    targets,
)

pytest.importorskip("numpy")

import numpy as np
import numpy.typing as npt

from slacalc import columns
from slacalc.columns import Ambiguous, Nonexistent

SETTINGS = settings(max_examples=60, deadline=None)

Case = tuple[sla.BusinessCalendar, list[dt.datetime | None]]


@st.composite
def calendar_and_column(draw: st.DrawFn, size: int = 12) -> Case:
    """A random calendar and a column of instants in its zone: random ones,
    ones near its DST changes, ones on quarter hours (where random opening
    hours open and close) and a few missing."""
    cal = draw(calendars())
    one = moments(str(cal.tz))
    values: list[dt.datetime | None] = draw(
        st.lists(st.none() | one, min_size=1, max_size=size)
    )
    return cal, values


def column(values: Sequence[dt.datetime | None]) -> npt.NDArray[np.datetime64]:
    """The datetime64[us] column of aware datetimes (NaT for None)."""
    return np.array(
        [
            np.datetime64("NaT", "us")
            if v is None
            else np.datetime64(to_us(v, "v"), "us")
            for v in values
        ],
        dtype="datetime64[us]",
    )


def microseconds(result: object) -> list[int | None]:
    """A result column as microseconds, None for NaT."""
    array = np.asarray(result)
    return [None if np.isnat(v) else int(v.astype(np.int64)) for v in array]


def scalar(
    f: object, values: Sequence[dt.datetime | None]
) -> list[int | None] | type[sla.ClosedTooLongError]:
    """``f`` on each present value, as microseconds; the error class when one
    raises ClosedTooLongError."""
    assert callable(f)
    out: list[int | None] = []
    for v in values:
        if v is None:
            out.append(None)
            continue
        try:
            result = f(v)
        except sla.ClosedTooLongError:
            return sla.ClosedTooLongError
        out.append(to_us(result, "r") if isinstance(result, dt.datetime) else result)
    return out


def columnar(f: object) -> list[int | None] | type[sla.ClosedTooLongError]:
    """``f()`` as microseconds; the error class when it raises."""
    assert callable(f)
    try:
        return microseconds(f())
    except sla.ClosedTooLongError:
        return sla.ClosedTooLongError


@SETTINGS
@given(calendar_and_column(), targets())
def test_due_equals_scalar(case: Case, target: sla.Target) -> None:
    """columns.due equals target.due value by value, for every target kind."""
    cal, values = case
    expected = scalar(lambda t: target.due(t, cal), values)
    assert columnar(lambda: columns.due(target, column(values), cal)) == expected


@SETTINGS
@given(calendar_and_column(), targets())
def test_start_equals_scalar(case: Case, target: sla.Target) -> None:
    """columns.start equals target.start value by value."""
    cal, values = case
    expected = scalar(lambda t: target.start(t, cal), values)
    assert columnar(lambda: columns.start(target, column(values), cal)) == expected


@SETTINGS
@given(st.sampled_from(ZONES), st.data(), st.integers(0, 120), st.booleans())
def test_absolute_targets_without_calendar(
    tz: str, data: st.DataObject, n: int, hours: bool
) -> None:
    """Without a calendar, Hours and Days (in zone tz) equal the scalar path."""
    values = data.draw(st.lists(instants(tz=tz) | dst_edges(tz), min_size=1))
    target: sla.Target = sla.Hours(n * 1.5) if hours else sla.Days(n)
    expected = scalar(target.due, values)
    got = columnar(lambda: columns.due(target, column(values), tz=tz))
    assert got == expected


@SETTINGS
@given(calendar_and_column(), st.integers(-200 * 3600, 200 * 3600))
def test_add_equals_scalar(case: Case, seconds: int) -> None:
    """columns.add of one delta (negative, zero or positive) equals cal.add."""
    cal, values = case
    delta = dt.timedelta(seconds=seconds)
    expected = scalar(lambda t: cal.add(t, delta), values)
    assert columnar(lambda: columns.add(column(values), delta, cal)) == expected


@SETTINGS
@given(calendar_and_column(), st.data())
def test_add_each_equals_scalar(case: Case, data: st.DataObject) -> None:
    """columns.add with a delta per value (mixed signs, some NaT) equals cal.add."""
    cal, values = case
    signed = st.tuples(durations(), st.sampled_from((-1, 0, 1))).map(
        lambda pair: pair[0] * pair[1]
    )
    deltas = data.draw(
        st.lists(st.none() | signed, min_size=len(values), max_size=len(values))
    )
    expected = [
        None if d is None else e
        for d, e in zip(
            deltas,
            scalar_pairs(lambda t, d: cal.add(t, d), values, deltas),
            strict=True,
        )
    ]
    delta_column = np.array(
        [np.timedelta64("NaT") if d is None else d for d in deltas],
        dtype="timedelta64[us]",
    )
    assert columnar(lambda: columns.add(column(values), delta_column, cal)) == expected


def scalar_pairs(
    f: object, values: list[dt.datetime | None], deltas: list[dt.timedelta | None]
) -> list[int | None]:
    """``f(value, delta)`` as microseconds, None where either is missing."""
    assert callable(f)
    return [
        None if v is None or d is None else to_us(f(v, d), "r")
        for v, d in zip(values, deltas, strict=True)
    ]


@SETTINGS
@given(calendar_and_column(), st.data())
def test_elapsed_equals_scalar(case: Case, data: st.DataObject) -> None:
    """columns.elapsed equals cal.elapsed for each pair, NaT where one is missing."""
    cal, values = case
    others = data.draw(st.permutations(values))
    expected = [
        None if a is None or b is None else timedelta_us(cal.elapsed(a, b), "e")
        for a, b in zip(values, others, strict=True)
    ]
    got = columns.elapsed(column(values), column(others), cal)
    assert microseconds(got) == expected


@SETTINGS
@given(calendar_and_column())
def test_next_opening_and_is_open_equal_scalar(case: Case) -> None:
    """columns.next_opening and columns.is_open equal the calendar's methods."""
    cal, values = case
    expected = scalar(cal.next_opening, values)
    assert columnar(lambda: columns.next_opening(column(values), cal)) == expected
    opened = [v is not None and cal.is_open(v) for v in values]
    assert columns.is_open(column(values), cal).tolist() == opened


@SETTINGS
@given(
    st.sampled_from(ZONES),
    st.data(),
    st.sampled_from(("shift_forward", "raise")),
    st.sampled_from(("earlier", "later", "raise")),
)
def test_to_instants_equals_zoneinfo(
    tz: str, data: st.DataObject, nonexistent: Nonexistent, ambiguous: Ambiguous
) -> None:
    """to_instants places each wall time as zoneinfo does under the rule chosen."""
    zone = zoneinfo.ZoneInfo(tz)
    walls = data.draw(
        st.lists(
            (instants(tz=tz) | dst_edges(tz)).map(lambda t: t.replace(tzinfo=None)),
            min_size=1,
        )
    )
    expected: list[int] = []
    refused = False
    for wall in walls:
        earlier = wall.replace(tzinfo=zone, fold=0)
        later = wall.replace(tzinfo=zone, fold=1)
        gap = earlier.utcoffset() != later.utcoffset() and (
            earlier.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != wall
        )
        fold = earlier.utcoffset() != later.utcoffset() and not gap
        refused |= (gap and nonexistent == "raise") or (fold and ambiguous == "raise")
        chosen = later if fold and ambiguous == "later" else earlier
        expected.append(to_us(chosen, "wall"))
    array = np.array(walls, dtype="datetime64[us]")
    if refused:
        with pytest.raises(ValueError, match="wall-clock time that exists once"):
            columns.to_instants(array, tz, nonexistent=nonexistent, ambiguous=ambiguous)
        return
    got = columns.to_instants(array, tz, nonexistent=nonexistent, ambiguous=ambiguous)
    assert microseconds(got) == expected


@SETTINGS
@given(calendar_and_column())
def test_to_datetimes_round_trip(case: Case) -> None:
    """to_datetimes gives back the same instants, in the zone asked for."""
    cal, values = case
    back = columns.to_datetimes(column(values), cal.tz)
    assert [None if b is None else to_us(b, "b") for b in back] == [
        None if v is None else to_us(v, "v") for v in values
    ]
    assert all(b is None or b.tzinfo is cal.tz for b in back)
