"""`batch ingest`: a results file -> briefs, inside the shared run session.

The session (`summarize.run.session`) owns the folder, the ledger, triage and run.json; this
module only finds each article's answer in the results file and turns it into a brief.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from summarize.batch.answers import AnswerError, brief_from_completion
from summarize.batch.errors import BatchError
from summarize.batch.lines import IngestPlan, ResultLine, parse_result_line, requests_meta_path
from summarize.core.article import Article
from summarize.core.finish import LeakedInstructions
from summarize.core.results import ArticleResult, ErrorRecord, RunSummary, Stage, Status
from summarize.model.prompts import PromptTemplate, article_messages
from summarize.outdir.manifest import BatchSource, RunManifest
from summarize.run.manifest import build_manifest
from summarize.run.session import RunSession
from summarize.settings import Settings


def read_plan(requests: Path) -> IngestPlan:
    """The plan `prepare` recorded next to a requests file."""
    path = requests_meta_path(requests)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BatchError(
            f"{path} not found: it is written by `summarize batch prepare` next to {requests}"
        ) from None
    except (OSError, ValueError) as exc:
        raise BatchError(f"cannot read {path}: {exc}") from None
    if not isinstance(meta, dict):
        raise BatchError(f"{path} is not a summarize requests description")
    return IngestPlan.from_meta(meta, str(path))


@dataclass
class ResultIndex:
    """Where each article's answer sits in a results file: offsets, not contents."""

    path: Path
    offsets: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # id -> off, len, no
    errors: list[ErrorRecord] = field(default_factory=list)
    lines: int = 0

    @classmethod
    def build(cls, path: Path) -> ResultIndex:
        index = cls(path)
        ok: set[str] = set()
        offset = 0
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                start, offset = offset, offset + len(raw)
                if not raw.strip():
                    continue
                index.lines += 1
                line = parse_result_line(raw)
                if line.custom_id is None:
                    where = f"{path}:{number}"
                    index.errors.append(ErrorRecord(None, where, Stage.BATCH, line.error or ""))
                    continue
                # An answer beats an error for the same id (an output file and an error file
                # fetched together, or a retried batch appended); otherwise the last line wins.
                if line.ok or line.custom_id not in ok:
                    index.offsets[line.custom_id] = (start, len(raw), number)
                if line.ok:
                    ok.add(line.custom_id)
        return index

    def read(self, handle: IO[bytes], custom_id: str) -> tuple[ResultLine, str]:
        start, length, number = self.offsets[custom_id]
        handle.seek(start)
        return parse_result_line(handle.read(length)), f"{self.path}:{number}"


@dataclass
class IngestSummary:
    """What an ingest did. Briefs are counted, not kept: memory must not follow the batch."""

    run: RunSummary
    unanswered: int = 0
    unknown_ids: int = 0
    result_lines: int = 0


def ingest(
    session: RunSession,
    results: Path,
    plan: IngestPlan,
    *,
    force: bool = False,
    max_output_tokens: int | None = None,
    summary: IngestSummary | None = None,
) -> IngestSummary:
    """Turn a batch results file into briefs in the session's folder, as `run` writes them.

    Walks the session's source one article at a time and reads only that article's line, so
    memory follows the id index, not the texts. Articles the session says need no model
    (current briefs, repeats, unreadable files) are settled as in `run`.
    """
    summary = summary if summary is not None else IngestSummary(session.summary)
    clock = time.perf_counter()
    try:
        index = ResultIndex.build(results)
        summary.result_lines = index.lines
        for e in index.errors:
            session.record(ArticleResult(None, e.file, Status.FAILED, error=e))
        seen: set[str] = set()
        with results.open("rb") as handle:
            # As `run` reads them: pages from the folder's pages/ store, files not read listed.
            for item in session.articles(None):
                triaged = session.triage(item, model=plan.model, force=force, max_chars=None)
                result = (
                    triaged
                    if isinstance(triaged, ArticleResult)
                    else _ingest_one(
                        triaged.article, index, handle, session, plan, max_output_tokens
                    )
                )
                summary.unanswered += result.status == Status.NOT_ATTEMPTED
                if result.article_id is not None:
                    seen.add(result.article_id)
                session.record(result)
        _record_unknown_ids(session, index, seen, summary)
    except asyncio.CancelledError:
        summary.run.interrupted = "cancelled"
        raise
    except OSError as exc:
        summary.run.interrupted = f"could not write to the output folder: {exc}"
        raise
    finally:
        summary.run.seconds = time.perf_counter() - clock
    return summary


