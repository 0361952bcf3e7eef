"""``slacalc report``: a city export in, a compliance report out."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from slacalc._tally import SPECIAL_NAMES
from slacalc.book import PolicyBook
from slacalc.compliance import ComplianceReport, compliance
from slacalc.loading import RequestReader
from slacalc.open311 import read_open311
from slacalc.outcomes import Outcome, Request
from slacalc.sources import read_csv

__all__ = ["add_report_command"]

_PRESETS = ("boston", "boston_2016", "nyc", "baltimore", "open311")
_PROGRESS_EVERY = 25_000


def _as_of_arg(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--as-of must be an ISO date and time with an offset, such as "
            f"2026-12-31T17:00-06:00, got {text!r}"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"--as-of must carry an offset or Z (an instant), got {text!r}"
        )
    return value


def _names(values: list[str]) -> list[str]:
    return [name.strip() for value in values for name in value.split(",") if name]


def _check_by(names: list[str], reader: RequestReader, preset: str) -> None:
    """Refuse a ``--by`` name that no request of the file can carry: every
    request would fall in the ``(none)`` group."""
    if reader.attributes is None:
        return
    known = (*SPECIAL_NAMES, *reader.attributes)
    by_case = {k.lower(): k for k in known}
    for name in names:
        if name in known:
            continue
        close = [by_case[name.lower()]] if name.lower() in by_case else []
        close = close or difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"--by must name service, policy or an attribute that the {preset} "
            f"export gives ({', '.join(reader.attributes) or 'none'}), got "
            f"{name!r}{hint}"
        )


def add_report_command(commands: Any) -> None:
    """Add ``report`` to the command's subparsers."""
    report = commands.add_parser(
        "report",
        help="compliance of a city export, by group and period",
        description="Load a 311 export, evaluate every request and print "
        "compliance by group and period with its flags.",
    )
    report.add_argument("file", help="a CSV export (plain or gzip) or Open311 JSON")
    report.add_argument(
        "--preset", choices=_PRESETS, required=True, help="the export's layout"
    )
    report.add_argument(
        "--tz",
        default=None,
        help="zone of wall-clock times in the file (preset default)",
    )
    report.add_argument(
        "--shifted-utc",
        action="store_true",
        help="undo timestamps shifted by minus the UTC offset",
    )
    report.add_argument("--encoding", default="utf-8")
    report.add_argument(
        "--policies",
        default=None,
        metavar="TOML",
        help="a policy file; without it, imported due dates judge",
    )
    report.add_argument(
        "--due",
        choices=("imported", "policy"),
        default="imported",
        help="judge by imported due dates where present, or "
        "recompute every due date from the policies",
    )
    report.add_argument(
        "--by",
        action="append",
        default=[],
        help="attribute(s) to group by, comma-separated or repeated",
    )
    report.add_argument(
        "--period", choices=("day", "week", "month", "quarter", "year"), default=None
    )
    report.add_argument(
        "--as-of",
        type=_as_of_arg,
        default=None,
        help="the instant to judge at (default: now)",
    )
    report.add_argument(
        "--method", choices=("decided", "closed", "all"), default="decided"
    )
    report.add_argument(
        "--goal",
        type=float,
        default=None,
        help="one goal for every group (default: the policies')",
    )
    report.add_argument("--confidence", type=float, default=0.95)
    report.add_argument("--min-count", type=int, default=30)
    report.add_argument(
        "--format", choices=("text", "csv", "json", "html"), default="text"
    )
    report.add_argument(
        "--chart",
        default=None,
        metavar="PNG",
        help="also draw the report (needs slacalc[charts])",
    )
    progress = report.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show rows read on standard error",
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false")
    report.set_defaults(run=run_report)


def _reader(args: argparse.Namespace) -> RequestReader:
    if args.preset == "open311":
        return read_open311(args.file, tz=args.tz, encoding=args.encoding)
    return read_csv(
        args.file,
        preset=args.preset,
        tz=args.tz,
        shifted_utc=args.shifted_utc,
        encoding=args.encoding,
    )


def _with_progress(
    requests: Iterable[Request], reader: RequestReader, err: TextIO
) -> Iterator[Request]:
    for count, request in enumerate(requests, 1):
        if count % _PROGRESS_EVERY == 0:
            err.write(f"\rread {reader.report.rows:,} rows")
            err.flush()
        yield request
    err.write("\n")


def _write(report: ComplianceReport, form: str, out: TextIO) -> None:
    if form == "text":
        out.write(f"{report}\n")
        flags = report.flags()
        out.write("\nFlags\n-----\n")
        for flag in flags:
            key = ", ".join(f"{k} {v}" for k, v in flag.row.key.items())
            out.write(f"{key or 'all requests'}: {flag.why}\n")
        if not flags:
            out.write("none: every group meets its goal or has too few requests\n")
    elif form == "html":
        out.write(report._repr_html_() + "\n")
    else:
        # The groups, then the total with "total" in its key columns.
        total = report.total.to_dict()
        total.update(
            dict.fromkeys(report.by + (("period",) if report.period else ()), "total")
        )
        rows = [_plain(row) for row in [*report.to_dicts(), total]]
        if form == "json":
            json.dump(rows, out, indent=2)
            out.write("\n")
        else:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [])
            writer.writeheader()
            writer.writerows(rows)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        if value is None or isinstance(value, int | float | str)
        else str(value)
        for key, value in row.items()
    }


def run_report(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``slacalc report`` with parsed arguments."""
    err = sys.stderr
    book = PolicyBook.from_toml(args.policies) if args.policies else PolicyBook([])
    as_of = args.as_of or dt.datetime.now(dt.UTC)
    by = _names(args.by)
    with _reader(args) as reader:
        _check_by(by, reader, args.preset)
        requests: Iterable[Request] = reader
        show = args.progress if args.progress is not None else err.isatty()
        if show:
            requests = _with_progress(reader, reader, err)
        outcomes: Iterable[Outcome] = book.evaluate(requests, as_of=as_of, due=args.due)
        report = compliance(
            outcomes,
            by=by,
            period=args.period,
            method=args.method,
            goal=args.goal,
            confidence=args.confidence,
            min_count=args.min_count,
        )
        err.write(f"{reader.report}\n")
    _write(report, args.format, out)
    if args.chart:
        figure = report.plot().get_figure(root=True)
        assert figure is not None  # an Axes drawn by slacalc has a figure
        figure.savefig(args.chart, dpi=100)
        err.write(f"chart written to {args.chart}\n")
    return 0
