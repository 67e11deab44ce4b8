"""The baseline: a committed eval report whose scores later runs must not fall below. Where it
is, reading it, and rewriting it (`--update-baseline`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from summarize.atomic import write_text_atomic
from summarize.evaluation.config import ConfigError, ScoringConfig
from summarize.evaluation.results import Report


def baseline_path(
    config: ScoringConfig,
    config_file: Path | None,
    chosen: Path | None = None,
    no_baseline: bool = False,
) -> Path | None:
    """The baseline to compare with: none, the `chosen` one, or the one eval.toml names."""
    if no_baseline:
        return None
    if chosen is not None:
        return chosen
    relative = Path(config.baseline.path)
    # A relative path in eval.toml means: next to eval.toml, wherever eval is run from.
    if config_file is not None and not relative.is_absolute():
        return config_file.parent / relative
    return relative


def load_baseline(path: Path) -> Report:
    try:
        return Report.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc.strerror}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"{path} is not a summarize eval report ({where}: {first['msg']})"
        ) from None


def write_baseline(report: Report, path: Path) -> None:
    """Keep this run's scores as the baseline (without what they were compared with)."""
    write_text_atomic(path, report.as_baseline().model_dump_json(indent=2) + "\n")
