"""assemble_brief: the model's answer meets the article text (pure, no model, no network)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import evidences

from summarize.core.article import Article
from summarize.core.assemble import assemble_brief
from summarize.core.brief import NOT_STATED, Brief, Provenance
from summarize.core.extraction import Extraction
from summarize.sources.read import iter_articles

# Seed 001 has 14 sentences: a model citing sentence 99 cites nothing the article says.
INVENTED = [99]


def assemble(answer: dict[str, Any], article: Article) -> Brief:
    provenance = Provenance(
        prompt_version="p1", model="test-model", article_sha256=article.sha256, attempts=1
    )
    return assemble_brief(Extraction.model_validate(answer), article, provenance)


def article_from(tmp_path: Path, name: str, text: str) -> Article:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (article,) = list(iter_articles(path))
    assert isinstance(article, Article)
    return article


def test_grounded_answer_becomes_a_brief_with_offsets_dates_and_ids(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    brief = assemble(answer001, seed001)

    assert brief.article_id == seed001.id
    assert brief.warnings == []
    assert brief.no_event_reason is None
    (event,) = brief.events
    assert event.id == f"{seed001.id}#1"
    # "on Wednesday" in an article published Thursday 2012-07-19.
    assert event.date_text == "on Wednesday"
    assert event.date == dt.date(2012, 7, 18)
    assert brief.source.published_date == dt.date(2012, 7, 19)
    assert brief.source.headline == "Putin, Obama discuss Syrian crisis by telephone"
    assert len(evidences(brief)) == 5
    for evidence in evidences(brief):
        assert seed001.text[evidence.start : evidence.end] == evidence.quote
        assert evidence.sentences
    assert event.status == "held"
    assert brief.provenance.model == "test-model"


def test_event_ids_count_from_one_in_article_order(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    second = {**answer001["events"][0], "event_type": "statement", "summary": "Second."}
    answer001["events"].append(second)
    brief = assemble(answer001, seed001)
    assert [e.id for e in brief.events] == [f"{seed001.id}#1", f"{seed001.id}#2"]
    assert [e.event_type for e in brief.events] == ["phone_call", "statement"]


def test_initiator_with_a_grounded_quote_is_stated_with_evidence(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    initiator = assemble(answer001, seed001).events[0].initiator
    assert initiator.stated is True
    assert initiator.party == "United States"
    assert initiator.evidence is not None
    assert initiator.basis == initiator.evidence.quote
    start, end = initiator.evidence.start, initiator.evidence.end
    assert seed001.text[start:end] == (
        "According to the Kremlin press service, "
        "the telephone conversation was initiated by the American side."
    )


def test_initiator_with_an_invented_quote_is_not_stated_and_warned(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    answer001["events"][0]["initiator"] = {"party": "Russia", "evidence": INVENTED}
    brief = assemble(answer001, seed001)

    assert brief.events[0].initiator == NOT_STATED
    (warning,) = brief.warnings
    assert warning.path == "events[0].initiator"
    assert warning.quote == "[99]"
    assert warning.reason == "cites no sentence of the article (it has 14)"
    assert warning.kind == "dropped"


def test_initiator_party_without_any_quote_is_not_stated_and_warned(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    answer001["events"][0]["initiator"] = {"party": "Russia", "evidence": []}
    brief = assemble(answer001, seed001)

    assert brief.events[0].initiator == NOT_STATED
    (warning,) = brief.warnings
    assert (warning.path, warning.quote, warning.reason) == (
        "events[0].initiator",
        "[]",
        "no sentence cited",
    )


def test_a_quote_without_a_party_states_no_initiator(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    answer001["events"][0]["initiator"] = {"party": "  ", "evidence": [3]}
    brief = assemble(answer001, seed001)
    assert brief.events[0].initiator == NOT_STATED
    assert brief.warnings == []


def test_mentioned_people_stay_apart_from_participants(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    answer001["events"][0]["mentioned"] = [
        {"name": " Bashar al-Assad ", "title": "President", "affiliation": "Syria"},
        {"name": "   "},
    ]
    event = assemble(answer001, seed001).events[0]

    assert [p.name for p in event.participants] == ["Vladimir Putin", "Barack Obama"]
    assert [m.name for m in event.mentioned] == ["Bashar al-Assad"]
    assert event.mentioned[0].affiliation == "Syria"
    # Being mentioned needs no evidence and makes nobody a participant.
    assert not hasattr(event.mentioned[0], "evidence")


def test_ungrounded_participant_is_dropped_and_listed(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    answer001["events"][0]["participants"][1]["evidence"] = INVENTED
    brief = assemble(answer001, seed001)

    assert [p.name for p in brief.events[0].participants] == ["Vladimir Putin"]
    (warning,) = brief.warnings
    assert warning.path == "events[0].participants[1]"
    assert warning.quote == "[99]"


def test_ungrounded_outcome_and_follow_up_are_dropped_in_document_order(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    event = answer001["events"][0]
    event["outcomes"].append({**event["outcomes"][0], "evidence": INVENTED})
    event["follow_ups"][0]["evidence"] = [15, 40]
    brief = assemble(answer001, seed001)

    assert len(brief.events[0].outcomes) == 1
    assert brief.events[0].follow_ups == []
    assert [w.path for w in brief.warnings] == ["events[0].outcomes[1]", "events[0].follow_ups[0]"]


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("Thursday morning", dt.date(2012, 7, 19)),
        ("tomorrow", dt.date(2012, 7, 20)),
        ("July 25", dt.date(2012, 7, 25)),
        ("next week", None),
        (None, None),
    ],
)
def test_follow_up_due_dates_are_resolved_against_publication(
    due: str | None, expected: dt.date | None, seed001: Article, answer001: dict[str, Any]
) -> None:
    answer001["events"][0]["follow_ups"][0]["due"] = due
    # Due dates count only as the article writes them: give it a sentence that does.
    text = seed001.text + (f"\nThe Council vote is expected {due}.\n" if due else "")
    article = replace(seed001, text=text, body_end=len(text))
    (follow_up,) = assemble(answer001, article).events[0].follow_ups
    assert follow_up.due_text == due
    assert follow_up.due_date == expected
    assert follow_up.responsible == ["UN Security Council"]


def test_no_events_keeps_the_models_reason(seed001: Article) -> None:
    answer = {
        "source": {},
        "events": [],
        "no_event_reason": "  The article is about floods.  ",
    }
    brief = assemble(answer, seed001)
    assert brief.events == []
    assert brief.no_event_reason == "The article is about floods."


def test_no_events_and_no_reason_still_says_why(seed001: Article) -> None:
    brief = assemble({"source": {}, "events": [], "no_event_reason": None}, seed001)
    assert brief.events == []
    assert brief.no_event_reason
    assert "no reason" in brief.no_event_reason


def test_a_reason_given_alongside_events_is_not_kept(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    answer001["no_event_reason"] = "none"
    assert assemble(answer001, seed001).no_event_reason is None


def test_without_a_publication_date_relative_dates_stay_unresolved(
    tmp_path: Path, answer001: dict[str, Any]
) -> None:
    article = article_from(
        tmp_path,
        "undated.txt",
        "The two presidents held a telephone conversation on Wednesday.\n",
    )
    assert article.published_date is None
    answer001["events"][0]["participants"] = [{"name": "The two presidents", "evidence": [1]}]
    answer001["events"][0]["initiator"] = {"party": None, "evidence": []}
    answer001["events"][0]["outcomes"] = []
    answer001["events"][0]["follow_ups"] = []
    event = assemble(answer001, article).events[0]
    assert event.date_text == "on Wednesday"
    assert event.date is None


def test_models_publication_date_counts_only_when_the_article_shows_it(
    tmp_path: Path,
) -> None:
    text = (
        "Talks in Vienna\n\n"
        "The envoys met in Vienna. The statement was issued on June 5, 2015 after the talks.\n"
    )
    article = article_from(tmp_path, "vienna.txt", text)
    assert article.published_date is None
    shown: dict[str, Any] = {
        "source": {"published": "June 5, 2015", "outlet": "Reuters"},
        "events": [],
    }
    brief = assemble({**shown, "no_event_reason": "background only"}, article)
    assert brief.source.published_date == dt.date(2015, 6, 5)
    assert brief.source.published_text == "June 5, 2015"
    # "Reuters" is nowhere in the text: the model's outlet is not taken on trust.
    assert brief.source.outlet is None

    invented = {"source": {"published": "June 6, 2015"}, "events": [], "no_event_reason": "x"}
    assert assemble(invented, article).source.published_date is None


def test_a_date_the_article_does_not_write_is_dropped_not_resolved(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    answer001["events"][0]["date_text"] = "31 August 2014"  # explicit, so it would resolve
    answer001["events"][0]["follow_ups"][0]["due"] = "by 1 May 2015"
    brief = assemble_brief(
        Extraction.model_validate(answer001), seed001, Provenance(article_sha256=seed001.sha256)
    )
    event = brief.events[0]
    assert (event.date, event.date_text) == (None, None)
    assert (event.follow_ups[0].due_text, event.follow_ups[0].due_date) == (None, None)
    assert {(w.path, w.reason) for w in brief.warnings} == {
        ("events[0].date_text", "not written in the article"),
        ("events[0].follow_ups[0].due", "not written in the article"),
    }


def test_cited_sentences_become_the_articles_own_text_even_apart(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    answer001["events"][0]["outcomes"][0]["evidence"] = [9, 5, 4]
    (outcome,) = assemble(answer001, seed001).events[0].outcomes
    evidence = outcome.evidence
    assert evidence.sentences == [4, 5, 9]
    # 4 and 5 are one run of text; 9 stands apart.
    assert len(evidence.also) == 1
    for span in evidence.spans():
        assert seed001.text[span.start : span.end] == span.quote
    assert evidence.quote.startswith("MOSCOW - Russian President Vladimir Putin")
    assert evidence.also[0].quote.startswith('"The presidents of Russia')


def test_a_participant_its_sentences_do_not_name_is_kept_as_weak(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    call = answer001["events"][0]["participants"][0]["evidence"]
    answer001["events"][0]["participants"].append(
        {"name": "Sergei Lavrov", "title": "Foreign Minister", "evidence": call}
    )
    brief = assemble(answer001, seed001)
    assert [p.name for p in brief.events[0].participants][-1] == "Sergei Lavrov"
    (warning,) = brief.warnings
    assert (warning.path, warning.kind) == ("events[0].participants[2]", "weak")
    assert warning.reason == "the cited sentences do not mention Sergei Lavrov"


def test_a_short_name_counts_only_if_the_article_uses_it(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    people = answer001["events"][0]["participants"]
    people[0]["short_name"] = "Putin"
    people[1]["short_name"] = "Barry"
    event = assemble(answer001, seed001).events[0]
    assert [p.short_name for p in event.participants] == ["Putin", None]


def test_an_event_repeated_word_for_word_is_kept_once_and_said(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    event = answer001["events"][0]
    other = {**event, "event_type": "statement", "summary": "A statement."}
    answer001["events"] = [event, dict(event), other, dict(event)]
    brief = assemble(answer001, seed001)
    assert [e.event_type for e in brief.events] == ["phone_call", "statement"]
    assert [e.id for e in brief.events] == [f"{seed001.id}#1", f"{seed001.id}#2"]
    repeats = [w for w in brief.warnings if "repeats" in w.reason]
    assert [w.path for w in repeats] == ["events[1]", "events[3]"]
    assert repeats[0].reason == "the model's event 2 repeats its event 1 word for word; kept once"
