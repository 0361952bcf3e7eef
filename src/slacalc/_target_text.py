"""The text form of a target: writing it, and reading it back.

Each target's ``str`` is written with :func:`amount_text` and
:func:`clock_text`; :func:`parse_target` reads that text (and a few other
ways of saying the same thing) back into an equal target.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import TYPE_CHECKING

from slacalc.errors import TargetError

if TYPE_CHECKING:
    from slacalc.targets import At, Starts, Target

__all__ = ["amount_text", "clock_text", "parse_target"]


def clock_text(value: dt.time) -> str:
    """``value`` as ``HH:MM``, with seconds and microseconds when it has them."""
    text = f"{value.hour:02d}:{value.minute:02d}"
    if value.second or value.microsecond:
        text += f":{value.second:02d}"
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text


def _number_text(amount: int | float) -> str:
    """``amount`` as a plain decimal that reads back as the same number.

    A whole amount is written as its exact integer. Any other float is
    written with the digits of its ``repr`` (the shortest that round-trip),
    without an exponent: ``1e-05`` is ``0.00001``.
    """
    if isinstance(amount, int):
        return str(amount)
    if amount.is_integer():
        return str(int(amount))
    return format(decimal.Decimal(repr(abs(amount))).normalize(), "f")


def amount_text(amount: int | float, unit: str) -> str:
    """``amount`` of ``unit``, plural unless one: ``1 hour``, ``1.5 hours``."""
    return f"{_number_text(amount)} {unit}{'' if amount == 1 else 's'}"


_CLOCK = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?|noon"
_TARGET_RE = re.compile(
    rf"""^\s*(?:(?P<n>\d+(?:\.\d+)?|an?|one|next)\s+)?
    (?P<unit>business\s+hours?|business\s+days?|work(?:ing)?\s+days?
        |work\s*weeks?|calendar\s+days?|hours?|days?|weeks?)
    (?:\s+(?:by\s+(?P<by>{_CLOCK})|at\s+(?P<at>close|same\s+time|{_CLOCK})))?
    (?:\s*,?\s*cut-?off\s+(?P<cutoff>{_CLOCK}))?
    (?:\s+(?P<from>from\s+next\s+opening))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_BUSINESS_DAY_UNITS = (
    "business day",
    "working day",
    "work day",
    "work week",
    "workweek",
)
_TARGET_HELP = (
    "text like '24 hours', '30 days', '8 business hours', '5 business days', "
    "'1 business day by 12:00' or '2 business days, cutoff 15:00'"
)


def _parse_clock(text: str) -> dt.time:
    if text.lower() == "noon":
        return dt.time(12)
    clock, _, fraction = text.partition(".")
    hour, minute, *rest = (int(part) for part in clock.split(":"))
    second = rest[0] if rest else 0
    if hour > 23 or minute > 59 or second > 59:
        raise TargetError(
            f"text must use clock times from 00:00 to 23:59, got {text!r}"
        )
    return dt.time(hour, minute, second, int(fraction.ljust(6, "0")))


def parse_target(text: str) -> Target:
    """Read a target from its text form, the inverse of ``str(target)``.

    Accepts ``"<n> hours"``, ``"<n> days"`` (or ``calendar days``, ``weeks``),
    ``"<n> business hours"``, ``"<n> business days"`` (or ``working days``,
    ``work weeks``), optionally ``by HH:MM``, ``at close``, ``at same time``,
    ``, cutoff HH:MM`` for business days and ``from next opening`` for hours
    and days. ``next business day`` means one. An amount is digits with an
    optional decimal fraction (``1.5``, ``0.00001``; no exponent), a clock
    time ``HH:MM``, ``HH:MM:SS`` or ``HH:MM:SS.ffffff``. The text of every
    target reads back as an equal target.

    Raises:
        TargetError: when the text cannot be read.

    Examples:
        >>> from slacalc import BusinessDays, Hours
        >>> parse_target("5 business days") == BusinessDays(5)
        True
        >>> str(Hours(1e-05)), parse_target(str(Hours(1e-05))) == Hours(1e-05)
        ('0.00001 hours', True)
        >>> parse_target("next business day by noon")
        BusinessDays(n=1, at=datetime.time(12, 0), cutoff=None)
        >>> str(parse_target("24 hours from next opening"))
        '24 hours from next opening'
    """
    # Imported here, not above: the target classes write their text with
    # this module's helpers, so slacalc.targets imports this module first.
    from slacalc.targets import BusinessDays, BusinessHours, Days, Hours

    if not isinstance(text, str):
        raise TargetError(f"text must be {_TARGET_HELP}, got {text!r}")
    match = _TARGET_RE.match(text)
    if match is None:
        raise TargetError(f"text must be {_TARGET_HELP}, got {text!r}")
    raw_n = (match["n"] or "1").lower()
    number = "1" if raw_n in ("a", "an", "one", "next") else raw_n
    unit = re.sub(r"\s+", " ", match["unit"].lower()).rstrip("s")
    business_days = unit in _BUSINESS_DAY_UNITS
    if (match["by"] or match["at"] or match["cutoff"]) and not business_days:
        raise TargetError(
            f"text may use 'by', 'at' and 'cutoff' only with business days, "
            f"got {text!r}"
        )
    if match["from"] and unit.startswith(("business", "work")):
        raise TargetError(
            f"text may use 'from next opening' only with hours or days, got {text!r}; "
            "business targets always start at the next opening"
        )
    starts: Starts = "next_opening" if match["from"] else "at_receipt"
    if unit == "business hour":
        return BusinessHours(_hours_number(number))
    if unit == "hour":
        return Hours(_hours_number(number), starts=starts)
    if unit in ("day", "calendar day", "week"):
        factor = 7 if unit == "week" else 1
        return Days(_days_number(number, text) * factor, starts=starts)
    factor = 5 if "week" in unit else 1
    at: At = "close"
    when = re.sub(r"\s+", " ", (match["by"] or match["at"] or "close").lower())
    if when == "same time":
        at = "same_time"
    elif when != "close":
        at = _parse_clock(when)
    cutoff = _parse_clock(match["cutoff"]) if match["cutoff"] else None
    n = _days_number(number, text) * factor
    return BusinessDays(n, at=at, cutoff=cutoff)


def _hours_number(number: str) -> int | float:
    """The amount written as ``number`` (digits, maybe a decimal fraction):
    the exact int when it is whole, else the nearest float."""
    exact = decimal.Decimal(number)
    return int(exact) if exact == exact.to_integral_value() else float(number)


def _days_number(number: str, text: str) -> int:
    value = _hours_number(number)
    if isinstance(value, float):
        raise TargetError(f"text must give a whole number of days, got {text!r}")
    return value
