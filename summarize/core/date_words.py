"""Month, weekday and relative-day words of many languages, from dateparser's locale data.

dateparser keeps these tables for 200+ locales; we borrow its words but do the calendar
arithmetic ourselves (`summarize.core.dates`), because its own parser misreads news phrases
("3日" as a Sunday, "segunda-feira (6)" as June). dateparser is slow to import, so it is
imported on first use only: `summarize --help` never pays for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from anyascii import anyascii

# Languages tried first when the caller does not say, by the script the text is written in.
LATIN = ("en", "de", "fr", "es", "pt", "it")
CYRILLIC = ("ru", "uk")
CJK = ("ja", "zh", "zh-Hant")
ARABIC = ("ar", "fa", "ur")
_SCRIPT_RANGES = {
    "latin": r"A-Za-z\u00c0-\u024f",
    "cyrillic": r"\u0400-\u04ff",
    "cjk": r"\u3040-\u30ff\u3400-\u9fff",
    "arabic": r"\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
    "hangul": r"\uac00-\ud7af\u1100-\u11ff\u3130-\u318f",
    "devanagari": r"\u0900-\u097f",
    "greek": r"\u0370-\u03ff",
    "hebrew": r"\u0590-\u05ff",
    "thai": r"\u0e00-\u0e7f",
}
_FIRST_TRIED = {
    "latin": LATIN,
    "cyrillic": CYRILLIC,
    "cjk": CJK,
    "arabic": ARABIC,
    "hangul": ("ko",),
    "devanagari": ("hi",),
    "greek": ("el",),
    "hebrew": ("he",),
    "thai": ("th",),
}
_SCRIPTS = {name: re.compile(f"[{chars}]") for name, chars in _SCRIPT_RANGES.items()}
# Scripts whose letters are syllables (or carry their vowels): a two-letter word ("오늘"
# today, "आज" today) is a whole word there, not an abbreviation.
_SYLLABIC = re.compile(f"[{_SCRIPT_RANGES['hangul']}{_SCRIPT_RANGES['devanagari']}]")
# Korean particles follow the word they mark ("수요일에", on Wednesday): its date words may
# open a longer word, as long weekday words do elsewhere.
_HANGUL = _SCRIPTS["hangul"]
# Arabic writes "and", "so", "by", "for", "as" as a letter joined to the next word ("والخميس").
_ARABIC_CLITICS = "\u0648\u0641\u0628\u0644\u0643"
# Words dateparser's tables lack: Japanese relative days in kana (it lists only the kanji).
_EXTRA_DAYS = {"ja": {"きょう": 0, "きのう": -1, "おととい": -2, "あす": 1, "あした": 1}}
# Joiners and the Arabic tatweel sit inside words in texts and tables alike, inconsistently;
# apostrophes come in four shapes ("п\u2019ятницю", "п\u02bcятниця").
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u0640"))
# Persian writes yeh and kaf with its own letters (ی, ک); dateparser's tables mix both.
_SPELLING = str.maketrans("\u2019\u02bc\u2018`\u06cc\u0649\u06a9", "''''\u064a\u064a\u0643")

_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# dateparser's relative-type keys we use: "1 day ago", "in 2 day", "0 second ago" (now),
# "1 year ago". Weeks, months and hours do not name a day.
_RELATIVE_KEY = re.compile(r"(?P<future>in )?(?P<n>\d+) (?P<unit>day|second|year)(?: ago)?")
# Free-standing words shorter than this are abbreviations ("mar", "sa", "mo") that are also
# ordinary words somewhere; months keep theirs, since they only count beside a day number.
_MIN_WORD = 4
# Enough of an article to tell its language, and too few letters to tell anything.
_IDENTIFY_SAMPLE = 2000
_MIN_IDENTIFY_LETTERS = 4
_MIN_RELATIVE_WORD = 3
# Weekday words this long also match as the start of a compound or inflected word
# ("Montagabend", "Fridays"); shorter ones must stand alone.
_MIN_PREFIX_WORD = 5
# Letters, with the combining vowel signs that `re` does not count as word characters
# (Devanagari शुक्रवार, Bengali, Thai).
_LETTER = r"(?:[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0900-\u0dff\u0e31-\u0e4e])"
_WORD_CHARS = re.compile(rf"{_LETTER}+(?:[-' ]{_LETTER}+)*\.?")
_TOKEN = re.compile(rf"{_LETTER}+(?:[-']{_LETTER}+)*")


@dataclass(frozen=True)
class Vocabulary:
    """Date words of some languages, each mapped to what it means.

    A word that means different things in two of the languages is left out: with the
    language unknown, it cannot be read.
    """

    languages: tuple[str, ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    days: dict[str, int]  # offset in days from the anchor: "yesterday" -1
    years: dict[str, int]  # offset in years: "last year" -1
    weekday_pattern: re.Pattern[str] | None
    day_pattern: re.Pattern[str] | None
    year_pattern: re.Pattern[str] | None

    spelled: frozenset[str] = frozenset()  # every word of the four tables, lower case
    joined: tuple[str, ...] = ()  # words with a space or hyphen, and unspaced ones (CJK)
    # Words left out because two of the languages read them differently.
    ambiguous: frozenset[str] = frozenset()

    def reads(self, text: str) -> bool:
        """Whether any weekday, relative-day or relative-year word of these is in `text`."""
        patterns = (self.weekday_pattern, self.day_pattern, self.year_pattern)
        return any(p is not None and p.search(text) for p in patterns)

    def may_read(self, text: str) -> bool:
        """Whether `text` may hold any word of these at all: a quick look-up of its words
        (and their starts, for compounds and particles) before the patterns are run."""
        low = text.lower()
        return any(word in low for word in self.joined) or _holds(low, self.spelled)

    def may_need_the_language(self, text: str) -> bool:
        """Whether `text` holds a word these languages read differently, which only the
        article's own language can read."""
        return any(
            token in self.ambiguous or token[1:] in self.ambiguous
            for token in _TOKEN.findall(text.lower())
        )


