"""Reading a policy book from TOML: the checks behind ``PolicyBook.from_toml``.

Every value is checked with the same converters as the Python API, under
its key path, and every error names the file, the key and the value. The
format is described in :mod:`slacalc.config`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import holidays as holidays_package

from slacalc import _fields
from slacalc.adjust import Adjustment
from slacalc.book import PolicyBook
from slacalc.calendar import BusinessCalendar, Closure
from slacalc.errors import PolicyError, PolicyFileError
from slacalc.hours import WeeklyHours, parse_day_hours
from slacalc.policy import Policy

__all__ = ["Reader"]

T = TypeVar("T")

_SECTIONS = ("calendars", "policies", "default", "adjustments")
_CALENDAR_KEYS = (
    "tz",
    "hours",
    "holidays",
    "local_holidays",
    "special_hours",
    "closures",
)
_POLICY_KEYS = (
    "name",
    "target",
    "goal",
    "calendar",
    "services",
    "where",
    "at_risk",
    "effective_from",
    "effective_until",
    "description",
)
_ADJUSTMENT_KEYS = (
    "name",
    "reason",
    "window",
    "months",
    "services",
    "where",
    "extend",
    "target",
    "exempt",
)
_HOLIDAY_KEYS = ("country", "subdiv", "observed", "categories")
_CLOSURE_KEYS = ("start", "end", "reason")


class Reader:
    """Reads one file; every error names it."""

    def __init__(self, file: str) -> None:
        self.file = file

    def error(self, key: str | None, message: str, value: object) -> PolicyFileError:
        return PolicyFileError(self.file, key, message, value)

    def convert(self, key: str, value: object, convert: Callable[[Any, str], T]) -> T:
        """``convert(value, key)``, its error re-raised naming the file."""
        try:
            return convert(value, key)
        except ValueError as error:
            raise self.error(key, str(error), value) from None

    def table(self, key: str, value: object, known: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(key, f"{key} must be a table, got {value!r}", value)
        for name in value:
            if name not in known:
                raise self.error(
                    f"{key}.{name}",
                    f"{key}.{name} is not a known key; expected one of "
                    f"{', '.join(known)}",
                    value[name],
                )
        return value

    def array_of_tables(self, key: str, value: object) -> list[Any]:
        if not isinstance(value, list):
            raise self.error(
                key,
                f"{key} must be an array of tables ([[{key}]]), got {value!r}",
                value,
            )
        return value

    def required(self, key: str, table: dict[str, Any], name: str) -> Any:
        if name not in table:
            raise self.error(f"{key}.{name}", f"{key}.{name} is required", None)
        return table[name]

    # The book

    def book(self, text: str) -> PolicyBook:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise self.error(None, f"not valid TOML: {error}", None) from None
        self.table("the file", data, _SECTIONS)
        calendars = {
            name: self.calendar(f"calendars.{name}", table)
            for name, table in self.table(
                "calendars", data.get("calendars", {}), tuple(data.get("calendars", {}))
            ).items()
        }
        policies = [
            self.policy(f"policies[{i}]", table, calendars)
            for i, table in enumerate(
                self.array_of_tables("policies", data.get("policies", []))
            )
        ]
        default = None
        if "default" in data:
            default = self.policy("default", data["default"], calendars, default=True)
        adjustments = [
            self.adjustment(f"adjustments[{i}]", table)
            for i, table in enumerate(
                self.array_of_tables("adjustments", data.get("adjustments", []))
            )
        ]
        try:
            return PolicyBook(policies, adjustments, default, calendars)
        except PolicyError as error:
            raise self.error("policies", str(error), None) from None

    # Calendars

    def calendar(self, key: str, value: object) -> BusinessCalendar:
        table = self.table(key, value, _CALENDAR_KEYS)
        tz = self.convert(f"{key}.tz", self.required(key, table, "tz"), _zone)
        settings: dict[str, Any] = {"tz": tz}
        if "hours" in table:
            settings["hours"] = self.convert(f"{key}.hours", table["hours"], _hours)
        if "holidays" in table:
            settings["holidays"] = self.holidays(f"{key}.holidays", table["holidays"])
        if "local_holidays" in table:
            settings["local_holidays"] = self.convert(
                f"{key}.local_holidays", table["local_holidays"], _date_names
            )
        if "special_hours" in table:
            settings["special_hours"] = self.convert(
                f"{key}.special_hours", table["special_hours"], _special_hours
            )
        if "closures" in table:
            closures = table["closures"]
            if not isinstance(closures, list):
                raise self.error(
                    f"{key}.closures",
                    f"{key}.closures must be an array of tables, got {closures!r}",
                    closures,
                )
            settings["closures"] = [
                self.closure(f"{key}.closures[{i}]", item, tz)
                for i, item in enumerate(closures)
            ]
        try:
            return BusinessCalendar(**settings)
        except ValueError as error:
            raise self.error(key, f"{key}: {error}", value) from None

    def holidays(self, key: str, value: object) -> Any:
        if not (isinstance(value, dict) and "country" in value):
            return self.convert(key, value, _date_names)
        table = self.table(key, value, _HOLIDAY_KEYS)
        options: dict[str, Any] = {}
        for name in ("subdiv", "observed", "categories"):
            if name in table:
                options[name] = table[name]
        if "categories" in options:
            options["categories"] = tuple(options["categories"])
        try:
            return holidays_package.country_holidays(table["country"], **options)
        except (NotImplementedError, ValueError, KeyError, TypeError) as error:
            raise self.error(
                key,
                f"{key} must name a country and subdivision the holidays package "
                f'knows, such as {{ country = "US", subdiv = "MN" }}, got '
                f"{value!r} ({error})",
                value,
            ) from None

    def closure(self, key: str, value: object, tz: dt.tzinfo) -> Closure:
        table = self.table(key, value, _CLOSURE_KEYS)
        ends = [
            self.convert(f"{key}.{name}", self.required(key, table, name), _instant(tz))
            for name in ("start", "end")
        ]
        reason = self.convert(f"{key}.reason", table.get("reason", ""), _fields.text)
        try:
            return Closure(ends[0], ends[1], reason=reason)
        except ValueError as error:
            raise self.error(key, f"{key}: {error}", value) from None

    # Policies and adjustments

    def policy(
        self,
        key: str,
        value: object,
        calendars: Mapping[str, BusinessCalendar],
        *,
        default: bool = False,
    ) -> Policy:
        known = tuple(
            k for k in _POLICY_KEYS if not default or k not in ("services", "where")
        )
        table = self.table(key, value, known)
        for name in ("name", "target", "goal"):
            self.required(key, table, name)
        settings: dict[str, Any] = {}
        converters: dict[str, Callable[[Any, str], Any]] = {
            "name": _fields.name,
            "target": _fields.target,
            "goal": _fields.goal,
            "services": _fields.services,
            "where": _fields.where,
            "at_risk": _fields.share,
            "effective_from": _date,
            "effective_until": _date,
            "description": _fields.text,
        }
        for name, convert in converters.items():
            if name in table:
                settings[name] = self.convert(f"{key}.{name}", table[name], convert)
        if "calendar" in table:
            settings["calendar"] = self.calendar_named(
                f"{key}.calendar", table["calendar"], calendars
            )
        try:
            return Policy(**settings)
        except ValueError as error:
            raise self.error(key, f"{key}: {error}", None) from None

    def calendar_named(
        self, key: str, value: object, calendars: Mapping[str, BusinessCalendar]
    ) -> BusinessCalendar:
        if isinstance(value, str) and value in calendars:
            return calendars[value]
        known = ", ".join(repr(name) for name in calendars) or "none defined"
        raise self.error(
            key,
            f"{key} must name a calendar under [calendars] ({known}), got {value!r}",
            value,
        )

    def adjustment(self, key: str, value: object) -> Adjustment:
        table = self.table(key, value, _ADJUSTMENT_KEYS)
        for name in ("name", "reason"):
            self.required(key, table, name)
        converters: dict[str, Callable[[Any, str], Any]] = {
            "name": _fields.name,
            "reason": _fields.name,
            "window": _window,
            "months": _fields.months,
            "services": _fields.services,
            "where": _fields.where,
            "extend": _fields.target,
            "target": _fields.target,
            "exempt": _boolean,
        }
        settings = {
            name: self.convert(f"{key}.{name}", table[name], convert)
            for name, convert in converters.items()
            if name in table
        }
        try:
            return Adjustment(**settings)
        except ValueError as error:
            raise self.error(key, f"{key}: {error}", None) from None


# Value readers: each takes the value and its key path.


def _zone(value: object, key: str) -> dt.tzinfo:
    if isinstance(value, str):
        try:
            return zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    raise PolicyError(
        f"{key} must be an IANA time zone name such as 'America/Chicago', got {value!r}"
    )


def _hours(value: object, key: str) -> WeeklyHours:
    try:
        return WeeklyHours.coerce(value)
    except ValueError as error:
        raise PolicyError(f"{key}: {error}") from None


def _date(value: object, key: str) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise PolicyError(f"{key} must be a date such as 2026-11-27, got {value!r}")


def _date_names(value: object, key: str) -> dict[dt.date, str]:
    if isinstance(value, list):
        return {_date(item, f"{key}[{i}]"): "holiday" for i, item in enumerate(value)}
    if isinstance(value, dict):
        return {
            _date(day, f"{key} keys"): _fields.text(name, f"{key}[{day!r}]")
            for day, name in value.items()
        }
    raise PolicyError(
        f"{key} must be a list of dates or a table of date to name, got {value!r}"
    )


def _special_hours(value: object, key: str) -> dict[dt.date, object]:
    if not isinstance(value, dict):
        raise PolicyError(
            f"{key} must be a table of date to hours, such as "
            f'{{ "2026-12-24" = "08:00-12:00" }}, got {value!r}'
        )
    special = {}
    for day, hours in value.items():
        try:
            parse_day_hours(hours, f"{key}[{day!r}]")
        except ValueError as error:
            raise PolicyError(str(error)) from None
        special[_date(day, f"{key} keys")] = hours
    return special


def _instant(tz: dt.tzinfo) -> Callable[[object, str], dt.datetime]:
    def read(value: object, key: str) -> dt.datetime:
        # In the calendar's zone: a closure saved from that zone reads back
        # equal, even at a wall time that a fall-back change repeats.
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=tz, fold=0)
            return value.astimezone(tz)
        raise PolicyError(
            f"{key} must be a datetime such as 2026-01-06T12:00:00-06:00, got {value!r}"
        )

    return read


def _window(value: object, key: str) -> object:
    if isinstance(value, list) and len(value) == 2:
        if all(isinstance(t, dt.datetime) for t in value):
            for t in value:
                if t.tzinfo is None:
                    raise PolicyError(
                        f"{key} datetimes must carry an offset, such as "
                        f"2026-01-05T00:00:00-06:00, got {t.isoformat()}"
                    )
        elif all(isinstance(t, str | dt.date) for t in value):
            value = [_date(t, key) for t in value]
    return _fields.window(value, key)


def _boolean(value: object, key: str) -> bool:
    if not isinstance(value, bool):
        raise PolicyError(f"{key} must be true or false, got {value!r}")
    return value
