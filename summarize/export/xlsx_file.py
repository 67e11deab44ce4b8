"""Excel: one sheet per table (events first, then claims by side), written by XlsxWriter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from summarize.atomic import replacing
from summarize.export.cells import cells, columns
from summarize.export.tables import (
    ArticleRow,
    ClaimRow,
    EventRow,
    ExportTables,
    FollowUpRow,
    ParticipantRow,
    SourceRow,
)

# Excel's limits: characters in a cell, characters in a link, links in a sheet.
MAX_CELL = 32_767
MAX_URL = 2_079
MAX_LINKS = 65_530
CUT = " … [cut: Excel holds 32,767 characters a cell; the .sqlite and .jsonl exports hold all]"
_WIDTHS = {"summary": 60, "participants": 45, "outcomes": 60, "statement": 60, "headline": 50}


def write_xlsx(path: Path, tables: ExportTables) -> list[Path]:
    """Write the workbook to `path`; the files written."""
    sheets: list[tuple[str, type[Any], Sequence[Any]]] = [
        ("events", EventRow, tables.events),
        ("claims", ClaimRow, tables.claims),
        ("participants", ParticipantRow, tables.participants),
        ("follow_ups", FollowUpRow, tables.follow_ups),
        ("sources", SourceRow, tables.sources),
        ("articles", ArticleRow, tables.articles),
    ]
    with replacing(path) as tmp:
        # Text stays text: a headline "=1+1" or "http://..." is not made a formula or a link.
        workbook = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "constant_memory": True},
        )
        try:
            formats = {
                "head": workbook.add_format({"bold": True, "bottom": 1}),
                "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
                "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
            }
            for name, row_type, rows in sheets:
                _sheet(workbook, name, row_type, rows, formats)
        finally:
            workbook.close()
    return [path]


def _sheet(
    workbook: Any, name: str, row_type: type[Any], rows: Sequence[Any], formats: dict[str, Any]
) -> None:
    sheet = workbook.add_worksheet(name)
    names = columns(row_type)
    for c, column in enumerate(names):
        sheet.set_column(c, c, _WIDTHS.get(column, max(12, len(column) + 2)))
        sheet.write_string(0, c, column, formats["head"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(names) - 1)
    links = 0
    for r, values in enumerate(cells(row_type, rows), start=1):
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, formats["date"])
            elif names[c] == "url" and _linkable(value) and links < MAX_LINKS:
                links += 1
                sheet.write_url(r, c, value, string=value)
            else:
                text = value if len(value) <= MAX_CELL else value[: MAX_CELL - len(CUT)] + CUT
                sheet.write_string(r, c, text)


def _linkable(url: str) -> bool:
    """Web links only: Excel would open a file: or javascript: link as readily."""
    return url.lower().startswith(("http://", "https://")) and len(url) <= MAX_URL
