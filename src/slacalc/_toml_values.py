"""Readers of single policy-file values: each takes the value as TOML gave
it and its key path, and returns the value slacalc uses or raises a
``PolicyError`` that names the key and shows the value as the file wrote it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from collections.abc import Callable

from slacalc import _fields
from slacalc.errors import PolicyError
from slacalc.hours import WeeklyHours, parse_day_hours

__all__ = [
    "boolean",
    "categories",
    "date",
    "date_names",
    "hours",
    "instant",
    "shown",
    "special_hours",
    "window",
    "zone",
]

#: The areas of canonical zone names (Region/City), to suggest from.
_REGIONS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)


def shown(value: object) -> str:
    """``value`` as the file wrote it: dates and times in ISO form, the rest
    as their repr."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{name!r}: {shown(item)}" for name, item in value.items())
        return "{" + pairs + "}"
    return repr(value)


def zone(value: object, key: str) -> dt.tzinfo:
    """An IANA zone name as a zone; a near miss is suggested."""
    if isinstance(value, str):
        try:
            return zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, _region_zones(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
    raise PolicyError(
        f"{key} must be an IANA time zone name such as 'America/Chicago', got "
        f"{shown(value)}{hint}"
    )


def _region_zones() -> list[str]:
    """The zone names of the form Region/City, to suggest (not the
    backward-compatible ones such as US/Central)."""
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if name.partition("/")[0] in _REGIONS
    )


def hours(value: object, key: str) -> WeeklyHours:
    """Weekly opening hours from their text or table."""
    hours = WeeklyHours.coerce(value, key)
    if hours.weekly_open_us() == 0:
        raise PolicyError(
            f"{key} must have some open time in the week, got {shown(value)}"
        )
    return hours


def date(value: object, key: str) -> dt.date:
    """A TOML date (not a datetime, not text)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise PolicyError(f"{key} must be a date such as 2026-11-27, got {shown(value)}")


def date_names(value: object, key: str) -> dict[dt.date, str]:
    """Local holidays: a list of dates, or a table of date to name."""
    if isinstance(value, list):
        return {date(item, f"{key}[{i}]"): "holiday" for i, item in enumerate(value)}
    if isinstance(value, dict):
        return {
            date(day, f"{key} keys"): _fields.text(name, f"{key}[{day!r}]")
            for day, name in value.items()
        }
    raise PolicyError(
        f"{key} must be a list of dates such as [2026-11-27] or a table of date "
        f'to name such as {{ "2026-11-27" = "Day after Thanksgiving" }}, got '
        f"{shown(value)}"
    )


def special_hours(value: object, key: str) -> dict[dt.date, object]:
    """Date-specific hours: a table of date to that day's hours."""
    if not isinstance(value, dict):
        raise PolicyError(
            f"{key} must be a table of date to hours, such as "
            f'{{ "2026-12-24" = "08:00-12:00" }}, got {shown(value)}'
        )
    special = {}
    for day, hours in value.items():
        try:
            parse_day_hours(hours, f"{key}[{day!r}]")
        except ValueError as error:
            raise PolicyError(str(error)) from None
        special[date(day, f"{key} keys")] = hours
    return special


def instant(tz: dt.tzinfo) -> Callable[[object, str], dt.datetime]:
    """A reader of datetimes, local ones read in zone ``tz``."""

    def read(value: object, key: str) -> dt.datetime:
        # In the calendar's zone: a closure saved from that zone reads back
        # equal, even at a wall time that a fall-back change repeats.
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=tz, fold=0)
            return value.astimezone(tz)
        hint = "; write it without quotes" if _is_iso_datetime(value) else ""
        raise PolicyError(
            f"{key} must be a datetime such as 2026-01-06T12:00:00-06:00, got "
            f"{shown(value)}{hint}"
        )

    return read


def _is_iso_datetime(value: object) -> bool:
    """Whether text reads as an ISO datetime (written in quotes by mistake)."""
    if not isinstance(value, str):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def window(value: object, key: str) -> object:
    """Two dates or two offset datetimes; errors show them as written."""
    help_text = (
        f"{key} must be [start, end]: two dates, both included, such as "
        f"[2026-01-05, 2026-01-09], or two datetimes with offsets, the end "
        f"excluded"
    )
    if not isinstance(value, list) or len(value) != 2:
        raise PolicyError(f"{help_text}, got {shown(value)}")
    if all(isinstance(t, dt.datetime) for t in value):
        for t in value:
            if t.tzinfo is None:
                raise PolicyError(
                    f"{key} datetimes must carry an offset, such as "
                    f"2026-01-05T00:00:00-06:00, got {t.isoformat()}"
                )
        start, end = value
        if end <= start:
            raise PolicyError(f"{key} must end after it starts, got {shown(value)}")
        return tuple(value)
    if any(isinstance(t, dt.datetime) for t in value) or not all(
        isinstance(t, str | dt.date) for t in value
    ):
        raise PolicyError(f"{help_text}, got {shown(value)}")
    if any(_is_iso_datetime(t) and ":" in t for t in value):
        raise PolicyError(
            f"{help_text}, got {shown(value)}; write datetimes without quotes"
        )
    start, end = (date(t, key) for t in value)
    if end < start:
        raise PolicyError(f"{key} must not end before it starts, got {shown(value)}")
    return (start, end)


def boolean(value: object, key: str) -> bool:
    """A TOML boolean; quoted true or false is pointed out."""
    if not isinstance(value, bool):
        hint = (
            "; write it without quotes"
            if isinstance(value, str) and value.lower() in ("true", "false")
            else ""
        )
        raise PolicyError(f"{key} must be true or false, got {shown(value)}{hint}")
    return value


def categories(value: object, key: str) -> tuple[str, ...]:
    """Holiday categories: one name or a list of names."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise PolicyError(
            f"{key} must be a list of holiday categories such as "
            f'["public", "unofficial"], got {shown(value)}'
        )
    return tuple(value)
