"""The client's transport stack: the ledger tap, recording and the network, in one order."""

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from conftest import completion_for
from model_server import ModelServer, Reply

from summarize.core.article import Article
from summarize.model.client import ModelClient
from summarize.model.prompts import load_prompt
from summarize.model.recording import with_replay_endpoint
from summarize.model.transports import LedgerTap, LedgerTransport
from summarize.outdir.ledger import Ledger
from summarize.settings import RecordingMode, Settings

pytestmark = pytest.mark.usefixtures("isolated")

KEY = "sk-test-LEDGER-0123456789abcdef"
PROMPT = load_prompt()


async def _call(server: ModelServer, ledger: Ledger, run_id: int, article: str) -> None:
    transport = LedgerTransport(httpx2.AsyncHTTPTransport(), ledger, run_id)
    client = openai.AsyncOpenAI(
        base_url=server.base_url,
        api_key=KEY,
        http_client=httpx2.AsyncClient(transport=transport),
        max_retries=0,
    )
    try:
        await client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "hi"}],
            extra_headers={"X-Summarize-Article": article},
        )
    finally:
        await client.close()


def test_each_exchange_is_a_row_with_usage_attempt_and_outcome(
    tmp_path: Path, server: ModelServer
) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite")
    run = ledger.start_run(source="seeds", model="m", prompt_version="p1")
    server.enqueue(
        completion_for({"ok": 1}, tokens=(100, 20)),
        Reply.json({"error": {"message": "overloaded"}}, status=503),
        completion_for({"ok": 2}, tokens=(110, 30)),
    )
    asyncio.run(_call(server, ledger, run, "a-1"))
    with pytest.raises(openai.InternalServerError):
        asyncio.run(_call(server, ledger, run, "a-2"))
    asyncio.run(_call(server, ledger, run, "a-2"))
    rows = ledger.exchanges(run)
    assert [(r["article_id"], r["attempt"], r["outcome"]) for r in rows] == [
        ("a-1", 1, "ok"),
        ("a-2", 1, "http 503"),
        ("a-2", 2, "ok"),
    ]
    assert ledger.tokens(run).total_tokens == 120 + 140
    assert json.loads(rows[0]["request"])["messages"][0]["content"] == "hi"
    assert json.loads(rows[0]["response"])["usage"]["prompt_tokens"] == 100
    ledger.finish_run(run, "done", {"done": 2})
    (summary,) = ledger.runs()
    assert summary["status"] == "done"
    assert summary["exchanges"] == 3
    assert summary["tokens"] == 260
    assert KEY not in (tmp_path / "ledger.sqlite").read_bytes().decode("utf-8", "replace")


def test_a_connection_failure_is_recorded_as_an_error(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite")
    run = ledger.start_run(source="x")
    dead = ModelServer()
    dead.start()
    dead.stop()  # nothing listens on that port any more
    with pytest.raises(openai.APIConnectionError):
        asyncio.run(_call(dead, ledger, run, "a-1"))
    (row,) = ledger.exchanges(run)
    assert row["outcome"].startswith("error: ")
    assert row["response"] is None


# -- the stack, as the client builds it -----------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _extract(settings: Settings, article: Article, **kwargs: Any) -> int:
    async def go() -> int:
        client = ModelClient(settings, backoff=(0.001, 0.002), **kwargs)
        try:
            return (await client.extract(article, PROMPT)).attempts
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_a_replayed_article_is_tapped_with_its_id_and_the_recorded_answers(
    tmp_path: Path, seed001: Article
) -> None:
    # The tap sits above recording: it sees the article tag recording strips, and the
    # responses the recording gives back, one row per exchange the client made.
    ledger = Ledger(tmp_path / "ledger.sqlite")
    run = ledger.start_run(source="seeds")
    settings = with_replay_endpoint(
        Settings(
            recording=RecordingMode.REPLAY,
            recordings_dir=ROOT / "fixtures" / "recordings",
            OPENAI_API_KEY=KEY,
        )
    )
    attempts = _extract(settings, seed001, tap=LedgerTap(ledger, run))

    rows = ledger.exchanges(run)
    assert [(r["article_id"], r["attempt"], r["outcome"]) for r in rows] == [
        (seed001.id, n, "ok") for n in range(1, attempts + 1)
    ]
    recorded = json.loads((ROOT / "fixtures" / "recordings" / f"{seed001.id}.json").read_text())
    assert [json.loads(r["response"]) for r in rows] == [
        e["response"]["body"] for e in recorded["exchanges"][:attempts]
    ]


def test_the_tags_reach_a_callers_transport_but_never_the_network(
    server: ModelServer, seed001: Article, answer001: dict[str, Any]
) -> None:
    class Capture(httpx2.AsyncBaseTransport):
        """A stand-in for the network (as batch prepare uses one): keeps what it is given."""

        def __init__(self) -> None:
            self.headers: list[httpx2.Headers] = []
            self._http = httpx2.AsyncHTTPTransport()

        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            self.headers.append(request.headers)
            return await self._http.handle_async_request(request)

    settings = Settings(base_url=server.base_url, model="m", OPENAI_API_KEY=KEY)
    server.enqueue(completion_for(answer001), completion_for(answer001))
    capture = Capture()
    _extract(settings, seed001, transport=capture)
    _extract(settings, seed001)

    assert capture.headers[0]["x-summarize-article"] == seed001.id
    by_caller, by_network = server.requests
    assert by_caller.headers["x-summarize-article"] == seed001.id
    assert not [name for name in by_network.headers if name.startswith("x-summarize-")]
    assert by_network.headers["authorization"] == f"Bearer {KEY}"


def test_a_recorded_article_is_tapped_and_recorded_once_per_exchange(
    tmp_path: Path, server: ModelServer, seed001: Article, answer001: dict[str, Any]
) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite")
    run = ledger.start_run(source="seeds")
    settings = Settings(
        base_url=server.base_url,
        model="m",
        recording=RecordingMode.RECORD,
        recordings_dir=tmp_path / "rec",
    )
    server.enqueue(completion_for(answer001))
    assert _extract(settings, seed001, tap=LedgerTap(ledger, run)) == 1

    (row,) = ledger.exchanges(run)
    (exchange,) = json.loads((tmp_path / "rec" / f"{seed001.id}.json").read_text())["exchanges"]
    assert json.loads(row["response"]) == exchange["response"]["body"]
    assert json.loads(row["request"]) == exchange["request"]["body"]


def test_a_client_lets_go_of_an_articles_cassette_once_the_article_is_done(
    seed001: Article,
) -> None:
    # Held for the whole run, a replayed folder kept every cassette it read in memory
    # (46 KiB an article). Let go, the same article replays again from its file, whole:
    # before, the second extraction found every recorded answer used and missed.
    settings = with_replay_endpoint(
        Settings(
            recording=RecordingMode.REPLAY,
            recordings_dir=ROOT / "fixtures" / "recordings",
            OPENAI_API_KEY=KEY,
        )
    )

    async def twice() -> tuple[Any, Any]:
        client = ModelClient(settings, backoff=(0.001, 0.002))
        try:
            first = await client.extract(seed001, PROMPT)
            second = await client.extract(seed001, PROMPT)
        finally:
            await client.aclose()
        return first, second

    first, second = asyncio.run(twice())
    assert second.extraction == first.extraction
    assert second.attempts == first.attempts
