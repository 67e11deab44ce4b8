"""The memo's file shell: briefs (and the record of the run that made them) read from a
folder, the memo written to a file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarize.atomic import write_text_atomic
from summarize.core.brief import Brief
from summarize.core.errors import SummarizeError
from summarize.memo.citations import MemoSynthesis
from summarize.memo.coverage import RunRecord, run_record
from summarize.memo.render import render_memo, resolve_format
from summarize.run.reviews import ReviewStore
from summarize.run.store import OutputStore


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
        data = _read_json(store.manifest_path, problems)
        if isinstance(data, dict):
            manifest = data
        elif data is not None:
            problems.append(f"{store.manifest_path} is not a run manifest")
    errors: list[dict[str, Any]] = []
    if store.errors_path.is_file():
        errors = _read_error_lines(store.errors_path, problems)
    return run_record(manifest, errors, problems)


def _read_json(path: Path, problems: list[str]) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(f"{path}: {exc}")
        return None


def _read_error_lines(path: Path, problems: list[str]) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: {exc}")
        return []
    errors: list[dict[str, Any]] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        if isinstance(record, dict):
            errors.append(record)
        else:
            problems.append(f"{path} line {n} is not an error record")
    return errors


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


def with_reviews(folder: Path, briefs: Sequence[Brief]) -> tuple[list[Brief], frozenset[str]]:
    """`briefs` with each replaced by its reviewer's corrected brief where `folder` (a run's
    output) has one made on the same article text; and the ids of those marked reviewed.

    A review made on other text (the article changed since) is stale: the model's brief of
    the text as it is now stands, and the review waits in reviews/ to be looked at again.
    """
    reviews = ReviewStore(folder).all() if folder.is_dir() else {}
    out: list[Brief] = []
    reviewed: set[str] = set()
    for brief in briefs:
        review = reviews.get(brief.article_id)
        if review is None or review.article_sha256 != brief.provenance.article_sha256:
            out.append(brief)
            continue
        if review.corrections or review.reviewed:
            out.append(review.brief)
        else:
            out.append(brief)
        if review.reviewed:
            reviewed.add(brief.article_id)
    return out, frozenset(reviewed)


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
    `reviewed` (see `with_reviews`) marks what reviewers checked.
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
