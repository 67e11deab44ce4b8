"""Whether a text names a person, across scripts and inflection (pure).

A model writes "Joe Biden"; the article writes بايدن, 바이든, バイデン, Байденом or Bidena.
Each word of the text is romanised (anyascii; Japanese kana and kanji also by their
Japanese readings, with pykakasi) and compared with the parts of the name three ways:

- the same letters, allowing an ending after them (Slavic and Turkish case endings,
  Korean particles: "Bidena", "Makronom", "Erdoğan'a");
- in runs of Chinese or Japanese characters, which have no spaces, anywhere in the run
  ("習近平" holds "xi" and "jinping");
- by consonant skeleton, for words not in Latin letters: vowels dropped and consonants
  that transliterations swap put in one class (b/p/f/v, g/k/q/c, s/z/sh/ch/j, m/n, l/r;
  d and t stay apart, or Biden would sound like Putin). A skeleton needs three classes or
  more ("Biden" b-d-n, "Putin" p-t-n); a word may add one class after it (a case ending,
  a particle), and in Arabic and Hebrew one joined letter before it ("and", "by") and two
  after it (pronoun suffixes). Where vowels are written, a name opening with a vowel
  must be written with one ("Angela" is not "Makron").

What it does not do: it has no list of exonyms (Deutschland / Germany) or of titles
("the Kremlin chief"); a name of fewer than three consonants in a script without written
vowels (شي for Xi) is not matched by skeleton; a word in the same script as the name must
spell it, so "put in" never names Putin and "axis" never names Xi.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

# Name parts shorter than this ("de", "da", "al") say nothing about who is meant; a name made
# only of such parts ("Xi") is checked whole.
MIN_NAME_PART = 3
# A name's letters may be followed by this many more in one word: case endings and
# particles ("Bidena", "Makronom", "Putin'e").
_MAX_ENDING = 4
# The fewest consonant classes a skeleton comparison is trusted with, and how much a word
# may add around the name: one joined letter before it in Arabic and Hebrew ("and", "by"),
# one class after it (a case ending, a particle), two where vowels are not written
# (pronoun suffixes).
_MIN_SKELETON = 3
# How alike (rapidfuzz ratio) a transliteration from Cyrillic or Greek must be to the name.
_MIN_ALIKE = 65
_MAX_SKELETON_ENDING = 1
_MAX_ABJAD_ENDING = 2
_LATIN_LETTERS = re.compile(r"[a-z]+")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005"
_HIRAGANA = r"\u3040-\u309f"
_KATAKANA = r"\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_ABJAD = re.compile(r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff]")
# Words: runs of letters of one kind. Chinese characters, hiragana and katakana are each
# their own run, since Chinese and Japanese put no spaces between words: a katakana run is
# most often a foreign name ("バイデン").
# Combining vowel signs and marks are part of a word though not "word characters" to `re`
# (Devanagari पुतिन, Arabic harakat).
_MARKS = (
    r"\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    r"\u06d6-\u06ed\u0900-\u0dff\u0e31-\u0e3a\u0e47-\u0e4e"
)
_LETTER = rf"(?:(?![{_HAN}{_HIRAGANA}{_KATAKANA}])[^\W\d_]|[{_MARKS}])"
_WORD = re.compile(
    rf"[{_HAN}]+|[{_HIRAGANA}]+|[{_KATAKANA}]+"
    rf"|{_LETTER}+(?:['\u2019\u02bc]{_LETTER}+)*"
)
_UNSPACED = re.compile(rf"[{_HAN}{_HIRAGANA}]")
_VOWELLESS = re.compile(
    rf"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\uac00-\ud7af\u1100-\u11ff"
    rf"{_HIRAGANA}{_KATAKANA}\u0900-\u0dff]"
)
_JAPANESE = re.compile(rf"[{_HIRAGANA}{_KATAKANA}{_HAN}]")
# Consonant classes, longest spelling first so that "sch" is read before "s" and "c".
_CLASSES = (
    ("tsch", "S"), ("dzh", "S"), ("sch", "S"),
    ("sh", "S"), ("ch", "S"), ("zh", "S"), ("ts", "S"), ("tz", "S"), ("cz", "S"),
    ("sz", "S"), ("dz", "S"), ("kh", "K"), ("gh", "K"), ("ph", "P"), ("th", "T"),
    ("ck", "K"), ("ng", "NK"),
    ("b", "P"), ("p", "P"), ("f", "P"), ("v", "P"),
    ("d", "D"), ("t", "T"),
    ("g", "K"), ("k", "K"), ("q", "K"), ("c", "K"),
    ("s", "S"), ("z", "S"), ("j", "S"), ("x", "S"),
    ("m", "N"), ("n", "N"),
    ("l", "R"), ("r", "R"),
)  # fmt: skip
_VOWELS = frozenset("aeiouy")
_APOSTROPHE = re.compile("['\u2019\u02bc]")
# Arabic and Persian write "and", "so", "by", "for", "as" as a letter joined to the next word.
_CLITICS = frozenset("\u0648\u0641\u0628\u0644\u0643")
_CLASS_PATTERN = re.compile("|".join(re.escape(s) for s, _ in _CLASSES))
_CLASS_OF = dict(_CLASSES)


def _ascii(text: str) -> str:
    from anyascii import anyascii  # loaded when a check runs, not at start-up

    return anyascii(text).lower()


def fold(text: str) -> str:
    """Lower-case ASCII letters only: diacritics dropped, other scripts transliterated."""
    return "".join(_LATIN_LETTERS.findall(_ascii(text)))


@lru_cache(maxsize=4096)
def romanisations(word: str) -> frozenset[str]:
    """The ways `word` may be read in Latin letters: anyascii's, and for Chinese characters
    and kana also the Japanese Hepburn, Kunrei and passport readings (岸田 kishida /
    kisida, プーチン puutin)."""
    forms = {fold(word)}
    if _JAPANESE.search(word):
        converted = _kakasi().convert(word)
        for style in ("hepburn", "kunrei", "passport"):
            forms.add(fold("".join(str(part[style]) for part in converted)))
    return frozenset(f for f in forms if f)


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi

    _defer_kanji_dictionary()
    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def _defer_kanji_dictionary() -> None:
    """Have pykakasi read its kanji dictionary (10 MB, 0.4-0.7 s) when a kanji is first
    read, not when the converter is made: names in kana (トランプ) never need it.

    pykakasi keeps the table in one state shared by every `Kanwa` and loads it unless it is
    set; it is set here to a table that loads the same file on its first lookup. Should
    pykakasi's insides differ from 2.3's, nothing is changed and it loads as before.
    """
    try:
        from pykakasi.kanji import Kanwa
        from pykakasi.properties import Configurations
    except ImportError:
        return
    state = getattr(Kanwa, "_shared_state", None)
    if not isinstance(state, dict) or state.get("_jisyo_table", False) is not None:
        return
    config: Any = Configurations  # an instance bound to its class's name
    state["_jisyo_table"] = _LazyTable(config.dictpath(config.jisyo_kanwa))


class _LazyTable:
    """A pickled dict read on its first lookup (see `_defer_kanji_dictionary`)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._table: dict[Any, Any] | None = None

    def get(self, key: Any, default: Any = None) -> Any:
        if self._table is None:
            import pickle

            with open(self._path, "rb") as f:
                self._table = pickle.load(f)  # pykakasi's own data file, as it reads it
        return self._table.get(key, default)


