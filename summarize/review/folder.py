"""A run's output folder as the review app reads it: the articles run.json lists, their
briefs, the reviews beside them, and each article's text read again from its file (or, for
an article fetched by URL, from the copy of its page the run stored in `pages/`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

from pydantic import ValidationError

from summarize.core.article import Article, IngestError
from summarize.core.brief import Brief
from summarize.core.errors import SummarizeError
from summarize.core.review import Review, ReviewState, review_state
from summarize.outdir.manifest import ManifestError, RunJson
from summarize.outdir.reviews import ReviewStore, valid_id
from summarize.outdir.store import OutputStore
from summarize.sources.fetch import StoredPage
from summarize.sources.read import iter_articles, read_page_copy
from summarize.sources.urls import is_url

_WITH_BRIEF = {"done", "skipped"}
_T = TypeVar("_T")


class NotARunOutputError(SummarizeError):
    """The folder is not what `summarize run --out` writes."""


class NoBriefsError(SummarizeError):
    """The run made no brief to review."""


class UnknownArticleError(SummarizeError):
    """An id that names no article of this run."""


@dataclass(frozen=True)
class Entry:
    """One article of the run, as its run.json lists it, with its review."""

    id: str
    file: str
    status: str
    note: str | None
    review: Review | None
    state: ReviewState
    # A review made on an earlier text of this file, now stale (the article id changed).
    stale: Review | None = None
    # Why its review file cannot be read, when it cannot: shown, and saves are refused.
    damaged: str | None = None

    @property
    def has_brief(self) -> bool:
        return self.status in _WITH_BRIEF


@dataclass(frozen=True)
class ArticleText:
    """The article's text now, or why it cannot be shown."""

    article: Article | None
    problem: str | None


