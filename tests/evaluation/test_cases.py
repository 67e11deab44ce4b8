"""The case rule (pure): floors, required fields, the case threshold, no brief, repeats."""

from __future__ import annotations

from golden_briefs import CONFIG, field, golden, scored, with_event

from summarize.core.brief import Initiator
from summarize.evaluation.cases import merge_repeats, no_brief_case
from summarize.evaluation.config import FIELD_NAMES, CaseRules, FieldRule, ScoringConfig


def test_field_passes_exactly_when_its_score_reaches_the_floor() -> None:
    g = golden("002")
    p = with_event(g, participants=g.events[0].participants[:4])
    f1 = 2 * 0.8 / 1.8
    above = ScoringConfig(fields={"participants": FieldRule(weight=2, floor=round(f1, 4))})
    below = ScoringConfig(fields={"participants": FieldRule(weight=2, floor=0.9)})
    assert field(scored(g, p, above), "participants").passed
    failing = field(scored(g, p, below), "participants")
    assert not failing.passed and "below floor 0.90" in failing.reason


def test_a_required_field_below_its_floor_fails_the_case_despite_a_high_weighted_score() -> None:
    g = golden("001")
    p = with_event(g, initiator=Initiator(stated=False))
    case = scored(g, p)
    assert case.weighted_score > CONFIG.case.threshold
    assert not case.passed and "initiator" in case.reason


def test_a_weighted_score_below_threshold_fails_the_case() -> None:
    lax = {name: FieldRule(weight=1.0, floor=0.0) for name in FIELD_NAMES}
    config = ScoringConfig(fields=lax, case=CaseRules(threshold=0.99))
    g = golden("000")
    case = scored(g, with_event(g, topics=[]), config)
    assert not case.passed and "below threshold 0.99" in case.reason


def test_no_brief_scores_zero_with_the_cause() -> None:
    case = no_brief_case("a-1", "validation: no valid answer after 3 attempts", CONFIG)
    assert case.status == "no_brief" and not case.passed
    assert all(f.score == 0 and "no valid answer" in f.reason for f in case.fields)


# -- repeats ------------------------------------------------------------------------------------


def test_repeats_expose_flaky_fields() -> None:
    g = golden("002")
    steady = scored(g, g)
    wobbly = scored(g, with_event(g, participants=g.events[0].participants[:2]))
    merged = merge_repeats([steady, wobbly, steady], CONFIG, 0.05)
    flaky = {f.field for f in merged.flaky}
    assert "participants" in flaky and "event_type" not in flaky
    participants = merged.field("participants")
    assert participants is not None and not participants.passed
    assert participants.reason.startswith("FLAKY over 3 runs")
    assert merge_repeats([steady, steady], CONFIG, 0.05).flaky == []
