"""Commands that never call a model must not pay for the model SDKs at start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

# Runs a command in a fresh interpreter and reports which heavy libraries it imported.
PROBE = """
import json, sys
from summarize.cli import main
sys.argv = ["summarize", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted(m for m in ("openai", "instructor", "httpx2", "trafilatura") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def imported(*args: str | Path, cwd: Path = ROOT) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    result: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["run", "--help"],
        ["memo", "--help"],
        ["schema", "--check"],
    ],
)
def test_help_and_light_commands_import_no_model_sdk(args: list[str]) -> None:
    probe = imported(*args)
    assert probe["code"] == 0
    assert probe["heavy"] == []


def test_a_memo_and_the_log_import_no_model_sdk(tmp_path: Path) -> None:
    memo = imported("memo", ROOT / "fixtures" / "golden", "--out", tmp_path / "memo.md")
    assert (memo["code"], memo["heavy"]) == (0, [])
    assert (tmp_path / "memo.md").is_file()
    out = tmp_path / "out"
    run = imported("run", ROOT / "seeds", "--replay", "--out", out)
    assert run["code"] == 0
    assert "openai" in run["heavy"], "the probe does see the SDK when a command uses it"
    log = imported("log", out)
    assert (log["code"], log["heavy"]) == (0, [])
