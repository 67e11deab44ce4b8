"""Events a model gave twice in one answer (pure).

Small models repeat one event to the list's bound, word for word or nearly: the same
meeting again with its summary numbered "[2]", a comma changed, one outcome fewer. Those
are one contact. Two events are one when they have the same type, the same participants and
the same date as written, and their summaries or their outcomes mostly coincide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

from rapidfuzz import fuzz


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class _Stated(Protocol):
    @property
    def statement(self) -> str: ...


class EventLike(Protocol):
    """What the test reads of an event: a model's answer's or a brief's."""

    @property
    def event_type(self) -> str: ...
    @property
    def participants(self) -> Sequence[_Named]: ...
    @property
    def date_text(self) -> str | None: ...
    @property
    def summary(self) -> str: ...
    @property
    def outcomes(self) -> Sequence[_Stated]: ...


E = TypeVar("E", bound=EventLike)

# Summaries (or outcome lists) this similar (rapidfuzz ratio, 0-100) say the same thing.
NEAR_COPY_SIMILARITY = 90.0
# Numbering a model puts before a repeat: "[2]", "(3)", "2.", "#2".
_NUMBERING = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|#\d+|\d+[.)])\s*")
_SPACE = re.compile(r"\s+")


def _plain(text: str | None) -> str:
    text = _NUMBERING.sub("", text or "")
    return _SPACE.sub(" ", text).strip().casefold()


def _people(e: EventLike) -> frozenset[str]:
    return frozenset(_plain(p.name) for p in e.participants if p.name.strip())


def _similar(a: str, b: str) -> bool:
    return bool(a) and bool(b) and fuzz.ratio(a, b) >= NEAR_COPY_SIMILARITY


def _outcomes(e: EventLike) -> str:
    return " | ".join(sorted(_plain(o.statement) for o in e.outcomes))


def near_copy(a: EventLike, b: EventLike) -> bool:
    """Whether `b` repeats `a`: same type, participants and written date, and summaries or
    outcomes that mostly coincide."""
    if a.event_type != b.event_type or _people(a) != _people(b):
        return False
    if _plain(a.date_text) != _plain(b.date_text):
        return False
    return _similar(_plain(a.summary), _plain(b.summary)) or _similar(_outcomes(a), _outcomes(b))


def repeat_of(event: E, kept: Sequence[E]) -> tuple[int, bool] | None:
    """The index of the kept event this one repeats, and whether word for word; None if
    it is an event of its own."""
    for n, other in enumerate(kept):
        if event == other:
            return n, True
    for n, other in enumerate(kept):
        if near_copy(other, event):
            return n, False
    return None
