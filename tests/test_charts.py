"""Charts: the elements each one draws, from hand-made outcomes and the city.

Expected positions and values come from the hand-made counts (worked out in
each test), or from the report's own rows where the chart must show exactly
what the report says.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import slacalc as sla
from slacalc import charts
from slacalc._city import city_book, city_requests
from slacalc.demo import demo_calendar
from tests.helpers import MARCH, made_outcomes, open_in_districts

UTC = dt.UTC
VERMILLION = "#d55e00"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TIMES = "\N{MULTIPLICATION SIGN}"


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Each test's figures are closed after it (pyplot keeps them otherwise)."""
    yield
    plt.close("all")


def outcomes(
    status: sla.Status,
    count: int,
    received: dt.datetime = MARCH,
    policy: sla.Policy | None = None,
    **attributes: Any,
) -> list[sla.Outcome]:
    """``count`` outcomes of one status, received at ``received``."""
    return made_outcomes(status, count, received=received, policy=policy, **attributes)


def districts() -> list[sla.Outcome]:
    """Four districts: 40/40, 36/40, 20/40 met, and 5 of 5 (too few)."""
    found: list[sla.Outcome] = []
    for district, met, missed in (("1", 40, 0), ("2", 36, 4), ("3", 20, 20)):
        found += outcomes(sla.Status.MET, met, district=district)
        found += outcomes(sla.Status.MISSED, missed, district=district)
    found += outcomes(sla.Status.MET, 5, district="4")
    return found


def ys(line: Line2D) -> list[float]:
    """A line's y values."""
    return [float(y) for y in np.asarray(line.get_ydata(), dtype=float)]


def xs(line: Line2D) -> list[float]:
    """A line's x values."""
    return [float(x) for x in np.asarray(line.get_xdata(), dtype=float)]


def bars(ax: Axes) -> list[Rectangle]:
    """The bars of a workload chart."""
    return [patch for patch in ax.patches if isinstance(patch, Rectangle)]


def figure_of(ax: Axes) -> Figure:
    """The figure an axes is drawn in."""
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    return figure


def goal_lines(ax: Axes, gid: str = "goal") -> list[Line2D]:
    """The lines drawn with this gid."""
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def error_bars(ax: Axes) -> list[ErrorbarContainer]:
    """The error bar containers of a compliance chart, one per point."""
    return [c for c in ax.containers if isinstance(c, ErrorbarContainer)]


def interval(container: ErrorbarContainer) -> tuple[float, float, float]:
    """The x of an error bar and the low and high ends of its bar."""
    (bar,) = container.lines[2]
    assert isinstance(bar, LineCollection)
    (segment,) = bar.get_segments()
    (x0, low), (x1, high) = segment
    assert x0 == x1
    return float(x0), float(low), float(high)


def tick_labels(ax: Axes) -> list[str]:
    """The x tick labels' text."""
    return [label.get_text() for label in ax.get_xticklabels()]


def legend_texts(ax: Axes) -> list[str]:
    """The legend entries' text."""
    legend = ax.get_legend()
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]


@pytest.fixture(scope="module")
def city() -> list[sla.Outcome]:
    """The synthetic city's 2026 outcomes, judged on 2026-12-31 17:00."""
    calendar = demo_calendar()
    requests, as_of = city_requests(calendar)
    return list(city_book(calendar).evaluate(requests, as_of=as_of))


# Compliance by group.


def test_compliance_labels_and_title() -> None:
    """The axes name the method and the groups; the title the as-of instant."""
    report = sla.compliance(districts(), by="district", goal=0.9)
    ax = charts.plot_compliance(report)
    assert ax.get_ylabel() == "compliance (decided)"
    assert ax.get_xlabel() == "district"
    assert ax.get_title() == (
        "Compliance by district\n"
        "method decided, as of 2026-06-01 12:00+00:00, 95% Wilson intervals"
    )


def test_compliance_method_in_the_labels() -> None:
    """Another method is named in the y label and the title."""
    report = sla.compliance(districts(), by="district", method="closed")
    ax = charts.plot_compliance(report)
    assert ax.get_ylabel() == "compliance (closed)"
    assert "method closed" in ax.get_title()


