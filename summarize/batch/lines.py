"""The batch files' formats (pure): request lines out, result lines back, and the plan a
requests file was prepared with.

Nothing here imports the openai SDK or does I/O, so reading these formats costs no client.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from summarize.batch.errors import BatchError
from summarize.settings import InstructorMode

BATCH_URL: Final = "/v1/chat/completions"
META_SUFFIX: Final = ".meta.json"
# Enough of a message to say what went wrong; server errors can be pages long.
_MAX_DETAIL: Final = 300


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


def first_line(text: str, default: str) -> str:
    """The first line of `text`, cut short, or `default` when there is none."""
    lines = text.strip().splitlines()
    return lines[0][:_MAX_DETAIL] if lines else default


def _describe(detail: Any) -> str:
    if isinstance(detail, dict):
        message = detail.get("message") or json.dumps(detail, ensure_ascii=False)
        code = detail.get("code")
        text = f"{message} ({code})" if code else str(message)
    else:
        text = str(detail)
    return first_line(text, "no detail")
