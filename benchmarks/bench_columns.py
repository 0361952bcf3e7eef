"""Time slacalc's columnar due dates against a plain numpy ``searchsorted``.

Run by hand (not part of CI, not a pytest file)::

    pip install -e ".[columns]"
    python benchmarks/bench_columns.py              # N = 1,000,000 requests
    python benchmarks/bench_columns.py --quick      # 100,000, for a smoke run

The calendar is Monday-Friday 08:00-17:00 in America/Chicago with
``holidays.US(subdiv="MN")``, as in ``bench_calendar.py``; requests are
received at random instants (whole seconds) over 2025-2027, in one
``datetime64[us]`` column. Each task is one ``slacalc.columns.due`` call
over the whole column: 27 business hours, 5 business days and 30 calendar
days (the same wall time in America/Chicago, across DST). A last row, for
information, evaluates the column with ``columns.evaluate`` (a policy per
target and a default, a spring extension, a fifth of requests still open).

The yardstick is one plain ``numpy.searchsorted`` of the same column into
the calendar's compiled opening instants (the interval arrays every due
date is computed from), the least any search-based due date can cost. The
two are timed in turn, several rounds, and each cell is a median, so that a
busy machine slows both alike. The first (cold) call of each task is shown
too: it builds the calendar's arrays and tables.

Every due date of a sample (``--check`` requests, default 20,000) is
compared with the scalar ``target.due``; any difference is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import _common
import holidays
import numpy as np
import numpy.typing as npt

import slacalc as sla
from slacalc import columns

TZ_NAME = "America/Chicago"
TZ = ZoneInfo(TZ_NAME)
HOURS = "Mon-Fri 08:00-17:00"
RECEIPT_YEARS = (2025, 2027)
TARGETS: tuple[sla.Target, ...] = (
    sla.BusinessHours(27),
    sla.BusinessDays(5),
    sla.Days(30),
)
SEARCHSORTED = "np.searchsorted (plain)"
EVALUATE = "columns.evaluate (3 policies, 1 adjustment)"
SERVICES = ("POTHOLE", "RODENT", "CALLBACK", "GRAFFITI")

Int64Array = npt.NDArray[np.int64]


def make_calendar() -> sla.BusinessCalendar:
    """The benchmark's calendar."""
    return sla.BusinessCalendar(
        tz=TZ_NAME,
        hours=HOURS,
        holidays=holidays.country_holidays("US", subdiv="MN"),
    )


def make_received(n: int, seed: int) -> columns.Instants:
    """``n`` random receipt instants (whole seconds) over the receipt years."""
    first = int(dt.datetime(RECEIPT_YEARS[0], 1, 1, tzinfo=TZ).timestamp())
    stop = int(dt.datetime(RECEIPT_YEARS[1] + 1, 1, 1, tzinfo=TZ).timestamp())
    seconds = np.random.default_rng(seed).integers(first, stop, n, dtype=np.int64)
    received: columns.Instants = (seconds * 1_000_000).view("datetime64[us]")
    return received


def make_book(cal: sla.BusinessCalendar) -> sla.PolicyBook:
    """One policy per target, a default, and a spring extension for potholes."""
    return sla.PolicyBook(
        [
            sla.Policy(name, target, goal=0.9, calendar=cal, services=[name])
            for name, target in zip(SERVICES, TARGETS, strict=False)
        ],
        default=sla.Policy("Other", "10 business days", goal=0.8, calendar=cal),
        adjustments=[
            sla.Adjustment(
                "Spring",
                "potholes",
                months=[3, 4],
                services=["POTHOLE"],
                extend="2 business days",
            )
        ],
    )


def evaluate_call(
    cal: sla.BusinessCalendar, received: columns.Instants, seed: int
) -> Callable[[], object]:
    """The timed evaluation: the column's requests, a fifth of them still
    open, closed up to 40 days after receipt, four services."""
    rng = np.random.default_rng(seed)
    n = len(received)
    closed = received + rng.integers(0, 40 * 86_400, n) * np.timedelta64(1, "s")
    closed[rng.random(n) < 0.2] = np.datetime64("NaT")
    service = rng.choice(np.array(SERVICES, dtype=object), n)
    as_of = dt.datetime(RECEIPT_YEARS[1] + 1, 1, 15, tzinfo=TZ)
    book = make_book(cal)
    return lambda: columns.evaluate(book, service, received, closed, as_of)


def opening_instants(cal: sla.BusinessCalendar) -> Int64Array:
    """The calendar's compiled opening instants, as the columnar path holds them."""
    index = cal._timeline.index
    assert index is not None
    return np.array(index.starts, dtype=np.int64)


