"""Loading service requests from CSV exports, with presets for real cities.

:func:`read_csv` streams a CSV file (plain or gzip) row by row into
:class:`~slacalc.Request` records, by a :class:`ColumnMap` naming the columns
or a preset for a city's export. Memory stays constant however long the file.

**Nothing is dropped.** Every data row becomes one request. A value that
cannot be used (an unreadable, impossible or sentinel date such as NYC's
``01/01/1900 12:00:00 AM``, a wall time the DST rules refuse, a row with the
wrong number of fields) leaves its field ``None`` and flags the request: its
``attributes["_invalid"]`` (:data:`INVALID`) holds the reasons, each naming
the column and the raw text, joined by ``"; "``. Evaluation reads such a
request as ``invalid`` with that reason. A missing value (empty, ``NA``,
``NaN``, spaces) is not a problem: a missing closed date means still open.

What stops a whole file (a missing column, an empty file, bytes not in the
encoding) raises :class:`~slacalc.SourceError` naming the file.

The reader counts as it goes: ``reader.report`` is a :class:`LoadReport` in
which ``rows == loaded + flagged``.
"""

from __future__ import annotations

import csv
import datetime as dt
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import attrs

from slacalc._dates import MISSING, Ambiguous, DateProblem, DateReader, Nonexistent
from slacalc._files import Opened, PathOrFile, open_text, read_error
from slacalc._state import picklable
from slacalc.errors import SourceError
from slacalc.loading import INVALID, RequestReader, Tally
from slacalc.outcomes import Request

__all__ = ["PRESETS", "ColumnMap", "PresetName", "read_csv"]

#: The names of the city presets of :func:`read_csv`.
PresetName: TypeAlias = Literal["boston", "boston_2016", "nyc", "baltimore"]

_FIELDS = ("id", "service", "received", "closed", "due")


def _attribute_columns(value: Iterable[str] | Mapping[str, str]) -> Mapping[str, str]:
    if isinstance(value, str):
        raise TypeError(f"attributes must be column names, not one string: {value!r}")
    if isinstance(value, Mapping):
        pairs = {str(name): str(column) for name, column in value.items()}
    else:
        pairs = {str(column): str(column) for column in value}
    return MappingProxyType(pairs)


@picklable
@attrs.frozen
class ColumnMap:
    """Which CSV column holds which field of a request.

    Attributes:
        id, received: the columns of the identifier and the receipt time.
        service: the column of the service code or request type.
        closed: the column of the close time, if any.
        due: the column of the CRM's own due date, if any.
        attributes: more columns kept as request attributes, as a sequence
            of column names or a mapping of attribute name to column.

    Examples:
        >>> columns = ColumnMap(id="case", received="opened", service="type",
        ...                     attributes={"district": "Council District"})
        >>> columns.attributes["district"], columns.closed
        ('Council District', None)
    """

    id: str
    received: str
    service: str | None = None
    closed: str | None = None
    due: str | None = None
    attributes: Mapping[str, str] = attrs.field(
        factory=dict, converter=_attribute_columns, hash=False
    )

    @classmethod
    def preset(cls, name: PresetName) -> ColumnMap:
        """The column map of a city preset (see :data:`PRESETS`).

        Examples:
            >>> ColumnMap.preset("nyc").received
            'Created Date'
        """
        if name not in PRESETS:
            raise ValueError(f"preset must be one of {sorted(PRESETS)!r}, got {name!r}")
        return PRESETS[name]


def _boston(due: str, ontime: str) -> ColumnMap:
    kept = ("case_status", ontime, "department", "queue", "subject", "reason")
    places = ("neighborhood", "city_council_district", "police_district")
    more = ("fire_district", "pwd_district", "ward", "precinct", "source")
    return ColumnMap(
        id="case_enquiry_id",
        service="type",
        received="open_dt",
        closed="closed_dt",
        due=due,
        attributes=kept + places + more,
    )


#: The column maps of real exports. Their id, service, receipt and close
#: columns must be present; a due date or attribute column that a file lacks
#: is left out (attributes keep the column names).
#:
#: - ``"boston"``: Boston's older schema (``target_dt``, ``ontime``), 2015-2022.
#: - ``"boston_2016"``: Boston's newer schema (``sla_target_dt``, ``on_time``).
#: - ``"nyc"``: NYC Open Data "311 Service Requests from 2010 to Present".
#: - ``"baltimore"``: Open Baltimore "311 Customer Service Requests".
#:
#: All four read wall-clock times in America/New_York unless ``tz`` is given.
PRESETS: Mapping[str, ColumnMap] = MappingProxyType(
    {
        "boston": _boston("target_dt", "ontime"),
        "boston_2016": _boston("sla_target_dt", "on_time"),
        "nyc": ColumnMap(
            id="Unique Key",
            service="Complaint Type",
            received="Created Date",
            closed="Closed Date",
            due="Due Date",
            attributes=(
                "Agency",
                "Descriptor",
                "Status",
                "Location Type",
                "Incident Zip",
                "Community Board",
                "Borough",
                "Open Data Channel Type",
            ),
        ),
        "baltimore": ColumnMap(
            id="ServiceRequestNum",
            service="SRType",
            received="CreatedDate",
            closed="CloseDate",
            due="DueDate",
            attributes=(
                "SRStatus",
                "Agency",
                "MethodReceived",
                "Neighborhood",
                "CouncilDistrict",
                "PoliceDistrict",
                "ZipCode",
            ),
        ),
    }
)
_PRESET_ZONE = "America/New_York"


