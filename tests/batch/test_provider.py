"""`summarize batch submit / status / fetch` (`summarize.batch.provider`).

`BatchServer` is a real loopback server for the files and batches routes the openai SDK calls;
nothing is mocked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_server import BatchServer
from batch_steps import MODEL, Answer, ArticleOf, MakeArticles, briefs, cli, errors, prepared
from model_server import ModelServer, ReceivedRequest, Reply

from summarize.batch.errors import BatchError, BatchNotReadyError
from summarize.batch.lines import BATCH_URL, request_line
from summarize.batch.provider import fetch, status, submit
from summarize.core.errors import SummarizeError
from summarize.settings import Settings

pytestmark = pytest.mark.usefixtures("isolated")


def test_submit_status_fetch_ingest_through_the_batches_api(
    tmp_path: Path,
    make_articles: MakeArticles,
    grounded_reply: Answer,
    good_model: ModelServer,
) -> None:
    src = tmp_path / "src"
    make_articles(src, 3)
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    live = cli(
        "run", src, "--out", tmp_path / "live", "--base-url", good_model.base_url, "--model", MODEL
    )
    assert live.exit_code == 0
    with BatchServer(answer=grounded_reply, polls_until_done=2) as api:
        prepared(src, requests, "--base-url", api.base_url)
        submitted = cli("batch", "submit", requests, "--base-url", api.base_url)
        assert submitted.exit_code == 0, submitted.output
        batch_id = submitted.stdout.strip().splitlines()[-1]
        (uploaded,) = api.files.values()
        assert uploaded.purpose == "batch"
        assert uploaded.content == requests.read_bytes()
        assert api.batches[batch_id].endpoint == BATCH_URL
        assert api.batches[batch_id].completion_window == "24h"

        early = cli("batch", "fetch", batch_id, "--out", results, "--base-url", api.base_url)
        assert early.exit_code == 1
        assert "in_progress" in early.output
        assert not results.exists()

        status = cli("batch", "status", batch_id, "--base-url", api.base_url)
        assert status.exit_code == 0
        assert status.stdout.strip().splitlines()[-1] == "completed"
        assert "3/3 done" in status.output

        fetched = cli("batch", "fetch", batch_id, "--out", results, "--base-url", api.base_url)
        assert fetched.exit_code == 0, fetched.output
        assert ("GET", f"/v1/files/{api.batches[batch_id].output_file_id}/content") in api.calls

    ingested = cli(
        "batch",
        "ingest",
        results,
        "--src",
        src,
        "--requests",
        requests,
        "--out",
        tmp_path / "batch",
    )
    assert ingested.exit_code == 0, ingested.output
    assert briefs(tmp_path / "batch") == briefs(tmp_path / "live")


def test_fetch_brings_the_error_file_and_ingest_reports_it(
    tmp_path: Path,
    make_articles: MakeArticles,
    grounded_reply: Answer,
    article_of_request: ArticleOf,
) -> None:
    src = tmp_path / "src"
    make_articles(src, 3)
    failing: list[str] = []

    def answer(request: ReceivedRequest) -> Reply:
        article_id, _ = article_of_request(request)
        if not failing:
            failing.append(article_id)
            return Reply.json({"error": {"message": "overloaded"}}, status=503)
        return grounded_reply(request)

    requests, results, out = tmp_path / "r.jsonl", tmp_path / "res.jsonl", tmp_path / "out"
    with BatchServer(answer=answer) as api:
        prepared(src, requests, "--base-url", api.base_url)
        batch_id = cli("batch", "submit", requests, "--base-url", api.base_url).stdout.strip()
        fetched = cli("batch", "fetch", batch_id, "--out", results, "--base-url", api.base_url)
        assert fetched.exit_code == 0, fetched.output
        assert api.batches[batch_id].error_file_id is not None

    assert len(results.read_text(encoding="utf-8").splitlines()) == 3
    ingested = cli("batch", "ingest", results, "--src", src, "--requests", requests, "--out", out)
    assert ingested.exit_code == 1
    (error,) = errors(out)
    assert error["article_id"] == failing[0]
    assert error["stage"] == "batch" and "503" in error["cause"] and "overloaded" in error["cause"]
    assert len(briefs(out)) == 2


def test_api_errors_are_usage_errors_that_name_the_step(tmp_path: Path) -> None:
    with ModelServer() as server:  # no scripted replies: every call fails with 418
        result = cli("batch", "status", "batch_1", "--base-url", server.base_url)
    assert result.exit_code == 2
    assert "status failed" in result.output


def test_a_batch_not_done_exits_1_with_try_again_later_and_other_failures_exit_2(
    tmp_path: Path, grounded_reply: Answer
) -> None:
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    requests.write_bytes(request_line("a-1", b'{"model":"m","messages":[]}'))
    with BatchServer(answer=grounded_reply, polls_until_done=2) as api:
        settings = Settings(base_url=api.base_url)
        batch = submit(settings, requests)
        with pytest.raises(BatchNotReadyError) as early:
            fetch(settings, batch.id, results)
    # No scripted replies: every call fails with 418.
    with ModelServer() as refusing, pytest.raises(BatchError) as refused:
        status(Settings(base_url=refusing.base_url), batch.id)

    assert isinstance(early.value, SummarizeError) and early.value.exit_code == 1
    assert early.value.hint is not None and "try again later" in early.value.hint
    assert "in_progress" in str(early.value) and early.value.hint in str(early.value)
    assert not results.exists()
    assert isinstance(refused.value, SummarizeError) and refused.value.exit_code == 2
    assert not isinstance(refused.value, BatchNotReadyError)
    assert "status failed" in str(refused.value)
