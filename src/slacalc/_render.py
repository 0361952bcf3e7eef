"""Reports as text tables, HTML tables and pandas data frames."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Table",
    "data_frame",
    "flat_record",
    "fmt_count",
    "fmt_instant",
    "fmt_percent",
    "fmt_share",
    "fmt_value",
]


@attrs.frozen
class Table:
    """The cells of a report, already formatted, ready for text or HTML.

    ``right`` says which columns hold numbers (aligned right); ``footer``
    rows (a total) are set apart below the body.
    """

    title: tuple[str, ...]
    headers: tuple[str, ...]
    right: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: tuple[tuple[str, ...], ...] = ()

    def text(self) -> str:
        """The title lines, then fixed-width columns: a rule under the headers and
        above the footer; no blank line, so that doctests need no markers."""
        every = [self.headers, *self.rows, *self.footer]
        widths = [max(len(row[i]) for row in every) for i in range(len(self.headers))]

        def line(cells: Sequence[str]) -> str:
            parts = [
                cell.rjust(width) if right else cell.ljust(width)
                for cell, width, right in zip(cells, widths, self.right, strict=True)
            ]
            return "  ".join(parts).rstrip()

        rule = "  ".join("-" * width for width in widths)
        lines = [*self.title, line(self.headers), rule]
        lines += [line(row) for row in self.rows]
        if self.footer:
            lines.append(rule)
            lines += [line(row) for row in self.footer]
        return "\n".join(lines)

    def html(self) -> str:
        """An HTML ``<table>`` with the title as its caption."""

        def cells(tag: str, row: Sequence[str]) -> str:
            return "".join(
                f'<{tag} style="text-align: {"right" if right else "left"}">'
                f"{html.escape(cell)}</{tag}>"
                for cell, right in zip(row, self.right, strict=True)
            )

        caption = "<br>".join(html.escape(line) for line in self.title)
        body = "".join(f"<tr>{cells('td', row)}</tr>" for row in self.rows)
        foot = "".join(f"<tr>{cells('th', row)}</tr>" for row in self.footer)
        return (
            f"<table><caption>{caption}</caption>"
            f"<thead><tr>{cells('th', self.headers)}</tr></thead>"
            f"<tbody>{body}</tbody>"
            + (f"<tfoot>{foot}</tfoot>" if foot else "")
            + "</table>"
        )


def fmt_value(value: Any) -> str:
    """A group value: ``(none)`` for a missing one."""
    return "(none)" if value is None else str(value)


def fmt_count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def fmt_percent(value: float | None, digits: int = 1) -> str:
    """``0.8125`` as ``81.3%``; ``-`` for ``None``."""
    return "-" if value is None else f"{value * 100:.{digits}f}%"


def fmt_goal(value: float | None) -> str:
    """A goal as a percentage without trailing zeros: ``90%``, ``87.5%``."""
    if value is None:
        return "-"
    return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"


def fmt_share(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def fmt_signed_points(value: float | None) -> str:
    """A change of rate in percentage points: ``+3.1 pts``."""
    return "-" if value is None else f"{value * 100:+.1f} pts"


def fmt_instant(value: dt.datetime | None) -> str:
    return "-" if value is None else value.isoformat(sep=" ", timespec="minutes")


def flat_record(
    key: Mapping[str, Any], fields: Mapping[str, Any], what: str
) -> dict[str, Any]:
    """A group's key and its fields in one flat mapping.

    Raises:
        ValueError: a name grouped by is also the name of a field.
    """
    clash = sorted(set(key) & set(fields))
    if clash:
        raise ValueError(
            f"by names {clash!r} clash with the {what} columns of the same names; "
            "rename those attributes before grouping by them"
        )
    return {**key, **fields}


def data_frame(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    attributes: Mapping[str, Any],
) -> pd.DataFrame:
    """A pandas DataFrame of records, with report metadata in ``df.attrs``.

    Raises:
        ImportError: pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError as error:  # pragma: no cover - pandas is in the test env
        raise ImportError(
            "to_pandas() needs pandas; install it with `pip install pandas`"
        ) from error
    frame = pd.DataFrame.from_records(list(records), columns=list(columns))
    frame.attrs.update(attributes)
    return frame


class Tabular:
    """A report that ``str()`` shows as a text table and a notebook as an
    HTML table, both from its ``_table()``."""

    __slots__ = ()

    def _table(self) -> Table:
        raise NotImplementedError

    def __str__(self) -> str:
        return self._table().text()

    def _repr_html_(self) -> str:
        return self._table().html()
