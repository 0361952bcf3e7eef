"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import strategies as st

import slacalc as sla
from slacalc.counts import Period

#: Zones with and without DST, including half-hour offsets.
ZONES = (
    "UTC",
    "America/Chicago",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",  # +05:30, no DST
    "America/St_Johns",  # -03:30 with DST
    "Australia/Adelaide",  # +09:30/+10:30, southern DST
)

_MINUTES_IN_DAY = 24 * 60


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def day_hours_text(draw: st.DrawFn) -> str:
    """One weekday's hours as text: one to three intervals, maybe to 24:00."""
    cuts = sorted(
        draw(
            st.lists(
                st.integers(0, _MINUTES_IN_DAY // 15).map(lambda q: q * 15),
                min_size=2,
                max_size=6,
                unique=True,
            )
        )
    )
    pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    return ", ".join(f"{_clock(a)}-{_clock(b)}" for a, b in pairs)


@st.composite
def weekly_hours(draw: st.DrawFn) -> str:
    """Weekly hours text with at least one open weekday."""
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    days = draw(st.lists(st.sampled_from(names), min_size=1, max_size=7, unique=True))
    return "; ".join(f"{day} {draw(day_hours_text())}" for day in days)


@st.composite
def calendars(draw: st.DrawFn) -> sla.BusinessCalendar:
    """A calendar with random zone, weekly hours, holidays and a closure."""
    tz = draw(st.sampled_from(ZONES))
    holidays = draw(
        st.lists(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)), max_size=20)
    )
    closures = []
    if draw(st.booleans()):
        start = draw(instants(tz=tz))
        length = draw(st.integers(1, 96 * 60))
        # Instant arithmetic: wall-clock arithmetic across a DST change can
        # end a closure before it starts, which Closure refuses.
        end = start.astimezone(dt.UTC) + dt.timedelta(minutes=length)
        closures.append(sla.Closure(start, end.astimezone(start.tzinfo)))
    return sla.BusinessCalendar(
        tz=tz, hours=draw(weekly_hours()), holidays=holidays, closures=closures
    )


def instants(
    tz: str = "UTC",
    lo: dt.datetime = dt.datetime(2025, 6, 1),
    hi: dt.datetime = dt.datetime(2027, 6, 1),
) -> st.SearchStrategy[dt.datetime]:
    """Aware instants in zone ``tz``, to the second, folds and gaps included."""
    zone = zoneinfo.ZoneInfo(tz)
    return st.datetimes(lo, hi, timezones=st.just(zone)).map(
        lambda t: t.replace(microsecond=0).astimezone(zone)
    )


def durations(max_hours: int = 200) -> st.SearchStrategy[dt.timedelta]:
    """Non-negative spans to the second."""
    return st.integers(0, max_hours * 3600).map(lambda s: dt.timedelta(seconds=s))


# --- outcomes, for compliance reports

#: Statuses whose outcomes carry a share of target used.
_JUDGED = frozenset(
    {sla.Status.MET, sla.Status.MISSED, sla.Status.OVERDUE, sla.Status.OPEN}
)
_AS_OF = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
#: Policies with three goals, for outcomes judged under one.
_POLICIES = tuple(
    sla.Policy(name, "10 days", goal=goal)
    for name, goal in (("Ninety", 0.9), ("Eighty", 0.8), ("Also ninety", 0.9))
)


@st.composite
def outcomes(draw: st.DrawFn, status: sla.Status | None = None) -> sla.Outcome:
    """An outcome built directly: any status (or the one given), a receipt in
    one of several zones over 2025-2026 (none for some invalid ones), a share
    of target used on judged ones, a service and district/team attributes that
    may be missing, judged at one of two instants under one of three policies
    (two goals) or none.
    """
    status = status if status is not None else draw(st.sampled_from(tuple(sla.Status)))
    received = None
    if status is not sla.Status.INVALID or draw(st.booleans()):
        zone = draw(st.sampled_from(("America/Chicago", "UTC", "Asia/Kolkata")))
        received = draw(
            instants(tz=zone, lo=dt.datetime(2025, 12, 1), hi=dt.datetime(2026, 6, 1))
        )
    share = None
    if status in _JUDGED:
        share = draw(st.none() | st.floats(0, 4, allow_nan=False))
    attributes = {}
    for name, values in (("district", ("1", "2", "3")), ("team", ("a", "b"))):
        value = draw(st.none() | st.sampled_from(values))
        if value is not None:
            attributes[name] = value
    return sla.Outcome(
        id=str(draw(st.integers(0, 10**6))),
        status=status,
        as_of=draw(st.sampled_from((_AS_OF, _AS_OF - dt.timedelta(days=3)))),
        service=draw(st.sampled_from((None, "POTHOLE", "GRAFFITI"))),
        received=received,
        share=share,
        policy=draw(st.sampled_from((None, *_POLICIES))),
        attributes=attributes,
    )


