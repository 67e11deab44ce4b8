"""`summarize eval` as the command line runs it: evaluate, print, write the reports asked for,
rewrite the baseline, bless goldens after confirmation; returns the exit code."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from summarize.atomic import write_text_atomic
from summarize.core.errors import UsageError
from summarize.evaluation.baseline import write_baseline
from summarize.evaluation.config import ConfigError
from summarize.evaluation.goldens import bless
from summarize.evaluation.reports import (
    describe_case,
    junit_xml,
    print_report,
    render_report,
    report_json,
)
from summarize.evaluation.results import EXIT_SETUP
from summarize.evaluation.run import EvalOptions, Outcome, evaluate

# Asks the person at the terminal a yes/no question (typer.confirm in the CLI).
ConfirmFn = Callable[[str], bool]


def run_eval_command(
    options: EvalOptions, console: Console, err: Console, confirm: ConfirmFn | None = None
) -> int:
    """What `summarize eval` does; returns the exit code."""
    try:
        outcome = evaluate(options)
    except (UsageError, ConfigError) as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return exc.exit_code
    report = outcome.report
    print_report(report, console)
    outputs: list[tuple[Path | None, Callable[[], str]]] = [
        (options.report, lambda: report_json(report)),
        (options.junit, lambda: junit_xml(report)),
        (options.html, lambda: render_report(report, "html")),
        (options.markdown, lambda: render_report(report, "md")),
    ]
    for path, text in outputs:
        if path is not None:
            write_text_atomic(path, text())
            err.print(f"wrote {escape(str(path))}", highlight=False)
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


def _bless(
    options: EvalOptions, outcome: Outcome, err: Console, confirm: ConfirmFn | None
) -> int | None:
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
