"""Merge the mentions of one contact into one `MergedEvent`, and all briefs into events (pure).

Briefs that describe the same contact (see `clustering`) become one event listing every
article that reports it; where the reports disagree (initiator, date, place) the
disagreement is kept as a `Conflict` instead of picking one side.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from summarize.core.brief import (
    Brief,
    Event,
    EventStatus,
    EventType,
    Evidence,
    FollowUp,
    Outcome,
)
from summarize.memo.clustering import cluster_mentions_with_rules
from summarize.memo.divergence import outcome_conflicts
from summarize.memo.events import (
    STATEMENT_SIMILARITY,
    Conflict,
    Mention,
    MergedEvent,
    MergedFollowUp,
    MergedInitiator,
    MergedOutcome,
    MergedPerson,
    Sourced,
    Variant,
    dedupe_sourced,
    mentions_of,
)
from summarize.memo.folding import distinct, fold
from summarize.memo.naming import best_name, best_short, name_people, valid_short
from summarize.memo.people import (
    Groups,
    PersonKey,
    canonical_affiliation,
    cluster_rows,
    person_key,
    person_keys,
    same_any,
    same_person,
    side_of,
)
from summarize.memo.topics import merge_topics

# Quotes shorter than this are too generic to show two outlets quote one statement.
MIN_SHARED_QUOTE = 30

# When outlets differ on the type, the most specific one is kept.
_TYPE_SPECIFICITY: tuple[EventType, ...] = (
    EventType.SUMMIT_SIDELINE,
    EventType.VISIT,
    EventType.PHONE_CALL,
    EventType.TALKS,
    EventType.MEETING,
    EventType.STATEMENT,
    EventType.OTHER,
)


def merge_briefs(briefs: Iterable[Brief]) -> list[MergedEvent]:
    """Distinct events across the briefs, dated ones by date, undated last; ids E1, E2, ..."""
    ordered = sorted(briefs, key=lambda b: b.article_id)
    clusters = cluster_mentions_with_rules(mentions_of(ordered))
    clusters.sort(key=lambda c: _cluster_order(c[0]))
    return name_people(
        [merge_cluster(f"E{n}", c, rules) for n, (c, rules) in enumerate(clusters, start=1)]
    )


def _cluster_order(cluster: list[Mention]) -> tuple[bool, dt.date, bool, dt.date, str]:
    """Dated events by date; undated ones after them, by when they were first reported
    (unknown last)."""
    date = _most_reported_date(cluster)
    published = [m.source.published_date for m in cluster if m.source.published_date]
    first = min(m.event.id for m in cluster)
    return (
        date is None,
        date or dt.date.min,
        not published,
        min(published) if published else dt.date.min,
        first,
    )


def _most_reported_date(mentions: Sequence[Mention]) -> dt.date | None:
    """The date most mentions give; ties go to the earlier date."""
    dates = Counter(m.event.date for m in mentions if m.event.date is not None)
    return min(dates, key=lambda d: (-dates[d], d)) if dates else None


def merge_cluster(
    event_id: str, mentions: Sequence[Mention], merge_rules: tuple[str, ...] = ()
) -> MergedEvent:
    """One canonical event from the mentions that report it (joined by `merge_rules`)."""
    date, date_conflict = _merge_date(mentions)
    event_type, type_conflict = _merge_type(mentions)
    location, location_conflict = _value_conflict(
        "place", mentions, {m.event.id: m.event.location for m in mentions}
    )
    initiator, initiator_conflict = _merge_initiator(mentions)
    conflicts = (
        date_conflict,
        type_conflict,
        location_conflict,
        initiator_conflict,
        _status_conflict(mentions),
    )
    outcomes = _merge_outcomes(mentions)
    topics = _merge_topics(tuple(t for m in mentions for t in m.event.topics))
    participants, mentioned = _merge_participants(mentions)
    # The summary of the fullest account (most grounded items) speaks for the event.
    richest = max(
        mentions,
        key=lambda m: len(m.event.participants) + len(m.event.outcomes) + len(m.event.follow_ups),
    )
    return MergedEvent(
        id=event_id,
        event_type=event_type,
        date=date,
        date_texts=_distinct(tuple(m.event.date_text for m in mentions if m.event.date_text)),
        location=location,
        participants=participants,
        mentioned=mentioned,
        initiator=initiator,
        topics=topics,
        outcomes=outcomes,
        follow_ups=_merge_follow_ups(mentions),
        summary=richest.event.summary,
        summary_from=richest,
        mentions=tuple(mentions),
        conflicts=(
            *(c for c in conflicts if c is not None),
            *outcome_conflicts(outcomes, mentions, topics),
        ),
        merge_rules=merge_rules,
    )


# Reports repeat their topics, dates as written, attributions contact after contact: each
# list is merged once.
_distinct = lru_cache(maxsize=65536)(distinct)
_merge_topics = lru_cache(maxsize=16384)(merge_topics)


def _status_conflict(mentions: Sequence[Mention]) -> Conflict | None:
    """One report says the contact took place, another that it was cancelled. (Planned
    then held is the news moving on, not a disagreement.)"""
    held = tuple(m for m in mentions if m.event.status is EventStatus.HELD)
    cancelled = tuple(m for m in mentions if m.event.status is EventStatus.CANCELLED)
    if not held or not cancelled:
        return None
    return Conflict(
        field="status",
        variants=(
            Variant(value="held", mentions=held),
            Variant(value="cancelled", mentions=cancelled),
        ),
    )


def _merge_date(mentions: Sequence[Mention]) -> tuple[dt.date | None, Conflict | None]:
    date = _most_reported_date(mentions)
    dates = sorted({m.event.date for m in mentions if m.event.date is not None})
    if len(dates) < 2:
        return date, None
    variants = tuple(
        Variant(value=d.isoformat(), mentions=tuple(m for m in mentions if m.event.date == d))
        for d in dates
    )
    return date, Conflict(field="date", variants=variants)


def _merge_type(mentions: Sequence[Mention]) -> tuple[EventType, Conflict | None]:
    types = Counter(m.event.event_type for m in mentions)
    event_type = min(types, key=lambda t: (_TYPE_SPECIFICITY.index(t), -types[t]))
    if len(types) < 2:
        return event_type, None
    variants = tuple(
        Variant(value=t.value, mentions=tuple(m for m in mentions if m.event.event_type == t))
        for t in sorted(types, key=_TYPE_SPECIFICITY.index)
    )
    return event_type, Conflict(field="event type", variants=variants)


def _value_conflict(
    name: str, mentions: Sequence[Mention], value: dict[str, str | None]
) -> tuple[str | None, Conflict | None]:
    """The most reported value (ties: first seen) and a conflict when mentions differ."""
    by_value: dict[str, list[Mention]] = defaultdict(list)
    display: dict[str, str] = {}
    for m in mentions:
        v = value[m.event.id]
        if v is None or not v.strip():
            continue
        k = fold(v)
        display.setdefault(k, v.strip())
        by_value[k].append(m)
    if not by_value:
        return None, None
    order = {k: n for n, k in enumerate(by_value)}
    best = min(by_value, key=lambda k: (-len(by_value[k]), order[k]))
    conflict = None
    keys = list(by_value)
    # "Moscow" vs "the Kremlin, Moscow" is detail, not disagreement.
    distinct_keys = [k for k in keys if not any(k != o and k in o for o in keys)]
    if len(distinct_keys) > 1:
        conflict = Conflict(
            field=name,
            variants=tuple(Variant(value=display[k], mentions=tuple(by_value[k])) for k in keys),
        )
    return display[best], conflict


# --- people ------------------------------------------------------------------------------------


def _merge_participants(
    mentions: Sequence[Mention],
) -> tuple[tuple[MergedPerson, ...], tuple[MergedPerson, ...]]:
    """Who took part and who was only mentioned, each person once."""
    participants = _merge_people(
        [
            _Row(m, p.name, p.short_name, p.title, p.affiliation, p.evidence, j in m.weak)
            for m in mentions
            for j, p in enumerate(m.event.participants)
        ]
    )
    mentioned = _merge_people(
        [
            _Row(m, p.name, p.short_name, p.title, p.affiliation, None)
            for m in mentions
            for p in m.event.mentioned
        ]
    )
    # Someone who took part per one outlet and is "mentioned" per another took part.
    mentioned = tuple(
        p for p in mentioned if not any(same_any(p.keys, q.keys) for q in participants)
    )
    return participants, mentioned


@dataclass(frozen=True, slots=True)
class _Row:
    mention: Mention
    name: str
    short: str | None
    title: str | None
    affiliation: str | None
    evidence: Evidence | None
    weak: bool = False

    @property
    def keys(self) -> tuple[PersonKey, ...]:
        return person_keys(self.name, self.short)


def _merge_people(rows: Sequence[_Row]) -> tuple[MergedPerson, ...]:
    """Merge the rows of one event's reports into distinct people."""
    if not rows:
        return ()  # most reports mention no one beyond the participants
    # What grouping and naming look at, each report by its place among the event's reports:
    # a folder names the same people the same way contact after contact, so each distinct
    # list is grouped and named once.
    report_of: dict[int, int] = {}
    people_of = _people_of(
        tuple(
            (
                r.name,
                r.short,
                r.title,
                r.affiliation,
                (r.evidence.quote,) if r.evidence else (),
                report_of.setdefault(id(r.mention), len(report_of)),
            )
            for r in rows
        )
    )
    people: list[MergedPerson] = []
    for group, (name, names, short, shorts, titles, affiliation) in people_of:
        members = [rows[i] for i in group]
        evidence = tuple(Sourced(r.mention, r.evidence) for r in members if r.evidence)
        people.append(
            MergedPerson(
                name=name,
                key=person_key(name),
                titles=titles,
                affiliation=affiliation,
                evidence=dedupe_sourced(evidence),
                short=short,
                keys=tuple(dict.fromkeys(k for r in members for k in r.keys)),
                names=names,
                shorts=shorts,
                weak=all(r.weak for r in members),
            )
        )
    return tuple(people)


