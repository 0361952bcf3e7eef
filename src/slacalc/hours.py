"""Weekly opening hours and their text form.

Opening hours are wall-clock intervals ``[open, close)`` for each weekday.
They are written as text, ``"Mon-Fri 08:00-12:00, 12:30-16:30; Sat 09:00-12:00"``,
or as a mapping, ``{"mon": ["08:00-12:00", "12:30-16:30"], "sat": "09:00-12:00"}``.
Times are held as whole microseconds since local midnight.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import TypeAlias

import attrs

from slacalc._instants import time_us
from slacalc.errors import HoursFormatError

__all__ = ["DayHours", "WeeklyHours", "format_day_hours", "parse_day_hours"]

#: One day's opening intervals, as sorted, disjoint ``(open, close)`` pairs of
#: microseconds since local midnight; ``close`` may be 24:00 (86_400_000_000).
DayHours: TypeAlias = tuple[tuple[int, int], ...]

#: What a single day's hours may be given as: text, a list of texts, or
#: ``(open, close)`` pairs of ``datetime.time``.
DayHoursLike: TypeAlias = "str | Iterable[str | tuple[dt.time, dt.time]]"

_US_PER_MINUTE = 60_000_000
_DAY_US = 24 * 60 * _US_PER_MINUTE
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = {
    **{name: i for i, name in enumerate(_DAY_NAMES)},
    **{
        full: i
        for i, full in enumerate(
            (
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            )
        )
    },
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
# HH:MM, HH:MM:SS or HH:MM:SS.ffffff: what _format_clock writes.
_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
_INTERVAL_RE = re.compile(rf"^{_TIME}\s*-\s*{_TIME}$")
_HOURS_HELP = (
    "weekday names or ranges followed by HH:MM-HH:MM intervals, groups "
    "separated by ';', for example 'Mon-Fri 08:00-12:00, 12:30-16:30; "
    "Sat 09:00-12:00'"
)


def _clock_us(
    hour: str, minute: str, second: str | None, fraction: str | None
) -> int | None:
    h, m, s = int(hour), int(minute), int(second or 0)
    micro = int((fraction or "").ljust(6, "0"))
    if m > 59 or s > 59 or h > 24 or (h == 24 and (m or s or micro)):
        return None
    return ((h * 60 + m) * 60 + s) * 1_000_000 + micro


def _format_clock(us: int) -> str:
    seconds, micro = divmod(us, 1_000_000)
    minutes, sec = divmod(seconds, 60)
    text = f"{minutes // 60:02d}:{minutes % 60:02d}"
    if sec or micro:
        text += f":{sec:02d}"
    if micro:
        text += f".{micro:06d}"
    return text


def format_day_hours(hours: DayHours) -> str:
    """The text form of one day's hours, which :func:`parse_day_hours` reads.

    Examples:
        >>> format_day_hours(parse_day_hours("08:00-12:00, 12:30:15-16:30"))
        '08:00-12:00, 12:30:15-16:30'
        >>> format_day_hours(())
        'closed'
    """
    if not hours:
        return "closed"
    return ", ".join(f"{_format_clock(a)}-{_format_clock(b)}" for a, b in hours)


def _time_us(value: dt.time) -> int:
    if value.tzinfo is not None:
        raise HoursFormatError(
            f"opening hours must use wall-clock times without a zone, got {value!r}"
        )
    return time_us(value)


def _parse_interval(text: str, argument: str) -> tuple[int, int]:
    match = _INTERVAL_RE.match(text.strip())
    opening = closing = None
    if match:
        opening = _clock_us(*match.group(1, 2, 3, 4))
        closing = _clock_us(*match.group(5, 6, 7, 8))
    if opening is None or closing is None or opening == _DAY_US:
        raise HoursFormatError(
            f"{argument} must be intervals like '08:00-16:30' (24:00 allowed "
            f"as a close), got {text!r}"
        )
    if opening == closing:
        raise HoursFormatError(
            f"{argument} must not contain an empty interval, got {text!r}; "
            "leave the day out to close it"
        )
    return opening, closing


def _merge(intervals: Iterable[tuple[int, int]]) -> DayHours:
    merged: list[list[int]] = []
    for opening, closing in sorted(intervals):
        if merged and opening <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], closing)
        else:
            merged.append([opening, closing])
    return tuple((a, b) for a, b in merged)


def _interval_items(value: object, argument: str) -> list[tuple[int, int]]:
    """Read one day's value (text, list of texts or time pairs) as raw pairs."""
    if isinstance(value, str):
        text = value.strip()
        if text.lower() == "closed":
            return []
        return [_parse_interval(part, argument) for part in text.split(",")]
    if not isinstance(value, Iterable):
        raise HoursFormatError(
            f"{argument} must be text like '08:00-16:30' or a list of intervals, "
            f"got {value!r}"
        )
    pairs: list[tuple[int, int]] = []
    for item in value:
        if isinstance(item, str):
            pairs.extend(_interval_items(item, argument))
        elif (
            isinstance(item, tuple)
            and len(item) == 2
            and all(isinstance(x, dt.time) for x in item)
        ):
            opening, closing = _time_us(item[0]), _time_us(item[1])
            if closing == 0:
                closing = _DAY_US
            if opening == closing:
                raise HoursFormatError(
                    f"{argument} must not contain an empty interval, got {item!r}"
                )
            pairs.append((opening, closing))
        else:
            raise HoursFormatError(
                f"{argument} must hold 'HH:MM-HH:MM' texts or (time, time) pairs, "
                f"got {item!r}"
            )
    return pairs


