"""Worker processes for a run, seen from the run's process: `await pool.process(article)`.

The run's event loop keeps the I/O it always had (reading and fetching articles, the
ledger, progress); each article's model call and the CPU work around it go to the worker
with the fewest articles in flight (`summarize.run.worker`). An article's result, or the
error that stops the run, comes back as if the article had been done in this process.

Workers are forked (Linux only: elsewhere, and with one worker, a run does everything in
its own process). A worker that dies (killed, out of memory) stops the run: the articles it
had in flight are accounted as failed, the next run redoes them.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import socket
import sys
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess

from summarize.core.article import Article
from summarize.core.errors import SummarizeError
from summarize.core.results import ArticleResult
from summarize.outdir.ledger import Ledger
from summarize.run.worker import (
    Cancel,
    Done,
    Exchange,
    LogLine,
    Raised,
    Stop,
    Work,
    WorkerSetup,
    frame,
    receive,
    serve,
)

# Time a worker gets to finish cancelling its articles and close its client at the end.
_STOP_SECONDS = 10.0


class WorkerDied(SummarizeError):
    """A worker process ended while articles were in flight on it: the run stops."""


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def workers_for(asked: int, concurrency: int) -> int:
    """How many worker processes a run gets: `asked` (0 = one per usable core), never more
    than articles in flight, and none (1: all in this process) where fork is not safe."""
    if not sys.platform.startswith("linux"):
        return 1
    count = asked or usable_cores()
    return max(1, min(count, concurrency))


@dataclass
class _Worker:
    process: BaseProcess
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    waiting: dict[int, asyncio.Future[ArticleResult]] = field(default_factory=dict)
    listener: asyncio.Task[None] | None = None


class WorkerPool:
    """Forked workers sharing a run's articles; `aclose()` stops them."""

    def __init__(self, workers: list[_Worker], ledger: Ledger) -> None:
        self._workers = workers
        self._ledger = ledger
        self._next_key = 0
        self._warned: set[tuple[str, str]] = set()
        for worker in workers:
            worker.listener = asyncio.create_task(self._listen(worker))

    @classmethod
    async def start(cls, count: int, setup: WorkerSetup, ledger: Ledger) -> WorkerPool:
        """Fork `count` workers. Call before any thread starts (a fork copies only the
        calling thread, and a lock another thread held would stay held in the child)."""
        context = multiprocessing.get_context("fork")
        pairs = [socket.socketpair() for _ in range(count)]
        workers = []
        for n, (ours, theirs) in enumerate(pairs):
            others = [s for pair in pairs for s in pair if s is not theirs]
            process = context.Process(
                target=serve,
                args=(theirs, setup, others),
                name=f"summarize-worker-{n + 1}",
                daemon=True,
            )
            process.start()
            theirs.close()
            reader, writer = await asyncio.open_connection(sock=ours)
            workers.append(_Worker(process, reader, writer))
        return cls(workers, ledger)

    async def process(self, article: Article, note: str | None = None) -> ArticleResult:
        """`article` done by a worker; raises what would stop the run."""
        worker = min(self._workers, key=lambda w: len(w.waiting))
        if worker.listener is None or worker.listener.done():
            raise WorkerDied(_death(worker))
        key, self._next_key = self._next_key, self._next_key + 1
        future: asyncio.Future[ArticleResult] = asyncio.get_running_loop().create_future()
        worker.waiting[key] = future
        worker.writer.write(frame(Work(key, article, note)))
        try:
            await worker.writer.drain()
            return await future
        except asyncio.CancelledError:
            worker.waiting.pop(key, None)
            if not worker.writer.is_closing():
                worker.writer.write(frame(Cancel(key)))
            raise

    async def _listen(self, worker: _Worker) -> None:
        try:
            while True:
                message = await receive(worker.reader)
                if isinstance(message, Exchange):
                    self._ledger.add_exchange(message.run_id, message.article_id, **message.row)
                elif isinstance(message, LogLine):
                    self._log(message.record)
                elif isinstance(message, Done | Raised):
                    future = worker.waiting.pop(message.key, None)
                    if future is None or future.done():
                        continue  # cancelled here while the worker finished it
                    if isinstance(message, Done):
                        future.set_result(message.result)
                    else:
                        future.set_exception(message.error)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            if worker.waiting:
                # Its socket closed first: wait (briefly) for its exit, to say how it ended.
                await asyncio.to_thread(worker.process.join, _STOP_SECONDS)
            for future in worker.waiting.values():
                if not future.done():
                    future.set_exception(WorkerDied(_death(worker)))
            worker.waiting.clear()

    def _log(self, record: logging.LogRecord) -> None:
        # A warning each worker gives once (a model that answers under another name, how
        # to record) is given once for the run, as a run in one process gives it.
        if record.levelno >= logging.WARNING:
            said = (record.name, record.getMessage())
            if said in self._warned:
                return
            self._warned.add(said)
        logging.getLogger(record.name).handle(record)

    async def aclose(self) -> None:
        """Stop every worker: what it still had in flight is cancelled there."""
        for worker in self._workers:
            if not worker.writer.is_closing():
                worker.writer.write(frame(Stop()))
        for worker in self._workers:
            await asyncio.to_thread(worker.process.join, _STOP_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                await asyncio.to_thread(worker.process.join)
            worker.writer.close()
            if worker.listener is not None:
                await asyncio.gather(worker.listener, return_exceptions=True)


def _death(worker: _Worker) -> str:
    code = worker.process.exitcode
    how = f"exit code {code}" if code is None or code >= 0 else f"signal {-code}"
    return (
        f"worker process {worker.process.name} ended ({how}) with articles in flight: run "
        "again to redo them, or use --workers 1 to do all the work in one process"
    )
