"""The real 311 exports load through their presets, every row accounted for.

The files live in ``../shared/data/`` (see its README.md) and are never
copied. Rows are counted, and values compared, with the ``csv`` module and
``strftime`` on the raw text, independently of the loader.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import slacalc as sla

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
UTC = dt.UTC
NEW_YORK = ZoneInfo("America/New_York")

BOSTON_2022 = "boston_311_2022_sample100.csv"
BOSTON_2016 = "boston_311_2016_animal_pest_subset.csv"
BALTIMORE = "baltimore_311_2019-10_sample3000.csv"
NYC = "nyc_311_dohmh_illegal_animals.csv"
BOSTON_2015 = "boston_311_2015.csv.gz"

ISO = "%Y-%m-%d %H:%M:%S"
US = "%m/%d/%Y %I:%M:%S %p"


def path_of(name: str) -> Path:
    """The path of one export, or skip the test when the data is absent."""
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"real 311 data not found: {path} (the shared data folder)")
    return path


def raw_rows(name: str) -> list[dict[str, str]]:
    """The rows of an export as csv.DictReader reads them."""
    path = path_of(name)
    opener: Any = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(name: str, **options: Any) -> tuple[list[sla.Request], sla.LoadReport]:
    """The requests of an export and the reader's report (read once per options)."""
    path = path_of(name)
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


def assert_accounted(
    report: sla.LoadReport, rows: int, flagged: int, requests: list[sla.Request]
) -> None:
    """Every row is loaded or flagged, and only flagged rows carry a reason."""
    assert report.finished
    assert (report.rows, report.flagged) == (rows, flagged)
    assert report.loaded + report.flagged == rows == len(requests)
    assert sum("_invalid" in r.attributes for r in requests) == flagged


def test_boston_2022_loads_every_row() -> None:
    """Boston 2022 (100 rows): all loaded; times, targets and ontime match the raw."""
    rows = raw_rows(BOSTON_2022)
    requests, report = load(BOSTON_2022, preset="boston")
    assert_accounted(report, 100, 0, requests)
    for row, request in pairs(rows, requests):
        assert request.id == row["case_enquiry_id"]
        assert request.service == row["type"]
        assert wall(request.received, ISO) == row["open_dt"]
        assert wall(request.closed, ISO) == row["closed_dt"]
        assert wall(request.due, ISO) == row["target_dt"]
        assert request.attributes["ontime"] == row["ontime"]
    assert sum(r.due is not None for r in requests) == 89
    assert sum(r.closed is not None for r in requests) == 85
    judged = [r for r in requests if r.closed and r.due]
    assert len(judged) == 77
    on_time = [r.closed <= r.due for r in judged if r.closed and r.due]
    assert on_time == [r.attributes["ontime"] == "ONTIME" for r in judged]
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
    rows = raw_rows(BOSTON_2016)
    requests, report = load(BOSTON_2016, preset="boston_2016", shifted_utc=True)
    assert_accounted(report, 7494, 0, requests)
    for row, request in pairs(rows, requests):
        assert request.id == row["case_enquiry_id"]
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
    judged = [r for r in requests if r.closed and r.due]
    assert [r.closed <= r.due for r in judged if r.closed and r.due] == [
        r.attributes["on_time"] == "ONTIME" for r in judged
    ]


def test_boston_2016_without_the_correction_shows_the_shift() -> None:
    """Read as plain wall time, Boston 2016 targets sit at 04:30 and 03:30."""
    requests, report = load(BOSTON_2016, preset="boston_2016")
    assert report.flagged == 0
    targets = Counter(r.due.strftime("%H:%M") for r in requests if r.due)
    assert targets.most_common(2) == [("04:30", 1532), ("03:30", 458)]


def test_baltimore_loads_every_row() -> None:
    """Baltimore (3,000 rows): all loaded; NA and empty values are None."""
    rows = raw_rows(BALTIMORE)
    requests, report = load(BALTIMORE, preset="baltimore")
    assert_accounted(report, 3000, 0, requests)
    for row, request in pairs(rows, requests):
        assert request.id == row["ServiceRequestNum"]
        assert request.service == row["SRType"]
        assert wall(request.received, US) == row["CreatedDate"]
        assert wall(request.closed, US) == row["CloseDate"]
        assert wall(request.due, US) == row["DueDate"]
        assert request.attributes["Agency"] == row["Agency"]
        zip_code = None if row["ZipCode"] == "NA" else row["ZipCode"]
        assert request.attributes["ZipCode"] == zip_code
    assert sum(r.due is not None for r in requests) == 2935
    assert sum(r.closed is not None for r in requests) == 1404


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
    rows = raw_rows(NYC)
    requests, report = load(NYC, preset="nyc")
    assert_accounted(report, 5895, 2, requests)
    assert dict(report.problems) == {"Closed Date: sentinel date": 2}
    sentinel = "01/01/1900 12:00:00 AM"
    for row, request in pairs(rows, requests):
        assert request.id == row["Unique Key"]
        assert request.service == row["Complaint Type"]
        assert wall(request.received, US) == row["Created Date"]
        assert wall(request.due, US) == row["Due Date"]
        if row["Closed Date"] == sentinel:
            assert request.closed is None
            assert (
                request.attributes["_invalid"]
                == f"Closed Date: sentinel date '{sentinel}'"
            )
        else:
            assert wall(request.closed, US) == row["Closed Date"]
            assert "_invalid" not in request.attributes
    assert sum(row["Closed Date"] == sentinel for row in rows) == 2
    assert sum(r.due is not None for r in requests) == 2793
    assert sum(r.closed is not None for r in requests) == 2462


def test_boston_2015_loads_every_row_of_the_gzip_file() -> None:
    """Boston 2015 (121,145 rows, gzip): all loaded; ontime agrees on 79,208 rows."""
    rows = raw_rows(BOSTON_2015)
    requests, report = load(BOSTON_2015, preset="boston")
    assert_accounted(report, 121_145, 0, requests)
    for row, request in pairs(rows, requests):
        assert request.id == row["case_enquiry_id"]
        assert request.service == row["type"]
        assert wall(request.received, US) == row["open_dt"]
        assert wall(request.closed, US) == row["closed_dt"]
        assert wall(request.due, US) == row["target_dt"]
        assert request.attributes["ontime"] == (row["ontime"] or None)
        assert request.attributes["city_council_district"] == (
            row["city_council_district"] or None
        )
    assert sum(r.due is not None for r in requests) == 94_154
    assert sum(r.closed is not None for r in requests) == 101_272
    judged = [r for r in requests if r.closed and r.due]
    assert len(judged) == 79_208
    assert [r.closed <= r.due for r in judged if r.closed and r.due] == [
        r.attributes["ontime"] == "ONTIME" for r in judged
    ]


def test_boston_2015_fold_time_follows_the_ambiguous_rule() -> None:
    """One open_dt lies in the 2015-11-01 fold: EDT by default, flagged with raise."""
    requests, report = load(BOSTON_2015, preset="boston")
    [folded] = [
        r
        for r in requests
        if r.received
        and r.received.fold == 0
        and r.received.strftime(US) == "11/01/2015 01:16:00 AM"
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
