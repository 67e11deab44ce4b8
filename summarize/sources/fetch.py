"""Fetching article pages by URL into the output folder, once.

Each page is stored as it came (`<out>/pages/<slug>.html`, `.pdf`, `.docx` or `.txt`) with
a sidecar (`<slug>.json`: the URL given, the final URL after redirects, the hosts it was
redirected through, status, content type, when). The article is read from the stored copy,
so its evidence offsets point into a file that stays, and a later run reads the copy instead
of fetching again (unless `--refetch`, or the copy could not be read as an article).

Bounded on every side: one deadline per page for connect, headers and body together, a
size cap while the body streams, a few redirects (none into a loopback or private network
address unless the URL given was one), and a User-Agent that names summarize. Pages are
fetched a few at a time, at most two from one host. A page that cannot be had fails with
the reason. Credentials in a URL (`user:password@`) go with its request only (never to
another host) and are in nothing stored, logged or shown.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import ipaddress
import json
import logging
import re
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx2

from summarize import __version__
from summarize.atomic import write_bytes_atomic, write_text_atomic
from summarize.core.results import Stage
from summarize.settings import url_credentials
from summarize.sources.parsed import Unusable
from summarize.sources.urls import without_credentials

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

    url: str  # as given, without credentials
    final_url: str
    status: int
    content_type: str
    charset: str | None
    fetched_at: str
    file: str  # the copy's name, beside the sidecar
    sha256: str
    # Each URL a redirect led to, in order (none when the page answered at once).
    redirects: list[str] = field(default_factory=list)
    # What a reader should know: the page ended on another host than the one given.
    note: str | None = None


_SIDECAR_KEYS = frozenset(StoredPage.__dataclass_fields__)


@dataclass(frozen=True)
class FetchOptions:
    """Where pages go and how long one may take; the size cap comes from --max-chars.

    `refetch` fetches every page anew instead of reading its stored copy; `interrupted`
    is asked while pages are awaited, so that a stop signal ends the wait at once.
    """

    pages: Path
    timeout: float = 30.0
    refetch: bool = False
    interrupted: Callable[[], bool] | None = None


class FetchInterrupted(Exception):
    """The run was told to stop (Ctrl-C, SIGTERM) while pages were being fetched."""


# Pages fetched at once, and from one host at once (a site is not to be hammered); how many
# URLs of a list are started ahead of the one being read.
CONCURRENT_FETCHES, PER_HOST_FETCHES, AHEAD = 6, 2, 12
# How often a wait for a page looks whether the run was told to stop.
_POLL_SECONDS = 0.1


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


Fetched = tuple[Path, StoredPage] | Unusable


class Fetcher:
    """Fetches pages into `options.pages`, or finds them there from an earlier run."""

    def __init__(self, options: FetchOptions, max_bytes: int) -> None:
        self.pages = options.pages
        self.timeout = options.timeout
        self.refetch = options.refetch
        self.interrupted = options.interrupted
        self.max_bytes = max_bytes
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client: httpx2.AsyncClient | None = None
        self._slots: asyncio.Semaphore | None = None
        self._hosts: dict[str, asyncio.Semaphore] = {}

    def get(self, url: str) -> tuple[Path, StoredPage]:
        """The stored copy of `url` (fetched now if no run has yet) and its sidecar."""
        ((_, got),) = self.get_all([url])
        if isinstance(got, Unusable):
            raise got
        return got

    def get_all(self, urls: Iterable[str]) -> Iterator[tuple[str, Fetched]]:
        """Each URL with its stored copy or why there is none, in the order given; up to
        `AHEAD` pages are fetched at once behind the one being read."""
        window: list[tuple[str, concurrent.futures.Future[Fetched] | Fetched]] = []
        todo = iter(urls)
        try:
            while True:
                while len(window) < AHEAD:
                    url = next(todo, None)
                    if url is None:
                        break
                    window.append((url, self._start(url)))
                if not window:
                    return
                url, pending = window.pop(0)
                yield url, self._wait(pending)
        finally:
            for _, pending in window:
                if isinstance(pending, concurrent.futures.Future):
                    pending.cancel()

    def forget(self, url: str) -> None:
        """Set a stored copy aside (its sidecar goes): it did not read as an article, so the
        next run fetches the page again instead of failing on the same copy."""
        (self.pages / f"{page_slug(without_credentials(url))}.json").unlink(missing_ok=True)

    def _start(self, url: str) -> concurrent.futures.Future[Fetched] | Fetched:
        stored = None if self.refetch else self._stored(url)
        if stored is not None:
            _log.info(
                "stored %s (fetched %s; --refetch fetches it anew)",
                without_credentials(url),
                stored[1].fetched_at,
            )
            return stored
        return asyncio.run_coroutine_threadsafe(self._fetch(url), self._running_loop())

    def _wait(self, pending: concurrent.futures.Future[Fetched] | Fetched) -> Fetched:
        if not isinstance(pending, concurrent.futures.Future):
            return pending
        while True:
            if self.interrupted is not None and self.interrupted():
                pending.cancel()
                raise FetchInterrupted("stopped while fetching pages")
            try:
                return pending.result(timeout=_POLL_SECONDS)
            except concurrent.futures.TimeoutError:
                continue

    def _stored(self, url: str) -> tuple[Path, StoredPage] | None:
        shown = without_credentials(url)
        sidecar = self.pages / f"{page_slug(shown)}.json"
        try:
            page = StoredPage(**json.loads(sidecar.read_text(encoding="utf-8")))
            copy = self.pages / page.file
            digest = hashlib.sha256()
            with copy.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except (OSError, ValueError, TypeError):
            return None  # never fetched, or the copy or sidecar was removed or damaged
        if page.url != shown or digest.hexdigest() != page.sha256:
            return None
        return copy, page

    # -- the fetching thread -------------------------------------------------------------

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        """The event loop the pages are fetched in, on a thread of its own: the caller's
        thread only waits, so a stop signal reaches it however slow a site is."""
        if self._loop is None:
            # Made here, before any page's deadline runs: building the client (its TLS
            # context) takes a moment a short --fetch-timeout should not be spent on.
            self._http()
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(
                target=self._loop.run_forever, name="summarize-fetch", daemon=True
            )
            self._thread.start()
        return self._loop

    async def _fetch(self, url: str) -> Fetched:
        shown = without_credentials(url)
        if self._slots is None:
            self._slots = asyncio.Semaphore(CONCURRENT_FETCHES)
        host = urlsplit(url).hostname or ""
        per_host = self._hosts.setdefault(host, asyncio.Semaphore(PER_HOST_FETCHES))
        try:
            async with self._slots, per_host:
                _log.info("fetching %s", shown)
                # One deadline for all of it: connect, headers, body, every redirect.
                async with asyncio.timeout(self.timeout):
                    got = await self._download(url)
                path, page = self._store(shown, got)
        except TimeoutError:
            return Unusable(
                f"could not be downloaded within {self.timeout:g} s; try again later, or "
                "raise --fetch-timeout",
                Stage.FETCH,
            )
        except Unusable as exc:
            return exc
        except httpx2.HTTPError as exc:
            cause = str(exc).replace(url, shown)
            return Unusable(
                f"could not be fetched ({type(exc).__name__}: {cause}); check the URL and the "
                "network",
                Stage.FETCH,
            )
        redirected = f" ({page.note})" if page.note else ""
        size = f"{path.stat().st_size:,}"
        _log.info("fetched %s: %s, %s bytes%s", shown, page.content_type, size, redirected)
        return path, page

    async def _download(self, url: str) -> _Download:
        given = urlsplit(url)
        given_kind = await _address_kind(given.hostname or "")
        auth = _credentials(url)
        hops: list[str] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            # The credentials go to the host they were given for, never to another one.
            same_host = _origin(current) == _origin(url)
            request = self._http().build_request("GET", without_credentials(current))
            response = await self._http().send(
                request, auth=auth if same_host else None, stream=True
            )
            try:
                if response.is_redirect and "location" in response.headers:
                    target = urljoin(str(response.url), response.headers["location"])
                    await _check_redirect(target, given_kind)
                    hops.append(without_credentials(target))
                    current = target
                    continue
                return await self._body(response, hops)
            finally:
                await response.aclose()
        raise Unusable(
            f"redirected more than {MAX_REDIRECTS} times (a redirect loop?); open it in a "
            "browser and give the address it ends at",
            Stage.FETCH,
        )

    async def _body(self, response: httpx2.Response, hops: list[str]) -> _Download:
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
        async for chunk in response.aiter_bytes():
            body += chunk
            # Counted as the bytes arrive: a page bigger than the cap is cut off, not held.
            self._check_size(len(body))
        final = without_credentials(str(response.url))
        return _Download(
            bytes(body), final, response.status_code, mime, response.charset_encoding, hops
        )

    def _store(self, shown: str, download: _Download) -> tuple[Path, StoredPage]:
        data = download.data
        sniffed = _sniffed(data)
        suffix = PAGE_TYPES.get(download.content_type) or sniffed
        if sniffed is not None and sniffed != suffix and sniffed == ".pdf":
            suffix = sniffed  # labelled as a page, but a PDF: read as what it is
        if suffix is None:
            raise Unusable(
                f"answered with {download.content_type or 'no content type'}, not a web page, "
                "PDF or Word file; give the URL of the article's page",
                Stage.FETCH,
            )
        slug = page_slug(shown)
        page = StoredPage(
            url=shown,
            final_url=download.final_url,
            status=download.status,
            content_type=download.content_type,
            charset=download.charset,
            fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            file=f"{slug}{suffix}",
            sha256=hashlib.sha256(data).hexdigest(),
            redirects=download.hops,
            note=_other_host(shown, download.final_url),
        )
        copy = self.pages / page.file
        write_bytes_atomic(copy, data)
        # The sidecar last: a copy without one is fetched again, never trusted half-written.
        write_text_atomic(self.pages / f"{slug}.json", json.dumps(asdict(page), indent=2) + "\n")
        return copy, page

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

    def _http(self) -> httpx2.AsyncClient:
        if self._client is None:
            # Redirects are followed here, hop by hop, to check where each one leads.
            self._client = httpx2.AsyncClient(
                follow_redirects=False,
                timeout=self.timeout,
                headers={"user-agent": USER_AGENT},
                trust_env=False,
            )
        return self._client

    def close(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        client = self._client

        async def shut() -> None:
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
            if client is not None:
                await client.aclose()

        # A hung close must not hold the run: the thread is a daemon.
        with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
            asyncio.run_coroutine_threadsafe(shut(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        self._loop = self._thread = self._client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


@dataclass(frozen=True)
class _Download:
    data: bytes
    final_url: str
    status: int
    content_type: str
    charset: str | None
    hops: list[str]


def _credentials(url: str) -> httpx2.BasicAuth | None:
    given = url_credentials(url)
    return httpx2.BasicAuth(*given) if given is not None else None


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.hostname, parts.port


def _other_host(given: str, final: str) -> str | None:
    was, now = urlsplit(given).hostname, urlsplit(final).hostname
    if was == now:
        return None
    return f"redirected from {was} to another host, {now}: the brief names {final}"


# -- where a redirect may lead -------------------------------------------------------------------


async def _address_kind(host: str) -> str:
    """ "loopback", "private" (a local network, link-local, reserved) or "public": for an
    address, its own; for a name, the least public of the addresses it resolves to."""
    host = host.strip("[]").lower()
    if not host:
        return "public"
    try:
        return address_kind(ipaddress.ip_address(host))
    except ValueError:
        pass
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return "public"  # it will not connect either, and says so then
    kinds = {address_kind(ipaddress.ip_address(str(info[4][0]).split("%")[0])) for info in infos}
    for kind in ("loopback", "private"):
        if kind in kinds:
            return kind
    return "public"


def address_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Which network an address is on: "loopback", "private" or "public"."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    if address.is_loopback:
        return "loopback"
    return "public" if address.is_global else "private"


def redirect_refused(given_kind: str, target_kind: str) -> bool:
    """Whether a redirect may not go to an address of `target_kind`: into a loopback or
    private network, unless the URL given was on that kind of network itself."""
    return target_kind != "public" and target_kind != given_kind


async def _check_redirect(target: str, given_kind: str) -> None:
    parts = urlsplit(target)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Unusable(
            f"redirected to {without_credentials(target)!r}, not an http(s) address; open it in "
            "a browser and give the address of the article",
            Stage.FETCH,
        )
    kind = await _address_kind(parts.hostname)
    if redirect_refused(given_kind, kind):
        where = "this machine" if kind == "loopback" else "a private network address"
        raise Unusable(
            f"redirected to {without_credentials(target)}, on {where}; a page on the internet "
            "sending the fetch there is refused (give that URL yourself if it is meant)",
            Stage.FETCH,
        )


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
