"""Reading articles from files, folders and URLs: the dispatcher to each format's reader,
metadata and stable ids (I/O shell).

`iter_articles` never raises for a bad input: each file, page (or JSON record) it cannot use
becomes an `IngestError` saying which file, what is wrong and what to do, and the run goes
on with the rest. Files in a folder that are no article format are reported to `on_skip`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from summarize.core import boilerplate
from summarize.core.article import Article, IngestError, article_id, normalize_text, printable
from summarize.core.results import SkippedFile, Stage
from summarize.sources import metadata
from summarize.sources.decoding import decode_text, noted_text, one_line, repair, text_of
from summarize.sources.fetch import Fetcher, FetchOptions, is_sidecar
from summarize.sources.html import parse_html
from summarize.sources.mail import parse_mail
from summarize.sources.parsed import Parsed, Unusable
from summarize.sources.pdf import parse_pdf
from summarize.sources.urls import UrlList, is_url, url_list, without_credentials
from summarize.sources.word import parse_docx

__all__ = [
    "RECORD_SUFFIXES",
    "SUPPORTED_SUFFIXES",
    "FetchOptions",
    "count_inputs",
    "decode_text",
    "iter_articles",
]

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
# Files with a format of their own: read whole, whatever their size (a PDF's images or a
# mail's attachments say nothing of its text); the text read is held to --max-chars.
DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx", ".eml"})
# Files of records: one file, any number of articles (`count_inputs` counts the file once).
RECORD_SUFFIXES = frozenset({".json", ".jsonl"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCUMENT_SUFFIXES | RECORD_SUFFIXES
# What to do with files that are often mistaken for articles, by suffix.
_CONVERT_HINTS = {
    ".doc": "an old Word file: save it as .docx",
    ".odt": "an OpenDocument file: save it as .docx",
    ".rtf": "a rich-text file: save it as .docx or .txt",
    ".pages": "a Pages file: export it as .docx",
    ".msg": "an Outlook message: save it as .eml",
    ".mht": "a web archive: save the page as .html",
    ".mhtml": "a web archive: save the page as .html",
    ".xml": "an XML file: save the article as .html or .txt",
    **dict.fromkeys(
        (".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".webp", ".heic"),
        "an image: OCR it to text first",
    ),
}

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
# A character takes at most 4 bytes (UTF-8, UTF-16), and a BOM up to 3 more: a text file
# bigger than this many bytes a character holds more text than --max-chars lets through.
_BYTES_PER_CHAR, _BOM_BYTES = 4, 3
# A page carries markup, scripts and styles around its article text: it may be this many
# times the size of a text file.
_PAGE_OVERHEAD = 50
# The most a fetched page may be when no --max-chars bounds it.
_PAGE_CAP_BYTES = 20_000_000
# How much of an e-mail is read: its headers and text body come first, attachments (which
# are not read) after; a 200 MB message is not held whole to find a few kilobytes of text.
MAIL_READ_BYTES = 16_000_000
# How much of a .txt file is looked at to tell a URL list from an article, and the most a
# URL list may be (a hundred thousand URLs): a big article is never read whole to decide.
_URL_LIST_PROBE, URL_LIST_MAX_BYTES = 64_000, 20_000_000


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


def _build(path: Path, stem: str, parsed: Parsed) -> Article:
    text, repaired = repair(parsed.text)
    title, url, outlet, date_text = map(
        _metadata, (parsed.title, parsed.url, parsed.outlet, parsed.date_text)
    )
    url = url or metadata.first_line_url(text) or _url_from_text(text)
    page = metadata.page_facts(text, url=url, outlet=outlet, date_text=date_text, html=parsed.html)
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
        title=title or one_line(_title_from_text(text[body_start:], parsed.markdown)),
        url=page.url,
        outlet=one_line(page.outlet),
        outlet_from=page.outlet_from,
        site=page.site,
        published_text=one_line(page.published_text),
        published_date=page.published_date,
        published_from=page.published_from,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        repaired=_joined(parsed.note, repaired),
    )


def _metadata(value: str | None) -> str | None:
    return one_line(repair(value)[0]) if value else None


def _error(
    path: Path, cause: str, stage: Stage = Stage.INGEST, *, origin: str | None = None
) -> IngestError:
    return IngestError(path=path, cause=cause, stage=stage, origin=origin)


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
        raise Unusable(
            f"is {size:,} bytes, more than a file can be whose article fits --max-chars "
            f"({max_chars:,} characters: {limit:,} bytes, {room}); it was not read: raise "
            "--max-chars if the model's context holds it, or split the article into parts",
            Stage.SIZE,
        )
    return limit


def _read_bytes(path: Path, max_chars: int | None, most: int | None = None) -> bytes:
    try:
        info = path.stat()
    except OSError as exc:
        if path.is_symlink():
            raise Unusable("is a broken symbolic link; fix or remove the link") from exc
        raise Unusable(f"cannot be opened ({exc.strerror or exc}); check it exists") from exc
    if not stat.S_ISREG(info.st_mode):
        raise Unusable("is not a regular file; give an article file or a folder of them")
    suffix = path.suffix.lower()
    # Checked before reading: a file of 100 MB would otherwise be read whole to be refused.
    limit = _checked_size(info.st_size, suffix, max_chars)
    try:
        with path.open("rb") as handle:
            # Bounded even so: the file may have grown since it was measured.
            limit = limit if most is None else min(limit or most, most)
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise Unusable(f"cannot be read ({exc.strerror or exc}); check its permissions") from exc
    if most is None:
        _checked_size(len(data), suffix, max_chars)
    return data


def _parse_text(data: bytes, markdown: bool, charset: str | None = None) -> Parsed:
    text, note = noted_text(data, charset)
    if url_list(text) is not None:
        raise Unusable(
            "lists URLs, not an article: give this file alone as SRC to fetch them "
            "(summarize run FILE)"
        )
    return Parsed(text, markdown=markdown, note=note)


def _parse(suffix: str, data: bytes, charset: str | None = None) -> Parsed:
    """The reader for one file format; JSON, which holds many articles, is read apart."""
    if suffix in HTML_SUFFIXES:
        return parse_html(data, charset)
    if suffix == ".pdf":
        return parse_pdf(data)
    if suffix == ".docx":
        return parse_docx(data)
    if suffix == ".eml":
        return parse_mail(data)
    return _parse_text(data, markdown=suffix == ".md", charset=charset)


def _mail(data: bytes) -> Parsed:
    """An e-mail read from its first `MAIL_READ_BYTES` (a note says when it was cut)."""
    if len(data) <= MAIL_READ_BYTES:
        return parse_mail(data)
    head = data[:MAIL_READ_BYTES]
    cut = (
        f"only its first {MAIL_READ_BYTES:,} bytes were read (the headers and text body "
        "come first; attachments, which are not read, after), to bound memory"
    )
    try:
        parsed = parse_mail(head)
    except Unusable as exc:
        raise Unusable(f"{exc}; {cut}") from exc
    return replace(parsed, note=cut)


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
            raise Unusable(f"{where}: field '{name}' must be a string, not {_json_type(value)}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise Unusable(
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
        raise Unusable(f"{where} is {_json_type(record)}; expected an object with a 'text' field")
    raw = _field(record, _TEXT_FIELDS, where)
    if raw is None:
        raise Unusable(
            f"{where} has no article text; give it a non-empty 'text' (or 'content' / 'body') field"
        )
    title = _field(record, _TITLE_FIELDS, where)
    url = _field(record, _URL_FIELDS, where)
    date_text = _field(record, _DATE_FIELDS, where)
    outlet = _field(record, _OUTLET_FIELDS, where)
    return _build(
        path,
        stem,
        Parsed(
            normalize_text(raw),
            title=title.strip() if title else None,
            url=url.strip() if url else None,
            outlet=outlet.strip() if outlet else None,
            date_text=date_text.strip() if date_text else None,
        ),
    )


def _from_json(path: Path, data: bytes) -> Iterator[Article | IngestError]:
    text = text_of(data)
    try:
        loaded: object = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unusable(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "fix it, or use .jsonl with one record a line"
        ) from exc
    if isinstance(loaded, dict):
        records: list[tuple[str, object, str]] = [(path.stem, loaded, "the record")]
    elif isinstance(loaded, list):
        if not loaded:
            raise Unusable("holds an empty list; add records with a 'text' field")
        records = [(f"{path.stem}-{i}", r, f"record {i}") for i, r in enumerate(loaded)]
    else:
        raise Unusable(f"holds {_json_type(loaded)}; expected an object or a list of objects")
    for stem, record, where in records:
        try:
            yield _from_record(path, stem, record, where)
        except Unusable as exc:
            yield _error(path, f"{_shown(path)}: {exc}; the file's other records are read")


def _from_jsonl(path: Path, data: bytes) -> Iterator[Article | IngestError]:
    text = text_of(data)
    # Record n is line n+1, so fixing or blanking one line never renames the others.
    for index, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        where = f"line {index + 1}"
        try:
            try:
                record: object = json.loads(line)
            except json.JSONDecodeError as exc:
                raise Unusable(
                    f"{where} is not valid JSON (column {exc.colno}: {exc.msg}); fix that line"
                ) from exc
            yield _from_record(path, f"{path.stem}-{index}", record, where)
        except Unusable as exc:
            yield _error(path, f"{_shown(path)}: {exc}; the file's other lines are read")


def _read(
    path: Path, max_chars: int | None, charset: str | None = None
) -> Iterator[Article | IngestError]:
    suffix = path.suffix.lower()
    try:
        most = MAIL_READ_BYTES if suffix == ".eml" else None
        data = _read_bytes(path, max_chars, most)
        if suffix == ".json":
            yield from _from_json(path, data)
        elif suffix == ".jsonl":
            yield from _from_jsonl(path, data)
        elif suffix == ".eml":
            yield _build(path, path.stem, _mail(data))
        else:
            yield _build(path, path.stem, _parse(suffix, data, charset))
    except Unusable as exc:
        yield _error(path, f"{_shown(path)} {exc}", exc.stage)
    except Exception as exc:  # one odd file must not end a batch run
        cause = printable(f"could not be read ({type(exc).__name__}: {exc}); please report this")
        yield _error(path, f"{_shown(path)} {cause}")


def read_page_copy(
    copy: Path, charset: str | None, origin: str, url: str
) -> Iterator[Article | IngestError]:
    """The articles of a page stored by an earlier run, read as that run read them when it
    fetched `origin` (and was sent on to `url`): the review app's text of a URL's article."""
    for item in _read(copy, None, charset=charset):
        yield replace(item, url=url, origin=origin) if isinstance(item, Article) else item


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


OnSkip = Callable[[SkippedFile], None]


def _not_read(path: Path) -> str:
    """Why a file in a folder is not read, by its suffix."""
    suffix = path.suffix.lower()
    hint = _CONVERT_HINTS.get(suffix)
    if hint is not None:
        return hint
    kind = f"{suffix} files" if suffix else "files without a suffix"
    readable = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return f"not an article format ({kind}); summarize reads {readable}"


def _walk(root: Path, on_skip: OnSkip | None) -> Iterator[Path | IngestError]:
    """Supported files under `root`, sorted by name at every level (depth first); the others
    go to `on_skip` with the reason.

    Hidden entries are skipped, and not reported (.git, .DS_Store). Symlinked folders are
    not followed (no loops, no escaping the folder); symlinked files are read. The folders
    being walked are a stack, not recursion: any depth of folders is walked.
    """
    first = _listed(root)
    if isinstance(first, IngestError):
        yield first
        return

    def skip(path: Path, reason: str) -> None:
        if on_skip is not None:
            on_skip(SkippedFile(_shown(path), reason))

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
                skip(path, "a link to a folder: links to folders are not followed")
                continue
        except OSError:
            pass  # a broken link, or gone since listing: _read reports it if it is an article
        if is_sidecar(path):
            skip(path, "the fetch record of the stored page beside it (a sidecar), not an article")
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path
        else:
            skip(path, _not_read(path))


def _listed_urls(path: Path) -> UrlList | None:
    """The URLs a .txt file lists, or None when it is an article (or unreadable: `_read`
    says why)."""
    if path.suffix.lower() != ".txt":
        return None
    try:
        head = _read_bytes(path, None, _URL_LIST_PROBE)
        # The probe's last line may be cut: judged on the whole lines before it.
        whole = head if len(head) <= _URL_LIST_PROBE else head[: head.rfind(b"\n") + 1]
        if url_list(text_of(whole or head)) is None:
            return None
        return url_list(text_of(_read_bytes(path, None, URL_LIST_MAX_BYTES)))
    except Unusable:
        return None


def _bad_lines(listing: UrlList, given: Path) -> Iterator[IngestError]:
    """Each line of a URL list that is no URL: reported, and the others still fetched."""
    for number, line in listing.bad:
        shown = without_credentials(line)[:200]
        yield _error(
            given,
            f"{_shown(given)} line {number} is not an http(s) URL ({shown!r}); fix or remove "
            "the line: the list's other lines are fetched",
        )


def _fetched(
    urls: list[str], given: Path | None, options: FetchOptions | None, max_chars: int | None
) -> Iterator[Article | IngestError]:
    """Each URL's article, read from its stored copy (fetched first if no run has).

    A URL's credentials (`user:password@`) are used for its request only: what is stored,
    logged or shown names the URL without them."""
    if options is None:
        for url in urls:
            shown = without_credentials(url)
            yield _error(
                given or Path(shown),
                f"{shown} is a URL: `summarize run` fetches pages, this command reads files; "
                "run it first, or save the pages in a folder",
                origin=shown,
            )
        return
    cap = size_limit(".html", max_chars) if max_chars else _PAGE_CAP_BYTES
    with Fetcher(options, cap or _PAGE_CAP_BYTES) as fetcher:
        for url, got in fetcher.get_all(urls):
            shown = without_credentials(url)
            if isinstance(got, Unusable):
                yield _error(given or Path(shown), f"{shown} {got}", got.stage, origin=shown)
                continue
            copy, page = got
            for item in _read(copy, max_chars, charset=page.charset):
                if isinstance(item, Article):
                    # Offsets index the stored copy's text; the brief names the page's URL.
                    yield replace(
                        item,
                        url=page.final_url,
                        origin=shown,
                        repaired=_joined(item.repaired, page.note),
                    )
                else:
                    # A cookie wall, a cut or mislabelled body: not a good copy to keep.
                    fetcher.forget(url)
                    cause = (
                        f"{item.cause}; the stored copy in {options.pages.name}/ is set aside, "
                        "so the next run fetches the page again (--refetch fetches every page "
                        "anew)"
                    )
                    yield replace(item, origin=shown, cause=without_credentials(cause))


def _joined(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None


def iter_articles(
    root: Path | str,
    *,
    max_chars: int | None = None,
    fetch: FetchOptions | None = None,
    on_skip: OnSkip | None = None,
) -> Iterator[Article | IngestError]:
    """Articles from a URL, a file, a .txt file listing URLs, or (recursively, in sorted
    order) a folder.

    Reads .txt, .md, .html/.htm, .pdf, .docx, .eml, .json (an object or a list of records)
    and .jsonl (one record a line); other files in a folder go to `on_skip` with the reason.
    URLs are fetched into `fetch.pages` (without `fetch`, each is an error). Anything
    unusable comes out as an IngestError. With `max_chars`, a text file or page too big to
    hold an article that fits is refused (stage "size") without being read; see `size_limit`.
    """
    if isinstance(root, str) and is_url(root):
        yield from _fetched([root], None, fetch, max_chars)
        return
    root = Path(root)
    try:
        is_dir = root.is_dir()
        exists = is_dir or root.exists() or root.is_symlink()
    except OSError:
        is_dir, exists = False, False
    if not exists:
        yield _error(
            root, f"{_shown(root)} does not exist; give a folder or file of articles, or a URL"
        )
        return
    if not is_dir:
        if root.suffix.lower() not in SUPPORTED_SUFFIXES:
            yield _error(
                root,
                f"{_shown(root)} is not a supported file type; use "
                + ", ".join(sorted(SUPPORTED_SUFFIXES)),
            )
            return
        listing = _listed_urls(root)
        if listing is not None:
            yield from _bad_lines(listing, root)
            yield from _fetched(listing.urls, root, fetch, max_chars)
            return
        yield from _read(root, max_chars)
        return
    for item in _walk(root, on_skip):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from _read(item, max_chars)


def count_inputs(root: Path | str) -> int:
    """How many inputs `iter_articles(root)` will read: files by name (none is opened, so
    memory and time stay flat), URLs, and the URLs a URL list holds.

    A JSON or JSONL file counts once, however many records it holds: the caller learns of
    the others as they are read.
    """
    if isinstance(root, str) and is_url(root):
        return 1
    root = Path(root)
    try:
        if not root.is_dir():
            urls = _listed_urls(root) if root.is_file() else None
            return len(urls) if urls is not None else 1
    except OSError:
        return 1
    return sum(1 for _ in _walk(root, None))
