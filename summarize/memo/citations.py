"""The bottom line's sentences and their citations: each rests on events the memo shows.

`MemoSynthesis` is what a model writes for `--synthesize` (see `synthesis`); the
deterministic bottom line (see `bottom_line`) is made of the same `CitedSentence`s.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CitedSentence(BaseModel):
    """One BLUF sentence and the events it rests on."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="One plain sentence for a busy reader.")
    event_ids: list[str] = Field(
        default_factory=list,
        description="Ids of the memo's events (E1, E2, ...) this sentence rests on; at least one.",
    )


class MemoSynthesis(BaseModel):
    """The BLUF a model writes for `--synthesize`: every sentence cites its events.

    Validate inside `citing(event_ids)` to have uncited sentences and unknown ids rejected,
    which makes instructor re-ask.
    """

    model_config = ConfigDict(extra="forbid")

    sentences: list[CitedSentence] = Field(min_length=1, max_length=6)

    @model_validator(mode="after")
    def _citations_hold(self) -> MemoSynthesis:
        known = _citable.get()
        if known is not None:
            problems = check_citations(self, known)
            if problems:
                raise ValueError("; ".join(problems))
        return self


# Not instructor's `context=`: that would render the messages as Jinja templates.
_citable: ContextVar[frozenset[str] | None] = ContextVar("citable_events", default=None)


@contextmanager
def citing(event_ids: Collection[str]) -> Iterator[None]:
    """Validate `MemoSynthesis` inside this block against these event ids."""
    token = _citable.set(frozenset(event_ids))
    try:
        yield
    finally:
        _citable.reset(token)


def check_citations(synthesis: MemoSynthesis, known_ids: Collection[str]) -> list[str]:
    """Problems with the synthesis's citations; empty when every sentence cites known events."""
    known = set(known_ids)
    problems: list[str] = []
    for n, sentence in enumerate(synthesis.sentences, start=1):
        if not sentence.text.strip():
            problems.append(f"sentence {n} is empty")
        if not sentence.event_ids:
            problems.append(f"sentence {n} cites no event: {sentence.text!r}")
        unknown = [i for i in sentence.event_ids if i not in known]
        if unknown:
            problems.append(f"sentence {n} cites unknown event ids {unknown}")
    return problems
