"""The furniture every chart of :mod:`slacalc.charts` shares.

The palette, a new figure's axes, a percentage axis, group and tick labels,
level lines (goals, thresholds), axis limits and the legend. matplotlib is
imported inside the functions that draw, never when this module loads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from slacalc import _render

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from slacalc.compliance import ComplianceReport
    from slacalc.trend import TrendReport

__all__ = [
    "BAR",
    "FLAGGED",
    "GOAL",
    "LINES",
    "TIMES",
    "TOTAL",
    "VERDICT_COLOURS",
    "axes_or_new",
    "group_label",
    "legend",
    "level_lines",
    "limits",
    "percent_axis",
    "require_matplotlib",
    "subtitle",
    "tick_labels",
    "words",
]

_MISSING = "charts need matplotlib: pip install 'slacalc[charts]'"

# Okabe-Ito: bluish green, orange, vermillion, grey, blue, black.
VERDICT_COLOURS = {
    "meets": "#009E73",
    "below": "#E69F00",
    "significantly below": "#D55E00",
    "too few": "#999999",
    "no goal": "#0072B2",
}
TIMES = "\N{MULTIPLICATION SIGN}"
BAR = "#56B4E9"
FLAGGED = "#D55E00"
GOAL = "#000000"
TOTAL = "#666666"
# Line colours of a trend, one a group.
LINES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
# More periods than this and only every k-th is labelled on the x axis.
_MOST_PERIOD_LABELS = 24


def require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise ImportError(_MISSING, name="matplotlib") from error


def axes_or_new(ax: Axes | None, width: float, height: float) -> Axes:
    """``ax``, or the axes of a new pyplot figure of this size in inches.

    The width is kept between 7 and 11 inches, room for the legend on the
    right included.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    size = (min(max(width, 7.0), 11.0), height)
    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def percent_axis(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    # Steps of whole percentage points, so that labels without decimals are exact.
    ax.yaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)


def group_label(key: Mapping[str, Any]) -> str:
    if not key:
        return "all requests"
    parts = [_render.fmt_value(value) for value in key.values()]
    if "period" in key and key["period"] is None:
        parts[-1] = "(no receipt)"
    return ", ".join(parts)


def words(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join(", ".join(names).rsplit(", ", 1))


def tick_labels(ax: Axes, labels: Sequence[str]) -> None:
    """Label positions 0, 1, ...; slanted when they would not fit side by side."""
    step = math.ceil(len(labels) / _MOST_PERIOD_LABELS) if labels else 1
    positions = range(0, len(labels), step)
    ax.set_xticks(list(positions), [labels[i] for i in positions])
    if sum(len(label) for label in labels[::step]) > 48:
        for text in ax.get_xticklabels():
            text.set(rotation=35, ha="right", rotation_mode="anchor")


def level_lines(
    ax: Axes,
    levels: Sequence[float | None],
    name: str,
    style: Mapping[str, Any],
) -> None:
    """One level across the axes when every group shares it, else one per group.

    Every line carries ``gid=name``; the legend names the first one.
    """
    known = [level for level in levels if level is not None]
    if not known:
        return
    if len(set(known)) == 1 and len(known) == len(levels):
        label = f"{name} {_render.fmt_goal(known[0])}"
        ax.axhline(known[0], label=label, gid=name, **style)
        return
    label = name
    for i, level in enumerate(levels):
        if level is not None:
            ax.plot([i - 0.4, i + 0.4], [level, level], label=label, gid=name, **style)
            label = f"_{name}"


def limits(ax: Axes, values: Sequence[float | None], floor: float = 0.0) -> None:
    """A rate axis that shows every value with a margin, within [0, 1]."""
    known = [value for value in values if value is not None]
    if not known:
        ax.set_ylim(0.0, 1.0)
        return
    low, high = min(known), max(known)
    margin = max(0.1 * (high - low), 0.02)
    ax.set_ylim(max(floor, low - margin), min(1.0, high + margin) + 0.005)


def legend(ax: Axes, handles: Sequence[Any], title: str = "") -> None:
    """The legend right of the axes, when there is anything to name."""
    if handles:
        ax.legend(
            handles=handles,
            title=title or None,
            title_fontsize=8,
            alignment="left",
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=8,
            frameon=False,
        )


def subtitle(report: ComplianceReport | TrendReport) -> str:
    return (
        f"method {report.method}, as of {_render.fmt_instant(report.as_of)}, "
        f"{report.confidence:.0%} Wilson intervals"
    )
