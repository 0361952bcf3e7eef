"""Checks and converters for the fields of policies and adjustments.

Each takes the value and the name to use for it in errors, so that the same
check serves a keyword argument (``goal``) and a key of a policy file
(``policies[2].goal``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeAlias

from slacalc._instants import to_us
from slacalc.calendar import BusinessCalendar
from slacalc.errors import PolicyError, TargetError
from slacalc.outcomes import DueSource
from slacalc.targets import BusinessDays, Target, parse_target

__all__ = [
    "Where",
    "Window",
    "calendar",
    "due_source",
    "goal",
    "months",
    "name",
    "optional_date",
    "services",
    "share",
    "target",
    "text",
    "where",
    "where_matches",
    "where_plain",
    "window",
]

#: Attribute conditions: each attribute's accepted values, as text.
Where: TypeAlias = Mapping[str, tuple[str, ...]]
#: A window of receipt: two dates (both included) or two aware instants
#: (start included, end excluded).
Window: TypeAlias = "tuple[dt.date, dt.date] | tuple[dt.datetime, dt.datetime]"


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def name(value: object, argument: str = "name") -> str:
    """A non-empty name."""
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(f"{argument} must be non-empty text, got {value!r}")
    return value


def text(value: object, argument: str) -> str:
    """Any text, empty allowed."""
    if not isinstance(value, str):
        raise PolicyError(f"{argument} must be text, got {value!r}")
    return value


def goal(value: object, argument: str = "goal") -> float:
    """A share of requests in (0, 1]."""
    if not _is_number(value) or not 0 < value <= 1:  # type: ignore[operator]
        raise PolicyError(f"{argument} must be a number in (0, 1], got {value!r}")
    return float(value)  # type: ignore[arg-type]


def share(value: object, argument: str = "at_risk") -> float:
    """A share of the target in (0, 1]."""
    if not _is_number(value) or not 0 < value <= 1:  # type: ignore[operator]
        raise PolicyError(
            f"{argument} must be a share of the target in (0, 1], such as 0.75, "
            f"got {value!r}"
        )
    return float(value)  # type: ignore[arg-type]


def target(value: object, argument: str = "target") -> Target:
    """A :class:`Target`, or its text form."""
    if isinstance(value, Target):
        return value
    if isinstance(value, str):
        try:
            return parse_target(value)
        except TargetError as error:
            # parse_target says what is wrong beyond a plain misspelling.
            detail = "" if str(error).startswith("text must be text") else f"; {error}"
            raise PolicyError(
                f"{argument} must be target text such as '5 business days' or "
                f"'24 hours', got {value!r}{detail}"
            ) from None
    raise PolicyError(
        f"{argument} must be a Target or target text such as '5 business days', "
        f"got {value!r}"
    )


def extension(value: object, argument: str = "extend") -> Target | None:
    """An amount to extend a due date by, as a target without start options."""
    if value is None:
        return None
    amount = target(value, argument)
    if getattr(amount, "starts", "at_receipt") != "at_receipt" or (
        isinstance(amount, BusinessDays) and amount.cutoff is not None
    ):
        raise PolicyError(
            f"{argument} must be a plain amount such as '3 business days' or "
            f"'48 hours', without 'from next opening' or a cut-off, got "
            f"{str(amount)!r}"
        )
    return amount


def calendar(value: object, argument: str = "calendar") -> BusinessCalendar | None:
    """A :class:`BusinessCalendar` or ``None``."""
    if value is not None and not isinstance(value, BusinessCalendar):
        raise PolicyError(
            f"{argument} must be a BusinessCalendar or None, got {value!r}"
        )
    return value


def services(value: object, argument: str = "services") -> tuple[str, ...]:
    """Service codes, duplicates dropped, order kept; one text is one code."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise PolicyError(f"{argument} must be a list of service codes, got {value!r}")
    codes: dict[str, None] = {}
    for code in value:
        if not isinstance(code, str) or not code:
            raise PolicyError(
                f"{argument} must hold service codes as non-empty text, got {code!r}"
            )
        codes[code] = None
    return tuple(codes)


