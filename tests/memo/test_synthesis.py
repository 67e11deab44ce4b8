"""`summarize memo --synthesize`: a model-written BLUF, citations checked, recorded like briefs."""

import json
from pathlib import Path

from conftest import completion_for
from memo_briefs import GOLDEN
from model_server import ModelServer
from typer.testing import CliRunner

from summarize.cli.app import app

GOOD = {
    "sentences": [
        {
            "text": "Putin and Obama spoke by phone twice, in 2012 and 2013.",
            "event_ids": ["E1", "E2"],
        },
        {"text": "Kerry visited Putin in Moscow in July 2016.", "event_ids": ["E3"]},
    ]
}
UNCITED = {"sentences": [{"text": "Relations are improving.", "event_ids": []}]}
UNKNOWN = {"sentences": [{"text": "They met in Geneva.", "event_ids": ["E9"]}]}


def _memo(out: Path, server: ModelServer, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        [
            "memo",
            str(GOLDEN),
            "--out",
            str(out),
            "--synthesize",
            "--base-url",
            server.base_url,
            "--model",
            "test-model",
            *extra,
        ],
    )
    return result.exit_code, result.output


def test_model_bluf_with_citations_replaces_the_deterministic_one(
    isolated: Path, server: ModelServer
) -> None:
    server.enqueue(completion_for(GOOD))
    code, output = _memo(isolated / "memo.md", server)
    assert code == 0, output
    memo = (isolated / "memo.md").read_text()
    assert "Kerry visited Putin in Moscow in July 2016." in memo
    request = server.requests[0].json()
    user = request["messages"][-1]["content"]
    assert "E5:" in user and "E6:" not in user, "the prompt lists exactly the memo's events"


def test_uncited_or_unknown_citations_are_re_asked(isolated: Path, server: ModelServer) -> None:
    server.enqueue(completion_for(UNCITED), completion_for(UNKNOWN), completion_for(GOOD))
    code, output = _memo(isolated / "memo.md", server)
    assert code == 0, output
    assert len(server.requests) == 3
    second = json.dumps(server.requests[1].json()["messages"])
    assert "cites no event" in second
    third = json.dumps(server.requests[2].json()["messages"])
    assert "unknown event ids" in third
    assert "Kerry visited Putin" in (isolated / "memo.md").read_text()


def test_no_valid_synthesis_keeps_the_deterministic_bluf_and_exits_1(
    isolated: Path, server: ModelServer
) -> None:
    server.enqueue(*(completion_for(UNCITED) for _ in range(3)))
    code, output = _memo(isolated / "memo.md", server)
    assert code == 1
    assert "synthesis failed" in output
    memo = (isolated / "memo.md").read_text()
    assert "Relations are improving" not in memo
    assert "5 articles" in memo, "the deterministic BLUF is still there"


def test_synthesis_records_and_replays(isolated: Path, server: ModelServer) -> None:
    recordings = isolated / "rec"
    server.enqueue(completion_for(GOOD))
    code, output = _memo(isolated / "a.html", server, "--record", "--recordings", str(recordings))
    assert code == 0, output
    assert [p.name.startswith("memo-") for p in recordings.iterdir()] == [True]
    server.stop()
    result = CliRunner().invoke(
        app,
        [
            "memo",
            str(GOLDEN),
            "--out",
            str(isolated / "b.html"),
            "--synthesize",
            "--replay",
            "--recordings",
            str(recordings),
            "--model",
            "test-model",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (isolated / "a.html").read_bytes() == (isolated / "b.html").read_bytes()


def test_model_options_without_synthesize_are_a_usage_error(isolated: Path) -> None:
    result = CliRunner().invoke(app, ["memo", str(GOLDEN), "--out", "m.md", "--model", "x"])
    assert result.exit_code == 2
    assert "--synthesize" in result.output
