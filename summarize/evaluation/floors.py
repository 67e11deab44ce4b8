"""Floors from a set of briefs someone checked (pure): each field's floor is the lowest score
any case reached on that set, less a margin, so a prompt or model that does worse than the
checked set on any field fails the gate, while the set itself passes."""

from __future__ import annotations

import math

from summarize.evaluation.config import FIELD_NAMES, ScoringConfig
from summarize.evaluation.results import RunResult

STEP = 0.05  # floors are written in steps of 0.05: a floor is a judgement, not a measurement


def _down(value: float) -> float:
    return max(0.0, round(math.floor(round(value / STEP, 6)) * STEP, 2))


def suggested_floors(run: RunResult, margin: float) -> tuple[float, dict[str, float]]:
    """The case threshold and each field's floor that every scored case of `run` meets with
    `margin` to spare (rounded down to a step of 0.05)."""
    scored = [c for c in run.cases if c.status == "scored"]
    if not scored:
        return 0.0, {}
    threshold = _down(min(c.weighted_score for c in scored) - margin)
    floors = {}
    for name in FIELD_NAMES:
        scores = [f.score for c in scored if (f := c.field(name)) is not None]
        if scores:
            floors[name] = _down(min(scores) - margin)
    return threshold, floors


def floors_toml(run: RunResult, config: ScoringConfig) -> str:
    """eval.toml's [case] and [fields] with the suggested floors; weights and `required` kept."""
    threshold, floors = suggested_floors(run, config.baseline.tolerance)
    scored = sum(c.status == "scored" for c in run.cases)
    lines = [
        f"# Floors from {scored} scored case(s) of prompt {run.prompt_version} with model "
        f"{run.model}: the lowest score less {config.baseline.tolerance:.2f}, in steps of "
        f"{STEP:.2f}.",
        "[case]",
        f"threshold = {threshold:.2f}",
        "",
        "[fields]",
    ]
    for name in FIELD_NAMES:
        rule = config.rule(name)
        floor = floors.get(name, rule.floor)
        key = f'"{name}"' if "." in name else name
        required = ", required = true" if rule.required else ""
        lines.append(f"{key} = {{ weight = {rule.weight:g}, floor = {floor:.2f}{required} }}")
    return "\n".join(lines) + "\n"
