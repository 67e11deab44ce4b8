"""Why a batch command cannot go on.

`AnswerError` is not here: one bad answer fails its article, not the command
(`summarize.batch.answers`).
"""

from __future__ import annotations

from typing import ClassVar

from summarize.core.errors import EXIT_SOME_FAILED, SummarizeError


class BatchError(SummarizeError):
    """A batch step that cannot go on; the message says why and what to do (exit 2)."""


class BatchNotReadyError(BatchError):
    """The batch has not completed (yet, or ever); the hint says whether to wait (exit 1)."""

    # Not a usage error: the same command works once the batch is done, so scripts poll on 1.
    exit_code: ClassVar[int] = EXIT_SOME_FAILED
