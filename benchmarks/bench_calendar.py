"""Time slacalc's calendar arithmetic against its peers, and check they agree.

Run by hand (not part of CI, not a pytest file)::

    pip install -e ".[bench]"
    python benchmarks/bench_calendar.py            # N = 100,000 requests
    python benchmarks/bench_calendar.py --quick    # a few thousand, for a smoke run

The calendar is Monday-Friday 08:00-17:00 in America/Chicago with
``holidays.US(subdiv="MN")``; requests are received at random instants (whole
seconds, as CRM exports carry them) spread over 2025-2027. The tasks:

1. the due date for 27 business hours (the clock starts at the next opening);
2. the due date for 5 business days: the close of the 5th business day after
   the day the clock starts;
3. the business time elapsed between two instants (a request's receipt and an
   instant up to 15 days later).

slacalc is timed on all N requests, its peers (pandas, businesstimedelta,
workalendar, numpy) on a subsample, being much slower. Each cell is the median
over batches of calls of the batch's time divided by its size, after warm-up
calls (which compile slacalc's calendar for every year the inputs touch).

Agreement: where a peer's semantics match slacalc's, their answers are
compared request by request (on the peers' subsample plus hand-picked edge
cases) and the share that agree is printed; known differences of semantics
are counted under their reason, anything else is listed with its exact input.

The script is meant to grow (policy evaluation, compliance): a task is a row
of ``TIMING_ROWS``, a timed cell is a ``BatchTiming`` from ``time_calls`` or
``_common.time_batches`` (one call per batch, for vectorized peers), and
``markdown_table`` prints any number of rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import operator
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import _common
import businesstimedelta as btd
import holidays
import numpy as np
import numpy.typing as npt
import pandas as pd
import pytz  # type: ignore[import-untyped]  # pytz ships no type hints; businesstimedelta needs its zones
from workalendar.core import SAT, SUN, CoreCalendar
from workalendar.usa import Minnesota

import slacalc as sla

# --------------------------------------------------------------------------
# The calendar under test, as every library spells it
# --------------------------------------------------------------------------

TZ_NAME = "America/Chicago"
TZ = ZoneInfo(TZ_NAME)
HOURS = "Mon-Fri 08:00-17:00"
OPEN = dt.time(8, 0)
CLOSE = dt.time(17, 0)
BUSINESS_HOURS = 27
BUSINESS_DAYS = 5
RECEIPT_YEARS = (2025, 2026, 2027)
# Explicit holiday lists for the peers that need one: the receipt years, plus
# a margin on each side for due dates and elapsed spans that cross a year.
HOLIDAY_YEARS = range(RECEIPT_YEARS[0] - 1, RECEIPT_YEARS[-1] + 3)
MAX_SPAN = dt.timedelta(days=15)  # task 3: closed at most this long after receipt

ONE_DAY = dt.timedelta(days=1)
# A naive local wall-clock time at or after the close, shifted by this much,
# falls on the next date: the first date on which the clock can start.
AFTER_CLOSE_SHIFT = dt.timedelta(days=1) - dt.timedelta(
    hours=CLOSE.hour, minutes=CLOSE.minute
)
CLOSE_OFFSET = dt.timedelta(hours=CLOSE.hour, minutes=CLOSE.minute)

TASK_HOURS = f"due date, {BUSINESS_HOURS} business hours"
TASK_DAYS = f"due date, {BUSINESS_DAYS} business days"
TASK_ELAPSED = "business time elapsed between two instants"
TIMING_ROWS = [TASK_HOURS, TASK_DAYS, TASK_ELAPSED]

SLACALC = "slacalc"
PANDAS = "pandas"
BTD = "businesstimedelta"
WORKALENDAR = "workalendar"
WORKALENDAR_MN = "workalendar (usa.Minnesota)"
NUMPY = "numpy (vectorized)"
TIMING_COLUMNS = [SLACALC, PANDAS, BTD, WORKALENDAR, NUMPY]


def us_mn(years: int | Iterable[int] | None = None) -> holidays.HolidayBase:
    """``holidays.US(subdiv="MN")``, spelled so that mypy --strict sees its type
    (``holidays.US`` is loaded at run time and not re-exported for type checkers).
    """
    return holidays.country_holidays("US", subdiv="MN", years=years)


def holiday_dates() -> list[dt.date]:
    """Every date ``holidays.US(subdiv="MN")`` lists in ``HOLIDAY_YEARS``."""
    listed = us_mn(HOLIDAY_YEARS)
    return sorted(d for d in listed if isinstance(d, dt.date))


def make_slacalc_calendar() -> sla.BusinessCalendar:
    return sla.BusinessCalendar(tz=TZ_NAME, hours=HOURS, holidays=us_mn())


def make_btd_rules() -> Any:
    """businesstimedelta: a work-day rule plus a holiday rule, in a pytz zone."""
    zone = pytz.timezone(TZ_NAME)
    workday = btd.WorkDayRule(
        start_time=OPEN, end_time=CLOSE, working_days=[0, 1, 2, 3, 4], tz=zone
    )
    holiday = btd.HolidayRule(us_mn(), tz=zone)
    return btd.Rules([workday, holiday])


class HolidaysMN(CoreCalendar):  # type: ignore[misc]  # workalendar is untyped
    """A workalendar calendar with exactly the holidays slacalc is given."""

    WEEKEND_DAYS = (SAT, SUN)

    def get_calendar_holidays(self, year: int) -> list[tuple[dt.date, str]]:
        listed = us_mn(year)
        return [
            (d, str(name))
            for d, name in sorted(listed.items())
            if isinstance(d, dt.date) and d.year == year
        ]


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Requests:
    """Random requests: when each was received and an instant after it."""

    received: list[dt.datetime]  # aware, in the calendar's zone
    later: list[dt.datetime]  # aware, received + [0, MAX_SPAN]

    def head(self, n: int) -> Requests:
        return Requests(self.received[:n], self.later[:n])

    def __len__(self) -> int:
        return len(self.received)


def make_requests(n: int, seed: int) -> Requests:
    rng = random.Random(seed)
    first = int(dt.datetime(RECEIPT_YEARS[0], 1, 1, tzinfo=TZ).timestamp())
    stop = int(dt.datetime(RECEIPT_YEARS[-1] + 1, 1, 1, tzinfo=TZ).timestamp())
    span = int(MAX_SPAN.total_seconds())
    received: list[dt.datetime] = []
    later: list[dt.datetime] = []
    for _ in range(n):
        s = rng.randrange(first, stop)
        received.append(dt.datetime.fromtimestamp(s, TZ))
        later.append(dt.datetime.fromtimestamp(s + rng.randrange(span + 1), TZ))
    return Requests(received, later)


def edge_requests() -> Requests:
    """Hand-picked instants where business-time libraries tend to differ."""

    def at(
        y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0, fold: int = 0
    ) -> dt.datetime:
        return dt.datetime(y, m, d, hh, mm, ss, tzinfo=TZ, fold=fold)

    received = [
        at(2025, 1, 6, 7, 59, 59),  # Monday, just before the opening
        at(2025, 1, 6, 8, 0),  # exactly at the opening
        at(2025, 1, 6, 12, 0),
        at(2025, 1, 6, 16, 59, 59),  # one second before the close
        at(2025, 1, 6, 17, 0),  # exactly at the close
        at(2025, 1, 4, 12, 0),  # Saturday
        at(2025, 1, 1, 10, 0),  # New Year's Day, inside weekday hours
        at(2025, 11, 26, 16, 0),  # the day before Thanksgiving
        at(2025, 12, 24, 16, 30),  # before Christmas
        at(2026, 7, 2, 17, 0),  # before Friday 2026-07-03, the observed July 4
        at(2026, 7, 3, 9, 0),  # on the observed holiday
        at(2025, 3, 7, 16, 0),  # Friday before the spring DST change
        at(2025, 3, 9, 3, 30),  # the spring-forward Sunday
        at(2025, 10, 31, 12, 0),  # Friday before the fall DST change
        at(2025, 11, 2, 1, 30, fold=0),  # the fall-back hour, first pass (CDT)
        at(2025, 11, 2, 1, 30, fold=1),  # the fall-back hour, second pass (CST)
        at(2027, 12, 30, 12, 0),  # due dates run into 2028
        at(2027, 12, 31, 23, 59, 59),  # last second of the range, a holiday
    ]
    later = [
        at(2025, 1, 9, 10, 0),
        at(2025, 1, 6, 17, 0),  # a whole business day
        at(2025, 1, 6, 12, 0),  # zero span
        at(2025, 1, 7, 8, 0, 1),
        at(2025, 1, 7, 8, 0),  # close to next opening: no business time
        at(2025, 1, 13, 9, 30),
        at(2025, 1, 2, 8, 30),
        at(2025, 12, 1, 9, 0),
        at(2026, 1, 2, 10, 0),
        at(2026, 7, 7, 11, 0),
        at(2026, 7, 6, 8, 0),
        at(2025, 3, 10, 9, 0),  # across the spring change
        at(2025, 3, 12, 16, 0),
        at(2025, 11, 3, 9, 0),  # across the fall change
        at(2025, 11, 4, 10, 0),
        at(2025, 11, 4, 10, 0),
        at(2028, 1, 4, 12, 0),
        at(2028, 1, 14, 17, 0),
    ]
    return Requests(received, later)


def local_naive(t: dt.datetime) -> dt.datetime:
    """The calendar-zone wall-clock time of an instant, without a zone."""
    return t.astimezone(TZ).replace(tzinfo=None)


def local_datetime64(ts: Sequence[dt.datetime]) -> npt.NDArray[np.datetime64]:
    return np.array([local_naive(t) for t in ts], dtype="datetime64[s]")


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------


def time_calls(
    fn: Callable[..., object],
    args: Sequence[tuple[Any, ...]],
    batch: int,
    warmup: Iterable[tuple[Any, ...]] = (),
) -> _common.BatchTiming:
    """Time ``fn(*a)`` for every ``a`` in ``args``, in batches of ``batch``;
    the ``warmup`` calls run after the first (cold) one, untimed."""

    def calls(chunk: Sequence[tuple[Any, ...]]) -> None:
        for a in chunk:
            fn(*a)

    return _common.time_batches(calls, args, batch, partial(calls, list(warmup)))


def _noop(*_: object) -> None:
    return None


# --------------------------------------------------------------------------
# The libraries, one task at a time. Each `*_fn` returns the callable that is
# timed; the same callable produces the answers that are compared.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Peers:
    """Every peer's calendar objects, built once."""

    holiday_list: list[dt.date]
    cbh: pd.offsets.CustomBusinessHour  # n = BUSINESS_HOURS
    cbd: pd.offsets.CustomBusinessDay  # n = BUSINESS_DAYS
    cbd_roll: pd.offsets.CustomBusinessDay  # n = 1, for rollforward
    btd_rules: Any
    btd_hours: Any  # a BusinessTimeDelta of BUSINESS_HOURS
    wk_same: Any  # HolidaysMN
    wk_mn: Any  # workalendar.usa.Minnesota
    busdaycal: np.busdaycalendar