def test_compliance_one_point_per_group() -> None:
    """Four districts give four points at x 0-3, labelled with the district."""
    ax = charts.plot_compliance(sla.compliance(districts(), by="district", goal=0.9))
    bars = error_bars(ax)
    assert len(bars) == 4
    assert [interval(c)[0] for c in bars] == [0, 1, 2, 3]
    assert tick_labels(ax) == ["1", "2", "3", "4"]


def test_compliance_points_at_the_rates() -> None:
    """The points stand at 40/40, 36/40, 20/40 and 5/5."""
    ax = charts.plot_compliance(sla.compliance(districts(), by="district", goal=0.9))
    rates = [ys(c.lines[0]) for c in error_bars(ax)]
    assert rates == [[1.0], [0.9], [0.5], [1.0]]


def test_compliance_error_bars_are_the_wilson_intervals() -> None:
    """Each error bar runs from the row's ci_low to its ci_high."""
    report = sla.compliance(districts(), by="district", goal=0.9)
    ax = charts.plot_compliance(report)
    for container, row in zip(error_bars(ax), report.rows, strict=True):
        _, low, high = interval(container)
        assert low == pytest.approx(row.ci_low)
        assert high == pytest.approx(row.ci_high)
    # 20 of 40: the Wilson interval at z = 1.96 is 0.352-0.648.
    _, low, high = interval(error_bars(ax)[2])
    assert (round(low, 3), round(high, 3)) == (0.352, 0.648)


def test_compliance_one_goal_line_across() -> None:
    """A goal given for every group is one dashed line at it, named in the legend."""
    ax = charts.plot_compliance(sla.compliance(districts(), by="district", goal=0.9))
    (line,) = goal_lines(ax)
    assert ys(line) == [0.9, 0.9]
    assert line.get_linestyle() == "--"
    assert "goal 90%" in legend_texts(ax)


def test_compliance_goal_per_group() -> None:
    """Groups under policies of different goals get a goal line each, over them."""
    calendar = sla.BusinessCalendar.always("UTC")
    strict = sla.Policy("strict", "24 hours", goal=0.95, calendar=calendar)
    loose = sla.Policy("loose", "24 hours", goal=0.8, calendar=calendar)
    found = outcomes(sla.Status.MET, 30, policy=strict, district="1")
    found += outcomes(sla.Status.MET, 30, policy=loose, district="2")
    ax = charts.plot_compliance(sla.compliance(found, by="district"))
    lines = goal_lines(ax)
    assert [ys(line) for line in lines] == [[0.95, 0.95], [0.8, 0.8]]
    assert [xs(line) for line in lines] == [[-0.4, 0.4], [0.6, 1.4]]
    assert legend_texts(ax).count("goal") == 1


def test_compliance_city_goals_by_department(city: list[sla.Outcome]) -> None:
    """In the city, each department's goal line is at its row's goal."""
    report = sla.compliance(city, by="department")
    ax = charts.plot_compliance(report)
    lines = goal_lines(ax)
    assert len(lines) == len(report.rows) == 6
    for line, row in zip(lines, report.rows, strict=True):
        assert ys(line) == [row.goal, row.goal]
    assert {row.goal for row in report.rows} == {0.8, 0.85, 0.9, 0.95}


def test_compliance_total_reference_line() -> None:
    """All requests together are a dotted line at 101 of 125 met."""
    report = sla.compliance(districts(), by="district", goal=0.9)
    ax = charts.plot_compliance(report)
    (line,) = goal_lines(ax, "total")
    assert ys(line) == [101 / 125, 101 / 125]
    assert "all requests 80.8%" in legend_texts(ax)


def test_compliance_verdicts_coloured_and_named() -> None:
    """District 3 is vermillion, district 4 grey; each verdict is in the legend."""
    ax = charts.plot_compliance(sla.compliance(districts(), by="district", goal=0.9))
    colours = [to_hex(c.lines[0].get_color()) for c in error_bars(ax)]
    assert colours == ["#009e73", "#009e73", VERMILLION, "#999999"]
    texts = legend_texts(ax)
    assert texts[-3:] == ["meets", "significantly below", "too few (under 30)"]


