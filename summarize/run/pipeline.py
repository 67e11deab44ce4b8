"""A batch run: articles -> requests -> responses -> briefs, with bounded concurrency.

Articles are read lazily and at most `concurrency` are in flight, so memory follows the
work in progress, not the folder size. Each brief is written the moment it is ready; a
crash loses only what was in flight, and the next run redoes just that.

Before an article reaches the model it must not repeat an earlier article of the run (same
text: skipped, noted) and must fit `max_chars` (else refused: see docs/RELIABILITY.md).
After, the brief must not repeat the model's instructions (see `leaked_instructions`).
"""

from __future__ import annotations

import asyncio
import platform
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from summarize import __version__
from summarize.core.article import Article, IngestError
from summarize.core.assemble import assemble_brief
from summarize.core.brief import SCHEMA_VERSION, Provenance
from summarize.core.leaks import leaked_instructions
from summarize.core.results import (
    ArticleResult,
    Budget,
    ErrorRecord,
    Progress,
    RunSummary,
    Stage,
    Status,
)
from summarize.model.client import FatalModelError, ModelClient, ModelError
from summarize.model.prompts import PromptTemplate
from summarize.run.ledger import Ledger
from summarize.run.store import OutputStore
from summarize.settings import Settings, shown_url
from summarize.sources.read import iter_articles

# What write_text_atomic names its temp files: ".<name>.<random>.tmp".
_TEMP_FILE = re.compile(r"\..+\.jsonl?\.[a-z0-9_]+\.tmp")


def remove_interrupted_writes(store: OutputStore) -> list[Path]:
    """Delete the temp files of atomic writes that a killed run left in `store`.

    Call only while holding the store's lock: then no other run is writing them. Readers
    never take them for data (briefs are `*.json`); this only keeps the folder tidy.
    """
    removed = []
    for folder in (store.root, store.briefs_dir):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if _TEMP_FILE.fullmatch(path.name) and path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def _failed(article: Article, stage: Stage, cause: str, **fields: Any) -> ArticleResult:
    return ArticleResult(
        article_id=article.id,
        file=str(article.path),
        status=Status.FAILED,
        error=ErrorRecord(article.id, str(article.path), stage, cause),
        sha256=article.sha256,
        **fields,
    )


def _too_long(article: Article, max_chars: int) -> ArticleResult:
    size = len(article.body)
    return _failed(
        article,
        Stage.SIZE,
        f"the article text is {size:,} characters, over the limit of {max_chars:,}: raise "
        "--max-chars if the model's context holds it (roughly 4 characters a token), "
        "or split the article into parts",
    )


async def _process(
    article: Article,
    client: ModelClient,
    prompt: PromptTemplate,
    store: OutputStore,
    note: str | None = None,
) -> ArticleResult:
    started = time.perf_counter()
    try:
        result = await client.extract(article, prompt)
    except FatalModelError:
        raise
    except ModelError as exc:
        return _failed(article, exc.stage, str(exc), seconds=time.perf_counter() - started)
    provenance = Provenance(
        prompt_version=prompt.version,
        model=client.settings.model,
        usage=result.usage,
        attempts=result.attempts,
        article_sha256=article.sha256,
    )
    brief = assemble_brief(result.extraction, article, provenance)
    instructions = prompt.render(article=article)[0]["content"]
    leak = leaked_instructions(brief, instructions, article.text)
    if leak is not None:
        return _failed(
            article,
            Stage.VALIDATION,
            f"the answer repeats the model's instructions (at {leak}), which text in the "
            "article aimed at the model can cause; no brief was written: check the article "
            "for instructions to the model (prompt injection)",
            seconds=time.perf_counter() - started,
            usage=result.usage,
            attempts=result.attempts,
            reasks=result.reasks,
        )
    written = store.write_brief(brief)
    return ArticleResult(
        article_id=article.id,
        file=str(article.path),
        status=Status.DONE,
        seconds=time.perf_counter() - started,
        brief=brief,
        usage=result.usage,
        attempts=result.attempts,
        reasks=result.reasks,
        events=len(brief.events),
        dropped=len(brief.warnings),
        sha256=article.sha256,
        brief_sha256=written,
        note=note,
    )


