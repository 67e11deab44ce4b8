"""Scoring (pure): the golden briefs against perturbed copies of themselves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarize.core.brief import Brief, Event, GroundingWarning, Initiator
from summarize.evaluation.align import pair_items, prf
from summarize.evaluation.cases import merge_repeats, no_brief_case, run_metrics, score_case
from summarize.evaluation.compare import compare_runs, decide
from summarize.evaluation.config import (
    FIELD_NAMES,
    CaseRules,
    ConfigError,
    FieldRule,
    ScoringConfig,
    config_from_mapping,
)
from summarize.evaluation.reports import describe_case
from summarize.evaluation.results import (
    EXIT_FAIL,
    EXIT_PASS,
    EXIT_SETUP,
    CaseResult,
    RunResult,
    SetupError,
)

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden"
GOLDENS = {p.stem[:3]: Brief.model_validate_json(p.read_bytes()) for p in GOLDEN.glob("*.json")}
ALIASES = {"United States": ["US", "U.S.", "American"], "Russia": ["Russian", "Moscow"]}
CONFIG = ScoringConfig(aliases=ALIASES)


def golden(seed: str) -> Brief:
    return GOLDENS[seed]


def with_event(brief: Brief, **changes: Any) -> Brief:
    """A copy of `brief` whose first event has `changes`."""
    event = brief.events[0].model_copy(update=changes)
    return brief.model_copy(update={"events": [event, *brief.events[1:]]})


def scored(g: Brief, p: Brief, config: ScoringConfig = CONFIG) -> CaseResult:
    return score_case(g, p, config)


def field(case: CaseResult, name: str) -> Any:
    found = case.field(name)
    assert found is not None, name
    return found


# -- identity -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(GOLDENS))
def test_a_golden_scores_perfectly_against_itself(seed: str) -> None:
    case = scored(golden(seed), golden(seed))
    assert [f.field for f in case.fields] == list(FIELD_NAMES)
    assert all(f.score == 1.0 and f.passed and f.reason for f in case.fields), case.fields
    assert case.passed and case.weighted_score == 1.0


# -- per-field perturbations --------------------------------------------------------------------


def test_dropping_a_participant_costs_recall_and_names_who_is_missing() -> None:
    g = golden("002")  # five participants
    dropped = g.events[0].participants[2]
    p = with_event(g, participants=[x for x in g.events[0].participants if x != dropped])
    f = field(scored(g, p), "participants")
    assert f.precision == 1.0 and f.recall == 0.8
    assert f.score == pytest.approx(2 * 0.8 / 1.8, abs=1e-4)
    assert f.missing == [dropped.name] and f.extra == []
    assert dropped.name in f.reason and f.passed  # F1 0.89 still reaches the default floor 0.8


def test_field_passes_exactly_when_its_score_reaches_the_floor() -> None:
    g = golden("002")
    p = with_event(g, participants=g.events[0].participants[:4])
    f1 = 2 * 0.8 / 1.8
    above = ScoringConfig(fields={"participants": FieldRule(weight=2, floor=round(f1, 4))})
    below = ScoringConfig(fields={"participants": FieldRule(weight=2, floor=0.9)})
    assert field(scored(g, p, above), "participants").passed
    failing = field(scored(g, p, below), "participants")
    assert not failing.passed and "below floor 0.90" in failing.reason


def test_spelling_variants_and_short_names_still_pair() -> None:
    g = golden("000")
    renamed = [
        g.events[0].participants[0].model_copy(update={"name": "Putin"}),
        g.events[0].participants[1].model_copy(update={"name": "barack  OBAMA"}),
    ]
    f = field(scored(g, with_event(g, participants=renamed)), "participants")
    assert f.score == 1.0 and f.missing == [] and f.extra == []


def test_a_wrong_participant_is_both_missing_and_extra() -> None:
    g = golden("000")
    wrong = g.events[0].participants[1].model_copy(update={"name": "Dmitry Medvedev"})
    f = field(
        scored(g, with_event(g, participants=[g.events[0].participants[0], wrong])), "participants"
    )
    assert f.missing == ["Barack Obama"] and f.extra == ["Dmitry Medvedev"]
    assert f.score == 0.5


def test_initiator_changed_to_the_other_side_is_wrong() -> None:
    g = golden("001")  # "initiated by the American side"
    other = Initiator(
        stated=True, party="Russia", basis="x", evidence=g.events[0].initiator.evidence
    )
    f = field(scored(g, with_event(g, initiator=other)), "initiator")
    assert f.score == 0.0 and not f.passed
    assert "wrong initiator" in f.reason and "'United States'" in f.reason


@pytest.mark.parametrize("party", ["the American side", "U.S.", "united states", "Barack Obama"])
def test_initiator_is_compared_after_normalisation(party: str) -> None:
    g = golden("001")
    same = g.events[0].initiator.model_copy(update={"party": party})
    f = field(scored(g, with_event(g, initiator=same)), "initiator")
    assert f.score == 1.0, f.reason


def test_a_missed_initiator_says_which_one_the_article_states() -> None:
    g = golden("004")  # "on the initiative of Russia"
    f = field(scored(g, with_event(g, initiator=Initiator(stated=False))), "initiator")
    assert f.score == 0.0 and "missed the stated initiator 'Russia'" in f.reason


def test_an_invented_initiator_is_flagged_as_invented() -> None:
    g = golden("003")  # no initiator stated
    quote = g.events[0].participants[0].evidence
    invented = Initiator(stated=True, party="United States", basis=quote.quote, evidence=quote)
    case = scored(g, with_event(g, initiator=invented))
    f = field(case, "initiator")
    assert f.score == 0.0 and f.reason.startswith("INVENTED initiator")
    assert f.counts == {"not_stated": 1, "invented": 1}
    run = RunResult(
        label="x",
        prompt_file="p",
        prompt_version="v",
        model="m",
        recording="replay",
        cases=[case, scored(golden("001"), golden("001"))],
    )
    metrics = run_metrics(run.cases)
    assert metrics["invented_initiator_rate"] == 1.0
    assert metrics["initiator_accuracy"] == 1.0


def test_a_date_one_day_off_gets_half_credit_and_a_note() -> None:
    g = golden("000")  # "Friday's" on 03.03.2013 -> 2013-03-01
    assert g.events[0].date == dt.date(2013, 3, 1)
    near = field(scored(g, with_event(g, date=dt.date(2013, 3, 2))), "date")
    assert near.score == 0.5 and "off by one day" in near.reason and not near.passed
    far = field(scored(g, with_event(g, date=dt.date(2013, 3, 8))), "date")
    assert far.score == 0.0 and "expected 2013-03-01, got 2013-03-08" in far.reason
    none = field(scored(g, with_event(g, date=None)), "date")
    assert none.score == 0.0 and "missing" in none.reason


def test_a_resolved_date_where_the_golden_has_no_anchor_is_wrong() -> None:
    g = golden("004")
    assert g.events[0].date is None
    f = field(scored(g, with_event(g, date=dt.date(2016, 1, 1))), "date")
    assert f.score == 0.0 and "unresolved" in f.reason


def test_swapped_outcome_attribution_is_counted_among_paired_outcomes() -> None:
    g = golden("004")  # Kremlin and White House readouts
    swap = {"Kremlin": "White House", "White House": "Kremlin"}
    outcomes = [
        o.model_copy(update={"stated_by": swap.get(o.stated_by, o.stated_by)})
        for o in g.events[0].outcomes
    ]
    case = scored(g, with_event(g, outcomes=outcomes))
    assert field(case, "outcomes").score == 1.0  # the same claims, all found
    attribution = field(case, "outcome_attribution")
    assert attribution.score == 0.0
    assert attribution.counts == {"paired": len(outcomes), "right": 0}
    assert any("expected 'Kremlin', got 'White House'" in w for w in attribution.missing)


def test_outcomes_pair_by_shared_evidence_even_when_reworded() -> None:
    g = golden("001")
    reworded = [o.model_copy(update={"statement": "zzz qqq"}) for o in g.events[0].outcomes]
    f = field(scored(g, with_event(g, outcomes=reworded)), "outcomes")
    assert f.score == 1.0


def test_an_outcome_kind_change_shows_in_outcome_kind() -> None:
    g = golden("001")
    outcomes = list(g.events[0].outcomes)
    outcomes[0] = outcomes[0].model_copy(update={"kind": "disagreed"})
    case = scored(g, with_event(g, outcomes=outcomes))
    kind = field(case, "outcome_kind")
    assert kind.score == pytest.approx((len(outcomes) - 1) / len(outcomes), abs=1e-4)
    assert "expected agreed, got disagreed" in kind.reason


def test_missing_and_extra_topics_are_listed() -> None:
    g = golden("001")
    topics = [*g.events[0].topics[1:], "Olympic Games"]
    f = field(scored(g, with_event(g, topics=topics)), "topics")
    # "Syria" would also pair with "UN Security Council draft resolutions on Syria"; the exact
    # topic wins that tie, so the dropped one is what is reported missing.
    assert f.missing == ["Syria"] and f.extra == ["Olympic Games"]
    assert f.counts == {"tp": 2, "golden": 3, "predicted": 3}


def test_dropped_follow_up_lowers_recall() -> None:
    g = golden("000")
    f = field(scored(g, with_event(g, follow_ups=g.events[0].follow_ups[:1])), "follow_ups")
    assert f.recall == pytest.approx(1 / 3, abs=1e-4) and f.precision == 1.0
    assert len(f.missing) == 2


def test_wrong_event_type_fails_exactly() -> None:
    g = golden("002")
    f = field(scored(g, with_event(g, event_type="meeting")), "event_type")
    assert f.score == 0.0 and "expected visit, got meeting" in f.reason


def test_an_extra_event_is_counted_and_its_items_are_extra() -> None:
    g = golden("000")
    second = g.events[0].model_copy(update={"id": f"{g.article_id}#2"})
    case = scored(g, g.model_copy(update={"events": [g.events[0], second]}))
    assert field(case, "event_count").score == 0.5
    participants = field(case, "participants")
    assert participants.precision == 0.5 and participants.recall == 1.0
    assert all(x.startswith("(unmatched event #2) ") for x in participants.extra)


def test_no_predicted_event_scores_every_event_field_zero() -> None:
    g = golden("003")
    p = g.model_copy(update={"events": [], "no_event_reason": "nothing happened"})
    case = scored(g, p)
    assert field(case, "event_count").score == 0.0
    assert "nothing happened" in field(case, "event_count").reason
    for name in ("event_type", "date", "initiator", "participants", "topics", "summary"):
        assert field(case, name).score == 0.0, name
    assert not case.passed


def test_events_are_aligned_before_fields_are_scored() -> None:
    g = golden("000")
    decoy: Event = g.events[0].model_copy(
        update={"id": "x#1", "event_type": "visit", "participants": [], "date": None}
    )
    # The decoy comes first; alignment must still pair the real event with the golden one.
    case = scored(g, g.model_copy(update={"events": [decoy, g.events[0]]}))
    assert field(case, "event_type").score == 1.0
    assert field(case, "participants").recall == 1.0


def test_grounding_rate_counts_dropped_items() -> None:
    g = golden("001")
    warnings = [
        GroundingWarning(path=f"events[0].outcomes[{i}]", quote="made up", reason="not found")
        for i in range(3)
    ]
    f = field(scored(g, g.model_copy(update={"warnings": warnings})), "grounding")
    grounded = f.counts["grounded"]
    assert f.counts["dropped"] == 3
    assert f.score == pytest.approx(grounded / (grounded + 3), abs=1e-4)
    assert "events[0].outcomes[0]" in f.reason


def test_summary_and_headline_are_fuzzy() -> None:
    g = golden("002")
    close = with_event(g, summary=g.events[0].summary.replace("Kremlin", "kremlin!"))
    assert field(scored(g, close), "summary").score == 1.0
    far = with_event(g, summary="Nothing to report.")
    assert field(scored(g, far), "summary").score < 0.5


# -- the case rule ------------------------------------------------------------------------------


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


# -- config -------------------------------------------------------------------------------------


def test_config_keeps_defaults_for_fields_it_leaves_out() -> None:
    config = config_from_mapping({"fields": {"topics": {"weight": 3.0, "floor": 0.1}}})
    assert config.rule("topics") == FieldRule(weight=3.0, floor=0.1)
    assert config.rule("participants") == ScoringConfig().rule("participants")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fields": {"particpants": {"weight": 1}}}, "unknown field(s) particpants"),
        ({"case": {"threshold": 2}}, "case.threshold"),
        ({"fields": {"topics": {"floor": -1}}}, "fields.topics.floor"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_config_is_reported_with_its_location(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=r"^eval\.toml: ") as caught:
        config_from_mapping(data, "eval.toml")
    assert message in str(caught.value)


def test_the_repo_config_parses() -> None:
    import tomllib

    path = GOLDEN.parent.parent / "eval.toml"
    config = config_from_mapping(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
    assert set(config.fields) == set(FIELD_NAMES)


# -- comparison with a reference, and the verdict -----------------------------------------------


def run_of(*cases: CaseResult) -> RunResult:
    return RunResult(
        label="candidate",
        prompt_file="p.j2",
        prompt_version="v1",
        model="m",
        recording="replay",
        cases=list(cases),
    )


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


def test_describe_case_is_a_readable_diff() -> None:
    g = golden("002")
    p = with_event(g, participants=g.events[0].participants[:3])
    before, after = scored(g, g), scored(g, p)
    change = compare_runs(run_of(before), run_of(after), 0.05, "baseline", "b").cases[0]
    text = describe_case(after, change)
    assert text.startswith(f"{g.article_id}: FAIL")
    assert "- Vladislav Surkov" in text and "- Victoria Nulland" in text
    assert "REGRESSED: pass -> fail (1.00 -> 0.75)" in text


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


# -- properties ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(keep=st.lists(st.booleans(), min_size=5, max_size=5))
def test_recall_is_the_share_of_participants_kept(keep: list[bool]) -> None:
    g = golden("002")
    kept = [p for p, k in zip(g.events[0].participants, keep, strict=True) if k]
    f = field(scored(g, with_event(g, participants=kept)), "participants")
    assert f.recall == pytest.approx(len(kept) / 5)
    assert f.precision == 1.0
    assert len(f.missing) == 5 - len(kept)
    assert 0.0 <= f.score <= 1.0


@settings(max_examples=60, deadline=None)
@given(
    golden_items=st.lists(st.text(min_size=1, max_size=12), max_size=6),
    predicted_items=st.lists(st.text(min_size=1, max_size=12), max_size=6),
    threshold=st.floats(min_value=0, max_value=100),
)
def test_pairing_is_one_to_one_and_accounts_for_every_item(
    golden_items: list[str], predicted_items: list[str], threshold: float
) -> None:
    pairing = pair_items(golden_items, predicted_items, threshold)
    paired_g = [i for i, _, _ in pairing.pairs]
    paired_p = [j for _, j, _ in pairing.pairs]
    assert len(set(paired_g)) == len(paired_g) and len(set(paired_p)) == len(paired_p)
    assert sorted(paired_g + pairing.missing) == list(range(len(golden_items)))
    assert sorted(paired_p + pairing.extra) == list(range(len(predicted_items)))
    precision, recall, f1 = prf(len(pairing.pairs), len(golden_items), len(predicted_items))
    assert 0 <= f1 <= 1 and 0 <= precision <= 1 and 0 <= recall <= 1
