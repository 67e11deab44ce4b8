"""Twenty briefs reviewed by keyboard alone in a real Chromium: from the index to the worst
brief, then on each one accept an item, re-point an item's evidence to a selection, add one
from a selection, reject one (and sometimes undo it), mark it reviewed and go on to the next.

The text selections are made as a DOM range with no mouse event (what Shift+arrow keys make
in caret browsing); every action is a key press. Nothing here is timed: bench/review_keys.py
measures the same loop.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from review_runs import corpus_run, serving
from test_review_browser import CHROMIUM, CHROMIUM_ARGS, shown_again

from summarize.core.brief import Brief

COUNT = 20

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
    ),
]

# Selects article characters [start, end) (code points, as the server counts) with no mouse.
SELECT = """([start, end]) => {
  const spans = Array.from(document.querySelectorAll('#text [data-s]'));
  function at(offset) {
    for (const span of spans) {
      const chars = Array.from(span.firstChild.data);
      const s = Number(span.dataset.s);
      if (offset >= s && offset <= s + chars.length) {
        return [span.firstChild, chars.slice(0, offset - s).join('').length];
      }
    }
  }
  const range = document.createRange();
  range.setStart(...at(start));
  range.setEnd(...at(end));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


def name_span(text: str, brief: Brief) -> tuple[int, int]:
    """Where the article first writes a participant's name (or its longest part)."""
    for event in brief.events:
        for p in event.participants:
            for said in [p.name, p.short_name, *sorted(p.name.split(), key=len, reverse=True)]:
                if said and len(said) > 2 and said in text:
                    start = text.index(said)
                    return start, start + len(said)
    raise AssertionError(f"no participant of {brief.article_id} is written in its text")


def focused(page: Any) -> str:
    return str(page.locator("#brief .focus").get_attribute("data-item"))


def test_twenty_briefs_reviewed_by_keyboard_alone(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    out = corpus_run(tmp_path, COUNT)
    manifest = json.loads((out / "run.json").read_text())["articles"]
    files = {a["id"]: Path(a["file"]) for a in manifest}
    briefs = {
        aid: Brief.model_validate_json((out / "briefs" / f"{aid}.json").read_bytes())
        for aid in files
    }
    errors: list[str] = []
    did: dict[str, dict[str, Any]] = {}
    with serving(out) as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            def key(name: str) -> None:
                with shown_again(page):
                    page.keyboard.press(name)

            page.goto(url)
            page.keyboard.press("j")
            assert page.locator("tr.row.focus").count() == 1
            key("w")  # the worst first
            for n in range(COUNT):
                aid = page.locator("#review").get_attribute("data-article")
                assert aid in files and aid not in did, aid
                text = files[aid].read_text(encoding="utf-8")
                brief = briefs[aid]
                record: dict[str, Any] = {}

                # Accept the first participant.
                page.keyboard.press("j")
                page.keyboard.press("j")
                first = focused(page)
                assert first == "events[0].participants[0]", first
                key("a")
                assert focused(page) == first
                assert "checked" in (page.locator("#brief .focus").get_attribute("class") or "")

                # Re-point its evidence to where the article names it.
                start, end = name_span(text, brief)
                page.evaluate(SELECT, [start, end])
                key("e")
                quote = page.locator("#brief .focus .quote").first.inner_text()
                assert quote.endswith(text[start:end]), (quote, text[start:end])
                record["pointed"] = (start, end)

                # Add the same words as a new item: participant, outcome or follow-up.
                kinds = ["participants", "outcomes", "follow_ups"]
                kind = kinds[n % 3]
                page.evaluate(SELECT, [start, end])
                if kind == "outcomes":
                    page.keyboard.press("2")  # the form asks who stated it
                    page.keyboard.type("the ministry")
                    key("Enter")
                else:
                    key("1" if kind == "participants" else "3")
                added = len(getattr(brief.events[0], kind)) + 1
                assert page.locator(f'[data-item="events[0].{kind}[{added - 1}]"]').count() == 1
                record["added"] = kind

                # Reject the item after the accepted one; every fourth brief, undo that.
                page.keyboard.press("j")
                rejected = focused(page)
                assert rejected != "events[0]" and rejected.startswith("events[0].")
                key("x")
                record["rejected"] = rejected
                if n % 4 == 0:
                    key("u")
                    assert page.locator(f'[data-item="{rejected}"]').count() == 1
                    record["undone"] = True

                # Mark reviewed: on to the next needing review.
                key("r")
                did[aid] = record
            assert page.url.rstrip("/").endswith("done=1")
        finally:
            browser.close()

    assert errors == []
    assert len(did) == COUNT
    for aid, record in did.items():
        review = json.loads((out / "reviews" / f"{aid}.json").read_text(encoding="utf-8"))
        assert review["reviewed"] is True, aid
        ops = [c["op"] for c in review["corrections"]]
        expected = ["check", "point", "add"] + ([] if record.get("undone") else ["delete"])
        assert ops == expected, (aid, ops)
        event = review["brief"]["events"][0]
        start, end = record["pointed"]
        assert event["participants"][0]["evidence"]["start"] == start
        assert event["participants"][0]["evidence"]["end"] == end
        added = event[record["added"]][-1] if record["added"] != "participants" else None
        if added is not None:
            assert added["evidence"]["start"] == start
        assert re.fullmatch(r"events\[0\]\.\w+(\[\d+\])?", record["rejected"])
