"""Links: GitHub's heading anchors, and only plain http(s) URLs linked."""

from __future__ import annotations

import pytest

from summarize.memo.links import github_slug, safe_url


def test_github_slug_follows_githubs_heading_anchor_rule() -> None:
    assert (
        github_slug("E1 \u00b7 Phone call \u00b7 Wed 18 Jul 2012")
        == "e1--phone-call--wed-18-jul-2012"
    )
    assert github_slug("Who's who") == "whos-who"
    assert github_slug("Open follow-ups") == "open-follow-ups"


@pytest.mark.parametrize(
    "url",
    ["https://tass.com/politics/1", "http://example.org/a?b=c#d", " https://x.org/padded "],
)
def test_plain_web_links_are_kept(url: str) -> None:
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://x.org/a b",
        "https://x.org/\x07",
        "https://",
        "//x.org/no-scheme",
        "https://[::1",
    ],
)
def test_anything_else_is_not_linked(url: str | None) -> None:
    assert safe_url(url) is None
