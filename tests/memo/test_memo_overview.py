"""The HTML memo's overview (issue 25): contacts over time and pairs of leaders drawn from the
merged events, the filter's data, and a script the page's content security policy admits."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

from large_folder import corpus_briefs, corpus_copies

from summarize.memo.build import build_memo
from summarize.memo.merging import merge_briefs
from summarize.memo.overview import time_chart
from summarize.memo.render import render_view, script_hash


def test_time_chart_counts_every_dated_event_once() -> None:
    briefs = corpus_briefs()
    view = build_memo(briefs)
    assert view.overview is not None
    time = view.overview.time
    events = merge_briefs(briefs)
    dated = [e.date for e in events if e.date]
    assert sum(b.count for b in time.bars) == len(dated) == time.n_dated
    assert time.n_undated == len(events) - len(dated)
    # 2008-2026 is too long for months or quarters: one bar a year, empty years included.
    assert time.unit == "year"
    assert [b.label for b in time.bars] == [
        str(y) for y in range(min(dated).year, max(dated).year + 1)
    ]
    by_year = Counter(d.year for d in dated)
    assert [b.count for b in time.bars] == [by_year[int(b.label)] for b in time.bars]
    tallest = max(time.bars, key=lambda b: b.count)
    assert tallest.height == 150 and tallest.y == 0


def test_bins_follow_the_span_empty_ones_included() -> None:
    day = dt.date(2016, 1, 4)
    months = time_chart([day, day, day + dt.timedelta(days=70)], 2)
    assert months.unit == "month"
    assert [(b.label, b.count) for b in months.bars] == [
        ("Jan 2016", 2),
        ("Feb 2016", 0),
        ("Mar 2016", 1),
    ]
    assert "2 undated contacts are not shown" in months.description
    quarters = time_chart([day, dt.date(2020, 12, 31)], 0)
    assert quarters.unit == "quarter" and len(quarters.bars) == 20
    assert quarters.bars[0].label == "Q1 2016" and quarters.bars[-1].label == "Q4 2020"
    empty = time_chart([], 3)
    assert empty.bars == () and empty.n_undated == 3


def test_a_large_folder_keeps_the_chart_small() -> None:
    view = build_memo(corpus_copies(26 * 8))
    assert view.overview is not None
    assert len(view.overview.time.bars) <= 40
    assert len(view.overview.pairs) == 10


def test_pairs_are_the_leaders_who_meet_most_often() -> None:
    briefs = corpus_briefs()
    view = build_memo(briefs)
    assert view.overview is not None
    pairs = view.overview.pairs
    events = merge_briefs(briefs)
    together = Counter(
        tuple(sorted((a.name, b.name)))
        for e in events
        for i, a in enumerate(e.participants)
        for b in e.participants[i + 1 :]
        if a.name != b.name
    )
    assert pairs, "the corpus has events with two named participants"
    assert pairs[0].count == max(together.values())
    for p in pairs:
        assert together[(p.first, p.second)] == p.count
    assert [p.count for p in pairs] == sorted((p.count for p in pairs), reverse=True)
    names = {p.first for p in pairs} | {p.second for p in pairs}
    assert "Vladimir Putin" in names
    # The chart labels pairs by the short names the articles use, to fit long names.
    putin = next(p for p in pairs if "Vladimir Putin" in (p.first, p.second))
    assert "Putin" in putin.label and "Vladimir" not in putin.label


def test_filter_records_name_each_event_once_with_its_people_in_any_script() -> None:
    view = build_memo(corpus_briefs())
    assert view.overview is not None
    records = json.loads(view.overview.filter_json)
    assert [r["a"] for r in records] == [e.anchor for e in view.events]
    putin = [r for r in records if "putin" in r["n"]]
    assert putin and all(r["t"] in {t.value for t in view.overview.types} for r in putin)
    # Russian articles name him Путин: the Cyrillic form is searchable too.
    assert any("путин" in r["n"] for r in records)


def test_page_admits_its_one_script_by_hash_and_nothing_else() -> None:
    html = render_view(build_memo(corpus_briefs()), "html")
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 1
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None
    assert f"script-src '{script_hash(scripts[0])}'" in csp.group(1)
    assert "unsafe-inline'" not in csp.group(1).split("script-src")[1]


def test_filter_data_cannot_close_its_script_block() -> None:
    briefs = list(corpus_briefs())
    first = briefs[0]
    event = first.events[0]
    who = event.participants[0].model_copy(update={"name": "</script><script>alert(1)</script>"})
    hostile = first.model_copy(
        update={"events": [event.model_copy(update={"participants": [who]})]}
    )
    html = render_view(build_memo([hostile, *briefs[1:]]), "html")
    data = html.split('<script type="application/json" id="memo-filter-data">')[1]
    block = data.split("</script>")[0]
    assert "<" not in block
    assert any("</script><script>alert(1)</script>".lower() in r["n"] for r in json.loads(block))


def test_markdown_memo_has_no_script_or_chart() -> None:
    md = render_view(build_memo(corpus_briefs()), "md")
    assert "<script" not in md and "<svg" not in md


def test_as_of_date_does_not_change_the_overview() -> None:
    briefs = corpus_briefs()
    a = build_memo(briefs, as_of=dt.date(2030, 1, 1)).overview
    b = build_memo(briefs).overview
    assert a == b