def _holds(low: str, words: frozenset[str]) -> bool:
    """Whether a word of `low` (or its start: compounds, particles, a joined Arabic clitic
    before it) is one of `words`."""
    for token in _TOKEN.findall(low):
        token = token.rstrip(".")
        starts = (token[:n] for n in range(min(3, len(token)), len(token) + 1))
        if any(start in words or start[1:] in words for start in starts):
            return True
    return False


def vocabularies(
    text: str, languages: tuple[str, ...] | None, context: str | None
) -> Iterator[Vocabulary]:
    """The vocabularies to read `text` in, most likely first (see `dates.resolve_date`)."""
    if languages:
        yield vocabulary(languages)
        return
    first = languages_for(text)
    if first:
        yield vocabulary(first)
    scripts = scripts_of(text)
    if not scripts:
        return
    every = vocabulary(languages_of_scripts(scripts))
    yield every
    # Identifying the language costs a model load: only for a word some language reads.
    if every.may_need_the_language(text):
        detected = identify(context or text)
        if detected and detected not in first and supported(detected):
            yield vocabulary((detected,))


@lru_cache(maxsize=256)
def identify(text: str) -> str | None:
    """The language `text` is written in (ISO 639-1, by py3langid), or None if too short.

    py3langid ships its model and takes a moment to load, so it is loaded on first use.
    """
    sample = text[:_IDENTIFY_SAMPLE]
    if sum(c.isalpha() for c in sample) < _MIN_IDENTIFY_LETTERS:
        return None
    import py3langid

    language, _ = py3langid.classify(sample)
    return str(language)


def scripts_of(text: str) -> tuple[str, ...]:
    """The scripts `text` is written in ("latin", "arabic", ...), in a fixed order."""
    return tuple(name for name, pattern in _SCRIPTS.items() if pattern.search(text))


def languages_for(text: str) -> tuple[str, ...]:
    """The languages to try first for `text` when nobody says: those of its scripts."""
    return tuple(lang for script in scripts_of(text) for lang in _FIRST_TRIED[script])


def normalise(text: str) -> str:
    """`text` without joiners or tatweel, with plain apostrophes and Arabic yeh and kaf, as
    the tables write words ("п\u2019ятницю" -> "п'ятницю"). Lengths may change: use it
    before taking any offsets."""
    return text.translate(_INVISIBLE).translate(_SPELLING)


@cache
def supported(language: str) -> bool:
    """Whether dateparser has date words for `language` (a locale name: "tr", "zh-Hant")."""
    from dateparser.data import languages_info

    return language in languages_info.language_order


@cache
def languages_of_scripts(scripts: tuple[str, ...]) -> tuple[str, ...]:
    """Every dateparser language whose weekday names are written in one of `scripts`: the
    last resort for a date in a language nobody named (Latin-script Turkish, Polish)."""
    from dateparser.data import languages_info
    from dateparser.languages.loader import default_loader

    found = []
    for language in languages_info.language_order:
        names = " ".join(default_loader.get_locale(language).info.get("monday", []))
        written_in = scripts_of(names)
        if written_in and set(written_in) <= set(scripts):
            found.append(language)
    return tuple(found)


