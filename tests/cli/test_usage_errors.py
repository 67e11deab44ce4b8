"""First contact: what a new user sees for a missing option and in --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

RUN = [sys.executable, "-c", "from summarize.cli import main; main()"]


def summarize(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "100"}  # no SUMMARIZE_* or OPENAI_* settings
    return subprocess.run(
        [*RUN, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


@pytest.mark.parametrize(
    ("given", "missing", "not_missing"),
    [
        (["--model", "m"], "--base-url", "--model"),
        (["--base-url", "http://127.0.0.1:9/v1"], "--model", "--base-url"),
    ],
)
def test_a_missing_endpoint_option_is_named(
    tmp_path: Path, given: list[str], missing: str, not_missing: str
) -> None:
    done = summarize(
        "run", str(ROOT / "seeds"), "--out", str(tmp_path / "out"), *given, cwd=tmp_path
    )
    message = " ".join(done.stderr.split())
    assert done.returncode == 2, message
    assert f"pass {missing} (or set SUMMARIZE_" in message
    assert f"pass {not_missing}" not in message and f"and {not_missing}" not in message
    assert not (tmp_path / "out").exists(), "nothing is written before the settings work"


def test_help_shows_flags_as_flags(tmp_path: Path) -> None:
    for command in (["run", "--help"], ["memo", "--help"], ["eval", "--help"], ["log", "--help"]):
        done = summarize(*command, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "<bool>" not in done.stdout, "a flag shown as <bool> invites `--replay true`"
        assert "--" in done.stdout
    run_help = summarize("run", "--help", cwd=tmp_path).stdout
    assert "--replay " in run_help and "Exit codes:" in run_help


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--local", "--model", "m"], "--local starts its own server and model"),
        (["--replay", "--out", "a-file"], "is a file, not a folder"),
        (["--replay", "--max-cost", "1"], "--max-cost needs the price of model"),
    ],
)
def test_usage_errors_write_nothing(tmp_path: Path, args: list[str], said: str) -> None:
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    if "--out" not in args:
        args = [*args, "--out", "out"]
    recordings = str(ROOT / "fixtures" / "recordings")
    done = summarize("run", str(ROOT / "seeds"), "--recordings", recordings, *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert said in " ".join(done.stderr.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"], "nothing was written"
