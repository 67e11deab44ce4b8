"""Refusals that mean "wrong endpoint" or "wrong model", as real `summarize run` processes
against a loopback server: they stop the run at once (exit 2, one request, no retry) with what
to change; an unknown model is answered with the models the endpoint lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_process import Ran, plain, summarize
from conftest import grounded_answer_for
from model_server import ModelServer, ReceivedRequest, Reply

MODELS = ["llama3.1:8b", "mistral:7b", "qwen2.5:7b"]


def endpoint(
    chat: Callable[[ReceivedRequest], Reply], models: list[str] | None = MODELS
) -> Callable[[ReceivedRequest], Reply]:
    """A server whose GET /models lists `models` (404 with None) and whose chat is `chat`."""

    def answer(request: ReceivedRequest) -> Reply:
        if request.method == "GET" and request.path.endswith("/models"):
            if models is None:
                return Reply.text("Not Found", 404)
            return Reply.json({"object": "list", "data": [{"id": m} for m in models]})
        return chat(request)

    return answer


def articles(folder: Path, count: int = 3) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"a{i}.txt").write_text(
            f"Officials met in Geneva on day {i} to discuss a ceasefire. Talks will go on.",
            encoding="utf-8",
        )
    return folder


def run(server: ModelServer, src: Path, out: Path, model: str = "qwen2.5:7b") -> Ran:
    # One article at a time, so that "stops at once" means one request.
    return summarize(
        "run", src, "-o", out, "-u", server.base_url, "-m", model, "--concurrency", "1"
    )


def chats(server: ModelServer) -> list[ReceivedRequest]:
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


@pytest.mark.parametrize("status", [404, 405, 501])
def test_a_url_that_is_not_the_chat_api_stops_at_once_with_the_base_url_hint(
    tmp_path: Path, status: int
) -> None:
    refuse = endpoint(lambda _: Reply.json({"error": {"message": "nope"}}, status))
    with ModelServer(refuse) as server:
        ran = run(server, articles(tmp_path / "src"), tmp_path / "out")
        asked = chats(server)

    assert ran.code == 2, ran.stderr
    said = plain(ran.stderr)
    assert "does not serve the OpenAI chat API" in said
    assert f"answered {status}" in said
    assert "--base-url (-u)" in said and "ends in /v1" in said
    assert len(asked) == 1, "not retried, and no other article tried"


def test_a_501_from_a_server_without_a_model_list_stops_too(tmp_path: Path) -> None:
    refuse = endpoint(lambda _: Reply.text("Unsupported method ('POST')", 501), models=None)
    with ModelServer(refuse) as server:
        ran = run(server, articles(tmp_path / "src"), tmp_path / "out")
        asked = chats(server)

    assert ran.code == 2
    assert "does not serve the OpenAI chat API" in plain(ran.stderr)
    assert len(asked) == 1


def test_a_404_from_a_server_without_a_model_list_names_the_url_and_the_model(
    tmp_path: Path,
) -> None:
    refuse = endpoint(lambda _: Reply.json({"error": {"message": "not found"}}, 404), models=None)
    with ModelServer(refuse) as server:
        ran = run(server, articles(tmp_path / "src"), tmp_path / "out", model="qwen2.5-7b")

    assert ran.code == 2
    said = plain(ran.stderr)
    assert "may not serve the OpenAI chat API" in said and "--base-url (-u)" in said
    assert "check that model 'qwen2.5-7b' exists there" in said


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "model 'qwen2.5-7b' not found, try pulling it first"),  # Ollama
        (404, "The model `qwen2.5-7b` does not exist."),  # vLLM, OpenAI
        (400, "Invalid model name passed in model=qwen2.5-7b"),  # LiteLLM and gateways
    ],
)
def test_an_unknown_model_is_answered_with_the_models_the_endpoint_offers(
    tmp_path: Path, status: int, message: str
) -> None:
    unknown = endpoint(lambda _: Reply.json({"error": {"message": message}}, status))
    with ModelServer(unknown) as server:
        ran = run(server, articles(tmp_path / "src"), tmp_path / "out", model="qwen2.5-7b")
        asked = chats(server)

    assert ran.code == 2
    said = plain(ran.stderr)
    assert "model 'qwen2.5-7b' is not offered at" in said
    assert "(closest: qwen2.5:7b)" in said
    for name in MODELS:
        assert name in said
    assert "--model (-m)" in said
    assert len(asked) == 1


def test_a_400_about_a_listed_model_fails_only_that_article(tmp_path: Path) -> None:
    def long_article_refused(request: ReceivedRequest) -> Reply:
        if "day 1" in request.body.decode("utf-8"):
            return Reply.json(
                {"error": {"message": "This model's maximum context length is 8192 tokens"}}, 400
            )
        return grounded_answer_for(request)

    with ModelServer(endpoint(long_article_refused)) as server:
        ran = run(server, articles(tmp_path / "src"), tmp_path / "out")

    assert ran.code == 1, ran.stderr
    assert "2 done, 0 skipped, 1 failed" in plain(ran.stderr)
    assert "is not offered" not in ran.stderr
