"""A planted API key must not appear in anything a run writes, prints, logs or raises.

The loopback server is the worst case: it echoes the request's Authorization header back in
every error body, as some proxies and debugging servers do.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED_001, article_of, grounded_answer_for
from model_server import ModelServer, ReceivedRequest, Reply
from recording_checks import scan_for_secrets
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.article import Article
from summarize.core.results import RunSummary
from summarize.model.client import FatalModelError, ModelClient, ModelError
from summarize.model.prompts import load_prompt
from summarize.outdir.store import OutputStore
from summarize.run.pipeline import run_articles
from summarize.run.session import open_run
from summarize.settings import Settings
from summarize.sources.read import iter_articles

pytestmark = pytest.mark.usefixtures("isolated")

KEY = "sk-test-PLANTED-5f0c1d2e3a4b5c6d7e8f"
PROMPT = load_prompt()
NO_WAIT = {"retry-after": "0"}
RUN = (sys.executable, "-c", "from summarize.cli.app import main; main()", "run")


def echo(request: ReceivedRequest, status: int, headers: dict[str, str] | None = None) -> Reply:
    """An error whose body repeats the credentials the request carried."""
    sent = request.headers.get("authorization", "")
    return Reply.json(
        {"error": {"message": f"rejected; you sent Authorization: {sent}", "type": sent}},
        status,
        headers,
    )


class Echoing:
    """Per article (by file stem): a list of statuses to echo the key with, then a good answer."""

    def __init__(self, script: dict[str, list[int]]) -> None:
        self._script = script
        self._lock = threading.Lock()
        self.seen_keys: set[str] = set()

    def __call__(self, request: ReceivedRequest) -> Reply:
        stem = article_of(request)[0].rsplit("-", 1)[0]
        with self._lock:
            self.seen_keys.add(request.headers.get("authorization", ""))
            statuses = self._script.get(stem, [])
            status = statuses.pop(0) if statuses else None
        if status is None:
            return grounded_answer_for(request)
        return echo(request, status, NO_WAIT if status == 429 or status >= 500 else None)


def write_articles(src: Path, names: list[str]) -> None:
    src.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(names):
        (src / f"{name}.txt").write_text(
            f"Minister {n} met envoy {n} in Vienna on Monday to discuss grain.\n", encoding="utf-8"
        )


def files_under(*roots: Path) -> Iterator[Path]:
    for root in roots:
        yield from (p for p in root.rglob("*") if p.is_file())


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    env.update(OPENAI_API_KEY=KEY, **extra)
    return env


# Each article meets an echoing error: one that fails it, one retried away, one fatal last.
SCRIPT = {
    "refused": [400],
    "server_error": [500],
    "rate_limited": [429],
    "fine": [],
}


def test_no_output_log_or_message_of_a_run_holds_the_key(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_articles(src, list(SCRIPT))
    model = Echoing({k: list(v) for k, v in SCRIPT.items()})
    with ModelServer(responder=model) as server:
        done = subprocess.run(
            [
                *(*RUN, str(src), "--out", str(out), "--base-url", server.base_url),
                *("--model", "m", "--concurrency", "1", "--memo", str(out / "memo.html")),
            ],
            # The SDK's own debug logging, on stderr: requests, responses, retries.
            env=subprocess_env(OPENAI_LOG="debug"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert done.returncode == 1, done.stderr
    assert model.seen_keys == {f"Bearer {KEY}"}  # the key was used, and echoed back
    assert "DEBUG" in done.stderr  # the logs were on
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(Path(e["file"]).stem, e["stage"]) for e in errors] == [("refused", "request")]
    assert "you sent Authorization: Bearer ***" in errors[0]["cause"]
    written = list(files_under(out))
    assert len(written) >= 6  # 3 briefs, run.json, errors.jsonl, memo (and the lock)
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path
    assert scan_for_secrets(out) == []
    assert KEY not in done.stdout
    assert KEY not in done.stderr


def test_recordings_of_an_echoing_server_hold_no_key(tmp_path: Path) -> None:
    src, out, recordings = tmp_path / "src", tmp_path / "out", tmp_path / "recordings"
    write_articles(src, list(SCRIPT))
    model = Echoing({k: list(v) for k, v in SCRIPT.items()})
    with ModelServer(responder=model) as server:
        result = CliRunner().invoke(
            app,
            [
                *("run", str(src), "--out", str(out), "--base-url", server.base_url),
                *("--model", "m", "--record", "--recordings", str(recordings)),
                *("--concurrency", "1"),
            ],
            env={"OPENAI_API_KEY": KEY},
        )

    assert result.exit_code == 1, result.output
    cassettes = list(files_under(recordings))
    assert len(cassettes) == len(SCRIPT)
    for path in cassettes:
        assert KEY.encode() not in path.read_bytes(), path
    assert scan_for_secrets(recordings) == []


def test_a_fatal_echo_stops_the_run_without_a_traceback_or_the_key(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_articles(src, ["first"])
    model = Echoing({"first": [401]})
    with ModelServer(responder=model) as server:
        done = subprocess.run(
            [
                *(*RUN, str(src), "--out", str(tmp_path / "out")),
                *("--base-url", server.base_url, "--model", "m"),
            ],
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert done.returncode == 2
    assert "OPENAI_API_KEY" in done.stderr
    assert "Traceback" not in done.stderr
    assert KEY not in done.stdout + done.stderr
    for path in files_under(tmp_path / "out"):
        assert KEY.encode() not in path.read_bytes(), path


# -- exceptions and logs, in-process ---------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Article:
    (article,) = iter_articles(SEED_001)
    assert isinstance(article, Article)
    return article


def settings_for(server: ModelServer) -> Settings:
    return Settings(
        base_url=server.base_url,
        model="m",
        OPENAI_API_KEY=KEY,
        transport_retries=1,
        max_reasks=0,
        timeout=5.0,
    )


def raised_by(server: ModelServer, article: Article) -> BaseException:
    async def go() -> None:
        client = ModelClient(settings_for(server), backoff=(0.001, 0.002))
        try:
            await client.extract(article, PROMPT)
        finally:
            await client.aclose()

    with pytest.raises(ModelError) as caught:
        asyncio.run(go())
    return caught.value


def everything_shown(exc: BaseException) -> str:
    """What a traceback, a log line with exc_info, or a debugger's repr would show."""
    chain = "".join(traceback.format_exception(exc))
    return "\n".join([chain, repr(exc), repr(exc.args), str(exc)])


