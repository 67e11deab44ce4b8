"""What the memo's events are made of: mentions (one brief's account of an event) and the
merged event many mentions make.

GDELT's idea: one canonical event, many mentions. Where the mentions disagree (initiator,
date, place) the disagreement is kept as a `Conflict` instead of picking one side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from summarize.core.brief import Brief, Event, EventType, Evidence, Source
from summarize.memo.people import PersonKey


@dataclass(frozen=True, slots=True)
class Mention:
    """One brief's account of an event: GDELT's mention."""

    article_id: str
    source: Source
    event: Event

    @property
    def event_id(self) -> str:
        return self.event.id


@dataclass(frozen=True, slots=True)
class Sourced:
    """A quote and the mention (article, outlet) it comes from."""

    mention: Mention
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class MergedPerson:
    name: str
    key: PersonKey
    titles: tuple[str, ...]
    affiliation: str | None
    evidence: tuple[Sourced, ...]


@dataclass(frozen=True, slots=True)
class MergedInitiator:
    party: str
    basis: str | None
    evidence: tuple[Sourced, ...]


@dataclass(frozen=True, slots=True)
class MergedOutcome:
    kind: str
    statement: str
    stated_by: tuple[str, ...]
    side: str
    party: bool
    evidence: tuple[Sourced, ...]


@dataclass(frozen=True, slots=True)
class MergedFollowUp:
    action: str
    responsible: tuple[str, ...]
    due_text: str | None
    due_date: dt.date | None
    evidence: tuple[Sourced, ...]


@dataclass(frozen=True, slots=True)
class Variant:
    """One version of a disputed fact and the mentions that give it."""

    value: str
    mentions: tuple[Mention, ...]
    evidence: tuple[Sourced, ...] = ()


@dataclass(frozen=True, slots=True)
class Conflict:
    """Mentions of one event disagree on `field`; every version is kept."""

    field: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True, slots=True)
class MergedEvent:
    id: str
    event_type: EventType
    date: dt.date | None
    date_texts: tuple[str, ...]
    location: str | None
    participants: tuple[MergedPerson, ...]
    mentioned: tuple[MergedPerson, ...]
    initiator: MergedInitiator | None
    topics: tuple[str, ...]
    outcomes: tuple[MergedOutcome, ...]
    follow_ups: tuple[MergedFollowUp, ...]
    summary: str
    summary_from: Mention
    mentions: tuple[Mention, ...]
    conflicts: tuple[Conflict, ...] = field(default=())

    @property
    def sides(self) -> tuple[str, ...]:
        """Parties whose statements are reported, alphabetically (no side goes first)."""
        return tuple(sorted({o.side for o in self.outcomes if o.party}))

    @property
    def n_articles(self) -> int:
        """How many articles report the event."""
        return len({m.article_id for m in self.mentions})

    def conflict(self, name: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.field == name), None)


def mentions_of(briefs: Iterable[Brief]) -> list[Mention]:
    """Every event of every brief, as mentions in a stable order."""
    mentions = [
        Mention(article_id=b.article_id, source=b.source, event=e) for b in briefs for e in b.events
    ]
    mentions.sort(key=_mention_order)
    return mentions


def _mention_order(m: Mention) -> tuple[bool, dt.date, str, str]:
    published = m.source.published_date
    return (published is None, published or dt.date.min, m.article_id, m.event.id)


def dedupe_sourced(items: Iterable[Sourced]) -> tuple[Sourced, ...]:
    """The quotes without repeats: one per span of one article, first mention kept."""
    out: dict[tuple[str, int, int], Sourced] = {}
    for s in items:
        out.setdefault((s.mention.article_id, s.evidence.start, s.evidence.end), s)
    return tuple(out.values())
