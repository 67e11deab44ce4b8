"""Why a batch command cannot go on.

`AnswerError` is not here: one bad answer fails its article, not the command
(`summarize.batch.answers`).
"""

from __future__ import annotations


class BatchError(Exception):
    """A batch step that cannot go on; the message says why and what to do."""


class BatchNotReadyError(BatchError):
    """The batch has not completed (yet, or ever)."""
