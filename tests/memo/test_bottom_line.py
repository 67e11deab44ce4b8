"""The bottom line up front: cited sentences worked out from the events, and the caution."""

from __future__ import annotations

from pathlib import Path

from memo_briefs import GOLDEN, golden_briefs

from summarize.core.brief import NOT_STATED, Brief, GroundingWarning
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
        assert "In 1 of 5 briefs, 3 items were dropped for citing no sentence" in text
        assert "tiny-model" in text


def test_a_participant_on_weak_evidence_is_marked_and_counted() -> None:
    briefs = [Brief.model_validate_json(p.read_bytes()) for p in sorted(GOLDEN.glob("*.json"))]
    first = briefs[0]
    weak_name = first.events[0].participants[0].name
    flagged = first.model_copy(
        update={
            "warnings": [
                GroundingWarning(
                    path="events[0].participants[0]",
                    quote="x",
                    reason=f"the cited sentences do not mention {weak_name}",
                    kind="weak",
                )
            ]
        }
    )
    markdown = render_memo([flagged], "md")
    assert "1 participant is kept on weak evidence" in markdown
    assert "dropped" not in markdown.split("Caution", 1)[1].split("\n\n", 1)[0]
    assert markdown.count("*(weak evidence)*") == 1
    assert "*(weak evidence)*" not in render_memo([first], "md")
    html = render_memo([flagged], "html")
    assert html.count('class="weak"') == 1


def test_briefs_of_schema_1_are_named_for_their_approximate_quotes() -> None:
    briefs = [Brief.model_validate_json(p.read_bytes()) for p in sorted(GOLDEN.glob("*.json"))]
    # Hand annotations quote exactly, whatever their schema: no caution.
    assert all(b.provenance.schema_version == "1.0" for b in briefs)
    assert "Caution" not in render_memo(briefs, "md")
    old = briefs[0].model_copy(
        update={"provenance": briefs[0].provenance.model_copy(update={"kind": "model"})}
    )
    text = render_memo([old, *briefs[1:]], "md")
    assert "1 brief was made by an older summarize (schema 1.0)" in text
    assert "summarize run" in text


def test_the_models_words_are_never_set_as_quotations() -> None:
    """Only the article's own text is quoted: summaries and follow-up actions are the
    model's wording, so they carry no quotation marks and no blockquote."""
    briefs = [Brief.model_validate_json(p.read_bytes()) for p in sorted(GOLDEN.glob("*.json"))]
    markdown = render_memo(briefs, "md")
    summaries = [e.summary for b in briefs for e in b.events]
    actions = [f.action.rstrip(".") for b in briefs for e in b.events for f in e.follow_ups]
    quoted = [line for line in markdown.splitlines() if line.startswith(">")]
    assert not any(s[:40] in line for s in summaries for line in quoted)
    assert any(s[:40] in markdown for s in summaries)
    for action in actions:
        assert f"\u201c{action}" not in markdown


def test_a_dropped_initiator_is_not_called_not_stated() -> None:
    brief = Brief.model_validate_json(sorted(GOLDEN.glob("*.json"))[1].read_bytes())
    event = brief.events[0].model_copy(update={"initiator": NOT_STATED})
    dropped = brief.model_copy(
        update={
            "events": [event],
            "warnings": [
                GroundingWarning(path="events[0].initiator", quote="[]", reason="no sentence cited")
            ],
        }
    )
    for fmt in ("md", "html"):
        text = render_memo([dropped], fmt)
        assert "not established" in text
        assert "not stated" not in text.split("Initiator", 1)[1][:300]
    assert "not established" not in render_memo(
        [brief.model_copy(update={"events": [event]})], "md"
    )


def test_the_latest_period_names_each_pair_once() -> None:
    corpus = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "golden"
    briefs = [Brief.model_validate_json(p.read_bytes()) for p in sorted(corpus.glob("*.json"))]
    (line,) = [x for x in render_memo(briefs, "md").splitlines() if "Latest period" in x]
    assert "Putin and Trump" in line
    assert "Trump and Putin" not in line


def test_what_reading_the_answers_changed_is_said_in_the_caution() -> None:
    briefs = [Brief.model_validate_json(p.read_bytes()) for p in sorted(GOLDEN.glob("*.json"))]
    normalised = GroundingWarning(
        path="events[0].status", quote="", reason="missing; read as unclear", kind="normalised"
    )
    only_normalised = briefs[0].model_copy(update={"warnings": [normalised, normalised]})
    text = render_memo([only_normalised, *briefs[1:]], "md")
    assert "In 1 of 5 briefs, 2 values were read differently from how the model wrote them" in text
    assert "unreliable" not in text, "a repaired form loses nothing"
    cut = GroundingWarning(path="events[0].topics", quote="45 items", reason="45 given", kind="cut")
    with_cut = briefs[0].model_copy(update={"warnings": [cut, normalised]})
    text = render_memo([with_cut, *briefs[1:]], "md")
    assert "1 list or text was cut at summarize's hard limits" in text
    assert "1 value was read differently from how the model wrote it" in text
    assert "The extraction was unreliable" in text
