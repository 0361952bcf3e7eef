"""`slacalc report`: a city export in, a compliance report out."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from slacalc.cli import main
from tests.helpers import (
    BOSTON_2022,
    data_path,
    on_time_by_department,
    read_rows,
    run_cli,
)


@pytest.fixture
def boston() -> Path:
    """The Boston 2022 sample, or a skip where the shared data is absent."""
    return data_path(BOSTON_2022)


def report(boston: Path, *options: str) -> str:
    """`slacalc report` of the Boston sample by department, as of 2026."""
    return run_cli(
        "report",
        str(boston),
        "--preset",
        "boston",
        "--by",
        "department",
        "--as-of",
        "2026-01-01T00:00Z",
        *options,
    )


def test_closed_method_reproduces_bostons_flag(boston: Path) -> None:
    """By department, method closed, met/(met+missed) equals Boston's ONTIME share."""
    text = report(boston, "--method", "closed", "--format", "json")
    rows = {row["department"]: row for row in json.loads(text)}
    expected = on_time_by_department(read_rows(BOSTON_2022))
    assert expected
    for department, (ontime, closed) in expected.items():
        row = rows[department]
        assert (row["met"], row["met"] + row["missed"]) == (ontime, closed)
        assert row["rate"] == pytest.approx(ontime / closed)


def test_csv_and_html_formats(boston: Path) -> None:
    """CSV output has a row per group and a total row; HTML is a table."""
    text = report(boston, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sum(int(row["total"]) for row in rows[:-1]) == 100
    assert rows[-1]["department"] == "total"
    assert int(rows[-1]["total"]) == 100
    html = report(boston, "--format", "html")
    assert "<table" in html
    assert "BTDT" in html


def test_text_report_lists_flags(boston: Path) -> None:
    """The text report ends with its flags against a given goal."""
    text = report(boston, "--goal", "0.99", "--min-count", "5")
    assert "Compliance by department" in text
    flags = text[text.index("Flags") :]
    assert "PWDx" in flags


def test_progress_goes_to_standard_error(
    boston: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--progress and the load summary go to stderr, not into the report."""
    out = io.StringIO()
    main(
        [
            "report",
            str(boston),
            "--preset",
            "boston",
            "--progress",
            "--as-of",
            "2026-01-01T00:00Z",
            "--format",
            "csv",
        ],
        out=out,
    )
    assert "100 rows, 100 loaded, 0 flagged" in capsys.readouterr().err
    assert "loaded" not in out.getvalue()


def test_chart_is_written(boston: Path, tmp_path: Path) -> None:
    """--chart draws the report to a PNG file."""
    pytest.importorskip("matplotlib")
    chart = tmp_path / "compliance.png"
    report(boston, "--chart", str(chart))
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that does not exist exits 2 naming it."""
    with pytest.raises(SystemExit) as caught:
        main(["report", str(tmp_path / "nope.csv"), "--preset", "nyc"])
    assert caught.value.code == 2
    assert "nope.csv" in capsys.readouterr().err


def test_wrong_preset_names_the_missing_columns(
    boston: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading Boston's file as NYC's says which columns are missing."""
    with pytest.raises(SystemExit) as caught:
        main(["report", str(boston), "--preset", "nyc"])
    assert caught.value.code == 2
    assert "Created Date" in capsys.readouterr().err


def test_as_of_must_be_an_instant(capsys: pytest.CaptureFixture[str]) -> None:
    """A naive --as-of is refused before anything is read."""
    with pytest.raises(SystemExit):
        main(["report", "x.csv", "--preset", "nyc", "--as-of", "2026-01-01T00:00"])
    assert "--as-of must carry an offset" in capsys.readouterr().err


def test_by_a_name_the_export_lacks_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--by agency on an export whose column is Agency would put every
    request in one (none) group: it exits 2 and suggests the column."""
    export = tmp_path / "baltimore.csv"
    export.write_text(
        "ServiceRequestNum,CreatedDate,SRType,CloseDate,DueDate,Agency\n"
        "1,10/01/2019 09:00:00 AM,Pothole,,,Transportation\n"
    )
    args = [
        "report",
        str(export),
        "--preset",
        "baltimore",
        "--as-of",
        "2020-01-01T00:00Z",
    ]
    with pytest.raises(SystemExit) as caught:
        main([*args, "--by", "agency"])
    assert caught.value.code == 2
    assert capsys.readouterr().err == (
        "slacalc report: error: --by must name service, policy or an attribute "
        "that the baltimore export gives (Agency), got 'agency'; did you mean "
        "'Agency'?\n"
    )
    assert main([*args, "--by", "Agency,service", "--no-progress"]) == 0
    assert "Transportation" in capsys.readouterr().out
