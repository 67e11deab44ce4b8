"""The scoring config: eval.toml validated, defaults kept, errors located."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summarize.core.errors import SummarizeError
from summarize.evaluation.config import (
    FIELD_NAMES,
    ConfigError,
    FieldRule,
    ScoringConfig,
    config_from_mapping,
    load_config,
)

ROOT = Path(__file__).resolve().parents[2]


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

    path = ROOT / "eval.toml"
    config = config_from_mapping(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
    assert set(config.fields) == set(FIELD_NAMES)


def test_an_unreadable_config_file_is_a_setup_error_with_exit_code_2(tmp_path: Path) -> None:
    broken = tmp_path / "eval.toml"
    broken.write_text("[case\n", encoding="utf-8")
    with pytest.raises(SummarizeError, match="not valid TOML") as caught:
        load_config(broken)
    assert isinstance(caught.value, ConfigError) and caught.value.exit_code == 2
