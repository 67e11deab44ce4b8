"""Record and replay model HTTP exchanges, one cassette file per article.

The transports sit under the openai client (`httpx2.Client(transport=...)`), so a replay
still runs the openai SDK and instructor for real; only the socket is replaced by a file.
Callers label each request with `metadata_headers(...)`; those headers select the cassette
and explain replay misses, and are stripped before anything leaves the process.

What a cassette holds, fingerprints and miss explanations are `cassettes` (pure); this is the
shell: `CassetteStore` (files), the recorder and the two transports (network).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import httpx2

import summarize
from summarize.atomic import write_text_atomic
from summarize.model.cassettes import (
    HEADER_ARTICLE,
    Cassette,
    Exchange,
    Payload,
    RecordedRequest,
    RecordedResponse,
    RecordingError,
    ReplayMissError,
    RequestMeta,
    explain_miss,
    is_metadata_header,
    is_transient,
    library_versions,
    utc_now,
)
from summarize.model.redaction import Secrets
from summarize.settings import REPLAY_URL, RecordingMode, Settings

_ARTICLE_ID_RE: Final = re.compile(r"[A-Za-z0-9._-]+")


def shipped_recordings() -> Path | None:
    """The recordings that come with summarize (of its seed articles), in a source checkout."""
    found = Path(summarize.__file__).resolve().parent.parent / "fixtures" / "recordings"
    return found if found.is_dir() else None


def recordings_help(root: Path) -> str:
    """Where recordings were looked for, what the shipped ones cover, how to record one's own."""
    where = root if root.is_absolute() else Path.cwd() / root
    shipped = shipped_recordings()
    text = [
        f"looked in {where}{'' if where.is_dir() else ' (no such folder)'}.",
        "The recordings that come with summarize answer only its seed articles (seeds/)",
    ]
    if shipped is not None and shipped != where.resolve():
        text[-1] += f"; they are in {shipped}: pass --recordings {shipped}"
    text[-1] += "."
    text.append(
        "To summarize your own articles, record the model's answers once, e.g. summarize run "
        "SRC --record-missing --base-url URL --model MODEL (or --local, the bundled model); "
        "--replay then reuses them."
    )
    return " ".join(text)