def test_compliance_without_groups() -> None:
    """An ungrouped report is one point, labelled all requests, with no total line."""
    ax = charts.plot_compliance(sla.compliance(districts(), goal=0.9))
    assert len(error_bars(ax)) == 1
    assert tick_labels(ax) == ["all requests"]
    assert goal_lines(ax, "total") == []
    assert ax.get_title().startswith("Compliance\n")


def test_compliance_group_without_rate_keeps_its_place() -> None:
    """A group of exempt requests only has a tick but no point."""
    found = districts() + outcomes(sla.Status.EXEMPT, 3, district="5")
    ax = charts.plot_compliance(sla.compliance(found, by="district", goal=0.9))
    assert len(error_bars(ax)) == 4
    assert tick_labels(ax) == ["1", "2", "3", "4", "5"]


def test_compliance_draws_on_given_axes() -> None:
    """Given axes are drawn on and returned; the title can be replaced."""
    _, given = plt.subplots()
    report = sla.compliance(districts(), by="district")
    ax = charts.plot_compliance(report, given, title="Districts")
    assert ax is given
    assert ax.get_title() == "Districts"


# Workload.


def workload_outcomes() -> list[sla.Outcome]:
    """Requests by district: 1 has 50, 2 has 30, 3 has 20 (an even third is 33.3)."""
    return open_in_districts({"1": 50, "2": 30, "3": 20})


def test_workload_labels_and_title() -> None:
    """The axes say shares by district; the title the as-of instant and requests."""
    ax = charts.plot_workload(sla.workload(workload_outcomes(), by="district"))
    assert ax.get_ylabel() == "share of requests"
    assert ax.get_xlabel() == "district"
    title = ax.get_title()
    assert title.startswith("Workload by district\n")
    assert "as of 2026-06-01 12:00+00:00, 100 requests" in title
    assert "even split over the groups" in title


def test_workload_one_bar_per_group_at_its_share() -> None:
    """Three bars, 50%, 30% and 20% high, labelled with the districts."""
    ax = charts.plot_workload(sla.workload(workload_outcomes(), by="district"))
    assert [bar.get_height() for bar in bars(ax)] == [0.5, 0.3, 0.2]
    assert tick_labels(ax) == ["1", "2", "3"]


def test_workload_even_split_line() -> None:
    """The even split is one line at a third; the flag threshold at 1.25 thirds."""
    ax = charts.plot_workload(sla.workload(workload_outcomes(), by="district"))
    (even,) = goal_lines(ax, "even split")
    assert ys(even) == pytest.approx([1 / 3, 1 / 3])
    (threshold,) = goal_lines(ax, "flag threshold")
    assert ys(threshold) == pytest.approx([1.25 / 3, 1.25 / 3])


def test_workload_flagged_group_highlighted() -> None:
    """District 1 (1.5 times a third) is vermillion and hatched, the others not."""
    ax = charts.plot_workload(sla.workload(workload_outcomes(), by="district"))
    colours = [to_hex(bar.get_facecolor()) for bar in ax.patches]
    assert colours == [VERMILLION, "#56b4e9", "#56b4e9"]
    assert [bar.get_hatch() for bar in ax.patches] == ["//", None, None]
    assert [bar.get_gid() for bar in ax.patches] == ["flagged", "share", "share"]
    assert f"flagged: 1.25{TIMES} even split or more" in legend_texts(ax)


def test_workload_ratios_labelled() -> None:
    """Each bar carries its share and its ratio to an even split."""
    ax = charts.plot_workload(sla.workload(workload_outcomes(), by="district"))
    texts = [text.get_text() for text in ax.texts]
    ratios = [f"{ratio}{TIMES}" for ratio in ("1.50", "0.90", "0.60")]
    assert texts == ["50.0%", "30.0%", "20.0%", *ratios]


