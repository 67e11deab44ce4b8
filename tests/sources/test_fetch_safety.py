"""Fetching by URL, attacked: credentials in URLs, redirects to other hosts and into private
networks, headers sent slowly, bodies without a length, slow sites holding up the others,
charsets declared or not, and stored copies that are no good. Real loopback sites."""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from documents import GOOD_LINES, article_page
from model_server import ReceivedRequest, Reply
from web_site import WebSite, html, redirect

from summarize.core.article import Article, IngestError
from summarize.sources.fetch import (
    MAX_REDIRECTS,
    PER_HOST_FETCHES,
    address_kind,
    redirect_refused,
)
from summarize.sources.read import FetchOptions, iter_articles, size_limit

PAGE = article_page("Berg meets Moos", GOOD_LINES)
STORY = "/news/2021/09/14/berg.html"
PASSWORD = "s3cret-Pass-0987"
# Real Russian text (fixtures/corpus/06_ru_vesti_scholz_putin_call, vesti.ru/article/4222670).
RUSSIAN = (
    "Президент России Владимир Путин и канцлер Германии Олаф Шольц говорили по телефону "
    "около часа. Об этом пишет немецкая газета Sueddeutsche Zeitung."
)
RUSSIAN_MORE = "Аналогичное время общения Путина и Шольца называет и агентство Reuters."


def fetch(
    source: str | Path,
    pages: Path,
    *,
    timeout: float = 10.0,
    max_chars: int | None = 50_000,
    refetch: bool = False,
) -> list[Article | IngestError]:
    options = FetchOptions(pages, timeout=timeout, refetch=refetch)
    return list(iter_articles(source, max_chars=max_chars, fetch=options))


def chain(n: int) -> dict[str, Reply]:
    """/hop/0 redirects to /hop/1 ... to /hop/n, which is the page."""
    pages = {f"/hop/{i}": redirect(f"/hop/{i + 1}", 302) for i in range(n)}
    pages[f"/hop/{n}"] = html(PAGE)
    return pages


