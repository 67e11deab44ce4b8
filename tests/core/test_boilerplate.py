"""Cutting trailing web boilerplate, and never article prose."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarize.core.boilerplate import article_end

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("prefix", "last_paragraph_end", "removed"),
    [
        (
            "000",
            "visiting the Russian city of St. Petersburg for the G-20 meeting in September.",
            ["Article online:", "Editorial office and responsibility:", "Reg. No. 7442619"],
        ),
        (
            "002",
            "Victoria Nulland, special envoy for the talks with Kiev.",
            ["Add new comment", "human visitor", "Enter the characters shown in the image."],
        ),
        (
            "003",
            "leaders spent the bulk of their meeting discussing Syria.",
            ["7695 views", "Поделиться:", "Print:"],
        ),
        (
            "004",
            "conflict between Azerbaijan and Armenian-backed separatists, the White House "
            "statement said.",
            ["Share", "2 min read", "Sign up now", "Download our apps", "Ricardo Gonçalves"],
        ),
    ],
)
def test_seed_boilerplate_is_cut_after_the_last_paragraph(
    prefix: str, last_paragraph_end: str, removed: list[str]
) -> None:
    text = seed(prefix)
    end = article_end(text)
    body, rest = text[:end], text[end:]
    assert body.rstrip().endswith(last_paragraph_end)
    assert body.endswith("\n")  # cut at a line boundary
    for chrome in removed:
        assert chrome not in body
        assert chrome in rest
    # Nothing of the article is in the cut part: it starts with blank lines, then chrome.
    assert rest.lstrip().startswith(removed[0])


def test_seed_001_ends_with_its_last_paragraph_and_is_kept_whole() -> None:
    # Its page chrome ("Comments() Print Mail ...") sits in the head, not at the end.
    text = seed("001")
    assert text.rstrip().endswith("Russia is opposed to any threat of sanctions against Syria.")
    assert article_end(text) == len(text)


ARTICLE = (
    "Putin, Obama discuss Syria\n\n"
    "Russian President Vladimir Putin and US President Barack Obama discussed Syria by "
    "telephone on Wednesday, the Kremlin said in a statement after the call.\n\n"
    "Both leaders agreed to share intelligence on militant groups and to keep their foreign "
    "ministers in close contact, according to the readouts from both sides.\n\n"
    "They share concerns.\n"
)


def test_article_without_boilerplate_is_untouched() -> None:
    assert article_end(ARTICLE) == len(ARTICLE)
    assert article_end(ARTICLE.rstrip("\n")) == len(ARTICLE.rstrip("\n"))


def test_empty_text() -> None:
    assert article_end("") == 0


def test_share_inside_prose_is_never_a_cut_point() -> None:
    text = ARTICLE + "\nShare\nPrint\n"
    end = article_end(text)
    assert text[:end] == ARTICLE
    assert "agreed to share intelligence" in text[:end]


def test_inline_share_button_above_the_last_paragraph_is_not_a_cut() -> None:
    text = (
        "Headline\n\nA long first paragraph about the phone call between the two presidents, "
        "which the Kremlin described as constructive and businesslike.\n\nShare\n\n"
        "The leaders agreed to speak again after the summit in June.\n"
    )
    assert article_end(text) == len(text)


def test_long_paragraph_after_a_marker_stops_the_cut() -> None:
    text = (
        "Headline\n\nShare\n\n"
        "A paragraph of real reporting that follows a share button placed near the top of "
        "the page, long enough to be article prose rather than page furniture.\n"
    )
    assert article_end(text) == len(text)


def test_boilerplate_only_text_is_not_emptied() -> None:
    text = "Share\nPrint\n7695 views\n"
    assert article_end(text) == len(text)


def test_cut_keeps_short_last_paragraph_before_boilerplate() -> None:
    text = ARTICLE + "\n\nAdd new comment\n\nThis question is for testing whether or not you"
    text += " are a human visitor and to prevent automated spam submissions.\n"
    assert text[: article_end(text)] == ARTICLE


def test_crlf_free_text_without_trailing_newline() -> None:
    text = ARTICLE + "\nSubscribe"
    assert text[: article_end(text)] == ARTICLE


# --- properties ---------------------------------------------------------------------------

VOCABULARY = [
    "share", "print", "comments", "views", "published", "source", "the", "talks",
    "minister", "Syria", "Kremlin", "agreed", "and", "sign", "up", "now", "download",
    "apps", "newsletter", "read", "more", "email", "subscribe", "privacy",
]  # fmt: skip
SUBJECTS = ["The minister said", "Officials noted that", "According to the Kremlin,"]

sentences = st.builds(
    lambda subject, words: f"{subject} {' '.join(words)}.",
    st.sampled_from(SUBJECTS),
    st.lists(st.sampled_from(VOCABULARY), min_size=5, max_size=40),
)
paragraphs = st.lists(sentences, min_size=1, max_size=4).map(" ".join)
articles = st.lists(paragraphs, min_size=1, max_size=6).map(
    lambda ps: "Headline of the story\n\n" + "\n\n".join(ps) + "\n"
)
TAILS = [
    "\nShare\nPrint\n",
    "\nArticle online:\n\n<https://example.org/a.html>\n\nExemption from liability:\n",
    "\nAdd new comment\n\nEnter the characters shown in the image.",
    "\n\n7695 views\n" + "Поделиться" + ":\nPrint:",
    "\n\nShare\n2 min read\n\nPublished\n\nSource: AAP\n\nDownload our apps\nSBS News\n",
]


@given(articles)
def test_prose_full_of_marker_words_is_never_cut(article: str) -> None:
    assert article_end(article) == len(article)


@given(articles, st.sampled_from(TAILS))
def test_known_tails_are_cut_exactly(article: str, tail: str) -> None:
    assert article_end(article + tail) == len(article)


@given(st.text(max_size=500))
def test_cut_is_a_line_boundary_within_the_text(text: str) -> None:
    end = article_end(text)
    assert 0 <= end <= len(text)
    assert end in (0, len(text)) or text[end - 1] == "\n"
