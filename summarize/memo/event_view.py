"""One event's section of the memo, with its evidence numbered as the reader meets it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from summarize.core.brief import EventType
from summarize.memo.events import Conflict, Mention, MergedEvent, Sourced
from summarize.memo.follow_ups import FollowUpStatus, TrackedFollowUp
from summarize.memo.links import Anchors, safe_url
from summarize.memo.view import (
    Claim,
    ConflictLine,
    EventView,
    FollowUpLine,
    Note,
    OutcomeLine,
    PersonLine,
    SideColumn,
    SideRow,
    SourceRef,
    VariantLine,
)
from summarize.memo.wording import (
    CONFLICT_LABELS,
    KIND_LABELS,
    TYPE_LABELS,
    event_heading,
    format_date,
    outlet_of,
    outlets_of,
    published,
    role,
)

_STATUS_LABELS: dict[FollowUpStatus, str] = {
    FollowUpStatus.MET: "Followed up",
    FollowUpStatus.OPEN: "Open",
    FollowUpStatus.OVERDUE: "Overdue",
    FollowUpStatus.NO_LATER_REPORT: "No later report in this folder",
}


class EvidenceNotes:
    """Numbers evidence in order of first use; one quote gets one number."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, int, int], Note] = {}

    def add(self, items: Iterable[Sourced]) -> tuple[int, ...]:
        """The numbers of these quotes' notes, new ones numbered next."""
        numbers: list[int] = []
        for s in items:
            key = (s.mention.article_id, s.evidence.start, s.evidence.end)
            note = self._by_key.get(key)
            if note is None:
                note = Note(
                    n=len(self._by_key) + 1,
                    quote=s.evidence.quote,
                    outlet=outlet_of(s.mention),
                    headline=s.mention.source.headline,
                    url=safe_url(s.mention.source.url),
                    article_id=s.mention.article_id,
                    event_id=s.mention.event_id,
                    start=s.evidence.start,
                    end=s.evidence.end,
                )
                self._by_key[key] = note
            if note.n not in numbers:
                numbers.append(note.n)
        return tuple(numbers)

    def all(self) -> tuple[Note, ...]:
        return tuple(self._by_key.values())


def event_view(
    event: MergedEvent,
    notes: EvidenceNotes,
    tracked: Sequence[TrackedFollowUp],
    anchors: Anchors,
) -> EventView:
    """The event's section; its notes are numbered in the order the section shows them."""
    participants = tuple(
        PersonLine(p.name, role(p), notes.add(p.evidence), p.weak) for p in event.participants
    )
    initiator = (
        Claim(event.initiator.party, notes.add(event.initiator.evidence))
        if event.initiator
        else None
    )
    outcomes = tuple(
        OutcomeLine(
            kind=o.kind,
            kind_label=KIND_LABELS.get(o.kind, o.kind.title()),
            statement=o.statement,
            stated_by=", ".join(o.stated_by),
            side=o.side,
            party=o.party,
            notes=notes.add(o.evidence),
            weak=o.weak,
        )
        for o in event.outcomes
    )
    follow_ups = tuple(follow_up_line(t, notes, anchors) for t in tracked)
    conflicts = tuple(_conflict_line(c, notes) for c in event.divergences)
    types = event.conflict("event type")
    columns, rows = _side_by_side(event.sides, outcomes)
    anchor, md_anchor = anchors[event.id]
    return EventView(
        id=event.id,
        anchor=anchor,
        md_anchor=md_anchor,
        heading=event_heading(event),
        type_label=TYPE_LABELS[event.event_type],
        date_label=format_date(event.date, weekday=True),
        date_texts=event.date_texts,
        undated=event.date is None,
        location=event.location,
        participants=participants,
        mentioned=tuple(PersonLine(p.name, role(p), ()) for p in event.mentioned),
        initiator=initiator,
        initiator_disputed=event.conflict("initiator") is not None,
        initiator_unchecked=any(m.initiator_dropped for m in event.mentions),
        topics=event.topics,
        outcomes=outcomes,
        follow_ups=follow_ups,
        summary=event.summary,
        summary_from=outlet_of(event.summary_from),
        sources=tuple(_source_ref(m) for m in event.mentions),
        conflicts=conflicts,
        sides=columns,
        side_rows=rows,
        accounts_differ=event.accounts_differ,
        type_variants=(
            ", ".join(
                f"{_variant_value(types.field, v.value)} ({outlets_of(v.mentions)})"
                for v in types.variants
            )
            if types
            else None
        ),
        merge_rules=event.merge_rules,
    )


def _source_ref(m: Mention) -> SourceRef:
    return SourceRef(
        outlet=outlet_of(m),
        headline=m.source.headline,
        url=safe_url(m.source.url),
        published=published(m),
        article_id=m.article_id,
        event_id=m.event_id,
    )


def _side_by_side(
    sides: Sequence[str], outcomes: Sequence[OutcomeLine]
) -> tuple[tuple[SideColumn, ...], tuple[SideRow, ...]]:
    """Each party's statements in its own column, a row per kind; nothing for one side."""
    if len(sides) < 2:
        return (), ()
    columns = tuple(
        SideColumn(
            side,
            " · ".join(_distinct_text(o.stated_by for o in outcomes if o.party and o.side == side)),
        )
        for side in sides
    )
    rows: list[SideRow] = []
    for kind, label in KIND_LABELS.items():
        cells = tuple(
            tuple(o for o in outcomes if o.party and o.side == side and o.kind == kind)
            for side in sides
        )
        if any(cells):
            rows.append(SideRow(label, cells))
    return columns, tuple(rows)


def _distinct_text(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for v in values:
        for part in v.split(", "):
            seen.setdefault(part.strip().lower(), part.strip())
    return list(seen.values())


def _conflict_line(conflict: Conflict, notes: EvidenceNotes) -> ConflictLine:
    return ConflictLine(
        label=CONFLICT_LABELS.get(conflict.field, conflict.field.capitalize()),
        variants=tuple(
            VariantLine(
                value=_variant_value(conflict.field, v.value),
                outlets=outlets_of(v.mentions),
                notes=notes.add(v.evidence),
            )
            for v in conflict.variants
        ),
    )


def _variant_value(field: str, value: str) -> str:
    if field == "date":
        return format_date(dt.date.fromisoformat(value), weekday=True)
    if field == "event type":
        return TYPE_LABELS[EventType(value)]
    return value


def follow_up_line(t: TrackedFollowUp, notes: EvidenceNotes, anchors: Anchors) -> FollowUpLine:
    fu = t.follow_up
    met = t.met_by
    return FollowUpLine(
        action=fu.action,
        responsible=", ".join(fu.responsible),
        due_text=fu.due_text,
        due_date=fu.due_date,
        due_label=format_date(fu.due_date) if fu.due_date else (fu.due_text or "not stated"),
        status=t.status.value,
        status_label=_STATUS_LABELS[t.status],
        event_id=t.event.id,
        event_anchor=anchors[t.event.id][0],
        event_md_anchor=anchors[t.event.id][1],
        met_by=met.id if met else None,
        met_by_anchor=anchors[met.id][0] if met else None,
        met_by_md_anchor=anchors[met.id][1] if met else None,
        met_by_date=format_date(met.date) if met else None,
        notes=notes.add(fu.evidence),
        weak=fu.weak,
    )
