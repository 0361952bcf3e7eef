"""A seeded synthetic city, the built-in data of ``slacalc demo``.

Four districts with uneven workload (district 3 receives about a third of
the requests, district 1 about a sixth, with the same staff in each), six
departments with their SLAs, a storm week in June that floods tree-limb
pickups, and spring potholes. Each request's resolution time is drawn as a
share of its target, slower where a district or a season is overloaded, so
some requests miss, a few wait on the resident (a paused clock), and the
latest are still open when the city is judged.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from slacalc.adjust import Adjustment
from slacalc.book import PolicyBook
from slacalc.calendar import BusinessCalendar
from slacalc.outcomes import Request
from slacalc.policy import Policy
from slacalc.targets import BusinessDays, BusinessHours, Days, Hours, Target

__all__ = ["CITY_SERVICES", "city_book", "city_requests"]

#: Service code: (department, SLA, goal, requests a week, median share used).
CITY_SERVICES: dict[str, tuple[str, Target, float, float, float]] = {
    "POTHOLE": ("Public Works", BusinessDays(2), 0.85, 30, 0.5),
    "TREE-LIMB": ("Forestry", BusinessDays(5), 0.80, 12, 0.45),
    "NUIS-EXT": ("Code Enforcement", BusinessDays(5), 0.90, 25, 0.45),
    "BALLOT": ("Elections", Hours(24), 0.95, 8, 0.3),
    "RODENT": ("Health", Days(30), 0.90, 6, 0.4),
    "CALLBACK": ("311 Contact Center", BusinessHours(8), 0.90, 20, 0.35),
}

#: District: share of requests.
DISTRICT_SHARES = {"1": 0.16, "2": 0.24, "3": 0.33, "4": 0.27}

STORM = (dt.date(2026, 6, 15), dt.date(2026, 6, 21))
SPRING = (3, 4, 5)


def _as_of(calendar: BusinessCalendar) -> dt.datetime:
    return dt.datetime(2026, 12, 31, 17, 0, tzinfo=calendar.tz)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by Knuth's product method (means here are small)."""
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def _rate(code: str, day: dt.date, weekly: float) -> float:
    rate = weekly / 5 if day.weekday() < 5 else weekly / 25
    if code == "POTHOLE" and day.month in SPRING:
        rate *= 3
    if code == "TREE-LIMB" and STORM[0] <= day <= STORM[1]:
        rate *= 12
    if code == "BALLOT" and day.month not in (9, 10, 11):
        rate *= 0.2
    return rate


def _slowdown(code: str, district: str, day: dt.date) -> float:
    slow = 1.45 if district == "3" else 1.0
    if code == "POTHOLE" and day.month in SPRING:
        slow *= 1.5
    if code == "TREE-LIMB" and STORM[0] <= day <= STORM[1] + dt.timedelta(days=14):
        slow *= 2.2
    return slow


def _received(
    rng: random.Random, day: dt.date, calendar: BusinessCalendar
) -> dt.datetime:
    if rng.random() < 0.75:
        minute = rng.randrange(8 * 60, 17 * 60)
    else:
        minute = rng.randrange(24 * 60)
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(
        minutes=minute, seconds=rng.randrange(60)
    )
    return wall.replace(tzinfo=calendar.tz)


def city_requests(
    calendar: BusinessCalendar, seed: int = 2026
) -> tuple[list[Request], dt.datetime]:
    """A year of the synthetic city's requests and the instant to judge them.

    Args:
        calendar: the office calendar the targets run on.
        seed: the random seed; the same seed gives the same requests.

    Returns:
        The requests of 2026 and the as-of instant, 2026-12-31 17:00.

    Examples:
        >>> from slacalc.demo import demo_calendar
        >>> requests, as_of = city_requests(demo_calendar())
        >>> len(requests) > 5000, as_of.isoformat()
        (True, '2026-12-31T17:00:00-06:00')
    """
    rng = random.Random(seed)
    as_of = _as_of(calendar)
    districts, shares = list(DISTRICT_SHARES), list(DISTRICT_SHARES.values())
    requests: list[Request] = []
    day = dt.date(2026, 1, 1)
    while day.year == 2026:
        for code, (department, target, _, weekly, median) in CITY_SERVICES.items():
            for _ in range(_poisson(rng, _rate(code, day, weekly))):
                district = rng.choices(districts, shares)[0]
                received = _received(rng, day, calendar)
                start = target.start(received, calendar)
                due = target.due(received, calendar)
                # Work happens in open hours: draw the time used on the
                # target's own clock and close that much later on it.
                share = median * _slowdown(code, district, day)
                share *= math.exp(rng.gauss(0, 0.55))
                used = target.elapsed(start, due, calendar) * share
                closed: dt.datetime | None = target.extend(start, used, calendar)
                pauses = []
                if code == "NUIS-EXT" and rng.random() < 0.08:
                    wait = dt.timedelta(hours=rng.randrange(24, 96))
                    pause_start = target.extend(start, used / 3, calendar)
                    pauses.append((pause_start, pause_start + wait))
                    closed = target.extend(start, used, calendar) + wait
                if closed is not None and closed > as_of:
                    closed = None
                requests.append(
                    Request(
                        id=f"26-{len(requests) + 1:05d}",
                        service=code,
                        received=received,
                        closed=closed,
                        attributes={"district": district, "department": department},
                        pauses=pauses,
                    )
                )
        day += dt.timedelta(days=1)
    return requests, as_of


def city_book(calendar: BusinessCalendar) -> PolicyBook:
    """The synthetic city's SLAs: one policy a service, and two adjustments.

    Examples:
        >>> from slacalc.demo import demo_calendar
        >>> book = city_book(demo_calendar())
        >>> [a.name for a in book.adjustments]
        ['June storm', 'Spring potholes']
    """
    policies = [
        Policy(
            f"{department}: {code}",
            target,
            goal=goal,
            calendar=calendar,
            services=[code],
        )
        for code, (department, target, goal, _, _) in CITY_SERVICES.items()
    ]
    adjustments = [
        Adjustment(
            "June storm",
            "tree limbs down across the city",
            window=(STORM[0], STORM[1] + dt.timedelta(days=14)),
            services=["TREE-LIMB"],
            extend=BusinessDays(5),
        ),
        Adjustment(
            "Spring potholes",
            "freeze-thaw season",
            months=SPRING,
            services=["POTHOLE"],
            extend=BusinessDays(2),
        ),
    ]
    return PolicyBook(policies, adjustments=adjustments)