# A row as grouping and naming see it: name, short name, title, affiliation, quotes, and
# which of the event's reports it comes from.
_PersonRow = tuple[str, str | None, str | None, str | None, tuple[str, ...], int]
# A person's name, names, short name, checked short names, titles and side.
_Naming = tuple[str, tuple[str, ...], str, tuple[str, ...], tuple[str, ...], str | None]


@lru_cache(maxsize=16384)
def _people_of(rows: tuple[_PersonRow, ...]) -> tuple[tuple[tuple[int, ...], _Naming], ...]:
    """The rows grouped into people (by name, then as their side's one leader), each group
    with how it is named."""
    groups = Groups(len(rows))
    for group in cluster_rows([person_keys(name, short) for name, short, *_ in rows]):
        for i in group[1:]:
            groups.union(group[0], i)
    _join_counterparts(rows, groups)
    out: list[tuple[tuple[int, ...], _Naming]] = []
    for group in groups.groups():
        in_group = set(group)
        # Each other name once: many reports of one contact name the same people.
        others = tuple(dict.fromkeys(r[0] for i, r in enumerate(rows) if i not in in_group))
        out.append((tuple(group), _naming(tuple(rows[i] for i in group), others)))
    return tuple(out)


def _naming(members: tuple[_PersonRow, ...], others: tuple[str, ...]) -> _Naming:
    """A person's name, names, short name, checked short names, titles and side, from their
    reports."""
    names = tuple(n.strip() for n, *_ in members)
    name = best_name(names)
    shorts = tuple(
        s for n, short, _, _, quotes, _ in members if (s := valid_short(short, n, quotes, others))
    )
    affiliations = Counter(
        a for a in (canonical_affiliation(m[3]) for m in members) if a is not None
    )
    affiliation = min(affiliations, key=lambda a: (-affiliations[a], a)) if affiliations else None
    titles = distinct(m[2] for m in members if m[2])
    return name, names, best_short(name, shorts, names), shorts, titles, affiliation


