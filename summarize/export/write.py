"""Which writer a file name asks for, and the export of a folder's briefs to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from summarize.core.brief import Brief
from summarize.core.errors import UsageError
from summarize.export.csv_file import write_csv
from summarize.export.jsonl_file import write_jsonl
from summarize.export.sqlite_file import write_sqlite
from summarize.export.tables import ExportTables, export_tables
from summarize.export.xlsx_file import write_xlsx

Writer = Callable[[Path, ExportTables], list[Path]]
WRITERS: dict[str, Writer] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "sqlite": write_sqlite,
    "jsonl": write_jsonl,
}
_SUFFIXES = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".db": "sqlite",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def export_format(out: Path, fmt: str | None = None) -> str:
    """`csv`, `xlsx`, `sqlite` or `jsonl`: `fmt` when given, else from the file's suffix."""
    if fmt:
        name = fmt.strip().lower().lstrip(".")
        name = _SUFFIXES.get(f".{name}", name)
        if name not in WRITERS:
            raise UsageError(f"unknown export format {fmt!r}; use one of: {', '.join(WRITERS)}")
        return name
    chosen = _SUFFIXES.get(out.suffix.lower())
    if chosen is None:
        raise UsageError(
            f"cannot tell the export format from {str(out)!r}",
            hint="name the file .csv, .xlsx, .sqlite or .jsonl, or pass --format",
        )
    return chosen


def write_export(
    briefs: Sequence[Brief],
    out: Path,
    *,
    fmt: str | None = None,
    reviewed: frozenset[str] = frozenset(),
    as_of: dt.date | None = None,
) -> list[Path]:
    """Export the briefs' memo events to `out` in its format; the files written."""
    writer = WRITERS[export_format(out, fmt)]
    return writer(out, export_tables(briefs, reviewed=reviewed, as_of=as_of))
