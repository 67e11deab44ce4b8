"""The output folder of a run: briefs, manifest, errors, the ledger, and the lock that guards
them."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from summarize.atomic import write_text_atomic
from summarize.core.brief import SCHEMA_VERSION, Brief
from summarize.core.errors import OutputError
from summarize.core.results import ErrorRecord
from summarize.outdir import error_lines, manifest
from summarize.outdir.ledger import Ledger
from summarize.outdir.manifest import ManifestArticle, RunJson, RunManifest
from summarize.outdir.paths import OutDir

# What write_text_atomic names its temp files: ".<name>.<random>.tmp".
_TEMP_FILE = re.compile(r"\..+\.jsonl?\.[a-z0-9_]+\.tmp")


class OutputLockedError(OutputError):
    """Another run is writing into the same output folder."""


@dataclass(frozen=True)
class BriefCheck:
    current: bool
    # The run that wrote the brief, when its file was changed since (edited by hand, or
    # replaced); None when it is as written, absent, or never recorded.
    edited_since: int | None


class OutputStore:
    """`<out>/briefs/<article-id>.json`, `<out>/run.json`, `<out>/errors.jsonl` and
    `<out>/ledger.sqlite`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths = OutDir(root)
        self.briefs_dir = self.paths.briefs
        self.manifest_path = self.paths.run_json
        self.errors_path = self.paths.errors
        # Pages fetched by URL, kept so that reruns read them instead of fetching again.
        self.pages_dir = self.paths.pages
        self._ledger: Ledger | None = None
        self._lock_fd: int | None = None

    @property
    def ledger(self) -> Ledger:
        """The folder's ledger, opened (and made) on first use."""
        if self._ledger is None:
            self._ledger = Ledger(self.paths.ledger)
            if self._ledger.predates_outcomes:
                self._adopt_briefs(self._ledger)
        return self._ledger

    def _adopt_briefs(self, ledger: Ledger) -> None:
        """Record the briefs on disk as made the way their provenance says, once, in a ledger
        from before outcomes were recorded: else upgrading would remake (and pay for) them all.
        """
        runs: dict[tuple[str | None, str | None, str], int] = {}
        paths = sorted(self.briefs_dir.glob("*.json")) if self.briefs_dir.is_dir() else []
        for path in paths:
            try:
                data = path.read_bytes()
                brief = Brief.model_validate_json(data)
            except (OSError, ValidationError):
                continue
            if brief.article_id != path.stem or brief.provenance.kind != "model":
                continue
            made = brief.provenance
            key = (made.model, made.prompt_version, made.schema_version)
            if key not in runs:
                runs[key] = ledger.start_run(
                    source=f"{self.briefs_dir} (briefs from before the ledger kept outcomes)",
                    model=made.model,
                    prompt_version=made.prompt_version,
                    schema_version=made.schema_version,
                    recording="adopted",
                )
            ledger.add_article(
                runs[key],
                file=str(path),
                article_id=brief.article_id,
                article_sha256=made.article_sha256,
                status="done",
                brief_sha256=hashlib.sha256(data).hexdigest(),
            )
        for run_id in runs.values():
            ledger.finish_run(run_id, "adopted", {})

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder for one run, or raise `OutputLockedError` naming the holder.

        The lock is the kernel's, on the folder itself (flock on its descriptor): it goes with
        the process, so a killed run leaves nothing to clean up, and deleting `.lock` (which
        only names the holder's pid) cannot let a second run in.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        folder = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            try:
                fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputLockedError(
                    f"another summarize run (pid {self._holder()}) is writing to {self.root}: "
                    "wait for it to finish or choose another --out"
                ) from None
            self._lock_fd = folder
            try:
                self.paths.lock.write_text(f"{os.getpid()}", encoding="utf-8")
                yield
            finally:
                self._lock_fd = None
                fcntl.flock(folder, fcntl.LOCK_UN)
        finally:
            os.close(folder)

    def close_inherited_lock(self) -> None:
        """In a process forked from the run that holds the lock (a worker): close this
        process's copy of the lock's descriptor. The run's own copy keeps the folder locked,
        and the lock ends with the run's process even if a worker outlives it a moment."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _holder(self) -> str:
        try:
            return self.paths.lock.read_text(encoding="utf-8").strip() or "unknown"
        except OSError:
            return "unknown"

    def remove_interrupted_writes(self) -> list[Path]:
        """Delete the temp files of atomic writes that a killed run left here.

        Call only while holding the lock: then no other run is writing them. Readers never
        take them for data (briefs are `*.json`); this only keeps the folder tidy.
        """
        removed = []
        for folder in (self.root, self.briefs_dir):
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if _TEMP_FILE.fullmatch(path.name) and path.is_file():
                    path.unlink(missing_ok=True)
                    removed.append(path)
        return removed

    def brief_path(self, article_id: str) -> Path:
        return self.paths.brief(article_id)

    def check_brief(
        self, article_id: str, sha256: str, prompt_version: str, model: str
    ) -> BriefCheck:
        """Whether the brief is current, and whether its file changed since it was recorded:
        one ledger lookup and one read of the file for both."""
        made = self.ledger.last_brief(article_id)
        if made is None:
            return BriefCheck(current=False, edited_since=None)
        on_disk = self.brief_sha256(article_id)
        intact = on_disk == made.brief_sha256
        return BriefCheck(
            current=intact
            and made.article_sha256 == sha256
            and made.prompt_version == prompt_version
            and made.schema_version == SCHEMA_VERSION
            and made.model == model,
            edited_since=made.run_id if on_disk is not None and not intact else None,
        )

    def brief_sha256(self, article_id: str) -> str | None:
        try:
            return hashlib.sha256(self.brief_path(article_id).read_bytes()).hexdigest()
        except OSError:
            return None

    def write_brief(self, brief: Brief) -> str:
        """Write the brief; returns the sha256 of the file, for the ledger."""
        text = brief.model_dump_json(indent=2) + "\n"
        write_text_atomic(self.brief_path(brief.article_id), text)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def write_manifest(self, head: RunManifest, articles: Iterable[ManifestArticle] = ()) -> None:
        """Write run.json; `articles` (its per-article list) is streamed, not held."""
        manifest.write_manifest(self.manifest_path, head, articles)

    def read_manifest(self) -> RunJson:
        return manifest.read_manifest(self.manifest_path)

    def write_errors(self, errors: Sequence[ErrorRecord]) -> None:
        error_lines.write_errors(self.errors_path, errors)

    def read_errors(self) -> error_lines.ErrorLines:
        return error_lines.read_errors(self.errors_path)
