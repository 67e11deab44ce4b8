"""A run's life in an output folder, shared by `run`, `eval` and `batch ingest`.

`open_run` takes the folder's lock, clears what a killed run left, starts the run in the
ledger, and at the end, however it ends, writes run.json and errors.jsonl and closes the
run in the ledger. `RunSession.triage` is the one place that decides which articles need
the model: unreadable ones fail, repeats of an earlier text in the run and current briefs
are skipped, over-long ones are refused, and the rest is work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from summarize.core.article import Article, IngestError
from summarize.core.brief import SCHEMA_VERSION
from summarize.core.errors import OutputError
from summarize.core.results import ArticleResult, ErrorRecord, Progress, RunSummary, Stage, Status
from summarize.model.prompts import PromptTemplate
from summarize.outdir.ledger import Ledger
from summarize.outdir.manifest import RunManifest
from summarize.outdir.store import OutputStore
from summarize.run.manifest import build_manifest, write_run
from summarize.settings import Settings
from summarize.sources.read import FetchOptions, count_inputs, iter_articles
from summarize.sources.urls import without_credentials


def _stop_requested() -> bool:
    """Whether the run's task was told to stop (Ctrl-C, SIGTERM) while it waits for pages:
    the wait is not an await, so the cancellation is looked for."""
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no event loop: nothing to be told
        return False
    return task is not None and task.cancelling() > 0


@dataclass(frozen=True)
class Work:
    """An article that needs the model; `note` says so when it replaces an edited brief or
    its text was repaired."""

    article: Article
    note: str | None = None


@dataclass
class RunSession:
    store: OutputStore
    source: Path | str  # a folder, a file, or a URL
    settings: Settings
    prompt: PromptTemplate
    run_id: int
    summary: RunSummary = field(default_factory=RunSummary)
    keep_results: bool = False
    on_result: Progress | None = None
    # How run.json describes the run: `build_manifest` unless the caller knows better (an
    # ingest names the results file and what the batch was prepared with).
    describe: Callable[[RunSession], RunManifest] | None = None
    # What the briefs are made with; an ingest's come from the prepared batch, not `prompt`.
    prompt_version: str = ""
    # Fetch every page anew instead of reading the copy an earlier run stored (--refetch).
    refetch: bool = False

    def __post_init__(self) -> None:
        self.prompt_version = self.prompt_version or self.prompt.version

    @property
    def ledger(self) -> Ledger:
        return self.store.ledger

    def record(self, result: ArticleResult, row: int | None = None) -> None:
        """Account for a finished article: its ledger row (new, or `row` finished), the
        totals, and the progress callback."""
        error = result.error
        failure = {"stage": error.stage, "cause": error.cause} if error is not None else {}
        if row is not None:
            self.ledger.finish_article(
                row,
                status=result.status,
                brief_sha256=result.brief_sha256,
                attempts=result.attempts,
                seconds=result.seconds,
                note=result.note,
                **failure,
            )
        else:
            self.ledger.add_article(
                self.run_id,
                file=result.file,
                article_id=result.article_id,
                article_sha256=result.sha256,
                status=result.status,
                brief_sha256=result.brief_sha256,
                attempts=result.attempts,
                seconds=result.seconds,
                note=result.note,
                **failure,
            )
        self.summary.add(result, keep=self.keep_results)
        if self.on_result is not None:
            self.on_result(result)

    def count_inputs(self) -> int:
        """Count the source's inputs by name (nothing is read) as the run's expected total."""
        self.summary.expected = count_inputs(self.source)
        return self.summary.expected

    def articles(self, max_chars: int | None) -> Iterator[Article | IngestError]:
        """The source's articles; pages of URLs are fetched into the output folder, and files
        that are not read are listed in the summary."""
        items = iter_articles(
            self.source,
            max_chars=max_chars,
            fetch=FetchOptions(
                self.store.pages_dir,
                self.settings.fetch_timeout,
                refetch=self.refetch,
                interrupted=_stop_requested,
            ),
            on_skip=self.summary.skipped_files.append,
        )
        previous = None
        for item in items:
            # A second record of one JSON file: an article the count of inputs could not see.
            if item.file == previous:
                self.summary.expected += 1
            previous = item.file
            yield item

    def triage(
        self, item: Article | IngestError, *, model: str, force: bool, max_chars: int | None
    ) -> ArticleResult | Work:
        """What to do with one article: a result that needs no model, or the work to do."""
        if isinstance(item, IngestError):
            error = ErrorRecord(None, item.file, item.stage, item.cause)
            return ArticleResult(None, item.file, Status.FAILED, error=error)
        file = item.file
        first = self.ledger.first_with_text(self.run_id, item.sha256)
        if first is not None:
            first_file, first_id = first
            # Same text under another name: one brief (and one model call) is enough.
            original = first_id if first_file == file else first_file
            note = f"duplicate of {original}"
            return ArticleResult(item.id, file, Status.SKIPPED, note=note, sha256=item.sha256)
        check = self.store.check_brief(item.id, item.sha256, self.prompt_version, model)
        if not force and check.current:
            return ArticleResult(item.id, file, Status.SKIPPED, sha256=item.sha256)
        if max_chars is not None and len(item.body) > max_chars:
            return _too_long(item, max_chars)
        # Said out loud: an analyst's correction about to be replaced, a text that was repaired.
        edited = (
            f"its brief was changed on disk since run {check.edited_since}; made again"
            if check.edited_since is not None
            else None
        )
        return Work(item, "; ".join(n for n in (edited, item.repaired) if n) or None)

    def manifest(self) -> RunManifest:
        if self.describe is not None:
            return self.describe(self)
        return build_manifest(self.summary, self.settings, self.prompt, self.source)


def _too_long(article: Article, max_chars: int) -> ArticleResult:
    size = len(article.body)
    cause = (
        f"the article text is {size:,} characters, over the limit of {max_chars:,}: raise "
        "--max-chars if the model's context holds it (roughly 4 characters a token), "
        "or split the article into parts"
    )
    error = ErrorRecord(article.id, article.file, Stage.SIZE, cause)
    return ArticleResult(
        article.id, article.file, Status.FAILED, error=error, sha256=article.sha256
    )


@contextmanager
def open_run(
    store: OutputStore,
    source: Path | str,
    settings: Settings,
    prompt: PromptTemplate,
    *,
    recording: str | None = None,
    model: str | None = None,
    prompt_version: str | None = None,
    summary: RunSummary | None = None,
    keep_results: bool = False,
) -> Iterator[RunSession]:
    """Hold `store` for one run; run.json, errors.jsonl and the ledger's account of the run
    are written when the block ends, however it ends (what was done stays done)."""
    with store.lock():
        try:
            store.remove_interrupted_writes()  # safe: no other run writes here while we lock
            run_id = store.ledger.start_run(
                source=without_credentials(str(source)),
                model=model if model is not None else settings.model,
                prompt_version=prompt_version or prompt.version,
                schema_version=SCHEMA_VERSION,
                recording=recording or settings.recording.value,
            )
            session = RunSession(
                store,
                source,
                settings,
                prompt,
                run_id,
                summary or RunSummary(),
                keep_results,
                prompt_version=prompt_version or prompt.version,
            )
            session.summary.run_id = run_id
            try:
                yield session
            except BaseException:
                # The first fault is the one to report: run.json failing after it (a full
                # disk fails both) must not hide it.
                with suppress(OSError, OutputError):
                    write_run(store, session.summary, session.manifest())
                raise
            write_run(store, session.summary, session.manifest())
        finally:
            store.close()
