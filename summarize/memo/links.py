"""Links in the memo: which URLs may be linked, and the anchors events are linked by."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

from summarize.memo.events import MergedEvent
from summarize.memo.wording import event_heading

# An event's anchors: (HTML id, GitHub's Markdown heading anchor).
Anchors = dict[str, tuple[str, str]]
# Whitespace (as `str.isspace` has it: `re` uses the same table) and control characters.
_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")


# Every note of an article links its URL: checked once per URL, not once per note.
@lru_cache(maxsize=65536)
def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link; anything else (javascript:, data:) is not linked."""
    if url is None:
        return None
    url = url.strip()
    if not url or _BLANK_OR_CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (lowercase, punctuation dropped)."""
    kept = [
        c for c in heading.lower() if c in " -_" or unicodedata.category(c)[0] in ("L", "M", "N")
    ]
    return "".join(kept).replace(" ", "-")


def event_anchors(events: Sequence[MergedEvent]) -> Anchors:
    """Each event's anchors by event id."""
    return {e.id: (e.id.lower(), github_slug(event_heading(e))) for e in events}
