"""Adjustments: storm and seasonal overlays on a book's policies.

An adjustment covers requests received in a window (a storm week) or in some
months (spring), for some services or attribute values, and does one thing
to them: replaces the policy's target, extends the due date by an amount, or
exempts them from compliance. A :class:`~slacalc.PolicyBook` applies them in
the order it lists them; see :meth:`~slacalc.PolicyBook.evaluate`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal, TypeAlias

import attrs

from slacalc import _fields
from slacalc._fields import Where, Window
from slacalc._instants import from_us, local_us, time_us, to_us, wall_time_us
from slacalc._state import picklable
from slacalc.calendar import BusinessCalendar
from slacalc.errors import PolicyError
from slacalc.targets import BusinessDays, Target

if TYPE_CHECKING:
    from slacalc.outcomes import Request

__all__ = ["Adjustment", "Effect"]

#: What an adjustment does: extend the due date, replace the target, exempt.
Effect: TypeAlias = Literal["extend", "target", "exempt"]


def _reason(value: object) -> str:
    return _fields.name(value, "reason")


def _replacement(value: object) -> Target | None:
    return None if value is None else _fields.target(value, "target")


def _exempt(value: object) -> bool:
    if not isinstance(value, bool):
        raise PolicyError(f"exempt must be True or False, got {value!r}")
    return value


def _text(target: Target | None) -> str:
    """A target as its text form, quoted, for messages."""
    return "None" if target is None else repr(str(target))


@picklable
@attrs.frozen
class Adjustment:
    """A named overlay that changes how some requests are judged.

    It covers the requests that meet all of its conditions (none given:
    every request) and has exactly one effect.

    The window and the months are read on the local date of receipt, in the
    zone of the calendar of the policy that covers the request (the
    request's own zone when there is no calendar).

    Args:
        name: a unique name, recorded on every outcome it touches.
        reason: why, in words ("January 2026 ice storm").
        window: ``(start, end)``: two dates, both included, or two aware
            datetimes, the end excluded.
        months: month numbers (``[3, 4, 5]`` for spring).
        services: service codes; empty covers every service.
        where: attribute conditions, such as ``{"district": ["3", "4"]}``.
        extend: moves the due date later by this amount: ``"3 business
            days"`` is the close of the third business day after the local
            date of the due date; hours and days are added as their target
            would add them. An extension never moves a due date earlier.
        target: replaces the policy's target.
        exempt: ``True`` exempts the requests from compliance.

    Raises:
        PolicyError: naming the argument that cannot be used, or when not
            exactly one of ``extend``, ``target`` and ``exempt`` is given.

    Examples:
        >>> import datetime as dt
        >>> storm = Adjustment("Ice storm", "roads closed for a week",
        ...                    window=(dt.date(2026, 1, 5), dt.date(2026, 1, 9)),
        ...                    services=["TREE"], extend="3 business days")
        >>> storm.effect, str(storm.extend)
        ('extend', '3 business days')
    """

    name: str = attrs.field(converter=_fields.name)
    reason: str = attrs.field(converter=_reason)
    window: Window | None = attrs.field(default=None, converter=_fields.window)
    months: tuple[int, ...] = attrs.field(default=(), converter=_fields.months)
    services: tuple[str, ...] = attrs.field(default=(), converter=_fields.services)
    where: Where = attrs.field(factory=dict, converter=_fields.where, hash=False)
    extend: Target | None = attrs.field(default=None, converter=_fields.extension)
    target: Target | None = attrs.field(default=None, converter=_replacement)
    exempt: bool = attrs.field(default=False, converter=_exempt)
    _window_us: tuple[int, int] | None = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        effects = [self.extend is not None, self.target is not None, self.exempt]
        if sum(effects) != 1:
            raise PolicyError(
                f"adjustment {self.name!r} must have exactly one effect: extend=, "
                f"target= or exempt=True, got extend={_text(self.extend)}, "
                f"target={_text(self.target)}, exempt={self.exempt!r}"
            )
        window_us = None
        if self.window is not None and isinstance(self.window[0], dt.datetime):
            window_us = (to_us(self.window[0], "start"), to_us(self.window[1], "end"))
        object.__setattr__(self, "_window_us", window_us)

    @property
    def effect(self) -> Effect:
        """``"extend"``, ``"target"`` or ``"exempt"``.

        Examples:
            >>> Adjustment("Audit", "data audit", exempt=True).effect
            'exempt'
        """
        if self.extend is not None:
            return "extend"
        return "target" if self.target is not None else "exempt"

    def covers(self, request: Request, tz: dt.tzinfo | None = None) -> bool:
        """Whether the adjustment covers ``request``.

        Args:
            request: the request.
            tz: the zone in which to read the date of receipt; by default the
                zone of ``request.received``.

        Examples:
            >>> import datetime as dt
            >>> from slacalc import Request
            >>> spring = Adjustment("Spring", "potholes", months=[3, 4],
            ...                     services=["POTHOLE"], extend="2 days")
            >>> t = dt.datetime(2026, 3, 9, 10, tzinfo=dt.timezone.utc)
            >>> spring.covers(Request(id="1", service="POTHOLE", received=t))
            True
        """
        if self.services and request.service not in self.services:
            return False
        if not _fields.where_matches(self.where, request.attributes):
            return False
        received = request.received
        if received is None:
            return self.window is None and not self.months
        return self.covers_receipt(received, to_us(received, "received"), tz)

    def covers_receipt(
        self, received: dt.datetime, received_us: int, tz: dt.tzinfo | None
    ) -> bool:
        """Whether a receipt at ``received`` (its instant ``received_us``)
        falls in the window and the months, read in zone ``tz`` (``None``:
        the zone of ``received``).

        Examples:
            >>> import datetime as dt
            >>> from zoneinfo import ZoneInfo
            >>> spring = Adjustment("Spring", "potholes", months=[3], exempt=True)
            >>> t = dt.datetime(2026, 3, 1, 3, tzinfo=dt.timezone.utc)
            >>> us = 1_772_334_000_000_000  # the same instant
            >>> spring.covers_receipt(t, us, None)
            True
            >>> spring.covers_receipt(t, us, ZoneInfo("America/Chicago"))
            False
        """
        window = self.window
        if window is None and not self.months:
            return True
        if self._window_us is not None:
            start, end = self._window_us
            if not start <= received_us < end:
                return False
            if not self.months:
                return True
        local = from_us(received_us, tz or received.tzinfo)  # type: ignore[arg-type]
        if self.months and local.month not in self.months:
            return False
        if window is not None and self._window_us is None:
            return window[0] <= local.date() <= window[1]
        return True

    def extend_due(
        self, due: dt.datetime, calendar: BusinessCalendar | None = None
    ) -> dt.datetime:
        """``due`` moved later by this adjustment's ``extend`` amount.

        Raises:
            PolicyError: when the adjustment does not extend, or its amount
                is on business time and no calendar is given.

        Examples:
            >>> import datetime as dt
            >>> import slacalc as sla
            >>> cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
            >>> storm = Adjustment("Storm", "ice", extend="3 business days")
            >>> friday_close = dt.datetime(2026, 1, 9, 16, 30, tzinfo=cal.tz)
            >>> storm.extend_due(friday_close, cal).isoformat()
            '2026-01-14T16:30:00-06:00'
        """
        amount = self.extend
        if amount is None:
            raise PolicyError(f"adjustment {self.name!r} does not extend due dates")
        if amount.business and calendar is None:
            raise PolicyError(
                f"calendar is required to extend by {str(amount)!r} "
                f"(adjustment {self.name!r}), got None"
            )
        if isinstance(amount, BusinessDays):
            assert calendar is not None
            later = _business_days_after(amount, due, calendar)
        else:
            later = amount.due(due, calendar)
        return later if to_us(later, "due") >= to_us(due, "due") else due


def _business_days_after(
    amount: BusinessDays, due: dt.datetime, calendar: BusinessCalendar
) -> dt.datetime:
    """The ``at`` instant of the n-th business day after ``due``'s local date."""
    tz = calendar.tz
    local = from_us(to_us(due, "due"), tz)
    day = calendar.add_business_days(local.date(), amount.n)
    midnight = from_us(local_us(day, 0, tz), tz)
    next_midnight = from_us(local_us(day + dt.timedelta(days=1), 0, tz), tz)
    close = calendar.openings(midnight, next_midnight)[-1][1]
    at = amount.at
    if at == "close":
        return close
    if at == "same_time":
        same_time = local_us(day, wall_time_us(local), tz)
        return from_us(min(same_time, to_us(close, "close")), tz)
    assert isinstance(at, dt.time)
    return from_us(local_us(day, time_us(at), tz), tz)
