"""JSON Lines: one brief a line (the reviewer's corrected brief where there is one), with
`reviewed` and `memo_events` (each brief event's memo event id) added."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from summarize.atomic import write_text_atomic
from summarize.export.tables import ExportTables

# Keys added to each brief; without them a line is a valid brief (`Brief.model_validate`).
EXTRA_KEYS = ("reviewed", "memo_events")


def write_jsonl(path: Path, tables: ExportTables) -> list[Path]:
    """Write the briefs to `path`, in article-id order; the files written."""
    write_text_atomic(path, _lines(tables))
    return [path]


def _lines(tables: ExportTables) -> Iterator[str]:
    for brief in tables.briefs:
        record = brief.model_dump(mode="json")
        record["reviewed"] = brief.article_id in tables.reviewed
        record["memo_events"] = {e.id: tables.memo_event_of[e.id] for e in brief.events}
        yield json.dumps(record, ensure_ascii=False) + "\n"
