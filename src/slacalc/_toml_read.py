"""Reading a policy book from TOML: the checks behind ``PolicyBook.from_toml``.

Every value is checked with the same converters as the Python API, under
its key path, and every error names the file, the key and the value. The
format is described in :mod:`slacalc.config`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import holidays as holidays_package

from slacalc import _fields
from slacalc import _toml_values as values
from slacalc._toml import toml_key, toml_value
from slacalc._toml_values import shown as _shown
from slacalc.adjust import Adjustment
from slacalc.book import PolicyBook
from slacalc.calendar import BusinessCalendar, Closure
from slacalc.errors import PolicyError, PolicyFileError
from slacalc.policy import Policy
from slacalc.targets import Target

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
#: What to add for a missing key, shown in its error.
_EXAMPLES = {
    "tz": 'tz = "America/Chicago"',
    "name": 'name = "Pothole"',
    "target": 'target = "5 business days"',
    "goal": "goal = 0.9",
    "reason": 'reason = "Roads closed by ice"',
    "start": "start = 2026-01-06T12:00:00-06:00",
    "end": "end = 2026-01-07T08:00:00-06:00",
    "country": 'country = "US"',
}


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

    def table(
        self,
        key: str | None,
        value: object,
        known: tuple[str, ...],
        form: str = "",
    ) -> dict[str, Any]:
        """``value`` as a table with only ``known`` keys (``key`` None: the
        top level); ``form`` shows how to write it."""
        if not isinstance(value, dict):
            raise self.error(
                key,
                f"{key} must be a table{form}, got {_shown(value)}",
                value,
            )
        for name in value:
            if name not in known:
                path = _key_path(key, name)
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self.error(
                    path,
                    f"{path} is not a known key; expected one of "
                    f"{', '.join(known)}{hint}",
                    value[name],
                )
        return value

    def array_of_tables(self, key: str, value: object) -> list[Any]:
        if not isinstance(value, list):
            raise self.error(
                key,
                f"{key} must be an array of tables ([[{key}]]), got {_shown(value)}",
                value,
            )
        return value

    def required(self, key: str, table: dict[str, Any], name: str) -> Any:
        if name not in table:
            raise self.error(
                f"{key}.{name}",
                f"{key}.{name} is required; add it, such as {_EXAMPLES[name]}",
                None,
            )
        return table[name]

    def rejected(self, key: str | None, error: ValueError) -> PolicyFileError:
        """An object's own error about the table at ``key`` (None: the whole
        file), its argument named by its key path in the file."""
        argument = getattr(error, "argument", None)
        message = str(error)
        if argument is None:
            return self.error(key, f"{key}: {message}", None)
        path = argument if key is None else f"{key}.{argument}"
        if message.startswith(argument):
            message = path + message[len(argument) :]
        else:
            message = f"{path}: {message}"
        return self.error(path, message, getattr(error, "value", None))

    # The book

    def book(self, text: str) -> PolicyBook:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise self.error(None, f"not valid TOML: {error}", None) from None
        self.table(None, data, _SECTIONS)
        calendars = self.calendars(data.get("calendars", {}))
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
            raise self.rejected(None, error) from None

    # Calendars

    def calendars(self, value: object) -> dict[str, BusinessCalendar]:
        table = self.table(
            "calendars",
            value,
            tuple(value) if isinstance(value, dict) else (),
            form=" of named calendars ([calendars.<name>])",
        )
        return {
            name: self.calendar(_key_path("calendars", name), settings)
            for name, settings in table.items()
        }

    def calendar(self, key: str, value: object) -> BusinessCalendar:
        table = self.table(key, value, _CALENDAR_KEYS)
        tz = self.convert(f"{key}.tz", self.required(key, table, "tz"), values.zone)
        settings: dict[str, Any] = {"tz": tz}
        if "hours" in table:
            settings["hours"] = self.convert(
                f"{key}.hours", table["hours"], values.hours
            )
        if "holidays" in table:
            settings["holidays"] = self.holidays(f"{key}.holidays", table["holidays"])
        if "local_holidays" in table:
            settings["local_holidays"] = self.convert(
                f"{key}.local_holidays",
                table["local_holidays"],
                values.date_names,
            )
        if "special_hours" in table:
            settings["special_hours"] = self.convert(
                f"{key}.special_hours",
                table["special_hours"],
                values.special_hours,
            )
        if "closures" in table:
            closures = table["closures"]
            if not isinstance(closures, list):
                raise self.error(
                    f"{key}.closures",
                    f"{key}.closures must be an array of tables, such as "
                    f"[{{ start = 2026-01-06T12:00:00-06:00, "
                    f"end = 2026-01-07T08:00:00-06:00 }}], got {_shown(closures)}",
                    closures,
                )
            settings["closures"] = [
                self.closure(f"{key}.closures[{i}]", item, tz)
                for i, item in enumerate(closures)
            ]
        try:
            return BusinessCalendar(**settings)
        except ValueError as error:
            raise self.rejected(key, error) from None

    def holidays(self, key: str, value: object) -> Any:
        """Holidays: a table of settings for ``holidays.country_holidays``,
        or dates (a list, or a table of date to name)."""
        if (
            not isinstance(value, dict)
            or not value
            or any(name[:1].isdigit() for name in value)
        ):
            return self.convert(key, value, values.date_names)
        table = self.table(key, value, _HOLIDAY_KEYS)
        country = self.required(key, table, "country")
        options: dict[str, Any] = {}
        for name, read in (
            ("subdiv", _fields.text),
            ("observed", values.boolean),
            ("categories", values.categories),
        ):
            if name in table:
                options[name] = self.convert(f"{key}.{name}", table[name], read)
        country = self.convert(f"{key}.country", country, _fields.text)
        try:
            return holidays_package.country_holidays(country, **options)
        except (NotImplementedError, ValueError, KeyError, TypeError) as error:
            raise self.holidays_error(key, table, error) from None

    def holidays_error(
        self, key: str, table: dict[str, Any], error: Exception
    ) -> PolicyFileError:
        """The error for holiday settings the holidays package refused,
        naming the setting at fault."""
        country = table["country"]
        known = holidays_package.list_supported_countries()
        if country not in known:
            close = [c for c in known if c.lower() == country.lower()]
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return self.error(
                f"{key}.country",
                f"{key}.country must be a country code the holidays package "
                f"knows, such as 'US' or 'CA', got {country!r}{hint}",
                country,
            )
        if "subdiv" in table and isinstance(error, NotImplementedError):
            subdiv = table["subdiv"]
            codes = known[country]
            close = [c for c in codes if c.lower() == subdiv.lower()]
            if close:
                hint = f"; did you mean {close[0]!r}?"
            else:
                shown = ", ".join(repr(c) for c in codes[:8])
                more = f" and {len(codes) - 8} more" if len(codes) > 8 else ""
                hint = f"; {country!r} has {shown}{more}" if codes else ""
            return self.error(
                f"{key}.subdiv",
                f"{key}.subdiv must be a subdivision of {country!r} the holidays "
                f"package knows, got {subdiv!r}{hint}",
                subdiv,
            )
        if "categories" in table:
            return self.error(
                f"{key}.categories",
                f"{key}.categories must be holiday categories the holidays package "
                f"knows for {country!r}, such as ['public'], got "
                f"{_shown(table['categories'])} ({error})",
                table["categories"],
            )
        return self.error(
            key,
            f"{key} must name a country and subdivision the holidays package "
            f'knows, such as {{ country = "US", subdiv = "MN" }}, got '
            f"{_shown(table)} ({error})",
            table,
        )

    def closure(self, key: str, value: object, tz: dt.tzinfo) -> Closure:
        table = self.table(key, value, _CLOSURE_KEYS)
        start, end = (
            self.convert(
                f"{key}.{name}",
                self.required(key, table, name),
                values.instant(tz),
            )
            for name in ("start", "end")
        )
        reason = self.convert(f"{key}.reason", table.get("reason", ""), _fields.text)
        try:
            return Closure(start, end, reason=reason)
        except ValueError as error:
            raise self.rejected(key, error) from None

    # Policies and adjustments

    def policy(
        self,
        key: str,
        value: object,
        calendars: Mapping[str, BusinessCalendar],
        *,
        default: bool = False,
    ) -> Policy:
        if default and isinstance(value, dict):
            for name in ("services", "where"):
                if name in value:
                    raise self.error(
                        f"default.{name}",
                        f"default.{name} is not a known key: the default covers "
                        f"the requests no listed policy covers; give it its own "
                        f"[[policies]] table to cover some of them",
                        value[name],
                    )
        known = tuple(
            k for k in _POLICY_KEYS if not default or k not in ("services", "where")
        )
        table = self.table(key, value, known, form=_form(key))
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
            "effective_from": values.date,
            "effective_until": values.date,
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
        except PolicyError as error:
            if error.argument == "calendar":
                target = settings["target"]
                raise self.missing_calendar(key, target, calendars) from None
            raise self.rejected(key, error) from None

    def missing_calendar(
        self, key: str, target: Target, calendars: Mapping[str, BusinessCalendar]
    ) -> PolicyFileError:
        why = (
            "counts business time" if target.business else "starts at the next opening"
        )
        if calendars:
            names = ", ".join(repr(name) for name in calendars)
            fix = (
                f"add calendar = {toml_value(next(iter(calendars)))} or another "
                f"calendar under [calendars] ({names})"
            )
        else:
            fix = 'add calendar = "<name>" and a table [calendars.<name>]'
        return self.error(
            f"{key}.calendar",
            f"{key}.calendar is required for the target {str(target)!r}, which "
            f"{why}, got none; {fix}",
            None,
        )

    def calendar_named(
        self, key: str, value: object, calendars: Mapping[str, BusinessCalendar]
    ) -> BusinessCalendar:
        if isinstance(value, str) and value in calendars:
            return calendars[value]
        known = ", ".join(repr(name) for name in calendars) or "none defined"
        close = (
            difflib.get_close_matches(value, list(calendars), n=1)
            if isinstance(value, str)
            else []
        )
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise self.error(
            key,
            f"{key} must name a calendar under [calendars] ({known}), got "
            f"{_shown(value)}{hint}",
            value,
        )

    def adjustment(self, key: str, value: object) -> Adjustment:
        table = self.table(key, value, _ADJUSTMENT_KEYS, form=_form(key))
        for name in ("name", "reason"):
            self.required(key, table, name)
        converters: dict[str, Callable[[Any, str], Any]] = {
            "name": _fields.name,
            "reason": _fields.name,
            "window": values.window,
            "months": _fields.months,
            "services": _fields.services,
            "where": _fields.where,
            "extend": _fields.extension,
            "target": _fields.target,
            "exempt": values.boolean,
        }
        settings = {
            name: self.convert(f"{key}.{name}", table[name], convert)
            for name, convert in converters.items()
            if name in table
        }
        effects = [
            name
            for name in ("extend", "target", "exempt")
            if settings.get(name) not in (None, False)
        ]
        if len(effects) != 1:
            given = " and ".join(
                f"{name} = {_effect_text(settings[name])}" for name in effects
            )
            fix = "keep one of them" if effects else "add one, such as exempt = true"
            raise self.error(
                key,
                f"{key} (adjustment {settings['name']!r}) must have exactly one "
                f"effect (extend, target or exempt = true), got "
                f"{given or 'none'}; {fix}",
                None,
            )
        try:
            return Adjustment(**settings)
        except ValueError as error:
            raise self.rejected(key, error) from None


def _key_path(table: str | None, name: str) -> str:
    """The path of key ``name`` in ``table`` (None: the top level)."""
    return toml_key(name) if table is None else f"{table}.{toml_key(name)}"


def _form(key: str) -> str:
    """How the table at ``key`` is written, for errors."""
    section = key.partition("[")[0]
    return f" ([[{section}]])" if section != key else f" ([{key}])"


def _effect_text(value: object) -> str:
    if isinstance(value, Target):
        return repr(str(value))
    return "true" if value is True else _shown(value)
