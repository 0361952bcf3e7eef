"""Policy books in TOML: the example file, round trips and error messages."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

import slacalc as sla
from slacalc._toml import toml_value

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "policies.toml"
CHICAGO = ZoneInfo("America/Chicago")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    """A Chicago wall-clock time as an aware datetime."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=CHICAGO)


def file_error(text: str) -> sla.PolicyFileError:
    """The error reading ``text`` raises."""
    with pytest.raises(sla.PolicyFileError) as caught:
        sla.PolicyBook.from_toml(text)
    return caught.value


# --------------------------------------------------------------------------
# The documented example


def test_example_file_loads() -> None:
    """docs/examples/policies.toml reads into the book the guide describes."""
    book = sla.PolicyBook.from_toml(EXAMPLE)
    assert [p.name for p in book.policies] == [
        "Exterior nuisance",
        "Pothole, arterial street",
        "Pothole",
        "Absentee ballot",
        "Callback",
    ]
    assert book.default is not None
    assert book.default.target == sla.BusinessDays(10)
    assert [a.name for a in book.adjustments] == ["January blizzard", "Pothole season"]
    city = book.calendars["city"]
    assert city.tz == CHICAGO
    assert city.holiday_name(dt.date(2026, 11, 27)) == "Day after Thanksgiving"
    assert not city.is_business_day(dt.date(2026, 11, 27))
    ballot = book.policies[3]
    assert ballot.calendar is None
    assert ballot.effective_until == dt.date(2026, 11, 3)


def test_example_file_due_dates() -> None:
    """Due dates from the example, counted on a printed calendar.

    Fri 2026-11-20 10:00, 5 business days: Mon 23, Tue 24, Wed 25, then
    Thanksgiving and the local holiday on Friday, Mon 30, Tue 1 December.
    """
    book = sla.PolicyBook.from_toml(EXAMPLE)
    nuisance = sla.Request(id="1", service="NUIS-EXT", received=at(2026, 11, 20, 10))
    assert book.due(nuisance) == at(2026, 12, 1, 16, 30)
    arterial = sla.Request(
        id="2",
        service="POTHOLE",
        received=at(2026, 3, 2, 9),
        attributes={"street_class": "arterial"},
    )
    # Pothole season replaces the target in March: 7 business days.
    assert book.due(arterial) == at(2026, 3, 11, 16, 30)
    callback = sla.Request(id="3", service="CALLBACK", received=at(2026, 12, 23, 15))
    # Next business day by noon: Thursday 24 December (a half day).
    assert book.due(callback) == at(2026, 12, 24, 12)


def test_example_file_round_trips() -> None:
    """Saving the example and reading it back gives an equal book and text."""
    book = sla.PolicyBook.from_toml(EXAMPLE)
    text = book.to_toml()
    again = sla.PolicyBook.from_toml(text)
    assert again == book
    assert dict(again.calendars) == dict(book.calendars)
    assert again.to_toml() == text


# --------------------------------------------------------------------------
# Sources


def test_reads_path_string_and_text(tmp_path: Path) -> None:
    """A Path, a string ending in .toml, or TOML text."""
    text = '[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 0.9\n'
    path = tmp_path / "book.toml"
    path.write_text(text, encoding="utf-8")
    by_path = sla.PolicyBook.from_toml(path)
    assert sla.PolicyBook.from_toml(str(path)) == by_path
    assert sla.PolicyBook.from_toml(text) == by_path


def test_errors_name_the_file(tmp_path: Path) -> None:
    """Errors from a file carry its path."""
    path = tmp_path / "policies.toml"
    path.write_text('[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 1.5\n')
    with pytest.raises(sla.PolicyFileError) as caught:
        sla.PolicyBook.from_toml(path)
    assert str(caught.value) == (
        f"{path}: policies[0].goal must be a number in (0, 1], got 1.5"
    )
    assert caught.value.file == str(path)
    assert caught.value.key == "policies[0].goal"
    assert caught.value.value == 1.5


def test_empty_text_is_an_empty_book() -> None:
    """An empty file is a book without policies."""
    assert sla.PolicyBook.from_toml("") == sla.PolicyBook([])


