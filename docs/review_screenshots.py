"""Re-take the README's screenshots of `summarize review` (docs/review-*.png).

    python docs/review_screenshots.py

Replays the five seed articles from fixtures/recordings (real recorded model answers) into a
temporary run folder, opens the review app in Debian's chromium, makes a few corrections by
keys (accept, re-point, add from a selection) and shoots the triage index, an article page
and the keys overlay.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "review")]

from review_runs import SEED_MEETING, article_id, seed_run, serving  # noqa: E402
from test_review_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from test_review_keyboard import SELECT  # noqa: E402

DOCS = ROOT / "docs"
WAIT = "n => document.documentElement.dataset.shown !== n"


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        seeds = tuple(p.stem for p in sorted((ROOT / "seeds").glob("*.txt")))
        out = seed_run(Path(tmp), seeds=seeds)
        meeting = article_id(out, SEED_MEETING)
        text = (Path(tmp) / "articles" / f"{SEED_MEETING}.txt").read_text(encoding="utf-8")
        with serving(out, "J. Analyst") as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})

            def key(name: str) -> None:
                before = page.evaluate("document.documentElement.dataset.shown")
                page.keyboard.press(name)
                page.wait_for_function(WAIT, arg=before)

            page.goto(f"{url}article/{meeting}")
            page.keyboard.press("j")
            page.keyboard.press("j")
            start = text.index("Lavrov")
            page.evaluate(SELECT, [start, start + len("Lavrov")])
            key("e")  # Lavrov's evidence, re-pointed to where the article names him
            key("a")
            quote = "Obama and Putin failed to agree on Syria"
            start = text.index(quote)
            page.evaluate(SELECT, [start, start + len(quote)])
            page.keyboard.press("2")
            page.keyboard.type("Reuters")
            key("Enter")
            page.evaluate("window.getSelection().removeAllRanges(); window.scrollTo(0, 0)")
            page.screenshot(path=str(DOCS / "review-article.png"))
            page.keyboard.press("?")
            page.screenshot(path=str(DOCS / "review-keys.png"))
            page.goto(f"{url}?sort=worst")
            page.keyboard.press("j")
            page.screenshot(path=str(DOCS / "review-index.png"), full_page=True)
            browser.close()


if __name__ == "__main__":
    main()
