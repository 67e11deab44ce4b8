"""`summarize eval`: prompt regression against golden briefs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarize.cli import options as opt
from summarize.cli.output import err, fail

EVAL_HELP = """
Score the current prompt and schema against the golden briefs (prompt
regression test).

Runs the pipeline over SRC (default: seeds/), replaying fixtures/recordings
unless --live or --record-missing is given, compares each brief with
fixtures/golden/<article-id>.json field by field, and compares the scores with
the committed baseline (fixtures/baseline.json). Weights, floors, the case
threshold and the baseline tolerance are in eval.toml.

Exit codes: 0 pass (with no quality floor set in eval.toml: no regression,
shown as NO FLOOR, or NOT JUDGED without a baseline); 1 a case below its
floors/threshold, or a regression against the baseline (or --against
prompt); 2 setup error: stale or missing recording, missing or invalid golden,
unreadable baseline or config.

Examples:


  summarize eval --report report.json --junit junit.xml --html report.html


  summarize eval --prompt prompts/other.j2 --against prompts/extract.j2 \\
      --live --base-url http://127.0.0.1:8080/v1 --model smollm2 \\
      --html compare.html


  summarize eval --update-baseline          (accept the current scores)


  summarize eval --bless <article-id> --yes
      (copy a reviewed output into the goldens)


  summarize eval --reviewed out/ --prompt prompts/other.j2 --live
      (score a prompt on your own articles, against your reviews)
"""


# Long in its option declarations only: typer reads the options from the signature.
def eval_(
    src: Annotated[
        Path, typer.Argument(metavar="SRC", help="Folder or file of fixture articles.")
    ] = Path("seeds"),
    golden: Annotated[Path, typer.Option(metavar="FOLDER", help="Folder of golden briefs.")] = Path(
        "fixtures/golden"
    ),
    eval_config: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Scoring rules (default: ./eval.toml if any)."),
    ] = None,
    config: opt.ConfigOption = None,
    prompt: Annotated[
        Path | None,
        typer.Option(
            *opt.names("--prompt"),
            metavar="FILE",
            help="Prompt template to evaluate instead of the shipped one.",
        ),
    ] = None,
    against: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="A second prompt to run on the same articles and compare side by side.",
        ),
    ] = None,
    against_recordings: Annotated[
        Path | None,
        typer.Option(metavar="FOLDER", help="Recordings folder for the --against prompt."),
    ] = None,
    live: Annotated[bool, opt.flag("--live", help="Call the model; record nothing.")] = False,
    record_missing: opt.RecordMissingOption = False,
    base_url: opt.BaseUrlOption = None,
    model: opt.ModelOption = None,
    recordings: opt.RecordingsOption = None,
    concurrency: opt.ConcurrencyOption = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Report to compare with (default: fixtures/baseline.json)."
        ),
    ] = None,
    no_baseline: Annotated[
        bool, opt.flag("--no-baseline", help="Compare with no baseline.")
    ] = False,
    update_baseline: Annotated[
        bool, opt.flag("--update-baseline", help="Rewrite the baseline with this run.")
    ] = False,
    repeat: Annotated[
        int, typer.Option(metavar="N", help="With --live: run N times and report flaky fields.")
    ] = 1,
    out: Annotated[
        Path | None, opt.out_folder("Keep the produced briefs in this folder for review.")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write the JSON report here.")
    ] = None,
    junit: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write JUnit XML here (for CI).")
    ] = None,
    html: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write the HTML report here.")
    ] = None,
    markdown: Annotated[
        Path | None,
        typer.Option("--markdown", "--md", metavar="FILE", help="Write the Markdown report here."),
    ] = None,
    bless: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID",
            help="Copy this article's produced brief into the goldens after review "
            "(repeatable; 'all' for every case). Never in CI.",
        ),
    ] = None,
    yes: Annotated[bool, opt.flag("--yes", help="Confirm --bless without asking.")] = False,
    reviewed: Annotated[
        Path | None,
        typer.Option(
            metavar="FOLDER",
            help="Score against the briefs marked reviewed in this run output folder "
            "(summarize review) instead of --golden; SRC defaults to that run's articles. "
            "Articles nobody reviewed are not scored.",
        ),
    ] = None,
) -> None:
    import sys

    from rich.console import Console

    from summarize.cli.progress import RunProgress
    from summarize.evaluation.command import run_eval_command
    from summarize.evaluation.run import EvalOptions
    from summarize.settings import RecordingMode

    if live and record_missing:
        raise fail("choose one of --live, --record-missing (default: replay)")
    mode = (
        RecordingMode.LIVE
        if live
        else RecordingMode.RECORD_MISSING
        if record_missing
        else RecordingMode.REPLAY
    )
    options = EvalOptions(
        src=src,
        golden=golden,
        eval_config=eval_config,
        settings_config=config,
        prompt=prompt,
        against=against,
        against_recordings=against_recordings,
        mode=mode,
        base_url=base_url,
        model=model,
        recordings=recordings,
        concurrency=concurrency,
        baseline=baseline,
        no_baseline=no_baseline,
        update_baseline=update_baseline,
        repeat=repeat,
        out=out,
        report=report,
        junit=junit,
        html=html,
        markdown=markdown,
        bless=tuple(bless or ()),
        yes=yes,
        reviewed=reviewed,
        # A bar on a terminal, plain lines in logs: eval can run a live model for minutes.
        watch=lambda summary: RunProgress(summary, label="eval"),
    )
    ask = (lambda q: typer.confirm(q, default=False)) if sys.stdin.isatty() else None
    raise typer.Exit(run_eval_command(options, Console(), err, ask))
