"""Split an article into numbered sentences, the units the model cites as evidence (pure).

Every line is split on its own: headlines, datelines and bylines carry no full stop, and a
segmenter would glue them to the next sentence. Within a line, `sentencex` (Wikimedia's
multilingual segmenter) finds the boundaries; it made the fewest errors of the three compared
on wire copy in eight languages (see docs/EVIDENCE.md). Offsets always point into the
article text, so a cited sentence is the article's own text, whatever the model writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A "sentence" longer than this (a run-on list, a table flattened to one line) is cut at a
# space: one citation should never drag in a whole page.
MAX_SENTENCE_CHARS = 600

_LINE = re.compile(r"[^\n]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[^\W\d_]+")
# Frequent short words that tell the Latin-script languages of the corpus apart; enough to
# pick the segmenter's abbreviation list, which is all the language is used for here.
_STOPWORDS_TEXT = {
    "en": "the and of to in is was with said that for on",
    "de": "der die das und mit den ist von zu sich nicht am",
    "fr": "le la les et des du est une dans avec pour au",
    "es": "el la los las y del que en con por una se",
    "pt": "o a os as e do da que em com por uma não",
}
_STOPWORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS_TEXT.items()}
# Titles and abbreviations that sentencex's lists lack and wire copy puts before a name or a
# word: a piece ending in one runs on into the next ("M. Macron", "o Pres. Lula").
_ABBREVIATIONS_TEXT = {
    "en": "Pres. Gov. Sen. Rep. Amb. Gen. Adm. Lt. Col. Sgt. Capt. Maj. Rev. Hon. Sec. Dep.",
    "fr": "M. MM. Mme. Mmes. Mlle. Mgr. Me. Pr. Dr. Gal. Cdt. Lt. Col.",
    "es": "Sr. Sra. Srta. Pres. Gral. Gob. Dr. Dra. Lic. Ing. Excmo. Excma. Dña. Dn.",
    "pt": "Sr. Sra. Srta. Pres. Gov. Dep. Sen. Min. Gen. Dr. Dra. Exmo. Exma. Profa. Prof.",
    "de": "Hr. Fr. Dr. Prof. Min. Präs. Bundespräs. Abg. St. Gen.",
    # Not the year or "and so on" abbreviations: they end sentences too.
    "ru": "тов. ген. проф. акад.",
}
_ABBREVIATIONS = {lang: frozenset(text.split()) for lang, text in _ABBREVIATIONS_TEXT.items()}


@dataclass(frozen=True, slots=True)
class Sentence:
    """Sentence `number` (from 1) is `text[start:end]` of the article text."""

    number: int
    start: int
    end: int


def guess_language(text: str) -> str:
    """An ISO 639-1 code good enough to choose sentence rules; English when unsure."""
    sample = text[:4000]
    kana, han = len(_KANA.findall(sample)), len(_HAN.findall(sample))
    cyrillic = len(_CYRILLIC.findall(sample))
    words = [w.lower() for w in _WORD.findall(sample)]
    # By the dominant script: an English article quoting a Chinese name is still English.
    cjk = kana + han
    if cjk > max(cyrillic, len(words)):
        return "ja" if kana > cjk / 10 else "zh"
    if cyrillic > len(words) * 2:
        return "ru"
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] > 0 else "en"


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _capped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        pieces.append(_stripped(text, start, cut))
        start = _stripped(text, cut, end)[0]
    pieces.append((start, end))
    return pieces


def split_sentences(
    text: str, start: int = 0, end: int | None = None, language: str | None = None
) -> tuple[Sentence, ...]:
    """The sentences of `text[start:end]`, numbered from 1, offsets into `text`."""
    # Imported here: its Rust extension is start-up time `summarize --help` need not pay.
    import sentencex

    end = len(text) if end is None else end
    language = language or guess_language(text[start:end])
    spans: list[tuple[int, int]] = []
    abbreviations = _ABBREVIATIONS.get(language, frozenset())
    for line in _LINE.finditer(text, start, end):
        at = line.start()
        pieces: list[tuple[int, int]] = []
        for piece in sentencex.segment(language, line.group()):
            # sentencex returns consecutive slices of its input: walk them to get offsets.
            found = text.find(piece, at, line.end()) if piece else -1
            if found < 0:
                continue
            s, e = _stripped(text, found, found + len(piece))
            at = found + len(piece)
            if s >= e:
                continue
            if pieces and _runs_on(text[pieces[-1][0] : pieces[-1][1]], abbreviations):
                pieces[-1] = (pieces[-1][0], e)
            else:
                pieces.append((s, e))
        for s, e in pieces:
            spans.extend(_capped(text, s, e))
    return tuple(Sentence(n, s, e) for n, (s, e) in enumerate(spans, start=1))


def _runs_on(piece: str, abbreviations: frozenset[str]) -> bool:
    """Whether a piece ends in an abbreviation of the language, so the sentence goes on."""
    words = piece.rsplit(None, 1)
    last = words[-1] if words else ""
    # "(M." or "«Pres." : the abbreviation without what opens it.
    return last.lstrip("(\"'«\u201c\u2018[") in abbreviations
