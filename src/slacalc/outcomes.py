"""Requests and their outcomes: the records evaluation reads and writes."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from slacalc._instants import to_us
from slacalc._state import picklable

if TYPE_CHECKING:
    from slacalc.adjust import Adjustment
    from slacalc.policy import Policy

__all__ = ["DueSource", "Outcome", "Request", "Status"]

#: Where an outcome's due date came from.
DueSource: TypeAlias = Literal["imported", "policy"]


class Status(enum.Enum):
    """The status of one request as of an instant.

    ``status.value`` is the lower-case name used in tables and files.

    Examples:
        >>> Status.MET.value, Status("no_policy")
        ('met', <Status.NO_POLICY: 'no_policy'>)
    """

    #: Closed at or before its due date.
    MET = "met"
    #: Closed after its due date.
    MISSED = "missed"
    #: Still open, and its due date has passed.
    OVERDUE = "overdue"
    #: Still open, not yet due.
    OPEN = "open"
    #: An adjustment exempted it from compliance.
    EXEMPT = "exempt"
    #: No policy covers it and it carries no imported due date.
    NO_POLICY = "no_policy"
    #: The record cannot be judged; the outcome's ``reason`` says why.
    INVALID = "invalid"

    def __str__(self) -> str:
        return self.value


def _optional_instant(value: object, argument: str) -> dt.datetime | None:
    if value is None:
        return None
    if value.__class__ is not dt.datetime or value.tzinfo is None:
        # A subclass, a naive datetime or not a datetime: the full check,
        # which raises for the last two. Plain aware datetimes are checked
        # when their instant is worked out, in Request.__attrs_post_init__.
        to_us(value, argument)
    assert isinstance(value, dt.datetime)
    return value


def _received(value: object) -> dt.datetime | None:
    return _optional_instant(value, "received")


def _closed(value: object) -> dt.datetime | None:
    return _optional_instant(value, "closed")


def _due(value: object) -> dt.datetime | None:
    return _optional_instant(value, "due")


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    # A read-only view is kept as it is, so that an outcome shares its
    # request's attributes rather than copying them for every evaluation.
    if value.__class__ is MappingProxyType:
        assert value is not None
        return value
    return MappingProxyType(dict(value or {}))


def _pauses(
    value: Iterable[tuple[dt.datetime, dt.datetime]] | None,
) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    pauses = []
    for item in value or ():
        try:
            start, end = item
        except (TypeError, ValueError):
            raise TypeError(
                f"pauses must be (start, end) pairs of aware datetimes, got {item!r}"
            ) from None
        to_us(start, "pause start")
        to_us(end, "pause end")
        pauses.append((start, end))
    return tuple(pauses)


@picklable
@attrs.frozen(eq=True)
class Request:
    """One service request as a CRM records it.

    Records that cannot be judged (no receipt time, closed before received)
    may still be built; evaluating them gives an ``invalid`` outcome with its
    reason, so a batch never stops on one bad row. A datetime without a zone
    is refused at once, since no rule can say which instant it means.

    Attributes:
        id: the request's identifier.
        service: its service code or type, which policies match on.
        received: when it was received, or ``None`` when the record lacks it.
        closed: when it was closed, or ``None`` while open.
        attributes: other fields policies and reports may use (district,
            department, priority), as a read-only mapping (copied, unless
            given as a ``types.MappingProxyType``, which is kept as it is;
            a pickled request loads with a copy).
        pauses: ``(start, end)`` spans during which its clock stood still.
        due: the due date the CRM itself published, if any.

    Examples:
        >>> import datetime as dt
        >>> t0 = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.timezone.utc)
        >>> request = Request(id="101", service="POTHOLE", received=t0,
        ...                   attributes={"district": "3"})
        >>> request.attributes["district"], request.closed
        ('3', None)
    """

    id: str = attrs.field(converter=str)
    service: str | None = None
    received: dt.datetime | None = attrs.field(default=None, converter=_received)
    closed: dt.datetime | None = attrs.field(default=None, converter=_closed)
    attributes: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_mapping, hash=False
    )
    pauses: tuple[tuple[dt.datetime, dt.datetime], ...] = attrs.field(
        default=(), converter=_pauses
    )
    due: dt.datetime | None = attrs.field(default=None, converter=_due)
    # The instants of received, closed and due (microseconds since the
    # epoch), worked out once here rather than at every evaluation.
    _received_us: int | None = attrs.field(init=False, eq=False, hash=False, repr=False)
    _closed_us: int | None = attrs.field(init=False, eq=False, hash=False, repr=False)
    _due_us: int | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        setattr_ = object.__setattr__
        received, closed, due = self.received, self.closed, self.due
        setattr_(
            self,
            "_received_us",
            None if received is None else to_us(received, "received"),
        )
        setattr_(
            self, "_closed_us", None if closed is None else to_us(closed, "closed")
        )
        setattr_(self, "_due_us", None if due is None else to_us(due, "due"))


@picklable
@attrs.frozen(eq=True)
class Outcome:
    """One request judged as of an instant.

    Attributes:
        id: the request's identifier.
        status: the :class:`Status`.
        service: the request's service code.
        received, closed: from the request.
        as_of: the instant it was judged at.
        due: its due date, or ``None`` when there is none.
        due_source: ``"imported"`` when the CRM's own due date was used,
            ``"policy"`` when a policy computed it.
        used: time used on the target's clock, from the start of the clock
            to the close (or ``as_of`` while open), pauses left out.
        share: ``used`` as a share of the target (1.0 = all of it).
        late_by: how far past the due date it closed or stands (zero when
            on time; ``None`` without a due date).
        at_risk: open, not yet due, and past the policy's at-risk threshold.
        policy: the policy that applied, if any.
        adjustments: the adjustments that applied, in the order applied.
        reason: why an ``invalid`` or ``exempt`` outcome is so.
        attributes: the request's attributes.
        steps: the lines of :meth:`explain` after its first, stored when
            the outcome was evaluated with ``explain=True``; empty
            otherwise (``explain()`` then works them out when called).
        pauses: the pauses that moved a policy's due date: merged where
            they overlap and clipped to the request's life (from the start
            of the clock to the close, or ``as_of`` while open).

    Examples:
        >>> import datetime as dt
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcome = Outcome(id="1", status=Status.MET, received=t,
        ...                   closed=t + dt.timedelta(hours=2), as_of=t,
        ...                   due=t + dt.timedelta(hours=4), due_source="imported")
        >>> outcome.status.value, outcome.goal
        ('met', None)
    """

    id: str
    status: Status
    as_of: dt.datetime
    service: str | None = None
    received: dt.datetime | None = None
    closed: dt.datetime | None = None
    due: dt.datetime | None = None
    due_source: DueSource | None = None
    used: dt.timedelta | None = None
    share: float | None = None
    late_by: dt.timedelta | None = None
    at_risk: bool = False
    policy: Policy | None = None
    adjustments: tuple[Adjustment, ...] = ()
    reason: str | None = None
    attributes: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_mapping, hash=False
    )
    steps: tuple[str, ...] = ()
    pauses: tuple[tuple[dt.datetime, dt.datetime], ...] = ()

    @property
    def goal(self) -> float | None:
        """The goal of the policy that applied, or ``None``.

        Examples:
            >>> import datetime as dt
            >>> t = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
            >>> Outcome(id="1", status=Status.NO_POLICY, as_of=t).goal is None
            True
        """
        return None if self.policy is None else self.policy.goal

    @property
    def policy_name(self) -> str | None:
        """The name of the policy that applied, or ``None``.

        Examples:
            >>> import datetime as dt
            >>> t = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
            >>> Outcome(id="1", status=Status.INVALID, as_of=t).policy_name is None
            True
        """
        return None if self.policy is None else self.policy.name

    def explain(self) -> str:
        """How the due date and the status were reached, in plain words.

        The first line gives the status (and the reason of an ``invalid`` or
        ``exempt`` outcome); the others the start of the clock, holidays and
        closures skipped, pauses, adjustments and the comparison with the
        due date.

        Examples:
            >>> import datetime as dt
            >>> t = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
            >>> print(Outcome(id="7", status=Status.INVALID, as_of=t,
            ...               reason="closed before it was received").explain())
            Request 7: invalid (closed before it was received).
        """
        head = f"Request {self.id}: {self.status.value}"
        if self.reason:
            head += f" ({self.reason})"
        steps = self.steps
        if not steps and self.status is not Status.INVALID:
            from slacalc._explain import explain_steps

            steps = explain_steps(self)
        return "\n".join([head + ".", *steps])
