"""Undated events that may be a dated one reported without its date (pure).

The merge rules join an undated report to a dated one only when they were published close
together. Two reports of the first Modi-Xi meeting in five years, one dated and one not,
published months apart, stay two events; the memo then says that they may be one: same
type, same participants, same place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from summarize.memo.events import MergedEvent
from summarize.memo.folding import fold
from summarize.memo.people import same_any


def _same_people(a: MergedEvent, b: MergedEvent) -> bool:
    if not a.participants or len(a.participants) != len(b.participants):
        return False
    return all(any(same_any(p.keys, q.keys) for q in b.participants) for p in a.participants)


def _same_folded_place(fa: str, fb: str) -> bool:
    # "Kazan" and "Kazan, Russia" are one place.
    return bool(fa) and bool(fb) and (fa in fb or fb in fa)


def possibly_same(events: Sequence[MergedEvent]) -> dict[str, str]:
    """For each undated event, the first dated event of the same type, participants and
    place, by id."""
    # Dated events by type and number of participants (both must be equal), then by folded
    # place: the place test is run once per distinct place, not once per event.
    order: dict[str, int] = {}
    dated: dict[tuple[str, int], dict[str, list[MergedEvent]]] = defaultdict(dict)
    for e in events:
        if e.date is not None:
            order[e.id] = len(order)
            block = dated[(e.event_type.value, len(e.participants))]
            block.setdefault(fold(e.location or ""), []).append(e)
    found: dict[str, str] = {}
    for e in events:
        if e.date is not None:
            continue
        place = fold(e.location or "")
        by_place = dated.get((e.event_type.value, len(e.participants)), {})
        candidates = sorted(
            (d for p, ds in by_place.items() if _same_folded_place(place, p) for d in ds),
            key=lambda d: order[d.id],
        )
        match = next((d for d in candidates if _same_people(e, d)), None)
        if match is not None:
            found[e.id] = match.id
    return found
