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
from summarize.core.repeats import repeat_of
from summarize.memo.people import PersonKey

# Statements this similar (rapidfuzz token-set ratio, 0-100) say the same thing.
STATEMENT_SIMILARITY = 90.0
# Conflicts that are divergence (see `divergence`). A type given as "meeting" by one outlet
# and "talks" by another is detail: clustering never joins a call and a meeting.
DIVERGENT_FIELDS = ("initiator", "date", "place", "status", "outcome")


@dataclass(frozen=True, slots=True)
class Mention:
    """One brief's account of an event: GDELT's mention."""

    article_id: str
    source: Source
    event: Event
    # Participants (by index) kept on weak evidence: their cited sentences do not name them.
    weak: frozenset[int] = frozenset()
    # The model named an initiator but cited nothing for it: dropped, so "not stated" would
    # claim what the article may well say.
    initiator_dropped: bool = False
    # Outcomes and follow-ups (by index) whose cited sentences share no anchor with them.
    weak_outcomes: frozenset[int] = frozenset()
    weak_follow_ups: frozenset[int] = frozenset()

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
    # How the articles call them ("Xi", "Lula"), for prose and tables.
    short: str = ""
    # Every key the person's names give (see `people.person_keys`), to match them elsewhere.
    keys: tuple[PersonKey, ...] = ()
    # The names and checked short names the reports used.
    names: tuple[str, ...] = ()
    shorts: tuple[str, ...] = ()
    # Every report's evidence for them is weak (cited sentences that do not name them).
    weak: bool = False


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
    # Every report's cited sentences share no anchor with it (see `core.support`).
    weak: bool = False


@dataclass(frozen=True, slots=True)
class MergedFollowUp:
    action: str
    responsible: tuple[str, ...]
    due_text: str | None
    due_date: dt.date | None
    evidence: tuple[Sourced, ...]
    weak: bool = False


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
    # Which rule joined the reports (see `clustering`); empty for a single report.
    merge_rules: tuple[str, ...] = field(default=())

    @property
    def accounts_differ(self) -> bool:
        """An outcome one account gives as agreed that another gives as disagreed or denies
        (see `divergence`). Sides that stress different points do not differ."""
        return any(c.field == "outcome" for c in self.conflicts)

    @property
    def divergences(self) -> tuple[Conflict, ...]:
        """The conflicts that are disagreement: facts (initiator, date, place, status) and
        contradicting outcomes; not a type worded two ways."""
        return tuple(c for c in self.conflicts if c.field in DIVERGENT_FIELDS)

    @property
    def diverges(self) -> bool:
        """The accounts conflict on a fact or an outcome."""
        return bool(self.divergences)

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
    """Every event of every brief, as mentions in a stable order; an event a brief repeats
    (word for word or nearly, see `core.repeats`: briefs made before repeats were folded) is
    one mention."""
    mentions = [
        Mention(
            article_id=b.article_id,
            source=b.source,
            event=e,
            weak=_weak(b, n, "participants"),
            weak_outcomes=_weak(b, n, "outcomes"),
            weak_follow_ups=_weak(b, n, "follow_ups"),
            initiator_dropped=any(
                w.kind == "dropped" and w.path == f"events[{n}].initiator" for w in b.warnings
            ),
        )
        for b in briefs
        for n, e in enumerate(b.events)
        if repeat_of(e, b.events[:n]) is None
    ]
    mentions.sort(key=_mention_order)
    return mentions


def _weak(brief: Brief, n: int, items: str) -> frozenset[int]:
    prefix = f"events[{n}].{items}["
    return frozenset(
        int(w.path[len(prefix) : -1])
        for w in brief.warnings
        if w.kind == "weak" and w.path.startswith(prefix) and w.path.endswith("]")
    )


def _mention_order(m: Mention) -> tuple[bool, dt.date, str, str]:
    published = m.source.published_date
    return (published is None, published or dt.date.min, m.article_id, m.event.id)


def dedupe_sourced(items: Iterable[Sourced]) -> tuple[Sourced, ...]:
    """The quotes without repeats: one per span of one article, first mention kept."""
    out: dict[tuple[str, int, int], Sourced] = {}
    for s in items:
        out.setdefault((s.mention.article_id, s.evidence.start, s.evidence.end), s)
    return tuple(out.values())
