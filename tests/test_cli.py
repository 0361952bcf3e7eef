"""The slacalc command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from slacalc.cli import main
from tests.helpers import run_cli as run


def due(*options: str) -> str:
    """`slacalc due` of the design's request, received Friday 2026-11-20
    10:00 in Minnesota with five business days to go, with more options."""
    return run(
        "due",
        "--received",
        "2026-11-20T10:00",
        "--tz",
        "America/Chicago",
        "--hours",
        "Mon-Fri 08:00-16:30",
        "--holidays",
        "US-MN",
        *options,
        "--target",
        "5 business days",
    )


def test_due_prints_the_due_date() -> None:
    """`slacalc due` prints the Thanksgiving-week due date of the design."""
    assert "due:       2026-11-30T16:30:00-06:00" in due()


def test_due_with_a_local_closed_day() -> None:
    """--closed-on adds a local holiday."""
    text = due("--closed-on", "2026-11-27")
    assert "due:       2026-12-01T16:30:00-06:00" in text


def test_demo_prints_due_dates() -> None:
    """The demo shows the Independence Day callback due Monday 14:30."""
    text = run("demo")
    assert "Callback           8 business hours" in text
    assert "due Mon 2026-07-06 14:30 CDT" in text


def test_demo_finds_the_overloaded_district() -> None:
    """The synthetic city's district 3 is flagged for compliance and workload."""
    text = run("demo")
    flags = text[text.index("Flags") : text.index("Workload by district")]
    assert "district 3:" in flags
    assert "significantly below" in text
    workload = text[text.index("Workload by district") :]
    rows = {line.split()[0]: line for line in workload.splitlines()[4:8]}
    assert rows["3"].rstrip().endswith("much more")
    assert not rows["1"].rstrip().endswith("much more")


def test_bad_target_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unreadable target exits 2 with the message, not a traceback."""
    with pytest.raises(SystemExit) as caught:
        main(["due", "--received", "2026-11-20T10:00", "--target", "soon"])
    assert caught.value.code == 2
    assert "text must be text like '24 hours'" in capsys.readouterr().err


def test_installed_command_runs() -> None:
    """`python -m slacalc.cli demo` runs as a program."""
    done = subprocess.run(
        [sys.executable, "-m", "slacalc.cli", "demo"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "slacalc demo" in done.stdout
