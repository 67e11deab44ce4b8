"""Which items and events pair up: text similarity, one-to-one fuzzy pairing of item lists, and
one-to-one alignment of predicted events with golden ones (ACE-style: an argument earns credit
only inside a matched event)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from summarize.core.brief import Event
from summarize.evaluation.config import ScoringConfig

_PUNCT = re.compile(r"[^\w\s]")


def normalise(text: str | None) -> str:
    """Casefolded, accents and punctuation removed, whitespace collapsed ("U.S." -> "u s")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_PUNCT.sub(" ", plain).split())


def similarity(a: str | None, b: str | None) -> float:
    """0..100, order-insensitive and lenient to subsets ("Putin" ~ "Vladimir Putin")."""
    return float(fuzz.token_set_ratio(normalise(a), normalise(b)))


def strict_similarity(a: str | None, b: str | None) -> float:
    """0..100, order-insensitive but not lenient to subsets: for whole strings."""
    return float(fuzz.token_sort_ratio(normalise(a), normalise(b)))


@dataclass(frozen=True)
class Pairing:
    pairs: list[tuple[int, int, float]]  # golden index, predicted index, similarity
    missing: list[int]  # golden items left unpaired
    extra: list[int]  # predicted items left unpaired


def pair_items(
    golden: Sequence[str],
    predicted: Sequence[str],
    threshold: float,
    boost: Callable[[int, int], float] | None = None,
) -> Pairing:
    """One-to-one fuzzy pairing, best pairs first (greedy); `boost` can vouch for a pair."""
    candidates: list[tuple[float, float, int, int]] = []
    for i, g in enumerate(golden):
        for j, p in enumerate(predicted):
            sim = similarity(g, p)
            if boost is not None:
                sim = max(sim, boost(i, j))
            if sim >= threshold:
                # Ties on the lenient score go to the closer whole string.
                candidates.append((sim, strict_similarity(g, p), i, j))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for sim, _, i, j in candidates:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((i, j, sim))
    pairs.sort()
    return Pairing(
        pairs=pairs,
        missing=[i for i in range(len(golden)) if i not in used_g],
        extra=[j for j in range(len(predicted)) if j not in used_p],
    )


def prf(tp: int, n_golden: int, n_predicted: int) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty golden and empty prediction agree perfectly."""
    if n_golden == 0 and n_predicted == 0:
        return 1.0, 1.0, 1.0
    precision = tp / n_predicted if n_predicted else 1.0
    recall = tp / n_golden if n_golden else 1.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1


def participant_names(event: Event) -> list[str]:
    return [p.name for p in event.participants]


def _event_similarity(g: Event, p: Event, config: ScoringConfig) -> float:
    pairing = pair_items(participant_names(g), participant_names(p), config.matching.names)
    _, _, f1 = prf(len(pairing.pairs), len(g.participants), len(p.participants))
    same_type = 1.0 if g.event_type == p.event_type else 0.0
    same_date = 1.0 if g.date is not None and g.date == p.date else 0.0
    return 0.4 * same_type + 0.4 * f1 + 0.2 * same_date


@dataclass(frozen=True)
class Alignment:
    pairs: list[tuple[int, int]]  # golden event index, predicted event index
    missing: list[int]
    extra: list[int]


def align_events(
    golden: Sequence[Event], predicted: Sequence[Event], config: ScoringConfig
) -> Alignment:
    """Pair predicted events with golden ones by type, participant overlap and date."""
    candidates = sorted(
        (
            (-_event_similarity(g, p, config), i, j)
            for i, g in enumerate(golden)
            for j, p in enumerate(predicted)
        ),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for neg, i, j in candidates:
        # Nothing in common (other type, no shared participant, other date): not the same contact.
        if neg >= 0 or i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((i, j))
    pairs.sort()
    return Alignment(
        pairs=pairs,
        missing=[i for i in range(len(golden)) if i not in used_g],
        extra=[j for j in range(len(predicted)) if j not in used_p],
    )
