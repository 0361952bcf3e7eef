"""Policies, adjustments and policy books: building them, coverage, due dates.

Expected due dates are read off a printed 2026 calendar: March 2026 begins
on a Sunday (US DST starts Sunday 8 March), November on a Sunday (DST ends
1 November; Thanksgiving is Thursday 26 November), January on a Thursday
(New Year's Day; Martin Luther King Day is Monday 19 January).
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


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> dt.datetime:
    """A Chicago wall-clock time as an aware datetime."""
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=CHICAGO)


def request(
    service: str | None = "POTHOLE",
    received: dt.datetime | None = None,
    **attributes: str,
) -> sla.Request:
    """A request received on Monday 2 March 2026 at 09:00 unless said."""
    return sla.Request(
        id="1",
        service=service,
        received=received or at(2026, 3, 2, 9),
        attributes=attributes,
    )


# --------------------------------------------------------------------------
# Policy


def test_policy_reads_target_text() -> None:
    """A target given as text is parsed; Target values are kept."""
    policy = sla.Policy("P", "5 business days", goal=0.9, calendar=CITY)
    assert policy.target == sla.BusinessDays(5)
    assert sla.Policy("Q", sla.Hours(24), goal=1).goal == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"goal": 1.5}, "goal must be a number in (0, 1], got 1.5"),
        ({"goal": 0}, "goal must be a number in (0, 1], got 0"),
        ({"goal": True}, "goal must be a number in (0, 1], got True"),
        ({"goal": 0.9, "at_risk": 0}, "at_risk must be a share of the target in"),
        ({"goal": 0.9, "services": [3]}, "services must hold service codes as"),
        ({"goal": 0.9, "where": {"ward": []}}, "where['ward'] must list at least"),
        ({"goal": 0.9, "where": {"ward": 1.5}}, "where['ward'] must be text or a"),
        ({"goal": 0.9, "calendar": "city"}, "calendar must be a BusinessCalendar"),
        (
            {"goal": 0.9, "effective_from": dt.datetime(2026, 1, 1)},
            "effective_from must be a datetime.date or None",
        ),
    ],
)
def test_policy_bad_arguments_name_argument_and_value(
    kwargs: dict[str, object], message: str
) -> None:
    """Bad arguments raise PolicyError naming the argument and its repr."""
    with pytest.raises(sla.PolicyError) as caught:
        sla.Policy("P", "24 hours", **kwargs)
    assert message in str(caught.value)


def test_policy_bad_target_text() -> None:
    """Unreadable target text names the argument and the text."""
    with pytest.raises(sla.PolicyError, match=r"target must be target text .*'soon'"):
        sla.Policy("P", "soon", goal=0.9)


def test_policy_needs_calendar_for_business_targets() -> None:
    """Business targets and next-opening starts need a calendar."""
    with pytest.raises(sla.PolicyError, match="calendar is required for the target"):
        sla.Policy("P", "2 business days", goal=0.9)
    with pytest.raises(sla.PolicyError, match="calendar is required"):
        sla.Policy("P", "24 hours from next opening", goal=0.9)
    assert sla.Policy("P", "30 days", goal=0.9).calendar is None


def test_policy_effective_period_must_be_ordered() -> None:
    """effective_until before effective_from is refused."""
    with pytest.raises(sla.PolicyError, match="effective_until must not be before"):
        sla.Policy(
            "P",
            "24 hours",
            goal=0.9,
            effective_from=dt.date(2026, 2, 1),
            effective_until=dt.date(2026, 1, 31),
        )


def test_policy_effective_period_is_local_dates_both_included() -> None:
    """Both ends of the effective period are included, in the calendar's zone."""
    policy = sla.Policy(
        "P",
        "2 business days",
        goal=0.9,
        calendar=CITY,
        effective_from=dt.date(2026, 3, 1),
        effective_until=dt.date(2026, 3, 31),
    )
    assert policy.in_effect(at(2026, 3, 1, 0, 0))
    assert policy.in_effect(at(2026, 3, 31, 23, 59, 59))
    assert not policy.in_effect(at(2026, 4, 1))
    assert not policy.in_effect(at(2026, 2, 28, 23, 59, 59))
    # 05:30 UTC on 1 April is still 31 March in Chicago.
    assert policy.in_effect(dt.datetime(2026, 4, 1, 4, 30, tzinfo=dt.UTC))


