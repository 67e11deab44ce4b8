"""Options several commands share, declared once so that they read the same in every --help.

The command line's conventions, applied in every command (the README's "Command-line
conventions" lists them):

- `-h`/`--help` everywhere, `-V`/`--version` on `summarize` itself;
- short forms for the options people type most, the same letter for the same thing in every
  command: `-o` what the command writes (its output folder `--out`, or its output file
  `--output`), `-m` the model, `-u` the endpoint's base URL, `-p` the prompt template,
  `-f` force, `-q` quiet;
- `--out FOLDER` is always a folder; a command that writes one file takes `--output FILE`
  (its suffix decides the format); `--out FILE`, the old spelling, is still read, with a note;
- metavars in words (FOLDER, FILE, URL, NAME, SECONDS, N), never a type name or `{SRC}`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer
from typer import _click as click  # the click typer runs on (typer vendors its own)
from typer.core import TyperCommand

from summarize.cli.output import fail, note
from summarize.core.modes import InstructorMode, RecordingMode

# The short forms, by the long option they stand for: one table, so that a command added later
# (or an option added to `eval`) reuses the letter instead of inventing another.
SHORT = {
    "--out": "-o",
    "--output": "-o",
    "--model": "-m",
    "--base-url": "-u",
    "--prompt": "-p",
    "--force": "-f",
    "--quiet": "-q",
    "--version": "-V",
    "--help": "-h",
}
HELP_OPTIONS = ["-h", "--help"]


# Typer writes a required argument as {SRC} on the usage line, and adds its Python type
# (<str>, <path>) beside its name in the Arguments list: neither tells a reader anything.
_USAGE_BRACES = re.compile(r"^\{(.+)\}$")
_ARGUMENT_TYPE = re.compile(r"^(  [A-Z][A-Z_]*) <(?:str|path|int|float)>", re.MULTILINE)


class WordsCommand(TyperCommand):
    """A command whose help names its arguments in words only (SRC, not {SRC} or SRC <str>)."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [_USAGE_BRACES.sub(r"\1", piece) for piece in super().collect_usage_pieces(ctx)]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        drafted = ctx.make_formatter()
        super().format_help(ctx, drafted)
        formatter.write(_ARGUMENT_TYPE.sub(r"\1", drafted.getvalue()))


def names(long: str) -> tuple[str, ...]:
    """The option's long name and, when the convention gives it one, its short form."""
    short = SHORT.get(long)
    return (long, short) if short else (long,)


def flag(*names: str, help: str) -> Any:
    """An on/off option, shown in --help as a flag (no `<bool>` that invites `--replay true`)."""
    return typer.Option(*names, help=help, metavar="")


ConfigOption = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="TOML settings file (default: ./summarize.toml if any)."),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        *names("--base-url"),
        metavar="URL",
        help="OpenAI-compatible endpoint, e.g. http://host:8080/v1.",
    ),
]
ModelOption = Annotated[
    str | None, typer.Option(*names("--model"), metavar="NAME", help="Model name at the endpoint.")
]
# Repeatable forms, for commands that take several (eval's matrix of prompts x models).
ModelsOption = Annotated[
    list[str] | None,
    typer.Option(
        *names("--model"),
        metavar="NAME",
        help="Model name at the endpoint; repeat it for several models.",
    ),
]
ModeOption = Annotated[
    InstructorMode | None,
    typer.Option(help="Structured-output mode; auto: tools on OpenAI, json_schema elsewhere."),
]
ConcurrencyOption = Annotated[
    int | None, typer.Option(metavar="N", help="Articles in flight at once (default 4).")
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        metavar="N",
        help="Processes sharing the articles' work, to use every core (default 0: one per "
        "core, Linux; 1: all in this process).",
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        metavar="SECONDS",
        help="Seconds per model request (default 120; --local: fitted to the server).",
    ),
]
MaxOutputTokensOption = Annotated[
    int | None, typer.Option(metavar="N", help="Output token cap per answer (default 2048).")
]
MaxReasksOption = Annotated[
    int | None,
    typer.Option(metavar="N", help="Re-asks after an invalid or ungrounded answer (default 2)."),
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
    Path | None,
    typer.Option(metavar="FILE", help="With --local: a GGUF file instead of SmolLM2-135M."),
]
PromptOption = Annotated[
    Path | None,
    typer.Option(
        *names("--prompt"),
        metavar="FILE",
        help="Prompt template to use instead of the shipped one.",
    ),
]
ForceOption = Annotated[
    bool, flag(*names("--force"), help="Redo articles that already have a brief.")
]
QuietOption = Annotated[
    bool, flag(*names("--quiet"), help="Print only errors: no progress, no summary.")
]
PromptsOption = Annotated[
    list[Path] | None,
    typer.Option(
        *names("--prompt"),
        metavar="FILE",
        help="Prompt template to use instead of the shipped one; repeat it for several prompts.",
    ),
]
RecordingsOption = Annotated[
    Path | None,
    typer.Option(metavar="FOLDER", help="Recordings folder (default: fixtures/recordings)."),
]
ReplayOption = Annotated[bool, flag("--replay", help="Answer from recordings only; no network.")]
RecordOption = Annotated[bool, flag("--record", help="Call the endpoint and save every exchange.")]
RecordMissingOption = Annotated[
    bool, flag("--record-missing", help="Replay what is recorded, record the rest.")
]


def out_folder(help: str = "Output folder.") -> Any:
    """`--out FOLDER` / `-o`: where a command writes its folder of outputs."""
    return typer.Option(*names("--out"), metavar="FOLDER", help=help)


def output_file(help: str) -> Any:
    """`--output FILE` / `-o`: the one file a command writes."""
    return typer.Option(*names("--output"), metavar="FILE", help=help)


def old_out_file() -> Any:
    """`--out FILE`, the spelling single-file commands had before `--out` meant a folder
    everywhere: still read (see `chosen_output`), no longer shown in --help."""
    return typer.Option("--out", metavar="FILE", hidden=True)


def chosen_output(output: Path | None, old_out: Path | None, *, default: Path | None) -> Path:
    """The output file from `--output`, or from the old `--out FILE` with a note saying so."""
    if output is not None and old_out is not None:
        raise fail("give the output file once: --output FILE (--out is the old spelling)")
    if old_out is not None:
        note(
            f"note: --out {old_out} is read as --output {old_out}: --out names a folder in "
            "every command now, and a single output file is --output FILE (or -o FILE)"
        )
        return old_out
    if output is not None:
        return output
    if default is None:
        raise fail("give the file to write: --output FILE (or -o FILE)")
    return default


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
