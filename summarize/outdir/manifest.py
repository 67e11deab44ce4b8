"""run.json, written and read as one type: `RunManifest` (the run's head) and its article
list, with a format number under the one version policy (`summarize.outdir.versions`)."""

from __future__ import annotations

import json
import platform
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from summarize import __version__
from summarize.atomic import write_text_atomic
from summarize.core.brief import SCHEMA_VERSION, Usage
from summarize.core.errors import OutputError
from summarize.outdir.printable import printable_json
from summarize.outdir.versions import check_format

# run.json's format: 1 is the first numbered one; a run.json without a number is older (0)
# and is read the same way, since every field added since has a default.
RUN_FORMAT = 1


class ManifestError(OutputError):
    """run.json is missing, unreadable, or not a run manifest."""


class Counts(BaseModel):
    articles: int
    done: int
    skipped: int
    failed: int
    not_attempted: int
    interrupted: int
    events: int


class Quality(BaseModel):
    grounding_dropped_items: int
    weak_evidence_items: int = 0
    reasks: int
    articles_without_event: int


class Durations(BaseModel):
    total_seconds: float
    # int | float: a run with nothing done has always written a plain 0 here.
    per_article_mean_seconds: int | float
    per_article_max_seconds: float


class Skipped(BaseModel):
    """A file in the source that was not read."""

    file: str
    reason: str


class BatchSource(BaseModel):
    """Where an ingest's answers came from."""

    results: str
    result_lines: int
    articles_without_result: int
    results_without_article: int


class RunManifest(BaseModel):
    """What run.json says of a run, in its order (its per-article list is streamed apart)."""

    format: int = RUN_FORMAT
    summarize_version: str = __version__
    python: str = platform.python_version()
    started_at: str
    interrupted: str | None
    budget_stop: str | None
    source: str
    model: str | None
    base_url: str | None
    instructor_mode: str
    recording: str
    prompt_file: str
    prompt_version: str
    schema_version: str = SCHEMA_VERSION
    counts: Counts
    usage: Usage  # of the articles done
    # Every token the run spent, failed articles' attempts included: what was paid for.
    spent_usage: Usage | None = None
    # The spent tokens at the model's [prices] in the config (per million tokens), if any.
    cost: float | None = None
    quality: Quality
    durations: Durations
    # Files in the source that are not articles summarize reads, with why.
    skipped: list[Skipped] = []
    batch: BatchSource | None = None

    def as_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        if self.batch is None:
            del data["batch"]  # only ingests name a results file
        return data


class ManifestArticle(BaseModel):
    """One article of run.json's list: what became of it."""

    id: str | None
    file: str
    status: str
    attempts: int = 0
    seconds: float = 0.0
    note: str | None = None


@dataclass(frozen=True)
class RunJson:
    """run.json as read back: the head and the article list."""

    path: Path
    manifest: RunManifest
    articles: list[ManifestArticle]

    def as_json(self) -> dict[str, Any]:
        """The file's content as JSON data, head and list, as it was written."""
        return {
            **self.manifest.as_json(),
            "articles": [a.model_dump(mode="json") for a in self.articles],
        }


def write_manifest(
    path: Path, manifest: RunManifest, articles: Iterable[ManifestArticle] = ()
) -> None:
    """Write run.json; `articles` (its per-article list) is streamed, not held."""
    head = json.dumps({**printable_json(manifest.as_json()), "articles": []}, indent=2)
    before, _, after = head.rpartition('"articles": []')
    chunks = (
        json.dumps(printable_json(a.model_dump(mode="json")), indent=2).replace("\n", "\n    ")
        for a in articles
    )
    write_text_atomic(path, chain([before], _joined(chunks), [after, "\n"]))


def read_manifest(path: Path) -> RunJson:
    """run.json read back as written; `ManifestError` says what is wrong with it, and
    `NewerFormatError` refuses one from a newer summarize."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise ManifestError(f"{path} is not a run manifest")
    found = data.get("format", 0)
    check_format(path, "run.json", found if isinstance(found, int) else 0, RUN_FORMAT)
    articles = data.pop("articles")
    try:
        return RunJson(
            path,
            RunManifest.model_validate(data),
            [ManifestArticle.model_validate(a) for a in articles],
        )
    except ValidationError as exc:
        raise ManifestError(f"{path} is not a run manifest: {field_error(exc)}") from None


def field_error(exc: ValidationError) -> str:
    """The first problem of a validation error, with the path of the field it is in."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def _joined(chunks: Iterable[str]) -> Iterator[str]:
    """A JSON list of already-encoded items, as pieces of text."""
    yield '"articles": ['
    first = True
    for chunk in chunks:
        yield ("\n    " if first else ",\n    ") + chunk
        first = False
    yield "]" if first else "\n  ]"
