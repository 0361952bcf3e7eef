"""slacalc.frames equals the scalar path: the same values written to a CSV
file, read by ``slacalc.read_csv`` and judged by ``PolicyBook.evaluate``,
give the same outcome on every row, and the same counts and reports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zoneinfo
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import slacalc as sla
from slacalc._dates import Ambiguous, Nonexistent
from slacalc.counts import Period
from slacalc.outcomes import DueSource
from tests.strategies import ZONES, calendars, instants, offset_changes, periods
from tests.test_columns_evaluate import books

pytest.importorskip("pandas")

import pandas as pd

from slacalc import frames

SETTINGS = settings(max_examples=60, deadline=None)
FORMS = ("us", "iso", "datetime64", "mixed")
#: Texts a real export may hold where a date should be.
ODD_TEXTS = (
    "",
    "NA",
    "  ",
    "soon",
    "02/30/2026 10:00:00 AM",
    "13/01/2026 10:00:00 AM",
    "01/01/1900 12:00:00 AM",
    "1900-01-01",
    "12/31/2999 11:00:00 PM",
    "3/8/2026 2:30",
    "03/08/2026 02:30:00 am",
    "2026-03-08T02:30:00-06:00",
    " 2026-11-01 01:30:00",
    "2026-07-04 12:00:00.250000",
)
COLUMNS = sla.ColumnMap(
    id="id",
    received="opened",
    closed="closed",
    due="target",
    service="kind",
    attributes={"district": "District"},
)


@st.composite
def walls(draw: st.DrawFn, tz: str) -> dt.datetime:
    """A naive wall-clock time in ``tz``: near one of its offset changes
    (in a gap or a fold, or just beside one), or anywhere."""
    changes = offset_changes(tz)
    zone = zoneinfo.ZoneInfo(tz)
    near: bool = draw(st.booleans())
    if changes and near:
        change = draw(st.sampled_from(changes)).astimezone(zone)
        shift = dt.timedelta(seconds=draw(st.integers(-3 * 3600, 3 * 3600)))
        return change.replace(tzinfo=None) + shift
    return draw(instants(tz=tz)).replace(tzinfo=None)


def text(value: dt.datetime | None, form: str) -> str:
    """A wall time as a CSV file would hold it in this form."""
    if value is None:
        return ""
    if form == "us":
        return value.strftime("%m/%d/%Y %I:%M:%S %p")
    return value.isoformat(sep=" ")


@st.composite
def values(draw: st.DrawFn, tz: str, form: str, after: Any = None) -> Any:
    """One date value: a wall time (maybe hours after ``after``), missing,
    or, in text forms, an odd text."""
    if form == "mixed" and draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(ODD_TEXTS))
    if draw(st.integers(0, 5)) == 0:
        return None
    if isinstance(after, dt.datetime) and draw(st.booleans()):
        wall = after + dt.timedelta(seconds=draw(st.integers(-600, 900 * 3600)))
    else:
        wall = draw(walls(tz))
    if form == "datetime64":
        return wall
    return text(wall, "us" if form == "mixed" and draw(st.booleans()) else form)


@st.composite
def frames_of_requests(draw: st.DrawFn, tz: str) -> tuple[pd.DataFrame, str]:
    """Requests as a DataFrame in one form of date column, and the same
    requests as the text of a CSV file."""
    form = draw(st.sampled_from(FORMS))
    rows = []
    for i in range(draw(st.integers(0, 14))):
        opened = draw(values(tz, form))
        rows.append(
            {
                "id": str(i),
                "opened": opened,
                "closed": draw(values(tz, form, opened)),
                "target": draw(values(tz, form, opened)),
                "kind": draw(st.sampled_from((None, "S", "T", "U"))),
                "District": draw(st.sampled_from((None, "1", "2", "NA"))),
            }
        )
    names = ["id", "opened", "closed", "target", "kind", "District"]
    frame = pd.DataFrame(rows, columns=names)
    if form == "datetime64":
        for column in ("opened", "closed", "target"):
            frame[column] = pd.to_datetime(frame[column].astype(object))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(names)
    for row in rows:
        writer.writerow(
            [
                text(v, "iso")
                if isinstance(v, dt.datetime)
                else ("" if v is None else v)
                for v in row.values()
            ]
        )
    return frame, out.getvalue()


#: The attributes the report properties group by.
GROUPINGS = ((), ("district",), ("service", "district"), ("policy",))


class ReportCase(NamedTuple):
    """A random frame to report on, its CSV text, an as-of instant in its
    zone, a grouping, and the (start, stop) rows of slices covering it."""

    tz: str
    frame: pd.DataFrame
    csv_text: str
    as_of: dt.datetime
    by: tuple[str, ...]
    period: Period | None
    slices: list[tuple[int, int]]


@st.composite
def report_cases(draw: st.DrawFn, max_cuts: int) -> ReportCase:
    """A :class:`ReportCase`, its frame cut at up to ``max_cuts`` random
    rows (empty slices too)."""
    tz = draw(st.sampled_from(ZONES))
    frame, csv_text = draw(frames_of_requests(tz))
    as_of = draw(instants(tz=tz))
    by = draw(st.sampled_from(GROUPINGS))
    period = draw(periods)
    cuts = draw(st.lists(st.integers(0, 14), max_size=max_cuts))
    bounds = [0, *sorted(min(c, len(frame)) for c in cuts), len(frame)]
    return ReportCase(
        tz, frame, csv_text, as_of, by, period, list(itertools.pairwise(bounds))
    )


def scalar_outcomes(
    book: sla.PolicyBook,
    csv_text: str,
    as_of: dt.datetime,
    tz: str,
    due: DueSource,
    nonexistent: Nonexistent,
    ambiguous: Ambiguous,
) -> list[sla.Outcome]:
    """The CSV text read by read_csv and judged by the scalar path."""
    reader = sla.read_csv(
        io.StringIO(csv_text),
        columns=COLUMNS,
        tz=tz,
        nonexistent=nonexistent,
        ambiguous=ambiguous,
    )
    return list(book.evaluate(reader, as_of=as_of, due=due))


_AWARE_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:\d\d")


def in_utc(reason: str | None) -> str | None:
    """A reason with each instant it names shown in UTC: a frame holds one
    zone per column, so it shows an instant that a CSV text gave with
    another offset in its column's zone; the instant is the same."""
    if reason is None:
        return None
    return _AWARE_ISO.sub(
        lambda m: dt.datetime.fromisoformat(m.group()).astimezone(dt.UTC).isoformat(),
        reason,
    )


