"""Test double of llama_cpp.server.app: /v1/models and /v1/chat/completions, answered by the
`Llama` double in a worker thread (as the real server does), so that the event loop stays free
for summarize's progress route while a request is being written."""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import llama_cpp
from llama_cpp.server.settings import ModelSettings, ServerSettings


def _answer_for(messages: list[dict[str, Any]]) -> str | None:
    """A grounded one-event answer for a summarize article request, else None (a probe)."""
    if len(messages) < 2 or "<article>" not in str(messages[1].get("content", "")):
        return None
    from conftest import grounded_answer_for
    from model_server import ReceivedRequest

    request = ReceivedRequest(
        "POST", "/v1/chat/completions", {}, json.dumps({"messages": messages}).encode("utf-8")
    )
    body = json.loads(grounded_answer_for(request).body)
    content: str = body["choices"][0]["message"]["content"]
    return content


def _watch_progress() -> None:
    """Release a paused article request once summarize's progress route has shown it writing."""
    from summarize.model import server_progress

    counter = server_progress.COUNTER
    snapshot = counter.snapshot

    def watched() -> server_progress.ServerProgress:
        seen = snapshot()
        if seen.busy and seen.written > 0:
            llama_cpp.seen_writing.set()
        return seen

    counter.snapshot = watched  # type: ignore[method-assign]


def create_app(server_settings: ServerSettings, model_settings: list[ModelSettings]) -> Starlette:
    settings = model_settings[0]
    alias = settings.model_alias or "double"
    llama = llama_cpp.Llama()
    _watch_progress()

    async def models(_: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [{"id": alias, "object": "model"}]})

    def complete(payload: dict[str, Any]) -> dict[str, Any]:
        messages = payload["messages"]
        answer = _answer_for(messages)
        prompt = list(range(max(1, len(json.dumps(messages)) // 4)))
        text = answer if answer is not None else "Once upon a time " * 40
        llama.planned = min(int(payload.get("max_tokens") or 64), max(1, len(text) // 4))
        llama.wait_for_progress = answer is not None
        written = sum(1 for _ in llama.generate(prompt))
        if answer is None:
            text = text[: written * 4]
        return {
            "id": "chatcmpl-double",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": alias,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": len(prompt),
                "completion_tokens": written,
                "total_tokens": len(prompt) + written,
            },
        }

    async def chat(request: Request) -> JSONResponse:
        payload = await request.json()
        return JSONResponse(await run_in_threadpool(complete, payload))

    return Starlette(
        routes=[
            Route("/v1/models", models, methods=["GET"]),
            Route("/v1/chat/completions", chat, methods=["POST"]),
        ]
    )
