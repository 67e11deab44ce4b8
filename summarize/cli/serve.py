"""`summarize serve`: the bundled llama.cpp model server, until Ctrl-C."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from summarize.cli.output import fail, note


def serve(
    model_path: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="A GGUF file instead of the bundled SmolLM2-135M."),
    ] = None,
    port: Annotated[
        int | None, typer.Option(metavar="PORT", help="Port on 127.0.0.1 (default: a free one).")
    ] = None,
) -> None:
    """Run the bundled llama.cpp model server (extra 'local') until Ctrl-C.

    Point `summarize run --base-url URL --model NAME` at the address it prints.
    """
    from summarize.model.local_server import LocalServer

    try:
        with LocalServer(model_path, port=port) as server:
            typer.echo(f"serving {server.model} at {server.base_url} (Ctrl-C to stop)")
            typer.echo(
                f"try: summarize run seeds/ --base-url {server.base_url} --model {server.model} "
                f"{server.run_fit().flags()}"
            )
            while server.returncode is None:
                time.sleep(0.5)
            raise fail(f"the server stopped by itself (exit {server.returncode})")
    except KeyboardInterrupt:
        note("stopped")
