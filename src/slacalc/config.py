"""Policy books in TOML: read with ``tomllib``, written by slacalc.

A policy file has four parts, each optional::

    [calendars.city]                      # a named calendar
    tz = "America/Chicago"
    hours = "Mon-Fri 08:00-16:30"         # or a table: { mon-fri = "08:00-16:30" }
    holidays = { country = "US", subdiv = "MN" }   # or a list of dates
    local_holidays = [2026-11-27]         # or { "2026-11-27" = "Day after" }
    special_hours = { "2026-12-24" = "08:00-12:00" }
    closures = [
        { start = 2026-01-06T12:00:00-06:00, end = 2026-01-07T08:00:00-06:00,
          reason = "snow" },
    ]

    [[policies]]                          # in order: the first match wins
    name = "Exterior nuisance"
    target = "5 business days"            # any text parse_target reads
    goal = 0.9
    calendar = "city"                     # a name under [calendars]
    services = ["NUIS-EXT"]
    where = { district = ["3", "4"] }
    at_risk = 0.75
    effective_from = 2026-01-01
    effective_until = 2026-12-31
    description = "..."

    [default]                             # a policy without services or where

    [[adjustments]]                       # in order
    name = "Ice storm"
    reason = "roads closed"
    window = [2026-01-05, 2026-01-09]     # dates, or two offset datetimes
    months = [3, 4]
    services = ["TREE"]
    where = { district = "3" }
    extend = "3 business days"            # or target = "..." or exempt = true

``holidays`` as a table reads ``holidays.country_holidays(country,
subdiv=..., observed=..., categories=...)``. Datetimes without an offset are
read in the calendar's zone (``closures``) or must carry one (``window``).
Unknown keys are errors, so a typo does not pass unnoticed.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
import zoneinfo
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import holidays as holidays_package

from slacalc import _fields
from slacalc._holidays import HolidaySource
from slacalc._toml import toml_key, toml_value
from slacalc.adjust import Adjustment
from slacalc.book import PolicyBook
from slacalc.calendar import BusinessCalendar, Closure
from slacalc.errors import PolicyError, PolicyFileError, TargetError
from slacalc.hours import WeeklyHours, _format_clock, parse_day_hours
from slacalc.policy import Policy
from slacalc.targets import Target, parse_target

__all__ = ["read_book", "write_book"]

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
_TEXT_SOURCE = "<text>"


def read_book(source: str | os.PathLike[str]) -> PolicyBook:
    """Read a :class:`~slacalc.PolicyBook` from a TOML file or text.

    Args:
        source: a path (``pathlib.Path``, or a string ending in ``.toml``)
            or TOML text.

    Raises:
        PolicyFileError: naming the file, the key and the bad value.

    Examples:
        >>> text = '[[policies]]\\nname = "A"\\ntarget = "2 days"\\ngoal = 0.9'
        >>> book = read_book(text)
        >>> book.policies[0].name
        'A'
    """
    if isinstance(source, os.PathLike) or (
        isinstance(source, str)
        and "\n" not in source
        and source.strip().lower().endswith(".toml")
    ):
        path = Path(source)
        return _Reader(str(path)).book(path.read_text(encoding="utf-8"))
    if not isinstance(source, str):
        raise TypeError(f"source must be a path or TOML text, got {source!r}")
    return _Reader(_TEXT_SOURCE).book(source)


class _Reader:
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
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=tz, fold=0)
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


# Writing


def write_book(book: PolicyBook) -> str:
    """The TOML text of ``book``, which :func:`read_book` reads back equal.

    Raises:
        PolicyError: for a value without an exact TOML form.

    Examples:
        >>> import slacalc as sla
        >>> everything = sla.Policy("All", "3 days", goal=0.8)
        >>> print(write_book(sla.PolicyBook([], default=everything)))
        [default]
        name = "All"
        target = "3 days"
        goal = 0.8
        <BLANKLINE>
    """
    listed, names = _name_calendars(book)
    sections: list[list[str]] = [
        [f"[calendars.{toml_key(name)}]", *_lines(_calendar_settings(calendar, name))]
        for name, calendar in listed
    ]
    for policy in book.policies:
        sections.append(["[[policies]]", *_lines(_policy_settings(policy, names))])
    if book.default is not None:
        sections.append(["[default]", *_lines(_policy_settings(book.default, names))])
    for adjustment in book.adjustments:
        sections.append(["[[adjustments]]", *_lines(_adjustment_settings(adjustment))])
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def _lines(settings: Mapping[str, object]) -> list[str]:
    lines = []
    for key, value in settings.items():
        if key == "closures" and isinstance(value, list):
            items = "".join(f"    {toml_value(item)},\n" for item in value)
            lines.append(f"{key} = [\n{items}]")
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    return lines


def _name_calendars(
    book: PolicyBook,
) -> tuple[list[tuple[str, BusinessCalendar]], dict[BusinessCalendar, str]]:
    """The calendars to write, named, and the name each policy refers to: the
    book's own names first, made-up ones for calendars its policies use
    without a name."""
    listed = list(book.calendars.items())
    names: dict[BusinessCalendar, str] = {}
    for name, calendar in listed:
        names.setdefault(calendar, name)
    taken = set(book.calendars)
    for policy in [*book.policies, *([book.default] if book.default else [])]:
        used = policy.calendar
        if used is None or used in names:
            continue
        number = 1
        while (name := "calendar" if number == 1 else f"calendar-{number}") in taken:
            number += 1
        taken.add(name)
        names[used] = name
        listed.append((name, used))
    return listed, names


def _calendar_settings(calendar: BusinessCalendar, name: str) -> dict[str, object]:
    key = getattr(calendar.tz, "key", None)
    if not isinstance(calendar.tz, zoneinfo.ZoneInfo) or not key:
        raise PolicyError(
            f"calendar {name!r} must use an IANA zone (zoneinfo.ZoneInfo) to be "
            f"saved, got tz={calendar.tz!r}; build it with tz='UTC' or another "
            f"zone name"
        )
    settings: dict[str, object] = {"tz": key, "hours": str(calendar.hours)}
    holidays = _holidays_value(calendar.holidays, name, "holidays")
    if holidays is not None:
        settings["holidays"] = holidays
    local = _holidays_value(calendar.local_holidays, name, "local_holidays")
    if local is not None:
        settings["local_holidays"] = local
    if calendar.special_hours:
        settings["special_hours"] = {
            day.isoformat(): ", ".join(
                f"{_format_clock(a)}-{_format_clock(b)}" for a, b in hours
            )
            or "closed"
            for day, hours in calendar.special_hours
        }
    if calendar.closures:
        settings["closures"] = [
            {"start": c.start, "end": c.end, "reason": c.reason}
            for c in calendar.closures
        ]
    return settings


def _holidays_value(source: HolidaySource, name: str, field: str) -> object | None:
    # HolidaySource keeps what it was built from in two private slots: a
    # holidays.HolidayBase or a mapping of date to name.
    base = source._base
    if base is None:
        dates: dict[dt.date, str] = source._dates
        if not dates:
            return None
        if all(label == "holiday" for label in dates.values()):
            return sorted(dates)
        return {day.isoformat(): dates[day] for day in sorted(dates)}
    country = getattr(base, "country", None)
    if not country or not getattr(base, "expand", True):
        raise PolicyError(
            f"calendar {name!r} {field} must come from "
            f"holidays.country_holidays(country, subdiv=...) to be saved, got "
            f"{source!r}"
        )
    settings: dict[str, object] = {"country": country}
    if getattr(base, "subdiv", None):
        settings["subdiv"] = base.subdiv
    if not getattr(base, "observed", True):
        settings["observed"] = False
    categories = sorted(getattr(base, "categories", ()) or ())
    if categories and categories != ["public"]:
        settings["categories"] = categories
    return settings


def _target_text(target: Target, owner: str) -> str:
    text = str(target)
    try:
        exact = parse_target(text) == target
    except TargetError:
        exact = False
    if not exact:
        raise PolicyError(
            f"{owner} target {target!r} has no exact text form ({text!r}); use an "
            f"amount with fewer decimals"
        )
    return text


def _policy_settings(
    policy: Policy, names: Mapping[BusinessCalendar, str]
) -> dict[str, object]:
    owner = f"policy {policy.name!r}"
    settings: dict[str, object] = {
        "name": policy.name,
        "target": _target_text(policy.target, owner),
        "goal": policy.goal,
    }
    if policy.calendar is not None:
        settings["calendar"] = names[policy.calendar]
    if policy.services:
        settings["services"] = list(policy.services)
    if policy.where:
        settings["where"] = _fields.where_plain(policy.where)
    if policy.at_risk != 0.75:
        settings["at_risk"] = policy.at_risk
    if policy.effective_from is not None:
        settings["effective_from"] = policy.effective_from
    if policy.effective_until is not None:
        settings["effective_until"] = policy.effective_until
    if policy.description:
        settings["description"] = policy.description
    return settings


def _adjustment_settings(adjustment: Adjustment) -> dict[str, object]:
    owner = f"adjustment {adjustment.name!r}"
    settings: dict[str, object] = {"name": adjustment.name, "reason": adjustment.reason}
    if adjustment.window is not None:
        settings["window"] = list(adjustment.window)
    if adjustment.months:
        settings["months"] = list(adjustment.months)
    if adjustment.services:
        settings["services"] = list(adjustment.services)
    if adjustment.where:
        settings["where"] = _fields.where_plain(adjustment.where)
    if adjustment.extend is not None:
        settings["extend"] = _target_text(adjustment.extend, owner)
    if adjustment.target is not None:
        settings["target"] = _target_text(adjustment.target, owner)
    if adjustment.exempt:
        settings["exempt"] = True
    return settings
