"""Month, weekday and relative-day words of many languages, from dateparser's locale data.

dateparser keeps these tables for 200+ locales; we borrow its words but do the calendar
arithmetic ourselves (`summarize.core.dates`), because its own parser misreads news phrases
("3日" as a Sunday, "segunda-feira (6)" as June). dateparser is slow to import, so it is
imported on first use only: `summarize --help` never pays for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from anyascii import anyascii

# Languages tried when the caller does not say, by the script the text is written in.
LATIN = ("en", "de", "fr", "es", "pt", "it")
CYRILLIC = ("ru", "uk")
CJK = ("ja", "zh", "zh-Hant")
_SCRIPTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"[A-Za-z\u00c0-\u024f]"), LATIN),
    (re.compile(r"[\u0400-\u04ff]"), CYRILLIC),
    (re.compile(r"[\u3040-\u30ff\u3400-\u9fff]"), CJK),
)

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
_MIN_RELATIVE_WORD = 3
# Weekday words this long also match as the start of a compound or inflected word
# ("Montagabend", "Fridays"); shorter ones must stand alone.
_MIN_PREFIX_WORD = 5
_WORD_CHARS = re.compile(r"[^\W\d_]+(?:[-' ][^\W\d_]+)*\.?")


@dataclass(frozen=True)
class Vocabulary:
    """Date words of some languages, each mapped to what it means.

    A word that means different things in two of the languages is left out: with the
    language unknown, it cannot be read.
    """

    months: dict[str, int]
    weekdays: dict[str, int]
    days: dict[str, int]  # offset in days from the anchor: "yesterday" -1
    years: dict[str, int]  # offset in years: "last year" -1
    weekday_pattern: re.Pattern[str] | None
    day_pattern: re.Pattern[str] | None
    year_pattern: re.Pattern[str] | None


def languages_for(text: str) -> tuple[str, ...]:
    """The languages to try for `text` when nobody says: those of the scripts it uses."""
    found: list[str] = []
    for pattern, languages in _SCRIPTS:
        if pattern.search(text):
            found += languages
    return tuple(found)


@cache
def vocabulary(languages: tuple[str, ...]) -> Vocabulary:
    """The date words of `languages` (dateparser locale names: "pt", "zh-Hant")."""
    from dateparser.languages.loader import default_loader  # type: ignore[import-untyped]

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
    clear_weekdays = _unambiguous(weekdays, months, days, years)
    clear_days = _unambiguous(days, months, weekdays, years)
    clear_years = _unambiguous(years, months, weekdays, days)
    return Vocabulary(
        months=_unambiguous(months, weekdays, days, years),
        weekdays=clear_weekdays,
        days=clear_days,
        years=clear_years,
        weekday_pattern=_pattern(clear_weekdays, spaced, prefix=True),
        day_pattern=_pattern(clear_days, spaced, prefix=False),
        year_pattern=_pattern(clear_years, spaced, prefix=False),
    )


def _words(raw: list[str], unspaced: bool, minimum: int) -> set[str]:
    out: set[str] = set()
    for word in raw:
        word = word.lower().strip()
        if unspaced:
            # Single characters ("月" Monday, "今" now) are parts of other words.
            if len(word) >= 2 and not any(c.isdigit() for c in word):
                out.add(word)
        elif _WORD_CHARS.fullmatch(word) and len(word.rstrip(".")) >= minimum:
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
    long_words = [w for w in table if w in spaced and prefix and len(w) >= _MIN_PREFIX_WORD]
    whole = [w for w in table if w in spaced and w not in long_words]
    unspaced = [w for w in table if w not in spaced]
    if long_words:
        parts.append(rf"(?<!\w)(?P<long>{alternation(long_words)})\w*")
    if whole:
        parts.append(rf"(?<!\w)(?P<whole>{alternation(whole)})(?!\w)")
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
