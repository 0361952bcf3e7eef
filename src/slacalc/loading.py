"""Reading requests one at a time, and accounting for every row.

A loader yields one :class:`~slacalc.Request` per record and never drops
one: a record with an unusable value is yielded with its reasons in
``attributes["_invalid"]`` (:data:`INVALID`) and counted as flagged.
:class:`RequestReader` wraps the stream and keeps the tally, which
:class:`LoadReport` reports: ``rows == loaded + flagged``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from types import MappingProxyType, TracebackType

import attrs

from slacalc._files import Opened
from slacalc._state import picklable
from slacalc.outcomes import Request

__all__ = ["INVALID", "LoadReport", "RequestReader"]

#: The attribute in which a loaded request carries why it is invalid: the
#: reasons, each naming the field or column and the raw value, joined by
#: ``"; "``. Evaluation judges such a request ``invalid`` with that reason.
INVALID = "_invalid"


def _frozen_counts(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(value))


@picklable
@attrs.frozen
class LoadReport:
    """How the rows of a source were accounted for.

    Attributes:
        source: the file's path or name.
        rows: data rows read so far (blank lines are not rows).
        loaded: requests yielded without a problem.
        flagged: requests yielded with an ``_invalid`` reason.
        problems: how many times each kind of problem was met, keyed
            ``"<column>: <kind>"``, such as ``"Closed Date: sentinel date"``.
        finished: whether the whole source has been read.

    Examples:
        >>> import io
        >>> import slacalc as sla
        >>> text = "id,opened\\n1,2026-03-02 09:00\\n2,02/30/2026 10:00\\n"
        >>> reader = sla.read_csv(io.StringIO(text), tz="UTC",
        ...                   columns={"id": "id", "received": "opened"})
        >>> _ = list(reader)
        >>> print(reader.report)
        <stream>: 2 rows, 1 loaded, 1 flagged (opened: impossible date 1)
    """

    source: str
    rows: int
    loaded: int
    flagged: int
    problems: Mapping[str, int] = attrs.field(converter=_frozen_counts, hash=False)
    finished: bool = False

    def __str__(self) -> str:
        text = (
            f"{self.source}: {self.rows} rows, {self.loaded} loaded, "
            f"{self.flagged} flagged"
        )
        if self.problems:
            kinds = ", ".join(f"{kind} {n}" for kind, n in self.problems.items())
            text += f" ({kinds})"
        return text if self.finished else text + " so far"


@attrs.define
class Tally:
    """The running count of a loader, read through :class:`LoadReport`."""

    source: str
    rows: int = 0
    flagged: int = 0
    problems: Counter[str] = attrs.Factory(Counter)
    finished: bool = False

    def flag(self, problems: list[tuple[str, str]]) -> str:
        self.flagged += 1
        for kind, _ in problems:
            self.problems[kind] += 1
        return "; ".join(message for _, message in problems)

    def report(self) -> LoadReport:
        return LoadReport(
            self.source,
            self.rows,
            self.rows - self.flagged,
            self.flagged,
            dict(self.problems),
            self.finished,
        )


class RequestReader(Iterator[Request]):
    """The requests of a source, read one at a time, and their tally.

    Iterate it once. ``report`` says how the rows read so far were
    accounted for. Use it in a ``with`` block, or call ``close()``, to
    release the file before the end.

    Examples:
        >>> import io
        >>> import slacalc as sla
        >>> text = "id,opened\\n7,2026-03-02 09:00\\n"
        >>> with sla.read_csv(io.StringIO(text), tz="America/Chicago",
        ...               columns={"id": "id", "received": "opened"}) as reader:
        ...     [r.received.isoformat() for r in reader]
        ['2026-03-02T09:00:00-06:00']
        >>> reader.report.loaded, reader.report.finished
        (1, True)
    """

    def __init__(
        self,
        requests: Iterator[Request],
        tally: Tally,
        opened: Opened | None = None,
        attributes: tuple[str, ...] | None = None,
    ) -> None:
        self._requests = requests
        self._tally = tally
        self._opened = opened
        self._attributes = attributes

    @property
    def attributes(self) -> tuple[str, ...] | None:
        """The names of the attributes the requests may carry, when the
        source fixes them (a CSV file's mapped columns that its header has);
        ``None`` when each record brings its own (Open311 JSON).

        Examples:
            >>> import io
            >>> import slacalc as sla
            >>> text = "id,opened,Ward\\n7,2026-03-02 09:00,3\\n"
            >>> reader = sla.read_csv(io.StringIO(text), tz="UTC", columns={
            ...     "id": "id", "received": "opened", "attributes": ["Ward"]})
            >>> reader.attributes
            ('Ward',)
        """
        return self._attributes

    @property
    def source(self) -> str:
        """The file's path or name (``"<stream>"`` without one)."""
        return self._tally.source

    @property
    def report(self) -> LoadReport:
        """Rows read, loaded and flagged so far, as a :class:`LoadReport`."""
        return self._tally.report()

    def __iter__(self) -> RequestReader:
        return self

    def __next__(self) -> Request:
        return next(self._requests)

    def close(self) -> None:
        """Stop reading and release the file (a caller's own file stays open)."""
        close = getattr(self._requests, "close", None)
        if callable(close):
            close()
        if self._opened is not None:
            self._opened.close()

    def __enter__(self) -> RequestReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
