"""Producing and scoring briefs end to end: the real pipeline against a loopback model that
answers from the goldens (see eval_workspace), real files, recordings made by the record mode."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
from eval_workspace import (
    MODEL,
    article_id_of,
    golden_answer,
    golden_file,
    options,
    record,
    worse_prompt,
)
from model_server import ModelServer, ReceivedRequest, Reply
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.errors import UsageError
from summarize.evaluation.reports import render_report
from summarize.evaluation.run import EvalOptions, evaluate, git_state, rerecord_command
from summarize.model.local_server import LocalServerError, default_model_path
from summarize.model.prompts import load_prompt
from summarize.model.recording import with_replay_endpoint
from summarize.settings import InstructorMode, RecordingMode, load_settings

# -- replay, recordings and setup errors --------------------------------------------------------


def test_record_then_replay_offline_gives_the_same_scores(work: Path, model: ModelServer) -> None:
    recorded = record(work, model, no_baseline=True)
    assert recorded.verdict.exit_code == 0, recorded.verdict
    assert len(recorded.run.cases) == 5 and len(list((work / "recordings").glob("*.json"))) == 5
    assert all(c.weighted_score == 1.0 for c in recorded.run.cases)
    model.stop()
    replayed = evaluate(options(work, no_baseline=True)).report
    assert replayed.model == MODEL and replayed.recording == "replay"
    assert [c.model_dump() for c in replayed.run.cases] == [
        c.model_dump() for c in recorded.run.cases
    ]
    assert replayed.verdict.exit_code == 0


def test_a_changed_prompt_makes_recordings_stale_with_the_rerecord_command(
    work: Path, model: ModelServer
) -> None:
    record(work, model, no_baseline=True)
    report = evaluate(options(work, prompt=worse_prompt(work), no_baseline=True)).report
    assert report.verdict.exit_code == 2 and report.verdict.status == "setup_error"
    assert {e.kind for e in report.setup_errors} == {"stale_recording"}
    error = report.setup_errors[0]
    assert "prompt version changed" in error.message
    assert "summarize eval" in error.fix and "--record-missing" in error.fix
    assert f"--model {MODEL}" in error.fix and "--prompt" in error.fix
    assert "stale recording" in report.verdict.headline


def test_a_missing_recording_is_a_setup_error(work: Path, model: ModelServer) -> None:
    record(work, model, no_baseline=True)
    next((work / "recordings").glob("003_*.json")).unlink()
    report = evaluate(options(work, no_baseline=True)).report
    assert report.verdict.exit_code == 2
    assert [(e.kind, e.article_id[:3]) for e in report.setup_errors if e.article_id] == [
        ("missing_recording", "003")
    ]
    assert sum(c.status == "scored" for c in report.run.cases) == 4


def test_another_prompt_is_told_to_record_into_its_own_folder(work: Path) -> None:
    (work / "fixtures" / "recordings").mkdir(parents=True)
    prompt = worse_prompt(work)
    report = evaluate(options(work, recordings=None, prompt=prompt, no_baseline=True)).report
    (error,) = report.setup_errors
    assert f"--prompt {prompt}" in error.fix
    assert "--recordings fixtures/recordings-worse" in error.fix


def test_no_recordings_at_all_says_how_to_record(work: Path) -> None:
    report = evaluate(options(work, no_baseline=True)).report
    assert report.verdict.exit_code == 2
    assert report.setup_errors[0].kind == "missing_recording"
    assert "--record-missing" in report.setup_errors[0].fix


def test_repeat_needs_live_and_against_excludes_baseline(work: Path) -> None:
    with pytest.raises(UsageError, match="--repeat needs --live"):
        evaluate(options(work, repeat=2))
    with pytest.raises(UsageError, match="--against"):
        evaluate(options(work, against=work / "x.j2", baseline=work / "b.json"))


# -- regressions --------------------------------------------------------------------------------


def test_a_worse_prompt_is_caught_against_the_baseline(work: Path, model: ModelServer) -> None:
    good = record(work, model, update_baseline=False, no_baseline=True)
    (work / "baseline.json").write_text(good.as_baseline().model_dump_json(), encoding="utf-8")
    worse = record(work, model, prompt=worse_prompt(work), recordings=work / "rec-worse")
    assert worse.verdict.exit_code == 1 and worse.verdict.status == "fail"
    assert worse.comparison is not None and worse.comparison.reference_kind == "baseline"
    assert worse.comparison.count("regressed") == 5
    for change in worse.comparison.cases:
        participants = change.field("participants")
        assert participants is not None and participants.status == "regressed"
        assert change.field("topics") is not None
        assert change.field("topics").status == "unchanged"  # type: ignore[union-attr]
    reasons = "\n".join(worse.verdict.reasons)
    assert "REGRESSION vs baseline" in reasons and "participants" in reasons


def test_a_corrupted_golden_is_caught_with_a_diff(work: Path, model: ModelServer) -> None:
    good = record(work, model, no_baseline=True)
    (work / "baseline.json").write_text(good.as_baseline().model_dump_json(), encoding="utf-8")
    path = golden_file(work, "004")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"name": "Barack Obama"', '"name": "Angela Merkel"'), "utf-8")
    report = evaluate(options(work)).report  # replay, compared with the committed baseline
    assert report.verdict.exit_code == 1
    failed = [c for c in report.run.cases if not c.passed]
    assert [c.article_id[:3] for c in failed] == ["004"]
    participants = failed[0].field("participants")
    assert participants is not None
    assert participants.missing == ["Angela Merkel"] and participants.extra == ["Barack Obama"]
    assert report.comparison is not None
    assert [c.article_id[:3] for c in report.comparison.cases if c.status == "regressed"] == ["004"]


def test_against_compares_two_prompts_side_by_side(work: Path, model: ModelServer) -> None:
    report = evaluate(
        options(
            work,
            mode=RecordingMode.LIVE,
            base_url=model.base_url,
            model=MODEL,
            prompt=worse_prompt(work),
            against=load_prompt().path,
        )
    ).report
    assert report.reference_run is not None and report.comparison is not None
    assert report.comparison.reference_kind == "prompt"
    assert report.reference_run.prompt_version == load_prompt().version
    assert report.run.prompt_version != report.reference_run.prompt_version
    assert report.verdict.exit_code == 1
    page = render_report(report, "html")
    assert "reference score" in page and report.reference_run.prompt_version in page
    assert not list((work / "recordings").glob("*")), "live mode records nothing"


def test_repeat_in_live_mode_exposes_a_flaky_field(work: Path) -> None:
    calls: dict[str, int] = {}

    def flaky(request: ReceivedRequest) -> Reply:
        article_id = article_id_of(request)
        n = calls[article_id] = calls.get(article_id, 0) + 1
        return golden_answer(article_id, participants=n % 2 == 1)

    with ModelServer(responder=flaky) as server:
        report = evaluate(
            options(
                work,
                mode=RecordingMode.LIVE,
                base_url=server.base_url,
                model=MODEL,
                repeat=2,
                no_baseline=True,
            )
        ).report
    assert report.run.repeat == 2
    for case in report.run.cases:
        assert [f.field for f in case.flaky] == ["participants"], case.flaky
        participants = case.field("participants")
        assert participants is not None and not participants.passed
        assert participants.score == 0.5 and "FLAKY over 2 runs" in participants.reason
    assert report.verdict.exit_code == 1


def test_git_state_reads_the_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert git_state() == (None, None)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    (tmp_path / "f.txt").write_text("a", encoding="utf-8")
    subprocess.run([*git, "add", "f.txt"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert git_state() == (head.strip(), False)
    (tmp_path / "f.txt").write_text("b", encoding="utf-8")
    assert git_state() == (head.strip(), True)


# -- the stale-recording trap: the suggested command records what the replay asks for ----------


def test_the_stale_recording_fix_is_a_command_that_works(work: Path, model: ModelServer) -> None:
    """Recorded with a 4096-token cap (what `--local` used to fit), replayed with 2048: the
    fix names the cap the replay asks for, and running it makes the replay pass."""
    record(work, model, no_baseline=True, max_output_tokens=4096)
    stale = evaluate(options(work, no_baseline=True)).report
    assert stale.verdict.exit_code == 2
    errors = [e for e in stale.setup_errors if e.kind == "stale_recording"]
    assert len(errors) == 5 and "max_tokens" in errors[0].message
    fix = errors[0].fix.removeprefix("re-record: ").split(" (or, with")[0]
    assert "--record-missing" in fix and "--max-output-tokens 2048" in fix
    assert f"--model {MODEL}" in fix and "--base-url <endpoint>" in fix
    args = shlex.split(fix.replace("<endpoint>", model.base_url))
    assert args[:2] == ["summarize", "eval"]
    done = CliRunner().invoke(app, args[1:])
    assert done.exit_code == 0, done.output
    again = evaluate(options(work, no_baseline=True)).report
    assert again.verdict.exit_code == 0 and not again.setup_errors


def test_eval_takes_runs_model_settings_into_the_requests(work: Path, model: ModelServer) -> None:
    report = record(work, model, no_baseline=True, max_output_tokens=1000, max_reasks=0)
    assert report.verdict.exit_code == 0
    assert {r.json()["max_tokens"] for r in model.requests} == {1000}
    stale = evaluate(options(work, no_baseline=True, max_reasks=0)).report
    fix = stale.setup_errors[0].fix
    assert "--max-output-tokens 2048" in fix and "--max-reasks 0" in fix


def test_the_bundled_model_is_offered_with_the_cap_replay_asks_for() -> None:
    try:
        bundled = default_model_path().stem
    except LocalServerError as exc:
        pytest.skip(str(exc))
    settings = load_settings(None, recording=RecordingMode.REPLAY, model=bundled)
    fix = rerecord_command(EvalOptions(), with_replay_endpoint(settings), None, None)
    local = fix.split("(or, with the bundled local model: ")[1]
    assert local.startswith("summarize eval --record-missing --local")
    assert "--max-output-tokens 2048" in local and "--model" not in local
    assert "summarize run" not in fix


def test_a_given_structured_output_mode_is_part_of_the_fix(isolated: Path) -> None:
    chosen = EvalOptions(instructor_mode=InstructorMode.TOOLS, max_output_tokens=512)
    settings = load_settings(
        None, recording=RecordingMode.REPLAY, model="m", mode="tools", max_output_tokens=512
    )
    fix = rerecord_command(chosen, with_replay_endpoint(settings), None, None)
    assert "--mode tools" in fix and "--max-output-tokens 512" in fix
