"""A worker process: articles in, results out, over one socket to the run's process.

A run's own process reads articles, decides which need the model, keeps the ledger and
shows progress; what each article costs in CPU (the openai SDK and instructor, validation,
grounding, the brief's checks and its write) is done here, one event loop per worker, so
that a run uses every core. Workers are forked from the run's process (Linux) once the
run is open and before any thread starts: they share its settings, prompt and output
folder without a copy on disk, and with them the key, which never leaves memory.

Messages are pickled frames (a 4-byte length, then the pickle) between two processes of
one run; nothing outside the run writes to the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import gc
import logging
import pickle
import signal
import socket
import threading
from dataclasses import dataclass, replace
from typing import Any

from summarize.core.article import Article
from summarize.core.results import ArticleResult
from summarize.model.client import FatalModelError, ModelClient
from summarize.model.prompts import PromptTemplate
from summarize.model.transports import LedgerTap
from summarize.outdir.store import OutputStore
from summarize.run.process import process_article
from summarize.settings import Settings

_LENGTH = 4


@dataclass(frozen=True)
class Work:
    key: int
    article: Article
    note: str | None


@dataclass(frozen=True)
class Cancel:
    key: int


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class Done:
    key: int
    result: ArticleResult


@dataclass(frozen=True)
class Raised:
    """What stopped an article and stops the run (a fatal model error, a folder that cannot
    be written), for the run's process to raise as if the article had been done there."""

    key: int
    error: BaseException


@dataclass(frozen=True)
class Exchange:
    """A row for the ledger's exchanges: the run's process is the ledger's one writer."""

    run_id: int
    article_id: str | None
    row: dict[str, Any]


@dataclass(frozen=True)
class LogLine:
    """A log record of the worker's, for the run's process to log as its own."""

    record: logging.LogRecord


def frame(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(_LENGTH, "big") + data


async def receive(reader: asyncio.StreamReader) -> object:
    """The next message; `asyncio.IncompleteReadError` when the other side has gone."""
    size = int.from_bytes(await reader.readexactly(_LENGTH), "big")
    return pickle.loads(await reader.readexactly(size))


@dataclass(frozen=True)
class WorkerSetup:
    settings: Settings
    prompt: PromptTemplate
    store: OutputStore
    run_id: int
    # Results carry their brief back only when the run keeps results (the evaluator).
    keep_briefs: bool


def serve(sock: socket.socket, setup: WorkerSetup, others: list[socket.socket]) -> None:
    """The worker's whole life (the target of its process)."""
    for other in others:
        other.close()  # the run's ends of the other workers' sockets: theirs to close
    setup.store.close_inherited_lock()
    # Ctrl-C reaches every process of the terminal's group: the run's process decides what
    # stops, and tells the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.set_wakeup_fd(-1)  # the run's event loop's, inherited by the fork
    # Everything inherited is left out of garbage collection: collections would walk (and so
    # copy) every page of the run's process, for objects that live as long as the worker.
    gc.freeze()
    asyncio.run(_serve(sock, setup))


class _ForwardedLogs(logging.Handler):
    """Every log record, sent to the run's process: the handlers that show and mask them
    (a terminal, a test's capture) are there, not in a copy of them here."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        super().__init__()
        self._writer = writer
        self._loop = asyncio.get_running_loop()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "forwarded", False):
            return  # met again on its way up to the root: sent once
        record.forwarded = True
        # As logging.handlers.QueueHandler prepares one: text only, so that it pickles.
        record = copy.copy(record)
        record.msg, record.args = self.format(record), None
        record.exc_info = record.exc_text = record.stack_info = None
        data = frame(LogLine(record))
        if threading.current_thread() is threading.main_thread():
            self._writer.write(data)
        else:
            self._loop.call_soon_threadsafe(self._writer.write, data)


def _log_to(writer: asyncio.StreamWriter) -> None:
    """Every logger that has handlers here sends its records instead (and so does the root,
    for records no handler takes): the run's process routes each through its own logger of
    that name, so what shows, and what a silenced library's logger keeps quiet, is as in a
    run in one process."""
    forward = _ForwardedLogs(writer)
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        if isinstance(logger, logging.Logger) and (logger.handlers or logger.parent is None):
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.addHandler(forward)


class _Forwarded:
    """The ledger tap's log, sent to the run's process, which writes it."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer

    def add_exchange(self, run_id: int, article_id: str | None, **row: Any) -> None:
        self._writer.write(frame(Exchange(run_id, article_id, row)))


async def _serve(sock: socket.socket, setup: WorkerSetup) -> None:
    reader, writer = await asyncio.open_connection(sock=sock)
    _log_to(writer)
    client = ModelClient(setup.settings, tap=LedgerTap(_Forwarded(writer), setup.run_id))
    tasks: dict[int, asyncio.Task[ArticleResult]] = {}

    def report(key: int, task: asyncio.Task[ArticleResult]) -> None:
        tasks.pop(key, None)
        if task.cancelled():
            return
        failure = task.exception()
        if failure is None:
            result = task.result()
            kept = result if setup.keep_briefs else replace(result, brief=None)
            writer.write(frame(Done(key, kept)))
        else:
            writer.write(frame(_raised(key, failure)))

    try:
        while True:
            try:
                message = await receive(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                break  # the run's process has gone
            if isinstance(message, Work):
                work = process_article(
                    message.article, client, setup.prompt, setup.store, message.note
                )
                task = asyncio.create_task(work)
                tasks[message.key] = task
                task.add_done_callback(functools.partial(report, message.key))
            elif isinstance(message, Cancel) and message.key in tasks:
                tasks[message.key].cancel()
            elif isinstance(message, Stop):
                break
    finally:
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
        await client.aclose()
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()


def _raised(key: int, failure: BaseException) -> Raised:
    error = failure
    if not isinstance(failure, FatalModelError | OSError):
        error = RuntimeError(f"{type(failure).__name__}: {failure}")
    try:
        pickle.dumps(error)
    except Exception:  # an exception that cannot travel is told in words
        error = RuntimeError(f"{type(failure).__name__}: {failure}")
    return Raised(key, error)
