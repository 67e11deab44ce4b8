"""The scoring rules (eval.toml): field weights and floors, the case threshold, fuzzy-match
thresholds, party aliases and the baseline tolerance. Reading eval.toml is its only I/O."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from summarize.core.errors import EXIT_USAGE, SummarizeError
from summarize.evaluation.cell_plan import ModelEndpoint

DEFAULT_CONFIG = Path("eval.toml")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldRule(_Frozen):
    weight: float = Field(1.0, ge=0)
    floor: float = Field(0.0, ge=0, le=1, description="Absolute minimum score for this field.")
    required: bool = False


class CaseRules(_Frozen):
    threshold: float = Field(0.7, ge=0, le=1, description="Minimum weighted score of a case.")


class BaselineRules(_Frozen):
    tolerance: float = Field(0.05, ge=0, le=1, description="Score drop that counts as noise.")
    path: str = "fixtures/baseline.json"


class Matching(_Frozen):
    """rapidfuzz similarity (0..100) at which two items count as the same."""

    names: float = Field(80, ge=0, le=100)
    topics: float = Field(70, ge=0, le=100)
    outcomes: float = Field(70, ge=0, le=100)
    follow_ups: float = Field(70, ge=0, le=100)
    attribution: float = Field(80, ge=0, le=100)


# Defaults for a capable model. The repo's eval.toml overrides them for the recorded one.
DEFAULT_RULES: Mapping[str, FieldRule] = {
    "event_count": FieldRule(weight=1, floor=1.0, required=True),
    "event_type": FieldRule(weight=2, floor=1.0, required=True),
    "date": FieldRule(weight=1, floor=1.0),
    "initiator": FieldRule(weight=2, floor=1.0, required=True),
    "participants": FieldRule(weight=2, floor=0.8, required=True),
    "topics": FieldRule(weight=1, floor=0.5),
    "outcomes": FieldRule(weight=2, floor=0.5),
    "outcome_attribution": FieldRule(weight=1, floor=0.5),
    "outcome_kind": FieldRule(weight=0.5, floor=0.5),
    "follow_ups": FieldRule(weight=1, floor=0.5),
    "location": FieldRule(weight=0.5, floor=0.0),
    "summary": FieldRule(weight=0.5, floor=0.3),
    "grounding": FieldRule(weight=1, floor=0.8, required=True),
    "source.outlet": FieldRule(weight=0.5, floor=0.0),
    "source.headline": FieldRule(weight=0.5, floor=0.0),
    "source.published_date": FieldRule(weight=0.5, floor=1.0),
}
FIELD_NAMES: tuple[str, ...] = tuple(DEFAULT_RULES)


class ScoringConfig(_Frozen):
    case: CaseRules = CaseRules()
    baseline: BaselineRules = BaselineRules()
    matching: Matching = Matching()
    # Canonical party name -> other ways of naming it ("United States" -> "the American side").
    aliases: dict[str, list[str]] = Field(default_factory=dict)
    fields: dict[str, FieldRule] = Field(default_factory=lambda: dict(DEFAULT_RULES))

    @field_validator("fields", mode="after")
    @classmethod
    def _known_fields(cls, value: dict[str, FieldRule]) -> dict[str, FieldRule]:
        unknown = sorted(set(value) - set(FIELD_NAMES))
        if unknown:
            raise ValueError(
                f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELD_NAMES)}"
            )
        return {name: value.get(name, DEFAULT_RULES[name]) for name in FIELD_NAMES}

    def rule(self, name: str) -> FieldRule:
        return self.fields[name]


class ConfigError(SummarizeError):
    """An evaluation config or baseline that cannot be used; the message says where and why."""

    # Nothing was scored: a setup error, like every other problem that stops eval early.
    exit_code: ClassVar[int] = EXIT_USAGE


def config_from_mapping(data: Mapping[str, Any], source: str = "<config>") -> ScoringConfig:
    """Validate a parsed eval.toml; fields it leaves out keep their defaults."""
    # [models] says where the matrix's models are served: not a scoring rule (load_endpoints).
    rules = {key: value for key, value in data.items() if key != "models"}
    try:
        return ScoringConfig.model_validate(rules)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{source}: {problems}") from None


def load_endpoints(path: Path | None) -> dict[str, ModelEndpoint]:
    """eval.toml's `[models."name"]` tables: each model's base_url and recordings folder."""
    if path is None:
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("models", {})
        return {str(name): ModelEndpoint.model_validate(value) for name, value in table.items()}
    except (OSError, tomllib.TOMLDecodeError, AttributeError) as exc:
        raise ConfigError(f"{path}: cannot read [models]: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: [models] {where}: {first['msg']}") from None


def load_config(path: Path | None) -> tuple[ScoringConfig, Path | None]:
    """The scoring config from `path`, or ./eval.toml, or the built-in defaults."""
    if path is None and DEFAULT_CONFIG.is_file():
        path = DEFAULT_CONFIG
    if path is None:
        return ScoringConfig(), None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return config_from_mapping(data, str(path)), path
