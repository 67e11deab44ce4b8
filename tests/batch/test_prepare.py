"""`summarize batch prepare` (`summarize.batch.prepare`): the bodies a live `run` sends, as
Batch API lines, and the description ingest reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_steps import MODEL, ArticleOf, MakeArticles, body_bytes, cli, prepared
from model_server import ModelServer, ReceivedRequest

from summarize.batch.lines import BATCH_URL, requests_meta_path
from summarize.model.prompts import load_prompt

pytestmark = pytest.mark.usefixtures("isolated")


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
    prepared(src, requests, "--base-url", good_model.base_url, "--mode", mode)

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


def test_requests_are_not_written_when_their_description_cannot_be(
    tmp_path: Path, make_articles: MakeArticles
) -> None:
    make_articles(tmp_path / "src", 2)
    requests = tmp_path / "requests.jsonl"
    requests_meta_path(requests).mkdir()  # in the way of the description

    result = cli("batch", "prepare", tmp_path / "src", "--out", requests, "--model", MODEL)

    assert result.exit_code == 2, result.output
    assert not requests.exists()  # ingest could not tell which model answered it
    message = " ".join(result.output.split())
    assert f"cannot write {requests_meta_path(requests)}" in message
    assert f"neither it nor {requests} was changed" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requests.meta.json", "src"]


def test_the_description_is_removed_when_its_requests_cannot_be_written(
    tmp_path: Path, make_articles: MakeArticles
) -> None:
    make_articles(tmp_path / "src", 2)
    requests = tmp_path / "requests.jsonl"
    requests.mkdir()  # in the way of the requests, found only when renaming them into place

    result = cli("batch", "prepare", tmp_path / "src", "--out", requests, "--model", MODEL)

    assert result.exit_code == 2, result.output
    assert not requests_meta_path(requests).exists()
    message = " ".join(result.output.split())
    assert f"cannot write {requests}" in message
    assert f"{requests_meta_path(requests)} was removed with it" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requests.jsonl", "src"]
