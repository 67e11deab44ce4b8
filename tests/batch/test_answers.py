"""A batch answer -> a brief (`summarize.batch.answers`): tool calls read, cut-offs failed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from batch_steps import MODEL, ArticleOf, MakeArticles, briefs, cli, prepared, result_line
from model_server import ReceivedRequest, chat_completion

from summarize.batch.answers import AnswerError, brief_from_completion
from summarize.batch.lines import BATCH_URL, IngestPlan
from summarize.core.article import Article
from summarize.core.brief import Brief
from summarize.settings import InstructorMode

pytestmark = pytest.mark.usefixtures("isolated")


def test_tools_answers_are_read_from_the_tool_call(
    tmp_path: Path, make_articles: MakeArticles, article_of_request: ArticleOf
) -> None:
    (path,) = make_articles(tmp_path / "src", 1)
    requests = tmp_path / "requests.jsonl"
    prepared(path, requests, "--mode", "tools")
    line = requests.read_bytes()
    body = json.loads(line)["body"]
    article_id, text = article_of_request(
        ReceivedRequest("POST", BATCH_URL, {}, json.dumps(body).encode())
    )
    first = text.splitlines()[0].removeprefix("[1] ")
    answer = {
        "source": {},
        "events": [
            {
                "event_type": "meeting",
                "status": "held",
                "participants": [{"name": "Minister 0", "evidence": [1]}],
                "initiator": {},
                "topics": ["grain"],
                "outcomes": [],
                "summary": "They met.",
            }
        ],
    }
    completion = chat_completion(tool_calls=[("Extraction", answer)], model="gpt-4o-mini")
    results = tmp_path / "results.jsonl"
    results.write_text(result_line(article_id, completion) + "\n", encoding="utf-8")

    ingested = cli(
        "batch", "ingest", results, "--src", path, "--requests", requests, "--out", tmp_path / "out"
    )

    assert ingested.exit_code == 0, ingested.output
    brief = Brief.model_validate_json(briefs(tmp_path / "out")[f"{article_id}.json"])
    participant = brief.events[0].participants[0]
    assert participant.evidence.quote == first
    assert participant.evidence.sentences == [1]
    assert brief.provenance.model == MODEL  # what was asked for, as `run` records it


def test_a_cut_off_answer_fails_at_the_model_stage(seed001: Article) -> None:
    body = chat_completion('{"source": {}, "events": [', finish_reason="length")
    plan = IngestPlan(MODEL, InstructorMode.JSON_SCHEMA, "v1", "p.j2")
    with pytest.raises(AnswerError) as caught:
        brief_from_completion(body, seed001, plan, "", max_output_tokens=99)
    assert caught.value.stage == "model"
    assert "99 output tokens" in str(caught.value)


def test_a_batch_answer_is_read_as_leniently_as_a_live_one(
    seed001: Article, answer001: dict[str, Any]
) -> None:
    event = answer001["events"][0]
    event["participants"][0]["evidence"] = [str(n) for n in event["participants"][0]["evidence"]]
    event["participants"][1]["evidence"] = [0]  # cites nothing: this item alone goes
    del event["status"]
    event["topics"] = [f"topic {n}" for n in range(14)]  # more than the 12 asked for
    plan = IngestPlan(MODEL, InstructorMode.JSON_SCHEMA, "v1", "p.j2")

    brief = brief_from_completion(chat_completion(json.dumps(answer001)), seed001, plan, "")

    assert [p.name for p in brief.events[0].participants] == ["Vladimir Putin"]
    assert brief.events[0].status == "unclear"
    assert len(brief.events[0].topics) == 14
    assert len(brief.events[0].outcomes) == len(brief.events[0].follow_ups) == 1
    assert brief.events[0].initiator.stated
    kinds = {w.path: w.kind for w in brief.warnings}
    assert kinds == {
        "events[0].participants[0]": "normalised",
        "events[0].participants[1]": "dropped",
        "events[0].status": "normalised",
    }


def test_a_batch_answer_with_nothing_usable_fails_saying_why_and_what_it_cost(
    seed001: Article,
) -> None:
    body = chat_completion(json.dumps({"source": {}, "events": [{"event_type": "meeting"}]}))
    body["usage"] = {"prompt_tokens": 900, "completion_tokens": 40, "total_tokens": 940}
    plan = IngestPlan(MODEL, InstructorMode.JSON_SCHEMA, "v1", "p.j2")
    with pytest.raises(AnswerError) as caught:
        brief_from_completion(body, seed001, plan, "")
    assert caught.value.stage == "validation"
    assert "nothing in the answer could be used" in str(caught.value).lower()
    assert "events[0]: says nothing" in str(caught.value)
    assert caught.value.usage.total_tokens == 940
