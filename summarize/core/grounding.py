"""Locate evidence quotes in the article text (pure).

Models re-type quotes: curly quotes become straight, dashes change, whitespace is folded,
the odd character slips. We compare on a normalised copy of both texts and map matches
back to offsets in the original article text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from summarize.core.brief import Evidence

_QUOTE_MARKS = frozenset(
    "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
)
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")

# Fuzzy matches below this score (0-100) are not evidence.
MIN_FUZZY_SCORE = 90.0
# Short quotes have too little text for a fuzzy score to mean anything.
MIN_FUZZY_LENGTH = 16
# A quote of one word ("1", "Putin") matches somewhere in any article and shows nothing.
MIN_QUOTE_WORDS = 2
_WORDS = re.compile(r"\w+")


def _clusters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each character with the combining marks that follow it."""
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        # No combining mark sits below U+0300: skip the lookup for most characters.
        if spans and ch >= "\u0300" and unicodedata.combining(ch):
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


def _normalise(text: str) -> tuple[str, list[int], list[int]]:
    """Return the normalised text and, per normalised character, the start and end offsets
    in `text` of the characters it came from."""
    chars: list[str] = []
    origin: list[int] = []
    until: list[int] = []
    pending_space = -1
    for start, end in _clusters(text):
        ch = text[start]
        if ch.isspace():
            if pending_space < 0:
                pending_space = start
            continue
        if ch in _QUOTE_MARKS:
            # Quote marks are dropped: models add, drop and swap them freely.
            continue
        if pending_space >= 0:
            if chars:
                chars.append(" ")
                origin.append(pending_space)
                until.append(pending_space + 1)
            pending_space = -1
        if ch in _DASHES:
            folded = "-"
        elif end - start == 1 and ch < "\u0080":
            folded = ch.lower()  # ASCII is its own NFC
        else:
            # "e" + combining acute and "é" are one text to a reader (NFD vs NFC): compose.
            folded = unicodedata.normalize("NFC", text[start:end]).lower()
        for f in folded:
            chars.append(f)
            origin.append(start)
            until.append(end)
    return "".join(chars), origin, until


@dataclass
class ArticleText:
    """An article text prepared once for many quote look-ups."""

    text: str
    _norm: str = field(init=False, repr=False)
    _origin: list[int] = field(init=False, repr=False)
    _until: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._norm, self._origin, self._until = _normalise(self.text)

    @staticmethod
    @functools.lru_cache(maxsize=32)
    def of(text: str) -> ArticleText:
        """The prepared text, shared: the client's grounding check and the brief's assembly
        look up quotes in the same article moments apart."""
        return ArticleText(text)

    def mentions(self, phrase: str) -> bool:
        """Whether `phrase` (a name, a date as written) appears, exactly after normalisation.

        Unlike `locate`, a single word counts: this checks a fact's presence, not evidence.
        """
        needle, _, _ = _normalise(phrase)
        return bool(needle) and needle in self._norm

    def locate(self, quote: str) -> Evidence | None:
        """Find `quote` in the text; None when it is not there (even approximately)."""
        needle, _, _ = _normalise(quote)
        if len(_WORDS.findall(needle)) < MIN_QUOTE_WORDS:
            return None
        pos = self._norm.find(needle)
        if pos >= 0:
            return self._evidence(quote, pos, pos + len(needle), 100.0)
        if len(needle) < MIN_FUZZY_LENGTH:
            return None
        match = fuzz.partial_ratio_alignment(needle, self._norm, score_cutoff=MIN_FUZZY_SCORE)
        if match is None:
            return None
        # A fuzzy hit much shorter than the quote means the quote carries extra, invented text.
        if match.dest_end - match.dest_start < 0.9 * len(needle):
            return None
        evidence = self._evidence(quote, match.dest_start, match.dest_end, round(match.score, 1))
        return self._snap_to_words(evidence)

    def _evidence(self, quote: str, start: int, end: int, score: float) -> Evidence:
        return Evidence(
            quote=quote, start=self._origin[start], end=self._until[end - 1], score=score
        )

    def _snap_to_words(self, evidence: Evidence) -> Evidence:
        # Fuzzy alignment can clip a word at either edge; evidence should cover whole words.
        start, end = evidence.start, evidence.end
        while start > 0 and self.text[start - 1].isalnum():
            start -= 1
        while end < len(self.text) and self.text[end].isalnum():
            end += 1
        return evidence.model_copy(update={"start": start, "end": end})
