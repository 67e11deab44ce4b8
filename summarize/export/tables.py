"""The export's tables, worked out from the briefs alone (pure): `export_tables`.

The rows are the memo's merged events (`memo.merging.merge_briefs`), so an export and a memo
of one folder name the same events E1, E2, ... with the same participants and sources.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from summarize.core.brief import Brief, GroundingWarning
from summarize.memo.build import default_as_of
from summarize.memo.events import Conflict, MergedEvent, MergedFollowUp, MergedPerson, Sourced
from summarize.memo.folding import distinct
from summarize.memo.follow_ups import track_follow_ups
from summarize.memo.merging import merge_briefs

# Lists inside one cell (CSV, Excel) are joined with this; SQLite keeps them as rows.
JOIN = "; "


@dataclass(frozen=True, slots=True)
class EventRow:
    """One memo event: what CSV, the Excel `events` sheet and SQLite `events` hold."""

    event_id: str
    date: dt.date | None  # resolved; None when no report's date resolved
    date_as_written: str
    type: str
    status: str
    summary: str
    participants: str
    affiliations: str
    initiator: str
    place: str
    topics: str
    outcomes: str
    follow_ups: str
    n_sources: int
    outlets: str
    urls: str
    article_ids: str
    disputed: str
    warnings: str
    reviewed: str  # "yes", "no", or "1 of 2 reports"
    merge_rules: str


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    event_id: str
    role: str  # "participant" or "mentioned"
    name: str
    short_name: str
    titles: str
    affiliation: str
    weak_evidence: bool


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One side's statement about an event (an outcome), with who said it and where."""

    event_id: str
    side: str
    party: bool  # the side is a party to the contact, not a commentator
    kind: str
    statement: str
    stated_by: str
    outlets: str
    article_ids: str
    evidence: str


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    event_id: str
    action: str
    responsible: str
    due_as_written: str
    due_date: dt.date | None
    status: str  # see memo.follow_ups.FollowUpStatus, judged against the export's as-of date


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One article's report of one event."""

    event_id: str
    article_id: str
    brief_event_id: str
    outlet: str
    headline: str
    url: str
    published_date: dt.date | None
    published_as_written: str
    reviewed: bool


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One article of the folder, with or without events."""

    article_id: str
    outlet: str
    headline: str
    url: str
    published_date: dt.date | None
    published_as_written: str
    n_events: int
    no_event_reason: str
    reviewed: bool
    provenance: str  # "model" or "hand_annotation"


@dataclass(frozen=True, slots=True)
class ExportTables:
    events: tuple[EventRow, ...]
    participants: tuple[ParticipantRow, ...]
    claims: tuple[ClaimRow, ...]
    follow_ups: tuple[FollowUpRow, ...]
    sources: tuple[SourceRow, ...]
    articles: tuple[ArticleRow, ...]
    # The memo event each brief event went into: brief event id -> memo event id.
    memo_event_of: dict[str, str]
    as_of: dt.date | None
    # The briefs themselves, by article id, and the ids of those a reviewer checked.
    briefs: tuple[Brief, ...]
    reviewed: frozenset[str]


def export_tables(
    briefs: Sequence[Brief],
    *,
    reviewed: frozenset[str] = frozenset(),
    as_of: dt.date | None = None,
) -> ExportTables:
    """Every table of the export; `reviewed` are the ids of the articles a reviewer checked,
    `as_of` the date follow-ups are judged against (default: the latest in the briefs)."""
    ordered = sorted(briefs, key=lambda b: b.article_id)
    events = merge_briefs(ordered)
    as_of = as_of or default_as_of(ordered)
    # Tracked in event order, each event's follow-ups in their own order.
    statuses = iter(t.status.value for t in track_follow_ups(events, as_of or dt.date.min))
    by_id = {b.article_id: b for b in ordered}
    return ExportTables(
        events=tuple(_event_row(e, by_id, reviewed) for e in events),
        participants=tuple(
            _participant_row(e.id, role, p)
            for e in events
            for role, people in (("participant", e.participants), ("mentioned", e.mentioned))
            for p in people
        ),
        claims=tuple(
            ClaimRow(
                event_id=e.id,
                side=o.side,
                party=o.party,
                kind=o.kind,
                statement=o.statement,
                stated_by=JOIN.join(o.stated_by),
                outlets=_outlets(o.evidence),
                article_ids=JOIN.join(dict.fromkeys(s.mention.article_id for s in o.evidence)),
                evidence=" … ".join(distinct(s.evidence.quote for s in o.evidence)),
            )
            for e in events
            for o in e.outcomes
        ),
        follow_ups=tuple(
            FollowUpRow(
                event_id=e.id,
                action=f.action,
                responsible=JOIN.join(f.responsible),
                due_as_written=f.due_text or "",
                due_date=f.due_date,
                status=next(statuses),
            )
            for e in events
            for f in e.follow_ups
        ),
        sources=tuple(
            SourceRow(
                event_id=e.id,
                article_id=m.article_id,
                brief_event_id=m.event.id,
                outlet=m.source.outlet or "",
                headline=m.source.headline or "",
                url=m.source.url or "",
                published_date=m.source.published_date,
                published_as_written=m.source.published_text or "",
                reviewed=m.article_id in reviewed,
            )
            for e in events
            for m in e.mentions
        ),
        articles=tuple(_article_row(b, reviewed) for b in ordered),
        memo_event_of={m.event.id: e.id for e in events for m in e.mentions},
        as_of=as_of,
        briefs=tuple(ordered),
        reviewed=reviewed,
    )


def _event_row(e: MergedEvent, briefs: dict[str, Brief], reviewed: frozenset[str]) -> EventRow:
    reports = tuple(dict.fromkeys(m.article_id for m in e.mentions))
    checked = sum(1 for a in reports if a in reviewed)
    return EventRow(
        event_id=e.id,
        date=e.date,
        date_as_written=JOIN.join(e.date_texts),
        type=e.event_type.value,
        status=_status(e),
        summary=e.summary,
        participants=JOIN.join(_person(p) for p in e.participants),
        affiliations=JOIN.join(distinct(p.affiliation for p in e.participants if p.affiliation)),
        initiator=_initiator(e),
        place=e.location or "",
        topics=JOIN.join(e.topics),
        outcomes=JOIN.join(
            f"{o.kind}: {o.statement} (according to {', '.join(o.stated_by)})" for o in e.outcomes
        ),
        follow_ups=JOIN.join(_follow_up(f) for f in e.follow_ups),
        n_sources=len(reports),
        outlets=JOIN.join(distinct(m.source.outlet for m in e.mentions if m.source.outlet)),
        urls=JOIN.join(dict.fromkeys(m.source.url for m in e.mentions if m.source.url)),
        article_ids=JOIN.join(reports),
        disputed=JOIN.join(_conflict(c) for c in e.conflicts),
        warnings=JOIN.join(
            f"{w.kind} {w.path} ({m.article_id}): {w.reason}"
            for m in e.mentions
            for w in _warnings_of(briefs[m.article_id], m.event.id)
        ),
        reviewed=("yes" if checked == len(reports) else f"{checked} of {len(reports)} reports")
        if checked
        else "no",
        merge_rules=JOIN.join(e.merge_rules),
    )


def _follow_up(f: MergedFollowUp) -> str:
    """ "Action (who), due 2016-09-30" """
    who = f" ({', '.join(f.responsible)})" if f.responsible else ""
    due = f.due_date.isoformat() if f.due_date else f.due_text
    return f"{f.action}{who}" + (f", due {due}" if due else "")


def _status(e: MergedEvent) -> str:
    """The status the reports give; where they differ, each, most reported first."""
    counts = Counter(m.event.status.value for m in e.mentions)
    return " / ".join(sorted(counts, key=lambda s: (-counts[s], s)))


def _person(p: MergedPerson) -> str:
    detail = ", ".join(x for x in (" / ".join(p.titles), p.affiliation or "") if x)
    return f"{p.name} ({detail})" if detail else p.name


def _initiator(e: MergedEvent) -> str:
    if e.initiator is not None:
        return e.initiator.party
    disputed = e.conflict("initiator")
    if disputed is not None:
        return "disputed: " + " / ".join(v.value for v in disputed.variants)
    return ""


def _conflict(c: Conflict) -> str:
    versions = " vs ".join(
        f"{v.value} ({', '.join(distinct(m.source.outlet or m.article_id for m in v.mentions))})"
        for v in c.variants
    )
    return f"{c.field}: {versions}"


def _outlets(evidence: Sequence[Sourced]) -> str:
    return JOIN.join(distinct(s.mention.source.outlet for s in evidence if s.mention.source.outlet))


def _warnings_of(brief: Brief, event_id: str) -> list[GroundingWarning]:
    """The brief's warnings about one of its events (paths `events[n]...`, n from 0)."""
    n = next(i for i, ev in enumerate(brief.events) if ev.id == event_id)
    prefix = f"events[{n}]"
    return [
        w
        for w in brief.warnings
        if w.path == prefix or w.path.startswith((prefix + ".", prefix + "["))
    ]


def _participant_row(event_id: str, role: str, p: MergedPerson) -> ParticipantRow:
    return ParticipantRow(
        event_id=event_id,
        role=role,
        name=p.name,
        short_name=p.short,
        titles=" / ".join(p.titles),
        affiliation=p.affiliation or "",
        weak_evidence=p.weak,
    )


def _article_row(b: Brief, reviewed: frozenset[str]) -> ArticleRow:
    return ArticleRow(
        article_id=b.article_id,
        outlet=b.source.outlet or "",
        headline=b.source.headline or "",
        url=b.source.url or "",
        published_date=b.source.published_date,
        published_as_written=b.source.published_text or "",
        n_events=len(b.events),
        no_event_reason=b.no_event_reason or "",
        reviewed=b.article_id in reviewed,
        provenance=b.provenance.kind,
    )
