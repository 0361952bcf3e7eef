"""Reading the timestamps of real CRM exports as aware datetimes.

Three shapes are read: ISO 8601 (``2022-01-19 11:18:00``, with ``T``,
fractional seconds or an offset), US 12-hour (``10/18/2019 03:25:00 PM``) and
US 24-hour (``01/19/2022 11:18``). A value without an offset is a wall-clock
time in the reader's zone, placed on the time line by the ``nonexistent`` and
``ambiguous`` rules. A value that cannot be used raises :class:`DateProblem`,
which the loaders turn into an invalid row, never into a stopped batch.

Exports repeat the same strings (targets at 08:30, sentinels), so results are
kept in a small cache that is emptied when full: memory stays bounded however
long the file.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any, Literal, TypeAlias, get_args

from slacalc.errors import NaiveDatetimeError

__all__ = [
    "MISSING",
    "Ambiguous",
    "DateProblem",
    "DateReader",
    "Nonexistent",
    "is_missing_text",
    "parse_wall",
    "zone",
]

#: How to place a wall-clock time that a spring-forward gap skips.
Nonexistent: TypeAlias = Literal["shift_forward", "raise"]
#: How to place a wall-clock time that a fall-back fold repeats.
Ambiguous: TypeAlias = Literal["earlier", "later", "raise"]

#: Texts that stand for a missing value (compared after stripping spaces).
MISSING = frozenset({"", "NA", "N/A", "NaN", "nan", "NaT", "NULL", "null", "None"})


def is_missing_text(value: object) -> bool:
    """Whether ``value`` is a text that stands for a missing value."""
    return isinstance(value, str) and value.strip() in MISSING


#: Years outside this range are sentinels (1900-01-01) or typing errors.
FIRST_YEAR, LAST_YEAR = 1901, 2199

_CACHE_SIZE = 8192
_UNSEEN: Any = object()
_UTC = dt.UTC

_US = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*([AaPp][Mm])?)?"
)
_ISO_SHAPE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
# ISO with more fractional digits than fromisoformat takes (pandas writes 9).
_ISO_LONG_FRACTION = re.compile(r"(.*\d{2}:\d{2}:\d{2}\.\d{6})\d+(.*)")


class DateProblem(ValueError):
    """A timestamp text that cannot be used, and why.

    Attributes:
        kind: the kind of problem without the value, for counting
            (``"sentinel date"``, ``"unreadable date"``, ...).
    """

    def __init__(self, kind: str, text: str, detail: str = "") -> None:
        super().__init__(f"{kind} {text!r}{detail}")
        self.kind = kind


def zone(
    value: object, argument: str = "tz", error: type[ValueError] = ValueError
) -> dt.tzinfo:
    """A tzinfo from an IANA name or a tzinfo; ``argument`` names it in the
    ``error`` raised for anything else."""
    if isinstance(value, dt.tzinfo):
        return value
    if isinstance(value, str):
        try:
            return zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    raise error(
        f"{argument} must be an IANA time zone name such as 'America/New_York' "
        f"or a tzinfo, got {value!r}"
    )


def _choice(value: object, argument: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{argument} must be one of {allowed!r}, got {value!r}")


def parse_wall(text: str) -> dt.datetime:
    """The datetime a stripped, non-missing timestamp text spells.

    Naive unless the text carries an offset. Raises :class:`DateProblem`.
    """
    try:
        if len(text) == 22 and text[2] == "/" and text[19] == " ":
            # The fixed US 12-hour shape, sliced by hand: the common case.
            hour = int(text[11:13])
            half = text[20:22].upper()
            if not 1 <= hour <= 12 or half not in ("AM", "PM"):
                raise DateProblem("impossible date", text)
            if half == "PM":
                hour = hour % 12 + 12
            elif hour == 12:
                hour = 0
            return dt.datetime(
                int(text[6:10]),
                int(text[0:2]),
                int(text[3:5]),
                hour,
                int(text[14:16]),
                int(text[17:19]),
            )
        if text[4:5] == "-":
            return _iso(text)
    except DateProblem:
        raise
    except ValueError:
        pass
    return _us(text)


def _iso(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        long = _ISO_LONG_FRACTION.fullmatch(text)
        if long is None:
            raise
        return dt.datetime.fromisoformat(long[1] + long[2])


def _us(text: str) -> dt.datetime:
    match = _US.fullmatch(text)
    if match is None:
        if _ISO_SHAPE.fullmatch(text):
            raise DateProblem("impossible date", text)
        raise DateProblem("unreadable date", text)
    month, day, year, hour, minute, second, fraction, half = match.groups()
    h = int(hour or 0)
    if half is not None:
        if not 1 <= h <= 12:
            raise DateProblem("impossible date", text)
        h = h % 12 + (12 if half.upper() == "PM" else 0)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            h,
            int(minute or 0),
            int(second or 0),
            micro,
        )
    except ValueError:
        raise DateProblem("impossible date", text) from None


def _in_range(value: dt.datetime, text: str) -> dt.datetime:
    if FIRST_YEAR <= value.year <= LAST_YEAR:
        return value
    if value.time() == dt.time() or value.year in (1, 9999):
        raise DateProblem("sentinel date", text)
    raise DateProblem(
        "date out of range", text, f" (years {FIRST_YEAR}-{LAST_YEAR} are read)"
    )


def localize(
    wall: dt.datetime,
    tz: dt.tzinfo,
    nonexistent: Nonexistent,
    ambiguous: Ambiguous,
    text: str,
) -> dt.datetime:
    """A naive wall-clock time in ``tz`` as an aware datetime, by the rules."""
    earlier = wall.replace(tzinfo=tz)
    later = wall.replace(tzinfo=tz, fold=1)
    before, after = earlier.utcoffset(), later.utcoffset()
    if before == after:
        return earlier
    assert before is not None
    assert after is not None
    if before < after:
        # A gap: fold=0 reads the wall time with the offset in force before
        # the jump, which is the instant the length of the gap later.
        if nonexistent == "raise":
            raise DateProblem(
                "nonexistent wall time", text, f" (skipped in {tz} by a DST change)"
            )
        return earlier.astimezone(_UTC).astimezone(tz)
    if ambiguous == "raise":
        raise DateProblem(
            "ambiguous wall time", text, f" (occurs twice in {tz} at a DST change)"
        )
    return earlier if ambiguous == "earlier" else later


def _plain_day(text: str, tz: dt.tzinfo) -> tuple[int, int, int] | None:
    """The fields of ``MM/DD/YYYY`` or ``YYYY-MM-DD`` when plain in ``tz``.

    Plain: in range, and every wall time of the date exists once. A DST
    change inside the date moves the offset between its first and last
    microsecond, or puts one of them in a gap or fold (a change at
    midnight); two changes that cancel within one date do not occur.
    """
    try:
        if text[2] == "/" and text[5] == "/":
            year, month, day = int(text[6:]), int(text[:2]), int(text[3:5])
        elif text[4] == "-" and text[7] == "-":
            year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
        else:
            return None
        start = dt.datetime(year, month, day, tzinfo=tz)
    except ValueError:
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    end = start.replace(hour=23, minute=59, second=59, microsecond=999_999)
    offsets = {
        t.replace(fold=fold).utcoffset() for t in (start, end) for fold in (0, 1)
    }
    return (year, month, day) if len(offsets) == 1 else None


class DateReader:
    """Turns timestamp texts into aware datetimes, with a bounded cache.

    Args:
        tz: the zone of wall-clock values, or ``None`` when every value must
            carry its own offset.
        nonexistent, ambiguous: the DST rules for wall-clock values.
        shifted_utc: the values are true wall times that were once read as
            UTC and converted to ``tz``; convert them back first.
    """

    def __init__(
        self,
        tz: object = None,
        nonexistent: Nonexistent = "shift_forward",
        ambiguous: Ambiguous = "earlier",
        shifted_utc: bool = False,
    ) -> None:
        _choice(nonexistent, "nonexistent", get_args(Nonexistent))
        _choice(ambiguous, "ambiguous", get_args(Ambiguous))
        self.tz = None if tz is None else zone(tz)
        if shifted_utc and self.tz is None:
            raise ValueError("shifted_utc=True needs the zone: pass tz=")
        self.nonexistent: Nonexistent = nonexistent
        self.ambiguous: Ambiguous = ambiguous
        self.shifted_utc = shifted_utc
        self._cache: dict[str, dt.datetime | DateProblem | None] = {}
        # Dates of the common shapes, read once: (year, month, day) when the
        # date is in range and has no DST change in tz, else None.
        self._days: dict[str, tuple[int, int, int] | None] = {}
        self._plain_zone = None if shifted_utc else self.tz

    def __call__(self, text: str) -> dt.datetime | None:
        """The instant ``text`` spells, or ``None`` for a missing value.

        Raises:
            DateProblem: the text is not a usable timestamp.
            NaiveDatetimeError: a wall-clock value met with no ``tz``.
        """
        value: dt.datetime | DateProblem | None = self._cache.get(text, _UNSEEN)
        if value is _UNSEEN:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            try:
                value = self._fast(text) or self._read(text)
            except DateProblem as problem:
                value = problem
            self._cache[text] = value
        if isinstance(value, DateProblem):
            raise value
        return value

    def _fast(self, text: str) -> dt.datetime | None:
        """The fixed US 12-hour and ISO shapes on a plain date, else None.

        Most values take this path: a date without a DST change needs no
        gap or fold rule, so the datetime is built at once.
        """
        tz = self._plain_zone
        if tz is None:
            return None
        try:
            if len(text) == 22 and text[19] == " " and text[13] == ":":
                hour = int(text[11:13])
                half = text[20:]
                if not 1 <= hour <= 12 or (half != "AM" and half != "PM"):
                    return None
                hour = hour % 12 + (12 if half == "PM" else 0)
            elif len(text) == 19 and text[10] in " T" and text[13] == ":":
                hour = int(text[11:13])
            else:
                return None
            key = text[:10]
            try:
                day = self._days[key]
            except KeyError:
                if len(self._days) >= _CACHE_SIZE:
                    self._days.clear()
                day = self._days[key] = _plain_day(key, tz)
            if day is None or text[16] != ":":
                return None
            year, month, date = day
            minute, second = int(text[14:16]), int(text[17:19])
            return dt.datetime(year, month, date, hour, minute, second, tzinfo=tz)
        except ValueError:
            return None

    def _read(self, text: str) -> dt.datetime | None:
        stripped = text.strip()
        if stripped in MISSING:
            return None
        wall = _in_range(parse_wall(stripped), stripped)
        if wall.tzinfo is not None:
            return wall
        tz = self.tz
        if tz is None:
            raise NaiveDatetimeError(
                f"the timestamp {stripped!r} has no UTC offset and no zone was "
                "given; pass tz='America/New_York' (the zone of the export)"
            )
        if self.shifted_utc:
            # The file holds (true wall time read as UTC) shown in tz. Such a
            # value never falls in a gap; one in a fold is resolved by the
            # ambiguous rule.
            shown = localize(wall, tz, "raise", self.ambiguous, stripped)
            wall = shown.astimezone(_UTC).replace(tzinfo=None)
        return localize(wall, tz, self.nonexistent, self.ambiguous, stripped)
