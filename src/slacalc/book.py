"""Policy books: ordered policies and adjustments, evaluated together."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs

from slacalc import _book_checks, _fields
from slacalc._instants import to_us
from slacalc._state import picklable
from slacalc.adjust import Adjustment
from slacalc.calendar import BusinessCalendar
from slacalc.errors import PolicyError
from slacalc.evaluate import (
    SENTINEL_BEFORE,
    DueDifference,
    adjusted,
    invalid_reason,
    judge,
    policy_due,
    with_steps,
)
from slacalc.outcomes import DueSource, Outcome, Request
from slacalc.policy import Policy

__all__ = ["PolicyBook"]


def _by_service(
    items: Sequence[Policy | Adjustment],
) -> tuple[dict[str | None, tuple[int, ...]], tuple[int, ...]]:
    """Positions of the items that may cover each service code, in order,
    and of those that cover every service."""
    codes = {code for item in items for code in item.services}
    index: dict[str | None, tuple[int, ...]] = {
        code: tuple(
            i
            for i, item in enumerate(items)
            if not item.services or code in item.services
        )
        for code in codes
    }
    return index, tuple(i for i, item in enumerate(items) if not item.services)


@picklable
@attrs.frozen
class PolicyBook:
    """A city's SLAs: policies in order, a default, and adjustments.

    The first policy that covers a request (its service, attributes and
    effective period) wins; the default, when given, takes the rest.

    Adjustments apply in the order listed, to the requests they cover: an
    exemption wins over everything (the request is ``exempt``); the last
    replacing target replaces the policy's; extensions then move the due
    date out one after another, after pauses. Replacements and extensions
    move only due dates computed from a policy, not imported ones.

    Args:
        policies: :class:`~slacalc.Policy` values with unique names.
        adjustments: :class:`~slacalc.Adjustment` values with unique names.
        default: a policy without ``services`` or ``where`` for the
            requests no other policy covers.
        calendars: names for calendars, used when saving to TOML (others get
            made-up names); not part of equality.

    Raises:
        PolicyError: for a bad argument, a repeated name, or an adjustment
            on business time that may cover a policy without a calendar.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
        >>> book = PolicyBook(
        ...     [sla.Policy("Potholes", "2 business days", goal=0.9,
        ...                 calendar=cal, services=["POTHOLE"])],
        ...     default=sla.Policy("Other", "10 business days", goal=0.8,
        ...                        calendar=cal))
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=cal.tz)
        >>> requests = [sla.Request(id="1", service="POTHOLE", received=t),
        ...             sla.Request(id="2", service="GRAFFITI", received=t,
        ...                         closed=t + dt.timedelta(days=1))]
        >>> for o in book.evaluate(requests, as_of=t + dt.timedelta(days=3)):
        ...     print(o.id, o.policy_name, o.status.value, o.due.isoformat())
        1 Potholes overdue 2026-03-04T16:30:00-06:00
        2 Other met 2026-03-16T16:30:00-05:00
    """

    policies: tuple[Policy, ...] = attrs.field(converter=_book_checks.policies)
    adjustments: tuple[Adjustment, ...] = attrs.field(
        default=(), converter=_book_checks.adjustments
    )
    default: Policy | None = attrs.field(default=None, converter=_book_checks.default)
    calendars: Mapping[str, BusinessCalendar] = attrs.field(
        factory=dict, converter=_book_checks.calendar_names, eq=False
    )
    _policy_index: dict[str | None, tuple[int, ...]] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _general_policies: tuple[int, ...] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _adjustment_index: dict[str | None, tuple[int, ...]] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _general_adjustments: tuple[int, ...] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        everyone = [(f"policies[{i}]", p) for i, p in enumerate(self.policies)]
        if self.default is not None:
            everyone.append(("default", self.default))
        _book_checks.check_unique("policies and default", everyone)
        _book_checks.check_unique(
            "adjustments",
            [(f"adjustments[{i}]", a) for i, a in enumerate(self.adjustments)],
        )
        for i, adjustment in enumerate(self.adjustments):
            _book_checks.check_calendars(f"adjustments[{i}]", adjustment, everyone)
        setattr_ = object.__setattr__
        index, general = _by_service(self.policies)
        setattr_(self, "_policy_index", index)
        setattr_(self, "_general_policies", general)
        index, general = _by_service(self.adjustments)
        setattr_(self, "_adjustment_index", index)
        setattr_(self, "_general_adjustments", general)

    # Lookup

    def policy_for(self, request: Request) -> Policy | None:
        """The policy that covers ``request``: the first in order, else the
        default, else ``None``.

        Examples:
            >>> import slacalc as sla
            >>> book = PolicyBook([sla.Policy("Ward 3", "48 hours", goal=0.9,
            ...                               where={"ward": "3"})])
            >>> book.policy_for(sla.Request(id="1", attributes={"ward": 3})).name
            'Ward 3'
            >>> book.policy_for(sla.Request(id="2", attributes={"ward": 4})) is None
            True
        """
        return self._policy_for(request, None)

    def _policy_for(self, request: Request, received_us: int | None) -> Policy | None:
        policies = self.policies
        positions = self._policy_index.get(request.service, self._general_policies)
        for i in positions:
            policy = policies[i]
            if policy._plain or policy._admits(request, received_us):
                return policy
        default = self.default
        if default is not None and default._admits(request, received_us):
            return default
        return None

    def adjustments_for(
        self, request: Request, policy: Policy | None = None
    ) -> tuple[Adjustment, ...]:
        """The adjustments that cover ``request``, in the book's order.

        Args:
            request: the request.
            policy: the policy whose calendar's zone gives the local date of
                receipt; by default :meth:`policy_for` finds it.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> spring = sla.Adjustment("Spring", "potholes", months=[3, 4],
            ...                         extend="24 hours")
            >>> book = PolicyBook([sla.Policy("All", "48 hours", goal=0.9)],
            ...                   adjustments=[spring])
            >>> t = dt.datetime(2026, 3, 9, 10, tzinfo=dt.timezone.utc)
            >>> [a.name for a in book.adjustments_for(sla.Request(id="1", received=t))]
            ['Spring']
        """
        if policy is None:
            policy = self.policy_for(request)
        return self._adjustments_for(request, policy, None)

    def _adjustments_for(
        self, request: Request, policy: Policy | None, received_us: int | None
    ) -> tuple[Adjustment, ...]:
        positions = self._adjustment_index.get(
            request.service, self._general_adjustments
        )
        if not positions:
            return ()
        adjustments = self.adjustments
        received = request.received
        if received_us is None:
            received_us = request._received_us
        tz = policy.calendar.tz if policy and policy.calendar else None
        found = []
        for i in positions:
            adjustment = adjustments[i]
            if adjustment.where and not _fields.where_matches(
                adjustment.where, request.attributes
            ):
                continue
            if received is None:
                if adjustment.window is None and not adjustment.months:
                    found.append(adjustment)
            elif adjustment.covers_receipt(received, received_us or 0, tz):
                found.append(adjustment)
        return tuple(found)

    # Evaluation

    def evaluate(
        self,
        requests: Iterable[Request],
        *,
        as_of: dt.datetime,
        due: DueSource = "imported",
        sentinel_before: dt.date = SENTINEL_BEFORE,
        explain: bool = False,
    ) -> Iterator[Outcome]:
        """Judge each request as of ``as_of``, one outcome per request, lazily.

        Nothing is dropped and no record stops the batch: a record that
        cannot be judged gives an ``invalid`` outcome with its reason (see
        :mod:`slacalc.evaluate` for the rules).

        Args:
            requests: any iterable of :class:`~slacalc.Request`; read one at
                a time, as the outcomes are consumed.
            as_of: the instant to judge at. A close after it is not yet
                known: such a request counts as open.
            due: ``"imported"`` (default): a request's imported due date
                when it has one, even if no policy covers it, and its
                policy's otherwise; ``"policy"``: every due date from the
                policies.
            sentinel_before: dates before this one are sentinels, which make
                a record invalid (1901-01-01 by default).
            explain: fill ``Outcome.steps`` now rather than on demand.

        Raises:
            NaiveDatetimeError: when ``as_of`` has no zone.
            PolicyError: when ``due`` is neither ``"imported"`` nor ``"policy"``.
            TypeError: when an item is not a Request (raised as it is reached).

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> book = PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
            >>> t = dt.datetime(2026, 10, 1, 9, tzinfo=dt.timezone.utc)
            >>> early = t - dt.timedelta(hours=1)
            >>> requests = [sla.Request(id="1", received=t),
            ...             sla.Request(id="2", received=t, closed=early)]
            >>> [(o.id, o.status.value) for o in book.evaluate(requests, as_of=t)]
            [('1', 'open'), ('2', 'invalid')]
        """
        as_of_us = to_us(as_of, "as_of")
        imported = _fields.due_source(due) == "imported"
        floor = _fields.optional_date(sentinel_before, "sentinel_before")
        if floor is None:
            raise PolicyError("sentinel_before must be a datetime.date, got None")
        if not isinstance(requests, Iterable):
            raise TypeError(
                f"requests must be an iterable of Request, got {requests!r}"
            )
        return self._evaluate(iter(requests), as_of, as_of_us, imported, floor, explain)

    def _evaluate(
        self,
        requests: Iterator[Request],
        as_of: dt.datetime,
        as_of_us: int,
        imported: bool,
        floor: dt.date,
        explain: bool,
    ) -> Iterator[Outcome]:
        policy_for = self._policy_for
        adjustments_for = self._adjustments_for
        for request in requests:
            if request.__class__ is not Request and not isinstance(request, Request):
                raise TypeError(f"requests must hold Request values, got {request!r}")
            received_us = request._received_us
            policy = policy_for(request, received_us)
            adjustments = adjustments_for(request, policy, received_us)
            outcome = judge(
                request, policy, adjustments, as_of, as_of_us, imported, floor
            )
            yield with_steps(outcome) if explain else outcome

    def evaluate_one(
        self,
        request: Request,
        *,
        as_of: dt.datetime,
        due: DueSource = "imported",
        sentinel_before: dt.date = SENTINEL_BEFORE,
        explain: bool = False,
    ) -> Outcome:
        """The outcome of one request; see :meth:`evaluate`.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> book = PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
            >>> t = dt.datetime(2026, 10, 1, 9, tzinfo=dt.timezone.utc)
            >>> book.evaluate_one(sla.Request(id="1", received=t), as_of=t).status
            <Status.OPEN: 'open'>
        """
        outcomes = self.evaluate(
            [request],
            as_of=as_of,
            due=due,
            sentinel_before=sentinel_before,
            explain=explain,
        )
        return next(outcomes)

    def due(self, request: Request) -> dt.datetime | None:
        """The due date of ``request`` from its policy and adjustments.

        For a new request: what to show the resident, or Open311's
        ``expected_datetime``. Pauses count in full; an imported due date is
        ignored. ``None`` when no policy covers the request.

        Raises:
            ValueError: when the request has no receipt time or a pause ends
                before it starts.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
            >>> book = PolicyBook([sla.Policy("Potholes", "2 business days",
            ...                               goal=0.9, calendar=cal)])
            >>> t = dt.datetime(2026, 3, 6, 17, tzinfo=cal.tz)
            >>> book.due(sla.Request(id="1", received=t)).isoformat()
            '2026-03-11T16:30:00-05:00'
        """
        if request.received is None:
            raise ValueError(
                f"request.received must be an aware datetime to compute a due "
                f"date, got None (request {request.id!r})"
            )
        reason = invalid_reason(request, use_due=False)
        if reason is not None:
            raise ValueError(f"request {request.id!r} cannot be judged: {reason}")
        policy = self.policy_for(request)
        if policy is None:
            return None
        received_us = request._received_us
        assert received_us is not None
        adjustments = self._adjustments_for(request, policy, received_us)
        target, extensions, _ = adjusted(policy, adjustments)
        return policy_due(policy, target, extensions, request, received_us, None).due

    def due_differences(
        self,
        requests: Iterable[Request],
        *,
        as_of: dt.datetime | None = None,
        tolerance: dt.timedelta = dt.timedelta(0),
    ) -> Iterator[DueDifference]:
        """The requests whose imported due date differs from their policy's.

        Requests without an imported due date, without a policy, or that
        cannot be judged are passed over.

        Args:
            requests: any iterable of :class:`~slacalc.Request`.
            as_of: pauses of open requests count up to this instant; by
                default in full.
            tolerance: differences up to this much either way are agreement.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> book = PolicyBook([sla.Policy("Rodents", "30 days", goal=0.9)])
            >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
            >>> crm = sla.Request(id="7", received=t, due=t + dt.timedelta(days=31))
            >>> [d.difference for d in book.due_differences([crm])]
            [datetime.timedelta(days=1)]
        """
        as_of_us = None if as_of is None else to_us(as_of, "as_of")
        if not isinstance(tolerance, dt.timedelta) or tolerance < dt.timedelta(0):
            raise PolicyError(
                f"tolerance must be a datetime.timedelta >= 0, got {tolerance!r}"
            )
        for request in requests:
            imported = request.due
            if imported is None or invalid_reason(request, use_due=True):
                continue
            policy = self.policy_for(request)
            if policy is None:
                continue
            closed = request.closed
            end = as_of_us
            closed_us = request._closed_us
            if closed is not None and closed_us is not None:
                end = closed_us if end is None else min(end, closed_us)
            received_us = request._received_us
            assert received_us is not None
            target, extensions, _ = adjusted(
                policy, self._adjustments_for(request, policy, received_us)
            )
            try:
                computed = policy_due(
                    policy, target, extensions, request, received_us, end
                ).due
            except (ValueError, OverflowError):
                continue
            difference = DueDifference(
                request.id, request.service, policy, imported, computed
            )
            if abs(difference.difference) > tolerance:
                yield difference

    # TOML

    @classmethod
    def from_toml(cls, source: str | os.PathLike[str]) -> PolicyBook:
        """Read a policy book from a TOML file or TOML text.

        Args:
            source: a path (a ``pathlib.Path``, or a string ending in
                ``.toml``), or TOML text. The format is described in
                :mod:`slacalc.config`.

        Raises:
            PolicyFileError: naming the file, the key and the bad value.
            OSError: when the file cannot be read.

        Examples:
            >>> book = PolicyBook.from_toml('''
            ... [[policies]]
            ... name = "Ballots"
            ... target = "24 hours"
            ... goal = 0.95
            ... ''')
            >>> book.policies[0].target
            Hours(amount=24, starts='at_receipt')
        """
        from slacalc.config import read_book

        return read_book(source)

    def to_toml(self) -> str:
        """The book as TOML text that :meth:`from_toml` reads back to an
        equal book.

        Raises:
            PolicyError: when a value has no exact TOML form (a calendar
                whose zone is not an IANA zone, holidays not from a country).

        Examples:
            >>> import slacalc as sla
            >>> book = PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
            >>> print(book.to_toml())
            [[policies]]
            name = "Ballots"
            target = "24 hours"
            goal = 0.95
            <BLANKLINE>
            >>> PolicyBook.from_toml(book.to_toml()) == book
            True
        """
        from slacalc.config import write_book

        return write_book(self)
