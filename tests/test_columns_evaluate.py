"""columns.evaluate equals PolicyBook.evaluate, request by request."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Sequence
from typing import Any

import holidays
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import slacalc as sla
from slacalc._instants import timedelta_us, to_us
from slacalc.outcomes import DueSource
from tests.helpers import (
    BALTIMORE,
    BOSTON_2022,
    NEW_YORK,
    NYC,
    US_WALL,
    baltimore_book,
    boston_book,
    data_path,
    new_york,
    read_rows,
)
from tests.strategies import (
    ZONES,
    calendars,
    durations,
    instants,
    moments,
    pause_lists,
    targets,
)
from tests.test_real_data import BOSTON

pytest.importorskip("numpy")

import numpy as np
import numpy.typing as npt

from slacalc import _column_evaluate, columns

SETTINGS = settings(max_examples=60, deadline=None)
SENTINEL = dt.datetime(1900, 1, 1)

Rows = list[dict[str, Any]]


# --------------------------------------------------------------------------
# Random books and requests


def _amounts() -> st.SearchStrategy[sla.Target]:
    """Amounts an adjustment may extend by: plain, from receipt, no cut-off."""
    return targets().filter(
        lambda t: (
            getattr(t, "starts", "at_receipt") == "at_receipt"
            and getattr(t, "cutoff", None) is None
        )
    )


@st.composite
def policies(
    draw: st.DrawFn, name: str, cal: sla.BusinessCalendar, *, default: bool
) -> sla.Policy:
    """A policy on ``cal`` (or none when its target allows), with services,
    attribute conditions and an effective period unless it is a default."""
    target = draw(targets())
    calendar: sla.BusinessCalendar | None = cal
    if not target._starts_at_opening() and draw(st.booleans()):
        calendar = None
    services: tuple[str, ...] = ()
    where: dict[str, object] = {}
    if not default:
        services = draw(st.sampled_from(((), ("S",), ("S", "T"), ("T",))))
        where = draw(
            st.sampled_from(
                ({}, {"district": "1"}, {"district": ["1", "2"]}, {"ward": 3})
            )
        )
    days = st.none() | st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 1))
    first, last = draw(days), draw(days)
    if first is not None and last is not None and last < first:
        first, last = last, first
    return sla.Policy(
        name,
        target,
        goal=0.9,
        calendar=calendar,
        services=services,
        where=where,
        at_risk=draw(st.sampled_from((0.5, 0.75, 1.0))),
        effective_from=first,
        effective_until=last,
    )


@st.composite
def adjustments(draw: st.DrawFn, name: str, tz: str) -> sla.Adjustment:
    """An adjustment with any conditions and any one effect."""
    window: tuple[Any, Any] | None = None
    kind = draw(st.sampled_from(("none", "dates", "instants")))
    if kind == "dates":
        first = draw(st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 1)))
        window = (first, first + dt.timedelta(days=draw(st.integers(0, 60))))
    elif kind == "instants":
        start = draw(instants(tz=tz))
        # Instant arithmetic: wall-clock arithmetic in a fold can go back.
        length = draw(durations(2000)) + dt.timedelta(seconds=1)
        window = (start, (start.astimezone(dt.UTC) + length).astimezone(start.tzinfo))
    effect = draw(st.sampled_from(("extend", "target", "exempt")))
    return sla.Adjustment(
        name,
        "a reason",
        window=window,
        months=draw(st.sampled_from(((), (3, 4), (11,), (6, 7, 8)))),
        services=draw(st.sampled_from(((), ("S",), ("T", "U")))),
        where=draw(st.sampled_from(({}, {"district": "2"}))),
        extend=draw(_amounts()) if effect == "extend" else None,
        target=draw(targets()) if effect == "target" else None,
        exempt=effect == "exempt",
    )


@st.composite
def books(draw: st.DrawFn, cal: sla.BusinessCalendar) -> sla.PolicyBook:
    """A book of one to three policies, maybe a default, up to three
    adjustments, all on ``cal``."""
    count = draw(st.integers(1, 3))
    found = [draw(policies(f"P{i}", cal, default=False)) for i in range(count)]
    default = draw(st.none() | policies("Default", cal, default=True))
    extra = [
        draw(adjustments(f"A{i}", str(cal.tz))) for i in range(draw(st.integers(0, 3)))
    ]
    try:
        return sla.PolicyBook(found, adjustments=extra, default=default)
    except sla.PolicyError:
        assume(False)
        raise


@st.composite
def request_rows(
    draw: st.DrawFn, tz: str, size: int = 12, *, paused: bool = True
) -> Rows:
    """Requests as plain rows: receipts (some missing, some sentinels, some
    at DST edges), closes and imported due dates before or after them,
    attributes that may be absent and, with ``paused``, some pauses."""
    zone = zoneinfo.ZoneInfo(tz)
    moment = moments(tz)
    rows = []
    for _ in range(draw(st.integers(1, size))):
        received = draw(st.none() | moment | st.just(SENTINEL.replace(tzinfo=zone)))
        row: dict[str, Any] = {"received": received, "closed": None, "due": None}
        if received is not None:
            for field in ("closed", "due"):
                shift = draw(durations(900))
                row[field] = draw(
                    st.sampled_from(
                        (
                            None,
                            received + shift,
                            received - shift,
                            SENTINEL.replace(tzinfo=zone),
                        )
                    )
                )
        row["service"] = draw(st.sampled_from((None, "S", "T", "U")))
        row["district"] = draw(st.sampled_from((None, "1", "2", 3)))
        row["ward"] = draw(st.sampled_from((None, 3, "3")))
        none: st.SearchStrategy[Any] = st.sampled_from((None, math.nan, []))
        if paused and received is not None:
            row["pauses"] = draw(none | pause_lists(received))
        rows.append(row)
    return rows


# --------------------------------------------------------------------------
# Both paths


def instant_column(values: Sequence[dt.datetime | None]) -> npt.NDArray[Any]:
    """A datetime64[us] column (NaT for None)."""
    return np.array(
        [np.datetime64("NaT") if v is None else to_us(v, "v") for v in values],
        dtype="datetime64[us]",
    )


def scalar_outcomes(
    book: sla.PolicyBook,
    rows: Rows,
    as_of: dt.datetime,
    due_source: DueSource,
    tz: str,
) -> list[sla.Outcome]:
    """``book.evaluate`` of the rows as Requests, their instants in ``tz``."""
    zone = zoneinfo.ZoneInfo(tz)

    def local(t: dt.datetime | None) -> dt.datetime | None:
        # Through UTC: a wall time in a gap becomes the reading of its instant.
        return None if t is None else t.astimezone(dt.UTC).astimezone(zone)

    requests = [
        sla.Request(
            id=str(i),
            service=row["service"],
            received=local(row["received"]),
            closed=local(row["closed"]),
            due=local(row["due"]),
            attributes={
                k: row[k] for k in ("district", "ward") if row.get(k) is not None
            },
            pauses=row["pauses"] if isinstance(row.get("pauses"), list) else (),
        )
        for i, row in enumerate(rows)
    ]
    return list(book.evaluate(requests, as_of=as_of, due=due_source))


def columnar_outcomes(
    book: sla.PolicyBook,
    rows: Rows,
    as_of: dt.datetime,
    due_source: DueSource,
    tz: str,
) -> columns.ColumnOutcomes:
    """``columns.evaluate`` of the rows as columns."""
    return columns.evaluate(
        book,
        [row["service"] for row in rows],
        instant_column([row["received"] for row in rows]),
        instant_column([row["closed"] for row in rows]),
        as_of,
        instant_column([row["due"] for row in rows]),
        attributes={k: [row.get(k) for row in rows] for k in ("district", "ward")},
        due_source=due_source,
        tz=tz,
        pauses=[row.get("pauses") for row in rows],
    )


def row_of(found: columns.ColumnOutcomes, i: int) -> dict[str, object]:
    """Row ``i`` of columnar outcomes in the scalar outcome's terms."""

    def us(value: Any) -> int | None:
        return None if np.isnat(value) else int(value.astype(np.int64))

    share = float(found.share[i])
    position = int(found.policy[i])
    return {
        "status": columns.STATUSES[int(found.status[i])],
        "due": us(found.due[i]),
        "due_source": columns.DUE_SOURCES[int(found.due_source[i])],
        "used": us(found.used[i]),
        "share": None if math.isnan(share) else share,
        "late_by": us(found.late_by[i]),
        "at_risk": bool(found.at_risk[i]),
        "policy": None if position < 0 else found.policies[position].name,
        "adjustments": tuple(
            a.name for a in found.adjustment_sets[int(found.adjustments[i])]
        ),
        "reason": found.reason[i],
    }


