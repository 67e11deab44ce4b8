"""What counts as a URL, and as a file that lists URLs rather than an article."""

from __future__ import annotations

import pytest

from summarize.sources.urls import is_url, url_list


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.reuters.com/world/2021/09/14/story/", True),
        ("HTTP://example.org", True),
        ("http://127.0.0.1:8080/a.html?x=1#top", True),
        ("ftp://example.org/file", False),
        ("https://", False),
        ("example.org/news", False),
        ("https://example.org/a b", False),
        ("http://[::1", False),
        ("", False),
    ],
)
def test_is_url(text: str, expected: bool) -> None:
    assert is_url(text) is expected


def test_a_list_of_urls_with_comments_and_blank_lines() -> None:
    text = "# readouts\n\nhttps://a.example/1\n  https://b.example/2  \n# done\n"
    assert url_list(text) == ["https://a.example/1", "https://b.example/2"]


@pytest.mark.parametrize(
    "text",
    [
        "https://a.example/1\nMinister Berg met envoy Moos on Monday.\n",  # a URL line, then text
        "# only a comment\n\n",
        "",
    ],
)
def test_anything_else_is_not_a_url_list(text: str) -> None:
    assert url_list(text) is None
