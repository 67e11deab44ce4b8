"""Outlet, URL and publication date from the page itself, each with where it came from.

The page knows these better than the model: `og:site_name` or the JSON-LD publisher name
the outlet; its metadata (a JSON record's date, or the HTML's as trafilatura reads it with
htmldate), its URL path (`/2021/09/10/`) or a text capture's
header lines the publication date. What the page does not give stays empty.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from anyascii import anyascii

from summarize.core import dates

# A text capture may open with the page's URL on a line of its own.
_URL_LINE = re.compile(r"\s*<?(https?://[^\s<>\"']+)>?\s*")
# Header lines of a capture: "Date: 2016-07-15", "Published: 3 May 2016", " date 2021-02-23".
_HEADER = re.compile(
    r"[ \t]*(?:date|published|posted|datum|fecha|publicado|publi[ée]|опубликовано|дата)"
    r"[ \t]*:?[ \t]*(?P<date>\d{4}-\d\d-\d\d\b|[^\n]{4,40}$)",
    re.IGNORECASE,
)
_HEADER_LINES = 3
# Host labels that name a server, a language or an edition rather than the outlet.
_GENERIC_LABEL = re.compile(r"www\d*|m|amp|mobile|news|edition|[a-z]{2}", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+")
_NAME_TOKENS = 4
_HEAD_CHARS = 4000


@dataclass(frozen=True)
class PageFacts:
    """What the page says about itself; each `*_from` names the source of its fact."""

    url: str | None = None
    outlet: str | None = None
    outlet_from: str | None = None
    # The site's domain: the outlet of last resort, below a name the model finds in the text.
    site: str | None = None
    published_text: str | None = None
    published_date: dt.date | None = None
    published_from: str | None = None


def first_line_url(text: str) -> str | None:
    """The URL a text capture opens with, on a line of its own."""
    first = text.lstrip("\n").split("\n", 1)[0]
    m = _URL_LINE.fullmatch(first)
    return m.group(1) if m else None


def page_facts(
    text: str,
    *,
    url: str | None = None,
    outlet: str | None = None,
    date_text: str | None = None,
    html: str | None = None,
) -> PageFacts:
    """Outlet, URL and publication date of an article: given ones first (a JSON record's
    fields, the HTML's own metadata), then what the page and its URL show."""
    url = url or first_line_url(text)
    found_outlet, outlet_from = _outlet(text, url, outlet, html)
    written, date, published_from = _published(text, url, date_text)
    return PageFacts(
        url=url,
        outlet=found_outlet,
        outlet_from=outlet_from,
        site=site_name(url) if url else None,
        published_text=written,
        published_date=date,
        published_from=published_from,
    )


def _outlet(
    text: str, url: str | None, given: str | None, html: str | None
) -> tuple[str | None, str | None]:
    if given:
        return given, "metadata"
    if html is not None:
        tags = _PageTags.read(html)
        if tags.site_name:
            return tags.site_name, "og:site_name"
        if tags.publisher:
            return tags.publisher, "json-ld"
    site = site_name(url) if url else None
    if site is None:
        return None, None
    named = _named_in_text(text, site)
    return (named, "text") if named else (None, None)


def site_name(url: str) -> str | None:
    """The site an URL belongs to, as its outlet: "www.zeit.de" -> "zeit.de", and a
    subdomain kept when it names a site of its own ("radio.uchile.cl")."""
    from courlan import extract_domain

    host = (urlsplit(url).hostname or "").lower()
    domain = extract_domain(url)
    if not host or not domain or not host.endswith(domain):
        return host or None
    labels = [x for x in host[: -len(domain)].split(".") if x]
    kept = [x for x in labels if not _GENERIC_LABEL.fullmatch(x)]
    return ".".join([*kept, domain])


def _squashed(text: str) -> str:
    return "".join(_TOKEN.findall(anyascii(text).lower()))


def _named_in_text(text: str, site: str) -> str | None:
    """The outlet's own name where the text writes it: a capitalised run of words that
    spells the site's name ("Colombo Gazette" on colombogazette.com, "UNN" on unn.ua)."""
    from courlan import extract_domain

    domain = extract_domain(f"http://{site}") or site
    suffix = domain.partition(".")[2]
    labels = site[: len(site) - len(suffix)].split(".") if suffix else site.split(".")
    wanted = {_squashed(x) for x in labels if x and not _GENERIC_LABEL.fullmatch(x)} - {""}
    if not wanted:
        return None
    head = text[:_HEAD_CHARS] + "\n" + text[-_HEAD_CHARS:]
    tokens = list(_TOKEN.finditer(head))
    for i, first in enumerate(tokens):
        if not first.group(0)[0].isupper():
            continue
        for j in range(i, min(i + _NAME_TOKENS, len(tokens))):
            written = head[first.start() : tokens[j].end()]
            if "\n" in written:
                break
            if _squashed(written) in wanted:
                return written
    return None


def _published(
    text: str, url: str | None, given: str | None
) -> tuple[str | None, dt.date | None, str | None]:
    found = dates.find_publication_date(text)
    candidates: list[tuple[str, dt.date, str]] = []
    given_date = dates.parse_date(given) if given else None
    if given and given_date is not None:
        candidates.append((given, given_date, "metadata"))
    header = _header_date(text)
    if header is not None:
        candidates.append((*header, "header"))
    if url:
        from_url = _url_date(url)
        if from_url is not None:
            candidates.append((*from_url, "url"))
    if found is not None:
        candidates.append((*found, "date-line"))
    if not candidates:
        # Keep what the source says even if it cannot be read as a date.
        return (given, None, "metadata") if given else (None, None, None)
    written, date, source = candidates[0]
    if found is not None and found[1] == date:
        # The same date, as written in the text the evidence cites.
        written = found[0]
    return written, date, source


def _header_date(text: str) -> tuple[str, dt.date] | None:
    """A date from the header lines a text capture opens with."""
    lines = [line for line in text.split("\n") if line.strip()][: _HEADER_LINES + 1]
    for line in lines:
        if _URL_LINE.fullmatch(line):
            continue
        m = _HEADER.match(line)
        if m is None:
            return None
        written = m.group("date").strip()
        date = dates.parse_date(written)
        return (written, date) if date is not None else None
    return None


def _url_date(url: str) -> tuple[str, dt.date] | None:
    """A date in the URL's path ("/2021/09/10/", "/2014-09/15/"), read by htmldate."""
    from htmldate.extractors import extract_url_date
    from htmldate.utils import Extractor

    options = Extractor(False, dt.datetime.max, dt.datetime(1990, 1, 1), True, "%Y-%m-%d")
    found = extract_url_date(url, options)
    if not found:
        return None
    date = dt.date.fromisoformat(found)
    return date.isoformat(), date


class _PageTags(HTMLParser):
    """`og:site_name` and the JSON-LD publisher name, from a page's markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.site_name: str | None = None
        self.publisher: str | None = None
        self._in_json_ld = False
        self._json: list[str] = []

    @classmethod
    def read(cls, html: str) -> _PageTags:
        tags = cls()
        with contextlib.suppress(Exception):  # malformed markup: keep what was read before it
            tags.feed(html)
            tags.close()
        return tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "meta" and self.site_name is None:
            key = (values.get("property") or values.get("name") or "").lower()
            if key == "og:site_name" and values.get("content"):
                self.site_name = values["content"]
        elif tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._in_json_ld = True
            self._json = []

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self._json.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_json_ld:
            self._in_json_ld = False
            if self.publisher is None:
                with contextlib.suppress(ValueError):  # not JSON: no publisher from it
                    self.publisher = _publisher(json.loads("".join(self._json)))


def _publisher(node: object) -> str | None:
    """The first publisher name anywhere in a JSON-LD document (objects, lists, @graph)."""
    if isinstance(node, list):
        for item in node:
            found = _publisher(item)
            if found:
                return found
    elif isinstance(node, dict):
        publisher = node.get("publisher")
        name = publisher.get("name") if isinstance(publisher, dict) else None
        if isinstance(name, str) and name.strip():
            return name.strip()
        for value in node.values():
            if isinstance(value, list | dict):
                found = _publisher(value)
                if found:
                    return found
    return None
