"""What an evaluation matrix finds, as data: each cell's report with what it cost, and the
matrix around them (the JSON report's format). A cell is one prompt with one model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from summarize.core.brief import Brief, Usage
from summarize.core.results import ArticleResult
from summarize.evaluation.config import ScoringConfig
from summarize.evaluation.results import EXIT_FAIL, EXIT_PASS, EXIT_SETUP, Report, Verdict

MATRIX_FORMAT = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CellStats(_Frozen):
    """What one cell's run over the articles took."""

    articles: int = 0
    briefs: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost: float | None = Field(None, description="With a price for the model in summarize.toml.")
    reasks: int = 0
    seconds_mean: float = 0.0
    seconds_max: float = 0.0
    latency: Literal["model", "replay"] = Field(
        "model",
        description="replay: answers came from recordings, so seconds are not the model's "
        "(tokens and re-asks are: they are recorded).",
    )


def cell_stats(
    results: Sequence[ArticleResult],
    price: tuple[float, float] | None,
    replayed: bool,
) -> CellStats:
    """Tokens (failed attempts included), cost, re-asks and seconds per article of one run."""
    usage = sum((r.usage for r in results), Usage())
    seconds = [r.seconds for r in results if r.article_id is not None]
    cost = None
    if price is not None:
        cost = round((usage.prompt_tokens * price[0] + usage.completion_tokens * price[1]) / 1e6, 6)
    return CellStats(
        articles=len(seconds),
        briefs=sum(r.brief is not None for r in results),
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        total_tokens=usage.total_tokens,
        cost=cost,
        reasks=sum(r.reasks for r in results),
        seconds_mean=round(sum(seconds) / len(seconds), 3) if seconds else 0.0,
        seconds_max=round(max(seconds, default=0.0), 3),
        latency="replay" if replayed else "model",
    )


class Cell(_Frozen):
    """One prompt with one model over every article: its report, costs and outputs."""

    label: str
    prompt_file: str
    prompt_version: str
    model: str | None
    endpoint: str | None = Field(None, description="The base URL called (no credentials).")
    recordings: str | None
    stats: CellStats
    report: Report
    outputs: dict[str, Brief] = Field(
        default_factory=dict, description="The brief each article got, by article id."
    )


class MatrixReport(_Frozen):
    """Everything a matrix `summarize eval` found; the JSON report's format."""

    format: int = MATRIX_FORMAT
    tool: str = "summarize eval matrix"
    created_at: str
    git_commit: str | None
    git_dirty: bool | None
    schema_version: str
    config_file: str | None
    config: ScoringConfig
    articles: list[str]
    goldens: dict[str, Brief]
    cells: list[Cell]
    verdict: Verdict


def matrix_verdict(cells: Iterable[Cell]) -> Verdict:
    """The matrix fails when any cell fails; a setup error in any cell is a setup error."""
    cells = list(cells)
    code = max((c.report.verdict.exit_code for c in cells), default=EXIT_SETUP)
    reasons = [f"{c.label}: {c.report.verdict.headline}" for c in cells]
    floored = all(c.report.verdict.quality_floor for c in cells)
    if code == EXIT_SETUP:
        bad = [c.label for c in cells if c.report.verdict.exit_code == EXIT_SETUP]
        headline = f"SETUP ERROR in {len(bad)} of {len(cells)} cells: {', '.join(bad)}"
        return Verdict(exit_code=code, status="setup_error", headline=headline, reasons=reasons)
    if code == EXIT_FAIL:
        bad = [c.label for c in cells if c.report.verdict.exit_code == EXIT_FAIL]
        headline = f"FAIL: {len(bad)} of {len(cells)} cells fail: {', '.join(bad)}"
        return Verdict(exit_code=code, status="fail", headline=headline, reasons=reasons)
    if floored:
        headline = f"PASS: all {len(cells)} cells meet their floors"
    else:
        headline = f"NOT JUDGED ON QUALITY: {len(cells)} cells, no quality floor set"
    return Verdict(
        exit_code=EXIT_PASS,
        status="pass",
        headline=headline,
        reasons=reasons,
        quality_floor=floored,
    )