@lru_cache(maxsize=16384)
def skeleton(latin: str) -> str:
    """The consonant classes of a romanised word ("biden" -> "PTN", "bydn" -> "PTN")."""
    return "".join(_CLASS_OF[m.group(0)] for m in _CLASS_PATTERN.finditer(latin))


def name_parts(name: str) -> list[str]:
    """The parts of a name that identify someone, folded to ASCII."""
    parts = _LATIN_LETTERS.findall(_ascii(name))
    long = [p for p in parts if len(p) >= MIN_NAME_PART]
    if long or not parts:
        return long
    return ["".join(parts)]


def spelled_without_vowels(text: str) -> bool:
    """Whether `text` is written in a script whose romanisation does not spell a name's
    vowels as Latin letters do: Arabic and Hebrew (vowels unwritten), Korean, kana, Indic
    scripts (vowels inserted or changed: 트럼프 teureompeu, トランプ toranpu)."""
    return bool(_VOWELLESS.search(text))


def _is_latin(word: str) -> bool:
    return all(ord(c) < 0x250 for c in word)


def _spells(part: str, word: str, forms: frozenset[str]) -> bool:
    for form in forms:
        if _UNSPACED.search(word):
            # A run of Chinese characters or hiragana holds several words: "習近平" holds
            # "xi" and "jinping".
            if part in form:
                return True
        # A short part ("xi") must be the whole word: "xiaomi" does not name Xi.
        elif (
            form.startswith(part)
            and len(form) - len(part) <= _MAX_ENDING
            and (len(part) >= MIN_NAME_PART or form == part)
        ):
            return True
    return False


