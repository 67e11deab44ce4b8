"""What an evaluation finds, as data: field scores, cases, runs, comparisons, the verdict and the
report that holds them all (also the format of the baseline file)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from summarize.evaluation.config import ScoringConfig

EXIT_PASS, EXIT_FAIL, EXIT_SETUP = 0, 1, 2
REPORT_FORMAT = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldScore(_Frozen):
    field: str
    score: float
    passed: bool
    reason: str
    required: bool = False
    weight: float = 0.0
    floor: float = 0.0
    expected: str | None = None
    got: str | None = None
    precision: float | None = None
    recall: float | None = None
    missing: list[str] = Field(default_factory=list)
    extra: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)


class FlakyField(_Frozen):
    field: str
    scores: list[float]
    passes: list[bool]


CaseStatus = Literal["scored", "no_brief", "setup_error"]


class CaseResult(_Frozen):
    article_id: str
    file: str | None = None
    status: CaseStatus
    error: str | None = Field(None, description="Why there is no brief, or the setup problem.")
    fields: list[FieldScore] = Field(default_factory=list)
    weighted_score: float = 0.0
    threshold: float = 0.0
    passed: bool = False
    reason: str = ""
    flaky: list[FlakyField] = Field(default_factory=list)

    def field(self, name: str) -> FieldScore | None:
        return next((f for f in self.fields if f.field == name), None)

    def has_quality_floor(self) -> bool:
        """Whether the case can fail on quality: a threshold or a required floor above 0."""
        return self.threshold > 0 or any(f.required and f.floor > 0 for f in self.fields)


class RunResult(_Frozen):
    """One prompt evaluated over all cases."""

    label: str
    prompt_file: str
    prompt_version: str
    model: str | None
    recording: str
    repeat: int = 1
    cases: list[CaseResult]
    metrics: dict[str, float | None] = Field(default_factory=dict)

    def case(self, article_id: str) -> CaseResult | None:
        return next((c for c in self.cases if c.article_id == article_id), None)


ChangeStatus = Literal["regressed", "improved", "unchanged", "added", "removed", "not_compared"]


class FieldChange(_Frozen):
    field: str
    status: ChangeStatus
    before: float | None = None
    after: float | None = None
    before_passed: bool | None = None
    after_passed: bool | None = None
    delta: float | None = None
    reason: str = ""


class CaseChange(_Frozen):
    article_id: str
    status: ChangeStatus
    before_score: float | None = None
    after_score: float | None = None
    before_passed: bool | None = None
    after_passed: bool | None = None
    reason: str = ""
    fields: list[FieldChange] = Field(default_factory=list)

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)


class Comparison(_Frozen):
    reference_kind: Literal["baseline", "prompt"]
    reference: str
    reference_prompt_version: str
    reference_model: str | None
    tolerance: float
    cases: list[CaseChange]

    def case(self, article_id: str) -> CaseChange | None:
        return next((c for c in self.cases if c.article_id == article_id), None)

    def count(self, status: ChangeStatus) -> int:
        return sum(1 for c in self.cases if c.status == status)


SetupKind = Literal[
    "stale_recording",
    "missing_recording",
    "missing_golden",
    "invalid_golden",
    "ingest",
    "baseline",
    "config",
    "endpoint",
]


class SetupError(_Frozen):
    kind: SetupKind
    article_id: str | None = None
    message: str
    fix: str


class Verdict(_Frozen):
    exit_code: int
    status: Literal["pass", "fail", "setup_error"]
    headline: str
    reasons: list[str] = Field(default_factory=list)
    quality_floor: bool = Field(
        True,
        description="False on a pass no case could have failed on quality: no regression only.",
    )


class Report(_Frozen):
    """Everything one `summarize eval` found; also the format of the baseline file."""

    format: int = REPORT_FORMAT
    tool: str = "summarize eval"
    created_at: str
    git_commit: str | None
    git_dirty: bool | None
    schema_version: str
    prompt_file: str
    prompt_version: str
    model: str | None
    recording: str
    config_file: str | None
    config: ScoringConfig
    run: RunResult
    reference_run: RunResult | None = None
    comparison: Comparison | None = None
    setup_errors: list[SetupError]
    verdict: Verdict

    def as_baseline(self) -> Report:
        """What the baseline keeps: this run's scores, not what they were compared with."""
        return self.model_copy(update={"reference_run": None, "comparison": None})
