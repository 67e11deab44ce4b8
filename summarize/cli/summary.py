"""The closing summary of a run on stderr, and as JSON on stdout for scripts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from summarize.cli.output import err, note, say
from summarize.cli.progress import clock
from summarize.outdir.paths import RUN_JSON

if TYPE_CHECKING:
    from collections.abc import Sequence

    from summarize.core.results import SkippedFile
    from summarize.outdir.closing import ClosingSummary

# Files not read named at the end; run.json lists them all.
NOT_READ_SHOWN = 5


def show_summary(
    summary: ClosingSummary,
    *,
    title: str,
    errors_at: str,
    quiet: bool = False,
    to_stdout: bool = False,
) -> None:
    """Print the summary (with `quiet`, only its failures) on stderr, or on stdout where it
    is what the command was asked for (`summarize log`)."""
    from summarize.rendering import environment

    text = (
        environment()
        .get_template("run_summary.txt.j2")
        .render(
            s=summary,
            m=summary.manifest,
            title=title,
            errors_at=errors_at,
            quiet=quiet,
            clock=clock,
            not_read_shown=NOT_READ_SHOWN,
        )
    )
    if not text.strip():
        return
    if to_stdout:
        typer.echo(text.rstrip("\n"))
    else:
        err.print(text.rstrip("\n"), markup=False, highlight=False, emoji=False)


def show_not_read(
    skipped: Sequence[SkippedFile], listed_in: str = RUN_JSON, shown: int = 20
) -> None:
    """The files in the source that were not read, a line each (the first `shown`: the
    rest are listed in `listed_in`)."""
    if not skipped:
        return
    note(f"{len(skipped)} file{'s' * (len(skipped) != 1)} not read (not articles):")
    for entry in skipped[:shown]:
        say("  not read", "dim", f"{entry.file}: {entry.reason}")
    if len(skipped) > shown:
        note(f"  ... and {len(skipped) - shown} more, listed in {listed_in}")


def print_json(summary: ClosingSummary) -> None:
    """The summary as one JSON document on stdout."""
    typer.echo(json.dumps(summary.as_json(), indent=2, ensure_ascii=False))
