"""`summarize eval` end to end: the real pipeline against a loopback model, real files.

The loopback model answers each seed from that seed's golden brief (so a faithful answer
scores 1.0), and honours one rule a prompt may add: "Leave the participants list empty."
That is how a deliberately worse prompt produces worse briefs here. Recordings are made by
the record mode into temporary folders, never written by hand.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import extraction_of
from lxml import html as lxml_html  # type: ignore[import-untyped]
from model_server import ModelServer, ReceivedRequest, Reply, chat_completion
from rich.console import Console
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.brief import Brief
from summarize.core.errors import UsageError
from summarize.evaluation.command import run_eval_command
from summarize.evaluation.reports import junit_xml, render_report
from summarize.evaluation.results import Report
from summarize.evaluation.run import EvalOptions, evaluate, git_state
from summarize.model.prompts import load_prompt
from summarize.settings import RecordingMode

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "fixtures" / "golden"
GOLDENS = {p.stem: Brief.model_validate_json(p.read_bytes()) for p in GOLDEN.glob("*.json")}
WORSE_RULE = "- Leave the participants list empty."
MODEL = "loopback-model"

# Floors that a faithful answer meets and an answer without participants does not.
STRICT_CONFIG = """
[case]
threshold = 0.5
[baseline]
tolerance = 0.05
path = "baseline.json"
[fields]
participants = { weight = 2.0, floor = 0.8, required = true }
"""


def golden_model(request: ReceivedRequest) -> Reply:
    """Answers each article from its golden brief; obeys the worse prompt's rule."""
    messages = request.json()["messages"]
    found = re.search(r"^Article id: (\S+)$", messages[1]["content"], re.MULTILINE)
    assert found, "not a summarize request"
    obey = WORSE_RULE not in messages[0]["content"]
    answer = extraction_of(GOLDENS[found.group(1)], participants=obey)
    return Reply.json(chat_completion(json.dumps(answer), model=MODEL))


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer(responder=golden_model) as server:
        yield server


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, with seeds, goldens and a strict eval config in it."""
    for name in list(os.environ):
        if name.startswith(("SUMMARIZE_", "OPENAI_")) or name == "CI":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copytree(GOLDEN, tmp_path / "golden")
    (tmp_path / "eval.toml").write_text(STRICT_CONFIG, encoding="utf-8")
    return tmp_path


def worse_prompt(folder: Path) -> Path:
    source = load_prompt().source
    marked = source.replace("- The article is data", f"{WORSE_RULE}\n- The article is data")
    assert marked != source
    path = folder / "worse.j2"
    path.write_text(marked, encoding="utf-8")
    return path


def options(work: Path, **changes: Any) -> EvalOptions:
    base: dict[str, Any] = {
        "src": work / "seeds",
        "golden": work / "golden",
        "eval_config": work / "eval.toml",
        "recordings": work / "recordings",
    }
    return EvalOptions(**{**base, **changes})


def record(work: Path, server: ModelServer, **changes: Any) -> Report:
    """Record (or replay what is there) through the loopback model."""
    chosen = options(
        work, mode=RecordingMode.RECORD_MISSING, base_url=server.base_url, model=MODEL, **changes
    )
    return evaluate(chosen).report


def golden_file(work: Path, seed: str) -> Path:
    (path,) = (work / "golden").glob(f"{seed}_*.json")
    return path


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


@pytest.mark.parametrize(
    ("corrupt", "kind", "words"),
    [
        (lambda p: p.unlink(), "missing_golden", "no golden brief"),
        (lambda p: p.write_text("{ not json", encoding="utf-8"), "invalid_golden", "not a valid"),
        (
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace('"hand_annotation"', '"model"'),
                encoding="utf-8",
            ),
            "invalid_golden",
            "not 'hand_annotation'",
        ),
    ],
    ids=["missing", "unparsable", "not-a-hand-annotation"],
)
def test_missing_or_invalid_golden_is_a_setup_error(
    work: Path, model: ModelServer, corrupt: Callable[[Path], object], kind: str, words: str
) -> None:
    corrupt(golden_file(work, "002"))
    report = record(work, model, no_baseline=True)
    assert report.verdict.exit_code == 2
    (error,) = report.setup_errors
    assert error.kind == kind and error.article_id is not None
    assert error.article_id.startswith("002") and words in error.message


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


def test_repeat_in_live_mode_exposes_a_flaky_field(work: Path) -> None:
    calls: dict[str, int] = {}

    def flaky(request: ReceivedRequest) -> Reply:
        messages = request.json()["messages"]
        found = re.search(r"^Article id: (\S+)$", messages[1]["content"], re.MULTILINE)
        assert found
        n = calls[found.group(1)] = calls.get(found.group(1), 0) + 1
        answer = extraction_of(GOLDENS[found.group(1)], participants=n % 2 == 1)
        return Reply.json(chat_completion(json.dumps(answer), model=MODEL))

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


# -- reports ------------------------------------------------------------------------------------


@pytest.fixture
def regressed(work: Path, model: ModelServer) -> Report:
    """A report where 002 lost its participants against a baseline where it had them."""
    good = record(work, model, no_baseline=True)
    (work / "baseline.json").write_text(good.as_baseline().model_dump_json(), encoding="utf-8")
    path = golden_file(work, "002")
    brief = Brief.model_validate_json(path.read_bytes())
    event = brief.events[0]
    renamed = [
        p.model_copy(update={"name": f"<b>Zed{i}</b> & co"})
        for i, p in enumerate(event.participants)
    ]
    changed = brief.model_copy(
        update={"events": [event.model_copy(update={"participants": renamed})]}
    )
    path.write_text(changed.model_dump_json(indent=2), encoding="utf-8")
    return evaluate(options(work)).report


def test_json_report_carries_versions_and_round_trips(regressed: Report, work: Path) -> None:
    run_eval_command(
        options(work, report=work / "report.json"),
        quiet(),
        quiet(),
    )
    data = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert data["prompt_version"] == load_prompt().version
    assert data["schema_version"] == "1.0" and data["model"] == MODEL
    assert "git_commit" in data and data["verdict"]["exit_code"] == 1
    again = Report.model_validate(data)
    assert again.run == regressed.run


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


def test_junit_has_one_testcase_per_article_and_the_diff(regressed: Report) -> None:
    root = ET.fromstring(junit_xml(regressed))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == 5 and suite.get("tests") == "5"
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name", "")[:3] for c in failed] == ["002"] and suite.get("failures") == "1"
    failure = failed[0].find("failure")
    assert failure is not None and failure.text is not None
    assert "- <b>Zed0</b> & co" in failure.text and "+ Vladimir Putin" in failure.text
    assert "participants" in failure.get("message", "")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["prompt_version"] == regressed.prompt_version and props["model"] == MODEL


def test_html_report_escapes_data_and_shows_the_diff(regressed: Report) -> None:
    page = render_report(regressed, "html")
    assert "<b>Zed0</b>" not in page
    assert "&lt;b&gt;Zed0&lt;/b&gt; &amp; co" in page
    tree = lxml_html.fromstring(page)
    assert tree.findtext(".//title", "").startswith("summarize eval: FAIL")
    missing = [li.text_content() for li in tree.iterfind(".//li[@class='missing']")]
    assert "<b>Zed0</b> & co" in missing
    regressed_rows = tree.xpath("//table[@class='fields']//tr[@class='regressed']/td[1]")
    assert [r.text_content().split()[0] for r in regressed_rows] == ["participants"]


def test_markdown_report_escapes_data(regressed: Report) -> None:
    text = render_report(regressed, "md")
    assert text.startswith("# summarize eval\n")
    assert "<b>" not in text.split("```")[0]
    assert "\\<b\\>Zed0\\</b\\> &amp; co" in text
    assert "| participants (required) |" in text
    assert "regressed" in text


# -- bless --------------------------------------------------------------------------------------


def corrupt_initiator(path: Path) -> None:
    """Make 001's golden say Russia initiated the call the article says the US initiated."""
    text = path.read_text(encoding="utf-8")
    corrupted = text.replace('"party": "United States"', '"party": "Russia"')
    assert corrupted != text
    path.write_text(corrupted, encoding="utf-8")


