"""Loading requests from CSV: dates, DST rules, columns, bad files, streaming."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import slacalc as sla
from slacalc._dates import DateReader, localize, parse_wall

NEW_YORK = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
UTC = dt.UTC
HEADER = "id,opened,closed\n"


def load(text: str, **options: object) -> list[sla.Request]:
    """The requests of CSV text with columns id, opened and closed."""
    options.setdefault("tz", "America/New_York")
    columns = {"id": "id", "received": "opened", "closed": "closed"}
    return list(sla.read_csv(io.StringIO(text), columns=columns, **options))  # type: ignore[arg-type]


def one(opened: str, **options: object) -> sla.Request:
    """The single request of a one-row file whose opened value is given."""
    [request] = load(HEADER + f'1,"{opened}",\n', **options)
    return request


def invalid(request: sla.Request) -> str | None:
    """The reason a loaded request is flagged, or None."""
    reason = request.attributes.get("_invalid")
    assert reason is None or isinstance(reason, str)
    return reason


def wall_and_offset(t: dt.datetime | None) -> tuple[str, str]:
    """An aware datetime as its ISO wall time and its UTC offset."""
    assert t is not None
    return t.replace(tzinfo=None).isoformat(), str(t.utcoffset())


# --------------------------------------------------------------------------
# Date formats


@pytest.mark.parametrize(
    ("text", "wall"),
    [
        ("2022-01-19 11:18:00", "2022-01-19T11:18:00"),
        ("2022-01-19T11:18:00", "2022-01-19T11:18:00"),
        ("2022-01-19 11:18", "2022-01-19T11:18:00"),
        ("2022-01-19 11:18:00.557", "2022-01-19T11:18:00.557000"),
        ("2016-01-01 13:08:48.557000123", "2016-01-01T13:08:48.557000"),
        ("2022-01-19", "2022-01-19T00:00:00"),
        ("10/18/2019 03:25:00 PM", "2019-10-18T15:25:00"),
        ("10/18/2019 03:25:00 AM", "2019-10-18T03:25:00"),
        ("10/18/2019 12:05:09 AM", "2019-10-18T00:05:09"),
        ("10/18/2019 12:05:09 PM", "2019-10-18T12:05:09"),
        ("10/18/2019 03:25:00 pm", "2019-10-18T15:25:00"),
        ("1/5/2022 8:30 AM", "2022-01-05T08:30:00"),
        ("01/19/2022 11:18", "2022-01-19T11:18:00"),
        ("01/19/2022 23:18:05", "2022-01-19T23:18:05"),
        ("01/19/2022", "2022-01-19T00:00:00"),
        ("  2022-01-19 11:18:00 ", "2022-01-19T11:18:00"),
    ],
)
def test_wall_clock_formats_are_read_in_tz(text: str, wall: str) -> None:
    """ISO, US 12-hour and US 24-hour wall times become aware times in tz."""
    request = one(text)
    assert request.received is not None
    assert request.received.tzinfo is NEW_YORK
    assert request.received.replace(tzinfo=None).isoformat() == wall
    assert invalid(request) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2022-01-19T11:18:00Z", "2022-01-19T11:18:00+00:00"),
        ("2022-01-19 11:18:00+01:00", "2022-01-19T11:18:00+01:00"),
        ("2010-04-14T06:37:38-08:00", "2010-04-14T06:37:38-08:00"),
        ("2022-01-19T11:18:00.25-05:00", "2022-01-19T11:18:00.250000-05:00"),
    ],
)
def test_explicit_offsets_are_kept_as_given(text: str, iso: str) -> None:
    """A value with an offset or Z keeps it, whatever tz says."""
    request = one(text, tz="Asia/Tokyo")
    assert request.received is not None
    assert request.received.isoformat() == iso


def test_offsets_need_no_tz() -> None:
    """Values that carry offsets load without tz; missing values too."""
    [request] = load(HEADER + "1,2022-01-19T11:18:00Z,NA\n", tz=None)
    assert request.received == dt.datetime(2022, 1, 19, 11, 18, tzinfo=UTC)
    assert request.closed is None


def test_naive_value_without_tz_raises() -> None:
    """A wall-clock value with no tz is a NaiveDatetimeError that says to pass tz."""
    with pytest.raises(sla.NaiveDatetimeError, match=r"pass tz="):
        load(HEADER + "1,2022-01-19 11:18:00,\n", tz=None)


@pytest.mark.parametrize("text", ["", " ", "NA", "NaN", "nan", "N/A", "NULL", "  NA "])
def test_missing_values_are_none_without_a_reason(text: str) -> None:
    """Empty, NA, NaN and blank dates are None: open, or no receipt time."""
    [request] = load(HEADER + f'1,"{text}","{text}"\n')
    assert request.received is None
    assert request.closed is None
    assert invalid(request) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("01/01/1900 12:00:00 AM", "sentinel date '01/01/1900 12:00:00 AM'"),
        ("1900-01-01 00:00:00", "sentinel date '1900-01-01 00:00:00'"),
        ("9999-12-31 23:59:59", "sentinel date '9999-12-31 23:59:59'"),
        (
            "1850-06-01 10:00:00",
            "date out of range '1850-06-01 10:00:00' (years 1901-2199 are read)",
        ),
        (
            "2200-01-01 10:00",
            "date out of range '2200-01-01 10:00' (years 1901-2199 are read)",
        ),
        ("02/30/2019 10:00:00 AM", "impossible date '02/30/2019 10:00:00 AM'"),
        ("13/01/2019 10:00:00 AM", "impossible date '13/01/2019 10:00:00 AM'"),
        ("01/30/2019 13:00:00 PM", "impossible date '01/30/2019 13:00:00 PM'"),
        ("01/30/2019 00:10:00 AM", "impossible date '01/30/2019 00:10:00 AM'"),
        ("2019-02-30 10:00:00", "impossible date '2019-02-30 10:00:00'"),
        ("2019-01-30 25:00", "impossible date '2019-01-30 25:00'"),
        ("soon", "unreadable date 'soon'"),
        ("30.01.2019 10:00", "unreadable date '30.01.2019 10:00'"),
        ("2019-01-30 10:00 o'clock", 'unreadable date "2019-01-30 10:00 o\'clock"'),
    ],
)
def test_bad_dates_flag_the_row_naming_column_and_value(text: str, reason: str) -> None:
    """Sentinel, out-of-range, impossible and unreadable dates flag, never raise."""
    [request] = load(HEADER + f'7,2019-01-30 09:00,"{text}"\n')
    assert request.closed is None
    assert request.received is not None
    assert invalid(request) == f"closed: {reason}"


def test_two_problems_in_a_row_are_both_given() -> None:
    """Every bad value of a row is named, joined by '; '."""
    [request] = load(HEADER + "7,soon,01/01/1900 12:00:00 AM\n")
    assert invalid(request) == (
        "opened: unreadable date 'soon'; closed: sentinel date '01/01/1900 12:00:00 AM'"
    )


def test_cached_problem_flags_every_row_it_appears_in() -> None:
    """A repeated bad value flags each of its rows (the cache keeps problems)."""
    text = HEADER + "".join(f"{i},soon,\n" for i in range(3))
    reasons = [invalid(r) for r in load(text)]
    assert reasons == ["opened: unreadable date 'soon'"] * 3


# --------------------------------------------------------------------------
# DST gaps and folds (US 2026: 8 March, 1 November)


def test_nonexistent_wall_time_shifts_forward_by_the_gap() -> None:
    """02:30 on 2026-03-08 in Chicago becomes 03:30 CDT, as Days does."""
    for text in ("03/08/2026 02:30:00 AM", "2026-03-08 02:30:00", "03/08/2026 02:30"):
        request = one(text, tz="America/Chicago")
        assert wall_and_offset(request.received) == (
            "2026-03-08T03:30:00",
            "-1 day, 19:00:00",
        )
        assert request.received == dt.datetime(2026, 3, 8, 8, 30, tzinfo=UTC)


def test_nonexistent_wall_time_with_raise_flags_the_row() -> None:
    """nonexistent='raise' gives an invalid row, not an exception."""
    request = one("03/08/2026 02:30:00 AM", tz="America/Chicago", nonexistent="raise")
    assert request.received is None
    assert invalid(request) == (
        "opened: nonexistent wall time '03/08/2026 02:30:00 AM' "
        "(skipped in America/Chicago by a DST change)"
    )


@pytest.mark.parametrize(("ambiguous", "utc_hour"), [("earlier", 6), ("later", 7)])
def test_ambiguous_wall_time_takes_the_chosen_instant(
    ambiguous: str, utc_hour: int
) -> None:
    """01:30 on 2026-11-01 in Chicago is 06:30Z (CDT) or 07:30Z (CST)."""
    request = one("11/01/2026 01:30:00 AM", tz="America/Chicago", ambiguous=ambiguous)
    assert request.received is not None
    # Python compares a time in a fold with another zone's as unequal: use UTC.
    instant = request.received.astimezone(UTC)
    assert instant == dt.datetime(2026, 11, 1, utc_hour, 30, tzinfo=UTC)
    assert request.received.replace(tzinfo=None) == dt.datetime(2026, 11, 1, 1, 30)


def test_ambiguous_wall_time_with_raise_flags_the_row() -> None:
    """ambiguous='raise' gives an invalid row naming the value."""
    request = one("2026-11-01 01:30:00", tz="America/Chicago", ambiguous="raise")
    assert request.received is None
    assert invalid(request) == (
        "opened: ambiguous wall time '2026-11-01 01:30:00' "
        "(occurs twice in America/Chicago at a DST change)"
    )


def test_times_next_to_the_changes_are_plain() -> None:
    """01:59:59 before the gap and 02:00 after the fold read without a rule."""
    strict = {"tz": "America/Chicago", "nonexistent": "raise", "ambiguous": "raise"}
    before_gap = one("03/08/2026 01:59:59 AM", **strict).received
    after_gap = one("03/08/2026 03:00:00 AM", **strict).received
    after_fold = one("11/01/2026 02:00:00 AM", **strict).received
    assert before_gap == dt.datetime(2026, 3, 8, 7, 59, 59, tzinfo=UTC)
    assert after_gap == dt.datetime(2026, 3, 8, 8, 0, tzinfo=UTC)
    assert after_fold == dt.datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def test_unknown_rule_or_zone_is_refused() -> None:
    """A DST rule or zone outside the vocabulary raises ValueError at once."""
    with pytest.raises(ValueError, match=r"nonexistent must be one of"):
        load(HEADER, nonexistent="skip")
    with pytest.raises(ValueError, match=r"ambiguous must be one of"):
        load(HEADER, ambiguous="first")
    with pytest.raises(ValueError, match=r"tz must be an IANA time zone name"):
        load(HEADER, tz="Boston")


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "UTC"])
def test_fast_path_equals_the_general_path(zone: str) -> None:
    """Every quarter hour of a year reads the same with or without the fast path."""
    tz = ZoneInfo(zone)
    reader = DateReader(tz)
    start = dt.datetime(2026, 1, 1)
    for step in range(0, 365 * 24 * 4, 7):
        wall = start + dt.timedelta(minutes=15 * step, seconds=step % 60)
        for text in (
            wall.strftime("%m/%d/%Y %I:%M:%S %p"),
            wall.strftime("%Y-%m-%d %H:%M:%S"),
        ):
            expected = localize(parse_wall(text), tz, "shift_forward", "earlier", text)
            actual = reader(text)
            assert actual is not None
            assert (actual.isoformat(), actual.fold) == (
                expected.isoformat(),
                expected.fold,
            )


# --------------------------------------------------------------------------
# Boston 2016: times shifted by minus the UTC offset


@pytest.mark.parametrize(
    ("text", "wall", "offset"),
    [
        ("2016-01-05 03:30:00", "2016-01-05T08:30:00", -5),  # EST, shown 5 h early
        ("2016-07-05 04:30:00", "2016-07-05T08:30:00", -4),  # EDT, shown 4 h early
        ("2016-03-12 21:30:00", "2016-03-13T03:30:00", -4),  # true 02:30 shifted
        ("2016-11-06 01:30:00", "2016-11-06T05:30:00", -5),  # fold: earlier
    ],
)
def test_shifted_utc_moves_times_back(text: str, wall: str, offset: int) -> None:
    """shifted_utc=True reads v as tz, takes its UTC wall time, reads that in tz."""
    request = one(text, shifted_utc=True)
    assert request.received is not None
    assert request.received.replace(tzinfo=None).isoformat() == wall
    assert request.received.utcoffset() == dt.timedelta(hours=offset)


def test_shifted_utc_value_in_a_gap_is_flagged() -> None:
    """A shifted value cannot lie in a gap; one that does flags the row."""
    request = one("2016-03-13 02:30:00", shifted_utc=True)
    assert request.received is None
    assert invalid(request) == (
        "opened: nonexistent wall time '2016-03-13 02:30:00' "
        "(skipped in America/New_York by a DST change)"
    )


def test_shifted_utc_needs_a_zone() -> None:
    """shifted_utc=True without tz is refused."""
    with pytest.raises(ValueError, match=r"shifted_utc=True needs the zone"):
        load(HEADER, tz=None, shifted_utc=True)


# --------------------------------------------------------------------------
# Columns and presets


def test_column_map_takes_names_or_a_mapping() -> None:
    """attributes may list column names or map attribute names to columns."""
    listed = sla.ColumnMap(id="a", received="b", attributes=["Ward", "Zip"])
    named = sla.ColumnMap(id="a", received="b", attributes={"ward": "Ward"})
    assert dict(listed.attributes) == {"Ward": "Ward", "Zip": "Zip"}
    assert dict(named.attributes) == {"ward": "Ward"}
    with pytest.raises(TypeError, match=r"not one string"):
        sla.ColumnMap(id="a", received="b", attributes="Ward")


def test_columns_and_attributes_are_mapped() -> None:
    """Fields come from their columns; attributes keep values, missing as None."""
    text = "case,type,opened,target,ward,note\n9,POTHOLE,2026-03-02 09:00,,3, \n"
    [request] = sla.read_csv(
        io.StringIO(text),
        columns=sla.ColumnMap(
            id="case", service="type", received="opened", due="target"
        ),
        attributes={"district": "ward", "note": "note"},
        tz="UTC",
    )
    assert request.id == "9"
    assert request.service == "POTHOLE"
    assert request.due is None
    assert dict(request.attributes) == {"district": "3", "note": None}


def test_preset_columns_can_be_replaced() -> None:
    """A mapping in columns= replaces fields of the preset, the rest stay."""
    text = (
        "Unique Key,Created Date,Closed Date,Complaint Type,Descriptor\n"
        "5,01/02/2020 10:00:00 AM,,Animal,Rooster\n"
    )
    [request] = sla.read_csv(
        io.StringIO(text), preset="nyc", columns={"service": "Descriptor"}
    )
    assert request.service == "Rooster"
    assert request.received == dt.datetime(2020, 1, 2, 15, 0, tzinfo=UTC)
    assert request.due is None  # the preset's Due Date column is absent
    assert dict(request.attributes) == {"Descriptor": "Rooster"}


def test_presets_name_their_columns() -> None:
    """Each preset maps the columns of its city's export."""
    assert sla.ColumnMap.preset("boston").due == "target_dt"
    assert sla.ColumnMap.preset("boston_2016").due == "sla_target_dt"
    assert "on_time" in sla.ColumnMap.preset("boston_2016").attributes
    assert sla.ColumnMap.preset("baltimore").id == "ServiceRequestNum"
    assert sla.ColumnMap.preset("nyc").closed == "Closed Date"
    with pytest.raises(ValueError, match=r"preset must be one of \['baltimore'"):
        sla.ColumnMap.preset("chicago")  # type: ignore[arg-type]


