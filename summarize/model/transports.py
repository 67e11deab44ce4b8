"""The model client's HTTP transport stack, built in one place: `build_transport`.

Layers, outermost first (the order a request passes them; a response comes back up):

1. Ledger tap (when the run keeps a ledger): writes each exchange to it. Above recording, so
   it sees the request's article tag (recording strips it) and each response as the client
   gets it, replayed or live.
2. Recording (`--record`, `--record-missing`, `--replay`): answers from cassettes, or records
   live exchanges; requests leave it without their X-Summarize-* tags.
3. Shape check: a successful answer from the network must be a chat completion (a JSON
   object with `choices`); anything else (a web page, another API) means --base-url is not
   an OpenAI-compatible endpoint, which every request would meet: `NotAnOpenAIEndpoint`.
4. Deadline: each request that goes to the network gets `--timeout` seconds in all, headers
   and whole body (the HTTP client's own timeout bounds each read, so a server sending a
   byte now and then could hold an attempt for many minutes). It also notes the first
   answer from the network (`Contact`): refused connections before that mean nothing is
   listening, after it a restart.
5. Network: HTTP, with the X-Summarize-* tags dropped (they are for the layers above and
   never leave the process); or the caller's own transport, which gets requests as they are
   (a batch capture reads the tags).

No layer alters a response: the SDK and the parser get what the server sent. Credentials a
server echoes are masked where exchanges are stored (the ledger, recordings; see
`summarize.model.redaction`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx2
import openai

from summarize.core.completion import completion_usage
from summarize.model.cassettes import HEADER_ARTICLE, is_metadata_header
from summarize.model.recording import AsyncRecordingTransport
from summarize.model.redaction import Secrets
from summarize.settings import RecordingMode, Settings


class ExchangeLog(Protocol):
    """Where the ledger tap writes exchanges (`summarize.outdir.ledger.Ledger` is one)."""

    def add_exchange(self, run_id: int, article_id: str | None, **row: Any) -> None: ...


@dataclass
class Contact:
    """Whether the endpoint has answered any request over the network yet (any status)."""

    answered: bool = False
    # Whether it has sent a chat completion: after that, an answer that is none (a proxy's
    # error page, JSON cut short) is that request's fault, not a wrong URL.
    completed: bool = False


@dataclass(frozen=True)
class LedgerTap:
    """Write every exchange to `log`, as part of run `run_id`."""

    log: ExchangeLog
    run_id: int


@dataclass
class Finished:
    """Told when the client is done with an article, so that a layer keeping state per
    article (the recorder's cassette) lets it go: memory follows the articles in flight."""

    listeners: list[Callable[[str], None]] = field(default_factory=list)

    def article(self, article_id: str) -> None:
        for listener in self.listeners:
            listener(article_id)


def build_transport(
    settings: Settings,
    *,
    network: httpx2.AsyncBaseTransport | None = None,
    tap: LedgerTap | None = None,
    contact: Contact | None = None,
    finished: Finished | None = None,
) -> httpx2.AsyncBaseTransport:
    """The stack described in this module's docstring, for `settings`.

    `network` replaces the HTTP layer (a batch capture, a test's transport); recording and
    replay follow `settings.recording` and `settings.recordings_dir`. `contact` is marked
    when the network first answers; `finished` is how the client says an article is done.
    """
    transport = network if network is not None else _WithoutTags(httpx2.AsyncHTTPTransport())
    contact = contact or Contact()
    transport = _ChatCompletionsOnly(_Deadline(transport, settings.timeout, contact), contact)
    if settings.recording is not RecordingMode.LIVE:
        recorder = AsyncRecordingTransport(
            settings.recording, settings.recordings_dir, inner=transport
        )
        if finished is not None:
            finished.listeners.append(recorder.forget)
        transport = recorder
    if tap is not None:
        transport = LedgerTransport(transport, tap.log, tap.run_id)
    return transport


class NotAnOpenAIEndpoint(openai.OpenAIError):
    """A successful answer that is not a chat completion: the URL serves something else.

    An `openai.OpenAIError`, so the openai client re-raises it as it is (not as a connection
    error to retry)."""


class _ChatCompletionsOnly(httpx2.AsyncBaseTransport):
    """Refuses a 2xx answer that is not a chat completion (see `NotAnOpenAIEndpoint`)."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, contact: Contact) -> None:
        self._inner = inner
        self._contact = contact

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self._inner.handle_async_request(request)
        if not response.is_success:
            return response  # errors have their own shapes; the client reads them
        body = _decoded(await response.aread())
        if isinstance(body, dict) and isinstance(body.get("choices"), list):
            self._contact.completed = True
            return response
        kind = response.headers.get("content-type", "no content type").split(";")[0]
        raise NotAnOpenAIEndpoint(
            f"{request.url.copy_with(query=None)} answered {response.status_code} with {kind}, "
            "not a chat completion: it is not an OpenAI-compatible API"
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


class _Deadline(httpx2.AsyncBaseTransport):
    """Fails a request whose whole answer has not arrived within `seconds`, as a timeout."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, seconds: float, contact: Contact) -> None:
        self._inner = inner
        self._seconds = seconds
        self._contact = contact

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            async with asyncio.timeout(self._seconds):
                response = await self._inner.handle_async_request(request)
                self._contact.answered = True
                try:
                    await response.aread()  # whole answers only: summarize never streams
                except BaseException:
                    await response.aclose()
                    raise
        except TimeoutError:
            # A timeout the openai client knows: retried, then reported as one.
            raise httpx2.ReadTimeout(
                f"no complete answer within {self._seconds:g}s", request=request
            ) from None
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class _WithoutTags(httpx2.AsyncBaseTransport):
    """Sends requests without the X-Summarize-* tags, which only label them for the layers
    above."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if not any(is_metadata_header(name) for name in request.headers):
            return await self._inner.handle_async_request(request)
        forward = httpx2.Request(
            request.method,
            request.url,
            headers=[(k, v) for k, v in request.headers.multi_items() if not is_metadata_header(k)],
            content=await request.aread(),
            extensions=request.extensions,
        )
        return await self._inner.handle_async_request(forward)

    async def aclose(self) -> None:
        await self._inner.aclose()


# -- the ledger tap -------------------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _request_text(request: httpx2.Request) -> str:
    """The request body as text: as sent when it is JSON (the SDK sends compact UTF-8 JSON;
    parsing and dumping it again cost 0.3 ms a request for the same content)."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            return request.content.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return json.dumps(_decoded(request.content), ensure_ascii=False)


def _decoded(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return content.decode("utf-8", "replace")


class LedgerTransport(httpx2.AsyncBaseTransport):
    """Writes each exchange (request body, response body, usage, timing, outcome) to a log.

    Only bodies are kept: headers carry the credentials and are never written. Servers and
    proxies can echo those in a body or an error; the ledger keeps them masked.
    """

    def __init__(self, inner: httpx2.AsyncBaseTransport, log: ExchangeLog, run_id: int) -> None:
        self._inner = inner
        self._log = log
        self._run_id = run_id

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        article_id = request.headers.get(HEADER_ARTICLE)
        secrets = Secrets.sent_in(request.headers)
        request_body = secrets.redact(_request_text(request))
        started, clock = _now(), time.perf_counter()
        try:
            response = await self._inner.handle_async_request(request)
            content = await response.aread()
        except Exception as exc:
            first_line = str(exc).splitlines()[0][:300] if str(exc) else ""
            self._log.add_exchange(
                self._run_id,
                article_id,
                started_at=started,
                seconds=time.perf_counter() - clock,
                outcome=secrets.redact(f"error: {type(exc).__name__}: {first_line}"),
                request=request_body,
            )
            raise
        body = _decoded(content)
        response_text = secrets.redact(json.dumps(body, ensure_ascii=False))
        self._log.add_exchange(
            self._run_id,
            article_id,
            started_at=started,
            seconds=time.perf_counter() - clock,
            status=response.status_code,
            outcome="ok" if response.is_success else f"http {response.status_code}",
            request=request_body,
            response=response_text,
            **completion_usage(body),
        )
        return response  # its body is read and cached: the client reads it again freely

    async def aclose(self) -> None:
        await self._inner.aclose()