def test_policy_without_calendar_reads_dates_in_the_receipt_zone() -> None:
    """Without a calendar the local date of receipt is in received's own zone."""
    policy = sla.Policy("P", "24 hours", goal=0.9, effective_from=dt.date(2026, 4, 1))
    assert not policy.in_effect(
        dt.datetime(2026, 4, 1, 4, 30, tzinfo=CHICAGO) - dt.timedelta(hours=5)
    )
    assert policy.in_effect(dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.UTC))


def test_policy_covers_services_and_attributes() -> None:
    """Coverage needs the service and every attribute condition (as text)."""
    policy = sla.Policy(
        "P",
        "24 hours",
        goal=0.9,
        services=["POTHOLE", "SIGN"],
        where={"ward": [3, "4"], "priority": "high"},
    )
    assert policy.where == {"ward": ("3", "4"), "priority": ("high",)}
    assert policy.covers(request(ward="3", priority="high"))
    assert policy.covers(request("SIGN", ward="4", priority="high"))
    assert not policy.covers(request("TREE", ward="3", priority="high"))
    assert not policy.covers(request(ward="5", priority="high"))
    assert not policy.covers(request(ward="3"))
    assert not policy.covers(request(None, ward="3", priority="high"))


def test_policy_without_services_covers_every_service() -> None:
    """An empty services list covers every service, and requests without one."""
    policy = sla.Policy("P", "24 hours", goal=0.9)
    assert policy.covers(request("ANYTHING"))
    assert policy.covers(request(None))


def test_policy_with_period_does_not_cover_request_without_receipt() -> None:
    """An effective-dated policy cannot cover a request with no receipt time."""
    dated = sla.Policy("P", "24 hours", goal=0.9, effective_from=dt.date(2026, 1, 1))
    undated = sla.Policy("Q", "24 hours", goal=0.9)
    bare = sla.Request(id="1", service="POTHOLE")
    assert not dated.covers(bare)
    assert undated.covers(bare)


def test_policy_due_business_days_skips_thanksgiving() -> None:
    """5 business days from Fri 2026-11-20 10:00 is Mon 11-30 at the close."""
    policy = sla.Policy("P", "5 business days", goal=0.9, calendar=CITY)
    assert policy.due(at(2026, 11, 20, 10)) == at(2026, 11, 30, 16, 30)


def test_policy_due_moves_out_by_paused_open_time() -> None:
    """8 business hours from Mon 09:00 is Tue 08:30; pausing 2 h of open time
    moves it to Tue 10:30, and overlapping pauses count once."""
    policy = sla.Policy("Callback", "8 business hours", goal=0.9, calendar=CITY)
    mon = at(2026, 3, 2, 9)
    assert policy.due(mon) == at(2026, 3, 3, 8, 30)
    assert policy.due(mon, [(at(2026, 3, 2, 10), at(2026, 3, 2, 12))]) == at(
        2026, 3, 3, 10, 30
    )
    overlapping = [
        (at(2026, 3, 2, 10), at(2026, 3, 2, 11)),
        (at(2026, 3, 2, 10, 30), at(2026, 3, 2, 12)),
    ]
    assert policy.due(mon, overlapping) == at(2026, 3, 3, 10, 30)


def test_policy_due_clips_pauses_before_the_clock_starts() -> None:
    """Pause time before receipt does not count; part of a pause does."""
    policy = sla.Policy("Callback", "8 business hours", goal=0.9, calendar=CITY)
    mon = at(2026, 3, 2, 9)
    before = [(at(2026, 3, 1, 10), at(2026, 3, 1, 12))]
    assert policy.due(mon, before) == at(2026, 3, 3, 8, 30)
    straddling = [(at(2026, 3, 2, 8), at(2026, 3, 2, 10))]
    assert policy.due(mon, straddling) == at(2026, 3, 3, 9, 30)