def test_columns_are_required() -> None:
    """Without preset or columns, or with an unknown field, read_csv refuses."""
    with pytest.raises(ValueError, match=r"needs preset= or columns="):
        sla.read_csv(io.StringIO(HEADER))
    with pytest.raises(ValueError, match=r"got unknown 'opened'"):
        sla.read_csv(io.StringIO(HEADER), columns={"id": "id", "opened": "x"})
    with pytest.raises(ValueError, match=r"must name the 'id' column .*'opened'"):
        sla.read_csv(io.StringIO(HEADER), columns={"received": "opened"})


def test_missing_columns_name_file_columns_and_header(tmp_path: Path) -> None:
    """A missing column is a SourceError naming the file, the columns and the header."""
    path = tmp_path / "export.csv"
    path.write_text("case_enquiry_id,opened,type\n1,2022-01-19 11:18,Pothole\n")
    with pytest.raises(sla.SourceError) as caught:
        sla.read_csv(path, preset="boston")
    assert str(caught.value) == (
        f"{path}: missing columns 'open_dt' (received), 'closed_dt' (closed); "
        "the header has 3 columns: 'case_enquiry_id', 'opened', 'type'"
    )
    assert caught.value.source == str(path)
    assert isinstance(caught.value, ValueError)


def test_missing_attribute_column_asked_for_is_an_error() -> None:
    """An attribute column named by the caller must exist (typos show at once)."""
    with pytest.raises(
        sla.SourceError, match=r"missing column 'Ward' \(attribute 'Ward'\)"
    ):
        sla.read_csv(
            io.StringIO(HEADER),
            columns={"id": "id", "received": "opened"},
            attributes=["Ward"],
        )


