"""One article's work: the model's answer, the brief made of it, the brief written.

The same in this process and in a worker process (`summarize.run.worker`): whichever runs
it, an article ends as one `ArticleResult`, or raises what stops the whole run (a fatal
model error, a folder that cannot be written).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from summarize.core.article import Article
from summarize.core.brief import Brief, Provenance
from summarize.core.errors import ArticleError
from summarize.core.finish import finish_brief
from summarize.core.results import ArticleResult, ErrorRecord, Stage, Status
from summarize.model.client import FatalModelError, ModelClient, ModelError
from summarize.model.prompts import PromptTemplate
from summarize.outdir.store import OutputStore


def failed(article: Article, stage: Stage, cause: str, **fields: Any) -> ArticleResult:
    return ArticleResult(
        article_id=article.id,
        file=article.file,
        status=Status.FAILED,
        error=ErrorRecord(article.id, article.file, stage, cause),
        sha256=article.sha256,
        **fields,
    )


async def process_article(
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
        # Every answer the article got is paid for, the failed ones too.
        return failed(
            article,
            exc.stage,
            str(exc),
            seconds=time.perf_counter() - started,
            usage=exc.usage,
            attempts=exc.attempts,
        )
    provenance = Provenance(
        prompt_version=prompt.version,
        model=client.settings.model,
        usage=result.usage,
        attempts=result.attempts,
        article_sha256=article.sha256,
    )
    try:
        # An endpoint that echoes the key or Basic credentials into its answer: not kept.
        brief = client.masked(
            finish_brief(result.extraction, article, provenance, result.instructions)
        )
    except ArticleError as exc:
        return failed(
            article,
            exc.stage,
            str(exc),
            seconds=time.perf_counter() - started,
            usage=result.usage,
            attempts=result.attempts,
            reasks=result.reasks,
        )
    written = await _write(store, brief)
    return ArticleResult(
        article_id=article.id,
        file=article.file,
        status=Status.DONE,
        seconds=time.perf_counter() - started,
        brief=brief,
        usage=result.usage,
        attempts=result.attempts,
        reasks=result.reasks,
        events=len(brief.events),
        dropped=brief.warned("dropped"),
        weak=brief.warned("weak"),
        sha256=article.sha256,
        brief_sha256=written,
        note=note,
    )


async def _write(store: OutputStore, brief: Brief) -> str:
    """Write the brief in a thread: its fsync waits on the disk, not on the event loop, so
    other articles go on meanwhile. A write once begun is finished and accounted for, even
    if the run is stopped during it: the brief is then on disk, and the ledger says so."""
    write = asyncio.ensure_future(asyncio.to_thread(store.write_brief, brief))
    try:
        return await asyncio.shield(write)
    except asyncio.CancelledError:
        return await write
