"""The event brief: the contract every other part of summarize reads and writes.

One brief per article. It holds a list of events (possibly empty, then `no_event_reason`
says why). Every participant, initiator, outcome and follow-up carries evidence: a verbatim
quote located as character offsets in the article text the brief was made from.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

# Bump on any change a stored brief's reader would notice; `schemas/` is regenerated from here.
SCHEMA_VERSION = "2.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EventType(StrEnum):
    """Kinds of diplomatic contact (CAMEO 04x / PLOVER CONSULT modes, flattened)."""

    PHONE_CALL = "phone_call"
    MEETING = "meeting"
    SUMMIT_SIDELINE = "summit_sideline"
    VISIT = "visit"
    TALKS = "talks"
    STATEMENT = "statement"
    OTHER = "other"


class EventStatus(StrEnum):
    """Whether the contact took place as of publication (DOMAIN.md: event status).

    Decides which way a relative date resolves: a planned contact forward, a held one back.
    """

    HELD = "held"
    PLANNED = "planned"
    CANCELLED = "cancelled"
    UNCLEAR = "unclear"


class OutcomeKind(StrEnum):
    AGREED = "agreed"
    DISAGREED = "disagreed"
    DECIDED = "decided"
    CLAIMED = "claimed"


class Span(_Model):
    """A stretch of the article text, quoted exactly: `text[start:end] == quote`."""

    quote: str
    start: int = Field(ge=0, description="Offset of the first character in the article text.")
    end: int = Field(ge=0, description="Offset one past the last character.")


class Evidence(Span):
    """The article sentences an item cites, as the article's own text.

    `quote` is the first run of consecutive cited sentences; `also` holds any further runs.
    """

    sentences: list[int] = Field(
        default_factory=list,
        description="Numbers (from 1) of the cited sentences; empty for a hand selection.",
    )
    also: list[Span] = Field(default_factory=list)
    # Schema 1.0's fuzzy-match score: read from old briefs, never written, not in the schema.
    score: SkipJsonSchema[float | None] = Field(None, exclude=True, repr=False)

    def spans(self) -> list[Span]:
        return [Span(quote=self.quote, start=self.start, end=self.end), *self.also]


class Source(_Model):
    outlet: str | None = None
    headline: str | None = None
    url: str | None = None
    published_text: str | None = Field(None, description="Publication date as written.")
    published_date: dt.date | None = Field(None, description="Publication date, when known.")
    # Where each fact came from ("og:site_name", "json-ld", "domain", "url", "date-line",
    # "model", ...): page metadata beats the model's reading of the text.
    outlet_from: str | None = None
    published_from: str | None = None


class Person(_Model):
    name: str
    short_name: str | None = Field(
        None, description="How the articles call them: 'Xi', 'Lula', 'von der Leyen'."
    )
    title: str | None = Field(None, description="Title or role, e.g. 'President'.")
    affiliation: str | None = Field(None, description="Country or organisation.")


class Participant(Person):
    evidence: Evidence


class Initiator(_Model):
    """Who initiated the contact. Empty unless the article states it; never guessed."""

    stated: bool
    party: str | None = None
    basis: str | None = Field(None, description="The wording that states the initiative.")
    evidence: Evidence | None = None

    @model_validator(mode="after")
    def _stated_needs_evidence(self) -> Initiator:
        if self.stated and (self.party is None or self.evidence is None):
            raise ValueError("a stated initiator needs a party and evidence")
        if not self.stated and (self.party or self.evidence):
            raise ValueError("an initiator that is not stated has no party or evidence")
        return self


NOT_STATED = Initiator(stated=False)


class Outcome(_Model):
    kind: OutcomeKind
    statement: str
    stated_by: str = Field(description="Who said it: 'Kremlin press office', 'White House'.")
    evidence: Evidence


class FollowUp(_Model):
    action: str
    responsible: list[str] = Field(default_factory=list)
    due_text: str | None = Field(None, description="Due date or time frame as written.")
    due_date: dt.date | None = None
    evidence: Evidence


class Event(_Model):
    id: str = Field(description="'<article-id>#<n>', n counting from 1 in article order.")
    event_type: EventType
    status: EventStatus = EventStatus.UNCLEAR
    date: dt.date | None = Field(
        None, description="Resolved date, empty when the anchor is unknown."
    )
    date_text: str | None = Field(None, description="The date as written.")
    location: str | None = None
    participants: list[Participant] = Field(default_factory=list)
    mentioned: list[Person] = Field(
        default_factory=list, description="People named but not taking part."
    )
    initiator: Initiator = NOT_STATED
    topics: list[str] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    summary: str


# What a warning says happened: dropped (the item is not in the brief), weak (kept, but its
# cited sentences do not name it), repeated (an event given twice, kept once), normalised
# (kept, read differently from how the model wrote it), cut (a list or text kept up to a hard
# limit, the rest left out). See `reading.py` for what each covers.
WarningKind = Literal["dropped", "weak", "repeated", "normalised", "cut"]


class GroundingWarning(_Model):
    """An item dropped, cut or normalised when the answer was read, or kept on weak evidence."""

    path: str = Field(description="Where the item stands, e.g. 'events[0].outcomes[2]'.")
    quote: str = Field(description="What the model gave: cited text, or a value as written.")
    reason: str
    kind: WarningKind = Field(
        "dropped",
        description="dropped: not kept; weak: kept, but its cited sentences do not mention "
        "it; repeated: an event the model gave twice word for word, kept once; normalised: "
        "kept, read differently from how the model wrote it ('4' as 4, an unknown status as "
        "unclear); cut: a list or text kept up to summarize's hard limit, the rest left out.",
    )


class Usage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class Provenance(_Model):
    """What made this brief, so old outputs can be recognised and migrated."""

    kind: Literal["model", "hand_annotation"] = "model"
    schema_version: str = SCHEMA_VERSION
    prompt_version: str | None = None
    model: str | None = None
    usage: Usage = Field(default_factory=Usage)
    attempts: int = Field(1, ge=0, description="Model exchanges, re-asks included.")
    article_sha256: str
    annotator: str | None = Field(None, description="Who annotated, for hand annotations.")
    annotated_on: dt.date | None = None
    note: str | None = None


class Brief(_Model):
    article_id: str
    source: Source
    events: list[Event] = Field(default_factory=list)
    no_event_reason: str | None = Field(
        None, description="Why there is no event, when `events` is empty."
    )
    warnings: list[GroundingWarning] = Field(default_factory=list)
    provenance: Provenance

    def warned(self, kind: WarningKind) -> int:
        """How many warnings of this kind the brief carries."""
        return sum(w.kind == kind for w in self.warnings)

    @model_validator(mode="after")
    def _empty_needs_reason(self) -> Brief:
        if not self.events and not self.no_event_reason:
            raise ValueError("a brief with no events must say why (no_event_reason)")
        return self