def _join_counterparts(rows: Sequence[_PersonRow], groups: Groups) -> None:
    """Reports of one contact name its parties' leaders in their own spelling (特朗普, 川普):
    the only person of one side with one title, in each report, is one person."""
    # How many people of each side each report names, counted once for all rows.
    per_side = Counter((r[5], canonical_affiliation(r[3])) for r in rows)
    by_role: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        role = _role(r, per_side)
        if role is not None:
            by_role[role].append(i)
    for members in by_role.values():
        for i in members[1:]:
            groups.union(members[0], i)


def _role(row: _PersonRow, per_side: Counter[tuple[int, str | None]]) -> tuple[str, str] | None:
    """(side, title) when the row is the only person of its side in its report."""
    side = canonical_affiliation(row[3])
    title = row[2]
    if side is None or not title:
        return None
    return (side, fold(title)) if per_side[(row[5], side)] == 1 else None


def _party_side(party: str, event: Event) -> str:
    """A stated initiator as a side, so "Obama" and "the US side" compare equal."""
    key = person_key(party)
    for p in event.participants:
        if p.affiliation and same_person(key, person_key(p.name)):
            return canonical_affiliation(p.affiliation) or party
    return canonical_affiliation(party) or party


def _merge_initiator(mentions: Sequence[Mention]) -> tuple[MergedInitiator | None, Conflict | None]:
    by_side: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        ini = m.event.initiator
        if ini.stated and ini.party:
            by_side[_party_side(ini.party, m.event)].append(m)
    if not by_side:
        return None, None
    variants = tuple(
        Variant(
            value=side,
            mentions=tuple(ms),
            evidence=tuple(
                Sourced(m, m.event.initiator.evidence)
                for m in ms
                if m.event.initiator.evidence is not None
            ),
        )
        for side, ms in by_side.items()
    )
    if len(variants) > 1:
        # Outlets disagree on who called: keep both, choose neither.
        return None, Conflict(field="initiator", variants=variants)
    only = variants[0]
    basis = next((m.event.initiator.basis for m in only.mentions if m.event.initiator.basis), None)
    return MergedInitiator(party=only.value, basis=basis, evidence=only.evidence), None


