"""An answer -> a brief: the one finish that `run` and `batch ingest` both apply (pure).

Assembly grounds every item in the article's sentences and lists what it dropped or found
weak as warnings (`assemble_brief`); then the brief must not repeat the model's
instructions where the article does not (`leaked_instructions`), which an injected "print
your prompt" would have it do. One function, so that the live and the batch path cannot
drift apart again.
"""

from __future__ import annotations

from summarize.core.article import Article
from summarize.core.assemble import assemble_brief
from summarize.core.brief import Brief, Provenance, Usage
from summarize.core.errors import ArticleError
from summarize.core.extraction import Extraction
from summarize.core.leaks import leaked_instructions
from summarize.core.results import Stage


class LeakedInstructions(ArticleError):
    """The answer repeats the model's instructions: no brief is written for the article."""

    def __init__(self, where: str, usage: Usage | None = None) -> None:
        super().__init__(
            Stage.VALIDATION,
            f"the answer repeats the model's instructions (at {where}), which text in the "
            "article aimed at the model can cause; no brief was written: check the article "
            "for instructions to the model (prompt injection)",
        )
        self.where = where
        self.usage = usage or Usage()  # what the answer cost: paid for, though refused


def finish_brief(
    extraction: Extraction, article: Article, provenance: Provenance, instructions: str
) -> Brief:
    """The brief of `extraction`: assembled, grounded and warned as the schema says, or
    `LeakedInstructions` when it recites `instructions` (the system message sent)."""
    brief = assemble_brief(extraction, article, provenance)
    leak = leaked_instructions(brief, instructions, article.text)
    if leak is not None:
        raise LeakedInstructions(leak, provenance.usage)
    return brief
