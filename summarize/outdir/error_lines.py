"""errors.jsonl, written and read as one type: one `ErrorRecord` a line, for each article
the last run failed (file, stage, cause)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from summarize.atomic import write_text_atomic
from summarize.core.results import ErrorRecord, Stage
from summarize.outdir.printable import printable_json


@dataclass(frozen=True)
class ErrorLines:
    """errors.jsonl as read back: its records, and what could not be read (the file, or a
    line that is not an error record), so that a reader can say its list may be short."""

    records: list[ErrorRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def write_errors(path: Path, errors: Sequence[ErrorRecord]) -> None:
    lines = "".join(
        json.dumps(printable_json(asdict(e)), ensure_ascii=False) + "\n" for e in errors
    )
    write_text_atomic(path, lines)


def read_errors(path: Path) -> ErrorLines:
    """The records of errors.jsonl; none, without a problem, when there is no such file."""
    read = ErrorLines()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return read
    except (OSError, UnicodeDecodeError) as exc:
        read.problems.append(f"{path}: {exc}")
        return read
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record = _record(line)
        if record is None:
            read.problems.append(f"{path} line {n} is not an error record")
        else:
            read.records.append(record)
    return read


def _record(line: str) -> ErrorRecord | None:
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            return None
        article_id = data.get("article_id")
        return ErrorRecord(
            article_id=str(article_id) if article_id is not None else None,
            file=str(data["file"]),
            stage=Stage(data["stage"]),
            cause=str(data["cause"]),
        )
    except (json.JSONDecodeError, KeyError, ValueError):
        return None
