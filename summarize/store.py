"""The output folder of a run: briefs, manifest, errors, and the lock that guards them."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarize.atomic import write_text_atomic
from summarize.brief import SCHEMA_VERSION, Brief


class OutputLockedError(Exception):
    """Another run is writing into the same output folder."""


@dataclass(frozen=True)
class ErrorRecord:
    """One article that failed: which file, at what stage, and why."""

    article_id: str | None
    file: str
    stage: str
    cause: str


class OutputStore:
    """`<out>/briefs/<article-id>.json`, `<out>/run.json`, `<out>/errors.jsonl`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.briefs_dir = root / "briefs"
        self.manifest_path = root / "run.json"
        self.errors_path = root / "errors.jsonl"

    @contextmanager
    def lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        lock_path = self.root / ".lock"
        with lock_path.open("a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise OutputLockedError(
                    f"another summarize run (pid {holder}) is writing to {self.root}: "
                    "wait for it to finish or choose another --out"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def brief_path(self, article_id: str) -> Path:
        return self.briefs_dir / f"{article_id}.json"

    def existing(self, article_id: str) -> Brief | None:
        """The stored brief, or None when absent or unreadable (then it is redone)."""
        try:
            return Brief.model_validate_json(self.brief_path(article_id).read_bytes())
        except (OSError, ValidationError):
            return None

    def is_current(self, article_id: str, sha256: str, prompt_version: str, model: str) -> bool:
        """True when a brief exists for this content, prompt, schema and model."""
        old = self.existing(article_id)
        if old is None:
            return False
        p = old.provenance
        return (
            p.article_sha256 == sha256
            and p.prompt_version == prompt_version
            and p.schema_version == SCHEMA_VERSION
            and p.model == model
        )

    def write_brief(self, brief: Brief) -> Path:
        path = self.brief_path(brief.article_id)
        write_text_atomic(path, brief.model_dump_json(indent=2) + "\n")
        return path

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        write_text_atomic(self.manifest_path, json.dumps(manifest, indent=2) + "\n")

    def write_errors(self, errors: Sequence[ErrorRecord]) -> None:
        lines = "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in errors)
        write_text_atomic(self.errors_path, lines)