def scalar_row(outcome: sla.Outcome) -> dict[str, object]:
    """A scalar outcome's fields, instants as microseconds."""
    return {
        "status": outcome.status,
        "due": None if outcome.due is None else to_us(outcome.due, "due"),
        "due_source": outcome.due_source,
        "used": None if outcome.used is None else timedelta_us(outcome.used, "u"),
        "share": outcome.share,
        "late_by": (
            None if outcome.late_by is None else timedelta_us(outcome.late_by, "l")
        ),
        "at_risk": outcome.at_risk,
        "policy": outcome.policy_name,
        "adjustments": tuple(a.name for a in outcome.adjustments),
        "reason": outcome.reason,
    }


def assert_same(
    book: sla.PolicyBook,
    rows: Rows,
    as_of: dt.datetime,
    due_source: DueSource,
    tz: str,
) -> None:
    """Columnar and scalar outcomes agree on every field of every row."""
    expected = scalar_outcomes(book, rows, as_of, due_source, tz)
    found = columnar_outcomes(book, rows, as_of, due_source, tz)
    assert len(found) == len(rows)
    for i, outcome in enumerate(expected):
        assert row_of(found, i) == scalar_row(outcome), f"row {i}: {rows[i]}"


# --------------------------------------------------------------------------
# Properties