# --------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        (
            '[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 0.9\nservice = "X"',
            "policies[0].service",
            "policies[0].service is not a known key; expected one of name, target",
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 0.9\nservice = "X"',
            "policies[0].service",
            "description; did you mean 'services'?",
        ),
        (
            '[[policies]]\nname = "A"\ngoal = 0.9',
            "policies[0].target",
            'policies[0].target is required; add it, such as target = "5 business '
            'days"',
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "soon"\ngoal = 0.9',
            "policies[0].target",
            "policies[0].target must be target text such as '5 business days'",
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "2 business days"\ngoal = 0.9\n'
            'calendar = "citty"',
            "policies[0].calendar",
            "policies[0].calendar must name a calendar under [calendars] "
            "(none defined), got 'citty'",
        ),
        (
            '[calendars.city]\ntz = "UTC"\n[[policies]]\nname = "A"\n'
            'target = "2 business days"\ngoal = 0.9\ncalendar = "citty"',
            "policies[0].calendar",
            "policies[0].calendar must name a calendar under [calendars] "
            "('city'), got 'citty'; did you mean 'city'?",
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "2 business days"\ngoal = 0.9',
            "policies[0].calendar",
            "policies[0].calendar is required for the target '2 business days', "
            "which counts business time, got none",
        ),
        (
            '[calendars.city]\ntz = "America/Chicago"\n\n[[policies]]\nname = "A"\n'
            'target = "3 days from next opening"\ngoal = 0.9',
            "policies[0].calendar",
            "policies[0].calendar is required for the target '3 days from next "
            "opening', which starts at the next opening, got none; add calendar = "
            "\"city\" or another calendar under [calendars] ('city')",
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 0.9\n'
            "effective_from = 2026-03-01\neffective_until = 2026-02-01",
            "policies[0].effective_until",
            "policies[0].effective_until must not be before effective_from "
            "(2026-03-01), got 2026-02-01",
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 0.9\n'
            "where = { ward = 1.5 }",
            "policies[0].where",
            "policies[0].where['ward'] must be text or a whole number",
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 0.9\n'
            "effective_from = 2026-13-01",
            None,
            "not valid TOML",
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 0.9\n'
            'effective_from = "March"',
            "policies[0].effective_from",
            "policies[0].effective_from must be a date such as 2026-11-27, got 'March'",
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 0.9\n'
            "effective_from = 2026-03-01T08:00:00",
            "policies[0].effective_from",
            "policies[0].effective_from must be a date such as 2026-11-27, "
            "got 2026-03-01T08:00:00",
        ),
        (
            '[calendars.city]\ntz = "America/Chicgo"',
            "calendars.city.tz",
            "calendars.city.tz must be an IANA time zone name such as "
            "'America/Chicago', got 'America/Chicgo'; did you mean "
            "'America/Chicago'?",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nhours = "Mon-Fri 8-5"',
            "calendars.city.hours",
            "calendars.city.hours must be intervals like '08:00-16:30' (24:00 "
            "allowed as a close), got '8-5'",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nhours = "closed"',
            "calendars.city.hours",
            "calendars.city.hours must have some open time in the week, got 'closed'",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nhours = { funday = "08:00-12:00" }',
            "calendars.city.hours",
            "calendars.city.hours keys must name weekdays as Mon, Tue, ... Sun, "
            "got 'funday'",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nholidays = { country = "XX" }',
            "calendars.city.holidays.country",
            "calendars.city.holidays.country must be a country code the holidays "
            "package knows, such as 'US' or 'CA', got 'XX'",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nholidays = { country = "us" }',
            "calendars.city.holidays.country",
            "got 'us'; did you mean 'US'?",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nholidays = { country = "US", '
            'subdiv = "ZZ" }',
            "calendars.city.holidays.subdiv",
            "calendars.city.holidays.subdiv must be a subdivision of 'US' the "
            "holidays package knows, got 'ZZ'; 'US' has 'AK', 'AL'",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nholidays = { country = "US", '
            'subdiv = "mn" }',
            "calendars.city.holidays.subdiv",
            "got 'mn'; did you mean 'MN'?",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nholidays = { country = "US", '
            'categories = ["feast"] }',
            "calendars.city.holidays.categories",
            "calendars.city.holidays.categories must be holiday categories the "
            "holidays package knows for 'US', such as ['public'], got ['feast']",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nholidays = { contry = "US" }',
            "calendars.city.holidays.contry",
            "calendars.city.holidays.contry is not a known key; expected one of "
            "country, subdiv, observed, categories; did you mean 'country'?",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nholidays = { "2026-13-01" = "Feast" }',
            "calendars.city.holidays",
            "calendars.city.holidays keys must be a date such as 2026-11-27, "
            "got '2026-13-01'",
        ),
        (
            '[calendars.city]\ntz = "UTC"\n'
            "closures = [{ start = 2026-01-02T00:00:00Z }]",
            "calendars.city.closures[0].end",
            "calendars.city.closures[0].end is required; add it, such as "
            "end = 2026-01-07T08:00:00-06:00",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nclosures = [{ start = '
            "2026-01-02T00:00:00Z, end = 2026-01-01T00:00:00Z }]",
            "calendars.city.closures[0].end",
            "calendars.city.closures[0].end must not be before start "
            "(2026-01-02T00:00:00+00:00), got 2026-01-01T00:00:00+00:00, "
            "1 day, 0:00:00 before it",
        ),
        (
            '[calendars.city]\ntz = "UTC"\nclosures = [{ start = '
            '"2026-01-02T00:00:00Z", end = 2026-01-03T00:00:00Z }]',
            "calendars.city.closures[0].start",
            "calendars.city.closures[0].start must be a datetime such as "
            "2026-01-06T12:00:00-06:00, got '2026-01-02T00:00:00Z'; write it "
            "without quotes",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"',
            "adjustments[0]",
            "adjustments[0] (adjustment 'Storm') must have exactly one effect "
            "(extend, target or exempt = true), got none; add one",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"\n'
            'extend = "2 business days"\nexempt = true',
            "adjustments[0]",
            "adjustments[0] (adjustment 'Storm') must have exactly one effect "
            "(extend, target or exempt = true), got extend = '2 business days' "
            "and exempt = true; keep one of them",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"\n'
            'extend = "2 business days, cutoff 15:00"',
            "adjustments[0].extend",
            "adjustments[0].extend must be a plain amount such as '3 business days'",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"\nexempt = true\n'
            "window = [2026-01-09, 2026-01-05]",
            "adjustments[0].window",
            "adjustments[0].window must not end before it starts, "
            "got [2026-01-09, 2026-01-05]",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"\nexempt = true\n'
            "window = [2026-01-09T00:00:00Z, 2026-01-05T00:00:00Z]",
            "adjustments[0].window",
            "adjustments[0].window must end after it starts, "
            "got [2026-01-09T00:00:00+00:00, 2026-01-05T00:00:00+00:00]",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"\nexempt = true\n'
            "window = [2026-01-05]",
            "adjustments[0].window",
            "adjustments[0].window must be [start, end]: two dates, both "
            "included, such as [2026-01-05, 2026-01-09], or two datetimes with "
            "offsets, the end excluded, got [2026-01-05]",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"\nexempt = true\n'
            "window = [2026-01-05T00:00:00, 2026-01-09T00:00:00]",
            "adjustments[0].window",
            "adjustments[0].window datetimes must carry an offset",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"\nexempt = "yes"',
            "adjustments[0].exempt",
            "adjustments[0].exempt must be true or false, got 'yes'",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"\nexempt = "true"',
            "adjustments[0].exempt",
            "adjustments[0].exempt must be true or false, got 'true'; write it "
            "without quotes",
        ),
        (
            '[[adjustments]]\nname = "Storm"\nreason = "ice"\nmonths = [0]\n'
            "exempt = true",
            "adjustments[0].months",
            "adjustments[0].months must hold month numbers 1-12, got 0",
        ),
        (
            '[[policies]]\nname = "A"\ntarget = "2 days"\ngoal = 0.9\n'
            '[[policies]]\nname = "A"\ntarget = "3 days"\ngoal = 0.9',
            "policies[1].name",
            "policies[1].name must be unique among policies and default, got 'A', "
            "already the name of policies[0]",
        ),
        (
            '[[adjustments]]\nname = "S"\nreason = "ice"\nexempt = true\n'
            '[[adjustments]]\nname = "S"\nreason = "ice"\nexempt = true',
            "adjustments[1].name",
            "adjustments[1].name must be unique among adjustments, got 'S', "
            "already the name of adjustments[0]",
        ),
        (
            "[polices]",
            "polices",
            "<text>: polices is not a known key; expected one of calendars, "
            "policies, default, adjustments; did you mean 'policies'?",
        ),
        (
            "policy = 1",
            "policy",
            "<text>: policy is not a known key; expected one of calendars, "
            "policies, default, adjustments; did you mean 'policies'?",
        ),
        (
            "default = 3",
            "default",
            "default must be a table ([default]), got 3",
        ),
        (
            "policies = [1]",
            "policies[0]",
            "policies[0] must be a table ([[policies]]), got 1",
        ),
        (
            '[default]\nname = "D"\ntarget = "2 days"\ngoal = 0.9\nservices = ["X"]',
            "default.services",
            "default.services is not a known key: the default covers the requests "
            "no listed policy covers",
        ),
    ],
)
def test_file_errors_name_key_and_value(
    text: str, key: str | None, message: str
) -> None:
    """Each mistake names the key path and, where there is one, the value."""
    error = file_error(text)
    assert error.file == "<text>"
    assert error.key == key
    assert str(error).startswith("<text>: ")
    assert message in str(error)
    assert isinstance(error, ValueError)


def test_unknown_top_level_key_is_named_with_a_suggestion() -> None:
    """A misspelt section names the key itself and the close match."""
    with pytest.raises(
        sla.PolicyFileError,
        match=r"^<text>: policy is not a known key; expected one of calendars, "
        r"policies, default, adjustments; did you mean 'policies'\?$",
    ) as caught:
        sla.PolicyBook.from_toml('[[policy]]\nname = "A"')
    assert caught.value.key == "policy"


def test_unknown_key_without_a_close_match_lists_the_known_keys() -> None:
    """No suggestion when no known key is close."""
    with pytest.raises(
        sla.PolicyFileError,
        match=r"^<text>: xyz is not a known key; expected one of calendars, "
        r"policies, default, adjustments$",
    ):
        sla.PolicyBook.from_toml("xyz = 1")


def test_two_effects_are_shown_as_target_text() -> None:
    """An adjustment with two effects shows them as written, not as reprs."""
    text = (
        '[[adjustments]]\nname = "Ice storm"\nreason = "Roads closed"\n'
        'extend = "2 working days"\ntarget = "10 business days"'
    )
    with pytest.raises(
        sla.PolicyFileError,
        match=r"got extend = '2 business days' and target = '10 business days'; "
        r"keep one of them$",
    ):
        sla.PolicyBook.from_toml(text)


def test_business_adjustment_over_a_policy_without_calendar_names_both() -> None:
    """The error names the adjustment's key and the policy's, not 'policies'."""
    text = (
        '[[policies]]\nname = "Ballot"\ntarget = "24 hours"\ngoal = 0.9\n'
        'services = ["BALLOT"]\n\n[[adjustments]]\nname = "Storm"\n'
        'reason = "ice"\nextend = "2 business days"'
    )
    with pytest.raises(
        sla.PolicyFileError,
        match=r"^<text>: adjustments\[0\]\.extend '2 business days' needs a "
        r"calendar, but the adjustment may cover the requests of policies\[0\] "
        r"\(policy 'Ballot'\), which has none; give policies\[0\] a calendar, "
        r"or narrow adjustments\[0\]\.services to leave out its services$",
    ) as caught:
        sla.PolicyBook.from_toml(text)
    assert caught.value.key == "adjustments[0].extend"
    narrowed = text.replace('extend = "2', 'services = ["TREE"]\nextend = "2')
    assert len(sla.PolicyBook.from_toml(narrowed).adjustments) == 1


def test_window_errors_show_dates_as_written() -> None:
    """A window's dates appear in ISO form, never as datetime.date reprs."""
    text = (
        '[[adjustments]]\nname = "Storm"\nreason = "ice"\nexempt = true\n'
        'window = ["2026-01-09", 2026-01-05]'
    )
    with pytest.raises(
        sla.PolicyFileError,
        match=r"adjustments\[0\]\.window must not end before it starts, "
        r"got \['2026-01-09', 2026-01-05\]$",
    ) as caught:
        sla.PolicyBook.from_toml(text)
    assert "datetime" not in str(caught.value)


def test_empty_holidays_table_is_no_holidays() -> None:
    """holidays = {} is an empty table of dates, not a country missing."""
    book = sla.PolicyBook.from_toml('[calendars.city]\ntz = "UTC"\nholidays = {}')
    assert book.calendars["city"] == sla.BusinessCalendar("UTC")


# --------------------------------------------------------------------------
# Round trips of what Python can build


def test_round_trip_of_a_book_built_in_python() -> None:
    """Every setting survives to_toml and from_toml; unnamed calendars get names."""
    utc_closure = sla.Closure(
        dt.datetime(2026, 1, 6, 18, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 7, 14, tzinfo=dt.UTC),
        reason='snow "heavy"\n and ice',
    )
    city = sla.BusinessCalendar(
        "America/Chicago",
        {"mon-fri": ["08:00-12:00", "13:00-16:30"], "sat": "09:00-12:00"},
        holidays=holidays.country_holidays(
            "US", subdiv="MN", categories=("public", "unofficial")
        ),
        local_holidays=[dt.date(2026, 11, 27)],
        special_hours={
            dt.date(2026, 12, 24): "08:00-12:00",
            dt.date(2026, 5, 2): "closed",
        },
        closures=[utc_closure],
    )
    nights = sla.BusinessCalendar(
        "Europe/London",
        "Mon-Fri 22:00-06:00",
        holidays={dt.date(2026, 12, 25): "Christmas", dt.date(2026, 12, 26): "Boxing"},
    )
    policies = [
        sla.Policy(
            'Überprüfung "A"',
            "2 business days, cutoff 15:00",
            goal=0.925,
            calendar=city,
            services=["A", "B c"],
            where={"district": ["1", "2"], "priority": "high"},
            at_risk=0.5,
            effective_from=dt.date(2026, 1, 1),
            effective_until=dt.date(2026, 12, 31),
            description="line one\nline two\ttab",
        ),
        sla.Policy("Night", "6.5 business hours", goal=1, calendar=nights),
        sla.Policy("Days", "30 days from next opening", goal=0.8, calendar=city),
    ]
    adjustments = [
        sla.Adjustment(
            "Storm",
            "ice",
            window=(
                dt.datetime(2026, 1, 5, 6, tzinfo=dt.UTC),
                dt.datetime(2026, 1, 9, 18, tzinfo=CHICAGO),
            ),
            services=["A"],
            extend="3 business days",
        ),
        sla.Adjustment("Spring", "potholes", months=[4, 3], target="10 business days"),
        sla.Adjustment(
            "Audit",
            "data audit",
            window=(dt.date(2026, 2, 1), dt.date(2026, 2, 3)),
            where={"ward": 7},
            exempt=True,
        ),
    ]
    book = sla.PolicyBook(
        policies,
        adjustments=adjustments,
        default=sla.Policy("Rest", "1 business day by 12:00", goal=0.5, calendar=city),
    )
    text = book.to_toml()
    tomllib.loads(text)
    again = sla.PolicyBook.from_toml(text)
    assert again == book
    assert sorted(again.calendars) == ["calendar", "calendar-2"]
    assert again.to_toml() == text


def test_named_calendars_keep_their_names() -> None:
    """Names given in calendars= are used, unused calendars kept."""
    city = sla.BusinessCalendar("America/Chicago", "Mon-Fri 08:00-16:30")
    spare = sla.BusinessCalendar("UTC", "daily 00:00-24:00")
    book = sla.PolicyBook(
        [sla.Policy("P", "2 business days", goal=0.9, calendar=city)],
        calendars={"city": city, "spare": spare},
    )
    text = book.to_toml()
    assert "[calendars.city]" in text
    assert 'calendar = "city"' in text
    assert dict(sla.PolicyBook.from_toml(text).calendars) == {
        "city": city,
        "spare": spare,
    }


def test_saving_refuses_a_zone_without_an_exact_toml_form() -> None:
    """A fixed-offset zone cannot be saved."""
    fixed = sla.BusinessCalendar(
        dt.timezone(dt.timedelta(hours=-6)), "Mon-Fri 08:00-16:30"
    )
    book = sla.PolicyBook(
        [sla.Policy("P", "2 business days", goal=0.9, calendar=fixed)]
    )
    with pytest.raises(sla.PolicyError, match="must use an IANA zone"):
        book.to_toml()


def test_saving_keeps_every_amount_exact() -> None:
    """Amounts such as 1/3 hour or 1e-05 hours save and load equal."""
    for amount in (1 / 3, 1e-05, 1234567.5):
        book = sla.PolicyBook([sla.Policy("P", sla.Hours(amount), goal=0.9)])
        assert sla.PolicyBook.from_toml(book.to_toml()) == book


def test_toml_values_escape_what_toml_needs() -> None:
    """Strings escape quotes, backslashes and control characters (DEL too)."""
    text = 'a "b" \\ c\n\t\x7f\x00 é'
    written = toml_value(text)
    assert tomllib.loads(f"x = {written}")["x"] == text
    odd = dt.datetime(1900, 1, 1, tzinfo=ZoneInfo("America/Detroit"))
    assert tomllib.loads(f"x = {toml_value(odd)}")["x"] == odd
    with pytest.raises(ValueError, match="must be a finite number"):
        toml_value(float("nan"))
    with pytest.raises(ValueError, match="must be a timezone-aware datetime"):
        toml_value(dt.datetime(2026, 1, 1))
