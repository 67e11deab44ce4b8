"""The multilingual extension corpus (fixtures/corpus-languages): its articles and the checks
the tests and `bench/run.py sources` both make on it, per language."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarize.core.brief import EventStatus
from summarize.core.dates import resolve_date
from summarize.core.grounding import ArticleText, supports

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus-languages"


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return data


def capture(article: dict[str, Any]) -> tuple[str, str]:
    """The capture's URL line and its text."""
    url, text = (CORPUS / article["dir"] / "capture.txt").read_text(encoding="utf-8").split("\n", 1)
    return url, text


def article_text(article: dict[str, Any]) -> ArticleText:
    return ArticleText(capture(article)[1])


def sentence_with(text: ArticleText, written: str) -> int:
    for number in range(1, len(text.sentences) + 1):
        if written in text.sentence(number):
            return number
    raise AssertionError(f"no sentence holds {written!r}")


def named(article: dict[str, Any], person: dict[str, str]) -> bool:
    """Whether the sentence that writes the participant supports their name."""
    text = article_text(article)
    evidence = text.cite([sentence_with(text, person["written"])])
    return evidence is not None and supports(evidence, person["name"])


def named_anywhere(article: dict[str, Any], name: str) -> bool:
    """Whether the whole article, cited at once, supports `name`."""
    text = article_text(article)
    evidence = text.cite(list(range(1, len(text.sentences) + 1)))
    return evidence is not None and supports(evidence, name)


def resolved(
    article: dict[str, Any], event: dict[str, Any], *, with_context: bool = True
) -> dt.date | None:
    anchor = dt.date.fromisoformat(article["published_date"])
    context = capture(article)[1] if with_context else None
    return resolve_date(event["date_text"], anchor, EventStatus(event["status"]), context=context)


def expected(event: dict[str, Any]) -> dt.date | None:
    return dt.date.fromisoformat(event["date"]) if event["date"] else None


@dataclass
class LanguageScore:
    language: str
    participants: int = 0
    supported: int = 0
    absent: int = 0
    still_weak: int = 0
    dates: int = 0
    dates_right: int = 0


def scores() -> list[LanguageScore]:
    """Per language: correct participants supported, absent names still weak, resolvable
    event dates resolved right."""
    by_language: dict[str, LanguageScore] = {}
    for article in manifest()["articles"]:
        score = by_language.setdefault(article["language"], LanguageScore(article["language"]))
        for event in article["events"]:
            for person in event["participants"]:
                score.participants += 1
                score.supported += named(article, person)
            if article["published_date"] and event["date"]:
                score.dates += 1
                score.dates_right += resolved(article, event) == expected(event)
        for name in article["absent"]:
            score.absent += 1
            score.still_weak += not named_anywhere(article, name)
    return sorted(by_language.values(), key=lambda s: s.language)
