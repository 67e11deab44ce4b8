"""The case rule (pure: no I/O): field comparisons become field scores under their rules, a
case passes when every required field reaches its floor and the weighted score reaches the case
threshold; repeated runs merge into one case that names its flaky fields; corpus metrics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from summarize.core.brief import Brief
from summarize.evaluation.align import prf
from summarize.evaluation.config import FIELD_NAMES, FieldRule, ScoringConfig
from summarize.evaluation.fields import RawScore, raw_scores
from summarize.evaluation.results import CaseResult, CaseStatus, FieldScore, FlakyField


def _apply(name: str, raw: RawScore, rule: FieldRule) -> FieldScore:
    score = round(min(max(raw.score, 0.0), 1.0), 4)
    passed = score >= rule.floor
    reason = raw.reason
    if not passed:
        reason = f"{reason} [{score:.2f} below floor {rule.floor:.2f}]"
    return FieldScore(
        field=name,
        score=score,
        passed=passed,
        reason=reason,
        required=rule.required,
        weight=rule.weight,
        floor=rule.floor,
        expected=raw.expected,
        got=raw.got,
        precision=None if raw.precision is None else round(raw.precision, 4),
        recall=None if raw.recall is None else round(raw.recall, 4),
        missing=list(raw.missing),
        extra=list(raw.extra),
        counts=dict(raw.counts or {}),
    )


def score_fields(golden: Brief, predicted: Brief, config: ScoringConfig) -> list[FieldScore]:
    """Compare a produced brief with its golden brief, field by field."""
    raws = raw_scores(golden, predicted, config)
    return [_apply(name, raws[name], config.rule(name)) for name in FIELD_NAMES]


def weighted_score(fields: Sequence[FieldScore]) -> float:
    total = sum(f.weight for f in fields)
    if total == 0:
        return round(sum(f.score for f in fields) / len(fields), 4) if fields else 0.0
    return round(sum(f.weight * f.score for f in fields) / total, 4)


def judge_case(
    article_id: str, fields: list[FieldScore], config: ScoringConfig, file: str | None = None
) -> CaseResult:
    """The case rule: every required field at its floor, and the weighted score at threshold."""
    score = weighted_score(fields)
    threshold = config.case.threshold
    failed_required = [f.field for f in fields if f.required and not f.passed]
    reasons = []
    if failed_required:
        reasons.append(f"required field(s) below floor: {', '.join(failed_required)}")
    if score < threshold:
        reasons.append(f"weighted score {score:.2f} below threshold {threshold:.2f}")
    passed = not reasons
    if passed:
        reasons.append(f"weighted score {score:.2f} meets threshold {threshold:.2f}")
    return CaseResult(
        article_id=article_id,
        file=file,
        status="scored",
        fields=fields,
        weighted_score=score,
        threshold=threshold,
        passed=passed,
        reason="; ".join(reasons),
    )


def score_case(
    golden: Brief, predicted: Brief, config: ScoringConfig, file: str | None = None
) -> CaseResult:
    return judge_case(golden.article_id, score_fields(golden, predicted, config), config, file)


def no_brief_case(
    article_id: str, error: str, config: ScoringConfig, file: str | None = None
) -> CaseResult:
    """The model produced no brief (invalid answers, cut-off output): every field scores 0."""
    fields = [
        _apply(name, RawScore(0.0, f"no brief produced: {error}"), config.rule(name))
        for name in FIELD_NAMES
    ]
    judged = judge_case(article_id, fields, config, file)
    return judged.model_copy(update={"status": "no_brief", "error": error})


def setup_error_case(article_id: str, error: str, file: str | None = None) -> CaseResult:
    return CaseResult(
        article_id=article_id, file=file, status="setup_error", error=error, reason=error
    )


def merge_repeats(
    runs: Sequence[CaseResult], config: ScoringConfig, tolerance: float
) -> CaseResult:
    """One case from N runs: each field's mean score, passing only if it passed every time.

    Fields whose pass/fail flips, or whose score spreads more than `tolerance`, are flaky.
    """
    first = runs[0]
    if len(runs) == 1 or any(r.status == "setup_error" for r in runs):
        return first
    fields: list[FieldScore] = []
    flaky: list[FlakyField] = []
    for name in FIELD_NAMES:
        seen = [f for r in runs if (f := r.field(name)) is not None]
        if not seen:
            continue
        scores = [f.score for f in seen]
        passes = [f.passed for f in seen]
        mean = round(sum(scores) / len(scores), 4)
        unstable = len(set(passes)) > 1 or max(scores) - min(scores) > tolerance
        worst = next((f for f in seen if not f.passed), seen[0])
        reason = worst.reason
        if unstable:
            flaky.append(FlakyField(field=name, scores=scores, passes=passes))
            spread = ", ".join(f"{s:.2f}" for s in scores)
            reason = f"FLAKY over {len(seen)} runs (scores {spread}); {reason}"
        fields.append(
            worst.model_copy(update={"score": mean, "passed": all(passes), "reason": reason})
        )
    judged = judge_case(first.article_id, fields, config, first.file)
    status: CaseStatus = "scored" if any(r.status == "scored" for r in runs) else "no_brief"
    return judged.model_copy(update={"flaky": flaky, "status": status, "error": first.error})


def run_metrics(cases: Iterable[CaseResult]) -> dict[str, float | None]:
    """Corpus-level numbers: mean field scores plus the rates the domain cares about."""
    scored = [c for c in cases if c.status != "setup_error"]
    metrics: dict[str, float | None] = {}
    if not scored:
        return metrics
    metrics["weighted_score"] = round(sum(c.weighted_score for c in scored) / len(scored), 4)
    metrics["cases_passed"] = float(sum(c.passed for c in scored))
    metrics["cases"] = float(len(scored))
    for name in FIELD_NAMES:
        values = [f.score for c in scored if (f := c.field(name)) is not None]
        metrics[f"mean.{name}"] = round(sum(values) / len(values), 4) if values else None

    def total(field: str, key: str) -> int:
        return sum(f.counts.get(key, 0) for c in scored if (f := c.field(field)) is not None)

    def ratio(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    grounded, dropped = total("grounding", "grounded"), total("grounding", "dropped")
    metrics["grounding_rate"] = ratio(grounded, grounded + dropped)
    metrics["initiator_accuracy"] = ratio(
        total("initiator", "correct"), total("initiator", "stated")
    )
    metrics["invented_initiator_rate"] = ratio(
        total("initiator", "invented"), total("initiator", "not_stated")
    )
    for name in ("participants", "topics", "outcomes", "follow_ups"):
        tp, gold, pred = (total(name, k) for k in ("tp", "golden", "predicted"))
        *_, f1 = prf(tp, gold, pred)
        metrics[f"micro_f1.{name}"] = round(f1, 4)
    return metrics
