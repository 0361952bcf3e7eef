"""Request columns for evaluation: which policy, which adjustments, which
requests cannot be judged.

Coverage is decided per distinct service code and attribute value with the
scalar rules (:func:`slacalc._fields.where_matches`), then spread to the
requests; dates of receipt are read in the zone the scalar path would use.

Needs numpy, which is optional: only the columnar and pandas paths
(:mod:`slacalc.columns`, :mod:`slacalc.frames`) import this module.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence, Sized
from typing import Any, NamedTuple

import numpy as np

from slacalc import _fields
from slacalc._column import Column, as_column
from slacalc._instants import EPOCH_ORDINAL, US_PER_DAY, from_us, to_us
from slacalc._lookup import BoolArray, Int64Array, IntpArray
from slacalc._zones import offsets
from slacalc.adjust import Adjustment
from slacalc.book import PolicyBook
from slacalc.evaluate import _sentinel
from slacalc.loading import INVALID
from slacalc.outcomes import Request
from slacalc.policy import Policy

__all__ = [
    "Coded",
    "Requests",
    "covering_adjustments",
    "invalid_rows",
    "local_days",
    "policy_positions",
]


class Coded(NamedTuple):
    """A column already coded into its distinct values, as
    :mod:`slacalc.frames` reads a DataFrame's column: taken as it is, not
    coded again.

    Attributes:
        codes: one position in ``values`` per request.
        values: the distinct values, each once (equal values share a code).
    """

    codes: IntpArray
    values: list[Any]


class Requests:
    """The request columns, read once."""

    def __init__(
        self,
        service: object,
        received: object,
        closed: object,
        due: object,
        attributes: Mapping[str, object] | None,
        tz: dt.tzinfo,
        pauses: object = None,
    ) -> None:
        self.received = as_column(received, "received")
        self.n = len(self.received.values)
        self.pauses = self._pauses(pauses)
        self.closed = self._instants(closed, "closed")
        self.due = self._instants(due, "due")
        self.service = self._distinct(service, "service")
        self.attributes = {
            key: self._distinct(values, f"attributes[{key!r}]")
            for key, values in (attributes or {}).items()
        }
        self.tz = tz
        self._days: dict[dt.tzinfo, Int64Array] = {}
        if len(self.received.shape) != 1:
            raise ValueError(
                f"received must be one-dimensional, got shape {self.received.shape}"
            )

    def _instants(self, values: object, argument: str) -> Column | None:
        if values is None:
            return None
        column = as_column(values, argument)
        if column.shape != self.received.shape:
            raise ValueError(
                f"{argument} must have the shape of received {self.received.shape}, "
                f"got {column.shape}"
            )
        return column

    def _pauses(self, values: object) -> list[object] | None:
        """Each request's pauses as given (read when the request is)."""
        if values is None:
            return None
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise TypeError(
                f"pauses must hold one list of (start, end) pairs per request, "
                f"got {values!r}"
            )
        pauses = list(values)
        if len(pauses) != self.n:
            raise ValueError(
                f"pauses must have one value per request ({self.n}), got {len(pauses)}"
            )
        return pauses

    def paused(self) -> IntpArray:
        """The requests with pauses (not ``None``, ``NaN`` or empty)."""
        if self.pauses is None:
            return np.zeros(0, dtype=np.intp)
        return np.flatnonzero(np.fromiter(map(_has_pauses, self.pauses), bool, self.n))

    def _distinct(self, values: object, argument: str) -> tuple[IntpArray, list[Any]]:
        """Codes of the distinct values of a column, and those values."""
        if values is None:
            return np.zeros(self.n, dtype=np.intp), [None]
        if isinstance(values, Coded):
            given = len(values.codes)
        else:
            items = np.asarray(values, dtype=object).reshape(-1).tolist()
            given = len(items)
        if given != self.n:
            raise ValueError(
                f"{argument} must have one value per request ({self.n}), got {given}"
            )
        if isinstance(values, Coded):
            return values.codes, values.values
        distinct = list(dict.fromkeys(items))
        index = {value: i for i, value in enumerate(distinct)}
        codes = np.fromiter(map(index.__getitem__, items), np.intp, len(items))
        return codes, distinct

    def local_days(self, zone: dt.tzinfo) -> Int64Array:
        """The local date of each receipt in ``zone`` (days since the epoch;
        0 where missing)."""
        days = self._days.get(zone)
        if days is None:
            days = self._days[zone] = local_days(self.received, zone)
        return days

    def request(self, i: int) -> Request:
        """Request ``i`` as the scalar path reads it."""

        def instant(column: Column | None) -> dt.datetime | None:
            if column is None or (column.missing is not None and column.missing[i]):
                return None
            return from_us(int(column.values[i]), self.tz)

        codes, values = self.service
        attributes = {
            key: values_[int(codes_[i])]
            for key, (codes_, values_) in self.attributes.items()
            if values_[int(codes_[i])] is not None
        }
        pauses = self.pauses[i] if self.pauses is not None else None
        return Request(
            id=str(i),
            service=values[int(codes[i])],
            received=instant(self.received),
            closed=instant(self.closed),
            attributes=attributes,
            pauses=pauses if _has_pauses(pauses) else (),  # type: ignore[arg-type]
            due=instant(self.due),
        )


