"""A matrix of prompts x models: every cell on the same articles, through the real pipeline,
against loopback test-double models that answer differently per model and per prompt."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from eval_workspace import (
    MODEL,
    NO_EVIDENCE_PROMPT,
    TERSE_MODEL,
    matrix_model,
    options,
    quiet,
    worse_prompt,
)
from lxml import html as lxml_html  # type: ignore[import-untyped]
from model_server import ModelServer
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.cli.eval import run_eval_command
from summarize.core.errors import UsageError
from summarize.evaluation.matrix_reports import (
    matrix_json,
    matrix_junit,
    matrix_report,
    render_matrix,
)
from summarize.evaluation.matrix_results import MatrixReport
from summarize.evaluation.run import Evaluated, evaluate_all
from summarize.model.prompts import load_prompt
from summarize.settings import RecordingMode

SHIPPED = load_prompt().path


@pytest.fixture
def server() -> ModelServer:
    with ModelServer(responder=matrix_model) as running:
        yield running


def matrix(work: Path, server: ModelServer | None, **changes: object) -> Evaluated:
    """Both prompts with both models; recorded through `server`, or replayed without one."""
    mode = RecordingMode.RECORD_MISSING if server is not None else RecordingMode.REPLAY
    chosen: dict[str, object] = {
        "prompts": (SHIPPED, NO_EVIDENCE_PROMPT),
        "models": (MODEL, TERSE_MODEL),
        "mode": mode,
        "base_url": server.base_url if server is not None else None,
        "no_baseline": True,
    }
    return evaluate_all(options(work, **{**chosen, **changes}))


def by_label(evaluated: Evaluated) -> dict[str, dict[str, float | None]]:
    return {c.spec.label: c.outcome.report.run.metrics for c in evaluated.cells}


def test_every_prompt_runs_with_every_model_on_the_same_articles(
    work: Path, server: ModelServer
) -> None:
    evaluated = matrix(work, server)
    labels = [c.spec.label for c in evaluated.cells]
    assert labels == [
        f"extract x {MODEL}",
        f"extract x {TERSE_MODEL}",
        f"no_evidence_rules x {MODEL}",
        f"no_evidence_rules x {TERSE_MODEL}",
    ]
    for cell in evaluated.cells:
        cases = cell.outcome.report.run.cases
        assert len(cases) == 5 and all(c.status == "scored" for c in cases)
    assert {c.outcome.report.model for c in evaluated.cells} == {MODEL, TERSE_MODEL}
    asked = {
        (r.json()["model"], "evidence field" in r.json()["messages"][0]["content"])
        for r in server.requests
    }
    assert asked == {(MODEL, True), (MODEL, False), (TERSE_MODEL, True), (TERSE_MODEL, False)}

    metrics = by_label(evaluated)
    faithful = metrics[f"extract x {MODEL}"]
    terse = metrics[f"extract x {TERSE_MODEL}"]
    broken = metrics[f"no_evidence_rules x {MODEL}"]
    assert faithful["weighted_score"] == 1.0
    # The terse model leaves out outcomes: only those fields drop.
    assert terse["mean.outcomes"] is not None and terse["mean.outcomes"] < 1.0
    assert terse["mean.participants"] == 1.0
    # Without the evidence rules every cited number is out of range: asked again, then dropped.
    assert broken["mean.grounding"] == 0.0 and broken["mean.participants"] == 0.0
    cells = {c.spec.label: c for c in evaluated.cells}
    assert cells[f"extract x {MODEL}"].stats.reasks == 0
    assert cells[f"no_evidence_rules x {MODEL}"].stats.reasks > 0
    assert (
        cells[f"no_evidence_rules x {MODEL}"].stats.total_tokens
        > cells[f"extract x {MODEL}"].stats.total_tokens
    )
    # The strict workspace config fails the cells without participants, passes the faithful.
    verdicts = {c.spec.label: c.outcome.report.verdict.exit_code for c in evaluated.cells}
    assert verdicts[f"extract x {MODEL}"] == 0
    assert verdicts[f"no_evidence_rules x {MODEL}"] == 1


def test_each_cell_records_into_its_own_folder_and_replays_from_it(
    work: Path, server: ModelServer
) -> None:
    recorded = matrix(work, server)
    folders = sorted(p.name for p in work.iterdir() if p.name.startswith("recordings"))
    assert folders == [
        "recordings",
        f"recordings-{TERSE_MODEL}",
        "recordings-no_evidence_rules",
        f"recordings-no_evidence_rules-{TERSE_MODEL}",
    ]
    for name in folders:
        assert len(list((work / name).glob("*.json"))) == 5
    server.stop()
    replayed = matrix(work, None)
    assert by_label(replayed) == by_label(recorded)
    for before, after in zip(recorded.cells, replayed.cells, strict=True):
        assert after.outcome.report.recording == "replay"
        assert after.stats.latency == "replay" and before.stats.latency == "model"
        # Tokens and re-asks are recorded with the answers, so a replay reports the same.
        assert (after.stats.total_tokens, after.stats.reasks) == (
            before.stats.total_tokens,
            before.stats.reasks,
        )


def test_the_baseline_judges_only_the_cell_of_its_prompt_and_model(
    work: Path, server: ModelServer
) -> None:
    single = evaluate_all(
        options(
            work,
            mode=RecordingMode.RECORD_MISSING,
            base_url=server.base_url,
            model=MODEL,
            no_baseline=True,
        )
    )
    baseline = single.cells[0].outcome.report.as_baseline()
    (work / "baseline.json").write_text(baseline.model_dump_json(), encoding="utf-8")
    evaluated = matrix(work, server, no_baseline=False)
    compared = [c.spec.label for c in evaluated.cells if c.outcome.report.comparison]
    assert compared == [f"extract x {MODEL}"]
    first = evaluated.cells[0].outcome.report.comparison
    assert first is not None and first.count("unchanged") == 5


def test_a_model_served_elsewhere_is_called_at_its_own_base_url(work: Path) -> None:
    with (
        ModelServer(responder=matrix_model) as first,
        ModelServer(responder=matrix_model) as second,
    ):
        config = (work / "eval.toml").read_text(encoding="utf-8")
        config += f'\n[models."{TERSE_MODEL}"]\nbase_url = "{second.base_url}"\n'
        (work / "eval.toml").write_text(config, encoding="utf-8")
        evaluated = matrix(work, first, prompts=(SHIPPED,))
        assert {r.json()["model"] for r in first.requests} == {MODEL}
        assert {r.json()["model"] for r in second.requests} == {TERSE_MODEL}
    endpoints = {c.spec.model: c.endpoint for c in evaluated.cells}
    assert endpoints == {MODEL: first.base_url, TERSE_MODEL: second.base_url}


def test_a_price_gives_each_cell_its_cost(work: Path, server: ModelServer) -> None:
    (work / "summarize.toml").write_text(
        f'[prices."{TERSE_MODEL}"]\nprompt = 1000000.0\ncompletion = 2000000.0\n',
        encoding="utf-8",
    )
    evaluated = matrix(work, server, prompts=(SHIPPED,))
    costs = {c.spec.model: c.stats for c in evaluated.cells}
    assert costs[MODEL].cost is None  # no price, no made-up cost
    terse = costs[TERSE_MODEL]
    assert terse.cost == terse.prompt_tokens + 2 * terse.completion_tokens > 0


def test_reports_put_the_cells_side_by_side(work: Path, server: ModelServer) -> None:
    report = matrix_report(matrix(work, server))
    text = matrix_json(report)
    assert matrix_json(MatrixReport.model_validate_json(text)) == text
    data = json.loads(text)
    assert [c["stats"]["reasks"] > 0 for c in data["cells"]] == [False, False, True, True]
    assert set(data["goldens"]) == set(data["articles"]) and len(data["articles"]) == 5
    assert all(set(c["outputs"]) == set(data["articles"]) for c in data["cells"])

    root = ET.fromstring(matrix_junit(report))
    suites = root.findall("testsuite")
    assert len(suites) == 4 and root.get("tests") == "20"
    names = {s.get("name") for s in suites}
    assert f"summarize eval: no_evidence_rules x {MODEL}" in names
    broken = next(s for s in suites if s.get("name", "").endswith(f"no_evidence_rules x {MODEL}"))
    assert broken.get("failures") == "5"

    page = lxml_html.fromstring(render_matrix(report, "html"))
    headers = [th.text_content() for th in page.xpath("//table[@class='fields']//th")]
    assert headers[2:] == [c.label for c in report.cells]
    sections = page.xpath("//section[@class='article']")
    assert len(sections) == 5
    # The article with outcomes: the terse model's column marks them missed, the faithful
    # one matched; the broken prompt's column lists what it dropped for want of evidence.
    marks = [
        {li.get("data-mark") for li in td.xpath(".//li[@data-mark]")}
        for td in sections[0].xpath(".//tr[th][1]/following-sibling::tr[2]/td")
    ]
    assert marks[0] == {"golden"}
    assert marks[1] == {"match"}
    assert "missed" in marks[2]
    dropped = sections[0].xpath(".//li[@class='dropped']")
    assert dropped, "the broken prompt's dropped items are listed"

    text = render_matrix(report, "md")
    assert "## Outputs side by side" in text and "− missed: " in text
    assert f"| extract x {MODEL} |" in text


def test_the_cli_runs_the_matrix_and_writes_every_report(work: Path, server: ModelServer) -> None:
    args = [
        "eval", "seeds", "--golden", "golden", "--recordings", "recordings",
        "--prompt", str(SHIPPED), "--prompt", str(NO_EVIDENCE_PROMPT),
        "--model", MODEL, "--model", TERSE_MODEL,
        "--record-missing", "--base-url", server.base_url, "--no-baseline",
        "--html", "m.html", "--md", "m.md", "--junit", "m.xml", "--report", "m.json",
    ]  # fmt: skip
    done = CliRunner().invoke(app, args, terminal_width=200)
    assert done.exit_code == 1, done.output
    assert "FAIL: 2 of 4 cells fail" in done.output
    for name in ("m.html", "m.md", "m.xml", "m.json"):
        assert (work / name).is_file()
    assert MatrixReport.model_validate_json((work / "m.json").read_bytes()).cells


def test_matrix_options_that_take_one_cell_are_refused(work: Path) -> None:
    with pytest.raises(UsageError, match="--against and --update-baseline"):
        evaluate_all(options(work, models=(MODEL, TERSE_MODEL), update_baseline=True))
    with pytest.raises(UsageError, match="--bless"):
        evaluate_all(options(work, models=(MODEL, TERSE_MODEL), bless=("all",)))
    with pytest.raises(UsageError, match="same name"):
        other = work / "x" / "no_evidence_rules.j2"
        other.parent.mkdir()
        other.write_text(NO_EVIDENCE_PROMPT.read_text("utf-8"), "utf-8")
        evaluate_all(options(work, prompts=(NO_EVIDENCE_PROMPT, other)))
    with pytest.raises(UsageError, match="--local"):
        evaluate_all(options(work, local=True, mode=RecordingMode.REPLAY))
    with pytest.raises(UsageError, match="leave out --base-url and --model"):
        evaluate_all(options(work, local=True, models=(MODEL,), mode=RecordingMode.LIVE))
    assert run_eval_command(options(work, local=True), quiet(), quiet()) == 2


def test_against_shows_both_prompts_outputs_next_to_the_golden(
    work: Path, model: ModelServer
) -> None:
    page = work / "against.html"
    chosen = options(
        work,
        mode=RecordingMode.LIVE,
        base_url=model.base_url,
        model=MODEL,
        prompt=worse_prompt(work),
        against=SHIPPED,
        html=page,
        markdown=work / "against.md",
    )
    assert run_eval_command(chosen, quiet(), quiet()) == 1
    tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    sections = tree.xpath("//section[@class='article']")
    assert len(sections) == 5
    header = [th.text_content() for th in sections[0].xpath(".//table[@class='side']//tr[1]/th")]
    assert header == ["golden", "reference (--against)", "candidate"]
    columns = sections[0].xpath(".//table[@class='side']//tr[3]/td")
    reference, candidate = columns[1], columns[2]
    assert reference.xpath(".//li[@data-mark='match']") and not reference.xpath(
        ".//li[@data-mark='missed']"
    )
    # The worse prompt leaves the participants out: each is marked missed.
    missed = [li.text_content() for li in candidate.xpath(".//li[@data-mark='missed']")]
    assert "Vladimir Putin" in " ".join(missed)
    text = (work / "against.md").read_text(encoding="utf-8")
    assert "| | golden | reference (--against) | candidate |" in text
