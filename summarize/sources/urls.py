"""Telling URLs from paths, a text file that lists URLs from an article, and URLs fit to
store or show (no credentials)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from summarize.settings import url_without_credentials

# `user:password@` (or `user@`) after a scheme, in text that may not parse as a URL (a typo'd
# line of a URL list, an error message that quotes one).
_USERINFO = re.compile(r"(?<=//)[^/\s@?#]*@")


def is_url(text: str) -> bool:
    """Whether `text` is one http(s) URL with a host (and nothing else)."""
    if not text or any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed port or IPv6 address
        return False


def without_credentials(text: str) -> str:
    """`text` (a URL, or a line or message holding some) with no `user:password@` in it:
    what is stored, logged or shown. The URL as given is used only for its request."""
    if is_url(text):
        with contextlib.suppress(ValueError):
            text = url_without_credentials(text)
    return _USERINFO.sub("", text)


@dataclass(frozen=True)
class UrlList:
    """A URL list, line by line: the URLs to fetch and the lines that are no URL (each with
    its line number), which are reported and skipped."""

    urls: list[str] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.urls) + len(self.bad)


def url_list(text: str) -> UrlList | None:
    """The URLs a text lists, or None when it is an article.

    Judged line by line (blank lines and `#` comments aside): a list when every line is one
    word and some are URLs, or when at least two lines are URLs and they are most of the
    lines. So one typo among a hundred URLs is reported, not the list sent to the model as an
    article; a capture that opens with its URL and goes on with the text stays an article.
    """
    listed = [
        (number, line.strip())
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]
    urls = [line for _, line in listed if is_url(line)]
    one_word = all(not any(c.isspace() for c in line) for _, line in listed)
    if not urls or not (one_word or (len(urls) >= 2 and 2 * len(urls) > len(listed))):
        return None
    bad = [(number, line) for number, line in listed if not is_url(line)]
    return UrlList(urls, bad)