def _has_pauses(value: object) -> bool:
    """Whether a request's pauses value holds any (``None``, a float NaN,
    as pandas shows a missing value, and an empty list hold none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return not isinstance(value, Sized) or len(value) > 0


def local_days(column: Column, zone: dt.tzinfo) -> Int64Array:
    """The local date in ``zone`` of each present value, as days since the
    epoch (0 where missing); very old values are read one at a time, so
    that a sentinel date does not make the zone's offsets be found for a
    century."""
    values = column.values
    present = np.ones(len(values), dtype=bool)
    if column.missing is not None:
        present &= ~column.missing
    days = np.zeros(len(values), dtype=np.int64)
    if not present.any():
        return days
    floor = to_us(dt.datetime(1899, 12, 1, tzinfo=dt.UTC), "floor")
    old = present & (values < floor)
    recent = np.flatnonzero(present & ~old)
    if len(recent):
        chosen = values.take(recent)
        table = offsets(zone, int(chosen.min()), int(chosen.max()))
        days[recent] = table.wall(chosen) // US_PER_DAY
    for i in np.flatnonzero(old).tolist():
        day = from_us(int(values[i]), zone).date()
        days[i] = day.toordinal() - EPOCH_ORDINAL
    return days


def policy_positions(
    book: PolicyBook, everyone: Sequence[Policy], requests: Requests
) -> Int64Array:
    """``PolicyBook._policy_for`` of every request, as positions."""
    positions = np.full(requests.n, -1, dtype=np.int64)
    for i, policy in enumerate(everyone):
        if policy is book.default:
            admits = _admitted(policy, requests)
        else:
            admits = _serves(policy.services, requests) & _admitted(policy, requests)
        positions[(positions < 0) & admits] = i
    return positions


def _serves(services: Sequence[str], requests: Requests) -> BoolArray:
    codes, values = requests.service
    if not services:
        return np.ones(requests.n, dtype=bool)
    served = np.array([value in services for value in values], dtype=bool)
    return served.take(codes)


def _matches(where: _fields.Where, requests: Requests) -> BoolArray:
    """``_fields.where_matches`` of each request's attributes."""
    matched = np.ones(requests.n, dtype=bool)
    for key, accepted in where.items():
        if key not in requests.attributes:
            return np.zeros(requests.n, dtype=bool)
        codes, values = requests.attributes[key]
        table = np.array(
            [_fields.where_matches({key: accepted}, {key: v}) for v in values],
            dtype=bool,
        )
        matched &= table.take(codes)
    return matched


def _admitted(policy: Policy, requests: Requests) -> BoolArray:
    """``Policy._admits``: attributes, then the effective period."""
    admits = _matches(policy.where, requests) if policy.where else None
    first, last = policy.effective_from, policy.effective_until
    if first is not None or last is not None:
        received = requests.received
        period = np.ones(requests.n, dtype=bool)
        if received.missing is not None:
            period &= ~received.missing
        bounds = policy._period_us
        if bounds is not None:
            lo, hi = bounds
            if lo is not None:
                period &= received.values >= lo
            if hi is not None:
                period &= received.values < hi
        else:
            days = requests.local_days(requests.tz)
            if first is not None:
                period &= days >= first.toordinal() - EPOCH_ORDINAL
            if last is not None:
                period &= days <= last.toordinal() - EPOCH_ORDINAL
        admits = period if admits is None else admits & period
    return np.ones(requests.n, dtype=bool) if admits is None else admits


