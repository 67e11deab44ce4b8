"""Each cell's brief of an article next to the golden, differences marked (pure: no I/O).

Rows are the golden's events (then events no golden has); columns the golden and each cell.
Within an aligned event, participants, outcomes and follow-ups are paired with the golden's as
the scorer pairs them: `match`, `added` (not in the golden) or `missed` (only in the golden).
A matched item whose cited sentences are not the golden's is marked `other evidence`; type,
date and initiator say whether they agree; items dropped for want of evidence are listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from summarize.core.brief import Brief, Event, Evidence
from summarize.evaluation.align import align_events, pair_items, participant_names
from summarize.evaluation.config import ScoringConfig

Mark = Literal["golden", "match", "added", "missed"]


@dataclass(frozen=True)
class Item:
    text: str
    mark: Mark
    evidence: str | None = None
    # A matched item that cites other sentences than the golden's.
    other_evidence: bool = False
    note: str = ""


@dataclass(frozen=True)
class Fact:
    """A single value (type, date, initiator); `agrees` is None in the golden's column."""

    value: str
    agrees: bool | None = None
    expected: str | None = None


@dataclass(frozen=True)
class EventColumn:
    event_type: Fact
    date: Fact
    initiator: Fact
    participants: list[Item]
    outcomes: list[Item]
    follow_ups: list[Item]
    summary: str


@dataclass(frozen=True)
class EventRow:
    title: str
    golden: EventColumn | None
    cells: list[EventColumn | None]


@dataclass(frozen=True)
class CellNote:
    """What a cell says of the article beside its events: why it has none, what it dropped."""

    error: str | None = None
    no_event_reason: str | None = None
    dropped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleView:
    article_id: str
    headline: str | None
    rows: list[EventRow]
    notes: list[CellNote]


def _quote(evidence: Evidence | None) -> str | None:
    return None if evidence is None else " … ".join(s.quote for s in evidence.spans())


def _same_evidence(a: Evidence, b: Evidence) -> bool:
    if a.sentences and b.sentences:
        return bool(set(a.sentences) & set(b.sentences))
    return any(x.start < y.end and y.start < x.end for x in a.spans() for y in b.spans())


def _date(event: Event) -> str:
    if event.date is not None:
        return event.date.isoformat() + (f" ({event.date_text})" if event.date_text else "")
    return event.date_text or "no date"


def _initiator(event: Event) -> str:
    return event.initiator.party or "not stated" if event.initiator.stated else "not stated"


def _golden_column(event: Event) -> EventColumn:
    return EventColumn(
        event_type=Fact(str(event.event_type)),
        date=Fact(_date(event)),
        initiator=Fact(_initiator(event)),
        participants=[Item(s, "golden", _quote(e)) for _, s, e in _participants(event)],
        outcomes=[Item(s, "golden", _quote(e)) for _, s, e in _outcomes(event)],
        follow_ups=[Item(s, "golden", _quote(e)) for _, s, e in _follow_ups(event)],
        summary=event.summary,
    )


# An item as it is paired (its key text), shown, and cited.
_Entry = tuple[str, str, Evidence]


def _items(
    golden: Sequence[_Entry],
    got: Sequence[_Entry],
    threshold: float,
    note: Callable[[int, int], str] = lambda i, j: "",
) -> list[Item]:
    """Pair a cell's items with the golden's by their key text, as the scorer does."""
    pairing = pair_items([g[0] for g in golden], [p[0] for p in got], threshold)
    items: list[Item] = []
    for i, j, _ in pairing.pairs:
        other = not _same_evidence(golden[i][2], got[j][2])
        items.append(Item(got[j][1], "match", _quote(got[j][2]), other, note(i, j)))
    items += [Item(got[j][1], "added", _quote(got[j][2])) for j in pairing.extra]
    items += [Item(golden[i][1], "missed", _quote(golden[i][2])) for i in pairing.missing]
    return items


def _participants(event: Event | None) -> list[_Entry]:
    return [(x.name, x.name, x.evidence) for x in (event.participants if event else [])]


def _outcomes(event: Event | None) -> list[_Entry]:
    return [
        (o.statement, f"{o.kind}: {o.statement} ({o.stated_by})", o.evidence)
        for o in (event.outcomes if event else [])
    ]


