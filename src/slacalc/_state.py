"""Pickling for frozen records that hold read-only mappings.

A ``MappingProxyType`` can be neither pickled nor deep-copied, yet slacalc's
records keep their attribute and key mappings read-only. :func:`picklable`
gives such a record a state in which each read-only mapping travels as a
plain dict and comes back read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

__all__ = ["frozen_mapping", "picklable"]

_Record = TypeVar("_Record", bound=type)
# The key under which a state lists the fields that were read-only mappings.
_PROXIES = "__read_only__"


def frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of ``value``: the converter of a record's key field."""
    return MappingProxyType(dict(value))


def _getstate(record: Any) -> dict[str, Any]:
    state: dict[str, Any] = {}
    proxies = []
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        if type(value) is MappingProxyType:
            proxies.append(field.name)
            value = dict(value)
        state[field.name] = value
    state[_PROXIES] = tuple(proxies)
    return state


def _setstate(record: Any, state: dict[str, Any]) -> None:
    proxies = state.get(_PROXIES, ())
    for name, value in state.items():
        if name == _PROXIES:
            continue
        if name in proxies:
            value = MappingProxyType(value)
        object.__setattr__(record, name, value)


def picklable(cls: _Record) -> _Record:
    """Let a frozen attrs class with read-only mapping fields pickle and
    deep-copy; put it above ``@attrs.frozen``.

    Examples:
        >>> import copy
        >>> from types import MappingProxyType
        >>> @picklable
        ... @attrs.frozen
        ... class Tagged:
        ...     tags: MappingProxyType[str, str]
        >>> copy.deepcopy(Tagged(MappingProxyType({"a": "b"}))).tags
        mappingproxy({'a': 'b'})
    """
    # Set after attrs has built the class, so that its slots class's own
    # state methods give way to these.
    setattr(cls, "__getstate__", _getstate)  # noqa: B010
    setattr(cls, "__setstate__", _setstate)  # noqa: B010
    return cls
