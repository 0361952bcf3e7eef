"""Skip the doctests of pages whose real 311 exports are absent.

Pages such as ``guide-analyst.md`` and ``boston.md`` read exports from the
project's shared data folder, ``../shared/data/`` beside the repository, as
``DATA / "<file name>"``. Where a file they name is missing, the page is
skipped with a reason instead of failing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent
DATA = DOCS.parent.parent / "shared" / "data"
_DATA_FILE = re.compile(r'DATA / "([^"]+)"')


def missing_data(page: Path) -> list[str]:
    """The exports that ``page`` reads and ``DATA`` lacks."""
    names = _DATA_FILE.findall(page.read_text(encoding="utf-8"))
    return sorted({name for name in names if not (DATA / name).is_file()})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the doctest of each page that lacks its data as skipped."""
    for item in items:
        page = Path(item.path)
        if page.suffix != ".md" or page.parent != DOCS:
            continue
        missing = missing_data(page)
        if missing:
            reason = f"real 311 data not found in {DATA}: {', '.join(missing)}"
            item.add_marker(pytest.mark.skip(reason=reason))
