"""The `summarize` command line: one module per command, registered here.

Command modules import the heavy parts (the openai SDK, instructor, the pipeline) inside
the command, so that `summarize --help`, `memo`, `log` and `schema` start fast.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from summarize.cli import batch, export, log, memo, review, run, schema, serve
from summarize.cli import eval as eval_command
from summarize.cli.options import HELP_OPTIONS, WordsCommand, names
from summarize.cli.output import handles_errors

app = typer.Typer(
    name="summarize",
    help="Turn folders of news articles into typed, source-grounded event briefs and memos.\n\n"
    "Start offline with the recorded seed articles:\n\n"
    "\b\n  summarize run seeds/ --replay --out out/ --memo out/memo.html\n"
    "  summarize log out/\n\n"
    "Each command's --help says what it reads, writes and exits with.",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
    pretty_exceptions_enable=False,  # tracebacks can carry request details; we print causes
    # -h as well as --help, in every command: click hands the names down to subcommands.
    context_settings={"help_option_names": HELP_OPTIONS},
)
# instructor logs every failed attempt at ERROR; the run reports failures itself, per article.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False


def _show_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"summarize {version('summarize')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("summarize (not installed: no version)")
        raise typer.Exit()


@app.callback()
def _main(
    _version: Annotated[
        bool,
        typer.Option(
            *names("--version"),
            help="Print summarize's version and exit.",
            metavar="",
            is_eager=True,
            callback=_show_version,
        ),
    ] = False,
) -> None:
    # No docstring: it would stand in for the help text given to typer.Typer above.
    return None


# Plain click help (rich_markup_mode=None): Rich's help renderer alone doubled start-up time.
# WordsCommand: arguments named in words in every help (SRC, not {SRC} or SRC <str>).
app.command(
    "run",
    cls=WordsCommand,
    help=run.RUN_HELP,
    short_help="Extract a brief per article into a folder.",
)(handles_errors(run.run))
app.command(
    "memo", cls=WordsCommand, help=memo.MEMO_HELP, short_help="Write a briefing memo from briefs."
)(handles_errors(memo.memo))
app.command(
    "export",
    cls=WordsCommand,
    help=export.EXPORT_HELP,
    short_help="Export the events as CSV, Excel, SQLite or JSONL.",
)(handles_errors(export.export))
app.command(
    "log", cls=WordsCommand, short_help="Show the runs, articles and model exchanges of a folder."
)(handles_errors(log.log))
app.command(
    "eval",
    cls=WordsCommand,
    help=eval_command.EVAL_HELP,
    short_help="Score a prompt against goldens.",
)(handles_errors(eval_command.eval_))
app.command(
    "review",
    cls=WordsCommand,
    help=review.REVIEW_HELP,
    short_help="Review and correct briefs in the browser.",
)(handles_errors(review.review))
app.command("serve", cls=WordsCommand, short_help="Run the bundled local model server.")(
    handles_errors(serve.serve)
)
app.command("schema", cls=WordsCommand, short_help="Export the JSON Schemas of the brief.")(
    handles_errors(schema.schema)
)

batch_app = typer.Typer(
    name="batch",
    help=batch.BATCH_HELP,
    short_help="Prepare, submit, fetch and ingest provider batches.",
    no_args_is_help=True,
    context_settings={"help_option_names": HELP_OPTIONS},
)
for name, short in (
    ("prepare", "Write the Batch API requests for a folder."),
    ("submit", "Upload the requests and start a batch."),
    ("status", "Show a batch's status and counts."),
    ("fetch", "Download a completed batch's results."),
    ("ingest", "Write briefs from batch results, as run does."),
):
    batch_app.command(name, cls=WordsCommand, short_help=short)(
        handles_errors(getattr(batch, name))
    )
app.add_typer(batch_app, name="batch")


def main() -> None:
    app()
