"""Text folded for comparison: the keys the memo matches names, topics and statements by."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from anyascii import anyascii


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, strip accents, drop apostrophes, turn other punctuation into spaces.

    Other scripts are transliterated first ("Путин" -> "putin"), so names and topics in
    Cyrillic, Greek or CJK still compare instead of folding to nothing.
    """
    decomposed = unicodedata.normalize("NFKD", _latin(text))
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    no_apostrophes = re.sub(r"['\u2019`]", "", no_marks.lower())
    return " ".join(re.sub(r"[^0-9a-z]+", " ", no_apostrophes).split())


def _latin(text: str) -> str:
    """The text with non-Latin letters transliterated; Latin text is left as it is."""
    if text.isascii() or all(ord(c) < 0x250 for c in text):
        return text
    return "".join(c if ord(c) < 0x250 else anyascii(c) for c in text)


def _simple(text: str) -> str:
    """Case- and whitespace-folded text, punctuation kept (for dedup keys)."""
    return " ".join(text.lower().split())


def distinct(values: Iterable[str]) -> tuple[str, ...]:
    """Values without case/space duplicates, most frequent first, then first seen."""
    seen: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for v in values:
        k = _simple(v)
        seen.setdefault(k, v.strip())
        counts[k] += 1
    order = {k: n for n, k in enumerate(seen)}
    return tuple(seen[k] for k in sorted(seen, key=lambda k: (-counts[k], order[k])))
