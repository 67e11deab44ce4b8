"""Fetching article pages by URL into the output folder, once.

Each page is stored as it came (`<out>/pages/<slug>.html`, `.pdf`, `.docx` or `.txt`) with
a sidecar (`<slug>.json`: the URL given, the final URL after redirects, status, content
type, when). The article is read from the stored copy, so its evidence offsets point into a
file that stays, and a later run reads the copy instead of fetching again.

Bounded on every side: a timeout for the whole download, a size cap, a few redirects, and
a User-Agent that names summarize. A page that cannot be had fails with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

import httpx2

from summarize import __version__
from summarize.atomic import write_bytes_atomic, write_text_atomic
from summarize.core.results import Stage
from summarize.sources.parsed import Unusable

_log = logging.getLogger(__name__)

USER_AGENT = f"summarize/{__version__} (news event-brief extraction; one request per article)"
MAX_REDIRECTS = 5
# What a URL may hold, by content type, and the suffix its stored copy gets (which reader).
PAGE_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
}
_SLUG_UNSAFE = re.compile(r"[^a-z0-9._]+")
_SLUG_CHARS, _HASH_CHARS = 80, 8


@dataclass(frozen=True)
class StoredPage:
    """A fetched page on disk: its sidecar, and where the copy is."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    fetched_at: str
    file: str  # the copy's name, beside the sidecar
    sha256: str


_SIDECAR_KEYS = frozenset(StoredPage.__dataclass_fields__)


@dataclass(frozen=True)
class FetchOptions:
    """Where pages go and how long a download may take; the size cap comes from --max-chars."""

    pages: Path
    timeout: float = 30.0


def is_sidecar(path: Path) -> bool:
    """Whether `path` is a stored page's sidecar (`<slug>.json` beside its copy), which a
    walk of a pages folder must not take for an article of JSON records."""
    if path.suffix.lower() != ".json":
        return False
    if not any(path.with_suffix(s).is_file() for s in set(PAGE_TYPES.values())):
        return False
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return (
        isinstance(data, dict)
        and data.keys() == _SIDECAR_KEYS
        and (path.with_name(str(data["file"])).is_file())
    )


def page_slug(url: str) -> str:
    """The stored copy's name: host and path, readable, plus a hash of the whole URL."""
    parts = urlsplit(url)
    readable = _SLUG_UNSAFE.sub("-", f"{parts.hostname or ''}{parts.path}".lower()).strip("-.")
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    return f"{readable[:_SLUG_CHARS].rstrip('-.')}-{digest}"


