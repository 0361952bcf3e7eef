"""Evaluation: one request judged against its policy and adjustments.

The rules, in the order they are applied:

1. A record that cannot be judged is ``invalid``, with its reason: a
   loader's reasons in ``attributes["_invalid"]`` (an unreadable or
   sentinel date in the source file); no receipt time; a sentinel date
   (any date before 1901-01-01 by default, such as NYC's ``01/01/1900``);
   closed before it was received; an imported due date (when used) before
   receipt; a pause that ends before it starts; a due date that cannot be
   computed.
2. An exempting adjustment makes it ``exempt`` (its due date is still
   computed, for information).
3. Its due date: the imported one when ``due="imported"`` and the request
   carries one, taken as published (pauses and adjustments other than
   exemptions do not move it); otherwise its policy's. Without either it is
   ``no_policy``.
4. A policy's due date: the last replacing adjustment's target, or the
   policy's, counted from receipt; moved out by the time paused, measured on
   the target's clock; then moved by each extending adjustment, in the
   book's order.
5. Its status as of ``as_of``: ``met`` when closed at or before the due
   date (the deadline is inclusive), ``missed`` when closed after it,
   ``overdue`` when open and ``as_of`` is past it, ``open`` otherwise. A
   close after ``as_of`` is not yet known: the request counts as open.

Pauses count only within the life of the request as known at ``as_of``:
from the start of the clock to the close (or to ``as_of`` while open).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import attrs

from slacalc._clock import clock_add_us, clock_elapsed_us, clock_origin_us
from slacalc._clock import due_us as fast_due_us
from slacalc._instants import US_PER_DAY, from_us, to_us
from slacalc.loading import INVALID
from slacalc.outcomes import DueSource, Outcome, Request, Status
from slacalc.targets import Target

if TYPE_CHECKING:
    from slacalc.adjust import Adjustment
    from slacalc.policy import Policy

# The functions below the constants are the machinery of Policy.evaluate
# and PolicyBook.evaluate (and of the columnar path, which mirrors them);
# they are not part of the public API.
__all__ = ["DEFAULT_AT_RISK", "SENTINEL_BEFORE", "DueDifference"]

#: Dates before this one are sentinels for a missing value, not real dates.
SENTINEL_BEFORE = dt.date(1901, 1, 1)
#: The share of the target used from which an open request is at risk.
DEFAULT_AT_RISK = 0.75

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ZERO = dt.timedelta(0)
# A microsecond: ``_US * n`` builds a timedelta about three times faster than
# ``timedelta(microseconds=n)``.
_US = dt.timedelta(microseconds=1)
# Enum members are slow to look up on the class, and the hot path uses them.
_MET, _MISSED, _OVERDUE, _OPEN = Status.MET, Status.MISSED, Status.OVERDUE, Status.OPEN
_EXEMPT, _NO_POLICY, _INVALID = Status.EXEMPT, Status.NO_POLICY, Status.INVALID


def _us(t: dt.datetime) -> int:
    """The instant of an aware datetime that a :class:`Request` has checked."""
    d = t - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


class DueDate(NamedTuple):
    """A policy's due date for one request, with how it was reached."""

    due: dt.datetime
    due_us: int
    #: The instant the target's clock started, or one from which it counts
    #: the same (see ``clock_origin_us``).
    start_us: int
    #: Time paused on the target's clock.
    paused_us: int
    #: The pauses counted: merged, clipped to the request's life.
    pauses: tuple[tuple[int, int], ...]