def test_single_column_header_suggests_the_delimiter() -> None:
    """A header read as one column with ';' in it suggests delimiter=';'."""
    with pytest.raises(sla.SourceError, match=r"pass delimiter=';'"):
        sla.read_csv(
            io.StringIO("id;opened\n1;2026-01-01\n"),
            columns={"id": "id", "received": "opened"},
        )
    requests = load("id;opened;closed\n1;2026-01-01;\n", delimiter=";")
    assert requests[0].id == "1"


# --------------------------------------------------------------------------
# Bad and odd files


@pytest.mark.parametrize("content", ["", "\n", "\r\n\r\n"])
def test_empty_file_has_no_header_row(tmp_path: Path, content: str) -> None:
    """An empty file is a SourceError saying it has no header row."""
    path = tmp_path / "empty.csv"
    path.write_text(content)
    with pytest.raises(
        sla.SourceError, match=r"empty.csv: the file is empty: it has no header row"
    ):
        sla.read_csv(path, preset="nyc")


def test_header_only_file_gives_no_requests() -> None:
    """A header without rows is zero requests, not an error."""
    reader = sla.read_csv(
        io.StringIO(HEADER), columns={"id": "id", "received": "opened"}, tz="UTC"
    )
    assert list(reader) == []
    assert reader.report == sla.LoadReport("<stream>", 0, 0, 0, {}, finished=True)


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark does not hide the first column's name."""
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "1,2026-01-02 10:00,\n").encode())
    [request] = sla.read_csv(path, columns={"id": "id", "received": "opened"}, tz="UTC")
    assert request.id == "1"