@pytest.mark.parametrize(
    ("status", "kind"),
    [(400, ModelError), (401, FatalModelError), (404, FatalModelError), (500, ModelError)],
)
def test_exceptions_and_their_tracebacks_hold_no_key(
    status: int, kind: type[ModelError], seed: Article
) -> None:
    with ModelServer(responder=lambda request: echo(request, status, NO_WAIT)) as server:
        exc = raised_by(server, seed)
        assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"

    assert type(exc) is kind
    assert KEY not in everything_shown(exc)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(name)s %(message)s").format(record))


@pytest.fixture
def all_logs() -> Iterator[Collect]:
    """Every log record from any library, at DEBUG, with tracebacks formatted."""
    collect = Collect()
    loggers = [logging.getLogger(), logging.getLogger("instructor")]  # the CLI detaches the latter
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(collect)
        logger.setLevel(logging.DEBUG)
    yield collect
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(collect)
        logger.setLevel(level)


def test_debug_logs_of_a_run_hold_no_key(tmp_path: Path, all_logs: Collect) -> None:
    src = tmp_path / "src"
    write_articles(src, ["refused", "server_error", "rate_limited", "fine", "unauthorized"])
    model = Echoing({k: list(v) for k, v in {**SCRIPT, "unauthorized": [401]}.items()})
    summary = RunSummary()

    async def go(server: ModelServer) -> None:
        client = ModelClient(settings_for(server), backoff=(0.001, 0.002))
        try:
            store = OutputStore(tmp_path / "out")
            with open_run(store, src, client.settings, PROMPT, summary=summary) as session:
                await run_articles(session, client, concurrency=1)
        finally:
            await client.aclose()

    with ModelServer(responder=model) as server, pytest.raises(FatalModelError) as caught:
        asyncio.run(go(server))

    # The refused article, and the one whose 401 stopped the run.
    assert summary.count("done") == 3 and summary.count("failed") == 2
    assert [e.stage for e in summary.errors] == ["request", "config"]
    assert len(all_logs.lines) > 10  # the libraries did log at DEBUG
    assert KEY not in "\n".join(all_logs.lines)
    assert KEY not in everything_shown(caught.value)
    assert summary.interrupted is not None and KEY not in summary.interrupted


def test_a_settings_error_does_not_repeat_the_key(tmp_path: Path) -> None:
    config = tmp_path / "summarize.toml"
    config.write_text(f'api_key = "{KEY}"\nconcurrency = 0\nmodle = "typo"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("Minister met envoy.\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["run", str(tmp_path / "a.txt"), "--config", str(config)])

    assert result.exit_code == 2
    assert "concurrency" in result.stderr and "modle" in result.stderr
    assert KEY not in result.output