def invalid_rows(
    requests: Requests, imported: bool, floor: dt.date
) -> tuple[BoolArray, dict[int, str]]:
    """``evaluate.invalid_reason`` of every request: which ones cannot be
    judged, and why."""
    floor_day = floor.toordinal() - EPOCH_ORDINAL
    tz = requests.tz
    received = requests.received
    r = received.values
    checks: list[tuple[BoolArray, Any]] = []
    if INVALID in requests.attributes:
        # A loader's reasons come first, each read as the scalar path
        # reads attributes["_invalid"]: any true value, as text.
        codes, values = requests.attributes[INVALID]
        flagged = np.array([bool(value) for value in values], dtype=bool)
        checks.append((flagged.take(codes), lambda i: str(values[int(codes[i])])))
    missing = (
        received.missing.copy()
        if received.missing is not None
        else np.zeros(requests.n, dtype=bool)
    )
    checks.append((missing, lambda i: "no receipt time"))
    present = ~missing

    def before_floor(column: Column) -> BoolArray:
        near = np.flatnonzero(column.values < _floor_us(floor) + 2 * US_PER_DAY)
        found = np.zeros(requests.n, dtype=bool)
        for i in near.tolist():
            if column.missing is None or not column.missing[i]:
                day = from_us(int(column.values[i]), tz).date()
                found[i] = day.toordinal() - EPOCH_ORDINAL < floor_day
        return found

    def text(column: Column, i: int) -> dt.datetime:
        return from_us(int(column.values[i]), tz)

    checks.append(
        (
            present & before_floor(received),
            lambda i: _sentinel("received", text(received, i), floor),
        )
    )
    for column, name, used in (
        (requests.closed, "closed", True),
        (requests.due, "due", imported),
    ):
        if column is None or not used:
            continue
        here = present.copy()
        if column.missing is not None:
            here &= ~column.missing
        checks.append(
            (
                here & before_floor(column),
                lambda i, c=column, f=name: _sentinel(f, text(c, i), floor),
            )
        )
        checks.append(
            (
                here & (column.values < r),
                lambda i, c=column, f=name: _before(f, text(received, i), text(c, i)),
            )
        )
    invalid = np.zeros(requests.n, dtype=bool)
    reasons: dict[int, str] = {}
    for mask, reason in checks:
        new = np.flatnonzero(mask & ~invalid)
        for i in new.tolist():
            reasons[i] = reason(i)
        invalid[new] = True
    return invalid, reasons


def _floor_us(floor: dt.date) -> int:
    return (floor.toordinal() - EPOCH_ORDINAL) * US_PER_DAY


def _before(field: str, received: dt.datetime, value: dt.datetime) -> str:
    return (
        f"{field} before it was received (received {received.isoformat()}, "
        f"{field} {value.isoformat()})"
    )


def covering_adjustments(
    book: PolicyBook,
    everyone: Sequence[Policy],
    requests: Requests,
    positions: Int64Array,
    valid: IntpArray,
) -> tuple[IntpArray, list[tuple[Adjustment, ...]]]:
    """``PolicyBook._adjustments_for`` of each valid request: positions in
    a list of the distinct tuples of covering adjustments."""
    adjustments = book.adjustments
    if not adjustments:
        return np.zeros(len(valid), dtype=np.intp), [()]
    covers = np.zeros((len(adjustments), requests.n), dtype=bool)
    for k, adjustment in enumerate(adjustments):
        covers[k] = _serves(adjustment.services, requests)
        if adjustment.where:
            covers[k] &= _matches(adjustment.where, requests)
        if adjustment.window is not None or adjustment.months:
            covers[k] &= _receipt_covered(adjustment, everyone, requests, positions)
    chosen = covers[:, valid]
    if len(adjustments) <= 62:
        # One bit per adjustment; the distinct codes are few.
        bits = np.zeros(len(valid), dtype=np.int64)
        for k in range(len(adjustments)):
            bits |= chosen[k].astype(np.int64) << k
        if len(adjustments) <= 20:
            present = np.flatnonzero(np.bincount(bits))
            lookup = np.zeros(1 << len(adjustments), dtype=np.intp)
            lookup[present] = np.arange(len(present))
            codes = lookup.take(bits)
        else:
            present, codes = np.unique(bits, return_inverse=True)
        rows = [
            [bool(code >> k & 1) for k in range(len(adjustments))]
            for code in present.tolist()
        ]
    else:
        found, codes = np.unique(chosen.T, axis=0, return_inverse=True)
        rows = found.tolist()
    sets = [
        tuple(a for a, on in zip(adjustments, row, strict=True) if on) for row in rows
    ]
    return codes.reshape(-1).astype(np.intp), sets


def _receipt_covered(
    adjustment: Adjustment,
    everyone: Sequence[Policy],
    requests: Requests,
    positions: Int64Array,
) -> BoolArray:
    """``Adjustment.covers_receipt``, reading dates in the zone of each
    request's policy's calendar (else the requests' zone)."""
    received = requests.received
    covered = np.ones(requests.n, dtype=bool)
    if received.missing is not None:
        covered &= ~received.missing
    window = adjustment.window
    if adjustment._window_us is not None:
        start, end = adjustment._window_us
        covered &= (received.values >= start) & (received.values < end)
        if not adjustment.months:
            return covered
    zones = [p.calendar.tz if p.calendar is not None else requests.tz for p in everyone]
    by_zone = np.full(requests.n, -1, dtype=np.int64)
    distinct = list(dict.fromkeys([requests.tz, *zones]))
    for i, zone in enumerate(zones):
        by_zone[positions == i] = distinct.index(zone)
    by_zone[by_zone < 0] = distinct.index(requests.tz)
    days = np.zeros(requests.n, dtype=np.int64)
    for z, zone in enumerate(distinct):
        rows = by_zone == z
        if rows.any():
            days[rows] = requests.local_days(zone)[rows]
    if adjustment.months:
        month = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        covered &= np.isin(month % 12 + 1, adjustment.months)
    if window is not None and adjustment._window_us is None:
        first, last = (d.toordinal() - EPOCH_ORDINAL for d in window)
        covered &= (days >= first) & (days <= last)
    return covered
