"""Evaluating requests: statuses, pauses, invalid records, adjustments,
imported due dates and explanations.

Expected values come from a printed 2026 calendar (see test_policy.py):
Monday 2 March, Friday 20 November (Thanksgiving Thursday 26 November),
Friday 9 January (Martin Luther King Day Monday 19 January).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest

import slacalc as sla

CHICAGO = ZoneInfo("America/Chicago")
CITY = sla.BusinessCalendar(
    tz="America/Chicago",
    hours="Mon-Fri 08:00-16:30",
    holidays=holidays.country_holidays("US", subdiv="MN"),
)
WEEK = sla.Policy("Nuisance", "5 business days", goal=0.9, calendar=CITY)
US = dt.timedelta(microseconds=1)


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> dt.datetime:
    """A Chicago wall-clock time as an aware datetime."""
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=CHICAGO)


FRI = at(2026, 11, 20, 10)
FRI_DUE = at(2026, 11, 30, 16, 30)  # Thanksgiving skipped


# --------------------------------------------------------------------------
# Statuses


def test_closed_at_the_due_instant_is_met() -> None:
    """The deadline is inclusive: closed exactly at the due date is met."""
    outcome = WEEK.evaluate(FRI, FRI_DUE, as_of=at(2027, 1, 1))
    assert outcome.status is sla.Status.MET
    assert outcome.due == FRI_DUE
    assert outcome.late_by == dt.timedelta(0)
    assert outcome.due_source == "policy"


def test_closed_a_microsecond_late_is_missed() -> None:
    """Closed after the due date is missed, late by the difference."""
    outcome = WEEK.evaluate(FRI, FRI_DUE + US, as_of=at(2027, 1, 1))
    assert outcome.status is sla.Status.MISSED
    assert outcome.late_by == US


def test_open_until_due_then_overdue() -> None:
    """Open at the due instant; overdue after it, late by how far past."""
    assert WEEK.evaluate(FRI, as_of=FRI_DUE).status is sla.Status.OPEN
    overdue = WEEK.evaluate(FRI, as_of=FRI_DUE + dt.timedelta(seconds=1))
    assert overdue.status is sla.Status.OVERDUE
    assert overdue.late_by == dt.timedelta(seconds=1)


def test_closed_after_as_of_counts_as_open() -> None:
    """A close after as_of is not yet known: the request is open (or overdue)."""
    closed = FRI_DUE + dt.timedelta(days=1)
    early = WEEK.evaluate(FRI, closed, as_of=at(2026, 11, 23, 9))
    assert early.status is sla.Status.OPEN
    assert early.closed == closed
    late = WEEK.evaluate(FRI, closed, as_of=FRI_DUE + dt.timedelta(hours=1))
    assert late.status is sla.Status.OVERDUE
    assert late.late_by == dt.timedelta(hours=1)


def test_used_and_share_on_the_business_clock() -> None:
    """Used time is open time from receipt; the share is of the target's length.

    Fri 10:00 to Mon 23 10:00 is 6.5 h + 2 h = 8.5 h of open time; the five
    business days hold 6.5 + 8.5 * 4 + ... = 6.5 + 8.5 + 8.5 + 8.5 + 8.5 + 8.5
    (Mon, Tue, Wed, Fri, Mon) = 49 h.
    """
    outcome = WEEK.evaluate(FRI, as_of=at(2026, 11, 23, 10))
    assert outcome.used == dt.timedelta(hours=8, minutes=30)
    assert outcome.share == pytest.approx(8.5 / 49)
    assert not outcome.at_risk


def test_at_risk_from_the_threshold() -> None:
    """An open request at or past the at-risk share is at risk; overdue is not."""
    policy = sla.Policy("Ballots", "24 hours", goal=0.95, at_risk=0.5)
    t = at(2026, 3, 2, 9)
    assert not policy.evaluate(t, as_of=t + dt.timedelta(hours=11)).at_risk
    risky = policy.evaluate(t, as_of=t + dt.timedelta(hours=12))
    assert risky.at_risk
    assert risky.share == 0.5
    assert not policy.evaluate(t, as_of=t + dt.timedelta(hours=25)).at_risk


def test_received_while_closed_starts_at_next_opening() -> None:
    """Received Saturday, the business clock starts Monday; used is zero."""
    sat = at(2026, 3, 7, 12)
    outcome = WEEK.evaluate(sat, as_of=at(2026, 3, 8, 12))
    # The clock starts Monday 9 March; the fifth business day after it is
    # Monday 16 March.
    assert outcome.due == at(2026, 3, 16, 16, 30)
    assert outcome.used == dt.timedelta(0)
    assert outcome.share == 0.0


def test_received_after_as_of_is_open_with_nothing_used() -> None:
    """A request received after as_of is open and has used nothing."""
    outcome = WEEK.evaluate(FRI, as_of=FRI - dt.timedelta(days=1))
    assert outcome.status is sla.Status.OPEN
    assert outcome.used == dt.timedelta(0)


# --------------------------------------------------------------------------
# Pauses


def test_pause_moves_due_and_is_left_out_of_used() -> None:
    """A 2 h pause moves the due date 2 h of open time and is not used time."""
    callback = sla.Policy("Callback", "8 business hours", goal=0.9, calendar=CITY)
    mon = at(2026, 3, 2, 9)
    pause = (at(2026, 3, 2, 10), at(2026, 3, 2, 12))
    outcome = callback.evaluate(
        mon, at(2026, 3, 3, 10), as_of=at(2026, 3, 4), pauses=[pause]
    )
    assert outcome.due == at(2026, 3, 3, 10, 30)
    assert outcome.status is sla.Status.MET
    # Mon 09:00-16:30 and Tue 08:00-10:00 is 9.5 h, less 2 h paused.
    assert outcome.used == dt.timedelta(hours=7, minutes=30)
    assert outcome.share == pytest.approx(7.5 / 8)
    assert outcome.pauses == (pause,)


def test_pause_after_close_is_clipped() -> None:
    """Only the part of a pause before the close counts."""
    callback = sla.Policy("Callback", "8 business hours", goal=0.9, calendar=CITY)
    mon = at(2026, 3, 2, 9)
    pause = (at(2026, 3, 2, 10), at(2026, 3, 2, 14))
    outcome = callback.evaluate(
        mon, at(2026, 3, 2, 11), as_of=at(2026, 3, 4), pauses=[pause]
    )
    assert outcome.pauses == ((at(2026, 3, 2, 10), at(2026, 3, 2, 11)),)
    assert outcome.due == at(2026, 3, 3, 9, 30)
    assert outcome.used == dt.timedelta(hours=1)


def test_open_pause_counts_up_to_as_of() -> None:
    """While open, a pause counts up to as_of: paused the whole life so far,
    the request is open and has used nothing."""
    callback = sla.Policy("Callback", "8 business hours", goal=0.9, calendar=CITY)
    mon = at(2026, 3, 2, 9)
    pause = (mon, at(2026, 3, 20))
    outcome = callback.evaluate(mon, as_of=at(2026, 3, 5, 9), pauses=[pause])
    assert outcome.status is sla.Status.OPEN
    assert outcome.used == dt.timedelta(0)
    # 25.5 h paused (Mon 7.5, Tue 8.5, Wed 8.5, Thu 1): due Tue 08:30 + 25.5 h
    # = Tue 8 h + Wed 8.5 h + Thu 8.5 h + Fri 0.5 h: Fri 08:30.
    assert outcome.due == at(2026, 3, 6, 8, 30)


def test_reversed_pause_is_invalid() -> None:
    """A pause that ends before it starts makes the record invalid."""
    mon = at(2026, 3, 2, 9)
    outcome = WEEK.evaluate(
        mon, as_of=mon, pauses=[(at(2026, 3, 2, 12), at(2026, 3, 2, 10))]
    )
    assert outcome.status is sla.Status.INVALID
    assert outcome.reason is not None
    assert "a pause ends before it starts" in outcome.reason


# --------------------------------------------------------------------------
# Invalid records and imported due dates


def test_invalid_records_each_get_a_reason() -> None:
    """Every kind of bad record gives an invalid outcome naming what is wrong."""
    t = at(2026, 3, 2, 9)
    sentinel = dt.datetime(1900, 1, 1, tzinfo=ZoneInfo("America/New_York"))
    cases = {
        "no receipt": (sla.Request(id="a"), "no receipt time"),
        "early close": (
            sla.Request(id="b", received=t, closed=t - dt.timedelta(seconds=1)),
            "closed before it was received",
        ),
        "early due": (
            sla.Request(id="c", received=t, due=t - dt.timedelta(days=1)),
            "due before it was received",
        ),
        "sentinel close": (
            sla.Request(id="d", received=t, closed=sentinel),
            "closed is a sentinel date, not a real one: 1900-01-01T00:00:00",
        ),
        "sentinel receipt": (
            sla.Request(id="e", received=sentinel),
            "received is a sentinel date",
        ),
    }
    book = sla.PolicyBook([WEEK])
    outcomes = list(
        book.evaluate([req for req, _ in cases.values()], as_of=at(2026, 4, 1))
    )
    assert len(outcomes) == len(cases)
    for outcome, (req, reason) in zip(outcomes, cases.values(), strict=True):
        assert outcome.id == req.id
        assert outcome.status is sla.Status.INVALID
        assert outcome.reason is not None
        assert reason in outcome.reason


def test_loader_flag_makes_the_record_invalid_with_its_reason() -> None:
    """A loader's attributes["_invalid"] reason is the outcome's reason."""
    flagged = sla.Request(
        id="1",
        received=FRI,
        attributes={"_invalid": "Closed Date: sentinel date '01/01/1900 12:00:00 AM'"},
    )
    outcome = sla.PolicyBook([WEEK]).evaluate_one(flagged, as_of=FRI)
    assert outcome.status is sla.Status.INVALID
    assert outcome.reason == "Closed Date: sentinel date '01/01/1900 12:00:00 AM'"


def test_sentinel_floor_is_configurable() -> None:
    """sentinel_before moves the line between real dates and sentinels."""
    t = dt.datetime(1950, 3, 2, 9, tzinfo=dt.UTC)
    book = sla.PolicyBook([sla.Policy("P", "24 hours", goal=0.9)])
    req = sla.Request(id="1", received=t)
    assert book.evaluate_one(req, as_of=t).status is sla.Status.OPEN
    floored = book.evaluate_one(req, as_of=t, sentinel_before=dt.date(1970, 1, 1))
    assert floored.status is sla.Status.INVALID
    assert floored.reason == (
        "received is a sentinel date, not a real one: 1950-03-02T09:00:00+00:00 "
        "(before 1970-01-01)"
    )


def test_imported_due_date_without_a_policy() -> None:
    """An imported due date is used even when no policy covers the request,
    measured on the absolute clock."""
    t = at(2026, 3, 2, 9)
    req = sla.Request(
        id="1",
        service="X",
        received=t,
        closed=t + dt.timedelta(hours=30),
        due=t + dt.timedelta(hours=24),
    )
    book = sla.PolicyBook([])
    imported = book.evaluate_one(req, as_of=at(2026, 4, 1))
    assert imported.status is sla.Status.MISSED
    assert imported.due_source == "imported"
    assert imported.late_by == dt.timedelta(hours=6)
    assert imported.share == 1.25
    assert imported.policy is None
    from_policy = book.evaluate_one(req, as_of=at(2026, 4, 1), due="policy")
    assert from_policy.status is sla.Status.NO_POLICY
    assert from_policy.due is None


def test_imported_due_date_wins_over_the_policy_by_default() -> None:
    """By default the CRM's due date is judged; due='policy' recomputes."""
    req = sla.Request(
        id="1", received=FRI, closed=at(2026, 12, 1, 9), due=at(2026, 12, 2)
    )
    book = sla.PolicyBook([WEEK])
    assert book.evaluate_one(req, as_of=at(2027, 1, 1)).status is sla.Status.MET
    recomputed = book.evaluate_one(req, as_of=at(2027, 1, 1), due="policy")
    assert recomputed.status is sla.Status.MISSED
    assert recomputed.due == FRI_DUE


