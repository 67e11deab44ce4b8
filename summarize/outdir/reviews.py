"""`<out>/reviews/<article-id>.json`: reviewers' corrected briefs, beside the model's briefs.

Runs write only `briefs/`, so no rerun touches a review. Changes go through `update`, which
holds a lock on the folder while it reads, checks the version the reviewer saw, and writes.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from summarize.atomic import write_text_atomic
from summarize.core.brief import Brief
from summarize.core.errors import SummarizeError
from summarize.core.review import REVIEW_FORMAT, Review
from summarize.outdir.paths import LOCK, OutDir
from summarize.outdir.versions import check_format

# Article ids are slugs plus a content hash (core/article.py): one file-name component, never
# a path; nothing else names a file here.
_ID = re.compile(r"[a-z0-9._-]{1,200}")


class ReviewError(SummarizeError):
    """A review file that cannot be read or written."""


class VersionConflict(SummarizeError):
    """The review changed since the reviewer loaded it: their change was not saved."""

    def __init__(self, current: Review | None) -> None:
        super().__init__(
            f"this brief was changed by {current.updated_by} at "
            f"{current.updated_at:%Y-%m-%d %H:%M:%S} since you opened it; your change was "
            "not saved"
            if current is not None
            # A version above 0 with no review file: the file was removed, or never was.
            else "there is no saved review of this brief at the version you saw (was its "
            "file removed?); your change was not saved",
            hint="reload to see the current version, then make your change again",
        )
        self.current = current


def valid_id(article_id: str) -> bool:
    """True for a string shaped like an article id (so it cannot name a path elsewhere)."""
    return _ID.fullmatch(article_id) is not None and article_id not in (".", "..")


class ReviewStore:
    def __init__(self, root: Path) -> None:
        self.dir = OutDir(root).reviews

    def path(self, article_id: str) -> Path:
        if not valid_id(article_id):
            raise ReviewError(f"{article_id!r} is not an article id")
        return self.dir / f"{article_id}.json"

    def load(self, article_id: str) -> Review | None:
        path = self.path(article_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ReviewError(f"cannot read {path}: {exc}") from exc
        _check_format(path, raw)
        try:
            return Review.model_validate_json(raw)
        except ValidationError as exc:
            raise ReviewError(f"{path} is not a review file: {exc.errors()[0]['msg']}") from exc

    def all(self) -> dict[str, Review]:
        """Every readable review by article id; files that are not reviews are left out
        (`damaged` names them)."""
        return self.read()[0]

    def read(
        self, load: Callable[[Path], Review | None] | None = None
    ) -> tuple[dict[str, Review], dict[str, str]]:
        """Every readable review by article id, and why each damaged review file is not one
        (`load` reads one file, as `load` does; the review app's keeps what it parsed).

        Only `*.json` is read: the temp files of a write cut short are never taken for one.
        """
        reviews: dict[str, Review] = {}
        damaged: dict[str, str] = {}
        if not self.dir.is_dir():
            return reviews, damaged
        for path in sorted(self.dir.glob("*.json")):
            if not valid_id(path.stem):
                continue
            try:
                review = load(path) if load else self.load(path.stem)
            except ReviewError as exc:
                damaged[path.stem] = str(exc)
                continue
            if review is not None and review.article_id == path.stem:
                reviews[path.stem] = review
            elif review is not None:
                damaged[path.stem] = f"{path} holds the review of {review.article_id}"
        return reviews, damaged

    def tidy(self) -> None:
        """Remove the temp files of saves a kill cut short (under the lock: none is under
        way)."""
        if self.dir.is_dir():
            with self._locked():
                pass

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # The kernel's lock, as the run's: it goes with the process, so nothing to clean up.
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            # Under the lock no write is under way: temp files here are from a killed one.
            for tmp in self.dir.glob(".*.json.*.tmp"):
                tmp.unlink(missing_ok=True)
            yield
        finally:
            os.close(fd)

    def update(
        self,
        article_id: str,
        seen_version: int,
        change: Callable[[Review | None], Review],
    ) -> Review:
        """Apply `change` to the stored review (None when there is none yet) and save it, if
        the stored version is still `seen_version`; else raise VersionConflict."""
        with self._locked():
            current = self.load(article_id)
            if (current.version if current else 0) != seen_version:
                raise VersionConflict(current)
            changed = change(current)
            changed = changed.model_copy(update={"version": seen_version + 1})
            write_text_atomic(self.path(article_id), changed.model_dump_json(indent=2) + "\n")
            return changed


def _check_format(path: Path, raw: bytes) -> None:
    """Refuse a review from a newer summarize before reading it as this one's (its fields may
    mean more); one without a format number, or an older one, is read."""
    try:
        found = json.loads(raw).get("format", 0)
    except (ValueError, AttributeError):
        return  # not JSON, or not an object: validation says what is wrong
    if isinstance(found, int):
        check_format(path, "review", found, REVIEW_FORMAT)


def standing(review: Review | None, brief: Brief) -> tuple[Brief, bool]:
    """Which brief stands for an article: the reviewer's, when the review was made on the text
    the model's `brief` was made from and it changed or checked something; else the model's.
    With whether a reviewer marked it reviewed.

    A review made on other text (the article changed since) is stale: the model's brief of
    the text as it is now stands, and the review waits in reviews/ to be looked at again.
    """
    if review is None or review.article_sha256 != brief.provenance.article_sha256:
        return brief, False
    if review.corrections or review.reviewed:
        return review.brief, review.reviewed
    return brief, False


def with_reviews(root: Path, briefs: Sequence[Brief]) -> tuple[list[Brief], frozenset[str]]:
    """`briefs` with each replaced by the brief that stands (see `standing`) in the output
    folder `root`, and the ids of those a reviewer marked reviewed."""
    reviews = ReviewStore(root).all() if root.is_dir() else {}
    out: list[Brief] = []
    reviewed: set[str] = set()
    for brief in briefs:
        stands, checked = standing(reviews.get(brief.article_id), brief)
        out.append(stands)
        if checked:
            reviewed.add(brief.article_id)
    return out, frozenset(reviewed)
