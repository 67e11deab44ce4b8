"""The file shell: briefs read from a run folder (other JSON skipped, bad briefs refused)
and the memo written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from memo_briefs import GOLDEN, golden_briefs, run_output

from summarize.core.errors import SummarizeError
from summarize.memo.load import BriefLoadError, load_briefs, write_memo
from summarize.memo.render import render_memo


def test_load_briefs_reads_a_run_folder_and_skips_other_json(tmp_path: Path) -> None:
    briefs = load_briefs(run_output(tmp_path))
    assert [b.article_id for b in briefs] == sorted(p.stem for p in GOLDEN.glob("*.json"))


def test_load_briefs_refuses_broken_and_duplicate_briefs(tmp_path: Path) -> None:
    with pytest.raises(SummarizeError, match="is not a folder") as raised:
        load_briefs(tmp_path / "missing")
    assert raised.value.exit_code == 2
    out = run_output(tmp_path)
    first = next((out / "briefs").glob("*.json"))
    (out / "copy.json").write_text(first.read_text())
    with pytest.raises(BriefLoadError, match="second brief"):
        load_briefs(out)
    (out / "copy.json").write_text(json.dumps({"article_id": "x", "provenance": {}}))
    with pytest.raises(BriefLoadError, match="not a valid brief"):
        load_briefs(out)
    (out / "copy.json").write_text("{not json")
    with pytest.raises(BriefLoadError, match="not valid JSON"):
        load_briefs(out)


def test_load_briefs_reads_a_brief_only_the_json_module_parses(tmp_path: Path) -> None:
    # A lone surrogate escape is JSON to `json` but not to pydantic's parser.
    out = run_output(tmp_path)
    path = next((out / "briefs").glob("*.json"))
    data = json.loads(path.read_text())
    data["source"]["headline"] = "\ud800 headline"
    path.write_text(json.dumps(data))
    assert "\\ud800" in path.read_text()
    headlines = {b.article_id: b.source.headline for b in load_briefs(out)}
    assert headlines[data["article_id"]] == "\ud800 headline"
    assert len(headlines) == len(golden_briefs())


def test_load_briefs_skips_json_that_only_nests_the_keys_of_a_brief(tmp_path: Path) -> None:
    out = run_output(tmp_path)
    report = {"cases": [{"article_id": "x", "provenance": {}}]}
    (out / "report.json").write_text(json.dumps(report))
    briefs = load_briefs(out)
    assert [b.article_id for b in briefs] == sorted(p.stem for p in GOLDEN.glob("*.json"))


def test_write_memo_writes_the_rendered_bytes(tmp_path: Path) -> None:
    briefs = golden_briefs()
    write_memo(briefs, tmp_path / "sub" / "memo.html", fmt=None, title="T", as_of=None)
    assert (tmp_path / "sub" / "memo.html").read_bytes() == render_memo(
        briefs, "html", title="T"
    ).encode()
