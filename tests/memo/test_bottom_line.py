"""The bottom line up front: cited sentences worked out from the events, and the caution."""

from __future__ import annotations

from memo_briefs import GOLDEN, golden_briefs

from summarize.core.brief import Brief, GroundingWarning
from summarize.memo.build import build_memo
from summarize.memo.citations import MemoSynthesis, check_citations
from summarize.memo.render import render_memo


def test_bluf_sentences_each_cite_known_events() -> None:
    view = build_memo(golden_briefs())
    assert 3 <= len(view.bluf) <= 6
    ids = {e.id for e in view.events}
    for sentence in view.bluf:
        assert sentence.event_ids
        assert set(sentence.event_ids) <= ids
    assert check_citations(MemoSynthesis(sentences=list(view.bluf)), ids) == []


def test_memo_cautions_the_reader_when_grounding_dropped_items() -> None:
    golden = sorted(GOLDEN.glob("*.json"))
    briefs = [Brief.model_validate_json(p.read_bytes()) for p in golden]
    for fmt in ("md", "html"):
        assert "Caution" not in render_memo(briefs, fmt), "clean briefs need no caution"
    weak = briefs[0].model_copy(
        update={
            "warnings": [
                GroundingWarning(path="events[0].outcomes[3]", quote="x y", reason="not found")
            ]
            * 3,
            "provenance": briefs[0].provenance.model_copy(update={"model": "tiny-model"}),
        }
    )
    for fmt in ("md", "html"):
        text = render_memo([weak, *briefs[1:]], fmt)
        assert "Caution" in text
        assert "3 items in 1 of 5 briefs were dropped" in text
        assert "tiny-model" in text
