"""Briefing memos from a folder of briefs: Markdown for GitHub, one self-contained HTML file.

`build_memo` is pure: briefs in, a `MemoView` out (merged events, BLUF, timeline, divergent
accounts, follow-ups, who's who, numbered evidence notes). `render_memo` fills the Jinja2
templates in `summarize/templates/`. `load_briefs` and `write_memo` are the file shell.

Nothing depends on the clock: "overdue" is judged against an explicit `as_of` date, by
default the latest date found in the briefs, so the same briefs give a byte-identical memo.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from summarize.atomic import write_text_atomic
from summarize.core.brief import Brief, EventType
from summarize.core.errors import UsageError
from summarize.memo.merging import (
    Conflict,
    FollowUpStatus,
    Mention,
    MergedEvent,
    MergedPerson,
    Sourced,
    TrackedFollowUp,
    merge_briefs,
    person_key,
    topic_stems,
    track_follow_ups,
    who_is_who,
)
from summarize.rendering import environment, md_escape, md_url

FORMATS: dict[str, str] = {"md": "memo.md.j2", "html": "memo.html.j2"}
_SUFFIX_FORMATS: dict[str, str] = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
DEFAULT_TITLE = "Briefing memo: diplomatic contacts"
UNKNOWN_OUTLET = "Outlet not stated"

_TYPE_LABELS: dict[EventType, str] = {
    EventType.PHONE_CALL: "Phone call",
    EventType.MEETING: "Meeting",
    EventType.SUMMIT_SIDELINE: "Meeting on summit sidelines",
    EventType.VISIT: "Visit",
    EventType.TALKS: "Talks",
    EventType.STATEMENT: "Statement",
    EventType.OTHER: "Other contact",
}
_TYPE_PHRASES: dict[EventType, str] = {
    EventType.PHONE_CALL: "a phone call",
    EventType.MEETING: "a meeting",
    EventType.SUMMIT_SIDELINE: "a meeting on summit sidelines",
    EventType.VISIT: "a visit",
    EventType.TALKS: "talks",
    EventType.STATEMENT: "a statement",
    EventType.OTHER: "a contact",
}
_KIND_LABELS: dict[str, str] = {
    "agreed": "Agreed",
    "decided": "Decided",
    "claimed": "Claimed",
    "disagreed": "Disagreed",
}
_CONFLICT_LABELS: dict[str, str] = {
    "date": "Date",
    "event type": "Type of contact",
    "place": "Place",
    "initiator": "Initiator",
}
# Locale-free month and weekday names: strftime would follow the machine's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def format_date(d: dt.date | None, *, weekday: bool = False) -> str:
    if d is None:
        return "undated"
    text = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{_WEEKDAYS[d.weekday()]} {text}" if weekday else text


# --- model synthesis extension point ------------------------------------------------------


class CitedSentence(BaseModel):
    """One BLUF sentence and the events it rests on."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="One plain sentence for a busy reader.")
    event_ids: list[str] = Field(
        default_factory=list,
        description="Ids of the memo's events (E1, E2, ...) this sentence rests on; at least one.",
    )


class MemoSynthesis(BaseModel):
    """The BLUF a model writes for `--synthesize`: every sentence cites its events.

    Validate inside `citing(event_ids)` to have uncited sentences and unknown ids rejected,
    which makes instructor re-ask.
    """

    model_config = ConfigDict(extra="forbid")

    sentences: list[CitedSentence] = Field(min_length=1, max_length=6)

    @model_validator(mode="after")
    def _citations_hold(self) -> MemoSynthesis:
        known = _citable.get()
        if known is not None:
            problems = check_citations(self, known)
            if problems:
                raise ValueError("; ".join(problems))
        return self


# Not instructor's `context=`: that would render the messages as Jinja templates.
_citable: ContextVar[frozenset[str] | None] = ContextVar("citable_events", default=None)