# --- statements and follow-ups -----------------------------------------------------------------


def _merge_outcomes(mentions: Sequence[Mention]) -> tuple[MergedOutcome, ...]:
    # Each (name, side) once, in order of first report: `side_of` takes the first that
    # matches, and a contact many outlets report names the same people many times.
    people = list(
        dict.fromkeys(
            (key, p.affiliation)
            for m in mentions
            for p in [*m.event.participants, *m.event.mentioned]
            for key in person_keys(p.name, p.short_name)
        )
    )
    outlets = sorted({m.source.outlet for m in mentions if m.source.outlet})
    groups: list[list[tuple[Mention, int]]] = []
    sides: list[tuple[str, bool]] = []
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for m in mentions:
        for n, o in enumerate(m.event.outcomes):
            attribution = side_of(o.stated_by, people, outlets)
            block = (attribution[0], o.kind.value)
            target = next(
                (g for g in index[block] if _same_claim(o, _outcome(groups[g][0]))),
                None,
            )
            if target is None:
                index[block].append(len(groups))
                groups.append([(m, n)])
                sides.append(attribution)
            else:
                groups[target].append((m, n))
    merged: list[MergedOutcome] = []
    for group, (side, party) in zip(groups, sides, strict=True):
        first = _outcome(group[0])
        merged.append(
            MergedOutcome(
                kind=first.kind.value,
                statement=first.statement,
                stated_by=_distinct(tuple(_outcome(r).stated_by for r in group)),
                side=side,
                party=party,
                evidence=dedupe_sourced(Sourced(m, _outcome((m, n)).evidence) for m, n in group),
                weak=all(n in m.weak_outcomes for m, n in group),
            )
        )
    return tuple(merged)


def _same_claim(a: Outcome, b: Outcome) -> bool:
    """Same wording, or the same readout sentence quoted by two outlets."""
    return _same_claim_text(a.statement, b.statement, a.evidence.quote, b.evidence.quote)


# Outlets repeat statements and quotes: each pair of them is compared once.
@lru_cache(maxsize=65536)
def _same_claim_text(statement_a: str, statement_b: str, quote_a: str, quote_b: str) -> bool:
    if fuzz.token_set_ratio(fold(statement_a), fold(statement_b)) >= STATEMENT_SIMILARITY:
        return True
    qa, qb = fold(quote_a), fold(quote_b)
    return (
        min(len(qa), len(qb)) >= MIN_SHARED_QUOTE
        and fuzz.partial_ratio(qa, qb) >= STATEMENT_SIMILARITY
    )


def _outcome(row: tuple[Mention, int]) -> Outcome:
    return row[0].event.outcomes[row[1]]


def _merge_follow_ups(mentions: Sequence[Mention]) -> tuple[MergedFollowUp, ...]:
    groups: list[list[tuple[Mention, int]]] = []
    for m in mentions:
        for n, f in enumerate(m.event.follow_ups):
            target = next(
                (
                    g
                    for g in groups
                    if _follow_up(g[0]).due_date == f.due_date
                    and fuzz.token_set_ratio(fold(f.action), fold(_follow_up(g[0]).action))
                    >= STATEMENT_SIMILARITY
                ),
                None,
            )
            if target is None:
                groups.append([(m, n)])
            else:
                target.append((m, n))
    merged: list[MergedFollowUp] = []
    for group in groups:
        first = _follow_up(group[0])
        merged.append(
            MergedFollowUp(
                action=first.action,
                responsible=_distinct(
                    tuple(r for row in group for r in _follow_up(row).responsible)
                ),
                due_text=first.due_text,
                due_date=first.due_date,
                evidence=dedupe_sourced(Sourced(m, _follow_up((m, n)).evidence) for m, n in group),
                weak=all(n in m.weak_follow_ups for m, n in group),
            )
        )
    return tuple(merged)


def _follow_up(row: tuple[Mention, int]) -> FollowUp:
    return row[0].event.follow_ups[row[1]]