@SETTINGS
@given(st.data(), st.sampled_from(("imported", "policy")), st.sampled_from(ZONES))
def test_evaluate_equals_scalar(
    data: st.DataObject, due_source: DueSource, tz: str
) -> None:
    """Every field of every outcome equals the scalar one, for random books,
    adjustments, requests (bad ones included) and zones of receipt."""
    cal = data.draw(calendars())
    book = data.draw(books(cal))
    rows = data.draw(request_rows(tz))
    as_of = data.draw(instants(tz=tz))
    assert_same(book, rows, as_of, due_source, tz)


@SETTINGS
@given(st.data())
def test_columnar_path_judges_without_the_scalar_fallback(
    data: st.DataObject,
) -> None:
    """On an ordinary calendar the scalar fallback is never needed."""
    cal = sla.BusinessCalendar(
        "America/Chicago",
        "Mon-Fri 08:00-16:30",
        holidays=holidays.country_holidays("US", subdiv="MN"),
    )
    book = data.draw(books(cal))
    rows = data.draw(request_rows("America/Chicago", paused=False))
    as_of = data.draw(instants(tz="America/Chicago"))
    calls: list[int] = []
    original = _column_evaluate._judge_scalar

    def counted(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_column_evaluate, "_judge_scalar", counted)
        assert_same(book, rows, as_of, "imported", "America/Chicago")
    assert calls == []


# --------------------------------------------------------------------------
# By hand


