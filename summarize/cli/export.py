"""`summarize export`: a folder's events as CSV, Excel, SQLite or JSON Lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from summarize.cli.output import cannot_write, fail, note

EXPORT_HELP = (
    "Export the events of the briefs in FOLDER (a `summarize run` output, or any folder of "
    "*.json briefs) for spreadsheets, pandas and Datasette.\n\n"
    "One row per event, as the memo merges them (E1, E2, ... are the memo's ids), with the "
    "articles that report it. The format follows the file's suffix unless --format says "
    "otherwise:\n\n"
    "\b\n"
    "  .csv     events; claims by side in NAME-claims.csv beside it\n"
    "  .xlsx    sheets: events, claims, participants, follow_ups, sources, articles\n"
    "  .sqlite  tables with foreign keys and indexes (see events_flat for one row an event)\n"
    "  .jsonl   the briefs, a reviewer's corrected brief where there is one\n\n"
    "Reviewed briefs (summarize review) replace the model's and are marked reviewed. The "
    "file is replaced whole, never left half written.\n\n"
    "Example: summarize export out/ --output events.xlsx"
)


def export(
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder of briefs.", show_default=False)
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            "--out",
            metavar="FILE",
            help="File to write: .csv, .xlsx, .sqlite or .jsonl.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="csv, xlsx, sqlite or jsonl (default: from the suffix).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="YYYY-MM-DD to judge overdue follow-ups (default: latest brief date).",
        ),
    ] = None,
) -> None:
    from summarize.export.write import export_format, write_export
    from summarize.memo.load import load_briefs
    from summarize.outdir.reviews import with_reviews

    if output.is_dir():
        raise fail(f"{output} is a folder; give a file name such as {output / 'events.xlsx'}")
    chosen = export_format(output, fmt)
    try:
        as_of_date = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise fail(f"--as-of {as_of!r} is not a date like 2016-09-05") from None
    briefs, reviewed = with_reviews(folder, load_briefs(folder))
    if not briefs:
        raise fail(f"no briefs found in {folder}")
    try:
        written = write_export(briefs, output, fmt=chosen, reviewed=reviewed, as_of=as_of_date)
    except OSError as exc:
        raise fail(cannot_write(output, exc)) from None
    note(f"{len(briefs)} briefs -> {', '.join(str(p) for p in written)}")
