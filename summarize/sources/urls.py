"""Telling URLs from paths, and a text file that lists URLs from an article."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_url(text: str) -> bool:
    """Whether `text` is one http(s) URL with a host (and nothing else)."""
    if not text or any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed port or IPv6 address
        return False


def url_list(text: str) -> list[str] | None:
    """The URLs a text lists, when every line that is not blank or a `#` comment is one URL;
    else None (it is an article)."""
    lines = [line.strip() for line in text.split("\n")]
    listed = [line for line in lines if line and not line.startswith("#")]
    if not listed or not all(map(is_url, listed)):
        return None
    return listed
