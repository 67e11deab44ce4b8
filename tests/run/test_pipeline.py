"""The pipeline (run_articles in a run session) and the manifest over real folders, a real
store and a loopback model.

Transport faults are exercised here rather than through the CLI because only ModelClient
takes a back-off: the CLI's fixed 1-30 s back-off would make these tests slow.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from model_server import ModelServer, ReceivedRequest, Reply

from summarize.core.article import Article
from summarize.core.brief import SCHEMA_VERSION, Brief
from summarize.core.results import ArticleResult, RunSummary
from summarize.model.client import FatalModelError, ModelClient
from summarize.model.prompts import PromptTemplate, load_prompt
from summarize.outdir.store import OutputStore
from summarize.run.manifest import build_manifest, manifest_articles
from summarize.run.pipeline import run_articles
from summarize.run.session import open_run
from summarize.settings import Settings

pytestmark = pytest.mark.usefixtures("isolated")

PROMPT = load_prompt()
TINY_BACKOFF = (0.001, 0.005)

MakeArticles = Callable[[Path, int], list[Path]]
Responder = Callable[[ReceivedRequest], Reply]
ArticleOf = Callable[[ReceivedRequest], tuple[str, str]]


class PerArticle:
    """A loopback model scripted per article (by file stem), answering well otherwise.

    Articles run concurrently, so one shared queue would hand replies to whichever article
    asks first; keying scripts by article keeps each article's story its own.
    """

    def __init__(self, article_of: ArticleOf, fallback: Responder) -> None:
        self._article_of = article_of
        self._fallback = fallback
        self._scripts: dict[str, deque[Reply]] = defaultdict(deque)
        self._lock = threading.Lock()
        self.asked: list[str] = []

    def script(self, stem: str, *replies: Reply) -> None:
        with self._lock:
            self._scripts[stem].extend(replies)

    def __call__(self, request: ReceivedRequest) -> Reply:
        stem = self._article_of(request)[0].rsplit("-", 1)[0]
        with self._lock:
            self.asked.append(stem)
            script = self._scripts[stem]
            reply = script.popleft() if script else None
        return reply if reply is not None else self._fallback(request)


@pytest.fixture
def script(article_of_request: ArticleOf, grounded_reply: Responder) -> PerArticle:
    return PerArticle(article_of_request, grounded_reply)


def settings_for(server: ModelServer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "test-model",
        "max_reasks": 1,
        "transport_retries": 2,
        "timeout": 5.0,
    }
    values.update(overrides)
    return Settings(**values)


def run(
    source: Path,
    out: Path,
    settings: Settings,
    *,
    prompt: PromptTemplate = PROMPT,
    concurrency: int = 2,
    force: bool = False,
    seen: list[ArticleResult] | None = None,
    keep_results: bool = True,
) -> RunSummary:
    async def go() -> RunSummary:
        client = ModelClient(settings, backoff=TINY_BACKOFF)
        try:
            store = OutputStore(out)
            with open_run(store, source, settings, prompt, keep_results=keep_results) as session:
                session.on_result = None if seen is None else seen.append
                return await run_articles(session, client, force=force, concurrency=concurrency)
        finally:
            await client.aclose()

    return asyncio.run(go())


def statuses(summary: RunSummary) -> dict[str, str]:
    return {Path(r.file).name: r.status for r in summary.results}


def test_batch_writes_a_brief_per_article_and_reports_the_bad_file(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src = tmp_path / "src"
    paths = make_articles(src, 3)
    (src / "empty.txt").write_text("  \n", encoding="utf-8")
    seen: list[ArticleResult] = []

    summary = run(src, tmp_path / "out", settings_for(good_model), seen=seen)

    assert statuses(summary) == {
        "article_00.txt": "done",
        "article_01.txt": "done",
        "article_02.txt": "done",
        "empty.txt": "failed",
    }
    (error,) = summary.errors
    assert error.stage == "ingest"
    assert error.article_id is None
    assert error.file == str(src / "empty.txt")
    assert "empty" in error.cause
    briefs = sorted(p.name for p in (tmp_path / "out" / "briefs").iterdir())
    done_ids = sorted(f"{r.article_id}.json" for r in summary.results if r.status == "done")
    assert briefs == done_ids
    assert len(good_model.requests) == len(paths)
    assert sorted(r.file for r in seen) == sorted(r.file for r in summary.results)


def test_manifest_counts_usage_and_quality(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src = tmp_path / "src"
    make_articles(src, 2)
    (src / "empty.md").write_text("", encoding="utf-8")
    settings = settings_for(good_model)

    summary = run(src, tmp_path / "out", settings)
    manifest = build_manifest(summary, settings, PROMPT, src).as_json()

    assert manifest["counts"] == {
        "articles": 3,
        "done": 2,
        "skipped": 0,
        "failed": 1,
        "not_attempted": 0,
        "interrupted": 0,
        "events": 2,
    }
    # conftest's model reports 10 prompt and 5 completion tokens per answer.
    assert manifest["usage"] == {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30}
    assert manifest["quality"] == {
        "grounding_dropped_items": 0,
        # conftest's model names "Someone", whom the cited first sentence never mentions.
        "weak_evidence_items": 2,
        "reasks": 0,
        "articles_without_event": 0,
    }
    assert manifest["model"] == "test-model"
    assert manifest["base_url"] == good_model.base_url
    assert manifest["instructor_mode"] == "json_schema"
    assert manifest["prompt_version"] == PROMPT.version
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["interrupted"] is None
    articles = manifest_articles(OutputStore(tmp_path / "out").ledger, summary.run_id or 0)
    assert sorted((a.status, a.attempts) for a in articles) == [
        ("done", 1),
        ("done", 1),
        ("failed", 0),
    ]


def test_rerun_skips_current_briefs_and_force_redoes_them(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 3)
    settings = settings_for(good_model)
    run(src, out, settings)
    asked = len(good_model.requests)
    brief_file = next((out / "briefs").iterdir())
    before = brief_file.read_bytes()

    again = run(src, out, settings)
    assert set(statuses(again).values()) == {"skipped"}
    assert len(good_model.requests) == asked
    assert brief_file.read_bytes() == before

    forced = run(src, out, settings, force=True)
    assert set(statuses(forced).values()) == {"done"}
    assert len(good_model.requests) == asked + 3


def test_resume_follows_the_ledger_not_the_files_alone(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 3)
    settings = settings_for(good_model)
    first = run(src, out, settings)
    asked = len(good_model.requests)
    edited, *_ = sorted((out / "briefs").iterdir())
    edited.write_text(edited.read_text().replace('"summary": "', '"summary": "Edited. '))

    again = run(src, out, settings)
    # Only the brief that no longer matches what the ledger recorded is made again, saying so.
    assert sorted(statuses(again).values()) == ["done", "skipped", "skipped"]
    (remade,) = again.notes
    assert remade.note == f"its brief was changed on disk since run {first.run_id}; made again"
    assert len(good_model.requests) == asked + 1
    ledger = OutputStore(out).ledger
    assert [a.status for a in manifest_articles(ledger, first.run_id or 0)] == ["done"] * 3

    (out / "ledger.sqlite").unlink()
    for leftover in out.glob("ledger.sqlite-*"):
        leftover.unlink()
    lost = run(src, out, settings)
    assert set(statuses(lost).values()) == {"done"}, "without the ledger nothing is current"
    assert len(good_model.requests) == asked + 4


def test_edited_article_changed_prompt_or_other_model_are_redone(
    tmp_path: Path, good_model: ModelServer, make_articles: MakeArticles
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    first, *_ = make_articles(src, 3)
    settings = settings_for(good_model)
    run(src, out, settings)

    first.write_text(first.read_text(encoding="utf-8") + "\nA late paragraph.\n", "utf-8")
    edited = run(src, out, settings)
    assert statuses(edited) == {
        "article_00.txt": "done",
        "article_01.txt": "skipped",
        "article_02.txt": "skipped",
    }

    changed = PromptTemplate(path=PROMPT.path, source=PROMPT.source.replace("event coder", "coder"))
    assert changed.version != PROMPT.version
    assert set(statuses(run(src, out, settings, prompt=changed)).values()) == {"done"}

    other = settings_for(good_model, model="other-model")
    assert set(statuses(run(src, out, other, prompt=changed)).values()) == {"done"}
    assert good_model.requests[-1].json()["model"] == "other-model"


def test_at_most_concurrency_articles_are_in_flight(
    tmp_path: Path, grounded_reply: Responder, make_articles: MakeArticles
) -> None:
    # Requests meet in pairs at a barrier: a run that never had two in flight breaks it.
    meet = threading.Barrier(2, timeout=10)
    lock = threading.Lock()
    in_flight = [0, 0]  # now, most

    def responder(request: ReceivedRequest) -> Reply:
        with lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight)
        try:
            meet.wait()
            return grounded_reply(request)
        finally:
            with lock:
                in_flight[0] -= 1

    make_articles(tmp_path / "src", 4)
    with ModelServer(responder=responder) as server:
        summary = run(tmp_path / "src", tmp_path / "out", settings_for(server), concurrency=2)

    assert summary.count("done") == 4
    assert in_flight[1] == 2


def test_transport_faults_are_retried_per_article_and_timeouts_fail_only_theirs(
    tmp_path: Path, script: PerArticle, make_articles: MakeArticles
) -> None:
    make_articles(tmp_path / "src", 4)
    script.script("article_00", Reply.json({"error": {"message": "busy"}}, status=503))
    script.script(
        "article_01", Reply.json({"error": {"message": "wait"}}, 429, {"retry-after": "0"})
    )
    script.script("article_02", Reply.hang_up())
    slow = Reply.json({"error": {"message": "never seen"}}, status=400).after(5.0)
    script.script("article_03", slow, slow)

    with ModelServer(responder=script) as server:
        settings = settings_for(server, timeout=0.3, transport_retries=1)
        summary = run(tmp_path / "src", tmp_path / "out", settings, concurrency=4)

    assert statuses(summary) == {
        "article_00.txt": "done",
        "article_01.txt": "done",
        "article_02.txt": "done",
        "article_03.txt": "failed",
    }
    # Each article asked twice: one fault and one retry (the timed-out one: two timeouts).
    assert sorted(script.asked) == sorted(
        ["article_00", "article_01", "article_02", "article_03"] * 2
    )
    (error,) = summary.errors
    assert error.stage == "transport"
    assert "timed out" in error.cause
    assert error.article_id is not None and error.article_id.startswith("article_03-")


def test_bad_request_fails_its_article_only(
    tmp_path: Path, script: PerArticle, make_articles: MakeArticles
) -> None:
    make_articles(tmp_path / "src", 3)
    script.script("article_01", Reply.json({"error": {"message": "context too long"}}, 400))

    with ModelServer(responder=script) as server:
        summary = run(tmp_path / "src", tmp_path / "out", settings_for(server))

    assert statuses(summary)["article_01.txt"] == "failed"
    assert summary.count("done") == 2
    (error,) = summary.errors
    assert error.stage == "request"
    assert "context too long" in error.cause


def test_fatal_error_stops_the_run_and_keeps_finished_briefs(
    tmp_path: Path, script: PerArticle, make_articles: MakeArticles
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_articles(src, 4)
    script.script("article_01", Reply.json({"error": {"message": "bad key"}}, status=401))

    with ModelServer(responder=script) as server:
        settings = settings_for(server)
        with pytest.raises(FatalModelError, match="OPENAI_API_KEY"):
            run(src, out, settings, concurrency=1)
        # Articles after the fatal one are never sent.
        assert script.asked == ["article_00", "article_01"]
        assert [p.name.split("-")[0] for p in (out / "briefs").iterdir()] == ["article_00"]

        # The next run (with the key fixed) redoes only what is missing.
        summary = run(src, out, settings, concurrency=1)
    assert statuses(summary) == {
        "article_00.txt": "skipped",
        "article_01.txt": "done",
        "article_02.txt": "done",
        "article_03.txt": "done",
    }


def test_reasks_and_dropped_items_reach_the_manifest(
    tmp_path: Path,
    server: ModelServer,
    answer001: dict[str, Any],
    reply_with: Callable[..., Reply],
    seed001: Article,
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / seed001.path.name).write_text(seed001.text, encoding="utf-8")
    invented = [31]
    answer001["events"][0]["participants"][1]["evidence"] = invented
    server.enqueue(reply_with(answer001), reply_with(answer001))
    settings = settings_for(server, max_reasks=1)

    summary = run(src, tmp_path / "out", settings, keep_results=False)
    manifest = build_manifest(summary, settings, PROMPT, src).as_json()

    assert summary.results == [], "results are counted, and kept in the ledger, not in memory"
    assert (summary.events, summary.dropped, summary.reasks) == (1, 1, 1)
    (article,) = manifest_articles(OutputStore(tmp_path / "out").ledger, summary.run_id or 0)
    assert (article.status, article.attempts) == ("done", 2)
    brief = Brief.model_validate_json(
        (tmp_path / "out" / "briefs" / f"{article.id}.json").read_text()
    )
    assert brief.provenance.attempts == 2
    assert [w.path for w in brief.warnings] == ["events[0].participants[1]"]
    assert manifest["quality"]["reasks"] == 1
    assert manifest["quality"]["grounding_dropped_items"] == 1
    assert manifest["usage"]["total_tokens"] == 30