def quiet() -> Console:
    return Console(file=open(os.devnull, "w"))


def test_bless_needs_confirmation(work: Path, model: ModelServer) -> None:
    record(work, model, no_baseline=True)
    path = golden_file(work, "001")
    corrupt_initiator(path)
    before = path.read_bytes()
    aid = path.stem
    assert run_eval_command(options(work, bless=(aid,), no_baseline=True), quiet(), quiet()) == 2
    assert path.read_bytes() == before
    declined = run_eval_command(
        options(work, bless=(aid,), no_baseline=True), quiet(), quiet(), lambda q: False
    )
    assert declined == 1 and path.read_bytes() == before  # the corrupted golden still fails


def test_bless_writes_a_marked_hand_annotation(work: Path, model: ModelServer) -> None:
    record(work, model, no_baseline=True)
    path = golden_file(work, "001")
    corrupt_initiator(path)
    asked: list[str] = []

    def confirm(question: str) -> bool:
        asked.append(question)
        return True

    code = run_eval_command(
        options(work, bless=(path.stem,), no_baseline=True),
        quiet(),
        quiet(),
        confirm,
    )
    assert code == 1 and asked  # this run still scored the old golden
    blessed = Brief.model_validate_json(path.read_bytes())
    assert blessed.provenance.kind == "hand_annotation"
    assert blessed.provenance.annotator and "blessed by" in blessed.provenance.annotator
    assert MODEL in blessed.provenance.annotator
    assert blessed.provenance.note and "explicit request" in blessed.provenance.note
    assert blessed.provenance.model is None and blessed.warnings == []
    assert blessed.events[0].initiator.party == "United States"
    assert evaluate(options(work, no_baseline=True)).report.verdict.exit_code == 0


def test_bless_is_refused_in_ci(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(UsageError, match="never run in CI"):
        evaluate(options(work, bless=("all",), yes=True))


# -- the command line ---------------------------------------------------------------------------


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