def _sounds_like(part: str, word: str, forms: frozenset[str]) -> bool:
    wanted = skeleton(part)
    if len(wanted) < _MIN_SKELETON or _UNSPACED.search(word) or _is_latin(word):
        return False
    abjad = _ABJAD.search(word) is not None
    cased = word[:1].lower() != word[:1].upper()
    if cased and not word[:1].isupper():
        # Cyrillic and Greek capitalise names: "п'ятницю" (Friday) does not name Putin.
        return False
    most_before, most_after = (1, _MAX_ABJAD_ENDING) if abjad else (0, _MAX_SKELETON_ENDING)
    for form in forms:
        if cased and not _spelled_alike(part, form):
            continue
        # Where vowels are written, a name that opens with one is written with one: "Angela"
        # is not "Makron" though both hold n-k-r.
        if not abjad and (form[:1] in _VOWELS) != (part[:1] in _VOWELS):
            continue
        found = skeleton(form)
        # Only a joined clitic may stand before the name ("لبايدن", to Biden), not the
        # article ("المكالمة", the call, holds m-k-l-m as Macron holds m-k-r-n).
        lead = len(skeleton(fold(word[:1]))) if abjad and word[:1] in _CLITICS else 0
        at = found.find(wanted)
        if 0 <= at <= min(most_before, lead) and len(found) - at - len(wanted) <= most_after:
            return True
    return False


def _spelled_alike(part: str, form: str) -> bool:
    """Whether a transliteration from an alphabet spells `part` nearly as written: Cyrillic
    and Greek render names letter by letter ("Байдену" bajdenu, "Шольца" sholtsa), so
    a word with the same consonants but other letters ("Відомо" vidomo for Biden) is not it."""
    from rapidfuzz import fuzz

    lengths = range(max(1, len(part) - 1), len(part) + 3)
    return max(fuzz.ratio(part, form[:n]) for n in lengths) >= _MIN_ALIKE


def names(texts: Iterable[str], name: str) -> bool:
    """Whether any of `texts` names `name` by any identifying part (see the module)."""
    parts = name_parts(name)
    if not parts:
        return False
    # A namesake shares a given name; the last part and the whole name are the person's own.
    own = {parts[-1]}
    # The whole name as one word too: Korean writes a name without spaces (문재인, Moon Jae-in).
    whole = "".join(_LATIN_LETTERS.findall(_ascii(name)))
    if whole not in parts:
        parts = [*parts, whole]
    own.add(whole)
    for text in texts:
        words = [m.group(0) for m in _WORD.finditer(unicodedata.normalize("NFC", text))]
        for i, word in enumerate(words):
            forms = romanisations(word)
            stem = _APOSTROPHE.split(word)[0]
            if stem != word:
                # "Xi's", "Erdoğan'a": a possessive or a case suffix after an apostrophe.
                forms |= romanisations(stem)
            for part in parts:
                if not (_spells(part, word, forms) or _sounds_like(part, word, forms)):
                    continue
                following = words[i + 1] if i + 1 < len(words) else ""
                if part in own or not _namesake(following, parts):
                    return True
    return False


def _namesake(following: str, parts: list[str]) -> bool:
    """Whether a given name is followed by another person's surname: "Donald Tusk" does not
    name Donald Trump, nor "Володимир Зеленський" Vladimir Putin. Only where names are
    capitalised can a surname be told from an ordinary word ("Xi said", "Lula disse")."""
    if not following[:1].isupper():
        return False
    forms = romanisations(following)
    return not any(_spells(p, following, forms) or _sounds_like(p, following, forms) for p in parts)