def make_peers() -> Peers:
    hol = holiday_dates()
    rules = make_btd_rules()
    return Peers(
        holiday_list=hol,
        cbh=pd.offsets.CustomBusinessHour(
            n=BUSINESS_HOURS, start="08:00", end="17:00", holidays=hol
        ),
        cbd=pd.offsets.CustomBusinessDay(n=BUSINESS_DAYS, holidays=hol),
        cbd_roll=pd.offsets.CustomBusinessDay(n=1, holidays=hol),
        btd_rules=rules,
        btd_hours=btd.BusinessTimeDelta(rules, hours=BUSINESS_HOURS),
        wk_same=HolidaysMN(),
        wk_mn=Minnesota(),
        busdaycal=np.busdaycalendar(
            weekmask="1111100", holidays=np.array(hol, dtype="datetime64[D]")
        ),
    )


def pandas_days_fn(p: Peers) -> Callable[[pd.Timestamp], pd.Timestamp]:
    """Due at the close, BUSINESS_DAYS business days after the start day."""
    shift = pd.Timedelta(AFTER_CLOSE_SHIFT)
    close = pd.Timedelta(CLOSE_OFFSET)
    roll = p.cbd_roll.rollforward
    cbd = p.cbd

    def due(ts: pd.Timestamp) -> pd.Timestamp:
        start_day = roll((ts + shift).normalize())
        return start_day + cbd + close

    return due


