"""What a run produces besides briefs: statuses, stages, per-article results, run totals (pure)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from summarize.core.brief import Brief, Usage


class Status(StrEnum):
    """What became of one article in a run."""

    RUNNING = "running"  # in the ledger only, while the model works on it
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"
    NOT_ATTEMPTED = "not_attempted"  # a budget stop, or no batch result for it
    INTERRUPTED = "interrupted"  # in flight at Ctrl-C or SIGTERM: no brief, redone next run


class Stage(StrEnum):
    """Where an article failed: what errors.jsonl and the summary group causes by."""

    INGEST = "ingest"  # the file could not be read as an article
    FETCH = "fetch"  # a URL could not be fetched (timeout, 404, not a page, too big)
    SIZE = "size"  # longer than --max-chars
    CONFIG = "config"  # endpoint, key or model name: every article would fail
    TRANSPORT = "transport"  # connection, timeout, 429, 5xx after retries
    REQUEST = "request"  # the endpoint refused this request (400)
    REPLAY = "replay"  # no recording for this request
    MODEL = "model"  # the answer was cut off
    VALIDATION = "validation"  # no valid answer, or it repeats the instructions
    PREPARE = "prepare"  # a batch request could not be built
    BATCH = "batch"  # the batch engine answered with an error
    ARTICLE = "article"  # a batch result names no article of the folder
    WRITE = "write"  # the brief could not be written
    INTERNAL = "internal"  # a bug in summarize


@dataclass(frozen=True)
class SkippedFile:
    """A file in the source folder that was not read, and why (never skipped silently)."""

    file: str
    reason: str


@dataclass(frozen=True)
class ErrorRecord:
    """One article that failed: which file, at what stage, and why."""

    article_id: str | None
    file: str
    stage: Stage
    cause: str


@dataclass(frozen=True)
class Budget:
    """Limits on a run's spend; the run stops starting articles once one is reached.

    Articles already in flight finish (their tokens are spent), so a run can end up to
    `concurrency` articles past the limit.
    """

    max_tokens: int | None = None
    max_cost: float | None = None
    # Price per million tokens, (prompt, completion), for max_cost.
    price: tuple[float, float] | None = None

    def cost(self, usage: Usage) -> float:
        prompt, completion = self.price or (0.0, 0.0)
        return (usage.prompt_tokens * prompt + usage.completion_tokens * completion) / 1e6

    def reached(self, spent: Usage) -> str | None:
        if self.max_tokens is not None and spent.total_tokens >= self.max_tokens:
            return f"token budget reached ({spent.total_tokens} of {self.max_tokens} tokens)"
        if self.max_cost is not None and self.cost(spent) >= self.max_cost:
            return f"cost budget reached ({self.cost(spent):.4f} of {self.max_cost:.4f})"
        return None


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
    # Why, when "already current" or the status alone does not say: a duplicate, a budget
    # stop, a brief made again over an edited one.
    note: str | None = None
    # Counts from the brief, kept when the brief itself is not (see `keep_results`).
    events: int = 0
    dropped: int = 0
    weak: int = 0  # items kept on weak evidence
    sha256: str | None = None  # of the article text
    brief_sha256: str | None = None  # of the brief file written, for the ledger


# Called after each article; the CLI turns it into a progress bar.
Progress = Callable[[ArticleResult], None]


@dataclass
class RunSummary:
    """What a run did, in counts: per-article records live in the ledger, not in memory
    (`results` keeps them too only when asked, as the evaluator does)."""

    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    seconds: float = 0.0
    interrupted: str | None = None
    budget_stop: str | None = None
    run_id: int | None = None
    counts: Counter[Status] = field(default_factory=Counter)
    # All tokens spent (failed articles' too, for budgets), and those of done articles.
    spent_usage: Usage = field(default_factory=Usage)
    done_usage: Usage = field(default_factory=Usage)
    events: int = 0
    dropped: int = 0
    weak: int = 0
    reasks: int = 0
    without_event: int = 0
    done_seconds: float = 0.0
    max_seconds: float = 0.0
    errors: list[ErrorRecord] = field(default_factory=list)
    # Articles skipped for a reason (duplicates), or remade over an edited brief, for the
    # end-of-run report.
    notes: list[ArticleResult] = field(default_factory=list)
    results: list[ArticleResult] = field(default_factory=list)
    # Files in the source that are not articles summarize reads (not counted as articles).
    skipped_files: list[SkippedFile] = field(default_factory=list)

    def add(self, result: ArticleResult, *, keep: bool = False) -> None:
        self.counts[result.status] += 1
        self.spent_usage += result.usage
        if result.error is not None:
            self.errors.append(result.error)
        if result.status in ("skipped", "done") and result.note is not None:
            self.notes.append(replace(result, brief=None))
        if result.status == "done":
            self.done_usage += result.usage
            self.events += result.events
            self.dropped += result.dropped
            self.weak += result.weak
            self.reasks += result.reasks
            self.without_event += not result.events
            self.done_seconds += result.seconds
            self.max_seconds = max(self.max_seconds, result.seconds)
        if keep:
            self.results.append(result)

    def count(self, status: Status) -> int:
        return self.counts[status]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def spent(self) -> Usage:
        return self.spent_usage
