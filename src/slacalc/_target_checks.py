"""The arguments of a target: what each must be, and the value kept.

The amounts are converted (a number of hours, a whole number of days) and
the options checked (when the clock starts, when a business day falls due,
the cut-off), each raising a ``TargetError`` that names the argument and
shows the value it got.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import attrs

from slacalc.errors import TargetError

if TYPE_CHECKING:
    from slacalc.targets import At

__all__ = ["check_at", "check_cutoff", "check_starts", "days_amount", "hours_amount"]

_STARTS = ("at_receipt", "next_opening")


def hours_amount(value: object) -> int | float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
        or value < 0
    ):
        raise TargetError(f"amount must be a number of hours >= 0, got {value!r}")
    # Subclasses (numpy.float64) become the builtin, whose text is known.
    return int(value) if isinstance(value, int) else float(value)


def days_amount(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TargetError(f"n must be a whole number of days >= 0, got {value!r}")
    return int(value)


def check_starts(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _STARTS:
        raise TargetError(
            f"starts must be 'at_receipt' or 'next_opening', got {value!r}"
        )


def check_at(instance: object, attribute: attrs.Attribute[At], value: At) -> None:
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise TargetError(
                f"at must be a wall-clock time without a zone, got {value!r}"
            )
    elif value not in ("close", "same_time"):
        raise TargetError(
            f"at must be 'close', 'same_time' or a datetime.time, got {value!r}"
        )


def check_cutoff(
    instance: object, attribute: attrs.Attribute[dt.time | None], value: object
) -> None:
    if value is not None and (not isinstance(value, dt.time) or value.tzinfo):
        raise TargetError(
            f"cutoff must be a wall-clock datetime.time such as time(15, 0) or "
            f"None, got {value!r}"
        )