def parse_day_hours(value: object, argument: str = "hours") -> DayHours:
    """Read the opening hours of a single date, which may not cross midnight.

    Args:
        value: ``"08:00-12:00"``, ``"08:00-12:00, 13:00-15:00"``, ``"closed"``,
            a list of such texts, or a list of ``(time, time)`` pairs.
        argument: the argument name to use in error messages.

    Returns:
        Sorted, merged ``(open, close)`` pairs in microseconds since midnight.

    Raises:
        HoursFormatError: when the value cannot be read or an interval crosses
            midnight.

    Examples:
        >>> parse_day_hours("08:00-12:00, 11:00-13:00")
        ((28800000000, 46800000000),)
        >>> parse_day_hours("closed")
        ()
    """
    pairs = _interval_items(value, argument)
    for opening, closing in pairs:
        if closing < opening:
            raise HoursFormatError(
                f"{argument} must not cross midnight on a single date, got "
                f"{_format_clock(opening)}-{_format_clock(closing)}; close at 24:00 "
                "and give the next date its own hours"
            )
    return _merge(pairs)


def _day_index(token: str, argument: str) -> int:
    index = _DAY_ALIASES.get(token.lower())
    if index is None:
        raise HoursFormatError(
            f"{argument} must name weekdays as Mon, Tue, ... Sun, got {token!r}"
        )
    return index


def _day_span(token: str, argument: str) -> list[int]:
    if "-" not in token:
        return [_day_index(token, argument)]
    first, _, last = token.partition("-")
    start, stop = _day_index(first, argument), _day_index(last, argument)
    return [(start + k) % 7 for k in range((stop - start) % 7 + 1)]


def _place(
    week: list[list[tuple[int, int]]], day: int, opening: int, closing: int
) -> None:
    """Put an interval on its weekday, splitting one that crosses midnight."""
    if closing > opening:
        week[day].append((opening, closing))
        return
    week[day].append((opening, _DAY_US))
    if closing > 0:
        week[(day + 1) % 7].append((0, closing))


def _days(value: str | Iterable[DayHours]) -> tuple[DayHours, ...]:
    """The ``days`` of :class:`WeeklyHours`: given as they are, or as text."""
    if isinstance(value, str):
        return WeeklyHours.parse(value).days
    if not isinstance(value, Iterable):
        raise HoursFormatError(
            f"days must be weekly hours text such as 'Mon-Fri 08:00-16:30' or "
            f"seven days' (open, close) pairs, Monday first, got {value!r}"
        )
    return tuple(value)


