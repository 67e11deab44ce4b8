"""Secrets in URLs and in answers, end to end: a run given `user:password@` in an article
URL, in a URL list and in --base-url, against an endpoint that echoes the credentials into
its answers, writes and prints none of them anywhere.

Run as a process of its own named `summarize`, so that its stderr (the fetch lines, the
causes, the run-again line) is the one a user reads; then `summarize log --json` and a memo.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import completion_for, grounded_answer_for, sentences_of
from documents import GOOD_LINES, article_page
from model_server import ModelServer, ReceivedRequest, Reply
from web_site import WebSite, html

pytestmark = pytest.mark.usefixtures("isolated")

PAGE_PASSWORD = "page-Pass-4711-secret"
BASE_PASSWORD = "base-Pass-0815-secret"
KEY = "sk-test-ECHOED-0a1b2c3d4e5f60718293"
STORY = "/world/2021/09/14/berg-moos.html"
# `summarize ARGS` as the user types it: argv[0] named so, as the installed script is.
COMMAND = [
    sys.executable,
    "-c",
    "import sys; sys.argv[0] = 'summarize'; from summarize.cli.app import main; main()",
]


def echoing_answer(request: ReceivedRequest) -> Reply:
    """A good answer whose summary repeats the credentials the request carried, as a
    debugging proxy or a model told to "repeat the request" can."""
    sent = request.headers.get("authorization", "")
    user_pass = base64.b64decode(sent.split()[-1]).decode() if sent.startswith("Basic") else ""
    body = json.loads(grounded_answer_for(request).body)
    answer = json.loads(body["choices"][0]["message"]["content"])  # JSON-schema mode
    first = sentences_of(request)[1]
    answer["events"][0]["summary"] = f"{first[:200]} (auth: {sent}; {user_pass})"
    return completion_for(answer)


@pytest.fixture
def site() -> Iterator[WebSite]:
    with WebSite({STORY: html(article_page("Berg meets Moos", GOOD_LINES))}) as running:
        yield running


def secured(url: str, password: str) -> str:
    return url.replace("http://", f"http://analyst:{password}@")


def summarize(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    env["OPENAI_API_KEY"] = KEY
    return subprocess.run(
        [*COMMAND, *map(str, args)], capture_output=True, text=True, env=env, check=False
    )


def test_no_url_password_or_echoed_credential_is_written_or_shown(
    tmp_path: Path, site: WebSite
) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        f"{secured(site.url(STORY), PAGE_PASSWORD)}\n"
        f"{secured(site.url('/missing'), PAGE_PASSWORD)}\n"
        f"htps://analyst:{PAGE_PASSWORD}@typo.example/x\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    with ModelServer(responder=echoing_answer) as model:
        base_url = secured(model.base_url, BASE_PASSWORD)
        done = summarize(
            "run",
            listing,
            "--out",
            out,
            "--base-url",
            base_url,
            "--model",
            "test-model",
            "--memo",
            out / "memo.html",
        )
        asked = model.requests
    log = summarize("log", out, "--run", "1", "--json")

    assert done.returncode == 1, done.stderr  # the missing page and the typo failed
    assert asked and all(r.headers["authorization"].startswith("Basic ") for r in asked)
    shown = done.stderr + done.stdout + log.stdout + log.stderr
    for secret in (PAGE_PASSWORD, BASE_PASSWORD, KEY):
        assert secret not in shown
        for path in (p for p in out.rglob("*") if p.is_file()):
            assert secret.encode() not in path.read_bytes(), path
    basic = base64.b64encode(f"analyst:{BASE_PASSWORD}".encode()).decode()
    for path in (p for p in out.rglob("*") if p.is_file()):
        assert basic.encode() not in path.read_bytes(), path
    assert basic not in shown
    # What is shown instead: the page's URL without credentials, the typo'd line masked, and
    # a run-again line that keeps the user name and shows the password as ***.
    assert f"fetching {site.url(STORY)}" in done.stderr
    assert "line 3 is not an http(s) URL ('htps://typo.example/x')" in " ".join(done.stderr.split())
    flat = " ".join(done.stderr.split())
    assert f"http://analyst:***@127.0.0.1:{model.port}/v1" in flat
    brief = json.loads(next((out / "briefs").glob("*.json")).read_text(encoding="utf-8"))
    assert brief["source"]["url"] == site.url(STORY)
    assert brief["events"][0]["summary"].endswith("(auth: Basic ***; ***)")
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert site.url("/missing") in {e["file"] for e in errors}
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["source"] == str(listing)
    assert json.loads(log.stdout)["run"] == 1