def workalendar_days_fn(cal: Any) -> Callable[[dt.datetime], dt.date]:
    """Due date: the first working day on/after the first date the clock can
    start (the local date, or the next one if received at or after the close),
    plus BUSINESS_DAYS working days."""

    def due(local: dt.datetime) -> dt.date:
        day = (local + AFTER_CLOSE_SHIFT).date()
        if not cal.is_working_day(day):
            day = cal.add_working_days(day, 1)
        result: dt.date = cal.add_working_days(day, BUSINESS_DAYS)
        return result

    return due


def numpy_days_fn(
    p: Peers,
) -> Callable[[npt.NDArray[np.datetime64]], npt.NDArray[np.datetime64]]:
    """Local wall-clock datetime64 in, due dates out (the close is implied)."""
    shift = np.timedelta64(int(AFTER_CLOSE_SHIFT.total_seconds()), "s")
    cal = p.busdaycal

    def due(local: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
        days = (local + shift).astype("datetime64[D]")
        return np.busday_offset(days, BUSINESS_DAYS, roll="forward", busdaycal=cal)

    return due


def btd_elapsed_fn(p: Peers) -> Callable[[dt.datetime, dt.datetime], dt.timedelta]:
    difference = p.btd_rules.difference

    def elapsed(a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        result: dt.timedelta = difference(a, b).timedelta
        return result

    return elapsed


# --------------------------------------------------------------------------
# Agreement
# --------------------------------------------------------------------------


@dataclass
class Agreement:
    """How often a peer's answers equal slacalc's, on what they both mean."""

    task: str
    peer: str
    basis: str
    compared: int = 0
    agreed: int = 0
    explained: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    unexplained: list[str] = field(default_factory=list)

    def agree(self) -> None:
        self.compared += 1
        self.agreed += 1

    def differ(self, detail: str, reason: str | None = None) -> None:
        """A disagreement: explained by ``reason``, or to be looked into."""
        self.compared += 1
        if reason is None:
            self.unexplained.append(detail)
        else:
            self.explained[reason] += 1
            self.examples.setdefault(reason, detail)

    def check(self, ok: bool, detail: str) -> None:
        if ok:
            self.agree()
        else:
            self.differ(detail)

    @property
    def share(self) -> float:
        return self.agreed / self.compared if self.compared else float("nan")


def fmt_instant(t: dt.datetime | pd.Timestamp) -> str:
    return t.isoformat(sep=" ")


def compare_hours(
    cal: sla.BusinessCalendar, p: Peers, received: Sequence[dt.datetime]
) -> list[Agreement]:
    target = sla.BusinessHours(BUSINESS_HOURS)
    pandas_row = Agreement(
        TASK_HOURS, PANDAS, "CustomBusinessHour on naive local time = wall clock"
    )
    btd_row = Agreement(TASK_HOURS, BTD, "aware instants")
    for t in received:
        ours = target.due(t, cal)
        ours_local = local_naive(ours)

        theirs_btd: dt.datetime = t + p.btd_hours
        btd_row.check(
            theirs_btd == ours,
            (
                f"received {fmt_instant(t)}: slacalc {fmt_instant(ours)}, "
                f"businesstimedelta {fmt_instant(theirs_btd)}"
            ),
        )

        theirs_pd = pd.Timestamp(local_naive(t)) + p.cbh
        detail = (
            f"received {fmt_instant(t)}: slacalc {fmt_instant(ours_local)} "
            f"(local), pandas {fmt_instant(theirs_pd)}"
        )
        if theirs_pd == ours_local:
            pandas_row.agree()
        elif ours_local.time() == CLOSE and theirs_pd == local_naive(
            cal.next_opening(ours)
        ):
            pandas_row.differ(
                detail,
                "result exactly at a close: slacalc keeps the close, "
                "pandas rolls to the next opening",
            )
        else:
            pandas_row.differ(detail)
    return [pandas_row, btd_row]


def compare_days(
    cal: sla.BusinessCalendar, p: Peers, received: Sequence[dt.datetime]
) -> list[Agreement]:
    target = sla.BusinessDays(BUSINESS_DAYS)
    rows = {
        PANDAS: Agreement(TASK_DAYS, PANDAS, "CustomBusinessDay, due at the close"),
        WORKALENDAR: Agreement(
            TASK_DAYS, WORKALENDAR, "add_working_days, same holidays, dates"
        ),
        WORKALENDAR_MN: Agreement(
            TASK_DAYS, WORKALENDAR_MN, "add_working_days, its own holidays, dates"
        ),
        NUMPY: Agreement(TASK_DAYS, NUMPY, "busday_offset on local dates"),
    }
    ours_all = [target.due(t, cal) for t in received]
    pandas_fn = pandas_days_fn(p)
    wk_same_fn = workalendar_days_fn(p.wk_same)
    wk_mn_fn = workalendar_days_fn(p.wk_mn)
    numpy_all = numpy_days_fn(p)(local_datetime64(received))
    ours_holidays = set(p.holiday_list)

    for i, (t, ours) in enumerate(zip(received, ours_all, strict=True)):
        ours_local = local_naive(ours)
        local = local_naive(t)
        theirs: dict[str, dt.datetime] = {
            PANDAS: pandas_fn(pd.Timestamp(local)).to_pydatetime(),
            WORKALENDAR: dt.datetime.combine(wk_same_fn(local), CLOSE),
            WORKALENDAR_MN: dt.datetime.combine(wk_mn_fn(local), CLOSE),
            NUMPY: dt.datetime.combine(numpy_all[i].astype(dt.date), CLOSE),
        }
        for peer, result in theirs.items():
            row = rows[peer]
            detail = (
                f"received {fmt_instant(t)}: slacalc {fmt_instant(ours_local)} "
                f"(local), {peer} {fmt_instant(result)}"
            )
            if result == ours_local:
                row.agree()
            elif peer == WORKALENDAR_MN and _holiday_data_differs(
                p.wk_mn, ours_holidays, local.date(), max(result, ours_local).date()
            ):
                row.differ(
                    detail,
                    "holiday data: workalendar's Minnesota adds the Friday after "
                    "Thanksgiving and lacks Juneteenth",
                )
            else:
                row.differ(detail)
    return list(rows.values())


def _holiday_data_differs(
    wk: Any, ours: set[dt.date], first: dt.date, last: dt.date
) -> bool:
    day = first
    while day <= last:
        if day.weekday() < 5 and bool(wk.is_holiday(day)) != (day in ours):
            return True
        day += ONE_DAY
    return False


def compare_elapsed(
    cal: sla.BusinessCalendar, p: Peers, reqs: Requests
) -> list[Agreement]:
    row = Agreement(TASK_ELAPSED, BTD, "Rules.difference, a <= b")
    elapsed = btd_elapsed_fn(p)
    for a, b in zip(reqs.received, reqs.later, strict=True):
        ours = cal.elapsed(a, b)
        theirs = elapsed(a, b)
        row.check(
            ours == theirs,
            (
                f"elapsed({fmt_instant(a)}, {fmt_instant(b)}): slacalc {ours}, "
                f"businesstimedelta {theirs}"
            ),
        )
    return [row]


def self_checks(cal: sla.BusinessCalendar, reqs: Requests) -> list[Agreement]:
    """slacalc against itself and DESIGN.md: the two spellings of a due date,
    elapsed time as the inverse of adding it, due dates at the close in the
    calendar's zone, signed and additive elapsed time."""
    hours = sla.BusinessHours(BUSINESS_HOURS)
    days = sla.BusinessDays(BUSINESS_DAYS)
    amount = dt.timedelta(hours=BUSINESS_HOURS)
    me = "slacalc (self-check)"
    row_h = Agreement(
        TASK_HOURS,
        me,
        "target = cal.add(next_opening); elapsed = 27 h; calendar zone",
    )
    row_d = Agreement(
        TASK_DAYS, me, "close of add_business_days(start day, 5); calendar zone"
    )
    row_e = Agreement(TASK_ELAPSED, me, "signed: e(b, a) = -e(a, b); additive")
    for t, later in zip(reqs.received, reqs.later, strict=True):
        start = cal.next_opening(t)
        due = hours.due(t, cal)
        problems = []
        if due != cal.add(start, amount):
            problems.append(f"cal.add(next_opening) = {cal.add(start, amount)}")
        if cal.elapsed(start, due) != amount:
            problems.append(f"elapsed(next_opening, due) = {cal.elapsed(start, due)}")
        if local_naive(due) != due.replace(tzinfo=None):
            problems.append(f"not in {TZ_NAME}")
        row_h.check(
            not problems,
            (
                f"received {fmt_instant(t)}: due {fmt_instant(due)}; "
                + "; ".join(problems)
            ),
        )

        due_d = days.due(t, cal)
        start_day = start.astimezone(TZ).date()
        expected = dt.datetime.combine(
            cal.add_business_days(start_day, BUSINESS_DAYS), CLOSE, TZ
        )
        row_d.check(
            due_d == expected and local_naive(due_d) == due_d.replace(tzinfo=None),
            (
                f"received {fmt_instant(t)}: BusinessDays due {fmt_instant(due_d)}, "
                f"close of add_business_days(next opening's date) "
                f"{fmt_instant(expected)}"
            ),
        )

        mid = t + (later - t) / 2
        e_ab = cal.elapsed(t, later)
        e_ba = cal.elapsed(later, t)
        e_am = cal.elapsed(t, mid)
        e_mb = cal.elapsed(mid, later)
        row_e.check(
            e_ba == -e_ab and e_am + e_mb == e_ab,
            (
                f"a={fmt_instant(t)}, b={fmt_instant(later)}: e(a,b)={e_ab}, "
                f"e(b,a)={e_ba}, e(a,mid)+e(mid,b)={e_am + e_mb}"
            ),
        )
    return [row_h, row_d, row_e]


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def fmt_us(us: float) -> str:
    if us < 1:
        return f"{us:.3f}"
    if us < 10:
        return f"{us:.2f}"
    if us < 100:
        return f"{us:.1f}"
    return f"{us:,.0f}"


TimingTable = dict[str, dict[str, _common.BatchTiming | None]]


def timing_table(
    results: TimingTable,
    columns: Sequence[str],
    cell: Callable[[_common.BatchTiming], str],
) -> str:
    rows = [
        [task, *("-" if (tm := cells.get(c)) is None else cell(tm) for c in columns)]
        for task, cells in results.items()
    ]
    return _common.markdown_table(["task", *columns], rows)


def agreement_table(rows: Sequence[Agreement]) -> str:
    def reasons(a: Agreement) -> str:
        parts = [f"{n:,} ({reason.split(':')[0]})" for reason, n in a.explained.items()]
        return ", ".join(parts) or "0"

    return _common.markdown_table(
        ["task", "peer", "compared on", "n", "agree", "share", "explained", "other"],
        [
            [
                a.task,
                a.peer,
                a.basis,
                f"{a.compared:,}",
                f"{a.agreed:,}",
                f"{a.share:.2%}",
                reasons(a),
                f"{len(a.unexplained):,}",
            ]
            for a in rows
        ],
        align="lllrrrlr",
    )


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _common.make_parser(
        __doc__,
        n=100_000,
        n_help="requests for slacalc (100,000)",
        quick_help="3,000 requests, 500 for the peers",
        seed=20250101,
    )
    parser.add_argument(
        "--peer-n",
        type=int,
        default=2_000,
        help="requests for the slower peers, a prefix of the same sample (2,000)",
    )
    parser.add_argument("--batch", type=int, default=1_000, help="slacalc batch size")
    parser.add_argument(
        "--peer-batch", type=int, default=100, help="peers' batch size (100)"
    )
    parser.add_argument(
        "--show", type=int, default=5, help="unexplained disagreements to list"
    )
    args = _common.parse(parser, argv, quick={"n": 3_000, "peer_n": 500})
    args.peer_n = min(args.peer_n, args.n)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    n: int = args.n
    peer_n: int = args.peer_n
    batch: int = args.batch
    peer_batch: int = args.peer_batch

    _common.print_header(
        "calendar",
        ["slacalc", "pandas", "numpy", "businesstimedelta", "workalendar", "holidays"],
    )
    print(
        f"- calendar: {HOURS}, {TZ_NAME}, holidays.US(subdiv='MN'); "
        f"received over {RECEIPT_YEARS[0]}-{RECEIPT_YEARS[-1]}, whole seconds"
    )
    print(
        f"- requests: slacalc {n:,} (batches of {min(batch, n):,}), "
        f"peers {peer_n:,} (batches of {min(peer_batch, peer_n):,}); seed {args.seed}"
    )
    print(flush=True)

    reqs = make_requests(n, args.seed)
    sub = reqs.head(peer_n)
    cal = make_slacalc_calendar()
    p = make_peers()
    # One instant per year the inputs touch, so that lazily compiled years are
    # compiled before timing (due dates and spans run into the next year).
    warm = [
        dt.datetime(y, 6, 1, 12, tzinfo=TZ)
        for y in range(RECEIPT_YEARS[0], RECEIPT_YEARS[-1] + 2)
    ]

    results: TimingTable = {task: {} for task in TIMING_ROWS}
    notes: list[str] = []

    # --- 1. due date, business hours
    hours = sla.BusinessHours(BUSINESS_HOURS)
    amount = dt.timedelta(hours=BUSINESS_HOURS)
    results[TASK_HOURS][SLACALC] = time_calls(
        hours.due, [(t, cal) for t in reqs.received], batch, [(t, cal) for t in warm]
    )
    via_add = time_calls(
        lambda t: cal.add(cal.next_opening(t), amount),
        [(t,) for t in reqs.received],
        batch,
        [(t,) for t in warm],
    )
    notes.append(
        f"slacalc, {TASK_HOURS} spelled `cal.add(cal.next_opening(t), "
        f"timedelta(hours={BUSINESS_HOURS}))`: {fmt_us(via_add.median_us)} µs"
    )
    local_ts = [pd.Timestamp(local_naive(t)) for t in sub.received]
    results[TASK_HOURS][PANDAS] = time_calls(
        operator.add, [(ts, p.cbh) for ts in local_ts], peer_batch
    )
    results[TASK_HOURS][BTD] = time_calls(
        operator.add, [(t, p.btd_hours) for t in sub.received], peer_batch
    )
    print(f"timed: {TASK_HOURS}", file=sys.stderr, flush=True)

    # --- 2. due date, business days
    days = sla.BusinessDays(BUSINESS_DAYS)
    results[TASK_DAYS][SLACALC] = time_calls(
        days.due, [(t, cal) for t in reqs.received], batch, [(t, cal) for t in warm]
    )
    results[TASK_DAYS][PANDAS] = time_calls(
        pandas_days_fn(p), [(ts,) for ts in local_ts], peer_batch
    )
    local_dt = [(local_naive(t),) for t in sub.received]
    results[TASK_DAYS][WORKALENDAR] = time_calls(
        workalendar_days_fn(p.wk_same), local_dt, peer_batch
    )
    # numpy is vectorized and fast: time it on all N, in slacalc's batches.
    results[TASK_DAYS][NUMPY] = _common.time_batches(
        numpy_days_fn(p), local_datetime64(reqs.received), batch
    )
    print(f"timed: {TASK_DAYS}", file=sys.stderr, flush=True)

    # --- 3. elapsed business time
    results[TASK_ELAPSED][SLACALC] = time_calls(
        cal.elapsed,
        list(zip(reqs.received, reqs.later, strict=True)),
        batch,
        [(t, t + MAX_SPAN) for t in warm],
    )
    results[TASK_ELAPSED][BTD] = time_calls(
        btd_elapsed_fn(p), list(zip(sub.received, sub.later, strict=True)), peer_batch
    )
    print(f"timed: {TASK_ELAPSED}", file=sys.stderr, flush=True)

    overhead = time_calls(_noop, [(t, cal) for t in reqs.received], batch)
    notes.append(
        f"harness overhead (an empty call in the timed loop), not subtracted: "
        f"{fmt_us(overhead.median_us)} µs"
    )
    notes.append(
        "numpy: one vectorized busday_offset call per batch of local dates "
        "(time per date); the close is implied; it cannot add hours"
    )
    notes.append(
        "pandas: naive local Timestamps (conversion not timed); "
        "workalendar: a calendar with exactly the holidays slacalc is given"
    )

    print("## Median time per call (µs)")
    print()
    print(timing_table(results, TIMING_COLUMNS, lambda tm: fmt_us(tm.median_us)))
    print()
    for note in notes:
        print(f"- {note}")
    print()
    print("## First (cold) call (µs)")
    print()
    print(timing_table(results, TIMING_COLUMNS, lambda tm: fmt_us(tm.first_ns / 1000)))
    print()

    # --- agreement
    check = Requests(
        sub.received + edge_requests().received, sub.later + edge_requests().later
    )
    agreements = [
        *compare_hours(cal, p, check.received),
        *compare_days(cal, p, check.received),
        *compare_elapsed(cal, p, check),
        *self_checks(
            cal,
            Requests(
                reqs.received + check.received[peer_n:],
                reqs.later + check.later[peer_n:],
            ),
        ),
    ]
    print(
        f"## Agreement with slacalc ({peer_n:,} random requests "
        f"+ {len(check) - peer_n} edge cases; self-checks on all {n:,} + edges)"
    )
    print()
    print(agreement_table(agreements))
    print()
    for a in agreements:
        for reason, count in a.explained.items():
            print(f"- {a.task} / {a.peer}: {count:,} differ, explained: {reason}.")
            print(f"  e.g. {a.examples[reason]}")
    unexplained = [a for a in agreements if a.unexplained]
    if unexplained:
        print()
        print("## Unexplained disagreements (to look into)")
        print()
        for a in unexplained:
            print(f"- {a.task} / {a.peer}: {len(a.unexplained):,}")
            for detail in a.unexplained[: args.show]:
                print(f"  - {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
