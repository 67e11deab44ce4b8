"""`summarize batch`: prepare -> (a batch engine) -> ingest, and submit/status/fetch.

The batch engine is played by real loopback servers: `ModelServer` answers each prepared
request over HTTP, and `BatchServer` implements the files and batches routes the openai SDK
calls. Briefs from a batch are compared byte for byte with briefs from a live `run`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from batch_server import BatchServer
from model_server import ModelServer, ReceivedRequest, Reply, chat_completion
from typer.testing import CliRunner, Result

from summarize.batch.batch import (
    BATCH_URL,
    AnswerError,
    IngestPlan,
    brief_from_completion,
    parse_result_line,
    request_line,
    requests_meta_path,
)
from summarize.cli.app import app
from summarize.core.article import Article
from summarize.core.brief import Brief
from summarize.model.prompts import load_prompt
from summarize.settings import InstructorMode

pytestmark = pytest.mark.usefixtures("isolated")

MODEL = "test-model"
MakeArticles = Callable[[Path, int], list[Path]]
Answer = Callable[[ReceivedRequest], Reply]
ArticleOf = Callable[[ReceivedRequest], tuple[str, str]]


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def body_bytes(line: bytes) -> bytes:
    """The request body exactly as it sits in a requests line."""
    marker = b', "body": '
    return line[line.index(marker) + len(marker) : -2]


def answer_requests(server: ModelServer, requests: Path, results: Path) -> None:
    """Play the batch engine: send each line's body to the loopback model, keep the answers."""
    out = []
    with httpx2.Client(timeout=10) as http:
        for number, line in enumerate(requests.read_bytes().splitlines(keepends=True), 1):
            head = json.loads(line)
            response = http.post(
                server.root_url + head["url"],
                content=body_bytes(line),
                headers={"content-type": "application/json"},
            )
            out.append(
                {
                    "id": f"batch_req_{number}",
                    "custom_id": head["custom_id"],
                    "response": {
                        "status_code": response.status_code,
                        "request_id": f"req_{number}",
                        "body": response.json(),
                    },
                    "error": None,
                }
            )
    results.write_text("".join(json.dumps(o) + "\n" for o in out), encoding="utf-8")


def answered_batch(
    tmp_path: Path, server: ModelServer, make_articles: MakeArticles
) -> tuple[Path, Path, Path, Path]:
    """Three articles prepared and answered by `server`: (src, requests, results, out)."""
    src = tmp_path / "src"
    make_articles(src, 3)
    requests, results, out = tmp_path / "r.jsonl", tmp_path / "res.jsonl", tmp_path / "out"
    prepare(src, requests, "--base-url", server.base_url)
    answer_requests(server, requests, results)
    return src, requests, results, out


def prepare(src: Path, requests: Path, *extra: str | Path) -> Result:
    result = cli("batch", "prepare", src, "--out", requests, "--model", MODEL, *extra)
    assert result.exit_code == 0, result.output
    return result


def briefs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "briefs").glob("*.json"))}