def test_fallback_for_a_due_date_that_cannot_be_computed() -> None:
    """A request behind a two-year closure is invalid with the scalar reason,
    and the others in its group are judged as usual."""
    utc = dt.UTC
    closed = sla.BusinessCalendar(
        "UTC",
        closures=[
            sla.Closure(
                dt.datetime(2026, 1, 1, tzinfo=utc), dt.datetime(2028, 1, 1, tzinfo=utc)
            )
        ],
    )
    book = sla.PolicyBook([sla.Policy("Slow", "5 business days", 0.9, closed)])
    rows: Rows = [
        {"received": dt.datetime(2025, 12, 1, 10, tzinfo=utc)},
        {"received": dt.datetime(2025, 12, 30, 10, tzinfo=utc)},
    ]
    for row in rows:
        row.update(closed=None, due=None, service=None)
    as_of = dt.datetime(2025, 12, 31, tzinfo=utc)
    found = columnar_outcomes(book, rows, as_of, "imported", "UTC")
    assert found.statuses() == [sla.Status.OVERDUE, sla.Status.INVALID]
    assert "cannot be computed" in str(found.reason[1])
    assert_same(book, rows, as_of, "imported", "UTC")


def request_columns(
    requests: Sequence[sla.Request],
) -> tuple[list[Any], dict[str, npt.NDArray[Any]], dict[str, list[Any]]]:
    """Requests as columns: services, instants (received, closed, due) and
    every attribute any of them carries (None where absent)."""
    names = list(dict.fromkeys(k for r in requests for k in r.attributes))
    instants = {
        field: instant_column([getattr(r, field) for r in requests])
        for field in ("received", "closed", "due")
    }
    attributes = {k: [r.attributes.get(k) for r in requests] for k in names}
    return [r.service for r in requests], instants, attributes


def assert_requests_same(
    book: sla.PolicyBook,
    requests: Sequence[sla.Request],
    as_of: dt.datetime,
    due_source: DueSource,
    tz: str,
) -> columns.ColumnOutcomes:
    """columns.evaluate of the requests as columns equals book.evaluate of
    them, field by field; returns the columnar outcomes."""
    service, instants, attributes = request_columns(requests)
    found = columns.evaluate(
        book,
        service,
        instants["received"],
        instants["closed"],
        as_of,
        instants["due"],
        attributes=attributes,
        due_source=due_source,
        tz=tz,
    )
    expected = book.evaluate(requests, as_of=as_of, due=due_source)
    for i, outcome in enumerate(expected):
        assert row_of(found, i) == scalar_row(outcome), f"row {i}: {requests[i]}"
    return found


@pytest.mark.parametrize("due_source", ["imported", "policy"])
def test_loader_flagged_requests_are_invalid_with_the_loader_reason(
    due_source: DueSource,
) -> None:
    """A request whose attributes["_invalid"] holds a reason is invalid with
    that reason, before any other check, as on the scalar path; an empty or
    absent flag leaves it to be judged."""
    utc = dt.UTC
    monday = dt.datetime(2026, 3, 2, 9, tzinfo=utc)
    book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
    flag = "opened: impossible date '2026-02-30 09:00'"

    def request(i: int, received: dt.datetime | None, **attributes: Any) -> sla.Request:
        closed = monday + dt.timedelta(hours=2)
        return sla.Request(
            id=str(i), received=received, closed=closed, attributes=attributes
        )

    requests = [
        request(0, monday, _invalid=flag),
        request(1, None, _invalid=flag),  # no receipt time either
        request(2, monday, _invalid=""),
        request(3, monday, district="3"),
        request(4, monday + dt.timedelta(hours=3), _invalid="closed: bad date"),
    ]
    as_of = monday + dt.timedelta(days=1)
    found = assert_requests_same(book, requests, as_of, due_source, "UTC")
    assert [s.value for s in found.statuses()] == [
        "invalid",
        "invalid",
        "met",
        "met",
        "invalid",
    ]
    assert found.reason.tolist() == [flag, flag, None, None, "closed: bad date"]


