"""ModelClient reads answers tolerantly (`summarize.core.reading`) through instructor and a
real loopback server: the strict schema is still what is sent; a bad citation costs its item,
never the article; a later unusable answer never loses an earlier usable one; every answer's
tokens are counted, a failed article's too."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from typing import Any

import pytest
from citation_probes import CITATION_PROBES
from model_server import ModelServer, Reply, chat_completion

from summarize.core.article import Article
from summarize.core.assemble import assemble_brief
from summarize.core.brief import Brief, Provenance
from summarize.core.extraction import Extraction
from summarize.model.client import ExtractionResult, ModelClient, ModelError
from summarize.model.prompts import load_prompt
from summarize.settings import Settings

pytestmark = pytest.mark.usefixtures("isolated")

PROMPT = load_prompt()
ReplyWith = Callable[..., Reply]


def _settings(server: ModelServer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "test-model",
        "max_reasks": 2,
        "transport_retries": 0,
        "timeout": 5.0,
    }
    values.update(overrides)
    return Settings(**values)


def _extract(settings: Settings, article: Article) -> ExtractionResult:
    async def go() -> ExtractionResult:
        client = ModelClient(settings, backoff=(0.001, 0.005))
        try:
            return await asyncio.wait_for(client.extract(article, PROMPT), timeout=30)
        finally:
            await client.aclose()

    return asyncio.run(go())


def _brief(result: ExtractionResult, article: Article) -> Brief:
    return assemble_brief(result.extraction, article, Provenance(article_sha256=article.sha256))


def test_the_schema_sent_is_the_strict_one(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    server.enqueue(reply_with(answer001))
    _extract(_settings(server), seed001)
    sent = server.requests[0].json()["response_format"]["json_schema"]
    assert sent["name"] == "Extraction"
    assert sent["schema"] == Extraction.model_json_schema()


@pytest.mark.parametrize(("given", "kept", "kind"), CITATION_PROBES, ids=repr)
def test_no_citation_probe_loses_the_article(
    server: ModelServer,
    seed001: Article,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
    given: Any,
    kept: list[int] | None,
    kind: str,
) -> None:
    answer001["events"][0]["outcomes"][0]["evidence"] = given
    # A model that makes the same slip every time it is asked.
    server.enqueue(*(reply_with(copy.deepcopy(answer001)) for _ in range(3)))

    brief = _brief(_extract(_settings(server), seed001), seed001)

    event = brief.events[0]
    assert [p.name for p in event.participants] == ["Vladimir Putin", "Barack Obama"]
    assert event.initiator.stated and len(event.follow_ups) == 1
    if kept is None:
        assert event.outcomes == []
        assert len(server.requests) == 3, "what would be dropped is asked again first"
    else:
        assert event.outcomes[0].evidence.sentences == kept
    if _fits_the_asked_schema(given):
        # Checked as answers always were (so recordings replay): a number past the end beside
        # one in range is ignored once the re-asks are spent, without a warning.
        kind = "dropped" if kept is None else ""
    assert [w.kind for w in brief.warnings if w.path == "events[0].outcomes[0]"] == (
        [kind] if kind else []
    )


def _fits_the_asked_schema(given: Any) -> bool:
    return (
        isinstance(given, list)
        and 1 <= len(given) <= 3
        and all(type(n) is int and n >= 1 for n in given)
    )


def test_a_reask_names_what_to_fix_and_only_that(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    slipped = copy.deepcopy(answer001)
    slipped["events"][0]["participants"][1]["evidence"] = [0]
    slipped["events"][0]["outcomes"][0]["evidence"] = ["4"]
    server.enqueue(reply_with(slipped), reply_with(answer001))

    result = _extract(_settings(server), seed001)

    assert result.attempts == 2 and result.grounding_reasks == 1
    feedback = server.requests[1].json()["messages"][-1]["content"]
    assert "The article has sentences [1] to [14]" in feedback
    assert "events[0].participants[1]: [0]" in feedback
    # Read as sentence 4 without asking; said, so the model may write it plainly next time.
    assert "events[0].outcomes[0]" in feedback and "read as 4" in feedback
    assert _brief(result, seed001).warnings == []


def test_a_later_answer_with_nothing_usable_keeps_the_earlier_usable_one(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    answer001["events"][0]["outcomes"][0]["evidence"] = [99]
    server.enqueue(
        reply_with(answer001, tokens=(100, 10)),
        reply_with("[]", tokens=(200, 20)),
        reply_with('{"events": [', tokens=(300, 30)),
    )

    result = _extract(_settings(server), seed001)

    assert result.attempts == 3
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (600, 60)
    brief = _brief(result, seed001)
    assert len(brief.events[0].participants) == 2 and brief.events[0].outcomes == []
    assert [(w.path, w.kind) for w in brief.warnings] == [("events[0].outcomes[0]", "dropped")]


def test_an_article_with_nothing_usable_fails_saying_why_with_its_tokens(
    server: ModelServer, seed001: Article, reply_with: ReplyWith
) -> None:
    server.enqueue(reply_with("[]", tokens=(50, 1)))
    server.enqueue(
        reply_with("[]", tokens=(100, 2)),
        reply_with({"events": [{}]}, tokens=(150, 3)),
        reply_with({"source": {}}, tokens=(7, 1)),
    )

    with pytest.raises(ModelError) as caught:
        _extract(_settings(server, max_reasks=0), seed001)
    assert caught.value.usage.total_tokens == 51
    assert caught.value.attempts == 1
    assert server.pending == 3

    with pytest.raises(ModelError) as caught:
        _extract(_settings(server, max_reasks=2), seed001)
    assert caught.value.stage == "validation"
    message = str(caught.value)
    assert "no valid answer after 3 attempts" in message
    assert "the last answer had nothing usable: the answer has no events list" in message
    assert caught.value.usage.prompt_tokens == 100 + 150 + 7
    assert caught.value.usage.completion_tokens == 2 + 3 + 1
    assert caught.value.attempts == 3


@pytest.mark.parametrize("then", ["cut off", "server error"])
def test_a_reask_that_fails_keeps_the_earlier_usable_answer(
    server: ModelServer,
    seed001: Article,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
    then: str,
) -> None:
    answer001["events"][0]["participants"][1]["evidence"] = [0]
    server.enqueue(reply_with(answer001, tokens=(100, 10)))
    if then == "cut off":
        cut = chat_completion('{"events": [', finish_reason="length")
        cut["usage"] = {"prompt_tokens": 120, "completion_tokens": 2048, "total_tokens": 2168}
        server.enqueue(Reply.json(cut))
    else:
        server.enqueue(Reply.json({"error": {"message": "down"}}, status=503))

    result = _extract(_settings(server), seed001)

    assert len(server.requests) == 2
    brief = _brief(result, seed001)
    assert [p.name for p in brief.events[0].participants] == ["Vladimir Putin"]
    assert [(w.path, w.kind) for w in brief.warnings] == [("events[0].participants[1]", "dropped")]
    answered = (220, 2058) if then == "cut off" else (100, 10)
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == answered
