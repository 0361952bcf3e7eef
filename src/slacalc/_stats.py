"""Small statistics for compliance reports: Wilson intervals and percentiles.

Everything here is computed from integers (counts, histogram bins), so the
same counts always give the same floats, whichever order they were added up
in: that is what lets partial counts merge exactly.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import accumulate, repeat
from operator import mul
from statistics import NormalDist

__all__ = [
    "SHARE_BINS",
    "certainty_below",
    "percentiles",
    "share_bins",
    "wilson",
    "z_value",
]

#: Shares of target used are counted in bins of 1 / SHARE_BINS of the target:
#: a share is rounded to the nearest 0.01 (a hundredth of the target) before it
#: is counted, so percentiles are within 0.005 of the exact ones.
SHARE_BINS = 100

_STANDARD_NORMAL = NormalDist()


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile for a confidence level.

    Examples:
        >>> round(z_value(0.95), 4)
        1.96
    """
    return _STANDARD_NORMAL.inv_cdf((1 + confidence) / 2)


def wilson(successes: int, n: int, z: float) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` out of ``n`` trials.

    The bounds are those of Wilson (1927), as written by Newcombe (1998,
    method 3): ``(2k + z² ± z·sqrt(z² + 4k(n-k)/n)) / (2(n + z²))``.
    No successes give a lower bound of exactly 0, all successes an upper
    bound of exactly 1.

    Examples:
        >>> low, high = wilson(8, 10, 1.96)
        >>> round(low, 4), round(high, 4)
        (0.4902, 0.9433)
    """
    z2 = z * z
    centre = 2 * successes + z2
    spread = z * math.sqrt(z2 + 4 * successes * (n - successes) / n)
    scale = 2 * (n + z2)
    low = 0.0 if successes == 0 else (centre - spread) / scale
    high = 1.0 if successes == n else (centre + spread) / scale
    return low, high


def certainty_below(successes: int, n: int, goal: float) -> float:
    """How sure it is that the true rate is under ``goal``.

    The largest two-sided confidence level at which the Wilson interval of
    ``successes / n`` lies wholly under ``goal``: ``2·Φ(s) - 1`` with ``s``
    the score statistic ``(goal - p) / sqrt(goal·(1 - goal) / n)``, the very
    test the Wilson interval inverts. Zero when the rate is at or above the
    goal; 1 when the goal is 1 and a request missed it.

    Examples:
        >>> round(certainty_below(8, 10, 0.9), 3)
        0.708
    """
    rate = successes / n
    if rate >= goal:
        return 0.0
    if goal >= 1:
        return 1.0
    score = (goal - rate) / math.sqrt(goal * (1 - goal) / n)
    return 2 * _STANDARD_NORMAL.cdf(score) - 1


def share_bins(shares: Iterable[float]) -> Counter[int]:
    """Count shares of target used in bins of ``1 / SHARE_BINS``.

    A share that is not a finite number is left out.

    Examples:
        >>> sorted(share_bins([0.25, 0.2504, 1.5, float("nan")]).items())
        [(25, 2), (150, 1)]
    """
    values = list(shares)
    try:
        # Loops in C: scale, round to the nearest bin (half to even), count.
        return Counter(map(round, map(mul, values, repeat(float(SHARE_BINS)))))
    except (ValueError, OverflowError):
        return Counter([round(s * SHARE_BINS) for s in values if math.isfinite(s)])


def percentiles(bins: Mapping[int, int], *percents: int) -> list[float | None]:
    """Nearest-rank percentiles of binned shares, one per ``percent``.

    The ``p``-th percentile is the smallest binned value with at least
    ``p``% of the values at or below it (the "inverted CDF" definition: for
    an even number of values the median is the lower of the two middle
    ones). ``None`` when there are no values.

    Examples:
        >>> percentiles({10: 1, 20: 1, 30: 1, 40: 1}, 50)
        [0.2]
        >>> percentiles({10: 9, 250: 1}, 50, 90, 91)
        [0.1, 0.1, 2.5]
    """
    values = sorted(bins)
    # Running totals and a bisection per percentile: C loops, no Python one.
    running = list(accumulate(map(bins.__getitem__, values)))
    count = running[-1] if running else 0
    if count == 0:
        return [None] * len(percents)
    # The rank of each percentile: ceil(p * count / 100), in integers.
    ranks = [max(1, -(-p * count // 100)) for p in percents]
    return [values[bisect_left(running, rank)] / SHARE_BINS for rank in ranks]
