"""SQLite: events, sources, participants, claims and follow-ups tables with foreign keys and
indexes (schema in templates/export.sql), for Datasette, pandas or the sqlite3 shell."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from importlib import resources
from pathlib import Path
from typing import Any

from summarize.atomic import replacing
from summarize.export.cells import Cell, columns
from summarize.export.tables import (
    ArticleRow,
    ClaimRow,
    EventRow,
    ExportTables,
    FollowUpRow,
    ParticipantRow,
    SourceRow,
)


def schema() -> str:
    return resources.files("summarize").joinpath("templates/export.sql").read_text("utf-8")


def write_sqlite(path: Path, tables: ExportTables) -> list[Path]:
    """Write the database to `path` (a new file replacing any old one); the files written."""
    content: list[tuple[str, type[Any], Sequence[Any]]] = [
        ("events", EventRow, tables.events),
        ("sources", ArticleRow, tables.articles),
        ("event_sources", SourceRow, tables.sources),
        ("participants", ParticipantRow, tables.participants),
        ("claims", ClaimRow, tables.claims),
        ("follow_ups", FollowUpRow, tables.follow_ups),
    ]
    with replacing(path) as tmp, closing(sqlite3.connect(tmp)) as db:
        db.executescript(schema())
        with db:
            for table, row_type, rows in content:
                _insert(db, table, row_type, rows)
        violations = db.execute("PRAGMA foreign_key_check").fetchall()
        if violations:  # a bug in the tables, not in the briefs: say so loudly
            raise RuntimeError(f"export has rows without their event or source: {violations[:3]}")
    return [path]


def _insert(db: sqlite3.Connection, table: str, row_type: type[Any], rows: Sequence[Any]) -> None:
    """The rows' fields that are columns of `table` (the rest live in other tables)."""
    in_table = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
    names = [c for c in columns(row_type) if c in in_table]
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    db.executemany(sql, ([_value(getattr(row, n)) for n in names] for row in rows))


def _value(value: Cell) -> str | int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
