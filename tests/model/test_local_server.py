"""Tests for summarize.model.local_server: unit tests need no model; integration tests run it."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import math
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from summarize.core.errors import SummarizeError
from summarize.model.local_fit import (
    MIN_TIMEOUT,
    SERVER_SLOTS,
    TIMEOUT_MARGIN,
    RunFit,
    ServerProfile,
    fit_run,
    fit_settings,
)
from summarize.model.local_server import (
    DEFAULT_N_CTX,
    LocalServer,
    LocalServerError,
    ModelNotFoundError,
    ModelNotInstalledError,
    ResponseFormatShim,
    default_model_path,
    free_port,
    llama_response_format,
    rewrite_chat_request,
    server_command,
)
from summarize.settings import RecordingMode, Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
CITY_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
}


# --- no model needed -------------------------------------------------------------------------


def test_free_port_can_be_bound() -> None:
    port = free_port()
    assert 0 < port < 65536
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))


def test_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.gguf"
    server = LocalServer(missing)
    with pytest.raises(ModelNotFoundError, match=r"nope\.gguf"), server:
        pass
    assert server.pid is None


def test_default_model_path_when_package_missing() -> None:
    with pytest.raises(ModelNotInstalledError) as info:
        default_model_path("summarize_no_such_model_package")
    message = str(info.value)
    assert 'pip install -e ".[local]"' in message
    assert "CMAKE_ARGS" in message
    assert "summarize_no_such_model_package" in message


def test_default_model_path_when_package_has_no_gguf() -> None:
    with pytest.raises(ModelNotInstalledError, match=r"no \.gguf"):
        default_model_path("json")


def test_startup_failure_reports_the_server_log(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.gguf"
    garbage.write_bytes(b"this is not a GGUF file\n" * 10)
    server = LocalServer(garbage, startup_timeout=60)
    with pytest.raises(LocalServerError, match="exited with status") as info, server:
        pass
    assert server.returncode is not None
    assert str(garbage) in str(info.value)
    assert server.log_path is not None and server.log_path.exists()
    server.log_path.unlink()


def test_server_command_uses_llama_cpp_server_flags(tmp_path: Path) -> None:
    model = tmp_path / "Some-Model.Q4.gguf"
    command = server_command(model, port=1234, n_threads=3, python="py")
    assert command[:3] == ["py", "-m", "summarize.model.local_server"]
    flags = dict(zip(command[3::2], command[4::2], strict=True))
    assert flags == {
        "--model": str(model),
        "--model_alias": "Some-Model.Q4",
        "--host": "127.0.0.1",
        "--port": "1234",
        "--n_ctx": str(DEFAULT_N_CTX),
        "--seed": "0",
        "--logits_all": "False",
        "--n_threads": "3",
        "--n_threads_batch": "3",
    }


def test_json_schema_response_format_becomes_llama_json_object() -> None:
    openai_format = {
        "type": "json_schema",
        "json_schema": {"name": "City", "schema": CITY_SCHEMA, "strict": True},
    }
    assert llama_response_format(openai_format) == {"type": "json_object", "schema": CITY_SCHEMA}
    assert llama_response_format({"type": "json_schema", "json_schema": {"name": "X"}}) == {
        "type": "json_object"
    }
    for unchanged in ({"type": "text"}, {"type": "json_object", "schema": CITY_SCHEMA}):
        assert llama_response_format(unchanged) == unchanged


def test_rewrite_chat_request_only_touches_json_schema_bodies() -> None:
    request = {
        "model": "m",
        "messages": [{"role": "user", "content": "Où ?"}],
        "response_format": {"type": "json_schema", "json_schema": {"schema": CITY_SCHEMA}},
    }
    rewritten = json.loads(rewrite_chat_request(json.dumps(request).encode()))
    assert rewritten["response_format"] == {"type": "json_object", "schema": CITY_SCHEMA}
    assert rewritten["messages"] == request["messages"]
    for body in (
        b"not json",
        b"[1, 2]",
        b'{"messages": []}',
        b'{"response_format": {"type": "json_object"}}',
    ):
        assert rewrite_chat_request(body) is body


def _through_shim(path: str, chunks: list[bytes]) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """Send one request through the shim; return the headers and body the wrapped app got."""
    seen: dict[str, Any] = {}

    async def downstream(scope: Any, receive: Any, send: Any) -> None:
        parts = []
        while True:
            message = await receive()
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        seen["headers"] = scope["headers"]
        seen["body"] = b"".join(parts)

    incoming = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        pass

    length = str(sum(len(chunk) for chunk in chunks)).encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "headers": [(b"content-type", b"application/json"), (b"content-length", length)],
    }
    asyncio.run(ResponseFormatShim(downstream)(scope, receive, send))
    return seen["headers"], seen["body"]


def test_shim_rewrites_chat_completion_bodies_and_content_length() -> None:
    request = {
        "messages": [],
        "response_format": {"type": "json_schema", "json_schema": {"schema": CITY_SCHEMA}},
    }
    raw = json.dumps(request).encode()
    headers, body = _through_shim("/v1/chat/completions", [raw[:10], raw[10:]])
    assert json.loads(body)["response_format"] == {"type": "json_object", "schema": CITY_SCHEMA}
    assert [v for k, v in headers if k == b"content-length"] == [str(len(body)).encode()]
    assert (b"content-type", b"application/json") in headers

    headers, body = _through_shim("/v1/embeddings", [raw])
    assert body == raw


# --- run settings fitted to the server (pure) -------------------------------------------------

# About this model with one thread on a busy 2-core machine.
SLOW = ServerProfile(slots=1, n_ctx=8192, prompt_tokens_per_s=80.0, output_tokens_per_s=20.0)


def test_local_server_errors_are_summarize_errors() -> None:
    assert issubclass(LocalServerError, SummarizeError)
    assert issubclass(ModelNotInstalledError, SummarizeError)


def test_defaults_match_the_server() -> None:
    fit = fit_run(SLOW)
    assert fit.concurrency == SLOW.slots == 1
    # Room for a long answer, and for a prompt that grows with re-asks.
    assert fit.max_output_tokens == SLOW.n_ctx // 2
    # The slowest request the server can take: a prompt, then the longest answer, filling
    # the context (the server cuts answers at the end of its context).
    slowest = max(
        SLOW.seconds(prompt, min(fit.max_output_tokens, SLOW.n_ctx - prompt))
        for prompt in range(1, SLOW.n_ctx, 64)
    )
    assert TIMEOUT_MARGIN * slowest <= fit.timeout <= TIMEOUT_MARGIN * slowest + 10
    assert fit.timeout > Settings().timeout  # the 120s default was too short here


def test_a_slower_server_gets_a_longer_timeout() -> None:
    half_speed = ServerProfile(1, 8192, SLOW.prompt_tokens_per_s / 2, SLOW.output_tokens_per_s / 2)
    assert fit_run(half_speed).timeout >= 2 * fit_run(SLOW).timeout - 20


def test_a_fast_server_keeps_the_minimum_timeout() -> None:
    fast = ServerProfile(1, 8192, 1e6, 1e6)
    assert fit_run(fast).timeout == MIN_TIMEOUT


def test_the_timeout_covers_queueing_when_concurrency_exceeds_the_slots() -> None:
    alone = fit_run(SLOW).timeout
    # Four at once on one slot: the last waits for three others before its own turn.
    assert fit_run(SLOW, concurrency=4).timeout >= 4 * alone - 40
    two_slots = ServerProfile(2, 8192, SLOW.prompt_tokens_per_s, SLOW.output_tokens_per_s)
    assert fit_run(two_slots).concurrency == 2
    assert fit_run(two_slots).timeout == alone


def test_the_timeout_follows_a_given_output_cap() -> None:
    short = fit_run(SLOW, max_output_tokens=512)
    assert short.max_output_tokens == 512
    assert short.timeout < fit_run(SLOW).timeout
    # A cap beyond the context is cut by the server, so it costs no more than a full context.
    assert (
        fit_run(SLOW, max_output_tokens=100_000).timeout
        <= fit_run(SLOW, max_output_tokens=SLOW.n_ctx).timeout
    )


def test_given_values_are_kept() -> None:
    fit = fit_run(SLOW, concurrency=3, timeout=45.0, max_output_tokens=300)
    assert fit == RunFit(concurrency=3, timeout=45.0, max_output_tokens=300)


def test_flags_are_run_options() -> None:
    fit = RunFit(concurrency=1, timeout=990.0, max_output_tokens=4096)
    assert fit.flags() == "--concurrency 1 --timeout 990 --max-output-tokens 4096"
    assert RunFit.of(fit_settings(Settings(), SLOW)) == fit_run(SLOW)


def test_fit_settings_fills_only_what_nobody_set(isolated: Path) -> None:
    fitted = fit_settings(load_settings(None), SLOW)
    assert RunFit.of(fitted) == fit_run(SLOW)

    fitted = fit_settings(load_settings(None, concurrency=4, max_reasks=1), SLOW)
    assert fitted.concurrency == 4
    assert fitted.max_reasks == 1
    assert fitted.timeout == fit_run(SLOW, concurrency=4).timeout


def test_recording_keeps_the_output_cap_a_replay_asks_for(isolated: Path) -> None:
    """The cap is part of every recorded request: a fitted one would record what no replay
    with the configured cap can find (the stale-recording trap of 4096 against 2048)."""
    for mode in (RecordingMode.RECORD, RecordingMode.RECORD_MISSING):
        fitted = fit_settings(load_settings(None, recording=mode), SLOW)
        assert fitted.max_output_tokens == Settings().max_output_tokens == 2048
        assert fitted.timeout == fit_run(SLOW, max_output_tokens=2048).timeout
        assert fitted.concurrency == SERVER_SLOTS
    live = fit_settings(load_settings(None, recording=RecordingMode.LIVE), SLOW)
    assert live.max_output_tokens == fit_run(SLOW).max_output_tokens != 2048


def test_fit_settings_keeps_environment_and_config_file(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated / "summarize.toml").write_text("max_output_tokens = 1000\n")
    monkeypatch.setenv("SUMMARIZE_TIMEOUT", "33")
    fitted = fit_settings(load_settings(None), SLOW)
    assert fitted.timeout == 33
    assert fitted.max_output_tokens == 1000
    assert fitted.concurrency == SERVER_SLOTS

    # Set to the default value is still set.
    monkeypatch.setenv("SUMMARIZE_CONCURRENCY", str(Settings().concurrency))
    assert fit_settings(load_settings(None), SLOW).concurrency == Settings().concurrency


# --- with the real model ---------------------------------------------------------------------


class City(BaseModel):
    city: str


@pytest.fixture(scope="module")
def model_path() -> Path:
    for module in ("llama_cpp", "uvicorn", "fastapi"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed; pip install -e '.[local]' to run this test")
    try:
        return default_model_path()
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def server(model_path: Path) -> Iterator[LocalServer]:
    with LocalServer(model_path) as running:
        yield running


def _gone(pid: int) -> bool:
    """True once `pid` no longer runs (a zombie awaiting an absent reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


@pytest.mark.integration
def test_chat_completion_is_deterministic(server: LocalServer) -> None:
    import openai

    client = openai.OpenAI(base_url=server.base_url, api_key="local", max_retries=0)
    replies = [
        client.chat.completions.create(
            model=server.model,
            messages=[{"role": "user", "content": "Say hello in one short sentence."}],
            temperature=0,
            max_tokens=32,
        )
        for _ in range(2)
    ]
    first = replies[0].choices[0].message.content
    assert isinstance(first, str) and first.strip()
    assert replies[1].choices[0].message.content == first
    assert replies[0].model == server.model


@pytest.mark.integration
def test_instructor_json_schema_mode(server: LocalServer) -> None:
    import instructor
    import openai

    client = instructor.from_openai(
        openai.OpenAI(base_url=server.base_url, api_key="local", max_retries=0),
        mode=instructor.Mode.JSON_SCHEMA,
    )
    result = client.chat.completions.create(
        model=server.model,
        response_model=City,
        messages=[
            {"role": "system", "content": 'Reply with JSON only, like {"city": "Rome"}.'},
            {"role": "user", "content": "What is the capital city of France?"},
        ],
        temperature=0,
        max_tokens=64,
        max_retries=0,
    )
    assert isinstance(result, City)
    assert result.city.strip()


@pytest.mark.integration
def test_settings_for_points_at_the_server_and_fits_it(server: LocalServer) -> None:
    profile = server.profile()
    assert profile.slots == SERVER_SLOTS
    assert profile.n_ctx == DEFAULT_N_CTX
    assert profile.prompt_tokens_per_s > 0 and profile.output_tokens_per_s > 0
    assert server.profile() is profile  # measured once

    given = Settings(timeout=77, base_url="http://elsewhere.invalid/v1", model="other")
    local = server.settings_for(given)
    assert (local.base_url, local.model) == (server.base_url, server.model)
    assert local.timeout == 77
    assert local.concurrency == SERVER_SLOTS
    assert local.max_output_tokens == server.run_fit().max_output_tokens == DEFAULT_N_CTX // 2


@pytest.mark.integration
def test_server_is_gone_after_the_block(model_path: Path) -> None:
    with LocalServer(model_path) as server:
        pid = server.pid
        assert pid is not None and not _gone(pid)
    assert server.returncode is not None
    assert _gone(pid)
    assert server.log_path is None
    with pytest.raises(LocalServerError):
        _ = server.base_url


@pytest.mark.integration
@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_server_stops_when_the_body_raises(model_path: Path, error: type[BaseException]) -> None:
    pids: list[int] = []
    with pytest.raises(error), LocalServer(model_path) as server:
        assert server.pid is not None
        pids.append(server.pid)
        raise error("boom")
    assert pids and _gone(pids[0])
    assert server.returncode is not None


@pytest.mark.integration
def test_startup_timeout_stops_the_server(model_path: Path) -> None:
    server = LocalServer(model_path, startup_timeout=0.0)
    with pytest.raises(LocalServerError, match="did not answer"), server:
        pass
    assert server.pid is not None and _gone(server.pid)
    assert server.log_path is not None
    server.log_path.unlink()


@pytest.mark.integration
def test_server_exits_when_its_parent_is_killed(model_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from summarize.model.local_server import LocalServer
        server = LocalServer(Path({str(model_path)!r}))
        server.start()
        print(server.pid, server.log_path, flush=True)
        time.sleep(600)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert parent.stdout is not None
        pid_text, log_path = parent.stdout.readline().decode().split()
        pid = int(pid_text)
        assert not _gone(pid)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    # Its parent died before it could clean up after the server.
    Path(log_path).unlink()
    deadline = time.monotonic() + 15
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not _gone(pid):
        os.killpg(pid, signal.SIGKILL)
        pytest.fail("the server outlived its killed parent")


@pytest.mark.integration
def test_log_is_kept_when_the_server_dies_on_its_own(model_path: Path) -> None:
    with LocalServer(model_path) as server:
        assert server.pid is not None
        os.killpg(server.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while server.returncode is None and time.monotonic() < deadline:
            time.sleep(0.05)
    assert server.returncode == -signal.SIGKILL
    assert server.log_path is not None
    assert "llama" in server.log_path.read_text(errors="replace")
    server.log_path.unlink()


def test_the_article_estimate_and_the_timeout_reason_come_from_the_measured_speed() -> None:
    from summarize.model.local_fit import (
        TYPICAL_ARTICLE_OUTPUT_TOKENS,
        TYPICAL_ARTICLE_PROMPT_TOKENS,
        TYPICAL_WRITE_SLOWDOWN,
        article_seconds,
        timeout_reason,
    )

    profile = ServerProfile(slots=1, n_ctx=8192, prompt_tokens_per_s=200, output_tokens_per_s=10)
    fit = fit_run(profile)

    assert article_seconds(profile) == (
        TYPICAL_ARTICLE_PROMPT_TOKENS / 200
        + TYPICAL_ARTICLE_OUTPUT_TOKENS * TYPICAL_WRITE_SLOWDOWN / 10
    )
    slower = ServerProfile(slots=1, n_ctx=8192, prompt_tokens_per_s=100, output_tokens_per_s=5)
    assert article_seconds(slower) == 2 * article_seconds(profile)
    reason = timeout_reason(profile, fit)
    alone = profile.seconds(8192 - 4096, 4096)
    assert f"4,096 tokens read + 4,096 written, about {alone:.0f}s" in reason
    assert f"x {TIMEOUT_MARGIN / 4:g} for writing after a full context x 4" in reason
    assert fit.timeout == max(MIN_TIMEOUT, math.ceil(TIMEOUT_MARGIN * alone / 10) * 10)
    queued = timeout_reason(profile, fit_run(profile, concurrency=3))
    assert "x 3 requests queued at once" in queued
