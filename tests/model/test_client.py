"""ModelClient against a real loopback server: answers, re-asks, transport faults, fatal errors.

The real openai SDK and instructor talk HTTP to `ModelServer`; only the back-off is shrunk so
transport retries take milliseconds.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from model_server import ModelServer, Reply, chat_completion

from summarize.core.article import Article
from summarize.model.client import (
    ExtractionResult,
    FatalModelError,
    ModelClient,
    ModelError,
)
from summarize.model.prompts import load_prompt
from summarize.settings import InstructorMode, Settings

pytestmark = pytest.mark.usefixtures("isolated")

PROMPT = load_prompt()
TINY_BACKOFF = (0.001, 0.005)
# Seed 001 has 14 sentences: sentence 40 is one the model made up.
INVENTED = [40]
KEY = "sk-test-client-0123456789abcdef"

ReplyWith = Callable[..., Reply]


def settings_for(server: ModelServer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "test-model",
        "OPENAI_API_KEY": KEY,  # the only name the key goes by
        "max_reasks": 2,
        "transport_retries": 2,
        "timeout": 5.0,
    }
    values.update(overrides)
    return Settings(**values)


def extract(
    settings: Settings, article: Article, backoff: tuple[float, float] = TINY_BACKOFF
) -> ExtractionResult:
    async def go() -> ExtractionResult:
        client = ModelClient(settings, backoff=backoff)
        try:
            # A guard against hanging, far beyond anything these tests should take.
            return await asyncio.wait_for(client.extract(article, PROMPT), timeout=30)
        finally:
            await client.aclose()

    return asyncio.run(go())


def error_reply(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply.json(
        {"error": {"message": message, "type": "test_error"}}, status=status, headers=headers
    )


# -- answers --------------------------------------------------------------------------------


def test_grounded_answer_is_returned_after_one_request_shaped_for_json_schema(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    server.enqueue(reply_with(answer001, tokens=(321, 54)))
    result = extract(settings_for(server, temperature=0.3, max_output_tokens=777), seed001)

    assert result.attempts == 1
    assert result.reasks == 0
    assert result.grounding_reasks == 0
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (321, 54)
    assert result.usage.total_tokens == 375
    event = result.extraction.events[0]
    assert [p.name for p in event.participants] == ["Vladimir Putin", "Barack Obama"]
    assert event.initiator.party == "United States"

    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.json()
    assert body["model"] == "test-model"
    assert body["temperature"] == 0.3
    assert body["max_tokens"] == 777
    # Non-OpenAI base URL: grammar-constrained JSON schema, not tools.
    assert body["response_format"]["type"] == "json_schema"
    assert "tools" not in body
    system, user = body["messages"]
    assert system["role"] == "system" and "event coder" in system["content"]
    assert f"Article id: {seed001.id}" in user["content"]
    # The body as numbered sentences: the units evidence cites.
    assert "\n[1] Putin, Obama discuss Syrian crisis by telephone\n" in user["content"]
    assert (
        "\n[14] Russia is opposed to any threat of sanctions against Syria.\n" in (user["content"])
    )
    # The labels the recorder and the ledger read are for summarize alone.
    assert not [name for name in request.headers if name.startswith("x-summarize-")]


def test_the_model_that_answered_is_reported_even_when_not_the_one_asked_for(
    server: ModelServer,
    seed001: Article,
    answer001: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = chat_completion(json.dumps(answer001), model="test-model-2024-08-06")
    server.enqueue(Reply.json(body), Reply.json({**body, "model": "another-model"}))
    snapshot = extract(settings_for(server), seed001)
    other = extract(settings_for(server), seed001)

    assert (snapshot.answered_by, other.answered_by) == ("test-model-2024-08-06", "another-model")
    # A dated snapshot of the model asked for is that model; another one is warned about.
    (record,) = caplog.records
    assert "'test-model' was asked for, but 'another-model' answered" in record.getMessage()


def test_tools_mode_reads_the_answer_from_the_tool_call(
    server: ModelServer, seed001: Article, answer001: dict[str, Any]
) -> None:
    server.enqueue_json(chat_completion(tool_calls=[("Extraction", answer001)]))
    result = extract(settings_for(server, mode=InstructorMode.TOOLS), seed001)

    assert result.extraction.events[0].outcomes[0].kind == "agreed"
    body = server.requests[0].json()
    assert body["tools"][0]["function"]["name"] == "Extraction"
    assert "response_format" not in body


def test_invented_sentence_number_is_reasked_with_the_grounding_error_naming_it(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    good = json.loads(json.dumps(answer001))
    answer001["events"][0]["outcomes"][0]["evidence"] = INVENTED
    server.enqueue(reply_with(answer001, tokens=(100, 7)), reply_with(good, tokens=(200, 9)))

    result = extract(settings_for(server), seed001)

    assert result.attempts == 2
    assert result.reasks == 1
    assert result.grounding_reasks == 1
    # Usage counts every exchange the article cost, not just the last.
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (300, 16)
    assert (
        result.extraction.events[0].outcomes[0].evidence
        == good["events"][0]["outcomes"][0]["evidence"]
    )
    first, second = server.requests
    assert len(first.json()["messages"]) == 2
    reask = second.json()["messages"]
    assert reask[:2] == first.json()["messages"]
    assert reask[2]["role"] == "assistant" and '"evidence": [40]' in reask[2]["content"]
    feedback = reask[-1]
    assert feedback["role"] == "user"
    assert "The article has sentences [1] to [14]" in feedback["content"]
    assert "events[0].outcomes[0]: [40]" in feedback["content"]
    # Grounded quotes are not blamed.
    assert "participants[" not in feedback["content"]
    assert "initiator" not in feedback["content"]


def test_number_still_invented_on_the_last_attempt_passes_through_for_assembly_to_drop(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    answer001["events"][0]["outcomes"][0]["evidence"] = INVENTED
    server.enqueue(*(reply_with(answer001) for _ in range(3)))

    result = extract(settings_for(server, max_reasks=2), seed001)

    assert len(server.requests) == 3
    assert result.attempts == 3
    assert result.reasks == 2
    assert result.grounding_reasks == 2
    assert result.extraction.events[0].outcomes[0].evidence == INVENTED


def test_no_reasks_allowed_means_one_request_even_with_an_invented_number(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    answer001["events"][0]["participants"][1]["evidence"] = INVENTED
    server.enqueue(reply_with(answer001))

    result = extract(settings_for(server, max_reasks=0), seed001)

    assert len(server.requests) == 1
    assert result.attempts == 1 and result.grounding_reasks == 0


def test_schema_violation_is_reasked_and_recovered(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    broken = json.loads(json.dumps(answer001))
    broken["events"][0]["event_type"] = "telepathy"
    del broken["events"][0]["summary"]
    server.enqueue(reply_with(broken), reply_with(answer001))

    result = extract(settings_for(server), seed001)

    assert result.attempts == 2
    assert result.reasks == 1
    assert result.grounding_reasks == 0
    feedback = server.requests[1].json()["messages"][-1]["content"]
    assert "event_type" in feedback and "summary" in feedback


def test_malformed_json_every_time_fails_validation_after_all_attempts(
    server: ModelServer, seed001: Article, reply_with: ReplyWith
) -> None:
    server.enqueue(*(reply_with('{"source": {"outlet": "cut off') for _ in range(2)))

    with pytest.raises(ModelError) as caught:
        extract(settings_for(server, max_reasks=1), seed001)

    assert not isinstance(caught.value, FatalModelError)
    assert caught.value.stage == "validation"
    assert "2 attempts" in str(caught.value)
    # Invalid answers are re-asked by instructor, never retried again as transport faults.
    assert len(server.requests) == 2
    assert server.pending == 0


def test_answer_cut_off_at_the_token_cap_names_max_output_tokens(
    server: ModelServer, seed001: Article
) -> None:
    server.enqueue_json(chat_completion('{"source": {"outl', finish_reason="length"))

    with pytest.raises(ModelError) as caught:
        extract(settings_for(server, max_output_tokens=64), seed001)

    assert caught.value.stage == "model"
    assert "64 output tokens" in str(caught.value)
    assert "--max-output-tokens" in str(caught.value)
    assert len(server.requests) == 1


# -- transport faults -------------------------------------------------------------------------


def test_rate_limit_with_retry_after_zero_is_retried(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    server.enqueue(
        error_reply(429, "slow down", {"retry-after": "0"}),
        reply_with(answer001),
    )
    result = extract(settings_for(server), seed001)

    assert len(server.requests) == 2
    assert result.extraction.events[0].initiator.party == "United States"
    # A transport retry is not a re-ask: the second request is the first one again.
    assert server.requests[0].body == server.requests[1].body
    assert result.attempts == 1 and result.reasks == 0


def test_retry_after_is_honoured_instead_of_the_exponential_backoff(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    server.enqueue(
        error_reply(429, "slow down", {"retry-after": "0.01"}),
        error_reply(503, "busy", {"retry-after": "0"}),
        reply_with(answer001),
    )
    # With the server's word ignored, a 10-minute back-off would trip extract()'s guard.
    result = extract(settings_for(server), seed001, backoff=(600.0, 600.0))

    assert len(server.requests) == 3
    assert len(result.extraction.events) == 1


def test_retry_after_as_an_http_date_is_honoured(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    # A date already past (by the server's own Date header) means: retry now.
    past = email.utils.formatdate(time.time() - 60, usegmt=True)
    server.enqueue(error_reply(429, "slow down", {"retry-after": past}), reply_with(answer001))
    # With the date ignored, a 10-minute back-off would trip extract()'s guard.
    result = extract(settings_for(server), seed001, backoff=(600.0, 600.0))

    assert len(server.requests) == 2
    assert len(result.extraction.events) == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried(
    status: int,
    server: ModelServer,
    seed001: Article,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
) -> None:
    server.enqueue(error_reply(status, "upstream hiccup"), reply_with(answer001))
    result = extract(settings_for(server), seed001)

    assert len(server.requests) == 2
    assert len(result.extraction.events) == 1


def test_persistent_rate_limit_fails_the_article_at_the_transport_stage(
    server: ModelServer, seed001: Article
) -> None:
    server.enqueue(*(error_reply(429, "quota", {"retry-after": "0"}) for _ in range(3)))

    with pytest.raises(ModelError) as caught:
        extract(settings_for(server, transport_retries=2), seed001)

    assert not isinstance(caught.value, FatalModelError)
    assert caught.value.stage == "transport"
    assert "429" in str(caught.value)
    assert len(server.requests) == 3


def test_slow_answer_beyond_the_timeout_is_retried_then_fails_naming_the_timeout(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    server.enqueue(*(reply_with(answer001).after(5.0) for _ in range(2)))

    with pytest.raises(ModelError) as caught:
        extract(settings_for(server, timeout=0.3, transport_retries=1), seed001)

    assert caught.value.stage == "transport"
    assert "timed out" in str(caught.value)
    assert "2 attempts" in str(caught.value)
    assert len(server.requests) == 2


def test_slow_answer_then_a_prompt_one_recovers(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    server.enqueue(reply_with(answer001).after(5.0), reply_with(answer001))
    result = extract(settings_for(server, timeout=0.3, transport_retries=1), seed001)

    assert len(server.requests) == 2
    assert len(result.extraction.events) == 1


def test_dropped_connection_is_retried(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    server.enqueue(Reply.hang_up(), reply_with(answer001))
    result = extract(settings_for(server), seed001)

    assert len(server.requests) == 2
    assert result.extraction.events[0].participants[0].name == "Vladimir Putin"


def test_connection_dropped_every_time_fails_at_the_transport_stage(
    server: ModelServer, seed001: Article
) -> None:
    server.enqueue(*(Reply.hang_up() for _ in range(3)))

    with pytest.raises(ModelError) as caught:
        extract(settings_for(server, transport_retries=2), seed001)

    assert caught.value.stage == "transport"
    assert server.base_url in str(caught.value)
    assert "3 attempts" in str(caught.value)
    assert len(server.requests) == 3


def test_nothing_listening_stops_the_run_at_once(seed001: Article) -> None:
    stopped = ModelServer().start()
    stopped.stop()  # the port is now closed: connections are refused

    with pytest.raises(FatalModelError) as caught:
        extract(settings_for(stopped, transport_retries=3), seed001, backoff=(600.0, 600.0))

    # Not retried: a 10-minute back-off would have tripped extract()'s guard.
    assert caught.value.stage == "transport"
    assert f"nothing is listening at {stopped.base_url} (connection refused)" in str(caught.value)
    assert "--base-url" in str(caught.value)


def test_a_server_that_answered_then_went_away_is_retried_as_a_restart(
    seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    server = ModelServer().start()
    server.enqueue(reply_with(answer001))

    async def go() -> ModelError:
        client = ModelClient(settings_for(server, transport_retries=1), backoff=TINY_BACKOFF)
        try:
            await client.extract(seed001, PROMPT)
            server.stop()
            with pytest.raises(ModelError) as caught:
                await client.extract(seed001, PROMPT)
            return caught.value
        finally:
            await client.aclose()

    error = asyncio.run(asyncio.wait_for(go(), timeout=30))
    assert not isinstance(error, FatalModelError)
    assert error.stage == "transport"
    assert "failed after 2 attempts" in str(error)


# -- errors that no retry fixes -----------------------------------------------------------------


def test_unauthorized_is_fatal_and_points_at_openai_api_key(
    server: ModelServer, seed001: Article
) -> None:
    server.enqueue(error_reply(401, f"Incorrect API key provided: {KEY}"))

    with pytest.raises(FatalModelError) as caught:
        extract(settings_for(server), seed001)

    assert "OPENAI_API_KEY" in str(caught.value)
    assert KEY not in str(caught.value)
    assert len(server.requests) == 1


def test_forbidden_is_fatal(server: ModelServer, seed001: Article) -> None:
    server.enqueue(error_reply(403, "project has no access to this model"))

    with pytest.raises(FatalModelError) as caught:
        extract(settings_for(server), seed001)

    assert "403" in str(caught.value)
    assert len(server.requests) == 1


def test_not_found_is_fatal_and_points_at_base_url_and_model(
    server: ModelServer, seed001: Article
) -> None:
    server.enqueue(error_reply(404, "The model `nope` does not exist"))

    with pytest.raises(FatalModelError) as caught:
        extract(settings_for(server, model="nope"), seed001)

    message = str(caught.value)
    assert "--base-url" in message
    assert server.base_url in message
    assert "'nope'" in message
    # Not retried; the endpoint's model list was asked (this server has none to give).
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/v1/chat/completions"),
        ("GET", "/v1/models"),
    ]


def test_bad_request_fails_only_this_article_saying_what_the_server_said(
    server: ModelServer, seed001: Article
) -> None:
    server.enqueue(error_reply(400, "response_format json_schema is not supported"))

    with pytest.raises(ModelError) as caught:
        extract(settings_for(server), seed001)

    assert not isinstance(caught.value, FatalModelError)
    assert caught.value.stage == "request"
    assert "400" in str(caught.value)
    assert "response_format json_schema is not supported" in str(caught.value)
    assert len(server.requests) == 1


def test_bad_request_reports_only_the_first_line_of_the_servers_message(
    server: ModelServer, seed001: Article
) -> None:
    server.enqueue(
        error_reply(400, "response_format json_schema is not supported\nTraceback: frame 1")
    )

    with pytest.raises(ModelError) as caught:
        extract(settings_for(server), seed001)

    message = str(caught.value)
    assert message == (
        "the endpoint refused the request (400): response_format json_schema is not supported"
    )


def test_openai_without_a_key_is_a_config_error_before_any_request() -> None:
    with pytest.raises(FatalModelError) as caught:
        ModelClient(Settings(base_url="https://api.openai.com/v1", model="gpt-4o-mini"))
    assert caught.value.stage == "config"
    assert "set OPENAI_API_KEY" in str(caught.value)


def test_missing_endpoint_is_a_config_error(seed001: Article) -> None:
    with pytest.raises(FatalModelError) as caught:
        ModelClient(Settings(model="m"))
    assert caught.value.stage == "config"
    assert "--base-url" in str(caught.value)
