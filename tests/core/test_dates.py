"""Publication dates from article heads, and event dates resolved against them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarize.core.dates import find_publication_date, parse_date, resolve_date

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- publication dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "written", "date"),
    [
        ("000", "03.03.2013, 07:25", dt.date(2013, 3, 3)),
        ("001", "2012-07-19 08:02", dt.date(2012, 7, 19)),
        ("002", "15 July 2016", dt.date(2016, 7, 15)),
    ],
)
def test_seed_publication_dates(prefix: str, written: str, date: dt.date) -> None:
    text = seed(prefix)
    assert find_publication_date(text) == (written, date)
    assert written in text


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_seeds_without_a_dateline_have_no_publication_date(prefix: str) -> None:
    assert find_publication_date(seed(prefix)) is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Headline\n\nJuly 15, 2016\n\nBody.", ("July 15, 2016", dt.date(2016, 7, 15))),
        (
            "Headline\nPosted on 1 May 2016 at 10:02\nBody.",
            ("1 May 2016 at 10:02", dt.date(2016, 5, 1)),
        ),
        ("Headline\nMonday, 5 September 2016\n", ("5 September 2016", dt.date(2016, 9, 5))),
        ("T\n2016-07-15T10:00:00+03:00\n", ("2016-07-15T10:00:00+03:00", dt.date(2016, 7, 15))),
        ("Заголовок\n15 июля 2016 года\n", ("15 июля 2016", dt.date(2016, 7, 15))),
        ("Titel\n15. Juli 2016, 10:00 Uhr\n", ("15. Juli 2016, 10:00", dt.date(2016, 7, 15))),
        ("Headline\n13/04/2013\n", ("13/04/2013", dt.date(2013, 4, 13))),
        (
            "Headline\nMOSCOW, July 15, 2016 (Reuters) - Russian President Vladimir Putin met "
            "U.S. Secretary of State John Kerry for talks on Syria on Friday.",
            ("July 15, 2016", dt.date(2016, 7, 15)),
        ),
    ],
)
def test_dateline_forms(head: str, expected: tuple[str, dt.date]) -> None:
    assert find_publication_date(head) == expected


def test_published_label_beats_updated_label() -> None:
    head = "Headline\nUpdated: 3 May 2016 09:00\nPublished: 1 May 2016\nBody text."
    assert find_publication_date(head) == ("1 May 2016", dt.date(2016, 5, 1))


def test_label_on_the_line_before() -> None:
    head = "Headline\nDate of publication:\n2 June 2015\n\nBody."
    assert find_publication_date(head) == ("2 June 2015", dt.date(2015, 6, 2))


@pytest.mark.parametrize(
    "head",
    [
        # no year: not enough
        "Headline\n\nMoscow, Jul 15 (Prensa Latina) Putin met Kerry.",
        # a date inside prose is an event date, not the publication date
        "Headline\n\nObama agreed to hold a bilateral meeting during the G8 summit in Northern "
        "Ireland on June 17, 2013, the Kremlin said in its statement about the call.",
        # two different unlabelled dates: which one is the publication date is unknown
        "Headline\n12 May 2016\n\nBody.\n\n14 May 2016\n",
        # 03/04/2013 may be March 4 or April 3
        "Headline\n03/04/2013\n",
        # impossible dates
        "Headline\n31.02.2013\n",
        "",
    ],
)
def test_no_reliable_publication_date(head: str) -> None:
    assert find_publication_date(head) is None


def test_only_the_head_is_searched() -> None:
    body = "\n".join(f"Paragraph {i} of the article, reporting what happened." for i in range(30))
    assert find_publication_date(f"Headline\n{body}\n15 July 2016\n") is None
    assert find_publication_date(f"Headline\n15 July 2016\n{body}\n") is not None


# --- resolving event dates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "anchor", "expected"),
    [
        ("on Wednesday", dt.date(2012, 7, 19), dt.date(2012, 7, 18)),
        ("Friday's phone conversation", dt.date(2013, 3, 3), dt.date(2013, 3, 1)),
        ("last night", dt.date(2016, 7, 15), dt.date(2016, 7, 14)),
        ("met Monday", dt.date(2016, 9, 6), dt.date(2016, 9, 5)),
        ("on Friday", dt.date(2016, 7, 15), dt.date(2016, 7, 15)),  # same weekday: that day
        ("yesterday", dt.date(2016, 3, 1), dt.date(2016, 2, 29)),
        ("late yesterday evening", dt.date(2016, 1, 1), dt.date(2015, 12, 31)),
        ("the day before yesterday", dt.date(2012, 7, 19), dt.date(2012, 7, 17)),
        ("today", dt.date(2012, 7, 19), dt.date(2012, 7, 19)),
        ("this morning", dt.date(2012, 7, 19), dt.date(2012, 7, 19)),
        ("earlier today", dt.date(2012, 7, 19), dt.date(2012, 7, 19)),
        ("tomorrow", dt.date(2012, 7, 19), dt.date(2012, 7, 20)),
        ("last Thursday", dt.date(2012, 7, 19), dt.date(2012, 7, 12)),
        ("Wednesday last week", dt.date(2012, 7, 19), dt.date(2012, 7, 11)),
        ("earlier this week, on Tuesday", dt.date(2012, 7, 19), dt.date(2012, 7, 17)),
        ("on June 17", dt.date(2013, 3, 3), dt.date(2013, 6, 17)),
        ("on June 17 and June 18", dt.date(2013, 3, 3), dt.date(2013, 6, 17)),
        ("on December 30", dt.date(2013, 1, 2), dt.date(2012, 12, 30)),
    ],
)
def test_relative_dates(written: str, anchor: dt.date, expected: dt.date) -> None:
    assert resolve_date(written, anchor) == expected


@pytest.mark.parametrize(
    "written",
    [
        "earlier this week",
        "recently",
        "last month",
        "last week",
        "in the coming days",
        "next Friday",
        "the following Monday",
        "in June",
        "on 1 March or on 1 June",  # too far apart to be a range
        "",
        "   ",
    ],
)
def test_vague_dates_resolve_to_nothing(written: str) -> None:
    assert resolve_date(written, dt.date(2012, 7, 19)) is None


def test_none_resolves_to_none() -> None:
    assert resolve_date(None, dt.date(2012, 7, 19)) is None


@pytest.mark.parametrize("written", ["on Wednesday", "yesterday", "today", "on June 17"])
def test_relative_dates_need_an_anchor(written: str) -> None:
    assert resolve_date(written, None) is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("on June 17, 2013", dt.date(2013, 6, 17)),
        ("June 17-18, 2013", dt.date(2013, 6, 17)),
        ("17 and 18 June 2013", dt.date(2013, 6, 17)),
        ("Wednesday, July 18, 2012", dt.date(2012, 7, 18)),
        ("Fri, 15 Jul 2016 10:00:00 +0000", dt.date(2016, 7, 15)),
        ("03.03.2013", dt.date(2013, 3, 3)),
    ],
)
def test_full_dates_need_no_anchor(written: str, expected: dt.date) -> None:
    assert resolve_date(written, None) == expected
    # An anchor does not move a date written in full.
    assert resolve_date(written, dt.date(2020, 1, 1)) == expected


def test_dates_far_apart_are_not_a_range() -> None:
    assert parse_date("between 1 March 2013 and 1 June 2013") is None


# --- properties ---------------------------------------------------------------------------

anchors = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))


@given(anchors, st.sampled_from(WEEKDAYS), st.sampled_from(["on {}", "{}'s call", "met {}"]))
def test_weekday_resolves_to_that_weekday_within_the_week_before(
    anchor: dt.date, name: str, template: str
) -> None:
    resolved = resolve_date(template.format(name), anchor)
    assert resolved is not None
    assert 0 <= (anchor - resolved).days <= 6
    assert resolved.weekday() == WEEKDAYS.index(name)


@given(anchors)
def test_yesterday_and_today(anchor: dt.date) -> None:
    assert resolve_date("yesterday", anchor) == anchor - dt.timedelta(days=1)
    assert resolve_date("last night", anchor) == anchor - dt.timedelta(days=1)
    assert resolve_date("today", anchor) == anchor


def _formats() -> list[Callable[[dt.date], str]]:
    return [
        lambda d: d.isoformat(),
        lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
        lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
        lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
        lambda d: f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year}",
    ]


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(_formats()),
    st.sampled_from(["Updated: {} 08:02", "{}", "-, {}, 07:25 Time", "Published {}"]),
)
def test_written_dates_round_trip(date: dt.date, fmt: Callable[[dt.date], str], line: str) -> None:
    written = fmt(date)
    text = f"A headline about talks\n\n{line.format(written)}\n\nThe article body follows here."
    found = find_publication_date(text)
    assert found is not None
    assert found[1] == date
    assert found[0] in text
    assert found[0].startswith(written)
    assert resolve_date(f"on {written}", None) == date


@given(st.text(max_size=400))
def test_find_never_raises_and_returns_text_from_the_article(text: str) -> None:
    found = find_publication_date(text)
    if found is not None:
        assert found[0] in text


@given(st.text(max_size=200), st.none() | anchors)
def test_resolve_never_raises_and_stays_near_the_anchor(text: str, anchor: dt.date | None) -> None:
    resolved = resolve_date(text, anchor)
    if resolved is not None and anchor is not None and parse_date(text) is None:
        # Without a full date, only relative words and day-month dates resolve: all near.
        assert abs((resolved - anchor).days) <= 366
