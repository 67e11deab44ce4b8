"""`summarize review` says plainly what is wrong with the folder or the port, and starts
nothing then."""

from __future__ import annotations

import socket
from pathlib import Path

from review_runs import cli, seed_run
from run_files import write_run_json


def test_a_folder_that_is_not_a_run_output_is_said_so(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    result = cli("review", tmp_path, "--no-browser", "--port", "0")
    assert result.exit_code == 2
    assert "is not a summarize run output: it has no run.json" in result.output
    assert "summarize run ... --out FOLDER" in result.output
    missing = cli("review", tmp_path / "nowhere", "--no-browser", "--port", "0")
    assert missing.exit_code == 2 and "is not a folder" in missing.output


def test_a_run_with_no_briefs_is_said_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    articles = [{"id": "a-12345678", "file": "a.txt", "status": "failed", "note": None}]
    write_run_json(out, articles)
    result = cli("review", out, "--no-browser", "--port", "0")
    assert result.exit_code == 2
    assert "has no briefs to review (1 failed)" in result.output
    assert f"summarize log {out}" in result.output


def test_a_port_in_use_is_said_so(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("review", out, "--no-browser", "--port", port)
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.output
    assert "--port 0 for any free port" in result.output


def test_help_says_where_corrections_go() -> None:
    result = cli("review", "--help")
    assert result.exit_code == 0
    assert "reviews/<article-id>.json" in result.output
