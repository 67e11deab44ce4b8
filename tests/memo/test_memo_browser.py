"""The HTML memo in a real headless Chromium: renders, has its sections, fetches nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from memo_briefs import Article, golden_briefs, moscow_2013_call, wire_2013_call
from offline_page import NEEDS_CHROMIUM, opened

from summarize.core.brief import Brief, EventType
from summarize.memo.load import write_memo

SECTION_IDS = [
    "bluf",
    "timeline",
    "events",
    "divergent-accounts",
    "open-follow-ups",
    "whos-who",
    "sources",
    "evidence",
]

pytestmark = NEEDS_CHROMIUM


def hostile_brief() -> Brief:
    """Markup that would run or fetch something if the memo failed to escape it."""
    text = "Putin and Obama spoke by phone on Monday about Syria.\n"
    a = Article("hostile-browser", text)
    return a.brief(
        [
            a.event(
                1,
                EventType.PHONE_CALL,
                dt.date(2016, 9, 12),
                [a.who("Putin", "Putin"), a.who("Obama", "Obama")],
                ["Syria"],
            )
        ],
        outlet='<img src="http://127.0.0.1:9/pixel.png">',
        headline='<script>console.error("escaped script ran")</script>',
        published=dt.date(2016, 9, 13),
    )


def test_html_memo_renders_in_chromium_without_errors_or_requests(tmp_path: Path) -> None:
    memo = tmp_path / "memo.html"
    briefs = [*golden_briefs(), wire_2013_call(), moscow_2013_call(), hostile_brief()]
    write_memo(briefs, memo, fmt=None, title="US-Russia contacts", as_of=None)
    url = memo.resolve().as_uri()

    with opened(url, width=1100, height=900) as seen:
        page = seen.page

        headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
        present = page.eval_on_selector_all("section[id]", "els => els.map(e => e.id)")
        events = page.locator("article.event").count()
        side_tables = page.locator("table.sides").count()
        overdue = page.locator("#open-follow-ups .badge-overdue").count()
        headline_text = page.locator("#sources table").inner_text()
        height = page.evaluate("document.documentElement.scrollHeight")
        shot = tmp_path / "memo.png"
        page.screenshot(path=str(shot), full_page=True)
        page.emulate_media(media="print")
        toc_in_print = page.locator("nav.toc").is_visible()

    assert seen.errors == []
    assert seen.requests == [url], "the memo must not fetch anything but itself"
    for section in SECTION_IDS:
        assert section in present
    assert "Bottom line up front" in headings and "Divergent accounts" in headings
    # Golden seeds are five events; the 2013 call gains two outlets, plus the hostile call.
    assert events == 6
    assert side_tables >= 3
    assert overdue >= 1
    assert '<script>console.error("escaped script ran")</script>' in headline_text
    assert height > 2000
    assert shot.stat().st_size > 50_000
    assert not toc_in_print