@contextmanager
def citing(event_ids: Collection[str]) -> Iterator[None]:
    """Validate `MemoSynthesis` inside this block against these event ids."""
    token = _citable.set(frozenset(event_ids))
    try:
        yield
    finally:
        _citable.reset(token)


def check_citations(synthesis: MemoSynthesis, known_ids: Collection[str]) -> list[str]:
    """Problems with the synthesis's citations; empty when every sentence cites known events."""
    known = set(known_ids)
    problems: list[str] = []
    for n, sentence in enumerate(synthesis.sentences, start=1):
        if not sentence.text.strip():
            problems.append(f"sentence {n} is empty")
        if not sentence.event_ids:
            problems.append(f"sentence {n} cites no event: {sentence.text!r}")
        unknown = [i for i in sentence.event_ids if i not in known]
        if unknown:
            problems.append(f"sentence {n} cites unknown event ids {unknown}")
    return problems


# --- the view the templates render ---------------------------------------------------------


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Claim:
    text: str
    notes: tuple[int, ...] = ()


@dataclass(frozen=True)
class PersonLine:
    name: str
    role: str
    notes: tuple[int, ...]


@dataclass(frozen=True)
class OutcomeLine:
    kind: str
    kind_label: str
    statement: str
    stated_by: str
    side: str
    party: bool
    notes: tuple[int, ...]


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class VariantLine:
    value: str
    outlets: str
    notes: tuple[int, ...]


@dataclass(frozen=True)
class ConflictLine:
    label: str
    variants: tuple[VariantLine, ...]


@dataclass(frozen=True)
class SideRow:
    label: str
    cells: tuple[tuple[OutcomeLine, ...], ...]


@dataclass(frozen=True)
class SideColumn:
    side: str
    sources: str


@dataclass(frozen=True)
class SourceRef:
    outlet: str
    headline: str | None
    url: str | None
    published: str | None
    article_id: str
    event_id: str


@dataclass(frozen=True)
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

    @property
    def divergent(self) -> bool:
        return len(self.sides) > 1 or bool(self.conflicts)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class PersonRow:
    name: str
    titles: str
    affiliation: str | None
    took_part_in: tuple[tuple[str, str, str], ...]
    mentioned_in: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class ArticleRow:
    n: int
    outlet: str
    headline: str | None
    url: str | None
    published: str | None
    article_id: str
    event_ids: tuple[tuple[str, str, str], ...]
    no_event_reason: str | None


@dataclass(frozen=True)
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


