"""The baseline: rewritten with --update-baseline, compared with on the next run, and an
unreadable one reported as a setup error."""

from __future__ import annotations

from pathlib import Path

from eval_workspace import (
    MODEL,
    options,
    quiet,
    record,
)
from model_server import ModelServer

from summarize.cli.eval import run_eval_command
from summarize.evaluation.results import Report
from summarize.evaluation.run import evaluate
from summarize.settings import RecordingMode


def test_update_baseline_then_the_next_run_passes(work: Path, model: ModelServer) -> None:
    first = record(work, model, update_baseline=True)
    code = run_eval_command(
        options(
            work,
            mode=RecordingMode.RECORD_MISSING,
            base_url=model.base_url,
            model=MODEL,
            update_baseline=True,
        ),
        quiet(),
        quiet(),
    )
    assert first.comparison is None and code == 0
    baseline = Report.model_validate_json((work / "baseline.json").read_bytes())
    assert baseline.comparison is None and len(baseline.run.cases) == 5
    again = evaluate(options(work)).report
    assert again.comparison is not None
    assert {c.status for c in again.comparison.cases} == {"unchanged"}
    assert again.verdict.exit_code == 0


def test_an_unreadable_baseline_is_a_setup_error(work: Path, model: ModelServer) -> None:
    (work / "baseline.json").write_text('{"format": 1}', encoding="utf-8")
    report = record(work, model)
    assert report.verdict.exit_code == 2
    assert [e.kind for e in report.setup_errors] == ["baseline"]