def test_imported_due_before_receipt_ignored_under_due_policy() -> None:
    """A bad imported due date does not matter when due dates are recomputed."""
    req = sla.Request(id="1", received=FRI, due=FRI - dt.timedelta(days=1))
    book = sla.PolicyBook([WEEK])
    assert book.evaluate_one(req, as_of=FRI).status is sla.Status.INVALID
    assert book.evaluate_one(req, as_of=FRI, due="policy").status is sla.Status.OPEN


def test_no_policy_outcome() -> None:
    """A service no policy covers, without an imported due date: no_policy."""
    book = sla.PolicyBook([sla.Policy("P", "24 hours", goal=0.9, services=["A"])])
    outcome = book.evaluate_one(
        sla.Request(id="1", service="B", received=FRI), as_of=FRI
    )
    assert outcome.status is sla.Status.NO_POLICY
    assert outcome.policy is None
    assert "No policy covers service 'B'" in outcome.explain()


def test_bad_arguments_to_evaluate() -> None:
    """as_of must be aware, due a known word; items must be requests."""
    book = sla.PolicyBook([WEEK])
    with pytest.raises(sla.NaiveDatetimeError, match="as_of must be"):
        book.evaluate([], as_of=dt.datetime(2026, 1, 1))
    with pytest.raises(sla.PolicyError, match="due must be 'imported' or 'policy'"):
        book.evaluate([], as_of=FRI, due="crm")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="requests must hold Request values"):
        list(book.evaluate(["x"], as_of=FRI))  # type: ignore[list-item]


