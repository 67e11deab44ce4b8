"""Rendering: every section in both formats, evidence links that resolve, escaping,
determinism, a self-contained page, and the format from a flag or a suffix."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markupsafe import escape
from memo_briefs import (
    golden_briefs,
    hostile_brief,
    moscow_2013_call,
    uspa_2013_call,
    wire_2013_call,
)

from summarize.memo.build import build_memo
from summarize.memo.links import github_slug
from summarize.memo.render import render_memo, resolve_format

SECTIONS = [
    "Bottom line up front",
    "Timeline",
    "Events",
    "Divergent accounts",
    "Open follow-ups",
    "Who's who",
    "Sources",
    "Evidence",
]


def test_golden_memo_has_every_section_in_both_formats() -> None:
    briefs = golden_briefs()
    md = render_memo(briefs, "md")
    page = render_memo(briefs, "html")
    for title in SECTIONS:
        assert f"\n## {title}\n" in md
        assert f">{html.escape(title).replace('&#x27;', '&rsquo;')}</h2>" in page
    assert md.count("\n### E") == 5
    assert page.count('<article class="event"') == 5


def test_every_claim_links_to_a_note_with_its_quote_and_source() -> None:
    briefs = golden_briefs()
    page = render_memo(briefs, "html")
    linked = set(re.findall(r'href="#note-(\d+)"', page))
    defined = set(re.findall(r'<li id="note-(\d+)"', page))
    assert linked == defined and linked
    quotes = {
        q
        for b in briefs
        for e in b.events
        for q in [
            *(p.evidence.quote for p in e.participants),
            *(o.evidence.quote for o in e.outcomes),
            *(f.evidence.quote for f in e.follow_ups),
            *([e.initiator.evidence.quote] if e.initiator.evidence else []),
        ]
    }
    view = build_memo(briefs)
    assert {n.quote for n in view.notes} == quotes
    for note in view.notes:
        assert f"<q>{escape(note.quote)}</q>" in page


def test_markdown_footnotes_and_anchors_all_resolve() -> None:
    md = render_memo(golden_briefs(), "md")
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    defs = set(re.findall(r"^\[\^(\d+)\]:", md, flags=re.MULTILINE))
    assert refs == defs and refs
    headings = {github_slug(h) for h in re.findall(r"^#{1,3} (.+)$", md, flags=re.MULTILINE)}
    targets = set(re.findall(r"\]\(#([^)]+)\)", md))
    assert targets <= headings


def test_html_escapes_everything_from_the_briefs() -> None:
    page = render_memo([hostile_brief(), *golden_briefs()], "html")
    # The memo's own filter data and script (admitted by hash), and no other.
    assert re.findall(r"<script[^>]*>", page) == [
        '<script type="application/json" id="memo-filter-data">',
        "<script>",
    ]
    assert "<img" not in page
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page
    assert "javascript:" not in page
    assert "&lt;b&gt;ceasefire&lt;/b&gt;" in page


def test_markdown_escapes_markup_and_table_pipes() -> None:
    md = render_memo([hostile_brief()], "md")
    assert not re.search(r"(?<!\\)<(script|img|b>)", md)
    assert "javascript:" not in md
    row = next(line for line in md.splitlines() if line.startswith("| 1 | "))
    # Six columns: seven unescaped pipes, however many the headline carries.
    assert len(re.findall(r"(?<!\\)\|", row)) == 7
    assert r"\<script\>" in md and r"\[and\] \*Obama\*" in md


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_same_briefs_give_a_byte_identical_memo_in_any_order(fmt: str) -> None:
    # Golden 000 is the USPA article itself: one brief per article.
    briefs = [*golden_briefs()[1:], uspa_2013_call(), wire_2013_call(), moscow_2013_call()]
    first = render_memo(briefs, fmt)
    assert render_memo(list(reversed(briefs)), fmt) == first
    assert render_memo(briefs[3:] + briefs[:3], fmt) == first


def test_html_is_self_contained() -> None:
    page = render_memo(golden_briefs(), "html")
    # Its one script is inline (the filter box), admitted by hash: "src=" would load one.
    for needle in ("<link", "src=", "url(", "@import", "<iframe", "<img"):
        assert needle not in page
    assert "Content-Security-Policy" in page


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("memo.md", None, "md"),
        ("memo.markdown", None, "md"),
        ("m.HTML", None, "html"),
        ("m.htm", None, "html"),
        ("memo.txt", "html", "html"),
        ("memo.html", "markdown", "md"),
    ],
)
def test_format_comes_from_the_flag_or_the_suffix(
    name: str, fmt: str | None, expected: str
) -> None:
    assert resolve_format(Path(name), fmt) == expected


@pytest.mark.parametrize(("name", "fmt"), [("memo.txt", None), ("memo", None), ("memo.md", "pdf")])
def test_unknown_formats_are_refused(name: str, fmt: str | None) -> None:
    with pytest.raises(ValueError):
        resolve_format(Path(name), fmt)
