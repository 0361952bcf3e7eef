"""Values pickle and deep-copy, for Dask and multiprocessing.

The calendar oracle is a printed 2026 calendar: a Minnesota office,
America/Chicago, Mon-Fri 08:00-16:30, Thanksgiving on Thursday 26 November.
"""

from __future__ import annotations

import concurrent.futures
import copy
import datetime as dt
import io
import multiprocessing
import pickle
import zoneinfo
from collections.abc import Callable
from types import MappingProxyType

import holidays
import pytest

import slacalc as sla

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
MN = holidays.country_holidays("US", subdiv="MN")
#: Friday 20 November 2026, 10:00 in Chicago.
FRIDAY = dt.datetime(2026, 11, 20, 10, tzinfo=CHICAGO)
#: Five business days later, Thanksgiving skipped: Monday 30 November, close.
FIVE_DAYS_LATER = dt.datetime(2026, 11, 30, 16, 30, tzinfo=CHICAGO)


def office() -> sla.BusinessCalendar:
    """The Minnesota office calendar."""
    return sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30", holidays=MN)


def busy_calendar() -> sla.BusinessCalendar:
    """A calendar with every kind of argument: local holidays, a half day
    and a closure given in another zone."""
    return sla.BusinessCalendar(
        "America/Chicago",
        "Mon-Fri 08:00-12:00, 12:30-16:30; Sat 09:00-12:00",
        holidays=MN,
        local_holidays={dt.date(2026, 11, 27): "Day after Thanksgiving"},
        special_hours={dt.date(2026, 12, 24): "08:00-12:00"},
        closures=[
            sla.Closure(
                dt.datetime(2026, 1, 6, 18, tzinfo=dt.UTC),
                dt.datetime(2026, 1, 7, 12, tzinfo=dt.UTC),
                reason="snow",
            )
        ],
    )


def book() -> sla.PolicyBook:
    """A book with conditions, a default, an adjustment and named calendars."""
    cal = office()
    return sla.PolicyBook(
        [
            sla.Policy(
                "Exterior nuisance",
                sla.BusinessDays(5),
                goal=0.9,
                calendar=cal,
                services=["NUIS-EXT"],
                where={"district": ["3", "4"]},
                effective_from=dt.date(2026, 1, 1),
            )
        ],
        adjustments=[
            sla.Adjustment(
                "Ice storm",
                "roads closed",
                window=(dt.date(2026, 11, 16), dt.date(2026, 11, 20)),
                where={"district": "3"},
                extend="2 business days",
            )
        ],
        default=sla.Policy("Other", "10 days", goal=0.8, calendar=cal),
        calendars={"office": cal},
    )


def requests() -> list[sla.Request]:
    """Requests with attributes, a pause and an imported due date."""
    later = FRIDAY + dt.timedelta(days=3)
    return [
        sla.Request(
            id="1",
            service="NUIS-EXT",
            received=FRIDAY,
            closed=later,
            attributes={"district": "3", "ward": 7},
            pauses=[(FRIDAY + dt.timedelta(hours=1), FRIDAY + dt.timedelta(hours=2))],
        ),
        sla.Request(id="2", service="GRAFFITI", received=FRIDAY, due=later),
        sla.Request(id="3", service="NUIS-EXT", attributes={"district": "4"}),
    ]


def outcomes() -> list[sla.Outcome]:
    """The requests judged: met under an adjustment, imported, invalid."""
    return list(book().evaluate(requests(), as_of=FRIDAY + dt.timedelta(days=20)))


TARGETS = [
    sla.Hours(24),
    sla.Hours(1.5, starts="next_opening"),
    sla.Days(30),
    sla.Days(2, starts="next_opening"),
    sla.BusinessHours(8),
    sla.BusinessHours(1e-05),
    sla.BusinessDays(5),
    sla.BusinessDays(1, at=dt.time(12)),
    sla.BusinessDays(3, at="same_time", cutoff=dt.time(15)),
]


def constant(value: object) -> Callable[[], object]:
    """A maker of a value built once, at import."""
    return lambda: value


VALUES: dict[str, Callable[[], object]] = {
    "office calendar": office,
    "busy calendar": busy_calendar,
    "fixed-offset calendar": lambda: sla.BusinessCalendar(
        dt.timezone(dt.timedelta(hours=-6)), "Mon-Fri 08:00-16:30"
    ),
    "always-open calendar": lambda: sla.BusinessCalendar.always("UTC"),
    "closure": lambda: busy_calendar().closures[0],
    "policy": lambda: book().policies[0],
    "adjustment": lambda: book().adjustments[0],
    "policy book": book,
    "request": lambda: requests()[0],
    "outcome": lambda: outcomes()[0],
    "invalid outcome": lambda: outcomes()[2],
    **{f"target {t}": constant(t) for t in TARGETS},
    **{f"status {s.value}": constant(s) for s in sla.Status},
}


@pytest.mark.parametrize("make", VALUES.values(), ids=list(VALUES))
def test_values_pickle_equal_with_equal_hashes(make: Callable[[], object]) -> None:
    """Pickled and loaded, a value equals the original and hashes alike."""
    value = make()
    loaded = pickle.loads(pickle.dumps(value))
    assert loaded == value
    assert hash(loaded) == hash(value)


