"""A page summarize wrote (a memo, an eval report) opened from disk in Debian's chromium,
with what it logged as errors and every request it made: such a page must run offline and
fetch nothing but itself. Shared by the browser tests of files (the review app's tests
drive a live server and open their own pages)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A test module's pytestmark: a browser test (CI fails it if it skips: tests/ci_honesty.py),
# skipped, saying why, where chromium is not installed.
NEEDS_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
    ),
]


@dataclass
class Opened:
    page: Any  # playwright's sync Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@contextmanager
def opened(url: str, *, width: int, height: int) -> Iterator[Opened]:
    """The page at `url`, loaded; console errors, page errors and failed requests are
    collected in `errors`, every request in `requests`. The browser closes after."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            seen = Opened(page)
            page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen.errors.append(str(e)))
            page.on("request", lambda r: seen.requests.append(r.url))
            page.on("requestfailed", lambda r: seen.errors.append(f"failed: {r.url}"))
            page.goto(url, wait_until="load")
            yield seen
        finally:
            browser.close()
