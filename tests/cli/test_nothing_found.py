"""Every "nothing found" names the command that makes what is missing (real processes)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_process import plain, summarize


def test_memo_of_a_folder_without_briefs_names_the_command_that_makes_them(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "settings.json").write_text(json.dumps({"not": "a brief"}), encoding="utf-8")

    ran = summarize("memo", folder, "-o", tmp_path / "memo.md")

    assert ran.code == 2
    said = plain(ran.stderr)
    assert f"no briefs found in {folder}" in said
    assert f"`summarize run SRC --out {folder}` makes them" in said
    assert not (tmp_path / "memo.md").exists()


def test_run_without_articles_says_what_it_reads(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()

    ran = summarize("run", tmp_path / "src", "--replay", "-o", tmp_path / "out")

    assert ran.code == 2
    assert f"no articles found in {tmp_path / 'src'}: summarize reads" in plain(ran.stderr)


def test_log_without_a_ledger_names_the_run_that_makes_one(tmp_path: Path) -> None:
    ran = summarize("log", tmp_path)

    assert ran.code == 2
    assert f"run `summarize run SRC --out {tmp_path}` first" in plain(ran.stderr)