def errors(out: Path) -> list[dict[str, Any]]:
    text = (out / "errors.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


# -- prepare -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["json_schema", "tools"])
def test_prepared_bodies_are_byte_for_byte_what_run_sends(
    tmp_path: Path,
    good_model: ModelServer,
    make_articles: MakeArticles,
    article_of_request: ArticleOf,
    mode: str,
) -> None:
    src = tmp_path / "src"
    make_articles(src, 3)
    ran = cli(
        "run",
        src,
        "--out",
        tmp_path / "live",
        "--base-url",
        good_model.base_url,
        "--model",
        MODEL,
        "--mode",
        mode,
        "--max-reasks",
        "0",
    )
    assert ran.exit_code in (0, 1), ran.output  # tools mode: the scripted model answers JSON
    sent: dict[str, ReceivedRequest] = {}
    for request in good_model.requests:
        sent.setdefault(article_of_request(request)[0], request)

    requests = tmp_path / "requests.jsonl"
    prepare(src, requests, "--base-url", good_model.base_url, "--mode", mode)

    lines = requests.read_bytes().splitlines(keepends=True)
    assert len(lines) == len(sent) == 3
    for line in lines:
        head = json.loads(line)
        live = sent[head["custom_id"]]
        assert (head["method"], head["url"]) == ("POST", BATCH_URL) == (live.method, live.path)
        assert body_bytes(line) == live.body
    kind = "tools" if mode == "tools" else "response_format"
    assert kind in json.loads(lines[0])["body"]


def test_prepare_describes_the_requests_for_ingest(
    tmp_path: Path, make_articles: MakeArticles
) -> None:
    src = tmp_path / "src"
    make_articles(src, 2)
    (src / "broken.txt").write_bytes(b"")  # unreadable: reported, not sent
    requests = tmp_path / "requests.jsonl"
    result = cli("batch", "prepare", src, "--out", requests, "--model", "gpt-4o-mini")

    assert result.exit_code == 1, result.output
    assert "broken.txt" in result.output
    meta = json.loads(requests_meta_path(requests).read_text(encoding="utf-8"))
    assert meta["model"] == "gpt-4o-mini"
    assert meta["instructor_mode"] == "tools"  # no base URL: OpenAI, as `run` would choose
    assert meta["prompt_version"] == load_prompt().version
    assert meta["counts"] == {"requests": 2, "failed": 1}
    assert len(requests.read_bytes().splitlines()) == 2


def test_prepare_without_a_model_is_a_usage_error(
    tmp_path: Path, make_articles: MakeArticles
) -> None:
    make_articles(tmp_path / "src", 1)
    result = cli("batch", "prepare", tmp_path / "src", "--out", tmp_path / "r.jsonl")
    assert result.exit_code == 2
    assert "--model" in result.output
    assert not (tmp_path / "r.jsonl").exists()


def test_article_text_with_template_braces_reaches_the_request_verbatim(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Minister A met envoy B {{ 7*7 }} times.\n", encoding="utf-8")
    (src / "b.txt").write_text("Minister C met envoy D {# twice.\n", encoding="utf-8")
    requests = tmp_path / "requests.jsonl"
    result = cli("batch", "prepare", src, "--out", requests, "--model", MODEL)

    users = [json.loads(line)["body"]["messages"][1]["content"] for line in requests.open()]
    assert result.exit_code == 0, result.output
    assert any("envoy B {{ 7*7 }} times." in u for u in users)
    assert any("envoy D {# twice." in u for u in users)


def test_a_body_with_a_raw_newline_is_re_encoded_onto_one_line() -> None:
    line = request_line("a-1", b'{"model": "m",\n "messages": []}')
    assert line.count(b"\n") == 1
    assert json.loads(line) == {
        "custom_id": "a-1",
        "method": "POST",
        "url": BATCH_URL,
        "body": {"model": "m", "messages": []},
    }


# -- ingest ------------------------------------------------------------------------------------


def test_round_trip_writes_the_briefs_run_writes(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src = tmp_path / "src"
    make_articles(src, 4)
    live = cli(
        "run", src, "--out", tmp_path / "live", "--base-url", good_model.base_url, "--model", MODEL
    )
    assert live.exit_code == 0, live.output

    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    prepare(src, requests, "--base-url", good_model.base_url)
    answer_requests(good_model, requests, results)
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
    assert len(briefs(tmp_path / "batch")) == 4
    assert briefs(tmp_path / "batch") == briefs(tmp_path / "live")
    manifest = json.loads((tmp_path / "batch" / "run.json").read_text(encoding="utf-8"))
    live_manifest = json.loads((tmp_path / "live" / "run.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["done"] == 4
    assert manifest["counts"]["events"] == live_manifest["counts"]["events"] == 4
    assert manifest["quality"] == live_manifest["quality"]
    assert manifest["prompt_version"] == load_prompt().version
    assert manifest["instructor_mode"] == "json_schema"
    assert manifest["batch"]["articles_without_result"] == 0
    assert errors(tmp_path / "batch") == []
    # The engine's answers are the run's exchanges in the ledger, with their tokens.
    (logged,) = json.loads(cli("log", tmp_path / "batch", "--json").output)
    assert (logged["exchanges"], logged["tokens"]) == (4, manifest["usage"]["total_tokens"])
    assert logged["tokens"] > 0


def test_ingest_is_resumable_and_force_redoes(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src, requests, results, out = answered_batch(tmp_path, good_model, make_articles)
    assert (
        cli(
            "batch", "ingest", results, "--src", src, "--requests", requests, "--out", out
        ).exit_code
        == 0
    )
    first = {p: p.stat().st_mtime_ns for p in (out / "briefs").iterdir()}
    removed = sorted(first)[1]
    removed.unlink()

    again = cli("batch", "ingest", results, "--src", src, "--requests", requests, "--out", out)

    assert again.exit_code == 0, again.output
    counts = json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]
    assert (counts["done"], counts["skipped"]) == (1, 2)
    for path, mtime in first.items():
        if path != removed:
            assert path.stat().st_mtime_ns == mtime
    assert removed.exists()
    forced = cli(
        "batch", "ingest", results, "--src", src, "--requests", requests, "--out", out, "--force"
    )
    assert forced.exit_code == 0
    counts = json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]
    assert (counts["done"], counts["skipped"]) == (3, 0)


def test_articles_without_a_result_are_listed_not_lost(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    # Results split over two files (two batches): each ingest lists what its file lacks,
    # and the second one finishes the folder.
    src, requests, results, out = answered_batch(tmp_path, good_model, make_articles)
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "part1.jsonl", tmp_path / "part2.jsonl"
    first.write_text("".join(lines[:2]), encoding="utf-8")
    second.write_text(lines[2], encoding="utf-8")

    partial = cli("batch", "ingest", first, "--src", src, "--requests", requests, "--out", out)

    assert partial.exit_code == 1, partial.output
    assert "1 articles have no result in" in " ".join(partial.stderr.split())
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (manifest["counts"]["done"], manifest["counts"]["not_attempted"]) == (2, 1)
    (missing,) = [a for a in manifest["articles"] if a["status"] == "not_attempted"]
    assert missing["id"] == json.loads(lines[2])["custom_id"]
    assert missing["note"] == "no result for it in part1.jsonl"

    rest = cli("batch", "ingest", second, "--src", src, "--requests", requests, "--out", out)
    assert rest.exit_code == 0, rest.output
    counts = json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]
    assert (counts["done"], counts["skipped"], counts["not_attempted"]) == (1, 2, 0)


def _result(custom_id: str, body: Any, status: int = 200) -> str:
    return json.dumps(
        {
            "id": "batch_req",
            "custom_id": custom_id,
            "response": {"status_code": status, "request_id": "r", "body": body},
            "error": None,
        }
    )


def test_ingest_reports_each_failed_article_and_keeps_the_rest(
    tmp_path: Path, make_articles: MakeArticles, answer001: dict[str, Any]
) -> None:
    src = tmp_path / "src"
    make_articles(src, 6)
    requests = tmp_path / "requests.jsonl"
    prepare(src, requests, "--base-url", "http://127.0.0.1:9/v1")
    ids = [json.loads(line)["custom_id"] for line in requests.read_text().splitlines()]
    good = dict(answer001, events=[])  # no event, so no quote to ground
    good["no_event_reason"] = "Nothing happened."
    ungrounded = dict(answer001)  # seed 001's quotes are not in these articles
    lines = [
        _result(ids[0], chat_completion(json.dumps(good))),
        _result(ids[1], chat_completion("{not json")),
        _result(ids[2], chat_completion(json.dumps({"events": "many"}))),
        json.dumps(
            {
                "id": "x",
                "custom_id": ids[3],
                "response": None,
                "error": {"code": "server_error", "message": "engine fell over"},
            }
        ),
        _result(ids[4], {"error": {"message": "context too long"}}, status=400),
        _result(ids[5], chat_completion(json.dumps(ungrounded))),
        _result("gone-12345678", chat_completion(json.dumps(good))),
        "this is not a result line",
    ]
    results = tmp_path / "results.jsonl"
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")

    out = tmp_path / "out"
    ingested = cli("batch", "ingest", results, "--src", src, "--requests", requests, "--out", out)

    assert ingested.exit_code == 1, ingested.output
    by_id = {e["article_id"]: e for e in errors(out)}
    assert by_id[ids[1]]["stage"] == "validation"
    assert by_id[ids[2]]["stage"] == "validation"
    assert "engine fell over" in by_id[ids[3]]["cause"]
    assert by_id[ids[3]]["stage"] == "batch"
    assert "400" in by_id[ids[4]]["cause"] and "context too long" in by_id[ids[4]]["cause"]
    assert by_id["gone-12345678"]["stage"] == "article"
    assert by_id[None]["stage"] == "batch" and by_id[None]["file"].endswith("results.jsonl:8")
    assert len(by_id) == 6
    written = briefs(out)
    assert sorted(written) == [f"{ids[0]}.json", f"{ids[5]}.json"]
    dropped = Brief.model_validate_json(written[f"{ids[5]}.json"])
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["events"] == len(dropped.events)
    assert manifest["quality"]["grounding_dropped_items"] == len(dropped.warnings)
    assert manifest["quality"]["articles_without_event"] == 1 + (not dropped.events)
    assert dropped.warnings and all(w.reason for w in dropped.warnings)
    assert dropped.provenance.attempts == 1


def test_tools_answers_are_read_from_the_tool_call(
    tmp_path: Path, make_articles: MakeArticles, article_of_request: ArticleOf
) -> None:
    (path,) = make_articles(tmp_path / "src", 1)
    requests = tmp_path / "requests.jsonl"
    prepare(path, requests, "--mode", "tools")
    line = requests.read_bytes()
    body = json.loads(line)["body"]
    article_id, text = article_of_request(
        ReceivedRequest("POST", BATCH_URL, {}, json.dumps(body).encode())
    )
    quote = text.splitlines()[0].split(" to discuss")[0]
    answer = {
        "source": {},
        "events": [
            {
                "event_type": "meeting",
                "participants": [{"name": "Minister 0", "evidence": quote}],
                "initiator": {},
                "topics": ["grain"],
                "outcomes": [],
                "summary": "They met.",
            }
        ],
    }
    completion = chat_completion(tool_calls=[("Extraction", answer)], model="gpt-4o-mini")
    results = tmp_path / "results.jsonl"
    results.write_text(_result(article_id, completion) + "\n", encoding="utf-8")

    ingested = cli(
        "batch", "ingest", results, "--src", path, "--requests", requests, "--out", tmp_path / "out"
    )

    assert ingested.exit_code == 0, ingested.output
    brief = Brief.model_validate_json(briefs(tmp_path / "out")[f"{article_id}.json"])
    participant = brief.events[0].participants[0]
    assert participant.evidence.quote == quote
    assert brief.provenance.model == MODEL  # what was asked for, as `run` records it


def test_a_cut_off_answer_fails_at_the_model_stage(seed001: Article) -> None:
    body = chat_completion('{"source": {}, "events": [', finish_reason="length")
    plan = IngestPlan(MODEL, InstructorMode.JSON_SCHEMA, "v1", "p.j2")
    with pytest.raises(AnswerError) as caught:
        brief_from_completion(body, seed001, plan, max_output_tokens=99)
    assert caught.value.stage == "model"
    assert "99 output tokens" in str(caught.value)


def test_ingest_needs_to_know_the_model(tmp_path: Path, make_articles: MakeArticles) -> None:
    make_articles(tmp_path / "src", 1)
    results = tmp_path / "results.jsonl"
    results.write_text("", encoding="utf-8")
    result = cli("batch", "ingest", results, "--src", tmp_path / "src")
    assert result.exit_code == 2
    assert "--requests" in result.output


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ('{"custom_id": "a", "response": null, "error": {"message": "boom"}}', "boom"),
        ('{"custom_id": "a", "response": {"status_code": 500, "body": "x"}}', "500"),
        ('{"custom_id": "a"}', "neither response nor error"),
        ('{"response": {}}', "no custom_id"),
        ("[1]", "not a JSON object"),
    ],
)
def test_result_lines_that_carry_no_answer_say_why(line: str, error: str) -> None:
    parsed = parse_result_line(line)
    assert not parsed.ok
    assert parsed.error is not None and error in parsed.error


# -- submit / status / fetch -------------------------------------------------------------------


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
        prepare(src, requests, "--base-url", api.base_url)
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
        prepare(src, requests, "--base-url", api.base_url)
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
