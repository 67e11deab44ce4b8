"""Interrupted runs, for real: `summarize run` as a subprocess, killed or stopped mid-run.

The loopback model answers the first few requests and holds every later one until the test
lets go, so "mid-run" is a known state (N briefs written, the rest in flight), not a race.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from conftest import article_of, grounded_answer_for, write_articles
from model_server import ModelServer, ReceivedRequest, Reply
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.brief import Brief
from summarize.model.cassettes import Cassette

pytestmark = pytest.mark.usefixtures("isolated")

ARTICLES = 8
# A guard for waits that should end in well under a second; never a pass/fail timing.
PATIENCE = 30.0
# Held requests wait longer than that guard: a run that waited for them would trip it.
HOLD = 4 * PATIENCE
COMMAND = [sys.executable, "-c", "from summarize.cli.app import main; main()", "run"]


class Gate:
    """A model that answers `free` requests, then holds the rest until `release()`."""

    def __init__(self, free: int) -> None:
        self._free = free
        self._lock = threading.Lock()
        self._open = threading.Event()
        self.asked: list[str] = []

    def __call__(self, request: ReceivedRequest) -> Reply:
        with self._lock:
            self.asked.append(article_of(request)[0])
            held = len(self.asked) > self._free
        if held:
            self._open.wait(HOLD)
        return grounded_answer_for(request)

    def release(self) -> None:
        self._open.set()


@pytest.fixture
def gate() -> Iterator[Gate]:
    held = Gate(free=3)
    yield held
    held.release()  # let the server's waiting threads end


def start(server: ModelServer, src: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    env["OPENAI_API_KEY"] = "sk-test-interruptions-0123456789"
    args = [str(src), "--out", str(out), "--base-url", server.base_url, "--model", "test-model"]
    return subprocess.Popen(
        [*COMMAND, *args, "--concurrency", "2", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_signals,
    )


def default_signals() -> None:
    """The run's own signal state, whatever pytest was started with: a background job (or a
    CI runner) starts with SIGINT ignored, and a process inherits that, so Ctrl-C would not
    reach the run under test."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def briefs_in(out: Path) -> list[Path]:
    folder = out / "briefs"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def wait_until(process: subprocess.Popen[str], out: Path, gate: Gate, briefs: int) -> None:
    """Until `briefs` briefs are written and the next two articles are held in flight."""
    deadline = time.monotonic() + PATIENCE
    while len(briefs_in(out)) < briefs or len(gate.asked) < briefs + 2:
        if process.poll() is not None:
            _, stderr = process.communicate()
            pytest.fail(f"the run ended early ({process.returncode}): {stderr}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {briefs} briefs after {PATIENCE}s")
        time.sleep(0.01)


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, stderr = process.communicate(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the run did not stop")
    return process.returncode, stderr


def assert_every_file_is_whole(*roots: Path) -> list[Path]:
    """Each file under `roots` is complete data, or a write's temp file; returns the latter."""
    temp = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if path.name == ".lock":
                continue
            if re.fullmatch(r"\..+\.json\.[a-z0-9_]+\.tmp", path.name):
                temp.append(path)  # an atomic write cut short; never read (not *.json)
                continue
            if path.name.endswith(("-journal", "-wal", "-shm")):
                continue  # SQLite's own crash safety: rolled back on the next open
            if path.suffix == ".sqlite":
                with closing(sqlite3.connect(path)) as db:
                    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", path
                continue
            text = path.read_text(encoding="utf-8")
            if path.parent.name == "briefs":
                Brief.model_validate_json(text)
            elif root.name == "recordings":
                Cassette.from_text(text, str(path))
            elif path.suffix == ".jsonl":
                for line in text.splitlines():
                    json.loads(line)
            else:
                assert path.suffix == ".json", path
                json.loads(text)
    return temp


def test_sigkill_mid_run_leaves_whole_files_and_the_rerun_does_only_the_rest(
    tmp_path: Path, gate: Gate
) -> None:
    src, out, recordings = tmp_path / "src", tmp_path / "out", tmp_path / "recordings"
    write_articles(src, ARTICLES)
    with ModelServer(responder=gate) as server:
        record = ("--record", "--recordings", str(recordings))
        process = start(server, src, out, *record)
        wait_until(process, out, gate, briefs=3)
        process.send_signal(signal.SIGKILL)
        code, _ = finish(process)
        assert code == -signal.SIGKILL

        # Two articles were in flight: asked, never answered.
        assert len(gate.asked) == 5
        kept = {p.stem for p in briefs_in(out)}
        assert len(kept) == 3
        assert_every_file_is_whole(out, recordings)
        assert {p.stem for p in recordings.glob("*.json")} == kept

        gate.release()
        asked_before = len(gate.asked)
        rerun = start(server, src, out, *record)
        code, stderr = finish(rerun)

    assert code == 0, stderr
    again = gate.asked[asked_before:]
    assert len(again) == ARTICLES - 3
    assert not set(again) & kept
    assert len(briefs_in(out)) == ARTICLES
    assert assert_every_file_is_whole(out, recordings) == []
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["skipped"] == 3
    assert manifest["counts"]["done"] == ARTICLES - 3
    assert manifest["interrupted"] is None


@pytest.mark.parametrize(
    ("sent", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "term"]
)
def test_a_stop_signal_ends_the_run_quietly_and_records_it(
    tmp_path: Path, gate: Gate, sent: signal.Signals, exit_code: int
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_articles(src, ARTICLES)
    with ModelServer(responder=gate) as server:
        process = start(server, src, out)
        wait_until(process, out, gate, briefs=3)
        process.send_signal(sent)
        # The two held requests would wait HOLD seconds: ending within PATIENCE means they were
        # cancelled, not waited for.
        code, stderr = finish(process)

    assert code == exit_code
    assert "Traceback" not in stderr
    message = " ".join(stderr.split())
    assert "run 1 interrupted: 3 done, 0 skipped, 0 failed, 2 interrupted" in message
    assert "interrupted: cancelled (Ctrl-C or SIGTERM); run the same command again" in message
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] == "cancelled (Ctrl-C or SIGTERM)"
    # The manifest accounts for every brief on disk, and only those.
    done = sorted(a["id"] for a in manifest["articles"] if a["status"] == "done")
    assert done == [p.stem for p in briefs_in(out)]
    # The two held requests were in flight: listed, so the user sees what the rerun will redo.
    cut = [a["file"] for a in manifest["articles"] if a["status"] == "interrupted"]
    assert len(cut) == manifest["counts"]["interrupted"] == 2
    assert (out / "errors.jsonl").read_text(encoding="utf-8") == ""
    assert assert_every_file_is_whole(out) == []


def test_temp_files_of_a_killed_write_are_removed_by_the_next_run(
    tmp_path: Path, good_model: ModelServer
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_articles(src, 2)
    (out / "briefs").mkdir(parents=True)
    # Named as write_text_atomic names them; a SIGKILL between its create and rename leaves them.
    left = []
    for folder, name in [(out / "briefs", "article_00-0123abcd.json"), (out, "run.json")]:
        fd, path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        os.write(fd, b'{"article_id": "half a bri')
        os.close(fd)
        left.append(Path(path))
    unrelated = out / "notes.tmp"
    unrelated.write_text("mine", encoding="utf-8")

    result = CliRunner().invoke(
        app, ["run", str(src), "--out", str(out), "--base-url", good_model.base_url, "--model", "m"]
    )

    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in left)
    assert unrelated.read_text(encoding="utf-8") == "mine"
    assert len(briefs_in(out)) == 2


def test_two_runs_into_one_folder_at_once_one_is_refused(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_articles(src, 4)
    held = Gate(free=0)  # the run that gets the lock stays busy until both have started
    with ModelServer(responder=held) as server:
        runs = [start(server, src, out), start(server, src, out)]
        deadline = time.monotonic() + PATIENCE
        while all(run.poll() is None for run in runs) and time.monotonic() < deadline:
            time.sleep(0.01)
        (loser,) = [run for run in runs if run.poll() is not None]
        (winner,) = [run for run in runs if run is not loser]
        lost_code, lost_stderr = finish(loser)
        held.release()
        won_code, won_stderr = finish(winner)

    assert lost_code == 2, lost_stderr
    message = " ".join(lost_stderr.split())
    holder = re.search(r"another summarize run \(pid (\w+)\) is writing to (\S+):", message)
    assert holder is not None, message
    assert holder.group(1) in {str(winner.pid), "unknown"}
    assert holder.group(2) == str(out)
    assert "choose another --out" in message
    assert "Traceback" not in lost_stderr

    assert won_code == 0, won_stderr
    assert len(held.asked) == 4  # the refused run asked nothing
    assert assert_every_file_is_whole(out) == []
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["done"] == 4
    assert len(briefs_in(out)) == 4
