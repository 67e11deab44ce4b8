"""Who's who: everyone named in the events, one entry per person, with the events they are in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarize.memo.events import MergedEvent, MergedPerson
from summarize.memo.folding import distinct
from summarize.memo.naming import best_name
from summarize.memo.people import cluster_rows, person_key


@dataclass(frozen=True, slots=True)
class PersonEntry:
    name: str
    titles: tuple[str, ...]
    affiliation: str | None
    took_part_in: tuple[str, ...]
    mentioned_in: tuple[str, ...]


def who_is_who(events: Sequence[MergedEvent]) -> list[PersonEntry]:
    """Everyone named in the events, one entry per person, sorted by affiliation and name."""
    rows: list[tuple[MergedPerson, str, bool]] = [
        (p, e.id, True) for e in events for p in e.participants
    ] + [(p, e.id, False) for e in events for p in e.mentioned]
    entries: list[PersonEntry] = []
    for group in cluster_rows([p.keys or (p.key,) for p, _, _ in rows]):
        members = [rows[i] for i in group]
        name = best_name(p.name for p, _, _ in members)
        affiliations = Counter(p.affiliation for p, _, _ in members if p.affiliation)
        entries.append(
            PersonEntry(
                name=name,
                titles=distinct(t for p, _, _ in members for t in p.titles),
                affiliation=(
                    min(affiliations, key=lambda a: (-affiliations[a], a)) if affiliations else None
                ),
                took_part_in=_ids_in_order(e for _, e, took in members if took),
                mentioned_in=_ids_in_order(e for _, e, took in members if not took),
            )
        )
    entries.sort(
        key=lambda p: (p.affiliation is None, p.affiliation or "", person_key(p.name), p.name)
    )
    return entries


def _ids_in_order(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids), key=lambda i: int(i[1:]) if i[1:].isdigit() else 0))