class CassetteStore:
    """Cassette files in one directory, `<root>/<article-id>.json`, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, article_id: str) -> Path:
        if not _ARTICLE_ID_RE.fullmatch(article_id) or article_id in {".", ".."}:
            raise RecordingError(f"article id {article_id!r} cannot name a cassette file")
        return self.root / f"{article_id}.json"

    def load(self, article_id: str) -> Cassette | None:
        path = self.path_for(article_id)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return Cassette.from_text(text, source=str(path))

    def save(self, cassette: Cassette) -> Path:
        path = self.path_for(cassette.article_id)
        write_text_atomic(path, cassette.to_text())
        return path


def recorded_model(root: Path) -> str | None:
    """The model the cassettes under `root` were recorded with (the most common), if any."""
    counts: Counter[str] = Counter()
    for path in sorted(Path(root).glob("*.json")):
        try:
            model = Cassette.from_text(path.read_text(encoding="utf-8"), str(path)).model
        except (OSError, RecordingError):
            continue  # replaying that article reports the broken file; here it only abstains
        if model:
            counts[model] += 1
    if not counts:
        return None
    return min(counts, key=lambda m: (-counts[m], m))


def with_replay_endpoint(settings: Settings) -> Settings:
    """In replay, fill what no server will check: a placeholder URL, and the model the
    recordings were made with. Other modes are returned unchanged."""
    if settings.recording is not RecordingMode.REPLAY:
        return settings
    updates: dict[str, object] = {"base_url": settings.base_url or REPLAY_URL}
    if settings.model is None:
        updates["model"] = recorded_model(settings.recordings_dir)
    return settings.model_copy(update=updates)


# -- the recorder shared by both transports -----------------------------------------------------


@dataclass
class _ArticleState:
    recorded: Cassette | None
    used: set[int] = field(default_factory=set)
    # The exchanges this run used for the article, in order: what its cassette will hold.
    session: list[Exchange] = field(default_factory=list)
    # Set once a live exchange joins the session; from then on the file must follow it.
    dirty: bool = False


@dataclass(frozen=True)
class _Pending:
    """A request going to the network; `recorded` is None when it will not be recorded."""

    forward: httpx2.Request
    meta: RequestMeta
    recorded: RecordedRequest | None


class _Recorder:
    """Mode logic shared by the sync and async transports; never awaits, never sends."""

    def __init__(self, mode: RecordingMode, store: CassetteStore) -> None:
        self.mode = RecordingMode(mode)
        self.store = store
        self._lock = threading.Lock()
        self._articles: dict[str, _ArticleState] = {}

    def prepare(self, request: httpx2.Request) -> httpx2.Response | _Pending:
        """A replayed response, or the request to forward (request body must be read)."""
        meta = RequestMeta.from_headers(request.headers)
        forward = httpx2.Request(
            request.method,
            request.url,
            headers=[(k, v) for k, v in request.headers.multi_items() if not is_metadata_header(k)],
            content=request.content,
            extensions=request.extensions,
        )
        if self.mode is RecordingMode.LIVE:
            return _Pending(forward, meta, None)
        if meta.article_id is None:
            raise RecordingError(
                f"{request.method} {request.url.path}: no {HEADER_ARTICLE} header, so there is no"
                f" cassette to {self.mode} (recording mode {self.mode})"
            )
        recorded = RecordedRequest(
            request.method,
            request.url.raw_path.decode("ascii"),
            Payload.decode(request.content, request.headers.get("content-type")),
        )
        if self.mode is RecordingMode.RECORD:
            return _Pending(forward, meta, recorded)

        with self._lock:
            state = self._state(meta.article_id)
            hit = self._take(state, recorded.fingerprint)
            if hit is not None:
                if self.mode is RecordingMode.RECORD_MISSING:
                    state.session.append(hit)
                    if state.dirty:
                        self._save_locked(meta, state)
                return hit.response.to_httpx(request)
            if self.mode is RecordingMode.REPLAY:
                path = self.store.path_for(meta.article_id)
                raise ReplayMissError(
                    meta.article_id,
                    path,
                    recorded.fingerprint,
                    explain_miss(recorded, meta, state.recorded, path),
                    no_recording=state.recorded is None,
                )
        return _Pending(forward, meta, recorded)

    def finish(
        self, pending: _Pending, response: httpx2.Response, content: bytes
    ) -> httpx2.Response:
        """Record a live exchange if it is worth keeping; the response to hand back."""
        recorded = pending.recorded
        if recorded is not None and not is_transient(response.status_code, response.headers):
            content_type = response.headers.get("content-type")
            # Some servers echo the request's credentials; the cassette keeps them masked.
            kept = Secrets.sent_in(pending.forward.headers).redact_bytes(content)
            exchange = Exchange(
                recorded,
                RecordedResponse(
                    response.status_code, content_type, Payload.decode(kept, content_type)
                ),
            )
            self._append(pending.meta, exchange)
        # `content` is already decoded, so the encoding/length headers no longer describe it.
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
        ]
        return httpx2.Response(
            response.status_code,
            headers=headers,
            content=content,
            request=pending.forward,
            extensions={
                k: v
                for k, v in response.extensions.items()
                if k in {"http_version", "reason_phrase"}
            },
        )

    def forget(self, article_id: str) -> None:
        """Let go of an article's cassette once the client is done with it: held for the
        whole run, a replayed folder would keep every cassette it read in memory."""
        with self._lock:
            self._articles.pop(article_id, None)

    def _state(self, article_id: str) -> _ArticleState:
        state = self._articles.get(article_id)
        if state is None:
            recorded = None if self.mode is RecordingMode.RECORD else self.store.load(article_id)
            state = self._articles[article_id] = _ArticleState(recorded)
        return state

    @staticmethod
    def _take(state: _ArticleState, wanted: str) -> Exchange | None:
        if state.recorded is None:
            return None
        for index, exchange in enumerate(state.recorded.exchanges):
            if index not in state.used and exchange.fingerprint == wanted:
                state.used.add(index)
                return exchange
        return None

    def _append(self, meta: RequestMeta, exchange: Exchange) -> None:
        assert meta.article_id is not None
        with self._lock:
            state = self._state(meta.article_id)
            state.session.append(exchange)
            state.dirty = True
            self._save_locked(meta, state)

    def _save_locked(self, meta: RequestMeta, state: _ArticleState) -> None:
        # Written through after every exchange so nothing is lost if the run dies; the
        # previous file is replaced whole, never edited in place.
        assert meta.article_id is not None
        self.store.save(
            Cassette(
                article_id=meta.article_id,
                article_sha256=meta.article_sha256,
                model=state.session[-1].request.model,
                prompt_version=meta.prompt_version,
                schema_version=meta.schema_version,
                recorded_at=utc_now(),
                library_versions=library_versions(),
                exchanges=list(state.session),
            )
        )


def _as_store(store: CassetteStore | Path | str) -> CassetteStore:
    return store if isinstance(store, CassetteStore) else CassetteStore(Path(store))


class RecordingTransport(httpx2.BaseTransport):
    """Sync transport that records to, or replays from, per-article cassettes."""

    def __init__(
        self,
        mode: RecordingMode | str,
        store: CassetteStore | Path | str,
        inner: httpx2.BaseTransport | None = None,
    ) -> None:
        self._recorder = _Recorder(RecordingMode(mode), _as_store(store))
        self._inner = inner if inner is not None else httpx2.HTTPTransport()

    @property
    def mode(self) -> RecordingMode:
        return self._recorder.mode

    @property
    def store(self) -> CassetteStore:
        return self._recorder.store

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        step = self._recorder.prepare(request)
        if isinstance(step, httpx2.Response):
            return step
        response = self._inner.handle_request(step.forward)
        if step.recorded is None:
            return response  # live: keep streaming, nothing to keep
        try:
            content = response.read()
        finally:
            response.close()
        return self._recorder.finish(step, response, content)

    def close(self) -> None:
        self._inner.close()


class AsyncRecordingTransport(httpx2.AsyncBaseTransport):
    """Async twin of RecordingTransport."""

    def __init__(
        self,
        mode: RecordingMode | str,
        store: CassetteStore | Path | str,
        inner: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self._recorder = _Recorder(RecordingMode(mode), _as_store(store))
        self._inner = inner if inner is not None else httpx2.AsyncHTTPTransport()

    @property
    def mode(self) -> RecordingMode:
        return self._recorder.mode

    @property
    def store(self) -> CassetteStore:
        return self._recorder.store

    def forget(self, article_id: str) -> None:
        self._recorder.forget(article_id)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        step = self._recorder.prepare(request)
        if isinstance(step, httpx2.Response):
            return step
        response = await self._inner.handle_async_request(step.forward)
        if step.recorded is None:
            return response
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        return self._recorder.finish(step, response, content)

    async def aclose(self) -> None:
        await self._inner.aclose()
