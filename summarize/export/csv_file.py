"""CSV: the events in the file named, their claims by side in `<name>-claims.csv` beside it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarize.atomic import write_text_atomic
from summarize.export.cells import Cell, cells, columns
from summarize.export.tables import ClaimRow, EventRow, ExportTables

# A cell starting with one of these is a formula to Excel and LibreOffice ("CSV injection":
# a headline "=HYPERLINK(...)" would run). A leading apostrophe makes it text, as OWASP advises.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def claims_path(path: Path) -> Path:
    """Where the claims go, beside the events file."""
    return path.with_name(f"{path.stem}-claims{path.suffix}")


def write_csv(path: Path, tables: ExportTables) -> list[Path]:
    """Write the events to `path` and the claims beside it; the files written."""
    claims = claims_path(path)
    write_text_atomic(path, _csv_text(EventRow, tables.events))
    write_text_atomic(claims, _csv_text(ClaimRow, tables.claims))
    return [path, claims]


def _csv_text(row_type: type[Any], rows: Sequence[Any]) -> str:
    # UTF-8 with a byte-order mark: Excel reads names in Cyrillic or Chinese right only with
    # it, and pandas and Python's csv (encoding "utf-8-sig") skip it.
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns(row_type))
    writer.writerows([_text(v) for v in row] for row in cells(row_type, rows))
    return buffer.getvalue()


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "'" + value if value.startswith(_FORMULA_START) else value
