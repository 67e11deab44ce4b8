"""One name and one short name per person across the whole folder, whatever language each
article wrote them in: the fullest Latin-script name, and the short form the articles use."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence

from anyascii import anyascii

from summarize.memo.events import MergedEvent, MergedPerson
from summarize.memo.folding import fold
from summarize.memo.people import PersonKey, cluster_rows, is_han, person_key

# Particles that belong to the surname after them ("von der Leyen", "Rebelo de Sousa").
_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "da", "do", "dos", "das", "del", "la", "le", "di", "du"}
)


def is_latin(text: str) -> bool:
    """Written in Latin letters (accents included)."""
    return all(ord(c) < 0x250 for c in text)


def valid_short(
    short: str | None, name: str, quotes: Iterable[str], others: Iterable[str] = ()
) -> str | None:
    """The short name if the name or one of the person's quotes contains it, else None:
    a short form the article never uses is not how it calls the person. Nor is one that is
    part of another person's name in the same account ("Lavrov and Blinken spoke" cites
    both: Blinken is not Lavrov's short name)."""
    if not short or not short.strip():
        return None
    folded = fold(short)
    if not folded:
        return None
    own = f" {folded} " in f" {fold(name)} " or (is_han(short) and short in name)
    if not own and any(
        f" {folded} " in f" {fold(other)} " or (is_han(short) and short in other)
        for other in others
    ):
        return None
    for text in (name, *quotes):
        if f" {folded} " in f" {fold(text)} " or (is_han(short) and short in text):
            return short.strip()
    return None


def best_name(names: Iterable[str]) -> str:
    """Latin-script names first, then the fullest, then the most common."""
    counts = Counter(n.strip() for n in names if n.strip())
    return max(
        counts,
        key=lambda n: (is_latin(n), len(person_key(n).given), counts[n], -len(n), n),
    )


def derive_short(name: str) -> str:
    """The surname with its particles ("Ursula von der Leyen" -> "von der Leyen"); a name in
    Chinese characters is short already."""
    if is_han(name):
        return name.strip()
    words = name.split()
    if len(words) < 2:
        return name.strip()
    out = [words[-1]]
    i = len(words) - 2
    while i > 0 and words[i].lower() in _PARTICLES:
        out.insert(0, words[i])
        i -= 1
        # A particle joins two surnames ("Rebelo de Sousa"); the first name stays out.
        if i > 0 and words[i].lower() not in _PARTICLES:
            out.insert(0, words[i])
            i -= 1
            break
    if i == 0 and words[0].lower() in _PARTICLES:
        out.insert(0, words[0])
    return " ".join(out).strip(",.")


def best_short(name: str, shorts: Iterable[str], names: Iterable[str]) -> str:
    """The short form the articles use, Latin script first; else a one-word name someone
    was called; else the surname with its particles. Other alphabets are transliterated."""
    counts = Counter(shorts)
    if counts:
        short = max(counts, key=lambda s: (is_latin(s), counts[s], -len(s), s))
    else:
        bare = Counter(n.strip() for n in names if len(n.split()) == 1 and is_latin(n))
        short = max(bare, key=lambda s: (bare[s], s)) if bare else derive_short(name)
    if not is_latin(short) and not _is_cjk(short):
        return anyascii(short).replace("'", "")
    return short


def _is_cjk(text: str) -> bool:
    return is_han(text) or any(0x3040 <= ord(c) <= 0x30FF for c in text)


def name_people(events: Sequence[MergedEvent]) -> list[MergedEvent]:
    """The events with every person named the same way everywhere: the folder-wide name
    and short name of the person they are (matched by `cluster_rows`)."""
    people = [p for e in events for p in (*e.participants, *e.mentioned)]
    renamed: dict[int, MergedPerson] = {}
    for group in cluster_rows([p.keys for p in people]):
        members = [people[i] for i in group]
        names = [n for p in members for n in p.names]
        name = best_name(names)
        short = best_short(name, [s for p in members for s in p.shorts], names)
        keys: tuple[PersonKey, ...] = tuple(dict.fromkeys(k for p in members for k in p.keys))
        key = person_key(name)
        for i in group:
            p = people[i]
            # Most people are named as they were already: those are kept as they are.
            same = (
                p.name == name
                and p.short == short
                and p.key is key
                and len(p.keys) == len(keys)
                and all(a is b for a, b in zip(p.keys, keys, strict=True))
            )
            renamed[id(p)] = (
                p if same else dataclasses.replace(p, name=name, short=short, key=key, keys=keys)
            )
    return [_renamed(e, renamed) for e in events]


def _renamed(e: MergedEvent, renamed: dict[int, MergedPerson]) -> MergedEvent:
    participants = tuple(renamed[id(p)] for p in e.participants)
    mentioned = tuple(renamed[id(p)] for p in e.mentioned)
    new, old = (*participants, *mentioned), (*e.participants, *e.mentioned)
    if all(a is b for a, b in zip(new, old, strict=True)):
        return e
    return dataclasses.replace(e, participants=participants, mentioned=mentioned)
