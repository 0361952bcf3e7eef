"""The arguments of a policy book: each converted, then all checked together.

The converters turn ``policies``, ``adjustments``, ``default`` and
``calendars`` into the values a book keeps; the checks refuse a name given
twice and an adjustment on business time that may cover the requests of a
policy without a calendar. Each raises a ``PolicyError`` naming the argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from slacalc import _fields
from slacalc._clock import starts_at_opening
from slacalc.adjust import Adjustment
from slacalc.calendar import BusinessCalendar
from slacalc.errors import PolicyError
from slacalc.policy import Policy

__all__ = [
    "adjustments",
    "calendar_names",
    "check_calendars",
    "check_unique",
    "default",
    "policies",
]


def policies(value: object) -> tuple[Policy, ...]:
    if isinstance(value, Policy) or not isinstance(value, Iterable):
        raise PolicyError(f"policies must be a list of Policy, got {value!r}")
    policies = tuple(value)
    for policy in policies:
        if not isinstance(policy, Policy):
            raise PolicyError(f"policies must hold Policy values, got {policy!r}")
    return policies


def adjustments(value: object) -> tuple[Adjustment, ...]:
    if value is None:
        return ()
    if isinstance(value, Adjustment) or not isinstance(value, Iterable):
        raise PolicyError(f"adjustments must be a list of Adjustment, got {value!r}")
    adjustments = tuple(value)
    for adjustment in adjustments:
        if not isinstance(adjustment, Adjustment):
            raise PolicyError(
                f"adjustments must hold Adjustment values, got {adjustment!r}"
            )
    return adjustments


def default(value: object) -> Policy | None:
    if value is None:
        return None
    if not isinstance(value, Policy):
        raise PolicyError(f"default must be a Policy or None, got {value!r}")
    if value.services or value.where:
        raise PolicyError(
            f"default must cover every request, without services or where, got "
            f"policy {value.name!r} with services={list(value.services)!r} and "
            f"where={_fields.where_plain(value.where)!r}"
        )
    return value


def calendar_names(value: object) -> Mapping[str, BusinessCalendar]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise PolicyError(
            f"calendars must be a mapping of name to BusinessCalendar, got {value!r}"
        )
    for name, calendar in value.items():
        _fields.name(name, "calendars keys")
        if not isinstance(calendar, BusinessCalendar):
            raise PolicyError(
                f"calendars[{name!r}] must be a BusinessCalendar, got {calendar!r}"
            )
    return MappingProxyType(dict(value))


def check_unique(kind: str, items: Sequence[tuple[str, Policy | Adjustment]]) -> None:
    """Refuse a name given twice among ``items`` (each with its argument
    path, such as ``policies[2]``)."""
    first: dict[str, str] = {}
    for path, item in items:
        if item.name in first:
            raise PolicyError(
                f"{path}.name must be unique among {kind}, got {item.name!r}, "
                f"already the name of {first[item.name]}",
                argument=f"{path}.name",
                value=item.name,
            )
        first[item.name] = path


def check_calendars(
    path: str, adjustment: Adjustment, policies: Sequence[tuple[str, Policy]]
) -> None:
    """Refuse an adjustment on business time that may cover the requests
    of a policy without a calendar."""
    effect = "extend" if adjustment.extend is not None else "target"
    amount = adjustment.extend or adjustment.target
    if amount is None or not starts_at_opening(amount):
        return
    for policy_path, policy in policies:
        if policy.calendar is None and _may_overlap(policy, adjustment):
            raise PolicyError(
                f"{path}.{effect} {str(amount)!r} needs a calendar, but the "
                f"adjustment may cover the requests of {policy_path} (policy "
                f"{policy.name!r}), which has none; give {policy_path} a "
                f"calendar, or narrow {path}.services to leave out its services",
                argument=f"{path}.{effect}",
                value=str(amount),
            )


def _may_overlap(policy: Policy, adjustment: Adjustment) -> bool:
    if not policy.services or not adjustment.services:
        return True
    return bool(set(policy.services) & set(adjustment.services))
