"""Names and dates on real articles in languages beyond the main corpus's eight
(fixtures/corpus-languages: Arabic, Korean, Turkish, Polish, Italian, Ukrainian, Persian,
Hindi, Japanese kana), against the hand annotation in its manifest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import language_corpus as corpus
import pytest

from summarize.core.brief import EventStatus
from summarize.core.dates import resolve_date
from summarize.core.names import names

MANIFEST = corpus.manifest()
ARTICLES: list[dict[str, Any]] = MANIFEST["articles"]
PARTICIPANTS = [
    pytest.param(a, p, id=f"{a['dir'][:5]}-{p['name']}")
    for a in ARTICLES
    for e in a["events"]
    for p in e["participants"]
]
ABSENT = [pytest.param(a, n, id=f"{a['dir'][:5]}-{n}") for a in ARTICLES for n in a["absent"]]
DATED = [
    pytest.param(a, e, id=f"{a['dir'][:5]}-{e['date_text']}")
    for a in ARTICLES
    for e in a["events"]
    if a["published_date"]
]


def test_the_manifest_is_a_hand_annotation_of_real_pages() -> None:
    assert MANIFEST["provenance"]["kind"] == "hand_annotation"
    languages = {a["language"] for a in ARTICLES}
    assert {"ar", "ko", "tr", "pl", "it", "uk", "fa", "hi"} <= languages
    for article in ARTICLES:
        url, text = corpus.capture(article)
        assert url.startswith(("http://", "https://"))
        for event in article["events"]:
            assert event["date_text"] in text
            assert all(p["written"] in text for p in event["participants"])


@pytest.mark.parametrize(("article", "person"), PARTICIPANTS)
def test_a_participant_named_in_another_script_or_case_is_supported(
    article: dict[str, Any], person: dict[str, str]
) -> None:
    assert corpus.named(article, person), person


@pytest.mark.parametrize(("article", "name"), ABSENT)
def test_a_leader_the_article_never_names_is_still_weak(article: dict[str, Any], name: str) -> None:
    assert not corpus.named_anywhere(article, name)


@pytest.mark.parametrize(("article", "event"), DATED)
def test_dates_resolve_in_the_article_language(
    article: dict[str, Any], event: dict[str, Any]
) -> None:
    assert corpus.resolved(article, event) == corpus.expected(event)
    # The date as written alone is enough: its words are read in every language.
    assert corpus.resolved(article, event, with_context=False) == corpus.expected(event)


@pytest.mark.parametrize(
    ("written", "status", "expected"),
    [
        ("bugün", EventStatus.HELD, dt.date(2025, 10, 6)),
        ("dün", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("cuma günü", EventStatus.HELD, dt.date(2025, 10, 3)),
        ("오늘", EventStatus.HELD, dt.date(2025, 10, 6)),
        ("어제", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("수요일에", EventStatus.PLANNED, dt.date(2025, 10, 8)),
        ("14일", EventStatus.PLANNED, dt.date(2025, 10, 14)),
        ("9월 21일", EventStatus.HELD, dt.date(2025, 9, 21)),
        ("اليوم", EventStatus.HELD, dt.date(2025, 10, 6)),
        ("أمس", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("يوم الخميس", EventStatus.PLANNED, dt.date(2025, 10, 9)),
        ("dzisiaj", EventStatus.HELD, dt.date(2025, 10, 6)),
        ("wczoraj", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("w piątek", EventStatus.HELD, dt.date(2025, 10, 3)),
        ("28 czerwca", EventStatus.PLANNED, dt.date(2026, 6, 28)),
        ("きょう", EventStatus.HELD, dt.date(2025, 10, 6)),
        ("きのう", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("あす", EventStatus.PLANNED, dt.date(2025, 10, 7)),
        ("вчора", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("у п\u2019ятницю", EventStatus.HELD, dt.date(2025, 10, 3)),
        ("دیروز", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("پنج\u200cشنبه", EventStatus.PLANNED, dt.date(2025, 10, 9)),
        ("शुक्रवार को", EventStatus.HELD, dt.date(2025, 10, 3)),
        ("आज", EventStatus.HELD, dt.date(2025, 10, 6)),
        ("ieri", EventStatus.HELD, dt.date(2025, 10, 5)),
        # words that name no day stay unresolved in every language
        ("vczora", EventStatus.HELD, None),
        ("bu hafta", EventStatus.HELD, None),
        ("w przyszłym tygodniu", EventStatus.PLANNED, None),
    ],
)
def test_relative_days_and_weekdays_beyond_the_corpus_languages(
    written: str, status: EventStatus, expected: dt.date | None
) -> None:
    monday = dt.date(2025, 10, 6)
    assert resolve_date(written, monday, status) == expected


def test_a_word_languages_of_one_script_read_differently_is_read_in_the_article_language() -> None:
    # "listopada" is November in Polish and October in Croatian: only the article's language
    # (identified from its text) can say which.
    polish = next(a for a in ARTICLES if a["language"] == "pl")
    context = corpus.capture(polish)[1]
    june = dt.date(2022, 6, 8)
    assert resolve_date("12 listopada", june, EventStatus.PLANNED, context=context) == dt.date(
        2022, 11, 12
    )


def test_a_surname_followed_by_a_capitalised_title_is_still_the_person() -> None:
    # From a real arrivals list (tests/articles/arab_league_summit_arrivals.txt): the word
    # after a surname is often a title, which must not make the surname a namesake's.
    listing = (
        "Mohammad Al Gergawi, Minister of Cabinet Affairs and The Future; Sultan Al Mansouri, "
        "Minister of Economy; Reem Al Hashimy, Minister of State for International Co-operation"
    )
    for name in ("Mohammad Al Gergawi", "Sultan Al Mansouri", "Reem Al Hashimy"):
        assert names([listing], name), name
    assert not names([listing], "Mohammad Bin Salman")


@pytest.mark.parametrize(
    ("text", "name"),
    # The short name a brief gives ("Xi") is checked as the name is.
    [("Xi's visit to Moscow", "Xi"), ("Erdoğan'ı aradı", "Recep Tayyip Erdoğan")],
)
def test_a_name_before_an_apostrophe_suffix_is_named(text: str, name: str) -> None:
    assert names([text], name)
    assert not names(["the axis's end"], "Xi")
