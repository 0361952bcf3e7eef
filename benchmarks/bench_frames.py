"""Time slacalc.frames end to end: a million requests judged and reported.

Run by hand (not part of CI, not a pytest file)::

    pip install -e ".[pandas]"
    python benchmarks/bench_frames.py            # N = 1,000,000 requests
    python benchmarks/bench_frames.py --quick    # 50,000, a smoke run

The frame is built with numpy (not timed): requests received at random
wall-clock times (whole seconds, three in four within office hours) over
2025-2026 in America/Chicago, 88% of them closed after a random wait (mean
three days), the others still open; ten services, eight of them covered by
policies on a Monday-Friday 08:00-17:00 calendar with US and Minnesota
holidays (business hours, business days at the close, by noon with a
cut-off, hours and calendar days) with a spring extension for potholes;
two attributes, ``district`` (12 values) and ``department`` (8 values,
one per service). The dates come in two forms, each timed: naive
``datetime64`` columns (what ``pandas.read_csv(parse_dates=...)`` gives)
and US 12-hour text (``10/18/2019 03:25:00 PM``, what a city export read
with ``dtype=str`` holds; missing closes are missing values).

Timed, as the median of ``--repeat`` runs (and the fastest), with the
process's CPU time beside it: ``frames.evaluate`` followed by
``frames.compliance(judged, by=["district", "department"], period="month")``,
end to end, and each half alone. The targets: at most 3 s for 1,000,000
requests, and at most 300 bytes per request of memory at the peak above the
input frame.

Memory is measured on two untimed runs before the timed ones: the peak of
the allocations that ``tracemalloc`` traces (numpy's and pandas' arrays and
Python objects; not Arrow's buffers) above those live when the run starts,
and, on Linux, the peak resident set size above the one at the start (freed
heap memory given back first with glibc's ``malloc_trim``, the high-water
mark reset through ``/proc/self/clear_refs``; elsewhere it is the rise of
``getrusage``'s maximum, which misses a peak lower than an earlier one).
The first of them is cold: it pays for the calendar's compiled years and
the holidays, and its time is printed too.

Checked: the report's counts add up to N, and both forms give the same
report.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import gc
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import _common
import holidays
import numpy as np
import numpy.typing as npt
import pandas as pd

import slacalc as sla
from slacalc import frames

TZ_NAME = "America/Chicago"
HOURS = "Mon-Fri 08:00-17:00"
RECEIPT_YEARS = (2025, 2026)
AS_OF = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
US_FORMAT = "%m/%d/%Y %I:%M:%S %p"
BY = ["district", "department"]
DISTRICTS = [str(d) for d in range(1, 13)]
#: Service: its department and its target (``None``: no policy covers it).
SERVICES: dict[str, tuple[str, sla.Target | None]] = {
    "POTHOLE": ("Public Works", sla.BusinessDays(2)),
    "STREETLIGHT": ("Public Works", sla.BusinessDays(10)),
    "NUIS-EXT": ("Code Enforcement", sla.BusinessDays(5)),
    "PERMIT": ("Licenses", sla.BusinessDays(1, at=dt.time(12), cutoff=dt.time(15))),
    "CALLBACK": ("311 Contact Center", sla.BusinessHours(8)),
    "INSPECT": ("Code Enforcement", sla.BusinessHours(27)),
    "BALLOT": ("Elections", sla.Hours(24)),
    "RODENT": ("Health", sla.Days(30)),
    "GRAFFITI": ("Parks", None),
    "LOST-PET": ("Animal Care", None),
}
GOALS = (0.8, 0.85, 0.9, 0.95)
COLUMNS = {
    "received": "opened",
    "closed": "closed",
    "service": "service",
    "attributes": BY,
}
OPEN_SHARE = 0.12
MEAN_WAIT_S = 3 * 86_400
SECONDS_PER_DAY = 86_400
TARGET_S_PER_MILLION = 3.0
TARGET_BYTES = 300

Seconds = npt.NDArray[np.int64]


def make_book() -> sla.PolicyBook:
    """The benchmark's policies on the office calendar."""
    calendar = sla.BusinessCalendar(
        tz=TZ_NAME,
        hours=HOURS,
        holidays=holidays.country_holidays("US", subdiv="MN"),
    )
    policies = [
        sla.Policy(
            service,
            target,
            goal=GOALS[i % len(GOALS)],
            calendar=calendar,
            services=[service],
        )
        for i, (service, (_, target)) in enumerate(SERVICES.items())
        if target is not None
    ]
    spring = sla.Adjustment(
        "Spring potholes",
        "freeze-thaw season",
        months=(3, 4, 5),
        services=["POTHOLE"],
        extend=sla.BusinessDays(2),
    )
    return sla.PolicyBook(policies, adjustments=[spring])


