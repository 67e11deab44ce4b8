"""`summarize schema`: export the JSON Schemas of the brief and of what the model fills in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarize.cli.options import flag, out_folder
from summarize.cli.output import note, say


def schema(
    out: Annotated[Path, out_folder("Folder to write the JSON Schema files into.")] = Path(
        "schemas"
    ),
    check: Annotated[
        bool, flag("--check", help="Only check that the files match the code; exit 1 if not.")
    ] = False,
) -> None:
    """Export the brief and extraction JSON Schemas from the Pydantic models."""
    from summarize.core.schema_export import exported_schemas

    stale = []
    for name, text in exported_schemas().items():
        path = out / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not check:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            note(f"wrote {path}")
    if check and stale:
        say("out of date:", "red", f"{', '.join(map(str, stale))}; run `summarize schema`")
        raise typer.Exit(1)
    if not stale:
        note(f"{out}/ is up to date with the code")