def test_paused_requests_move_their_due_dates_out() -> None:
    """From Mon 2 Mar 2026 09:00, 2 business days (08:00-16:30) are due Wed
    4 Mar 16:30; a pause over all of Tuesday's 8.5 open hours makes it Thu
    5 Mar 16:30. Rows without pauses (None, NaN, []) are not moved."""
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    cal = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
    book = sla.PolicyBook([sla.Policy("Potholes", "2 business days", 0.9, cal)])
    monday = dt.datetime(2026, 3, 2, 9, tzinfo=chicago)
    tuesday = (
        dt.datetime(2026, 3, 3, 8, tzinfo=chicago),
        dt.datetime(2026, 3, 3, 16, 30, tzinfo=chicago),
    )
    found = columns.evaluate(
        book,
        None,
        instant_column([monday] * 4),
        None,
        dt.datetime(2026, 3, 4, 12, tzinfo=chicago),
        pauses=[[tuesday], None, math.nan, []],
    )
    wednesday = dt.datetime(2026, 3, 4, 16, 30, tzinfo=chicago)
    thursday = dt.datetime(2026, 3, 5, 16, 30, tzinfo=chicago)
    assert found.due.tolist() == [
        thursday.astimezone(dt.UTC).replace(tzinfo=None),
        *[wednesday.astimezone(dt.UTC).replace(tzinfo=None)] * 3,
    ]
    # Allowed: Mon 7.5 + Tue 8.5 + Wed 8.5 open hours (Tuesday's paused
    # hours excluded, Thursday's added). Used by Wednesday noon: 7.5 + 8.5
    # + 4, less the 8.5 paused for the first.
    shares = [11.5 / 24.5, 20 / 24.5, 20 / 24.5, 20 / 24.5]
    assert found.share.tolist() == pytest.approx(shares)


def test_pauses_that_are_not_pairs_make_invalid_rows() -> None:
    """A bad pauses value is that request's invalid outcome, with the reason;
    a pauses column of another length is refused."""
    book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
    monday = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    naive = (dt.datetime(2026, 3, 2, 10), dt.datetime(2026, 3, 2, 11))
    found = columns.evaluate(
        book,
        None,
        instant_column([monday] * 3),
        None,
        monday + dt.timedelta(hours=1),
        pauses=[["not a pair"], [naive], None],
    )
    assert [s.value for s in found.statuses()] == ["invalid", "invalid", "open"]
    assert found.reason[0].startswith("pauses must be (start, end) pairs")
    assert found.reason[1].startswith("pause start must be a timezone-aware")
    with pytest.raises(
        ValueError, match=r"pauses must have one value per request \(3\), got 1"
    ):
        columns.evaluate(
            book, None, instant_column([monday] * 3), None, monday, pauses=[None]
        )


def test_shapes_and_arguments_are_checked() -> None:
    """Columns of other lengths, and a book that is not one, are refused."""
    book = sla.PolicyBook([sla.Policy("Ballots", "24 hours", goal=0.95)])
    as_of = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    received = instant_column([as_of, as_of])
    with pytest.raises(ValueError, match="closed must have the shape of received"):
        columns.evaluate(book, None, received, received[:1], as_of)
    with pytest.raises(ValueError, match=r"service must have one value per request"):
        columns.evaluate(book, ["S"], received, None, as_of)
    with pytest.raises(TypeError, match="book must be a PolicyBook"):
        columns.evaluate("book", None, received, None, as_of)  # type: ignore[arg-type]
    empty = columns.evaluate(book, None, received[:0], None, as_of)
    assert len(empty) == 0


# --------------------------------------------------------------------------
# Real data: Boston, January 2022, read with the csv module


def boston_rows() -> Rows:
    """Every row of Boston's 2022 sample, its instants in New York time."""
    return [
        {
            "service": row["type"],
            "received": new_york(row["open_dt"]),
            "closed": new_york(row["closed_dt"]),
            "due": new_york(row["target_dt"]),
            "district": row["city_council_district"] or None,
            "ward": row["police_district"] or None,
        }
        for row in read_rows(BOSTON_2022)
    ]


