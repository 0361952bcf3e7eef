"""Time compliance aggregation: a million outcomes by two attributes and month.

Run by hand (not part of CI, not a pytest file)::

    python benchmarks/bench_compliance.py            # N = 1,000,000 outcomes
    python benchmarks/bench_compliance.py --quick    # 50,000, a smoke run

The outcomes are built directly (not timed): statuses in a realistic mix
(70% met, 12% missed, 5% overdue, 8% open, 1% exempt, 3% no policy, 1%
invalid, the invalid ones with no receipt time), received at random
instants over 2025-2026 in America/Chicago, a share of target used on the
judged ones, one of 12 policies (3 goals) on the ones with a policy, and
two attributes: ``district`` (4 values) and ``department`` (8 values).

Timed, each the median over ``--repeat`` runs (and the fastest run):

1. ``sla.compliance(outcomes, by=["district", "department"], period="month")``,
   end to end: the target is at most 2 s for 1,000,000 outcomes;
2. its two halves: tallying (``ComplianceCounts.from_outcomes``) and the
   report from the counts (``counts.report()``);
3. merging the counts of 8 chunks and reporting (the chunks tallied before);
4. workload by district and service-mix standardization from counts by
   district, department, service and month.

Wall-clock times are printed beside the CPU time of the process (its
median), which shows when other work on the machine slowed a run down.

Checked: the merged report equals the one-shot report, and its counts add
up to N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import _common

import slacalc as sla

TZ = ZoneInfo("America/Chicago")
AS_OF = dt.datetime(2027, 1, 1, tzinfo=TZ)
RECEIPT_YEARS = (2025, 2026)
DISTRICTS = ["1", "2", "3", "4"]
DEPARTMENTS = ["PW", "TRANS", "HEALTH", "PARKS", "CODE", "WATER", "SAN", "ANIMAL"]
SERVICES = [f"S{i:02d}" for i in range(1, 13)]
GOALS = [0.8, 0.9, 0.95]
STATUS_WEIGHTS = {
    sla.Status.MET: 70,
    sla.Status.MISSED: 12,
    sla.Status.OVERDUE: 5,
    sla.Status.OPEN: 8,
    sla.Status.EXEMPT: 1,
    sla.Status.NO_POLICY: 3,
    sla.Status.INVALID: 1,
}
JUDGED = {sla.Status.MET, sla.Status.MISSED, sla.Status.OVERDUE, sla.Status.OPEN}
BY = ["district", "department"]
CHUNKS = 8


def make_outcomes(n: int, seed: int) -> list[sla.Outcome]:
    """``n`` outcomes as described in the module docstring."""
    rng = random.Random(seed)
    policies = [
        sla.Policy(f"policy {s}", "10 days", goal=GOALS[i % len(GOALS)])
        for i, s in enumerate(SERVICES)
    ]
    attribute_sets = [
        {"district": d, "department": p} for d in DISTRICTS for p in DEPARTMENTS
    ]
    statuses = rng.choices(
        list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=n
    )
    first = int(dt.datetime(RECEIPT_YEARS[0], 1, 1, tzinfo=TZ).timestamp())
    stop = int(dt.datetime(RECEIPT_YEARS[-1] + 1, 1, 1, tzinfo=TZ).timestamp())
    outcomes = []
    for i, status in enumerate(statuses):
        service = rng.randrange(len(SERVICES))
        received = None
        if status is not sla.Status.INVALID:
            received = dt.datetime.fromtimestamp(rng.randrange(first, stop), TZ)
        outcomes.append(
            sla.Outcome(
                id=str(i),
                status=status,
                as_of=AS_OF,
                service=SERVICES[service],
                received=received,
                share=rng.random() * 2 if status in JUDGED else None,
                policy=None if status is sla.Status.NO_POLICY else policies[service],
                attributes=attribute_sets[rng.randrange(len(attribute_sets))],
            )
        )
    return outcomes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _common.make_parser(
        __doc__,
        n=1_000_000,
        n_help="outcomes (1e6)",
        quick_help="50,000 outcomes",
        seed=20260101,
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per task (5)")
    return _common.parse(parser, argv, quick={"n": 50_000})


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    n: int = args.n
    repeat: int = args.repeat

    _common.print_header("compliance", ["slacalc", "attrs"])
    print(
        f"- outcomes: {n:,} built directly (not timed), received over "
        f"{RECEIPT_YEARS[0]}-{RECEIPT_YEARS[-1]} in {TZ.key}; by {BY} and month "
        f"({len(DISTRICTS)} x {len(DEPARTMENTS)} x 24 groups); "
        f"{repeat} runs per task; seed {args.seed}"
    )
    print(flush=True)

    start = time.perf_counter()
    outcomes = make_outcomes(n, args.seed)
    built = time.perf_counter() - start
    print(f"built {n:,} outcomes in {built:.1f} s", file=sys.stderr, flush=True)

    size = -(-n // CHUNKS)
    chunks = [outcomes[i : i + size] for i in range(0, n, size)]
    parts = [sla.ComplianceCounts.from_outcomes(c, BY, "month") for c in chunks]
    counts = sla.ComplianceCounts.from_outcomes(outcomes, BY, "month")
    fine = sla.ComplianceCounts.from_outcomes(
        outcomes, [*BY, "service"], period="month"
    )

    tasks: list[tuple[str, Callable[[], object]]] = [
        (
            "compliance(outcomes, by=2 attributes, period='month')",
            lambda: sla.compliance(outcomes, BY, "month"),
        ),
        (
            "ComplianceCounts.from_outcomes (the tally)",
            lambda: sla.ComplianceCounts.from_outcomes(outcomes, BY, "month"),
        ),
        ("counts.report() (from the tally)", counts.report),
        (
            f"merge {len(parts)} chunks' counts, then report",
            lambda: parts[0].merge(*parts[1:]).report(),
        ),
        ("workload by district (from counts)", lambda: sla.workload(fine, "district")),
        (
            "standardize by district and month (from counts)",
            lambda: sla.standardize(fine, "district", "month"),
        ),
    ]
    rows = []
    for name, task in tasks:
        timing = _common.time_runs(task, repeat)
        rows.append(
            [
                name,
                *timing.cells(),
                f"{timing.median / n * 1e9:,.0f}",
            ]
        )
        print(f"timed: {name}", file=sys.stderr, flush=True)

    print("## Time (s)")
    print()
    header = ["task", "median s", "best s", "CPU s", "ns per outcome"]
    print(_common.markdown_table(header, rows, spaced_rule=True))
    print()
    whole = sla.compliance(outcomes, BY, "month")
    merged = parts[0].merge(*parts[1:]).report()
    print(
        f"- merged report of {len(parts)} chunks equals the one-shot report: "
        f"{merged == whole}"
    )
    print(
        f"- counts add up: {whole.total.total:,} of {n:,} outcomes "
        f"in {len(whole.rows):,} groups"
    )
    end_to_end = float(rows[0][1])
    verdict = "within" if end_to_end * 1e6 / n <= 2.0 else "OVER"
    print(
        f"- target: 1,000,000 outcomes in at most 2 s; at this N that is "
        f"{end_to_end * 1e6 / n:.2f} s per million ({verdict})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
