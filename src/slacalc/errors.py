"""Exception and warning classes raised by slacalc.

Every error refines a builtin exception, so callers may catch either the
broad builtin (``ValueError``) or the precise slacalc class.
"""

from __future__ import annotations

__all__ = [
    "CalendarError",
    "ClosedTooLongError",
    "HoursFormatError",
    "NaiveDatetimeError",
    "PolicyError",
    "PolicyFileError",
    "SlacalcWarning",
    "SourceError",
    "TargetError",
]


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was given where an instant is needed.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> cal = sla.BusinessCalendar.always("UTC")
        >>> cal.is_open(dt.datetime(2026, 1, 5, 9, 0))
        Traceback (most recent call last):
        ...
        slacalc.errors.NaiveDatetimeError: t must be a timezone-aware datetime, \
got datetime.datetime(2026, 1, 5, 9, 0); attach a zone, for example \
t.replace(tzinfo=ZoneInfo('UTC'))
    """


class HoursFormatError(ValueError):
    """Opening hours text or mapping that cannot be read.

    Examples:
        >>> import slacalc as sla
        >>> sla.WeeklyHours.parse("Mon-Fri 8-5")
        Traceback (most recent call last):
        ...
        slacalc.errors.HoursFormatError: hours must be ...
    """


class _ArgumentError(ValueError):
    """An error about one argument, which it names, with the value it got.

    The message starts with the argument's name; ``argument`` and
    ``value`` repeat them for code (the policy-file reader, say, names the
    key the argument came from). ``argument`` is ``None`` when no single
    argument is at fault.
    """

    def __init__(
        self, message: str, *, argument: str | None = None, value: object = None
    ) -> None:
        super().__init__(message)
        self.argument = argument
        self.value = value

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild,
            (type(self), str(self.args[0]) if self.args else ""),
            {"argument": self.argument, "value": self.value},
        )


def _rebuild(cls: type[_ArgumentError], message: str) -> _ArgumentError:
    """An unpickled error: its message now, its attributes from the state."""
    return cls(message)


class CalendarError(_ArgumentError):
    """A business calendar that cannot be built as asked.

    Attributes:
        argument: the argument at fault, such as ``"end"``, or ``None``.
        value: the value it got, when ``argument`` is given.

    Examples:
        >>> import slacalc as sla
        >>> sla.BusinessCalendar(tz="Mars/Olympus_Mons")
        Traceback (most recent call last):
        ...
        slacalc.errors.CalendarError: tz must be an IANA time zone name ...
    """


class ClosedTooLongError(CalendarError):
    """A search met more than a year of consecutive closed days.

    Raised instead of searching forever, for example when closures or
    holidays cover a whole year.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> utc = dt.timezone.utc
        >>> cal = sla.BusinessCalendar(
        ...     tz="UTC",
        ...     closures=[sla.Closure(dt.datetime(2026, 1, 1, tzinfo=utc),
        ...                           dt.datetime(2028, 1, 1, tzinfo=utc))],
        ... )
        >>> cal.next_opening(dt.datetime(2026, 6, 1, tzinfo=utc))
        Traceback (most recent call last):
        ...
        slacalc.errors.ClosedTooLongError: ...
    """


class TargetError(ValueError):
    """An SLA target that is out of range or cannot be parsed.

    Examples:
        >>> import slacalc as sla
        >>> sla.parse_target("soon")
        Traceback (most recent call last):
        ...
        slacalc.errors.TargetError: text must be ...
    """


class PolicyError(_ArgumentError):
    """A policy, adjustment or policy book that cannot be built as asked.

    Attributes:
        argument: the argument at fault, such as ``"effective_until"`` or
            ``"policies[1].name"``, or ``None``.
        value: the value it got, when ``argument`` is given.

    Examples:
        >>> import slacalc as sla
        >>> sla.Policy("Potholes", "2 business days", goal=1.5)
        Traceback (most recent call last):
        ...
        slacalc.errors.PolicyError: goal must be a number in (0, 1], got 1.5
    """


class PolicyFileError(PolicyError):
    """A policy file (TOML) that cannot be read.

    The message names the file, the key and the bad value; they are also
    attributes.

    Attributes:
        file: the path of the file, or ``"<text>"`` for TOML given as text.
        key: the key path, such as ``"policies[2].goal"``, or ``None`` when
            the file is not valid TOML.
        value: the bad value, or ``None``.

    Examples:
        >>> import slacalc as sla
        >>> text = '''
        ... [[policies]]
        ... name = "Potholes"
        ... target = "2 business days"
        ... goal = 1.5
        ... '''
        >>> try:
        ...     sla.PolicyBook.from_toml(text)
        ... except sla.PolicyFileError as error:
        ...     print(error.key, error.value)
        policies[0].goal 1.5
    """

    def __init__(
        self, file: str, key: str | None, message: str, value: object = None
    ) -> None:
        super().__init__(f"{file}: {message}", argument=key, value=value)
        self.file = file
        self.key = key
        self._message = message

    def __reduce__(self) -> tuple[type[PolicyFileError], tuple[object, ...]]:
        return (type(self), (self.file, self.key, self._message, self.value))


class SourceError(ValueError):
    """A request file (CSV or Open311 JSON) that cannot be read.

    Raised for what stops a whole file: a missing column, an empty file,
    bytes not in the encoding, broken gzip or CSV quoting. A bad value in one
    row never raises; that row is loaded as invalid, with its reason.

    Attributes:
        source: the file's path or name, ``"<stream>"`` when it has none.

    Examples:
        >>> import io
        >>> import slacalc as sla
        >>> text = io.StringIO("id,opened\\n1,2026-03-02 09:00\\n")
        >>> sla.read_csv(text, columns={"id": "id", "received": "open_dt"})
        Traceback (most recent call last):
        ...
        slacalc.errors.SourceError: <stream>: missing column 'open_dt' (received); \
the header has 2 columns: 'id', 'opened'
    """

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self._message = message

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str]]:
        return (type(self), (self.source, self._message))


class SlacalcWarning(UserWarning):
    """Base class of the warnings slacalc emits.

    Silence all of them with
    ``warnings.filterwarnings("ignore", category=slacalc.SlacalcWarning)``.

    Examples:
        >>> import slacalc as sla
        >>> issubclass(sla.SlacalcWarning, UserWarning)
        True
    """
