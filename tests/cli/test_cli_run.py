"""`summarize run` end to end: the CLI in-process against a loopback model, real files out.

Retry cases that need a back-off live in test_pipeline.py and model/test_client.py: the CLI has
no setting to shrink its 1-30 s back-off. Here only faults that retry without waiting
(429 with Retry-After: 0) or that fail without retrying are driven through the CLI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from model_server import ModelServer, Reply, chat_completion
from recording_checks import scan_for_secrets
from typer.testing import CliRunner, Result

from summarize.cli.app import app
from summarize.core.article import Article
from summarize.core.brief import SCHEMA_VERSION, Brief
from summarize.model.prompts import load_prompt
from summarize.outdir.store import OutputStore

pytestmark = pytest.mark.usefixtures("isolated")

PROMPT = load_prompt()
PLANTED_KEY = "sk-test-PLANTED-0123456789abcdef"
INVENTED = [40]  # seed 001 has 14 sentences

ReplyWith = Callable[..., Reply]
MakeArticles = Callable[[Path, int], list[Path]]


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, ["run", *map(str, args)], env=env)


def live(
    server: ModelServer,
    src: Path,
    out: Path,
    *extra: str | Path,
    env: dict[str, str] | None = None,
) -> Result:
    return invoke(
        src, "--out", out, "--base-url", server.base_url, "--model", "test-model", *extra, env=env
    )


def read_errors(out: Path) -> list[dict[str, Any]]:
    text = (out / "errors.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def read_manifest(out: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return manifest


def read_brief(out: Path, article_id: str) -> Brief:
    return Brief.model_validate_json((out / "briefs" / f"{article_id}.json").read_bytes())


@pytest.fixture
def src001(tmp_path: Path, seed001: Article) -> Path:
    """A folder holding seed 001, byte for byte (so its article id is unchanged)."""
    folder = tmp_path / "src001"
    folder.mkdir()
    (folder / seed001.path.name).write_bytes(seed001.path.read_bytes())
    return folder


# -- usage ----------------------------------------------------------------------------------


def test_help_explains_exit_codes() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Exit codes: 0 every article done, 1 some articles failed" in text
    assert "2 usage, configuration or output-folder error" in text
    assert "130/143 stopped by Ctrl-C/SIGTERM" in text


def test_no_endpoint_and_no_replay_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The ministers met.\n", encoding="utf-8")
    result = invoke(tmp_path / "a.txt", "--out", tmp_path / "out")

    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "--base-url" in message and "--model" in message
    assert "SUMMARIZE_BASE_URL" in message
    assert "--replay" in message
    assert not (tmp_path / "out").exists()


def test_missing_source_is_a_usage_error(tmp_path: Path, server: ModelServer) -> None:
    result = live(server, tmp_path / "nowhere", tmp_path / "out")
    assert result.exit_code == 2
    assert "nowhere does not exist" in " ".join(result.stderr.split())
    assert server.requests == []


def test_two_recording_modes_are_a_usage_error(tmp_path: Path, src001: Path) -> None:
    result = invoke(src001, "--replay", "--record")
    assert result.exit_code == 2
    assert "choose one of --replay, --record, --record-missing" in result.stderr


def test_replay_without_recordings_fails_each_article_naming_the_missing_file(
    tmp_path: Path, src001: Path, seed001: Article, caplog: pytest.LogCaptureFixture
) -> None:
    recordings = tmp_path / "no-recordings"
    out = tmp_path / "out"
    result = invoke(src001, "--replay", "--recordings", recordings, "--model", "m", "--out", out)

    assert result.exit_code == 1
    (error,) = read_errors(out)
    assert error["stage"] == "replay"
    assert error["article_id"] == seed001.id
    assert str(recordings / f"{seed001.id}.json") in error["cause"]
    # How to record is said once for the run (a warning), not in each article's error.
    (warning,) = [r for r in caplog.records if r.name.startswith("summarize")]
    assert "--record-missing" in warning.getMessage()


def test_replay_without_recordings_or_model_says_recordings_are_missing(
    tmp_path: Path, src001: Path
) -> None:
    recordings = tmp_path / "no-recordings"
    result = invoke(src001, "--replay", "--recordings", recordings, "--out", tmp_path / "out")
    message = " ".join(result.output.split())
    assert "use --replay" not in message
    assert str(recordings) in message


# -- one article, end to end ------------------------------------------------------------------


def test_grounded_answer_becomes_a_brief_with_offsets_dates_and_provenance(
    tmp_path: Path,
    server: ModelServer,
    src001: Path,
    seed001: Article,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
) -> None:
    server.enqueue(reply_with(answer001, tokens=(1200, 300)))
    out = tmp_path / "out"

    result = live(server, src001, out)

    assert result.exit_code == 0, result.output
    assert "1 done, 0 skipped, 0 failed (1 events)" in " ".join(result.stderr.split())
    brief = read_brief(out, seed001.id)
    (event,) = brief.events
    assert event.event_type == "phone_call"
    assert event.date == dt.date(2012, 7, 18)  # "on Wednesday", published 2012-07-19
    assert event.follow_ups[0].due_date == dt.date(2012, 7, 19)
    assert event.initiator.stated and event.initiator.party == "United States"
    text = (src001 / seed001.path.name).read_text(encoding="utf-8")
    quotes = [p.evidence for p in event.participants] + [o.evidence for o in event.outcomes]
    for evidence in quotes:
        assert text[evidence.start : evidence.end] == evidence.quote
    assert brief.warnings == []
    provenance = brief.provenance
    assert provenance.kind == "model"
    assert provenance.prompt_version == PROMPT.version
    assert provenance.schema_version == SCHEMA_VERSION
    assert provenance.model == "test-model"
    assert provenance.article_sha256 == seed001.sha256
    assert provenance.attempts == 1
    assert (provenance.usage.prompt_tokens, provenance.usage.completion_tokens) == (1200, 300)

    manifest = read_manifest(out)
    assert manifest["counts"]["done"] == 1 and manifest["counts"]["events"] == 1
    assert manifest["usage"]["total_tokens"] == 1500
    assert manifest["recording"] == "live"
    assert read_errors(out) == []


def test_an_invented_sentence_number_is_reasked_and_the_brief_has_no_warnings(
    tmp_path: Path,
    server: ModelServer,
    src001: Path,
    seed001: Article,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
) -> None:
    good = json.loads(json.dumps(answer001))
    answer001["events"][0]["outcomes"][0]["evidence"] = INVENTED
    server.enqueue(reply_with(answer001, tokens=(100, 10)), reply_with(good, tokens=(150, 20)))
    out = tmp_path / "out"

    result = live(server, src001, out)

    assert result.exit_code == 0, result.output
    assert len(server.requests) == 2
    feedback = server.requests[1].json()["messages"][-1]["content"]
    assert "The article has sentences [1] to [14]" in feedback
    assert "events[0].outcomes[0]: [40]" in feedback
    brief = read_brief(out, seed001.id)
    assert brief.warnings == []
    assert brief.provenance.attempts == 2
    assert brief.provenance.usage.total_tokens == 280
    manifest = read_manifest(out)
    assert manifest["quality"]["reasks"] == 1
    assert manifest["quality"]["grounding_dropped_items"] == 0


def test_quote_ungrounded_on_every_attempt_is_dropped_and_listed(
    tmp_path: Path,
    server: ModelServer,
    src001: Path,
    seed001: Article,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
) -> None:
    answer001["events"][0]["outcomes"][0]["evidence"] = INVENTED
    server.enqueue(*(reply_with(answer001) for _ in range(2)))
    out = tmp_path / "out"

    result = live(server, src001, out, "--max-reasks", "1")

    assert result.exit_code == 0, result.output
    assert len(server.requests) == 2
    brief = read_brief(out, seed001.id)
    assert brief.events[0].outcomes == []
    assert [(w.path, w.quote) for w in brief.warnings] == [("events[0].outcomes[0]", "[40]")]
    # The grounded rest of the answer survives.
    assert len(brief.events[0].participants) == 2
    manifest = read_manifest(out)
    assert manifest["quality"]["grounding_dropped_items"] == 1
    assert manifest["quality"]["reasks"] == 1


def test_schema_violation_then_valid_answer_recovers(
    tmp_path: Path,
    server: ModelServer,
    src001: Path,
    seed001: Article,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
) -> None:
    broken = json.loads(json.dumps(answer001))
    del broken["events"][0]["outcomes"][0]["statement"]  # an outcome that cannot stand
    server.enqueue(reply_with(broken), reply_with(answer001))
    out = tmp_path / "out"

    result = live(server, src001, out)

    assert result.exit_code == 0, result.output
    assert read_brief(out, seed001.id).events[0].outcomes[0].kind == "agreed"
    assert read_manifest(out)["quality"]["reasks"] == 1


def test_an_unknown_value_with_one_clear_reading_is_normalised_without_a_reask(
    tmp_path: Path,
    server: ModelServer,
    src001: Path,
    seed001: Article,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
) -> None:
    answer001["events"][0]["outcomes"][0]["kind"] = "hoped"
    server.enqueue(reply_with(answer001))
    out = tmp_path / "out"

    result = live(server, src001, out)

    assert result.exit_code == 0, result.output
    brief = read_brief(out, seed001.id)
    assert brief.events[0].outcomes[0].kind == "claimed"
    (warning,) = brief.warnings
    assert (warning.path, warning.kind, warning.quote) == (
        "events[0].outcomes[0].kind",
        "normalised",
        "hoped",
    )
    assert read_manifest(out)["quality"]["reasks"] == 0
    assert len(server.requests) == 1


def test_rate_limit_with_retry_after_zero_is_retried(
    tmp_path: Path,
    server: ModelServer,
    src001: Path,
    seed001: Article,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
) -> None:
    server.enqueue(
        Reply.json({"error": {"message": "rate limited"}}, 429, {"retry-after": "0"}),
        reply_with(answer001),
    )
    out = tmp_path / "out"

    result = live(server, src001, out)

    assert result.exit_code == 0, result.output
    assert len(server.requests) == 2
    assert read_brief(out, seed001.id).provenance.attempts == 1


def test_answer_slower_than_timeout_fails_at_the_transport_stage(
    tmp_path: Path,
    server: ModelServer,
    src001: Path,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
) -> None:
    server.enqueue(reply_with(answer001).after(5.0))
    out = tmp_path / "out"

    # No transport retries: the CLI's back-off would only slow this test down.
    result = live(server, src001, out, "--timeout", "0.5", env={"SUMMARIZE_TRANSPORT_RETRIES": "0"})

    assert result.exit_code == 1
    (error,) = read_errors(out)
    assert error["stage"] == "transport"
    assert "timed out" in error["cause"]
    assert not (out / "briefs").exists() or not any((out / "briefs").iterdir())


def test_answer_cut_off_at_the_token_cap_fails_naming_the_flag(
    tmp_path: Path, server: ModelServer, src001: Path
) -> None:
    server.enqueue_json(chat_completion('{"source": {"headl', finish_reason="length"))
    out = tmp_path / "out"

    result = live(server, src001, out, "--max-output-tokens", "100")

    assert result.exit_code == 1
    (error,) = read_errors(out)
    assert error["stage"] == "model"
    assert "100 output tokens" in error["cause"]
    assert "--max-output-tokens" in error["cause"]


# -- batches --------------------------------------------------------------------------------


def test_malformed_json_fails_that_article_and_the_others_are_done(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles, reply_with: ReplyWith
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 3)
    # One article at a time, in file order: the first article gets the broken answers.
    good_model.enqueue(*(reply_with("{'events': [oops") for _ in range(2)))

    result = live(good_model, src, out, "--concurrency", "1", "--max-reasks", "1")

    assert result.exit_code == 1
    (error,) = read_errors(out)
    assert error["stage"] == "validation"
    assert error["file"] == str(src / "article_00.txt")
    assert "2 attempts" in error["cause"]
    manifest = read_manifest(out)
    assert manifest["counts"] == {
        "articles": 3,
        "done": 2,
        "skipped": 0,
        "failed": 1,
        "not_attempted": 0,
        "interrupted": 0,
        "events": 2,
    }
    assert len(list((out / "briefs").iterdir())) == 2
    assert "validation" in result.stderr and "article_00.txt" in result.stderr


def test_bad_request_fails_that_article_only(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 3)
    good_model.enqueue(
        Reply.json({"error": {"message": "prompt is too long"}}, status=400),
    )

    result = live(good_model, src, out, "--concurrency", "1")

    assert result.exit_code == 1
    (error,) = read_errors(out)
    assert error["stage"] == "request"
    assert error["file"] == str(src / "article_00.txt")
    assert "prompt is too long" in error["cause"]
    assert read_manifest(out)["counts"]["done"] == 2


def test_unauthorized_stops_the_run_pointing_at_openai_api_key(
    tmp_path: Path, server: ModelServer, make_articles: MakeArticles
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 3)
    server.enqueue(*(Reply.json({"error": {"message": "bad key"}}, status=401) for _ in range(3)))

    result = live(server, src, out, "--concurrency", "1")

    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in " ".join(result.stderr.split())
    assert len(server.requests) == 1  # the run stopped at the first article
    assert not (out / "briefs").exists()


def test_not_found_stops_the_run_pointing_at_base_url(
    tmp_path: Path, server: ModelServer, src001: Path
) -> None:
    server.enqueue(Reply.json({"error": {"message": "no such route"}}, status=404))

    result = live(server, src001, tmp_path / "out")

    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "--base-url" in message
    assert server.base_url in message


def test_batch_with_a_bad_file_then_reruns_skip_done_and_prompt_change_redoes(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 3)
    (src / "empty.txt").write_text("", encoding="utf-8")

    first = live(good_model, src, out)
    assert first.exit_code == 1
    (error,) = read_errors(out)
    assert error == {
        "article_id": None,
        "file": str(src / "empty.txt"),
        "stage": "ingest",
        "cause": error["cause"],
    }
    assert "empty" in error["cause"]
    briefs = sorted(p.name for p in (out / "briefs").iterdir())
    assert [b.split("-")[0] for b in briefs] == ["article_00", "article_01", "article_02"]
    assert len(good_model.requests) == 3

    again = live(good_model, src, out)
    assert again.exit_code == 1  # the empty file still fails
    assert len(good_model.requests) == 3
    assert read_manifest(out)["counts"]["skipped"] == 3
    assert "0 done, 3 skipped, 1 failed" in " ".join(again.stderr.split())

    changed = tmp_path / "extract.j2"
    changed.write_text(
        PROMPT.source.replace("event coder", "careful event coder"), encoding="utf-8"
    )
    redone = live(good_model, src, out, "--prompt", changed)
    assert redone.exit_code == 1
    assert len(good_model.requests) == 6
    manifest = read_manifest(out)
    assert manifest["counts"]["done"] == 3
    assert manifest["prompt_file"] == str(changed)
    assert manifest["prompt_version"] != PROMPT.version
    assert "careful event coder" in good_model.requests[-1].json()["messages"][0]["content"]
    for name in briefs:
        stored = Brief.model_validate_json((out / "briefs" / name).read_bytes())
        assert stored.provenance.prompt_version == manifest["prompt_version"]


def test_force_redoes_current_briefs(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 2)
    assert live(good_model, src, out).exit_code == 0
    assert len(good_model.requests) == 2

    forced = live(good_model, src, out, "--force")

    assert forced.exit_code == 0
    assert len(good_model.requests) == 4
    assert read_manifest(out)["counts"]["done"] == 2


def test_locked_output_folder_is_refused(tmp_path: Path, server: ModelServer, src001: Path) -> None:
    out = tmp_path / "out"
    with OutputStore(out).lock():
        result = live(server, src001, out)

    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert f"another summarize run (pid {os.getpid()}) is writing to {out}" in message
    assert server.requests == []
    assert not (out / "briefs").exists()
    assert not (out / "run.json").exists()


def test_an_output_path_that_is_a_file_is_a_usage_error(
    tmp_path: Path, server: ModelServer, src001: Path
) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder\n", encoding="utf-8")
    result = live(server, src001, out)

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"--out {out} is a file, not a folder" in " ".join(result.stderr.split())
    assert server.requests == []


def test_a_brief_that_cannot_be_written_stops_the_run_and_says_so(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    # Disk full or a read-only folder: every later brief would fail too, after a model call.
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 3)
    out.mkdir()
    (out / "briefs").write_text("in the way\n", encoding="utf-8")
    result = live(good_model, src, out, "--concurrency", "1")

    assert result.exit_code == 2, result.output
    message = " ".join(result.stderr.split())
    assert f"cannot write to {out}" in message and "briefs" in message
    assert len(good_model.requests) == 1, "the run stops at the first failed write"
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"].startswith("could not write to the output folder")
    assert manifest["counts"]["failed"] == 1
    assert [e["stage"] for e in read_errors(out)] == ["write"]
    log = CliRunner().invoke(app, ["log", str(out), "--json"])
    assert [r["status"] for r in json.loads(log.output)] == ["interrupted"]


def test_a_damaged_ledger_is_a_usage_error_saying_what_to_do(
    tmp_path: Path, server: ModelServer, src001: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "ledger.sqlite").write_bytes(b"this is not a database" * 100)
    for result in (live(server, src001, out), CliRunner().invoke(app, ["log", str(out)])):
        assert result.exit_code == 2, result.output
        message = " ".join(result.stderr.split())
        assert "ledger.sqlite cannot be used as the run ledger" in message
        assert "move it away" in message
    assert server.requests == []


def test_record_then_replay_gives_the_same_briefs_without_a_server(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src, recordings = tmp_path / "src", tmp_path / "recordings"
    make_articles(src, 2)
    recorded = live(good_model, src, tmp_path / "a", "--record", "--recordings", recordings)
    assert recorded.exit_code == 0, recorded.output
    good_model.stop()

    replayed = invoke(src, "--replay", "--recordings", recordings, "--out", tmp_path / "b")

    assert replayed.exit_code == 0, replayed.output
    names = sorted(p.name for p in (tmp_path / "a" / "briefs").iterdir())
    assert len(names) == 2
    for name in names:
        a = (tmp_path / "a" / "briefs" / name).read_bytes()
        assert a == (tmp_path / "b" / "briefs" / name).read_bytes()
    assert read_manifest(tmp_path / "b")["model"] == "test-model"


# -- the API key ------------------------------------------------------------------------------


def test_api_key_never_reaches_outputs_recordings_or_console(
    tmp_path: Path,
    good_model: ModelServer,
    make_articles: MakeArticles,
    answer001: dict[str, Any],
    reply_with: ReplyWith,
) -> None:
    src, out, recordings = tmp_path / "src", tmp_path / "out", tmp_path / "recordings"
    make_articles(src, 3)
    # One article at a time, in file order: article_00 is refused; article_01 is rate
    # limited, then answered with quotes from another article (re-asked), then answered well.
    good_model.enqueue(
        Reply.json({"error": {"message": "invalid request"}}, status=400),
        Reply.json({"error": {"message": "wait"}}, 429, {"retry-after": "0"}),
        reply_with(answer001),
    )

    result = live(
        good_model,
        src,
        out,
        "--record",
        "--recordings",
        recordings,
        "--concurrency",
        "1",
        env={"OPENAI_API_KEY": PLANTED_KEY},
    )

    assert result.exit_code == 1, result.output
    assert [e["file"] for e in read_errors(out)] == [str(src / "article_00.txt")]
    assert read_manifest(out)["quality"]["reasks"] == 1
    assert len(good_model.requests) == 5
    # The key did go where it belongs: the Authorization header.
    assert {r.headers["authorization"] for r in good_model.requests} == {f"Bearer {PLANTED_KEY}"}
    written = [p for root in (out, recordings) for p in root.rglob("*") if p.is_file()]
    assert len(written) >= 6  # 2 briefs, run.json, errors.jsonl, cassettes
    for path in written:
        assert PLANTED_KEY.encode() not in path.read_bytes(), path
    assert scan_for_secrets(out) == []
    assert scan_for_secrets(recordings) == []
    assert PLANTED_KEY not in result.stdout
    assert PLANTED_KEY not in result.stderr


def test_api_key_echoed_by_the_server_is_not_written_to_errors(
    tmp_path: Path, server: ModelServer, src001: Path
) -> None:
    server.enqueue(
        Reply.json({"error": {"message": f"key {PLANTED_KEY} may not use json_schema"}}, 400)
    )
    out = tmp_path / "out"

    result = live(server, src001, out, env={"OPENAI_API_KEY": PLANTED_KEY})

    assert result.exit_code == 1
    assert PLANTED_KEY not in (out / "errors.jsonl").read_text(encoding="utf-8")
    assert PLANTED_KEY not in result.stderr


def test_real_process_exit_code_and_streams_on_a_rejected_key(
    tmp_path: Path, server: ModelServer, src001: Path
) -> None:
    server.enqueue(Reply.json({"error": {"message": "Incorrect API key provided"}}, 401))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    env["OPENAI_API_KEY"] = PLANTED_KEY
    command = [sys.executable, "-c", "from summarize.cli.app import main; main()", "run"]
    args = [str(src001), "--out", str(tmp_path / "out"), "--base-url", server.base_url]

    done = subprocess.run(
        [*command, *args, "--model", "test-model"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2, done.stderr
    assert "OPENAI_API_KEY" in done.stderr
    assert "Traceback" not in done.stderr
    assert PLANTED_KEY not in done.stdout + done.stderr
