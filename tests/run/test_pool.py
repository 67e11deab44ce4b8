"""Worker processes (`--workers`): the same briefs, ledger and messages as a run in one
process, and a worker that dies stops the run without losing track of an article.

The model is the loopback test double (tests/model_server.py) answering grounded extractions;
the articles are the real corpus captures (fixtures/corpus, each with its source URL).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import grounded_answer_for
from model_server import ModelServer, ReceivedRequest, Reply
from test_interruptions import PATIENCE, Gate, briefs_in, finish, start
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.run.pool import WorkerPool, usable_cores, workers_for

pytestmark = pytest.mark.usefixtures("isolated")

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"


def corpus_folder(tmp_path: Path, count: int) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir())[:count]:
        (src / f"{folder.name}.txt").write_bytes((folder / "capture.txt").read_bytes())
    return src


def run(server: ModelServer, src: Path, out: Path, *extra: str) -> tuple[int, str]:
    args = [str(src), "--out", str(out), "--base-url", server.base_url, "--model", "test-model"]
    result = CliRunner().invoke(app, ["run", *args, "--concurrency", "4", *extra])
    return result.exit_code, result.stderr


def exchanges(out: Path) -> list[tuple[str, int, str]]:
    with closing(sqlite3.connect(out / "ledger.sqlite")) as db:
        rows = db.execute("SELECT article_id, attempt, outcome FROM exchanges").fetchall()
    return sorted(rows)


def test_workers_write_the_briefs_and_ledger_one_process_writes(tmp_path: Path) -> None:
    src = corpus_folder(tmp_path, 8)
    with ModelServer(responder=grounded_answer_for) as server:
        one = run(server, src, tmp_path / "one", "--workers", "1")
        two = run(server, src, tmp_path / "two", "--workers", "2")
    assert one[0] == two[0] == 0, (one, two)

    made = {p.name: p.read_bytes() for p in briefs_in(tmp_path / "one")}
    assert len(made) == 8
    assert {p.name: p.read_bytes() for p in briefs_in(tmp_path / "two")} == made
    # Every exchange a worker had is in the run's ledger, as the one process logs it.
    assert exchanges(tmp_path / "two") == exchanges(tmp_path / "one")
    assert len(exchanges(tmp_path / "two")) == 8
    manifest = json.loads((tmp_path / "two" / "run.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["done"] == 8


def answered_by_another_model(request: ReceivedRequest) -> Reply:
    reply = grounded_answer_for(request)
    body = json.loads(reply.body)
    body["model"] = "another-model"
    return replace(reply, body=json.dumps(body).encode("utf-8"))


def test_a_warning_each_worker_gives_is_given_once_for_the_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = corpus_folder(tmp_path, 8)
    with ModelServer(responder=answered_by_another_model) as server:
        code, _ = run(server, src, tmp_path / "out", "--workers", "2")
    assert code == 0
    warned = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and "another-model" in r.getMessage()
    ]
    # Both workers met the other model (4 in flight over 2 workers): the run says it once.
    assert len(warned) == 1, warned


def children_of(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8")
    return [int(n) for n in text.split()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are Linux-only")
def test_a_worker_killed_mid_run_stops_the_run_and_every_article_is_accounted_for(
    tmp_path: Path,
) -> None:
    articles = 8
    src = corpus_folder(tmp_path, articles)
    out = tmp_path / "out"
    gate = Gate(free=2)
    try:
        with ModelServer(responder=gate) as server:
            process = start(server, src, out, "--workers", "2")
            deadline = time.monotonic() + PATIENCE
            # Two briefs written, both in-flight slots (--concurrency 2) held by the model.
            while len(briefs_in(out)) < 2 or len(gate.asked) < 4:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "the run did not reach its held requests"
                time.sleep(0.01)
            workers = children_of(process.pid)
            assert len(workers) == 2
            os.kill(workers[0], signal.SIGKILL)
            code, stderr = finish(process)
    finally:
        gate.release()

    assert code == 2, stderr
    said = " ".join(stderr.split())
    assert "worker process summarize-worker-" in said and "signal 9" in said, stderr
    assert "--workers 1" in said
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    # Nothing unaccounted: the written briefs are done, the held ones failed or were stopped.
    assert counts["done"] == 2
    assert counts["done"] + counts["failed"] + counts.get("interrupted", 0) == 4
    assert manifest["interrupted"]
    for path in briefs_in(out):
        json.loads(path.read_text(encoding="utf-8"))
    with closing(sqlite3.connect(out / "ledger.sqlite")) as db:
        running = db.execute("SELECT COUNT(*) FROM articles WHERE status = 'running'").fetchone()
    assert running[0] == 0


def test_how_many_workers_a_run_gets() -> None:
    if not sys.platform.startswith("linux"):
        assert workers_for(4, 16) == 1
        return
    assert workers_for(0, 16) == min(usable_cores(), 16)
    assert workers_for(3, 16) == 3
    assert workers_for(3, 2) == 2  # never more workers than articles in flight
    assert workers_for(1, 16) == 1
    assert workers_for(0, 1) == 1


def test_the_workers_end_with_the_run(tmp_path: Path) -> None:
    src = corpus_folder(tmp_path, 4)
    with ModelServer(responder=grounded_answer_for) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
        command = [sys.executable, "-c", "from summarize.cli.app import main; main()", "run"]
        done = subprocess.run(
            [*command, str(src), "--out", str(tmp_path / "out"), "--base-url", server.base_url,
             "--model", "test-model", "--workers", "2", "--concurrency", "4"],
            env=env, capture_output=True, text=True, timeout=PATIENCE * 4, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # The next run can take the folder at once: no worker kept the lock.
    with ModelServer(responder=grounded_answer_for) as server:
        code, stderr = run(server, src, tmp_path / "out", "--workers", "2", "--force")
    assert code == 0, stderr


def test_one_article_is_done_in_the_run_s_process_and_a_jsonl_file_gets_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    start = WorkerPool.start.__func__  # type: ignore[attr-defined]

    async def counted(cls: type[WorkerPool], count: int, *args: object) -> WorkerPool:
        started.append(count)
        pool: WorkerPool = await start(cls, count, *args)
        return pool

    monkeypatch.setattr(WorkerPool, "start", classmethod(counted))
    src = corpus_folder(tmp_path, 3)
    one = sorted(src.iterdir())[0]
    records = tmp_path / "records.jsonl"
    records.write_text(
        "".join(
            json.dumps({"text": p.read_text(encoding="utf-8"), "url": f"https://example.org/{n}"})
            + "\n"
            for n, p in enumerate(sorted(src.iterdir()))
        ),
        encoding="utf-8",
    )
    with ModelServer(responder=grounded_answer_for) as server:
        code, stderr = run(server, one, tmp_path / "one", "--workers", "2")
        assert (code, started) == (0, []), stderr  # a worker's start would cost more than it saves
        code, stderr = run(server, records, tmp_path / "records", "--workers", "2")
    assert code == 0, stderr
    assert started == [2]  # one file counted, three records in it
    assert len(briefs_in(tmp_path / "records")) == 3
