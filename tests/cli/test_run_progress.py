"""What `summarize run` says while it runs and when it ends, as real processes: under a
pseudo-terminal (a live bar with a total, then the summary) and through a pipe (plain lines),
with --json and --quiet, against a loopback model."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from batch_steps import cli as batch_cli
from conftest import article_of, grounded_answer_for, write_articles
from model_server import ModelServer, ReceivedRequest, Reply

COMMAND = [sys.executable, "-c", "from summarize.cli.app import main; main()"]
MakeArticles = Callable[[Path, int], list[Path]]


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SUMMARIZE_", "OPENAI_")) and k not in ("NO_COLOR", "TERM")
    }
    return {**env, "OPENAI_API_KEY": "sk-test-progress", "TERM": "xterm-256color", **extra}


def summarize(*args: str | Path, terminal: bool = False, **env: str) -> Ran:
    """Run summarize; stderr on a pseudo-terminal (80 columns) with `terminal`, else a pipe.
    stdout is always a pipe, as a script reading --json would have it."""
    argv = [*COMMAND, *map(str, args)]
    if not terminal:
        done = subprocess.run(
            argv, env=_env(**env), capture_output=True, text=True, timeout=120, check=False
        )
        return Ran(done.returncode, done.stdout, done.stderr)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        argv, env=_env(**env), stdout=subprocess.PIPE, stderr=follower, stdin=follower
    )
    os.close(follower)
    seen = bytearray()
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            process.kill()
            pytest.fail("no output from the run in 120 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert process.stdout is not None
    stdout = process.stdout.read().decode("utf-8")
    process.wait(timeout=60)
    return Ran(process.returncode, stdout, seen.decode("utf-8", errors="replace"))


def run(server: ModelServer, src: Path, out: Path, *extra: str, **kw: Any) -> Ran:
    return summarize(
        "run",
        src,
        "--out",
        out,
        "--base-url",
        server.base_url,
        "--model",
        "test-model",
        *extra,
        **kw,
    )


def plain(text: str) -> str:
    return " ".join(text.split())


def refuse_article_01(request: ReceivedRequest) -> Reply:
    """A model that answers every article well but refuses article_01 (HTTP 400)."""
    article_id, _ = article_of(request)
    if article_id.startswith("article_01"):
        return Reply.json({"error": {"message": "this request is not allowed"}}, 400)
    return grounded_answer_for(request)


def test_on_a_terminal_a_bar_shows_the_total_then_the_run_ends_with_a_summary(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    make_articles(tmp_path / "src", 3)

    ran = run(good_model, tmp_path / "src", tmp_path / "out", terminal=True)

    assert ran.code == 0, ran.stderr
    assert "\x1b[" in ran.stderr, "a live display on a terminal"
    assert "3/3" in ran.stderr and "eta" in ran.stderr
    assert "0/3" in ran.stderr or "1/3" in ran.stderr, "the total is known from the start"
    summary = ran.stderr.index("run 1: 3 done, 0 skipped, 0 failed (3 events) of 3 articles")
    assert ran.stderr.rindex("3/3") < summary, "the summary comes after the progress"
    after = plain(ran.stderr[summary:])
    assert f"summarize memo {tmp_path / 'out'}" in after
    assert f"summarize review {tmp_path / 'out'}" in after
    assert ran.stdout == ""


@pytest.mark.parametrize(
    ("terminal", "env"),
    [(False, {}), (True, {"NO_COLOR": "1"}), (True, {"TERM": "dumb"})],
    ids=["pipe", "no-color", "dumb-terminal"],
)
def test_without_a_live_terminal_progress_is_plain_lines(
    tmp_path: Path,
    good_model: ModelServer,
    make_articles: MakeArticles,
    terminal: bool,
    env: dict[str, str],
) -> None:
    src = tmp_path / "src"
    make_articles(src, 2)
    # Two inputs counted by name; the JSONL file turns out to hold three articles.
    records = [{"text": f"Envoy {n} met Minister {n} in Oslo on Monday."} for n in range(3)]
    (src / "more.jsonl").write_text("\n".join(map(json.dumps, records)), encoding="utf-8")
    (src / "article_01.txt").unlink()

    ran = run(good_model, src, tmp_path / "out", terminal=terminal, **env)

    assert ran.code == 0, ran.stderr
    text = ran.stderr.replace("\r\n", "\n")  # a terminal's line discipline adds the \r
    assert "\x1b" not in text and "\r" not in text, "no control characters"
    lines = text.splitlines()
    assert lines[0] == "summarize: 2 to do"
    progress = [line for line in lines[1:] if line.startswith("summarize: ")]
    assert progress[-1].startswith("summarize: 4/4 (0 failed), ")
    assert all(" elapsed" in line for line in progress)
    assert "run 1: 4 done, 0 skipped, 0 failed (4 events) of 4 articles" in text


def test_json_prints_one_document_that_matches_run_json(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    make_articles(tmp_path / "src", 2)
    out = tmp_path / "out"

    ran = run(good_model, tmp_path / "src", out, "--json")

    assert ran.code == 0, ran.stderr
    document = json.loads(ran.stdout)
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    del manifest["articles"]
    assert {k: document[k] for k in manifest} == manifest
    assert (document["run"], document["exit_code"]) == (1, 0)
    assert document["failures"] == {"total": 0, "not_shown": 0, "groups": []}
    assert document["outputs"]["briefs"] == str(out / "briefs")
    assert document["next"] == [f"summarize memo {out}", f"summarize review {out}"]
    assert "run 1: 2 done" in ran.stderr, "the human summary stays on stderr"


def test_a_failing_article_is_named_with_its_cause_in_the_summary_json_and_log(
    tmp_path: Path, make_articles: MakeArticles
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 3)
    with ModelServer(responder=refuse_article_01) as server:
        ran = run(server, src, out, "--json")

    assert ran.code == 1, ran.stderr
    said = plain(ran.stderr)
    assert "run 1: 2 done, 0 skipped, 1 failed (2 events) of 3 articles" in said
    (error,) = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert f"1 failed, by cause: request {src / 'article_01.txt'}: {error['cause']}" in said
    assert "this request is not allowed" in error["cause"]
    assert f"every failure with its cause: {out / 'errors.jsonl'}" in said
    assert f"summarize run {src} --out {out}" in said, "the next command redoes the failed one"
    groups = json.loads(ran.stdout)["failures"]["groups"]
    assert groups == [
        {
            "stage": "request",
            "cause": error["cause"],
            "count": 1,
            "files": [str(src / "article_01.txt")],
        }
    ]

    # A later run rewrites run.json and errors.jsonl; the log still has run 1's summary.
    with ModelServer(responder=grounded_answer_for) as server:
        again = run(server, src, out, "--json")
    assert again.code == 0, again.stderr
    logged = summarize("log", out, "--run", "1")
    assert logged.code == 0, logged.stderr
    shown = plain(logged.stdout)
    assert "run 1: 2 done, 0 skipped, 1 failed (2 events) of 3 articles" in shown
    assert f"request {src / 'article_01.txt'}: {error['cause']}" in shown
    as_json = json.loads(summarize("log", out, "--run", "1", "--json").stdout)["summary"]
    first = json.loads(ran.stdout)
    assert {k: as_json[k] for k in ("counts", "usage", "quality", "skipped")} == {
        k: first[k] for k in ("counts", "usage", "quality", "skipped")
    }
    assert as_json["failures"] == first["failures"]


def test_quiet_prints_only_errors(tmp_path: Path, make_articles: MakeArticles) -> None:
    src = tmp_path / "src"
    make_articles(src, 3)
    with ModelServer(responder=refuse_article_01) as server:
        failing = run(server, src, tmp_path / "out", "--quiet")

    assert failing.code == 1
    said = plain(failing.stderr)
    assert said.startswith(f"1 failed, by cause: request {src / 'article_01.txt'}: ")
    assert "summarize:" not in said and "run 1" not in said and "next:" not in said
    assert failing.stdout == ""


def test_a_run_where_all_succeeds_quietly_prints_nothing(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    make_articles(tmp_path / "src", 2)
    ran = run(good_model, tmp_path / "src", tmp_path / "out", "--quiet")
    assert (ran.code, ran.stdout, ran.stderr) == (0, "", "")


def test_the_command_to_run_again_is_the_one_typed_without_force(
    tmp_path: Path, make_articles: MakeArticles
) -> None:
    script = Path(sys.executable).with_name("summarize")
    if not script.exists():
        pytest.skip(f"the summarize command is not installed beside {sys.executable}")
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 2)  # article_01 is refused: one is left to do
    with ModelServer(responder=refuse_article_01) as server:
        args = [str(src), "--out", str(out), "--base-url", server.base_url]
        done = subprocess.run(
            [str(script), "run", *args, "--model", "test-model", "--force", "--max-reasks", "0"],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    typed = f"summarize run {src} --out {out} --base-url {server.base_url} --model test-model"
    assert f"{typed} --max-reasks 0  (again: what is done is skipped)" in done.stderr, done.stderr


def test_eval_shows_its_progress_with_a_total(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [*COMMAND, "eval", "--report", str(tmp_path / "report.json")],
        env=_env(),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "eval: 5 to do" in done.stderr
    assert "eval: 5/5 (0 failed)" in done.stderr
    assert "\x1b" not in done.stderr  # a pipe gets plain lines


def test_batch_ingest_shows_its_progress_with_a_total(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_articles(src, 3)
    requests = tmp_path / "requests.jsonl"
    prepared = batch_cli("batch", "prepare", src, "--out", requests, "--model", "m")
    assert prepared.exit_code == 0, prepared.output
    results = tmp_path / "results.jsonl"
    results.write_text("", encoding="utf-8")
    done = subprocess.run(
        [
            *(*COMMAND, "batch", "ingest", str(results), "--src", str(src)),
            *("--requests", str(requests), "--out", str(tmp_path / "out")),
        ],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "batch ingest: 3 to do" in done.stderr, done.stderr
    assert "batch ingest: 3/3" in done.stderr, done.stderr
