"""Names and dates on real articles in languages beyond the main corpus's eight
(fixtures/corpus-languages: Arabic, Korean, Turkish, Polish, Italian, Ukrainian, Persian,
Hindi, Japanese kana), against the hand annotation in its manifest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from summarize.core.brief import EventStatus
from summarize.core.dates import resolve_date
from summarize.core.grounding import ArticleText, supports

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus-languages"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
ARTICLES: list[dict[str, Any]] = MANIFEST["articles"]


def _text(article: dict[str, Any]) -> ArticleText:
    capture = (CORPUS / article["dir"] / "capture.txt").read_text(encoding="utf-8")
    return ArticleText(capture.split("\n", 1)[1])


def _sentence_with(text: ArticleText, written: str) -> int:
    for number in range(1, len(text.sentences) + 1):
        if written in text.sentence(number):
            return number
    raise AssertionError(f"no sentence holds {written!r}")


PARTICIPANTS = [
    pytest.param(a, p, id=f"{a['dir'][:5]}-{p['name']}")
    for a in ARTICLES
    for e in a["events"]
    for p in e["participants"]
]
ABSENT = [
    pytest.param(a, name, id=f"{a['dir'][:5]}-{name}") for a in ARTICLES for name in a["absent"]
]
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
        capture = (CORPUS / article["dir"] / "capture.txt").read_text(encoding="utf-8")
        url, text = capture.split("\n", 1)
        assert url.startswith(("http://", "https://"))
        for event in article["events"]:
            assert event["date_text"] in text
            assert all(p["written"] in text for p in event["participants"])


@pytest.mark.parametrize(("article", "person"), PARTICIPANTS)
def test_a_participant_named_in_another_script_or_case_is_supported(
    article: dict[str, Any], person: dict[str, str]
) -> None:
    text = _text(article)
    evidence = text.cite([_sentence_with(text, person["written"])])
    assert evidence is not None
    assert supports(evidence, person["name"]), (person, evidence.quote)


@pytest.mark.parametrize(("article", "name"), ABSENT)
def test_a_leader_the_article_never_names_is_still_weak(article: dict[str, Any], name: str) -> None:
    text = _text(article)
    everything = text.cite(list(range(1, len(text.sentences) + 1)))
    assert everything is not None
    assert not supports(everything, name)


@pytest.mark.parametrize(("article", "event"), DATED)
def test_dates_resolve_in_the_article_language(
    article: dict[str, Any], event: dict[str, Any]
) -> None:
    anchor = dt.date.fromisoformat(article["published_date"])
    status = EventStatus(event["status"])
    expected = dt.date.fromisoformat(event["date"]) if event["date"] else None
    text = _text(article).text
    assert resolve_date(event["date_text"], anchor, status, context=text) == expected
    # The date as written alone is enough: its words are read in every language.
    assert resolve_date(event["date_text"], anchor, status) == expected


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
        ("きょう", EventStatus.HELD, dt.date(2025, 10, 6)),
        ("きのう", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("あす", EventStatus.PLANNED, dt.date(2025, 10, 7)),
        ("vczora", EventStatus.HELD, None),
        ("вчора", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("у п’ятницю", EventStatus.HELD, dt.date(2025, 10, 3)),
        ("دیروز", EventStatus.HELD, dt.date(2025, 10, 5)),
        ("پنج‌شنبه", EventStatus.PLANNED, dt.date(2025, 10, 9)),
        ("शुक्रवार को", EventStatus.HELD, dt.date(2025, 10, 3)),
        ("आज", EventStatus.HELD, dt.date(2025, 10, 6)),
        ("ieri", EventStatus.HELD, dt.date(2025, 10, 5)),
    ],
)
def test_relative_days_and_weekdays_beyond_the_corpus_languages(
    written: str, status: EventStatus, expected: dt.date | None
) -> None:
    monday = dt.date(2025, 10, 6)
    assert resolve_date(written, monday, status) == expected
