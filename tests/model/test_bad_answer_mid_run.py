"""One bad 200 answer mid-run (a proxy's HTML error page, JSON cut short) fails that article
only, once the endpoint has answered well; before anything has worked, the same answer
means the URL is no OpenAI-compatible API, and the run stops saying so."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article_of, grounded_answer_for
from model_server import ModelServer, ReceivedRequest, Reply, Responder
from typer.testing import CliRunner, Result

from summarize.cli.app import app

pytestmark = pytest.mark.usefixtures("isolated")

PROXY_PAGE = Reply.text(
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    "</h1></center><hr><center>nginx</center></body></html>",
    content_type="text/html",
)
CUT_JSON = Reply(
    body=b'{"id": "chatcmpl-1", "object": "chat.completion", "choices": [{"index": 0, "mess',
    headers={"content-type": "application/json"},
)


def write_articles(src: Path) -> None:
    src.mkdir()
    for n, name in enumerate(["a_first", "b_middle", "c_last"]):
        (src / f"{name}.txt").write_text(
            f"Minister {n} met envoy {n} in Vienna on Monday to discuss grain.\n",
            encoding="utf-8",
        )


def answering(bad: Reply, on: str) -> Responder:
    def responder(request: ReceivedRequest) -> Reply:
        return bad if article_of(request)[0].startswith(on) else grounded_answer_for(request)

    return responder


def run(src: Path, out: Path, server: ModelServer) -> Result:
    args = ["run", str(src), "--out", str(out), "--base-url", server.base_url]
    return CliRunner().invoke(app, [*args, "--model", "m", "--concurrency", "1"])


@pytest.mark.parametrize("bad", [PROXY_PAGE, CUT_JSON], ids=["html-page", "cut-json"])
def test_a_bad_answer_after_good_ones_fails_only_that_article(tmp_path: Path, bad: Reply) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_articles(src)
    with ModelServer(responder=answering(bad, "b_middle")) as server:
        done = run(src, out, server)
    flat = " ".join(done.stderr.split())
    assert done.exit_code == 1, flat
    assert "2 done, 0 skipped, 1 failed" in flat
    assert "though it answered well before (a proxy's error page or an answer cut short?)" in flat
    assert "not an OpenAI-compatible API" not in flat
    assert len(list((out / "briefs").glob("*.json"))) == 2


def test_the_same_answer_first_stops_the_run_as_not_an_openai_api(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_articles(src)
    with ModelServer(responder=answering(PROXY_PAGE, "a_first")) as server:
        done = run(src, out, server)
    flat = " ".join(done.stderr.split())
    assert done.exit_code == 2, flat
    assert "it is not an OpenAI-compatible API; check --base-url" in flat
