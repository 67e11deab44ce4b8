"""Steps the batch tests share: the CLI, a requests line's body, and a batch engine played by
a loopback model (`ModelServer`), so a round trip needs no provider.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
from model_server import ModelServer, ReceivedRequest, Reply
from typer.testing import CliRunner, Result

from summarize.cli.app import app

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
    prepared(src, requests, "--base-url", server.base_url)
    answer_requests(server, requests, results)
    return src, requests, results, out


def prepared(src: Path, requests: Path, *extra: str | Path) -> Result:
    """`batch prepare` through the CLI, which must succeed."""
    result = cli("batch", "prepare", src, "--out", requests, "--model", MODEL, *extra)
    assert result.exit_code == 0, result.output
    return result


def briefs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "briefs").glob("*.json"))}


def errors(out: Path) -> list[dict[str, Any]]:
    text = (out / "errors.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def result_line(custom_id: str, body: Any, status: int = 200) -> str:
    """A Batch API result line: the endpoint answered `custom_id` with `status` and `body`."""
    return json.dumps(
        {
            "id": "batch_req",
            "custom_id": custom_id,
            "response": {"status_code": status, "request_id": "r", "body": body},
            "error": None,
        }
    )
