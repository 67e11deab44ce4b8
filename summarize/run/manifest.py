"""run.json: the typed manifest of a run, built from its totals and written beside the briefs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from summarize.core.results import RunSummary, Status
from summarize.model.prompts import PromptTemplate
from summarize.outdir.ledger import Ledger
from summarize.outdir.manifest import (
    Counts,
    Durations,
    ManifestArticle,
    Quality,
    RunManifest,
    Skipped,
)
from summarize.outdir.store import OutputStore
from summarize.settings import Settings, shown_url
from summarize.sources.urls import without_credentials


def build_manifest(
    summary: RunSummary, settings: Settings, prompt: PromptTemplate, source: Path | str
) -> RunManifest:
    """The manifest of a run from its totals and how it asked."""
    done = summary.count(Status.DONE)
    price = settings.prices.get(settings.model or "")
    spent = summary.spent()
    cost = (
        (spent.prompt_tokens * price.prompt + spent.completion_tokens * price.completion) / 1e6
        if price is not None
        else None
    )
    return RunManifest(
        started_at=summary.started.isoformat(timespec="seconds"),
        interrupted=summary.interrupted,
        budget_stop=summary.budget_stop,
        source=without_credentials(str(source)),
        model=settings.model,
        base_url=shown_url(settings.base_url),
        instructor_mode=settings.resolved_mode().value,
        recording=settings.recording.value,
        prompt_file=str(prompt.path),
        prompt_version=prompt.version,
        counts=Counts(
            articles=summary.total,
            done=done,
            skipped=summary.count(Status.SKIPPED),
            failed=summary.count(Status.FAILED),
            not_attempted=summary.count(Status.NOT_ATTEMPTED),
            interrupted=summary.count(Status.INTERRUPTED),
            events=summary.events,
        ),
        usage=summary.done_usage,
        spent_usage=spent,
        cost=round(cost, 6) if cost is not None else None,
        quality=Quality(
            grounding_dropped_items=summary.dropped,
            weak_evidence_items=summary.weak,
            reasks=summary.reasks,
            articles_without_event=summary.without_event,
        ),
        durations=Durations(
            total_seconds=round(summary.seconds, 3),
            per_article_mean_seconds=round(summary.done_seconds / done, 3) if done else 0,
            per_article_max_seconds=round(summary.max_seconds, 3),
        ),
        skipped=[Skipped(file=s.file, reason=s.reason) for s in summary.skipped_files],
    )


def manifest_articles(ledger: Ledger, run_id: int) -> Iterator[ManifestArticle]:
    """run.json's per-article list, read from the ledger as it is written out."""
    for row in ledger.articles(run_id):
        yield ManifestArticle(
            id=row["article_id"],
            file=row["file"],
            status=row["status"],
            attempts=row["attempts"],
            seconds=round(row["seconds"], 3),
            note=row["note"],
        )


def write_run(store: OutputStore, summary: RunSummary, manifest: RunManifest) -> None:
    """End a run: run.json (its article list read from the ledger), errors.jsonl, and the
    run's status and counts in the ledger."""
    run_id = summary.run_id
    try:
        articles = manifest_articles(store.ledger, run_id) if run_id else iter(())
        store.write_manifest(manifest, articles)
        store.write_errors(summary.errors)
    finally:  # a folder that cannot take run.json must not leave the run "running"
        if run_id is not None:
            status = "interrupted" if summary.interrupted else "done"
            if status == "done" and summary.count(Status.NOT_ATTEMPTED):
                status = "partial"  # a budget stop, or results that lacked some articles
            store.ledger.finish_run(
                run_id, status, manifest.counts.model_dump(), manifest.as_json()
            )
