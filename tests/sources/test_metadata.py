"""Outlet, URL and publication date from the page, each saying where it came from."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from summarize.core.article import Article
from summarize.sources.metadata import first_line_url, site_name
from summarize.sources.read import iter_articles

# Real reporting: the opening of fixtures/corpus/14 (radio.uchile.cl).
PARAGRAPH = (
    "El presidente de Estados Unidos, Donald Trump, y su homólogo ruso, Vladimir Putin, se "
    "encontraron por primera vez, cara a cara, en el marco de la cumbre del G20 en Hamburgo. "
    "Los mandatarios se reunieron a puertas cerradas por más de dos horas."
)
URL = "https://radio.uchile.cl/2017/07/08/puti-y-trump-acuerdan-tregua-en-suroeste-de-siria"


def read_one(path: Path) -> Article:
    (item,) = iter_articles(path)
    assert isinstance(item, Article), item
    return item


def page(head: str) -> str:
    return (
        f"<html><head><title>Putin y Trump acuerdan tregua</title>{head}</head>"
        f"<body><article><h1>Putin y Trump acuerdan tregua</h1><p>{PARAGRAPH}</p>"
        f"<p>{PARAGRAPH}</p></article></body></html>"
    )


def test_og_site_name_names_the_outlet(tmp_path: Path) -> None:
    meta = '<meta property="og:site_name" content="Radio Universidad de Chile">'
    (tmp_path / "a.html").write_text(page(meta), encoding="utf-8")
    article = read_one(tmp_path / "a.html")
    assert (article.outlet, article.outlet_from) == ("Radio Universidad de Chile", "og:site_name")
    assert article.source().outlet_from == "og:site_name"


def test_json_ld_publisher_names_the_outlet(tmp_path: Path) -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Clarín"}}
        ],
    }
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    (tmp_path / "a.html").write_text(page(script), encoding="utf-8")
    article = read_one(tmp_path / "a.html")
    assert (article.outlet, article.outlet_from) == ("Clarín", "json-ld")


def test_canonical_url_gives_the_domain_and_the_date(tmp_path: Path) -> None:
    link = f'<link rel="canonical" href="{URL}">'
    (tmp_path / "a.html").write_text(page(link), encoding="utf-8")
    article = read_one(tmp_path / "a.html")
    assert article.url == URL
    assert (article.outlet, article.site) == (None, "radio.uchile.cl")
    assert (article.source().outlet, article.source().outlet_from) == ("radio.uchile.cl", "domain")
    assert article.published_date == dt.date(2017, 7, 8)


def test_text_capture_url_line_date_header_and_title(tmp_path: Path) -> None:
    path = tmp_path / "capture.txt"
    path.write_text(f"{URL}\nDate: 2017-07-08\n\n{PARAGRAPH}\n", encoding="utf-8")
    article = read_one(path)
    assert article.url == URL
    assert (article.published_date, article.published_from) == (dt.date(2017, 7, 8), "header")
    assert article.title is not None and article.title.startswith("El presidente")
    assert article.body == f"{PARAGRAPH}\n"
    assert article.text.startswith(URL)  # the text stays whole: offsets count from it


def test_url_path_date_when_the_text_has_none(tmp_path: Path) -> None:
    path = tmp_path / "capture.txt"
    path.write_text(f"{URL}\n{PARAGRAPH}\n", encoding="utf-8")
    article = read_one(path)
    assert (article.published_date, article.published_from) == (dt.date(2017, 7, 8), "url")
    assert article.published_text == "2017-07-08"


def test_the_outlet_spelled_in_the_text_is_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "capture.txt"
    path.write_text(
        f"https://colombogazette.com/2021/02/23/x/\n{PARAGRAPH} (Colombo Gazette)\n",
        encoding="utf-8",
    )
    article = read_one(path)
    assert (article.outlet, article.outlet_from) == ("Colombo Gazette", "text")


def test_no_url_no_outlet_and_no_date(tmp_path: Path) -> None:
    path = tmp_path / "capture.txt"
    path.write_text(f"{PARAGRAPH}\n", encoding="utf-8")
    article = read_one(path)
    assert (article.url, article.outlet, article.outlet_from, article.site) == (None,) * 4
    assert (article.published_date, article.published_from) == (None, None)


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.zeit.de/news/2014-09/15/x", "zeit.de"),
        ("http://www.zeit.de/news/2016-02/02/x", "zeit.de"),
        ("https://radio.uchile.cl/2017/07/08/x", "radio.uchile.cl"),
        ("https://diariodonordeste.verdesmares.com.br/x", "diariodonordeste.verdesmares.com.br"),
        ("https://tw.news.yahoo.com/x.html", "yahoo.com"),
        ("https://news.livedoor.com/topics/detail/30306952/", "livedoor.com"),
        ("https://www.mofa.go.jp/mofaj/na/na1/us/page4_003404.html", "mofa.go.jp"),
        ("https://brecorder.com/news/amp/3536386", "brecorder.com"),
    ],
)
def test_site_names(url: str, site: str) -> None:
    assert site_name(url) == site


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (f"{URL}\nText", URL),
        (f"\n<{URL}>\nText", URL),
        (f"See {URL}\nText", None),
        ("Headline\nhttps://example.org/\n", None),
    ],
)
def test_first_line_url(text: str, url: str | None) -> None:
    assert first_line_url(text) == url
