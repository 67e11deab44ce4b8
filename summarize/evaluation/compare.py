"""A run against a reference run, and the verdict (pure: no I/O).

The reference is the committed baseline report or a second prompt; every case and field is
marked regressed, improved, unchanged, added or removed. `decide` is the single rule that turns
a run, its comparison and the setup errors into the verdict that is printed and becomes the
exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from summarize.evaluation.config import FIELD_NAMES
from summarize.evaluation.results import (
    EXIT_FAIL,
    EXIT_PASS,
    EXIT_SETUP,
    CaseChange,
    CaseResult,
    ChangeStatus,
    Comparison,
    FieldChange,
    FieldScore,
    RunResult,
    SetupError,
    Verdict,
)


def _compare_field(
    before: FieldScore | None, after: FieldScore | None, tol: float, name: str
) -> FieldChange:
    if before is None and after is None:
        return FieldChange(field=name, status="not_compared")
    if before is None:
        assert after is not None
        return FieldChange(
            field=name,
            status="added",
            after=after.score,
            after_passed=after.passed,
            reason="not in the reference",
        )
    if after is None:
        return FieldChange(
            field=name,
            status="removed",
            before=before.score,
            before_passed=before.passed,
            reason="no longer scored",
        )
    delta = round(after.score - before.score, 4)
    moved = f"{before.score:.2f} -> {after.score:.2f}"
    status: ChangeStatus
    if before.passed and not after.passed:
        status, reason = "regressed", f"pass -> fail ({moved})"
    elif delta < -tol:
        status, reason = "regressed", f"score dropped {moved} ({delta:+.2f}, tolerance {tol:.2f})"
    elif not before.passed and after.passed:
        status, reason = "improved", f"fail -> pass ({moved})"
    elif delta > tol:
        status, reason = "improved", f"score rose {moved} ({delta:+.2f})"
    else:
        status, reason = "unchanged", f"{delta:+.2f} within tolerance"
    return FieldChange(
        field=name,
        status=status,
        before=before.score,
        after=after.score,
        before_passed=before.passed,
        after_passed=after.passed,
        delta=delta,
        reason=reason,
    )


def _compare_case(before: CaseResult | None, after: CaseResult | None, tol: float) -> CaseChange:
    if before is None:
        assert after is not None
        return CaseChange(
            article_id=after.article_id,
            status="added",
            after_score=after.weighted_score,
            after_passed=after.passed,
            reason="new case: not in the reference",
        )
    if after is None:
        return CaseChange(
            article_id=before.article_id,
            status="removed",
            before_score=before.weighted_score,
            before_passed=before.passed,
            reason="case no longer evaluated",
        )
    if "setup_error" in (before.status, after.status):
        which = "current run" if after.status == "setup_error" else "reference"
        return CaseChange(
            article_id=after.article_id, status="not_compared", reason=f"setup error in the {which}"
        )
    names = [n for n in FIELD_NAMES if before.field(n) is not None or after.field(n) is not None]
    fields = [_compare_field(before.field(n), after.field(n), tol, n) for n in names]
    delta = after.weighted_score - before.weighted_score
    regressed = [f.field for f in fields if f.status == "regressed"]
    improved = [f.field for f in fields if f.status == "improved"]
    notes: list[str] = []
    if before.passed and not after.passed:
        notes.append("case pass -> fail")
    if delta < -tol:
        notes.append(f"weighted score {before.weighted_score:.2f} -> {after.weighted_score:.2f}")
    if regressed:
        notes.append(f"fields regressed: {', '.join(regressed)}")
    status: ChangeStatus
    if notes:
        status = "regressed"
        if improved:
            notes.append(f"fields improved: {', '.join(improved)}")
    elif improved or (not before.passed and after.passed) or delta > tol:
        status = "improved"
        notes.append(f"fields improved: {', '.join(improved)}" if improved else "case improved")
    else:
        status = "unchanged"
        notes.append("no field moved beyond tolerance")
    return CaseChange(
        article_id=after.article_id,
        status=status,
        before_score=before.weighted_score,
        after_score=after.weighted_score,
        before_passed=before.passed,
        after_passed=after.passed,
        reason="; ".join(notes),
        fields=fields,
    )


def compare_runs(
    reference: RunResult,
    current: RunResult,
    tolerance: float,
    kind: Literal["baseline", "prompt"],
    source: str,
) -> Comparison:
    """Per case and per field: what regressed, improved, was added or removed."""
    ids = [c.article_id for c in current.cases]
    ids += [c.article_id for c in reference.cases if c.article_id not in ids]
    return Comparison(
        reference_kind=kind,
        reference=source,
        reference_prompt_version=reference.prompt_version,
        reference_model=reference.model,
        tolerance=tolerance,
        cases=[_compare_case(reference.case(i), current.case(i), tolerance) for i in ids],
    )


def decide(
    run: RunResult, comparison: Comparison | None, setup_errors: Sequence[SetupError]
) -> Verdict:
    """The single rule behind both the printed verdict and the exit code."""
    if setup_errors:
        kinds = sorted({e.kind.replace("_", " ") for e in setup_errors})
        return Verdict(
            exit_code=EXIT_SETUP,
            status="setup_error",
            headline=f"SETUP ERROR: {', '.join(kinds)} ({len(setup_errors)})",
            reasons=[f"{e.article_id or '-'}: {e.message} -> {e.fix}" for e in setup_errors],
        )
    reasons: list[str] = []
    failed = [c for c in run.cases if not c.passed]
    for case in failed:
        reasons.append(f"{case.article_id}: FAIL: {case.reason}")
    regressed = [c for c in comparison.cases if c.status == "regressed"] if comparison else []
    for change in regressed:
        reasons.append(
            f"{change.article_id}: REGRESSION vs {comparison_name(comparison)}: {change.reason}"
        )
    if not run.cases:
        return Verdict(
            exit_code=EXIT_SETUP,
            status="setup_error",
            headline="SETUP ERROR: no cases to evaluate",
            reasons=["no articles found: check the source folder"],
        )
    if failed or regressed:
        parts = []
        if failed:
            parts.append(f"{len(failed)}/{len(run.cases)} case(s) below threshold")
        if regressed:
            parts.append(f"{len(regressed)} regression(s)")
        return Verdict(
            exit_code=EXIT_FAIL,
            status="fail",
            headline="FAIL: " + ", ".join(parts),
            reasons=reasons,
        )
    floored = any(c.has_quality_floor() for c in run.cases)
    headline = _pass_headline(len(run.cases), comparison, floored)
    if not floored:
        reasons.append(
            f"{len(run.cases)} case(s) scored but not judged on quality: the case threshold and "
            "every required field's floor are 0; raise them in the eval config ([case] "
            "threshold, [fields] floor) to judge quality"
        )
    return Verdict(
        exit_code=EXIT_PASS,
        status="pass",
        headline=headline,
        reasons=reasons,
        quality_floor=floored,
    )


def _pass_headline(cases: int, comparison: Comparison | None, floored: bool) -> str:
    # Without a floor nothing can fail on quality, so a pass must not read as good scores.
    if floored:
        headline = f"PASS: {cases} case(s) meet their thresholds"
        if comparison is not None:
            headline += f", no regression vs {comparison_name(comparison)}"
    elif comparison is not None:
        headline = f"NO REGRESSION vs {comparison_name(comparison)}; no quality floor set"
    else:
        headline = "NOT JUDGED: no quality floor set and no reference to compare with"
    improved = comparison.count("improved") if comparison is not None else 0
    if improved and comparison is not None and comparison.reference_kind == "baseline":
        # Unrecorded gains are not protected: a later drop back would pass unnoticed.
        headline += f"; {improved} improved (keep them with --update-baseline)"
    return headline


def comparison_name(comparison: Comparison | None) -> str:
    if comparison is None:
        return "nothing"
    if comparison.reference_kind == "baseline":
        return f"baseline {comparison.reference}"
    return f"prompt {comparison.reference} ({comparison.reference_prompt_version})"
