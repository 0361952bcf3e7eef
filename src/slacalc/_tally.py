"""Tallies of outcomes by group: the one pass that counts them, and the sums.

A tally is what :class:`~slacalc.counts.ComplianceCounts` holds: per group
the number of outcomes of each status, and a histogram of shares of target
used. :func:`tally` makes one from outcomes; :func:`add_counts` and
:func:`add_histograms` add tallies together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from slacalc._periods import LABELS
from slacalc._stats import share_bins
from slacalc.outcomes import Outcome, Status

if TYPE_CHECKING:
    from slacalc.counts import CellKey, GroupKey, Histogram, Period, StatusCounts

__all__ = ["SPECIAL_NAMES", "add_counts", "add_histograms", "tally"]

#: Names in ``by`` that read the outcome itself, not its attributes.
SPECIAL_NAMES = ("service", "policy")

_STATUSES = tuple(Status)
_STATUS_INDEX = {status.value: i for i, status in enumerate(_STATUSES)}


def _value_of(name: str) -> Callable[[Outcome], Any]:
    if name == "service":
        return lambda o: o.service
    if name == "policy":
        return lambda o: o.policy_name
    return lambda o: o.attributes.get(name)


def add_counts(
    cells: dict[CellKey, StatusCounts], more: Iterable[tuple[CellKey, StatusCounts]]
) -> None:
    for key, counts in more:
        seen = cells.get(key)
        cells[key] = (
            counts
            if seen is None
            else tuple([a + b for a, b in zip(seen, counts, strict=True)])
        )


def add_histograms(
    shares: dict[GroupKey, Histogram], more: Iterable[tuple[GroupKey, Histogram]]
) -> None:
    for key, bins in more:
        seen = shares.get(key)
        if seen is None:
            shares[key] = bins
        else:
            total = Counter(seen)
            total.update(bins)
            shares[key] = dict(total)


def _value_readers(
    by: tuple[str, ...],
) -> tuple[Callable[[Outcome], Any], Callable[[Mapping[str, Any]], Any] | None]:
    """How to read a group's values: from the outcome (any names), and, when
    every name is an attribute, from its attributes in one ``itemgetter``
    call. Both give a bare value for a single name and a tuple otherwise.
    """
    getters = [_value_of(name) for name in by]
    if len(getters) == 1:
        values_of = getters[0]
    else:

        def values_of(o: Outcome) -> Any:
            return tuple([get(o) for get in getters])

    plain = bool(by) and not any(name in SPECIAL_NAMES for name in by)
    return values_of, itemgetter(*by) if plain else None


def _no_label(day: dt.date) -> None:
    return None


_UNSEEN = object()


def tally(
    outcomes: Iterable[Outcome], by: tuple[str, ...], period: Period | None
) -> tuple[
    dict[CellKey, StatusCounts],
    dict[GroupKey, Histogram],
    dt.datetime | None,
    dt.datetime | None,
]:
    """The inner loop: one pass over the outcomes, a few dictionary lookups each.

    Attribute values are read with one ``itemgetter`` call when every name
    is an attribute that the outcome has; otherwise name by name. Period
    labels are cached by date. Shares are collected as they come and binned
    once per group at the end.
    """
    values_of, pick = _value_readers(by)
    label = LABELS[period] if period is not None else _no_label
    labels: dict[int, Any] = {}
    index = _STATUS_INDEX
    groups: dict[tuple[Any, str | None, float | None], list[Any]] = {}
    find = groups.get
    earliest: dt.datetime | None = None
    latest: dt.datetime | None = None
    last_as_of: dt.datetime | None = None
    values: Any = None

    try:
        for o in outcomes:
            if pick is None:
                values = values_of(o)
            else:
                try:
                    values = pick(o.attributes)
                except KeyError:
                    values = values_of(o)

            received = o.received
            if received is None:
                p = None
            else:
                # The date of receipt in the receipt's own zone: its wall date.
                day = received.toordinal()
                p = labels.get(day, _UNSEEN)
                if p is _UNSEEN:
                    p = labels[day] = label(received.date())

            policy = o.policy
            key = (values, p, None if policy is None else policy.goal)
            group = find(key)
            if group is None:
                group = groups[key] = [0, 0, 0, 0, 0, 0, 0, []]
            group[index[o.status._value_]] += 1
            share = o.share
            if share is not None:
                group[7].append(share)

            as_of = o.as_of
            if as_of is not last_as_of:
                last_as_of = as_of
                if earliest is None or as_of < earliest:
                    earliest = as_of
                if latest is None or as_of > latest:
                    latest = as_of
    except TypeError:
        try:
            hash(values)
        except TypeError:
            raise TypeError(f"by values must be hashable, got {values!r}") from None
        raise

    single = len(by) == 1
    cells: dict[CellKey, StatusCounts] = {}
    raw: dict[GroupKey, list[float]] = {}
    for (values, p, goal), group in groups.items():
        row_values = (values,) if single else values
        cells[(row_values, p, goal)] = tuple(group[:7])
        if group[7]:
            raw.setdefault((row_values, p), []).extend(group[7])
    shares: dict[GroupKey, Histogram] = {
        key: dict(share_bins(found)) for key, found in raw.items()
    }
    return cells, shares, earliest, latest
