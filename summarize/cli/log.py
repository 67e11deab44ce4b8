"""`summarize log`: the runs an output folder's ledger recorded, or one run in detail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from summarize.cli.options import flag
from summarize.cli.output import fail

if TYPE_CHECKING:
    from rich.table import Table

    from summarize.outdir.log_report import RunReport


def log(
    out: Annotated[
        Path, typer.Argument(metavar="OUT", help="A `summarize run` output folder.")
    ] = Path("out"),
    run_id: Annotated[
        int | None,
        typer.Option("--run", metavar="N", help="Show this run's exchanges (default: runs)."),
    ] = None,
    article: Annotated[
        str | None, typer.Option(metavar="ID", help="With --run: one article's attempts.")
    ] = None,
    json_out: Annotated[bool, flag("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show the runs recorded in OUT's ledger, or one run's articles and exchanges.

    --json prints the same facts as the table: each run's counts, or a run's articles,
    its exchanges (answers asked again marked "superseded") and token totals.
    """
    from summarize.outdir.ledger import Ledger
    from summarize.outdir.log_report import past_summary, run_report, runs
    from summarize.outdir.paths import OutDir

    path = OutDir(out).ledger
    if not path.is_file():
        raise fail(f"no ledger at {path}: run `summarize run SRC --out {out}` first")
    if article is not None and run_id is None:
        raise fail("--article needs --run: `summarize log OUT` lists the runs")
    ledger = Ledger(path)
    try:
        if run_id is None:
            rows = runs(ledger)
            typer.echo(json.dumps(rows, indent=2)) if json_out else _print(_runs_table(rows))
            return
        report = run_report(ledger, run_id, article)
        closing = past_summary(ledger, run_id, out) if article is None else None
        if report is None:
            known = any(r["id"] == run_id for r in ledger.runs())
            raise fail(
                (f"run {run_id} has no articles" if known else f"there is no run {run_id}")
                + (f" with id {article}" if article and known else "")
                + f" in {path}: `summarize log {path.parent}` lists the runs"
            )
    finally:  # damage deeper in the file than opening reads is the ledger's OutputError
        ledger.close()
    if json_out:
        shown = report.as_json()
        if closing is not None:
            shown["summary"] = closing.as_json()
        typer.echo(json.dumps(shown, indent=2))
        return
    _show_run(report)
    if closing is not None:
        from summarize.cli.summary import show_summary

        # errors.jsonl holds the latest run's failures only; the ledger has every run's.
        every = f"summarize log {out} --run {run_id} --json"
        show_summary(closing, title=f"run {run_id}", errors_at=every, to_stdout=True)


# On a pipe or in a file a table is as wide as its cells: programs and pagers read every
# column whole (Rich would assume 80 columns and cut the text ones to "prom…").
_PIPE_WIDTH = 100_000


def _print(table: Table) -> None:
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console = Console(width=_PIPE_WIDTH)
        for column in table.columns:  # the caps that fit a terminal cut nothing here
            column.max_width, column.no_wrap = None, True
    console.print(table)


def _runs_table(rows: list[dict[str, Any]]) -> Table:
    from rich import box
    from rich.table import Column, Table

    def numbers(header: str, key: str) -> Column:
        # Wide enough for every value: a number cut short reads as another number.
        widest = max([len(header), *(len(str(r[key])) for r in rows)])
        return Column(header, justify="right", no_wrap=True, min_width=widest)

    table = Table(
        numbers("run", "id"),
        Column("started", no_wrap=True, min_width=11),
        Column("status", no_wrap=True, min_width=max([6, *(len(r["status"]) for r in rows)])),
        Column("done", justify="right", no_wrap=True, min_width=4),
        Column("fail", justify="right", no_wrap=True, min_width=4),
        Column("skip", justify="right", no_wrap=True, min_width=4),
        numbers("calls", "exchanges"),
        numbers("tokens", "tokens"),
        # Text last: in a narrow terminal the model's name is what gets cut, never a
        # number. `--json` has everything in full.
        Column("prompt", overflow="ellipsis", no_wrap=True, max_width=7),
        Column("model", overflow="ellipsis", no_wrap=True),
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    for r in rows:
        counts = r["counts"]
        table.add_row(
            str(r["id"]),
            r["started_at"][5:16].replace("T", " "),
            r["status"],
            *(str(counts.get(k, 0)) for k in ("done", "failed", "skipped")),
            str(r["exchanges"]),
            str(r["tokens"]),
            r["prompt_version"] or "-",
            r["model"] or "-",
        )
    return table


def _show_run(report: RunReport) -> None:
    from rich import box
    from rich.table import Column, Table

    common: dict[str, Any] = {"box": box.SIMPLE_HEAD, "padding": (0, 1, 0, 0), "pad_edge": False}
    # Ids whole (they are what --article takes); the note is what gets cut or wrapped.
    ids = max([7, *(len(a["article_id"] or a["file"]) for a in report.articles)])
    articles = Table(
        Column("article", no_wrap=True, min_width=ids),
        "status",
        Column("tries", justify="right"),
        Column("s", justify="right"),
        "note",
        title="articles",
        **common,
    )
    for a in report.articles:
        articles.add_row(
            a["article_id"] or a["file"],
            a["status"],
            str(a["attempts"]),
            f"{a['seconds']:.2f}",
            a["note"] or "",
        )
    _print(articles)
    widest = max([7, *(len(e["article_id"] or "-") for e in report.exchanges)])
    table = Table(
        Column("article", no_wrap=True, min_width=widest),
        Column("#", justify="right"),
        Column("outcome", no_wrap=True),
        "finish",
        Column("in tok", justify="right"),
        Column("out tok", justify="right"),
        Column("s", justify="right"),
        title="exchanges",
        caption=" ".join(report.notes) or None,
        **common,
    )
    for e in report.exchanges:
        table.add_row(
            e["article_id"] or "-",
            str(e["attempt"]),
            e["outcome"],
            e["finish_reason"] or "-",
            str(e["prompt_tokens"]),
            str(e["completion_tokens"]),
            f"{e['seconds']:.2f}",
        )
    if report.exchanges:
        _print(table)
    # The totals of what is shown: the run's, or one article's with --article.
    t = report.totals
    whose = f"run {report.run_id}" + (f", article {report.article}" if report.article else "")
    typer.echo(
        f"{whose}: {t.exchanges} exchange(s), {t.prompt_tokens} prompt + "
        f"{t.completion_tokens} completion = {t.total_tokens} tokens"
    )