def test_rows_with_the_wrong_number_of_fields_are_flagged() -> None:
    """A short or long row loads what it has and says how many fields it had."""
    requests = load(HEADER + "1,2026-01-02 10:00\n2,2026-01-02 10:00,,extra\n3,,\n")
    assert [r.id for r in requests] == ["1", "2", "3"]
    assert requests[0].received is not None
    assert invalid(requests[0]) == "row has 2 fields, the header 3"
    assert invalid(requests[1]) == "row has 4 fields, the header 3"
    assert invalid(requests[2]) is None


def test_blank_lines_are_not_rows() -> None:
    """Blank lines between rows are skipped and not counted, as csv does."""
    reader = sla.read_csv(
        io.StringIO(HEADER + "\n1,2026-01-02 10:00,\n\n2,,\n"),
        columns={"id": "id", "received": "opened"},
        tz="UTC",
    )
    assert [r.id for r in reader] == ["1", "2"]
    assert reader.report.rows == 2


def test_quoted_fields_keep_newlines_and_commas() -> None:
    """Quoted fields may hold commas and newlines (CSV read with newline='')."""
    text = HEADER.replace("\n", ",note\n") + '1,2026-01-02 10:00,,"a, b\r\nc"\n'
    reader = sla.read_csv(
        io.StringIO(text),
        columns={"id": "id", "received": "opened"},
        attributes=["note"],
        tz="UTC",
    )
    assert [r.attributes["note"] for r in reader] == ["a, b\r\nc"]