@pytest.mark.parametrize("make", VALUES.values(), ids=list(VALUES))
def test_values_deep_copy_equal(make: Callable[[], object]) -> None:
    """copy.deepcopy gives an equal value."""
    value = make()
    assert copy.deepcopy(value) == value


def test_loaded_request_and_outcome_keep_read_only_attributes() -> None:
    """Attributes come back as read-only mappings, with the receipt's
    instant worked out as before."""
    request, outcome = requests()[0], outcomes()[0]
    loaded = pickle.loads(pickle.dumps((request, outcome)))
    for copied in loaded:
        assert type(copied.attributes) is MappingProxyType
        assert dict(copied.attributes) == {"district": "3", "ward": 7}
    assert loaded[0]._received_us == request._received_us
    assert loaded[1].policy_name == "Exterior nuisance"
    assert [a.name for a in loaded[1].adjustments] == ["Ice storm"]


def test_a_loaded_calendar_gives_the_printed_due_date() -> None:
    """A calendar used, pickled and loaded still puts 5 business days from
    Fri 20 Nov 10:00 on Mon 30 Nov 16:30, and compiles its own index."""
    cal = office()
    assert sla.BusinessDays(5).due(FRIDAY, cal) == FIVE_DAYS_LATER
    loaded = pickle.loads(pickle.dumps(cal))
    assert loaded._timeline.index is None  # the compiled index stayed behind
    assert sla.BusinessDays(5).due(FRIDAY, loaded) == FIVE_DAYS_LATER
    assert copy.deepcopy(cal).add_business_days(FRIDAY.date(), 5) == dt.date(
        2026, 11, 30
    )


def test_a_loaded_calendar_keeps_every_argument() -> None:
    """Local holidays, half days, Saturdays and closures survive: with the
    day after Thanksgiving off and Saturdays open, the fifth business day
    after Fri 20 Nov is Sat 28 Nov, closing at 12:00."""
    loaded = pickle.loads(pickle.dumps(busy_calendar()))
    assert sla.BusinessDays(5).due(FRIDAY, loaded) == dt.datetime(
        2026, 11, 28, 12, tzinfo=CHICAGO
    )
    assert not loaded.is_open(dt.datetime(2026, 1, 6, 15, tzinfo=CHICAGO))
    assert loaded.holiday_name(dt.date(2026, 11, 27)) == "Day after Thanksgiving"


def test_a_loaded_book_evaluates_alike() -> None:
    """A policy book and its requests, pickled, give the same outcomes."""
    loaded_book, loaded_requests = pickle.loads(pickle.dumps((book(), requests())))
    as_of = FRIDAY + dt.timedelta(days=20)
    assert list(loaded_book.evaluate(loaded_requests, as_of=as_of)) == outcomes()


def _due_in_child(policy: sla.Policy, received: dt.datetime) -> dt.datetime:
    return policy.due(received)


def test_a_policy_crosses_to_another_process() -> None:
    """A policy sent to a freshly started process computes the printed
    due date there."""
    policy = book().policies[0]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        due = pool.submit(_due_in_child, policy, FRIDAY).result(timeout=60)
    assert due == FIVE_DAYS_LATER


def test_compliance_counts_pickle() -> None:
    """Counts, partial results of a Dask partition, pickle equal."""
    counts = sla.ComplianceCounts.from_outcomes(outcomes(), by=["district"])
    assert pickle.loads(pickle.dumps(counts)) == counts
    assert copy.deepcopy(counts) == counts


def test_compliance_reports_pickle() -> None:
    """A compliance report pickles equal."""
    report = sla.compliance(outcomes(), by=["district"])
    assert pickle.loads(pickle.dumps(report)) == report


def test_other_reports_and_loader_records_pickle() -> None:
    """Workload, trend and standardized reports, a column map and a load
    report pickle and deep-copy equal."""
    values = [
        sla.workload(outcomes(), by="district"),
        sla.trend(outcomes(), by="district", period="month"),
        sla.standardize(outcomes(), by="district"),
        sla.ColumnMap(id="id", received="opened", attributes={"district": "District"}),
    ]
    reader = sla.read_csv(
        io.StringIO("opened\n2026-11-20 10:00\n01/01/1900 12:00:00 AM\n"),
        columns={"id": "opened", "received": "opened"},
        tz="America/Chicago",
    )
    list(reader)
    values.append(reader.report)
    for value in values:
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value


@pytest.mark.parametrize(
    "error",
    [
        sla.PolicyError("goal must be ...", argument="goal", value=1.5),
        sla.CalendarError("tz must be ...", argument="tz", value="Mars"),
        sla.PolicyError("no single argument"),
        sla.PolicyFileError("city.toml", "policies[0].goal", "bad goal", 1.5),
    ],
)
def test_errors_pickle_with_their_argument_and_value(
    error: sla.PolicyError | sla.CalendarError,
) -> None:
    """An error raised in a worker process reaches the parent whole."""
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert (back.argument, back.value) == (error.argument, error.value)
