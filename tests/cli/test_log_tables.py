"""`summarize log` tables as real processes: through a pipe every column keeps its whole text
(a program or a pager reads it); on an 80-column terminal the numbers stay whole."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_process import summarize

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
RECORDINGS = ROOT / "fixtures" / "recordings"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("log") / "a-rather-long-output-folder-name"
    ran = summarize("run", SEEDS, "--replay", "--recordings", RECORDINGS, "-o", folder, "-q")
    assert ran.code == 0, ran.stderr
    return folder


def test_the_runs_table_keeps_every_column_whole_on_a_pipe(out: Path) -> None:
    runs = json.loads(summarize("log", out, "--json").stdout)

    ran = summarize("log", out)

    assert ran.code == 0, ran.stderr
    assert "…" not in ran.stdout
    header, *rows = [line for line in ran.stdout.splitlines() if line.strip()]
    assert header.split() == [
        "run", "started", "status", "done", "fail", "skip", "calls", "tokens", "prompt", "model",
    ]  # fmt: skip
    assert len(rows) >= 1 + len(runs)
    row = next(r for r in rows if r.split()[0] == "1")
    assert runs[0]["prompt_version"] in row.split()
    assert runs[0]["model"] in row.split()
    assert str(runs[0]["tokens"]) in row.split()


def test_a_runs_table_wider_than_any_terminal_is_not_cut_on_a_pipe(out: Path) -> None:
    ran = summarize("log", out, "--run", "1")

    assert ran.code == 0, ran.stderr
    assert "…" not in ran.stdout
    briefs = sorted(p.stem for p in (out / "briefs").glob("*.json"))
    for article_id in briefs:
        assert article_id in ran.stdout


def test_on_a_narrow_terminal_numbers_stay_whole(out: Path) -> None:
    runs = json.loads(summarize("log", out, "--json").stdout)

    ran = summarize("log", out, terminal=True, stdout_terminal=True)

    assert ran.code == 0
    assert str(runs[0]["tokens"]) in ran.stderr
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", ran.stderr)  # colours are not columns
    assert max(len(line) for line in shown.splitlines()) <= 80