#: Groupings for compliance reports: attribute names and the special names.
groupings: st.SearchStrategy[tuple[str, ...]] = st.sampled_from(
    (
        (),
        ("district",),
        ("district", "team"),
        ("service",),
        ("team", "service"),
        ("policy", "district"),
    )
)

#: Periods of receipt, or none.
periods: st.SearchStrategy[Period | None] = st.sampled_from(
    (None, "day", "week", "month", "quarter", "year")
)


# --- targets and DST edges, for the columnar path

from slacalc.targets import At, Starts  # noqa: E402  (shared module: appended)

_CLOCK_TIMES = st.integers(0, 24 * 4 - 1).map(
    lambda q: dt.time(q // 4, q % 4 * 15)
) | st.times().map(lambda t: t.replace(microsecond=0))
_HOURS_AMOUNTS = st.integers(0, 400) | st.floats(0, 400).map(lambda h: round(h, 6))


@st.composite
def targets(draw: st.DrawFn) -> sla.Target:
    """Any target kind with any of its options (fractional hours, ``starts``,
    ``at`` as close, same time or a clock time, a cut-off or none)."""
    kinds = (sla.Hours, sla.Days, sla.BusinessHours, sla.BusinessDays)
    kind = draw(st.sampled_from(kinds))
    starts: Starts = draw(st.sampled_from(("at_receipt", "next_opening")))
    if kind is sla.Hours:
        return sla.Hours(draw(_HOURS_AMOUNTS), starts=starts)
    if kind is sla.Days:
        return sla.Days(draw(st.integers(0, 120)), starts=starts)
    if kind is sla.BusinessHours:
        return sla.BusinessHours(draw(_HOURS_AMOUNTS))
    at: At = draw(_CLOCK_TIMES)
    if draw(st.booleans()):
        at = draw(st.sampled_from(("close", "same_time")))
    cutoff = draw(st.none() | _CLOCK_TIMES)
    return sla.BusinessDays(draw(st.integers(0, 30)), at=at, cutoff=cutoff)


_OFFSET_CHANGES: dict[str, tuple[dt.datetime, ...]] = {}


def offset_changes(tz: str) -> tuple[dt.datetime, ...]:
    """The instants (UTC, to the minute) at which zone ``tz`` changes its
    offset from mid 2025 to mid 2027, the span of :func:`instants`."""
    if tz in _OFFSET_CHANGES:
        return _OFFSET_CHANGES[tz]
    zone = zoneinfo.ZoneInfo(tz)
    hour = dt.timedelta(hours=1)
    t = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    changes = []
    while t < dt.datetime(2027, 6, 1, tzinfo=dt.UTC):
        if t.astimezone(zone).utcoffset() != (t + hour).astimezone(zone).utcoffset():
            minute = t
            while minute.astimezone(zone).utcoffset() == t.astimezone(zone).utcoffset():
                minute += dt.timedelta(minutes=1)
            changes.append(minute)
        t += hour
    _OFFSET_CHANGES[tz] = tuple(changes)
    return _OFFSET_CHANGES[tz]


def dst_edges(
    tz: str, within: dt.timedelta = dt.timedelta(hours=3)
) -> st.SearchStrategy[dt.datetime]:
    """Aware instants in zone ``tz`` within ``within`` of one of its offset
    changes (any instant when it has none), to the second."""
    changes = offset_changes(tz)
    if not changes:
        return instants(tz=tz)
    zone = zoneinfo.ZoneInfo(tz)
    seconds = int(within.total_seconds())
    return st.tuples(st.sampled_from(changes), st.integers(-seconds, seconds)).map(
        lambda c: (c[0] + dt.timedelta(seconds=c[1])).astimezone(zone)
    )


def quarter_hours(tz: str = "UTC") -> st.SearchStrategy[dt.datetime]:
    """Aware instants in zone ``tz`` on a quarter hour of UTC, where random
    opening hours open and close."""
    zone = zoneinfo.ZoneInfo(tz)
    return instants(tz=tz).map(lambda t: _floor_quarter(t).astimezone(zone))


def moments(tz: str) -> st.SearchStrategy[dt.datetime]:
    """Aware instants in zone ``tz`` that calendars find hard: random ones,
    ones near its DST changes and ones on quarter hours."""
    return st.one_of(instants(tz=tz), dst_edges(tz), quarter_hours(tz))


def _floor_quarter(t: dt.datetime) -> dt.datetime:
    utc = t.astimezone(dt.UTC)
    return utc - dt.timedelta(minutes=utc.minute % 15, seconds=utc.second)


# --------------------------------------------------------------------------
# Policies, adjustments and requests, for the evaluation properties


def _exact(target: sla.Target) -> bool:
    try:
        return sla.parse_target(str(target)) == target
    except sla.TargetError:
        # str(Hours(1e-05)) is "1e-05 hours", which parse_target refuses.
        return False


def _positive(target: sla.Target) -> bool:
    if isinstance(target, sla.Hours | sla.BusinessHours):
        return target.amount > 0
    if isinstance(target, sla.Days | sla.BusinessDays):
        return target.n > 0
    return False


def exact_targets(*, positive: bool = False) -> st.SearchStrategy[sla.Target]:
    """Targets whose text form reads back equal (as a policy file needs); with
    ``positive``, only those whose due date always comes after the start of
    the clock."""
    found = targets().filter(_exact)
    return found.filter(_positive) if positive else found


@st.composite
def policies(
    draw: st.DrawFn, calendar: sla.BusinessCalendar, *, positive: bool = False
) -> sla.Policy:
    """A policy on ``calendar`` with any exact target, goal and threshold."""
    return sla.Policy(
        draw(st.text(min_size=1, max_size=12).filter(str.strip)),
        draw(exact_targets(positive=positive)),
        goal=draw(st.sampled_from((0.5, 0.8, 0.9, 0.95, 1.0))),
        calendar=calendar,
        at_risk=draw(st.sampled_from((0.5, 0.75, 1.0))),
    )


def shifted(t: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """``t`` moved by ``delta`` of absolute time, in ``t``'s zone.

    ``t + delta`` on an aware datetime moves the wall clock instead, which
    across a DST change is not ``delta`` of real time (and from a time in a
    spring-forward gap can even go backwards).
    """
    assert t.tzinfo is not None
    return (t.astimezone(dt.UTC) + delta).astimezone(t.tzinfo)


def _later(t: dt.datetime, max_hours: int) -> st.SearchStrategy[dt.datetime]:
    return durations(max_hours).map(lambda d: shifted(t, d))


@st.composite
def pause_lists(
    draw: st.DrawFn, received: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Up to three pauses around ``received``, some before it, some overlapping."""
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        hours = draw(st.integers(-48, 400))
        minutes = draw(st.integers(0, 59))
        start = shifted(received, dt.timedelta(hours=hours, minutes=minutes))
        pauses.append((start, draw(_later(start, 72))))
    return pauses


@st.composite
def requests(draw: st.DrawFn, tz: str = "UTC", *, bad: bool = False) -> sla.Request:
    """A request received in zone ``tz``, open or closed, maybe paused; with
    ``bad``, also records that cannot be judged."""
    received = draw(instants(tz=tz))
    closed = draw(st.none() | _later(received, 800))
    due = None
    request_id = str(draw(st.integers(0, 10**9)))
    if bad:
        kind = draw(st.sampled_from(("none", "early", "due", "sentinel", "ok")))
        if kind == "none":
            return sla.Request(id=request_id, service="S", closed=closed)
        if kind == "early":
            closed = shifted(received, -draw(durations(48).filter(bool)))
        if kind == "due":
            due = shifted(received, -draw(durations(48).filter(bool)))
        if kind == "sentinel":
            closed = dt.datetime(1900, 1, 1, tzinfo=zoneinfo.ZoneInfo(tz))
    return sla.Request(
        id=request_id,
        service=draw(st.sampled_from(("S", "T"))),
        received=received,
        closed=closed,
        pauses=draw(pause_lists(received)),
        due=due,
        attributes={"district": draw(st.sampled_from(("1", "2")))},
    )