def wall_seconds(n: int, rng: np.random.Generator) -> tuple[Seconds, Seconds]:
    """Wall-clock receipts and closes, in seconds since the epoch (a close
    of -1 is missing)."""
    first = dt.date(RECEIPT_YEARS[0], 1, 1)
    last = dt.date(RECEIPT_YEARS[-1] + 1, 1, 1)
    epoch = dt.date(1970, 1, 1)
    days = rng.integers((first - epoch).days, (last - epoch).days, n)
    office = rng.random(n) < 0.75
    minute = np.where(
        office, rng.integers(8 * 60, 17 * 60, n), rng.integers(0, 24 * 60, n)
    )
    received = days * SECONDS_PER_DAY + minute * 60 + rng.integers(0, 60, n)
    wait = rng.exponential(MEAN_WAIT_S, n).astype(np.int64)
    closed = np.where(rng.random(n) < OPEN_SHARE, -1, received + wait)
    return received, closed


def us_texts(seconds: Seconds) -> pd.Series[str]:
    """Wall-clock seconds as US 12-hour text (missing where -1), each date
    and each time of day formatted once."""
    present = seconds >= 0
    days, clock = np.divmod(np.where(present, seconds, 0), SECONDS_PER_DAY)
    lo = int(days.min())
    epoch = dt.datetime(1970, 1, 1)
    dates = [
        (epoch + dt.timedelta(days=lo + d)).strftime("%m/%d/%Y ")
        for d in range(int(days.max()) - lo + 1)
    ]
    times = [
        (epoch + dt.timedelta(seconds=s)).strftime("%I:%M:%S %p")
        for s in range(SECONDS_PER_DAY)
    ]
    texts = [
        dates[d - lo] + times[s] if ok else None
        for d, s, ok in zip(
            days.tolist(), clock.tolist(), present.tolist(), strict=True
        )
    ]
    return pd.Series(texts, dtype="str")


def naive_datetimes(seconds: Seconds) -> npt.NDArray[np.datetime64]:
    """Wall-clock seconds as naive ``datetime64[ns]`` (NaT where -1)."""
    stamps = np.where(seconds >= 0, seconds, np.iinfo(np.int64).min)
    return stamps.view("datetime64[s]").astype("datetime64[ns]")


def make_frames(n: int, seed: int) -> dict[str, pd.DataFrame]:
    """The requests in both forms of date column, as in the docstring."""
    rng = np.random.default_rng(seed)
    received, closed = wall_seconds(n, rng)
    names = list(SERVICES)
    departments = np.array([SERVICES[s][0] for s in names], dtype=object)
    service = rng.integers(0, len(names), n)
    common = {
        "service": pd.Series(np.array(names, dtype=object).take(service), dtype="str"),
        "district": pd.Series(
            np.array(DISTRICTS, dtype=object).take(rng.integers(0, 12, n)), dtype="str"
        ),
        "department": pd.Series(departments.take(service), dtype="str"),
    }
    return {
        "datetime64": pd.DataFrame(
            {
                "opened": naive_datetimes(received),
                "closed": naive_datetimes(closed),
                **common,
            }
        ),
        "text": pd.DataFrame(
            {"opened": us_texts(received), "closed": us_texts(closed), **common}
        ),
    }


def evaluate(frame: pd.DataFrame, book: sla.PolicyBook) -> pd.DataFrame:
    return frames.evaluate(frame, book, as_of=AS_OF, columns=COLUMNS, tz=TZ_NAME)


def report(judged: pd.DataFrame) -> sla.ComplianceReport:
    return frames.compliance(judged, by=BY, period="month")


def end_to_end(frame: pd.DataFrame, book: sla.PolicyBook) -> sla.ComplianceReport:
    return report(evaluate(frame, book))


def traced_peak(task: Callable[[], object]) -> int:
    """Bytes at the peak of the allocations tracemalloc traces during the
    task, above those live when it starts."""
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        task()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - start