def test_evaluate_is_lazy() -> None:
    """Requests are read as outcomes are consumed."""
    read = []

    def requests() -> object:
        for i in range(3):
            read.append(i)
            yield sla.Request(id=str(i), received=FRI)

    outcomes = sla.PolicyBook([WEEK]).evaluate(requests(), as_of=FRI)  # type: ignore[arg-type]
    assert read == []
    next(outcomes)
    assert read == [0]


def test_unreachable_due_date_is_invalid_not_an_error() -> None:
    """A due date beyond the datetime range gives an invalid outcome."""
    far = dt.datetime(9999, 12, 1, tzinfo=dt.UTC)
    book = sla.PolicyBook([sla.Policy("P", "60 days", goal=0.9)])
    outcome = book.evaluate_one(sla.Request(id="1", received=far), as_of=far)
    assert outcome.status is sla.Status.INVALID
    assert outcome.reason is not None
    assert outcome.reason.startswith("the due date cannot be computed")


# --------------------------------------------------------------------------
# Adjustments


STORM = sla.Adjustment(
    "Storm",
    "ice storm",
    window=(dt.date(2026, 1, 5), dt.date(2026, 1, 11)),
    extend="3 business days",
)


def test_extension_applies_after_the_target() -> None:
    """Fri 2026-01-09: due Fri 01-16 16:30; the storm adds 3 business days
    skipping MLK day: Thu 01-22 16:30. The outcome records the adjustment."""
    book = sla.PolicyBook([WEEK], adjustments=[STORM])
    req = sla.Request(id="1", received=at(2026, 1, 9, 10), closed=at(2026, 1, 21, 9))
    outcome = book.evaluate_one(req, as_of=at(2026, 2, 1))
    assert outcome.due == at(2026, 1, 22, 16, 30)
    assert outcome.status is sla.Status.MET
    assert outcome.adjustments == (STORM,)
    outside = book.evaluate_one(
        sla.Request(id="2", received=at(2026, 1, 12, 10)), as_of=at(2026, 2, 1)
    )
    assert outside.due == at(2026, 1, 20, 16, 30)
    assert outside.adjustments == ()