def test_policy_due_pause_over_a_weekend_counts_open_time_only() -> None:
    """A pause from Fri 16:00 to Mon 09:00 is 1.5 h of open time."""
    policy = sla.Policy("Callback", "8 business hours", goal=0.9, calendar=CITY)
    fri = at(2026, 3, 6, 9)
    # Fri 09:00 + 8 h: 7.5 h on Friday, 0.5 h on Monday -> Mon 08:30.
    assert policy.due(fri) == at(2026, 3, 9, 8, 30)
    weekend = [(at(2026, 3, 6, 16), at(2026, 3, 9, 9))]
    assert policy.due(fri, weekend) == at(2026, 3, 9, 10)


def test_policy_due_absolute_pause_across_spring_forward() -> None:
    """24 hours from Sat 2026-03-07 12:00 CST is Sun 13:00 CDT; a 1 h pause
    makes it 14:00 CDT. 1 day is Sun 12:00 CDT, paused: 13:00."""
    sat = at(2026, 3, 7, 12)
    pause = [(at(2026, 3, 7, 14), at(2026, 3, 7, 15))]
    hours = sla.Policy("H", "24 hours", goal=0.9)
    days = sla.Policy("D", "1 day", goal=0.9)
    assert hours.due(sat).isoformat() == "2026-03-08T13:00:00-05:00"
    assert hours.due(sat, pause).isoformat() == "2026-03-08T14:00:00-05:00"
    assert days.due(sat).isoformat() == "2026-03-08T12:00:00-05:00"
    assert days.due(sat, pause).isoformat() == "2026-03-08T13:00:00-05:00"


def test_policy_due_refuses_a_reversed_pause() -> None:
    """A pause that ends before it starts is an error for a single due date."""
    policy = sla.Policy("P", "24 hours", goal=0.9)
    mon = at(2026, 3, 2, 9)
    with pytest.raises(ValueError, match="pauses must end after they start"):
        policy.due(mon, [(mon + dt.timedelta(hours=2), mon + dt.timedelta(hours=1))])


def test_policy_due_refuses_naive_receipt() -> None:
    """A naive datetime is refused, naming the argument."""
    policy = sla.Policy("P", "24 hours", goal=0.9)
    with pytest.raises(sla.NaiveDatetimeError, match="received must be"):
        policy.due(dt.datetime(2026, 3, 2, 9))


def test_policy_is_hashable() -> None:
    """Equal policies hash alike, so outcomes can be grouped by policy."""

    def make() -> sla.Policy:
        return sla.Policy(
            "P", "5 business days", goal=0.9, calendar=CITY, where={"ward": "3"}
        )

    assert make() == make()
    assert hash(make()) == hash(make())
    assert len({make(), make()}) == 1


# --------------------------------------------------------------------------
# Adjustment


def test_adjustment_needs_exactly_one_effect() -> None:
    """No effect or two effects are refused."""
    with pytest.raises(sla.PolicyError, match="must have exactly one effect"):
        sla.Adjustment("A", "why")
    with pytest.raises(
        sla.PolicyError,
        match=r"exactly one effect: .*got extend='1 day', target=None, exempt=True",
    ):
        sla.Adjustment("A", "why", extend="1 day", exempt=True)


def test_adjustment_needs_a_reason() -> None:
    """An adjustment without a reason is refused."""
    with pytest.raises(sla.PolicyError, match="reason must be non-empty text"):
        sla.Adjustment("A", "", exempt=True)