def due_call(
    target: sla.Target, received: columns.Instants, cal: sla.BusinessCalendar
) -> Callable[[], object]:
    """The timed call for one target: its due dates for the whole column."""
    return lambda: columns.due(target, received, cal)


def median_us(samples: Sequence[float], n: int) -> float:
    """The median of per-call seconds, as microseconds per request."""
    return statistics.median(samples) * 1e6 / n


def time_rounds(
    calls: dict[str, Callable[[], object]], rounds: int
) -> dict[str, list[float]]:
    """Seconds per call of each callable, timed in turn for ``rounds`` rounds."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return times


def check_sample(
    cal: sla.BusinessCalendar, received: columns.Instants, n: int
) -> list[str]:
    """Differences between the columnar and the scalar due dates on ``n`` values."""
    sample = received[:n]
    aware = columns.to_datetimes(sample, cal.tz)
    problems = []
    for target in TARGETS:
        got = columns.due(target, sample, cal).view(np.int64).tolist()
        for t, us in zip(aware, got, strict=True):
            assert t is not None
            expected = target.due(t, cal)
            if columns.to_instants([expected]).view(np.int64)[0] != us:
                problems.append(f"{target}: received {t.isoformat()}")
    return problems


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _common.make_parser(
        __doc__,
        n=1_000_000,
        n_help="requests (1e6)",
        quick_help="100,000 requests",
        seed=20250101,
    )
    parser.add_argument("--rounds", type=int, default=9, help="timed rounds (9)")
    parser.add_argument(
        "--check", type=int, default=20_000, help="requests checked (20,000)"
    )
    return _common.parse(
        parser, argv, quick={"n": 100_000, "rounds": 5, "check": 2_000}
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    n: int = args.n
    _common.print_header(
        "columnar",
        ["slacalc", "numpy", "holidays"],
        cpu_note=f", load average: {os.getloadavg()[0]:.1f}",
    )
    print(
        f"- calendar: {HOURS}, {TZ_NAME}, holidays.US(subdiv='MN'); "
        f"{n:,} requests received over {RECEIPT_YEARS[0]}-{RECEIPT_YEARS[1]}, "
        f"whole seconds; median of {args.rounds} rounds; seed {args.seed}"
    )
    print(flush=True)

    cal = make_calendar()
    received = make_received(n, args.seed)
    cold: dict[str, float] = {}
    for target in TARGETS:
        start = time.perf_counter()
        columns.due(target, received, cal)
        cold[str(target)] = time.perf_counter() - start
    starts = opening_instants(cal)
    received_us = received.view(np.int64)

    calls: dict[str, Callable[[], object]] = {
        SEARCHSORTED: lambda: np.searchsorted(starts, received_us, side="right")
    }
    for target in TARGETS:
        calls[str(target)] = due_call(target, received, cal)
    calls[EVALUATE] = evaluate_call(cal, received, args.seed)
    start = time.perf_counter()
    calls[EVALUATE]()
    cold[EVALUATE] = time.perf_counter() - start
    times = time_rounds(calls, args.rounds)
    yardstick = median_us(times[SEARCHSORTED], n)

    rows = [[SEARCHSORTED, f"{yardstick:.4f}", "1.00", "-"]]
    for target in TARGETS:
        name = str(target)
        per_request = median_us(times[name], n)
        rows.append(
            [
                f"columns.due({type(target).__name__}: {name})",
                f"{per_request:.4f}",
                f"{per_request / yardstick:.2f}",
                f"{cold[name] * 1e3:,.0f}",
            ]
        )
    per_request = median_us(times[EVALUATE], n)
    rows.append(
        [
            EVALUATE,
            f"{per_request:.4f}",
            f"{per_request / yardstick:.2f}",
            f"{cold[EVALUATE] * 1e3:,.0f}",
        ]
    )
    print(f"## Due dates for {n:,} requests, one call per column")
    print()
    print(
        _common.markdown_table(
            ["task", "µs per request", "ratio to searchsorted", "first call (ms)"], rows
        )
    )
    print()
    print(
        f"- yardstick: `np.searchsorted(starts, received, side='right')` into the "
        f"{len(starts):,} compiled opening instants"
    )
    print()

    problems = check_sample(cal, received, min(args.check, n))
    checked = min(args.check, n) * len(TARGETS)
    print(
        f"## Agreement with the scalar path: {checked - len(problems):,} of "
        f"{checked:,} due dates equal"
    )
    for problem in problems[:10]:
        print(f"- differs: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
