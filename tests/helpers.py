"""Helpers the test modules share: the real 311 exports, the command line,
and outcomes built by hand.

The exports live outside the repository, in ``../shared/data/`` (see its
README.md); a test that needs one is skipped where it is absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import slacalc as sla
from slacalc.cli import main
from tests.test_real_data import BOSTON, BOSTON_TARGETS

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
NEW_YORK = ZoneInfo("America/New_York")

BOSTON_2022 = "boston_311_2022_sample100.csv"
BOSTON_2016 = "boston_311_2016_animal_pest_subset.csv"
BOSTON_2015 = "boston_311_2015.csv.gz"
BALTIMORE = "baltimore_311_2019-10_sample3000.csv"
NYC = "nyc_311_dohmh_illegal_animals.csv"

#: The US 12-hour shape of Baltimore's, NYC's and Boston 2015's timestamps.
US_WALL = "%m/%d/%Y %I:%M:%S %p"

#: The columns of each export holding a request's id, service and times.
BOSTON_COLUMNS = {
    "id": "case_enquiry_id",
    "service": "type",
    "received": "open_dt",
    "closed": "closed_dt",
    "due": "target_dt",
}
BOSTON_2016_COLUMNS = {**BOSTON_COLUMNS, "due": "sla_target_dt"}
BALTIMORE_COLUMNS = {
    "id": "ServiceRequestNum",
    "service": "SRType",
    "received": "CreatedDate",
    "closed": "CloseDate",
    "due": "DueDate",
}
NYC_COLUMNS = {
    "id": "Unique Key",
    "service": "Complaint Type",
    "received": "Created Date",
    "closed": "Closed Date",
    "due": "Due Date",
}

Row = dict[str, str]


# --------------------------------------------------------------------------
# The real exports


def data_path(name: str) -> Path:
    """The path of one export in ``DATA``, or skip the test when it is absent."""
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"real 311 data not found: {path} (the shared data folder)")
    return path


def read_rows(name: str) -> list[Row]:
    """The rows of one export (gzip or not) as ``csv.DictReader`` reads them."""
    path = data_path(name)
    opener: Any = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def new_york(
    text: str, parse: Callable[[str], dt.datetime] = dt.datetime.fromisoformat
) -> dt.datetime | None:
    """A New York wall-clock text, read by ``parse``, as an instant (fold=0:
    the earlier), or None when blank."""
    text = text.strip()
    if not text:
        return None
    return parse(text).replace(tzinfo=NEW_YORK, fold=0)


def requests_from(
    rows: Iterable[Row],
    local: Callable[[str], dt.datetime | None],
    columns: Mapping[str, str],
    attributes: Mapping[str, str] | None = None,
) -> list[sla.Request]:
    """The rows as requests: ``columns`` names the columns of the id, the
    service and the times (read by ``local``); ``attributes`` maps each
    attribute to its column."""
    return [
        sla.Request(
            id=row[columns["id"]],
            service=row[columns["service"]],
            received=local(row[columns["received"]]),
            closed=local(row[columns["closed"]]),
            due=local(row[columns["due"]]),
            attributes={
                name: row[column] for name, column in (attributes or {}).items()
            },
        )
        for row in rows
    ]


def boston_requests(
    rows: Iterable[Row], local: Callable[[str], dt.datetime | None]
) -> list[sla.Request]:
    """Boston's rows as requests with its target as the imported due date,
    by department."""
    return requests_from(rows, local, BOSTON_COLUMNS, {"department": "department"})


def on_time_by_department(rows: Iterable[Row]) -> dict[str, tuple[int, int]]:
    """Boston's own flag: (ONTIME, closed rows with a target) per department."""
    on_time: Counter[str] = Counter()
    judged: Counter[str] = Counter()
    for row in rows:
        if row["closed_dt"].strip() and row["target_dt"].strip():
            judged[row["department"]] += 1
            on_time[row["department"]] += row["ontime"] == "ONTIME"
    return {d: (on_time[d], judged[d]) for d in judged}


def boston_book(**options: Any) -> sla.PolicyBook:
    """Boston's targets (test_real_data.py) as policies, one per type, on its
    office calendar; ``options`` go to the book."""
    return sla.PolicyBook(
        [
            sla.Policy(kind, target, goal=0.9, calendar=BOSTON, services=[kind])
            for kind, target in BOSTON_TARGETS.items()
        ],
        **options,
    )


def baltimore_book(rows: Iterable[Mapping[Any, Any]], **options: Any) -> sla.PolicyBook:
    """A ``Days(n)`` policy per SRType, ``n`` the days from CreatedDate to
    DueDate of its first row with a DueDate; ``options`` go to the book.

    The rows come from the csv module or a pandas frame read as text, where
    a missing DueDate is ``NA`` or not a string.
    """
    days: dict[str, int] = {}
    for row in rows:
        created, due = row["CreatedDate"], row["DueDate"]
        if isinstance(due, str) and due not in ("", "NA"):
            span = _us_date(due) - _us_date(created)
            days.setdefault(row["SRType"], span.days)
    return sla.PolicyBook(
        [sla.Policy(k, sla.Days(n), goal=0.9, services=[k]) for k, n in days.items()],
        **options,
    )


def _us_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, US_WALL).date()


# --------------------------------------------------------------------------
# The command line


def run_cli(*argv: str) -> str:
    """Run the slacalc command in-process and return what it printed (it
    must exit 0)."""
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


# --------------------------------------------------------------------------
# Outcomes built by hand

AS_OF = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
MARCH = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def made_outcomes(
    status: sla.Status,
    count: int,
    *,
    received: dt.datetime | None = MARCH,
    as_of: dt.datetime = AS_OF,
    service: str | None = None,
    policy: sla.Policy | None = None,
    share: float | None = None,
    **attributes: Any,
) -> list[sla.Outcome]:
    """``count`` outcomes of one status built directly, with attributes from
    keywords."""
    return [
        sla.Outcome(
            id=f"{status.value}-{i}",
            status=status,
            as_of=as_of,
            service=service,
            received=received,
            share=share,
            policy=policy,
            attributes=attributes,
        )
        for i in range(count)
    ]


def open_in_districts(counts: Mapping[str, int]) -> list[sla.Outcome]:
    """Open requests: ``counts[d]`` of them in district ``d``."""
    found: list[sla.Outcome] = []
    for district, count in counts.items():
        found += made_outcomes(sla.Status.OPEN, count, district=district)
    return found
