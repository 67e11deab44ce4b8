"""What each reader gives the dispatcher: an article's text and metadata, or why there is none."""

from __future__ import annotations

from dataclasses import dataclass

from summarize.core.errors import ArticleError
from summarize.core.results import Stage


@dataclass(frozen=True)
class Parsed:
    """Text and metadata read from one file; `read._build` makes the article of it."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    date_text: str | None = None
    markdown: bool = False
    # The page's markup, for metadata the extracted text lacks (og:site_name, JSON-LD).
    html: str | None = None
    # What the run should say about how it was read (a charset found by detection).
    note: str | None = None


class Unusable(ArticleError):
    """A file, page or record that cannot become an article; the message says why and what
    to do. It fails that article only."""

    def __init__(self, message: str, stage: Stage = Stage.INGEST) -> None:
        super().__init__(stage, message)