def test_adjustment_extension_must_be_a_plain_amount() -> None:
    """Start options make no sense for an extension."""
    with pytest.raises(sla.PolicyError, match="extend must be a plain amount"):
        sla.Adjustment("A", "why", extend="1 day from next opening")
    with pytest.raises(sla.PolicyError, match="extend must be a plain amount"):
        sla.Adjustment("A", "why", extend="2 business days, cutoff 15:00")


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ((dt.date(2026, 1, 9), dt.date(2026, 1, 5)), "must not end before it starts"),
        ((dt.datetime(2026, 1, 5), dt.datetime(2026, 1, 9)), "got naive datetimes"),
        ((dt.date(2026, 1, 5),), "window must be (start, end)"),
        ((dt.date(2026, 1, 5), at(2026, 1, 9)), "window must be (start, end)"),
    ],
)
def test_adjustment_bad_window(window: object, message: str) -> None:
    """Windows are two dates or two aware datetimes, in order."""
    with pytest.raises(sla.PolicyError) as caught:
        sla.Adjustment("A", "why", window=window, exempt=True)
    assert message in str(caught.value)


def test_adjustment_bad_months() -> None:
    """Months are whole numbers 1-12."""
    with pytest.raises(
        sla.PolicyError, match="months must hold month numbers 1-12, got 13"
    ):
        sla.Adjustment("A", "why", months=[3, 13], exempt=True)


def test_adjustment_date_window_includes_both_days() -> None:
    """A date window covers its first and last local day whole."""
    storm = sla.Adjustment(
        "Storm", "ice", window=(dt.date(2026, 1, 5), dt.date(2026, 1, 9)), exempt=True
    )
    assert storm.covers(request(received=at(2026, 1, 5, 0, 0)))
    assert storm.covers(request(received=at(2026, 1, 9, 23, 59, 59)))
    assert not storm.covers(request(received=at(2026, 1, 10)))
    assert not storm.covers(request(received=at(2026, 1, 4, 23, 59, 59)))


def test_adjustment_instant_window_excludes_its_end() -> None:
    """An instant window covers [start, end)."""
    storm = sla.Adjustment(
        "Storm", "ice", window=(at(2026, 1, 5, 12), at(2026, 1, 6, 12)), exempt=True
    )
    assert storm.covers(request(received=at(2026, 1, 5, 12)))
    assert not storm.covers(request(received=at(2026, 1, 6, 12)))


def test_adjustment_months_read_in_the_given_zone() -> None:
    """Months are read on the local date in the zone given (default: receipt's)."""
    spring = sla.Adjustment("Spring", "potholes", months=[3, 4], exempt=True)
    late_feb = request(received=dt.datetime(2026, 3, 1, 3, tzinfo=dt.UTC))
    assert spring.covers(late_feb)
    assert not spring.covers(late_feb, tz=CHICAGO)


def test_adjustment_services_and_attributes() -> None:
    """Services and attribute conditions narrow an adjustment."""
    adjustment = sla.Adjustment(
        "A", "why", services=["TREE"], where={"district": "3"}, exempt=True
    )
    assert adjustment.covers(request("TREE", district="3"))
    assert not adjustment.covers(request("TREE", district="4"))
    assert not adjustment.covers(request("POTHOLE", district="3"))


def test_extend_by_business_days_counts_from_the_due_date() -> None:
    """3 business days after Fri 2026-01-16 16:30 skip MLK day: Thu 01-22 16:30."""
    storm = sla.Adjustment("Storm", "ice", extend="3 business days")
    assert storm.extend_due(at(2026, 1, 16, 16, 30), CITY) == at(2026, 1, 22, 16, 30)


def test_extend_by_business_days_at_same_time_and_by_noon() -> None:
    """``at`` options of an extension apply on the n-th business day."""
    same = sla.Adjustment("S", "why", extend="2 business days at same time")
    noon = sla.Adjustment("N", "why", extend="1 business day by 12:00")
    due = at(2026, 3, 5, 10)  # Thursday
    assert same.extend_due(due, CITY) == at(2026, 3, 9, 10)
    assert noon.extend_due(due, CITY) == at(2026, 3, 6, 12)


def test_extend_by_hours_days_and_business_hours() -> None:
    """Hours and days add as their targets do; business hours count open time."""
    fri_close = at(2026, 3, 6, 16, 30)
    assert sla.Adjustment("H", "w", extend="48 hours").extend_due(fri_close) == at(
        2026, 3, 8, 17, 30
    )
    assert sla.Adjustment("D", "w", extend="2 days").extend_due(fri_close) == at(
        2026, 3, 8, 16, 30
    )
    business = sla.Adjustment("B", "w", extend="4 business hours")
    assert business.extend_due(fri_close, CITY) == at(2026, 3, 9, 12)


