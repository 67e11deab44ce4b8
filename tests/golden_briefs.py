"""The golden briefs of the seeds, and builders for perturbed copies and runs of them (pure).

Shared by the scoring tests under tests/evaluation/: a golden scored against a changed copy of
itself shows exactly what one change costs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from summarize.core.brief import Brief
from summarize.evaluation.cases import score_case
from summarize.evaluation.config import ScoringConfig
from summarize.evaluation.results import CaseResult, RunResult

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


def run_of(*cases: CaseResult) -> RunResult:
    return RunResult(
        label="candidate",
        prompt_file="p.j2",
        prompt_version="v1",
        model="m",
        recording="replay",
        cases=list(cases),
    )
