"""Publication dates from page chrome, and event dates resolved against them (pure).

News text dates events relative to the day it was published ("on Wednesday", "Friday's
call"). `find_publication_date` reads the anchor from the article's head; `resolve_date`
turns a date as written into a calendar date. Both return None rather than guess.
"""

from __future__ import annotations

import datetime as dt
import re

from summarize.core import date_words
from summarize.core.brief import EventStatus
from summarize.core.written_dates import (
    Found,
    MonthDay,
    ascii_digits,
    full_dates,
    lone_days,
    make_date,
    month_days,
)

# A time written right after a date belongs to the publication stamp as written.
_TIME = re.compile(
    r"(?:T|,?\s+(?:at\s+|um\s+|a\s+las\s+|à\s+|às\s+|в\s+)?)\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?"
    r"(?:\s?[ap]\.?m\.?)?(?:\s?(?:Z|[+-]\d\d:?\d\d|UTC|GMT|CET|CEST|MSK))?(?![\w:])",
    re.IGNORECASE,
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_PUBLISHED_LABEL = re.compile(
    r"\b(published|posted|first published|date|publication date|fecha|fecha de publicaci[oó]n"
    r"|publicado|ver[öo]ffentlicht|datum|publi[ée]|опубликовано|дата)\b",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    r"\b(updated|last updated|modified|last modified|actualizado|atualizado|aktualisiert"
    r"|mis à jour|обновлено)\b",
    re.IGNORECASE,
)
# Words that may stand beside a date in a dateline without making the line prose.
_CHROME_WORDS = frozenset(
    (
        *("published", "posted", "first", "last", "updated", "modified", "date", "time"),
        *("on", "at", "by", "gmt", "utc", "cet", "cest", "msk", "am", "pm"),
        *("de", "fecha", "publicación", "publicacion", "publicado", "um", "uhr", "datum"),
        *("le", "mis", "jour", "à", "опубликовано", "обновлено", "дата", "в"),
        *_WEEKDAYS,
    )
)
_MAX_CHROME_WORDS = 3
_HEAD_LINES = 20
# "MOSCOW, July 15, 2016 (Reuters) - ...": a dateline opening a paragraph.
_DATELINE_PREFIX = re.compile(r"^\W*[A-ZÀ-ÝА-Я][\w .'\u2019/-]{0,40},\s*$")
_DATELINE_SUFFIX = re.compile(r"^\s*(?:\([^()]{1,40}\)\s*)?[-\u2013\u2014:]")
_WORD = re.compile(r"[^\W\d_]+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")

# Relative phrases. "next Friday" and "the following day" refer to something we cannot
# place, so they resolve to nothing.
_UNPLACEABLE = re.compile(r"\b(next|coming|following|upcoming)\b", re.IGNORECASE)
_RELATIVE_DAYS: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(p, re.IGNORECASE), offset)
    for p, offset in (
        (r"\bday before yesterday\b", -2),
        (r"\bday after tomorrow\b", 2),
        (r"\byesterday\b|\blast night\b", -1),
        (r"\btomorrow\b", 1),
        (r"\btoday\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b", 0),
    )
)
_LAST_WEEK = re.compile(r"\blast week\b|\bthe week before\b|\bprevious week\b", re.IGNORECASE)
_LAST_WEEKDAY = re.compile(r"\blast (" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
# Dates in one phrase this close together are a range; it resolves to its first day.
_RANGE_DAYS = 7
# How much of an article's head to read for its function words, and how many it takes.
_LANGUAGE_SAMPLE = 3000
_MIN_FUNCTION_WORDS = 5
_DAY_FIRST_LANGUAGES = ("de", "fr", "es", "pt", "it", "ru", "uk")


def _first_of_range(dates: set[dt.date]) -> dt.date | None:
    if not dates:
        return None
    first, last = min(dates), max(dates)
    return first if (last - first).days <= _RANGE_DAYS else None


def parse_date(text: str) -> dt.date | None:
    """The date written out in full (day, month, year) in `text`, or None.

    Several dates close together are a range and give its first day; dates far apart give
    None, since the text does not say which one is meant.
    """
    return _first_of_range({f.date for f in full_dates(text)})


def _with_time(line: str, end: int) -> int:
    m = _TIME.match(line, end)
    return m.end() if m else end


def _chrome_words(text: str) -> int:
    # Chinese and Japanese write no spaces: a run of their characters counts as a word
    # every two characters, so that a caption is prose and "环球网" is one word.
    return sum(
        max(1, len(w) // 2) if _UNSPACED.match(w) else 1
        for w in _WORD.findall(text)
        if w.lower() not in _CHROME_WORDS
    )


def _day_first(text: str) -> bool:
    """Whether numeric dates in `text` put the day first (03/11/2023 is 3 November).

    Only US English puts the month first; so the day comes first when the text's function
    words (dateparser's: "de", "und", "the") are clearly not English ones.
    """
    words = [w.lower() for w in _WORD.findall(text[:_LANGUAGE_SAMPLE])]
    english = date_words.function_words("en")
    others = set().union(*(date_words.function_words(lang) for lang in _DAY_FIRST_LANGUAGES))
    others -= english
    in_english = sum(w in english for w in words)
    in_others = sum(w in others for w in words)
    return in_others >= _MIN_FUNCTION_WORDS and in_others > 2 * in_english


def find_publication_date(text: str) -> tuple[str, dt.date] | None:
    """The publication date in the article's head: (as written, date), or None.

    Only dates standing in page chrome count: a short line that is mostly the date
    ("Updated: 2012-07-19 08:02", "15 July 2016"), a dateline opening a paragraph
    ("MOSCOW, July 15, 2016 (Reuters) -"), or a numeric stamp with its time ("Reuters
    25/02/2022 à 03:02"). A date inside prose may be any event's date. A "published" label
    beats an unlabelled date, which beats an "updated" one; two different dates of the same
    standing make the answer unknown.
    """
    lines = [line for line in text.split("\n") if line.strip()][:_HEAD_LINES]
    day_first = _day_first(text)
    # rank: 0 labelled as published, 1 unlabelled, 2 labelled as updated
    candidates: list[tuple[int, str, dt.date]] = []
    for i, line in enumerate(lines):
        previous = lines[i - 1] if i else ""
        for f in full_dates(line, day_first=day_first):
            candidate = _chrome_date(line, previous, f)
            if candidate is not None:
                candidates.append(candidate)
    if not candidates:
        return None
    best = min(rank for rank, _, _ in candidates)
    chosen = [(written, date) for rank, written, date in candidates if rank == best]
    if len({date for _, date in chosen}) > 1:
        return None
    return chosen[0]


def _chrome_date(line: str, previous: str, f: Found) -> tuple[int, str, dt.date] | None:
    """(rank, as written, date) if the date `f` in `line` stands in page chrome."""
    end = _with_time(line, f.end)
    before, after = line[: f.start], line[end:]
    is_chrome = _chrome_words(before + " " + after) <= _MAX_CHROME_WORDS
    is_dateline = bool(_DATELINE_PREFIX.match(before) and _DATELINE_SUFFIX.match(after))
    # All digits and a time at the end of the line: a stamp, not a date in a sentence.
    is_stamp = end > f.end and not after.strip() and not _WORD.search(line[f.start : f.end])
    if not (is_chrome or is_dateline or is_stamp):
        return None
    # A label may sit on the line before: "Fecha de publicación:" / "15 July 2016".
    label = before if before.strip(" \t-|,") and not is_stamp else ""
    if not label and previous.strip().endswith(":") and len(previous.strip()) <= 40:
        label = previous
    if is_dateline:
        label = ""
    if _UPDATED_LABEL.search(label):
        rank = 2
    elif _PUBLISHED_LABEL.search(label):
        rank = 0
    else:
        rank = 1
    return rank, line[f.start : end].strip(), f.date


def resolve_date(
    date_text: str | None,
    anchor: dt.date | None,
    status: EventStatus = EventStatus.UNCLEAR,
    languages: tuple[str, ...] | None = None,
    context: str | None = None,
) -> dt.date | None:
    """The calendar date meant by `date_text`, read against the publication date `anchor`.

    Dates written in full need no anchor; everything else does, and without one gives None
    (never today's date). Words are read in `languages` (dateparser locale names), or, when
    not given, first in the usual languages of the scripts the text uses, then in every
    language dateparser knows that is written in those scripts (a word two of them read
    differently is left out), then, for such a word, in the language of `context` (the
    article the date was written in, else the date itself) as py3langid identifies it.

    Which way a date without a year or week resolves depends on the contact's `status`:
    PLANNED looks forward from the anchor ("on Thursday" in a Monday preview is three days
    later); HELD looks back; UNCLEAR and CANCELLED look back too, for weekdays and days of
    the month, because news mostly reports what has happened and a cancelled contact is
    reported once it is off, usually about a slot already reached; placing it in the past
    also keeps a contact that never happens out of the memo's list of what is coming. A day
    and month with no year ("June 17") goes to the nearest such date when the status does
    not give a direction. In every direction the anchor day itself counts ("on Friday" in a
    Friday paper is that day); "last Friday" is strictly before, "Wednesday last week" in the
    week before. Vague phrases ("earlier this week", "em breve") and English "next Friday"
    (which Friday is meant is disputed) give None.
    """
    if not date_text or not date_text.strip():
        return None
    date_text = date_words.normalise(ascii_digits(date_text))
    if full_dates(date_text):
        return parse_date(date_text)
    if anchor is None or _UNPLACEABLE.search(date_text):
        return None
    for tier, words in enumerate(date_words.vocabularies(date_text, languages, context)):
        # Numbers alone are read by the first; the others are tried only for their words.
        if tier and not words.may_read(date_text):
            continue
        found = _resolve_in(date_text, anchor, status, words)
        # Once a language reads a date word here, its verdict stands, even "no date"
        # (a weekday that disagrees with its day): other languages are tried only for
        # text the earlier ones could not read at all.
        if found is not None or words.reads(date_text):
            return found
    return None


def _resolve_in(
    date_text: str, anchor: dt.date, status: EventStatus, words: date_words.Vocabulary
) -> dt.date | None:
    direction = _DIRECTIONS[status]
    # A day and month without a year is near the anchor either way, unless told which way.
    month_direction = 0 if status in (EventStatus.UNCLEAR, EventStatus.CANCELLED) else direction
    # The usual languages' month names were tried on the whole text already.
    usual = words.languages == date_words.languages_for(date_text)
    if not usual and (full := full_dates(date_text, languages=words.languages)):
        return _first_of_range({f.date for f in full})
    weekdays, word_ends = _weekday_dates(date_text, anchor, direction, words)
    relative, relative_ends = _relative_dates(date_text, anchor, words)
    years = _year_offsets(date_text, words)
    written = month_days(date_text, None if usual else words.languages)
    numbered = _month_day_dates(written, anchor, month_direction, years)
    days = lone_days(date_text, word_ends + relative_ends)
    numbered |= {d for day in days if (d := _day_date(day, anchor, direction)) is not None}
    if numbered:
        # A day written as a number decides; a weekday beside it must agree ("(24日)").
        if weekdays and not all(d.weekday() in {w.weekday() for w in weekdays} for d in numbered):
            return None
        return _first_of_range(numbered | relative)
    dates = weekdays | relative
    if not dates and _CLOCK.search(date_text):
        # "at 13h", "a partir das 13h": a time with no day is the day of publication.
        return anchor
    return _first_of_range(dates)


# Backward -1, forward +1, nearest 0.
_DIRECTIONS = {
    EventStatus.HELD: -1,
    EventStatus.PLANNED: 1,
    EventStatus.UNCLEAR: -1,
    EventStatus.CANCELLED: -1,
}
_CLOCK = re.compile(r"(?<!\d)[0-2]?\d(?::[0-5]\d|h(?:[0-5]\d)?\b)|\d\s*時|\d\s*[点點]")


def _weekday_dates(
    text: str, anchor: dt.date, direction: int, words: date_words.Vocabulary
) -> tuple[set[dt.date], list[int]]:
    """Dates of the weekdays named in `text`, and where each weekday word ends."""
    dates: set[dt.date] = set()
    ends: list[int] = []
    if words.weekday_pattern is None:
        return dates, ends
    last_week = _LAST_WEEK.search(text) is not None
    strictly_before = {m.group(1).lower() for m in _LAST_WEEKDAY.finditer(text)}
    for m in words.weekday_pattern.finditer(text):
        name = date_words.matched_word(m)
        weekday = words.weekdays[name]
        ends.append(m.end())
        if last_week:
            monday = anchor - dt.timedelta(days=anchor.weekday())
            dates.add(monday - dt.timedelta(days=7) + dt.timedelta(days=weekday))
            continue
        if direction > 0:
            dates.add(anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7))
            continue
        back = (anchor.weekday() - weekday) % 7
        if back == 0 and name in strictly_before:
            back = 7
        dates.add(anchor - dt.timedelta(days=back))
    return dates, ends


def _relative_dates(
    text: str, anchor: dt.date, words: date_words.Vocabulary
) -> tuple[set[dt.date], list[int]]:
    """Dates of "yesterday", "вчера", "hoy", "昨日"..., and where each word ends."""
    dates: set[dt.date] = set()
    ends: list[int] = []
    for pattern, offset in _RELATIVE_DAYS:
        # Keep "yesterday" out of "the day before yesterday" once that has matched.
        for m in pattern.finditer(text):
            dates.add(anchor + dt.timedelta(days=offset))
            ends.append(m.end())
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    if words.day_pattern is not None:
        for m in words.day_pattern.finditer(text):
            dates.add(anchor + dt.timedelta(days=words.days[date_words.matched_word(m)]))
            ends.append(m.end())
    return dates, ends


def _year_offsets(text: str, words: date_words.Vocabulary) -> set[int]:
    """Years named relative to the anchor: "last year" -1, "昨年" -1, "明年" +1."""
    if words.year_pattern is None:
        return set()
    return {words.years[date_words.matched_word(m)] for m in words.year_pattern.finditer(text)}


def _month_day_dates(
    found: list[MonthDay], anchor: dt.date, direction: int, years: set[int]
) -> set[dt.date]:
    """Day-and-month dates placed in a year: the one the text names ("昨年"), else the one
    the direction gives, else the one nearest the anchor."""
    dates: set[dt.date] = set()
    for md in found:
        if len(years) == 1:
            year_options = [anchor.year + next(iter(years))]
        else:
            year_options = [anchor.year - 1, anchor.year, anchor.year + 1]
        options = [
            d for year in year_options if (d := make_date(year, md.month, md.day)) is not None
        ]
        chosen = _pick(options, anchor, direction if len(years) != 1 else 0)
        if chosen is not None:
            dates.add(chosen)
    return dates


def _day_date(day: int, anchor: dt.date, direction: int) -> dt.date | None:
    """The date with this day of the month in the anchor's month or a month beside it."""
    options = []
    for months_away in (-1, 0, 1):
        month_index = anchor.year * 12 + anchor.month - 1 + months_away
        date = make_date(month_index // 12, month_index % 12 + 1, day)
        if date is not None:
            options.append(date)
    return _pick(options, anchor, direction)


def _pick(options: list[dt.date], anchor: dt.date, direction: int) -> dt.date | None:
    if direction < 0:
        options = [d for d in options if d <= anchor]
        return max(options) if options else None
    if direction > 0:
        options = [d for d in options if d >= anchor]
        return min(options) if options else None
    return min(options, key=lambda d: abs((d - anchor).days)) if options else None
