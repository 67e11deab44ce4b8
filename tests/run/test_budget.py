"""Token and cost budgets stop a run cleanly: done stays done, the rest is not attempted."""

import json
from pathlib import Path

from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.brief import Usage
from summarize.run.pipeline import Budget

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ["--replay", "--recordings", str(ROOT / "fixtures" / "recordings"), "--concurrency", "1"]


def _run(out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["run", str(ROOT / "seeds"), "--out", str(out), *REPLAY, *extra]
    )
    return result.exit_code, result.output


def test_budget_arithmetic() -> None:
    spent = Usage(prompt_tokens=600_000, completion_tokens=200_000, total_tokens=800_000)
    assert Budget(max_tokens=800_000).reached(spent) is not None
    assert Budget(max_tokens=800_001).reached(spent) is None
    priced = Budget(max_cost=1.0, price=(0.5, 2.0))  # per million: 0.30 + 0.40 = 0.70
    assert priced.cost(spent) == 0.7
    assert priced.reached(spent) is None
    assert Budget(max_cost=0.7, price=(0.5, 2.0)).reached(spent) is not None


def test_token_budget_stops_starting_articles_and_a_rerun_finishes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _run(out, "--max-tokens-total", "3000")
    assert code == 1
    assert "token budget reached" in output
    manifest = json.loads((out / "run.json").read_text())
    counts = manifest["counts"]
    assert counts["done"] >= 1 and counts["not_attempted"] >= 1
    assert counts["done"] + counts["not_attempted"] == 5
    assert len(list((out / "briefs").glob("*.json"))) == counts["done"]
    assert manifest["budget_stop"].startswith("token budget reached")
    logged = json.loads(CliRunner().invoke(app, ["log", str(out), "--json"]).output)
    assert [r["status"] for r in logged] == ["partial"], "not 'done': articles were left"
    code, _ = _run(out)
    again = json.loads((out / "run.json").read_text())["counts"]
    assert code == 0
    assert again["skipped"] == counts["done"] and again["done"] == counts["not_attempted"]


def test_cost_budget_uses_the_price_table(tmp_path: Path) -> None:
    model = json.loads(next((ROOT / "fixtures" / "recordings").glob("*.json")).read_text())["model"]
    config = tmp_path / "summarize.toml"
    config.write_text(f'[prices."{model}"]\nprompt = 1000.0\ncompletion = 1000.0\n')
    code, output = _run(tmp_path / "out", "--max-cost", "1", "--config", str(config))
    assert code == 1
    assert "cost budget reached" in output


def test_cost_budget_without_a_price_is_a_usage_error(tmp_path: Path) -> None:
    code, output = _run(tmp_path / "out", "--max-cost", "1")
    assert code == 2
    assert "[prices." in output, "square brackets survive the terminal's markup"
