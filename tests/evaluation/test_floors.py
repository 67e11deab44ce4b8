"""Floors that mean something: derived from a checked set (`--suggest-floors`), and the shipped
ones fail a prompt that drops the evidence rules, answered by a loopback test-double model."""

from __future__ import annotations

import io
import shutil
import tomllib
from pathlib import Path

from eval_workspace import MODEL, NO_EVIDENCE_PROMPT, ROOT, matrix_model, options, quiet
from golden_briefs import golden, run_of, scored, with_event
from model_server import ModelServer
from rich.console import Console

from summarize.cli.eval import run_eval_command
from summarize.evaluation.config import FIELD_NAMES, config_from_mapping
from summarize.evaluation.floors import floors_toml, suggested_floors
from summarize.evaluation.run import evaluate
from summarize.settings import RecordingMode


def test_each_floor_is_the_lowest_score_less_the_margin_rounded_down() -> None:
    g = golden("002")
    perfect = scored(g, g)
    fewer = scored(g, with_event(g, participants=g.events[0].participants[:3]))
    participants = fewer.field("participants")
    assert participants is not None and participants.score == 0.75
    threshold, floors = suggested_floors(run_of(perfect, fewer), margin=0.05)
    assert set(floors) == set(FIELD_NAMES)
    assert floors["participants"] == 0.70  # 0.75 less 0.05
    assert floors["event_type"] == 0.95  # 1.0 everywhere, less the margin
    assert threshold <= min(perfect.weighted_score, fewer.weighted_score) - 0.05
    # Every case of the set meets the floors it suggested.
    for case in (perfect, fewer):
        for name, floor in floors.items():
            found = case.field(name)
            assert found is not None and found.score >= floor


def test_no_scored_case_suggests_nothing() -> None:
    assert suggested_floors(run_of(), margin=0.05) == (0.0, {})


def test_the_suggestion_is_eval_toml_that_loads() -> None:
    g = golden("000")
    text = floors_toml(run_of(scored(g, g)), config_from_mapping({}))
    config = config_from_mapping(tomllib.loads(text))
    assert config.rule("grounding").floor == 0.95 and config.rule("grounding").required
    assert config.case.threshold == 0.95


def shipped_rules(work: Path) -> None:
    """The repo's eval.toml, floors and all, in the workspace (no baseline next to it)."""
    shutil.copy(ROOT / "eval.toml", work / "eval.toml")


def test_the_shipped_floors_fail_a_prompt_without_evidence_rules(work: Path) -> None:
    shipped_rules(work)
    with ModelServer(responder=matrix_model) as server:
        live = {"mode": RecordingMode.LIVE, "base_url": server.base_url, "model": MODEL}
        good = evaluate(options(work, eval_config=work / "eval.toml", **live)).report
        broken = evaluate(
            options(work, eval_config=work / "eval.toml", prompt=NO_EVIDENCE_PROMPT, **live)
        ).report
    assert good.verdict.exit_code == 0 and good.verdict.quality_floor, good.verdict
    assert broken.verdict.exit_code == 1 and broken.verdict.status == "fail"
    for case in broken.run.cases:
        grounding = case.field("grounding")
        assert grounding is not None and not grounding.passed and grounding.required
        assert "below floor 0.45" in grounding.reason
    assert all("grounding" in r for r in broken.verdict.reasons)


def test_suggest_floors_prints_the_rules_the_run_meets(work: Path, model: ModelServer) -> None:
    record = {"mode": RecordingMode.RECORD_MISSING, "base_url": model.base_url, "model": MODEL}
    printed = Console(record=True, width=200, file=io.StringIO())
    code = run_eval_command(
        options(work, no_baseline=True, **record), printed, quiet(), suggest_floors=True
    )
    assert code == 0
    text = printed.export_text()
    rules = tomllib.loads(text[text.index("[case]") :])
    assert rules["case"]["threshold"] == 0.95
    assert rules["fields"]["participants"] == {"weight": 2, "floor": 0.95, "required": True}
