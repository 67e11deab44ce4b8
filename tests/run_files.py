"""run.json and errors.jsonl for hand-made output folders, written by summarize's own writer
(`summarize.outdir`), so that a test's folder is laid out as a run lays it out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from summarize.core.brief import Usage
from summarize.outdir.manifest import (
    Counts,
    Durations,
    ManifestArticle,
    Quality,
    RunManifest,
    write_manifest,
)
from summarize.outdir.paths import OutDir


def a_manifest(**fields: Any) -> RunManifest:
    """A run manifest with plausible values; `fields` replace them."""
    values: dict[str, Any] = {
        "started_at": "2026-01-01T00:00:00+00:00",
        "interrupted": None,
        "budget_stop": None,
        "source": "articles",
        "model": "test-model",
        "base_url": None,
        "instructor_mode": "tools",
        "recording": "off",
        "prompt_file": "prompts/extract.j2",
        "prompt_version": "test-prompt",
        "counts": Counts(
            articles=0, done=0, skipped=0, failed=0, not_attempted=0, interrupted=0, events=0
        ),
        "usage": Usage(),
        "quality": Quality(grounding_dropped_items=0, reasks=0, articles_without_event=0),
        "durations": Durations(
            total_seconds=0.0, per_article_mean_seconds=0, per_article_max_seconds=0.0
        ),
    }
    values.update(fields)
    return RunManifest(**values)


def write_run_json(
    out: Path, articles: Iterable[dict[str, Any]] = (), **fields: Any
) -> RunManifest:
    """`out`/run.json listing `articles` (id, file, status, note)."""
    manifest = a_manifest(**fields)
    listed = [ManifestArticle.model_validate(a) for a in articles]
    out.mkdir(parents=True, exist_ok=True)
    write_manifest(OutDir(out).run_json, manifest, listed)
    return manifest
