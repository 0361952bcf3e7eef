"""Writing a policy book as TOML: the text behind ``PolicyBook.to_toml``.

A small writer for the values a book holds (strings, booleans, whole
numbers, finite floats, dates, aware datetimes, lists and string-keyed
mappings as inline tables), and the book's sections in the format
:mod:`slacalc.config` describes. Reading is the standard library's
``tomllib`` (see :mod:`slacalc._toml_read`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import zoneinfo
from collections.abc import Mapping
from typing import TYPE_CHECKING

from slacalc import _fields
from slacalc._holidays import HolidaySource
from slacalc.calendar import BusinessCalendar
from slacalc.errors import PolicyError
from slacalc.hours import format_day_hours

if TYPE_CHECKING:
    from slacalc.adjust import Adjustment
    from slacalc.book import PolicyBook
    from slacalc.policy import Policy

__all__ = ["book_text", "toml_key", "toml_value"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(key: str) -> str:
    """A key, bare when it can be, quoted otherwise."""
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    # JSON escapes quotes, backslashes and control characters the way TOML
    # basic strings do; DEL is a control character to TOML but not to JSON.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def toml_value(value: object) -> str:
    """The TOML form of ``value``.

    Raises:
        ValueError: for a naive datetime, a float that is not finite, or a
            type TOML cannot hold.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"value must be a finite number, got {value!r}")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.datetime):
        offset = value.utcoffset()
        if offset is None:
            raise ValueError(f"value must be a timezone-aware datetime, got {value!r}")
        if offset.seconds % 60 or offset.microseconds:
            # TOML offsets are whole minutes (old local mean times are not).
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        pairs = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    raise ValueError(f"value must be a TOML value, got {value!r}")


def book_text(book: PolicyBook) -> str:
    """The TOML text of ``book``; see :func:`slacalc.config.write_book`."""
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
            day.isoformat(): format_day_hours(hours)
            for day, hours in calendar.special_hours
        }
    if calendar.closures:
        settings["closures"] = [
            {
                "start": c.start.astimezone(calendar.tz),
                "end": c.end.astimezone(calendar.tz),
                "reason": c.reason,
            }
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


def _policy_settings(
    policy: Policy, names: Mapping[BusinessCalendar, str]
) -> dict[str, object]:
    settings: dict[str, object] = {
        "name": policy.name,
        "target": str(policy.target),
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
        settings["extend"] = str(adjustment.extend)
    if adjustment.target is not None:
        settings["target"] = str(adjustment.target)
    if adjustment.exempt:
        settings["exempt"] = True
    return settings
