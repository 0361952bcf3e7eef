"""Holiday data behind a calendar: the ``holidays`` package or plain dates."""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from slacalc.errors import CalendarError

__all__ = ["HolidaySource"]


def _is_holiday_base(value: object) -> bool:
    try:
        import holidays
    except ImportError:  # pragma: no cover - holidays is a core dependency
        return False
    return isinstance(value, holidays.HolidayBase)


class HolidaySource:
    """Holidays by local date, from a ``holidays.HolidayBase`` or dates.

    A ``HolidayBase`` is copied, so the caller's object is never changed,
    and its years are generated on demand as far as asked. Two sources are
    equal when they come from the same holiday class and settings (country,
    subdivision, observed rule, categories) or list the same dates.
    """

    __slots__ = ("_base", "_dates", "_key", "_lock")

    def __init__(self, value: object = None, argument: str = "holidays") -> None:
        self._lock = threading.Lock()
        self._base: Any = None
        self._dates: dict[dt.date, str] = {}
        if isinstance(value, HolidaySource):
            self._base = copy.deepcopy(value._base)
            self._dates = dict(value._dates)
            self._key: tuple[object, ...] = value._key
        elif value is None:
            self._key = ("dates", frozenset())
        elif _is_holiday_base(value):
            self._base = copy.deepcopy(value)
            base = self._base
            self._key = (
                "holidays",
                type(base).__module__,
                type(base).__qualname__,
                getattr(base, "country", None),
                getattr(base, "subdiv", None),
                bool(getattr(base, "observed", True)),
                tuple(sorted(getattr(base, "categories", ()) or ())),
                bool(getattr(base, "expand", True)),
                tuple(sorted(getattr(base, "years", ()) or ()))
                if not getattr(base, "expand", True)
                else (),
            )
        else:
            self._dates = _date_names(value, argument)
            self._key = ("dates", frozenset(self._dates.items()))

    def names_in(self, year: int) -> dict[dt.date, str]:
        """The holidays of one year, each date with its name."""
        if self._base is None:
            return {d: n for d, n in self._dates.items() if d.year == year}
        with self._lock:
            first, after = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
            found = self._base[first:after]
            return {d: str(self._base.get(d)) for d in found if d < after}

    def __reduce__(self) -> tuple[type[HolidaySource], tuple[object]]:
        # Pickled as what it was made from: a lock does not pickle.
        with self._lock:
            data = self._base if self._base is not None else dict(self._dates)
            return (HolidaySource, (copy.deepcopy(data),))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HolidaySource):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        """The holiday data in brief: country and settings, or the dates.

        Examples:
            >>> import datetime as dt, holidays
            >>> HolidaySource(holidays.US(subdiv="MN", observed=False))
            HolidaySource(US, subdiv='MN', observed=False)
            >>> HolidaySource([dt.date(2026, 12, 25), dt.date(2026, 11, 27)])
            HolidaySource(2 dates, 2026-11-27 to 2026-12-25)
        """
        if self._base is not None:
            base = self._base
            parts = [getattr(base, "country", None) or type(base).__name__]
            if getattr(base, "subdiv", None):
                parts.append(f"subdiv={base.subdiv!r}")
            if not getattr(base, "observed", True):
                parts.append("observed=False")
            categories = tuple(sorted(getattr(base, "categories", ()) or ()))
            if categories and categories != ("public",):
                parts.append(f"categories={categories!r}")
            return f"HolidaySource({', '.join(parts)})"
        if not self._dates:
            return "HolidaySource(no dates)"
        first, last = min(self._dates), max(self._dates)
        if first == last:
            return f"HolidaySource(1 date, {first.isoformat()})"
        count = len(self._dates)
        return (
            f"HolidaySource({count} dates, {first.isoformat()} to {last.isoformat()})"
        )


def _date_names(value: object, argument: str) -> dict[dt.date, str]:
    """Read holidays given as dates or a mapping of date to name."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise CalendarError(
            f"{argument} must be a holidays.HolidayBase, an iterable of dates or a "
            f"mapping of date to name, got {value!r}"
        )
    items: Iterable[tuple[object, object]]
    if isinstance(value, Mapping):
        items = value.items()
    else:
        items = ((d, "holiday") for d in value)
    names: dict[dt.date, str] = {}
    for day, name in items:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise CalendarError(
                f"{argument} must hold datetime.date values, got {day!r}"
            )
        names[day] = str(name)
    return names