class _Notes:
    """Numbers evidence in order of first use; one quote gets one number."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, int, int], Note] = {}

    def add(self, items: Iterable[Sourced]) -> tuple[int, ...]:
        numbers: list[int] = []
        for s in items:
            key = (s.mention.article_id, s.evidence.start, s.evidence.end)
            note = self._by_key.get(key)
            if note is None:
                note = Note(
                    n=len(self._by_key) + 1,
                    quote=s.evidence.quote,
                    outlet=_outlet(s.mention),
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


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link; anything else (javascript:, data:) is not linked."""
    if url is None:
        return None
    url = url.strip()
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _outlet(m: Mention) -> str:
    return (m.source.outlet or "").strip() or UNKNOWN_OUTLET


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (lowercase, punctuation dropped)."""
    kept = [
        c for c in heading.lower() if c in " -_" or unicodedata.category(c)[0] in ("L", "M", "N")
    ]
    return "".join(kept).replace(" ", "-")


def _surname_list(people: Sequence[MergedPerson], limit: int = 4) -> str:
    names = [_short_name(p.name) for p in people[:limit]]
    if len(people) > limit:
        extra = len(people) - limit
        names.append(f"{extra} other" + ("s" if extra > 1 else ""))
    return _join_words(names)


def _short_name(name: str) -> str:
    surname = person_key(name).surname
    tokens = name.split()
    # The displayed surname keeps its original spelling and case.
    for token in reversed(tokens):
        if re.sub(r"[^0-9a-z]", "", token.lower()) == surname:
            return token.strip(",.")
    return tokens[-1] if tokens else name


def _join_words(items: Sequence[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _role(p: MergedPerson) -> str:
    parts = [" / ".join(p.titles)] if p.titles else []
    if p.affiliation:
        parts.append(p.affiliation)
    return ", ".join(parts)


def _outlets(mentions: Iterable[Mention]) -> str:
    return ", ".join(dict.fromkeys(_outlet(m) for m in mentions))


def _event_view(
    event: MergedEvent,
    notes: _Notes,
    tracked: Sequence[TrackedFollowUp],
    anchors: dict[str, tuple[str, str]],
) -> EventView:
    type_label = _TYPE_LABELS[event.event_type]
    heading = f"{event.id} · {type_label} · {format_date(event.date, weekday=True)}"
    participants = tuple(
        PersonLine(p.name, _role(p), notes.add(p.evidence)) for p in event.participants
    )
    initiator = (
        Claim(event.initiator.party, notes.add(event.initiator.evidence))
        if event.initiator
        else None
    )
    outcomes = tuple(
        OutcomeLine(
            kind=o.kind,
            kind_label=_KIND_LABELS.get(o.kind, o.kind.title()),
            statement=o.statement,
            stated_by=", ".join(o.stated_by),
            side=o.side,
            party=o.party,
            notes=notes.add(o.evidence),
        )
        for o in event.outcomes
    )
    own_follow_ups = tuple(_follow_up_line(t, notes, anchors) for t in tracked)
    conflicts = tuple(_conflict_line(c, notes) for c in event.conflicts)
    mentioned = tuple(PersonLine(p.name, _role(p), ()) for p in event.mentioned)
    sides = event.sides
    side_rows: list[SideRow] = []
    columns: list[SideColumn] = []
    if len(sides) > 1:
        for side in sides:
            said = _distinct_text(o.stated_by for o in outcomes if o.party and o.side == side)
            columns.append(SideColumn(side, " · ".join(said)))
        for kind in _KIND_LABELS:
            cells = tuple(
                tuple(o for o in outcomes if o.party and o.side == side and o.kind == kind)
                for side in sides
            )
            if any(cells):
                side_rows.append(SideRow(_KIND_LABELS[kind], cells))
    anchor, md_anchor = anchors[event.id]
    return EventView(
        id=event.id,
        anchor=anchor,
        md_anchor=md_anchor,
        heading=heading,
        type_label=type_label,
        date_label=format_date(event.date, weekday=True),
        date_texts=event.date_texts,
        undated=event.date is None,
        location=event.location,
        participants=participants,
        mentioned=mentioned,
        initiator=initiator,
        initiator_disputed=event.conflict("initiator") is not None,
        topics=event.topics,
        outcomes=outcomes,
        follow_ups=own_follow_ups,
        summary=event.summary,
        summary_from=_outlet(event.summary_from),
        sources=tuple(
            SourceRef(
                outlet=_outlet(m),
                headline=m.source.headline,
                url=safe_url(m.source.url),
                published=_published(m),
                article_id=m.article_id,
                event_id=m.event_id,
            )
            for m in event.mentions
        ),
        conflicts=conflicts,
        sides=tuple(columns),
        side_rows=tuple(side_rows),
    )


def _distinct_text(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for v in values:
        for part in v.split(", "):
            seen.setdefault(part.strip().lower(), part.strip())
    return list(seen.values())


def _published(m: Mention) -> str | None:
    if m.source.published_date is not None:
        return format_date(m.source.published_date)
    return m.source.published_text


def _conflict_line(conflict: Conflict, notes: _Notes) -> ConflictLine:
    return ConflictLine(
        label=_CONFLICT_LABELS.get(conflict.field, conflict.field.capitalize()),
        variants=tuple(
            VariantLine(
                value=_variant_value(conflict.field, v.value),
                outlets=_outlets(v.mentions),
                notes=notes.add(v.evidence),
            )
            for v in conflict.variants
        ),
    )


def _variant_value(field: str, value: str) -> str:
    if field == "date":
        return format_date(dt.date.fromisoformat(value), weekday=True)
    if field == "event type":
        return _TYPE_LABELS[EventType(value)]
    return value


def _follow_up_line(
    t: TrackedFollowUp, notes: _Notes, anchors: dict[str, tuple[str, str]]
) -> FollowUpLine:
    fu = t.follow_up
    due_label = format_date(fu.due_date) if fu.due_date else (fu.due_text or "not stated")
    status_label = {
        FollowUpStatus.MET: "Followed up",
        FollowUpStatus.OPEN: "Open",
        FollowUpStatus.OVERDUE: "Overdue",
    }[t.status]
    met = t.met_by
    return FollowUpLine(
        action=fu.action,
        responsible=", ".join(fu.responsible),
        due_text=fu.due_text,
        due_date=fu.due_date,
        due_label=due_label,
        status=t.status.value,
        status_label=status_label,
        event_id=t.event.id,
        event_anchor=anchors[t.event.id][0],
        event_md_anchor=anchors[t.event.id][1],
        met_by=met.id if met else None,
        met_by_anchor=anchors[met.id][0] if met else None,
        met_by_md_anchor=anchors[met.id][1] if met else None,
        met_by_date=format_date(met.date) if met else None,
        notes=notes.add(fu.evidence),
    )


def _bluf(
    events: Sequence[MergedEvent],
    briefs: Sequence[Brief],
    n_outlets: int,
    tracked: Sequence[TrackedFollowUp],
    as_of: dt.date | None,
) -> list[CitedSentence]:
    """The deterministic bottom line: coverage, latest contact, themes, divergence, open items."""
    if not events:
        return []
    all_ids = [e.id for e in events]
    position = {i: n for n, i in enumerate(all_ids)}
    dated = [e for e in events if e.date is not None]
    undated = len(events) - len(dated)
    contacts = "contact" if len(events) == 1 else "distinct contacts"
    span = (
        f" between {format_date(dated[0].date)} and {format_date(dated[-1].date)}"
        if len(dated) > 1
        else (f" on {format_date(dated[0].date)}" if dated else "")
    )
    undated_note = f" ({undated} undated)" if undated and dated else ""
    articles = "article" if len(briefs) == 1 else "articles"
    outlets = {0: "no named outlet", 1: "1 outlet"}.get(n_outlets, f"{n_outlets} outlets")
    report = "reports" if len(briefs) == 1 else "report"
    sentences = [
        CitedSentence(
            text=f"{len(briefs)} {articles} from {outlets} {report} "
            f"{len(events)} {contacts}{span}{undated_note}.",
            event_ids=all_ids,
        )
    ]

    if dated:
        latest = dated[-1]
        where = f" in {latest.location}" if latest.location else ""
        names = [_short_name(p.name) for p in latest.participants]
        if len(names) == 2:
            who = f" between {names[0]} and {names[1]}"
        elif names:
            who = f" involving {_surname_list(latest.participants, limit=5)}"
        else:
            who = ""
        about = f"; topics: {_join_words(list(latest.topics[:3]))}" if latest.topics else ""
        which = "latest dated contact" if undated else "latest contact"
        sentences.append(
            CitedSentence(
                text=f"The {which}, on {format_date(latest.date)}{where}, was "
                f"{_TYPE_PHRASES[latest.event_type]}{who}{about}.",
                event_ids=[latest.id],
            )
        )

    stem_events: dict[str, list[str]] = {}
    for e in events:
        for stem in sorted(topic_stems(e.topics)):
            stem_events.setdefault(stem, []).append(e.id)
    recurring = sorted(
        ((s, ids) for s, ids in stem_events.items() if len(ids) > 1),
        key=lambda item: (-len(item[1]), item[0]),
    )[:4]
    if recurring:
        labelled: dict[str, int] = {}
        for stem, ids in recurring:
            labelled.setdefault(_topic_label(stem, events), len(ids))
        parts = [f"{label} in {n} of {len(events)}" for label, n in labelled.items()]
        cited = sorted({i for _, ids in recurring for i in ids}, key=position.__getitem__)
        sentences.append(
            CitedSentence(text=f"Recurring topics: {'; '.join(parts)} contacts.", event_ids=cited)
        )

    divergent = [e for e in events if len(e.sides) > 1 or e.conflicts]
    if divergent:
        sides = Counter(s for e in divergent for s in e.sides)
        named = ", ".join(sorted(sides, key=lambda s: (-sides[s], s))[:3])
        versus = f" ({named})" if len(sides) > 1 else ""
        sentences.append(
            CitedSentence(
                text=f"For {len(divergent)} of {len(events)} contacts the sides give separate "
                f"accounts{versus} or the outlets disagree on facts; see the side-by-side "
                "comparison.",
                event_ids=[e.id for e in divergent],
            )
        )

    open_items = [t for t in tracked if t.status is not FollowUpStatus.MET]
    if open_items:
        overdue = [t for t in open_items if t.status is FollowUpStatus.OVERDUE]
        oldest = min(
            open_items,
            key=lambda t: (t.follow_up.due_date is None, t.follow_up.due_date or dt.date.min),
        )
        due = (
            f" (due {format_date(oldest.follow_up.due_date)})" if oldest.follow_up.due_date else ""
        )
        items = "follow-up has" if len(open_items) == 1 else "follow-ups have"
        overdue_note = (
            f", {len(overdue)} overdue as of {format_date(as_of)}" if overdue and as_of else ""
        )
        sentences.append(
            CitedSentence(
                text=f"{len(open_items)} announced {items} no later contact in these reports"
                f"{overdue_note}; the earliest: \u201c{oldest.follow_up.action.strip().rstrip('.')}"
                f"\u201d{due}.",
                event_ids=sorted({t.event.id for t in open_items}, key=position.__getitem__),
            )
        )
    elif tracked:
        sentences.append(
            CitedSentence(
                text="Every announced follow-up was matched by a later contact in these reports.",
                event_ids=sorted({t.event.id for t in tracked}, key=position.__getitem__),
            )
        )
    return sentences


def _topic_label(stem: str, events: Sequence[MergedEvent]) -> str:
    """The shortest topic wording that carries the stem ("Syria" over "Syrian crisis")."""
    candidates = sorted(
        {t for e in events for t in e.topics if stem in topic_stems([t])},
        key=lambda t: (len(t), t),
    )
    return candidates[0] if candidates else stem


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
) -> MemoView:
    """Everything the memo shows, computed from the briefs alone."""
    ordered = sorted(briefs, key=lambda b: b.article_id)
    for a, b in itertools.pairwise(ordered):
        if a.article_id == b.article_id:
            # Two readings of one article would look like two outlets agreeing.
            raise ValueError(f"two briefs for article {a.article_id!r}; give one per article")
    events = merge_briefs(ordered)
    as_of = as_of or default_as_of(ordered)
    tracked = track_follow_ups(events, as_of or dt.date.min)

    anchors = {e.id: (e.id.lower(), "") for e in events}
    for e in events:
        heading = f"{e.id} · {_TYPE_LABELS[e.event_type]} · {format_date(e.date, weekday=True)}"
        anchors[e.id] = (e.id.lower(), github_slug(heading))

    notes = _Notes()
    views: list[EventView] = []
    follow_lines: list[FollowUpLine] = []
    by_event: dict[str, list[TrackedFollowUp]] = {}
    for t in tracked:
        by_event.setdefault(t.event.id, []).append(t)
    for e in events:
        # Evidence notes are numbered in reading order: event by event.
        view = _event_view(e, notes, by_event.get(e.id, []), anchors)
        follow_lines.extend(view.follow_ups)
        views.append(view)

    outlets = {(b.source.outlet or "").strip().lower() for b in ordered if b.source.outlet}
    n_outlets = len(outlets)
    if synthesis is not None:
        problems = check_citations(synthesis, [e.id for e in events])
        if problems:
            raise ValueError("synthesis rejected: " + "; ".join(problems))
        bluf = list(synthesis.sentences)
    else:
        bluf = _bluf(events, ordered, n_outlets, tracked, as_of)

    timeline = tuple(
        TimelineRow(
            event_id=e.id,
            anchor=anchors[e.id][0],
            md_anchor=anchors[e.id][1],
            date_label=format_date(e.date, weekday=True) if e.date else "Undated",
            undated=e.date is None,
            date_note=_undated_note(e) if e.date is None else None,
            type_label=_TYPE_LABELS[e.event_type],
            who=_surname_list(e.participants),
            location=e.location,
            topics=", ".join(e.topics[:3]) + (" …" if len(e.topics) > 3 else ""),
            n_sources=len({m.article_id for m in e.mentions}),
        )
        for e in events
    )

    dated = [e.date for e in events if e.date is not None]
    range_label = (
        f"{format_date(min(dated))} \u2013 {format_date(max(dated))}"
        if dated
        else "no dated events"
    )
    event_refs = {e.id: (e.id, anchors[e.id][0], anchors[e.id][1]) for e in events}
    people = tuple(
        PersonRow(
            name=p.name,
            titles=" / ".join(p.titles),
            affiliation=p.affiliation,
            took_part_in=tuple(event_refs[i] for i in p.took_part_in),
            mentioned_in=tuple(event_refs[i] for i in p.mentioned_in),
        )
        for p in who_is_who(events)
    )
    event_of_mention = {m.event_id: e.id for e in events for m in e.mentions}
    articles = tuple(
        ArticleRow(
            n=n,
            outlet=(b.source.outlet or "").strip() or UNKNOWN_OUTLET,
            headline=b.source.headline,
            url=safe_url(b.source.url),
            published=(
                format_date(b.source.published_date)
                if b.source.published_date
                else b.source.published_text
            ),
            article_id=b.article_id,
            event_ids=tuple(
                event_refs[i] for i in dict.fromkeys(event_of_mention[ev.id] for ev in b.events)
            ),
            no_event_reason=b.no_event_reason if not b.events else None,
        )
        for n, b in enumerate(ordered, start=1)
    )
    status_order = {"overdue": 0, "open": 1, "met": 2}
    follow_lines.sort(
        key=lambda f: (
            status_order[f.status],
            f.due_date is None,
            f.due_date or dt.date.min,
            int(f.event_id[1:]),
        )
    )
    return MemoView(
        title=title or DEFAULT_TITLE,
        as_of=as_of,
        as_of_label=format_date(as_of) if as_of else "not determinable (no dates in the briefs)",
        range_label=range_label,
        n_articles=len(ordered),
        n_outlets=n_outlets,
        n_events=len(events),
        n_undated=len(events) - len(dated),
        n_single_source=sum(1 for e in events if len({m.article_id for m in e.mentions}) == 1),
        bluf=tuple(bluf),
        bluf_by_model=synthesis is not None,
        caution=_caution(ordered),
        anchors=anchors,
        timeline=timeline,
        events=tuple(views),
        divergent=tuple(v for v in views if v.divergent),
        open_follow_ups=tuple(f for f in follow_lines if f.status != "met"),
        met_follow_ups=tuple(f for f in follow_lines if f.status == "met"),
        people=people,
        articles=articles,
        notes=notes.all(),
    )


def _caution(briefs: Sequence[Brief]) -> str | None:
    """A warning for the reader when grounding dropped items: the briefs are weaker than
    they look, and the memo shows only what survived."""
    dropped = sum(len(b.warnings) for b in briefs)
    if not dropped:
        return None
    affected = sum(1 for b in briefs if b.warnings)
    models = sorted({b.provenance.model for b in briefs if b.provenance.model})
    by = f" The briefs come from {', '.join(models)}." if models else ""
    return (
        f"{dropped} item{'s' if dropped != 1 else ''} in {affected} of {len(briefs)} briefs "
        "were dropped because their evidence quotes could not be found in the articles; what "
        f"remains is grounded, but the extraction was unreliable.{by} Check details against "
        "the sources before relying on them."
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


# --- rendering -----------------------------------------------------------------------------


# Inline Markdown that would change meaning: emphasis, links, code, tables, raw HTML.
def md_refs(notes: Sequence[int]) -> str:
    """Footnote references: [^3][^7]."""
    return "".join(f"[^{n}]" for n in notes)


def html_refs(notes: Sequence[int]) -> Markup:
    """Superscript links to evidence notes (a filter: claims are many, macros are slow)."""
    if not notes:
        return Markup("")
    links = ",".join(f'<a href="#note-{n}" title="Evidence {n}">{n}</a>' for n in notes)
    return Markup(f'<sup class="ref">{links}</sup>')


# The helpers below are filters, not template macros, for the same reason: they run for
# every source, evidence note and article row (tens of thousands of calls in a large memo).


def md_source(outlet: str, headline: str | None, url: str | None) -> str:
    """The outlet and the headline, linked when there is a URL: `TASS, [Headline](<url>)`."""
    text = md_escape(outlet)
    if headline:
        if url:
            return f"{text}, [{md_escape(headline)}](<{md_url(url)}>)"
        return f"{text}, *{md_escape(headline)}*"
    if url:
        return f"{text}, [link](<{md_url(url)}>)"
    return text


def html_source(outlet: str, headline: str | None, url: str | None) -> Markup:
    """The outlet and the headline, linked when there is a URL."""
    text = f'<span class="outlet">{escape(outlet)}</span>'
    if headline:
        if url:
            link = f'<a class="headline" href="{escape(url)}">{escape(headline)}</a>'
            return Markup(f"{text}, {link}")
        return Markup(f'{text}, <cite class="headline">{escape(headline)}</cite>')
    if url:
        return Markup(f'{text}, <a href="{escape(url)}">link</a>')
    return Markup(text)


def md_event_links(refs: Iterable[tuple[str, str, str]]) -> str:
    """Links to events by (id, HTML anchor, Markdown anchor); empty for none."""
    return ", ".join(f"[{event_id}](#{md_anchor})" for event_id, _, md_anchor in refs)


def html_event_links(refs: Iterable[tuple[str, str, str]]) -> Markup:
    """Links to events by (id, HTML anchor, Markdown anchor); a dash for none."""
    links = " ".join(
        f'<a class="evlink" href="#{escape(anchor)}">{escape(event_id)}</a>'
        for event_id, anchor, _ in refs
    )
    return Markup(links or '<span class="none">—</span>')


def html_badge(status: str, label: str) -> Markup:
    return Markup(f'<span class="badge badge-{escape(status)}">{escape(label)}</span>')


@lru_cache(maxsize=1)
def _memo_environment() -> jinja2.Environment:
    env = environment().overlay()
    env.filters = {
        **env.filters,
        "md_refs": md_refs,
        "html_refs": html_refs,
        "md_source": md_source,
        "html_source": html_source,
        "md_event_links": md_event_links,
        "html_event_links": html_event_links,
        "html_badge": html_badge,
    }
    return env


def resolve_format(out: Path | None, fmt: str | None) -> str:
    """`md` or `html`, from `fmt` when given, else from the output file's suffix."""
    if fmt:
        name = {"markdown": "md"}.get(fmt.strip().lower(), fmt.strip().lower())
        if name not in FORMATS:
            raise ValueError(f"unknown memo format {fmt!r}; use one of: md, html")
        return name
    if out is not None and out.suffix.lower() in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[out.suffix.lower()]
    raise ValueError(
        f"cannot tell the memo format from {str(out)!r}; name the file .md or .html "
        "or pass --format md|html"
    )


