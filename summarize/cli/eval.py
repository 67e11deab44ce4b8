"""`summarize eval`: prompt regression against golden briefs, one prompt with one model or a
matrix of prompts x models side by side; what it prints, and the files it writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from summarize.cli import options as opt
from summarize.cli.output import err, fail

if TYPE_CHECKING:
    from rich.table import Table

    from summarize.evaluation.matrix_results import CellStats, MatrixReport
    from summarize.evaluation.results import Comparison, Report
    from summarize.evaluation.run import EvalOptions, Evaluated, Outcome

EVAL_HELP = """
Score the current prompt and schema against the golden briefs (prompt
regression test).

Runs the pipeline over SRC (default: seeds/), replaying fixtures/recordings
unless --live or --record-missing is given, compares each brief with
fixtures/golden/<article-id>.json field by field, and compares the scores with
the committed baseline (fixtures/baseline.json). Weights, floors, the case
threshold and the baseline tolerance are in eval.toml.

Several --prompt and --model make a matrix: every prompt with every model on
the same articles, each cell judged on its own floors, with its tokens, cost
(with [prices] in summarize.toml), re-asks and seconds per article; --html and
--md then put the cells' outputs side by side with the golden, --junit has a
test suite per cell. A model served elsewhere is named in eval.toml:
[models."gpt-4o-mini"] base_url = "https://api.openai.com/v1". Each cell
replays its own recordings folder (fixtures/recordings-<prompt>-<model>).

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
  summarize eval --prompt prompts/extract.j2 --prompt terse.j2 \\
      --model smollm2 --model qwen2.5:7b --record-missing \\
      --base-url http://127.0.0.1:8080/v1 --html matrix.html


  summarize eval --record-missing --local --max-output-tokens 2048
      (re-record the shipped recordings with the bundled model)


  summarize eval --update-baseline          (accept the current scores)


  summarize eval --reviewed out/ --suggest-floors
      (floors for eval.toml from the briefs you reviewed)

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
    prompt: opt.PromptsOption = None,
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
    model: opt.ModelsOption = None,
    recordings: opt.RecordingsOption = None,
    concurrency: opt.ConcurrencyOption = None,
    mode: opt.ModeOption = None,
    timeout: opt.TimeoutOption = None,
    max_reasks: opt.MaxReasksOption = None,
    max_output_tokens: opt.MaxOutputTokensOption = None,
    local: opt.LocalOption = False,
    model_path: opt.ModelPathOption = None,
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
    suggest_floors: Annotated[
        bool,
        opt.flag(
            "--suggest-floors",
            help="Print eval.toml [case] and [fields] lines whose floors this run's cases all "
            "meet (lowest score less the baseline tolerance): run it on goldens or reviews.",
        ),
    ] = False,
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

    from summarize.cli.progress import RunProgress
    from summarize.evaluation.run import EvalOptions
    from summarize.settings import RecordingMode

    if live and record_missing:
        raise fail("choose one of --live, --record-missing (default: replay)")
    if model_path is not None and not local:
        raise fail("--model-path goes with --local")
    recording = (
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
        prompts=tuple(prompt or ()),
        against=against,
        against_recordings=against_recordings,
        mode=recording,
        instructor_mode=mode,
        base_url=base_url,
        models=tuple(model or ()),
        recordings=recordings,
        concurrency=concurrency,
        timeout=timeout,
        max_reasks=max_reasks,
        max_output_tokens=max_output_tokens,
        local=local,
        model_path=model_path,
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
    code = run_eval_command(options, Console(), err, ask, suggest_floors=suggest_floors)
    raise typer.Exit(code)


# Asks the person at the terminal a yes/no question (typer.confirm in the CLI).
ConfirmFn = Callable[[str], bool]


def run_eval_command(
    options: EvalOptions,
    console: Console,
    err: Console,
    confirm: ConfirmFn | None = None,
    *,
    suggest_floors: bool = False,
) -> int:
    """What `summarize eval` does: evaluate, print, write the reports asked for, rewrite the
    baseline, bless goldens after confirmation; returns the exit code."""
    from summarize.core.errors import SummarizeError
    from summarize.evaluation.run import evaluate_all

    try:
        evaluated = evaluate_all(options)
    except SummarizeError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return exc.exit_code
    if options.is_matrix:
        code = _matrix_outputs(options, evaluated, console, err)
    else:
        code = _single_outputs(options, evaluated, console, err, confirm)
    if suggest_floors:
        from summarize.evaluation.floors import floors_toml

        first = evaluated.cells[0].outcome.report
        console.print(escape(floors_toml(first.run, first.config)), highlight=False, end="")
    return code


def _write(outputs: list[tuple[Path | None, Callable[[], str]]], err: Console) -> None:
    from summarize.atomic import write_text_atomic

    for path, text in outputs:
        if path is not None:
            write_text_atomic(path, text())
            err.print(f"wrote {escape(str(path))}", highlight=False)


def _single_outputs(
    options: EvalOptions,
    evaluated: Evaluated,
    console: Console,
    err: Console,
    confirm: ConfirmFn | None,
) -> int:
    from summarize.evaluation.baseline import write_baseline
    from summarize.evaluation.reports import junit_xml, render_report, report_json

    cell = evaluated.cells[0]
    outcome = cell.outcome
    report = outcome.report
    # The outputs next to the goldens: the --against prompt's first, as in the score tables.
    outputs = [("candidate", outcome.briefs)]
    if outcome.reference_briefs:
        outputs.insert(0, ("reference (--against)", outcome.reference_briefs))
    print_report(report, console)
    console.print(escape(stats_line(cell.stats)), highlight=False)
    _write(
        [
            (options.report, lambda: report_json(report)),
            (options.junit, lambda: junit_xml(report)),
            (options.html, lambda: render_report(report, "html", outputs, evaluated.goldens)),
            (options.markdown, lambda: render_report(report, "md", outputs, evaluated.goldens)),
        ],
        err,
    )
    if options.update_baseline:
        if report.setup_errors or outcome.baseline_path is None:
            err.print("[bold red]baseline not updated:[/] fix the setup errors first")
        else:
            write_baseline(report, outcome.baseline_path)
            err.print(f"baseline rewritten: {escape(str(outcome.baseline_path))}")
    if options.bless:
        code = _bless(options, outcome, err, confirm)
        if code is not None:
            return code
    return report.verdict.exit_code


def _matrix_outputs(
    options: EvalOptions, evaluated: Evaluated, console: Console, err: Console
) -> int:
    from summarize.evaluation.matrix_reports import (
        matrix_json,
        matrix_junit,
        matrix_report,
        render_matrix,
    )

    report = matrix_report(evaluated)
    print_matrix(report, console)
    _write(
        [
            (options.report, lambda: matrix_json(report)),
            (options.junit, lambda: matrix_junit(report)),
            (options.html, lambda: render_matrix(report, "html")),
            (options.markdown, lambda: render_matrix(report, "md")),
        ],
        err,
    )
    return report.verdict.exit_code


def _bless(
    options: EvalOptions, outcome: Outcome, err: Console, confirm: ConfirmFn | None
) -> int | None:
    import getpass

    from summarize.core.errors import UsageError
    from summarize.evaluation.goldens import bless
    from summarize.evaluation.reports import describe_case
    from summarize.evaluation.results import EXIT_SETUP

    ids = list(outcome.briefs) if list(options.bless) == ["all"] else list(options.bless)
    for article_id in ids:
        case = outcome.report.run.case(article_id)
        if case is not None:
            err.print(escape(describe_case(case)), highlight=False)
    if not options.yes:
        if confirm is None:
            err.print(
                "[bold red]not blessed:[/] --bless overwrites goldens; confirm with --yes "
                "(or answer the prompt in a terminal)"
            )
            return EXIT_SETUP
        question = f"Overwrite {len(ids)} golden brief(s) in {options.golden} with these outputs?"
        if not confirm(question):
            err.print("not blessed")
            return None
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown user"
    try:
        written = bless(outcome.briefs, ids, options.golden, user)
    except UsageError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return exc.exit_code
    for path in written:
        err.print(f"blessed {escape(str(path))}; review it and commit it like a hand annotation")
    return None


# -- the terminal view ---------------------------------------------------------------------------


def stats_line(stats: CellStats) -> str:
    """A cell's costs in one line: tokens, cost, re-asks, seconds per article."""
    parts = [
        f"tokens: {stats.prompt_tokens:,} prompt + {stats.completion_tokens:,} completion "
        f"= {stats.total_tokens:,}"
    ]
    if stats.cost is not None:
        parts.append(f"cost {stats.cost:.4f}")
    parts.append(f"re-asks {stats.reasks}")
    if stats.latency == "replay":
        parts.append("seconds: replayed, not the model's")
    else:
        parts.append(
            f"seconds per article {stats.seconds_mean:.1f} mean, {stats.seconds_max:.1f} max"
        )
    return "; ".join(parts)


def print_matrix(report: MatrixReport, console: Console) -> None:
    """The matrix: a row per cell (verdict, score, costs), the setup errors, the verdict."""
    from rich.table import Table

    table = Table(title="summarize eval: prompts x models", title_justify="left")
    for name, justify in (
        ("cell", "left"),
        ("prompt", "left"),
        ("model", "left"),
        ("score", "right"),
        ("passed", "right"),
        ("tokens", "right"),
        ("cost", "right"),
        ("re-asks", "right"),
        ("s/article", "right"),
        ("verdict", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for cell in report.cells:
        metrics, stats = cell.report.run.metrics, cell.stats
        score = metrics.get("weighted_score")
        verdict = cell.report.verdict
        colour = {"pass": "green", "fail": "red", "setup_error": "yellow"}[verdict.status]
        table.add_row(
            escape(cell.label),
            escape(f"{cell.prompt_file} ({cell.prompt_version})"),
            escape(cell.model or "none"),
            "-" if score is None else f"{score:.3f}",
            f"{int(metrics.get('cases_passed') or 0)}/{int(metrics.get('cases') or 0)}",
            f"{stats.total_tokens:,}",
            "n/a" if stats.cost is None else f"{stats.cost:.4f}",
            str(stats.reasks),
            "replay" if stats.latency == "replay" else f"{stats.seconds_mean:.1f}",
            f"[{colour}]{escape(verdict.headline)}[/]",
        )
    console.print(table)
    for cell in report.cells:
        for error in cell.report.setup_errors:
            console.print(
                f"[yellow]{escape(error.kind.replace('_', ' '))}[/] {escape(cell.label)} "
                f"{escape(error.article_id or '')}: {escape(error.message)}\n"
                f"  fix: {escape(error.fix)}",
                highlight=False,
            )
    final = report.verdict
    colour = {"pass": "green", "fail": "red", "setup_error": "yellow"}[final.status]
    if not final.quality_floor:
        colour = "yellow"
    console.print(f"[bold {colour}]{escape(final.headline)}[/] (exit {final.exit_code})")


def print_report(report: Report, console: Console) -> None:
    """The terminal view: the case table, the diffs worth reading, metrics and the verdict."""
    from summarize.evaluation.reports import describe_case

    run, comparison = report.run, report.comparison
    console.print(_case_table(report))
    for case in run.cases:
        change = comparison.case(case.article_id) if comparison else None
        regressed = change is not None and change.status == "regressed"
        if case.status == "scored" and case.passed and not regressed and not case.flaky:
            continue
        if case.status == "setup_error":
            continue
        console.print(escape(describe_case(case, change)), highlight=False)
    if comparison is not None:
        _print_added_and_removed(comparison, console)
    for error in report.setup_errors:
        console.print(
            f"[yellow]{escape(error.kind.replace('_', ' '))}[/] "
            f"{escape(error.article_id or '')}: {escape(error.message)}\n"
            f"  fix: {escape(error.fix)}",
            highlight=False,
        )
    metrics = run.metrics
    if metrics:
        shown = ("grounding_rate", "initiator_accuracy", "invented_initiator_rate")
        parts = []
        for name in shown:
            value = metrics.get(name)
            parts.append(
                f"{name.replace('_', ' ')} " + ("n/a" if value is None else f"{value:.2f}")
            )
        console.print("metrics: " + escape("; ".join(parts)), highlight=False)
    final = report.verdict
    colour = {"pass": "green", "fail": "red", "setup_error": "yellow"}[final.status]
    if not final.quality_floor:
        colour = "yellow"
    console.print(f"[bold {colour}]{escape(final.headline)}[/] (exit {final.exit_code})")


def _case_table(report: Report) -> Table:
    from rich.table import Table

    run, comparison = report.run, report.comparison
    title = (
        f"summarize eval: prompt {run.prompt_version} ({run.prompt_file}), model {run.model}, "
        f"{run.recording}" + (f" x{run.repeat}" if run.repeat > 1 else "")
    )
    table = Table(title=escape(title), title_justify="left")
    table.add_column("article")
    table.add_column("score", justify="right")
    table.add_column("threshold", justify="right")
    table.add_column("verdict")
    if comparison is not None:
        table.add_column("vs reference")
    table.add_column("failing fields")
    for case in run.cases:
        change = comparison.case(case.article_id) if comparison else None
        if case.status == "setup_error":
            verdict = "[yellow]SETUP[/]"
        elif case.passed and not case.has_quality_floor():
            verdict = "[yellow]NO FLOOR[/]"
        elif case.passed:
            verdict = "[green]PASS[/]"
        else:
            verdict = "[red]FAIL[/]"
        failing = ", ".join(f.field for f in case.fields if not f.passed)
        row = [
            escape(case.article_id),
            f"{case.weighted_score:.2f}" if case.status != "setup_error" else "-",
            f"{case.threshold:.2f}" if case.status != "setup_error" else "-",
            verdict,
        ]
        if comparison is not None:
            status = change.status if change else "-"
            colour = {"regressed": "red", "improved": "green"}.get(status, "white")
            row.append(f"[{colour}]{status}[/]")
        if case.status == "setup_error":
            kinds = {e.kind for e in report.setup_errors if e.article_id == case.article_id}
            failing = ", ".join(sorted(k.replace("_", " ") for k in kinds)) or "setup error"
        row.append(escape(failing or "-"))
        table.add_row(*row)
    return table


def _print_added_and_removed(comparison: Comparison, console: Console) -> None:
    removed = [c.article_id for c in comparison.cases if c.status == "removed"]
    added = [c.article_id for c in comparison.cases if c.status == "added"]
    if added:
        console.print(f"new cases (not in the reference): {escape(', '.join(added))}")
    if removed:
        console.print(f"cases gone since the reference: {escape(', '.join(removed))}")
