"""Provider batch engines: the live requests out as Batch API JSONL, the answers back as briefs.

`prepare` does not build requests itself: it runs the real `ModelClient` (openai SDK +
instructor) over a transport that keeps each request and stops it, so every line carries the
bytes a live `run` would send. `ingest` parses each answer the way instructor does for the
same mode and assembles the brief the way `run` does, with one attempt and no re-ask.
`submit`, `status` and `fetch` move the files through the openai SDK's files and batches APIs;
the same JSONL also runs on `vllm run-batch`.

Pure core: request lines, result lines, completion -> brief. Shell: files, network, the store.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

import httpx2
import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorError
from instructor.processing.response import process_response
from instructor.v2.core.response_model import prepare_response_model
from openai.types import Batch
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from summarize import __version__
from summarize.atomic import write_text_atomic
from summarize.core.article import Article, IngestError, printable
from summarize.core.assemble import assemble_brief
from summarize.core.brief import SCHEMA_VERSION, Brief, Provenance, Usage
from summarize.core.extraction import Extraction
from summarize.core.results import ArticleResult, ErrorRecord, RunSummary, Stage, Status
from summarize.model.client import ModelClient, ModelError, usage_of
from summarize.model.prompts import PromptTemplate
from summarize.model.recording import HEADER_ARTICLE
from summarize.run.pipeline import build_manifest, log_article
from summarize.run.store import OutputStore
from summarize.settings import InstructorMode, Settings
from summarize.sources.read import iter_articles

BATCH_URL: Final = "/v1/chat/completions"
# The Batch API only needs a path; the client needs some URL to build requests against.
PLACEHOLDER_BASE_URL: Final = "http://batch.invalid/v1"
META_SUFFIX: Final = ".meta.json"

_MODES: Final = {
    InstructorMode.TOOLS: instructor.Mode.TOOLS,
    InstructorMode.JSON_SCHEMA: instructor.Mode.JSON_SCHEMA,
    InstructorMode.JSON: instructor.Mode.JSON,
}
# What the Batch API calls a finished batch; anything else is still running or failed.
DONE_STATUSES: Final = frozenset({"completed"})
FAILED_STATUSES: Final = frozenset({"failed", "expired", "cancelled"})


class BatchError(Exception):
    """A batch step that cannot go on; the message says why and what to do."""


# -- pure core ----------------------------------------------------------------------------------


def request_line(custom_id: str, body: bytes) -> bytes:
    """One Batch API request line around `body`, kept byte for byte as the client wrote it."""
    head = json.dumps({"custom_id": custom_id, "method": "POST", "url": BATCH_URL})
    # The SDK writes compact JSON, which never holds a raw newline; anything else is re-encoded.
    if b"\n" in body or b"\r" in body:
        body = json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    return head[:-1].encode("utf-8") + b', "body": ' + body + b"}\n"


def requests_meta_path(requests: Path) -> Path:
    """Where `prepare` describes a requests file: `requests.jsonl` -> `requests.meta.json`."""
    return requests.with_name(requests.name.removesuffix(".jsonl") + META_SUFFIX)


@dataclass(frozen=True)
class IngestPlan:
    """What the requests were made with: needed to parse answers and stamp provenance."""

    model: str
    mode: InstructorMode
    prompt_version: str
    prompt_file: str

    @classmethod
    def from_meta(cls, meta: dict[str, Any], where: str) -> IngestPlan:
        try:
            return cls(
                model=str(meta["model"]),
                mode=InstructorMode(meta["instructor_mode"]),
                prompt_version=str(meta["prompt_version"]),
                prompt_file=str(meta["prompt_file"]),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise BatchError(f"{where} is not a summarize requests description: {exc!r}") from None


@dataclass(frozen=True)
class ResultLine:
    """One line of a batch output or error file."""

    custom_id: str | None
    completion: dict[str, Any] | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.completion is not None


def parse_result_line(text: str | bytes) -> ResultLine:
    """Read a result line (OpenAI Batch API or `vllm run-batch`); problems become `error`."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return ResultLine(None, error=f"the result line is not JSON ({exc})")
    if not isinstance(data, dict):
        return ResultLine(None, error="the result line is not a JSON object")
    custom_id = data.get("custom_id")
    custom_id = custom_id if isinstance(custom_id, str) and custom_id else None
    if custom_id is None:
        return ResultLine(None, error="the result line has no custom_id")
    if data.get("error"):
        return ResultLine(
            custom_id, error=f"the batch reports an error: {_describe(data['error'])}"
        )
    response = data.get("response")
    if not isinstance(response, dict):
        return ResultLine(custom_id, error="the result line has neither response nor error")
    status = response.get("status_code")
    body = response.get("body")
    if status != 200:
        detail = body.get("error", body) if isinstance(body, dict) else body
        return ResultLine(custom_id, error=f"the endpoint answered {status}: {_describe(detail)}")
    if not isinstance(body, dict):
        return ResultLine(custom_id, error="the response body is not a chat completion object")
    return ResultLine(custom_id, completion=body)