class RunFolder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = OutputStore(root)
        self.reviews = ReviewStore(root)
        # Parsed files by path, with the file's identity when parsed: every page and change
        # reads all briefs (the index counts) and the article text again; only what changed
        # on disk is parsed again. A write always changes size, mtime or inode (renames).
        self._parsed: dict[tuple[str, str], tuple[object, object]] = {}

    def _cached(self, kind: str, path: Path, parse: Callable[[], _T]) -> _T:
        try:
            info = path.stat()
            stamp: object = (info.st_mtime_ns, info.st_size, info.st_ino)
        except OSError:
            return parse()  # gone or unreadable: parse says why, nothing is kept
        key = (kind, str(path))
        held = self._parsed.get(key)
        if held is not None and held[0] == stamp:
            return cast(_T, held[1])
        value = parse()
        self._parsed[key] = (stamp, value)
        return value

    @classmethod
    def open(cls, root: Path) -> RunFolder:
        """The folder, checked: a run's output with at least one brief."""
        folder = cls(root)
        if not root.is_dir():
            raise NotARunOutputError(f"{root} is not a folder")
        folder.reviews.tidy()
        entries = folder.entries()
        if not any(e.has_brief for e in entries):
            counts: dict[str, int] = {}
            for e in entries:
                counts[e.status] = counts.get(e.status, 0) + 1
            told = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no articles"
            raise NoBriefsError(
                f"the run in {root} has no briefs to review ({told})",
                hint=f"see errors.jsonl there, or `summarize log {root}`, then run again",
            )
        return folder

    def manifest(self) -> RunJson:
        hint = "give the folder a `summarize run ... --out FOLDER` wrote"
        if not self.store.manifest_path.is_file():
            raise NotARunOutputError(
                f"{self.root} is not a summarize run output: it has no run.json", hint=hint
            )
        try:
            return self.store.read_manifest()
        except ManifestError as exc:
            raise NotARunOutputError(str(exc), hint=hint) from None

    def entries(self) -> list[Entry]:
        """Every article of the last run, in its order; reviews of earlier texts of a file
        ride on its current entry as stale."""
        listed = self.manifest().articles
        reviews, damaged = self.reviews.read(
            lambda path: self._cached("review", path, lambda: self.reviews.load(path.stem))
        )
        ids = {str(a.id) for a in listed}
        stale_by_file = {r.file: r for i, r in reviews.items() if i not in ids and r.file}
        entries = []
        for a in listed:
            article_id, file = a.id or "", a.file
            if not valid_id(article_id):
                continue
            review = reviews.get(article_id)
            stale = stale_by_file.get(file) if review is None else None
            entries.append(
                Entry(
                    id=article_id,
                    file=file,
                    status=a.status,
                    note=a.note,
                    review=review,
                    state=ReviewState.STALE if stale else review_state(review, None),
                    stale=stale,
                    damaged=damaged.get(article_id),
                )
            )
        return entries

    def entry(self, article_id: str) -> Entry:
        for e in self.entries():
            if e.id == article_id:
                return e
        raise UnknownArticleError(f"no article {article_id!r} in this run")

    def model_brief(self, article_id: str) -> tuple[Brief, str] | None:
        """The model's brief and the sha256 of its file, or None."""
        path = self.store.brief_path(article_id)

        def parse() -> tuple[Brief, str] | None:
            try:
                raw = path.read_bytes()
                return Brief.model_validate_json(raw), hashlib.sha256(raw).hexdigest()
            except (OSError, ValidationError):
                return None

        return self._cached("brief", path, parse)

    def errors(self) -> dict[str, str]:
        """Each failed article's stage and cause, from errors.jsonl."""
        return {
            e.article_id: f"{e.stage}: {e.cause}"
            for e in self.store.read_errors().records
            if e.article_id
        }

    def text(self, entry: Entry) -> ArticleText:
        """The article's text read again from its file, as the run read it."""
        if is_url(entry.file):
            return self._page_text(entry)
        path = self._source_path(entry.file)
        if path is None:
            return ArticleText(
                None,
                f"its file {entry.file} is not found (run.json names it relative to the folder "
                "the run started in: start review from there)",
            )
        read = self._cached("articles", path, lambda: _articles(iter_articles(path)))
        if entry.id in read:
            return ArticleText(read[entry.id], None)
        changed = f" (it now reads as {', '.join(read)})" if read else ""
        return ArticleText(None, f"the text of {entry.file} changed since the run{changed}")

    def _page_text(self, entry: Entry) -> ArticleText:
        """A URL's article, from the copy of the page the run stored (never fetched here)."""
        page = self._stored_page(entry.file)
        if page is None:
            return ArticleText(
                None,
                f"no stored copy of {entry.file} in {self.store.pages_dir} (the run keeps one "
                "for every page it fetched: was pages/ removed? run again to fetch it)",
            )
        copy = self.store.pages_dir / page.file

        def parse() -> dict[str, Article] | None:
            try:
                intact = hashlib.sha256(copy.read_bytes()).hexdigest() == page.sha256
            except OSError:
                return None
            return (
                _articles(read_page_copy(copy, page.charset, entry.file, page.final_url))
                if intact
                else None
            )

        read = self._cached(f"page {page.sha256}", copy, parse)
        if read is None:
            return ArticleText(
                None, f"the stored copy of {entry.file} ({copy}) changed since the run"
            )
        if entry.id in read:
            return ArticleText(read[entry.id], None)
        changed = f" (it now reads as {', '.join(read)})" if read else ""
        return ArticleText(None, f"the stored copy of {entry.file} reads differently now{changed}")

    def _stored_page(self, url: str) -> StoredPage | None:
        """The sidecar of the stored page fetched for `url` (the URL given, else where it
        was sent on to)."""
        pages = self.store.pages_dir
        if not pages.is_dir():
            return None
        given, final = self._cached("sidecars", pages, lambda: _sidecars(pages))
        return given.get(url) or final.get(url)

    def _source_path(self, file: str) -> Path | None:
        path = Path(file)
        for candidate in (path, self.root.parent / path):
            if candidate.is_file():
                return candidate
        return None


def _articles(items: Iterable[Article | IngestError]) -> dict[str, Article]:
    """The articles read from a file, by id (what could not be read is left out)."""
    return {item.id: item for item in items if isinstance(item, Article)}


def _sidecars(pages: Path) -> tuple[dict[str, StoredPage], dict[str, StoredPage]]:
    """The stored pages' sidecars, by the URL given and by the URL it ended at."""
    given: dict[str, StoredPage] = {}
    final: dict[str, StoredPage] = {}
    for sidecar in sorted(pages.glob("*.json")):
        try:
            page = StoredPage(**json.loads(sidecar.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if Path(page.file).name == page.file:  # a name beside the sidecar, never a path
            given.setdefault(page.url, page)
            final.setdefault(page.final_url, page)
    return given, final
