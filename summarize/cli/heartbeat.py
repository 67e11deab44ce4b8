"""A heartbeat on stderr for work that is slow and otherwise silent (`run --local`).

Each phase (loading the model, warming up, article k of n) is a line as it starts. Between
them, on a terminal, one status line is redrawn every second with what is happening now
(tokens written so far, time in the phase); in CI logs, pipes, or with NO_COLOR or
TERM=dumb, the same line is printed plainly every `every` seconds (SUMMARIZE_HEARTBEAT, 10 by
default), so a log never goes quiet for longer than that.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from summarize.cli.output import err, note
from summarize.cli.progress import clock, live_terminal

if TYPE_CHECKING:
    from rich.status import Status

HEARTBEAT_ENV = "SUMMARIZE_HEARTBEAT"
DEFAULT_EVERY = 10.0
_TICK = 1.0


def plain_every() -> float:
    """Seconds between plain heartbeat lines: SUMMARIZE_HEARTBEAT, else 10."""
    try:
        return max(1.0, float(os.environ.get(HEARTBEAT_ENV, DEFAULT_EVERY)))
    except ValueError:
        return DEFAULT_EVERY


class Heartbeat:
    """Says what a slow job is doing from its first second; use it as a `with` block."""

    def __init__(self, label: str, *, quiet: bool = False, every: float | None = None) -> None:
        self.label = label
        self.quiet = quiet
        self.every = plain_every() if every is None else every
        self.live = live_terminal()
        self._lock = threading.Lock()
        self._phase = ""
        self._detail: Callable[[], str] | None = None
        self._since = time.monotonic()
        self._last_line = self._since
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status: Status | None = None

    def __enter__(self) -> Heartbeat:
        if self.quiet:
            return self
        if self.live:
            self._status = err.status("", spinner="dots")
            self._status.start()
        self._thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.pause()

    def pause(self) -> None:
        """Stop beating (the run's own summary follows)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._status is not None:
            self._status.stop()
            self._status = None

    def phase(self, text: str, detail: Callable[[], str] | None = None) -> None:
        """A new phase: said at once; `detail` gives the changing part of later beats."""
        with self._lock:
            self._phase, self._detail = text, detail
            self._since = self._last_line = time.monotonic()
        self.say(text)

    def say(self, text: str) -> None:
        """One line that stays (above the status line on a terminal)."""
        if not self.quiet:
            note(f"{self.label}: {text}")

    def line(self) -> str:
        """What a beat says now: the phase, its detail, the time spent in it."""
        with self._lock:
            phase, detail, since = self._phase, self._detail, self._since
        now = detail() if detail is not None else ""
        spent = clock(time.monotonic() - since)
        return f"{self.label}: {phase}{', ' + now if now else ''}, {spent}"

    def _beat(self) -> None:
        while not self._stop.wait(_TICK):
            if not self._phase:
                continue
            if self._status is not None:
                self._status.update(self.line())
            elif time.monotonic() - self._last_line >= self.every:
                self._last_line = time.monotonic()
                note(self.line())
