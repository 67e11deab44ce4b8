"""The real-article corpus under fixtures/corpus is sound: every annotation is grounded in its text.

No model and no network: this reads the manifest and the capture files only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
MANIFEST = CORPUS / "manifest.json"

STATUSES = {"held", "planned", "cancelled", "unclear"}
EVENT_TYPES = {"phone_call", "meeting", "summit_sideline", "visit", "talks", "statement", "other"}
# Each article folder holds its capture and, when the source gave HTML, the page; nothing else.
ALLOWED_FILES = {"capture.txt", "page.html"}
MAX_BYTES = 5 * 1024 * 1024


def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def _articles() -> list[dict[str, Any]]:
    articles: list[dict[str, Any]] = _manifest()["articles"]
    return articles


def _capture(article: dict[str, Any]) -> str:
    return (CORPUS / article["dir"] / "capture.txt").read_text(encoding="utf-8")


def _ids(articles: list[dict[str, Any]]) -> list[str]:
    return [a["dir"] for a in articles]


ARTICLES = _articles()


def test_manifest_is_a_hand_annotation() -> None:
    provenance = _manifest()["provenance"]
    assert provenance["kind"] == "hand_annotation"
    assert provenance["annotator"].strip()
    assert provenance["note"].strip()


def test_at_least_six_languages_and_about_twenty_articles() -> None:
    languages = {a["language"] for a in ARTICLES}
    assert len(languages) >= 6, languages
    assert 15 <= len(ARTICLES) <= 40


def test_folders_are_unique_and_match_the_manifest() -> None:
    dirs = _ids(ARTICLES)
    assert len(dirs) == len(set(dirs))
    # golden/ holds the hand-annotated briefs of these articles (tests/corpus_goldens.py).
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_dir() and p.name != "golden"}
    assert on_disk == set(dirs)


def test_corpus_is_small() -> None:
    total = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert total < MAX_BYTES


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_article_folder_holds_its_capture(article: dict[str, Any]) -> None:
    folder = CORPUS / article["dir"]
    assert folder.is_dir()
    assert (folder / "capture.txt").is_file()
    assert {p.name for p in folder.iterdir()} <= ALLOWED_FILES
    assert (folder / "page.html").is_file() == bool(article["page_html"])
    assert re.fullmatch(r"\d{2}_[a-z]{2}_[a-z0-9_]+", article["dir"])
    assert article["dir"].split("_")[1] == article["language"]


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_url_is_http_and_heads_the_capture(article: dict[str, Any]) -> None:
    parts = urlsplit(article["url"])
    assert parts.scheme in {"http", "https"}
    assert parts.netloc
    assert _capture(article).split("\n", 1)[0] == article["url"]


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_publication_date_is_grounded(article: dict[str, Any]) -> None:
    assert article["outlet"].strip()
    if article["published_text"] is not None:
        assert article["published_text"] in _capture(article)
    if article["published_date"] is None:
        assert article["published_source"] is None
    else:
        dt.date.fromisoformat(article["published_date"])
        assert article["published_source"]


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_events_are_grounded_in_the_text(article: dict[str, Any]) -> None:
    text = _capture(article)
    assert article["events"], "every article reports at least one contact"
    for event in article["events"]:
        assert event["status"] in STATUSES
        assert event["event_type"] in EVENT_TYPES
        assert event["participants"]
        for name in event["participants"]:
            assert name in text, name
        if event["date_text"] is not None:
            assert event["date_text"] in text, event["date_text"]
        if event["date"] is not None:
            dt.date.fromisoformat(event["date"])
        # An initiator is recorded only where the text states one, with the words that state it.
        if event["initiator"] is None:
            assert event["initiator_quote"] is None
        else:
            assert event["initiator"] in text
            assert event["initiator_quote"] in text


def test_links_name_existing_events() -> None:
    by_dir = {a["dir"]: a for a in ARTICLES}
    links = _manifest()["links"]
    kinds = {link["kind"] for link in links}
    assert kinds <= {"same_contact", "planned_then_held"}
    assert "same_contact" in kinds
    for link in links:
        assert len(link["events"]) >= 2
        for ref in link["events"]:
            folder, index = ref.split("#")
            assert 0 <= int(index) < len(by_dir[folder]["events"])


def test_corpus_has_planned_contacts_and_same_contact_pairs() -> None:
    planned = [a for a in ARTICLES if any(e["status"] == "planned" for e in a["events"])]
    assert len(planned) >= 2
    same = [link for link in _manifest()["links"] if link["kind"] == "same_contact"]
    assert len(same) >= 2
