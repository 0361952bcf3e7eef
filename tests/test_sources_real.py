"""The real 311 exports load through their presets, every row accounted for.

The files live in ``../shared/data/`` (see its README.md) and are never
copied. Rows are counted, and values compared, with the ``csv`` module and
``strftime`` on the raw text, independently of the loader.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import slacalc as sla
from tests.helpers import (
    BALTIMORE,
    BALTIMORE_COLUMNS,
    BOSTON_2015,
    BOSTON_2016,
    BOSTON_2022,
    BOSTON_COLUMNS,
    NEW_YORK,
    NYC,
    NYC_COLUMNS,
    US_WALL,
    Row,
    data_path,
    read_rows,
)

UTC = dt.UTC
ISO = "%Y-%m-%d %H:%M:%S"


def load(name: str, **options: Any) -> tuple[list[sla.Request], sla.LoadReport]:
    """The requests of an export and the reader's report (read once per options)."""
    path = data_path(name)
    key = (name, tuple(sorted(options.items())))
    if key not in _LOADED:
        reader = sla.read_csv(path, **options)
        _LOADED[key] = (list(reader), reader.report)
    return _LOADED[key]


_LOADED: dict[
    tuple[str, tuple[tuple[str, Any], ...]], tuple[list[sla.Request], sla.LoadReport]
] = {}


def pairs(
    rows: list[dict[str, str]], requests: list[sla.Request]
) -> Iterator[tuple[dict[str, str], sla.Request]]:
    """Raw rows beside their requests, checking they are the same rows."""
    assert len(rows) == len(requests)
    yield from zip(rows, requests, strict=True)


def wall(t: dt.datetime | None, shape: str) -> str:
    """An aware time's wall clock written back in an export's shape ('' if None)."""
    return "" if t is None else t.strftime(shape)


def present(requests: list[sla.Request]) -> tuple[int, int]:
    """How many requests have a due date, and how many are closed."""
    due = sum(r.due is not None for r in requests)
    return due, sum(r.closed is not None for r in requests)


def on_time_as_flagged(requests: list[sla.Request], flag: str) -> list[bool]:
    """Whether each closed request with a due date closed by it, checked to
    be exactly where the export's ``flag`` column says ONTIME."""
    judged = [r for r in requests if r.closed and r.due]
    on_time = [r.closed <= r.due for r in judged if r.closed and r.due]
    assert on_time == [r.attributes[flag] == "ONTIME" for r in judged]
    return on_time


def assert_accounted(
    report: sla.LoadReport, rows: int, flagged: int, requests: list[sla.Request]
) -> None:
    """Every row is loaded or flagged, and only flagged rows carry a reason."""
    assert report.finished
    assert (report.rows, report.flagged) == (rows, flagged)
    assert report.loaded + report.flagged == rows == len(requests)
    assert sum("_invalid" in r.attributes for r in requests) == flagged


def assert_loads_as_raw(
    name: str,
    options: Mapping[str, Any],
    counts: tuple[int, int],
    columns: Mapping[str, str],
    shape: str,
    attributes: tuple[str, ...] = (),
    times: tuple[str, ...] = ("received", "closed", "due"),
) -> tuple[list[Row], list[sla.Request], sla.LoadReport]:
    """The export loaded with ``options``: its (rows, flagged) are ``counts``,
    all accounted for, and beside each raw row its request's id, service,
    ``times`` (written back in ``shape``) and ``attributes`` are the row's
    texts, missing ones None (``columns`` names the columns)."""
    rows = read_rows(name)
    requests, report = load(name, **options)
    assert_accounted(report, *counts, requests)
    for row, request in pairs(rows, requests):
        assert request.id == row[columns["id"]]
        assert request.service == row[columns["service"]]
        for time in times:
            assert wall(getattr(request, time), shape) == row[columns[time]], time
        for key in attributes:
            raw = row[key]
            assert request.attributes[key] == (None if raw in ("", "NA") else raw)
    return rows, requests, report


def test_boston_2022_loads_every_row() -> None:
    """Boston 2022 (100 rows): all loaded; times, targets and ontime match the raw."""
    _, requests, _ = assert_loads_as_raw(
        BOSTON_2022, {"preset": "boston"}, (100, 0), BOSTON_COLUMNS, ISO, ("ontime",)
    )
    assert present(requests) == (89, 85)
    on_time = on_time_as_flagged(requests, "ontime")
    assert len(on_time) == 77
    assert sum(on_time) == 72


def test_boston_2022_spot_values() -> None:
    """Case 101004120108: Saturday 12:54:49 EST, target Tuesday 08:30, closed Sunday."""
    requests, _ = load(BOSTON_2022, preset="boston")
    [case] = [r for r in requests if r.id == "101004120108"]
    assert case.service == "CE Collection"
    assert case.received == dt.datetime(2022, 1, 8, 17, 54, 49, tzinfo=UTC)
    assert case.due == dt.datetime(2022, 1, 11, 13, 30, tzinfo=UTC)
    assert case.closed == dt.datetime(2022, 1, 9, 11, 43, 6, tzinfo=UTC)
    assert case.attributes["department"] == "PWDx"
    assert case.attributes["case_status"] == "Closed"


