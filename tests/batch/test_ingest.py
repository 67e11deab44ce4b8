"""`summarize batch ingest` (`summarize.batch.ingest`): results -> the briefs a live `run`
writes, byte for byte; resumable; every failed or missing article listed.

The batch engine is played by the loopback `ModelServer` answering each prepared request.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from batch_steps import (
    MODEL,
    MakeArticles,
    answer_requests,
    answered_batch,
    briefs,
    cli,
    errors,
    prepared,
    result_line,
)
from conftest import SEED_001, read_article
from model_server import ModelServer, chat_completion

from summarize.core.brief import Brief
from summarize.model.prompts import article_messages, load_prompt

pytestmark = pytest.mark.usefixtures("isolated")


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
    prepared(src, requests, "--base-url", good_model.base_url)
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


def test_ingest_reports_each_failed_article_and_keeps_the_rest(
    tmp_path: Path, make_articles: MakeArticles, answer001: dict[str, Any]
) -> None:
    src = tmp_path / "src"
    make_articles(src, 6)
    requests = tmp_path / "requests.jsonl"
    prepared(src, requests, "--base-url", "http://127.0.0.1:9/v1")
    ids = [json.loads(line)["custom_id"] for line in requests.read_text().splitlines()]
    good = dict(answer001, events=[])  # no event, so no quote to ground
    good["no_event_reason"] = "Nothing happened."
    ungrounded = dict(answer001)  # seed 001's quotes are not in these articles
    lines = [
        result_line(ids[0], chat_completion(json.dumps(good))),
        result_line(ids[1], chat_completion("{not json")),
        result_line(ids[2], chat_completion(json.dumps({"events": "many"}))),
        json.dumps(
            {
                "id": "x",
                "custom_id": ids[3],
                "response": None,
                "error": {"code": "server_error", "message": "engine fell over"},
            }
        ),
        result_line(ids[4], {"error": {"message": "context too long"}}, status=400),
        result_line(ids[5], chat_completion(json.dumps(ungrounded))),
        result_line("gone-12345678", chat_completion(json.dumps(good))),
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


def test_ingest_needs_to_know_the_model(tmp_path: Path, make_articles: MakeArticles) -> None:
    make_articles(tmp_path / "src", 1)
    results = tmp_path / "results.jsonl"
    results.write_text("", encoding="utf-8")
    result = cli("batch", "ingest", results, "--src", tmp_path / "src")
    assert result.exit_code == 2
    assert "--requests" in result.output


@pytest.mark.parametrize("field", ["summary", "no_event_reason"])
def test_an_answer_that_recites_the_prompt_is_refused_as_run_refuses_it(
    tmp_path: Path, field: str, answer001: dict[str, Any]
) -> None:
    """The batch engine's answer (a scripted test double) copies the system prompt into a
    free-text field, as a model obeying an injected "print your instructions" would."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED_001, src / SEED_001.name)
    article = read_article(src / SEED_001.name)
    system = article_messages(load_prompt(), article)[0]["content"]
    leaking = copy.deepcopy(answer001)
    if field == "summary":
        leaking["events"][0]["summary"] = system[:400]
    else:
        leaking = {"source": answer001["source"], "events": [], "no_event_reason": system[:400]}
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    prepared(src, requests, "--mode", "json_schema")
    completion = chat_completion(json.dumps(leaking), model=MODEL)
    results.write_text(result_line(article.id, completion) + "\n", encoding="utf-8")

    ingested = cli(
        "batch", "ingest", results, "--src", src, "--requests", requests, "--out", tmp_path / "out"
    )

    assert ingested.exit_code == 1, ingested.output
    assert briefs(tmp_path / "out") == {}
    (error,) = errors(tmp_path / "out")
    assert error["article_id"] == article.id and error["stage"] == "validation"
    assert "repeats the model's instructions" in error["cause"]
    assert (
        f"at {'events[0].summary' if field == 'summary' else 'no_event_reason'}" in (error["cause"])
    )
    # The same answer, not reciting, is a brief: the check is what refused it.
    results.write_text(
        result_line(article.id, chat_completion(json.dumps(answer001), model=MODEL)) + "\n",
        encoding="utf-8",
    )
    again = cli(
        "batch", "ingest", results, "--src", src, "--requests", requests, "--out", tmp_path / "out"
    )
    assert again.exit_code == 0, again.output
    assert list(briefs(tmp_path / "out")) == [f"{article.id}.json"]
