"""Dates as written in news text, found by pattern: full, day-and-month, day only (pure).

Month names come from dateparser's locale data (`date_words`), so the patterns are built
on first use. Digits may be full-width ("１１月２５日"): they are read as ASCII digits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from summarize.core.date_words import month_names, vocabulary

_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# A range's second day ("June 17-18", "17 and 18 June") is matched and ignored: the range
# resolves to its first day.
_RANGE_END = r"(?:\s*(?:-|\u2013|\u2014|/|and|to|y|und|et|и|e)\s*[0-3]?\d(?:st|nd|rd|th)?)?"
# Japanese era names in official datelines ("平成29年10月30日"): the year before each era's
# first year. Neither dateparser nor the standard library reads them.
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
# Korean writes the same numbered forms with its own syllables: 2024년 9월 6일.
_CJK_FULL = re.compile(
    r"(?:(?P<era>" + "|".join(_ERAS) + r")(?P<era_year>\d{1,2}|元)|" + _YEAR + r")\s*[年년]\s*"
    r"(?P<month_n>[01]?\d)\s*[月월]\s*(?P<day>[0-3]?\d)\s*[日일]"
)
# Not after a year ("2025年10月30日" is a full date), but after "昨年" (last year).
_CJK_MONTH_DAY = re.compile(
    r"(?<!\d)(?<!\d[年년])(?<!\d\s[年년])(?P<month_n>[01]?\d)\s*[月월]\s*(?P<day>[0-3]?\d)\s*[日号일]"
)
# "24日", "(24日)" (full-width brackets too), "6일": a day of the month alone, in Japanese,
# Chinese and Korean ("日本" and "일본" are Japan, not a day).
_CJK_DAY = re.compile(r"(?<![\d月월])(?<![\d月월]\s)(?P<day>[0-3]?\d)\s*(?:[日号](?!本)|일(?!본))")
# "(6)", "(23)", ", 22" after a weekday: how Portuguese and Spanish news give the day.
_PAREN_DAY = re.compile(r"\(\s*(?P<day>[0-3]?\d)\s*\)")
_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}  # full-width 0-9


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    date: dt.date


@dataclass(frozen=True)
class MonthDay:
    start: int
    month: int
    day: int


def ascii_digits(text: str) -> str:
    """`text` with full-width digits as ASCII ones; same length, so offsets still hold."""
    return text.translate(_FULLWIDTH)


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _months(languages: tuple[str, ...] | None) -> dict[str, int]:
    """Month names of `languages`, or of the usual Latin and Cyrillic ones when not given."""
    return vocabulary(languages).months if languages else month_names()


@cache
def _month_alternation(languages: tuple[str, ...] | None) -> str:
    names = sorted(_months(languages), key=len, reverse=True)
    return "(?P<month>" + "|".join(re.escape(n) for n in names) + ")"


@cache
def _full_patterns(languages: tuple[str, ...] | None = None) -> tuple[re.Pattern[str], ...]:
    month = _month_alternation(languages)
    return tuple(
        re.compile(p, re.IGNORECASE)
        for p in (
            # 2012-07-19, 2012/07/19 (year first is never ambiguous)
            r"(?<![\d.\-/])" + _YEAR + r"(?P<sep>[-/.])(?P<month_n>[01]?\d)(?P=sep)"
            r"(?P<day>[0-3]?\d)(?!\d)",
            # 03.03.2013: dotted dates are day.month.year
            r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month_n>[01]?\d)\.(?P<year>(?:19|20)\d\d)"
            r"(?![\d.]\d)",
            # 15 July 2016, 15. Juli 2016, 15 de julio de 2016, 17-18 June 2013
            r"(?<!\w)"
            + _DAY
            + _RANGE_END
            + r"\.?\s+(?:de\s+|of\s+)?"
            + month
            + r"\.?,?\s+(?:de\s+)?"
            + _YEAR
            + r"(?!\d)",
            # July 15, 2016, Jul. 15 2016, June 17-18, 2013
            r"(?<!\w)" + month + r"\.?\s+" + _DAY + _RANGE_END + r",?\s+" + _YEAR + r"(?!\d)",
            # 19/07/2012 or 07/19/2012: only when the order is known
            r"(?<![\d/])(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/" + _YEAR + r"(?![\d/])",
        )
    )


@cache
def _partial_patterns(languages: tuple[str, ...] | None = None) -> tuple[re.Pattern[str], ...]:
    month = _month_alternation(languages)
    return tuple(
        re.compile(p, re.IGNORECASE)
        for p in (
            r"(?<!\w)" + month + r"\.?\s+" + _DAY + _RANGE_END + r"(?![\w:])",
            r"(?<!\w)" + _DAY + _RANGE_END + r"\.?\s+(?:de\s+|of\s+)?" + month + r"(?!\w)",
        )
    )


def _slash_date(first: int, second: int, year: int, day_first: bool) -> dt.date | None:
    if first > 12 >= second:
        return make_date(year, second, first)
    if second > 12 >= first:
        return make_date(year, first, second)
    if first == second:
        return make_date(year, first, first)
    # 03/04/2013 is 3 April outside the United States, 4 March in it.
    return make_date(year, second, first) if day_first else None


def full_dates(
    text: str, *, day_first: bool = False, languages: tuple[str, ...] | None = None
) -> list[Found]:
    """Every date with day, month and year written out, left to right, without overlaps;
    month names are those of `languages` (default: the usual Latin and Cyrillic ones)."""
    text = ascii_digits(text)
    months = _months(languages)
    found: list[Found] = []
    for pattern in _full_patterns(languages):
        for m in pattern.finditer(text):
            groups = m.groupdict()
            year = int(groups["year"])
            if groups.get("first") is not None:
                date = _slash_date(int(groups["first"]), int(groups["second"]), year, day_first)
            else:
                month_text = groups.get("month")
                number = months[month_text.lower()] if month_text else None
                date = make_date(year, number or int(groups["month_n"]), int(groups["day"]))
            if date is not None:
                found.append(Found(m.start(), m.end(), date))
    for m in _CJK_FULL.finditer(text):
        if m.group("era"):
            era_year = m.group("era_year")
            year = _ERAS[m.group("era")] + (1 if era_year == "元" else int(era_year))
        else:
            year = int(m.group("year"))
        date = make_date(year, int(m.group("month_n")), int(m.group("day")))
        if date is not None:
            found.append(Found(m.start(), m.end(), date))
    return _without_overlaps(found)


def _without_overlaps(found: list[Found]) -> list[Found]:
    kept: list[Found] = []
    # Longest first so "July 15, 2016" wins over a shorter reading inside it.
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept


def month_days(text: str, languages: tuple[str, ...] | None = None) -> list[MonthDay]:
    """Day-and-month dates without a year: "June 17", "19 сентября", "10月30日"."""
    text = ascii_digits(text)
    months = _months(languages)
    out: list[MonthDay] = []
    for pattern in _partial_patterns(languages):
        for m in pattern.finditer(text):
            month = months[m.group("month").lower()]
            out.append(MonthDay(m.start(), month, int(m.group("day"))))
    for m in _CJK_MONTH_DAY.finditer(text):
        out.append(MonthDay(m.start(), int(m.group("month_n")), int(m.group("day"))))
    return out


def lone_days(text: str, after: list[int]) -> set[int]:
    """Days of the month written alone: "24日", "(6)", and ", 22" right after one of the
    offsets in `after` (where a weekday or "today" ends)."""
    text = ascii_digits(text)
    days = {int(m.group("day")) for m in _CJK_DAY.finditer(text)}
    days |= {int(m.group("day")) for m in _PAREN_DAY.finditer(text)}
    for end in after:
        m = re.match(r"\s*,\s*(?P<day>[0-3]?\d)(?![\d:h./])", text[end:])
        if m:
            days.add(int(m.group("day")))
    return {d for d in days if 1 <= d <= 31}
