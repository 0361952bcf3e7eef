"""Draw the charts of ``docs/charts.md`` and ``docs/boston.md``.

Run it from the repository (``python docs/make_images.py``) after a change to
the charts; it writes the PNGs into ``docs/images/``. Needs matplotlib
(``pip install -e '.[charts]'``). The charts of the synthetic city are always
drawn; Boston's need the real exports in ``../shared/data/`` and are left
alone, with a note, when that folder is absent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

IMAGES = Path(__file__).resolve().parent / "images"
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
BOSTON_2015 = DATA / "boston_311_2015.csv.gz"


def main() -> None:
    """Save the charts of both pages."""
    import matplotlib

    matplotlib.use("Agg")
    save(city_charts())
    if BOSTON_2015.is_file():
        save(boston_charts())
    else:
        print(f"Boston charts not drawn: {BOSTON_2015} not found")


def city_charts() -> dict[str, Any]:
    """Evaluate the synthetic city and draw one chart of each kind."""
    import slacalc as sla
    from slacalc._city import city_book, city_requests
    from slacalc.demo import demo_calendar

    calendar = demo_calendar()
    requests, as_of = city_requests(calendar)
    outcomes = list(city_book(calendar).evaluate(requests, as_of=as_of))

    return {
        "compliance-by-district": sla.compliance(outcomes, by="district").plot(),
        "workload-by-district": sla.workload(
            outcomes, by="district", staff={"1": 1, "2": 1, "3": 1, "4": 1}
        ).plot(),
        "trend-by-month": sla.compliance(outcomes, period="month").plot(),
    }


def boston_charts() -> dict[str, Any]:
    """Boston's 2015 requests by council district, as docs/boston.md draws them."""
    import slacalc as sla

    year = list(sla.read_csv(BOSTON_2015, preset="boston"))
    snapshot = dt.datetime(2016, 1, 13, tzinfo=ZoneInfo("America/New_York"))
    outcomes = list(sla.PolicyBook([]).evaluate(year, as_of=snapshot))
    by = "city_council_district"
    staff = {f"{n}.0": 1 for n in range(1, 10)}
    return {
        "boston-compliance-by-district": sla.compliance(
            outcomes, by=by, goal=0.8
        ).plot(),
        "boston-workload-by-district": sla.workload(
            outcomes, by=by, staff=staff
        ).plot(),
    }


def save(charts: dict[str, Any]) -> None:
    """Write each chart to ``docs/images/<name>.png`` and close it."""
    import matplotlib.pyplot as plt

    IMAGES.mkdir(exist_ok=True)
    for name, ax in charts.items():
        path = IMAGES / f"{name}.png"
        figure = ax.get_figure()
        assert figure is not None
        # No software version in the file: regenerating changes no byte.
        figure.savefig(path, dpi=100, metadata={"Software": None})
        plt.close(figure)
        print(f"{path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
