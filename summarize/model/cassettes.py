"""Cassettes: what one recorded exchange is, how a request is fingerprinted, and why a
request has no recorded answer (pure; `recording` reads and writes them and replays them)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import platform
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Final

import httpx2
import openai

import summarize

FORMAT: Final = 1

HEADER_ARTICLE: Final = "X-Summarize-Article"
HEADER_ARTICLE_SHA256: Final = "X-Summarize-Article-Sha256"
HEADER_PROMPT_VERSION: Final = "X-Summarize-Prompt-Version"
HEADER_SCHEMA_VERSION: Final = "X-Summarize-Schema-Version"
_META_PREFIX: Final = "x-summarize-"

# The openai client retries these (see openai._base_client._should_retry); recording them would
# make a replay sit through the same back-off for a failure that was never the model's answer.
_TRANSIENT_STATUSES: Final = frozenset({408, 409, 429})


_FIX_HINT: Final = (
    "Re-record with --record or --record-missing, e.g. `summarize run <src> --record-missing`."
)


class RecordingError(openai.OpenAIError):
    """A recording or replay problem.

    An `openai.OpenAIError` on purpose: the openai client re-raises those unchanged, whereas it
    retries transport errors (httpx2.RequestError) and then wraps them in APIConnectionError.
    """


class ReplayMissError(RecordingError):
    """No recorded exchange matches a request that must not go to the network.

    `no_recording`: the article has no cassette at all (rather than one that went stale);
    `recordings_help` then says what to do, once for all such articles.
    """

    def __init__(
        self,
        article_id: str,
        expected_path: Path,
        fingerprint: str,
        reasons: Iterable[str],
        *,
        no_recording: bool = False,
    ) -> None:
        self.article_id = article_id
        self.expected_path = expected_path
        self.fingerprint = fingerprint
        self.reasons = tuple(reasons)
        self.no_recording = no_recording
        super().__init__(
            f"replay miss for article {article_id} ({expected_path}): "
            + "; ".join(self.reasons)
            + ("" if no_recording else ". " + _FIX_HINT)
        )


# -- shell: files -------------------------------------------------------------------------------


def metadata_headers(
    article_id: str,
    *,
    article_sha256: str | None = None,
    prompt_version: str | None = None,
    schema_version: str | None = None,
) -> dict[str, str]:
    """Headers labelling a request for the recorder (pass as openai `extra_headers`)."""
    headers = {HEADER_ARTICLE: article_id}
    if article_sha256 is not None:
        headers[HEADER_ARTICLE_SHA256] = article_sha256
    if prompt_version is not None:
        headers[HEADER_PROMPT_VERSION] = prompt_version
    if schema_version is not None:
        headers[HEADER_SCHEMA_VERSION] = schema_version
    return headers


@dataclass(frozen=True)
class RequestMeta:
    """What the caller said about a request, read from the X-Summarize-* headers."""

    article_id: str | None
    article_sha256: str | None = None
    prompt_version: str | None = None
    schema_version: str | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RequestMeta:
        lower = {k.lower(): v for k, v in headers.items()}
        return cls(
            article_id=lower.get(HEADER_ARTICLE.lower()),
            article_sha256=lower.get(HEADER_ARTICLE_SHA256.lower()),
            prompt_version=lower.get(HEADER_PROMPT_VERSION.lower()),
            schema_version=lower.get(HEADER_SCHEMA_VERSION.lower()),
        )


def is_metadata_header(name: str) -> bool:
    return name.lower().startswith(_META_PREFIX)


def _is_json_type(content_type: str | None) -> bool:
    return content_type is not None and "json" in content_type.lower()


@dataclass(frozen=True)
class Payload:
    """A message body as stored: decoded JSON when it is JSON, else text."""

    value: Any
    is_json: bool = True

    @classmethod
    def decode(cls, content: bytes, content_type: str | None) -> Payload:
        if _is_json_type(content_type):
            try:
                return cls(json.loads(content))
            except ValueError:
                pass
        return cls(content.decode("utf-8", errors="replace"), is_json=False)

    def encode(self) -> bytes:
        if self.is_json:
            return json.dumps(self.value, ensure_ascii=False).encode("utf-8")
        return str(self.value).encode("utf-8")

    def to_fields(self) -> dict[str, Any]:
        # Separate keys keep a JSON string body distinct from a text body.
        return {"body": self.value} if self.is_json else {"text": self.value}

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> Payload:
        if "body" in fields:
            return cls(fields["body"])
        return cls(str(fields.get("text", "")), is_json=False)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# instructor's re-ask messages quote pydantic's error URLs, which carry pydantic's version
# (https://errors.pydantic.dev/2.14/v/missing): a pydantic upgrade must not make every
# recorded re-ask a miss. Bodies without such a URL hash as they always did.
_PYDANTIC_ERROR_URL: Final = re.compile(r"https://errors\.pydantic\.dev/\d+(?:\.\d+)*/")
_ANY_PYDANTIC_VERSION: Final = "https://errors.pydantic.dev/<version>/"


def fingerprint(method: str, path: str, payload: Payload) -> str:
    """sha256 over method, URL path (with query, without host) and the canonical body, with
    the pydantic version in pydantic's error URLs left out."""
    body = canonical_json(payload.to_fields())
    digest = hashlib.sha256()
    digest.update(f"{method.upper()} {path}\n".encode())
    digest.update(_PYDANTIC_ERROR_URL.sub(_ANY_PYDANTIC_VERSION, body).encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    payload: Payload

    @functools.cached_property
    def fingerprint(self) -> str:
        # Computed once: a replayed request is looked up by it more than once.
        return fingerprint(self.method, self.path, self.payload)

    @property
    def model(self) -> str | None:
        body = self.payload.value
        if self.payload.is_json and isinstance(body, dict):
            model = body.get("model")
            return model if isinstance(model, str) else None
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, **self.payload.to_fields()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecordedRequest:
        return cls(str(data["method"]), str(data["path"]), Payload.from_fields(data))


@dataclass(frozen=True)
class RecordedResponse:
    status: int
    content_type: str | None
    payload: Payload

    def to_dict(self) -> dict[str, Any]:
        headers = {} if self.content_type is None else {"content-type": self.content_type}
        return {"status": self.status, "headers": headers, **self.payload.to_fields()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecordedResponse:
        headers = {str(k).lower(): str(v) for k, v in dict(data.get("headers") or {}).items()}
        return cls(int(data["status"]), headers.get("content-type"), Payload.from_fields(data))

    def to_httpx(self, request: httpx2.Request) -> httpx2.Response:
        headers = {} if self.content_type is None else {"content-type": self.content_type}
        return httpx2.Response(
            self.status, headers=headers, content=self.payload.encode(), request=request
        )


@dataclass(frozen=True)
class Exchange:
    request: RecordedRequest
    response: RecordedResponse

    @property
    def fingerprint(self) -> str:
        return self.request.fingerprint

    def to_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "request": self.request.to_dict(),
            "response": self.response.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Exchange:
        return cls(
            RecordedRequest.from_dict(data["request"]), RecordedResponse.from_dict(data["response"])
        )


def library_versions() -> dict[str, str]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {
        "summarize": summarize.__version__,
        "openai": openai.__version__,
        "instructor": version("instructor"),
        "httpx2": httpx2.__version__,
        "python": platform.python_version(),
    }


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class Cassette:
    """The recorded exchanges of one article: the content of `<dir>/<article-id>.json`."""

    article_id: str
    article_sha256: str | None = None
    model: str | None = None
    prompt_version: str | None = None
    schema_version: str | None = None
    recorded_at: str = ""
    library_versions: dict[str, str] = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)

    def to_text(self) -> str:
        data = {
            "format": FORMAT,
            "article_id": self.article_id,
            "article_sha256": self.article_sha256,
            "model": self.model,
            "prompt_version": self.prompt_version,
            "schema_version": self.schema_version,
            "recorded_at": self.recorded_at,
            "library_versions": self.library_versions,
            "exchanges": [e.to_dict() for e in self.exchanges],
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_text(cls, text: str, source: str = "<cassette>") -> Cassette:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise RecordingError(
                    f"{source}: unsupported cassette format {data.get('format')!r}"
                    f" (this version reads format {FORMAT})"
                )
            return cls(
                article_id=str(data["article_id"]),
                article_sha256=data.get("article_sha256"),
                model=data.get("model"),
                prompt_version=data.get("prompt_version"),
                schema_version=data.get("schema_version"),
                recorded_at=str(data.get("recorded_at", "")),
                library_versions={str(k): str(v) for k, v in data["library_versions"].items()},
                exchanges=[Exchange.from_dict(e) for e in data["exchanges"]],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise RecordingError(f"{source}: not a readable cassette: {err!r}") from err


def is_transient(status: int, headers: Mapping[str, str]) -> bool:
    """Whether the openai client would retry this response (so it is not worth recording)."""
    should_retry = {k.lower(): v for k, v in headers.items()}.get("x-should-retry")
    if should_retry == "true":
        return True
    if should_retry == "false":
        return False
    return status in _TRANSIENT_STATUSES or status >= 500


def _schema_part(body: Any) -> tuple[Any, Any]:
    if not isinstance(body, dict):
        return (None, None)
    return (body.get("response_format"), body.get("tools"))


def _differing_keys(old: Any, new: Any) -> list[str] | None:
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return None
    return sorted(k for k in old.keys() | new.keys() if old.get(k, ...) != new.get(k, ...))


def explain_miss(
    request: RecordedRequest,
    meta: RequestMeta,
    cassette: Cassette | None,
    expected_path: Path,
) -> list[str]:
    """Why `request` has no recorded answer, in the terms a user can act on."""
    if cassette is None:
        return [f"no recording for article {meta.article_id}"]
    reasons: list[str] = []

    def changed(what: str, old: str | None, new: str | None, why: str = "") -> None:
        if old != new:
            reasons.append(f"{what} changed: {old} -> {new}{why}")

    changed("model", cassette.model, request.model)
    changed(
        "prompt version",
        cassette.prompt_version,
        meta.prompt_version,
        " (the prompt template changed)",
    )
    changed("schema version", cassette.schema_version, meta.schema_version, " (the schema changed)")
    same_route = [
        e
        for e in cassette.exchanges
        if e.request.method == request.method and e.request.path == request.path
    ]
    new_schema = _schema_part(request.payload.value)
    if same_route and all(_schema_part(e.request.payload.value) != new_schema for e in same_route):
        reasons.append(
            "the request's response_format/tools schema differs from the recording"
            " (the schema changed)"
        )
    if cassette.article_sha256 != meta.article_sha256:
        reasons.append(
            f"article text changed: sha256 {cassette.article_sha256} -> {meta.article_sha256}"
        )
    if reasons:
        return reasons

    if not same_route:
        return [f"no exchange recorded for {request.method} {request.path}"]
    repeats = sum(e.fingerprint == request.fingerprint for e in same_route)
    if repeats:
        return [
            f"this exact request was recorded {repeats} time(s) and every copy was already"
            " replayed (the run made more requests than the recording, e.g. more re-asks)"
        ]
    diffs = [_differing_keys(e.request.payload.value, request.payload.value) for e in same_route]
    known = [d for d in diffs if d is not None]
    if not known:
        return ["request body changed"]
    closest = min(known, key=len)
    return [f"request parameters changed: {', '.join(closest)}"]