def _describe(detail: Any) -> str:
    if isinstance(detail, dict):
        message = detail.get("message") or json.dumps(detail, ensure_ascii=False)
        code = detail.get("code")
        text = f"{message} ({code})" if code else str(message)
    else:
        text = str(detail)
    first = text.strip().splitlines()[0] if text.strip() else "no detail"
    return first[:300]


class AnswerError(Exception):
    """An answer that cannot become a brief; `stage` names the step, as in errors.jsonl."""

    def __init__(self, stage: Stage, message: str) -> None:
        super().__init__(message)
        self.stage = stage


def parse_extraction(
    body: dict[str, Any], mode: InstructorMode, max_output_tokens: int | None = None
) -> tuple[Extraction, Usage]:
    """The `Extraction` in a chat completion, parsed as instructor parses it for `mode`."""
    try:
        completion = ChatCompletion.model_validate(body)
    except ValidationError as exc:
        raise AnswerError(
            Stage.BATCH, f"the response is not a chat completion: {_first(exc)}"
        ) from None
    # The same preparation and parser instructor's create() uses, strict as it is by default.
    response_model = prepare_response_model(Extraction)
    try:
        parsed = process_response(
            completion,
            response_model=response_model,
            stream=False,
            strict=True,
            mode=_MODES[mode],
        )
    except IncompleteOutputException:
        cap = f"at {max_output_tokens} output tokens" if max_output_tokens else "at the token cap"
        raise AnswerError(
            Stage.MODEL,
            f"the answer was cut off {cap}: raise --max-output-tokens and prepare again",
        ) from None
    except (ValidationError, ValueError, InstructorError, AttributeError, IndexError) as exc:
        # A batch has one answer per request: no re-ask can repair it here.
        raise AnswerError(
            Stage.VALIDATION, f"no valid answer (batch: 1 attempt, no re-ask): {_first(exc)}"
        ) from None
    if not isinstance(parsed, Extraction):
        raise AnswerError(Stage.VALIDATION, f"the answer parsed as {type(parsed).__name__}")
    return parsed, usage_of(completion)


def brief_from_completion(
    body: dict[str, Any], article: Article, plan: IngestPlan, max_output_tokens: int | None = None
) -> Brief:
    """Validate, ground and stamp one answer exactly as `run` does on its last attempt.

    The grounding check only re-asks while attempts remain; a batch answer is the last one,
    so ungrounded items are dropped by assembly and listed as warnings.
    """
    extraction, usage = parse_extraction(body, plan.mode, max_output_tokens)
    provenance = Provenance(
        prompt_version=plan.prompt_version,
        model=plan.model,
        usage=usage,
        attempts=1,
        article_sha256=article.sha256,
    )
    return assemble_brief(extraction, article, provenance)