def test_extend_never_moves_a_due_date_earlier() -> None:
    """An extension that would land earlier leaves the due date alone."""
    noon = sla.Adjustment("N", "why", extend="0 business days by 12:00")
    due = at(2026, 3, 5, 15)
    assert noon.extend_due(due, CITY) == due


def test_extend_on_business_time_needs_a_calendar() -> None:
    """A business-time extension without a calendar is an error."""
    storm = sla.Adjustment("Storm", "ice", extend="3 business days")
    with pytest.raises(sla.PolicyError, match="calendar is required to extend"):
        storm.extend_due(at(2026, 1, 16, 16, 30))


# --------------------------------------------------------------------------
# PolicyBook


def test_book_first_match_wins_then_default() -> None:
    """Policies are tried in order; the default takes the rest."""
    north = sla.Policy("North", "24 hours", goal=0.9, where={"district": ["1", "2"]})
    pothole = sla.Policy("Pothole", "48 hours", goal=0.9, services=["POTHOLE"])
    anything = sla.Policy("Default", "30 days", goal=0.8)
    book = sla.PolicyBook([north, pothole], default=anything)
    assert book.policy_for(request("POTHOLE", district="1")) is north
    assert book.policy_for(request("POTHOLE", district="3")) is pothole
    assert book.policy_for(request("SIGN", district="3")) is anything
    assert book.policy_for(request("SIGN", district="2")) is north


def test_book_skips_policies_not_in_effect() -> None:
    """A policy outside its effective period gives way to the next."""
    old = sla.Policy("Old", "48 hours", goal=0.9, effective_until=dt.date(2026, 2, 28))
    new = sla.Policy("New", "24 hours", goal=0.9, effective_from=dt.date(2026, 3, 1))
    book = sla.PolicyBook([old, new])
    assert book.policy_for(request(received=at(2026, 2, 28, 23))) is old
    assert book.policy_for(request(received=at(2026, 3, 1, 0))) is new
    assert book.policy_for(sla.Request(id="x", service="POTHOLE")) is None


def test_book_refuses_repeated_names() -> None:
    """Policy and adjustment names are unique within a book."""
    policy = sla.Policy("P", "24 hours", goal=0.9)
    with pytest.raises(sla.PolicyError) as caught:
        sla.PolicyBook([policy], default=policy)
    assert str(caught.value) == (
        "default.name must be unique among policies and default, got 'P', "
        "already the name of policies[0]"
    )
    assert (caught.value.argument, caught.value.value) == ("default.name", "P")
    storm = sla.Adjustment("S", "why", exempt=True)
    with pytest.raises(sla.PolicyError, match=r"adjustments\[1\]\.name must be un"):
        sla.PolicyBook([policy], adjustments=[storm, storm])


def test_book_default_must_cover_everything() -> None:
    """A default with services or where is refused."""
    narrow = sla.Policy("D", "24 hours", goal=0.9, services=["SIGN"])
    with pytest.raises(sla.PolicyError, match="default must cover every request"):
        sla.PolicyBook([], default=narrow)


def test_book_refuses_business_adjustment_over_policy_without_calendar() -> None:
    """A business-time extension that may reach a calendar-less policy is refused."""
    hours = sla.Policy("H", "24 hours", goal=0.9, services=["SIGN"])
    storm = sla.Adjustment("Storm", "ice", extend="3 business days")
    with pytest.raises(sla.PolicyError) as caught:
        sla.PolicyBook([hours], adjustments=[storm])
    assert str(caught.value) == (
        "adjustments[0].extend '3 business days' needs a calendar, but the "
        "adjustment may cover the requests of policies[0] (policy 'H'), which "
        "has none; give policies[0] a calendar, or narrow adjustments[0].services "
        "to leave out its services"
    )
    assert caught.value.argument == "adjustments[0].extend"
    elsewhere = sla.Adjustment(
        "Storm", "ice", services=["TREE"], extend="3 business days"
    )
    assert sla.PolicyBook([hours], adjustments=[elsewhere]).adjustments


