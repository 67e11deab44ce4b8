"""What counts as a URL, and as a file that lists URLs rather than an article."""

from __future__ import annotations

import pytest

from summarize.sources.urls import UrlList, is_url, url_list, without_credentials


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
    assert url_list(text) == UrlList(["https://a.example/1", "https://b.example/2"])


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


def test_a_list_with_a_typo_is_still_a_list_and_the_typo_is_reported() -> None:
    urls = [f"https://news.example/2024/{n:03d}" for n in range(100)]
    lines = [*urls[:50], "htps://news.example/2024/typo", *urls[50:]]
    found = url_list("\n".join(lines) + "\n")
    assert found is not None
    assert found.urls == urls
    assert found.bad == [(51, "htps://news.example/2024/typo")]


@pytest.mark.parametrize(
    "bad",
    [
        "news.example/2024/no-scheme",
        "https://news.example/2024/a b",  # a space in it
        "see https://news.example/2024/x",
        "ftp://news.example/file",
    ],
)
def test_any_bad_line_among_urls_is_reported_not_read_as_an_article(bad: str) -> None:
    text = f"https://a.example/1\n{bad}\nhttps://a.example/2\nhttps://a.example/3\n"
    found = url_list(text)
    assert found is not None
    assert found.urls == ["https://a.example/1", "https://a.example/2", "https://a.example/3"]
    assert found.bad == [(2, bad)]


def test_a_capture_that_opens_with_its_url_is_an_article() -> None:
    capture = (
        "https://vesti.ru/article/4222670\n"
        "Sueddeutsche Zeitung: Шольц и Путин проговорили около часа\n\n"
        "Президент России Владимир Путин и канцлер Германии Олаф Шольц говорили по телефону "
        "около часа.\n"
    )
    assert url_list(capture) is None


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://user:pw-123@a.example/x", "https://a.example/x"),
        ("https://token@a.example/x?q=1", "https://a.example/x?q=1"),
        ("htps://user:pw-123@a.example/x", "htps://a.example/x"),
        (
            "failed: http://u:p@h.example:8080/v1 refused",
            "failed: http://h.example:8080/v1 refused",
        ),
        ("https://a.example/x", "https://a.example/x"),
    ],
)
def test_credentials_are_taken_out_of_urls_and_text(text: str, shown: str) -> None:
    assert without_credentials(text) == shown
