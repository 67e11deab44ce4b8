"""Articles by URL, against a real loopback web site: stored copies, reruns, and every way a
page can fail to be had."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from documents import GOOD_LINES, article_page, pdf_bytes
from model_server import Reply
from web_site import WebSite, html, redirect

from summarize.core.article import Article, IngestError
from summarize.sources.fetch import USER_AGENT
from summarize.sources.read import FetchOptions, iter_articles, size_limit

PAGE = article_page("Berg meets Moos", GOOD_LINES)
# No <meta charset>: only the server's Content-Type says it is windows-1251.
CYRILLIC = article_page(
    "Лавров и Блинкен",
    [
        "Министр иностранных дел России Сергей Лавров провёл телефонный разговор с "
        "государственным секретарём США Энтони Блинкеном по инициативе американской стороны.",
        "Стороны договорились продолжить контакты по Сирии в ближайшее время.",
    ],
    charset=None,
)


@pytest.fixture
def site() -> Iterator[WebSite]:
    pages = {
        "/news/2021/09/14/berg.html": html(PAGE),
        "/old-link": redirect("/news/2021/09/14/berg.html"),
        "/ru/lavrov": html(CYRILLIC, "windows-1251"),
        "/loop": redirect("/loop", 302),
        "/slow": html(PAGE).after(30),
        "/dripping": html(PAGE).dripping(1.0),
        "/logo.png": Reply(body=b"\x89PNG\r\n\x1a\n", headers={"content-type": "image/png"}),
        "/readout.pdf": Reply(
            body=pdf_bytes([GOOD_LINES]), headers={"content-type": "application/pdf"}
        ),
        "/untyped": Reply(body=PAGE.encode()),
        "/menu-only": html("<html><body><nav><a href='/'>Home</a></nav></body></html>"),
        "/huge": html(article_page("Huge", ["word " * 10_000])),
        "/busy": Reply.text("busy", 503),
    }
    with WebSite(pages) as running:
        yield running


def fetch(
    source: str | Path, pages: Path, *, timeout: float = 10.0, max_chars: int | None = 50_000
) -> list[Article | IngestError]:
    return list(
        iter_articles(source, max_chars=max_chars, fetch=FetchOptions(pages, timeout=timeout))
    )


def one_article(source: str, pages: Path) -> Article:
    (item,) = fetch(source, pages)
    assert isinstance(item, Article), item
    return item


def one_error(source: str, pages: Path, **options: float | None) -> IngestError:
    (item,) = fetch(source, pages, **options)  # type: ignore[arg-type]
    assert isinstance(item, IngestError), item
    assert item.file == source  # the URL given, not a mangled path
    return item


def test_a_page_is_stored_and_read_from_its_copy_with_the_final_url(
    site: WebSite, tmp_path: Path
) -> None:
    given = site.url("/old-link")
    got = one_article(given, tmp_path / "pages")

    final = site.url("/news/2021/09/14/berg.html")
    assert got.url == final
    assert got.file == given
    assert got.text == "\n".join(["Berg meets Moos", *GOOD_LINES])
    assert got.path.parent == tmp_path / "pages" and got.path.suffix == ".html"
    assert got.path.read_bytes() == PAGE.encode()
    sidecar = json.loads(got.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["url"] == given
    assert sidecar["final_url"] == final
    assert sidecar["status"] == 200
    assert sidecar["content_type"] == "text/html"
    assert sidecar["file"] == got.path.name
    assert dt.datetime.fromisoformat(sidecar["fetched_at"]).tzinfo is not None
    assert site.requests[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("summarize/")


def test_a_second_run_reads_the_stored_copy_without_fetching(site: WebSite, tmp_path: Path) -> None:
    url = site.url("/news/2021/09/14/berg.html")
    first = one_article(url, tmp_path / "pages")
    again = one_article(url, tmp_path / "pages")
    assert site.hits("/news/2021/09/14/berg.html") == 1
    assert again == first


def test_a_stored_copy_changed_on_disk_is_fetched_again(site: WebSite, tmp_path: Path) -> None:
    url = site.url("/news/2021/09/14/berg.html")
    first = one_article(url, tmp_path / "pages")
    first.path.write_text("<html>edited</html>", encoding="utf-8")
    again = one_article(url, tmp_path / "pages")
    assert site.hits("/news/2021/09/14/berg.html") == 2
    assert again.text == first.text


def test_the_charset_the_server_declares_decodes_the_page(site: WebSite, tmp_path: Path) -> None:
    got = one_article(site.url("/ru/lavrov"), tmp_path / "pages")
    assert "Сергей Лавров провёл телефонный разговор" in got.text


def test_a_pdf_by_url_is_stored_as_a_pdf_and_read_as_one(site: WebSite, tmp_path: Path) -> None:
    got = one_article(site.url("/readout.pdf"), tmp_path / "pages")
    assert got.path.suffix == ".pdf"
    assert got.text == "\n".join(GOOD_LINES)


def test_a_page_sent_without_a_content_type_is_read_when_it_plainly_is_html(
    site: WebSite, tmp_path: Path
) -> None:
    assert one_article(site.url("/untyped"), tmp_path / "pages").path.suffix == ".html"


@pytest.mark.parametrize(
    ("path", "stage", "expected"),
    [
        ("/missing", "fetch", "answered HTTP 404 Not Found; check the URL"),
        ("/busy", "fetch", "answered HTTP 503 Service Unavailable; the site is busy or failing"),
        ("/loop", "fetch", "redirected more than 5 times (a redirect loop?)"),
        ("/logo.png", "fetch", "answered with image/png, not a web page, PDF or Word file"),
        ("/menu-only", "ingest", "has no article text that could be extracted"),
    ],
)
def test_a_page_that_cannot_be_had_fails_with_the_reason(
    site: WebSite, tmp_path: Path, path: str, stage: str, expected: str
) -> None:
    error = one_error(site.url(path), tmp_path / "pages")
    assert error.stage == stage
    assert expected in error.cause


def test_a_failed_fetch_stores_nothing_and_is_tried_again(site: WebSite, tmp_path: Path) -> None:
    one_error(site.url("/missing"), tmp_path / "pages")
    one_error(site.url("/missing"), tmp_path / "pages")
    assert site.hits("/missing") == 2
    assert not (tmp_path / "pages").exists()


def test_a_page_slower_than_the_timeout_fails_saying_so(site: WebSite, tmp_path: Path) -> None:
    error = one_error(site.url("/slow"), tmp_path / "pages", timeout=0.2)
    assert error.stage == "fetch"
    expected = "could not be downloaded within 0.2 s; try again later, or raise --fetch-timeout"
    assert expected in error.cause


def test_a_page_that_trickles_in_fails_at_the_timeout_for_the_whole_download(
    site: WebSite, tmp_path: Path
) -> None:
    # Each byte comes well within the timeout; the page as a whole does not.
    error = one_error(site.url("/dripping"), tmp_path / "pages", timeout=2.5)
    assert error.stage == "fetch"
    assert "could not be downloaded within 2.5 s" in error.cause


def test_a_page_bigger_than_max_chars_allows_is_not_downloaded(
    site: WebSite, tmp_path: Path
) -> None:
    error = one_error(site.url("/huge"), tmp_path / "pages", max_chars=100)
    limit = size_limit(".html", 100)
    assert error.stage == "size"
    assert f"is more than {limit:,} bytes" in error.cause
    assert not (tmp_path / "pages").exists()


def test_a_file_listing_urls_fetches_each_and_a_bad_one_fails_alone(
    site: WebSite, tmp_path: Path
) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# this week's readouts\n\n"
        f"{site.url('/news/2021/09/14/berg.html')}\n"
        f"  {site.url('/missing')}  \n"
        f"{site.url('/readout.pdf')}\n",
        encoding="utf-8",
    )
    got = fetch(listing, tmp_path / "pages")
    assert [type(i).__name__ for i in got] == ["Article", "IngestError", "Article"]
    assert [i.file for i in got] == [
        site.url("/news/2021/09/14/berg.html"),
        site.url("/missing"),
        site.url("/readout.pdf"),
    ]


def test_a_url_list_inside_a_folder_is_not_sent_to_the_model_as_an_article(
    site: WebSite, tmp_path: Path
) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "urls.txt").write_text(site.url("/old-link") + "\n", encoding="utf-8")
    (error,) = fetch(folder, tmp_path / "pages")
    assert isinstance(error, IngestError)
    assert "lists URLs, not an article: give this file alone as SRC" in error.cause
    assert site.requests == []


def test_without_an_output_folder_urls_are_refused_not_fetched(site: WebSite) -> None:
    url = site.url("/old-link")
    (error,) = list(iter_articles(url))
    assert isinstance(error, IngestError)
    assert error.file == url
    assert "is a URL: `summarize run` fetches pages" in error.cause
    assert site.requests == []
