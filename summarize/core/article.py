"""An article as the pipeline sees it: text, where it came from, and a stable id (pure)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from summarize.core.brief import Source
from summarize.core.results import Stage

_SLUG_UNSAFE = re.compile(r"[^a-z0-9._-]")
# How Python holds what is not Unicode: a file-name byte that is not UTF-8 (surrogateescape)
# or a lone surrogate escape in JSON. Neither can be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# An id names files: briefs, recordings, and their ".<id>.json.<random>.tmp" temp files (19
# more bytes), all within the 255 bytes a file name may have. Ids of longer names are cut.
MAX_ID_CHARS = 200
_HASH_CHARS = 8


@dataclass(frozen=True)
class Article:
    """One article, as read from a file or a JSON record."""

    id: str
    path: Path
    text: str
    body_end: int
    title: str | None
    url: str | None
    outlet: str | None
    published_text: str | None
    published_date: dt.date | None
    sha256: str
    # What was repaired in the text as read (mis-decoded characters), for the run's notes.
    repaired: str | None = None
    # The URL it was fetched from, when it was (`path` is then the stored copy of the page).
    origin: str | None = None
    # Where leading page furniture ends (a capture's URL line, menus, tickers): the model
    # reads text[body_start:body_end], while evidence offsets still count from text[0].
    body_start: int = 0
    # Where the outlet and the publication date came from ("og:site_name", "json-ld",
    # "text", "metadata"; "header", "url", "date-line", "metadata").
    outlet_from: str | None = None
    published_from: str | None = None
    # The site's domain from the URL ("zeit.de"): the outlet when nothing names it.
    site: str | None = None

    @property
    def file(self) -> str:
        """The file's name (or the URL given) as shown and stored: valid Unicode whatever
        bytes name it."""
        return self.origin or printable(str(self.path))

    @property
    def body(self) -> str:
        """The text without leading and trailing page boilerplate: what the model reads."""
        return self.text[self.body_start : self.body_end]

    def source(self) -> Source:
        """Where the article came from, as the page gives it (the site when nothing names
        the outlet)."""
        named = self.outlet is not None
        return Source(
            outlet=self.outlet if named else self.site,
            headline=self.title,
            url=self.url,
            published_text=self.published_text,
            published_date=self.published_date,
            outlet_from=self.outlet_from if named else ("domain" if self.site else None),
            published_from=self.published_from,
        )


@dataclass(frozen=True, kw_only=True)
class IngestError:
    """A file or record that could not be read as an article, and why."""

    path: Path
    stage: Stage = field(default=Stage.INGEST)
    cause: str
    # The URL given, for a page that could not be fetched or read.
    origin: str | None = None

    @property
    def file(self) -> str:
        """The file's name (or the URL given) as shown and stored: valid Unicode whatever
        bytes name it."""
        return self.origin or printable(str(self.path))

    def __str__(self) -> str:
        return f"{self.file}: {self.cause}"


def printable(text: str) -> str:
    """`text` as valid Unicode: each lone surrogate becomes U+FFFD, the replacement character."""
    return _SURROGATE.sub("\ufffd", text)


def slugify(stem: str) -> str:
    return _SLUG_UNSAFE.sub("-", stem.lower())


def _sha256(text: str) -> str:
    # surrogatepass: a file name that is not UTF-8 still has a stable hash.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def article_id(stem: str, text: str) -> str:
    """Stable id: the slugged name plus the start of the text's SHA-256.

    A name too long for the id to name files is cut, and the start of its own SHA-256 added,
    so that long names that differ only at the end keep different ids.
    """
    slug = slugify(stem)
    longest = MAX_ID_CHARS - _HASH_CHARS - 1
    if len(slug) > longest:
        slug = f"{slug[: longest - _HASH_CHARS - 1]}-{_sha256(stem)[:_HASH_CHARS]}"
    return f"{slug}-{_sha256(text)[:_HASH_CHARS]}"


def normalize_text(text: str) -> str:
    """Line ends as "\\n" and no leading BOM; nothing else changes (evidence offsets)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.removeprefix("\ufeff")
