"""Record/replay transports, end to end: real openai client, real loopback server, real files."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import instructor
import openai
import pydantic
import pytest
from model_server import ModelServer, Reply, chat_completion
from openai.types.chat import ChatCompletion
from recording_checks import find_replay_miss, scan_for_secrets

from summarize.model.cassettes import (
    Cassette,
    Payload,
    RecordingError,
    ReplayMissError,
    fingerprint,
    metadata_headers,
)
from summarize.model.recording import (
    AsyncRecordingTransport,
    CassetteStore,
    RecordingTransport,
    recorded_model,
)
from summarize.settings import RecordingMode

FAKE_KEY = "sk-test-SECRET-1234567890abcdef"
ARTICLE = "talks-in-geneva-1a2b3c4d"
SHA_A = "a" * 64
SHA_B = "b" * 64
SYSTEM = "Extract diplomatic contacts from the article."
TEXT_A = "The foreign ministers met in Geneva on Monday."
TEXT_B = "The foreign ministers spoke by phone on Tuesday."
RESPONSE_FORMAT: dict[str, Any] = {
    "type": "json_schema",
    "json_schema": {
        "name": "brief",
        "schema": {"type": "object", "properties": {"events": {"type": "array"}}},
    },
}
# Never reached: a replay that tried the network would fail to resolve this host.
UNREACHABLE = "http://replay.invalid/v1"


@pytest.fixture
def server() -> Iterator[ModelServer]:
    with ModelServer() as running:
        yield running


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "recordings"


def client(
    mode: RecordingMode | str, root: Path, base_url: str, *, max_retries: int = 0
) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=base_url,
        api_key=FAKE_KEY,
        max_retries=max_retries,
        http_client=httpx2.Client(transport=RecordingTransport(mode, root)),
    )


def async_client(mode: RecordingMode | str, root: Path, base_url: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=base_url,
        api_key=FAKE_KEY,
        max_retries=0,
        http_client=httpx2.AsyncClient(transport=AsyncRecordingTransport(mode, root)),
    )


def request_args(
    *,
    article: str = ARTICLE,
    sha: str = SHA_A,
    text: str = TEXT_A,
    prompt_version: str = "p1",
    system: str = SYSTEM,
    schema_version: str = "1.0",
    response_format: dict[str, Any] = RESPONSE_FORMAT,
    model: str = "test-model",
    temperature: float = 0.0,
) -> dict[str, Any]:
    return {
        "model": model,
        "temperature": temperature,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": text},
        ],
        "response_format": response_format,
        "extra_headers": metadata_headers(
            article,
            article_sha256=sha,
            prompt_version=prompt_version,
            schema_version=schema_version,
        ),
    }


def ask(c: openai.OpenAI, **overrides: Any) -> ChatCompletion:
    completion = c.chat.completions.create(**request_args(**overrides))
    assert isinstance(completion, ChatCompletion)
    return completion


def cassette(root: Path, article: str = ARTICLE) -> Cassette:
    loaded = CassetteStore(root).load(article)
    assert loaded is not None, f"no cassette for {article}"
    return loaded


def test_record_then_replay_with_server_stopped(server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion('{"events": []}'))
    recorded = ask(client("record", root, server.base_url))
    server.stop()

    replayed = ask(client("replay", root, server.base_url))

    assert replayed.model_dump() == recorded.model_dump()
    assert replayed.choices[0].message.content == '{"events": []}'
    assert len(server.requests) == 1


def test_replay_ignores_host_and_port(server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion("hello"))
    recorded = ask(client("record", root, server.base_url))
    server.stop()

    replayed = ask(client("replay", root, UNREACHABLE))

    assert replayed.model_dump() == recorded.model_dump()


def test_metadata_headers_are_stripped_but_auth_still_reaches_the_server(
    server: ModelServer, root: Path
) -> None:
    server.enqueue_json(chat_completion("a"), chat_completion("b"))
    ask(client("record", root, server.base_url))
    ask(client("live", root, server.base_url))

    for received in server.requests:
        assert not [name for name in received.headers if name.startswith("x-summarize-")]
        assert received.headers["authorization"] == f"Bearer {FAKE_KEY}"


def test_live_mode_writes_nothing(server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion("live answer"))
    answer = ask(client("live", root, server.base_url))

    assert answer.choices[0].message.content == "live answer"
    assert not root.exists()


def test_async_record_then_replay(server: ModelServer, root: Path) -> None:
    async def run(mode: str, base_url: str) -> ChatCompletion:
        async with async_client(mode, root, base_url) as c:
            completion = await c.chat.completions.create(**request_args())
        assert isinstance(completion, ChatCompletion)
        return completion

    server.enqueue_json(chat_completion("async answer"))
    recorded = asyncio.run(run("record", server.base_url))
    server.stop()

    replayed = asyncio.run(run("replay", server.base_url))

    assert replayed.model_dump() == recorded.model_dump()
    assert replayed.choices[0].message.content == "async answer"


def test_async_replay_miss_reaches_caller(root: Path) -> None:
    async def run() -> None:
        async with async_client("replay", root, UNREACHABLE) as c:
            await c.chat.completions.create(**request_args())

    with pytest.raises(ReplayMissError) as info:
        asyncio.run(run())
    assert "no recording for article" in str(info.value)


def test_sync_and_async_record_the_same_file(server: ModelServer, tmp_path: Path) -> None:
    async def run_async() -> None:
        async with async_client("record", tmp_path / "async", server.base_url) as c:
            await c.chat.completions.create(**request_args())

    server.enqueue_json(chat_completion("same"), chat_completion("same"))
    ask(client("record", tmp_path / "sync", server.base_url))
    asyncio.run(run_async())

    sync_file = cassette(tmp_path / "sync")
    async_file = cassette(tmp_path / "async")
    assert [e.to_dict() for e in sync_file.exchanges] == [e.to_dict() for e in async_file.exchanges]


class Meeting(pydantic.BaseModel):
    place: str
    attendees: int


def test_instructor_reasks_are_recorded_in_order_and_replayed(
    server: ModelServer, root: Path
) -> None:
    # First answer fails validation, so instructor re-asks: two exchanges for one article.
    server.enqueue_json(
        chat_completion(tool_calls=[("Meeting", {"place": "Geneva", "attendees": "two"})]),
        chat_completion(tool_calls=[("Meeting", {"place": "Geneva", "attendees": 2})]),
    )

    def extract(c: openai.OpenAI) -> Meeting:
        return instructor.from_openai(c).chat.completions.create(
            model="test-model",
            response_model=Meeting,
            max_retries=2,
            messages=[{"role": "user", "content": TEXT_A}],
            extra_headers=metadata_headers(ARTICLE, article_sha256=SHA_A, prompt_version="p1"),
        )

    recorded = extract(client("record", root, server.base_url))
    server.stop()
    replayed = extract(client("replay", root, server.base_url))

    assert replayed.model_dump() == recorded.model_dump() == {"place": "Geneva", "attendees": 2}
    exchanges = cassette(root).exchanges
    assert len(exchanges) == 2
    second_messages = exchanges[1].request.payload.value["messages"]
    assert len(second_messages) > 1  # the re-ask carries the failed answer back
    assert [e.request.payload.value for e in exchanges] == [r.json() for r in server.requests]


def test_instructor_surfaces_replay_miss_as_cause(root: Path) -> None:
    c = client("replay", root, UNREACHABLE)
    with pytest.raises(Exception) as info:
        instructor.from_openai(c).chat.completions.create(
            model="test-model",
            response_model=Meeting,
            max_retries=2,
            messages=[{"role": "user", "content": TEXT_A}],
            extra_headers=metadata_headers(ARTICLE),
        )
    miss = find_replay_miss(info.value)
    assert miss is not None
    assert miss.article_id == ARTICLE


MISSES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "model": ({"model": "bigger-model"}, ["model changed: test-model -> bigger-model"]),
    "prompt": (
        {"prompt_version": "p2", "system": SYSTEM + " Be brief."},
        ["prompt version changed: p1 -> p2", "the prompt template changed"],
    ),
    "schema version": (
        {"schema_version": "2.0", "response_format": {"type": "json_object"}},
        ["schema version changed: 1.0 -> 2.0", "the schema changed"],
    ),
    "schema in request": (
        {"response_format": {"type": "json_object"}},
        ["response_format/tools schema differs", "the schema changed"],
    ),
    "article": (
        {"sha": SHA_B, "text": TEXT_B},
        [f"article text changed: sha256 {SHA_A} -> {SHA_B}"],
    ),
    "params": ({"temperature": 0.7}, ["request parameters changed: temperature"]),
    "no recording": (
        {"article": "other-article-00000000"},
        ["no recording for article other-article-00000000", "other-article-00000000.json"],
    ),
}


@pytest.mark.parametrize("case", sorted(MISSES))
def test_replay_miss_says_what_changed(case: str, server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion("recorded"))
    ask(client("record", root, server.base_url))
    server.stop()
    overrides, fragments = MISSES[case]

    # max_retries > 0: a miss must not be retried or wrapped as a connection error.
    replay = client("replay", root, server.base_url, max_retries=2)
    with pytest.raises(ReplayMissError) as info:
        ask(replay, **overrides)

    message = str(info.value)
    for fragment in fragments:
        assert fragment in message
    # A stale recording says how to re-record; a missing one is explained once per run by
    # the client (recordings_help), not in every article's error.
    assert info.value.no_recording is (case == "no recording")
    if case != "no recording":
        assert message.rstrip().endswith("`summarize run <src> --record-missing`.")
    assert type(info.value) is ReplayMissError
    assert info.value.article_id == overrides.get("article", ARTICLE)


def test_replay_miss_names_only_what_changed(server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion("recorded"))
    ask(client("record", root, server.base_url))

    with pytest.raises(ReplayMissError) as info:
        ask(client("replay", root, UNREACHABLE), temperature=0.5)

    assert info.value.reasons == ("request parameters changed: temperature",)


def test_identical_requests_replay_in_recorded_order(server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion("first"), chat_completion("second"))
    recorder = client("record", root, server.base_url)
    ask(recorder)
    ask(recorder)
    server.stop()

    replay = client("replay", root, server.base_url)
    answers = [ask(replay).choices[0].message.content for _ in range(2)]
    assert answers == ["first", "second"]
    with pytest.raises(ReplayMissError) as info:
        ask(replay)
    assert "every copy was already replayed" in str(info.value)


def test_record_missing_replays_known_and_records_new(server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion("cold"))
    ask(client("record", root, server.base_url))
    assert len(server.requests) == 1

    server.enqueue_json(chat_completion("warm"), chat_completion("fresh article"))
    mixed = client("record-missing", root, server.base_url)
    known = ask(mixed)
    new = ask(mixed, temperature=0.7)
    other = ask(mixed, article="other-article-00000000")

    assert known.choices[0].message.content == "cold"
    assert new.choices[0].message.content == "warm"
    assert other.choices[0].message.content == "fresh article"
    assert len(server.requests) == 3
    server.stop()

    replay = client("replay", root, server.base_url)
    assert ask(replay).choices[0].message.content == "cold"
    assert ask(replay, temperature=0.7).choices[0].message.content == "warm"
    assert ask(replay, article="other-article-00000000").choices[0].message.content == (
        "fresh article"
    )


def test_record_missing_keeps_replayed_exchanges_after_a_live_one(
    server: ModelServer, root: Path
) -> None:
    server.enqueue_json(chat_completion("recorded earlier"))
    ask(client("record", root, server.base_url), temperature=0.5)

    server.enqueue_json(chat_completion("recorded now"))
    mixed = client("record-missing", root, server.base_url)
    ask(mixed, temperature=0.0)  # live, rewrites the file
    ask(mixed, temperature=0.5)  # replayed, must stay in the rewritten file
    server.stop()

    replay = client("replay", root, server.base_url)
    assert ask(replay, temperature=0.0).choices[0].message.content == "recorded now"
    assert ask(replay, temperature=0.5).choices[0].message.content == "recorded earlier"


def test_record_missing_without_misses_leaves_file_untouched(
    server: ModelServer, root: Path
) -> None:
    server.enqueue_json(chat_completion("once"))
    ask(client("record", root, server.base_url))
    path = CassetteStore(root).path_for(ARTICLE)
    before = path.read_bytes()
    server.stop()

    ask(client("record-missing", root, server.base_url))

    assert path.read_bytes() == before


def test_rerecording_replaces_the_old_file(server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion("old"), chat_completion("new"))
    ask(client("record", root, server.base_url), prompt_version="p1")
    ask(client("record", root, server.base_url), prompt_version="p2", system="New prompt.")

    recorded = cassette(root)
    assert recorded.prompt_version == "p2"
    assert [
        e.response.payload.value["choices"][0]["message"]["content"] for e in recorded.exchanges
    ] == ["new"]


def test_transient_failures_are_not_recorded(server: ModelServer, root: Path) -> None:
    # retry-after-ms keeps the openai client's back-off short.
    server.enqueue(
        Reply.json(
            {"error": {"message": "overloaded"}}, status=503, headers={"retry-after-ms": "1"}
        ),
    )
    server.enqueue_json(chat_completion("after retry"))
    answer = ask(client("record", root, server.base_url, max_retries=1))

    assert answer.choices[0].message.content == "after retry"
    assert [e.response.status for e in cassette(root).exchanges] == [200]


def test_client_errors_are_recorded_and_replayed(server: ModelServer, root: Path) -> None:
    server.enqueue(Reply.text("model does not accept response_format", status=400))
    with pytest.raises(openai.BadRequestError) as live:
        ask(client("record", root, server.base_url))
    server.stop()

    with pytest.raises(openai.BadRequestError) as replayed:
        ask(client("replay", root, server.base_url))

    assert replayed.value.status_code == live.value.status_code == 400
    assert replayed.value.message == live.value.message
    response = cassette(root).exchanges[0].to_dict()["response"]
    assert response["text"] == "model does not accept response_format"
    assert "body" not in response


def test_file_is_pretty_sorted_and_stable(server: ModelServer, tmp_path: Path) -> None:
    extra = {"x-request-id": "req-1", "openai-processing-ms": "12", "set-cookie": "s=1"}
    server.enqueue(Reply.json(chat_completion("same"), headers=extra))
    server.enqueue(Reply.json(chat_completion("same"), headers=extra))
    ask(client("record", tmp_path / "one", server.base_url))
    ask(client("record", tmp_path / "two", server.base_url))

    def without_time(path: Path) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        assert data.pop("recorded_at")
        return data

    one = tmp_path / "one" / f"{ARTICLE}.json"
    two = tmp_path / "two" / f"{ARTICLE}.json"
    assert without_time(one) == without_time(two)
    text = one.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    data = json.loads(text)
    assert data["format"] == 1
    assert data["model"] == "test-model"
    assert data["article_sha256"] == SHA_A
    assert set(data["library_versions"]) == {
        "summarize",
        "openai",
        "instructor",
        "httpx2",
        "python",
    }
    exchange = data["exchanges"][0]
    assert exchange["response"]["headers"] == {"content-type": "application/json"}
    assert set(exchange["request"]) == {"method", "path", "body"}
    # Canonical re-encoding: the server sent indented JSON, the file holds decoded JSON.
    assert exchange["response"]["body"] == chat_completion("same")


def test_no_key_or_auth_header_in_recordings(server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion("a"), chat_completion("b"))
    ask(client("record", root, server.base_url))
    ask(client("record", root, server.base_url), article="other-article-00000000")

    files = sorted(root.iterdir())
    assert len(files) == 2
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert FAKE_KEY not in text
        assert "SECRET" not in text
        assert "authorization" not in text.lower()
        assert "bearer" not in text.lower()
        assert "x-stainless" not in text.lower()
    assert scan_for_secrets(root) == []


def test_scan_for_secrets_finds_planted_keys(tmp_path: Path) -> None:
    (tmp_path / "clean.json").write_text(
        '{"text": "Talks on the Minsk-Brest-Litovsk-railway-corridor resumed."}\n',
        encoding="utf-8",
    )
    nested = tmp_path / "sub"
    nested.mkdir()
    (nested / "leak.json").write_text(
        '{\n  "note": "key sk-proj-abcdefghijklmnop1234",\n'
        '  "Authorization": "x",\n'
        '  "header": "Bearer abc.def.ghi123"\n}\n',
        encoding="utf-8",
    )

    findings = scan_for_secrets(tmp_path)

    assert findings == [
        f"{nested / 'leak.json'}:2: openai-style key",
        f"{nested / 'leak.json'}:3: credential key",
        f"{nested / 'leak.json'}:4: bearer token",
    ]
    assert not any("abcdefghijklmnop" in f for f in findings)


def test_no_temp_files_left_after_recording(server: ModelServer, root: Path) -> None:
    server.enqueue_json(chat_completion("a"), chat_completion("b"), chat_completion("c"))
    recorder = client("record", root, server.base_url)
    ask(recorder)
    ask(recorder, temperature=0.3)
    ask(recorder, article="other-article-00000000")

    assert sorted(p.name for p in root.iterdir()) == [
        "other-article-00000000.json",
        f"{ARTICLE}.json",
    ]


def test_failed_write_leaves_no_temp_file_and_keeps_old(root: Path) -> None:
    store = CassetteStore(root)
    store.save(Cassette(article_id="kept-00000000", recorded_at="x"))
    # A directory where the file should go makes the final rename fail.
    (root / f"{ARTICLE}.json").mkdir(parents=True)
    (root / f"{ARTICLE}.json" / "blocker").write_text("", encoding="utf-8")

    with pytest.raises(OSError):
        store.save(Cassette(article_id=ARTICLE, recorded_at="x"))

    assert sorted(p.name for p in root.iterdir()) == ["kept-00000000.json", f"{ARTICLE}.json"]
    assert store.load("kept-00000000") == Cassette(article_id="kept-00000000", recorded_at="x")


def test_request_without_article_header_cannot_be_recorded(server: ModelServer, root: Path) -> None:
    c = client("record", root, server.base_url, max_retries=2)
    with pytest.raises(RecordingError, match="X-Summarize-Article"):
        c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert server.requests == []


def test_article_id_cannot_escape_the_directory(server: ModelServer, root: Path) -> None:
    with pytest.raises(RecordingError, match="cannot name a cassette file"):
        ask(client("record-missing", root, server.base_url), article="../escape")
    assert server.requests == []


def test_unreadable_cassette_is_an_error_not_a_live_call(server: ModelServer, root: Path) -> None:
    root.mkdir()
    (root / f"{ARTICLE}.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(RecordingError, match="not a readable cassette"):
        ask(client("record-missing", root, server.base_url))
    assert server.requests == []


def test_recorded_model_is_the_most_common_one(server: ModelServer, root: Path) -> None:
    assert recorded_model(root) is None
    server.enqueue_json(*(chat_completion(str(i)) for i in range(3)))
    recorder = client("record", root, server.base_url)
    ask(recorder, article="one-00000000", model="model-b")
    ask(recorder, article="two-00000000", model="model-a")
    ask(recorder, article="three-00000000", model="model-b")
    (root / "broken-00000000.json").write_text("{", encoding="utf-8")

    assert recorded_model(root) == "model-b"


def test_fingerprint_ignores_json_layout_but_not_content() -> None:
    def fp(body: bytes, path: str = "/v1/chat/completions") -> str:
        return fingerprint("POST", path, Payload.decode(body, "application/json"))

    base = fp(b'{"model":"m","temperature":0}')
    assert fp(b'{ "temperature": 0,\n  "model": "m" }') == base
    assert fp(b'{"model":"m","temperature":0.5}') != base
    assert fp(b'{"model":"m","temperature":0}', "/v1/completions") != base


def test_mode_values_match_cli_words() -> None:
    assert [m.value for m in RecordingMode] == ["live", "record", "record-missing", "replay"]
    assert RecordingMode("record-missing") is RecordingMode.RECORD_MISSING


def test_a_shipped_recording_replays_under_another_pydantic_version(tmp_path: Path) -> None:
    # The re-asks in the shipped recordings quote pydantic error URLs with its minor version;
    # the same requests from a newer pydantic must replay. The cassette is copied unchanged.
    shipped = next(Path(__file__).resolve().parents[2].glob("fixtures/recordings/*.json"))
    (tmp_path / shipped.name).write_bytes(shipped.read_bytes())
    cassette = Cassette.from_text(shipped.read_text(encoding="utf-8"))
    reask = next(e for e in cassette.exchanges if "errors.pydantic.dev/" in json.dumps(e.to_dict()))
    sent = json.dumps(reask.request.payload.value)
    assert re.search(r"errors\.pydantic\.dev/\d+\.\d+/", sent)

    headers = {"content-type": "application/json", **metadata_headers(cassette.article_id)}

    def replay(body: str) -> httpx2.Response:
        with httpx2.Client(transport=RecordingTransport("replay", tmp_path)) as http:
            return http.post(
                f"{UNREACHABLE}/chat/completions", content=body.encode(), headers=headers
            )

    newer = re.sub(r"errors\.pydantic\.dev/\d+\.\d+/", "errors.pydantic.dev/2.99/", sent)
    assert newer != sent
    assert replay(newer).json() == reask.response.payload.value
    # Only the version is let go: any other change to the message is still a miss.
    with pytest.raises(ReplayMissError):
        replay(newer.replace("errors.pydantic.dev/2.99/v/", "errors.pydantic.dev/2.99/w/"))
