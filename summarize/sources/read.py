"""Reading articles from files and folders: decoding, metadata and stable ids (I/O shell).

`iter_articles` never raises for a bad input: each file (or JSON record) it cannot use
becomes an `IngestError` saying which file, what is wrong and what to do, and the run goes
on with the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import trafilatura

from summarize.core import boilerplate
from summarize.core.article import Article, IngestError, article_id, normalize_text, printable
from summarize.core.results import Stage
from summarize.sources import metadata
from summarize.sources.decoding import decode_text, not_text, one_line, repair

__all__ = ["SUPPORTED_SUFFIXES", "decode_text", "iter_articles"]

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".json", ".jsonl"}

# JSON record fields, first present wins.
_TEXT_FIELDS = ("text", "content", "body")
_TITLE_FIELDS = ("title", "headline")
_URL_FIELDS = ("url", "link")
_DATE_FIELDS = ("date", "published", "published_at", "published_date")
_OUTLET_FIELDS = ("outlet", "source")

# Section labels that some pages print above the headline ("Beat: Politics").
_LABEL_LINE = re.compile(
    r"(beat|section|category|categories|rubric|topic|topics|tags?|kategorie|rubrik"
    r"|secci[oó]n|рубрика)\s*:\s*\S.{0,40}",
    re.IGNORECASE,
)
_ANGLE_URL = re.compile(r"<(https?://[^\s<>]+)>")
_URL = re.compile(r"https?://[^\s<>\"']+")
_ONLINE_MARKER = re.compile(
    r"^[ \t]*(article online|original article|source url|permalink|read online"
    r"|link to (the )?article|online version)[ \t]*:?(?P<rest>.*)$",
    re.IGNORECASE | re.MULTILINE,
)
# How many non-empty lines after an "Article online:" marker may hold its URL.
_URL_LOOKAHEAD_LINES = 2
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.I)
# What a page of menus, scripts and "enable JavaScript" notices lacks: one line of prose.
# Characters count too, for scripts written without spaces between words.
_PROSE_WORDS, _PROSE_CHARS = 10, 60
# A character takes at most 4 bytes (UTF-8, UTF-16), and a BOM up to 3 more: a text file
# bigger than this many bytes a character holds more text than --max-chars lets through.
_BYTES_PER_CHAR, _BOM_BYTES = 4, 3
# A page carries markup, scripts and styles around its article text: it may be this many
# times the size of a text file.
_PAGE_OVERHEAD = 50


def _title_from_text(text: str, markdown: bool) -> str | None:
    for raw in text.split("\n"):
        line = raw.strip()
        if markdown:
            line = line.lstrip("#").strip()
        if line and not _LABEL_LINE.fullmatch(line):
            return line
    return None


def _url_from_text(text: str) -> str | None:
    """A URL the page gives as its own: in <...> or right after an "Article online:" label."""
    found: list[tuple[int, str]] = []
    angle = _ANGLE_URL.search(text)
    if angle:
        found.append((angle.start(1), angle.group(1)))
    for marker in _ONLINE_MARKER.finditer(text):
        later = [line for line in text[marker.end() :].split("\n") if line.strip()]
        following = [marker.group("rest"), *later[:_URL_LOOKAHEAD_LINES]]
        for line in following:
            m = _URL.search(line)
            if m:
                found.append((marker.start(), m.group(0).rstrip(".,;:)]>")))
                break
    return min(found)[1] if found else None


def _build(
    path: Path,
    stem: str,
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    date_text: str | None = None,
    markdown: bool = False,
    html: str | None = None,
) -> Article:
    text, repaired = repair(text)
    title, url, outlet, date_text = map(_metadata, (title, url, outlet, date_text))
    url = url or metadata.first_line_url(text) or _url_from_text(text)
    page = metadata.page_facts(text, url=url, outlet=outlet, date_text=date_text, html=html)
    body_end = boilerplate.article_end(text)
    body_start = min(boilerplate.article_start(text), body_end)
    return Article(
        id=article_id(stem, text),
        path=path,
        text=text,
        body_end=body_end,
        body_start=body_start,
        # Metadata goes into the prompt line by line: one line each, or none. A capture's
        # URL and header lines are not its title.
        title=title or one_line(_title_from_text(text[body_start:], markdown)),
        url=page.url,
        outlet=one_line(page.outlet),
        outlet_from=page.outlet_from,
        site=page.site,
        published_text=one_line(page.published_text),
        published_date=page.published_date,
        published_from=page.published_from,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        repaired=repaired,
    )


def _metadata(value: str | None) -> str | None:
    return one_line(repair(value)[0]) if value else None


class _Unusable(Exception):
    """A file or record that cannot become an article; the message says why."""

    def __init__(self, message: str, stage: Stage = Stage.INGEST) -> None:
        super().__init__(message)
        self.stage = stage


def _error(path: Path, cause: str, stage: Stage = Stage.INGEST) -> IngestError:
    return IngestError(path=path, cause=cause, stage=stage)


def _shown(path: Path) -> str:
    return printable(str(path))


def size_limit(suffix: str, max_chars: int) -> int | None:
    """The most bytes a file can have and still hold an article of `max_chars` characters
    (None: no limit, for JSON and JSONL files, which hold any number of records)."""
    most = max_chars * _BYTES_PER_CHAR + _BOM_BYTES
    if suffix in TEXT_SUFFIXES:
        return most
    return most * _PAGE_OVERHEAD if suffix in HTML_SUFFIXES else None


def _checked_size(size: int, suffix: str, max_chars: int | None) -> int | None:
    """The most bytes a file of `size` bytes may have (None: any); over it, it is refused."""
    if max_chars is None:
        return None
    limit = size_limit(suffix, max_chars)
    if limit is not None and size > limit:
        room = "4 bytes a character" if suffix in TEXT_SUFFIXES else "with room for markup"
        raise _Unusable(
            f"is {size:,} bytes, more than a file can be whose article fits --max-chars "
            f"({max_chars:,} characters: {limit:,} bytes, {room}); it was not read: raise "
            "--max-chars if the model's context holds it, or split the article into parts",
            Stage.SIZE,
        )
    return limit


def _read_bytes(path: Path, max_chars: int | None) -> bytes:
    try:
        info = path.stat()
    except OSError as exc:
        if path.is_symlink():
            raise _Unusable("is a broken symbolic link; fix or remove the link") from exc
        raise _Unusable(f"cannot be opened ({exc.strerror or exc}); check it exists") from exc
    if not stat.S_ISREG(info.st_mode):
        raise _Unusable("is not a regular file; give a text, HTML or JSON file instead")
    suffix = path.suffix.lower()
    # Checked before reading: a file of 100 MB would otherwise be read whole to be refused.
    limit = _checked_size(info.st_size, suffix, max_chars)
    try:
        with path.open("rb") as handle:
            # Bounded even so: the file may have grown since it was measured.
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise _Unusable(f"cannot be read ({exc.strerror or exc}); check its permissions") from exc
    _checked_size(len(data), suffix, max_chars)
    return data


def _decoded(path: Path, data: bytes, declared: str | None = None) -> str:
    why = not_text(data)
    if why is not None:
        raise _Unusable(
            f"looks binary ({why}), not text; convert it to UTF-8 text or remove it from the folder"
        )
    text = decode_text(data, declared)
    if not text.strip():
        raise _Unusable("is empty (or only whitespace); add the article text or remove the file")
    return text


def _from_text_file(path: Path, data: bytes) -> Article:
    text = _decoded(path, data)
    return _build(path, path.stem, text, markdown=path.suffix.lower() == ".md")


def _has_prose(text: str) -> bool:
    return any(
        len(words) >= _PROSE_WORDS or sum(map(len, words)) >= _PROSE_CHARS
        for words in (line.split() for line in text.split("\n"))
    )


def _meta_str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _from_html(path: Path, data: bytes) -> Article:
    m = _DECLARED_CHARSET.search(data[:4096])
    html = _decoded(path, data, m.group(1).decode("ascii", "replace") if m else None)
    try:
        extracted = trafilatura.extract(html, include_comments=False)
        # Markup only: trafilatura's text search for dates would be a guess.
        meta = trafilatura.extract_metadata(html, extensive=False)
    except Exception as exc:  # a third-party parser: any failure is this file's problem
        raise _Unusable(f"could not be parsed as HTML ({type(exc).__name__}: {exc})") from exc
    text = normalize_text(extracted) if isinstance(extracted, str) else ""
    if not _has_prose(text):
        raise _Unusable(
            "has no article text that could be extracted (only menus, scripts or short "
            "notices, if anything); check it is an article page, or save the article as a "
            ".txt file"
        )
    return _build(
        path,
        path.stem,
        text,
        title=_meta_str(getattr(meta, "title", None)),
        url=_meta_str(getattr(meta, "url", None)),
        date_text=_meta_str(getattr(meta, "date", None)),
        html=html,
    )


def _field(record: dict[str, object], names: tuple[str, ...], where: str) -> str | None:
    for name in names:
        value = record.get(name)
        if value is None:
            continue
        if name == "source" and isinstance(value, dict):
            # NewsAPI style: {"source": {"id": ..., "name": "Reuters"}}
            value = value.get("name")
            if value is None:
                continue
        if not isinstance(value, str):
            raise _Unusable(f"{where}: field '{name}' must be a string, not {_json_type(value)}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _Unusable(
                f"{where}: field '{name}' holds an unpaired surrogate escape (\\ud8xx); "
                "fix the JSON escaping"
            ) from exc
        if value.strip():
            return value
    return None


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string" if isinstance(value, str) else type(value).__name__


def _from_record(path: Path, stem: str, record: object, where: str) -> Article:
    if not isinstance(record, dict):
        raise _Unusable(f"{where} is {_json_type(record)}; expected an object with a 'text' field")
    raw = _field(record, _TEXT_FIELDS, where)
    if raw is None:
        raise _Unusable(
            f"{where} has no article text; give it a non-empty 'text' (or 'content' / 'body') field"
        )
    title = _field(record, _TITLE_FIELDS, where)
    url = _field(record, _URL_FIELDS, where)
    date_text = _field(record, _DATE_FIELDS, where)
    outlet = _field(record, _OUTLET_FIELDS, where)
    return _build(
        path,
        stem,
        normalize_text(raw),
        title=title.strip() if title else None,
        url=url.strip() if url else None,
        outlet=outlet.strip() if outlet else None,
        date_text=date_text.strip() if date_text else None,
    )


def _from_json(path: Path, data: bytes) -> Iterator[Article | IngestError]:
    text = _decoded(path, data)
    try:
        loaded: object = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Unusable(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "fix it, or use .jsonl with one record a line"
        ) from exc
    if isinstance(loaded, dict):
        records: list[tuple[str, object, str]] = [(path.stem, loaded, "the record")]
    elif isinstance(loaded, list):
        if not loaded:
            raise _Unusable("holds an empty list; add records with a 'text' field")
        records = [(f"{path.stem}-{i}", r, f"record {i}") for i, r in enumerate(loaded)]
    else:
        raise _Unusable(f"holds {_json_type(loaded)}; expected an object or a list of objects")
    for stem, record, where in records:
        try:
            yield _from_record(path, stem, record, where)
        except _Unusable as exc:
            yield _error(path, f"{_shown(path)}: {exc}; the file's other records are read")


def _from_jsonl(path: Path, data: bytes) -> Iterator[Article | IngestError]:
    text = _decoded(path, data)
    # Record n is line n+1, so fixing or blanking one line never renames the others.
    for index, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        where = f"line {index + 1}"
        try:
            try:
                record: object = json.loads(line)
            except json.JSONDecodeError as exc:
                raise _Unusable(
                    f"{where} is not valid JSON (column {exc.colno}: {exc.msg}); fix that line"
                ) from exc
            yield _from_record(path, f"{path.stem}-{index}", record, where)
        except _Unusable as exc:
            yield _error(path, f"{_shown(path)}: {exc}; the file's other lines are read")


def _read(path: Path, max_chars: int | None) -> Iterator[Article | IngestError]:
    suffix = path.suffix.lower()
    try:
        data = _read_bytes(path, max_chars)
        if suffix in HTML_SUFFIXES:
            yield _from_html(path, data)
        elif suffix == ".json":
            yield from _from_json(path, data)
        elif suffix == ".jsonl":
            yield from _from_jsonl(path, data)
        else:
            yield _from_text_file(path, data)
    except _Unusable as exc:
        yield _error(path, f"{_shown(path)} {exc}", exc.stage)
    except Exception as exc:  # one odd file must not end a batch run
        cause = printable(f"could not be read ({type(exc).__name__}: {exc}); please report this")
        yield _error(path, f"{_shown(path)} {cause}")


def _listed(folder: Path) -> list[str] | IngestError:
    """The names in `folder` to look at, sorted; hidden ones are skipped."""
    try:
        # Names only, not DirEntry objects: a folder of 20,000 articles is held while it is
        # walked, and names take a third of the memory.
        with os.scandir(folder) as it:
            return sorted(e.name for e in it if not e.name.startswith("."))
    except OSError as exc:
        return _error(
            folder,
            f"folder {_shown(folder)} cannot be listed ({exc.strerror or exc}); "
            "check its permissions",
        )


def _walk(root: Path) -> Iterator[Path | IngestError]:
    """Supported files under `root`, sorted by name at every level (depth first).

    Hidden entries are skipped. Symlinked folders are not followed (no loops, no escaping
    the folder); symlinked files are read. The folders being walked are a stack, not
    recursion: any depth of folders is walked.
    """
    first = _listed(root)
    if isinstance(first, IngestError):
        yield first
        return
    # Each entry: a folder and the names in it still to visit, in reverse order.
    stack: list[tuple[Path, list[str]]] = [(root, first[::-1])]
    while stack:
        folder, names = stack[-1]
        if not names:
            stack.pop()
            continue
        path = folder / names.pop()
        try:
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode):
                inside = _listed(path)
                if isinstance(inside, IngestError):
                    yield inside
                else:
                    stack.append((path, inside[::-1]))
                continue
            if stat.S_ISLNK(mode) and path.is_dir():
                continue
        except OSError:
            pass  # a broken link, or gone since listing: _read reports it if it is an article
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path


def iter_articles(root: Path, *, max_chars: int | None = None) -> Iterator[Article | IngestError]:
    """Articles from a file or (recursively, in sorted order) a folder.

    Reads .txt, .md, .html/.htm, .json (an object or a list of records) and .jsonl (one
    record a line); other files are skipped. Anything unusable comes out as an IngestError.
    With `max_chars`, a text file or page too big to hold an article that fits is refused
    (stage "size") without being read; see `size_limit`.
    """
    root = Path(root)
    try:
        is_dir = root.is_dir()
        exists = is_dir or root.exists() or root.is_symlink()
    except OSError:
        is_dir, exists = False, False
    if not exists:
        yield _error(root, f"{_shown(root)} does not exist; give a folder or file of articles")
        return
    if not is_dir:
        if root.suffix.lower() not in SUPPORTED_SUFFIXES:
            yield _error(
                root,
                f"{_shown(root)} is not a supported file type; use "
                + ", ".join(sorted(SUPPORTED_SUFFIXES)),
            )
            return
        yield from _read(root, max_chars)
        return
    for item in _walk(root):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from _read(item, max_chars)
