"""The local server's progress: counted inside the token generator, served by an ASGI route
in front of the server, read by the CLI over loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import uvicorn

from summarize.model.local_server import free_port
from summarize.model.server_progress import (
    PROGRESS_PATH,
    ProgressRoute,
    ServerProgress,
    TokenCounter,
    counting,
    read_progress,
)


def test_the_counter_follows_one_request_and_keeps_the_totals() -> None:
    counter = TokenCounter()
    counter.begin(120)
    counter.wrote()
    counter.wrote()
    during = counter.snapshot()
    counter.end()
    after = counter.snapshot()

    assert (during.busy, during.prompt_tokens, during.written) == (True, 120, 2)
    assert (after.busy, after.requests, after.written_total) == (False, 1, 2)


def test_counting_wraps_a_token_generator_even_when_it_is_stopped_early() -> None:
    from summarize.model import server_progress

    seen: list[ServerProgress] = []

    class Model:
        def generate(self, tokens: Any) -> Iterator[int]:
            for i in range(10):
                seen.append(server_progress.COUNTER.snapshot())
                yield i

    before = server_progress.COUNTER.snapshot()
    wrapped = counting(Model.generate)
    tokens = wrapped(Model(), [1, 2, 3])
    taken = [next(tokens) for _ in range(4)]
    tokens.close()  # a stop word: the caller stops reading
    after = server_progress.COUNTER.snapshot()

    assert taken == [0, 1, 2, 3]
    assert seen[0].busy and seen[0].prompt_tokens == 3 and seen[0].written == 0
    assert seen[3].written == 3
    assert not after.busy
    assert after.requests == before.requests + 1
    assert after.written_total == before.written_total + 4


def test_the_route_answers_over_http_and_passes_everything_else_on() -> None:
    counter = TokenCounter()
    counter.begin(50)
    counter.wrote()
    passed: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        passed.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    port = free_port()
    config = uvicorn.Config(ProgressRoute(app, counter), port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        progress = None
        for _ in range(100):
            progress = read_progress(f"http://127.0.0.1:{port}")
            if progress is not None:
                break
            asyncio.run(asyncio.sleep(0.05))
        other = read_progress(f"http://127.0.0.1:{port}/v1")  # no such route there
    finally:
        server.should_exit = True
        thread.join(10)

    assert progress == ServerProgress(
        busy=True,
        prompt_tokens=50,
        written=1,
        seconds=progress.seconds if progress else 0.0,
        requests=0,
        written_total=1,
    )
    assert other is None
    assert passed == ["/v1" + PROGRESS_PATH]


def test_a_server_without_the_route_gives_no_progress() -> None:
    assert read_progress(f"http://127.0.0.1:{free_port()}") is None
    assert ServerProgress.from_json(json.loads('{"busy": true}')) is None
