"""Comparison with a reference run, and the verdict (pure)."""

from __future__ import annotations

from golden_briefs import golden, run_of, scored, with_event

from summarize.core.brief import Initiator
from summarize.evaluation.compare import compare_runs, decide
from summarize.evaluation.config import FIELD_NAMES, CaseRules, FieldRule, ScoringConfig
from summarize.evaluation.results import EXIT_FAIL, EXIT_PASS, EXIT_SETUP, SetupError


def test_a_score_drop_beyond_tolerance_is_a_regression() -> None:
    g = golden("002")
    before = scored(g, g)
    after = scored(g, with_event(g, topics=g.events[0].topics[:1]))
    comparison = compare_runs(run_of(before), run_of(after), 0.05, "baseline", "base.json")
    change = comparison.case(g.article_id)
    assert change is not None and change.status == "regressed"
    topics = change.field("topics")
    assert topics is not None and topics.status == "regressed"
    assert topics.delta is not None and topics.delta < -0.05
    unchanged = change.field("participants")
    assert unchanged is not None and unchanged.status == "unchanged"
    verdict = decide(run_of(after), comparison, [])
    assert verdict.exit_code == EXIT_FAIL and "1 regression" in verdict.headline


def test_a_small_drop_within_tolerance_is_not_a_regression() -> None:
    g = golden("000")
    before = scored(g, g)
    eight = g.events[0].topics
    after = scored(g, with_event(g, topics=eight[:7]))  # F1 0.933: -0.067 on one field
    lenient = compare_runs(run_of(before), run_of(after), 0.1, "baseline", "b")
    strict = compare_runs(run_of(before), run_of(after), 0.01, "baseline", "b")
    assert lenient.cases[0].status == "unchanged"
    assert strict.cases[0].status == "regressed"


def test_pass_to_fail_is_a_regression_even_within_tolerance() -> None:
    g = golden("000")
    tight = ScoringConfig(fields={"topics": FieldRule(weight=1, floor=0.95)})
    before = scored(g, g, tight)
    after = scored(g, with_event(g, topics=g.events[0].topics[:7]), tight)
    comparison = compare_runs(run_of(before), run_of(after), 0.5, "baseline", "b")
    topics = comparison.cases[0].field("topics")
    assert topics is not None and topics.status == "regressed" and "pass -> fail" in topics.reason


def test_improvements_additions_and_removals_are_marked() -> None:
    a, b, c = golden("000"), golden("001"), golden("002")
    before = run_of(scored(a, with_event(a, topics=[])), scored(b, b))
    after = run_of(scored(a, a), scored(c, c))
    comparison = compare_runs(before, after, 0.05, "prompt", "old.j2")
    status = {x.article_id: x.status for x in comparison.cases}
    assert status == {a.article_id: "improved", c.article_id: "added", b.article_id: "removed"}
    verdict = decide(after, comparison, [])
    assert verdict.exit_code == EXIT_PASS and verdict.status == "pass"
    baseline = compare_runs(before, after, 0.05, "baseline", "fixtures/baseline.json")
    assert "1 improved (keep them with --update-baseline)" in decide(after, baseline, []).headline


def test_setup_errors_win_over_everything() -> None:
    g = golden("000")
    error = SetupError(
        kind="stale_recording",
        article_id=g.article_id,
        message="prompt version changed",
        fix="summarize eval --record-missing",
    )
    verdict = decide(run_of(scored(g, g)), None, [error])
    assert verdict.exit_code == EXIT_SETUP and "stale recording" in verdict.headline
    assert "summarize eval --record-missing" in verdict.reasons[0]


def test_no_cases_is_a_setup_error() -> None:
    assert decide(run_of(), None, []).exit_code == EXIT_SETUP


def test_verdict_status_and_exit_code_agree() -> None:
    g = golden("001")
    failing = scored(g, with_event(g, initiator=Initiator(stated=False)))
    verdict = decide(run_of(failing), None, [])
    assert (verdict.status, verdict.exit_code) == ("fail", EXIT_FAIL)
    assert verdict.headline.startswith("FAIL") and g.article_id in verdict.reasons[0]


# -- no quality floor ---------------------------------------------------------------------------

NO_FLOOR = {name: FieldRule(weight=1.0, floor=0.0, required=True) for name in FIELD_NAMES}


def test_without_a_quality_floor_a_pass_is_not_called_a_pass() -> None:
    g = golden("000")
    config = ScoringConfig(fields=NO_FLOOR, case=CaseRules(threshold=0.0))
    poor = scored(g, with_event(g, participants=[], topics=[]), config)
    assert poor.passed and not poor.has_quality_floor()
    compared = compare_runs(run_of(poor), run_of(poor), 0.05, "baseline", "b.json")
    verdict = decide(run_of(poor), compared, [])
    assert (verdict.exit_code, verdict.status, verdict.quality_floor) == (EXIT_PASS, "pass", False)
    assert verdict.headline == "NO REGRESSION vs baseline b.json; no quality floor set"
    assert "not judged on quality" in verdict.reasons[0]
    alone = decide(run_of(poor), None, [])
    assert alone.headline.startswith("NOT JUDGED: no quality floor set") and alone.exit_code == 0


def test_a_threshold_or_a_required_floor_is_a_quality_floor() -> None:
    g = golden("000")
    optional = {**NO_FLOOR, "topics": FieldRule(floor=0.5)}  # can fail the field, not the case
    for fields, threshold, floored in [
        (NO_FLOOR, 0.0, False),
        (optional, 0.0, False),
        (NO_FLOOR, 0.1, True),
        ({**NO_FLOOR, "topics": FieldRule(floor=0.5, required=True)}, 0.0, True),
    ]:
        config = ScoringConfig(fields=fields, case=CaseRules(threshold=threshold))
        verdict = decide(run_of(scored(g, g, config)), None, [])
        assert verdict.quality_floor is floored, (fields["topics"], threshold)
        assert verdict.headline.startswith("PASS: 1 case(s)") is floored