# Spelled with a literal prefix, which the regex engine scans for far faster than `\n{3,}`.
_BLANK_RUNS = re.compile(r"\n\n\n+")


def render_view(view: MemoView, fmt: str) -> str:
    """Fill the template for `fmt` ("md" or "html")."""
    text = _memo_environment().get_template(FORMATS[fmt]).render(memo=view)
    lines = [line.rstrip() for line in text.splitlines()]
    # Template control blocks leave runs of blank lines; Markdown needs at most one.
    tidy = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    return tidy + "\n"


def render_memo(
    briefs: Sequence[Brief],
    fmt: str,
    *,
    title: str | None = None,
    as_of: dt.date | None = None,
    synthesis: MemoSynthesis | None = None,
) -> str:
    """The memo text for the briefs; byte-identical for the same briefs and options."""
    with _cyclic_gc_paused():
        return render_view(build_memo(briefs, title=title, as_of=as_of, synthesis=synthesis), fmt)


# --- file shell ----------------------------------------------------------------------------


class BriefLoadError(UsageError):
    """A file in the folder could not be read as a brief."""


def _looks_like_brief(data: object) -> bool:
    return isinstance(data, dict) and "article_id" in data and "provenance" in data


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (refcounting still frees all but cycles).

    Thousands of briefs are many objects and no cycles: the collector would rescan them
    over and over (it doubled the memo time for 5,000 briefs and quadrupled their loading).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            # Move everything young to the oldest generation in one step; else the first
            # collection after enabling walks all that was made meanwhile (0.1 s for 5,000
            # briefs). Nothing escapes collection: full collections still see it. Skipped
            # when someone froze objects on purpose, as unfreezing would release theirs.
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _read_brief(path: Path) -> Brief | None:
    """The brief in `path`, or None for JSON that is not a brief."""
    raw = path.read_bytes()
    # Only a file naming both keys can be a brief, and pydantic reads one in a single pass.
    # Its parser refuses some JSON that `json` takes (lone surrogates, deep nesting), so
    # only its successes count: every other file goes through `json` below, which decides
    # between skipping and which error, with the same messages as before.
    if b'"article_id"' in raw and b'"provenance"' in raw:
        try:
            return Brief.model_validate_json(raw)
        except ValidationError:
            pass
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BriefLoadError(f"{path}: not valid JSON ({exc})") from exc
    if not _looks_like_brief(data):
        return None
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        raise BriefLoadError(f"{path}: not a valid brief:\n{exc}") from exc


