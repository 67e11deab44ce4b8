"""How long each keyboard action of the review app takes, key press to the next page ready.

    python bench/review_keys.py [--briefs 20] [--json raw.json]

Reviews `--briefs` corpus articles (their hand annotations stand in for model briefs, as in
tests/review/test_review_keyboard.py) in Debian's chromium, by keys only: accept an item,
re-point its evidence, add a participant from a selection, reject an item, undo, mark
reviewed. Each action is timed from the key press until the page shows the server's answer
(every action saves, then fetches the page and replaces its <main>), which is all the time
the app adds to the analyst's key press: the request, the server's work, the new page's
layout. A full reload of an article page is timed after, for comparison. Reports the
medians; the target is <= 150 ms per action. Measures and reports only: it never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "review")]

from review_runs import corpus_run, serving  # noqa: E402
from test_review_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from test_review_keyboard import SELECT, name_span  # noqa: E402

from summarize.core.brief import Brief  # noqa: E402

TARGET_MS = 150.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--briefs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {}
    server: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = corpus_run(Path(tmp), args.briefs)
        files = {
            a["id"]: Path(a["file"]) for a in json.loads((out / "run.json").read_text())["articles"]
        }
        with serving(out) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # Each request's round trip (sent to answer read): the server's share of an action.
            trips: list[float] = []

            def finished(request: Any) -> None:
                t = request.timing
                if t["responseEnd"] >= 0 and t["requestStart"] >= 0:
                    trips.append(t["responseEnd"] - t["requestStart"])

            page.on("requestfinished", finished)

            def timed(name: str, key: str) -> None:
                before = page.evaluate("document.documentElement.dataset.shown")
                trips.clear()
                started = time.perf_counter()
                page.keyboard.press(key)
                # Polled at each animation frame: done when the new page can be painted.
                page.wait_for_function(
                    "n => document.documentElement.dataset.shown !== n", arg=before
                )
                times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
                server.append(sum(trips))

            def reload() -> None:
                started = time.perf_counter()
                page.reload(wait_until="load")
                times.setdefault("full reload", []).append((time.perf_counter() - started) * 1000)

            page.goto(url)
            timed("next worst (index)", "w")
            for _ in range(args.briefs):
                aid = str(page.locator("#review").get_attribute("data-article"))
                text = files[aid].read_text(encoding="utf-8")
                brief = Brief.model_validate_json((out / "briefs" / f"{aid}.json").read_bytes())
                page.keyboard.press("j")
                page.keyboard.press("j")
                timed("accept", "a")
                start, end = name_span(text, brief)
                page.evaluate(SELECT, [start, end])
                timed("re-point", "e")
                page.evaluate(SELECT, [start, end])
                timed("add participant", "1")
                page.keyboard.press("j")
                timed("reject", "x")
                timed("undo", "u")
                timed("mark reviewed, next", "r")
            page.goto(f"{url}article/{aid}")
            for _ in range(args.briefs):
                reload()
            browser.close()

    actions = [t for name, ts in times.items() if name != "full reload" for t in ts]
    report: dict[str, Any] = {
        name: {"n": len(ts), "median_ms": round(statistics.median(ts), 1)}
        for name, ts in times.items()
    }
    overall = statistics.median(actions)
    print(f"review keyboard actions over {args.briefs} briefs (key press -> next page loaded)")
    for name, r in report.items():
        print(f"  {name:24} n={r['n']:3}  median {r['median_ms']:7.1f} ms")
    print(
        f"  all actions              n={len(actions):3}  median {overall:7.1f} ms "
        f"(target <= {TARGET_MS:.0f} ms: {'met' if overall <= TARGET_MS else 'NOT met'})"
    )
    trip = statistics.median(server)
    print(f"  of which request round trips (server work)  median {trip:7.1f} ms")
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.json:
        raw = {"actions": times, "round_trips": server, "summary": report}
        args.json.write_text(json.dumps(raw, indent=2))


if __name__ == "__main__":
    main()
