"""The memo as text: Markdown for GitHub or one self-contained HTML file, from the Jinja2
templates in `summarize/templates/`."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from summarize.core.brief import Brief
from summarize.memo.build import build_memo
from summarize.memo.citations import MemoSynthesis
from summarize.memo.coverage import RunRecord
from summarize.memo.view import EventRef, MemoView
from summarize.rendering import environment, md_escape, md_url

FORMATS: dict[str, str] = {"md": "memo.md.j2", "html": "memo.html.j2"}
_SUFFIX_FORMATS: dict[str, str] = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
# Spelled with a literal prefix, which the regex engine scans for far faster than `\n{3,}`.
_BLANK_RUNS = re.compile(r"\n\n\n+")


def resolve_format(out: Path | None, fmt: str | None) -> str:
    """`md` or `html`, from `fmt` when given, else from the output file's suffix."""
    if fmt:
        name = {"markdown": "md"}.get(fmt.strip().lower(), fmt.strip().lower())
        if name not in FORMATS:
            raise ValueError(f"unknown memo format {fmt!r}; use one of: md, html")
        return name
    if out is not None and out.suffix.lower() in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[out.suffix.lower()]
    raise ValueError(
        f"cannot tell the memo format from {str(out)!r}; name the file .md or .html "
        "or pass --format md|html"
    )


def render_memo(
    briefs: Sequence[Brief],
    fmt: str,
    *,
    title: str | None = None,
    as_of: dt.date | None = None,
    synthesis: MemoSynthesis | None = None,
    run: RunRecord | None = None,
    reviewed: frozenset[str] = frozenset(),
) -> str:
    """The memo text for the briefs; byte-identical for the same briefs and options."""
    view = build_memo(
        briefs, title=title, as_of=as_of, synthesis=synthesis, run=run, reviewed=reviewed
    )
    return render_view(view, fmt)


def render_view(view: MemoView, fmt: str) -> str:
    """Fill the template for `fmt` ("md" or "html")."""
    template = _memo_environment().get_template(FORMATS[fmt])
    # Pieces as plain strings: the HTML template yields hundreds of thousands of Markup
    # pieces, which the join would hold until the end, and the collector would scan them.
    text = "".join(map(str, template.generate(memo=view)))
    lines = [line.rstrip() for line in text.splitlines()]
    # Template control blocks leave runs of blank lines; Markdown needs at most one.
    tidy = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    return tidy + "\n"


@lru_cache(maxsize=1)
def _memo_environment() -> jinja2.Environment:
    env = environment().overlay()
    env.filters = {
        **env.filters,
        "md_refs": md_refs,
        "html_refs": html_refs,
        "md_source": md_source,
        "html_source": html_source,
        "md_event_links": md_event_links,
        "html_event_links": html_event_links,
        "html_badge": html_badge,
    }
    script = memo_script(env)
    env.globals = {
        **env.globals,
        "memo_script": Markup(script),
        "memo_script_hash": script_hash(script),
    }
    return env


def memo_script(env: jinja2.Environment) -> str:
    """The filter's script, as the page will hold it: lines without trailing blanks and no
    runs of blank lines (what `render_view` tidies), so that its hash stays true."""
    assert env.loader is not None
    text = env.loader.get_source(env, "memo_filter.js")[0]
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    script = _BLANK_RUNS.sub("\n\n", "\n".join(lines))
    if "</" in script:  # would end the <script> element early
        raise ValueError("memo_filter.js must not contain '</'")
    return "\n" + script + "\n"


def script_hash(script: str) -> str:
    """The content security policy's source for an inline script: 'sha256-<base64>'."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# --- filters -------------------------------------------------------------------------------
# Filters, not template macros: they run for every claim, source, evidence note and article
# row (tens of thousands of calls in a large memo), and macros are slow.


def md_refs(notes: Sequence[int]) -> str:
    """Footnote references: [^3][^7]."""
    return "".join(f"[^{n}]" for n in notes)


def html_refs(notes: Sequence[int]) -> Markup:
    """Superscript links to evidence notes."""
    if not notes:
        return Markup("")
    links = ",".join(f'<a href="#note-{n}" title="Evidence {n}">{n}</a>' for n in notes)
    return Markup(f'<sup class="ref">{links}</sup>')


def md_source(outlet: str, headline: str | None, url: str | None) -> str:
    """The outlet and the headline, linked when there is a URL: `TASS, [Headline](<url>)`."""
    text = md_escape(outlet)
    if headline:
        if url:
            return f"{text}, [{md_escape(headline)}](<{md_url(url)}>)"
        return f"{text}, *{md_escape(headline)}*"
    if url:
        return f"{text}, [link](<{md_url(url)}>)"
    return text


def html_source(outlet: str, headline: str | None, url: str | None) -> Markup:
    """The outlet and the headline, linked when there is a URL."""
    text = f'<span class="outlet">{escape(outlet)}</span>'
    if headline:
        if url:
            link = f'<a class="headline" href="{escape(url)}">{escape(headline)}</a>'
            return Markup(f"{text}, {link}")
        return Markup(f'{text}, <cite class="headline">{escape(headline)}</cite>')
    if url:
        return Markup(f'{text}, <a href="{escape(url)}">link</a>')
    return Markup(text)


def md_event_links(refs: Iterable[EventRef]) -> str:
    """Links to events by (id, HTML anchor, Markdown anchor); empty for none."""
    return ", ".join(f"[{event_id}](#{md_anchor})" for event_id, _, md_anchor in refs)


def html_event_links(refs: Iterable[EventRef]) -> Markup:
    """Links to events by (id, HTML anchor, Markdown anchor); a dash for none."""
    links = " ".join(
        f'<a class="evlink" href="#{escape(anchor)}">{escape(event_id)}</a>'
        for event_id, anchor, _ in refs
    )
    return Markup(links or '<span class="none">—</span>')


def html_badge(status: str, label: str) -> Markup:
    return Markup(f'<span class="badge badge-{escape(status)}">{escape(label)}</span>')
