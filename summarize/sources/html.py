"""HTML pages -> article text and metadata, with trafilatura (files, fetched pages, mail bodies)."""

from __future__ import annotations

import re
from dataclasses import replace

import trafilatura

from summarize.core.article import normalize_text
from summarize.sources.decoding import noted_text
from summarize.sources.parsed import Parsed, Unusable

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.I)
# What a page of menus, scripts and "enable JavaScript" notices lacks: one line of prose.
# Characters count too, for scripts written without spaces between words.
_PROSE_WORDS, _PROSE_CHARS = 10, 60


def parse_html(data: bytes, charset: str | None = None) -> Parsed:
    """A page's article text and metadata; `charset` is what the server declared, which
    beats the page's own <meta charset>, which beats detection (noted when used)."""
    if charset is None:
        m = _DECLARED_CHARSET.search(data[:4096])
        charset = m.group(1).decode("ascii", "replace") if m else None
    text, note = noted_text(data, charset)
    return replace(parse_markup(text), note=note)


def parse_markup(html: str) -> Parsed:
    """The article in an HTML document already decoded to text."""
    try:
        extracted = trafilatura.extract(html, include_comments=False)
        # Markup only: trafilatura's text search for dates would be a guess.
        meta = trafilatura.extract_metadata(html, extensive=False)
    except Exception as exc:  # a third-party parser: any failure is this file's problem
        raise Unusable(f"could not be parsed as HTML ({type(exc).__name__}: {exc})") from exc
    text = normalize_text(extracted) if isinstance(extracted, str) else ""
    if not _has_prose(text):
        raise Unusable(
            "has no article text that could be extracted (only menus, scripts or short "
            "notices, if anything); check it is an article page, or save the article as a "
            ".txt file"
        )
    return Parsed(
        text,
        title=_meta_str(getattr(meta, "title", None)),
        url=_meta_str(getattr(meta, "url", None)),
        date_text=_meta_str(getattr(meta, "date", None)),
        html=html,
    )


def _has_prose(text: str) -> bool:
    return any(
        len(words) >= _PROSE_WORDS or sum(map(len, words)) >= _PROSE_CHARS
        for words in (line.split() for line in text.split("\n"))
    )


def _meta_str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