def _condition_value(value: object, argument: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PolicyError(
            f"{argument} must be text or a whole number, or a list of them, "
            f"got {value!r}"
        )
    return str(value)


def where(value: object, argument: str = "where") -> Where:
    """Attribute conditions: attribute name to an accepted value or a list.

    Values are held as text; a whole number ``3`` is the text ``"3"``.
    """
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise PolicyError(
            f"{argument} must be a mapping of attribute to accepted values, such as "
            f"{{'district': ['3', '4']}}, got {value!r}"
        )
    conditions: dict[str, tuple[str, ...]] = {}
    for key, accepted in value.items():
        if not isinstance(key, str) or not key:
            raise PolicyError(
                f"{argument} keys must be attribute names (text), got {key!r}"
            )
        where_key = f"{argument}[{key!r}]"
        if isinstance(accepted, list | tuple | set | frozenset):
            values = tuple(
                dict.fromkeys(_condition_value(v, where_key) for v in accepted)
            )
            if not values:
                raise PolicyError(
                    f"{where_key} must list at least one value, got {accepted!r}"
                )
        else:
            values = (_condition_value(accepted, where_key),)
        conditions[key] = values
    return MappingProxyType(conditions)


def where_matches(conditions: Where, attributes: Mapping[str, Any]) -> bool:
    """Whether ``attributes`` meet every condition (compared as text)."""
    for key, accepted in conditions.items():
        value = attributes.get(key)
        if value is None:
            return False
        if value.__class__ is not str:
            value = str(value)
        if value not in accepted:
            return False
    return True


def optional_date(value: object, argument: str) -> dt.date | None:
    """A ``datetime.date`` (not a datetime) or ``None``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise PolicyError(f"{argument} must be a datetime.date or None, got {value!r}")
    return value


def months(value: object, argument: str = "months") -> tuple[int, ...]:
    """Month numbers 1-12, sorted, without duplicates."""
    if value is None:
        return ()
    if not isinstance(value, Iterable) or isinstance(value, str):
        raise PolicyError(
            f"{argument} must be a list of month numbers 1-12, got {value!r}"
        )
    found = set()
    for month in value:
        if (
            isinstance(month, bool)
            or not isinstance(month, int)
            or not 1 <= month <= 12
        ):
            raise PolicyError(f"{argument} must hold month numbers 1-12, got {month!r}")
        found.add(month)
    return tuple(sorted(found))


def window(value: object, argument: str = "window") -> Window | None:
    """Two dates (both included) or two aware instants (end excluded)."""
    if value is None:
        return None
    help_text = (
        f"{argument} must be (start, end): two dates, both included, or two "
        f"timezone-aware datetimes, the end excluded"
    )
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise PolicyError(f"{help_text}, got {value!r}")
    pair = tuple(value)
    if len(pair) != 2:
        raise PolicyError(f"{help_text}, got {value!r}")
    start, end = pair
    if all(isinstance(t, dt.datetime) for t in pair):
        if start.tzinfo is None or end.tzinfo is None:
            raise PolicyError(f"{help_text}, got naive datetimes {value!r}")
        if to_us(end, "end") <= to_us(start, "start"):
            raise PolicyError(
                f"{argument} must end after it starts, got "
                f"({start.isoformat()}, {end.isoformat()})"
            )
        return (start, end)
    if not any(isinstance(t, dt.datetime) for t in pair) and all(
        isinstance(t, dt.date) for t in pair
    ):
        if end < start:
            raise PolicyError(
                f"{argument} must not end before it starts, got {value!r}"
            )
        return (start, end)
    raise PolicyError(f"{help_text}, got {value!r}")


def where_plain(conditions: Where) -> dict[str, str | list[str]]:
    """Attribute conditions as plain values: one text, or a list of texts."""
    return {k: v[0] if len(v) == 1 else list(v) for k, v in conditions.items()}


def due_source(value: object, argument: str = "due") -> DueSource:
    """``"imported"`` or ``"policy"``."""
    if value == "imported":
        return "imported"
    if value == "policy":
        return "policy"
    raise PolicyError(f"{argument} must be 'imported' or 'policy', got {value!r}")