def _first(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__


# -- shell: prepare -----------------------------------------------------------------------------


class _Captured(openai.OpenAIError):
    """Stops a captured request. An OpenAIError so the SDK re-raises it without retrying."""


@dataclass(frozen=True)
class CapturedRequest:
    method: str
    path: str
    body: bytes


class CaptureTransport(httpx2.AsyncBaseTransport):
    """Keeps each request (per article header) and ends it before anything is sent."""

    def __init__(self) -> None:
        self._captured: dict[str, CapturedRequest] = {}

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = await request.aread()
        key = request.headers.get(HEADER_ARTICLE, "")
        self._captured[key] = CapturedRequest(request.method, request.url.path, body)
        raise _Captured("captured for a batch file")

    def take(self, key: str) -> CapturedRequest | None:
        return self._captured.pop(key, None)


@dataclass
class PrepareSummary:
    requests: int = 0
    errors: list[ErrorRecord] = field(default_factory=list)
    seconds: float = 0.0


def batch_settings(settings: Settings) -> Settings:
    """Settings fit for building batch requests: a model, a fixed mode, some base URL."""
    if not settings.model:
        raise BatchError(
            "no model: pass --model (or set SUMMARIZE_MODEL) with the model the batch will run"
        )
    return settings.model_copy(
        update={
            "mode": settings.resolved_mode(),
            "base_url": settings.base_url or PLACEHOLDER_BASE_URL,
            "max_reasks": 0,
            "transport_retries": 0,
        }
    )


async def _capture_one(
    item: Article | IngestError,
    client: ModelClient,
    transport: CaptureTransport,
    prompt: PromptTemplate,
) -> tuple[Article, CapturedRequest] | ErrorRecord:
    if isinstance(item, IngestError):
        return ErrorRecord(None, item.file, item.stage, item.cause)
    try:
        await client.extract(item, prompt)
    except ModelError:
        pass  # how the capture stops every request; the request is what we came for
    except Exception as exc:  # one odd article must not end the file; `run` would fail it too
        cause = f"the client could not build its request ({type(exc).__name__}: {_first(exc)})"
        return ErrorRecord(item.id, item.file, Stage.PREPARE, cause)
    captured = transport.take(item.id)
    if captured is None:
        return ErrorRecord(item.id, item.file, Stage.PREPARE, "the client built no request")
    if captured.method != "POST" or not captured.path.endswith("/chat/completions"):
        return ErrorRecord(
            item.id,
            item.file,
            Stage.PREPARE,
            f"the client sent {captured.method} {captured.path}, not a chat completion",
        )
    return item, captured


def prepare(src: Path, out: Path, settings: Settings, prompt: PromptTemplate) -> PrepareSummary:
    """Write `out` (Batch API JSONL, one line per article) and its `.meta.json` description.

    Articles are read, captured and written one at a time, so memory does not follow the
    folder size; the file appears under its name only when complete.
    """
    ready = batch_settings(settings)
    summary = PrepareSummary()
    started = time.perf_counter()

    async def write_all(handle: IO[bytes]) -> None:
        transport = CaptureTransport()
        client = ModelClient(ready, transport=transport)
        try:
            for item in iter_articles(src):
                got = await _capture_one(item, client, transport, prompt)
                if isinstance(got, ErrorRecord):
                    summary.errors.append(got)
                    continue
                article, captured = got
                handle.write(request_line(article.id, captured.body))
                summary.requests += 1
        finally:
            await client.aclose()

    with _atomic_binary(out) as handle:
        asyncio.run(write_all(handle))
    summary.seconds = time.perf_counter() - started
    meta = {
        "summarize_version": __version__,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": printable(str(src)),
        "requests_file": out.name,
        "endpoint": BATCH_URL,
        "model": ready.model,
        "instructor_mode": ready.mode.value,
        "max_output_tokens": ready.max_output_tokens,
        "temperature": ready.temperature,
        "prompt_file": str(prompt.path),
        "prompt_version": prompt.version,
        "schema_version": SCHEMA_VERSION,
        "counts": {"requests": summary.requests, "failed": len(summary.errors)},
        "errors": [e.__dict__ for e in summary.errors],
    }
    _write_json(requests_meta_path(out), meta)
    return summary


@contextmanager
def _atomic_binary(path: Path) -> Iterator[IO[bytes]]:
    """A binary file written under a temp name and renamed into place only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


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


# -- shell: ingest ------------------------------------------------------------------------------


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
    results: Path,
    src: Path,
    store: OutputStore,
    plan: IngestPlan,
    *,
    force: bool = False,
    max_output_tokens: int | None = None,
    summary: IngestSummary | None = None,
) -> IngestSummary:
    """Turn a batch results file into briefs under `store`, as `run` would have written them.

    Walks SRC one article at a time and reads only that article's line, so memory follows
    the id index, not the texts. Each outcome goes into the store's ledger as one run, and
    briefs the ledger says are current are skipped (resumable).
    """
    summary = summary if summary is not None else IngestSummary(RunSummary())
    clock = time.perf_counter()
    ledger = store.ledger
    run_id = ledger.start_run(
        source=str(src),
        model=plan.model,
        prompt_version=plan.prompt_version,
        schema_version=SCHEMA_VERSION,
        recording="batch",
    )
    summary.run.run_id = run_id

    def record(result: ArticleResult) -> None:
        log_article(ledger, run_id, result)
        summary.run.add(result)

    try:
        index = ResultIndex.build(results)
        summary.result_lines = index.lines
        for e in index.errors:
            record(ArticleResult(article_id=None, file=e.file, status=Status.FAILED, error=e))
        seen: set[str] = set()
        with results.open("rb") as handle:
            for item in iter_articles(src):
                result = _ingest_one(
                    item, index, handle, store, plan, force, max_output_tokens, run_id
                )
                summary.unanswered += result.status == "not_attempted"
                if result.article_id is not None:
                    seen.add(result.article_id)
                record(result)
        for custom_id in sorted(index.offsets.keys() - seen):
            summary.unknown_ids += 1
            _, _, number = index.offsets[custom_id]
            error = ErrorRecord(
                custom_id,
                f"{results}:{number}",
                Stage.ARTICLE,
                f"no article with id {custom_id} under {src}: its text changed since prepare "
                "(the id holds a content hash) or --src is not the prepared folder",
            )
            record(
                ArticleResult(
                    article_id=custom_id, file=error.file, status=Status.FAILED, error=error
                )
            )
    except asyncio.CancelledError:
        summary.run.interrupted = "cancelled"
        raise
    except OSError as exc:
        summary.run.interrupted = f"could not write to the output folder: {exc}"
        raise
    finally:
        summary.run.seconds = time.perf_counter() - clock
    return summary


def _ingest_one(
    item: Article | IngestError,
    index: ResultIndex,
    handle: IO[bytes],
    store: OutputStore,
    plan: IngestPlan,
    force: bool,
    max_output_tokens: int | None,
    run_id: int,
) -> ArticleResult:
    if isinstance(item, IngestError):
        error = ErrorRecord(None, item.file, item.stage, item.cause)
        return ArticleResult(article_id=None, file=item.file, status=Status.FAILED, error=error)
    file = item.file
    if not force and store.is_current(item.id, item.sha256, plan.prompt_version, plan.model):
        return ArticleResult(
            article_id=item.id, file=file, status=Status.SKIPPED, sha256=item.sha256
        )
    if item.id not in index.offsets:
        # Perhaps in another batch's results: listed, so that nothing goes missing unseen.
        note = f"no result for it in {index.path.name}"
        return ArticleResult(item.id, file, Status.NOT_ATTEMPTED, note=note, sha256=item.sha256)
    started = time.perf_counter()
    line, where = index.read(handle, item.id)
    store.ledger.add_batch_answer(run_id, item.id, where, line.completion, line.error)
    try:
        if line.completion is None:
            raise AnswerError(Stage.BATCH, f"{where}: {line.error}")
        brief = brief_from_completion(line.completion, item, plan, max_output_tokens)
    except AnswerError as exc:
        error = ErrorRecord(item.id, file, exc.stage, str(exc))
        return ArticleResult(
            article_id=item.id,
            file=file,
            status=Status.FAILED,
            seconds=time.perf_counter() - started,
            error=error,
            sha256=item.sha256,
        )
    written = store.write_brief(brief)
    return ArticleResult(
        article_id=item.id,
        file=file,
        status=Status.DONE,
        seconds=time.perf_counter() - started,
        usage=brief.provenance.usage,
        attempts=1,
        events=len(brief.events),
        dropped=len(brief.warnings),
        sha256=item.sha256,
        brief_sha256=written,
    )


def ingest_manifest(
    summary: IngestSummary,
    settings: Settings,
    prompt: PromptTemplate,
    plan: IngestPlan,
    src: Path,
    results: Path,
) -> dict[str, Any]:
    """`run.json` for an ingest: the run manifest, with what the batch was prepared with."""
    stamped = settings.model_copy(
        update={"model": plan.model, "mode": plan.mode, "base_url": settings.base_url}
    )
    manifest = build_manifest(summary.run, stamped, prompt, src)
    manifest["prompt_file"] = plan.prompt_file
    manifest["prompt_version"] = plan.prompt_version
    manifest["recording"] = "batch"
    manifest["batch"] = {
        "results": str(results),
        "result_lines": summary.result_lines,
        "articles_without_result": summary.unanswered,
        "results_without_article": summary.unknown_ids,
    }
    return manifest


# -- shell: the provider's files and batches APIs -----------------------------------------------


@contextmanager
def _api(settings: Settings, what: str) -> Iterator[openai.OpenAI]:
    """A sync client for the files and batches APIs; its failures become `BatchError`s."""
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if key is None and settings.base_url is None:
        raise BatchError("no API key: set OPENAI_API_KEY to use the OpenAI Batch API")
    client = openai.OpenAI(
        base_url=settings.base_url, api_key=key or "not-set", timeout=settings.timeout
    )
    try:
        yield client
    except openai.APIError as exc:
        message = str(exc).replace(key, "***") if key else str(exc)
        raise BatchError(f"{what} failed: {message}") from None
    finally:
        client.close()


def submit(settings: Settings, requests: Path, *, description: str | None = None) -> Batch:
    """Upload `requests` and start a 24 h batch on it."""
    with _api(settings, "submit") as client, requests.open("rb") as handle:
        uploaded = client.files.create(file=(requests.name, handle), purpose="batch")
        metadata = {"description": description} if description else None
        return client.batches.create(
            input_file_id=uploaded.id,
            endpoint=BATCH_URL,
            completion_window="24h",
            metadata=metadata,
        )


def status(settings: Settings, batch_id: str) -> Batch:
    with _api(settings, "status") as client:
        return client.batches.retrieve(batch_id)


def describe(batch: Batch) -> str:
    """One line about a batch: status and request counts."""
    counts = batch.request_counts
    done = f", {counts.completed}/{counts.total} done, {counts.failed} failed" if counts else ""
    return f"{batch.id}: {batch.status}{done}"


class BatchNotReadyError(BatchError):
    """The batch has not completed (yet, or ever)."""


def fetch(settings: Settings, batch_id: str, out: Path) -> Batch:
    """Download a finished batch's output and error files into one results file.

    Error lines share the output format (custom_id plus error), so ingest reads both and
    reports each failed article in errors.jsonl.
    """
    with _api(settings, "fetch") as client:
        batch = client.batches.retrieve(batch_id)
        if batch.status not in DONE_STATUSES:
            hint = (
                "it will not finish; prepare and submit again"
                if batch.status in FAILED_STATUSES
                else "try again later (`summarize batch status` shows progress)"
            )
            raise BatchNotReadyError(f"batch {batch_id} is {batch.status}, not completed: {hint}")
        with _atomic_binary(out) as handle:
            for file_id in (batch.output_file_id, batch.error_file_id):
                if not file_id:
                    continue
                content = client.files.content(file_id).content
                handle.write(content)
                if content and not content.endswith(b"\n"):
                    handle.write(b"\n")
        return batch
