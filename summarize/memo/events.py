"""What the memo's events are made of: mentions (one brief's account of an event) and the
merged event many mentions make.

GDELT's idea: one canonical event, many mentions. Where the mentions disagree (initiator,
date, place) the disagreement is kept as a `Conflict` instead of picking one side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from summarize.core.brief import Brief, Event, EventType, Evidence, Source
from summarize.memo.folding import fold
from summarize.memo.people import PersonKey

# Statements this similar (rapidfuzz token-set ratio, 0-100) say the same thing.
STATEMENT_SIMILARITY = 90.0


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
    # Which rule joined the reports (see `clustering`); empty for a single report.
    merge_rules: tuple[str, ...] = field(default=())

    @property
    def accounts_differ(self) -> bool:
        """Two parties speak and one says what no other party's account says: each stresses
        its own points. Parties that report the same agreement do not differ."""
        party = [o for o in self.outcomes if o.party]
        if len({o.side for o in party}) < 2:
            return False
        return any(
            o.kind != "agreed"
            and not any(other.side != o.side and same_statement(o, other) for other in party)
            for o in party
        )

    @property
    def diverges(self) -> bool:
        """The sides' accounts differ, or the outlets disagree on a fact."""
        return self.accounts_differ or bool(self.conflicts)

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


def same_statement(a: MergedOutcome, b: MergedOutcome) -> bool:
    """One statement worded twice (two outlets' or two sides' versions of it)."""
    return fuzz.token_set_ratio(fold(a.statement), fold(b.statement)) >= STATEMENT_SIMILARITY


def mentions_of(briefs: Iterable[Brief]) -> list[Mention]:
    """Every event of every brief, as mentions in a stable order."""
    mentions = [
        Mention(
            article_id=b.article_id,
            source=b.source,
            event=e,
            weak=_weak(b, n),
            initiator_dropped=any(
                w.kind == "dropped" and w.path == f"events[{n}].initiator" for w in b.warnings
            ),
        )
        for b in briefs
        for n, e in enumerate(b.events)
    ]
    mentions.sort(key=_mention_order)
    return mentions


def _weak(brief: Brief, n: int) -> frozenset[int]:
    prefix = f"events[{n}].participants["
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
