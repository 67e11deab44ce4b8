"""The provider's files and batches APIs, through the openai SDK: submit, status, fetch.

The same requests file also runs on `vllm run-batch`, which needs none of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import openai
from openai.types import Batch

from summarize.batch.errors import BatchError, BatchNotReadyError
from summarize.batch.files import atomic_binary
from summarize.batch.lines import BATCH_URL
from summarize.settings import Settings

# What the Batch API calls a finished batch; anything else is still running or failed.
DONE_STATUSES: Final = frozenset({"completed"})
FAILED_STATUSES: Final = frozenset({"failed", "expired", "cancelled"})


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
            raise BatchNotReadyError(
                f"batch {batch_id} is {batch.status}, not completed", hint=hint
            )
        with atomic_binary(out) as handle:
            for file_id in (batch.output_file_id, batch.error_file_id):
                if not file_id:
                    continue
                content = client.files.content(file_id).content
                handle.write(content)
                if content and not content.endswith(b"\n"):
                    handle.write(b"\n")
        return batch
