"""`summarize memo`: Markdown and HTML from a folder, --as-of, and usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from memo_briefs import GOLDEN, run_output
from typer.testing import CliRunner

from summarize.cli.app import app


def test_cli_memo_writes_markdown_and_html(tmp_path: Path) -> None:
    out = run_output(tmp_path)
    runner = CliRunner()
    for name in ("memo.md", "memo.html"):
        result = runner.invoke(
            app, ["memo", str(out), "--out", str(tmp_path / name), "--title", "Contacts"]
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "memo.md").read_text().startswith("# Contacts\n")
    assert "<title>Contacts</title>" in (tmp_path / "memo.html").read_text()
    forced = runner.invoke(
        app, ["memo", str(out), "--out", str(tmp_path / "memo.txt"), "--format", "md"]
    )
    assert forced.exit_code == 0
    assert (tmp_path / "memo.txt").read_text() == (tmp_path / "memo.md").read_text().replace(
        "# Contacts", "# Briefing memo: diplomatic contacts", 1
    )


def test_cli_memo_as_of_changes_what_is_overdue(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["memo", str(GOLDEN), "--out", str(tmp_path / "m.md"), "--as-of", "2013-06-01"]
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "m.md").read_text()
    assert "follow-ups judged as of **1 Jun 2013**" in text
    assert "| **Overdue** |" not in text


@pytest.mark.parametrize(
    "args",
    [
        ["--out", "m.txt"],
        ["--out", "m.md", "--as-of", "yesterday"],
    ],
)
def test_cli_memo_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(
        app,
        ["memo", str(GOLDEN), *[a if not a.startswith("m.") else str(tmp_path / a) for a in args]],
    )
    assert result.exit_code == 2


def test_cli_memo_on_a_folder_without_briefs_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["memo", str(tmp_path), "--out", str(tmp_path / "m.md")])
    assert result.exit_code == 2
    assert not (tmp_path / "m.md").exists()
