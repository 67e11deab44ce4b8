"""A batch run: articles -> requests -> responses -> briefs, with bounded concurrency.

Articles are read lazily and at most `concurrency` are in flight, so memory follows the
work in progress, not the folder size. Each brief is written the moment it is ready; a
crash loses only what was in flight, and the next run redoes just that.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from summarize import __version__
from summarize.articles import Article, IngestError, iter_articles
from summarize.assemble import assemble_brief
from summarize.brief import SCHEMA_VERSION, Brief, Provenance, Usage
from summarize.client import FatalModelError, ModelClient, ModelError
from summarize.prompts import PromptTemplate
from summarize.settings import Settings
from summarize.store import ErrorRecord, OutputStore

Status = Literal["done", "skipped", "failed"]


@dataclass(frozen=True)
class ArticleResult:
    article_id: str | None
    file: str
    status: Status
    seconds: float = 0.0
    brief: Brief | None = None
    usage: Usage = field(default_factory=Usage)
    attempts: int = 0
    reasks: int = 0
    error: ErrorRecord | None = None


# Called after each article; the CLI turns it into a progress bar.
Progress = Callable[[ArticleResult], None]


@dataclass
class RunSummary:
    results: list[ArticleResult] = field(default_factory=list)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    seconds: float = 0.0
    interrupted: str | None = None

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def errors(self) -> list[ErrorRecord]:
        return [r.error for r in self.results if r.error is not None]


async def _process(
    article: Article,
    client: ModelClient,
    prompt: PromptTemplate,
    store: OutputStore,
) -> ArticleResult:
    started = time.perf_counter()
    try:
        result = await client.extract(article, prompt)
    except FatalModelError:
        raise
    except ModelError as exc:
        return ArticleResult(
            article_id=article.id,
            file=str(article.path),
            status="failed",
            seconds=time.perf_counter() - started,
            error=ErrorRecord(article.id, str(article.path), exc.stage, str(exc)),
        )
    provenance = Provenance(
        prompt_version=prompt.version,
        model=client.settings.model,
        usage=result.usage,
        attempts=result.attempts,
        article_sha256=article.sha256,
    )
    brief = assemble_brief(result.extraction, article, provenance)
    store.write_brief(brief)
    return ArticleResult(
        article_id=article.id,
        file=str(article.path),
        status="done",
        seconds=time.perf_counter() - started,
        brief=brief,
        usage=result.usage,
        attempts=result.attempts,
        reasks=result.reasks,
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
) -> RunSummary:
    """Extract a brief for every article under `source` that lacks a current one.

    Pass `summary` to keep what was done when the run is cancelled part way.
    """
    summary = summary if summary is not None else RunSummary()
    clock = time.perf_counter()
    model = client.settings.model or ""
    pending: set[asyncio.Task[ArticleResult]] = set()

    def record(result: ArticleResult) -> None:
        summary.results.append(result)
        if on_result is not None:
            on_result(result)

    async def drain(until: int) -> None:
        nonlocal pending
        while len(pending) > until:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in sorted(done, key=lambda t: t.get_name()):
                record(task.result())

    try:
        for item in iter_articles(source):
            if isinstance(item, IngestError):
                record(
                    ArticleResult(
                        article_id=None,
                        file=str(item.path),
                        status="failed",
                        error=ErrorRecord(None, str(item.path), item.stage, item.cause),
                    )
                )
                continue
            if not force and store.is_current(item.id, item.sha256, prompt.version, model):
                record(ArticleResult(article_id=item.id, file=str(item.path), status="skipped"))
                continue
            await drain(concurrency - 1)
            pending.add(asyncio.create_task(_process(item, client, prompt, store), name=item.id))
        await drain(0)
    except FatalModelError as exc:
        summary.interrupted = str(exc)
        raise
    except asyncio.CancelledError:
        summary.interrupted = "cancelled (Ctrl-C or SIGTERM)"
        raise
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        summary.seconds = time.perf_counter() - clock
    return summary


def build_manifest(
    summary: RunSummary, settings: Settings, prompt: PromptTemplate, source: Path
) -> dict[str, Any]:
    """The run manifest (`run.json`): what ran, on what, with which results."""
    done = [r for r in summary.results if r.status == "done"]
    briefs = [r.brief for r in done if r.brief is not None]
    usage = sum((r.usage for r in done), Usage())
    timings = [r.seconds for r in done]
    return {
        "summarize_version": __version__,
        "python": platform.python_version(),
        "started_at": summary.started.isoformat(timespec="seconds"),
        "interrupted": summary.interrupted,
        "source": str(source),
        "model": settings.model,
        "base_url": settings.base_url,
        "instructor_mode": settings.resolved_mode().value,
        "recording": settings.recording.value,
        "prompt_file": str(prompt.path),
        "prompt_version": prompt.version,
        "schema_version": SCHEMA_VERSION,
        "counts": {
            "articles": len(summary.results),
            "done": len(done),
            "skipped": summary.count("skipped"),
            "failed": summary.count("failed"),
            "events": sum(len(b.events) for b in briefs),
        },
        "usage": usage.model_dump(),
        "quality": {
            "grounding_dropped_items": sum(len(b.warnings) for b in briefs),
            "reasks": sum(r.reasks for r in done),
            "articles_without_event": sum(1 for b in briefs if not b.events),
        },
        "durations": {
            "total_seconds": round(summary.seconds, 3),
            "per_article_mean_seconds": round(sum(timings) / len(timings), 3) if timings else 0,
            "per_article_max_seconds": round(max(timings), 3) if timings else 0,
        },
        "articles": [
            {
                "id": r.article_id,
                "file": r.file,
                "status": r.status,
                "attempts": r.attempts,
                "seconds": round(r.seconds, 3),
            }
            for r in summary.results
        ],
    }
