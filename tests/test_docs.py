"""The documentation against the code: commands, example files, policy keys.

The ``pycon`` examples of ``docs/*.md`` run as doctests on their own
(``--doctest-glob``); these tests check what a doctest cannot: the output of
the ``slacalc`` command lines shown in ``console`` blocks, the example
policy files, and that ``docs/policy-files.md`` documents every key the
reader of policy files accepts, and no other.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import tomllib
from pathlib import Path
from typing import NamedTuple

import pytest

import slacalc as sla
from slacalc import _toml_read
from slacalc.config import read_book
from tests.helpers import DATA, run_cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
POLICY_FILES = DOCS / "policy-files.md"

#: File names ending so in a command line are real exports in ``DATA``.
_DATA_SUFFIXES = (".csv", ".csv.gz", ".json")
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def fenced_blocks(page: Path, language: str) -> list[str]:
    """The contents of the fenced blocks of ``language`` in ``page``."""
    text = page.read_text(encoding="utf-8")
    return [body for lang, body in _FENCE.findall(text) if lang == language]


def section(page: Path, heading: str) -> str:
    """The text under the heading line ``heading``, up to the next heading."""
    lines = page.read_text(encoding="utf-8").splitlines()
    start = lines.index(heading) + 1
    end = next(
        (i for i in range(start, len(lines)) if lines[i].startswith("#")),
        len(lines),
    )
    return "\n".join(lines[start:end])


# --------------------------------------------------------------------------
# Command lines shown in console blocks


class Shown(NamedTuple):
    """One ``$ slacalc ...`` command of a page and the output shown for it."""

    page: str
    command: str
    output: list[str]


def shown_commands() -> list[Shown]:
    """Every command of every ``console`` block in ``docs/*.md``."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        for block in fenced_blocks(page, "console"):
            command: list[str] = []
            output: list[str] = []
            for line in block.splitlines():
                if line.startswith("$ ") or (command and command[-1].endswith("\\")):
                    if line.startswith("$ ") and command:
                        found.append(Shown(page.name, join(command), output))
                        command, output = [], []
                    command.append(line.removeprefix("$ "))
                else:
                    output.append(line.rstrip())
            if command:
                found.append(Shown(page.name, join(command), output))
    return found


def join(lines: list[str]) -> str:
    """Command lines continued with a backslash, joined into one."""
    return " ".join(line.removesuffix("\\").strip() for line in lines)


def matches(shown: list[str], actual: list[str]) -> bool:
    """Whether the output ``shown`` is ``actual``, ``...`` lines eliding any.

    The lines between two ``...`` lines must appear together and in order;
    without a leading (trailing) ``...`` the output must start (end) there.
    """
    chunks: list[list[str]] = [[]]
    for line in shown:
        if line == "...":
            chunks.append([])
        else:
            chunks[-1].append(line)
    position = 0
    for i, chunk in enumerate(chunks):
        if not chunk:
            continue
        anchored = i == 0
        found = next(
            (
                start
                for start in range(position, len(actual) - len(chunk) + 1)
                if actual[start : start + len(chunk)] == chunk
            ),
            None,
        )
        if found is None or (anchored and found != 0):
            return False
        position = found + len(chunk)
    return not chunks[-1] or position == len(actual)


SHOWN = shown_commands()


def test_pages_show_commands() -> None:
    """The getting-started page shows the due, demo and report commands."""
    commands = [s.command.split()[1] for s in SHOWN if s.page == "getting-started.md"]
    assert {"due", "demo", "report"} <= set(commands)


@pytest.mark.parametrize(
    "shown", SHOWN, ids=[f"{s.page}:{s.command.split()[1]}" for s in SHOWN]
)
def test_console_block_output(shown: Shown, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command shown in the docs prints the output shown, run in the data folder."""
    argv = shlex.split(shown.command)
    assert argv[0] == "slacalc", f"{shown.page}: console blocks run slacalc only"
    files = [a for a in argv if a.endswith(_DATA_SUFFIXES)]
    if not DATA.is_dir() or any(not (DATA / name).is_file() for name in files):
        if files:
            pytest.skip(f"real 311 data not found: {DATA} ({', '.join(files)})")
    else:
        monkeypatch.chdir(DATA)
    actual = [line.rstrip() for line in run_cli(*argv[1:]).splitlines()]
    assert matches(shown.output, actual), "\n".join(actual)


def test_matches_elides_with_dots() -> None:
    """``...`` lines skip output; other lines must match in order and in place."""
    actual = ["a", "b", "c", "d"]
    assert matches(["a", "...", "d"], actual)
    assert matches(["...", "b", "c", "..."], actual)
    assert not matches(["b", "..."], actual)
    assert not matches(["...", "c"], actual)
    assert not matches(["a", "...", "c", "b", "..."], actual)


# --------------------------------------------------------------------------
# The example policy files

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_example_file_loads_and_round_trips(path: Path) -> None:
    """Every example policy file loads, and saving it reads back equal."""
    book = read_book(path)
    assert book.policies or book.default is not None
    assert read_book(book.to_toml()) == book


def test_policies_example() -> None:
    """docs/examples/policies.toml holds the book the docs describe."""
    book = read_book(EXAMPLES / "policies.toml")
    assert list(book.calendars) == ["city"]
    assert [(p.name, str(p.target)) for p in book.policies] == [
        ("Exterior nuisance", "5 business days"),
        ("Pothole, arterial street", "2 business days"),
        ("Pothole", "5 business days"),
        ("Absentee ballot", "24 hours"),
        ("Callback", "1 business day by 12:00"),
    ]
    assert book.default is not None
    assert book.default.name == "Everything else"
    effects = [(a.name, a.effect) for a in book.adjustments]
    assert effects == [("January blizzard", "extend"), ("Pothole season", "target")]


def test_boston_example() -> None:
    """docs/examples/boston.toml: Boston's calendar, five policies, three overlays."""
    book = read_book(EXAMPLES / "boston.toml")
    boston = book.calendars["boston"]
    assert str(boston.hours) == "Mon-Fri 08:30-17:00"
    assert boston.holiday_name(dt.date(2022, 4, 18)) == "Patriots' Day"
    assert boston.holiday_name(dt.date(2022, 3, 17)) == "Evacuation Day"
    assert [p.name for p in book.policies] == [
        "Next-day street services",
        "Trash barrels",
        "Street lights and signs",
        "Housing inspections",
    ]
    assert book.policies[0].target == sla.Days(1, starts="next_opening")
    assert dict(book.policies[3].where) == {"department": ("ISD",)}
    assert book.default is not None
    effects = [a.effect for a in book.adjustments]
    assert effects == ["extend", "extend", "exempt"]


@pytest.mark.parametrize(
    ("page", "example"),
    [("policy-files.md", "policies.toml"), ("boston.md", "boston.toml")],
)
def test_pages_show_example_files_verbatim(page: str, example: str) -> None:
    """A page that shows an example file shows it whole and unchanged."""
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    assert text in fenced_blocks(DOCS / page, "toml")


# --------------------------------------------------------------------------
# Every key the reader accepts, documented

#: The reader's tuples of known keys, and the heading of the section of
#: docs/policy-files.md whose table documents them.
KEY_SECTIONS = {
    "_SECTIONS": "## The four parts",
    "_CALENDAR_KEYS": "## `[calendars.<name>]`",
    "_HOLIDAY_KEYS": "### `holidays` from the holidays package",
    "_CLOSURE_KEYS": "### `closures`",
    "_POLICY_KEYS": "## `[[policies]]`",
    "_ADJUSTMENT_KEYS": "## `[[adjustments]]`",
}
_TABLE_KEY = re.compile(r"^\| `([A-Za-z_]+)` \|", re.MULTILINE)


def reader_key_tuples() -> dict[str, tuple[str, ...]]:
    """The module-level tuples of key names in ``slacalc._toml_read``."""
    return {
        name: value
        for name, value in vars(_toml_read).items()
        if re.fullmatch(r"_[A-Z_]+", name)
        and isinstance(value, tuple)
        and all(isinstance(key, str) for key in value)
    }


def test_every_key_table_has_a_section() -> None:
    """Each tuple of keys in the reader has a section in policy-files.md."""
    assert set(reader_key_tuples()) == set(KEY_SECTIONS)


@pytest.mark.parametrize("constant", sorted(KEY_SECTIONS))
def test_policy_file_keys_documented(constant: str) -> None:
    """A section's key table lists exactly the keys the reader accepts there."""
    keys = reader_key_tuples()[constant]
    documented = _TABLE_KEY.findall(section(POLICY_FILES, KEY_SECTIONS[constant]))
    assert sorted(documented) == sorted(keys)


def test_default_keys_documented() -> None:
    """The [default] section names the policy keys a default may not have."""
    text = '[default]\nname = "A"\ntarget = "2 days"\ngoal = 0.8\nunknown = 1\n'
    with pytest.raises(sla.PolicyFileError) as caught:
        read_book(text)
    accepted = str(caught.value).split("expected one of ")[1].split(", ")
    refused = [key for key in _toml_read._POLICY_KEYS if key not in accepted]
    assert refused == ["services", "where"]
    prose = section(POLICY_FILES, "## `[default]`")
    for key in refused:
        assert f"`{key}`" in prose


def test_example_files_use_every_key() -> None:
    """Together, the example files use every key the reader accepts."""
    used: dict[str, set[str]] = {name: set() for name in KEY_SECTIONS}
    for path in EXAMPLE_FILES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        used["_SECTIONS"] |= set(data)
        for calendar in data.get("calendars", {}).values():
            used["_CALENDAR_KEYS"] |= set(calendar)
            if isinstance(calendar.get("holidays"), dict):
                used["_HOLIDAY_KEYS"] |= set(calendar["holidays"])
            for closure in calendar.get("closures", []):
                used["_CLOSURE_KEYS"] |= set(closure)
        for policy in [*data.get("policies", []), data.get("default", {})]:
            used["_POLICY_KEYS"] |= set(policy)
        for adjustment in data.get("adjustments", []):
            used["_ADJUSTMENT_KEYS"] |= set(adjustment)
    for constant, keys in reader_key_tuples().items():
        assert set(keys) <= used[constant], constant


# --------------------------------------------------------------------------
# Navigation


def nav_pages() -> list[str]:
    """The pages named in the ``nav`` of mkdocs.yml."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text.split("\nnav:\n")[1].split("\n\n")[0].split("\nplugins:")[0]
    return re.findall(r":\s*(\S+\.md)\s*$", nav, re.MULTILINE)


def test_every_page_is_in_the_nav() -> None:
    """Every page of docs/ is in the site's navigation, once."""
    pages = nav_pages()
    assert len(pages) == len(set(pages))
    assert sorted(pages) == sorted(p.name for p in DOCS.glob("*.md"))


def test_home_links_every_page() -> None:
    """docs/index.md links every other page of the navigation."""
    home = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in nav_pages():
        if page != "index.md":
            assert f"]({page})" in home, page
