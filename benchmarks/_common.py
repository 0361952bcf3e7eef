"""What the benchmark scripts share: their command line, the machine header,
timing (whole runs or batches) and Markdown tables.

Not a benchmark itself. The scripts are run as ``python benchmarks/bench_x.py``,
so this directory is first on ``sys.path`` and they ``import _common``.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def make_parser(
    doc: str, *, n: int, n_help: str, quick_help: str, seed: int
) -> argparse.ArgumentParser:
    """A parser with ``--n``, ``--quick`` and ``--seed``, described by the
    first paragraph of the script's docstring; the script adds the rest."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=n, help=n_help)
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--seed", type=int, default=seed)
    return parser


def parse(
    parser: argparse.ArgumentParser,
    argv: Sequence[str] | None,
    quick: Mapping[str, int],
) -> argparse.Namespace:
    """The parsed arguments, with the values in ``quick`` set under ``--quick``."""
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in quick.items():
            setattr(args, name, value)
    return args


# --------------------------------------------------------------------------
# The machine
# --------------------------------------------------------------------------


def versions(names: Iterable[str]) -> str:
    """The installed version of each distribution, comma-separated."""
    found = []
    for name in names:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, or ``unknown`` where there are none."""
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def print_header(title: str, packages: Sequence[str] = (), cpu_note: str = "") -> None:
    """The report's title and the machine's lines: platform, Python, CPU count
    (followed by ``cpu_note``) and the versions of ``packages`` (if any)."""
    print(f"# slacalc {title} benchmark")
    print()
    print(f"- machine: {platform.platform()}, {platform.machine()}")
    print(f"- python: {platform.python_implementation()} {platform.python_version()}")
    print(f"- cpu count: {os.cpu_count()}{cpu_note}")
    if packages:
        print(f"- versions: {versions(packages)}")


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RunTiming:
    """Times of one task over several whole runs, in seconds: wall-clock and CPU."""

    runs: list[float]
    cpu: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    def cells(self) -> list[str]:
        """The median, best and median CPU seconds, as table cells."""
        return [f"{self.median:.3f}", f"{self.best:.3f}", f"{self.cpu_median:.3f}"]


def time_runs(
    task: Callable[[], object], repeat: int, *, collect: bool = False
) -> RunTiming:
    """Time ``repeat`` runs of ``task``; with ``collect``, a garbage collection
    (not timed) before each."""
    runs = []
    cpu = []
    for _ in range(repeat):
        if collect:
            gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        task()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return RunTiming(runs, cpu)


@dataclass(frozen=True)
class BatchTiming:
    """Per-item times of one task timed in batches."""

    median_ns: float  # median over batches of (batch time / batch size)
    cpu_ns: float  # the same with the thread's CPU time instead of wall time
    first_ns: int  # the first (cold) call, which may compile or load data
    calls: int
    batch: int

    @property
    def median_us(self) -> float:
        return self.median_ns / 1000

    @property
    def cpu_us(self) -> float:
        return self.cpu_ns / 1000


class Sliceable(Protocol):
    """A sequence or an array: its length and its slices."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: slice, /) -> Any: ...


def _nothing() -> None:
    return None


def time_batches(
    fn: Callable[[Any], object],
    items: Sliceable,
    batch: int,
    warmup: Callable[[], object] = _nothing,
) -> BatchTiming:
    """Time ``fn(chunk)`` on consecutive chunks of ``batch`` items, per item.

    The first call, on the first item alone, is timed apart (cold); ``warmup``
    runs after it, untimed. A partial last chunk is left out."""
    batch = max(1, min(batch, len(items)))
    start = time.perf_counter_ns()
    fn(items[:1])
    first_ns = time.perf_counter_ns() - start
    warmup()
    per_call: list[float] = []
    per_call_cpu: list[float] = []
    clock, cpu = time.perf_counter_ns, time.thread_time_ns
    for i in range(0, len(items) - batch + 1, batch):
        chunk = items[i : i + batch]
        c0, t0 = cpu(), clock()
        fn(chunk)
        t1, c1 = clock(), cpu()
        per_call.append((t1 - t0) / batch)
        per_call_cpu.append((c1 - c0) / batch)
    return BatchTiming(
        statistics.median(per_call),
        statistics.median(per_call_cpu),
        first_ns,
        len(per_call) * batch,
        batch,
    )


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def markdown_table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    align: str = "",
    *,
    spaced_rule: bool = False,
) -> str:
    """A Markdown table. ``align`` has one letter per column, ``l`` or ``r``;
    by default the first column is left-aligned and the others right.

    The rule under the header is tight, ``|:----|----:|``, or with
    ``spaced_rule`` padded like the cells, ``| --- | --: |``."""
    body = [list(header), *(list(r) for r in rows)]
    align = align or "l" + "r" * (len(header) - 1)
    widths = [max(len(r[i]) for r in body) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            c.rjust(w) if a == "r" else c.ljust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    if spaced_rule:
        rule = line(
            [
                "-" * (w - 1) + ":" if a == "r" else "-" * w
                for w, a in zip(widths, align, strict=True)
            ]
        )
    else:
        rule = "|" + "".join(
            f"{'-' * (w + 1)}:|" if a == "r" else f":{'-' * (w + 1)}|"
            for w, a in zip(widths, align, strict=True)
        )
    return "\n".join([line(body[0]), rule, *(line(r) for r in body[1:])])