@pytest.fixture
def site() -> Iterator[WebSite]:
    pages = {
        STORY: html(PAGE),
        "/slow-headers": html(PAGE).slow_headers(0.3),
        "/unsized-huge": html(article_page("Huge", ["word " * 10_000])).unsized(),
        "/to-private": redirect("http://10.255.255.1/news"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-file": redirect("file:///etc/passwd"),
        "/ru/koi8.txt": Reply(
            body=f"{RUSSIAN}\n{RUSSIAN_MORE}\n".encode("koi8-r"),
            headers={"content-type": "text/plain; charset=koi8-r"},
        ),
        "/ru/cp1251.txt": Reply(
            body=f"{RUSSIAN}\n{RUSSIAN_MORE}\n".encode("cp1251"),
            headers={"content-type": "text/plain; charset=windows-1251"},
        ),
        "/ru/undeclared.html": Reply(
            body=article_page("Шольц и Путин", [RUSSIAN, RUSSIAN_MORE], charset=None).encode(
                "cp1251"
            ),
            headers={"content-type": "text/html"},
        ),
        "/cookie-wall": html(
            "<html><body><div>We use cookies. <button>Accept all</button></div></body></html>"
        ),
        **chain(MAX_REDIRECTS + 1),
    }
    with WebSite(pages) as running:
        yield running


# -- credentials ----------------------------------------------------------------------------------


def with_password(url: str) -> str:
    return url.replace("http://", f"http://analyst:{PASSWORD}@")


def test_url_credentials_are_sent_once_and_never_stored_or_logged(
    site: WebSite, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="summarize.sources.fetch")
    given = with_password(site.url(STORY))
    (article,) = fetch(given, tmp_path / "pages")
    assert isinstance(article, Article), article
    # Used for its request, as Basic auth...
    sent = site.requests[0].headers["authorization"]
    assert base64.b64decode(sent.split()[1]).decode() == f"analyst:{PASSWORD}"
    # ...and nowhere else.
    assert article.url == site.url(STORY) and article.file == site.url(STORY)
    for path in (tmp_path / "pages").iterdir():
        assert PASSWORD not in path.read_text(encoding="utf-8", errors="replace")
        assert "analyst" not in path.read_text(encoding="utf-8", errors="replace")
    assert PASSWORD not in caplog.text and "analyst" not in caplog.text
    assert f"fetching {site.url(STORY)}" in caplog.text


def test_credentials_are_not_in_a_failed_fetchs_error(site: WebSite, tmp_path: Path) -> None:
    (error,) = fetch(with_password(site.url("/missing")), tmp_path / "pages")
    assert isinstance(error, IngestError)
    assert PASSWORD not in f"{error.file} {error.cause}"
    assert error.file == site.url("/missing")


def test_credentials_do_not_follow_a_redirect_to_another_host(
    site: WebSite, tmp_path: Path
) -> None:
    other = site.url(STORY).replace("127.0.0.1", "localhost")
    site.pages["/moved"] = redirect(other)
    (article,) = fetch(with_password(site.url("/moved")), tmp_path / "pages")
    assert isinstance(article, Article), article
    first, second = site.requests
    assert "authorization" in first.headers and "authorization" not in second.headers


# -- redirects ------------------------------------------------------------------------------------


def test_a_redirect_to_another_host_is_recorded_and_said(
    site: WebSite, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="summarize.sources.fetch")
    other = site.url(STORY).replace("127.0.0.1", "localhost")
    site.pages["/moved"] = redirect(other)
    (article,) = fetch(site.url("/moved"), tmp_path / "pages")
    assert isinstance(article, Article), article
    assert article.url == other
    sidecar = json.loads(article.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["redirects"] == [other]
    assert "redirected from 127.0.0.1 to another host, localhost" in sidecar["note"]
    assert "to another host, localhost" in (article.repaired or "")  # the run's notes
    assert "to another host, localhost" in caplog.text  # the fetch line on stderr


def test_redirects_on_the_same_host_are_recorded_without_a_note(
    site: WebSite, tmp_path: Path
) -> None:
    (article,) = fetch(site.url("/hop/2"), tmp_path / "pages")
    assert isinstance(article, Article), article
    sidecar = json.loads(article.path.with_suffix(".json").read_text(encoding="utf-8"))
    hops = [site.url(f"/hop/{i}") for i in range(3, MAX_REDIRECTS + 2)]
    assert sidecar["redirects"] == hops
    assert sidecar["note"] is None and article.repaired is None


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/to-private", "a private network address"),
        ("/to-metadata", "a private network address"),
    ],
)
def test_a_redirect_into_a_private_network_is_refused(
    site: WebSite, tmp_path: Path, path: str, where: str
) -> None:
    (error,) = fetch(site.url(path), tmp_path / "pages", timeout=5)
    assert isinstance(error, IngestError)
    assert error.stage == "fetch"
    assert f"on {where}; a page on the internet sending the fetch there is refused" in error.cause
    assert not (tmp_path / "pages").exists()


def test_a_redirect_to_another_scheme_is_refused(site: WebSite, tmp_path: Path) -> None:
    (error,) = fetch(site.url("/to-file"), tmp_path / "pages")
    assert isinstance(error, IngestError)
    assert "not an http(s) address" in error.cause


@pytest.mark.parametrize(
    ("given", "target", "refused"),
    [
        ("93.184.215.14", "127.0.0.1", True),  # a public page sending the fetch home
        ("93.184.215.14", "10.0.0.7", True),
        ("93.184.215.14", "169.254.169.254", True),  # cloud metadata
        ("93.184.215.14", "::1", True),
        ("93.184.215.14", "::ffff:127.0.0.1", True),
        ("93.184.215.14", "151.101.1.140", False),
        ("127.0.0.1", "127.0.0.1", False),  # the user gave a loopback URL
        ("127.0.0.1", "192.168.1.20", True),
        ("10.0.0.5", "10.0.0.7", False),
    ],
)
def test_which_redirects_are_refused(given: str, target: str, refused: bool) -> None:
    kinds = [address_kind(ipaddress.ip_address(a)) for a in (given, target)]
    assert redirect_refused(*kinds) is refused


def test_the_redirect_limit_holds_on_a_chain_of_distinct_pages(
    site: WebSite, tmp_path: Path
) -> None:
    (error,) = fetch(site.url("/hop/0"), tmp_path / "pages")
    assert isinstance(error, IngestError)
    assert f"redirected more than {MAX_REDIRECTS} times" in error.cause
    assert site.hits(f"/hop/{MAX_REDIRECTS + 1}") == 0
    (article,) = fetch(site.url("/hop/1"), tmp_path / "pages")  # exactly the limit
    assert isinstance(article, Article), article


# -- deadlines, size, concurrency -----------------------------------------------------------------


