"""Citations: a bottom line whose sentences do not cite known events is refused."""

from __future__ import annotations

import pytest
from memo_briefs import golden_briefs
from pydantic import ValidationError

from summarize.memo.build import build_memo
from summarize.memo.citations import CitedSentence, MemoSynthesis, check_citations, citing
from summarize.memo.render import render_memo


def test_check_citations_rejects_uncited_sentences_and_unknown_ids() -> None:
    ok = MemoSynthesis(sentences=[CitedSentence(text="Syria dominated.", event_ids=["E1", "E2"])])
    assert check_citations(ok, ["E1", "E2"]) == []
    uncited = MemoSynthesis(sentences=[CitedSentence(text="Relations are warming.", event_ids=[])])
    assert "cites no event" in check_citations(uncited, ["E1"])[0]
    unknown = MemoSynthesis(sentences=[CitedSentence(text="A call.", event_ids=["E9"])])
    assert "unknown event ids ['E9']" in check_citations(unknown, ["E1"])[0]


def test_synthesis_validation_context_makes_bad_citations_a_validation_error() -> None:
    raw = {"sentences": [{"text": "Relations are warming.", "event_ids": []}]}
    with pytest.raises(ValidationError, match="cites no event"), citing(["E1"]):
        MemoSynthesis.model_validate(raw)
    good = {"sentences": [{"text": "A call on Syria.", "event_ids": ["E1"]}]}
    with citing(["E1"]):
        assert MemoSynthesis.model_validate(good).sentences


def test_a_checked_synthesis_replaces_the_deterministic_bluf() -> None:
    briefs = golden_briefs()
    synthesis = MemoSynthesis(
        sentences=[CitedSentence(text="Syria runs through every contact.", event_ids=["E1", "E5"])]
    )
    md = render_memo(briefs, "md", synthesis=synthesis)
    assert "- Syria runs through every contact. ([E1](#" in md
    assert "Written by the model" in md
    with pytest.raises(ValueError, match="unknown event ids"):
        build_memo(
            briefs, synthesis=MemoSynthesis(sentences=[CitedSentence(text="x", event_ids=["E42"])])
        )