async def run_batch(
    source: Path,
    store: OutputStore,
    client: ModelClient,
    prompt: PromptTemplate,
    *,
    concurrency: int,
    force: bool = False,
    on_result: Progress | None = None,
    summary: RunSummary | None = None,
    budget: Budget | None = None,
    keep_results: bool = False,
    run_id: int | None = None,
) -> RunSummary:
    """Extract a brief for every article under `source` that lacks a current one.

    Every article's outcome goes into the store's ledger under `run_id` (a new run when
    None), which is also what says whether a brief is current. Pass `summary` to keep what
    was done when the run is cancelled part way. Briefs are on disk; `summary.results` keeps
    each article's result (with its brief) only with `keep_results`, so that memory does not
    grow with the folder.
    """
    summary = summary if summary is not None else RunSummary()
    clock = time.perf_counter()
    model = client.settings.model or ""
    max_chars = client.settings.max_chars
    ledger = store.ledger
    if run_id is None:
        run_id = start_run(ledger, source, client.settings, prompt)
    summary.run_id = run_id
    # Each task's ledger row and file; the task's name is its article id.
    pending: dict[asyncio.Task[ArticleResult], tuple[int, str]] = {}

    def record(result: ArticleResult, row: int | None = None) -> None:
        log_article(ledger, run_id, result, row)
        summary.add(result, keep=keep_results)
        if on_result is not None:
            on_result(result)

    async def drain(until: int) -> None:
        while len(pending) > until:
            done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            fatal: BaseException | None = None
            # Every finished brief is accounted for, even one finishing beside a fatal error.
            for task in sorted(done, key=lambda t: t.get_name()):
                row, file = pending.pop(task)
                failure = task.exception()
                if failure is None:
                    record(task.result(), row)
                    continue
                # What stops the run (a rejected key, a full disk) failed this article too.
                if isinstance(failure, ModelError):
                    stage = failure.stage
                else:
                    stage = Stage.WRITE if isinstance(failure, OSError) else Stage.INTERNAL
                error = ErrorRecord(task.get_name(), file, stage, str(failure))
                record(ArticleResult(task.get_name(), file, Status.FAILED, error=error), row)
                fatal = fatal or failure
            if fatal is not None:
                raise fatal

    try:
        for item in iter_articles(source):
            if isinstance(item, IngestError):
                error = ErrorRecord(None, str(item.path), item.stage, item.cause)
                record(ArticleResult(None, str(item.path), Status.FAILED, error=error))
                continue
            file = str(item.path)
            first = ledger.first_with_text(run_id, item.sha256)
            if first is not None:
                first_file, first_id = first
                # Same text under another name: one brief (and one model call) is enough.
                original = first_id if first_file == file else first_file
                note = f"duplicate of {original}"
                record(ArticleResult(item.id, file, Status.SKIPPED, note=note, sha256=item.sha256))
                continue
            check = store.check_brief(item.id, item.sha256, prompt.version, model)
            if not force and check.current:
                record(ArticleResult(item.id, file, Status.SKIPPED, sha256=item.sha256))
                continue
            if len(item.body) > max_chars:
                record(_too_long(item, max_chars))
                continue
            await drain(concurrency - 1)
            stop = budget.reached(summary.spent()) if budget is not None else None
            if stop is not None:
                summary.budget_stop = stop
                record(
                    ArticleResult(
                        item.id, file, Status.NOT_ATTEMPTED, note=stop, sha256=item.sha256
                    )
                )
                continue
            row = ledger.add_article(
                run_id,
                file=file,
                article_id=item.id,
                article_sha256=item.sha256,
                status=Status.RUNNING,
            )
            # Said out loud: an analyst's correction is about to be replaced.
            remade = (
                f"its brief was changed on disk since run {check.edited_since}; made again"
                if check.edited_since is not None
                else None
            )
            task = asyncio.create_task(_process(item, client, prompt, store, remade), name=item.id)
            pending[task] = (row, file)
        await drain(0)
    except FatalModelError as exc:
        summary.interrupted = str(exc)
        raise
    except OSError as exc:
        # Writing a brief failed (disk full, a read-only folder): every later one would too.
        summary.interrupted = f"could not write to the output folder: {exc}"
        raise
    except asyncio.CancelledError:
        summary.interrupted = "cancelled (Ctrl-C or SIGTERM)"
        raise
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            # A task can finish (its brief written) in the moment the run is interrupted.
            for task, (row, _) in sorted(pending.items(), key=lambda item: item[0].get_name()):
                if not task.cancelled() and task.exception() is None:
                    record(task.result(), row)
                else:
                    ledger.finish_article(row, status=Status.INTERRUPTED)
                    summary.counts[Status.INTERRUPTED] += 1
        summary.seconds = time.perf_counter() - clock
    return summary


