"""`summarize review`: check and correct a run's briefs in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarize.cli import options as opt
from summarize.cli.output import note

REVIEW_HELP = (
    "Open a local web page to review and correct the briefs in FOLDER (a `summarize run` "
    "output folder).\n\n"
    "The index lists every article of the run with what wants a look (weak, dropped and "
    "repeated items, failures) and opens the worst first; an article's page shows its "
    "text beside its brief, every evidence span highlighted and tied to its field. Edit any "
    "field, accept or delete an item, add one or re-point its evidence by selecting the "
    "article text that states it (the selection becomes its evidence), and mark the brief "
    "reviewed, all from the keyboard: press ? on the page for the keys.\n\n"
    "Corrections are saved in FOLDER/reviews/<article-id>.json, apart from the model's "
    "briefs: reruns never overwrite them, `summarize memo` uses them (and says so), and "
    "`summarize eval --reviewed FOLDER` scores a prompt against them. A review made on text "
    "that has changed since is shown as stale, and kept.\n\n"
    "Serves on 127.0.0.1 only. Run it from the folder `summarize run` was started in: "
    "run.json names the article files relative to it.\n\n"
    "Example: summarize review out/ --reviewer 'J. Analyst'"
)


def review(
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="A run's output folder.", show_default=False)
    ],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).")] = 8765,
    no_browser: Annotated[
        bool, opt.flag("--no-browser", help="Do not open the browser; print the URL.")
    ] = False,
    reviewer: Annotated[
        str | None, typer.Option(help="Name recorded with each correction (default: user name).")
    ] = None,
) -> None:
    import getpass

    from summarize.review.server import serve

    who = reviewer or getpass.getuser()
    serve(
        folder,
        port,
        who,
        open_browser=not no_browser,
        started=lambda url: note(f"reviewing {folder} at {url} as {who} (Ctrl-C to stop)"),
    )
