"""Real run output folders for the review tests (the seeds replayed by `summarize run`), and
the review app served on a loopback port in a thread.

Shared by tests/review/, tests/memo/ and tests/evaluation/ tests of reviews.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from memo_briefs import Article
from run_files import write_run_json
from typer.testing import CliRunner, Result

from summarize.cli.app import app
from summarize.core.brief import Brief
from summarize.review.server import bind, make_server, url_of

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "fixtures" / "recordings"
# Seed 003 (the 2016 G20 sidelines meeting) and seed 001 (the July 2012 call): their replayed
# briefs have participants kept on weak evidence, and 001 has initiators dropped.
SEED_MEETING = "003_41b868dbc988e1ab"
SEED_CALL = "001_9e3b4aafea83a794"


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def replay_run(articles: Path, out: Path, *more: str) -> Result:
    """`summarize run ARTICLES --replay --out OUT` on the shipped recordings."""
    return cli("run", articles, "--replay", "--recordings", RECORDINGS, "--out", out, *more)


def seed_run(tmp_path: Path, *, seeds: tuple[str, ...] = (SEED_MEETING, SEED_CALL)) -> Path:
    """A real run output of some seed articles (copied, so a test may change their text)."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for stem in seeds:
        shutil.copy(ROOT / "seeds" / f"{stem}.txt", articles / f"{stem}.txt")
    out = tmp_path / "out"
    result = replay_run(articles, out)
    assert result.exit_code == 0, result.output
    return out


def article_id(out: Path, stem: str) -> str:
    (path,) = (out / "briefs").glob(f"{stem}-*.json")
    return path.stem


@contextmanager
def serving(out: Path, reviewer: str = "Test Reviewer") -> Iterator[str]:
    """The review app for `out` on 127.0.0.1 (any free port); yields its URL."""
    server = make_server(out, reviewer)
    sock = bind(0)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:  # readiness, not timing: nothing asserts how long it took
            if not thread.is_alive():
                raise RuntimeError("the review server stopped before it started")
            time.sleep(0.01)
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def hand_run(tmp_path: Path, stem: str, text: str, brief_of: Callable[[Article], Brief]) -> Path:
    """A run output written by hand for an article no recording answers: its file, its brief
    and a run.json listing it, laid out as `summarize run` lays them out."""
    articles = tmp_path / "articles"
    articles.mkdir(exist_ok=True)
    path = articles / f"{stem}.txt"
    path.write_text(text, encoding="utf-8")
    article = Article(stem, text)
    out = tmp_path / "out"
    (out / "briefs").mkdir(parents=True, exist_ok=True)
    brief = brief_of(article)
    (out / "briefs" / f"{brief.article_id}.json").write_text(
        brief.model_dump_json(indent=2), encoding="utf-8"
    )
    entry = {"id": article.id, "file": str(path), "status": "done", "note": None}
    write_run_json(out, [entry], source=str(articles))
    return out


def cli_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`summarize ARGS` in a process of its own (where an event loop already runs here)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", "from summarize.cli import main; main()"]
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, env=env, check=False
    )


CORPUS = ROOT / "fixtures" / "corpus"


def corpus_run(tmp_path: Path, count: int) -> Path:
    """A run output over `count` real articles of fixtures/corpus, laid out as `summarize run`
    lays it out, whose briefs are the corpus's hand annotations (fixtures/corpus/golden):
    a test double for a model's briefs, for reviewing many articles with no recording."""
    names = sorted(p.stem for p in (CORPUS / "golden").glob("*.json"))[:count]
    if len(names) < count:
        raise ValueError(f"the corpus has {len(names)} annotated articles, not {count}")
    out = tmp_path / "out"
    (out / "briefs").mkdir(parents=True)
    entries = []
    for name in names:
        folder = tmp_path / "articles" / name
        folder.mkdir(parents=True)
        shutil.copy(CORPUS / name / "capture.txt", folder / "capture.txt")
        golden = (CORPUS / "golden" / f"{name}.json").read_bytes()
        brief = Brief.model_validate_json(golden)
        (out / "briefs" / f"{brief.article_id}.json").write_bytes(golden)
        entries.append(
            {"id": brief.article_id, "file": str(folder / "capture.txt"), "status": "done"}
        )
    write_run_json(out, entries, source=str(tmp_path))
    return out
