"""Plain-words explanations of outcomes: the lines of ``Outcome.explain()``.

They are worked out again from the outcome's fields (the policy, the
adjustments that applied, the pauses counted), so evaluation itself never
pays for the wording.
"""

from __future__ import annotations

import datetime as dt

from slacalc._instants import to_us
from slacalc.calendar import BusinessCalendar
from slacalc.evaluate import DEFAULT_AT_RISK, adjusted
from slacalc.hours import _format_clock
from slacalc.outcomes import Outcome, Status
from slacalc.targets import Target

__all__ = ["explain_steps"]


def _at(t: dt.datetime, tz: dt.tzinfo) -> str:
    local = t.astimezone(tz)
    text = local.strftime("%a %Y-%m-%d %H:%M")
    if local.second or local.microsecond:
        text += local.strftime(":%S")
    return f"{text} {local.tzname()}"


def _span(delta: dt.timedelta) -> str:
    """A duration in words: ``2 days 3 h 5 min``; seconds only when short."""
    if delta < dt.timedelta(0):
        return "-" + _span(-delta)
    seconds = int(delta.total_seconds())
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    if seconds and not days:
        parts.append(f"{seconds} s")
    return " ".join(parts) or "0 min"


def _calendar_words(calendar: BusinessCalendar) -> str:
    zone = getattr(calendar.tz, "key", None) or str(calendar.tz)
    return f"calendar {zone}, {calendar.hours}"


def _skipped(
    target: Target, calendar: BusinessCalendar, start: dt.datetime, due: dt.datetime
) -> list[str]:
    """Holidays, short days and closures between the start and the due date."""
    lines = []
    tz = calendar.tz
    first, last = start.astimezone(tz).date(), due.astimezone(tz).date()
    special = dict(calendar.special_hours)
    day = first
    while day <= last:
        hours = special.get(day)
        if hours is not None:
            spans = ", ".join(
                f"{_format_clock(a)}-{_format_clock(b)}" for a, b in hours
            )
            lines.append(f"Special hours on {day:%a %Y-%m-%d}: {spans or 'closed'}.")
        else:
            name = calendar.holiday_name(day)
            if name is not None:
                lines.append(f"Skipped holiday: {name}, {day:%a %Y-%m-%d}.")
        day += dt.timedelta(days=1)
    a, b = to_us(start, "start"), to_us(due, "due")
    for closure in calendar.closures:
        if to_us(closure.start, "start") < b and to_us(closure.end, "end") > a:
            why = f" ({closure.reason})" if closure.reason else ""
            lines.append(
                f"Skipped closure{why}: {_at(closure.start, tz)} to "
                f"{_at(closure.end, tz)}."
            )
    return lines


def _policy_lines(outcome: Outcome, tz: dt.tzinfo) -> list[str]:
    policy = outcome.policy
    received = outcome.received
    assert policy is not None
    assert received is not None
    calendar = policy.calendar
    lines = []
    target, extensions, applied = adjusted(policy, outcome.adjustments)
    for adjustment in applied:
        if adjustment.target is not None and adjustment.target is target:
            lines.append(
                f"Adjustment {adjustment.name!r} ({adjustment.reason}): target "
                f"replaced by {str(target)!r}."
            )
    start = target.start(received, calendar)
    waited = to_us(start, "start") != to_us(received, "received")
    when = f"at the next opening, {_at(start, tz)}" if waited else "at once"
    lines.append(f"Received {_at(received, tz)}; the clock started {when}.")
    due = target.due(received, calendar)
    if target.business:
        assert calendar is not None
        lines.extend(_skipped(target, calendar, start, due))
    else:
        lines.append("Calendar time: nights, weekends and holidays count.")
    lines.append(f"Due by the target: {_at(due, tz)}.")
    if outcome.pauses:
        paused = sum(
            (target.elapsed(a, b, calendar) for a, b in outcome.pauses),
            dt.timedelta(0),
        )
        spans = "; ".join(f"{_at(a, tz)} to {_at(b, tz)}" for a, b in outcome.pauses)
        clock = "business time" if target.business else "time"
        due = target.extend(due, paused, calendar) if paused else due
        count = len(outcome.pauses)
        lines.append(
            f"Paused {_span(paused)} of {clock} in {count} "
            f"pause{'s' if count != 1 else ''} ({spans}): due moved to {_at(due, tz)}."
        )
    for adjustment in extensions:
        due = adjustment.extend_due(due, calendar)
        lines.append(
            f"Adjustment {adjustment.name!r} ({adjustment.reason}): extended by "
            f"{adjustment.extend}, to {_at(due, tz)}."
        )
    return lines


def _status_line(outcome: Outcome, tz: dt.tzinfo) -> str:
    due, as_of, closed = outcome.due, outcome.as_of, outcome.closed
    assert due is not None
    status = outcome.status
    late = outcome.late_by or dt.timedelta(0)
    if status is Status.MET:
        assert closed is not None
        early = dt.timedelta(microseconds=to_us(due, "due") - to_us(closed, "closed"))
        return f"Closed {_at(closed, tz)}, {_span(early)} before the due date: met."
    if status is Status.MISSED:
        assert closed is not None
        return f"Closed {_at(closed, tz)}, {_span(late)} after the due date: missed."
    later = ""
    if closed is not None:
        later = f" (its close, {_at(closed, tz)}, comes after as_of)"
    if status is Status.OVERDUE:
        return (
            f"Open as of {_at(as_of, tz)}{later}, {_span(late)} past the due "
            f"date: overdue."
        )
    if status is Status.OPEN:
        left = dt.timedelta(microseconds=to_us(due, "due") - to_us(as_of, "as_of"))
        line = f"Open as of {_at(as_of, tz)}{later}, due in {_span(left)}"
        if outcome.share is not None:
            line += f"; {outcome.share:.0%} of the target used"
        if outcome.at_risk:
            policy = outcome.policy
            threshold = DEFAULT_AT_RISK if policy is None else policy.at_risk
            line += f", at risk (from {threshold:.0%})"
        return line + "."
    names = ", ".join(repr(a.name) for a in outcome.adjustments if a.exempt)
    return f"Exempt from compliance by {names}; not judged against the due date."


def explain_steps(outcome: Outcome) -> tuple[str, ...]:
    """The lines explaining ``outcome`` after its first (the status)."""
    if outcome.status is Status.INVALID:
        return ()
    received = outcome.received
    due = outcome.due
    if due is None or received is None:
        if outcome.status is Status.NO_POLICY:
            return (
                f"No policy covers service {outcome.service!r} with attributes "
                f"{dict(outcome.attributes)!r}, and it carries no imported due date.",
            )
        return ("No policy covers it, and it carries no imported due date.",)
    tz = due.tzinfo
    assert tz is not None
    lines = []
    policy = outcome.policy
    if policy is not None:
        words = f"; {_calendar_words(policy.calendar)}" if policy.calendar else ""
        lines.append(
            f"Policy {policy.name!r}: {policy.target}, goal {policy.goal:.0%}{words}."
        )
    if outcome.due_source == "imported":
        lines.append(f"Received {_at(received, tz)}.")
        lines.append(f"Due {_at(due, tz)}: the CRM's own due date, as published.")
    else:
        lines.extend(_policy_lines(outcome, tz))
    lines.append(_status_line(outcome, tz))
    return tuple(lines)