def test_boston_2016_loads_with_the_utc_shift_undone() -> None:
    """Boston 2016 (7,494 rows): shifted_utc=True puts the targets at 08:30 local."""
    options = {"preset": "boston_2016", "shifted_utc": True}
    rows, requests, _ = assert_loads_as_raw(
        BOSTON_2016, options, (7494, 0), BOSTON_COLUMNS, ISO, times=()
    )
    for row, request in pairs(rows, requests):
        for column, value in (
            ("open_dt", request.received),
            ("closed_dt", request.closed),
            ("sla_target_dt", request.due),
        ):
            if value is None:
                assert row[column] == ""
                continue
            # The README's shift: the true wall time, read as UTC, shown in
            # New York (5 h earlier in winter, 4 h in summer).
            as_utc = value.replace(tzinfo=None).replace(tzinfo=UTC)
            shown = as_utc.astimezone(NEW_YORK).replace(tzinfo=None)
            assert shown.strftime(ISO) == row[column]
    targets = Counter(r.due.strftime("%H:%M") for r in requests if r.due)
    assert sum(targets.values()) == 4483
    assert targets.most_common(1) == [("08:30", 1988)]
    on_time_as_flagged(requests, "on_time")


def test_boston_2016_without_the_correction_shows_the_shift() -> None:
    """Read as plain wall time, Boston 2016 targets sit at 04:30 and 03:30."""
    requests, report = load(BOSTON_2016, preset="boston_2016")
    assert report.flagged == 0
    targets = Counter(r.due.strftime("%H:%M") for r in requests if r.due)
    assert targets.most_common(2) == [("04:30", 1532), ("03:30", 458)]


def test_baltimore_loads_every_row() -> None:
    """Baltimore (3,000 rows): all loaded; NA and empty values are None."""
    _, requests, _ = assert_loads_as_raw(
        BALTIMORE,
        {"preset": "baltimore"},
        (3000, 0),
        BALTIMORE_COLUMNS,
        US_WALL,
        ("Agency", "ZipCode"),
    )
    assert present(requests) == (2935, 1404)


def test_baltimore_spot_values() -> None:
    """Row 1: 10/21/2019 11:49:49 AM EDT, due 04/18/2020 at the same wall time (EDT)."""
    requests, _ = load(BALTIMORE, preset="baltimore")
    first = requests[0]
    assert first.id == "19-00711545"
    assert first.received == dt.datetime(2019, 10, 21, 15, 49, 49, tzinfo=UTC)
    assert first.due == dt.datetime(2020, 4, 18, 15, 49, 49, tzinfo=UTC)
    assert first.closed is None
    assert first.attributes["Neighborhood"] == "Mondawmin"
    assert first.attributes["CouncilDistrict"] == "7"


def test_nyc_flags_its_two_sentinel_closed_dates() -> None:
    """NYC (5,895 rows): the two 01/01/1900 Closed Dates are flagged, the rest load."""
    rows, requests, report = assert_loads_as_raw(
        NYC,
        {"preset": "nyc"},
        (5895, 2),
        NYC_COLUMNS,
        US_WALL,
        times=("received", "due"),
    )
    assert dict(report.problems) == {"Closed Date: sentinel date": 2}
    sentinel = "01/01/1900 12:00:00 AM"
    for row, request in pairs(rows, requests):
        if row["Closed Date"] == sentinel:
            assert request.closed is None
            assert (
                request.attributes["_invalid"]
                == f"Closed Date: sentinel date '{sentinel}'"
            )
        else:
            assert wall(request.closed, US_WALL) == row["Closed Date"]
            assert "_invalid" not in request.attributes
    assert sum(row["Closed Date"] == sentinel for row in rows) == 2
    assert present(requests) == (2793, 2462)


def test_boston_2015_loads_every_row_of_the_gzip_file() -> None:
    """Boston 2015 (121,145 rows, gzip): all loaded; ontime agrees on 79,208 rows."""
    _, requests, _ = assert_loads_as_raw(
        BOSTON_2015,
        {"preset": "boston"},
        (121_145, 0),
        BOSTON_COLUMNS,
        US_WALL,
        ("ontime", "city_council_district"),
    )
    assert present(requests) == (94_154, 101_272)
    assert len(on_time_as_flagged(requests, "ontime")) == 79_208


def test_boston_2015_fold_time_follows_the_ambiguous_rule() -> None:
    """One open_dt lies in the 2015-11-01 fold: EDT by default, flagged with raise."""
    requests, report = load(BOSTON_2015, preset="boston")
    [folded] = [
        r
        for r in requests
        if r.received
        and r.received.fold == 0
        and r.received.strftime(US_WALL) == "11/01/2015 01:16:00 AM"
    ]
    assert folded.received is not None
    assert folded.received.utcoffset() == dt.timedelta(hours=-4)
    strict, report = load(BOSTON_2015, preset="boston", ambiguous="raise")
    assert report.flagged == 1
    assert dict(report.problems) == {"open_dt: ambiguous wall time": 1}
    [flagged] = [r for r in strict if "_invalid" in r.attributes]
    assert flagged.id == folded.id
    assert flagged.received is None
    assert flagged.attributes["_invalid"] == (
        "open_dt: ambiguous wall time '11/01/2015 01:16:00 AM' "
        "(occurs twice in America/New_York at a DST change)"
    )