def test_extensions_apply_after_pauses_and_add_up() -> None:
    """Pauses move the due date first, then each extension in the book's order."""
    more = sla.Adjustment("More", "still icy", services=["TREE"], extend="2 days")
    book = sla.PolicyBook([WEEK], adjustments=[STORM, more])
    req = sla.Request(
        id="1",
        service="TREE",
        received=at(2026, 1, 9, 10),
        pauses=[(at(2026, 1, 12, 8), at(2026, 1, 12, 10))],
    )
    outcome = book.evaluate_one(req, as_of=at(2026, 1, 13))
    # Fri 16 16:30 + 2 h open time = Tue 20 10:00 (past MLK day); + 3 business
    # days from Tue 20 = Fri 23 16:30; + 2 calendar days = Sun 25 16:30.
    assert outcome.adjustments == (STORM, more)
    assert outcome.due == at(2026, 1, 25, 16, 30)


def test_last_replacement_target_wins() -> None:
    """Of several replacing adjustments, the last in the book applies."""
    spring = sla.Adjustment("Spring", "potholes", months=[3], target="10 business days")
    march = sla.Adjustment(
        "March", "more potholes", months=[3], target="2 business days"
    )
    book = sla.PolicyBook([WEEK], adjustments=[spring, march])
    outcome = book.evaluate_one(
        sla.Request(id="1", received=at(2026, 3, 2, 9)), as_of=at(2026, 3, 2, 9)
    )
    assert outcome.due == at(2026, 3, 4, 16, 30)
    assert outcome.adjustments == (march,)
    assert outcome.policy is WEEK