def read_csv(
    source: PathOrFile,
    *,
    preset: PresetName | None = None,
    columns: ColumnMap | Mapping[str, Any] | None = None,
    attributes: Sequence[str] | Mapping[str, str] = (),
    tz: str | dt.tzinfo | None = None,
    nonexistent: Nonexistent = "shift_forward",
    ambiguous: Ambiguous = "earlier",
    shifted_utc: bool = False,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> RequestReader:
    """Stream the requests of a CSV export, one per data row.

    The header is read at once, so a missing column fails here; the rows
    are read as the result is iterated.

    Dates may be ISO 8601 (``2022-01-19 11:18:00``, ``T``, fractions of a
    second, an offset or ``Z``), US 12-hour (``10/18/2019 03:25:00 PM``) or
    US 24-hour (``01/19/2022 11:18``); month before day. A value with an
    offset keeps it; one without is a wall-clock time in ``tz``.

    Args:
        source: a path (``.gz`` or not: gzip is recognised by its bytes) or
            an open text or binary file.
        preset: a city's export (see :data:`PRESETS`); it also sets ``tz``
            to America/New_York unless ``tz`` is given.
        columns: a :class:`ColumnMap`, or a mapping of its fields that
            replaces those of the preset (``{"service": "Descriptor"}``).
        attributes: more columns to keep as attributes, as names or a
            mapping of attribute name to column.
        tz: the zone of wall-clock values (an IANA name or a tzinfo). Without
            it, a value lacking an offset raises ``NaiveDatetimeError``.
        nonexistent: a wall time skipped by a spring-forward change:
            ``"shift_forward"`` moves it later by the gap (02:30 -> 03:30),
            ``"raise"`` flags the row.
        ambiguous: a wall time repeated by a fall-back change: ``"earlier"``
            or ``"later"`` instant, or ``"raise"`` to flag the row.
        shifted_utc: the file's times are true wall-clock times that were
            once taken for UTC and converted to ``tz``, as in the Boston 2016
            re-save (targets at 03:30 instead of 08:30); convert them back.
        encoding: the text encoding of a path or binary file.
        delimiter: the field separator.

    Returns:
        A :class:`RequestReader`: iterate it for the requests, then read its
        ``report``. Flagged requests carry ``attributes["_invalid"]``.

    Raises:
        SourceError: a required column is missing, the file is empty, or it
            cannot be decoded or parsed (raised while iterating, naming the
            byte offset or line).
        ValueError: ``preset``, ``tz``, ``nonexistent`` or ``ambiguous`` is
            not a known value, or neither ``preset`` nor ``columns`` is given.

    Examples:
        >>> import io
        >>> text = '''Unique Key,Created Date,Closed Date,Complaint Type,Agency
        ... 1,03/10/2019 02:30:00 AM,01/01/1900 12:00:00 AM,Rodent,DOHMH
        ... '''
        >>> [request] = read_csv(io.StringIO(text), preset="nyc")
        >>> request.received.isoformat(), request.closed
        ('2019-03-10T03:30:00-04:00', None)
        >>> request.attributes["_invalid"]
        "Closed Date: sentinel date '01/01/1900 12:00:00 AM'"
    """
    mapping, optional = _column_map(preset, columns, attributes)
    if tz is None and preset is not None:
        tz = _PRESET_ZONE
    dates = DateReader(tz, nonexistent, ambiguous, shifted_utc)
    opened = open_text(source, encoding)
    try:
        rows = csv.reader(opened.text, delimiter=delimiter)
        header = _header(opened, rows)
        plan = _plan(opened.name, header, mapping, optional)
    except BaseException:
        opened.close()
        raise
    tally = Tally(opened.name)
    requests = _requests(opened, rows, header, plan, dates, tally)
    kept = tuple(name for name, _ in plan[5])
    return RequestReader(requests, tally, opened, kept)


def _column_map(
    preset: str | None,
    columns: ColumnMap | Mapping[str, Any] | None,
    attributes: Sequence[str] | Mapping[str, str],
) -> tuple[ColumnMap, frozenset[str]]:
    # Columns a preset names but a file may lack: its due date and attributes.
    base = None if preset is None else ColumnMap.preset(preset)  # type: ignore[arg-type]
    optional: frozenset[str] = frozenset()
    if base is not None:
        optional = frozenset({*base.attributes.values(), base.due or ""})
    if isinstance(columns, ColumnMap):
        mapping, optional = columns, frozenset()
    elif columns is not None:
        unknown = sorted(set(columns) - {*_FIELDS, "attributes"})
        if unknown:
            raise ValueError(
                f"columns must map the fields {(*_FIELDS, 'attributes')!r}, got "
                f"unknown {', '.join(map(repr, unknown))}"
            )
        needed = [f for f in ("id", "received") if f not in columns]
        if base is None and needed:
            raise ValueError(
                f"columns must name the {' and '.join(map(repr, needed))} "
                f"column{'s' if len(needed) > 1 else ''} (or give preset=), "
                f"got {dict(columns)!r}"
            )
        mapping = (
            ColumnMap(**columns) if base is None else attrs.evolve(base, **columns)
        )
        if base is not None:
            named = set(_attribute_columns(columns.get("attributes", ())).values())
            named |= {columns[f] for f in _FIELDS if f in columns}
            optional -= named
    elif base is not None:
        mapping = base
    else:
        raise ValueError("read_csv needs preset= or columns= to know the columns")
    extra = _attribute_columns(attributes)
    if extra:
        merged = {**mapping.attributes, **extra}
        mapping = attrs.evolve(mapping, attributes=merged)
        optional -= set(extra.values())
    return mapping, optional


def _header(opened: Opened, rows: Iterator[list[str]]) -> list[str]:
    try:
        header = next((row for row in rows if row), None)
    except (UnicodeDecodeError, csv.Error, OSError, EOFError, zlib.error) as error:
        raise read_error(opened, error, 0) from None
    if header is None:
        raise SourceError(opened.name, "the file is empty: it has no header row")
    # A byte-order mark read as utf-8 sticks to the first name.
    header[0] = header[0].removeprefix("\ufeff")
    return [name.strip() for name in header]


# Column positions of one file: id, service, received, closed, due (-1 when
# not mapped) and the attribute (name, position) pairs.
_Plan: TypeAlias = tuple[int, int, int, int, int, tuple[tuple[str, int], ...]]


def _plan(
    name: str, header: list[str], mapping: ColumnMap, optional: frozenset[str]
) -> _Plan:
    where: dict[str, int] = {}
    for position, column in enumerate(header):
        where.setdefault(column, position)
    wanted = [(getattr(mapping, f), f) for f in _FIELDS if getattr(mapping, f)]
    wanted += [
        (column, f"attribute {key!r}") for key, column in mapping.attributes.items()
    ]
    missing = [
        (column, role)
        for column, role in wanted
        if column not in where and column not in optional
    ]
    if missing:
        raise SourceError(name, _missing_message(header, missing))
    found = [where.get(getattr(mapping, field) or "", -1) for field in _FIELDS]
    kept = tuple(
        (key, where[column])
        for key, column in mapping.attributes.items()
        if column in where
    )
    return found[0], found[1], found[2], found[3], found[4], kept


def _missing_message(header: list[str], missing: list[tuple[str, str]]) -> str:
    named = ", ".join(f"{column!r} ({role})" for column, role in missing)
    shown = ", ".join(map(repr, header[:60])) + (", ..." if len(header) > 60 else "")
    text = (
        f"missing column{'s' if len(missing) > 1 else ''} {named}; "
        f"the header has {len(header)} column{'s' if len(header) != 1 else ''}: "
        f"{shown}"
    )
    if len(header) == 1:
        for separator in (";", "\t", "|"):
            if separator in header[0]:
                text += (
                    f"; is the delimiter {separator!r}? pass delimiter={separator!r}"
                )
                break
    return text


def _requests(
    opened: Opened,
    rows: Any,
    header: list[str],
    plan: _Plan,
    dates: DateReader,
    tally: Tally,
) -> Iterator[Request]:
    """Yield one request per data row; the file is closed at the end."""
    id_at, service_at, received_at, closed_at, due_at, kept = plan
    width = len(header)
    fill = [""] * width

    def when(row: list[str], at: int, problems: list[tuple[str, str]]) -> Any:
        if at < 0:
            return None
        try:
            return dates(row[at])
        except DateProblem as problem:
            column = header[at]
            problems.append((f"{column}: {problem.kind}", f"{column}: {problem}"))
            return None

    try:
        for row in rows:
            if not row:
                continue
            tally.rows += 1
            problems: list[tuple[str, str]] = []
            if len(row) != width:
                problems.append(
                    (
                        "row: wrong number of fields",
                        f"row has {len(row)} fields, the header {width}",
                    )
                )
                row = (row + fill)[:width]
            received = when(row, received_at, problems)
            closed = when(row, closed_at, problems)
            due = when(row, due_at, problems)
            attributes = {
                key: None if (text := row[at]).strip() in MISSING else text
                for key, at in kept
            }
            if problems:
                attributes[INVALID] = tally.flag(problems)
            yield Request(
                id=row[id_at],
                service=None if service_at < 0 else _value(row[service_at]),
                received=received,
                closed=closed,
                due=due,
                attributes=MappingProxyType(attributes),
            )
        tally.finished = True
    except (UnicodeDecodeError, csv.Error, OSError, EOFError, zlib.error) as error:
        raise read_error(opened, error, rows.line_num) from None
    finally:
        opened.close()


def _value(text: str) -> str | None:
    """A field's text, or ``None`` when it stands for a missing value."""
    return None if text.strip() in MISSING else text
