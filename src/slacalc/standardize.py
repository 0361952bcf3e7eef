"""Service-mix standardization: the rate a group's mix of services predicts.

A district whose requests are mostly of a slow service will show a low rate
even if it handles each service as well as the rest of the city. Its
expected rate (indirect standardization) is the rate it would have if each
of its requests met the SLA as often as requests of the same service do
overall; the difference between its actual and expected rate is what is
left once the mix is accounted for.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from slacalc import _render
from slacalc._state import frozen_mapping, picklable
from slacalc.counts import ComplianceCounts, Period, by_names, counts_for, sort_key
from slacalc.outcomes import Outcome
from slacalc.rows import Method, check_method, denominator

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["StandardizedReport", "StandardizedRow", "standardize"]


@picklable
@attrs.frozen
class StandardizedRow:
    """A group's actual rate beside the rate its mix of services predicts.

    Attributes:
        key: the group, with ``"period"`` when grouped by period.
        n: the requests its rate counts (the method's denominator).
        met: its met requests.
        rate: ``met / n``, or ``None`` when ``n`` is 0.
        expected: the mean, over its ``n`` requests, of the overall rate of
            each request's service; ``None`` when ``n`` is 0.
        difference: ``rate - expected``: above 0, better than its mix
            predicts.

    Examples:
        >>> StandardizedRow({"district": "1"}, 10, 6, 0.6, 0.7, -0.1).n
        10
    """

    key: Mapping[str, Any] = attrs.field(converter=frozen_mapping, hash=False)
    n: int
    met: int
    rate: float | None
    expected: float | None
    difference: float | None

    def to_dict(self) -> dict[str, Any]:
        """The row as one flat dict: the key's entries, then every field.

        Examples:
            >>> StandardizedRow({"district": "1"}, 0, 0, None, None,
            ...                 None).to_dict()["district"]
            '1'
        """
        fields = attrs.asdict(self, recurse=False)
        del fields["key"]
        return _render.flat_record(self.key, fields, "standardized")


@picklable
@attrs.frozen
class StandardizedReport(_render.Tabular):
    """Actual against service-mix-expected rates, group by group.

    Attributes:
        by: the names grouped by.
        period: the period of receipt grouped by, or ``None``.
        method: how the rates count requests (see :func:`compliance`).
        as_of: the latest instant the outcomes were judged at.
        overall: the rate over every group.
        service_rates: the overall rate of each service (``None`` for a
            service whose rate counts no request).
        rows: one :class:`StandardizedRow` per group, in key order.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcomes = [
        ...     sla.Outcome(id=str(i), status=status, as_of=t, service=service,
        ...                 attributes={"district": district})
        ...     for i, (district, service, status) in enumerate([
        ...         ("1", "SLOW", sla.Status.MISSED), ("1", "SLOW", sla.Status.MET),
        ...         ("2", "FAST", sla.Status.MET), ("2", "SLOW", sla.Status.MISSED)])
        ... ]
        >>> report = sla.standardize(outcomes, by="district")
        >>> [(r.key["district"], r.rate, r.expected) for r in report.rows]
        [('1', 0.5, 0.3333333333333333), ('2', 0.5, 0.6666666666666666)]
    """

    by: tuple[str, ...]
    period: Period | None
    method: Method
    as_of: dt.datetime | None
    overall: float | None
    service_rates: Mapping[Any, float | None]
    rows: tuple[StandardizedRow, ...]

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as flat dicts.

        Examples:
            >>> StandardizedReport(("d",), None, "decided", None, None, {},
            ...                    ()).to_dicts()
            []
        """
        return [row.to_dict() for row in self.rows]

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame; method and as-of in ``attrs``.

        Examples:
            >>> import pytest; _ = pytest.importorskip("pandas")  # else skipped
            >>> report = StandardizedReport(("d",), None, "decided", None, None,
            ...                             {}, ())
            >>> list(report.to_pandas().columns)
            ['d', 'n', 'met', 'rate', 'expected', 'difference']
        """
        columns = [*self.by, *(["period"] if self.period else [])]
        columns += [f.name for f in attrs.fields(StandardizedRow) if f.name != "key"]
        return _render.data_frame(
            self.to_dicts(), columns, {"method": self.method, "as_of": self.as_of}
        )

    def _table(self) -> _render.Table:
        names = [*self.by, *(["period"] if self.period else [])]
        words = [*self.by, *([self.period] if self.period else [])]
        grouped = " and ".join(", ".join(words).rsplit(", ", 1))
        title = (
            f"Compliance by {grouped}, standardized for the mix of services",
            f"method {self.method}; as of {_render.fmt_instant(self.as_of)}; "
            f"overall rate {_render.fmt_percent(self.overall)} over "
            f"{len(self.service_rates):,} services",
        )
        headers = (*names, "n", "rate", "expected", "difference")
        right = (False,) * len(names) + (True,) * 4
        rows = tuple(
            (
                *(_render.fmt_value(row.key[name]) for name in names),
                _render.fmt_count(row.n),
                _render.fmt_percent(row.rate),
                _render.fmt_percent(row.expected),
                _render.fmt_signed_points(row.difference),
            )
            for row in self.rows
        )
        return _render.Table(title, headers, right, rows)


def standardize(
    outcomes: Iterable[Outcome] | ComplianceCounts,
    by: str | Sequence[str],
    period: Period | None = None,
    *,
    method: Method = "decided",
) -> StandardizedReport:
    """Each group's rate beside the rate its mix of services predicts.

    The overall rate of each service is computed over every group; a
    group's expected rate is the mean of those rates over the requests its
    own rate counts. Over all groups together, expected equals actual.

    Args:
        outcomes: the outcomes, or counts tallied before by these names and
            ``"service"``.
        by: the names to group by; see :func:`compliance`.
        period: the period of receipt to group by too, or ``None``.
        method: how rates count requests; see :func:`compliance`.

    Returns:
        The report.

    Raises:
        ValueError: counts given do not group by ``"service"`` and ``by``,
            or ``method`` is unknown.

    Examples:
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, service="X",
        ...                 attributes={"district": "1"})
        >>> sla.standardize([o], by="district").rows[0].difference
        0.0
    """
    names = by_names(by)
    checked = check_method(method)
    with_service = names if "service" in names else (*names, "service")
    counts = counts_for(outcomes, with_service, period)
    at = with_service.index("service")

    by_service: dict[Any, list[int]] = {}
    groups: dict[tuple[tuple[Any, ...], str | None], dict[Any, list[int]]] = {}
    for (values, label, _), cell in counts.cells.items():
        n = denominator(cell, checked)
        met = cell[0]
        service = values[at]
        tally = by_service.setdefault(service, [0, 0])
        tally[0] += met
        tally[1] += n
        group = values if "service" in names else values[:at] + values[at + 1 :]
        part = groups.setdefault((group, label), {}).setdefault(service, [0, 0])
        part[0] += met
        part[1] += n
    rates = {s: met / n if n else None for s, (met, n) in by_service.items()}
    met_all = sum(met for met, _ in by_service.values())
    n_all = sum(n for _, n in by_service.values())

    def order(item: tuple[tuple[Any, ...], str | None]) -> tuple[Any, ...]:
        return (*map(sort_key, item[0]), sort_key(item[1]))

    rows = []
    for group, label in sorted(groups, key=order):
        mix = groups[group, label]
        met = sum(m for m, _ in mix.values())
        n = sum(k for _, k in mix.values())
        # Each service's rate times its count, summed exactly (fsum), so the
        # result does not depend on the order services were met in.
        predicted = math.fsum(
            k * known
            for s, (_, k) in mix.items()
            if k and (known := rates[s]) is not None
        )
        rate = met / n if n else None
        expected = predicted / n if n else None
        key: dict[str, Any] = dict(zip(names, group, strict=True))
        if period is not None:
            key["period"] = label
        rows.append(
            StandardizedRow(
                key,
                n,
                met,
                rate,
                expected,
                None if rate is None or expected is None else rate - expected,
            )
        )
    return StandardizedReport(
        names,
        counts.period,
        checked,
        counts.as_of_latest,
        met_all / n_all if n_all else None,
        MappingProxyType(rates),
        tuple(rows),
    )
