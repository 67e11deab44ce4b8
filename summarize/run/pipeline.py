"""The live pipeline: articles -> requests -> responses -> briefs, with bounded concurrency.

Articles are read lazily and at most `concurrency` are in flight, so memory follows the
work in progress, not the folder size. Each brief is written the moment it is ready; a
crash loses only what was in flight, and the next run redoes just that.

Which articles reach the model is the session's decision (`RunSession.triage`); a budget
can stop the run from starting more. Each answer becomes a brief through the one finish
that `batch ingest` applies too (`summarize.core.finish`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from summarize.core.article import Article
from summarize.core.results import (
    ArticleResult,
    Budget,
    ErrorRecord,
    RunSummary,
    Stage,
    Status,
)
from summarize.model.client import FatalModelError, ModelClient, ModelError
from summarize.run.pool import WorkerDied, WorkerPool
from summarize.run.process import process_article
from summarize.run.session import RunSession
from summarize.sources.fetch import FetchInterrupted


async def run_articles(
    session: RunSession,
    client: ModelClient,
    *,
    force: bool = False,
    budget: Budget | None = None,
    concurrency: int | None = None,
    pool: WorkerPool | None = None,
) -> RunSummary:
    """Extract a brief for every article under the session's source that needs one.

    Every outcome goes into the session (ledger row, totals, progress) as it happens, so a
    run cancelled part way has accounted for all it did. Briefs are on disk;
    `summary.results` keeps each result (with its brief) only when the session keeps results,
    so that memory does not grow with the folder. With a `pool`, each article's model
    call and the work around it are done by its worker processes (both cores, not one).
    """
    summary = session.summary
    clock = time.perf_counter()
    model = client.settings.model or ""
    limit = concurrency or session.settings.concurrency
    # Each task's ledger row and file; the task's name is its article id.
    pending: dict[asyncio.Task[ArticleResult], tuple[int, str]] = {}
    try:
        for item in session.articles(client.settings.max_chars):
            triaged = session.triage(
                item, model=model, force=force, max_chars=client.settings.max_chars
            )
            if isinstance(triaged, ArticleResult):
                session.record(triaged)
                continue
            await _drain(session, pending, limit - 1)
            article = triaged.article
            if _over_budget(session, article, budget):
                continue
            row = session.ledger.add_article(
                session.run_id,
                file=article.file,
                article_id=article.id,
                article_sha256=article.sha256,
                status=Status.RUNNING,
            )
            work = (
                pool.process(article, triaged.note)
                if pool is not None
                else process_article(article, client, session.prompt, session.store, triaged.note)
            )
            pending[asyncio.create_task(work, name=article.id)] = (row, article.file)
        await _drain(session, pending, 0)
    except (FatalModelError, WorkerDied) as exc:
        summary.interrupted = str(exc)
        raise
    except OSError as exc:
        # Writing a brief failed (disk full, a read-only folder): every later one would too.
        summary.interrupted = f"could not write to the output folder: {exc}"
        raise
    except FetchInterrupted:
        # Told to stop while pages were awaited: the signal's cancellation, delivered here.
        summary.interrupted = "cancelled (Ctrl-C or SIGTERM)"
        await asyncio.sleep(0)
        raise asyncio.CancelledError from None
    except asyncio.CancelledError:
        summary.interrupted = "cancelled (Ctrl-C or SIGTERM)"
        raise
    finally:
        await _cancel(session, pending)
        summary.seconds = time.perf_counter() - clock
    return summary


def _over_budget(session: RunSession, article: Article, budget: Budget | None) -> bool:
    """True (and the article recorded as not attempted) once the run's budget is spent."""
    stop = budget.reached(session.summary.spent()) if budget is not None else None
    if stop is None:
        return False
    session.summary.budget_stop = stop
    session.record(
        ArticleResult(
            article.id, article.file, Status.NOT_ATTEMPTED, note=stop, sha256=article.sha256
        )
    )
    return True


async def _drain(
    session: RunSession, pending: dict[asyncio.Task[ArticleResult], tuple[int, str]], until: int
) -> None:
    """Wait until at most `until` articles are in flight, recording each that finishes."""
    while len(pending) > until:
        done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        fatal: BaseException | None = None
        # Every finished brief is accounted for, even one finishing beside a fatal error.
        for task in sorted(done, key=lambda t: t.get_name()):
            row, file = pending.pop(task)
            failure = task.exception()
            if failure is None:
                session.record(task.result(), row)
                continue
            # What stops the run (a rejected key, a full disk) failed this article too.
            spent: dict[str, Any] = {}
            if isinstance(failure, ModelError):
                stage = failure.stage
                spent = {"usage": failure.usage, "attempts": failure.attempts}
            else:
                stage = Stage.WRITE if isinstance(failure, OSError) else Stage.INTERNAL
            error = ErrorRecord(task.get_name(), file, stage, str(failure))
            session.record(
                ArticleResult(task.get_name(), file, Status.FAILED, error=error, **spent), row
            )
            fatal = fatal or failure
        if fatal is not None:
            raise fatal


async def _cancel(
    session: RunSession, pending: dict[asyncio.Task[ArticleResult], tuple[int, str]]
) -> None:
    """Stop what is still in flight; a task that finished in the moment still counts."""
    for task in pending:
        task.cancel()
    if not pending:
        return
    await asyncio.gather(*pending, return_exceptions=True)
    for task, (row, _) in sorted(pending.items(), key=lambda item: item[0].get_name()):
        if not task.cancelled() and task.exception() is None:
            session.record(task.result(), row)
        else:
            session.ledger.finish_article(row, status=Status.INTERRUPTED)
            session.summary.counts[Status.INTERRUPTED] += 1
