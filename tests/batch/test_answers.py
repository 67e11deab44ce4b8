"""A batch answer -> a brief (`summarize.batch.answers`): tool calls read, cut-offs failed."""

from __future__ import annotations

import json
from pathlib import Path

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