@cache
def vocabulary(languages: tuple[str, ...]) -> Vocabulary:
    """The date words of `languages` (dateparser locale names: "pt", "zh-Hant")."""
    from dateparser.languages.loader import default_loader

    months: dict[str, set[int]] = {}
    weekdays: dict[str, set[int]] = {}
    days: dict[str, set[int]] = {}
    years: dict[str, set[int]] = {}
    spaced: set[str] = set()
    for language in languages:
        info = default_loader.get_locale(language).info
        unspaced = bool(info.get("no_word_spacing"))
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for word in _words(info.get(key, []), unspaced, minimum=3):
                months.setdefault(word, set()).add(number)
        for index, key in enumerate(_WEEKDAY_KEYS):
            for word in _words(info.get(key, []), unspaced, minimum=_MIN_WORD):
                weekdays.setdefault(word, set()).add(index)
                if not unspaced:
                    spaced.add(word)
        for key, phrases in info.get("relative-type", {}).items():
            m = _RELATIVE_KEY.fullmatch(key)
            if m is None:
                continue
            n = int(m.group("n")) * (1 if m.group("future") else -1)
            table = years if m.group("unit") == "year" else days
            for word in _words(phrases, unspaced, minimum=_MIN_RELATIVE_WORD):
                table.setdefault(word, set()).add(0 if m.group("unit") == "second" else n)
                if not unspaced:
                    spaced.add(word)
        for word, offset in _EXTRA_DAYS.get(language, {}).items():
            days.setdefault(word, set()).add(offset)
    clear_weekdays = _unambiguous(weekdays, months, days, years)
    clear_days = _unambiguous(days, months, weekdays, years)
    clear_years = _unambiguous(years, months, weekdays, days)
    clear_months = _unambiguous(months, weekdays, days, years)
    every = {*clear_months, *clear_weekdays, *clear_days, *clear_years}
    left_out = {*months, *weekdays, *days, *years} - every
    return Vocabulary(
        languages=languages,
        months=clear_months,
        weekdays=clear_weekdays,
        days=clear_days,
        years=clear_years,
        spelled=frozenset(w for w in every if w in spaced or w in clear_months),
        joined=tuple(w for w in every if (w not in spaced and w not in clear_months) or " " in w),
        ambiguous=frozenset(w for w in left_out if len(w) >= _MIN_WORD),
        weekday_pattern=_pattern(clear_weekdays, spaced, prefix=True),
        day_pattern=_pattern(clear_days, spaced, prefix=False),
        year_pattern=_pattern(clear_years, spaced, prefix=False),
    )


def _words(raw: list[str], unspaced: bool, minimum: int) -> set[str]:
    out: set[str] = set()
    for word in raw:
        word = normalise(word.lower().strip())
        if unspaced:
            # Single characters ("月" Monday, "今" now) are parts of other words.
            if len(word) >= 2 and not any(c.isdigit() for c in word):
                out.add(word)
        elif _WORD_CHARS.fullmatch(word) and len(word.rstrip(".")) >= (
            2 if _SYLLABIC.search(word) else minimum
        ):
            out.add(word.rstrip("."))
            # "août" is also typed "aout"; "März" as "marz".
            plain = anyascii(word).lower().rstrip(".")
            if len(plain) >= minimum and plain.isascii():
                out.add(plain)
    return out


def _unambiguous(table: dict[str, set[int]], *others: dict[str, set[int]]) -> dict[str, int]:
    return {
        word: next(iter(values))
        for word, values in table.items()
        if len(values) == 1 and not any(word in other for other in others)
    }


def _pattern(table: dict[str, int], spaced: set[str], *, prefix: bool) -> re.Pattern[str] | None:
    """One regex for the words of `table`: whole words where words are spaced, anywhere in
    scripts without spaces; weekday words may open a compound ("Montagabend")."""
    if not table:
        return None

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    parts = []
    long_words = [
        w
        for w in table
        if w in spaced and (_HANGUL.search(w) or (prefix and len(w) >= _MIN_PREFIX_WORD))
    ]
    whole = [w for w in table if w in spaced and w not in long_words]
    unspaced = [w for w in table if w not in spaced]
    # A word starts where no letter stands before it, or right after a joined Arabic clitic.
    start = rf"(?:(?<!\w)|(?<=(?<!\w)[{_ARABIC_CLITICS}]))"
    if long_words:
        parts.append(rf"{start}(?P<long>{alternation(long_words)})\w*")
    if whole:
        parts.append(rf"{start}(?P<whole>{alternation(whole)})(?!\w)")
    if unspaced:
        parts.append(rf"(?P<cjk>{alternation(unspaced)})")
    return re.compile("|".join(parts), re.IGNORECASE)


def matched_word(m: re.Match[str]) -> str:
    """The vocabulary word a `Vocabulary` pattern matched (without a compound's tail)."""
    for group in ("long", "whole", "cjk"):
        word = m.groupdict().get(group)
        if word:
            return word.lower()
    return m.group(0).lower()


@cache
def month_names() -> dict[str, int]:
    """Month names (and their abbreviations) of every language written in Latin or Cyrillic
    letters that we try, for dates written in full."""
    return vocabulary(LATIN + CYRILLIC).months


@cache
def function_words(language: str) -> frozenset[str]:
    """Short words dateparser skips around dates in `language` ("the", "de", "und")."""
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(language).info
    return frozenset(
        w.lower() for key in ("skip", "pertain") for w in info.get(key, []) if w.isalpha()
    )