def load_briefs(folder: Path) -> list[Brief]:
    """Every brief (*.json, searched recursively) in `folder`, in path order.

    JSON files that are not briefs (run manifests, reports) are skipped; a file that looks
    like a brief but does not validate, or a second brief for one article, is an error.
    """
    if not folder.is_dir():
        raise BriefLoadError(f"{folder} is not a folder")
    briefs: dict[str, tuple[Path, Brief]] = {}
    with _cyclic_gc_paused():
        for path in sorted(folder.rglob("*.json")):
            if not path.is_file():
                continue
            brief = _read_brief(path)
            if brief is None:
                continue
            if brief.article_id in briefs:
                first = briefs[brief.article_id][0]
                raise BriefLoadError(
                    f"{path}: a second brief for article {brief.article_id!r} (first: {first})"
                )
            briefs[brief.article_id] = (path, brief)
    return [brief for _, brief in briefs.values()]


def write_memo(
    briefs: Sequence[Brief],
    out: Path,
    *,
    fmt: str | None = None,
    title: str | None = None,
    as_of: dt.date | None = None,
    synthesis: MemoSynthesis | None = None,
) -> None:
    """Render the memo for `briefs` and write it to `out` (format from `fmt` or the suffix)."""
    text = render_memo(
        briefs, resolve_format(out, fmt), title=title, as_of=as_of, synthesis=synthesis
    )
    write_text_atomic(out, text)
