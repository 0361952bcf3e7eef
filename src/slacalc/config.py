"""Policy books in TOML: read with ``tomllib``, written by slacalc.

A policy file has four parts, each optional::

    [calendars.city]                      # a named calendar
    tz = "America/Chicago"
    hours = "Mon-Fri 08:00-16:30"         # or a table: { mon-fri = "08:00-16:30" }
    holidays = { country = "US", subdiv = "MN" }   # or a list of dates
    local_holidays = [2026-11-27]         # or { "2026-11-27" = "Day after" }
    special_hours = { "2026-12-24" = "08:00-12:00" }
    closures = [
        { start = 2026-01-06T12:00:00-06:00, end = 2026-01-07T08:00:00-06:00,
          reason = "snow" },
    ]

    [[policies]]                          # in order: the first match wins
    name = "Exterior nuisance"
    target = "5 business days"            # any text parse_target reads
    goal = 0.9
    calendar = "city"                     # a name under [calendars]
    services = ["NUIS-EXT"]
    where = { district = ["3", "4"] }
    at_risk = 0.75
    effective_from = 2026-01-01
    effective_until = 2026-12-31
    description = "..."

    [default]                             # a policy without services or where

    [[adjustments]]                       # in order
    name = "Ice storm"
    reason = "roads closed"
    window = [2026-01-05, 2026-01-09]     # dates, or two offset datetimes
    months = [3, 4]
    services = ["TREE"]
    where = { district = "3" }
    extend = "3 business days"            # or target = "..." or exempt = true

``holidays`` as a table reads ``holidays.country_holidays(country,
subdiv=..., observed=..., categories=...)``. Datetimes without an offset are
read in the calendar's zone (``closures``) or must carry one (``window``).
Unknown keys are errors, so a typo does not pass unnoticed.
"""

from __future__ import annotations

import os
from pathlib import Path

from slacalc._toml import book_text
from slacalc._toml_read import Reader
from slacalc.book import PolicyBook

__all__ = ["read_book", "write_book"]

_TEXT_SOURCE = "<text>"


def read_book(source: str | os.PathLike[str]) -> PolicyBook:
    """Read a :class:`~slacalc.PolicyBook` from a TOML file or text.

    Args:
        source: a path (``pathlib.Path``, or a string ending in ``.toml``)
            or TOML text.

    Raises:
        PolicyFileError: naming the file, the key and the bad value.

    Examples:
        >>> text = '[[policies]]\\nname = "A"\\ntarget = "2 days"\\ngoal = 0.9'
        >>> book = read_book(text)
        >>> book.policies[0].name
        'A'
    """
    if isinstance(source, os.PathLike) or (
        isinstance(source, str)
        and "\n" not in source
        and source.strip().lower().endswith(".toml")
    ):
        path = Path(source)
        return Reader(str(path)).book(path.read_text(encoding="utf-8"))
    if not isinstance(source, str):
        raise TypeError(f"source must be a path or TOML text, got {source!r}")
    return Reader(_TEXT_SOURCE).book(source)


def write_book(book: PolicyBook) -> str:
    """The TOML text of ``book``, which :func:`read_book` reads back equal.

    Raises:
        PolicyError: for a value without an exact TOML form.

    Examples:
        >>> import slacalc as sla
        >>> everything = sla.Policy("All", "3 days", goal=0.8)
        >>> print(write_book(sla.PolicyBook([], default=everything)))
        [default]
        name = "All"
        target = "3 days"
        goal = 0.8
        <BLANKLINE>
    """
    return book_text(book)
