"""Open311 GeoReport v2 JSON: reading requests and writing expected_datetime."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

import slacalc as sla

UTC = dt.UTC
PACIFIC = dt.timezone(dt.timedelta(hours=-8))

#: The example response of the GeoReport v2 specification, trimmed.
FEED: list[dict[str, Any]] = [
    {
        "service_request_id": 638344,
        "status": "closed",
        "status_notes": "Duplicate request.",
        "service_name": "Sidewalk and Curb Issues",
        "service_code": "006",
        "requested_datetime": "2010-04-14T06:37:38-08:00",
        "updated_datetime": "2010-04-14T06:37:38-08:00",
        "expected_datetime": "2010-04-15T06:37:38-08:00",
        "address": "8TH AVE and JUDAH ST, SAN FRANCISCO, CA",
        "lat": 37.762221815,
        "long": -122.4651145,
    },
    {
        "service_request_id": 638349,
        "status": "open",
        "service_name": "Sidewalk and Curb Issues",
        "service_code": "006",
        "requested_datetime": "2010-04-19T06:37:38-08:00",
        "updated_datetime": "2010-04-19T06:37:38-08:00",
        "expected_datetime": "2010-04-19T06:37:38-08:00",
        "lat": 37.7622,
        "long": -122.4651,
    },
]


def test_feed_fields_become_request_fields() -> None:
    """id, service_code, requested, expected and (when closed) updated are read."""
    reader = sla.read_open311(FEED)
    closed, still_open = list(reader)
    assert closed.id == "638344"
    assert closed.service == "006"
    assert closed.received == dt.datetime(2010, 4, 14, 6, 37, 38, tzinfo=PACIFIC)
    assert closed.closed == dt.datetime(2010, 4, 14, 6, 37, 38, tzinfo=PACIFIC)
    assert closed.due == dt.datetime(2010, 4, 15, 6, 37, 38, tzinfo=PACIFIC)
    assert closed.attributes["status_notes"] == "Duplicate request."
    assert closed.attributes["lat"] == 37.762221815
    assert "service_code" not in closed.attributes
    assert still_open.closed is None  # updated_datetime is not a close time
    assert still_open.attributes["updated_datetime"] == "2010-04-19T06:37:38-08:00"
    assert reader.report == sla.LoadReport("<list>", 2, 2, 0, {}, finished=True)
    assert reader.attributes is None  # each item brings its own


def test_status_is_case_blind_and_service_name_stands_in_for_a_code() -> None:
    """'Closed' is closed; without a service_code the service_name is the service."""
    [request] = sla.read_open311(
        [
            {
                "service_request_id": "1",
                "service_name": "Graffiti",
                "status": " Closed ",
                "requested_datetime": "2026-03-02T09:00:00Z",
                "updated_datetime": "2026-03-03T09:00:00Z",
            }
        ]
    )
    assert request.service == "Graffiti"
    assert request.closed == dt.datetime(2026, 3, 3, 9, tzinfo=UTC)


def test_bad_values_flag_the_request() -> None:
    """Garbage, numbers and a closed request without updated_datetime are flagged."""
    items: list[Any] = [
        {"service_request_id": "1", "requested_datetime": "yesterday"},
        {"service_request_id": "2", "requested_datetime": 1270000000},
        {"service_request_id": "3", "status": "closed"},
        {"service_request_id": "4", "expected_datetime": "1900-01-01T00:00:00Z"},
        "not a request",
    ]
    reader = sla.read_open311(items)
    requests = list(reader)
    assert [r.attributes.get("_invalid") for r in requests] == [
        "requested_datetime: unreadable date 'yesterday'",
        "requested_datetime: unreadable date '1270000000'",
        "updated_datetime: missing on a closed request",
        "expected_datetime: sentinel date '1900-01-01T00:00:00Z'",
        "item 4: not an object: 'not a request'",
    ]
    assert (reader.report.rows, reader.report.flagged) == (5, 5)


def test_naive_timestamps_need_tz() -> None:
    """A timestamp without an offset is read in tz, and raises without one."""
    items = [{"service_request_id": "1", "requested_datetime": "2026-03-02T09:00:00"}]
    [request] = sla.read_open311(items, tz="America/Chicago")
    assert request.received == dt.datetime(2026, 3, 2, 15, tzinfo=UTC)
    with pytest.raises(sla.NaiveDatetimeError, match=r"pass tz="):
        list(sla.read_open311(items))


def test_files_paths_and_wrapped_arrays_are_read(tmp_path: Path) -> None:
    """A path, a text file, a binary file and {"service_requests": [...]} all read."""
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(FEED))
    wrapped = io.StringIO(json.dumps({"service_requests": FEED}))
    sources: list[Any] = [path, str(path), io.BytesIO(path.read_bytes()), wrapped]
    for source in sources:
        assert [r.id for r in sla.read_open311(source)] == ["638344", "638349"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r"feed.json: the file is empty"),
        ("[{]", r"feed.json: not valid JSON at line 1 column 3: Expecting"),
        ('{"code": 400}', r"must hold a JSON array of service requests, got dict"),
    ],
)
def test_bad_files_are_source_errors(
    tmp_path: Path, content: str, message: str
) -> None:
    """Empty, broken and non-array files are SourceErrors naming the file."""
    path = tmp_path / "feed.json"
    path.write_text(content)
    with pytest.raises(sla.SourceError, match=message):
        sla.read_open311(path)


def test_wrong_encoding_is_a_source_error(tmp_path: Path) -> None:
    """Bytes not in the encoding name the byte offset."""
    data = '[{"service_request_id": "Jos\u00e9"}]'.encode("latin-1")
    path = tmp_path / "feed.json"
    path.write_bytes(data)
    offset = data.index(b"\xe9")
    with pytest.raises(sla.SourceError, match=rf"byte offset {offset} as 'utf-8'"):
        sla.read_open311(path)
    [request] = sla.read_open311(path, encoding="latin-1")
    assert request.id == "Jos\u00e9"


def test_write_then_read_gives_the_same_requests(tmp_path: Path) -> None:
    """Requests written as GeoReport JSON read back equal."""
    requests = list(sla.read_open311(FEED))
    path = tmp_path / "out.json"
    assert sla.write_open311(requests, path) == 2
    assert list(sla.read_open311(path)) == requests
    written = json.loads(path.read_text())
    assert written[0]["expected_datetime"] == "2010-04-15T06:37:38-08:00"
    assert written[0]["status"] == "closed"
    assert written[0]["service_name"] == "Sidewalk and Curb Issues"


def test_outcome_due_fills_expected_datetime() -> None:
    """An outcome's due date is written as expected_datetime with its offset."""
    t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    outcome = sla.Outcome(
        id="42",
        status=sla.Status.MET,
        as_of=t,
        service="POTHOLE",
        received=t,
        closed=t + dt.timedelta(hours=3),
        due=t + dt.timedelta(days=1),
        attributes={"district": "3"},
    )
    assert sla.to_open311(outcome) == {
        "service_request_id": "42",
        "service_code": "POTHOLE",
        "status": "closed",
        "requested_datetime": "2026-03-02T09:00:00-06:00",
        "updated_datetime": "2026-03-02T12:00:00-06:00",
        "expected_datetime": "2026-03-03T09:00:00-06:00",
        "district": "3",
    }


