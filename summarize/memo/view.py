"""The view the memo templates render: plain frozen records, every text already worded.

`build.build_memo` makes a `MemoView` from briefs; `render` fills the templates with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from summarize.memo.citations import CitedSentence
from summarize.memo.overview import Overview

# An event link: (event id, HTML anchor, Markdown anchor).
EventRef = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Note:
    """A numbered evidence note: the quote and where it comes from."""

    n: int
    quote: str
    outlet: str
    headline: str | None
    url: str | None
    article_id: str
    event_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    notes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonLine:
    name: str
    role: str
    notes: tuple[int, ...]
    weak: bool = False


@dataclass(frozen=True, slots=True)
class OutcomeLine:
    kind: str
    kind_label: str
    statement: str
    stated_by: str
    side: str
    party: bool
    notes: tuple[int, ...]
    weak: bool = False


@dataclass(frozen=True, slots=True)
class FollowUpLine:
    action: str
    responsible: str
    due_text: str | None
    due_date: dt.date | None
    due_label: str
    status: str
    status_label: str
    event_id: str
    event_anchor: str
    event_md_anchor: str
    met_by: str | None
    met_by_anchor: str | None
    met_by_md_anchor: str | None
    met_by_date: str | None
    notes: tuple[int, ...]
    weak: bool = False


@dataclass(frozen=True, slots=True)
class VariantLine:
    value: str
    outlets: str
    notes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ConflictLine:
    label: str
    variants: tuple[VariantLine, ...]


@dataclass(frozen=True, slots=True)
class SideRow:
    label: str
    cells: tuple[tuple[OutcomeLine, ...], ...]


@dataclass(frozen=True, slots=True)
class SideColumn:
    side: str
    sources: str


@dataclass(frozen=True, slots=True)
class SourceRef:
    outlet: str
    headline: str | None
    url: str | None
    published: str | None
    article_id: str
    event_id: str


@dataclass(frozen=True, slots=True)
class EventView:
    id: str
    anchor: str
    md_anchor: str
    heading: str
    type_label: str
    date_label: str
    date_texts: tuple[str, ...]
    undated: bool
    location: str | None
    participants: tuple[PersonLine, ...]
    mentioned: tuple[PersonLine, ...]
    initiator: Claim | None
    initiator_disputed: bool
    topics: tuple[str, ...]
    outcomes: tuple[OutcomeLine, ...]
    follow_ups: tuple[FollowUpLine, ...]
    summary: str
    summary_from: str
    sources: tuple[SourceRef, ...]
    conflicts: tuple[ConflictLine, ...]
    sides: tuple[SideColumn, ...]
    side_rows: tuple[SideRow, ...]
    accounts_differ: bool = False
    merge_rules: tuple[str, ...] = ()
    # "reviewed", or "1 of 2 reports reviewed": how much of it a reviewer checked.
    reviewed_label: str | None = None
    # No initiator kept, but a report's claim of one was dropped for want of evidence.
    initiator_unchecked: bool = False

    # Reports that call the contact by different types ("Meeting (TASS), Talks (AFP)"):
    # detail, shown with the type, not divergence.
    type_variants: str | None = None
    # An undated event with the type, participants and place of a dated one: maybe it.
    possibly_same: EventRef | None = None

    @property
    def divergent(self) -> bool:
        """The accounts conflict on a fact or an outcome (`conflicts` holds only those);
        sides that stress different points do not."""
        return bool(self.conflicts)


@dataclass(frozen=True, slots=True)
class TimelineRow:
    event_id: str
    anchor: str
    md_anchor: str
    date_label: str
    undated: bool
    date_note: str | None
    type_label: str
    who: str
    location: str | None
    topics: str
    n_sources: int


@dataclass(frozen=True, slots=True)
class PersonRow:
    name: str
    titles: str
    affiliation: str | None
    took_part_in: tuple[EventRef, ...]
    mentioned_in: tuple[EventRef, ...]


@dataclass(frozen=True, slots=True)
class ArticleRow:
    n: int
    outlet: str
    headline: str | None
    url: str | None
    published: str | None
    article_id: str
    event_ids: tuple[EventRef, ...]
    no_event_reason: str | None


@dataclass(frozen=True, slots=True)
class UnsummarisedRow:
    """An article the run read that gave no brief in its last run."""

    n: int
    file: str
    article_id: str | None
    what: str
    cause: str
    earlier_brief: bool  # the memo uses its brief from an earlier run


@dataclass(frozen=True, slots=True)
class MemoView:
    title: str
    as_of: dt.date | None
    as_of_label: str
    range_label: str
    n_articles: int
    n_outlets: int
    n_events: int
    n_undated: int
    n_single_source: int
    bluf: tuple[CitedSentence, ...]
    bluf_by_model: bool
    caution: str | None
    anchors: dict[str, tuple[str, str]]
    timeline: tuple[TimelineRow, ...]
    events: tuple[EventView, ...]
    divergent: tuple[EventView, ...]
    open_follow_ups: tuple[FollowUpLine, ...]
    met_follow_ups: tuple[FollowUpLine, ...]
    people: tuple[PersonRow, ...]
    articles: tuple[ArticleRow, ...]
    notes: tuple[Note, ...]
    # From the run's record, when the folder is a run's output: what the memo cannot cover.
    unsummarised_note: str | None
    unsummarised: tuple[UnsummarisedRow, ...]
    # Articles whose brief a reviewer checked (summarize review) and the memo used.
    n_reviewed: int = 0
    # The HTML memo's charts and filter data (issue 25).
    overview: Overview | None = None
