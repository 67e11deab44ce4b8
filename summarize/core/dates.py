"""Publication dates from page chrome, and event dates resolved against them (pure).

News text dates events relative to the day it was published ("on Wednesday", "Friday's
call"). `find_publication_date` reads the anchor from the article's head; `resolve_date`
turns a date as written into a calendar date. Both return None rather than guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Month names as they appear in datelines of the outlets we read: English, Spanish, German,
# French and Russian (genitive, as in "15 июля 2016").
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan enero januar jänner janvier января",
        "february feb febrero februar février fevrier февраля",
        "march mar marzo märz maerz mars марта",
        "april apr abril avril апреля",
        "may mayo mai мая",
        "june jun junio juni juin июня",
        "july jul julio juli juillet июля",
        "august aug agosto août aout августа",
        "september sep sept septiembre setiembre septembre сентября",
        "october oct octubre oktober octobre октября",
        "november nov noviembre novembre ноября",
        "december dec diciembre dezember décembre decembre декабря",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# A range's second day ("June 17-18", "17 and 18 June") is matched and ignored: the range
# resolves to its first day.
_RANGE_END = r"(?:\s*(?:-|\u2013|\u2014|/|and|to|y|und|et|и)\s*[0-3]?\d(?:st|nd|rd|th)?)?"

# Full dates: every field written out, no anchor needed.
_FULL_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # 2012-07-19, 2012/07/19 (year first is never ambiguous)
        r"(?<![\d.\-/])" + _YEAR + r"(?P<sep>[-/.])(?P<month_n>[01]?\d)(?P=sep)"
        r"(?P<day>[0-3]?\d)(?!\d)",
        # 03.03.2013: dotted dates are day.month.year
        r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month_n>[01]?\d)\.(?P<year>(?:19|20)\d\d)(?![\d.]\d)",
        # 15 July 2016, 15. Juli 2016, 15 de julio de 2016, 17-18 June 2013
        r"(?<!\w)"
        + _DAY
        + _RANGE_END
        + r"\.?\s+(?:de\s+|of\s+)?"
        + _MONTH
        + r"\.?,?\s+(?:de\s+)?"
        + _YEAR
        + r"(?!\d)",
        # July 15, 2016, Jul. 15 2016, June 17-18, 2013
        r"(?<!\w)" + _MONTH + r"\.?\s+" + _DAY + _RANGE_END + r",?\s+" + _YEAR + r"(?!\d)",
        # 19/07/2012 or 07/19/2012: only when the order is unambiguous
        r"(?<![\d/])(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/" + _YEAR + r"(?![\d/])",
    )
)

# Day and month without a year: resolvable only near an anchor.
_PARTIAL_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?<!\w)" + _MONTH + r"\.?\s+" + _DAY + _RANGE_END + r"(?![\w:])",
        r"(?<!\w)" + _DAY + _RANGE_END + r"\.?\s+(?:de\s+|of\s+)?" + _MONTH + r"(?!\w)",
    )
)

# A time written right after a date belongs to the publication stamp as written.
_TIME = re.compile(
    r"(?:T|,?\s+(?:at\s+|um\s+|a\s+las\s+|à\s+|в\s+)?)\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?"
    r"(?:\s?[ap]\.?m\.?)?(?:\s?(?:Z|[+-]\d\d:?\d\d|UTC|GMT|CET|CEST|MSK))?(?![\w:])",
    re.IGNORECASE,
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)

_PUBLISHED_LABEL = re.compile(
    r"\b(published|posted|first published|date|publication date|fecha|fecha de publicaci[oó]n"
    r"|publicado|ver[öo]ffentlicht|datum|publi[ée]|опубликовано|дата)\b",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    r"\b(updated|last updated|modified|last modified|actualizado|aktualisiert|mis à jour"
    r"|обновлено)\b",
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


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    date: dt.date


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_dates(text: str) -> list[_Found]:
    """Every date with day, month and year written out, left to right, without overlaps."""
    found: list[_Found] = []
    for pattern in _FULL_DATE_PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            year = int(groups["year"])
            if groups.get("first") is not None:
                first, second = int(groups["first"]), int(groups["second"])
                if first > 12 >= second:
                    date = _make_date(year, second, first)
                elif second > 12 >= first:
                    date = _make_date(year, first, second)
                elif first == second:
                    date = _make_date(year, first, first)
                else:
                    date = None
            else:
                month_text = groups.get("month")
                month = _MONTHS[month_text.lower()] if month_text else int(groups["month_n"])
                date = _make_date(year, month, int(groups["day"]))
            if date is not None:
                found.append(_Found(m.start(), m.end(), date))
    return _without_overlaps(found)


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    kept: list[_Found] = []
    # Longest first so "July 15, 2016" wins over a shorter reading inside it.
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept


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
    return _first_of_range({f.date for f in _full_dates(text)})


def _with_time(line: str, end: int) -> int:
    m = _TIME.match(line, end)
    return m.end() if m else end


def _chrome_words(text: str) -> int:
    return sum(1 for w in _WORD.findall(text) if w.lower() not in _CHROME_WORDS)


def find_publication_date(text: str) -> tuple[str, dt.date] | None:
    """The publication date in the article's head: (as written, date), or None.

    Only dates standing in page chrome count: a short line that is mostly the date
    ("Updated: 2012-07-19 08:02", "15 July 2016") or a dateline opening a paragraph
    ("MOSCOW, July 15, 2016 (Reuters) -"). A date inside prose may be any event's date.
    A "published" label beats an unlabelled date, which beats an "updated" one; two
    different dates of the same standing make the answer unknown.
    """
    lines = [line for line in text.split("\n") if line.strip()][:_HEAD_LINES]
    # rank: 0 labelled as published, 1 unlabelled, 2 labelled as updated
    candidates: list[tuple[int, str, dt.date]] = []
    for i, line in enumerate(lines):
        previous = lines[i - 1] if i else ""
        for f in _full_dates(line):
            end = _with_time(line, f.end)
            before, after = line[: f.start], line[end:]
            is_chrome = _chrome_words(before + " " + after) <= _MAX_CHROME_WORDS
            is_dateline = bool(_DATELINE_PREFIX.match(before) and _DATELINE_SUFFIX.match(after))
            if not (is_chrome or is_dateline):
                continue
            # A label may sit on the line before: "Fecha de publicación:" / "15 July 2016".
            label = before if before.strip(" \t-|,") else ""
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
            candidates.append((rank, line[f.start : end].strip(), f.date))
    if not candidates:
        return None
    best = min(rank for rank, _, _ in candidates)
    chosen = [(written, date) for rank, written, date in candidates if rank == best]
    if len({date for _, date in chosen}) > 1:
        return None
    return chosen[0]


def _partial_dates(text: str, anchor: dt.date) -> set[dt.date]:
    """Day-and-month dates placed in the year that puts them nearest the anchor."""
    dates: set[dt.date] = set()
    for pattern in _PARTIAL_DATE_PATTERNS:
        for m in pattern.finditer(text):
            month, day = _MONTHS[m.group("month").lower()], int(m.group("day"))
            options = [
                d
                for year in (anchor.year - 1, anchor.year, anchor.year + 1)
                if (d := _make_date(year, month, day)) is not None
            ]
            if options:
                dates.add(min(options, key=lambda d: abs((d - anchor).days)))
    return dates


def _weekday_dates(text: str, anchor: dt.date) -> set[dt.date]:
    dates: set[dt.date] = set()
    last_week = _LAST_WEEK.search(text) is not None
    strictly_before = {m.group(1).lower() for m in _LAST_WEEKDAY.finditer(text)}
    for m in _WEEKDAY.finditer(text):
        name = m.group(1).lower()
        weekday = _WEEKDAYS.index(name)
        if last_week:
            monday = anchor - dt.timedelta(days=anchor.weekday())
            dates.add(monday - dt.timedelta(days=7) + dt.timedelta(days=weekday))
            continue
        back = (anchor.weekday() - weekday) % 7
        if back == 0 and name in strictly_before:
            back = 7
        dates.add(anchor - dt.timedelta(days=back))
    return dates


def resolve_date(date_text: str | None, anchor: dt.date | None) -> dt.date | None:
    """The calendar date meant by `date_text`, read against the publication date `anchor`.

    Full dates need no anchor. Weekdays resolve to the latest such day on or before the
    anchor ("last Friday": strictly before; "Wednesday last week": in the week before);
    "yesterday" and "last night" to the day before; "today" and "this morning" to the
    anchor. Vague phrases ("earlier this week", "recently"), future weekdays ("next
    Friday") and relative phrases without an anchor give None.
    """
    if not date_text or not date_text.strip():
        return None
    if _full_dates(date_text):
        return parse_date(date_text)
    if anchor is None or _UNPLACEABLE.search(date_text):
        return None
    dates = _partial_dates(date_text, anchor) | _weekday_dates(date_text, anchor)
    for pattern, offset in _RELATIVE_DAYS:
        # Keep "yesterday" out of "the day before yesterday" once that has matched.
        if pattern.search(date_text):
            dates.add(anchor + dt.timedelta(days=offset))
            date_text = pattern.sub(" ", date_text)
    return _first_of_range(dates)
