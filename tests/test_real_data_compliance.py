"""Compliance of real 311 exports against the cities' own on-time flags.

Boston publishes, for each request, a target (``target_dt``) and whether it
was closed on time (``ontime``: ONTIME or OVERDUE). Evaluating the requests
against their imported targets with no policy at all, the compliance by
department with method ``closed`` (met / (met + missed)) must equal the
share of Boston's closed, targeted rows flagged ONTIME, department by
department. The oracle is read with the ``csv`` module and counted here,
apart from slacalc.

The exports live outside the repository, in ``../shared/data/`` (see its
README.md); timestamps are New York wall-clock times without a zone.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import slacalc as sla

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
NEW_YORK = ZoneInfo("America/New_York")

Row = dict[str, str]


def read_rows(name: str) -> list[Row]:
    """The rows of one export in ``DATA`` (gzip or not), or skip if absent."""
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"real 311 data not found: {path} (the shared data folder)")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def iso_local(text: str) -> dt.datetime | None:
    """``2022-01-21 13:47:00`` in New York (fold=0: the earlier), or None if blank."""
    text = text.strip()
    if not text:
        return None
    return dt.datetime.fromisoformat(text).replace(tzinfo=NEW_YORK, fold=0)


def us_local(text: str) -> dt.datetime | None:
    """``01/21/2015 01:47:00 PM`` in New York (fold=0), or None if blank.

    Sliced by position, which is much faster than ``strptime`` over 360,000
    values; every value in the file has this fixed width (checked).
    """
    text = text.strip()
    if not text:
        return None
    assert len(text) == 22, text
    hour = int(text[11:13]) % 12 + (12 if text[20] == "P" else 0)
    wall = dt.datetime(
        int(text[6:10]),
        int(text[0:2]),
        int(text[3:5]),
        hour,
        int(text[14:16]),
        int(text[17:19]),
    )
    return wall.replace(tzinfo=NEW_YORK, fold=0)


def boston_requests(
    rows: list[Row], local: Callable[[str], dt.datetime | None]
) -> list[sla.Request]:
    """Requests with Boston's target as the imported due date, by department."""
    return [
        sla.Request(
            id=row["case_enquiry_id"],
            service=row["type"],
            received=local(row["open_dt"]),
            closed=local(row["closed_dt"]),
            due=local(row["target_dt"]),
            attributes={"department": row["department"]},
        )
        for row in rows
    ]


def on_time_by_department(rows: list[Row]) -> dict[str, tuple[int, int]]:
    """Boston's own flag: (ONTIME, closed rows with a target) per department."""
    on_time: Counter[str] = Counter()
    judged: Counter[str] = Counter()
    for row in rows:
        if row["closed_dt"].strip() and row["target_dt"].strip():
            judged[row["department"]] += 1
            on_time[row["department"]] += row["ontime"] == "ONTIME"
    return {d: (on_time[d], judged[d]) for d in judged}


def test_boston_2022_closed_compliance_equals_ontime_flag() -> None:
    """Boston 2022: `closed` compliance per department equals its ONTIME share."""
    rows = read_rows("boston_311_2022_sample100.csv")
    requests = boston_requests(rows, iso_local)
    as_of = dt.datetime(2022, 6, 1, tzinfo=NEW_YORK)  # after the last close
    outcomes = list(sla.PolicyBook([]).evaluate(requests, as_of=as_of))
    report = sla.compliance(outcomes, by="department", method="closed", min_count=1)

    expected = on_time_by_department(rows)
    found = {
        row.key["department"]: (row.met, row.n, row.rate)
        for row in report.rows
        if row.n
    }
    assert found == {
        department: (ontime, n, ontime / n)
        for department, (ontime, n) in expected.items()
    }
    # The README's facts: 77 closed rows with a target, 72 on time; 100 in all.
    assert (report.total.met, report.total.n, report.total.total) == (72, 77, 100)


def test_boston_2015_closed_compliance_equals_ontime_flag() -> None:
    """Boston 2015 (121,145 rows): the same, per department, at scale.

    197 rows close before they open; slacalc judges them invalid, so they
    leave the oracle too. Rows with no ontime flag (153) have no target.
    """
    rows = read_rows("boston_311_2015.csv.gz")
    requests = boston_requests(rows, us_local)
    as_of = dt.datetime(2016, 2, 1, tzinfo=NEW_YORK)  # after the snapshot
    outcomes = list(sla.PolicyBook([]).evaluate(requests, as_of=as_of))
    report = sla.compliance(outcomes, by="department", method="closed", min_count=1)

    valid = []
    for row in rows:
        opened, closed = us_local(row["open_dt"]), us_local(row["closed_dt"])
        if opened is not None and (closed is None or closed >= opened):
            valid.append(row)
    expected = on_time_by_department(valid)
    found = {row.key["department"]: (row.met, row.n) for row in report.rows if row.n}
    assert found == expected
    assert report.total.total == len(rows) == 121_145
    assert report.total.invalid == len(rows) - len(valid) == 197
    # The README: 79,208 closed rows with a target, less the invalid ones.
    assert report.total.n == sum(n for _, n in expected.values())
    assert 79_208 - 197 <= report.total.n <= 79_208