def test_book_bad_arguments() -> None:
    """Books hold Policy and Adjustment values only."""
    with pytest.raises(sla.PolicyError, match="policies must hold Policy values"):
        sla.PolicyBook(["P"])
    with pytest.raises(sla.PolicyError, match="adjustments must be a list"):
        sla.PolicyBook([], adjustments=sla.Adjustment("A", "w", exempt=True))


def test_book_adjustments_for_in_book_order() -> None:
    """Covering adjustments come back in the book's order."""
    first = sla.Adjustment("First", "w", months=[3], extend="1 day")
    second = sla.Adjustment("Second", "w", services=["POTHOLE"], extend="1 day")
    other = sla.Adjustment("Other", "w", services=["SIGN"], exempt=True)
    book = sla.PolicyBook(
        [sla.Policy("P", "24 hours", goal=0.9)], adjustments=[first, other, second]
    )
    assert book.adjustments_for(request()) == (first, second)
    assert book.adjustments_for(request("SIGN")) == (first, other)


def test_book_due_for_a_new_request() -> None:
    """book.due gives a new request's due date, adjustments included."""
    storm = sla.Adjustment(
        "Storm",
        "ice",
        window=(dt.date(2026, 1, 5), dt.date(2026, 1, 9)),
        extend="3 business days",
    )
    policy = sla.Policy("P", "5 business days", goal=0.9, calendar=CITY)
    book = sla.PolicyBook([policy], adjustments=[storm])
    # Fri 2026-01-09 10:00 + 5 business days: Fri 01-16 at the close; the
    # storm adds Tue 20, Wed 21, Thu 22 (Mon 19 is MLK day).
    assert book.due(request(received=at(2026, 1, 9, 10))) == at(2026, 1, 22, 16, 30)
    assert book.due(request(received=at(2026, 1, 12, 10))) == at(2026, 1, 20, 16, 30)
    assert sla.PolicyBook([]).due(request()) is None
    with pytest.raises(ValueError, match=r"request\.received must be an aware"):
        book.due(sla.Request(id="9"))


def test_book_due_differences_lists_disagreements() -> None:
    """Imported due dates that differ from the policy's beyond the tolerance."""
    book = sla.PolicyBook([sla.Policy("Rodents", "30 days", goal=0.9)])
    t = at(2026, 3, 2, 9)
    requests = [
        sla.Request(id="same", received=t, due=t + dt.timedelta(days=30)),
        sla.Request(id="hour", received=t, due=at(2026, 4, 1, 10)),
        sla.Request(id="none", received=t),
        sla.Request(id="bad", received=t, due=t - dt.timedelta(days=1)),
    ]
    found = list(book.due_differences(requests))
    assert [(d.id, d.difference) for d in found] == [("hour", dt.timedelta(hours=1))]
    assert found[0].computed == at(2026, 4, 1, 9)
    assert list(book.due_differences(requests, tolerance=dt.timedelta(hours=1))) == []


def test_adjustment_window_is_checked_by_instants() -> None:
    """01:00 CST (the second 01:00 of 1 Nov 2026 in Chicago) is after
    01:30 CDT: a window between them, in that order, is refused, naming
    both ends with their offsets; the reverse is a 30-minute window."""
    chicago = ZoneInfo("America/Chicago")
    cdt = dt.datetime(2026, 11, 1, 1, 30, tzinfo=chicago)
    cst = dt.datetime(2026, 11, 1, 1, 0, fold=1, tzinfo=chicago)
    with pytest.raises(
        sla.PolicyError,
        match=r"window must end after it starts, got "
        r"\(2026-11-01T01:00:00-06:00, 2026-11-01T01:30:00-05:00\)",
    ):
        sla.Adjustment("Storm", "why", window=(cst, cdt), exempt=True)
    assert sla.Adjustment("Storm", "why", window=(cdt, cst), exempt=True).window
