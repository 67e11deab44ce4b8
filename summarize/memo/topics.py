"""Topics: reduced to stems for comparison, merged across reports, labelled for the reader."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from summarize.memo.folding import fold

# Topics this similar (rapidfuzz ratio, 0-100) are one topic worded twice.
TOPIC_SIMILARITY = 90.0

_STOP_TOPIC_WORDS = frozenset(
    {
        "the", "of", "and", "in", "on", "a", "an", "to", "for", "with", "between", "at",
        "situation", "crisis", "issue", "issues", "conflict", "relations", "bilateral",
        "talks", "war", "process", "s", "us", "usa", "u", "russia", "russian", "american",
    }
)  # fmt: skip


def topic_stems(topics: Iterable[str]) -> frozenset[str]:
    """Content words of the topics, cut to five letters (Syria/Syrian, Ukraine/Ukrainian)."""
    stems: frozenset[str] = frozenset()
    for topic in topics:
        stems |= _stems_of(topic)
    return stems


@lru_cache(maxsize=65536)
def _stems_of(topic: str) -> frozenset[str]:
    return frozenset(
        token[:5]
        for token in fold(topic).split()
        if token not in _STOP_TOPIC_WORDS and len(token) > 1
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def merge_topics(topics: Iterable[str]) -> tuple[str, ...]:
    """The topics in order, each worded as first seen, near-duplicates dropped."""
    kept: list[str] = []
    for topic in topics:
        folded = fold(topic)
        if not any(fuzz.ratio(folded, fold(k)) >= TOPIC_SIMILARITY for k in kept):
            kept.append(topic.strip())
    return tuple(kept)


def topic_label(stem: str, topics: Iterable[str]) -> str:
    """The shortest topic wording that carries the stem ("Syria" over "Syrian crisis")."""
    candidates = sorted({t for t in topics if stem in topic_stems([t])}, key=lambda t: (len(t), t))
    return candidates[0] if candidates else stem
