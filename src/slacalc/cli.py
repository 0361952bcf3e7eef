"""The ``slacalc`` command.

``slacalc due`` computes one due date; ``slacalc report`` turns a city's
export into a compliance report; ``slacalc demo`` runs slacalc on built-in
sample data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from slacalc._version import __version__
from slacalc.calendar import BusinessCalendar
from slacalc.targets import parse_target

__all__ = ["main"]


def _holidays_arg(text: str) -> object:
    """Read ``US`` or ``US-MN`` as holidays from the ``holidays`` package."""
    import holidays

    country, _, subdiv = text.partition("-")
    try:
        return holidays.country_holidays(country.upper(), subdiv=subdiv or None)
    except NotImplementedError as error:
        raise argparse.ArgumentTypeError(
            f"--holidays must be a country code with an optional subdivision, "
            f"such as US or US-MN, got {text!r}"
        ) from error


def _instant_arg(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be an ISO date and time such as 2026-11-20T10:00, got {text!r}"
        ) from None


def _due(args: argparse.Namespace, out: TextIO) -> int:
    calendar = BusinessCalendar(
        tz=args.tz,
        hours=args.hours,
        holidays=args.holidays,
        local_holidays=[dt.date.fromisoformat(d) for d in args.closed_on],
    )
    received = args.received
    if received.tzinfo is None:
        received = received.replace(tzinfo=calendar.tz)
    target = parse_target(args.target)
    due = target.due(received, calendar)
    start = target.start(received, calendar)
    out.write(f"target:    {target}\n")
    out.write(f"received:  {received.astimezone(calendar.tz).isoformat()}\n")
    out.write(f"clock:     starts {start.isoformat()}\n")
    out.write(f"due:       {due.isoformat()}\n")
    return 0


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from slacalc.demo import run_demo

    return run_demo(out)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="slacalc",
        description="Service-level agreement arithmetic for 311/CRM requests.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)

    due = commands.add_parser("due", help="the due date of one request")
    due.add_argument(
        "--received",
        type=_instant_arg,
        required=True,
        help="when it was received (ISO; local to --tz if no offset)",
    )
    due.add_argument(
        "--target",
        required=True,
        help="the SLA, such as '5 business days' or '24 hours'",
    )
    due.add_argument("--tz", default="UTC", help="IANA zone of the office")
    due.add_argument(
        "--hours",
        default="Mon-Fri 09:00-17:00",
        help="weekly opening hours, such as 'Mon-Fri 08:00-16:30'",
    )
    due.add_argument(
        "--holidays",
        type=_holidays_arg,
        default=None,
        help="holidays from the holidays package: US, US-MN, GB, ...",
    )
    due.add_argument(
        "--closed-on",
        action="append",
        default=[],
        metavar="DATE",
        help="a further closed date (repeatable)",
    )
    due.set_defaults(run=_due)

    demo = commands.add_parser("demo", help="run slacalc on built-in sample data")
    demo.set_defaults(run=_demo)

    from slacalc._report_command import add_report_command

    add_report_command(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the ``slacalc`` command.

    Args:
        argv: the arguments, without the program name; ``sys.argv`` when None.
        out: where to write; standard output when None.

    Returns:
        The exit status: 0 on success, 2 for bad arguments or input.

    Examples:
        >>> main(["due", "--received", "2026-11-20T10:00", "--tz", "America/Chicago",
        ...       "--hours", "Mon-Fri 08:00-16:30", "--holidays", "US-MN",
        ...       "--target", "5 business days"])
        target:    5 business days
        received:  2026-11-20T10:00:00-06:00
        clock:     starts 2026-11-20T10:00:00-06:00
        due:       2026-11-30T16:30:00-06:00
        0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    try:
        status: int = args.run(args, stream)
    except BrokenPipeError:
        # The reader of our output (``| head``) stopped early: not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - kept until exit
        return 0
    except (ValueError, OSError, ImportError) as error:
        parser.exit(2, f"slacalc {args.command}: error: {error}\n")
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
