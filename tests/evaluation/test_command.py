"""`summarize eval` from the command line: the exit code is the verdict's."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from eval_workspace import (
    MODEL,
    golden_file,
    golden_model_server,
    prepare_work,
    record,
    worse_prompt,
)
from model_server import ModelServer
from typer.testing import CliRunner

from summarize.cli.app import app


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with golden_model_server() as server:
        yield server


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return prepare_work(tmp_path, monkeypatch)


def test_cli_exit_codes_follow_the_verdict(work: Path, model: ModelServer) -> None:
    runner = CliRunner()
    common = ["eval", "seeds", "--golden", "golden", "--recordings", "recordings"]
    live = ["--record-missing", "--base-url", model.base_url, "--model", MODEL]
    ok = runner.invoke(app, [*common, *live, "--no-baseline", "--junit", "j.xml"])
    assert ok.exit_code == 0, ok.output
    assert "PASS: 5 case(s)" in ok.output and (work / "j.xml").is_file()
    stale = runner.invoke(app, [*common, "--prompt", str(worse_prompt(work)), "--no-baseline"])
    assert stale.exit_code == 2 and "stale recording" in stale.output
    assert "--record-missing" in stale.output
    both = runner.invoke(app, [*common, "--live", "--record-missing"])
    assert both.exit_code == 2


def test_installed_command_exits_with_the_verdict(work: Path, model: ModelServer) -> None:
    record(work, model, no_baseline=True)
    run = [sys.executable, "-c", "from summarize.cli.app import main; main()", "eval", "seeds"]
    args = ["--golden", "golden", "--recordings", "recordings", "--no-baseline"]
    done = subprocess.run([*run, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    golden_file(work, "000").unlink()
    done = subprocess.run([*run, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "missing golden" in done.stdout
