"""Everything the memo shows, worked out from the briefs alone (pure): `build_memo`.

Nothing depends on the clock: "overdue" is judged against an explicit `as_of` date, by
default the latest date found in the briefs, so the same briefs give the same view.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

from summarize.core.brief import Brief
from summarize.memo.bottom_line import bottom_line, caution
from summarize.memo.citations import CitedSentence, MemoSynthesis, check_citations
from summarize.memo.coverage import RunRecord, unsummarised_view
from summarize.memo.event_view import EvidenceNotes, event_view
from summarize.memo.events import MergedEvent
from summarize.memo.follow_ups import TrackedFollowUp, track_follow_ups
from summarize.memo.links import Anchors, event_anchors, safe_url
from summarize.memo.merging import merge_briefs
from summarize.memo.overview import overview
from summarize.memo.same_contact import possibly_same
from summarize.memo.view import (
    ArticleRow,
    EventRef,
    EventView,
    FollowUpLine,
    MemoView,
    PersonRow,
    TimelineRow,
)
from summarize.memo.who import who_is_who
from summarize.memo.wording import TYPE_LABELS, format_date, outlet_name, surname_list

DEFAULT_TITLE = "Briefing memo: diplomatic contacts"
_STATUS_ORDER = {"overdue": 0, "open": 1, "no_later_report": 2, "met": 3}


def default_as_of(briefs: Iterable[Brief]) -> dt.date | None:
    """The latest publication or event date in the briefs (never today's date)."""
    dates = [
        d
        for b in briefs
        for d in [b.source.published_date, *(e.date for e in b.events)]
        if d is not None
    ]
    return max(dates) if dates else None


def build_memo(
    briefs: Sequence[Brief],
    *,
    title: str | None = None,
    as_of: dt.date | None = None,
    synthesis: MemoSynthesis | None = None,
    run: RunRecord | None = None,
    reviewed: frozenset[str] = frozenset(),
) -> MemoView:
    """Everything the memo shows, computed from the briefs (and the record of the run that
    made them, which says what it has no brief of); `reviewed` are the ids of the articles
    whose briefs a reviewer checked."""
    ordered = _one_per_article(briefs)
    events = merge_briefs(ordered)
    as_of = as_of or default_as_of(ordered)
    tracked = track_follow_ups(events, as_of or dt.date.min)
    anchors = event_anchors(events)
    notes = EvidenceNotes()
    views = _event_views(events, tracked, notes, anchors)
    if reviewed:
        views = [_with_review_mark(v, e, reviewed) for v, e in zip(views, events, strict=True)]
    same = possibly_same(events)
    refs = _event_refs(events, anchors)
    views = [
        dataclasses.replace(v, possibly_same=refs[same[v.id]]) if v.id in same else v for v in views
    ]
    n_outlets = len({(b.source.outlet or "").strip().lower() for b in ordered if b.source.outlet})
    n_dated = sum(1 for e in events if e.date is not None)
    follow_ups = sorted((f for v in views for f in v.follow_ups), key=_follow_up_order)
    unsummarised_note, unsummarised = unsummarised_view(run, {b.article_id for b in ordered})
    return MemoView(
        title=title or DEFAULT_TITLE,
        as_of=as_of,
        as_of_label=format_date(as_of) if as_of else "not determinable (no dates in the briefs)",
        range_label=_range_label(events),
        n_articles=len(ordered),
        n_outlets=n_outlets,
        n_events=len(events),
        n_undated=len(events) - n_dated,
        n_single_source=sum(1 for e in events if e.n_articles == 1),
        bluf=tuple(_bluf(events, ordered, n_outlets, tracked, as_of, synthesis)),
        bluf_by_model=synthesis is not None,
        caution=caution(ordered),
        anchors=anchors,
        timeline=tuple(_timeline_row(e, anchors, same.get(e.id)) for e in events),
        events=tuple(views),
        divergent=tuple(v for v in views if v.divergent),
        open_follow_ups=tuple(f for f in follow_ups if f.status != "met"),
        met_follow_ups=tuple(f for f in follow_ups if f.status == "met"),
        people=_people_rows(events, anchors),
        articles=_article_rows(ordered, events, anchors),
        notes=notes.all(),
        unsummarised_note=unsummarised_note,
        unsummarised=unsummarised,
        n_reviewed=sum(1 for b in ordered if b.article_id in reviewed),
        overview=overview(events, anchors),
    )


def _with_review_mark(view: EventView, event: MergedEvent, reviewed: frozenset[str]) -> EventView:
    reports = {m.article_id for m in event.mentions}
    checked = len(reports & reviewed)
    if not checked:
        return view
    label = f"{checked} of {len(reports)} reports reviewed"
    if checked == len(reports):
        label = "reviewed"
    return dataclasses.replace(view, reviewed_label=label)


def _one_per_article(briefs: Sequence[Brief]) -> list[Brief]:
    """The briefs by article id; two for one article are refused."""
    ordered = sorted(briefs, key=lambda b: b.article_id)
    for a, b in itertools.pairwise(ordered):
        if a.article_id == b.article_id:
            # Two readings of one article would look like two outlets agreeing.
            raise ValueError(f"two briefs for article {a.article_id!r}; give one per article")
    return ordered


def _event_views(
    events: Sequence[MergedEvent],
    tracked: Sequence[TrackedFollowUp],
    notes: EvidenceNotes,
    anchors: Anchors,
) -> list[EventView]:
    by_event: dict[str, list[TrackedFollowUp]] = {}
    for t in tracked:
        by_event.setdefault(t.event.id, []).append(t)
    # Evidence notes are numbered in reading order: event by event.
    return [event_view(e, notes, by_event.get(e.id, []), anchors) for e in events]


def _bluf(
    events: Sequence[MergedEvent],
    briefs: Sequence[Brief],
    n_outlets: int,
    tracked: Sequence[TrackedFollowUp],
    as_of: dt.date | None,
    synthesis: MemoSynthesis | None,
) -> list[CitedSentence]:
    """The model's bottom line when given (its citations checked), else the worked-out one."""
    if synthesis is None:
        return bottom_line(events, briefs, n_outlets, tracked, as_of)
    problems = check_citations(synthesis, [e.id for e in events])
    if problems:
        raise ValueError("synthesis rejected: " + "; ".join(problems))
    return list(synthesis.sentences)


def _follow_up_order(f: FollowUpLine) -> tuple[int, bool, dt.date, int]:
    """Overdue, open, then met; by due date (none last), then by event."""
    return (
        _STATUS_ORDER[f.status],
        f.due_date is None,
        f.due_date or dt.date.min,
        int(f.event_id[1:]),
    )


def _range_label(events: Sequence[MergedEvent]) -> str:
    dated = [e.date for e in events if e.date is not None]
    if not dated:
        return "no dated events"
    first, last = min(dated), max(dated)
    years = last.year - first.year
    span = f" ({years} years)" if (last - first).days > 365 else ""
    return f"{format_date(first)} \u2013 {format_date(last)}{span}"


def _timeline_row(e: MergedEvent, anchors: Anchors, same: str | None) -> TimelineRow:
    return TimelineRow(
        event_id=e.id,
        anchor=anchors[e.id][0],
        md_anchor=anchors[e.id][1],
        date_label=format_date(e.date, weekday=True) if e.date else "Undated",
        undated=e.date is None,
        date_note=(
            _undated_note(e) + (f"; possibly the same contact as {same}" if same else "")
            if e.date is None
            else None
        ),
        type_label=TYPE_LABELS[e.event_type],
        who=surname_list(e.participants),
        location=e.location,
        topics=", ".join(e.topics[:3]) + (" …" if len(e.topics) > 3 else ""),
        n_sources=e.n_articles,
    )


def _undated_note(e: MergedEvent) -> str:
    written = "; ".join(f"“{t}”" for t in e.date_texts)
    published = sorted(
        {m.source.published_date for m in e.mentions if m.source.published_date is not None}
    )
    parts = [f"as written: {written}"] if written else []
    if published:
        parts.append(f"reported {format_date(published[0])}")
    return "date not resolved" + (f" ({', '.join(parts)})" if parts else "")


def _event_refs(events: Sequence[MergedEvent], anchors: Anchors) -> dict[str, EventRef]:
    return {e.id: (e.id, anchors[e.id][0], anchors[e.id][1]) for e in events}


def _people_rows(events: Sequence[MergedEvent], anchors: Anchors) -> tuple[PersonRow, ...]:
    refs = _event_refs(events, anchors)
    return tuple(
        PersonRow(
            name=p.name,
            titles=" / ".join(p.titles),
            affiliation=p.affiliation,
            took_part_in=tuple(refs[i] for i in p.took_part_in),
            mentioned_in=tuple(refs[i] for i in p.mentioned_in),
        )
        for p in who_is_who(events)
    )


def _article_rows(
    briefs: Sequence[Brief], events: Sequence[MergedEvent], anchors: Anchors
) -> tuple[ArticleRow, ...]:
    """One row per article, linking the memo events its own events went into."""
    refs = _event_refs(events, anchors)
    event_of_mention = {m.event_id: e.id for e in events for m in e.mentions}
    return tuple(
        ArticleRow(
            n=n,
            outlet=outlet_name(b.source.outlet),
            headline=b.source.headline,
            url=safe_url(b.source.url),
            published=(
                format_date(b.source.published_date)
                if b.source.published_date
                else b.source.published_text
            ),
            article_id=b.article_id,
            event_ids=tuple(
                refs[i]
                for i in dict.fromkeys(
                    # An event the brief repeats was merged into its first telling.
                    event_of_mention[ev.id]
                    for ev in b.events
                    if ev.id in event_of_mention
                )
            ),
            no_event_reason=b.no_event_reason if not b.events else None,
        )
        for n, b in enumerate(briefs, start=1)
    )
