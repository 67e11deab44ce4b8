"""errors.jsonl written and read back as one type."""

from __future__ import annotations

from pathlib import Path

from summarize.core.results import ErrorRecord, Stage
from summarize.outdir.error_lines import read_errors, write_errors

RECORDS = [
    ErrorRecord(None, "empty.txt", Stage.INGEST, "is empty"),
    ErrorRecord("x-1", "x.txt", Stage.VALIDATION, "нет ответа"),
]


def test_what_is_written_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "errors.jsonl"
    write_errors(path, RECORDS)
    read = read_errors(path)
    assert read.records == RECORDS and read.problems == []


def test_a_missing_file_is_no_errors_and_no_problem(tmp_path: Path) -> None:
    read = read_errors(tmp_path / "errors.jsonl")
    assert read.records == [] and read.problems == []


def test_lines_that_are_not_error_records_are_named_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "errors.jsonl"
    write_errors(path, RECORDS)
    with path.open("a", encoding="utf-8") as f:
        f.write("not json\n\n[1]\n")
        f.write('{"article_id": null, "file": "c.txt", "stage": "no-such-stage", "cause": "x"}\n')
    read = read_errors(path)
    assert read.records == RECORDS
    assert read.problems == [
        f"{path} line 3 is not an error record",
        f"{path} line 5 is not an error record",
        f"{path} line 6 is not an error record",
    ]


def test_a_file_that_is_not_text_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "errors.jsonl"
    path.write_bytes(b"\xff\xfe\x00")
    read = read_errors(path)
    assert read.records == [] and len(read.problems) == 1 and str(path) in read.problems[0]
