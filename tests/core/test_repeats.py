"""Near-copies of one event in one answer are one event (issue 24), on real articles: the
corpus goldens restated as a model's answer, with the repeats small models make."""

from __future__ import annotations

import copy
from typing import Any

from conftest import extraction_of
from corpus_goldens import CORPUS, GOLDEN, article_of

from summarize.core.article import Article
from summarize.core.assemble import assemble_brief
from summarize.core.brief import Brief, Provenance
from summarize.core.extraction import Event, Extraction
from summarize.core.repeats import near_copy, repeat_of


def _golden(prefix: str) -> tuple[Brief, Article, dict[str, Any]]:
    path = next(GOLDEN.glob(f"{prefix}_*.json"))
    brief = Brief.model_validate_json(path.read_text("utf-8"))
    article = article_of(CORPUS / path.stem)
    return brief, article, extraction_of(brief, article)


def _assemble(answer: dict[str, Any], article: Article) -> Brief:
    provenance = Provenance(model="test-double", article_sha256=article.sha256)
    return assemble_brief(Extraction.model_validate(answer), article, provenance)


def test_a_repeat_numbered_2_is_kept_once_with_a_repeated_warning() -> None:
    """The seed replay's pattern: the same meeting again, its summary prefixed "[2]"."""
    _, article, answer = _golden("22")
    first = answer["events"][0]
    again = copy.deepcopy(first)
    again["summary"] = "[2] " + first["summary"]
    answer["events"].insert(1, again)
    brief = _assemble(answer, article)
    assert len(brief.events) == len(answer["events"]) - 1
    (warning,) = [w for w in brief.warnings if w.kind == "repeated"]
    assert warning.path == "events[1]"
    assert "repeats its event 1 nearly word for word" in warning.reason


def test_a_repeat_with_an_outcome_reworded_is_one_event() -> None:
    _, article, answer = _golden("26")
    first = answer["events"][0]
    again = copy.deepcopy(first)
    again["summary"] = "Xi Jinping and Donald Trump held a phone call on Monday."
    again["outcomes"][0]["statement"] = again["outcomes"][0]["statement"].rstrip(".") + "!"
    answer["events"].append(again)
    brief = _assemble(answer, article)
    assert len(brief.events) == len(answer["events"]) - 1
    assert brief.warned("repeated") == 1


def test_word_for_word_repeats_still_say_so() -> None:
    _, article, answer = _golden("05")
    answer["events"].append(copy.deepcopy(answer["events"][0]))
    brief = _assemble(answer, article)
    (warning,) = [w for w in brief.warnings if w.kind == "repeated"]
    assert "repeats its event 1 word for word" in warning.reason


def test_different_contacts_between_the_same_leaders_stay_apart() -> None:
    """Golden 02: two sideline contacts of Putin and Xi on one day, different people; golden
    25: the call and the Busan meeting of Xi and Trump; golden 01: four events of a visit."""
    for prefix in ("01", "02", "07", "25", "26"):
        brief, article, answer = _golden(prefix)
        events = [Event.model_validate(e) for e in answer["events"]]
        for n, e in enumerate(events):
            assert repeat_of(e, events[:n]) is None, (prefix, n)
        assert len(_assemble(answer, article).events) == len(brief.events)


def test_same_people_type_and_date_with_a_different_account_is_not_a_copy() -> None:
    _, _, answer = _golden("26")
    first = Event.model_validate(answer["events"][0])
    other = first.model_copy(
        update={"summary": "Trump and Xi met in Busan.", "outcomes": [], "follow_ups": []}
    )
    assert not near_copy(first, other)
    assert near_copy(first, first.model_copy(update={"summary": "(2) " + first.summary}))
