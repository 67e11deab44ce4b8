"""`batch prepare`: the live client's requests, captured, as Batch API JSONL plus a description.

`prepare` does not build requests itself: it runs the real `ModelClient` (openai SDK +
instructor) over a transport that keeps each request and stops it, so every line carries the
bytes a live `run` would send. The `.meta.json` beside the file records what ingest needs to
read the answers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

import httpx2
import openai

from summarize import __version__
from summarize.batch.errors import BatchError
from summarize.batch.files import Staged, staged
from summarize.batch.lines import BATCH_URL, first_line, request_line, requests_meta_path
from summarize.core.article import Article, IngestError, printable
from summarize.core.brief import SCHEMA_VERSION
from summarize.core.results import ErrorRecord, SkippedFile, Stage
from summarize.model.cassettes import HEADER_ARTICLE
from summarize.model.client import ModelClient, ModelError
from summarize.model.prompts import PromptTemplate
from summarize.settings import Settings
from summarize.sources.fetch import FetchOptions
from summarize.sources.read import iter_articles

# The Batch API only needs a path; the client needs some URL to build requests against.
PLACEHOLDER_BASE_URL: Final = "http://batch.invalid/v1"


class _Captured(openai.OpenAIError):
    """Stops a captured request. An OpenAIError so the SDK re-raises it without retrying."""


@dataclass(frozen=True)
class CapturedRequest:
    method: str
    path: str
    body: bytes


class CaptureTransport(httpx2.AsyncBaseTransport):
    """Keeps each request (per article header) and ends it before anything is sent."""

    def __init__(self) -> None:
        self._captured: dict[str, CapturedRequest] = {}

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = await request.aread()
        key = request.headers.get(HEADER_ARTICLE, "")
        self._captured[key] = CapturedRequest(request.method, request.url.path, body)
        raise _Captured("captured for a batch file")

    def take(self, key: str) -> CapturedRequest | None:
        return self._captured.pop(key, None)


@dataclass
class PrepareSummary:
    requests: int = 0
    errors: list[ErrorRecord] = field(default_factory=list)
    seconds: float = 0.0
    # Files in the source that are not articles, with why (as `run` lists them).
    not_read: list[SkippedFile] = field(default_factory=list)


def batch_settings(settings: Settings) -> Settings:
    """Settings fit for building batch requests: a model, a fixed mode, some base URL."""
    if not settings.model:
        raise BatchError(
            "no model: pass --model (or set SUMMARIZE_MODEL) with the model the batch will run"
        )
    return settings.model_copy(
        update={
            "mode": settings.resolved_mode(),
            "base_url": settings.base_url or PLACEHOLDER_BASE_URL,
            "max_reasks": 0,
            "transport_retries": 0,
        }
    )


async def _capture_one(
    item: Article | IngestError,
    client: ModelClient,
    transport: CaptureTransport,
    prompt: PromptTemplate,
) -> tuple[Article, CapturedRequest] | ErrorRecord:
    if isinstance(item, IngestError):
        return ErrorRecord(None, item.file, item.stage, item.cause)
    try:
        await client.extract(item, prompt)
    except ModelError:
        pass  # how the capture stops every request; the request is what we came for
    except Exception as exc:  # one odd article must not end the file; `run` would fail it too
        detail = first_line(str(exc), type(exc).__name__)
        cause = f"the client could not build its request ({type(exc).__name__}: {detail})"
        return ErrorRecord(item.id, item.file, Stage.PREPARE, cause)
    captured = transport.take(item.id)
    if captured is None:
        return ErrorRecord(item.id, item.file, Stage.PREPARE, "the client built no request")
    if captured.method != "POST" or not captured.path.endswith("/chat/completions"):
        return ErrorRecord(
            item.id,
            item.file,
            Stage.PREPARE,
            f"the client sent {captured.method} {captured.path}, not a chat completion",
        )
    return item, captured


def prepare(
    src: Path | str,
    out: Path,
    settings: Settings,
    prompt: PromptTemplate,
    *,
    pages: Path | None = None,
) -> PrepareSummary:
    """Write `out` (Batch API JSONL, one line per article) and its `.meta.json` description.

    `src` is what `run` takes: a folder, a file, a URL or a URL list; pages are fetched into
    `pages` (the pages/ store of the output folder ingest will write), where ingest reads
    them again. Articles are read, captured and written one at a time, so memory does not
    follow the folder size. Both files appear under their names only when complete, and
    together.
    """
    ready = batch_settings(settings)
    summary = PrepareSummary()
    started = time.perf_counter()

    async def write_all(handle: IO[bytes]) -> None:
        transport = CaptureTransport()
        client = ModelClient(ready, transport=transport)
        try:
            fetch = FetchOptions(pages, settings.fetch_timeout) if pages is not None else None
            items = iter_articles(src, fetch=fetch, on_skip=summary.not_read.append)
            for item in items:
                got = await _capture_one(item, client, transport, prompt)
                if isinstance(got, ErrorRecord):
                    summary.errors.append(got)
                    continue
                article, captured = got
                handle.write(request_line(article.id, captured.body))
                summary.requests += 1
        finally:
            await client.aclose()

    with staged(out) as requests:
        asyncio.run(write_all(requests.handle))
        summary.seconds = time.perf_counter() - started
        meta = _describe_requests(src, out, ready, prompt, summary)
        with staged(requests_meta_path(out)) as description:
            description.handle.write(json.dumps(meta, indent=2, ensure_ascii=False).encode())
            description.handle.write(b"\n")
            _put_in_place(requests, description)
    return summary


def _describe_requests(
    src: Path | str, out: Path, ready: Settings, prompt: PromptTemplate, summary: PrepareSummary
) -> dict[str, Any]:
    """The `.meta.json` content: what ingest needs (`IngestPlan.from_meta`), and provenance."""
    return {
        "summarize_version": __version__,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": printable(str(src)),
        "requests_file": out.name,
        "endpoint": BATCH_URL,
        "model": ready.model,
        "instructor_mode": ready.mode.value,
        "max_output_tokens": ready.max_output_tokens,
        "temperature": ready.temperature,
        "prompt_file": str(prompt.path),
        "prompt_version": prompt.version,
        "schema_version": SCHEMA_VERSION,
        "counts": {"requests": summary.requests, "failed": len(summary.errors)},
        "errors": [e.__dict__ for e in summary.errors],
        "not_read": [s.__dict__ for s in summary.not_read],
    }


def _put_in_place(requests: Staged, description: Staged) -> None:
    """Rename the description, then the requests, into place; neither stays without the other.

    Ingest takes the model and mode from the description, so a requests file beside a missing
    or older one would be read wrong. Both are synced first: only a rename can fail between.
    """
    requests.finish()
    description.finish()
    try:
        description.commit()
    except OSError as exc:
        raise BatchError(
            f"cannot write {description.path}: {exc.strerror or exc}",
            hint=f"neither it nor {requests.path} was changed; free that name or choose "
            "another --out, and prepare again",
        ) from None
    try:
        requests.commit()
    except BaseException as exc:
        description.path.unlink(missing_ok=True)  # it describes requests that are not there
        if not isinstance(exc, OSError):
            raise
        raise BatchError(
            f"cannot write {requests.path}: {exc.strerror or exc}",
            hint=f"{description.path} was removed with it, so that it describes no other "
            "file; free that name or choose another --out, and prepare again",
        ) from None
