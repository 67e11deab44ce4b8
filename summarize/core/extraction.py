"""What the model is asked to fill in: a lean schema, turned into a `Brief` by `assemble`.

Kept apart from `brief.py` because the model should not see offsets, ids, provenance or
resolved dates: those are computed, not generated. Every description here is sent to the
model on every request, so each one earns its tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from summarize.core.brief import EventStatus, EventType, OutcomeKind
from summarize.core.grounding import ArticleText

_CITE = "Numbers of the article sentences that state this (one to three)."

# Bounds on every string and list. Grammar-constrained decoding (llama.cpp, vLLM) turns them
# into hard limits, which is what stops a small model looping inside one string or list until
# the token cap; for any model they keep briefs readable. A longer answer is re-asked.
# tests/test_extraction.py checks the hand-annotated goldens fit with room to spare.
NAME, PHRASE, SENTENCE = 80, 120, 400
FEW, SOME = 6, 12
# Sentence numbers per item: enough for a statement split over a line break, few enough that
# an item cannot cite the whole article.
CITED = 3

# Evidence is sentence numbers: exact text by construction, and a few output tokens instead
# of a copied quote. `ge=1` lets grammar-constrained decoding rule out zero and negatives.
Cited = Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1, max_length=CITED)]


class Source(BaseModel):
    outlet: str | None = Field(
        None, max_length=NAME, description="News outlet or agency named in the text."
    )
    headline: str | None = Field(None, max_length=SENTENCE)
    published: str | None = Field(
        None, max_length=PHRASE, description="Publication date exactly as written."
    )


class Person(BaseModel):
    name: str = Field(max_length=NAME, description="Full name as the article gives it.")
    short_name: str | None = Field(
        None, max_length=NAME, description="How the article calls them for short, e.g. 'Xi'."
    )
    title: str | None = Field(None, max_length=PHRASE, description="Title or role.")
    affiliation: str | None = Field(None, max_length=NAME, description="Country or organisation.")


class Participant(Person):
    evidence: Cited = Field(description=_CITE)


class Initiator(BaseModel):
    party: str | None = Field(
        None,
        max_length=NAME,
        description="Who initiated the contact, only if the article says so "
        "(e.g. 'at the initiative of Russia'); otherwise null.",
    )
    evidence: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list,
        max_length=CITED,
        description="Numbers of the sentences stating the initiative; empty if none.",
    )


class Outcome(BaseModel):
    kind: OutcomeKind
    statement: str = Field(
        max_length=SENTENCE, description="What was agreed, disagreed, decided or claimed."
    )
    stated_by: str = Field(
        max_length=NAME, description="Who said so, e.g. 'Kremlin', 'White House'."
    )
    evidence: Cited = Field(description=_CITE)


class FollowUp(BaseModel):
    action: str = Field(
        max_length=SENTENCE, description="Announced next step, e.g. a planned meeting."
    )
    responsible: list[Annotated[str, Field(max_length=NAME)]] = Field(
        default_factory=list, max_length=FEW
    )
    due: str | None = Field(
        None, max_length=PHRASE, description="Due date or time frame as written."
    )
    evidence: Cited = Field(description=_CITE)


class Event(BaseModel):
    event_type: EventType
    status: EventStatus = Field(
        description="held: took place; planned: announced for later; cancelled; unclear."
    )
    date_text: str | None = Field(
        None, max_length=PHRASE, description="When it happened, as written."
    )
    location: str | None = Field(None, max_length=NAME)
    participants: list[Participant] = Field(max_length=SOME, description="People who took part.")
    mentioned: list[Person] = Field(
        default_factory=list, max_length=SOME, description="People named who did not take part."
    )
    initiator: Initiator
    topics: list[Annotated[str, Field(max_length=PHRASE)]] = Field(max_length=SOME)
    outcomes: list[Outcome] = Field(max_length=SOME)
    follow_ups: list[FollowUp] = Field(default_factory=list, max_length=FEW)
    summary: str = Field(max_length=SENTENCE, description="One sentence.")


class Extraction(BaseModel):
    """Diplomatic contacts reported by one news article."""

    source: Source
    events: list[Event] = Field(
        max_length=FEW,
        description="Contacts the article reports, main one first; not past contacts "
        "recalled as background. Empty if none.",
    )
    no_event_reason: str | None = Field(
        None, max_length=SENTENCE, description="Why events is empty, if it is."
    )

    @model_validator(mode="after")
    def _evidence_is_in_the_article(self) -> Extraction:
        check = _grounding.get()
        if check is not None:
            check.enforce(self)
        return self


def evidence_items(extraction: Extraction) -> Iterator[tuple[str, list[int]]]:
    """Every (path, sentence numbers) the model cites as evidence, in document order."""
    for i, event in enumerate(extraction.events):
        for j, participant in enumerate(event.participants):
            yield f"events[{i}].participants[{j}]", participant.evidence
        if event.initiator.party is not None:
            yield f"events[{i}].initiator", event.initiator.evidence
        for j, outcome in enumerate(event.outcomes):
            yield f"events[{i}].outcomes[{j}]", outcome.evidence
        for j, follow_up in enumerate(event.follow_ups):
            yield f"events[{i}].follow_ups[{j}]", follow_up.evidence


# The check reaches the validator through a context variable, not instructor's `context=`:
# given a context, instructor renders every message as a Jinja template, so an article
# containing "{{ 7*7 }}" would reach the model as "49" (and "{#" would crash the call).
# Each asyncio task has its own copy, so concurrent articles never see each other's check.
_grounding: ContextVar[GroundingCheck | None] = ContextVar("grounding", default=None)


@contextmanager
def checking(check: GroundingCheck) -> Iterator[GroundingCheck]:
    """Validate `Extraction`s inside this block against `check`'s article."""
    token = _grounding.set(check)
    try:
        yield check
    finally:
        _grounding.reset(token)


@dataclass
class GroundingCheck:
    """Validation context that turns citations of sentences the article does not have into
    re-asks while attempts remain.

    `attempts` is advanced by the client once per model response, before validation; on the
    last attempt the check lets the answer through and assembly drops what cites nothing.
    """

    article: ArticleText
    max_attempts: int
    attempts: int = 0
    rejected: int = 0

    def enforce(self, extraction: Extraction) -> None:
        wrong = [
            (path, numbers)
            for path, numbers in evidence_items(extraction)
            if not numbers or self.article.unknown(numbers)
        ]
        if not wrong or self.attempts >= self.max_attempts:
            return
        self.rejected += 1
        count = len(self.article.sentences)
        lines = "\n".join(f"- {path}: {numbers}" for path, numbers in wrong)
        raise ValueError(
            f"The article has sentences [1] to [{count}]. These items cite none of them or "
            f"a number outside that range; cite the numbers of the sentences that state "
            f"each item, or remove it:\n{lines}"
        )
