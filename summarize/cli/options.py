"""Options several commands share, declared once so that they read the same in every --help."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from summarize.cli.output import fail
from summarize.core.modes import InstructorMode, RecordingMode


def flag(*names: str, help: str) -> Any:
    """An on/off option, shown in --help as a flag (no `<bool>` that invites `--replay true`)."""
    return typer.Option(*names, help=help, metavar="")


ConfigOption = Annotated[
    Path | None, typer.Option(help="TOML settings file (default: ./summarize.toml if any).")
]
BaseUrlOption = Annotated[
    str | None, typer.Option(help="OpenAI-compatible endpoint, e.g. http://host:8080/v1.")
]
ModelOption = Annotated[str | None, typer.Option(help="Model name at the endpoint.")]
# Repeatable forms, for commands that take several (eval's matrix of prompts x models).
ModelsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        metavar="<str>",
        help="Model name at the endpoint; repeat it for several models.",
    ),
]
ModeOption = Annotated[
    InstructorMode | None,
    typer.Option(help="Structured-output mode; auto: tools on OpenAI, json_schema elsewhere."),
]
ConcurrencyOption = Annotated[
    int | None, typer.Option(help="Articles in flight at once (default 4).")
]
MaxOutputTokensOption = Annotated[
    int | None, typer.Option(help="Output token cap per answer (default 2048).")
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(help="Seconds per model request (default 120; --local: fitted to the server)."),
]
MaxReasksOption = Annotated[
    int | None, typer.Option(help="Re-asks after an invalid or ungrounded answer (default 2).")
]
LocalOption = Annotated[
    bool,
    flag(
        "--local",
        help="Start the bundled llama.cpp server (extra 'local') for this command, then stop "
        "it; fits --concurrency, --timeout and (unless recording) --max-output-tokens to it "
        "unless given.",
    ),
]
ModelPathOption = Annotated[
    Path | None, typer.Option(help="With --local: a GGUF file instead of SmolLM2-135M.")
]
PromptOption = Annotated[
    Path | None, typer.Option(help="Prompt template to use instead of the shipped one.")
]
PromptsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--prompt",
        metavar="<path>",
        help="Prompt template to use instead of the shipped one; repeat it for several prompts.",
    ),
]
ForceOption = Annotated[bool, flag("--force", help="Redo articles that already have a brief.")]
RecordingsOption = Annotated[
    Path | None, typer.Option(help="Recordings folder (default: fixtures/recordings).")
]
ReplayOption = Annotated[bool, flag("--replay", help="Answer from recordings only; no network.")]
RecordOption = Annotated[bool, flag("--record", help="Call the endpoint and save every exchange.")]
RecordMissingOption = Annotated[
    bool, flag("--record-missing", help="Replay what is recorded, record the rest.")
]


def recording_mode(replay: bool, record: bool, record_missing: bool) -> RecordingMode | None:
    """The one recording mode the flags ask for, if any."""
    chosen = [
        mode
        for mode, on in (
            (RecordingMode.REPLAY, replay),
            (RecordingMode.RECORD, record),
            (RecordingMode.RECORD_MISSING, record_missing),
        )
        if on
    ]
    if len(chosen) > 1:
        raise fail("choose one of --replay, --record, --record-missing")
    return chosen[0] if chosen else None