LATIN = (HEADER + "1,2026-01-02 10:00,\n2,2026-01-02 11:00,\n").replace(
    "2,", "Jos\u00e9,"
)


def test_wrong_encoding_names_file_encoding_and_byte_offset(tmp_path: Path) -> None:
    """Bytes not in the encoding give a SourceError with the exact byte offset."""
    data = LATIN.encode("latin-1")
    path = tmp_path / "latin.csv"
    path.write_bytes(data)
    offset = data.index(b"\xe9")
    with pytest.raises(sla.SourceError) as caught:
        list(sla.read_csv(path, columns={"id": "id", "received": "opened"}, tz="UTC"))
    assert str(caught.value) == (
        f"{path}: cannot decode the bytes at byte offset {offset} as "
        "'utf-8' (b'\\xe9,20': invalid continuation byte); pass encoding='latin-1' "
        "or the export's real encoding (e.g. 'cp1252')"
    )
    requests = list(
        sla.read_csv(
            path,
            columns={"id": "id", "received": "opened"},
            tz="UTC",
            encoding="latin-1",
        )
    )
    assert [r.id for r in requests] == ["1", "Jos\u00e9"]


def test_wrong_encoding_in_a_binary_file_object_keeps_it_open() -> None:
    """A caller's binary file gets the same error and is not closed."""
    data = LATIN.encode("latin-1")
    handle = io.BytesIO(data)
    offset = data.index(b"\xe9")
    with pytest.raises(sla.SourceError, match=rf"byte offset {offset} as 'utf-8'"):
        list(sla.read_csv(handle, columns={"id": "id", "received": "opened"}, tz="UTC"))
    assert not handle.closed


