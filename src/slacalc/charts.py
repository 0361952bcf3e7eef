"""Charts of reports: compliance by group, workload shares, trends by period.

matplotlib is an optional dependency, ``pip install 'slacalc[charts]'``. It is
imported when a chart is drawn, never by ``import slacalc``. Each function
draws on the axes it is given, or on a new figure (through pyplot, so that a
notebook shows it), and returns the axes.

Colours are the Okabe-Ito palette, readable with the common colour-vision
deficiencies; a verdict or a flag is also named in the legend, never shown by
colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from slacalc import _render
from slacalc._chart_axes import (
    BAR,
    FLAGGED,
    GOAL,
    LINES,
    TIMES,
    TOTAL,
    VERDICT_COLOURS,
    axes_or_new,
    group_label,
    legend,
    level_lines,
    limits,
    percent_axis,
    require_matplotlib,
    subtitle,
    tick_labels,
    words,
)
from slacalc.compliance import ComplianceReport
from slacalc.trend import TrendReport, TrendRow, trend_of_report
from slacalc.workload import WorkloadReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot", "plot_compliance", "plot_trend", "plot_workload"]


def plot_compliance(
    report: ComplianceReport, ax: Axes | None = None, *, title: str | None = None
) -> Axes:
    """Compliance by group: each rate with its interval, against its goal.

    One point per group at its rate, with the Wilson interval as an error
    bar, coloured by verdict (named in the legend). The goal is a dashed line
    across the chart when every group has the same one, else a short line
    over each group (goals differ where groups mix policies). The rate of all
    requests together is a dotted reference line. A group with no rate (no
    request counted) keeps its place on the axis without a point.

    Args:
        report: a compliance report; a group is every combination of its
            keys, period included.
        ax: the axes to draw on; a new figure when ``None``.
        title: the title; by default it names the groups, the method, the
            as-of instant and the confidence.

    Returns:
        The axes drawn on.

    Raises:
        ImportError: matplotlib is not installed.

    Examples:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> from slacalc.charts import plot_compliance
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcomes = [
        ...     sla.Outcome(id=str(i), as_of=t, attributes={"district": d},
        ...                 status=sla.Status.MET if i % 4 else sla.Status.MISSED)
        ...     for i, d in enumerate("1212121")]
        >>> ax = plot_compliance(sla.compliance(outcomes, by="district", goal=0.9))
        >>> ax.get_ylabel(), [t.get_text() for t in ax.get_xticklabels()]
        ('compliance (decided)', ['1', '2'])
        >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    require_matplotlib()
    from matplotlib.ticker import NullLocator

    rows = report.rows
    ax = axes_or_new(ax, 2.5 + 0.8 * len(rows), 4.8)
    percent_axis(ax)
    grouped = bool(report.by or report.period)

    named: set[str] = set()
    for i, row in enumerate(rows):
        if row.rate is None:
            continue
        assert row.ci_low is not None
        assert row.ci_high is not None
        verdict = row.verdict or "no goal"
        if verdict == "too few":
            label = f"too few (under {report.min_count})"
        else:
            label = verdict
        colour = VERDICT_COLOURS[verdict]
        ax.errorbar(
            [i],
            [row.rate],
            yerr=[[row.rate - row.ci_low], [row.ci_high - row.rate]],
            fmt="o",
            color=colour,
            markersize=7,
            elinewidth=2,
            capsize=5,
            label=label if label not in named else f"_{label}",
            zorder=3,
        )
        named.add(label)
        ax.annotate(
            _render.fmt_percent(row.rate),
            (i, row.rate),
            xytext=(9, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )

    goal_style = {"color": GOAL, "linestyle": "--", "linewidth": 1.3, "zorder": 2}
    level_lines(ax, [row.goal for row in rows], "goal", goal_style)
    total = report.total.rate
    if grouped and total is not None:
        ax.axhline(
            total,
            color=TOTAL,
            linestyle=":",
            linewidth=1.3,
            label=f"all requests {_render.fmt_percent(total)}",
            gid="total",
            zorder=1,
        )

    ax.set_xlim(-0.6, len(rows) - 0.4)
    tick_labels(ax, [group_label(row.key) for row in rows])
    ax.xaxis.set_minor_locator(NullLocator())
    names = [*report.by, *([report.period] if report.period else [])]
    ax.set_xlabel(words(names))
    ax.set_ylabel(f"compliance ({report.method})")
    limits(
        ax,
        [
            *(row.ci_low for row in rows),
            *(row.ci_high for row in rows),
            *(row.goal for row in rows),
            total if grouped else None,
        ],
    )
    if title is None:
        heading = f"Compliance by {words(names)}" if names else "Compliance"
        title = f"{heading}\n{subtitle(report)}"
    ax.set_title(title, fontsize=11)
    legend(ax, ax.get_legend_handles_labels()[0])
    return ax


def plot_workload(
    report: WorkloadReport, ax: Axes | None = None, *, title: str | None = None
) -> Axes:
    """Workload by group: each group's share of requests against an even split.

    One bar per group at its share of all requests, labelled with the share
    and the ratio to an even split. The even split is a dashed line (one
    across the chart, or one over each group when staff counts differ), the
    flag threshold (``flag_ratio`` times it) a dotted one; flagged groups'
    bars are vermillion and hatched, and named in the legend.

    Args:
        report: a workload report.
        ax: the axes to draw on; a new figure when ``None``.
        title: the title; by default it names the groups, the as-of
            instant, the requests and how the even split is made.

    Returns:
        The axes drawn on.

    Raises:
        ImportError: matplotlib is not installed.

    Examples:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> from slacalc.charts import plot_workload
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> outcomes = [sla.Outcome(id=str(i), status=sla.Status.OPEN, as_of=t,
        ...                         attributes={"district": d})
        ...             for i, d in enumerate("1112")]
        >>> ax = plot_workload(sla.workload(outcomes, by="district"))
        >>> [float(bar.get_height()) for bar in ax.patches]
        [0.75, 0.25]
        >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    require_matplotlib()
    rows = report.rows
    ax = axes_or_new(ax, 2.5 + 0.8 * len(rows), 4.8)
    percent_axis(ax)
    shares = [row.share or 0.0 for row in rows]
    positions = list(range(len(rows)))
    bars = ax.bar(
        positions,
        shares,
        width=0.6,
        color=[FLAGGED if row.flagged else BAR for row in rows],
        zorder=2,
    )
    for bar, row in zip(bars, rows, strict=True):
        bar.set_gid("flagged" if row.flagged else "share")
        if row.flagged:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    # White boxes keep the labels readable over the hatching and the lines.
    box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "linewidth": 0}
    ax.bar_label(
        bars,
        [_render.fmt_percent(row.share) for row in rows],
        padding=3,
        fontsize=8,
        bbox=box,
        zorder=4,
    )
    ax.bar_label(
        bars,
        ["" if row.ratio is None else f"{row.ratio:.2f}{TIMES}" for row in rows],
        label_type="center",
        fontsize=8,
        bbox=box,
        zorder=4,
    )

    from matplotlib.patches import Patch

    handles: list[Any] = [Patch(color=BAR, label="requests")] if rows else []
    if any(row.flagged for row in rows):
        flagged = f"flagged: {report.flag_ratio:g}{TIMES} even split or more"
        handles.append(Patch(facecolor=FLAGGED, hatch="//", label=flagged))
    evens = [
        None
        if row.expected is None or not report.total
        else row.expected / report.total
        for row in rows
    ]
    level_lines(
        ax, evens, "even split", {"color": GOAL, "linestyle": "--", "linewidth": 1.3}
    )
    flag_style = {"color": FLAGGED, "linestyle": ":", "linewidth": 1.3}
    thresholds = [None if even is None else even * report.flag_ratio for even in evens]
    level_lines(ax, thresholds, "flag threshold", flag_style)
    lines, _ = ax.get_legend_handles_labels()
    handles += [line for line in lines if not isinstance(line, Patch)]

    ax.set_xlim(-0.6, len(rows) - 0.4)
    tick_labels(ax, [group_label(row.key) for row in rows])
    ax.set_xlabel(words(report.by))
    ax.set_ylabel("share of requests")
    top = max([*shares, *(t for t in thresholds if t is not None), 0.01])
    ax.set_ylim(0.0, top * 1.2)
    if title is None:
        split = (
            "even split over the groups"
            if report.staff_total is None
            else f"even split by staff ({report.staff_total:g} in all)"
        )
        title = (
            f"Workload by {words(report.by)}\n"
            f"as of {_render.fmt_instant(report.as_of)}, "
            f"{report.total:,} request{'' if report.total == 1 else 's'}\n"
            f"{split}; the ratio to it inside each bar"
        )
    ax.set_title(title, fontsize=11)
    legend(ax, handles)
    return ax


def _series(
    rows: Sequence[TrendRow], periods: Sequence[str], field: str
) -> list[float]:
    """A field of a group's rows at each period: NaN where there is none."""
    by_period = {row.period: getattr(row, field) for row in rows}
    found = [by_period.get(period) for period in periods]
    return [math.nan if value is None else float(value) for value in found]


def plot_trend(
    report: ComplianceReport | TrendReport,
    ax: Axes | None = None,
    *,
    title: str | None = None,
) -> Axes:
    """Compliance period by period: a line per group, its interval as a band.

    The x axis has every period of the report in time order (labelled all
    when there are at most 24, else every k-th); each group is a line with
    its Wilson interval as a shaded band, broken where a period has no
    rate. Periods ``significantly below`` the goal are ringed in
    vermillion. The goal is a dashed line: one across the chart when every
    period of every group has the same goal, else one per group, in the
    group's colour (goals move where the mix of policies does).

    Args:
        report: a compliance report grouped by period (and by attributes:
            a line for each group), or a trend report.
        ax: the axes to draw on; a new figure when ``None``.
        title: the title; by default it names the period, the groups, the
            method, the as-of instant and the confidence.

    Returns:
        The axes drawn on.

    Raises:
        ValueError: a compliance report not grouped by period.
        ImportError: matplotlib is not installed.

    Examples:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> from slacalc.charts import plot_trend
        >>> outcomes = [
        ...     sla.Outcome(id=str(i), status=sla.Status.MET, as_of=day,
        ...                 received=day)
        ...     for i, day in enumerate(dt.datetime(2026, m, 5, tzinfo=dt.UTC)
        ...                             for m in (1, 2, 2, 3))]
        >>> ax = plot_trend(sla.compliance(outcomes, period="month"))
        >>> [t.get_text() for t in ax.get_xticklabels()]
        ['2026-01', '2026-02', '2026-03']
        >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    trend = report if isinstance(report, TrendReport) else trend_of_report(report)
    require_matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    periods = sorted({row.period for row in trend.rows})
    groups: dict[tuple[Any, ...], list[TrendRow]] = {}
    for row in trend.rows:
        groups.setdefault(tuple(row.key.values()), []).append(row)
    ax = axes_or_new(ax, 3.0 + 0.45 * len(periods), 4.8)
    percent_axis(ax)
    x = list(range(len(periods)))

    goals = {row.goal for row in trend.rows}
    one_goal = len(goals) == 1 and None not in goals
    ringed = False
    for index, (values, rows) in enumerate(groups.items()):
        colour = LINES[index % len(LINES)]
        label = ", ".join(map(_render.fmt_value, values)) or "all requests"
        rates = _series(rows, periods, "rate")
        ax.fill_between(
            x,
            _series(rows, periods, "ci_low"),
            _series(rows, periods, "ci_high"),
            color=colour,
            alpha=0.18 if len(groups) == 1 else 0.1,
            linewidth=0,
            gid="interval",
        )
        ax.plot(x, rates, color=colour, marker="o", markersize=4, label=label)
        if not one_goal:
            ax.plot(
                x,
                _series(rows, periods, "goal"),
                color=GOAL if len(groups) == 1 else colour,
                linestyle="--",
                linewidth=1.1,
                gid="goal",
            )
        below = [
            (periods.index(row.period), row.rate)
            for row in rows
            if row.verdict == "significantly below" and row.rate is not None
        ]
        if below:
            ax.scatter(
                [position for position, _ in below],
                [rate for _, rate in below],
                s=90,
                facecolors="none",
                edgecolors=VERDICT_COLOURS["significantly below"],
                linewidths=1.5,
                zorder=4,
                gid="significantly below",
            )
            ringed = True

    handles, _ = ax.get_legend_handles_labels()
    if groups:
        band = LINES[0] if len(groups) == 1 else TOTAL
        interval = f"{trend.confidence:.0%} interval"
        handles.append(Patch(color=band, alpha=0.25, label=interval))
    if one_goal:
        (goal,) = goals
        assert goal is not None
        handles += ax.plot(
            [-0.5, len(periods) - 0.5],
            [goal, goal],
            color=GOAL,
            linestyle="--",
            linewidth=1.3,
            label=f"goal {_render.fmt_goal(goal)}",
            gid="goal",
        )
    elif goals - {None}:
        handles.append(Line2D([], [], color=GOAL, linestyle="--", label="goal"))
    if ringed:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=9,
                markerfacecolor="none",
                markeredgecolor=VERDICT_COLOURS["significantly below"],
                label="significantly below",
            )
        )

    ax.set_xlim(-0.5, max(len(periods), 1) - 0.5)
    tick_labels(ax, periods)
    ax.set_xlabel(trend.period)
    ax.set_ylabel(f"compliance ({trend.method})")
    limits(
        ax,
        [
            *(row.ci_low for row in trend.rows),
            *(row.ci_high for row in trend.rows),
            *(row.goal for row in trend.rows),
        ],
    )
    if title is None:
        each = f", for each {words(trend.by)}" if trend.by else ""
        title = f"Compliance by {trend.period}{each}\n{subtitle(trend)}"
    ax.set_title(title, fontsize=11)
    legend(ax, handles, words(trend.by))
    return ax


def plot(
    report: ComplianceReport | WorkloadReport | TrendReport,
    ax: Axes | None = None,
    *,
    title: str | None = None,
) -> Axes:
    """The chart of a report, as ``report.plot()`` draws it.

    A workload report draws :func:`plot_workload`; a trend report, and a
    compliance report grouped by period, :func:`plot_trend` (a line for each
    group); any other compliance report :func:`plot_compliance`. To draw a
    report grouped by period as points, call :func:`plot_compliance`.

    Args:
        report: the report.
        ax: the axes to draw on; a new figure when ``None``.
        title: the title, instead of the chart's own.

    Returns:
        The axes drawn on.

    Raises:
        ImportError: matplotlib is not installed.

    Examples:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import datetime as dt
        >>> import slacalc as sla
        >>> from slacalc.charts import plot
        >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
        >>> o = sla.Outcome(id="1", status=sla.Status.MET, as_of=t, received=t)
        >>> plot(sla.compliance([o], period="month")).get_xlabel()
        'month'
        >>> plot(sla.compliance([o])).get_ylabel()
        'compliance (decided)'
        >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if isinstance(report, WorkloadReport):
        return plot_workload(report, ax, title=title)
    if isinstance(report, TrendReport) or report.period is not None:
        return plot_trend(report, ax, title=title)
    return plot_compliance(report, ax, title=title)