def _record_unknown_ids(
    session: RunSession, index: ResultIndex, seen: set[str], summary: IngestSummary
) -> None:
    """Fail each result that names no article of the source, so that none goes unseen."""
    for custom_id in sorted(index.offsets.keys() - seen):
        summary.unknown_ids += 1
        _, _, number = index.offsets[custom_id]
        error = ErrorRecord(
            custom_id,
            f"{index.path}:{number}",
            Stage.ARTICLE,
            f"no article with id {custom_id} under {session.source}: its text changed "
            "since prepare (the id holds a content hash) or --src is not the prepared folder",
        )
        session.record(ArticleResult(custom_id, error.file, Status.FAILED, error=error))


def _ingest_one(
    item: Article,
    index: ResultIndex,
    handle: IO[bytes],
    session: RunSession,
    plan: IngestPlan,
    max_output_tokens: int | None,
) -> ArticleResult:
    file = item.file
    if item.id not in index.offsets:
        # Perhaps in another batch's results: listed, so that nothing goes missing unseen.
        note = f"no result for it in {index.path.name}"
        return ArticleResult(item.id, file, Status.NOT_ATTEMPTED, note=note, sha256=item.sha256)
    started = time.perf_counter()
    line, where = index.read(handle, item.id)
    session.ledger.add_batch_answer(session.run_id, item.id, where, line.completion, line.error)
    try:
        if line.completion is None:
            raise AnswerError(Stage.BATCH, f"{where}: {line.error}")
        instructions = article_messages(session.prompt, item)[0]["content"]
        brief = brief_from_completion(line.completion, item, plan, instructions, max_output_tokens)
    except (AnswerError, LeakedInstructions) as exc:
        error = ErrorRecord(item.id, file, exc.stage, str(exc))
        return ArticleResult(
            article_id=item.id,
            file=file,
            status=Status.FAILED,
            seconds=time.perf_counter() - started,
            error=error,
            sha256=item.sha256,
            usage=exc.usage,  # the answer is paid for even when it fails
            attempts=1,
        )
    written = session.store.write_brief(brief)
    return ArticleResult(
        article_id=item.id,
        file=file,
        status=Status.DONE,
        seconds=time.perf_counter() - started,
        usage=brief.provenance.usage,
        attempts=1,
        events=len(brief.events),
        dropped=brief.warned("dropped"),
        weak=brief.warned("weak"),
        sha256=item.sha256,
        brief_sha256=written,
    )


def ingest_manifest(
    summary: IngestSummary,
    settings: Settings,
    prompt: PromptTemplate,
    plan: IngestPlan,
    src: Path | str,
    results: Path,
) -> RunManifest:
    """`run.json` for an ingest: the run manifest, with what the batch was prepared with."""
    stamped = settings.model_copy(
        update={"model": plan.model, "mode": plan.mode, "base_url": settings.base_url}
    )
    manifest = build_manifest(summary.run, stamped, prompt, src)
    return manifest.model_copy(
        update={
            "prompt_file": plan.prompt_file,
            "prompt_version": plan.prompt_version,
            "recording": "batch",
            "batch": BatchSource(
                results=str(results),
                result_lines=summary.result_lines,
                articles_without_result=summary.unanswered,
                results_without_article=summary.unknown_ids,
            ),
        }
    )
