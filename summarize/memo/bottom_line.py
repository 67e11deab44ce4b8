"""The memo's bottom line up front, worked out from the events alone, and the caution that
goes above it when the briefs lost items in grounding."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from summarize.core.brief import Brief
from summarize.memo.citations import CitedSentence
from summarize.memo.events import MergedEvent
from summarize.memo.follow_ups import FollowUpStatus, TrackedFollowUp
from summarize.memo.people import short_name
from summarize.memo.topics import topic_label, topic_stems
from summarize.memo.wording import TYPE_PHRASES, format_date, join_words, surname_list

# How many recurring topics the bottom line names at most.
_RECURRING_TOPICS = 4


def bottom_line(
    events: Sequence[MergedEvent],
    briefs: Sequence[Brief],
    n_outlets: int,
    tracked: Sequence[TrackedFollowUp],
    as_of: dt.date | None,
) -> list[CitedSentence]:
    """The deterministic bottom line: coverage, latest contact, themes, divergence, open items."""
    if not events:
        return []
    dated = [e for e in events if e.date is not None]
    sentences = [
        _latest_period(dated),
        _coverage(events, dated, len(briefs), n_outlets),
        _latest_contact(dated, undated=len(dated) < len(events)),
        _recurring_topics(events),
        _divergence(events),
        _follow_ups(events, tracked, as_of),
    ]
    return [s for s in sentences if s is not None]


# A folder whose dated contacts span more than this leads with its latest period.
LATEST_PERIOD_DAYS = 365


def _latest_period(dated: Sequence[MergedEvent]) -> CitedSentence | None:
    """For a folder spanning years, what its latest twelve months hold, first."""
    if len(dated) < 2:
        return None
    first, last = dated[0].date, dated[-1].date
    if first is None or last is None or (last - first).days <= LATEST_PERIOD_DAYS:
        return None
    start = last - dt.timedelta(days=LATEST_PERIOD_DAYS)
    recent = [e for e in dated if e.date is not None and e.date > start]
    # "Putin and Trump" and "Trump and Putin" are one pair.
    by_people: dict[frozenset[object], str] = {}
    for e in recent:
        names = surname_list(e.participants, limit=2)
        if names:
            by_people.setdefault(frozenset(p.key for p in e.participants), names)
    pairs = list(by_people.values())[:4]
    years = last.year - first.year
    begun = recent[0].date
    span = (
        format_date(last)
        if begun == last or begun is None
        else f"{format_date(begun)} \u2013 {format_date(last)}"
    )
    return CitedSentence(
        text=f"Latest period ({span}): "
        f"{len(recent)} of {len(dated)} dated contacts"
        + (f", between {'; '.join(pairs)}" if pairs else "")
        + f". The folder spans {years} years, from {format_date(first)}.",
        event_ids=[e.id for e in recent],
    )


def _coverage(
    events: Sequence[MergedEvent], dated: Sequence[MergedEvent], n_briefs: int, n_outlets: int
) -> CitedSentence:
    """How many articles report how many contacts, over what span: the first sentence."""
    undated = len(events) - len(dated)
    contacts = "contact" if len(events) == 1 else "distinct contacts"
    span = (
        f" between {format_date(dated[0].date)} and {format_date(dated[-1].date)}"
        if len(dated) > 1
        else (f" on {format_date(dated[0].date)}" if dated else "")
    )
    undated_note = f" ({undated} undated)" if undated and dated else ""
    articles = "article" if n_briefs == 1 else "articles"
    outlets = {0: "no named outlet", 1: "1 outlet"}.get(n_outlets, f"{n_outlets} outlets")
    report = "reports" if n_briefs == 1 else "report"
    return CitedSentence(
        text=f"{n_briefs} {articles} from {outlets} {report} "
        f"{len(events)} {contacts}{span}{undated_note}.",
        event_ids=[e.id for e in events],
    )


def _latest_contact(dated: Sequence[MergedEvent], *, undated: bool) -> CitedSentence | None:
    """When, where, who and what of the latest dated contact."""
    if not dated:
        return None
    latest = dated[-1]
    where = f" in {latest.location}" if latest.location else ""
    names = [p.short or short_name(p.name) for p in latest.participants]
    if len(names) == 2:
        who = f" between {names[0]} and {names[1]}"
    elif names:
        who = f" involving {surname_list(latest.participants, limit=5)}"
    else:
        who = ""
    about = f"; topics: {join_words(list(latest.topics[:3]))}" if latest.topics else ""
    which = "latest dated contact" if undated else "latest contact"
    return CitedSentence(
        text=f"The {which}, on {format_date(latest.date)}{where}, was "
        f"{TYPE_PHRASES[latest.event_type]}{who}{about}.",
        event_ids=[latest.id],
    )


def _recurring_topics(events: Sequence[MergedEvent]) -> CitedSentence | None:
    """The topics that come up in more than one contact, most frequent first."""
    stem_events: dict[str, list[str]] = {}
    for e in events:
        for stem in sorted(topic_stems(e.topics)):
            stem_events.setdefault(stem, []).append(e.id)
    recurring = sorted(
        ((s, ids) for s, ids in stem_events.items() if len(ids) > 1),
        key=lambda item: (-len(item[1]), item[0]),
    )[:_RECURRING_TOPICS]
    if not recurring:
        return None
    all_topics = [t for e in events for t in e.topics]
    labelled: dict[str, int] = {}
    for stem, ids in recurring:
        labelled.setdefault(topic_label(stem, all_topics), len(ids))
    parts = [f"{label} in {n} of {len(events)}" for label, n in labelled.items()]
    cited = _in_event_order({i for _, ids in recurring for i in ids}, events)
    return CitedSentence(text=f"Recurring topics: {'; '.join(parts)} contacts.", event_ids=cited)


def _divergence(events: Sequence[MergedEvent]) -> CitedSentence | None:
    """How many contacts the sides or the outlets tell differently."""
    divergent = [e for e in events if e.diverges]
    if not divergent:
        return None
    sides = Counter(s for e in divergent if e.accounts_differ for s in e.sides)
    named = ", ".join(sorted(sides, key=lambda s: (-sides[s], s))[:3])
    versus = f" ({named})" if len(sides) > 1 else ""
    return CitedSentence(
        text=f"For {len(divergent)} of {len(events)} contacts the sides give separate "
        f"accounts{versus} or the outlets disagree on facts; see the side-by-side "
        "comparison.",
        event_ids=[e.id for e in divergent],
    )


def _follow_ups(
    events: Sequence[MergedEvent], tracked: Sequence[TrackedFollowUp], as_of: dt.date | None
) -> CitedSentence | None:
    """Announced follow-ups no later contact shows, the earliest named; or that all were met."""
    open_items = [t for t in tracked if t.status is not FollowUpStatus.MET]
    if not open_items:
        if not tracked:
            return None
        return CitedSentence(
            text="Every announced follow-up was matched by a later contact in these reports.",
            event_ids=_in_event_order({t.event.id for t in tracked}, events),
        )
    overdue = [t for t in open_items if t.status is FollowUpStatus.OVERDUE]
    oldest = min(
        open_items,
        key=lambda t: (t.follow_up.due_date is None, t.follow_up.due_date or dt.date.min),
    )
    due = f" (due {format_date(oldest.follow_up.due_date)})" if oldest.follow_up.due_date else ""
    items = "follow-up has" if len(open_items) == 1 else "follow-ups have"
    unknown = [t for t in open_items if t.status is FollowUpStatus.NO_LATER_REPORT]
    notes = []
    if overdue and as_of:
        notes.append(f"{len(overdue)} overdue as of {format_date(as_of)}")
    if unknown:
        # Past due, but nothing later in the folder could show whether they happened.
        notes.append(f"{len(unknown)} past due with no later report in this folder")
    overdue_note = f" ({'; '.join(notes)})" if notes else ""
    return CitedSentence(
        text=f"{len(open_items)} announced {items} no later contact in these reports"
        # The action is the model's wording, not the article's: no quotation marks.
        f"{overdue_note}; the earliest: {oldest.follow_up.action.strip().rstrip('.')}{due}.",
        event_ids=_in_event_order({t.event.id for t in open_items}, events),
    )


def _in_event_order(ids: set[str], events: Sequence[MergedEvent]) -> list[str]:
    return [e.id for e in events if e.id in ids]


def caution(briefs: Sequence[Brief]) -> str | None:
    """A warning for the reader when evidence checks dropped or flagged items: the briefs
    are weaker than they look, and the memo shows only what survived."""
    dropped = sum(b.warned("dropped") for b in briefs)
    weak = sum(b.warned("weak") for b in briefs)
    # Schema 1.0 located the model's quotes approximately and kept its spelling of them.
    approximate = sum(
        b.provenance.kind == "model" and b.provenance.schema_version == "1.0" for b in briefs
    )
    older = (
        f" {approximate} brief{'s were' if approximate != 1 else ' was'} made by an older "
        "summarize (schema 1.0) whose quotes may be the model's wording of the article: run "
        "`summarize run` on the same folder again to remake them with exact quotes."
        if approximate
        else ""
    )
    # Reading the model's answers may have cut long lists or texts and read some values
    # differently ("4" as sentence 4, an unknown status as unclear): said, never hidden.
    cut = sum(b.warned("cut") for b in briefs)
    normalised = sum(b.warned("normalised") for b in briefs)
    if not dropped and not weak and not cut and not normalised:
        return older.strip() or None
    affected = sum(1 for b in briefs if any(w.kind != "repeated" for w in b.warnings))
    models = sorted({b.provenance.model for b in briefs if b.provenance.model})
    by = f" The briefs come from {', '.join(models)}." if models else ""
    parts = []
    if dropped:
        parts.append(
            f"{dropped} item{'s were' if dropped != 1 else ' was'} dropped for citing no "
            "sentence of the article (or no date the article writes, or a form that cannot "
            "stand, such as a participant without a name)"
        )
    if weak:
        parts.append(
            f"{weak} participant{'s are' if weak != 1 else ' is'} kept on weak evidence "
            "(the cited sentences do not name them), marked below"
        )
    if cut:
        parts.append(
            f"{cut} list{'s' if cut != 1 else ''} or text{'s were' if cut != 1 else ' was'} "
            "cut at summarize's hard limits"
        )
    if normalised:
        were, them = ("s were", "them") if normalised != 1 else (" was", "it")
        parts.append(
            f"{normalised} value{were} read differently from how the model wrote {them} "
            "(each listed in its brief's warnings)"
        )
    if not dropped and not weak and not cut:
        # Only the form of some answers was repaired: nothing was lost or doubted.
        return f"In {affected} of {len(briefs)} briefs, {parts[0]}.{by}{older}"
    return (
        f"In {affected} of {len(briefs)} briefs, {'; '.join(parts)}. The extraction was "
        f"unreliable.{by} Check details against the sources before relying on them.{older}"
    )