def counted_pauses(
    pauses: Sequence[tuple[dt.datetime, dt.datetime]], lo: int, hi: int | None
) -> tuple[tuple[int, int], ...]:
    """Pauses merged where they overlap or touch and clipped to ``[lo, hi]``."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted((_us(a), _us(b)) for a, b in pauses):
        a = max(a, lo)
        if hi is not None:
            b = min(b, hi)
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return tuple(merged)


def adjusted(
    policy: Policy, adjustments: Sequence[Adjustment]
) -> tuple[Target, Sequence[Adjustment], tuple[Adjustment, ...]]:
    """The target, the extensions and the adjustments that apply, from the
    adjustments that cover a request (in the book's order).

    The last replacing adjustment's target replaces the policy's; every
    extension applies, in order; exemptions are recorded.
    """
    if not adjustments:
        return policy.target, (), ()
    target = policy.target
    chosen = None
    for adjustment in adjustments:
        if adjustment.target is not None:
            target, chosen = adjustment.target, adjustment
    extensions = [a for a in adjustments if a.extend is not None]
    applied = tuple(
        a for a in adjustments if a.exempt or a.extend is not None or a is chosen
    )
    return target, extensions, applied


def policy_due(
    policy: Policy,
    target: Target,
    extensions: Sequence[Adjustment],
    request: Request,
    received_us: int,
    end_us: int | None,
) -> DueDate:
    """The due date of a valid ``request`` under ``policy``.

    ``target`` is the policy's or a replacement; ``received_us`` is the
    instant of receipt; pauses count up to ``end_us`` (``None``: all).
    """
    return DueDate(
        *_policy_due(policy, target, extensions, request, received_us, end_us)
    )


def _policy_due(
    policy: Policy,
    target: Target,
    extensions: Sequence[Adjustment],
    request: Request,
    received_us: int,
    end_us: int | None,
) -> tuple[dt.datetime, int, int, int, tuple[tuple[int, int], ...]]:
    """:func:`policy_due` as a plain tuple, for the hot path."""
    calendar = policy.calendar
    received = request.received
    assert received is not None
    start = clock_origin_us(target, calendar, received_us)
    due: dt.datetime | None = None
    due_us = fast_due_us(target, calendar, received, received_us)
    if due_us is None:
        due = target.due(received, calendar)
        due_us = _us(due)
    paused = 0
    counted: tuple[tuple[int, int], ...] = ()
    if request.pauses:
        counted = counted_pauses(request.pauses, start, end_us)
        for a, b in counted:
            paused += clock_elapsed_us(target, calendar, a, b)
        if paused > 0:
            due_us = clock_add_us(target, calendar, due_us, paused)
            due = None
    if due is None:
        zone = received.tzinfo if calendar is None else calendar.tz
        assert zone is not None
        due = from_us(due_us, zone)
    for adjustment in extensions:
        due = adjustment.extend_due(due, calendar)
        due_us = _us(due)
    return due, due_us, start, paused, counted


@functools.lru_cache(maxsize=8)
def _day_after_us(floor: dt.date) -> int:
    """Midnight UTC the day after ``floor``: any instant from then on falls on
    or after ``floor`` in every zone."""
    return _us(dt.datetime.combine(floor, dt.time(), dt.UTC)) + US_PER_DAY


def _sentinel(field: str, value: dt.datetime, floor: dt.date) -> str:
    return (
        f"{field} is a sentinel date, not a real one: {value.isoformat()} "
        f"(before {floor.isoformat()})"
    )


def invalid_reason(
    request: Request, use_due: bool, floor: dt.date = SENTINEL_BEFORE
) -> str | None:
    """Why ``request`` cannot be judged, or ``None`` when it can.

    ``use_due``: whether its imported due date will be used. A loader's
    reasons in ``attributes["_invalid"]`` come first.
    """
    flagged = request.attributes.get(INVALID)
    if flagged:
        return str(flagged)
    received = request.received
    received_us = request._received_us
    if received is None or received_us is None:
        return "no receipt time"
    if received.date() < floor:
        return _sentinel("received", received, floor)
    closed = request.closed
    closed_us = request._closed_us
    if closed is not None and closed_us is not None:
        if closed.date() < floor:
            return _sentinel("closed", closed, floor)
        if closed_us < received_us:
            return (
                f"closed before it was received (received {received.isoformat()}, "
                f"closed {closed.isoformat()})"
            )
    due = request.due
    due_us = request._due_us
    if use_due and due is not None and due_us is not None:
        if due.date() < floor:
            return _sentinel("due", due, floor)
        if due_us < received_us:
            return (
                f"due before it was received (received {received.isoformat()}, "
                f"due {due.isoformat()})"
            )
    for start, end in request.pauses:
        if _us(end) < _us(start):
            return (
                f"a pause ends before it starts ({start.isoformat()} to "
                f"{end.isoformat()})"
            )
    return None


def _exempt_reason(exempting: Sequence[Adjustment]) -> str:
    return "exempted by " + "; ".join(f"{a.name!r} ({a.reason})" for a in exempting)


def judge(
    request: Request,
    policy: Policy | None,
    adjustments: Sequence[Adjustment],
    as_of: dt.datetime,
    as_of_us: int,
    imported: bool,
    floor: dt.date = SENTINEL_BEFORE,
) -> Outcome:
    """One request's outcome; see the module's rules.

    ``adjustments`` are those that cover the request, in the book's order;
    ``imported`` says whether an imported due date is used when present.
    """
    # The common, valid record passes on integer comparisons alone: received
    # a day past the floor (so in any zone on or after it), closed and due
    # not before it, no pauses to check.
    received_us = request._received_us
    closed_us = request._closed_us
    due_us = request._due_us if imported else None
    if (
        received_us is not None
        and received_us >= _day_after_us(floor)
        and (closed_us is None or closed_us >= received_us)
        and (due_us is None or due_us >= received_us)
        and not request.pauses
        and INVALID not in request.attributes
    ):
        reason = None
    else:
        reason = invalid_reason(request, imported, floor)
    if reason is None:
        try:
            return _judged(request, policy, adjustments, as_of, as_of_us, imported)
        except (ValueError, OverflowError) as error:
            reason = f"the due date cannot be computed: {error}"
    return Outcome(
        id=request.id,
        status=_INVALID,
        as_of=as_of,
        service=request.service,
        received=request.received,
        closed=request.closed,
        policy=policy,
        reason=reason,
        attributes=request.attributes,
    )


def _judged(
    request: Request,
    policy: Policy | None,
    adjustments: Sequence[Adjustment],
    as_of: dt.datetime,
    as_of_us: int,
    imported: bool,
) -> Outcome:
    received = request.received
    received_us = request._received_us
    assert received is not None
    assert received_us is not None
    closed = request.closed
    closed_us = request._closed_us
    ended = closed_us is not None and closed_us <= as_of_us
    end = closed_us if closed_us is not None and ended else as_of_us
    exempting = [a for a in adjustments if a.exempt] if adjustments else ()

    source: DueSource
    counted: tuple[tuple[int, int], ...] = ()
    paused = 0
    due = request.due
    if imported and due is not None:
        source = "imported"
        due_us = _us(due) if request._due_us is None else request._due_us
        applied: tuple[Adjustment, ...] = tuple(exempting)
        if policy is None:
            start, calendar, target, threshold = received_us, None, None, None
        else:
            target, calendar = policy.target, policy.calendar
            start = clock_origin_us(target, calendar, received_us)
            threshold = policy.at_risk
    elif policy is None:
        return Outcome(
            id=request.id,
            status=_EXEMPT if exempting else _NO_POLICY,
            as_of=as_of,
            service=request.service,
            received=received,
            closed=closed,
            adjustments=tuple(exempting),
            reason=_exempt_reason(exempting) if exempting else None,
            attributes=request.attributes,
        )
    else:
        source = "policy"
        calendar, threshold = policy.calendar, policy.at_risk
        if adjustments:
            target, extensions, applied = adjusted(policy, adjustments)
        else:
            target, extensions, applied = policy.target, (), ()
        due, due_us, start, paused, counted = _policy_due(
            policy, target, extensions, request, received_us, end
        )

    if target is not None and target.business:
        assert calendar is not None
        used = calendar._elapsed_us(start, end) - paused
        allowed = calendar._elapsed_us(start, due_us) - paused
    else:
        used, allowed = end - start - paused, due_us - start - paused
    if used < 0:
        used = 0
    share = used / allowed if allowed > 0 else None
    if ended:
        status = _MET if end <= due_us else _MISSED
    else:
        status = _OVERDUE if as_of_us > due_us else _OPEN
    late = end - due_us
    late_by: dt.timedelta | None = _US * late if late > 0 else _ZERO
    at_risk = (
        status is _OPEN
        and share is not None
        and share >= (DEFAULT_AT_RISK if threshold is None else threshold)
    )
    reason = None
    if exempting:
        status, at_risk, late_by = _EXEMPT, False, None
        reason = _exempt_reason(exempting)
    pauses: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    if counted:
        tz = due.tzinfo
        assert tz is not None
        pauses = tuple((from_us(a, tz), from_us(b, tz)) for a, b in counted)
    return Outcome(
        id=request.id,
        status=status,
        as_of=as_of,
        service=request.service,
        received=received,
        closed=closed,
        due=due,
        due_source=source,
        used=_US * used,
        share=share,
        late_by=late_by,
        at_risk=at_risk,
        policy=policy,
        adjustments=applied,
        reason=reason,
        attributes=request.attributes,
        pauses=pauses,
    )


def evaluate_request(
    request: Request,
    policy: Policy | None,
    adjustments: Sequence[Adjustment],
    as_of: dt.datetime,
    *,
    due_source: DueSource = "imported",
    explain: bool = False,
    sentinel_before: dt.date = SENTINEL_BEFORE,
) -> Outcome:
    """Judge ``request`` under ``policy`` and ``adjustments`` (which must
    cover it, in the book's order) as of ``as_of``."""
    outcome = judge(
        request,
        policy,
        adjustments,
        as_of,
        to_us(as_of, "as_of"),
        due_source == "imported",
        sentinel_before,
    )
    return with_steps(outcome) if explain else outcome


def with_steps(outcome: Outcome) -> Outcome:
    """``outcome`` with its explanation stored in ``steps``."""
    from slacalc._explain import explain_steps

    return attrs.evolve(outcome, steps=explain_steps(outcome))


@attrs.frozen
class DueDifference:
    """A request whose imported due date differs from its policy's.

    Attributes:
        id: the request's identifier.
        service: its service code.
        policy: the policy that computed ``computed``.
        imported: the due date the CRM published.
        computed: the due date the policy (and adjustments) give.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> d = DueDifference("1", "POTHOLE", sla.Policy("P", "24 hours", goal=0.9),
        ...                   imported=t + dt.timedelta(hours=25),
        ...                   computed=t + dt.timedelta(hours=24))
        >>> d.difference
        datetime.timedelta(seconds=3600)
    """

    id: str
    service: str | None
    policy: Policy
    imported: dt.datetime
    computed: dt.datetime

    @property
    def difference(self) -> dt.timedelta:
        """``imported - computed`` as absolute time: positive when the CRM's
        due date is later.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> p = sla.Policy("P", "24 hours", goal=0.9)
            >>> DueDifference("1", None, p, imported=t, computed=t).difference
            datetime.timedelta(0)
        """
        return dt.timedelta(microseconds=_us(self.imported) - _us(self.computed))
