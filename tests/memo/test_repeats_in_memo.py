"""A brief made before near-copies were folded still gives one memo event per contact
(issue 24): golden 22 (a real Japanese report) with its call told twice, "[2]" before the
summary, as the shipped SmolLM2 recordings do."""

from __future__ import annotations

from corpus_goldens import GOLDEN

from summarize.core.brief import Brief
from summarize.memo.build import build_memo


def test_a_brief_that_repeats_an_event_gives_it_once() -> None:
    brief = Brief.model_validate_json(next(GOLDEN.glob("22_*.json")).read_text("utf-8"))
    first = brief.events[0]
    again = first.model_copy(
        update={
            "id": f"{brief.article_id}#{len(brief.events) + 1}",
            "summary": "[2] " + first.summary,
        }
    )
    repeated = brief.model_copy(update={"events": [*brief.events, again]})
    view = build_memo([repeated])
    assert view.n_events == build_memo([brief]).n_events == len(brief.events)
    (row,) = view.articles
    assert len(row.event_ids) == len(brief.events)


def test_events_that_differ_are_not_folded() -> None:
    brief = Brief.model_validate_json(next(GOLDEN.glob("25_*.json")).read_text("utf-8"))
    assert build_memo([brief]).n_events == len(brief.events) == 3