def test_policy_fills_expected_datetime_of_requests() -> None:
    """With a policy, a request's expected_datetime is the policy's due date."""
    cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-17:00")
    policy = sla.Policy("Inspection", "2 business days", goal=0.9, calendar=cal)
    friday = dt.datetime(2026, 3, 6, 16, tzinfo=cal.tz)
    request = sla.Request(id="1", received=friday, due=friday)
    assert sla.to_open311(request)["expected_datetime"] == "2026-03-06T16:00:00-06:00"
    record = sla.to_open311(request, policy=policy)
    assert record["expected_datetime"] == "2026-03-10T17:00:00-05:00"
    assert (
        sla.to_open311(sla.Request(id="2"), policy=policy)["expected_datetime"] is None
    )


def test_writer_streams_and_serialises_odd_attributes() -> None:
    """Objects are written one per line; datetimes in attributes become ISO text."""
    t = dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
    out = io.StringIO()
    requests = (
        sla.Request(id=str(i), received=t, attributes={"seen": t}) for i in range(3)
    )
    assert sla.write_open311(requests, out) == 3
    lines = out.getvalue().splitlines()
    assert (lines[0], lines[-1], len(lines)) == ("[", "]", 5)
    assert json.loads(out.getvalue())[2]["seen"] == "2026-03-02T09:00:00+00:00"
    empty = io.StringIO()
    assert sla.write_open311([], empty) == 0
    assert json.loads(empty.getvalue()) == []
