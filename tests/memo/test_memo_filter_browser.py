"""The HTML memo's filter box and charts in a real headless Chromium (issue 25): filtering by
one leader shows exactly that leader's events; the script runs under the page's content
security policy; nothing is fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from large_folder import corpus_copies
from offline_page import NEEDS_CHROMIUM, opened

from summarize.memo.load import write_memo
from summarize.memo.merging import merge_briefs

pytestmark = NEEDS_CHROMIUM

VISIBLE_ROWS = "#timeline tbody tr:not([hidden])"
VISIBLE_EVENTS = "article.event:not([hidden])"


def visible(page: Any, selector: str) -> int:
    return int(
        page.eval_on_selector_all(
            selector, "els => els.filter(e => e.offsetParent !== null).length"
        )
    )


def test_filter_by_one_leader_shows_only_their_events(tmp_path: Path) -> None:
    briefs = corpus_copies(26 * 4)
    events = merge_briefs(briefs)
    with_putin = [e for e in events if any(p.name == "Vladimir Putin" for p in e.participants)]
    russia_calls = [
        e
        for e in events
        if e.event_type.value == "phone_call"
        and any(p.affiliation == "Russia" for p in e.participants)
    ]
    assert 0 < len(with_putin) < len(events) and russia_calls
    memo = tmp_path / "memo.html"
    write_memo(briefs, memo, fmt=None, title="Corpus, four rounds", as_of=None)
    url = memo.resolve().as_uri()

    with opened(url, width=1100, height=900) as seen:
        page = seen.page
        assert page.locator("#event-filter").is_visible(), "the script did not run"
        total_rows = visible(page, VISIBLE_ROWS)

        page.fill("#event-filter input[name=actor]", "putin")
        putin_rows = visible(page, VISIBLE_ROWS)
        putin_events = visible(page, VISIBLE_EVENTS)
        status = page.locator("#filter-status").inner_text()
        # Typed as the Russian articles write him: the same events.
        page.fill("#event-filter input[name=actor]", "Путин")
        cyrillic_rows = visible(page, VISIBLE_ROWS)

        page.fill("#event-filter input[name=actor]", "")
        page.select_option("#event-filter select[name=country]", "Russia")
        page.select_option("#event-filter select[name=type]", "phone_call")
        calls = visible(page, VISIBLE_EVENTS)
        page.fill("#event-filter input[name=from]", "2016-01-01")
        page.fill("#event-filter input[name=to]", "2016-12-31")
        calls_2016 = visible(page, VISIBLE_EVENTS)

        page.click("#event-filter button[type=reset]")
        page.wait_for_function(
            "document.getElementById('filter-status').textContent.startsWith('Showing all')"
        )
        after_reset = visible(page, VISIBLE_ROWS)
        charts = page.locator("#overview svg[role=img]").count()
        bars = page.locator("#overview svg.chart-time rect.bar").count()
        page.emulate_media(media="print")
        form_in_print = page.locator("#event-filter").is_visible()
        charts_in_print = page.locator("#overview svg.chart-time").is_visible()

    assert seen.errors == []
    assert seen.requests == [url]
    assert total_rows == len(events)
    assert putin_rows == putin_events == len(with_putin)
    assert status == f"Showing {len(with_putin)} of {len(events)} events."
    assert cyrillic_rows == len(with_putin)
    assert calls == len(russia_calls)
    in_2016 = [e for e in russia_calls if e.date and e.date.year == 2016]
    assert calls_2016 == len(in_2016)
    assert after_reset == len(events)
    assert charts == 2 and bars >= 10
    assert not form_in_print and charts_in_print
