"""End to end in a real Chromium: open a run, correct a participant, add an outcome by
selecting its text, mark the brief reviewed, rerun `summarize run`, and find the correction
in the review app and in the memo."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from review_runs import (
    RECORDINGS,
    SEED_CALL,
    SEED_MEETING,
    article_id,
    cli,
    cli_process,
    seed_run,
    serving,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
QUOTE = 'a deal with the US to "ease tensions in Syria" may come "within a few days,"'

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
    ),
]

# Selects article characters [start, end) (code points, as the server counts) the way a
# mouse would: a DOM range over the text nodes of the page's segments, then mouseup.
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
  document.getElementById('text').dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""


@contextmanager
def shown_again(page: Any) -> Iterator[None]:
    """Wait until the page has shown the server's answer to what the block did (each saved
    action shows the page again, in place or as the next article)."""
    before = page.evaluate("document.documentElement.dataset.shown")
    yield
    page.wait_for_function("n => document.documentElement.dataset.shown !== n", arg=before)


def test_correct_add_by_selection_mark_reviewed_rerun_and_memo(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    out = seed_run(tmp_path)
    meeting, call = article_id(out, SEED_MEETING), article_id(out, SEED_CALL)
    text = (tmp_path / "articles" / f"{SEED_MEETING}.txt").read_text(encoding="utf-8")
    start = text.index(QUOTE)
    model = json.loads((out / "briefs" / f"{meeting}.json").read_text())
    new_outcome = f'.item[data-item="events[0].outcomes[{len(model["events"][0]["outcomes"])}]"]'
    errors: list[str] = []
    requests: list[str] = []
    with serving(out) as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            assert page.locator("tr.row").count() == 2
            page.screenshot(path=str(tmp_path / "index.png"))
            page.click(f'tr[data-id="{meeting}"] a.open')
            page.wait_for_url(f"**/article/{meeting}")

            # Evidence and fields, both ways.
            item = page.locator('.item[data-item="events[0].participants[0]"]')
            item.locator(".itemhead .kind").click()  # the head also holds its buttons
            assert page.locator("#text .ev.on").count() >= 1
            page.locator(".item.on").first.evaluate("e => e.classList.remove('on')")
            page.locator("#text .ev").first.click()
            assert page.locator('.item.on[data-item="events[0].participants[0]"]').count() == 1

            # Correct a participant.
            name = page.locator('[data-path="events[0].participants[0].name"]')
            name.fill("Vladimir Putin")
            with shown_again(page):
                name.press("Tab")
            assert name.input_value() == "Vladimir Putin"

            # Add an outcome by selecting its text.
            page.evaluate(SELECT, [start, start + len(QUOTE)])
            form = page.locator("#add")
            assert form.is_visible()
            assert page.locator("#selected").inner_text() == QUOTE
            page.select_option("#add-kind", "outcomes")
            fields = form.locator('.kindfields[data-kind="outcomes"]')
            fields.locator('[data-field="kind"]').select_option("claimed")
            fields.locator('[data-field="stated_by"]').fill("Putin")
            with shown_again(page):
                form.locator("#add-submit").click()
            added = page.locator(new_outcome)
            assert added.locator(".quote").inner_text().endswith(QUOTE)
            page.screenshot(path=str(tmp_path / "article.png"), full_page=True)

            # Mark reviewed from the keyboard: on to the next article not reviewed.
            page.locator("h1").click()
            with shown_again(page):
                page.keyboard.press("r")
            assert page.url.endswith(f"/article/{call}")

            # A model rerun remakes every brief and leaves the review as it was.
            rerun = cli_process(
                "run",
                tmp_path / "articles",
                "--replay",
                "--recordings",
                RECORDINGS,
                "--out",
                out,
                "--force",
            )
            assert rerun.returncode == 0, rerun.stderr
            assert "2 done" in rerun.stderr
            page.goto(f"{url}article/{meeting}")
            assert page.locator("#state").inner_text() == "reviewed"
            shown = page.locator('[data-path="events[0].participants[0].name"]').input_value()
            assert shown == "Vladimir Putin"
            assert page.locator(new_outcome).count() == 1
        finally:
            browser.close()

    assert errors == []
    assert all(r.startswith(url) for r in requests), "the page fetches nothing from elsewhere"
    review: dict[str, Any] = json.loads((out / "reviews" / f"{meeting}.json").read_text())
    assert review["reviewed"] is True and review["reviewed_by"] == "Test Reviewer"
    assert [c["op"] for c in review["corrections"]] == ["set", "add"]
    outcome = review["brief"]["events"][0]["outcomes"][-1]
    evidence = outcome["evidence"]
    span = evidence[0] if isinstance(evidence, list) else evidence
    assert text[span["start"] : span["end"]] == span["quote"] == QUOTE
    assert outcome["statement"] == QUOTE and outcome["stated_by"] == "Putin"

    memo = tmp_path / "memo.md"
    result = cli("memo", out, "--out", memo)
    assert result.exit_code == 0, result.output
    written = memo.read_text(encoding="utf-8")
    assert "Vladimir Putin" in written
    assert "**1** of 2 articles reviewed" in written
    assert "*✓ reviewed*" in written
    assert "ease tensions in Syria" in written
