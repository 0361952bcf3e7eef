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

import datetime as dt

import slacalc as sla
from slacalc._dates import parse_wall
from tests.helpers import (
    BOSTON_2015,
    BOSTON_2022,
    NEW_YORK,
    boston_requests,
    new_york,
    on_time_by_department,
    read_rows,
)


def us_local(text: str) -> dt.datetime | None:
    """``01/21/2015 01:47:00 PM`` in New York (fold=0), or None if blank.

    Read by slacalc's fixed-width path (``parse_wall``), which is much
    faster than ``strptime`` over 360,000 values; every value in the file
    has this fixed width (checked).
    """
    assert len(text.strip()) in (0, 22), text
    return new_york(text, parse_wall)


def test_boston_2022_closed_compliance_equals_ontime_flag() -> None:
    """Boston 2022: `closed` compliance per department equals its ONTIME share."""
    rows = read_rows(BOSTON_2022)
    requests = boston_requests(rows, new_york)
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
    rows = read_rows(BOSTON_2015)
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
