"""The `summarize` command line: one module per command, registered here.

Command modules import the heavy parts (the openai SDK, instructor, the pipeline) inside
the command, so that `summarize --help`, `memo`, `log` and `schema` start fast.
"""

from __future__ import annotations

import logging

import typer

from summarize.cli import batch, export, log, memo, review, run, schema, serve
from summarize.cli import eval as eval_command
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
)
# instructor logs every failed attempt at ERROR; the run reports failures itself, per article.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

# Plain click help (rich_markup_mode=None): Rich's help renderer alone doubled start-up time.
app.command("run", help=run.RUN_HELP, short_help="Extract a brief per article into a folder.")(
    handles_errors(run.run)
)
app.command("memo", help=memo.MEMO_HELP, short_help="Write a briefing memo from briefs.")(
    handles_errors(memo.memo)
)
app.command(
    "export",
    help=export.EXPORT_HELP,
    short_help="Export the events as CSV, Excel, SQLite or JSONL.",
)(handles_errors(export.export))
app.command("log", short_help="Show the runs, articles and model exchanges of a folder.")(
    handles_errors(log.log)
)
app.command("eval", help=eval_command.EVAL_HELP, short_help="Score a prompt against goldens.")(
    handles_errors(eval_command.eval_)
)
app.command(
    "review", help=review.REVIEW_HELP, short_help="Review and correct briefs in the browser."
)(handles_errors(review.review))
app.command("serve", short_help="Run the bundled local model server.")(handles_errors(serve.serve))
app.command("schema", short_help="Export the JSON Schemas of the brief.")(
    handles_errors(schema.schema)
)

batch_app = typer.Typer(
    name="batch",
    help=batch.BATCH_HELP,
    short_help="Prepare, submit, fetch and ingest provider batches.",
    no_args_is_help=True,
)
for name, short in (
    ("prepare", "Write the Batch API requests for a folder."),
    ("submit", "Upload the requests and start a batch."),
    ("status", "Show a batch's status and counts."),
    ("fetch", "Download a completed batch's results."),
    ("ingest", "Write briefs from batch results, as run does."),
):
    batch_app.command(name, short_help=short)(handles_errors(getattr(batch, name)))
app.add_typer(batch_app, name="batch")


def main() -> None:
    app()