def test_exemption_wins_over_everything() -> None:
    """An exempted request is exempt whatever its dates; its due date is kept."""
    audit = sla.Adjustment("Audit", "data audit", where={"district": "9"}, exempt=True)
    book = sla.PolicyBook([WEEK], adjustments=[STORM, audit])
    req = sla.Request(
        id="1",
        received=at(2026, 1, 9, 10),
        closed=at(2026, 3, 1),
        attributes={"district": "9"},
    )
    outcome = book.evaluate_one(req, as_of=at(2026, 4, 1))
    assert outcome.status is sla.Status.EXEMPT
    assert outcome.reason == "exempted by 'Audit' (data audit)"
    assert outcome.due == at(2026, 1, 22, 16, 30)
    assert outcome.adjustments == (STORM, audit)
    assert outcome.late_by is None


def test_exemption_applies_to_imported_and_uncovered_requests() -> None:
    """Exemptions need no policy; extensions leave imported due dates alone."""
    audit = sla.Adjustment("Audit", "data audit", services=["X"], exempt=True)
    book = sla.PolicyBook([WEEK], adjustments=[STORM, audit])
    uncovered = sla.PolicyBook([], adjustments=[audit])
    req = sla.Request(id="1", service="X", received=FRI)
    assert uncovered.evaluate_one(req, as_of=FRI).status is sla.Status.EXEMPT
    imported = sla.Request(
        id="2", received=at(2026, 1, 9, 10), due=at(2026, 1, 16, 16, 30)
    )
    outcome = book.evaluate_one(imported, as_of=at(2026, 1, 20))
    assert outcome.status is sla.Status.OVERDUE
    assert outcome.due == at(2026, 1, 16, 16, 30)
    assert outcome.adjustments == ()


# --------------------------------------------------------------------------
# Explanations


