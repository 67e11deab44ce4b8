"""The Jinja2 environment for memo and report templates, and the Markdown escaping they share."""

from __future__ import annotations

import re
from functools import lru_cache

import jinja2

# Markdown's inline markup characters get a backslash; "&" becomes an entity so "&lt;"
# in a quote stays literal text.
_MD_ESCAPES = str.maketrans({"&": "&amp;", **{c: "\\" + c for c in "\\`*_[]<>|~"}})
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&]")


def md_escape(value: object) -> str:
    """Text safe inside a Markdown paragraph or table cell (one line, markup escaped)."""
    # Names, outlets and labels recur thousands of times in a large memo.
    return _md_escape_text(str(value))


@lru_cache(maxsize=65536)
def _md_escape_text(value: str) -> str:
    text = " ".join(value.split())
    # Most text has nothing to escape, and the search is cheaper than the translation.
    return text.translate(_MD_ESCAPES) if _MD_SPECIAL.search(text) else text


def md_url(url: str) -> str:
    """A URL for Markdown's `[text](<url>)` form, which only forbids angle brackets."""
    return url.replace("<", "%3C").replace(">", "%3E")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Templates from summarize/templates; `.html` ones autoescaped, Markdown via `md`."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarize", "templates"),
        autoescape=lambda name: name is not None and ".html" in name,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["md_url"] = md_url
    return env