_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_bytes(field: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _trim_heap() -> None:
    """Give freed heap memory back to the system where the C library can
    (glibc), so that an earlier run's freed memory does not hide a peak."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def rss_peak(task: Callable[[], object]) -> tuple[int, str]:
    """Bytes at the peak resident set size during the task above the
    resident size at its start, and how that was measured."""
    gc.collect()
    _trim_heap()
    try:
        # Linux: writing 5 resets the high-water mark to the current size.
        _CLEAR_REFS.write_text("5")
        start = _status_bytes("VmRSS")
        task()
        return _status_bytes("VmHWM") - start, "VmHWM reset"
    except (OSError, LookupError):
        scale = 1 if sys.platform == "darwin" else 1024
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
        task()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
        return after - before, "getrusage, a lower bound"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _common.make_parser(
        __doc__,
        n=1_000_000,
        n_help="requests (1e6)",
        quick_help="50,000 requests",
        seed=20250101,
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (3)")
    return _common.parse(parser, argv, quick={"n": 50_000})


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    n: int = args.n
    repeat: int = args.repeat
    book = make_book()

    _common.print_header(
        "frames",
        ["slacalc", "pandas", "numpy", "pyarrow"],
        cpu_note=f"; load average: {_common.load_average()}",
    )
    print(
        f"- requests: {n:,} received over {RECEIPT_YEARS[0]}-{RECEIPT_YEARS[-1]} "
        f"in {TZ_NAME}, {len(SERVICES)} services, {len(book.policies)} policies; "
        f"by {BY} and month; {repeat} timed runs per task; seed {args.seed}"
    )
    print(flush=True)

    start = time.perf_counter()
    built = make_frames(n, args.seed)
    print(
        f"built the frames in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
        flush=True,
    )

    rows: list[list[str]] = []
    reports: dict[str, sla.ComplianceReport] = {}
    verdicts: list[str] = []
    for form, frame in built.items():
        input_bytes = int(frame.memory_usage(deep=True).sum())
        task = partial(end_to_end, frame, book)
        # The first run is cold (holidays, the calendar's compiled years);
        # it measures the resident size before freed memory can be reused.
        start = time.perf_counter()
        rss, how = rss_peak(task)
        cold = time.perf_counter() - start
        traced = traced_peak(task)
        whole = _common.time_runs(task, repeat, collect=True)
        judged = evaluate(frame, book)
        halves = {
            "frames.evaluate": _common.time_runs(
                partial(evaluate, frame, book), repeat, collect=True
            ),
            "frames.compliance": _common.time_runs(
                partial(report, judged), repeat, collect=True
            ),
        }
        reports[form] = report(judged)
        del judged
        rows.append(
            [
                f"{form}: evaluate + compliance",
                *whole.cells(),
                f"{whole.median / n * 1e6:.2f}",
                f"{traced / n:,.0f}",
                f"{rss / n:,.0f}",
            ]
        )
        for name, timing in halves.items():
            rows.append(
                [
                    f"{form}: {name}",
                    *timing.cells(),
                    f"{timing.median / n * 1e6:.2f}",
                    "",
                    "",
                ]
            )
        per_million = whole.median * 1e6 / n
        verdicts.append(
            f"- {form}: input frame {input_bytes / n:,.0f} bytes per request; "
            f"first (cold) run {cold:.3f} s; "
            f"{per_million:.2f} s per million "
            f"({'within' if per_million <= TARGET_S_PER_MILLION else 'OVER'} "
            f"{TARGET_S_PER_MILLION:g} s), peak {traced / n:,.0f} bytes per "
            f"request traced "
            f"({'within' if traced / n <= TARGET_BYTES else 'OVER'} "
            f"{TARGET_BYTES}), {rss / n:,.0f} resident ({how})"
        )
        print(f"timed: {form}", file=sys.stderr, flush=True)

    print("## Time and memory")
    print()
    header = [
        "task",
        "median s",
        "best s",
        "CPU s",
        "µs per request",
        "peak B/request (traced)",
        "peak B/request (RSS)",
    ]
    print(_common.markdown_table(header, rows, spaced_rule=True))
    print()
    print("\n".join(verdicts))
    first = reports["datetime64"]
    print(f"- both forms give the same report: {reports['text'] == first}")
    print(
        f"- counts add up: {first.total.total:,} of {n:,} requests "
        f"in {len(first.rows):,} groups"
    )
    ok = reports["text"] == first and first.total.total == n
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