def test_workload_even_split_by_staff() -> None:
    """With staff 2, 1, 1 the even shares are a half, a quarter and a quarter."""
    report = sla.workload(
        workload_outcomes(), by="district", staff={"1": 2, "2": 1, "3": 1}
    )
    ax = charts.plot_workload(report)
    lines = goal_lines(ax, "even split")
    assert [ys(line) for line in lines] == [
        [0.5, 0.5],
        [0.25, 0.25],
        [0.25, 0.25],
    ]
    assert "even split by staff (4 in all)" in ax.get_title()
    # 30 requests against 25 is 1.2 times: under the 1.25 flag.
    assert [bar.get_gid() for bar in ax.patches] == ["share", "share", "share"]


# Trend by period.


def trend_outcomes() -> list[sla.Outcome]:
    """Districts 1 and 2 in January-March: 1 meets 36/40 a month, 2 only 20/40."""
    found: list[sla.Outcome] = []
    for month in (1, 2, 3):
        received = dt.datetime(2026, month, 5, 10, tzinfo=UTC)
        for district, met in (("1", 36), ("2", 20)):
            found += outcomes(sla.Status.MET, met, received, district=district)
            found += outcomes(sla.Status.MISSED, 40 - met, received, district=district)
    return found


def test_trend_labels_and_periods() -> None:
    """The x ticks are the periods; the axes and title name period and method."""
    report = sla.compliance(trend_outcomes(), period="month", goal=0.9)
    ax = charts.plot_trend(report)
    assert tick_labels(ax) == ["2026-01", "2026-02", "2026-03"]
    assert ax.get_xlabel() == "month"
    assert ax.get_ylabel() == "compliance (decided)"
    assert ax.get_title() == (
        "Compliance by month\n"
        "method decided, as of 2026-06-01 12:00+00:00, 95% Wilson intervals"
    )


def test_trend_line_band_and_goal() -> None:
    """One line at 56 of 80 a month, its interval as a band, the goal at 90%."""
    report = sla.compliance(trend_outcomes(), period="month", goal=0.9)
    ax = charts.plot_trend(report)
    (line,) = [line for line in ax.get_lines() if line.get_label() == "all requests"]
    assert ys(line) == [0.7, 0.7, 0.7]
    (band,) = [c for c in ax.collections if c.get_gid() == "interval"]
    heights = np.asarray(band.get_paths()[0].vertices)[:, 1]
    row = report.rows[0]
    assert min(heights) == pytest.approx(row.ci_low)
    assert max(heights) == pytest.approx(row.ci_high)
    (goal,) = goal_lines(ax)
    assert ys(goal) == [0.9, 0.9]
    assert "goal 90%" in legend_texts(ax)


def test_trend_one_line_per_group() -> None:
    """Grouped by district too, a line per district; district 2's months ringed."""
    report = sla.compliance(trend_outcomes(), by="district", period="month", goal=0.9)
    ax = charts.plot_trend(report)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert ys(lines["1"]) == [0.9, 0.9, 0.9]
    assert ys(lines["2"]) == [0.5, 0.5, 0.5]
    texts = ["1", "2", "95% interval", "goal 90%", "significantly below"]
    assert legend_texts(ax) == texts
    assert "for each district" in ax.get_title()
    (ringed,) = [c for c in ax.collections if c.get_gid() == "significantly below"]
    assert np.asarray(ringed.get_offsets()).tolist() == [[0, 0.5], [1, 0.5], [2, 0.5]]


def test_trend_goal_per_group_when_goals_differ(city: list[sla.Outcome]) -> None:
    """In the city, goals mix by district and month: a goal line for each district."""
    report = sla.compliance(city, by="district", period="month")
    ax = charts.plot_trend(report)
    lines = goal_lines(ax)
    assert len(lines) == 4
    goals = [row.goal for row in report.rows if row.key["district"] == "3"]
    assert ys(lines[2]) == goals
    assert tick_labels(ax) == [f"2026-{month:02d}" for month in range(1, 13)]


def test_trend_gap_where_a_group_has_no_period() -> None:
    """A group missing a month has no value there (the line breaks)."""
    found = trend_outcomes()
    found += outcomes(
        sla.Status.MET, 3, dt.datetime(2026, 1, 9, tzinfo=UTC), district="3"
    )
    report = sla.compliance(found, by="district", period="month")
    ax = charts.plot_trend(report)
    (line,) = [line for line in ax.get_lines() if line.get_label() == "3"]
    heights = ys(line)
    assert heights[0] == 1.0
    assert heights[1] != heights[1]  # NaN
    assert heights[2] != heights[2]


