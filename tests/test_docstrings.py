"""Every public name has a docstring with an example and a place in docs/api.md.

The public names are ``slacalc.__all__`` and the ``__all__`` of the optional
modules ``slacalc.columns``, ``slacalc.frames`` and ``slacalc.charts`` (a
module whose optional dependency is missing is left out).
Classes and functions carry a docstring with a ``>>>`` example, which pytest
runs (``--doctest-modules``). Constants and type aliases cannot carry a
docstring of their own at run time; docs/api.md names them instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import pytest

API = Path(__file__).resolve().parents[1] / "docs" / "api.md"

#: The modules whose ``__all__`` is public, and what each needs installed.
MODULES = {
    "slacalc": None,
    "slacalc.columns": "numpy",
    "slacalc.frames": "pandas",
    "slacalc.charts": "matplotlib",
}

_BLOCK = re.compile(r"^::: (\S+)\n((?:    .*\n)*)", re.MULTILINE)
_MEMBERS = re.compile(r"^\s+members:\s*(.+)$", re.MULTILINE)


class Public(NamedTuple):
    """One public name: the module whose ``__all__`` lists it, and the name."""

    module: str
    name: str


def loaded(name: str) -> ModuleType | None:
    """The module ``name``, or None when its optional dependency is missing."""
    needs = MODULES[name]
    if needs is not None and importlib.util.find_spec(needs) is None:
        return None
    return importlib.import_module(name)


def value_of(public: Public) -> object:
    """The object a public name refers to."""
    return getattr(importlib.import_module(public.module), public.name)


def public_names() -> list[Public]:
    """Every public name, from the ``__all__`` of each module that loads."""
    found = []
    for name in MODULES:
        mod = loaded(name)
        if mod is not None:
            found += [Public(name, n) for n in mod.__all__]
    return found


def is_documentable(value: object) -> bool:
    """Whether ``value`` carries its own docstring: a class or a function."""
    return inspect.isclass(value) or inspect.isfunction(value)


class Block(NamedTuple):
    """One ``::: identifier`` block of docs/api.md and its ``members`` option."""

    identifier: str
    members: str | None


def api_blocks() -> list[Block]:
    """The mkdocstrings blocks of docs/api.md."""
    text = API.read_text(encoding="utf-8")
    blocks = []
    for identifier, options in _BLOCK.findall(text):
        members = _MEMBERS.search(options)
        blocks.append(Block(identifier, members[1].strip() if members else None))
    return blocks


def renders_member(block: Block, name: str) -> bool:
    """Whether a module's block renders the member ``name``."""
    if block.members is None:
        return True
    if block.members == "false":
        return False
    return name in re.findall(r"\w+", block.members)


PUBLIC = public_names()
DOCUMENTABLE = [p for p in PUBLIC if is_documentable(value_of(p))]


def test_public_names_found() -> None:
    """The root lists its public names, and the modules' callables are found."""
    assert Public("slacalc", "PolicyBook") in DOCUMENTABLE
    assert Public("slacalc", "__version__") not in DOCUMENTABLE


@pytest.mark.parametrize(
    "public", DOCUMENTABLE, ids=[f"{p.module}.{p.name}" for p in DOCUMENTABLE]
)
def test_docstring_has_an_example(public: Public) -> None:
    """A public class or function has a docstring with a ``>>>`` example."""
    value = value_of(public)
    assert value.__doc__, f"{public.module}.{public.name} has no docstring"
    assert ">>>" in value.__doc__, f"{public.module}.{public.name} has no example"


@pytest.mark.parametrize("public", PUBLIC, ids=[f"{p.module}.{p.name}" for p in PUBLIC])
def test_name_in_api_reference(public: Public) -> None:
    """A public name is in docs/api.md: its own block, its module's, or by name."""
    value = value_of(public)
    qualified = f"{public.module}.{public.name}"
    if not is_documentable(value):
        # mkdocstrings renders no constant without a docstring: name it.
        assert f"`{qualified}`" in API.read_text(encoding="utf-8"), qualified
        return
    defined = f"{value.__module__}.{getattr(value, '__qualname__', '')}"
    homes = {public.module, value.__module__}
    blocks = api_blocks()
    assert any(
        block.identifier in (qualified, defined)
        or (block.identifier in homes and renders_member(block, public.name))
        for block in blocks
    ), qualified


def test_api_blocks_name_real_objects() -> None:
    """Every ``:::`` block of docs/api.md names a module or an object."""
    for block in api_blocks():
        path = block.identifier
        try:
            importlib.import_module(path)
            continue
        except ImportError:
            pass
        owner, _, attribute = path.rpartition(".")
        assert hasattr(importlib.import_module(owner), attribute), path