def test_explain_walks_through_the_due_date() -> None:
    """explain() names the policy, the start, holidays, pauses, adjustments."""
    book = sla.PolicyBook([WEEK], adjustments=[STORM])
    req = sla.Request(
        id="42",
        received=at(2026, 1, 9, 17),
        closed=at(2026, 1, 23, 9),
        pauses=[(at(2026, 1, 13, 8), at(2026, 1, 13, 10))],
    )
    outcome = book.evaluate_one(req, as_of=at(2026, 2, 1), explain=True)
    assert outcome.steps
    assert outcome.explain() == "\n".join(
        [
            "Request 42: met.",
            "Policy 'Nuisance': 5 business days, goal 90%; calendar "
            "America/Chicago, Mon-Fri 08:00-16:30.",
            "Received Fri 2026-01-09 17:00 CST; the clock started at the next "
            "opening, Mon 2026-01-12 08:00 CST.",
            "Skipped holiday: Martin Luther King Jr. Day, Mon 2026-01-19.",
            "Due by the target: Tue 2026-01-20 16:30 CST.",
            "Paused 2 h of business time in 1 pause (Tue 2026-01-13 08:00 CST to "
            "Tue 2026-01-13 10:00 CST): due moved to Wed 2026-01-21 10:00 CST.",
            "Adjustment 'Storm' (ice storm): extended by 3 business days, to "
            "Mon 2026-01-26 16:30 CST.",
            "Closed Fri 2026-01-23 09:00 CST, 3 days 7 h 30 min before the due "
            "date: met.",
        ]
    )


def test_explain_without_stored_steps_works_them_out() -> None:
    """Outcomes evaluated without explain=True explain the same on demand."""
    book = sla.PolicyBook([WEEK], adjustments=[STORM])
    req = sla.Request(id="7", received=FRI)
    lazy = book.evaluate_one(req, as_of=at(2026, 11, 30, 12))
    eager = book.evaluate_one(req, as_of=at(2026, 11, 30, 12), explain=True)
    assert lazy.steps == ()
    assert lazy.explain() == eager.explain()
    assert eager.explain().splitlines()[-1] == (
        "Open as of Mon 2026-11-30 12:00 CST, due in 4 h 30 min; 91% of the "
        "target used, at risk (from 75%)."
    )


def test_explain_imported_and_invalid() -> None:
    """Imported due dates are described as published; invalid gives the reason."""
    book = sla.PolicyBook([])
    imported = sla.Request(id="1", received=FRI, due=FRI_DUE)
    lines = book.evaluate_one(imported, as_of=FRI).explain().splitlines()
    assert lines[0] == "Request 1: open."
    assert (
        lines[2]
        == "Due Mon 2026-11-30 16:30 CST: the CRM's own due date, as published."
    )
    bad = sla.Request(id="2")
    assert book.evaluate_one(bad, as_of=FRI).explain() == (
        "Request 2: invalid (no receipt time)."
    )


def test_explain_calendar_time_and_exemption() -> None:
    """Absolute targets say calendar time counts; exemptions say so last."""
    ballots = sla.Policy("Ballots", "24 hours", goal=0.95)
    audit = sla.Adjustment("Audit", "data audit", exempt=True)
    book = sla.PolicyBook([ballots], adjustments=[audit])
    t = at(2026, 3, 7, 12)
    lines = book.evaluate_one(sla.Request(id="5", received=t), as_of=t).explain()
    assert lines.splitlines() == [
        "Request 5: exempt (exempted by 'Audit' (data audit)).",
        "Policy 'Ballots': 24 hours, goal 95%.",
        "Received Sat 2026-03-07 12:00 CST; the clock started at once.",
        "Calendar time: nights, weekends and holidays count.",
        "Due by the target: Sun 2026-03-08 13:00 CDT.",
        "Exempt from compliance by 'Audit'; not judged against the due date.",
    ]


def test_calendar_days_from_a_wall_time_in_the_spring_gap() -> None:
    """02:30 on Sunday 8 March 2026 does not exist in Chicago: the datetime
    names 03:30 CDT, so one calendar day later is Monday 03:30 CDT, on the
    policy, on its fast path and on the target itself."""
    gap = at(2026, 3, 8, 2, 30)
    expected = at(2026, 3, 9, 3, 30)
    daily = sla.Policy("Ballot", "1 day", goal=0.95, calendar=CITY)
    assert sla.Days(1).due(gap, CITY) == expected
    outcome = daily.evaluate(gap, as_of=at(2026, 3, 8, 12))
    assert outcome.due == expected
    assert outcome.due.utcoffset() == dt.timedelta(hours=-5)