def test_trend_of_a_trend_report() -> None:
    """A TrendReport draws the same lines as the report it comes from."""
    report = sla.compliance(trend_outcomes(), by="district", period="month")
    ax = charts.plot_trend(report.trend())
    assert tick_labels(ax) == ["2026-01", "2026-02", "2026-03"]
    lines = {line.get_label(): ys(line) for line in ax.get_lines()}
    assert lines["2"] == [0.5, 0.5, 0.5]


def test_trend_many_periods_labels_every_kth() -> None:
    """30 days are labelled every other day, first day first."""
    found: list[sla.Outcome] = []
    for day in range(1, 31):
        received = dt.datetime(2026, 4, day, 10, tzinfo=UTC)
        found += outcomes(sla.Status.MET, 1, received)
    ax = charts.plot_trend(sla.compliance(found, period="day"))
    labels = tick_labels(ax)
    assert len(labels) == 15
    assert labels[:2] == ["2026-04-01", "2026-04-03"]


def test_trend_needs_a_period() -> None:
    """A report not grouped by period is refused, with how to make one."""
    with pytest.raises(ValueError, match="period='month'"):
        charts.plot_trend(sla.compliance(trend_outcomes(), by="district"))


# report.plot() and the rule it follows.


def test_report_plot_by_group() -> None:
    """A report without a period plots compliance by group."""
    ax = sla.compliance(districts(), by="district", goal=0.9).plot()
    assert len(error_bars(ax)) == 4
    assert ax.get_xlabel() == "district"


def test_report_plot_with_period_is_a_trend() -> None:
    """A report grouped by period plots as a trend, titled as asked."""
    report = sla.compliance(trend_outcomes(), by="district", period="month")
    ax = report.plot(title="By month")
    assert tick_labels(ax) == ["2026-01", "2026-02", "2026-03"]
    assert error_bars(ax) == []
    assert ax.get_title() == "By month"


def test_workload_report_plot() -> None:
    """A workload report plots its shares, on given axes."""
    _, given = plt.subplots()
    ax = sla.workload(workload_outcomes(), by="district").plot(given)
    assert ax is given
    assert len(ax.patches) == 3


def test_empty_reports_draw_empty_axes() -> None:
    """Reports of no outcomes draw titled axes with no point, bar or line."""
    for ax in (
        sla.compliance([], by="district").plot(),
        sla.compliance([], period="month").plot(),
        sla.workload([], by="district").plot(),
    ):
        assert ax.get_title()
        assert tick_labels(ax) == []
        assert error_bars(ax) == []
        assert bars(ax) == []
        assert ax.get_legend() is None


# Files, and matplotlib as an optional dependency.

CHARTS: dict[str, Callable[[list[sla.Outcome]], Axes]] = {
    "compliance": lambda city: sla.compliance(city, by="district").plot(),
    "workload": lambda city: sla.workload(city, by="district").plot(),
    "trend": lambda city: sla.compliance(city, period="month").plot(),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_saves_as_png(name: str, city: list[sla.Outcome], tmp_path: Path) -> None:
    """Each chart of the city saves as a PNG of some size, not a blank one."""
    path = tmp_path / f"{name}.png"
    figure_of(CHARTS[name](city)).savefig(path, dpi=100)
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert 10_000 < len(data) < 200_000


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib a chart raises an ImportError naming the extra."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    report = sla.compliance(districts(), by="district")
    with pytest.raises(ImportError, match=r"pip install 'slacalc\[charts\]'"):
        report.plot()
    with pytest.raises(ImportError, match="charts need matplotlib"):
        charts.plot_workload(sla.workload(districts(), by="district"))


def test_import_does_not_load_matplotlib() -> None:
    """``import slacalc`` and ``import slacalc.charts`` leave matplotlib unloaded."""
    code = (
        "import sys, slacalc, slacalc.charts; "
        "print(sorted({'matplotlib', 'numpy', 'pandas'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