def utc(instant: dt.datetime) -> dt.datetime:
    """The instant in UTC: Python never finds two aware datetimes of different
    zones equal when one is a repeated wall time of a fold (PEP 495), and a
    frame column shows instants in its own zone."""
    return instant.astimezone(dt.UTC)


def fields(judged: pd.DataFrame) -> list[dict[str, Any]]:
    """Each evaluated row's outcome in the scalar outcome's terms."""

    def plain(value: Any) -> Any:
        return None if value is None or pd.isna(value) else value

    rows: list[Any] = list(judged.itertuples())
    return [
        {
            "status": row.status,
            "due": None if pd.isna(row.due) else utc(row.due.to_pydatetime()),
            "due_source": plain(row.due_source),
            "used": None if pd.isna(row.used) else row.used.to_pytimedelta(),
            "share": plain(row.share),
            "late_by": None if pd.isna(row.late_by) else row.late_by.to_pytimedelta(),
            "at_risk": bool(row.at_risk),
            "policy": plain(row.policy),
            "adjustments": plain(row.adjustments),
            "reason": in_utc(row.reason),
        }
        for row in rows
    ]


def scalar_fields(outcomes: list[sla.Outcome]) -> list[dict[str, Any]]:
    """The scalar outcomes' fields, adjustments as joined names."""
    return [
        {
            "status": o.status.value,
            "due": None if o.due is None else utc(o.due),
            "due_source": o.due_source,
            "used": o.used,
            "share": o.share,
            "late_by": o.late_by,
            "at_risk": o.at_risk,
            "policy": o.policy_name,
            "adjustments": "; ".join(a.name for a in o.adjustments) or None,
            "reason": in_utc(o.reason),
        }
        for o in outcomes
    ]


@SETTINGS
@given(
    st.data(),
    st.sampled_from(ZONES),
    st.sampled_from(("imported", "policy")),
    st.sampled_from(("shift_forward", "raise")),
    st.sampled_from(("earlier", "later", "raise")),
)
def test_frames_equal_the_scalar_path(
    data: st.DataObject,
    tz: str,
    due: DueSource,
    nonexistent: Nonexistent,
    ambiguous: Ambiguous,
) -> None:
    """Every field of every row equals the outcome of the request read_csv
    reads from the same values, odd texts, gaps and folds included."""
    book = data.draw(books(data.draw(calendars())))
    frame, csv_text = data.draw(frames_of_requests(tz))
    as_of = data.draw(instants(tz=tz))
    judged = frames.evaluate(
        frame,
        book,
        as_of=as_of,
        columns=COLUMNS,
        tz=tz,
        due=due,
        nonexistent=nonexistent,
        ambiguous=ambiguous,
    )
    outcomes = scalar_outcomes(book, csv_text, as_of, tz, due, nonexistent, ambiguous)
    assert list(judged.index) == list(frame.index)
    assert fields(judged) == scalar_fields(outcomes)


@SETTINGS
@given(st.data(), report_cases(max_cuts=3))
def test_reports_equal_the_scalar_reports(
    data: st.DataObject, case: ReportCase
) -> None:
    """Counts, compliance and workload reports equal the scalar ones, and
    counts of slices of the frame merge into them."""
    book = data.draw(books(data.draw(calendars())))
    tz, as_of, by, period = case.tz, case.as_of, case.by, case.period
    judged = frames.evaluate(case.frame, book, as_of=as_of, columns=COLUMNS, tz=tz)
    outcomes = scalar_outcomes(
        book, case.csv_text, as_of, tz, "imported", "shift_forward", "earlier"
    )
    expected = sla.ComplianceCounts.from_outcomes(outcomes, by, period)
    assert frames.counts(judged, by, period) == expected
    assert frames.compliance(judged, by, period, min_count=2) == sla.compliance(
        outcomes, by, period, min_count=2
    )
    if by:
        assert frames.workload(judged, by) == sla.workload(outcomes, by)
    parts = [frames.counts(judged.iloc[a:b], by, period) for a, b in case.slices]
    merged = parts[0].merge(*parts[1:])
    assert merged == expected