@attrs.frozen
class WeeklyHours:
    """Opening hours for each weekday, as wall-clock intervals ``[open, close)``.

    An interval written across midnight (``"Mon 22:00-06:00"``) is split at
    midnight; its morning part belongs to the next weekday. Overlapping or
    touching intervals on a day are merged. ``str()`` gives text that
    :meth:`parse` reads back to an equal value, and ``repr()`` the call that
    builds it again.

    Args:
        days: the text form, read by :meth:`parse`, or seven
            :data:`DayHours`, Monday first.

    Attributes:
        days: seven :data:`DayHours`, Monday first.

    Raises:
        HoursFormatError: for text that cannot be read, or not seven days.

    Examples:
        >>> text = "Mon-Fri 08:00-12:00, 12:30-16:30; Sat 09:00-12:00"
        >>> str(WeeklyHours.parse(text))
        'Mon-Fri 08:00-12:00, 12:30-16:30; Sat 09:00-12:00'
        >>> WeeklyHours("Mon 22:00-06:00")
        WeeklyHours('Mon 22:00-24:00; Tue 00:00-06:00')
    """

    days: tuple[DayHours, ...] = attrs.field(converter=_days)

    @days.validator
    def _check_days(self, attribute: object, value: tuple[DayHours, ...]) -> None:
        if len(value) != 7:
            raise HoursFormatError(
                f"days must hold seven days' hours, Monday first, got {len(value)}"
            )

    @classmethod
    def parse(cls, text: str, argument: str = "hours") -> WeeklyHours:
        """Read weekly hours from text.

        Args:
            text: groups separated by ``;``, each weekday names or ranges
                (``Mon-Fri``, ``Sat``, ``Mon, Wed``) followed by intervals
                separated by commas. ``Mon-Sun`` or ``daily`` covers the week.
            argument: the name to use for ``text`` in error messages.

        Returns:
            The weekly hours.

        Raises:
            HoursFormatError: naming the part that cannot be read.

        Examples:
            >>> WeeklyHours.parse("daily 00:00-24:00").is_always_open()
            True
        """
        if not isinstance(text, str):
            raise HoursFormatError(f"{argument} must be text, got {text!r}")
        week: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        groups = [group.strip() for group in text.split(";") if group.strip()]
        if not groups:
            raise HoursFormatError(f"{argument} must be {_HOURS_HELP}, got {text!r}")
        for group in groups:
            tokens = [t for t in re.split(r"[\s,]+", group) if t]
            days: list[int] = []
            closed = False
            while tokens and tokens[0][:1].isalpha():
                token = tokens.pop(0)
                if token.lower() in ("daily", "everyday"):
                    days.extend(range(7))
                elif token.lower() == "closed":
                    closed = True
                else:
                    days.extend(_day_span(token, argument))
            if closed and not tokens:
                continue
            if not days or not tokens:
                raise HoursFormatError(
                    f"{argument} must be {_HOURS_HELP}, got {text!r}"
                )
            intervals = _parse_group_intervals(" ".join(tokens), argument)
            for day in days:
                for opening, closing in intervals:
                    _place(week, day, opening, closing)
        return cls(tuple(_merge(day) for day in week))

    @classmethod
    def from_mapping(
        cls, mapping: Mapping[str, object], argument: str = "hours"
    ) -> WeeklyHours:
        """Read weekly hours from a mapping of weekday to that day's intervals.

        Args:
            mapping: keys are weekday names (``"mon"`` or ``"monday"``) or
                ranges (``"mon-fri"``); values are text such as
                ``"08:00-12:00, 12:30-16:30"``, a list of such texts, a list of
                ``(time, time)`` pairs, or ``"closed"``. Days left out are closed.
            argument: the name to use for ``mapping`` in error messages.

        Returns:
            The weekly hours.

        Raises:
            HoursFormatError: naming the key or value that cannot be read.

        Examples:
            >>> str(WeeklyHours.from_mapping({"mon-fri": "08:00-16:30"}))
            'Mon-Fri 08:00-16:30'
        """
        week: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        for key, value in mapping.items():
            if not isinstance(key, str):
                raise HoursFormatError(
                    f"{argument} keys must be weekday names like 'mon', got {key!r}"
                )
            for day in _day_span(key.strip(), f"{argument} keys"):
                for opening, closing in _interval_items(value, f"{argument}[{key!r}]"):
                    _place(week, day, opening, closing)
        return cls(tuple(_merge(day) for day in week))

    @classmethod
    def coerce(cls, value: object, argument: str = "hours") -> WeeklyHours:
        """Accept weekly hours as a :class:`WeeklyHours`, text or mapping.

        Args:
            value: the weekly hours, their text or a mapping.
            argument: the name to use for ``value`` in error messages.

        Raises:
            HoursFormatError: naming ``argument`` and the part that cannot
                be read.

        Examples:
            >>> WeeklyHours.coerce("Mon-Fri 09:00-17:00").days[5]
            ()
        """
        if isinstance(value, WeeklyHours):
            return value
        if isinstance(value, str):
            return cls.parse(value, argument)
        if isinstance(value, Mapping):
            return cls.from_mapping(value, argument)
        raise HoursFormatError(
            f"{argument} must be text like 'Mon-Fri 08:00-16:30', a mapping of "
            f"weekday to intervals, or WeeklyHours, got {value!r}"
        )

    def is_always_open(self) -> bool:
        """Whether every weekday is open around the clock.

        Examples:
            >>> WeeklyHours.parse("Mon-Fri 08:00-17:00").is_always_open()
            False
        """
        return all(day == ((0, _DAY_US),) for day in self.days)

    def weekly_open_us(self) -> int:
        """Total open time in a week, in microseconds.

        Examples:
            >>> hours = WeeklyHours.parse("Mon-Fri 08:00-16:00")
            >>> hours.weekly_open_us() // 3_600_000_000
            40
        """
        return sum(closing - opening for day in self.days for opening, closing in day)

    def __str__(self) -> str:
        groups: list[tuple[list[int], DayHours]] = []
        for index, day in enumerate(self.days):
            if not day:
                continue
            if groups and groups[-1][1] == day and groups[-1][0][-1] == index - 1:
                groups[-1][0].append(index)
            else:
                groups.append(([index], day))
        if not groups:
            return "closed"
        parts = []
        for indexes, day in groups:
            names = _DAY_NAMES[indexes[0]].title()
            if len(indexes) > 1:
                names += "-" + _DAY_NAMES[indexes[-1]].title()
            parts.append(f"{names} {format_day_hours(day)}")
        return "; ".join(parts)

    def __repr__(self) -> str:
        return f"WeeklyHours({str(self)!r})"


def _parse_group_intervals(text: str, argument: str) -> list[tuple[int, int]]:
    """Read ``08:00-12:00, 12:30-16:30`` (commas or spaces between)."""
    compact = re.sub(r"\s*-\s*", "-", text.strip())
    return [_parse_interval(part, argument) for part in re.split(r"[\s,]+", compact)]