def test_utf16_file_gets_a_utf16_hint_and_reads_with_it(tmp_path: Path) -> None:
    """A UTF-16 export (as Excel saves) read as UTF-8 suggests encoding='utf-16'."""
    path = tmp_path / "excel.csv"
    path.write_bytes(ROWS.encode("utf-16"))
    with pytest.raises(
        sla.SourceError, match=r"at byte offset 0 .* pass encoding='utf-16'"
    ):
        ids(path)
    assert ids(path, encoding="utf-16") == ["1", "2"]


def test_unknown_encoding_is_a_source_error() -> None:
    """An encoding name Python does not know is refused with its name."""
    with pytest.raises(
        sla.SourceError, match=r"encoding must be a codec name .* got 'utf-9'"
    ):
        sla.read_csv(io.BytesIO(b""), preset="nyc", encoding="utf-9")


def test_field_larger_than_the_csv_limit_is_a_source_error() -> None:
    """Malformed CSV (a runaway quoted field) names the line, never a bare csv.Error."""
    text = HEADER + "1,2026-01-02 10:00,\n" + '2,"' + "x" * 200_000 + "\n"
    with pytest.raises(
        sla.SourceError, match=r"malformed CSV near line \d+: field larger"
    ):
        load(text)


def test_source_must_be_a_path_or_a_file() -> None:
    """Anything else than a path or a file is a TypeError."""
    with pytest.raises(
        TypeError, match=r"source must be a path or an open file, got int"
    ):
        sla.read_csv(42, preset="nyc")  # type: ignore[arg-type]


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    """A path that does not exist raises FileNotFoundError naming it."""
    with pytest.raises(FileNotFoundError, match=r"nothing.csv"):
        sla.read_csv(tmp_path / "nothing.csv", preset="nyc")


# --------------------------------------------------------------------------
# Paths, file objects and gzip


ROWS = HEADER + "1,2026-01-02 10:00,2026-01-02 11:00\n2,2026-01-03 10:00,\n"
COLUMNS = {"id": "id", "received": "opened", "closed": "closed"}


def ids(source: object, **options: object) -> list[str]:
    """The ids read from a source with the test columns in UTC."""
    reader = sla.read_csv(source, columns=COLUMNS, tz="UTC", **options)  # type: ignore[arg-type]
    return [request.id for request in reader]


def test_paths_and_file_objects_read_alike(tmp_path: Path) -> None:
    """str and Path paths, text and binary files give the same requests."""
    path = tmp_path / "rows.csv"
    path.write_text(ROWS)
    with path.open("rb") as binary, path.open(newline="") as text:
        results = [
            ids(path),
            ids(str(path)),
            ids(binary),
            ids(text),
            ids(io.StringIO(ROWS)),
        ]
        assert not binary.closed
        assert not text.closed
    assert results == [["1", "2"]] * 5


