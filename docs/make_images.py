"""Draw the charts of ``docs/charts.md`` from the synthetic city.

Run it from the repository (``python docs/make_images.py``) after a change to
the charts; it writes the PNGs into ``docs/images/``. Needs matplotlib
(``pip install -e '.[charts]'``).
"""

from __future__ import annotations

from pathlib import Path

IMAGES = Path(__file__).resolve().parent / "images"


def main() -> None:
    """Evaluate the synthetic city and save one chart of each kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import slacalc as sla
    from slacalc._city import city_book, city_requests
    from slacalc.demo import demo_calendar

    calendar = demo_calendar()
    requests, as_of = city_requests(calendar)
    outcomes = list(city_book(calendar).evaluate(requests, as_of=as_of))

    charts = {
        "compliance-by-district": sla.compliance(outcomes, by="district").plot(),
        "workload-by-district": sla.workload(
            outcomes, by="district", staff={"1": 1, "2": 1, "3": 1, "4": 1}
        ).plot(),
        "trend-by-month": sla.compliance(outcomes, period="month").plot(),
    }
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
