"""Evidence from cited sentence numbers, and the checks on it (pure).

The model cites sentences by number (see `sentences.py`); the quote is then cut from the
article text at the sentences' offsets, so it is the article's own text in every language.
Nothing is matched approximately: a number outside the article is an error, re-asked.

What stays fuzzy-free but tolerant is `mentions`: whether a name or a date as written
appears in the text, compared after folding case, quote marks, dashes, spacing and (for
names) diacritics and script (Путин / Putin).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from summarize.core.article import Article
from summarize.core.brief import Evidence, Span
from summarize.core.names import names
from summarize.core.sentences import Sentence, split_sentences

_QUOTE_MARKS = frozenset(
    "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
)
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


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


def _normalise(text: str) -> str:
    """`text` folded for comparison: case, quote marks, dashes, runs of spaces, NFC."""
    chars: list[str] = []
    pending_space = False
    for start, end in _clusters(text):
        ch = text[start]
        if ch.isspace():
            pending_space = True
            continue
        if ch in _QUOTE_MARKS:
            # Quote marks are dropped: they are added, dropped and swapped freely.
            continue
        if pending_space and chars:
            chars.append(" ")
        pending_space = False
        if ch in _DASHES:
            chars.append("-")
        else:
            # "e" + combining acute and "é" are one text to a reader (NFD vs NFC): compose.
            chars.append(unicodedata.normalize("NFC", text[start:end]).lower())
    return "".join(chars)


@dataclass
class ArticleText:
    """An article text with its numbered sentences, prepared once for many look-ups.

    Sentences cover `text[start:end]`: the part of the article the model reads.
    """

    text: str
    start: int = 0
    end: int | None = None
    sentences: tuple[Sentence, ...] = field(init=False, repr=False)
    _norm: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.sentences = split_sentences(self.text, self.start, self.end)
        self._norm = _normalise(self.text)

    @staticmethod
    @functools.lru_cache(maxsize=32)
    def of(text: str, start: int = 0, end: int | None = None) -> ArticleText:
        """The prepared text, shared: the client's check and the brief's assembly look at the
        same article moments apart."""
        return ArticleText(text, start, end)

    def sentence(self, number: int) -> str:
        s = self.sentences[number - 1]
        return self.text[s.start : s.end]

    def unknown(self, numbers: Sequence[int]) -> list[int]:
        """The numbers that name no sentence of this article."""
        return [n for n in numbers if not 1 <= n <= len(self.sentences)]

    def cite(self, numbers: Sequence[int]) -> Evidence | None:
        """The evidence for these sentence numbers (unknown ones ignored); None if none is
        known. Consecutive sentences make one span, with the text between them."""
        known = sorted({n for n in numbers if 1 <= n <= len(self.sentences)})
        if not known:
            return None
        runs: list[list[int]] = []
        for n in known:
            if runs and runs[-1][-1] == n - 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        spans = [self._span(run[0], run[-1]) for run in runs]
        first = spans[0]
        return Evidence(
            quote=first.quote, start=first.start, end=first.end, sentences=known, also=spans[1:]
        )

    def _span(self, first: int, last: int) -> Span:
        start, end = self.sentences[first - 1].start, self.sentences[last - 1].end
        return Span(quote=self.text[start:end], start=start, end=end)

    def mentions(self, phrase: str) -> bool:
        """Whether `phrase` (a name, a date as written) appears, exactly after normalisation."""
        needle = _normalise(phrase)
        return bool(needle) and needle in self._norm


def supports(evidence: Evidence, name: str) -> bool:
    """Whether the cited text names `name`, in any script or inflection (`names.names`):
    "Putin" is supported by "Путина" and "بوتين", "Xi" by "习近平", "Biden" by "바이든과"."""
    quotes = [span.quote for span in evidence.spans()]
    # As written first, where words have no spaces to bound them: "トランプ" cited for a
    # participant the model also wrote in katakana. Elsewhere a name must be a whole word.
    needle = _normalise(name)
    if needle and _UNSPACED.search(needle) and any(needle in _normalise(q) for q in quotes):
        return True
    return names(quotes, name)


def article_text(article: Article) -> ArticleText:
    """The article as the model reads it (its body), numbered; shared by prompt and check."""
    return ArticleText.of(article.text, article.body_start, article.body_end)
