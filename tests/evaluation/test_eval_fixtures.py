"""The prompt regression test: each seed article is a test case, replayed and scored.

This is `summarize eval` (replay, eval.toml, the committed fixtures/baseline.json) as pytest
sees it: a case fails when it misses its floors or threshold, or when any field score drops
below the baseline by more than the tolerance, and the failure message is the readable diff.
The recorded model is weak, so eval.toml's floors are low on purpose (the lowest score each
field reaches on the seeds; see the note there): they catch a broken prompt, and the baseline
comparison catches any smaller regression.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.article import Article
from summarize.core.brief import Brief
from summarize.evaluation.floors import suggested_floors
from summarize.evaluation.reports import describe_case
from summarize.evaluation.results import Report
from summarize.evaluation.run import EvalOptions, evaluate
from summarize.sources.read import iter_articles

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "fixtures" / "golden"
RECORDINGS = ROOT / "fixtures" / "recordings"
CONFIG = ROOT / "eval.toml"
CASES = sorted(a.id for a in iter_articles(SEEDS) if isinstance(a, Article))


def evaluate_seeds(golden: Path = GOLDEN) -> Report:
    """`summarize eval` from the repo root, as CI runs it."""
    if not any(RECORDINGS.glob("*.json")):
        pytest.skip("no recordings in fixtures/recordings: record the seeds first")
    with pytest.MonkeyPatch.context() as patch:
        # Settings from the outside would change the requests and so miss the recordings.
        for name in list(os.environ):
            if name.startswith(("SUMMARIZE_", "OPENAI_")):
                patch.delenv(name)
        patch.chdir(ROOT)
        options = EvalOptions(src=SEEDS, golden=golden, eval_config=CONFIG, recordings=RECORDINGS)
        return evaluate(options).report


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate_seeds()


def test_every_seed_is_a_case() -> None:
    assert len(CASES) == 5
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(CASES)


def test_recordings_goldens_and_baseline_are_usable(report: Report) -> None:
    problems = [
        f"{e.kind} {e.article_id}: {e.message}\n  fix: {e.fix}" for e in report.setup_errors
    ]
    assert not problems, "\n".join(problems)
    assert report.comparison is not None, "no baseline: run `summarize eval --update-baseline`"
    assert report.comparison.reference_kind == "baseline"


@pytest.mark.parametrize("article_id", CASES)
def test_case_meets_its_thresholds_and_its_baseline(report: Report, article_id: str) -> None:
    case = report.run.case(article_id)
    assert case is not None, f"{article_id} was not evaluated"
    assert case.status != "setup_error", describe_case(case)
    change = report.comparison.case(article_id) if report.comparison else None
    regressed = change is not None and change.status == "regressed"
    assert case.passed and not regressed, "\n" + describe_case(case, change)


def test_verdict_is_pass(report: Report) -> None:
    assert report.verdict.exit_code == 0, "\n".join(
        [report.verdict.headline, *report.verdict.reasons]
    )


def test_a_corrupted_golden_fails_against_the_real_recordings(
    report: Report, tmp_path: Path
) -> None:
    """Corrupt the golden headlines: every case that matched its headline now regresses.

    The headline is the field the weak recorded model gets right on every seed (it comes
    from the article), so the corruption is visible whatever the model's quality.
    """
    assert report.comparison is not None
    tolerance = report.config.baseline.tolerance
    baseline = report.reference_run
    assert baseline is not None
    expected = {
        c.article_id
        for c in baseline.cases
        if (f := c.field("source.headline")) is not None and f.score > tolerance
    }
    assert expected, "the recordings match no headline: nothing to regress from"
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    for path in golden.glob("*.json"):
        brief = Brief.model_validate_json(path.read_bytes())
        source = brief.source.model_copy(update={"headline": "Nothing Like The Article"})
        path.write_text(brief.model_copy(update={"source": source}).model_dump_json(), "utf-8")
    corrupted = evaluate_seeds(golden)
    assert corrupted.verdict.exit_code == 1, corrupted.verdict
    assert corrupted.comparison is not None
    regressed = {c.article_id for c in corrupted.comparison.cases if c.status == "regressed"}
    assert regressed == expected
    for article_id in regressed:
        case = corrupted.run.case(article_id)
        change = corrupted.comparison.case(article_id)
        assert case is not None and change is not None
        diff = describe_case(case, change)
        assert "REGRESSED" in diff and "Nothing Like The Article" in diff


def test_the_shipped_floors_are_the_ones_the_shipped_recordings_suggest(report: Report) -> None:
    """eval.toml's floors come from the shipped recordings scored against the hand-annotated
    goldens (`summarize eval --suggest-floors`); re-derive them when the recordings change."""
    threshold, floors = suggested_floors(report.run, report.config.baseline.tolerance)
    assert report.config.case.threshold == threshold
    assert {name: report.config.rule(name).floor for name in floors} == floors
    assert report.verdict.quality_floor, "the shipped floors judge quality"


def test_the_readme_ci_job_passes_and_writes_its_reports(tmp_path: Path) -> None:
    """The GitHub Actions recipe in the README: its eval step, run from the repo root."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (step,) = [
        line for line in readme.splitlines() if line.strip().startswith("- run: summarize eval")
    ]
    args = shlex.split(step.split("- run: ", 1)[1])
    uploaded = re.search(r"path: \|\n((?:\s+\S+\n)+)", readme)
    assert uploaded is not None
    files = uploaded.group(1).split()
    # The same command, its reports written under tmp_path rather than into the checkout.
    outputs = {name: str(tmp_path / name) for name in files}
    assert set(outputs) <= set(args)
    args = [outputs.get(a, a) for a in args]
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(("SUMMARIZE_", "OPENAI_")):
                patch.delenv(name)
        patch.chdir(ROOT)
        done = CliRunner().invoke(app, args[1:])
    assert done.exit_code == 0, done.output
    for name in files:
        assert (tmp_path / name).stat().st_size > 0