class Fetcher:
    """Fetches pages into `options.pages`, or finds them there from an earlier run."""

    def __init__(self, options: FetchOptions, max_bytes: int) -> None:
        self.pages = options.pages
        self.timeout = options.timeout
        self.max_bytes = max_bytes
        self._client: httpx2.Client | None = None

    def get(self, url: str) -> tuple[Path, StoredPage]:
        """The stored copy of `url` (fetched now if no run has yet) and its sidecar."""
        stored = self._stored(url)
        if stored is not None:
            _log.info("stored %s (fetched %s)", url, stored[1].fetched_at)
            return stored
        _log.info("fetching %s", url)
        path, page = self._fetch(url)
        _log.info("fetched %s: %s, %s bytes", url, page.content_type, f"{path.stat().st_size:,}")
        return path, page

    def _stored(self, url: str) -> tuple[Path, StoredPage] | None:
        sidecar = self.pages / f"{page_slug(url)}.json"
        try:
            page = StoredPage(**json.loads(sidecar.read_text(encoding="utf-8")))
            copy = self.pages / page.file
            data = copy.read_bytes()
        except (OSError, ValueError, TypeError):
            return None  # never fetched, or the copy or sidecar was removed or damaged
        if page.url != url or hashlib.sha256(data).hexdigest() != page.sha256:
            return None
        return copy, page

    def _fetch(self, url: str) -> tuple[Path, StoredPage]:
        data, final_url, status, content_type, charset = self._download(url)
        suffix = PAGE_TYPES.get(content_type) or _sniffed(data)
        if suffix is None:
            raise Unusable(
                f"answered with {content_type or 'no content type'}, not a web page, PDF or "
                "Word file; give the URL of the article's page",
                Stage.FETCH,
            )
        slug = page_slug(url)
        page = StoredPage(
            url=url,
            final_url=final_url,
            status=status,
            content_type=content_type,
            charset=charset,
            fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            file=f"{slug}{suffix}",
            sha256=hashlib.sha256(data).hexdigest(),
        )
        copy = self.pages / page.file
        write_bytes_atomic(copy, data)
        # The sidecar last: a copy without one is fetched again, never trusted half-written.
        write_text_atomic(self.pages / f"{slug}.json", json.dumps(asdict(page), indent=2) + "\n")
        return copy, page

    def _download(self, url: str) -> tuple[bytes, str, int, str, str | None]:
        deadline = time.monotonic() + self.timeout
        try:
            with self._http().stream("GET", url) as response:
                _check_status(response)
                content_type = response.headers.get("content-type", "")
                mime = content_type.partition(";")[0].strip().lower()
                if mime and mime not in PAGE_TYPES:
                    raise Unusable(
                        f"answered with {mime}, not a web page, PDF or Word file; give the "
                        "URL of the article's page",
                        Stage.FETCH,
                    )
                self._check_size(response.headers.get("content-length"))
                body = bytearray()
                # As the bytes arrive (no chunk size): the deadline is checked at each read.
                for chunk in response.iter_bytes():
                    body += chunk
                    self._check_size(len(body))
                    if time.monotonic() > deadline:
                        raise httpx2.ReadTimeout("the download took too long")
                charset = response.charset_encoding
                return bytes(body), str(response.url), response.status_code, mime, charset
        except Unusable:
            raise
        except httpx2.TooManyRedirects as exc:
            raise Unusable(
                f"redirected more than {MAX_REDIRECTS} times (a redirect loop?); open it in a "
                "browser and give the address it ends at",
                Stage.FETCH,
            ) from exc
        except httpx2.TimeoutException as exc:
            raise Unusable(
                f"could not be downloaded within {self.timeout:g} s; try again later, or "
                "raise --fetch-timeout",
                Stage.FETCH,
            ) from exc
        except httpx2.HTTPError as exc:
            raise Unusable(
                f"could not be fetched ({type(exc).__name__}: {exc}); check the URL and the "
                "network",
                Stage.FETCH,
            ) from exc

    def _check_size(self, size: str | int | None) -> None:
        try:
            n = int(size) if size is not None else 0
        except ValueError:
            return  # a bad Content-Length: the bytes themselves are counted
        if n > self.max_bytes:
            raise Unusable(
                f"is more than {self.max_bytes:,} bytes, more than a page whose article fits "
                "--max-chars can be; it was not downloaded: raise --max-chars if the model's "
                "context holds it",
                Stage.SIZE,
            )

    def _http(self) -> httpx2.Client:
        if self._client is None:
            self._client = httpx2.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=self.timeout,
                headers={"user-agent": USER_AGENT},
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _check_status(response: httpx2.Response) -> None:
    status = response.status_code
    if status < 300:
        return
    reason = f"HTTP {status} {response.reason_phrase}".strip()
    if status in (401, 403):
        advice = (
            "the site refuses automated fetching or wants a login: save the page from a "
            "browser and add the .html file instead"
        )
    elif status in (404, 410):
        advice = "check the URL"
    elif status == 429 or status >= 500:
        advice = "the site is busy or failing: try again later"
    else:
        advice = "check the URL in a browser"
    raise Unusable(f"answered {reason}; {advice}", Stage.FETCH)


def _sniffed(data: bytes) -> str | None:
    """The suffix for a body sent with no content type, if it plainly is a page or a PDF."""
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return ".pdf"
    if head.startswith((b"<!doctype html", b"<html")):
        return ".html"
    return None
