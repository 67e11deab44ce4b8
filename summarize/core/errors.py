"""One base for every error summarize raises on purpose.

Each carries the exit code the command line ends with and, where there is one, a hint: what
to do about it. The CLI catches `SummarizeError` in one place; anything else is a bug.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class SummarizeError(Exception):
    """An expected failure, with what the user can do about it."""

    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message}; {self.hint}" if self.hint else message


class UsageError(SummarizeError):
    """Options, settings or files that cannot work together; nothing was done."""


class OutputError(SummarizeError):
    """The output folder cannot be used: locked, unwritable, or its ledger is damaged."""
