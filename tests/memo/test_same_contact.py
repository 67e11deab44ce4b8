# ruff: noqa: E501  (the texts are quoted whole, as the pages give them)
"""An undated report that matches a dated one on type, participants and place is noted as
possibly the same contact (issue 24): two real reports of the first Modi-Xi meeting in five
years, in Kazan, from the `pages` search (excerpts verbatim, with their URLs)."""

from __future__ import annotations

import datetime as dt

from memo_briefs import Article

from summarize.core.brief import Brief, EventStatus, EventType
from summarize.memo.build import build_memo
from summarize.memo.render import render_memo

HT_URL = "https://www.hindustantimes.com/world-news/brics-summit-2024-live-updates-kazan-russia-pm-narendra-modi-xi-jinping-putin-latest-news-october-23-101729671329810.html"
HT = """ date 2024-10-23 BRICS Summit 2024 live updates: Prime Minister Narendra Modi and Chinese President Xi Jinping are set to hold their first bilateral talks in 5 years on the sidelines of the BRICS summit today in Russia's Kazan. This comes after both India and China took significant steps to ease the border dispute between the neighbouring countries....Read More"""

NEWSX_URL = "https://www.newsx.com/india/pm-modi-and-xi-jimpings-bilateral-meeting-live/"
NEWSX = """Prime Minister Narendra Modi held a bilateral meeting with Chinese President Xi Jinping, emphasizing the importance of India-China relations for global peace and stability. During the BRICS Summit, he urged nations to unite against terrorism and discussed the Russia-Ukraine conflict with President Putin, expressing India’s readiness to assist in finding a peaceful resolution.
Arriving in Kazan, Russia, for the 16th BRICS Summit, Modi highlighted India’s commitment to cooperation within the bloc and the role of BRICS in addressing key global challenges, including climate change and economic collaboration."""


def _dated() -> Brief:
    a = Article("ht_modi_xi", HT)
    event = a.event(
        1,
        EventType.SUMMIT_SIDELINE,
        dt.date(2024, 10, 23),
        [
            a.who("Narendra Modi", "Prime Minister Narendra Modi", "Prime Minister", "India"),
            a.who("Xi Jinping", "Chinese President Xi Jinping", "President", "China"),
        ],
        ["India-China border"],
        date_text="today",
        location="Kazan",
        summary="Modi and Xi to hold their first bilateral talks in five years in Kazan.",
    ).model_copy(update={"status": EventStatus.PLANNED})
    return a.brief(
        [event],
        outlet="Hindustan Times",
        headline=None,
        published=dt.date(2024, 10, 23),
        url=HT_URL,
    )


def _undated() -> Brief:
    a = Article("newsx_modi_xi", NEWSX)
    event = a.event(
        1,
        EventType.SUMMIT_SIDELINE,
        None,
        [
            a.who("Narendra Modi", "Prime Minister Narendra Modi", "Prime Minister", "India"),
            a.who("Xi Jinping", "Chinese President Xi Jinping", "President", "China"),
        ],
        ["India-China relations"],
        location="Kazan, Russia",
        summary="Modi held a bilateral meeting with Xi at the BRICS summit.",
    ).model_copy(update={"status": EventStatus.HELD})
    # The excerpt carries no publication date: the merge rules cannot join it.
    return a.brief([event], outlet="NewsX", headline=None, published=None, url=NEWSX_URL)


def test_an_undated_report_of_a_dated_contact_says_it_may_be_it() -> None:
    view = build_memo([_dated(), _undated()])
    assert view.n_events == 2
    dated, undated = view.events
    assert undated.undated and undated.possibly_same is not None
    assert undated.possibly_same[0] == dated.id == "E1"
    assert dated.possibly_same is None
    row = next(r for r in view.timeline if r.undated)
    assert row.date_note is not None and row.date_note.endswith("possibly the same contact as E1")
    for fmt in ("md", "html"):
        assert "possibly the same contact as" in render_memo([_dated(), _undated()], fmt)


def test_no_note_when_the_place_differs_or_is_not_stated() -> None:
    other = _undated()
    event = other.events[0].model_copy(update={"location": None})
    view = build_memo([_dated(), other.model_copy(update={"events": [event]})])
    assert all(v.possibly_same is None for v in view.events)
