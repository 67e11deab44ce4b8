"""Progress of a run on stderr: a live bar on a terminal, plain lines now and then elsewhere.

The total is the run's expected article count (`RunSummary.expected`: its inputs counted
before it starts), so a run says from the start how far it has to go; the time left comes
from the rate observed so far. In CI logs, pipes and under NO_COLOR (or TERM=dumb) there is
no live display: a plain line, free of control characters, at every tenth of the run and at
least every `every` seconds while articles finish.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING

from summarize.cli.output import err, note
from summarize.core.results import ArticleResult, RunSummary, Status

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# A plain line at least this often (seconds) while articles finish, besides every tenth.
PLAIN_EVERY = 30.0
_STEPS = 10
_NAME_WIDTH = 40


def live_terminal() -> bool:
    """Whether stderr is a terminal that takes a live display (not NO_COLOR, not dumb)."""
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


def clock(seconds: float) -> str:
    """A duration as people read it: 4.2s, 3m05s, 1h02m."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def remaining(finished: int, total: int, elapsed: float) -> float | None:
    """Seconds left at the rate observed so far; None until an article has finished."""
    if finished <= 0 or total <= finished:
        return None if finished <= 0 else 0.0
    return elapsed / finished * (total - finished)


class RunProgress:
    """Follows a run's results (use it as the session's `on_result`) and shows how far it is.

    `start` once the inputs are counted; leave the `with` block to end the display.
    """

    def __init__(
        self, summary: RunSummary, *, label: str = "summarize", every: float = PLAIN_EVERY
    ) -> None:
        self.summary = summary
        self.label = label
        self.every = every
        self.live = live_terminal()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._started = time.monotonic()
        self._last_line = self._started
        self._step = 0

    def __enter__(self) -> RunProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    @property
    def total(self) -> int:
        return max(self.summary.expected, self.summary.total)

    def start(self) -> None:
        """Show the total to come: a bar on a terminal, one line elsewhere."""
        self._started = self._last_line = time.monotonic()
        if not self.live:
            note(f"{self.label}: {self.total} to do")
            return
        self._bar = _bar(self.label)
        self._task = self._bar.add_task(self.label, total=self.total, failed="", last="")
        self._bar.start()

    def __call__(self, result: ArticleResult) -> None:
        if self._bar is not None and self._task is not None:
            failed = self.summary.count(Status.FAILED)
            self._bar.update(
                self._task,
                completed=self.summary.total,
                total=self.total,
                failed=f"[red]{failed} failed[/]" if failed else "",
                last=_short(result.article_id or result.file),
            )
            return
        self._plain_line()

    def _plain_line(self) -> None:
        finished, total = self.summary.total, self.total
        now = time.monotonic()
        step = finished * _STEPS // total if total else 0
        if step <= self._step and now - self._last_line < self.every:
            return
        self._step, self._last_line = step, now
        elapsed = now - self._started
        left = remaining(finished, total, elapsed)
        note(
            f"{self.label}: {finished}/{total} ({self.summary.count(Status.FAILED)} failed), "
            f"{clock(elapsed)} elapsed" + (f", about {clock(left)} left" if left else "")
        )


def _short(name: str) -> str:
    return name if len(name) <= _NAME_WIDTH else "…" + name[-(_NAME_WIDTH - 1) :]


def _bar(label: str) -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class TimeLeft(ProgressColumn):
        """The time left at the run's own rate (rich's estimate waits for a speed window)."""

        def render(self, task: Task) -> Text:
            elapsed = task.elapsed or 0.0
            left = remaining(int(task.completed), int(task.total or 0), elapsed)
            return Text(f"eta {clock(left)}" if left else "eta -", style="cyan")

    return Progress(
        TextColumn(f"[bold]{label}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]}"),
        TimeElapsedColumn(),
        TimeLeft(),
        TextColumn("{task.fields[last]}", markup=False),
        console=err,
        transient=False,
    )