def _follow_ups(event: Event | None) -> list[_Entry]:
    return [(f.action, f.action, f.evidence) for f in (event.follow_ups if event else [])]


def _cell_column(g: Event | None, p: Event, config: ScoringConfig) -> EventColumn:
    m = config.matching

    def outcome_note(i: int, j: int) -> str:
        assert g is not None  # only paired items get a note
        want, got = g.outcomes[i], p.outcomes[j]
        notes = []
        if want.kind != got.kind:
            notes.append(f"golden kind: {want.kind}")
        if want.stated_by.casefold() != got.stated_by.casefold():
            notes.append(f"golden stated_by: {want.stated_by}")
        return "; ".join(notes)

    def fact(value: str, expected: str | None) -> Fact:
        return Fact(value, None if expected is None else value == expected, expected)

    return EventColumn(
        event_type=fact(str(p.event_type), str(g.event_type) if g else None),
        date=Fact(
            _date(p),
            None if g is None else p.date == g.date,
            None if g is None else _date(g),
        ),
        initiator=fact(_initiator(p), _initiator(g) if g else None),
        participants=_items(_participants(g), _participants(p), m.names),
        outcomes=_items(_outcomes(g), _outcomes(p), m.outcomes, outcome_note),
        follow_ups=_items(_follow_ups(g), _follow_ups(p), m.follow_ups),
        summary=p.summary,
    )


def _missing_column(g: Event) -> EventColumn:
    """The cell has no event for this golden one: everything in it is missed."""
    golden = _golden_column(g)
    return EventColumn(
        event_type=Fact("no such event", False, golden.event_type.value),
        date=Fact("", False, golden.date.value),
        initiator=Fact("", False, golden.initiator.value),
        participants=[Item(i.text, "missed", i.evidence) for i in golden.participants],
        outcomes=[Item(i.text, "missed", i.evidence) for i in golden.outcomes],
        follow_ups=[Item(i.text, "missed", i.evidence) for i in golden.follow_ups],
        summary="",
    )


def article_view(
    golden: Brief | None,
    outputs: Sequence[Brief | None],
    errors: Sequence[str | None],
    config: ScoringConfig,
) -> ArticleView:
    """One article: the golden's events and each cell's, aligned as the scorer aligns them."""
    g_events = golden.events if golden is not None else []
    rows = [
        EventRow(f"#{n + 1} {e.event_type}: {e.summary}", _golden_column(e), [])
        for n, e in enumerate(g_events)
    ]
    extra: list[EventRow] = []
    notes: list[CellNote] = []
    for index, (brief, error) in enumerate(zip(outputs, errors, strict=True)):
        if brief is None:
            for row in rows:
                row.cells.append(None)
            notes.append(CellNote(error=error or "no brief"))
            continue
        alignment = align_events(g_events, brief.events, config)
        paired = dict(alignment.pairs)
        for gi, row in enumerate(rows):
            pj = paired.get(gi)
            row.cells.append(
                _cell_column(g_events[gi], brief.events[pj], config)
                if pj is not None
                else _missing_column(g_events[gi])
            )
        for pj in alignment.extra:
            event = brief.events[pj]
            cells: list[EventColumn | None] = [None] * len(outputs)
            cells[index] = _cell_column(None, event, config)
            names = ", ".join(participant_names(event)) or "no participants"
            title = f"not in the golden: {event.event_type} ({names})"
            extra.append(EventRow(title, None, cells))
        dropped = [f"{w.path}: {w.quote}" for w in brief.warnings if w.kind == "dropped"]
        notes.append(CellNote(None, brief.no_event_reason, dropped))
    headline = golden.source.headline if golden is not None else None
    article_id = golden.article_id if golden is not None else ""
    return ArticleView(article_id, headline, rows + extra, notes)


def article_views(
    article_ids: Sequence[str],
    goldens: Mapping[str, Brief],
    outputs: Sequence[Mapping[str, Brief]],
    errors: Sequence[Mapping[str, str]],
    config: ScoringConfig,
) -> list[ArticleView]:
    """Every article, each cell's output beside the golden."""
    views = []
    for aid in article_ids:
        view = article_view(
            goldens.get(aid),
            [o.get(aid) for o in outputs],
            [e.get(aid) for e in errors],
            config,
        )
        views.append(ArticleView(aid, view.headline, view.rows, view.notes))
    return views
