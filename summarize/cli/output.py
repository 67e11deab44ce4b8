"""What the command line prints, and the one place errors become messages and exit codes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from summarize.core.errors import EXIT_USAGE, SummarizeError

P = ParamSpec("P")
R = TypeVar("R")

# Never wrap: error lines carry file paths and commands that must stay copyable.
err = Console(stderr=True, soft_wrap=True)


def say(label: str, style: str, message: str) -> None:
    """One line on stderr: a styled label, then text that is never read as markup.

    Messages carry paths, TOML snippets like [prices."m"] and server text; Rich would
    swallow anything in square brackets.
    """
    err.print(Text.assemble((label, style), " ", message), highlight=False)


def note(message: str) -> None:
    """A plain line on stderr, printed as it is."""
    err.print(message, markup=False, highlight=False)


def fail(message: str) -> typer.Exit:
    """Print a usage error; the caller raises what this returns."""
    say("error:", "bold red", message)
    return typer.Exit(EXIT_USAGE)


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors summarize raises on purpose into a message and their exit code.

    Every command is wrapped in this, so that no command keeps its own list of exceptions;
    anything else is a bug and keeps its traceback.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except SummarizeError as exc:
            say("error:", "bold red", str(exc))
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def cannot_write(target: Path, exc: BaseException, *, rerun: bool = False) -> str:
    """Why `target` could not be written, and what to do about it."""
    advice = (
        "; briefs already written are kept, and running the same command again does the rest"
        if rerun
        else ""
    )
    return (
        f"cannot write to {target}: {exc}. Check that you can write there and that the disk "
        f"has space, or choose another --out{advice}"
    )
