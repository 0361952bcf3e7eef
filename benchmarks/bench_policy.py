"""Time evaluating requests through a policy book, one request at a time.

Run by hand (not part of CI, not a pytest file)::

    python benchmarks/bench_policy.py             # N = 100,000 requests
    python benchmarks/bench_policy.py --quick     # 5,000, a smoke run

The book: 20 policies over 13 service codes on one calendar (Monday-Friday
08:00-17:00 in America/Chicago with ``holidays.US(subdiv="MN")``), their
targets a mix of business days, business hours, hours and calendar days;
some services are split by district, one policy has an effective period, and
a default takes the rest. Two adjustments: a storm week that extends three
services by 3 business days, and a spring replacement target for two
services in March and April.

Requests are received at random instants (whole seconds) over 2025-2027,
80% of them closed up to 15 days later, some with a pause; they are judged
as of 2028-01-01. Each cell is the median over batches of the batch's time
divided by its size, after a warm-up pass that compiles the calendar's
years; the CPU column does the same with the thread's CPU time, which other
processes on a busy machine disturb less. Only slacalc's scalar path
runs: ``PolicyBook.evaluate`` consumed one outcome at a time.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import importlib.metadata
import random
import sys
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import _common
import holidays

import slacalc as sla

TZ_NAME = "America/Chicago"
TZ = ZoneInfo(TZ_NAME)
RECEIPT_YEARS = (2025, 2026, 2027)
AS_OF = dt.datetime(2028, 1, 1, tzinfo=TZ)
MAX_SPAN = dt.timedelta(days=15)
SERVICES = [f"S{i:02d}" for i in range(1, 14)]
DISTRICTS = ["1", "2", "3", "4"]


def make_calendar() -> sla.BusinessCalendar:
    minnesota = holidays.country_holidays("US", subdiv="MN")
    return sla.BusinessCalendar(TZ_NAME, "Mon-Fri 08:00-17:00", holidays=minnesota)


def make_book(cal: sla.BusinessCalendar) -> sla.PolicyBook:
    """20 policies (19 listed and a default) and two adjustments."""
    targets = [
        "5 business days",
        "27 business hours",
        "48 hours",
        "30 days",
        "1 business day by 12:00",
        "2 business days, cutoff 15:00",
        "24 hours from next opening",
        "10 business days",
    ]
    policies = []
    for i, service in enumerate(SERVICES):
        target = targets[i % len(targets)]
        if i < 6:
            # Split by district: two policies for the service.
            policies.append(
                sla.Policy(
                    f"{service} north",
                    target,
                    goal=0.9,
                    calendar=cal,
                    services=[service],
                    where={"district": ["1", "2"]},
                )
            )
            policies.append(
                sla.Policy(
                    f"{service} south",
                    targets[(i + 3) % len(targets)],
                    goal=0.85,
                    calendar=cal,
                    services=[service],
                )
            )
        elif i == 6:
            policies.append(
                sla.Policy(
                    f"{service} from 2026",
                    target,
                    goal=0.9,
                    calendar=cal,
                    services=[service],
                    effective_from=dt.date(2026, 1, 1),
                )
            )
        else:
            policies.append(
                sla.Policy(service, target, goal=0.9, calendar=cal, services=[service])
            )
    default = sla.Policy("Everything else", "10 business days", goal=0.8, calendar=cal)
    assert len(policies) + 1 == 20
    adjustments = [
        sla.Adjustment(
            "Ice storm",
            "roads closed",
            window=(dt.date(2026, 1, 5), dt.date(2026, 1, 11)),
            services=SERVICES[:3],
            extend="3 business days",
        ),
        sla.Adjustment(
            "Spring",
            "pothole season",
            months=[3, 4],
            services=SERVICES[3:5],
            target="10 business days",
        ),
    ]
    return sla.PolicyBook(policies, adjustments=adjustments, default=default)


def make_requests(n: int, seed: int) -> list[sla.Request]:
    rng = random.Random(seed)
    first = int(dt.datetime(RECEIPT_YEARS[0], 1, 1, tzinfo=TZ).timestamp())
    stop = int(dt.datetime(RECEIPT_YEARS[-1] + 1, 1, 1, tzinfo=TZ).timestamp())
    span = int(MAX_SPAN.total_seconds())
    requests = []
    for i in range(n):
        s = rng.randrange(first, stop)
        received = dt.datetime.fromtimestamp(s, TZ)
        closed = None
        if rng.random() < 0.8:
            closed = dt.datetime.fromtimestamp(s + rng.randrange(span), TZ)
        pauses = []
        if rng.random() < 0.05:
            start = received + dt.timedelta(hours=rng.randrange(1, 48))
            pauses.append((start, start + dt.timedelta(hours=rng.randrange(1, 24))))
        service = rng.choice([*SERVICES, "OTHER"])
        requests.append(
            sla.Request(
                id=str(i),
                service=service,
                received=received,
                closed=closed,
                attributes={"district": rng.choice(DISTRICTS)},
                pauses=pauses,
            )
        )
    return requests


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _common.make_parser(
        __doc__,
        n=100_000,
        n_help="requests (100,000)",
        quick_help="5,000 requests",
        seed=20250101,
    )
    parser.add_argument("--batch", type=int, default=1_000, help="batch size")
    return _common.parse(parser, argv, quick={"n": 5_000})


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cal = make_calendar()
    book = make_book(cal)
    requests = make_requests(args.n, args.seed)

    def evaluate(chunk: Sequence[sla.Request]) -> None:
        collections.deque(book.evaluate(chunk, as_of=AS_OF), maxlen=0)

    def due(chunk: Sequence[sla.Request]) -> None:
        for request in chunk:
            book.due(request)

    # Warm-up: compile every year the requests and their due dates touch.
    evaluate(requests)
    results = {
        "book.evaluate (scalar path, consumed one by one)": _common.time_batches(
            evaluate, requests, args.batch
        ),
        "book.due (a new request's due date)": _common.time_batches(
            due, requests, args.batch
        ),
    }
    statuses = collections.Counter(
        o.status.value for o in book.evaluate(requests, as_of=AS_OF)
    )

    _common.print_header("policy evaluation")
    print(f"- slacalc {importlib.metadata.version('slacalc')}")
    print(
        f"- book: {len(book.policies)} policies and a default, "
        f"{len(book.adjustments)} adjustments; calendar Mon-Fri 08:00-17:00 "
        f"{TZ_NAME}, US+MN holidays"
    )
    print(
        f"- requests: {len(requests):,} received over {RECEIPT_YEARS[0]}-"
        f"{RECEIPT_YEARS[-1]} (batches of {args.batch:,}), as of "
        f"{AS_OF.date()}; seed {args.seed}"
    )
    print(f"- statuses: {dict(sorted(statuses.items()))}")
    print()
    print("## Median time per request (µs)")
    print()
    rows = [
        [
            task,
            f"{t.median_us:.2f}",
            f"{t.cpu_us:.2f}",
            f"{t.first_ns / 1000:,.0f}",
            f"{t.calls:,}",
        ]
        for task, t in results.items()
    ]
    header = ["task", "median µs", "median CPU µs", "first call µs", "requests"]
    print(_common.markdown_table(header, rows))
    print()
    print(
        f"- load average at the end: {_common.load_average()} "
        f"(other processes on the machine inflate the wall-clock column; the CPU "
        f"column counts this thread's own time)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
