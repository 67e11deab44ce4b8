"""The memo's file shell: briefs (and the record of the run that made them) read from a
folder, the memo written to a file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarize.atomic import write_text_atomic
from summarize.core.brief import Brief
from summarize.core.errors import SummarizeError
from summarize.memo.citations import MemoSynthesis
from summarize.memo.coverage import RunRecord, run_record
from summarize.memo.render import render_memo, resolve_format
from summarize.outdir.manifest import ManifestError
from summarize.outdir.store import OutputStore


class BriefLoadError(SummarizeError):
    """A file in the folder could not be read as a brief."""


def load_run_record(folder: Path) -> RunRecord | None:
    """What the run whose output `folder` is says about the articles it made no brief of;
    None when `folder` is not a run's output (it has neither run.json nor errors.jsonl).

    A record that cannot be read does not stop the memo: the memo says which part it could
    not read, and that its list of articles not summarised may be incomplete.
    """
    store = OutputStore(folder)
    if not store.manifest_path.is_file() and not store.errors_path.is_file():
        return None
    problems: list[str] = []
    manifest: dict[str, Any] | None = None
    if store.manifest_path.is_file():
        try:
            manifest = store.read_manifest().as_json()
        except ManifestError as exc:
            problems.append(str(exc))
    errors = store.read_errors()
    problems += errors.problems
    return run_record(manifest, [asdict(e) for e in errors.records], problems)


def load_briefs(folder: Path) -> list[Brief]:
    """Every brief (*.json, searched recursively) in `folder`, in path order.

    JSON files that are not briefs (run manifests, reports) are skipped; a file that looks
    like a brief but does not validate, or a second brief for one article, is an error.
    """
    if not folder.is_dir():
        raise BriefLoadError(f"{folder} is not a folder")
    briefs: list[Brief] = []
    first_file: dict[str, str] = {}
    for path in sorted(folder.rglob("*.json")):
        if not path.is_file():
            continue
        brief = _read_brief(path)
        if brief is None:
            continue
        if brief.article_id in first_file:
            first = first_file[brief.article_id]
            raise BriefLoadError(
                f"{path}: a second brief for article {brief.article_id!r} (first: {first})"
            )
        first_file[brief.article_id] = str(path)
        briefs.append(brief)
    return briefs


def _read_brief(path: Path) -> Brief | None:
    """The brief in `path`, or None for JSON that is not a brief."""
    raw = path.read_bytes()
    # Only a file naming both keys can be a brief, and pydantic reads one in a single pass.
    # Its parser refuses some JSON that `json` takes (lone surrogates, deep nesting), so
    # only its successes count: every other file goes through `json` below, which decides
    # between skipping and which error, with the same messages as before.
    if b'"article_id"' in raw and b'"provenance"' in raw:
        try:
            return Brief.model_validate_json(raw)
        except ValidationError:
            pass
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BriefLoadError(f"{path}: not valid JSON ({exc})") from exc
    if not _looks_like_brief(data):
        return None
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        raise BriefLoadError(f"{path}: not a valid brief:\n{exc}") from exc


def _looks_like_brief(data: object) -> bool:
    return isinstance(data, dict) and "article_id" in data and "provenance" in data


def write_memo(
    briefs: Sequence[Brief],
    out: Path,
    *,
    fmt: str | None = None,
    title: str | None = None,
    as_of: dt.date | None = None,
    synthesis: MemoSynthesis | None = None,
    run: RunRecord | None = None,
    reviewed: frozenset[str] = frozenset(),
) -> None:
    """Render the memo for `briefs` and write it to `out` (format from `fmt` or the suffix).

    `run` (see `load_run_record`) has the memo list the articles the run made no brief of;
    `reviewed` (see `summarize.outdir.reviews.with_reviews`) marks what reviewers checked.
    """
    text = render_memo(
        briefs,
        resolve_format(out, fmt),
        title=title,
        as_of=as_of,
        synthesis=synthesis,
        run=run,
        reviewed=reviewed,
    )
    write_text_atomic(out, text)