def log_article(ledger: Ledger, run_id: int, result: ArticleResult, row: int | None = None) -> None:
    """Put a finished article's outcome in the ledger: a new row, or `row` (its "running"
    row) finished."""
    outcome: dict[str, Any] = {
        "status": result.status,
        "brief_sha256": result.brief_sha256,
        "attempts": result.attempts,
        "seconds": result.seconds,
        "note": result.note,
    }
    if row is not None:
        ledger.finish_article(row, **outcome)
        return
    ledger.add_article(
        run_id,
        file=result.file,
        article_id=result.article_id,
        article_sha256=result.sha256,
        **outcome,
    )


def start_run(ledger: Ledger, source: Path, settings: Settings, prompt: PromptTemplate) -> int:
    """A new run in the ledger, described by what it reads and how it asks."""
    return ledger.start_run(
        source=str(source),
        model=settings.model,
        prompt_version=prompt.version,
        schema_version=SCHEMA_VERSION,
        recording=settings.recording.value,
    )


def write_run(store: OutputStore, summary: RunSummary, manifest: dict[str, Any]) -> None:
    """End a run: run.json (its article list read from the ledger), errors.jsonl, and the
    run's status and counts in the ledger."""
    run_id = summary.run_id
    try:
        store.write_manifest(manifest, manifest_articles(store.ledger, run_id) if run_id else ())
        store.write_errors(summary.errors)
    finally:  # a folder that cannot take run.json must not leave the run "running"
        if run_id is not None:
            status = "interrupted" if summary.interrupted else "done"
            if status == "done" and summary.count(Status.NOT_ATTEMPTED):
                status = "partial"  # a budget stop, or results that lacked some articles
            store.ledger.finish_run(run_id, status, manifest["counts"])


def manifest_articles(ledger: Ledger, run_id: int) -> Iterator[dict[str, Any]]:
    """run.json's per-article list, read from the ledger as it is written out."""
    for row in ledger.articles(run_id):
        yield {
            "id": row["article_id"],
            "file": row["file"],
            "status": row["status"],
            "attempts": row["attempts"],
            "seconds": round(row["seconds"], 3),
            "note": row["note"],
        }


def build_manifest(
    summary: RunSummary, settings: Settings, prompt: PromptTemplate, source: Path
) -> dict[str, Any]:
    """The run manifest (`run.json`) without its per-article list (`manifest_articles`)."""
    done = summary.count(Status.DONE)
    return {
        "summarize_version": __version__,
        "python": platform.python_version(),
        "started_at": summary.started.isoformat(timespec="seconds"),
        "interrupted": summary.interrupted,
        "budget_stop": summary.budget_stop,
        "source": str(source),
        "model": settings.model,
        "base_url": shown_url(settings.base_url),
        "instructor_mode": settings.resolved_mode().value,
        "recording": settings.recording.value,
        "prompt_file": str(prompt.path),
        "prompt_version": prompt.version,
        "schema_version": SCHEMA_VERSION,
        "counts": {
            "articles": summary.total,
            "done": done,
            "skipped": summary.count(Status.SKIPPED),
            "failed": summary.count(Status.FAILED),
            "not_attempted": summary.count(Status.NOT_ATTEMPTED),
            "interrupted": summary.count(Status.INTERRUPTED),
            "events": summary.events,
        },
        "usage": summary.done_usage.model_dump(),
        "quality": {
            "grounding_dropped_items": summary.dropped,
            "reasks": summary.reasks,
            "articles_without_event": summary.without_event,
        },
        "durations": {
            "total_seconds": round(summary.seconds, 3),
            "per_article_mean_seconds": round(summary.done_seconds / done, 3) if done else 0,
            "per_article_max_seconds": round(summary.max_seconds, 3),
        },
    }
