"""A small TOML writer for the values a policy book holds.

Strings, booleans, whole numbers, finite floats, dates, aware datetimes,
lists and string-keyed mappings (written as inline tables). Reading is the
standard library's ``tomllib``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping

__all__ = ["toml_key", "toml_value"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(key: str) -> str:
    """A key, bare when it can be, quoted otherwise."""
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    # JSON escapes quotes, backslashes and control characters the way TOML
    # basic strings do; DEL is a control character to TOML but not to JSON.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def toml_value(value: object) -> str:
    """The TOML form of ``value``.

    Raises:
        ValueError: for a naive datetime, a float that is not finite, or a
            type TOML cannot hold.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"value must be a finite number, got {value!r}")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.datetime):
        offset = value.utcoffset()
        if offset is None:
            raise ValueError(f"value must be a timezone-aware datetime, got {value!r}")
        if offset.seconds % 60 or offset.microseconds:
            # TOML offsets are whole minutes (old local mean times are not).
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        pairs = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    raise ValueError(f"value must be a TOML value, got {value!r}")
