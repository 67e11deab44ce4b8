"""Who's who: each person once, under their fullest name, with the events they are in."""

from __future__ import annotations

from memo_briefs import golden_briefs

from summarize.memo.merging import merge_briefs
from summarize.memo.who import who_is_who


def test_whos_who_lists_each_person_once_with_their_events() -> None:
    events = merge_briefs(golden_briefs())
    people = who_is_who(events)
    names = [p.name for p in people]
    assert len(names) == len(set(names))
    putin = next(p for p in people if p.name == "Vladimir Putin")
    assert putin.affiliation == "Russia"
    assert putin.took_part_in == tuple(e.id for e in events)
    # Lavrov is "Sergei" in one article and "Sergey" in another: one person.
    lavrov = [p for p in people if "Lavrov" in p.name]
    assert len(lavrov) == 1
    assert lavrov[0].took_part_in and lavrov[0].mentioned_in
