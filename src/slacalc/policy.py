"""SLA policies: a target, a goal, a calendar and the requests they cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from slacalc import _fields
from slacalc._clock import starts_at_opening
from slacalc._fields import Where
from slacalc._instants import local_us, to_us
from slacalc._state import picklable
from slacalc.calendar import BusinessCalendar
from slacalc.errors import PolicyError
from slacalc.evaluate import DEFAULT_AT_RISK, evaluate_request, policy_due
from slacalc.outcomes import Outcome, Request
from slacalc.targets import Target

if TYPE_CHECKING:
    from slacalc.outcomes import DueSource

__all__ = ["Policy"]


def _description(value: object) -> str:
    return _fields.text(value, "description")


def _effective_from(value: object) -> dt.date | None:
    return _fields.optional_date(value, "effective_from")


def _effective_until(value: object) -> dt.date | None:
    return _fields.optional_date(value, "effective_until")


@picklable
@attrs.frozen
class Policy:
    """A service-level agreement: a target, a goal and the requests it covers.

    Args:
        name: a name, unique within a :class:`~slacalc.PolicyBook`.
        target: a :class:`~slacalc.Target` or its text (``"5 business days"``).
        goal: the share of requests that should meet the target, in (0, 1].
        calendar: the office's :class:`~slacalc.BusinessCalendar`; required
            when the target counts business time or starts at the next
            opening. Its zone is the zone of due dates and of the effective
            period.
        services: the service codes covered; empty (the default) covers
            every service.
        where: attribute conditions, all of which must hold: attribute name
            to an accepted value or a list of them (``{"district": ["3",
            "4"]}``). Values compare as text, so ``3`` matches ``"3"``.
        at_risk: the share of the target used from which an open request is
            at risk, in (0, 1]; 0.75 by default.
        effective_from, effective_until: the first and the last local date
            of receipt (both included) on which the policy is in effect;
            ``None`` leaves that end open.
        description: free text.

    Raises:
        PolicyError: naming the argument that cannot be used.

    Examples:
        >>> import datetime as dt, holidays
        >>> import slacalc as sla
        >>> minnesota = holidays.country_holidays("US", subdiv="MN")
        >>> cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30",
        ...                            holidays=minnesota)
        >>> policy = Policy("Exterior nuisance", "5 business days", goal=0.9,
        ...                 calendar=cal, services=["NUIS-EXT"])
        >>> policy.due(dt.datetime(2026, 11, 20, 10, tzinfo=cal.tz)).isoformat()
        '2026-11-30T16:30:00-06:00'
    """

    name: str = attrs.field(converter=_fields.name)
    target: Target = attrs.field(converter=_fields.target)
    goal: float = attrs.field(converter=_fields.goal)
    calendar: BusinessCalendar | None = attrs.field(
        default=None, converter=_fields.calendar
    )
    services: tuple[str, ...] = attrs.field(default=(), converter=_fields.services)
    where: Where = attrs.field(factory=dict, converter=_fields.where, hash=False)
    at_risk: float = attrs.field(default=DEFAULT_AT_RISK, converter=_fields.share)
    effective_from: dt.date | None = attrs.field(
        default=None, converter=_effective_from
    )
    effective_until: dt.date | None = attrs.field(
        default=None, converter=_effective_until
    )
    description: str = attrs.field(default="", converter=_description)
    _period_us: tuple[int | None, int | None] | None = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    #: Whether it covers every request of its services (no where, no period).
    _plain: bool = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.calendar is None and starts_at_opening(self.target):
            raise PolicyError(
                f"calendar is required for the target {str(self.target)!r} of "
                f"policy {self.name!r}, got None",
                argument="calendar",
            )
        first, last = self.effective_from, self.effective_until
        if first is not None and last is not None and last < first:
            raise PolicyError(
                f"effective_until must not be before effective_from "
                f"({first.isoformat()}), got {last.isoformat()}",
                argument="effective_until",
                value=last,
            )
        period = None
        if self.calendar is not None and (first or last):
            tz = self.calendar.tz
            period = (
                None if first is None else local_us(first, 0, tz),
                None if last is None else local_us(last + dt.timedelta(1), 0, tz),
            )
        object.__setattr__(self, "_period_us", period)
        plain = not self.where and first is None and last is None
        object.__setattr__(self, "_plain", plain)

    def in_effect(self, received: dt.datetime) -> bool:
        """Whether the policy is in effect for a request received then.

        The local date of receipt, in the calendar's zone (or the zone of
        ``received`` when the policy has no calendar), must lie in the
        effective period.

        Examples:
            >>> import datetime as dt
            >>> p = Policy("Snow", "24 hours", goal=0.9,
            ...            effective_from=dt.date(2026, 11, 1))
            >>> p.in_effect(dt.datetime(2026, 10, 31, 23, tzinfo=dt.timezone.utc))
            False
        """
        return self._in_effect(received, to_us(received, "received"))

    def _in_effect(self, received: dt.datetime, received_us: int) -> bool:
        first, last = self.effective_from, self.effective_until
        if first is None and last is None:
            return True
        period = self._period_us
        if period is not None:
            lo, hi = period
            return (lo is None or lo <= received_us) and (
                hi is None or received_us < hi
            )
        day = received.date()
        return (first is None or first <= day) and (last is None or day <= last)

    def covers(self, request: Request) -> bool:
        """Whether the policy covers ``request``: its service, its attributes
        and its date of receipt. A request without a receipt time is covered
        only by a policy without an effective period.

        Examples:
            >>> import datetime as dt
            >>> from slacalc import Request
            >>> p = Policy("Ward 3 potholes", "48 hours", goal=0.8,
            ...            services=["POTHOLE"], where={"ward": 3})
            >>> p.covers(Request(id="1", service="POTHOLE", attributes={"ward": "3"}))
            True
        """
        if self.services and request.service not in self.services:
            return False
        return self._admits(request)

    def _admits(self, request: Request, received_us: int | None = None) -> bool:
        """Whether the attributes and the receipt fit (the service is known
        to); ``received_us`` is the instant of receipt, when known."""
        if self.where and not _fields.where_matches(self.where, request.attributes):
            return False
        if self.effective_from is None and self.effective_until is None:
            return True
        received = request.received
        if received is None:
            return False
        if received_us is None:
            received_us = request._received_us
            assert received_us is not None
        return self._in_effect(received, received_us)

    def due(
        self,
        received: dt.datetime,
        pauses: Iterable[tuple[dt.datetime, dt.datetime]] = (),
    ) -> dt.datetime:
        """The due date of a request received at ``received``.

        Each pause moves the due date later by the time paused, measured on
        the target's clock (open time for business targets). Overlapping
        pauses merge; time before the clock starts does not count.

        Raises:
            NaiveDatetimeError: when an instant has no zone.
            ValueError: when a pause ends before it starts.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> cal = sla.BusinessCalendar("UTC", "Mon-Fri 08:00-16:00")
            >>> p = Policy("Callback", "8 business hours", goal=0.9, calendar=cal)
            >>> mon = dt.datetime(2026, 3, 2, 9, tzinfo=cal.tz)
            >>> p.due(mon).isoformat()
            '2026-03-03T09:00:00+00:00'
            >>> waiting = (mon.replace(hour=10), mon.replace(hour=12))
            >>> p.due(mon, pauses=[waiting]).isoformat()
            '2026-03-03T11:00:00+00:00'
        """
        request = Request(id="", received=received, pauses=pauses)
        assert request.received is not None
        for start, end in request.pauses:
            if to_us(end, "pause end") < to_us(start, "pause start"):
                raise ValueError(
                    f"pauses must end after they start, got ({start.isoformat()}, "
                    f"{end.isoformat()})"
                )
        received_us = request._received_us
        assert received_us is not None
        return policy_due(self, self.target, (), request, received_us, None).due

    def evaluate(
        self,
        received: dt.datetime | None,
        closed: dt.datetime | None = None,
        *,
        as_of: dt.datetime,
        pauses: Iterable[tuple[dt.datetime, dt.datetime]] = (),
        due: dt.datetime | None = None,
        id: str = "",
        due_source: DueSource = "imported",
        explain: bool = False,
    ) -> Outcome:
        """Judge one request under this policy, as of ``as_of``.

        The policy's coverage is not checked. A record that cannot be judged
        gives an ``invalid`` outcome rather than an error.

        Args:
            received, closed: when the request was received and closed
                (``None`` while open). A close after ``as_of`` is not yet
                known at ``as_of``: the request counts as open.
            as_of: the instant to judge at.
            pauses: ``(start, end)`` spans during which the clock stood still.
            due: the due date the CRM published, used instead of the
                policy's when ``due_source`` is ``"imported"``.
            id: the request's identifier, for the outcome.
            due_source: ``"imported"`` or ``"policy"``, as in
                :meth:`PolicyBook.evaluate`.
            explain: fill ``Outcome.steps`` now (``explain()`` works either way).

        Examples:
            >>> import datetime as dt
            >>> p = Policy("Ballots", "24 hours", goal=0.95)
            >>> t = dt.datetime(2026, 10, 1, 9, tzinfo=dt.timezone.utc)
            >>> closed = t + dt.timedelta(hours=30)
            >>> o = p.evaluate(t, closed, as_of=closed)
            >>> o.status.value, o.late_by
            ('missed', datetime.timedelta(seconds=21600))
        """
        request = Request(
            id=id, received=received, closed=closed, pauses=pauses, due=due
        )
        return evaluate_request(
            request,
            self,
            (),
            as_of,
            due_source=_fields.due_source(due_source),
            explain=explain,
        )
