"""Open311 GeoReport v2 service requests: reading and writing JSON.

A GeoReport v2 ``requests.json`` is an array of objects with
``service_request_id``, ``service_code``, ``service_name``, ``status``
(``open`` or ``closed``), ``requested_datetime``, ``updated_datetime`` and
``expected_datetime`` (ISO 8601 with an offset), and more fields (address,
lat, long, description, ...).

Reading: ``expected_datetime`` is the imported due date. GeoReport has no
close time, so a request whose status is ``closed`` is taken to have closed
at its ``updated_datetime`` (its last change); any other status is open.
Every field that does not become a request field (``status``,
``updated_datetime`` and the rest) is kept as an attribute. As with CSV, a
bad value flags the request (``attributes["_invalid"]``) instead of raising.

Writing: each request or outcome becomes one object of the same shape, with
``expected_datetime`` filled from the outcome's due date (or from a policy).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import IO, Any, Protocol

from slacalc._dates import Ambiguous, DateProblem, DateReader, Nonexistent
from slacalc._files import Opened, PathOrFile, open_text, read_error
from slacalc.errors import SourceError
from slacalc.loading import INVALID, RequestReader, Tally
from slacalc.outcomes import Outcome, Request

__all__ = ["read_open311", "to_open311", "write_open311"]

# Fields that become request fields rather than attributes.
_FIELDS = frozenset(
    {"service_request_id", "service_code", "requested_datetime", "expected_datetime"}
)


class _DuePolicy(Protocol):
    def due(self, received: dt.datetime) -> dt.datetime: ...


def read_open311(
    source: PathOrFile | Iterable[Mapping[str, Any]],
    *,
    tz: str | dt.tzinfo | None = None,
    nonexistent: Nonexistent = "shift_forward",
    ambiguous: Ambiguous = "earlier",
    encoding: str = "utf-8",
) -> RequestReader:
    """The requests of an Open311 GeoReport v2 JSON array.

    The whole array is parsed at once (GeoReport feeds come in pages); the
    requests are then built as the result is iterated.

    Args:
        source: a path, an open file, or the already parsed list of objects.
            An object ``{"service_requests": [...]}`` is accepted too.
        tz: the zone of timestamps without an offset, which GeoReport does
            not allow but some feeds send. Without it such a timestamp raises
            ``NaiveDatetimeError``.
        nonexistent, ambiguous: the DST rules for such timestamps, as in
            :func:`~slacalc.read_csv`.
        encoding: the text encoding of a path or binary file.

    Returns:
        A :class:`~slacalc.RequestReader`; ``service`` is the
        ``service_code`` (or ``service_name`` when there is no code).

    Raises:
        SourceError: the file is not JSON, not an array of requests, or not
            in the encoding.

    Examples:
        >>> feed = [{"service_request_id": "638344", "service_code": "006",
        ...          "status": "closed",
        ...          "requested_datetime": "2010-04-14T06:37:38-08:00",
        ...          "updated_datetime": "2010-04-14T06:57:38-08:00",
        ...          "expected_datetime": "2010-04-15T06:37:38-08:00",
        ...          "address": "8TH AVE and JUDAH ST"}]
        >>> [request] = read_open311(feed)
        >>> request.closed.isoformat(), request.attributes["address"]
        ('2010-04-14T06:57:38-08:00', '8TH AVE and JUDAH ST')
    """
    dates = DateReader(tz, nonexistent, ambiguous)
    if isinstance(source, str | os.PathLike) or hasattr(source, "read"):
        opened = open_text(source, encoding)
        try:
            items = _load(opened)
        finally:
            opened.close()
        name = opened.name
    else:
        items, name = source, "<list>"
    tally = Tally(name)
    return RequestReader(_requests(items, dates, tally), tally)


def _load(opened: Opened) -> Iterable[Any]:
    try:
        data = json.load(opened.text)
    except json.JSONDecodeError as error:
        if not error.doc.strip():
            raise SourceError(opened.name, "the file is empty") from None
        raise SourceError(
            opened.name,
            f"not valid JSON at line {error.lineno} column {error.colno}: {error.msg}",
        ) from None
    except (UnicodeDecodeError, OSError, EOFError) as error:
        raise read_error(opened, error, 0) from None
    if isinstance(data, dict) and isinstance(data.get("service_requests"), list):
        data = data["service_requests"]
    if not isinstance(data, list):
        raise SourceError(
            opened.name,
            "must hold a JSON array of service requests, got "
            f"{type(data).__name__} {json.dumps(data)[:60]}",
        )
    return data


def _requests(
    items: Iterable[Any], dates: DateReader, tally: Tally
) -> Iterator[Request]:
    for position, item in enumerate(items):
        tally.rows += 1
        problems: list[tuple[str, str]] = []
        if not isinstance(item, Mapping):
            problems.append(
                ("item: not an object", f"item {position}: not an object: {item!r:.60}")
            )
            yield Request(id="", attributes={INVALID: tally.flag(problems)})
            continue
        closed = None
        if str(item.get("status", "")).strip().lower() == "closed":
            closed = _when(item, "updated_datetime", dates, problems)
            if closed is None and not problems:
                missing = "updated_datetime: missing on a closed request"
                problems.append((missing, missing))
        received = _when(item, "requested_datetime", dates, problems)
        due = _when(item, "expected_datetime", dates, problems)
        attributes = {key: value for key, value in item.items() if key not in _FIELDS}
        if problems:
            attributes[INVALID] = tally.flag(problems)
        service = item.get("service_code") or item.get("service_name")
        identifier = item.get("service_request_id")
        yield Request(
            id="" if identifier is None else str(identifier),
            service=None if service is None else str(service),
            received=received,
            closed=closed,
            due=due,
            attributes=MappingProxyType(attributes),
        )
    tally.finished = True


def _when(
    item: Mapping[str, Any],
    key: str,
    dates: DateReader,
    problems: list[tuple[str, str]],
) -> dt.datetime | None:
    """The instant in ``item[key]``; a bad value is added to ``problems``."""
    value = item.get(key)
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise DateProblem("unreadable date", repr(value))
        return dates(value)
    except DateProblem as problem:
        problems.append((f"{key}: {problem.kind}", f"{key}: {problem}"))
        return None


def to_open311(
    item: Outcome | Request, *, policy: _DuePolicy | None = None
) -> dict[str, Any]:
    """One request or outcome as an Open311 GeoReport v2 object.

    ``expected_datetime`` is the outcome's due date; for a request, the due
    date ``policy`` gives for its receipt, or without a policy its imported
    due date. ``status`` is ``closed`` when it has a close time (written as
    ``updated_datetime``), else ``open``. Attributes are written as fields,
    under the standard ones. Times are ISO 8601 with their UTC offset.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
        >>> policy = sla.Policy("Potholes", "24 hours", goal=0.9)
        >>> request = sla.Request(id="17", service="POTHOLE", received=t)
        >>> to_open311(request, policy=policy)["expected_datetime"]
        '2026-03-03T09:00:00+00:00'
    """
    due = item.due
    if policy is not None and isinstance(item, Request) and item.received:
        due = policy.due(item.received)
    record: dict[str, Any] = dict(item.attributes)
    record.update(
        service_request_id=item.id,
        service_code=item.service,
        status="open" if item.closed is None else "closed",
        requested_datetime=_iso(item.received),
        expected_datetime=_iso(due),
    )
    if item.closed is not None:
        record["updated_datetime"] = _iso(item.closed)
    return record


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _json_value(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def write_open311(
    items: Iterable[Outcome | Request],
    file: str | os.PathLike[str] | IO[str],
    *,
    policy: _DuePolicy | None = None,
) -> int:
    """Write requests or outcomes as an Open311 GeoReport v2 JSON array.

    Objects are written one per line as they come, so a long stream needs
    no memory. See :func:`to_open311` for the fields.

    Returns:
        The number of objects written.

    Examples:
        >>> import datetime as dt
        >>> import io
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
        >>> out = io.StringIO()
        >>> write_open311([sla.Request(id="17", received=t, due=t)], out)
        1
        >>> print(out.getvalue())
        [
        {"service_request_id": "17", "service_code": null, "status": "open", \
"requested_datetime": "2026-03-02T09:00:00+00:00", \
"expected_datetime": "2026-03-02T09:00:00+00:00"}
        ]
    """
    if isinstance(file, str | os.PathLike):
        with open(file, "w", encoding="utf-8", newline="\n") as handle:
            return write_open311(items, handle, policy=policy)
    count = 0
    file.write("[")
    for item in items:
        record = to_open311(item, policy=policy)
        text = json.dumps(record, ensure_ascii=False, default=_json_value)
        file.write(("\n" if count == 0 else ",\n") + text)
        count += 1
    file.write("\n]\n")
    return count
