"""Evaluation over columns: :meth:`PolicyBook.evaluate` for arrays of requests.

The requests are split by what decides their arithmetic: the policy that
covers them and the adjustments that do. Coverage is found per distinct
service and attribute value, not per request; each group's due dates, time
used and statuses are then computed over columns. A group in which some
request takes a path these columns do not mirror (a due date that cannot
be computed, say) is judged by the scalar code instead, request by request,
so that its outcomes are the scalar ones exactly.

Needs numpy, which is optional: only the columnar and pandas paths
(:mod:`slacalc.columns`, :mod:`slacalc.frames`) import this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from slacalc import _fields
from slacalc._column import NAT, Durations, Instants
from slacalc._column_requests import (
    Requests,
    covering_adjustments,
    invalid_rows,
    policy_positions,
)
from slacalc._column_targets import (
    NeedsScalar,
    due_us,
    elapsed_us,
    extend_us,
    origin_us,
)
from slacalc._instants import to_us
from slacalc._lookup import BoolArray, Int64Array, IntpArray
from slacalc.adjust import Adjustment
from slacalc.book import PolicyBook
from slacalc.calendar import BusinessCalendar, _zone
from slacalc.evaluate import (
    DEFAULT_AT_RISK,
    _exempt_reason,
    adjusted,
)
from slacalc.outcomes import DueSource, Outcome, Status
from slacalc.policy import Policy
from slacalc.targets import Target

__all__ = ["DUE_SOURCES", "STATUSES", "ColumnOutcomes", "evaluate_columns"]

#: Status codes: ``STATUSES[code]`` is the :class:`~slacalc.Status`.
STATUSES: tuple[Status, ...] = tuple(Status)
#: Due-date sources: ``DUE_SOURCES[code]``; 0 is none.
DUE_SOURCES: tuple[DueSource | None, ...] = (None, "imported", "policy")

_CODE = {status: np.int8(i) for i, status in enumerate(STATUSES)}


class ColumnOutcomes:
    """The outcomes of a column of requests, one array per field.

    Row ``i`` of every array is the outcome of request ``i``, as
    :meth:`PolicyBook.evaluate` would give it; missing values are ``NaT``,
    ``NaN`` or ``-1``.

    Attributes:
        status: status codes (int8); ``STATUSES[code]`` is the status.
        due: due instants (``datetime64[us]``, UTC).
        due_source: codes into ``DUE_SOURCES`` (0: none, 1: imported,
            2: policy).
        used: time used on the target's clock (``timedelta64[us]``).
        share: ``used`` as a share of the target (float64, NaN for none).
        late_by: how late (``timedelta64[us]``; zero when on time).
        at_risk: open, not yet due and past the policy's threshold.
        policy: positions in ``policies`` (int32), -1 for none.
        policies: the book's policies, then its default if it has one.
        adjustments: positions in ``adjustment_sets`` (int32).
        adjustment_sets: the distinct tuples of adjustments applied;
            ``adjustment_sets[0]`` is the empty one.
        reason: why an ``invalid`` or ``exempt`` outcome is so (object
            array of text, ``None`` elsewhere).

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> from slacalc import columns
        >>> book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
        >>> received = columns.to_instants(["2026-03-02 09:00", "1900-01-01"], "UTC")
        >>> closed = columns.to_instants(["2026-03-02 15:00", ""], "UTC")
        >>> outcomes = columns.evaluate(book, ["BALLOT", "BALLOT"], received,
        ...                             closed, dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        >>> [status.value for status in outcomes.statuses()]
        ['met', 'invalid']
        >>> outcomes.share[0], outcomes.policies[outcomes.policy[0]].name
        (np.float64(0.25), 'Ballots')
        >>> print(outcomes.reason[1])  # doctest: +ELLIPSIS
        received is a sentinel date, not a real one: 1900-01-01T00:00:00+00:00...
    """

    __slots__ = (
        "adjustment_sets",
        "adjustments",
        "at_risk",
        "due",
        "due_source",
        "late_by",
        "policies",
        "policy",
        "reason",
        "share",
        "status",
        "used",
    )

    def __init__(self, n: int, policies: tuple[Policy, ...]) -> None:
        self.status = np.full(n, _CODE[Status.INVALID], dtype=np.int8)
        self.due: Instants = np.full(n, NAT, dtype=np.int64).view("datetime64[us]")
        self.due_source = np.zeros(n, dtype=np.int8)
        self.used: Durations = np.full(n, NAT, dtype=np.int64).view("timedelta64[us]")
        self.share = np.full(n, np.nan)
        self.late_by: Durations = self.used.copy()
        self.at_risk = np.zeros(n, dtype=bool)
        self.policy = np.full(n, -1, dtype=np.int32)
        self.policies = policies
        self.adjustments = np.zeros(n, dtype=np.int32)
        self.adjustment_sets: tuple[tuple[Adjustment, ...], ...] = ((),)
        self.reason: npt.NDArray[np.object_] = np.full(n, None, dtype=object)

    def __len__(self) -> int:
        return len(self.status)

    def statuses(self) -> list[Status]:
        """The status of each request.

        Examples:
            >>> import datetime as dt, numpy as np
            >>> import slacalc as sla
            >>> from slacalc import columns
            >>> book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
            >>> received = np.array(["2026-10-01T09:00", "NaT"], "datetime64[us]")
            >>> as_of = dt.datetime(2026, 10, 3, tzinfo=dt.timezone.utc)
            >>> outcomes = columns.evaluate(book, None, received, None, as_of)
            >>> [s.value for s in outcomes.statuses()]
            ['overdue', 'invalid']
        """
        return [STATUSES[code] for code in self.status.tolist()]

    def _set(self, rows: IntpArray, adjustments: tuple[Adjustment, ...]) -> None:
        sets = self.adjustment_sets
        if adjustments not in sets:
            self.adjustment_sets = sets = (*sets, adjustments)
        self.adjustments[rows] = sets.index(adjustments)


def evaluate_columns(
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
    sentinel_before: dt.date = dt.date(1901, 1, 1),
    pauses: object = None,
) -> ColumnOutcomes:
    """See :func:`slacalc.columns.evaluate`."""
    if not isinstance(book, PolicyBook):
        raise TypeError(f"book must be a PolicyBook, got {book!r}")
    as_of_us = to_us(as_of, "as_of")
    imported = _fields.due_source(due_source) == "imported"
    floor = _fields.optional_date(sentinel_before, "sentinel_before")
    if floor is None:
        raise ValueError("sentinel_before must be a datetime.date, got None")
    zone = _zone(tz)
    requests = Requests(service, received, closed, due, attributes, zone, pauses)
    everyone = (*book.policies, *([book.default] if book.default else []))
    out = ColumnOutcomes(requests.n, everyone)
    if requests.n == 0:
        return out
    positions = policy_positions(book, everyone, requests)
    out.policy[:] = positions
    invalid, reasons = invalid_rows(requests, imported, floor)
    for i, reason in reasons.items():
        out.reason[i] = reason
    valid = np.flatnonzero(~invalid)
    paused = requests.paused()
    if len(paused):
        # Paused clocks are judged by the scalar path, which reads pauses.
        _judge_scalar(out, book, requests, paused, as_of, due_source, floor)
        valid = np.setdiff1d(valid, paused, assume_unique=True)
    if len(valid) == 0:
        return out
    covering, sets = covering_adjustments(book, everyone, requests, positions, valid)
    for group, position, covered in _groups(valid, positions, covering, len(sets)):
        policy = everyone[position] if position >= 0 else None
        adjustments = sets[covered]
        try:
            _judge_group(out, requests, group, policy, adjustments, as_of_us, imported)
        except (ValueError, OverflowError, NeedsScalar):
            _judge_scalar(out, book, requests, group, as_of, due_source, floor)
    return out


def _groups(
    valid: IntpArray, positions: Int64Array, covering: IntpArray, sets: int
) -> list[tuple[IntpArray, int, int]]:
    """The valid requests grouped by policy and covering adjustments: each
    group's rows, policy position and position in the covering sets."""
    keys = (positions.take(valid) + 1) * sets + covering
    if int(keys.max()) < 4 * len(keys) + 1024:
        present = np.flatnonzero(np.bincount(keys))
        groups = [valid[keys == key] for key in present.tolist()]
    else:
        order = np.argsort(keys, kind="stable")
        bounds = np.flatnonzero(np.diff(keys.take(order))) + 1
        groups = np.split(valid.take(order), bounds)
        present = keys.take(order).take(np.concatenate(([0], bounds)))
    return [
        (rows, int(key) // sets - 1, int(key) % sets)
        for rows, key in zip(groups, present.tolist(), strict=True)
    ]


class _Part(NamedTuple):
    """Requests of a group whose due dates come from one source."""

    rows: IntpArray  # positions in the group
    source: int  # code in DUE_SOURCES
    start: Int64Array  # the clock's origin
    due: Int64Array
    target: Target | None  # the clock; None: absolute time from receipt
    applied: tuple[Adjustment, ...]


def _judge_group(
    out: ColumnOutcomes,
    requests: Requests,
    rows: IntpArray,
    policy: Policy | None,
    adjustments: tuple[Adjustment, ...],
    as_of_us: int,
    imported: bool,
) -> None:
    """``evaluate._judged`` for valid requests sharing a policy and the
    adjustments that cover them."""
    exempting = tuple(a for a in adjustments if a.exempt)
    has_due = np.zeros(len(rows), dtype=bool)
    if imported and requests.due is not None:
        has_due = np.ones(len(rows), dtype=bool)
        if requests.due.missing is not None:
            has_due &= ~requests.due.missing.take(rows)
    received = requests.received.values.take(rows)
    tz = requests.tz
    parts: list[_Part] = []
    chosen = np.flatnonzero(has_due)
    if len(chosen):
        assert requests.due is not None
        due = requests.due.values.take(rows.take(chosen))
        r = received.take(chosen)
        if policy is None:
            parts.append(_Part(chosen, 1, r, due, None, exempting))
        else:
            start = origin_us(policy.target, r, policy.calendar)
            parts.append(_Part(chosen, 1, start, due, policy.target, exempting))
    chosen = np.flatnonzero(~has_due)
    if len(chosen):
        if policy is None:
            status = Status.EXEMPT if exempting else Status.NO_POLICY
            where = rows.take(chosen)
            out.status[where] = _CODE[status]
            out._set(where, exempting)
            if exempting:
                out.reason[where] = _exempt_reason(exempting)
        else:
            target, extensions, applied = adjusted(policy, adjustments)
            r = received.take(chosen)
            calendar = policy.calendar
            start = origin_us(target, r, calendar)
            due = due_us(target, r, calendar, tz)
            for adjustment in extensions:
                assert adjustment.extend is not None
                due = extend_us(adjustment.extend, due, calendar, tz)
            parts.append(_Part(chosen, 2, start, due, target, tuple(applied)))
    threshold = DEFAULT_AT_RISK if policy is None else policy.at_risk
    calendar = None if policy is None else policy.calendar
    for part in parts:
        where = rows.take(part.rows)
        _store_part(out, requests, where, part, calendar, threshold, as_of_us)
        if exempting:
            out.status[where] = _CODE[Status.EXEMPT]
            out.at_risk[where] = False
            out.late_by[where] = np.timedelta64("NaT")
            out.reason[where] = _exempt_reason(exempting)


def _store_part(
    out: ColumnOutcomes,
    requests: Requests,
    where: IntpArray,
    part: _Part,
    calendar: BusinessCalendar | None,
    threshold: float,
    as_of_us: int,
) -> None:
    """Time used, share, status and lateness of the requests ``where``."""
    start, due, target = part.start, part.due, part.target
    end, ended = _ends(requests, where, as_of_us)
    if target is None:
        used, allowed = end - start, due - start
    else:
        used = elapsed_us(target, calendar, start, end)
        allowed = elapsed_us(target, calendar, start, due)
    used = np.maximum(used, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(allowed > 0, used / np.maximum(allowed, 1), np.nan)
    status = np.where(
        ended,
        np.where(end <= due, _CODE[Status.MET], _CODE[Status.MISSED]),
        np.where(as_of_us > due, _CODE[Status.OVERDUE], _CODE[Status.OPEN]),
    ).astype(np.int8)
    out.status[where] = status
    out.due.view(np.int64)[where] = due
    out.due_source[where] = part.source
    out.used.view(np.int64)[where] = used
    out.share[where] = share
    out.late_by.view(np.int64)[where] = np.maximum(end - due, 0)
    out.at_risk[where] = (status == _CODE[Status.OPEN]) & (share >= threshold)
    out._set(where, part.applied)


def _ends(
    requests: Requests, rows: IntpArray, as_of_us: int
) -> tuple[Int64Array, BoolArray]:
    """The end of each request's life as known at ``as_of`` (its close, or
    ``as_of`` while open) and whether it had ended."""
    closed = requests.closed
    if closed is None:
        return np.full(len(rows), as_of_us, dtype=np.int64), np.zeros(
            len(rows), dtype=bool
        )
    values = closed.values.take(rows)
    ended = values <= as_of_us
    if closed.missing is not None:
        ended &= ~closed.missing.take(rows)
    return np.where(ended, values, as_of_us), ended


def _judge_scalar(
    out: ColumnOutcomes,
    book: PolicyBook,
    requests: Requests,
    rows: IntpArray,
    as_of: dt.datetime,
    due_source: DueSource,
    floor: dt.date,
) -> None:
    """The scalar outcome of each request in ``rows``; one whose values do
    not make a request (pauses that are not pairs of aware datetimes, say)
    is ``invalid`` with the reason."""
    batch, judged = [], []
    for i in rows.tolist():
        try:
            batch.append(requests.request(i))
        except (TypeError, ValueError) as error:
            out.status[i] = _CODE[Status.INVALID]
            out.reason[i] = str(error)
            continue
        judged.append(i)
    outcomes = book.evaluate(batch, as_of=as_of, due=due_source, sentinel_before=floor)
    for i, outcome in zip(judged, outcomes, strict=True):
        _store(out, i, outcome)


def _store(out: ColumnOutcomes, i: int, outcome: Outcome) -> None:
    out.status[i] = _CODE[outcome.status]
    out.policy[i] = next(
        (k for k, p in enumerate(out.policies) if p is outcome.policy), -1
    )
    if outcome.due is not None:
        out.due[i] = np.datetime64(to_us(outcome.due, "due"), "us")
    out.due_source[i] = DUE_SOURCES.index(outcome.due_source)
    if outcome.used is not None:
        out.used[i] = np.timedelta64(outcome.used, "us")
    out.share[i] = np.nan if outcome.share is None else outcome.share
    if outcome.late_by is not None:
        out.late_by[i] = np.timedelta64(outcome.late_by, "us")
    out.at_risk[i] = outcome.at_risk
    out.reason[i] = outcome.reason
    out._set(np.array([i], dtype=np.intp), outcome.adjustments)