def test_headers_sent_slowly_fail_at_the_fetch_deadline(site: WebSite, tmp_path: Path) -> None:
    # Every byte of the headers comes well within the timeout; the answer as a whole does not.
    (error,) = fetch(site.url("/slow-headers"), tmp_path / "pages", timeout=1.5)
    assert isinstance(error, IngestError)
    assert "could not be downloaded within 1.5 s" in error.cause


def test_a_body_without_a_length_is_capped_as_it_streams(site: WebSite, tmp_path: Path) -> None:
    (error,) = fetch(site.url("/unsized-huge"), tmp_path / "pages", max_chars=100)
    assert isinstance(error, IngestError)
    assert error.stage == "size"
    assert f"is more than {size_limit('.html', 100):,} bytes" in error.cause
    assert not (tmp_path / "pages").exists()


class HeldUntilOthers:
    """A site where /held answers only once another page was asked for (or after 20 s)."""

    def __init__(self) -> None:
        self.other_asked = threading.Event()

    def __call__(self, request: ReceivedRequest) -> Reply:
        if request.path == "/held":
            self.other_asked.wait(20)
            return html(PAGE)
        self.other_asked.set()
        return html(PAGE)


def test_a_slow_page_does_not_hold_up_the_next_ones(tmp_path: Path) -> None:
    held = HeldUntilOthers()
    with WebSite({}) as site:
        site._responder = held
        listing = tmp_path / "urls.txt"
        listing.write_text(f"{site.url('/held')}\n{site.url('/next')}\n", encoding="utf-8")
        got = fetch(listing, tmp_path / "pages", timeout=10)
    # Fetched one at a time, /held would wait its 20 s and fail at the 10 s deadline.
    assert [type(g).__name__ for g in got] == ["Article", "Article"], got


def test_one_host_gets_at_most_a_few_requests_at_once(tmp_path: Path) -> None:
    lock, gate = threading.Lock(), threading.Event()
    state = {"now": 0, "most": 0}

    def responder(request: ReceivedRequest) -> Reply:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            if state["now"] >= PER_HOST_FETCHES:
                gate.set()
        gate.wait(5)
        with lock:
            state["now"] -= 1
        return html(PAGE)

    with WebSite({}) as site:
        site._responder = responder
        listing = tmp_path / "urls.txt"
        listing.write_text("".join(f"{site.url(f'/p{i}')}\n" for i in range(6)), encoding="utf-8")
        got = fetch(listing, tmp_path / "pages", timeout=30)
    assert all(isinstance(g, Article) for g in got), got
    assert state["most"] == PER_HOST_FETCHES


# -- charsets -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/ru/koi8.txt", "/ru/cp1251.txt"])
def test_a_declared_plain_text_charset_is_honoured(
    site: WebSite, tmp_path: Path, path: str
) -> None:
    (article,) = fetch(site.url(path), tmp_path / "pages")
    assert isinstance(article, Article), article
    assert RUSSIAN in article.text
    assert article.repaired is None  # declared: nothing guessed, nothing to say


def test_undeclared_cp1251_html_is_detected_and_said(site: WebSite, tmp_path: Path) -> None:
    (article,) = fetch(site.url("/ru/undeclared.html"), tmp_path / "pages")
    assert isinstance(article, Article), article
    assert RUSSIAN in article.text
    assert "no charset declared" in (article.repaired or "")
    assert "read as cp1251 by detection" in (article.repaired or "")


# -- refreshing stored copies ---------------------------------------------------------------------


def test_refetch_fetches_a_stored_page_anew(site: WebSite, tmp_path: Path) -> None:
    fetch(site.url(STORY), tmp_path / "pages")
    fetch(site.url(STORY), tmp_path / "pages")
    assert site.hits(STORY) == 1
    fetch(site.url(STORY), tmp_path / "pages", refetch=True)
    assert site.hits(STORY) == 2


def test_a_stored_copy_that_is_no_article_is_set_aside_and_fetched_again(
    site: WebSite, tmp_path: Path
) -> None:
    (error,) = fetch(site.url("/cookie-wall"), tmp_path / "pages")
    assert isinstance(error, IngestError)
    assert "has no article text" in error.cause
    assert "the stored copy in pages/ is set aside, so the next run fetches the page again" in (
        error.cause
    )
    assert "--refetch" in error.cause
    # The site now serves the article: the next run fetches it, not the old wall.
    site.pages["/cookie-wall"] = html(PAGE)
    (article,) = fetch(site.url("/cookie-wall"), tmp_path / "pages")
    assert isinstance(article, Article), article
    assert site.hits("/cookie-wall") == 2