def test_gzip_is_recognised_by_its_bytes(tmp_path: Path) -> None:
    """A gzip file reads by path with or without .gz, and as a binary file."""
    packed = gzip.compress(ROWS.encode())
    (tmp_path / "rows.csv.gz").write_bytes(packed)
    (tmp_path / "rows.dat").write_bytes(packed)
    assert ids(tmp_path / "rows.csv.gz") == ["1", "2"]
    assert ids(tmp_path / "rows.dat") == ["1", "2"]
    assert ids(io.BytesIO(packed)) == ["1", "2"]


def test_gzip_with_a_wrong_encoding_gives_the_decompressed_offset(
    tmp_path: Path,
) -> None:
    """The byte offset of a bad byte in a gzip file counts decompressed bytes."""
    data = LATIN.encode("latin-1")
    path = tmp_path / "latin.csv.gz"
    path.write_bytes(gzip.compress(data))
    offset = data.index(b"\xe9")
    with pytest.raises(sla.SourceError, match=rf"byte offset {offset} "):
        ids(path)


def test_truncated_gzip_is_a_source_error(tmp_path: Path) -> None:
    """A gzip file cut short gives a SourceError, not an EOFError traceback."""
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress((ROWS * 2000).encode())[:-400])
    with pytest.raises(
        sla.SourceError, match=r"cut.csv.gz: cannot read the file near line"
    ):
        ids(path)


# --------------------------------------------------------------------------
# The reader and its report


def test_report_accounts_for_every_row() -> None:
    """rows == loaded + flagged, problems counted by column and kind."""
    text = (
        HEADER + "1,2026-01-02 10:00,\n2,soon,\n3,2026-01-02,01/01/1900 12:00:00 AM\n"
    )
    reader = sla.read_csv(io.StringIO(text), columns=COLUMNS, tz="UTC")
    assert not reader.report.finished
    assert str(reader.report) == "<stream>: 0 rows, 0 loaded, 0 flagged so far"
    requests = list(reader)
    report = reader.report
    assert (report.rows, report.loaded, report.flagged) == (3, 1, 2)
    assert dict(report.problems) == {
        "opened: unreadable date": 1,
        "closed: sentinel date": 1,
    }
    assert report.finished
    assert len(requests) == report.rows
    assert str(report) == (
        "<stream>: 3 rows, 1 loaded, 2 flagged "
        "(opened: unreadable date 1, closed: sentinel date 1)"
    )


def test_close_releases_the_file(tmp_path: Path) -> None:
    """close() and a with block release the file before the end."""
    path = tmp_path / "rows.csv"
    path.write_text(ROWS)
    with sla.read_csv(path, columns=COLUMNS, tz="UTC") as reader:
        first = next(reader)
    assert first.id == "1"
    assert list(reader) == []
    assert reader.report.rows == 1
    assert not reader.report.finished
    unread = sla.read_csv(path, columns=COLUMNS, tz="UTC")
    unread.close()
    assert list(unread) == []


def test_a_large_file_streams_in_bounded_memory(tmp_path: Path) -> None:
    """A 12 MB file streams with a memory peak under a tenth of its size."""
    path = tmp_path / "large.csv"
    start = dt.datetime(2019, 1, 1)
    note = "x" * 1200  # a wide column that is not kept, as real notes are
    with path.open("w", newline="") as handle:
        handle.write("id,opened,closed,ward,note\n")
        for i in range(10_000):
            opened = start + dt.timedelta(seconds=97 * i)
            closed = opened + dt.timedelta(hours=5)
            us, iso = f"{opened:%m/%d/%Y %I:%M:%S %p}", f"{closed:%Y-%m-%d %H:%M:%S}"
            handle.write(f"{i},{us},{iso},{i % 9},{note}\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        reader = sla.read_csv(path, columns=COLUMNS, attributes=["ward"], tz=NEW_YORK)
        count = sum(1 for _ in reader)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == reader.report.loaded == 10_000
    assert size > 12_000_000
    assert peak < size / 10
