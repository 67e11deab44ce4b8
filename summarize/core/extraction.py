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
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from summarize.core.brief import EventStatus, EventType, GroundingWarning, OutcomeKind
from summarize.core.grounding import ArticleText

_CITE = "Numbers of the article sentences that state this (one to three)."

# Bounds on every string and list. Grammar-constrained decoding (llama.cpp, vLLM) turns them
# into hard limits, which is what stops a small model looping inside one string or list until
# the token cap; for any model they keep briefs readable. They bound what is *asked*: an
# answer is read against the looser hard limits of `reading.py` (see `checking`).
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

    # What reading the answer changed (normalised, cut, dropped): not part of the schema;
    # assembly puts them into the brief's warnings.
    _warnings: list[GroundingWarning] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _read_tolerantly(
        cls, data: Any, handler: ModelWrapValidatorHandler[Extraction]
    ) -> Extraction:
        """Strict validation, unless a model's answer is being read (`checking`): then an
        answer that fits the asked schema is checked as always (`enforce`), and one that does
        not is read tolerantly (`reading.py`, `read`) instead of failing."""
        check = _grounding.get()
        if check is None or _built_in_code(data):
            return handler(data)
        try:
            strict = handler(data)
        except ValidationError:
            pass
        else:
            # An answer that fits what was asked is checked as it always was, so recorded
            # exchanges (re-asks included) replay unchanged.
            check.enforce(strict)
            return strict
        read = check.read(data)
        answer = cls.model_construct(**dict(read))
        answer._warnings = read.warnings()
        return answer

    def warnings(self) -> list[GroundingWarning]:
        """What reading the model's answer changed, each as a warning."""
        return list(self._warnings)

    def with_warnings(self, warnings: list[GroundingWarning]) -> Extraction:
        self._warnings = list(warnings)
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


def _built_in_code(data: Any) -> bool:
    """Whether `data` was put together from these classes in code (`restate`), not decoded
    from an answer: that is validated as it is built."""
    if isinstance(data, BaseModel):
        return True
    if not isinstance(data, dict):
        return False
    values = [*data.values(), *(v for x in data.values() if isinstance(x, list) for v in x)]
    return any(isinstance(v, BaseModel) for v in values)


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


# How the reading's verdict on an answer with nothing to keep begins; the client's error for a
# failed article quotes the rest.
NOTHING_USABLE = "Nothing in the answer could be used: "


@dataclass
class GroundingCheck:
    """Validation context for a model's answer about one article: it turns what a re-ask may
    repair (a citation of no sentence, an item that cannot stand) into re-asks while attempts
    remain. An answer that fits the asked schema is checked by `enforce`, as it always was;
    one that does not is read tolerantly by `read` (`reading.py`) rather than failed.

    `attempts` is advanced by the client once per model response, before validation; on the
    last attempt every usable answer is let through, its unusable items dropped with
    warnings. `usable` keeps the last answer that had anything to keep, so that a later
    answer with nothing usable cannot cost the article.
    """

    article: ArticleText
    max_attempts: int
    attempts: int = 0
    rejected: int = 0  # re-asks for citations of no sentence
    usable: Extraction | None = None

    def enforce(self, extraction: Extraction) -> None:
        """An answer that fits the asked schema: re-asked while attempts remain if it cites
        no sentence or a number outside the article; on the last attempt assembly drops
        those items."""
        self.usable = extraction
        wrong = [
            (path, numbers)
            for path, numbers in evidence_items(extraction)
            if not numbers or self.article.unknown(numbers)
        ]
        if not wrong or self.attempts >= self.max_attempts:
            return
        self.rejected += 1
        lines = "\n".join(f"- {path}: {numbers}" for path, numbers in wrong)
        raise ValueError(f"{self._miscited_header()}\n{lines}")

    def _miscited_header(self) -> str:
        return (
            f"The article has sentences [1] to [{len(self.article.sentences)}]. These items "
            "cite none of them or a number outside that range; cite the numbers of the "
            "sentences that state each item, or remove it:"
        )

    def read(self, data: Any) -> Extraction:
        # Imported here: the reading builds this module's classes.
        from summarize.core.reading import read_answer

        reading = read_answer(data, len(self.article.sentences))
        if reading.extraction is None:
            raise ValueError(f"{NOTHING_USABLE}{reading.unusable}")
        answer = reading.extraction.with_warnings(reading.warnings)
        self.usable = answer
        if not reading.fixable or self.attempts >= self.max_attempts:
            return answer
        # Counted as a grounding re-ask only when citations are at fault, as always.
        self.rejected += bool(reading.miscited)
        raise ValueError(self._feedback(reading.fixable, reading.miscited, reading.warnings))

    def _feedback(
        self, fixable: list[str], miscited: list[str], warnings: list[GroundingWarning]
    ) -> str:
        parts = []
        if miscited:
            parts.append(self._miscited_header() + "\n" + "\n".join(miscited))
        others = [line for line in fixable if line not in miscited]
        if others:
            parts.append("These parts could not be used as given:\n" + "\n".join(others))
        read_as = [
            f"- {w.path}: {w.quote!r} {w.reason}" for w in warnings if w.kind == "normalised"
        ]
        if read_as:
            parts.append(
                "These were read differently from how they were given:\n" + "\n".join(read_as)
            )
        return "\n\n".join(parts)
