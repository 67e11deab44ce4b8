"""run.json written and read back as one type, under the one version policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from run_files import write_run_json

from summarize.core.errors import OutputError
from summarize.outdir.manifest import RUN_FORMAT, ManifestError, read_manifest
from summarize.outdir.paths import OutDir
from summarize.outdir.versions import NewerFormatError

ARTICLES = [
    {"id": "a-11111111", "file": "a.txt", "status": "done", "attempts": 1, "seconds": 0.5},
    {"id": None, "file": "b.bin", "status": "failed", "note": "not an article"},
]


def test_what_is_written_is_read_back_as_written(tmp_path: Path) -> None:
    written = write_run_json(tmp_path, ARTICLES, budget_stop="spent 10 tokens")
    read = read_manifest(OutDir(tmp_path).run_json)
    assert read.manifest == written
    assert read.manifest.format == RUN_FORMAT
    assert [a.id for a in read.articles] == ["a-11111111", None]
    assert read.articles[1].note == "not an article"
    # The file's content, key for key, is what the reader gives back as JSON data.
    on_disk = json.loads(OutDir(tmp_path).run_json.read_text(encoding="utf-8"))
    assert read.as_json() == on_disk
    assert next(iter(on_disk)) == "format"


def test_a_run_json_without_a_format_number_is_older_and_read(tmp_path: Path) -> None:
    write_run_json(tmp_path, ARTICLES)
    path = OutDir(tmp_path).run_json
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["format"], data["spent_usage"], data["skipped"], data["cost"]
    path.write_text(json.dumps(data), encoding="utf-8")
    read = read_manifest(path)
    assert read.manifest.skipped == [] and read.manifest.spent_usage is None
    assert len(read.articles) == 2


def test_a_newer_run_json_is_refused_saying_what_to_do(tmp_path: Path) -> None:
    write_run_json(tmp_path, ARTICLES)
    path = OutDir(tmp_path).run_json
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format"] = RUN_FORMAT + 1
    data["a_field_from_the_future"] = {"x": 1}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NewerFormatError) as caught:
        read_manifest(path)
    message = str(caught.value)
    assert f"run.json version {RUN_FORMAT + 1}, this one knows {RUN_FORMAT}" in message
    assert "upgrade summarize" in message
    assert isinstance(caught.value, OutputError)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[1, 2]", "is not a run manifest"),
        ('{"articles": "none"}', "is not a run manifest"),
        ("{not json", "Expecting property name"),
    ],
)
def test_what_is_not_a_run_manifest_is_said_so(tmp_path: Path, content: str, expected: str) -> None:
    path = OutDir(tmp_path).run_json
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=expected):
        read_manifest(path)


def test_a_wrong_field_is_named_by_its_path(tmp_path: Path) -> None:
    write_run_json(tmp_path, ARTICLES)
    path = OutDir(tmp_path).run_json
    data = json.loads(path.read_text(encoding="utf-8"))
    data["counts"]["done"] = "many"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ManifestError, match=r"counts\.done: Input should be a valid integer"):
        read_manifest(path)


def test_a_written_manifest_has_no_placeholder_left(tmp_path: Path) -> None:
    write_run_json(tmp_path)
    text = OutDir(tmp_path).run_json.read_text(encoding="utf-8")
    assert json.loads(text)["articles"] == [] and text.endswith("]\n}\n")
