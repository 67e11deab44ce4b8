"""`summarize eval` from the command line: the exit code is the verdict's."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from eval_workspace import (
    MODEL,
    ROOT,
    golden_file,
    record,
    worse_prompt,
)
from model_server import ModelServer
from typer.testing import CliRunner

from summarize.cli.app import app


def test_cli_exit_codes_follow_the_verdict(work: Path, model: ModelServer) -> None:
    runner = CliRunner()
    common = ["eval", "seeds", "--golden", "golden", "--recordings", "recordings"]
    live = ["--record-missing", "--base-url", model.base_url, "--model", MODEL]
    ok = runner.invoke(app, [*common, *live, "--no-baseline", "--junit", "j.xml"])
    assert ok.exit_code == 0, ok.output
    assert "PASS: 5 case(s)" in ok.output and (work / "j.xml").is_file()
    # The run's costs: the test double's usage is 10 + 5 tokens an answer, one per article.
    assert "tokens: 50 prompt + 25 completion = 75; re-asks 0" in " ".join(ok.output.split())
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


def eval_command(*args: str) -> subprocess.CompletedProcess[str]:
    """The real `summarize eval` in a fresh process, replaying the workspace's recordings."""
    run = [sys.executable, "-c", "from summarize.cli.app import main; main()", "eval", "seeds"]
    common = ["--golden", "golden", "--recordings", "recordings", *args]
    return subprocess.run([*run, *common], capture_output=True, text=True, timeout=300)


def test_without_a_quality_floor_the_verdict_says_so_everywhere(
    work: Path, model: ModelServer
) -> None:
    # The repo's rules with every floor and the threshold at 0: nothing can fail on quality.
    rules = (ROOT / "eval.toml").read_text(encoding="utf-8")
    rules = re.sub(r"(floor|threshold) = [0-9.]+", r"\1 = 0.0", rules)
    (work / "eval.toml").write_text(rules, encoding="utf-8")
    recorded = record(work, model, no_baseline=True)
    baseline = work / "fixtures" / "baseline.json"  # where the repo's eval.toml points
    baseline.parent.mkdir()
    baseline.write_text(recorded.as_baseline().model_dump_json(), encoding="utf-8")
    reports = ["--md", "r.md", "--html", "r.html", "--junit", "r.xml", "--report", "r.json"]
    alone = eval_command("--no-baseline", *reports)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert "NOT JUDGED: no quality floor set and no reference to compare with" in alone.stdout
    assert "PASS" not in alone.stdout and alone.stdout.count("NO FLOOR") == 5
    assert "PASS" not in (work / "r.md").read_text(encoding="utf-8")
    assert '<p class="verdict no_floor">NOT JUDGED' in (work / "r.html").read_text("utf-8")
    xml = (work / "r.xml").read_text(encoding="utf-8")
    assert 'name="verdict" value="NOT JUDGED: no quality floor set' in xml
    assert "PASS" not in xml and xml.count(": NO FLOOR (weighted score") == 5
    verdict = json.loads((work / "r.json").read_text(encoding="utf-8"))["verdict"]
    assert (verdict["status"], verdict["quality_floor"]) == ("pass", False)
    assert "raise them in the eval config" in verdict["reasons"][0]

    compared = eval_command(*reports)
    assert compared.returncode == 0, compared.stdout + compared.stderr
    headline = "NO REGRESSION vs baseline fixtures/baseline.json; no quality floor set"
    assert headline in compared.stdout.replace("\n", " ")
    assert f"**{headline}** (exit 0)" in (work / "r.md").read_text(encoding="utf-8")
