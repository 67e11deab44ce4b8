"""Ctrl-C and SIGTERM stop a run while it waits for a slow site, at once: the run records
what it did and exits 130/143, as it does while it waits for the model."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from documents import GOOD_LINES, article_page
from model_server import ModelServer
from web_site import WebSite, html

pytestmark = pytest.mark.usefixtures("isolated")

# A guard for waits that should end in well under a second; never a pass/fail timing.
PATIENCE = 30.0
# Starting Python and importing summarize on a busy machine can take many seconds.
START_UP = 10 * PATIENCE
COMMAND = [sys.executable, "-c", "from summarize.cli.app import main; main()", "run"]


def default_signals() -> None:
    """The run's own signal state, whatever pytest was started with (see test_interruptions)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@pytest.fixture
def slow_site() -> Iterator[WebSite]:
    # Answers after far longer than the guard: a run that waited for it would trip it.
    with WebSite({"/slow": html(article_page("Slow", GOOD_LINES)).after(2 * START_UP)}) as site:
        yield site


@pytest.mark.parametrize(
    ("sent", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "term"]
)
def test_a_stop_signal_ends_a_run_waiting_for_a_page(
    tmp_path: Path,
    slow_site: WebSite,
    good_model: ModelServer,
    sent: signal.Signals,
    exit_code: int,
) -> None:
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    args = [slow_site.url("/slow"), "--out", str(out), "--base-url", good_model.base_url]
    process = subprocess.Popen(
        [*COMMAND, *args, "--model", "m", "--fetch-timeout", str(4 * START_UP)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        preexec_fn=default_signals,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    threading.Thread(target=lambda: [lines.put(x) for x in process.stderr], daemon=True).start()
    try:
        seen = ""
        while "fetching" not in seen:
            seen += lines.get(timeout=START_UP)
        while slow_site.hits("/slow") == 0:  # the request is out: the run waits for the page
            threading.Event().wait(0.01)
        process.send_signal(sent)
        code = process.wait(timeout=PATIENCE)
    finally:
        process.kill()
    assert code == exit_code
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    stderr = seen + "".join(rest)
    assert "Traceback" not in stderr
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] == "cancelled (Ctrl-C or SIGTERM)"