def boston_book_adjusted() -> sla.PolicyBook:
    """Boston's targets as policies, one per type, on its office calendar,
    with a default, a storm extension and an exemption."""
    return boston_book(
        default=sla.Policy("Other", "5 business days", goal=0.8, calendar=BOSTON),
        adjustments=[
            sla.Adjustment(
                "Snow",
                "storm",
                window=(dt.date(2022, 1, 7), dt.date(2022, 1, 8)),
                extend="1 business day",
            ),
            sla.Adjustment("Audit", "review", where={"district": "7"}, exempt=True),
        ],
    )


@pytest.mark.parametrize("due_source", ["imported", "policy"])
def test_boston_2022_equals_scalar(due_source: DueSource) -> None:
    """All 100 Boston rows: columnar outcomes equal the scalar ones."""
    rows = boston_rows()
    assert len(rows) == 100
    as_of = dt.datetime(2022, 1, 20, tzinfo=NEW_YORK)
    assert_same(boston_book_adjusted(), rows, as_of, due_source, "America/New_York")
    found = columnar_outcomes(
        boston_book_adjusted(), rows, as_of, due_source, "US/Eastern"
    )
    counts = np.bincount(found.status, minlength=len(columns.STATUSES))
    assert counts.sum() == 100


# --------------------------------------------------------------------------
# Real data: Baltimore, October 2019, read with the csv module


def test_baltimore_2019_equals_scalar() -> None:
    """All 3,000 Baltimore rows, judged against their DueDate and against a
    Days(n) policy per SRType (the n its due dates show): columnar outcomes
    equal the scalar ones, and none is dropped."""

    def instant(text: str) -> dt.datetime | None:
        if text in ("", "NA"):
            return None
        wall = dt.datetime.strptime(text, US_WALL)
        return wall.replace(tzinfo=NEW_YORK)

    raw = read_rows(BALTIMORE)
    rows: Rows = [
        {
            "service": row["SRType"],
            "received": instant(row["CreatedDate"]),
            "closed": instant(row["CloseDate"]),
            "due": instant(row["DueDate"]),
            "district": row["CouncilDistrict"],
            "ward": row["PoliceDistrict"],
        }
        for row in raw
    ]
    book = baltimore_book(raw)
    as_of = dt.datetime(2019, 10, 25, tzinfo=NEW_YORK)
    for due_source in ("imported", "policy"):
        assert_same(book, rows, as_of, due_source, "America/New_York")
    found = columnar_outcomes(book, rows, as_of, "imported", "America/New_York")
    assert len(found) == len(rows) == 3000
    assert int((found.due_source == 1).sum()) == 2935


# --------------------------------------------------------------------------
# Real data: New York City, read with the NYC preset


@pytest.mark.parametrize("due_source", ["imported", "policy"])
def test_nyc_loader_flags_equal_scalar(due_source: DueSource) -> None:
    """The NYC export read by read_csv's preset: the two rows it flags for
    a 01/01/1900 close are invalid with the loader's reason on both paths,
    and every other row is judged alike."""
    requests = list(sla.read_csv(data_path(NYC), preset="nyc"))
    assert len(requests) == 5895
    book = sla.PolicyBook([sla.Policy("Illegal animals", "30 days", goal=0.9)])
    as_of = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    found = assert_requests_same(book, requests, as_of, due_source, "America/New_York")
    invalid = np.flatnonzero(found.status == columns.STATUSES.index(sla.Status.INVALID))
    assert [requests[i].id for i in invalid.tolist()] == ["22860802", "26116476"]
    assert (
        found.reason[invalid].tolist()
        == ["Closed Date: sentinel date '01/01/1900 12:00:00 AM'"] * 2
    )
