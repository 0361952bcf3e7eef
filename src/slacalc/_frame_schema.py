"""The columns that :func:`slacalc.frames.evaluate` adds, and their dtypes."""

from __future__ import annotations

import pandas as pd

from slacalc._column_evaluate import STATUSES

__all__ = ["DUE_SOURCE_DTYPE", "OUTPUT_COLUMNS", "STATUS_DTYPE"]

OUTPUT_COLUMNS = (
    "received_at",
    "due",
    "due_source",
    "status",
    "used",
    "share",
    "late_by",
    "at_risk",
    "policy",
    "goal",
    "adjustments",
    "reason",
)
"""The columns :func:`~slacalc.frames.evaluate` adds, in order:
``received_at`` (the receipt as read, an aware timestamp), ``due``,
``due_source`` (``"imported"`` or ``"policy"``), ``status``
(:data:`STATUS_DTYPE`), ``used`` (time used on the target's clock),
``share`` (of the target), ``late_by``, ``at_risk``, ``policy`` (its name),
``goal`` (its goal), ``adjustments`` (the names of those applied, joined by
``"; "``) and ``reason`` (why a row is ``invalid`` or ``exempt``). Missing
values are ``NaT``, ``NaN`` or ``None``."""

STATUS_DTYPE = pd.CategoricalDtype([status.value for status in STATUSES])
"""The dtype of the ``status`` column: the values of :class:`~slacalc.Status`."""

DUE_SOURCE_DTYPE = pd.CategoricalDtype(["imported", "policy"])
"""The dtype of the ``due_source`` column."""

# Where an evaluated frame keeps, in ``frame.attrs``, what its columns do not
# say: the instant it was judged at and the columns it was read from.
ATTRS_KEY = "slacalc"
