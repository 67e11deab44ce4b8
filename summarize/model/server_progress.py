"""What the bundled local server is doing right now, for `--local`'s heartbeat.

summarize never streams, so a request to a slow CPU model is minutes of silence. The server
process (ours: `summarize.model.local_server`) counts, inside llama-cpp-python's token
generator, the prompt it is reading and the tokens it has written, and answers
`GET /summarize/progress` with them; the CLI reads that every few seconds.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import asdict, dataclass
from typing import Any

PROGRESS_PATH = "/summarize/progress"

_Message = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[_Message]]
_Send = Callable[[_Message], Awaitable[None]]
_ASGIApp = Callable[[MutableMapping[str, Any], _Receive, _Send], Awaitable[None]]


@dataclass(frozen=True)
class ServerProgress:
    """The server's work: the request in hand (if any) and the totals since it started."""

    busy: bool = False
    prompt_tokens: int = 0  # of the request in hand
    written: int = 0  # tokens written so far for the request in hand
    seconds: float = 0.0  # since the request in hand started
    requests: int = 0  # finished since the server started
    written_total: int = 0  # tokens written since the server started

    @classmethod
    def from_json(cls, data: Any) -> ServerProgress | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                busy=bool(data["busy"]),
                prompt_tokens=int(data["prompt_tokens"]),
                written=int(data["written"]),
                seconds=float(data["seconds"]),
                requests=int(data["requests"]),
                written_total=int(data["written_total"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


class TokenCounter:
    """Counts what the model reads and writes; one per server process (`COUNTER`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._prompt = 0
        self._written = 0
        self._started = 0.0
        self._requests = 0
        self._written_total = 0

    def begin(self, prompt_tokens: int) -> None:
        with self._lock:
            self._busy, self._prompt, self._written = True, prompt_tokens, 0
            self._started = time.monotonic()

    def wrote(self) -> None:
        with self._lock:
            self._written += 1
            self._written_total += 1

    def end(self) -> None:
        with self._lock:
            if self._busy:
                self._busy = False
                self._requests += 1

    def snapshot(self) -> ServerProgress:
        with self._lock:
            return ServerProgress(
                busy=self._busy,
                prompt_tokens=self._prompt,
                written=self._written,
                seconds=time.monotonic() - self._started if self._busy else 0.0,
                requests=self._requests,
                written_total=self._written_total,
            )


COUNTER = TokenCounter()


def counting(generate: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """Wrap llama-cpp-python's `Llama.generate` (a token generator) to count into `COUNTER`."""

    @functools.wraps(generate)
    def counted(self: Any, tokens: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        COUNTER.begin(len(tokens))
        try:
            for token in generate(self, tokens, *args, **kwargs):
                COUNTER.wrote()
                yield token
        finally:  # also when the caller stops early (a stop word, the token cap)
            COUNTER.end()

    return counted


def install_counting() -> bool:
    """Count every generation of this process's llama-cpp-python; False if already done."""
    from llama_cpp import Llama

    if getattr(Llama.generate, "_summarize_counted", False):
        return False
    counted = counting(Llama.generate)
    counted._summarize_counted = True  # type: ignore[attr-defined]
    Llama.generate = counted  # type: ignore[method-assign, assignment]
    return True


class ProgressRoute:
    """ASGI wrapper: answers GET `PROGRESS_PATH` with `COUNTER`'s snapshot, passes the rest."""

    def __init__(self, app: _ASGIApp, counter: TokenCounter = COUNTER) -> None:
        self._app = app
        self._counter = counter

    async def __call__(
        self, scope: MutableMapping[str, Any], receive: _Receive, send: _Send
    ) -> None:
        if scope.get("type") != "http" or scope.get("path") != PROGRESS_PATH:
            await self._app(scope, receive, send)
            return
        body = json.dumps(asdict(self._counter.snapshot())).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode("ascii")),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def read_progress(root_url: str, timeout: float = 2.0) -> ServerProgress | None:
    """The server's progress (`root_url` without /v1); None if it does not answer it."""
    # Bypass any HTTP(S)_PROXY from the environment: this is loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{root_url.rstrip('/')}{PROGRESS_PATH}", timeout=timeout) as response:
            return ServerProgress.from_json(json.load(response))
    except (OSError, ValueError, urllib.error.URLError):
        return None
